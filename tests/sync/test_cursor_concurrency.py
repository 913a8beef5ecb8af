"""The cursor never skips a committed change, with writers committing while devices pull.

PostgreSQL only: SQLite runs one writer at a time, so the commit-order race cannot happen
there. Several threads write (some transactions take several sequence numbers, and each
dawdles between its first flush and its commit, which is when a skip could occur) while
devices pull in small pages. Afterwards every page is checked: once a device's cursor has
passed sequence number S, it holds every change it may see numbered S or below, except those
a later change of the same row (numbered above S, so still to come) supersedes; and at the
end it holds every row it may see at its final version.

The second test spreads writers over three organisations and four units, each writing as a
user of its unit under its organisation's lock (as a push does), one as the CLI under the
whole deployment's, and pages four devices: in one unit, in units of two organisations and
of all three.

A naive watermark fails it: with ``high`` the highest number handed out (a plain sequence,
no look at the writers in flight: ``write_order.read_clock`` returning the number handed out
alone), 5 runs of 5 failed the replay check, each on a change numbered below a cursor that
its device never got (``AssertionError: (row id, version, cursor)``): a writer in one
organisation committed a higher number while one in another still held a lower one. The
first test cannot tell the two apart: its writers all take the deployment's lock, so they
commit in the order of their numbers.
"""

from __future__ import annotations

import random
import threading
import time
import uuid

import pytest

from server.extensions import db
from server.models import PlanItem
from server.models.versioning import act_as, lock_clock, write_fields
from server.services.access import load_principal
from sync.protocol import Cursor

WRITERS = 4
TRANSACTIONS = 40
# Longest wait between a transaction's first number and its commit, when a skip could occur.
DAWDLE_SECONDS = 0.015


def write(app, place, seed, committed, errors, user_id=None, pause=0.0):
    """``TRANSACTIONS`` transactions of 1 to 3 item writes in ``place`` (plan, unit, theme),
    as ``user_id`` under their organisations' locks, or as the CLI (the hook then takes the
    deployment's lock at the first flush)."""
    plan_id, unit_id, theme_id = place
    rng = random.Random(seed)
    mine: list[PlanItem] = []
    try:
        with app.app_context():
            session = db.session
            act_as(session, user_id, "sync" if user_id else "cli")
            organisations = load_principal(session, user_id).organisation_ids if user_id else None
            for _ in range(TRANSACTIONS):
                if user_id:
                    lock_clock(session, organisations)
                touched = []
                for _ in range(rng.randint(1, 3)):
                    if mine and rng.random() < 0.5:
                        item = rng.choice(mine)
                        if rng.random() < 0.5:
                            item.goal = f"goal {rng.random()}"
                        else:  # the one-row path of a push or a PATCH: takes its number too
                            write_fields(session, item, {"goal": f"goal {rng.random()}"})
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
                    session.flush()  # takes a sequence number
                    touched.append(item)
                time.sleep(rng.random() * DAWDLE_SECONDS)
                stamped = [(item.seq, str(item.id), item.version, unit_id) for item in touched]
                session.commit()
                committed.extend(stamped)
                time.sleep(rng.random() * pause)  # lets the devices catch up, so they are near
            session.remove()
    except Exception as error:  # pragma: no cover - reported by the test
        errors.append(error)


class PagingDevice:
    """Pulls in pages of 7 and remembers, per page, its cursor's seq and what it got."""

    def __init__(self, api, units):
        self.api, self.units = api, {u for u in units}
        self.cursor = None
        self.pages: list[tuple[int, list[tuple[str, int]]]] = []

    def pull_once(self) -> bool:
        response = self.api.pull(self.cursor, limit=7)
        assert response.status_code == 200, response.json
        self.cursor = response.json["cursor"]
        delivered = [
            (c["id"], c["version"]) for c in response.json["changes"] if c["table"] == "plan_items"
        ]
        self.pages.append((Cursor.decode(self.cursor.partition(".")[0]).seq, delivered))
        return response.json["has_more"]

    def check(self, committed: list[tuple[int, str, int, uuid.UUID]], final: dict[str, int]):
        """Replay the pages: after each one, every change it may see committed at or below
        its cursor is on the device, unless a later change of the same row (numbered above
        the cursor, so still to come) has superseded it: the feed sends rows as they are,
        not every version."""
        mine = sorted(c[:3] for c in committed if c[3] in self.units)
        last_seq = {}
        for change_seq, row_id, _ in mine:
            last_seq[row_id] = change_seq
        held: dict[str, int] = {}
        for seq, delivered in self.pages:
            for row_id, version in delivered:
                held[row_id] = max(held.get(row_id, 0), version)
            for change_seq, row_id, version in mine:
                if change_seq > seq:
                    break
                superseded = last_seq[row_id] > seq
                assert held.get(row_id, 0) >= version or superseded, (row_id, version, seq)
        assert len(self.pages) > 5  # the puller really ran alongside the writers
        assert {k: v for k, v in held.items() if k in final} == final


def pull_while_writing(devices, threads, errors):
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        for device in devices:
            device.pull_once()
    for thread in threads:
        thread.join()
    for device in devices:
        while device.pull_once():
            pass
    assert not errors, errors


def final_versions(units) -> dict[str, int]:
    db.session.expire_all()
    rows = db.session.query(PlanItem).filter(PlanItem.unit_id.in_(list(units)))
    return {str(i.id): i.version for i in rows}


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_pull_never_skips_a_committed_change_under_concurrent_writers(app, factory, api):
    unit = factory.unit()
    plan = factory.plan(unit)
    theme = factory.theme(plan)
    device = PagingDevice(api(factory.user(("staff", unit))), [unit.id])
    place = (plan.id, unit.id, theme.id)
    committed: list[tuple[int, str, int, uuid.UUID]] = []
    errors: list[Exception] = []
    threads = [
        threading.Thread(target=write, args=(app, place, seed, committed, errors))
        for seed in range(WRITERS)
    ]
    pull_while_writing([device], threads, errors)
    assert len(committed) >= WRITERS * TRANSACTIONS
    device.check(committed, final_versions([unit.id]))


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_pull_never_skips_with_writers_in_several_organisations(app, factory, api):
    units, places, writers = {}, {}, {}
    for name in ("a1", "a2", "b1", "c1"):
        if name in ("b1", "c1"):
            factory.switch_organisation()
        units[name] = unit = factory.unit()
        plan = factory.plan(unit)
        places[name] = (plan.id, unit.id, factory.theme(plan).id)
        writers[name] = factory.user(("staff", unit)).id
    devices = [
        PagingDevice(
            api(factory.user(*[("staff", units[n]) for n in names])),
            [units[n].id for n in names],
        )
        for names in (["a1"], ["a2", "b1"], ["a1", "b1", "c1"], ["c1"])
    ]
    committed: list[tuple[int, str, int, uuid.UUID]] = []
    errors: list[Exception] = []
    jobs = [
        ("a1", writers["a1"]),
        ("a2", writers["a2"]),
        ("b1", writers["b1"]),
        ("c1", writers["c1"]),
        ("c1", None),  # the CLI, under the deployment's lock
    ]
    threads = [
        threading.Thread(
            target=write,
            args=(app, places[name], seed, committed, errors, user_id, DAWDLE_SECONDS),
        )
        for seed, (name, user_id) in enumerate(jobs)
    ]
    pull_while_writing(devices, threads, errors)
    assert len(committed) >= len(jobs) * TRANSACTIONS
    for device in devices:
        device.check(committed, final_versions(device.units))
