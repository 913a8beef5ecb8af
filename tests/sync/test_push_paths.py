"""The bulk path of a push (server/services/sync/batch.py) changes nothing but its speed.

For random batches of creates, edits (with current and stale bases), deletes, notes, invalid
mutations and edits of which one field is refused (``partial``), the push as the server runs it
(checks before the clock, rows loaded up front, creates inserted together, no savepoints until
something fails) and the same batch applied one mutation at a time, each in its own savepoint,
leave the same rows, audit events, conflicts and results. Both run in one transaction that is
rolled back, on a fixed clock.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from server import clock
from server.extensions import db
from server.models import AuditEvent, Conflict, PlanItem, ProgressNote
from server.services.access import load_principal
from server.services.sync import push as sync_push
from server.services.sync import row_fields

FIXED_NOW = datetime.datetime(2026, 3, 4, 9, 30, tzinfo=datetime.UTC)
EXISTING = 3  # items the plan has before the batch

HALF_BAD = (
    {"end_date": "2026-01-01"},  # before the items' start date
    {"start_date": "2026-05-01", "end_date": "2026-04-01"},
    {"activities": "x" * 10_001},
    {"theme_id": "6d1f7f55-2b3a-4c11-9a51-0f5e3f0a1b2c"},  # not of the plan's catalogue
    {"priority": 0},
)
texts = st.sampled_from(["Alle kender reglerne", "Ny praksis", "", "x" * 10_001, None])
responsible = st.sampled_from([None, [], [{"name": "Birgit"}]])
steps = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.uuids(), texts, st.sampled_from([None, 7, 1]), responsible),
        st.tuples(st.just("edit"), st.integers(0, 20), texts, st.booleans()),
        st.tuples(st.just("delete"), st.integers(0, 20), st.booleans()),
        st.tuples(st.just("note"), st.uuids(), st.integers(0, 20), texts),
        st.tuples(st.just("bad"), st.integers(0, 20)),
        # An edit of which one field is refused (by its schema, by a rule across fields on
        # the stored row, or by the service): the rest applied, "partial".
        st.tuples(st.just("half"), st.integers(0, 20), texts, st.sampled_from(HALF_BAD)),
    ),
    min_size=1,
    max_size=12,
)


def batch_of(plan_id: uuid.UUID, items: list[PlanItem], steps: list[tuple]) -> list[dict]:
    """Mutations of one device: ids from 1, edits of existing rows or rows it made before."""
    known = [(item.id, item.version) for item in items]
    mutations: list[dict[str, Any]] = []
    for step in steps:
        mutation: dict[str, Any] = {"mutation_id": len(mutations) + 1}
        kind = step[0]
        if kind == "create":
            _, new_id, goal, priority, people = step
            fields: dict[str, Any] = {"plan_id": str(plan_id), "goal": goal}
            if priority is not None:
                fields["priority"] = priority
            if people is not None:
                fields["responsible"] = people
            mutation |= {"table": "plan_items", "id": str(new_id), "op": "upsert"}
            mutation |= {"base_version": None, "fields": fields}
            known.append((new_id, None))
        elif kind == "edit":
            _, nth, goal, stale = step
            row_id, version = known[nth % len(known)]
            base = None if version is None else (version - 1 if stale else version)
            mutation |= {"table": "plan_items", "id": str(row_id), "op": "upsert"}
            mutation |= {"base_version": base, "fields": {"goal": goal}}
            if version is not None:
                mutation["base"] = {"goal": "Alle kender reglerne"}
        elif kind == "delete":
            _, nth, stale = step
            row_id, version = known[nth % len(known)]
            base = None if version is None else (version - 1 if stale else version)
            mutation |= {"table": "plan_items", "id": str(row_id), "op": "delete"}
            mutation |= {"base_version": base}
        elif kind == "note":
            _, note_id, nth, text = step
            row_id, _version = known[nth % len(known)]
            mutation |= {"table": "progress_notes", "id": str(note_id), "op": "upsert"}
            mutation |= {"fields": {"item_id": str(row_id), "text": text}}
        elif kind == "half":
            _, nth, goal, bad = step
            row_id, version = known[nth % len(known)]
            mutation |= {"table": "plan_items", "id": str(row_id), "op": "upsert"}
            mutation |= {"base_version": version, "fields": {"goal": goal, **bad}}
        else:
            row_id, _version = known[step[1] % len(known)]
            mutation |= {"table": "plan_items", "id": str(row_id), "op": "upsert"}
            mutation |= {"fields": {"unit_id": str(uuid.uuid4())}}  # set by the server
        mutations.append(mutation)
    return mutations


def state_of(plan_id: uuid.UUID, unit_id: uuid.UUID, results: list[dict]) -> dict[str, Any]:
    """What a push leaves, without the ids and times that are new on every run."""
    session = db.session
    items = session.scalars(select(PlanItem).where(PlanItem.plan_id == plan_id)).all()
    notes = session.scalars(select(ProgressNote).where(ProgressNote.plan_id == plan_id)).all()
    events = session.scalars(select(AuditEvent).where(AuditEvent.unit_id == unit_id)).all()
    conflicts = session.scalars(select(Conflict).where(Conflict.unit_id == unit_id)).all()
    return {
        "items": sorted(
            (str(i.id), i.version, i.deleted, i.field_versions, row_fields(i)) for i in items
        ),
        "notes": sorted((str(n.id), n.version, repr(row_fields(n))) for n in notes),
        "audit": sorted(
            # A conflict's id is new on every run.
            repr((e.table_name, _stable(e), e.action, e.version, e.changes, e.via))
            for e in events
        ),
        "conflicts": sorted(
            repr(
                (
                    c.table_name,
                    str(c.row_id),
                    c.field,
                    c.kind,
                    c.base_version,
                    c.server_value,
                    c.client_value,
                    c.server_version,
                )
            )
            for c in conflicts
        ),
        "results": [
            {**r, "conflicts": [{**c, "id": None} for c in r.get("conflicts", [])]} for r in results
        ],
    }


def _stable(event: AuditEvent) -> str:
    return "a conflict" if event.table_name == "conflicts" else str(event.row_id)


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_the_bulk_path_leaves_what_one_mutation_at_a_time_leaves(app, factory, fixed_clock, steps):
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    plan = factory.plan(unit)
    items = [factory.item(plan, start_date=datetime.date(2026, 3, 1)) for _ in range(EXISTING)]
    mutations = batch_of(plan.id, items, steps)
    plan_id, unit_id, client_id = plan.id, unit.id, f"tablet-{uuid.uuid4()}"
    principal = load_principal(db.session, manager.id)

    bulk = sync_push.push(db.session, principal, client_id, mutations)
    after_bulk = state_of(plan_id, unit_id, bulk)
    db.session.rollback()

    one_by_one = sync_push._push(
        db.session, principal, client_id, mutations, {}, set(), savepoints=True
    )
    after_one_by_one = state_of(plan_id, unit_id, one_by_one)
    db.session.rollback()

    assert after_bulk == after_one_by_one
