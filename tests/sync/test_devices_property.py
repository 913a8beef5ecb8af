"""Property: devices that edit offline and sync in any order, with lost messages, converge.

Three devices (two of them one user's phone and tablet) make random offline creates, edits,
deletes, progress notes and conflict resolutions; they sync in random order; some syncs lose
the request, or lose the response after the server committed. Then everyone syncs until
quiet, and:

- every device holds exactly what the server would send a fresh device of the same user;
- every acknowledged write is in the audit trail (it was applied) or in a conflict record;
  every acknowledged delete left a tombstone;
- nothing happened twice: each row was created once, each mutation id answered once.
"""

from __future__ import annotations

import contextlib
import os
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.extensions import db
from server.models import AuditEvent, Conflict, PlanItem, ProgressNote, SyncMutationResult
from sync.client import Client
from sync.protocol import DELETE, DUPLICATE, REJECTED
from sync.transport import TransportError
from tests.helpers import login
from tests.sync.conftest import FlaskTransport, LossyTransport

DEVICES = 3
VALUES = st.sampled_from(["alfa", "beta", "gamma", "delta"])
device_index = st.integers(0, DEVICES - 1)
pick = st.integers(0, 50)

steps = st.lists(
    st.one_of(
        st.tuples(st.just("create"), device_index, VALUES),
        st.tuples(st.just("edit"), device_index, pick, st.sampled_from(["goal", "result"]), VALUES),
        st.tuples(st.just("delete"), device_index, pick),
        st.tuples(st.just("note"), device_index, pick, VALUES),
        st.tuples(st.just("resolve"), device_index, pick, st.sampled_from(["server", "client"])),
        st.tuples(
            st.just("sync"),
            device_index,
            st.sampled_from([None, None, "push-request", "push-response", "pull-response"]),
        ),
    ),
    min_size=5,
    max_size=30,
)


def nth(rows: dict, index: int):
    return sorted(rows)[index % len(rows)] if rows else None


def run_step(step, devices, plan_id):
    kind, device = step[0], devices[step[1]]
    items = device.rows("plan_items")
    if kind == "create":
        device.create("plan_items", {"plan_id": plan_id, "goal": step[2]})
    elif kind == "edit" and items:
        device.update("plan_items", nth(items, step[2]), {step[3]: step[4]})
    elif kind == "delete" and items:
        device.delete("plan_items", nth(items, step[2]))
    elif kind == "note" and items:
        device.create("progress_notes", {"item_id": nth(items, step[2]), "text": step[3]})
    elif kind == "resolve":
        open_ones = {k: v for k, v in device.rows("conflicts").items() if v["status"] == "open"}
        if open_ones:
            device.resolve(nth(open_ones, step[2]), step[3])
    elif kind == "sync":
        fault = step[2]
        if fault:
            path, what = fault.split("-")
            device.transport.lose("/" + path, what)
        with contextlib.suppress(TransportError):
            device.sync()
        device.transport.faults.clear()  # a fault the sync never reached does not linger


def audit_has(row_id: uuid.UUID, field: str, value) -> bool:
    events = db.session.query(AuditEvent).filter_by(row_id=row_id).all()
    return any(e.changes.get(field, [None, object()])[1] == value for e in events)


def conflict_has(row_id: uuid.UUID, field: str, value) -> bool:
    for c in db.session.query(Conflict).filter_by(row_id=row_id).all():
        if c.field == field and c.client_value == value:
            return True
        is_dict = isinstance(c.client_value, dict)
        if c.kind == "delete_edit" and is_dict and c.client_value.get(field) == value:
            return True
    return False


def check_nothing_lost(devices):
    tables = {"plan_items": PlanItem, "progress_notes": ProgressNote}
    for device in devices:
        for mutation, result in device.acknowledged:
            status = result.get("original_status") or result["status"]
            if status in (REJECTED, DUPLICATE) or mutation["table"] not in tables:
                continue
            row_id = uuid.UUID(mutation["id"])
            row = db.session.get(tables[mutation["table"]], row_id)
            assert row is not None, mutation
            if mutation["op"] == DELETE:
                assert row.deleted, mutation
                continue
            for field, value in mutation["fields"].items():
                assert audit_has(row_id, field, value) or conflict_has(row_id, field, value), (
                    mutation,
                    result,
                )


def check_nothing_twice(devices):
    creates = (
        db.session.query(AuditEvent.row_id, db.func.count())
        .filter(AuditEvent.action == "create")
        .group_by(AuditEvent.row_id)
        .all()
    )
    assert all(count == 1 for _, count in creates)
    for device in devices:
        answered = sorted(
            answer["mutation_id"]
            for run in db.session.query(SyncMutationResult).filter_by(client_id=device.client_id)
            for answer in run.answers()
        )
        assert answered == list(range(1, len(answered) + 1))


@pytest.mark.slow
@settings(
    # Modest by default to keep the suite short; FOLG_SYNC_EXAMPLES=500 for a long soak.
    max_examples=int(os.environ.get("FOLG_SYNC_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_devices_converge_and_lose_nothing(app, client, factory, steps):
    unit = factory.unit()
    plan = factory.plan(unit)
    factory.item(plan, goal="start")
    anna, bo = factory.user(("staff", unit)), factory.user(("manager", unit))
    users = [anna, anna, bo]

    def connect(user) -> Client:
        return Client(LossyTransport(FlaskTransport(client, login(client, user))))

    devices = [connect(user) for user in users]
    try:
        for device in devices:
            device.sync()
        for step in steps:
            run_step(step, devices, str(plan.id))
        for _ in range(2):
            for device in devices:
                device.sync()
        for device in devices:
            device.pull()

        db.session.expire_all()
        live = {
            str(i.id) for i in db.session.query(PlanItem).filter_by(plan_id=plan.id, deleted=False)
        }
        for device, user in zip(devices, users, strict=True):
            assert device.pending_count() == 0
            fresh = connect(user)
            fresh.pull()
            for table in ("plans", "plan_items", "progress_notes", "conflicts"):
                assert device.rows(table) == fresh.rows(table), table
            assert set(device.rows("plan_items")) == live
            fresh.db.close()
        check_nothing_lost(devices)
        check_nothing_twice(devices)
    finally:
        for device in devices:
            device.db.close()
