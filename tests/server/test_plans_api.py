"""Plans, items and notes through REST: behaviour, validation and stored state."""

from __future__ import annotations

import uuid

import pytest

from server.extensions import db
from server.models import Plan, PlanItem, ProgressNote
from sync.protocol import SCHEMA_VERSION
from tests.helpers import assert_error, login

NINE_COLUMNS = {
    "theme_id",
    "topic",
    "goal",
    "activities",
    "resources",
    "timeframe_note",
    "documentation",
    "responsible",
    "result",
}


@pytest.fixture
def unit(factory):
    return factory.unit(name="Bofællesskabet Lærkevej")


@pytest.fixture
def manager(factory, unit):
    return factory.user(("manager", unit))


@pytest.fixture
def staff(factory, unit):
    return factory.user(("staff", unit))


@pytest.fixture
def inspector(factory, unit):
    return factory.user(("inspector", unit))


@pytest.fixture
def plan(factory, unit):
    return factory.plan(unit)


def item_body(factory, plan, **overrides):
    body = {
        "theme_id": str(factory.theme(plan, 4).id),
        "topic": "Ledelsen skal sikre, at reglerne for indberetning af magtanvendelser efterleves.",
        "goal": "Ledelse og medarbejdere kender reglerne for magtanvendelse.",
        "activities": "Undervisning fra kommunens jurist.",
        "resources": "Tid afsat til kompetenceløft.",
        "start_date": "2026-06-30",
        "end_date": "2026-09-30",
        "timeframe_note": "Start 30. juni, slut ved udgangen af september",
        "documentation": "Referat fra personalemøde.",
        "responsible": [{"name": "Mette Lund"}],
        "result": "Processen er ikke afsluttet endnu.",
    }
    body.update(overrides)
    return body


def test_manager_creates_each_kind_of_plan_on_a_fitting_unit(client, factory, manager, unit):
    foster = factory.unit(kind="dk_plejefamilie")
    swedish = factory.unit(kind="se_enhet")
    factory.session.add_all([])
    from server.models import Membership

    for u in (foster, swedish):
        db.session.add(Membership(user_id=manager.id, unit_id=u.id, role="manager"))
    db.session.commit()
    headers = login(client, manager)
    cases = [
        (unit, "dk_tilbud", {}),
        (foster, "dk_plejefamilie", {"foster_parents": "Hanne og Ole Berg, Skovvej 1"}),
        (swedish, "se_handlingsplan", {}),
    ]
    for target, kind, extra in cases:
        response = client.post(
            "/api/plans",
            headers=headers,
            json={"unit_id": str(target.id), "kind": kind, "title": "Plan", **extra},
        )
        assert response.status_code == 201, response.json
        assert response.json["state"] == "draft"
        stored = db.session.get(Plan, uuid.UUID(response.json["id"]))
        assert stored.kind == kind and stored.updated_by == manager.id
    foster_plan = db.session.query(Plan).filter_by(kind="dk_plejefamilie").one()
    assert foster_plan.result_label == "status"


def test_plan_kind_must_fit_the_unit(client, manager, unit):
    response = client.post(
        "/api/plans",
        headers=login(client, manager),
        json={"unit_id": str(unit.id), "kind": "se_handlingsplan", "title": "Plan"},
    )
    assert_error(response, 422, "invalid_input", field="kind")
    assert db.session.query(Plan).count() == 0


def test_plan_keeps_the_catalogue_in_force_on_its_date(client, manager, unit):
    headers = login(client, manager)
    old = client.post(
        "/api/plans",
        headers=headers,
        json={
            "unit_id": str(unit.id),
            "kind": "dk_tilbud",
            "title": "Gammel",
            "plan_date": "2021-08-09",
        },
    ).json
    new = client.post(
        "/api/plans",
        headers=headers,
        json={
            "unit_id": str(unit.id),
            "kind": "dk_tilbud",
            "title": "Ny",
            "plan_date": "2026-01-10",
        },
    ).json
    catalogues = {c["id"]: c for c in client.get("/api/catalogues", headers=headers).json}
    assert catalogues[old["catalogue_id"]]["version_label"] == "2014"
    assert catalogues[new["catalogue_id"]]["version_label"] == "2025"
    assert len(catalogues[old["catalogue_id"]]["themes"]) == 8  # seven themes and Økonomi
    assert [t["number"] for t in catalogues[new["catalogue_id"]]["themes"]] == [3, 4, 5, 6, 7, None]


def test_staff_cannot_create_submit_or_approve_plans(client, staff, unit, plan):
    headers = login(client, staff)
    response = client.post(
        "/api/plans",
        headers=headers,
        json={"unit_id": str(unit.id), "kind": "dk_tilbud", "title": "X"},
    )
    assert_error(response, 403, "forbidden")
    for action in ("submit", "approve"):
        assert_error(
            client.post(f"/api/plans/{plan.id}/{action}", headers=headers), 403, "forbidden"
        )
    db.session.refresh(plan)
    assert plan.state == "draft"


def test_plan_lifecycle_keeps_who_and_when(client, manager, plan):
    headers = login(client, manager)
    assert_error(
        client.post(f"/api/plans/{plan.id}/approve", headers=headers), 409, "invalid_state"
    )
    assert client.post(f"/api/plans/{plan.id}/submit", headers=headers).json["state"] == "submitted"
    approved = client.post(f"/api/plans/{plan.id}/approve", headers=headers).json
    assert approved["state"] == "approved"
    assert approved["approved_by"] == str(manager.id) and approved["approved_at"]
    assert (
        client.post(f"/api/plans/{plan.id}/complete", headers=headers).json["state"] == "completed"
    )
    assert client.post(f"/api/plans/{plan.id}/archive", headers=headers).json["state"] == "archived"
    # An archived plan is read-only.
    response = client.patch(f"/api/plans/{plan.id}", headers=headers, json={"title": "Ny"})
    assert_error(response, 409, "invalid_state")


def test_a_manager_reopens_a_completed_plan_and_the_history_keeps_both_steps(
    client, manager, staff, plan
):
    headers = login(client, manager)
    for action in ("submit", "approve", "complete"):
        client.post(f"/api/plans/{plan.id}/{action}", headers=headers)
    assert_error(
        client.post(f"/api/plans/{plan.id}/reopen", headers=login(client, staff)), 403, "forbidden"
    )
    reopened = client.post(f"/api/plans/{plan.id}/reopen", headers=headers).json
    assert reopened["state"] == "approved" and reopened["completed_at"] is None
    db.session.refresh(plan)
    assert plan.state == "approved" and plan.completed_at is None
    # Only a completed plan reopens.
    assert_error(client.post(f"/api/plans/{plan.id}/reopen", headers=headers), 409, "invalid_state")
    history = client.get(f"/api/plans/{plan.id}/history", headers=headers).json
    steps = [e["changes"]["state"] for e in history if "state" in e["changes"]]
    assert steps[-2:] == [["approved", "completed"], ["completed", "approved"]]
    assert history[-1]["user_id"] == str(manager.id)
    # Devices learn it by sync: the pulled plan row is approved again.
    body = {"cursor": None, "schema_version": SCHEMA_VERSION}
    changes = client.post("/api/sync/pull", json=body, headers=headers).json["changes"]
    row = next(c for c in changes if c["table"] == "plans" and c["id"] == str(plan.id))
    assert row["fields"]["state"] == "approved" and row["fields"]["completed_at"] is None


def test_send_back_returns_a_submitted_plan_to_draft(client, manager, plan):
    headers = login(client, manager)
    client.post(f"/api/plans/{plan.id}/submit", headers=headers)
    back = client.post(
        f"/api/plans/{plan.id}/send-back", json={"reason": "Frist mangler."}, headers=headers
    )
    assert back.json["state"] == "draft" and back.json["return_reason"] == "Frist mangler."


def test_staff_writes_an_item_with_all_nine_columns(client, factory, staff, plan):
    headers = login(client, staff)
    response = client.post(
        f"/api/plans/{plan.id}/items", headers=headers, json=item_body(factory, plan)
    )
    assert response.status_code == 201, response.json
    items = client.get(f"/api/plans/{plan.id}/items", headers=headers).json
    assert len(items) == 1
    assert set(items[0]) >= NINE_COLUMNS
    assert items[0]["priority"] == 1
    assert items[0]["responsible"] == [{"name": "Mette Lund", "user_id": None}] or items[0][
        "responsible"
    ] == [{"name": "Mette Lund"}]
    stored = db.session.get(PlanItem, uuid.UUID(items[0]["id"]))
    assert stored.unit_id == plan.unit_id and stored.version == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": "2026-01-01", "start_date": "2026-02-01"}, "end_date"),
        ({"topic": "x" * 10_001}, "topic"),
        ({"priority": 0}, "priority"),
        ({"priority": "first"}, "priority"),
        ({"state": "finished"}, "state"),
        ({"colour": "red"}, "colour"),
        ({"start_date": "30/06/2026"}, "start_date"),
        ({"responsible": [{"name": "A", "user_id": str(uuid.uuid4())}]}, "responsible"),
        ({"responsible": [{"user_id": str(uuid.uuid4())}]}, "responsible"),
        ({"goal": "bad\x00text"}, "goal"),
        ({"theme_id": "not-a-uuid"}, "theme_id"),
    ],
)
def test_bad_item_input_names_the_field_and_stores_nothing(
    client, factory, staff, plan, overrides, field
):
    response = client.post(
        f"/api/plans/{plan.id}/items",
        headers=login(client, staff),
        json=item_body(factory, plan, **overrides),
    )
    assert_error(response, 422, "invalid_input", field=field)
    assert db.session.query(PlanItem).count() == 0


def test_theme_must_come_from_the_plans_catalogue(client, factory, staff, plan):
    other = factory.plan(factory.unit(kind="se_enhet"), kind="se_handlingsplan")
    body = item_body(factory, plan, theme_id=str(factory.theme(other, 2).id))
    response = client.post(f"/api/plans/{plan.id}/items", headers=login(client, staff), json=body)
    assert_error(response, 422, "invalid_input", field="theme_id")


def test_end_date_is_checked_against_the_stored_start_date(client, factory, staff, plan):
    item = factory.item(plan, start_date=__import__("datetime").date(2026, 5, 1))
    response = client.patch(
        f"/api/items/{item.id}", headers=login(client, staff), json={"end_date": "2026-04-01"}
    )
    assert_error(response, 422, "invalid_input", field="end_date")
    db.session.refresh(item)
    assert item.end_date is None and item.version == 1


def test_item_cannot_move_to_another_plan(client, factory, staff, plan, unit):
    item = factory.item(plan)
    other = factory.plan(unit)
    response = client.patch(
        f"/api/items/{item.id}", headers=login(client, staff), json={"plan_id": str(other.id)}
    )
    assert_error(response, 422, "invalid_input", field="plan_id")


def test_partial_update_changes_only_the_fields_sent(client, factory, staff, plan):
    item = factory.item(plan, goal="Gammelt mål")
    response = client.patch(
        f"/api/items/{item.id}", headers=login(client, staff), json={"result": "Delvist nået"}
    )
    assert response.status_code == 200
    db.session.refresh(item)
    assert (item.goal, item.result, item.version) == ("Gammelt mål", "Delvist nået", 2)
    assert item.field_versions["result"] == 2 and item.field_versions["goal"] == 1


def test_responsible_users_must_belong_to_the_unit(client, factory, staff, plan):
    outsider = factory.user(("staff", factory.unit()))
    body = item_body(factory, plan, responsible=[{"user_id": str(outsider.id)}])
    response = client.post(f"/api/plans/{plan.id}/items", headers=login(client, staff), json=body)
    assert_error(response, 422, "invalid_input", field="responsible")
    body = item_body(factory, plan, responsible=[{"user_id": str(staff.id)}, {"name": "Vikar"}])
    response = client.post(f"/api/plans/{plan.id}/items", headers=login(client, staff), json=body)
    assert response.status_code == 201
    assert response.json["responsible"][0]["user_id"] == str(staff.id)


def test_progress_notes_append_and_move_the_item_state(client, factory, staff, plan):
    item = factory.item(plan)
    headers = login(client, staff)
    first = client.post(
        f"/api/items/{item.id}/notes",
        headers=headers,
        json={"text": "Undervisning holdt", "new_state": "in_progress"},
    )
    assert first.status_code == 201, first.json
    assert first.json["author_id"] == str(staff.id)
    client.post(
        f"/api/items/{item.id}/notes", headers=headers, json={"text": "Rettelse: holdt 2. maj"}
    )
    notes = client.get(f"/api/items/{item.id}/notes", headers=headers).json
    assert [n["text"] for n in notes] == ["Undervisning holdt", "Rettelse: holdt 2. maj"]
    db.session.refresh(item)
    assert item.state == "in_progress"
    # Notes are append-only: there is no way to edit or delete one.
    note_id = notes[0]["id"]
    assert (
        client.patch(
            f"/api/items/{item.id}/notes", headers=headers, json={"id": note_id}
        ).status_code
        == 405
    )
    assert db.session.query(ProgressNote).count() == 2


def test_empty_note_is_refused(client, factory, staff, plan):
    item = factory.item(plan)
    response = client.post(
        f"/api/items/{item.id}/notes", headers=login(client, staff), json={"text": ""}
    )
    assert_error(response, 422, "invalid_input", field="text")


def test_manager_reorders_priorities(client, factory, manager, plan):
    first, second, third = (factory.item(plan, priority=p) for p in (1, 2, 3))
    headers = login(client, manager)
    order = [str(third.id), str(first.id), str(second.id)]
    response = client.post(
        f"/api/plans/{plan.id}/reorder", headers=headers, json={"item_ids": order}
    )
    assert response.status_code == 200
    listed = client.get(f"/api/plans/{plan.id}/items", headers=headers).json
    assert [i["id"] for i in listed] == order
    assert [i["priority"] for i in listed] == [1, 2, 3]
    response = client.post(
        f"/api/plans/{plan.id}/reorder", headers=headers, json={"item_ids": order[:2]}
    )
    assert_error(response, 422, "invalid_input", field="item_ids")


def test_changes_after_approval_show_in_the_history(client, factory, manager, staff, plan):
    item = factory.item(plan)
    headers = login(client, manager)
    client.post(f"/api/plans/{plan.id}/submit", headers=headers)
    client.post(f"/api/plans/{plan.id}/approve", headers=headers)
    client.patch(f"/api/items/{item.id}", headers=login(client, staff), json={"result": "Nået"})
    history = client.get(f"/api/plans/{plan.id}/history", headers=headers).json
    late = [e for e in history if e["after_approval"]]
    assert len(late) == 1
    assert late[0]["table_name"] == "plan_items"
    assert late[0]["changes"] == {"result": [None, "Nået"]}
    assert late[0]["user_id"] == str(staff.id) and late[0]["via"] == "rest"


def test_inspector_reads_but_cannot_write(client, factory, inspector, plan):
    item = factory.item(plan)
    headers = login(client, inspector)
    assert client.get(f"/api/plans/{plan.id}/items", headers=headers).status_code == 200
    assert_error(
        client.patch(f"/api/items/{item.id}", headers=headers, json={"goal": "x"}), 403, "forbidden"
    )
    assert_error(
        client.post(f"/api/items/{item.id}/notes", headers=headers, json={"text": "x"}),
        403,
        "forbidden",
    )


def test_only_drafts_are_deleted_and_deletes_are_tombstones(client, factory, manager, plan):
    item = factory.item(plan)
    headers = login(client, manager)
    assert client.delete(f"/api/plans/{plan.id}", headers=headers).status_code == 204
    db.session.refresh(plan)
    db.session.refresh(item)
    assert plan.deleted and item.deleted
    assert_error(client.get(f"/api/plans/{plan.id}", headers=headers), 404, "not_found")


def test_client_generated_ids_are_kept(client, factory, staff, plan):
    item_id = str(uuid.uuid4())
    body = item_body(factory, plan, id=item_id)
    response = client.post(f"/api/plans/{plan.id}/items", headers=login(client, staff), json=body)
    assert response.json["id"] == item_id
    again = client.post(f"/api/plans/{plan.id}/items", headers=login(client, staff), json=body)
    assert_error(again, 409, "invalid_state")


def test_filters_on_plan_list(client, factory, manager, unit, plan):
    factory.plan(unit, title="Anden plan", state="approved")
    headers = login(client, manager)
    assert len(client.get("/api/plans", headers=headers).json) == 2
    approved = client.get("/api/plans?state=approved", headers=headers).json
    assert [p["title"] for p in approved] == ["Anden plan"]
    assert_error(
        client.get("/api/plans?state=nonsense", headers=headers),
        422,
        "invalid_input",
        field="state",
    )


def test_an_inspection_date_after_the_stored_plan_date_is_refused(client, factory, unit, manager):
    # The rule across fields runs on the plan as it would be, not on the sent fields alone.
    plan = factory.plan(unit)  # plan_date 2026-01-15
    response = client.patch(
        f"/api/plans/{plan.id}",
        headers=login(client, manager),
        json={"inspection_date": "2026-02-01"},
    )
    assert_error(response, 422, "invalid_input", field="inspection_date")
