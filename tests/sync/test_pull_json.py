"""On PostgreSQL a pull page's changes are written as JSON by the database. They must carry
exactly the values the Python path (and so SQLite) gives: every synced table, every kind of
column (dates, timestamps with microseconds, with a trailing zero and without, UUIDs, JSON
lists, nulls, booleans, tombstones)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from server.extensions import db
from server.services.access import load_principal
from server.services.sync import pull as sync_pull
from server.services.sync import scope_of
from sync.protocol import Cursor


@pytest.fixture
def rows(factory):
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    plan = factory.plan(
        unit,
        inspection_date=date(2025, 12, 1),
        submitted_at=datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC),  # no microseconds
        approved_at=datetime(2026, 2, 4, 4, 5, 6, 789, tzinfo=UTC),
        # isoformat writes ".579240"; PostgreSQL's to_json would write ".57924"
        completed_at=datetime(2026, 2, 5, 4, 5, 6, 579240, tzinfo=UTC),
        approved_by=manager.id,
    )
    item = factory.item(
        plan,
        responsible=[{"user_id": str(manager.id)}, {"name": "Vikar Ø"}],
        start_date=date(2026, 3, 1),
        ongoing=True,
        result=None,
    )
    factory.item(plan, priority=2, topic='Citat "med" \\ og æøå\nlinjeskift')
    gone = factory.item(plan, priority=3)
    gone.deleted = True
    factory.note(item, manager, text="Første note")
    db.session.commit()
    return manager


def _pull_both_ways(user) -> tuple[list[dict], list[dict]]:
    principal = load_principal(db.session, user.id)

    def page(in_database: bool) -> list[dict]:
        reader = sync_pull._Reader(db.session, principal, scope_of(principal))
        reader.json_in_database = in_database
        changes, _ = reader.feed(Cursor(seq=0, issued_at=0), high=10**12, limit=10_000)
        db.session.rollback()
        parsed = [json.loads(c) if isinstance(c, str) else c for c in changes]
        # Each path was really taken (conflicts always come from Python).
        assert all(
            isinstance(raw, str) == in_database
            for raw, change in zip(changes, parsed, strict=True)
            if change["table"] != "conflicts"
        )
        return parsed

    return page(True), page(False)


def test_changes_built_by_postgresql_equal_the_python_ones(app, backend, rows):
    if backend != "postgresql":
        pytest.skip("the database writes the JSON on PostgreSQL only")
    # A server or role set to local time must not change the timestamps' form.
    db.session.connection().exec_driver_sql("SET SESSION TimeZone = 'Europe/Copenhagen'")
    try:
        from_database, from_python = _pull_both_ways(rows)
    finally:
        db.session.connection().exec_driver_sql("RESET TimeZone")
    assert len(from_database) > 20  # catalogue rows, the unit, the plan, items, the note
    assert {c["table"] for c in from_database} >= {
        "units",
        "catalogues",
        "themes",
        "criteria",
        "plans",
        "plan_items",
        "progress_notes",
    }
    by_row = {(c["table"], c["id"]): c for c in from_python}
    differing = [(c, by_row.get((c["table"], c["id"]))) for c in from_database]
    assert [pair for pair in differing if pair[0] != pair[1]] == []
    assert [(c["table"], c["id"]) for c in from_database] == list(by_row)
