"""The cursor never skips a committed change, with writers committing while a device pulls.

PostgreSQL only: SQLite runs one writer at a time, so the commit-order race cannot happen
there. Several threads write (some transactions take several sequence numbers, and each
dawdles between its first flush and its commit, which is when a skip could occur) while a
device pulls in small pages. Afterwards every page is checked: once the device's cursor
has passed sequence number S, it holds every change numbered S or below, except those a later
change of the same row (numbered above S, so still to come) supersedes; and at the end it holds
every row at its final version.
"""

from __future__ import annotations

import random
import threading
import time

import pytest

from server.extensions import db
from server.models import PlanItem
from server.models.versioning import act_as
from sync.protocol import Cursor

WRITERS = 4
TRANSACTIONS = 40


def write(app, plan_id, unit_id, theme_id, seed, committed, errors):
    rng = random.Random(seed)
    mine: list[PlanItem] = []
    try:
        with app.app_context():
            session = db.session
            act_as(session, None, "cli")
            for _ in range(TRANSACTIONS):
                touched = []
                for _ in range(rng.randint(1, 3)):
                    if mine and rng.random() < 0.5:
                        item = rng.choice(mine)
                        item.goal = f"goal {rng.random()}"
                    else:
                        item = PlanItem(
                            plan_id=plan_id,
                            unit_id=unit_id,
                            priority=1,
                            theme_id=theme_id,
                            goal="new",
                        )
                        session.add(item)
                        mine.append(item)
                    session.flush()  # takes a sequence number and the clock lock
                    touched.append(item)
                time.sleep(rng.random() * 0.004)
                stamped = [(item.seq, str(item.id), item.version) for item in touched]
                session.commit()
                committed.extend(stamped)
            session.remove()
    except Exception as error:  # pragma: no cover - reported by the test
        errors.append(error)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_pull_never_skips_a_committed_change_under_concurrent_writers(app, factory, api):
    unit = factory.unit()
    plan = factory.plan(unit)
    theme = factory.theme(plan)
    reader = api(factory.user(("staff", unit)))
    ids = (plan.id, unit.id, theme.id)
    committed: list[tuple[int, str, int]] = []
    errors: list[Exception] = []
    threads = [
        threading.Thread(target=write, args=(app, *ids, seed, committed, errors))
        for seed in range(WRITERS)
    ]
    for thread in threads:
        thread.start()

    pages: list[tuple[int, list[tuple[str, int]]]] = []
    cursor = None

    def pull_once() -> bool:
        nonlocal cursor
        response = reader.pull(cursor, limit=7)
        assert response.status_code == 200, response.json
        cursor = response.json["cursor"]
        delivered = [
            (c["id"], c["version"]) for c in response.json["changes"] if c["table"] == "plan_items"
        ]
        pages.append((Cursor.decode(cursor.partition(".")[0]).seq, delivered))  # unsigned part
        return response.json["has_more"]

    while any(thread.is_alive() for thread in threads):
        pull_once()
    for thread in threads:
        thread.join()
    while pull_once():
        pass
    assert not errors, errors

    # Replay the pages: after each one, every change committed at or below its cursor is on
    # the device, unless a later change of the same row (numbered above the cursor, so still
    # to come) has superseded it: the feed sends rows as they are, not every version.
    assert len(committed) >= WRITERS * TRANSACTIONS
    committed.sort()
    last_seq = {}
    for change_seq, row_id, _ in committed:
        last_seq[row_id] = change_seq
    held: dict[str, int] = {}
    for seq, delivered in pages:
        for row_id, version in delivered:
            held[row_id] = max(held.get(row_id, 0), version)
        for change_seq, row_id, version in committed:
            if change_seq > seq:
                break
            superseded = last_seq[row_id] > seq
            assert held.get(row_id, 0) >= version or superseded, (row_id, version, seq)
    assert len(pages) > 5  # the puller really ran alongside the writers
    final = {str(i.id): i.version for i in db.session.query(PlanItem).filter_by(plan_id=plan.id)}
    assert {k: v for k, v in held.items() if k in final} == final
