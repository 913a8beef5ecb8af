"""A foster family's plan put in force (no approval, seed 001) tells the inspectors who follow
the family, in their own language, through a real push receiver; nobody is told the plan was
"approved by management", since it was not."""

from __future__ import annotations

import pytest

from server.extensions import db
from server.models import Notification
from server.models.versioning import act_as
from tests.foster.conftest import foster_plan_body
from tests.push.conftest import deliver, outbox, subscribe

pytestmark = pytest.mark.usefixtures("push_app")


def _plan(client, family) -> str:
    created = client.post(
        "/api/plans", json=foster_plan_body(family), headers=family.headers["foster_parent"]
    )
    assert created.status_code == 201, created.json
    return created.json["id"]


def _post(client, family, who, path):
    response = client.post(path, headers=family.headers[who])
    assert response.status_code == 200, response.json
    act_as(db.session, None, "cli")
    return response


def _kinds() -> list[tuple[str, object]]:
    return sorted((row.kind, row.user_id) for row in outbox())


@pytest.mark.parametrize("submitted_first", [False, True], ids=["from_draft", "from_submitted"])
def test_putting_a_foster_plan_in_force_tells_the_following_inspectors_in_their_language(
    push_app, client, factory, family, receiver, submitted_first
):
    colleague = factory.user(("inspector", family.unit), language="sv")
    elsewhere = factory.user(("inspector", factory.unit("dk_plejefamilie")), language="da")
    family.inspector.language = "da"
    db.session.commit()
    devices = {
        user.id: subscribe(client, user, receiver)
        for user in (family.inspector, colleague, elsewhere, family.foster_parent)
    }
    plan_id = _plan(client, family)
    if submitted_first:
        _post(client, family, "foster_parent", f"/api/plans/{plan_id}/submit")
    db.session.query(Notification).delete()  # the submission's notices are another test's
    db.session.commit()

    _post(client, family, "foster_parent", f"/api/plans/{plan_id}/put-in-force")

    assert _kinds() == sorted(
        [("followed_in_force", family.inspector.id), ("followed_in_force", colleague.id)]
    )
    assert deliver(push_app).sent == 2
    assert receiver.errors() == []
    url = f"/#/plans/{plan_id}"
    assert receiver.payloads(devices[family.inspector.id]) == [
        {
            "title": "En opfølgningsplan, du følger, er gjort gældende",
            "url": url,
            "kind": "followed_in_force",
            "lang": "da",
        }
    ]
    assert receiver.payloads(devices[colleague.id]) == [
        {
            "title": "En handlingsplan som du följer gäller nu",
            "url": url,
            "kind": "followed_in_force",
            "lang": "sv",
        }
    ]
    # Not the family that did it, nor an inspector of another family.
    assert receiver.payloads(devices[family.foster_parent.id]) == []
    assert receiver.payloads(devices[elsewhere.id]) == []


def test_a_manager_approving_a_foster_plan_is_still_an_approval(client, family):
    plan_id = _plan(client, family)
    _post(client, family, "foster_parent", f"/api/plans/{plan_id}/submit")

    _post(client, family, "manager", f"/api/plans/{plan_id}/approve")

    kinds = _kinds()
    assert ("followed_approved", family.inspector.id) in kinds
    assert ("plan_approved", family.foster_parent.id) in kinds
    assert [k for k, _ in kinds if k == "followed_in_force"] == []


def test_an_inspector_who_turned_the_kind_off_hears_nothing(push_app, client, family, receiver):
    device = subscribe(client, family.inspector, receiver)
    response = client.put(
        "/api/push/preferences",
        json={"kinds": {"followed_in_force": False}},
        headers=family.headers["inspector"],
    )
    assert response.status_code == 200, response.json
    act_as(db.session, None, "cli")
    plan_id = _plan(client, family)

    _post(client, family, "foster_parent", f"/api/plans/{plan_id}/put-in-force")

    assert [row.kind for row in outbox()] == ["followed_in_force"]
    assert deliver(push_app).sent == 0
    assert receiver.payloads(device) == []
    assert [row.status for row in outbox()] == ["skipped"]
