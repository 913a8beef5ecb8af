"""A client-chosen id that a row of another organisation has already is answered as any id
the caller cannot see (404, as a read of it), never "exists already": REST and sync push alike,
and no second row ever has that id (issue 22, finding 11)."""

from __future__ import annotations

import uuid

import pytest

from server.extensions import db
from server.models import Plan, PlanItem, ProgressNote, Visit
from tests.helpers import assert_error
from tests.server.visit_helpers import cast, post_visit
from tests.sync.test_push_api import delete, results, upsert


@pytest.fixture
def tenants(client, factory):
    """Organisation A's plan, item, note and visit; organisation B's manager and inspector."""
    theirs = cast(client, factory)
    plan = factory.plan(theirs.unit, title="Their plan")
    item = factory.item(plan, topic="Their item")
    note = factory.note(item, theirs.staff)
    visit = post_visit(client, theirs)
    factory.switch_organisation()
    ours = cast(client, factory, factory.unit(name="Our unit"))
    own_plan = factory.plan(ours.unit)
    own_item = factory.item(own_plan)
    return {
        "plan": plan.id,
        "item": item.id,
        "note": note.id,
        "visit": uuid.UUID(visit["id"]),
        "ours": ours,
        "own_plan": own_plan.id,
        "own_item": own_item.id,
        "theme": factory.theme(own_plan).id,
    }


def _item_fields(t, **more):
    return {"theme_id": str(t["theme"]), "topic": "Ours", "goal": "Ours", **more}


def test_rest_creates_with_another_organisations_id_answer_as_an_unseen_id(client, tenants):
    t = tenants
    ours = t["ours"]
    manager, inspector = ours.headers["manager"], ours.headers["inspector"]
    probes = [
        (
            "/api/plans",
            {
                "id": str(t["plan"]),
                "unit_id": str(ours.unit.id),
                "kind": "dk_tilbud",
                "title": "Ours",
                "plan_date": "2026-01-15",
            },
            manager,
            f"/api/plans/{t['plan']}",
        ),
        (
            f"/api/plans/{t['own_plan']}/items",
            _item_fields(t, id=str(t["item"])),
            manager,
            f"/api/items/{t['item']}",
        ),
        (
            f"/api/items/{t['own_item']}/notes",
            {"id": str(t["note"]), "text": "Ours"},
            manager,
            None,
        ),
        (
            "/api/visits",
            {
                "id": str(t["visit"]),
                "unit_id": str(ours.unit.id),
                "visit_date": "2026-03-02",
                "purpose": "ongoing_supervision",
            },
            inspector,
            f"/api/visits/{t['visit']}",
        ),
    ]
    for path, body, headers, read_path in probes:
        created = client.post(path, json=body, headers=headers)
        answer = assert_error(created, 404, "not_found")
        assert "exists" not in answer["message"], path
        if read_path is not None:
            assert answer == client.get(read_path, headers=headers).json, path
    db.session.expire_all()
    assert db.session.get(Plan, t["plan"]).title == "Their plan"
    assert db.session.get(PlanItem, t["item"]).topic == "Their item"
    assert db.session.get(ProgressNote, t["note"]).unit_id != ours.unit.id
    assert db.session.get(Visit, t["visit"]).unit_id != ours.unit.id


def test_an_own_taken_id_still_says_it_exists(client, tenants):
    t = tenants
    response = client.post(
        f"/api/plans/{t['own_plan']}/items",
        json=_item_fields(t, id=str(t["own_item"])),
        headers=t["ours"].headers["manager"],
    )
    assert_error(response, 409, "invalid_state")


def test_sync_push_with_another_organisations_id_answers_as_an_unseen_id(client, tenants):
    t = tenants
    headers = t["ours"].headers["manager"]
    unseen = uuid.uuid4()
    mutations = [
        upsert(1, "plan_items", t["item"], _item_fields(t, plan_id=str(t["own_plan"]))),
        upsert(2, "progress_notes", t["note"], {"item_id": str(t["own_item"]), "text": "Ours"}),
        delete(3, "plan_items", t["item"], 1),
        delete(4, "plan_items", unseen, 1),
        delete(5, "progress_notes", t["note"], 1),
        delete(6, "progress_notes", unseen, 1),
    ]
    response = client.post(
        "/api/sync/push",
        json={"client_id": "our-tablet", "schema_version": 1, "mutations": mutations},
        headers=headers,
    )
    answers = [r.get("error") for r in results(response)]
    assert [r["status"] for r in results(response)] == ["rejected"] * 6
    assert {a["error"] for a in answers} == {"not_found"}
    # A delete of their row reads exactly as a delete of an id nobody has.
    assert answers[2] == answers[3] and answers[4] == answers[5]
    db.session.expire_all()
    item = db.session.get(PlanItem, t["item"])
    assert item.topic == "Their item" and not item.deleted
    assert db.session.query(PlanItem).filter(PlanItem.id == t["item"]).count() == 1
    assert db.session.get(ProgressNote, t["note"]).text == "Undervisning holdt"
