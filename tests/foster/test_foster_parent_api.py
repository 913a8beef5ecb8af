"""Seed 001: the foster parents write and keep their own plan, with no management approval.
Every path: REST, and the sync push (the same rules, ``server/services/access.py``)."""

from __future__ import annotations

import uuid

import pytest

from server.extensions import db
from server.models import Membership, Notification, Plan, PlanItem, ProgressNote
from server.push.messages import render_payload
from tests.foster.conftest import foster_plan_body
from tests.helpers import assert_error, login
from tests.sync.test_push_api import results, upsert


def _create(client, family, who="foster_parent", **fields):
    return client.post(
        "/api/plans", json=foster_plan_body(family, **fields), headers=family.headers[who]
    )


def test_a_foster_parent_writes_their_plan_and_puts_it_in_force_without_approval(client, family):
    created = _create(client, family)
    assert created.status_code == 201, created.json
    plan_id = created.json["id"]
    item = client.post(
        f"/api/plans/{plan_id}/items",
        json={"topic": "Faste rammer i hverdagen", "goal": "Ugeplan på køleskabet"},
        headers=family.headers["foster_parent"],
    )
    assert item.status_code == 201, item.json
    note = client.post(
        f"/api/items/{item.json['id']}/notes",
        json={"text": "Første familiemøde holdt.", "new_state": "in_progress"},
        headers=family.headers["foster_parent"],
    )
    assert note.status_code == 201, note.json
    in_force = client.post(
        f"/api/plans/{plan_id}/put-in-force", headers=family.headers["foster_parent"]
    )
    assert in_force.status_code == 200, in_force.json
    assert in_force.json["state"] == "approved" and in_force.json["approved_by"] is None
    db.session.expire_all()
    plan = db.session.get(Plan, uuid.UUID(plan_id))
    assert plan.state == "approved" and plan.approved_at is None
    assert db.session.get(PlanItem, uuid.UUID(item.json["id"])).state == "in_progress"


def test_a_foster_parent_does_not_approve_nor_send_back(client, family):
    plan_id = _create(client, family).json["id"]
    submit = client.post(f"/api/plans/{plan_id}/submit", headers=family.headers["foster_parent"])
    assert submit.status_code == 200 and submit.json["state"] == "submitted"
    for action, body in (("approve", None), ("send-back", {"reason": "Nej"})):
        response = client.post(
            f"/api/plans/{plan_id}/{action}", json=body, headers=family.headers["foster_parent"]
        )
        assert_error(response, 403, "forbidden")
    # A submitted plan can still be put in force by the family itself: approval is optional.
    in_force = client.post(
        f"/api/plans/{plan_id}/put-in-force", headers=family.headers["foster_parent"]
    )
    assert in_force.status_code == 200 and in_force.json["state"] == "approved"


def test_a_manager_of_the_municipality_may_still_approve_a_submitted_foster_plan(client, family):
    plan_id = _create(client, family).json["id"]
    client.post(f"/api/plans/{plan_id}/submit", headers=family.headers["foster_parent"])
    approved = client.post(f"/api/plans/{plan_id}/approve", headers=family.headers["manager"])
    assert approved.status_code == 200, approved.json
    assert approved.json["approved_by"] == str(family.manager.id)


def test_a_tilbud_plan_cannot_be_put_in_force_without_approval(client, factory):
    unit = factory.unit("dk_tilbud")
    manager = factory.user(("manager", unit))
    plan = factory.plan(unit)
    response = client.post(f"/api/plans/{plan.id}/put-in-force", headers=login(client, manager))
    assert_error(response, 409, "invalid_state")
    db.session.expire_all()
    assert db.session.get(Plan, plan.id).state == "draft"


def test_the_consultant_supports_with_rows_and_notes_but_does_not_keep_the_plan(client, family):
    assert_error(_create(client, family, who="consultant"), 403, "forbidden")
    plan_id = _create(client, family).json["id"]
    item = client.post(
        f"/api/plans/{plan_id}/items",
        json={"topic": "Kursus"},
        headers=family.headers["consultant"],
    )
    assert item.status_code == 201
    assert_error(
        client.post(f"/api/plans/{plan_id}/put-in-force", headers=family.headers["consultant"]),
        403,
        "forbidden",
    )


def test_an_inspector_reads_the_foster_plan_but_does_not_write_it(client, family):
    plan_id = _create(client, family).json["id"]
    assert (
        client.get(f"/api/plans/{plan_id}", headers=family.headers["inspector"]).status_code == 200
    )
    assert_error(
        client.post(
            f"/api/plans/{plan_id}/items", json={"topic": "x"}, headers=family.headers["inspector"]
        ),
        403,
        "forbidden",
    )


def test_a_foster_parent_role_is_refused_outside_a_foster_family(client, factory, family):
    tilbud = factory.unit("dk_tilbud")
    admin = factory.user(("admin", tilbud), ("admin", family.unit))
    someone = factory.user(("staff", tilbud))
    headers = login(client, admin)
    refused = client.post(
        "/api/memberships",
        json={"user_id": str(someone.id), "unit_id": str(tilbud.id), "role": "foster_parent"},
        headers=headers,
    )
    assert_error(refused, 422, "invalid_input", "role")
    granted = client.post(
        "/api/memberships",
        json={"user_id": str(someone.id), "unit_id": str(family.unit.id), "role": "foster_parent"},
        headers=headers,
    )
    assert granted.status_code == 201, granted.json
    db.session.expire_all()
    roles = {
        (m.unit_id, m.role) for m in db.session.query(Membership).filter_by(user_id=someone.id)
    }
    assert (family.unit.id, "foster_parent") in roles and (tilbud.id, "foster_parent") not in roles


def test_a_foster_parent_does_not_reach_another_family(client, factory, family):
    other = factory.unit("dk_plejefamilie")
    plan = factory.plan(other, kind="dk_plejefamilie")
    response = client.get(f"/api/plans/{plan.id}", headers=family.headers["foster_parent"])
    assert_error(response, 404, "not_found")


# ---- sync: the same rules ------------------------------------------------------------------


def test_a_foster_parent_writes_plan_row_and_note_through_sync(family, api):
    device = api(family.foster_parent)
    plan_id, item_id, note_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    fields = {k: v for k, v in foster_plan_body(family).items()}
    answers = results(
        device.push(
            [
                upsert(1, "plans", plan_id, fields),
                upsert(2, "plan_items", item_id, {"plan_id": str(plan_id), "goal": "Ugeplan"}),
                upsert(3, "progress_notes", note_id, {"item_id": str(item_id), "text": "Godt"}),
            ]
        )
    )
    assert [a["status"] for a in answers] == ["applied"] * 3, answers
    db.session.expire_all()
    assert db.session.get(ProgressNote, note_id).author_id == family.foster_parent.id
    changes, _ = device.pull_all()
    assert {c["id"] for c in changes} >= {str(plan_id), str(item_id), str(note_id)}


def test_the_consultant_cannot_create_a_foster_plan_through_sync(family, api):
    fields = foster_plan_body(family)
    [answer] = results(api(family.consultant).push([upsert(1, "plans", uuid.uuid4(), fields)]))
    assert answer["status"] == "rejected" and answer["error"]["error"] == "forbidden"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_send_back_needs_a_reason(client, family, reason):
    plan_id = _create(client, family).json["id"]
    client.post(f"/api/plans/{plan_id}/submit", headers=family.headers["foster_parent"])
    body = {} if reason is None else {"reason": reason}
    response = client.post(
        f"/api/plans/{plan_id}/send-back", json=body, headers=family.headers["manager"]
    )
    assert_error(response, 422, "invalid_input", "reason")
    db.session.expire_all()
    assert db.session.get(Plan, uuid.UUID(plan_id)).state == "submitted"


def test_the_submitter_reads_why_the_plan_came_back_and_is_notified(client, family, api):
    plan_id = _create(client, family).json["id"]
    client.post(f"/api/plans/{plan_id}/submit", headers=family.headers["foster_parent"])
    back = client.post(
        f"/api/plans/{plan_id}/send-back",
        json={"reason": "Tilføj en slutdato på række 1."},
        headers=family.headers["manager"],
    )
    assert back.status_code == 200, back.json
    assert back.json["state"] == "draft"
    assert back.json["return_reason"] == "Tilføj en slutdato på række 1."
    assert back.json["returned_by"] == str(family.manager.id)
    seen = client.get(f"/api/plans/{plan_id}", headers=family.headers["foster_parent"]).json
    assert seen["return_reason"] == "Tilføj en slutdato på række 1."
    changes, _ = api(family.foster_parent).pull_all()
    [pulled] = [c for c in changes if c["id"] == plan_id]
    assert pulled["fields"]["return_reason"] == "Tilføj en slutdato på række 1."
    db.session.expire_all()
    [notice] = db.session.query(Notification).filter_by(kind="plan_sent_back").all()
    assert notice.user_id == family.foster_parent.id


def test_the_sent_back_notice_says_where_the_reason_is_not_the_reason(app):
    with app.app_context():
        payload = render_payload("plan_sent_back", "da", uuid.uuid4(), None)
    assert payload["title"] and payload["body"]
    assert payload["url"].startswith("/#/plans/")


def test_the_reason_cannot_be_sent_by_sync(family, api, factory):
    plan = factory.plan(family.unit, kind="dk_plejefamilie")
    [answer] = results(
        api(family.foster_parent).push(
            [upsert(1, "plans", plan.id, {"return_reason": "mine"}, plan.version)]
        )
    )
    assert answer["status"] == "rejected"
