"""POST /api/sync/push on both databases: statuses, conflicts, idempotency, limits."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from server.extensions import db
from server.models import (
    AuditEvent,
    Conflict,
    Notification,
    PlanItem,
    ProgressNote,
    SyncMutationResult,
)
from server.models.versioning import to_json_value
from server.models.write_order import ORGANISATION_LOCKS, organisation_key
from tests.helpers import assert_error


def upsert(mutation_id, table, row_id, fields, base_version=None, base=None):
    mutation = {
        "mutation_id": mutation_id,
        "table": table,
        "id": str(row_id),
        "op": "upsert",
        "base_version": base_version,
        "fields": fields,
    }
    if base is not None:
        mutation["base"] = base
    return mutation


def delete(mutation_id, table, row_id, base_version):
    return {
        "mutation_id": mutation_id,
        "table": table,
        "id": str(row_id),
        "op": "delete",
        "base_version": base_version,
    }


@pytest.fixture
def team(factory):
    """A unit with a manager and two staff members, a plan and one item."""
    unit = factory.unit()
    plan = factory.plan(unit)
    return {
        "unit": unit,
        "plan": plan,
        "item": factory.item(plan),
        "manager": factory.user(("manager", unit)),
        "anna": factory.user(("staff", unit)),
        "bo": factory.user(("staff", unit)),
    }


def results(response):
    assert response.status_code == 200, response.get_json()
    return response.json["results"]


def reload(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def test_create_then_update_from_current_version_are_applied(team, api):
    anna = api(team["anna"])
    new_id = uuid.uuid4()
    [created] = results(
        anna.push([upsert(1, "plan_items", new_id, {"plan_id": str(team["plan"].id), "goal": "A"})])
    )
    assert created == {"mutation_id": 1, "status": "applied", "version": 1}
    [updated] = results(
        anna.push([upsert(2, "plan_items", new_id, {"goal": "B"}, 1, {"goal": "A"})])
    )
    assert updated["status"] == "applied" and updated["version"] == 2
    item = reload(PlanItem, new_id)
    assert (
        item.goal == "B" and item.unit_id == team["unit"].id and item.updated_by == team["anna"].id
    )


def test_edits_of_different_fields_merge(team, api):
    item = team["item"]
    [first] = results(
        api(team["anna"]).push([upsert(1, "plan_items", item.id, {"goal": "Annas"}, 1)])
    )
    [second] = results(
        api(team["bo"]).push([upsert(1, "plan_items", item.id, {"result": "Bos"}, 1)])
    )
    assert first["status"] == "applied"
    assert second["status"] == "merged" and second["version"] == 3
    assert second["row"]["fields"]["goal"] == "Annas" and second["row"]["fields"]["result"] == "Bos"
    item = reload(PlanItem, item.id)
    assert (item.goal, item.result) == ("Annas", "Bos")


def test_same_field_edits_conflict_keep_the_server_value_and_record_both(team, api):
    item, original = team["item"], team["item"].goal
    results(api(team["anna"]).push([upsert(1, "plan_items", item.id, {"goal": "Annas"}, 1)]))
    [result] = results(
        api(team["bo"]).push(
            [
                upsert(
                    1, "plan_items", item.id, {"goal": "Bos", "result": "R"}, 1, {"goal": original}
                )
            ],
            client_id="bos-phone",
        )
    )
    assert result["status"] == "conflict"
    assert result["row"]["fields"]["goal"] == "Annas" and result["row"]["fields"]["result"] == "R"
    [reported] = result["conflicts"]
    assert (reported["field"], reported["server_value"], reported["client_value"]) == (
        "goal",
        "Annas",
        "Bos",
    )
    conflict = reload(Conflict, uuid.UUID(reported["id"]))
    assert conflict.kind == "edit_edit" and conflict.status == "open"
    assert conflict.base_value == original and conflict.base_version == 1
    assert conflict.server_user_id == team["anna"].id and conflict.user_id == team["bo"].id
    # When Anna's value was written: the audit event of that version, before the conflict.
    anna_wrote = db.session.scalar(
        select(AuditEvent.at).where(
            AuditEvent.row_id == item.id, AuditEvent.user_id == team["anna"].id
        )
    )
    assert conflict.server_changed_at == anna_wrote and anna_wrote <= conflict.detected_at
    assert conflict.client_id == "bos-phone" and conflict.unit_id == team["unit"].id
    assert reload(PlanItem, item.id).goal == "Annas"


def test_conflicts_sync_to_involved_users_and_managers_only(team, factory, api):
    item = team["item"]
    carl = factory.user(("staff", team["unit"]))
    results(api(team["anna"]).push([upsert(1, "plan_items", item.id, {"goal": "Annas"}, 1)]))
    [result] = results(api(team["bo"]).push([upsert(1, "plan_items", item.id, {"goal": "Bos"}, 1)]))
    conflict_id = result["conflicts"][0]["id"]

    def sees(user):
        changes, _ = api(user).pull_all()
        return conflict_id in {c["id"] for c in changes if c["table"] == "conflicts"}

    assert sees(team["anna"]) and sees(team["bo"]) and sees(team["manager"])
    assert not sees(carl)


def test_delete_wins_over_an_edit_and_keeps_the_edit(team, api):
    item = team["item"]
    results(api(team["anna"]).push([delete(1, "plan_items", item.id, 1)]))
    [result] = results(api(team["bo"]).push([upsert(1, "plan_items", item.id, {"goal": "Bos"}, 1)]))
    assert result["status"] == "conflict"
    assert result["row"] == {"version": 2, "deleted": True, "fields": {}}
    conflict = reload(Conflict, uuid.UUID(result["conflicts"][0]["id"]))
    assert conflict.kind == "delete_edit" and conflict.client_value == {"goal": "Bos"}
    assert reload(PlanItem, item.id).deleted


def test_a_delete_over_newer_edits_wins_and_records_them(team, api):
    item = team["item"]
    results(api(team["anna"]).push([upsert(1, "plan_items", item.id, {"goal": "Annas"}, 1)]))
    [result] = results(api(team["bo"]).push([delete(1, "plan_items", item.id, 1)]))
    assert result["status"] == "conflict" and result["row"]["deleted"] is True
    conflict = reload(Conflict, uuid.UUID(result["conflicts"][0]["id"]))
    assert conflict.kind == "delete_edit" and conflict.server_value == {"goal": "Annas"}


def test_a_create_whose_id_exists_is_an_update(team, api):
    item = team["item"]
    [result] = results(
        api(team["anna"]).push(
            [upsert(1, "plan_items", item.id, {"plan_id": str(team["plan"].id), "goal": item.goal})]
        )
    )
    assert result["status"] == "applied" and result["version"] == 1


@pytest.mark.parametrize("base_version", [None, 1], ids=["no-base", "base"])
def test_moving_an_item_to_another_plan_is_refused_whatever_the_base(
    team, factory, api, base_version
):
    # Without a base every differing field looks changed on both sides; an immutable field
    # must still be refused, not parked in a conflict nobody can resolve.
    item, other_plan = team["item"], factory.plan(team["unit"])
    [result] = results(
        api(team["anna"]).push(
            [upsert(1, "plan_items", item.id, {"plan_id": str(other_plan.id)}, base_version)]
        )
    )
    assert result["status"] == "rejected"
    assert result["error"]["fields"] == {"plan_id": ["Cannot be changed once the row exists."]}
    assert reload(PlanItem, item.id).plan_id == team["plan"].id
    assert db.session.query(Conflict).count() == 0


def test_progress_notes_are_append_only_and_never_conflict(team, api):
    anna, note_id = api(team["anna"]), uuid.uuid4()
    note = {
        "item_id": str(team["item"].id),
        "text": "Undervisning holdt",
        "new_state": "in_progress",
    }
    first, again, removal = results(
        anna.push(
            [
                upsert(1, "progress_notes", note_id, note),
                upsert(2, "progress_notes", note_id, {**note, "text": "Anden tekst"}),
                delete(3, "progress_notes", note_id, 1),
            ]
        )
    )
    assert first["status"] == "applied"
    assert again["status"] == "duplicate"
    assert removal["status"] == "rejected" and removal["error"]["error"] == "invalid_state"
    assert reload(ProgressNote, note_id).text == "Undervisning holdt"
    assert reload(PlanItem, team["item"].id).state == "in_progress"
    assert db.session.query(Conflict).count() == 0


def test_one_bad_mutation_is_rejected_and_the_others_go_through(team, api):
    plan_id = str(team["plan"].id)
    ok_before, bad_value, unknown, server_field, forbidden, read_only, ok_after = results(
        api(team["anna"]).push(
            [
                upsert(1, "plan_items", uuid.uuid4(), {"plan_id": plan_id, "goal": "1"}),
                upsert(2, "plan_items", uuid.uuid4(), {"plan_id": plan_id, "priority": "high"}),
                upsert(3, "plan_items", uuid.uuid4(), {"plan_id": plan_id, "colour": "red"}),
                upsert(4, "plan_items", team["item"].id, {"unit_id": plan_id}, 1),
                upsert(5, "plans", team["plan"].id, {"title": "Staff may not"}, 1),
                upsert(6, "themes", uuid.uuid4(), {"name": "New theme"}),
                upsert(7, "plan_items", uuid.uuid4(), {"plan_id": plan_id, "goal": "7"}),
            ]
        )
    )
    assert ok_before["status"] == ok_after["status"] == "applied"
    assert bad_value["status"] == "rejected" and "priority" in bad_value["error"]["fields"]
    assert unknown["error"]["error"] == "invalid_input" and "colour" in unknown["error"]["fields"]
    assert server_field["error"]["fields"] == {"unit_id": ["Set by the server."]}
    assert forbidden["error"]["error"] == "forbidden"
    assert read_only["error"]["error"] == "forbidden"
    assert db.session.query(PlanItem).count() == 3


def test_a_retried_batch_applies_nothing_twice_and_returns_the_stored_results(team, api):
    anna, item = api(team["anna"]), team["item"]
    batch = [
        upsert(1, "plan_items", uuid.uuid4(), {"plan_id": str(team["plan"].id), "goal": "Ny"}),
        upsert(2, "plan_items", item.id, {"goal": "Annas"}, 1),
        upsert(3, "plan_items", item.id, {"priority": 0}, 2),
    ]
    first = results(anna.push(batch))
    again = results(anna.push(batch + [upsert(4, "plan_items", item.id, {"result": "R"}, 2)]))

    assert [r["status"] for r in first] == ["applied", "applied", "rejected"]
    assert [r["status"] for r in again] == ["duplicate", "duplicate", "duplicate", "applied"]
    assert [r.get("original_status") for r in again[:3]] == ["applied", "applied", "rejected"]
    assert again[2]["error"] == first[2]["error"]
    assert db.session.query(PlanItem).count() == 2
    assert reload(PlanItem, item.id).version == 3
    # One stored row per push, holding the answers to its new mutations.
    stored = db.session.scalars(db.select(SyncMutationResult)).all()
    assert sorted((r.first_mutation_id, r.mutation_id) for r in stored) == [(1, 3), (4, 4)]


def test_a_gap_in_mutation_ids_is_refused_and_changes_nothing(team, api):
    anna = api(team["anna"])
    results(anna.push([upsert(1, "plan_items", team["item"].id, {"goal": "1"}, 1)]))
    response = anna.push([upsert(3, "plan_items", team["item"].id, {"goal": "3"}, 2)])
    body = assert_error(response, 409, "mutation_gap")
    assert body["expected_mutation_id"] == 2 and body["last_mutation_id"] == 1
    assert reload(PlanItem, team["item"].id).goal == "1"


def test_a_client_id_belongs_to_one_user(team, api):
    results(api(team["anna"]).push([], client_id="shared-tablet"))
    assert_error(api(team["bo"]).push([], client_id="shared-tablet"), 403, "forbidden")


def test_push_limits_answer_413(app, team, api, monkeypatch):
    anna = api(team["anna"])
    monkeypatch.setitem(app.config, "SYNC_MAX_MUTATIONS", 2)
    many = [upsert(n, "plan_items", team["item"].id, {"goal": str(n)}, 1) for n in (1, 2, 3)]
    body = assert_error(anna.push(many), 413, "too_large")
    assert body["max_mutations"] == 2
    monkeypatch.setitem(app.config, "SYNC_MAX_PUSH_BYTES", 1000)
    huge = [upsert(1, "plan_items", team["item"].id, {"goal": "x" * 2000}, 1)]
    assert_error(anna.push(huge), 413, "too_large")


def test_resolving_a_conflict_with_the_client_value_is_a_versioned_change(team, api):
    item = team["item"]
    results(api(team["anna"]).push([upsert(1, "plan_items", item.id, {"goal": "Annas"}, 1)]))
    [result] = results(api(team["bo"]).push([upsert(1, "plan_items", item.id, {"goal": "Bos"}, 1)]))
    conflict_id = result["conflicts"][0]["id"]

    [resolved] = results(
        api(team["bo"]).push(
            [upsert(2, "conflicts", conflict_id, {"status": "resolved", "resolution": "client"}, 1)]
        )
    )
    assert resolved["status"] == "applied" and resolved["version"] == 2
    conflict = reload(Conflict, uuid.UUID(conflict_id))
    assert (conflict.status, conflict.resolution, conflict.resolved_by) == (
        "resolved",
        "client",
        team["bo"].id,
    )
    item = reload(PlanItem, item.id)
    assert item.goal == "Bos" and item.version == 3
    # Resolving twice is refused; the first resolution stands.
    [twice] = results(
        api(team["anna"]).push(
            [upsert(2, "conflicts", conflict_id, {"status": "resolved", "resolution": "server"}, 1)]
        )
    )
    assert twice["status"] == "rejected" and twice["error"]["error"] == "invalid_state"


def test_resolve_endpoint_takes_a_custom_value_and_refuses_uninvolved_staff(
    team, factory, api, client
):
    from tests.helpers import login

    item = team["item"]
    results(api(team["anna"]).push([upsert(1, "plan_items", item.id, {"goal": "Annas"}, 1)]))
    [result] = results(api(team["bo"]).push([upsert(1, "plan_items", item.id, {"goal": "Bos"}, 1)]))
    url = f"/api/sync/conflicts/{result['conflicts'][0]['id']}/resolve"
    carl = factory.user(("staff", team["unit"]))

    refused = client.post(url, json={"resolution": "server"}, headers=login(client, carl))
    assert_error(refused, 404, "not_found")
    response = client.post(
        url,
        json={"resolution": "custom", "resolved_value": "Fælles mål"},
        headers=login(client, team["manager"]),
    )
    assert response.status_code == 200, response.json
    assert response.json["status"] == "resolved"
    assert reload(PlanItem, item.id).goal == "Fælles mål"


def test_rows_of_units_the_user_cannot_see_are_not_found(team, factory, api):
    other = factory.unit()
    hidden = factory.item(factory.plan(other))
    [edit, removal] = results(
        api(team["anna"]).push(
            [
                upsert(1, "plan_items", hidden.id, {"goal": "x"}, 1),
                delete(2, "plan_items", hidden.id, 1),
            ]
        )
    )
    assert edit["error"]["error"] == removal["error"]["error"] == "not_found"
    assert reload(PlanItem, hidden.id).goal != "x"


def test_push_with_a_too_old_schema_version_gets_426_and_changes_nothing(team, api):
    response = api(team["anna"]).push(
        [upsert(1, "plan_items", team["item"].id, {"goal": "x"}, 1)], schema_version=0
    )
    assert_error(response, 426, "upgrade_required")
    assert reload(PlanItem, team["item"].id).goal != "x"


def test_a_batch_mixing_bulk_creates_with_later_steps_on_them_applies_in_order(team, api):
    """Creates with a priority are inserted together; a later edit, note or create in the
    same batch that depends on them must see them exactly as if made one by one."""
    anna = api(team["anna"])
    plan_id = str(team["plan"].id)
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    note_id = uuid.uuid4()
    batch = [
        upsert(1, "plan_items", first, {"plan_id": plan_id, "priority": 5, "goal": "A"}),
        upsert(2, "plan_items", second, {"plan_id": plan_id, "priority": 6, "goal": "B"}),
        upsert(3, "plan_items", first, {"goal": "A2"}, 1, {"goal": "A"}),
        upsert(4, "progress_notes", note_id, {"item_id": str(second), "text": "Begun"}),
        # No priority: the next free one, counted with the items above.
        upsert(5, "plan_items", third, {"plan_id": plan_id, "goal": "C"}),
    ]
    statuses = [(r["status"], r["version"]) for r in results(anna.push(batch))]
    assert statuses == [("applied", 1), ("applied", 1), ("applied", 2), ("applied", 1)] + [
        ("applied", 1)
    ]

    db.session.expire_all()
    assert reload(PlanItem, first).goal == "A2" and reload(PlanItem, first).version == 2
    assert reload(ProgressNote, note_id).item_id == second
    assert reload(PlanItem, third).priority == 7
    created = reload(PlanItem, second)
    assert (created.updated_by, created.field_versions["goal"]) == (team["anna"].id, 1)
    # Every change has its own sequence number and an audit event, as on the one-by-one path.
    seqs = [reload(PlanItem, i).seq for i in (first, second, third)]
    assert len(set(seqs)) == 3
    events = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.row_id.in_([first, second, third]))
    ).all()
    assert sorted((e.action, e.version) for e in events) == [
        ("create", 1),
        ("create", 1),
        ("create", 1),
        ("update", 2),
    ]
    assert {e.via for e in events} == {"sync"}
    assert all(e.plan_id == team["plan"].id for e in events)


def test_a_bulk_create_is_audited_with_the_values_the_row_was_created_with(team, api):
    """On PostgreSQL the database writes these audit events itself; they must hold what the
    one-by-one path records: every sync field as [None, its value in JSON form]."""
    item_id = uuid.uuid4()
    fields = {
        "plan_id": str(team["plan"].id),
        "priority": 4,
        "goal": 'Mål med "citat", \\ og\nlinjeskift æøå',
        "start_date": "2026-03-01",
        "ongoing": True,
    }
    [created] = results(api(team["anna"]).push([upsert(1, "plan_items", item_id, fields)]))
    assert created["status"] == "applied"

    db.session.expire_all()
    item = reload(PlanItem, item_id)
    [event] = db.session.scalars(db.select(AuditEvent).where(AuditEvent.row_id == item_id))
    expected = {f: [None, to_json_value(getattr(item, f))] for f in PlanItem.sync_fields}
    assert event.changes == expected
    assert event.changes["goal"] == [None, fields["goal"]]
    assert event.changes["start_date"] == [None, "2026-03-01"]
    assert (event.action, event.version, event.via) == ("create", 1, "sync")
    assert (event.user_id, event.plan_id, event.unit_id) == (
        team["anna"].id,
        team["plan"].id,
        team["unit"].id,
    )
    assert event.at == item.updated_at


def test_a_bulk_create_that_names_someone_still_notifies_them(team, api):
    anna = api(team["anna"])
    item_id = uuid.uuid4()
    fields = {
        "plan_id": str(team["plan"].id),
        "priority": 3,
        "responsible": [{"user_id": str(team["bo"].id)}],
    }
    [created] = results(anna.push([upsert(1, "plan_items", item_id, fields)]))
    assert created["status"] == "applied"
    queued = db.session.scalars(
        db.select(Notification).where(Notification.item_id == item_id)
    ).all()
    assert [(n.user_id, n.kind) for n in queued] == [(team["bo"].id, "assigned")]


def test_a_push_checks_its_batch_before_it_takes_the_clock(team, api, monkeypatch):
    """The clock serialises every writer, so what a push can do without it (the items'
    schema checks) must not hold it: another push writes meanwhile."""
    from server.services.sync import push as sync_push

    clock_was_free = []
    check = sync_push.check_new_items
    organisation_id = team["unit"].organisation_id

    def check_while_another_writer_takes_the_clock(mutations):
        with db.engine.connect() as other:
            if db.engine.dialect.name == "postgresql":
                # The clock there is the organisation's lock (server/models/write_order.py).
                key = organisation_key(organisation_id)
                free = other.execute(
                    text("SELECT pg_try_advisory_xact_lock(:space, :key)"),
                    {"space": ORGANISATION_LOCKS, "key": key},
                ).scalar_one()
                clock_was_free.append(free)
                other.rollback()
                return check(mutations)
            other.exec_driver_sql("PRAGMA busy_timeout=0")
            statement = "UPDATE sync_clock SET value = value WHERE id = 1"
            try:
                other.exec_driver_sql(statement)
                clock_was_free.append(True)
            except OperationalError:
                clock_was_free.append(False)
            other.rollback()
        return check(mutations)

    monkeypatch.setattr(sync_push, "check_new_items", check_while_another_writer_takes_the_clock)
    fields = {"plan_id": str(team["plan"].id), "priority": 2, "goal": "Ny"}
    [created] = results(api(team["anna"]).push([upsert(1, "plan_items", uuid.uuid4(), fields)]))
    assert created["status"] == "applied"
    assert clock_was_free == [True]


def test_answers_stored_one_per_row_before_0008_are_still_returned(team, api):
    """Rows written before migration 0008 hold one answer each."""
    anna, item = api(team["anna"]), team["item"]
    batch = [upsert(1, "plan_items", item.id, {"goal": "Annas"}, 1)]
    [first] = results(anna.push(batch))
    db.session.execute(db.delete(SyncMutationResult))
    db.session.add(
        SyncMutationResult(
            client_id=anna.client_id,
            mutation_id=1,
            first_mutation_id=None,
            result=first,
            created_at=reload(PlanItem, item.id).updated_at,
        )
    )
    db.session.commit()
    [again] = results(anna.push(batch))
    assert again == {**first, "status": "duplicate", "original_status": "applied"}
