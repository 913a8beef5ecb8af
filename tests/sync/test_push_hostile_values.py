"""Values a push keeps in a conflict are checked like any write (issue 22, findings 13 and
6b), on both databases: an edit of a deleted row, the ``base`` of an edit, and a custom value
resolving a conflict through REST."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import Conflict, PlanItem
from tests.helpers import assert_error, login
from tests.sync.test_push_api import delete, reload, results, team, upsert  # noqa: F401


def conflicts() -> int:
    return db.session.scalar(select(func.count()).select_from(Conflict))


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"topic": "x" * 1_900_000}, "topic"),  # a 1.9 MB topic
        ({"state": {"a": "dict"}}, "state"),
        ({"goal": "Magt\x01anvendelse"}, "goal"),
        ({"priority": "first"}, "priority"),
    ],
    ids=["huge-topic", "dict-state", "control-character", "text-priority"],
)
def test_an_invalid_edit_of_a_deleted_row_is_rejected_not_kept_in_a_conflict(
    team,  # noqa: F811
    api,
    fields,
    field,
):
    item = team["item"]
    results(api(team["anna"]).push([delete(1, "plan_items", item.id, 1)]))

    [result] = results(api(team["bo"]).push([upsert(1, "plan_items", item.id, fields, 1)]))

    assert result["status"] == "rejected"
    assert field in result["error"]["fields"]
    assert conflicts() == 0
    assert reload(PlanItem, item.id).deleted


def test_a_valid_edit_of_a_deleted_row_is_kept_as_loaded(team, api):  # noqa: F811
    item = team["item"]
    results(api(team["anna"]).push([delete(1, "plan_items", item.id, 1)]))
    edit = {"goal": "Bos", "start_date": "2026-04-01"}
    [result] = results(api(team["bo"]).push([upsert(1, "plan_items", item.id, edit, 1)]))
    assert result["status"] == "conflict"
    conflict = reload(Conflict, uuid.UUID(result["conflicts"][0]["id"]))
    assert conflict.client_value == edit


@pytest.mark.parametrize(
    "base, field",
    [
        ({"goal": "x" * 1_900_000}, "base.goal"),
        ({"state": {"a": "dict"}}, "base.state"),
        ({"password_hash": "x"}, "password_hash"),
    ],
    ids=["huge", "dict", "unknown-field"],
)
def test_an_invalid_base_is_rejected_and_stores_nothing(team, api, base, field):  # noqa: F811
    item = team["item"]
    results(api(team["anna"]).push([upsert(1, "plan_items", item.id, {"goal": "Annas"}, 1)]))
    edit = upsert(1, "plan_items", item.id, {"goal": "Bos", "state": "done"}, 1, base)

    [result] = results(api(team["bo"]).push([edit]))

    assert result["status"] == "rejected", result
    assert field in result["error"]["fields"]
    assert conflicts() == 0
    stored = reload(PlanItem, item.id)
    assert (stored.goal, stored.state) == ("Annas", "not_started")


def test_a_base_equal_to_the_stored_value_passes_even_if_that_value_is_no_longer_valid(
    team,  # noqa: F811
    api,
):
    # A row stored before a rule existed: the device's base is the server's own value.
    item = team["item"]
    item.topic = "Magt\x01anvendelse"
    db.session.commit()
    edit = upsert(
        1, "plan_items", item.id, {"topic": "Magtanvendelse"}, item.version, {"topic": item.topic}
    )
    [result] = results(api(team["anna"]).push([edit]))
    assert result["status"] == "applied", result
    assert reload(PlanItem, item.id).topic == "Magtanvendelse"


@pytest.mark.parametrize("value", [{"a": "dict"}, "x" * 20_000, 5], ids=["dict", "huge", "number"])
def test_an_invalid_custom_value_resolving_a_conflict_is_refused_not_a_500(
    team,  # noqa: F811
    api,
    client,
    value,
):
    item = team["item"]
    results(api(team["anna"]).push([upsert(1, "plan_items", item.id, {"goal": "Annas"}, 1)]))
    [result] = results(api(team["bo"]).push([upsert(1, "plan_items", item.id, {"goal": "Bos"}, 1)]))
    conflict_id = result["conflicts"][0]["id"]

    response = client.post(
        f"/api/sync/conflicts/{conflict_id}/resolve",
        json={"resolution": "custom", "resolved_value": value},
        headers=login(client, team["manager"]),
    )

    assert_error(response, 422, "invalid_input", "resolved_value")
    assert reload(Conflict, uuid.UUID(conflict_id)).status == "open"
    assert reload(PlanItem, item.id).goal == "Annas"
