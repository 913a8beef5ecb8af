"""A push reads the device's row with the write locks, in one statement (PostgreSQL), and
looks again when the row was not there yet.

That statement's snapshot is taken before its locks are granted. A row it reads ``FOR
UPDATE`` comes back at its newest committed version anyway; a row inserted while it waited
does not come back at all. So a device whose first push committed on another connection
while its retry waited for the locks (the phone gave up on the first answer and sent the
batch again) must be found by the second look, not inserted again.
"""

from __future__ import annotations

import threading
import time

import pytest

from server import clock
from server.extensions import db
from server.models import SyncClient
from server.models.versioning import lock_clock, lock_clock_reading
from server.services.access import load_principal
from server.services.sync.push import _client

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def _first_push_committing_while_the_retry_waits(app, staff, client_id, read):
    """Runs ``read`` (in a thread) while another transaction holds the write locks and
    inserts the device's row, and commits it 0.3 s later; returns what ``read`` returned."""
    organisations = load_principal(db.session, staff.id).organisation_ids
    lock_clock(db.session, organisations)  # the first push, under the organisations' locks
    db.session.add(
        SyncClient(
            client_id=client_id, user_id=staff.id, last_mutation_id=7, last_seen_at=clock.now()
        )
    )
    db.session.flush()
    answer: dict = {}

    def retry():
        with app.app_context():
            try:
                answer["row"] = read(db.session, organisations)
                answer["last"] = answer["row"] and answer["row"].last_mutation_id
            except Exception as error:  # noqa: BLE001 - handed to the test
                answer["error"] = error
            finally:
                db.session.rollback()

    thread = threading.Thread(target=retry)
    thread.start()
    time.sleep(0.3)
    assert thread.is_alive(), "the retry did not wait for the locks"
    db.session.commit()
    thread.join(10)
    return answer


def test_a_row_inserted_while_the_locks_were_awaited_is_not_seen_by_that_statement(app, factory):
    unit = factory.unit()
    staff = factory.user(("staff", unit))
    db.session.commit()

    answer = _first_push_committing_while_the_retry_waits(
        app,
        staff,
        "device-1",
        lambda session, organisations: lock_clock_reading(
            session, organisations, SyncClient, "device-1"
        ),
    )
    # What the docstring of lock_clock_reading warns of, and why a push looks again.
    assert answer == {"row": None, "last": None}


def test_the_push_finds_the_device_row_committed_while_it_waited(app, factory):
    unit = factory.unit()
    staff = factory.user(("staff", unit))
    db.session.commit()
    principal = load_principal(db.session, staff.id)

    answer = _first_push_committing_while_the_retry_waits(
        app, staff, "device-2", lambda session, _: _client(session, principal, "device-2")
    )
    assert "error" not in answer, answer.get("error")
    assert answer["last"] == 7  # the row the first push wrote, not a new one at 0


def test_a_row_updated_while_the_locks_were_awaited_is_read_at_its_newest_version(app, factory):
    unit = factory.unit()
    staff = factory.user(("staff", unit))
    db.session.commit()
    db.session.add(
        SyncClient(
            client_id="device-3", user_id=staff.id, last_mutation_id=1, last_seen_at=clock.now()
        )
    )
    db.session.commit()
    organisations = load_principal(db.session, staff.id).organisation_ids

    lock_clock(db.session, organisations)
    db.session.get(SyncClient, "device-3").last_mutation_id = 9
    db.session.flush()
    answer: dict = {}

    def retry():
        with app.app_context():
            row = lock_clock_reading(db.session, organisations, SyncClient, "device-3")
            answer["last"] = row.last_mutation_id
            db.session.rollback()

    thread = threading.Thread(target=retry)
    thread.start()
    time.sleep(0.3)
    db.session.commit()
    thread.join(10)
    assert answer == {"last": 9}
