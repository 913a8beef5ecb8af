"""POST /api/sync/pull on both databases: scope, paging, tombstones, resets, errors."""

from __future__ import annotations

from datetime import timedelta

from server import clock
from server.extensions import db
from server.models import Membership
from server.models.versioning import start_new_epoch
from tests.helpers import assert_error


def by_table(changes, table):
    return {c["id"]: c for c in changes if c["table"] == table}


def test_pull_from_scratch_sends_only_rows_of_the_users_units_and_all_catalogues(factory, api):
    mine, theirs = factory.unit(), factory.unit()
    staff = factory.user(("staff", mine))
    my_plan, their_plan = factory.plan(mine), factory.plan(theirs)
    my_item, _ = factory.item(my_plan), factory.item(their_plan)

    changes, _ = api(staff).pull_all()

    assert set(by_table(changes, "units")) == {str(mine.id)}
    assert set(by_table(changes, "plans")) == {str(my_plan.id)}
    assert set(by_table(changes, "plan_items")) == {str(my_item.id)}
    assert by_table(changes, "catalogues") and by_table(changes, "themes")
    item = by_table(changes, "plan_items")[str(my_item.id)]
    assert item["version"] == 1 and item["deleted"] is False
    assert item["fields"]["plan_id"] == str(my_plan.id)
    assert item["fields"]["goal"] == my_item.goal


def test_pull_pages_deliver_every_change_once_and_then_only_new_ones(factory, api):
    unit = factory.unit()
    staff = factory.user(("staff", unit))
    plan = factory.plan(unit)
    items = [factory.item(plan, priority=n + 1) for n in range(7)]
    reader = api(staff)

    pages, cursor, seen = 0, None, []
    while True:
        response = reader.pull(cursor, limit=3)
        assert response.status_code == 200
        assert len(response.json["changes"]) <= 3
        seen += response.json["changes"]
        cursor, pages = response.json["cursor"], pages + 1
        if not response.json["has_more"]:
            break
    ids = [c["id"] for c in seen]
    assert len(ids) == len(set(ids)) and pages > 3
    assert {str(i.id) for i in items} <= set(ids)

    items[0].goal = "Ændret"
    db.session.commit()
    changes, _ = reader.pull_all(cursor)
    assert [(c["table"], c["id"], c["version"]) for c in changes] == [
        ("plan_items", str(items[0].id), 2)
    ]


def test_a_delete_reaches_a_device_that_had_the_row_as_a_tombstone(factory, api):
    unit = factory.unit()
    staff = factory.user(("staff", unit))
    item = factory.item(factory.plan(unit))
    reader = api(staff)
    _, cursor = reader.pull_all()

    item.deleted = True
    db.session.commit()
    changes, _ = reader.pull_all(cursor)

    assert changes == [
        {"table": "plan_items", "id": str(item.id), "version": 2, "deleted": True, "fields": {}}
    ]


def test_a_fresh_device_is_not_sent_tombstones(factory, api):
    unit = factory.unit()
    staff = factory.user(("staff", unit))
    item = factory.item(factory.plan(unit))
    item.deleted = True
    db.session.commit()

    changes, _ = api(staff).pull_all()

    assert str(item.id) not in by_table(changes, "plan_items")


def test_losing_a_unit_removes_its_rows_on_the_next_pull(factory, api):
    kept, lost = factory.unit(), factory.unit()
    staff = factory.user(("staff", kept), ("staff", lost))
    kept_plan, lost_plan = factory.plan(kept), factory.plan(lost)
    lost_item = factory.item(lost_plan)
    reader = api(staff)
    _, cursor = reader.pull_all()

    db.session.query(Membership).filter_by(user_id=staff.id, unit_id=lost.id).delete()
    db.session.commit()
    changes, _ = reader.pull_all(cursor)

    deleted = {(c["table"], c["id"]) for c in changes if c["deleted"]}
    assert {
        ("units", str(lost.id)),
        ("plans", str(lost_plan.id)),
        ("plan_items", str(lost_item.id)),
    } <= deleted
    assert all(c["fields"] == {} for c in changes if c["deleted"])
    assert ("plans", str(kept_plan.id)) not in deleted


def test_being_granted_a_unit_brings_its_existing_rows(factory, api):
    first, granted = factory.unit(), factory.unit()
    staff = factory.user(("staff", first))
    old_plan = factory.plan(granted)
    old_item = factory.item(old_plan)
    reader = api(staff)
    _, cursor = reader.pull_all()

    db.session.add(Membership(user_id=staff.id, unit_id=granted.id, role="staff"))
    db.session.commit()
    changes, cursor = reader.pull_all(cursor, limit=2)

    assert str(old_plan.id) in by_table(changes, "plans")
    assert str(old_item.id) in by_table(changes, "plan_items")
    assert str(granted.id) in by_table(changes, "units")
    # And the feed goes on from there.
    old_item.goal = "Nyt mål"
    db.session.commit()
    changes, _ = reader.pull_all(cursor)
    assert [c["id"] for c in changes] == [str(old_item.id)]


def test_a_cursor_older_than_tombstone_retention_gets_reset_required(
    app, factory, api, monkeypatch
):
    unit = factory.unit()
    staff = factory.user(("staff", unit))
    reader = api(staff)
    _, cursor = reader.pull_all()
    later = clock.now() + timedelta(days=app.config["TOMBSTONE_RETENTION_DAYS"])
    monkeypatch.setattr(clock, "now", lambda: later)
    reader = api(staff)  # the old token has expired too

    body = assert_error(reader.pull(cursor), 410, "reset_required")
    assert body["retention_days"] == app.config["TOMBSTONE_RETENTION_DAYS"]
    assert reader.pull(None).status_code == 200


def test_a_cursor_from_before_a_restore_gets_reset_required(factory, api):
    unit = factory.unit()
    plan = factory.plan(unit)
    reader = api(factory.user(("staff", unit)))
    _, cursor = reader.pull_all()

    start_new_epoch(db.session)  # what `flask restore` does
    db.session.commit()

    body = assert_error(reader.pull(cursor), 410, "reset_required")
    assert body["reason"] == "restored" and "backup" in body["message"]
    changes, fresh = reader.pull_all(None)
    assert str(plan.id) in {c["id"] for c in changes}
    # The new epoch's cursors are good.
    factory.item(plan)
    changes, _ = reader.pull_all(fresh)
    assert [c["table"] for c in changes] == ["plan_items"]


def test_pull_reports_the_clients_last_mutation_id(factory, api, client):
    unit = factory.unit()
    staff = factory.user(("staff", unit))
    plan = factory.plan(unit)
    device = api(staff)
    mutation = {
        "mutation_id": 1,
        "table": "plan_items",
        "id": "6f1d5a52-5d1c-4f43-8a8a-1a4b8d2c0f00",
        "op": "upsert",
        "base_version": None,
        "fields": {"plan_id": str(plan.id), "goal": "Mål"},
    }
    assert device.push([mutation], client_id="tablet").status_code == 200

    assert device.pull(client_id="tablet").json["last_mutation_id"] == 1
    assert device.pull(client_id="new-tablet").json["last_mutation_id"] == 0
    assert device.pull().json["last_mutation_id"] is None


def test_too_old_schema_version_gets_426(factory, api):
    staff = factory.user(("staff", factory.unit()))
    response = api(staff).pull(schema_version=0)
    body = assert_error(response, 426, "upgrade_required")
    assert body["min_schema_version"] == 1


def test_bad_pull_requests_get_the_error_envelope(factory, api, client):
    staff = factory.user(("staff", factory.unit()))
    reader = api(staff)
    assert_error(reader.pull(limit=100_000), 422, "invalid_input", "limit")
    assert_error(reader.pull("garbled"), 422, "invalid_input", "cursor")
    assert_error(reader.pull(schema_version=None), 422, "invalid_input", "schema_version")
    anonymous = client.post("/api/sync/pull", json={"cursor": None, "schema_version": 1})
    assert_error(anonymous, 401, "unauthenticated")


def test_a_poll_with_nothing_new_reads_no_synced_table(factory, api, app):
    """Idle devices poll often: when nothing was committed since their cursor, the pull
    answers from the clock alone (no probe, no feed query)."""

    unit = factory.unit()
    reader = api(factory.user(("staff", unit)))
    factory.item(factory.plan(unit))
    db.session.commit()
    _, cursor = reader.pull_all()

    response, statements = _statements_of(lambda: reader.pull(cursor))
    assert response.status_code == 200
    assert response.json["changes"] == [] and response.json["has_more"] is False
    assert statements and not [s for s in statements if "plan_items" in s or "EXISTS" in s]


def _statements_of(action):
    from sqlalchemy import event

    statements: list[str] = []

    def record(conn, cursor_, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        result = action()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return result, statements


def test_later_pages_ask_only_the_tables_the_first_left_unfinished(factory, api):
    """While nothing new is committed, page two needs no probe of all tables: the cursor
    says which tables may still hold changes. A commit in between makes it probe again, so
    nothing is skipped."""
    unit = factory.unit()
    reader = api(factory.user(("staff", unit)))
    plan = factory.plan(unit)
    items = [factory.item(plan, priority=n + 1) for n in range(6)]
    db.session.commit()

    first = reader.pull(None, limit=4)
    assert first.json["has_more"]
    second, statements = _statements_of(lambda: reader.pull(first.json["cursor"], limit=4))
    assert second.status_code == 200
    assert not [s for s in statements if "EXISTS" in s]
    assert statements and not [s for s in statements if "FROM progress_notes" in s]

    # A change committed now, in a table the cursor did not name: the next page probes again.
    note = factory.note(items[0], factory.user(("staff", unit)))
    db.session.commit()
    changes, _ = reader.pull_all(second.json["cursor"], limit=4)
    assert str(note.id) in {c["id"] for c in changes if c["table"] == "progress_notes"}
