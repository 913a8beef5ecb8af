"""Integers too large for the column: a clear 4xx or a per-mutation rejection, never a 500.

Found by the push fuzzing (``test_push_fuzz.py``): ``priority`` had a minimum only, so a value
past PostgreSQL's ``integer`` reached the database (a 500 from the batch's final flush, outside
the per-mutation guard, and from REST), and SQLite's driver raised ``OverflowError`` past 2**63;
a base version of -2**70 did the same on SQLite. Fixed by ranges on the schemas
(``server/schemas/common.py``: ``counted``) and by guarding the batch flush like the
per-mutation savepoints. ``FAILING_TODAY`` is where a case that regresses could be pinned.
"""

from __future__ import annotations

import uuid

import pytest

from tests.helpers import login

INT32_OVER = 2**31
INT64_OVER = 2**63
FAILING_TODAY: set[tuple[str, int, str]] = set()  # all fixed: a range on the schemas


@pytest.mark.parametrize("value", [INT32_OVER, INT64_OVER], ids=["2^31", "2^63"])
@pytest.mark.parametrize("path", ["sync create", "sync edit", "rest edit"])
def test_a_priority_past_the_columns_range_is_refused_not_a_500(
    request, backend, client, factory, path, value
):
    if (path, value, backend) in FAILING_TODAY:
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason=f"{path} of priority={value} answers 500 on {backend} (see the docstring)",
            )
        )
    unit = factory.unit()
    plan = factory.plan(unit)
    item = factory.item(plan)
    headers = login(client, factory.user(("manager", unit)))
    if path == "rest edit":
        response = client.patch(f"/api/items/{item.id}", json={"priority": value}, headers=headers)
        assert response.status_code != 500, response.get_json()
        assert response.status_code in (200, 422), response.get_json()
        return
    mutation = {
        "mutation_id": 1,
        "table": "plan_items",
        "op": "upsert",
        **(
            {
                "id": str(uuid.uuid4()),
                "base_version": None,
                "fields": {"plan_id": str(plan.id), "goal": "Mål", "priority": value},
            }
            if path == "sync create"
            else {"id": str(item.id), "base_version": 1, "fields": {"priority": value}}
        ),
    }
    response = client.post(
        "/api/sync/push",
        json={"client_id": uuid.uuid4().hex, "schema_version": 1, "mutations": [mutation]},
        headers=headers,
    )
    assert response.status_code != 500, response.get_json()
    assert response.status_code in (200, 422), response.get_json()
    if response.status_code == 200:
        assert response.json["results"][0]["status"] in ("applied", "rejected")


def test_a_hugely_negative_base_version_is_refused_not_a_500(request, backend, client, factory):
    """A base version below any real one makes every field "changed since", so a conflict is
    recorded with it: SQLite's driver cannot store -2**70 (OverflowError, 500); PostgreSQL
    rejects the mutation. (Negative base versions could be refused by the push schema.)"""
    unit = factory.unit()
    item = factory.item(factory.plan(unit))
    headers = login(client, factory.user(("manager", unit)))
    mutation = {
        "mutation_id": 1,
        "table": "plan_items",
        "id": str(item.id),
        "op": "upsert",
        "base_version": -(2**70),
        "fields": {"goal": "Nyt mål"},
    }
    response = client.post(
        "/api/sync/push",
        json={"client_id": uuid.uuid4().hex, "schema_version": 1, "mutations": [mutation]},
        headers=headers,
    )
    assert response.status_code != 500, response.get_json()
    assert response.status_code in (200, 422), response.get_json()
