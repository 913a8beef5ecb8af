"""Writers in different organisations never wait for each other (PostgreSQL).

A writer in organisation A takes its first write and then holds its transaction open for
``HOLD_SECONDS``. Meanwhile a push in organisation B is answered in well under that, and a
pull in B sees it. A pull in A stays below A's number while A's writer is in flight (the
watermark of ``server/models/write_order.py``) and gets A's change once it commits.

And a device that pulled past a writer in A in flight (it did not wait for it) still gets
that writer's change when the user is given a unit in A meanwhile.

The time bound checks that B did not wait, not how fast it was: on the global clock B waited
the whole ``HOLD_SECONDS``; unhindered it takes milliseconds, so 0.5 s cannot flake.
SQLite has one writer at a time by design, so it is not tested there.
"""

from __future__ import annotations

import threading
import time

import pytest

from server.extensions import db
from server.models import Membership, PlanItem
from server.models.versioning import act_as, lock_clock
from server.services.access import load_principal
from sync.protocol import Cursor

HOLD_SECONDS = 3.0
ANSWERED_WITHIN_SECONDS = 0.5


def seq_of(cursor: str) -> int:
    return Cursor.decode(cursor.partition(".")[0]).seq


def results_of(changes, item_id):
    return [c["fields"].get("result") for c in changes if c["id"] == str(item_id)]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_push_in_one_organisation_does_not_wait_for_a_writer_in_another(app, factory, api):
    unit_a = factory.unit()
    item_a = factory.item(factory.plan(unit_a))
    staff_a = factory.user(("staff", unit_a))
    factory.switch_organisation()
    unit_b = factory.unit()
    item_b = factory.item(factory.plan(unit_b))
    staff_b = factory.user(("staff", unit_b))
    item_a_id, item_b_id, staff_a_id = item_a.id, item_b.id, staff_a.id
    version_b = item_b.version
    reader_a, reader_b = api(staff_a), api(staff_b)
    _, cursor_a = reader_a.pull_all()
    _, cursor_b = reader_b.pull_all()

    holding = threading.Event()
    held_seq: list[int] = []
    errors: list[Exception] = []

    def write_in_a_and_hold() -> None:
        try:
            with app.app_context():
                session = db.session
                act_as(session, staff_a_id, "sync")
                lock_clock(session, load_principal(session, staff_a_id).organisation_ids)
                item = session.get(PlanItem, item_a_id)
                item.result = "written in A"
                session.flush()  # its first write: a change number, its locks held
                held_seq.append(item.seq)
                holding.set()
                time.sleep(HOLD_SECONDS)
                session.commit()
                session.remove()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
            holding.set()

    writer = threading.Thread(target=write_in_a_and_hold)
    writer.start()
    assert holding.wait(10) and not errors, errors

    started = time.monotonic()
    response = reader_b.push(
        [
            {
                "mutation_id": 1,
                "table": "plan_items",
                "id": str(item_b_id),
                "op": "upsert",
                "base_version": version_b,
                "fields": {"result": "written in B"},
            }
        ]
    )
    answered_in = time.monotonic() - started
    assert response.status_code == 200, response.json
    assert response.json["results"][0]["status"] == "applied"
    assert answered_in < ANSWERED_WITHIN_SECONDS, answered_in

    changes_b, _ = reader_b.pull_all(cursor_b)
    assert results_of(changes_b, item_b_id) == ["written in B"]
    # A's reader waits below A's writer, which has not committed yet.
    changes_a, cursor_a_meanwhile = reader_a.pull_all(cursor_a)
    assert results_of(changes_a, item_a_id) == []
    assert seq_of(cursor_a_meanwhile) < held_seq[0]
    assert writer.is_alive()  # all of the above happened while A's transaction was open

    writer.join()
    assert not errors, errors
    changes_a, _ = reader_a.pull_all(cursor_a_meanwhile)
    assert results_of(changes_a, item_a_id) == ["written in A"]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_unit_granted_in_another_organisation_does_not_jump_its_writer_in_flight(
    app, factory, api
):
    """A device in B has pulled past the number of a writer in A that has not committed (it
    did not wait for A). When the user is given a unit in A, the pull that sees the new scope
    lowers the cursor to the new scope's watermark: the rescan of the unit cannot see the
    writer's row yet, and without that the feed would never send it."""
    unit_a = factory.unit()
    item_a = factory.item(factory.plan(unit_a))
    staff_a = factory.user(("staff", unit_a))
    factory.switch_organisation()
    unit_b = factory.unit()
    item_b = factory.item(factory.plan(unit_b))
    staff_b = api(factory.user(("staff", unit_b)))
    reader = factory.user(("staff", unit_b))
    item_a_id, staff_a_id, unit_a_id, reader_id = item_a.id, staff_a.id, unit_a.id, reader.id
    item_b_id, version_b = item_b.id, item_b.version
    device = api(reader)
    _, cursor = device.pull_all()

    holding, release = threading.Event(), threading.Event()
    held_seq: list[int] = []
    errors: list[Exception] = []

    def write_in_a_until_released() -> None:
        try:
            with app.app_context():
                session = db.session
                act_as(session, staff_a_id, "sync")
                lock_clock(session, load_principal(session, staff_a_id).organisation_ids)
                item = session.get(PlanItem, item_a_id)
                item.result = "written in A"
                session.flush()
                held_seq.append(item.seq)
                holding.set()
                release.wait(30)
                session.commit()
                session.remove()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
            holding.set()

    writer = threading.Thread(target=write_in_a_until_released)
    writer.start()
    try:
        assert holding.wait(10) and not errors, errors
        # A change in B, numbered above the writer's (a push: the CLI would wait for A).
        response = staff_b.push(
            [
                {
                    "mutation_id": 1,
                    "table": "plan_items",
                    "id": str(item_b_id),
                    "op": "upsert",
                    "base_version": version_b,
                    "fields": {"result": "written in B"},
                }
            ]
        )
        assert response.json["results"][0]["status"] == "applied", response.json
        _, cursor = device.pull_all(cursor)
        assert seq_of(cursor) > held_seq[0]  # B's device did not wait for A

        factory.session.add(Membership(user_id=reader_id, unit_id=unit_a_id, role="staff"))
        factory.session.commit()
        changes, cursor = device.pull_all(cursor)  # the new scope: unit A rescanned
        assert str(item_a_id) in {c["id"] for c in changes}
        assert results_of(changes, item_a_id) != ["written in A"]
    finally:
        release.set()
        writer.join()
    assert not errors, errors
    changes, _ = device.pull_all(cursor)
    assert results_of(changes, item_a_id) == ["written in A"]
