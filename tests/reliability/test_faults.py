"""Faults during sync, against a real gunicorn server on SQLite and PostgreSQL.

Each test lets devices (reference clients, over HTTP) edit shared rows offline and sync while
something goes wrong, then lets the fault heal, syncs everyone until quiet, and checks:

- nothing acknowledged is lost (every acknowledged value is in the audit trail or in a
  conflict record; every acknowledged delete left a tombstone);
- nothing happened twice (each row created once; each device's mutation ids answered once);
- every device converged (holds exactly what a fresh device of the same user pulls).

The faults:

- the server process (master and workers) is killed with SIGKILL while push batches are in
  flight, and restarted;
- PostgreSQL connection loss: the shared PostgreSQL cannot be restarted (other work uses it),
  so "PostgreSQL restarted" is tested as what the server sees when it is: every backend of
  this server (found by its ``application_name``) is terminated with ``pg_terminate_backend``
  while pushes are in flight, again and again;
- responses lost after the server committed, and requests lost before it;
- batches duplicated (a stale batch arriving again, each batch twice) and reordered;
- device clocks a day ahead and a day behind.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, delete, select, text

from bench.load_test import (
    Device,
    LiveServer,
    RecordingTransport,
    converge,
    find_divergence,
    find_duplicates,
    find_lost_writes,
    make_devices,
    run_in_threads,
    seed_teams,
)
from server.models import AuditEvent, PlanItem
from sync.protocol import SCHEMA_VERSION
from tests.conftest import PG_URL


def checker_engine(database):
    """A connection of the test's own (not named like the server's)."""
    return create_engine(database.url.replace("application_name=", "application_name=checker_"))


def assert_nothing_lost_nothing_twice_and_converged(server, database, devices):
    converge(devices)
    assert find_lost_writes(database, devices) == []
    assert find_duplicates(database, devices) == []
    assert find_divergence(server, devices) == []
    assert all(d.client.pending_count() == 0 for d in devices)
    assert sum(len(d.client.acknowledged) for d in devices) > 0


def edit_and_sync(devices: list[Device], rounds: int, edits: int) -> None:
    """Every device, in its own thread: a few offline edits, then a sync, ``rounds`` times."""

    def work(device: Device) -> None:
        for _ in range(rounds):
            for _ in range(edits):
                device.edit_offline()
            device.sync()

    run_in_threads(work, devices)


def start_devices(server, database, count: int, users: int, **client_kw) -> list[Device]:
    teams = seed_teams(database.url, users=users, items=8, label=f"F{uuid.uuid4().hex[:4]}")
    devices = make_devices(server, teams, count, **client_kw)
    for device in devices:
        device.sync(pull_only=True)
    return devices


def lost_calls(devices: list[Device], endpoint: str) -> int:
    return sum(
        1 for d in devices for c in d.transport.calls if c.endpoint == endpoint and not c.status
    )


# ---- the server killed ---------------------------------------------------------------------


@pytest.fixture
def own_server(live_database):
    """A server of its own, since this test kills it; one worker, so restarts are quick."""
    server = LiveServer(live_database, live_database.workdir, workers=1, threads=4)
    server.start()
    yield server
    server.stop()


@pytest.mark.slow  # two kills and restarts of gunicorn: about 20 s per database
def test_server_killed_mid_push_batches_loses_nothing(own_server, live_database, devices_made):
    server = own_server
    # Small batches, so one push is several requests and a kill lands between or inside them.
    devices = start_devices(server, live_database, count=6, users=3, batch_size=4)
    devices_made += devices
    push_in_flight = threading.Event()

    def note_pushes(path: str, body: dict[str, Any]) -> None:
        if path.endswith("/push") and len(body["mutations"]) > 1:
            push_in_flight.set()
        return None

    for device in devices:
        device.transport.fault = note_pushes
    kills = []
    editing_done = threading.Event()

    def killer() -> None:
        rng = random.Random(7)
        while len(kills) < 2 and not editing_done.is_set():
            if not push_in_flight.wait(timeout=0.5):
                continue
            time.sleep(rng.random() * 0.01)  # while the batch is on its way or being applied
            server.kill()
            kills.append(time.monotonic())
            time.sleep(0.3)
            server.start()
            push_in_flight.clear()

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        edit_and_sync(devices, rounds=4, edits=6)
    finally:
        editing_done.set()
        thread.join()
    assert len(kills) >= 2, "the server was not killed during pushes"
    assert lost_calls(devices, "push") >= 1, "no push was cut off by a kill"
    assert sum(d.retries for d in devices) >= 1
    assert_nothing_lost_nothing_twice_and_converged(server, live_database, devices)


# ---- PostgreSQL connections lost -------------------------------------------------------------


@pytest.fixture
def postgresql_only(live_database):
    if live_database.kind != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server connection to lose")


@pytest.mark.slow  # about 12 s
def test_postgresql_connections_terminated_during_sync_lose_nothing(
    postgresql_only, live_server, live_database, devices_made
):
    devices = start_devices(live_server, live_database, count=6, users=3, batch_size=4)
    devices_made += devices
    push_in_flight = threading.Event()

    def note_pushes(path: str, body: dict[str, Any]) -> None:
        if path.endswith("/push"):
            push_in_flight.set()
        return None

    for device in devices:
        device.transport.fault = note_pushes
    terminated: list[int] = []
    editing_done = threading.Event()
    # Our own connection is named differently, and the query names only this server's.
    admin = create_engine(PG_URL, connect_args={"application_name": "folg_fault_terminator"})

    def terminator() -> None:
        rng = random.Random(11)
        with admin.connect() as conn:
            while not editing_done.is_set() and len(terminated) < 15:
                if not push_in_flight.wait(timeout=0.2):
                    continue
                time.sleep(rng.random() * 0.03)
                pids = conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE application_name = :name"
                    ),
                    {"name": live_database.application_name},
                ).all()
                conn.commit()
                terminated.append(len(pids))
                push_in_flight.clear()

    thread = threading.Thread(target=terminator)
    thread.start()
    try:
        edit_and_sync(devices, rounds=6, edits=6)
    finally:
        editing_done.set()
        thread.join()
        admin.dispose()
    assert sum(terminated) >= 3, "no backend of the server was terminated"
    failed = [c for d in devices for c in d.transport.calls if c.status and c.status >= 500]
    assert failed, "no request met a lost connection"
    # The server is healthy again on its own (pool_pre_ping replaces dead connections).
    assert requests.get(live_server.base_url + "/api/health", timeout=10).status_code == 200
    assert_nothing_lost_nothing_twice_and_converged(live_server, live_database, devices)


# ---- messages lost ---------------------------------------------------------------------------


def test_responses_lost_after_commit_and_requests_lost_before_lose_nothing(
    live_server, live_database, devices_made
):
    devices = start_devices(live_server, live_database, count=6, users=3, batch_size=5)
    devices_made += devices
    rng = random.Random(5)
    lock = threading.Lock()
    lost_a_push_answer: set[str] = set()

    def lossy(path: str, body: dict[str, Any]) -> str | None:
        with lock:
            roll = rng.random()
            # Each device loses the answer to its first push that carries mutations, for sure;
            # the rest is chance.
            client_id = body.get("client_id")
            if path.endswith("/push") and body["mutations"] and client_id not in lost_a_push_answer:
                lost_a_push_answer.add(client_id)
                return "response"
        if roll < 0.15:
            return "response"  # the server committed; the device never hears of it
        if roll < 0.2:
            return "request"
        return None

    for device in devices:
        device.transport.fault = lossy
    edit_and_sync(devices, rounds=5, edits=4)
    for device in devices:
        device.transport.fault = None
    assert sum(d.retries for d in devices) >= 3
    answered_then_lost = sum(
        1
        for d in devices
        for mutation, result in d.client.acknowledged
        if result["status"] == "duplicate"
    )
    assert answered_then_lost >= 1, "no push was answered after its response was lost"
    assert_nothing_lost_nothing_twice_and_converged(live_server, live_database, devices)


# ---- batches duplicated and reordered --------------------------------------------------------


class DuplicatingTransport(RecordingTransport):
    """Every push arrives twice, and the previous push arrives once more before it (a stale
    retry from a flaky network overtaking nothing, but arriving late)."""

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.previous: dict[str, Any] | None = None

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if not path.endswith("/push"):
            return super().post(path, body)
        if self.previous is not None:
            super().post(path, self.previous)
        super().post(path, body)
        self.previous = body
        return super().post(path, body)


def test_duplicated_batches_apply_nothing_twice(live_server, live_database, devices_made):
    devices = start_devices(live_server, live_database, count=4, users=2, batch_size=3)
    devices_made += devices
    for device in devices:
        token = device.transport.session.headers["Authorization"].split()[1]
        device.transport.session.close()
        device.transport = DuplicatingTransport(live_server.base_url, token)
        device.client.transport = device.transport
    edit_and_sync(devices, rounds=4, edits=5)
    statuses = [r["status"] for d in devices for _, r in d.client.acknowledged]
    assert statuses and set(statuses) == {"duplicate"}  # each answer came from the second copy
    assert_nothing_lost_nothing_twice_and_converged(live_server, live_database, devices)


def test_reordered_batches_are_refused_until_their_turn_then_applied_once(
    live_server, live_database, devices_made
):
    team = seed_teams(live_database.url, users=1, items=6, label=f"R{uuid.uuid4().hex[:4]}")[0]
    token = live_server.login(team.emails[0])
    headers = {"Authorization": f"Bearer {token}"}
    client_id = f"reorder-{uuid.uuid4().hex[:8]}"

    def mutation(n: int) -> dict[str, Any]:
        return {
            "mutation_id": n,
            "table": "plan_items",
            "id": team.item_ids[(n - 1) % len(team.item_ids)],
            "op": "upsert",
            # Mutation 7 edits item 1 again, from the version mutation 1 made.
            "base_version": 1 if n <= len(team.item_ids) else 2,
            "fields": {"result": f"value {n}"},
        }

    def push(ids: list[int]) -> requests.Response:
        body = {
            "client_id": client_id,
            "schema_version": SCHEMA_VERSION,
            "mutations": [mutation(n) for n in ids],
        }
        return requests.post(
            live_server.base_url + "/api/sync/push", json=body, headers=headers, timeout=30
        )

    def items_now() -> dict[str, tuple[int, str | None]]:
        """{item id: (version, result)} as the database has them."""
        engine = checker_engine(live_database)
        with engine.connect() as conn:
            rows = conn.execute(
                select(PlanItem.id, PlanItem.version, PlanItem.result).where(
                    PlanItem.plan_id == uuid.UUID(team.plan_id)
                )
            ).all()
        engine.dispose()
        return {str(row_id): (version, result) for row_id, version, result in rows}

    batch1, batch2, batch3 = [1, 2], [3, 4], [5, 6]
    before = items_now()
    # Out of order within a batch: refused whole, as a gap (2 is not the next id).
    response = push([2, 1])
    assert response.status_code == 409 and response.json()["error"] == "mutation_gap"
    # A later batch before an earlier one: a gap, refused whole, nothing changes.
    response = push(batch3)
    assert response.status_code == 409, response.text
    assert response.json()["expected_mutation_id"] == 1
    assert items_now() == before
    first = push(batch1)
    assert [r["status"] for r in first.json()["results"]] == ["applied", "applied"]
    assert push(batch3).status_code == 409  # still early
    # Out of order within a batch once ids are known: refused whole as invalid.
    response = push([2, 1])
    assert response.status_code == 422 and response.json()["error"] == "invalid_input"
    second = push(batch2)
    assert [r["status"] for r in second.json()["results"]] == ["applied", "applied"]
    # The first batch again, late: the stored answers, nothing applied twice.
    again = push(batch1).json()["results"]
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert [r["original_status"] for r in again] == ["applied", "applied"]
    assert [r["version"] for r in again] == [r["version"] for r in first.json()["results"]]
    third = push(batch3)
    assert [r["status"] for r in third.json()["results"]] == ["applied", "applied"]
    # A batch straddling old and new ids: the old half duplicates, the new half applies.
    straddling = push([5, 6, 7]).json()["results"]
    assert [r["status"] for r in straddling] == ["duplicate", "duplicate", "applied"]

    after = items_now()
    # Item 1 was named by mutations 1 and 7, the others once each: applied once, no more.
    assert after[team.item_ids[0]] == (3, "value 7")
    for n in range(2, 7):
        assert after[team.item_ids[n - 1]] == (2, f"value {n}")


# ---- device clocks ---------------------------------------------------------------------------


def test_device_clocks_a_day_off_decide_nothing(live_server, live_database, devices_made):
    teams = seed_teams(live_database.url, users=3, items=4, label=f"C{uuid.uuid4().hex[:4]}")
    ahead, behind, watcher = make_devices(live_server, teams, 3, per_user=1)
    devices_made += [ahead, behind, watcher]
    ahead.clock_offset_seconds = 86_400
    behind.clock_offset_seconds = -86_400
    for device in (ahead, behind, watcher):
        device.sync()
    first, second = sorted(ahead.client.rows("plan_items"))[:2]

    # The device a day behind writes first: its value stands; the one a day ahead, which
    # "looks" later, gets a conflict instead of winning by its clock.
    behind.client.update("plan_items", first, {"goal": "from the device a day behind"})
    ahead.client.update("plan_items", first, {"goal": "from the device a day ahead"})
    behind.sync()
    ahead.sync()
    assert ahead.client.acknowledged[-1][1]["status"] == "conflict"
    # And the other way round on a second row: first come stands, whatever the clocks say.
    ahead.client.update("plan_items", second, {"goal": "ahead first"})
    behind.client.update("plan_items", second, {"goal": "behind second"})
    ahead.sync()
    behind.sync()
    assert behind.client.acknowledged[-1][1]["status"] == "conflict"

    # Notes stamped a day in the past and a day in the future both reach a device that pulled
    # in between: the feed is ordered by the server's sequence, not by anyone's timestamps.
    watcher.sync()
    for device in (behind, ahead):
        note = {"item_id": first, "text": f"note {device.clock_offset_seconds:+.0f}"}
        note["created_at"] = device.device_now()
        device.client.create("progress_notes", note)
        device.sync()
    watcher.sync(pull_only=True)
    texts = {n["text"] for n in watcher.client.rows("progress_notes").values()}
    assert {"note -86400", "note +86400"} <= texts

    everyone = [ahead, behind, watcher]
    assert_nothing_lost_nothing_twice_and_converged(live_server, live_database, everyone)
    rows = watcher.client.rows("plan_items")
    assert rows[first]["goal"] == "from the device a day behind"
    assert rows[second]["goal"] == "ahead first"


def test_the_checks_themselves_notice_a_lost_write(live_server, live_database, devices_made):
    """The checks above can fail: remove an applied change from the audit trail and from the
    row, as a lost write would, and they say so."""
    devices = start_devices(live_server, live_database, count=2, users=1)
    devices_made += devices
    edit_and_sync(devices, rounds=1, edits=3)
    converge(devices)
    mutation, result = next(
        (m, r)
        for m, r in devices[0].client.acknowledged
        if m["table"] == "plan_items"
        and m["op"] == "upsert"
        and r["status"] in ("applied", "merged")
    )
    engine = checker_engine(live_database)
    with engine.begin() as conn:
        events = conn.execute(
            select(AuditEvent.id, AuditEvent.changes).where(
                AuditEvent.row_id == uuid.UUID(mutation["id"])
            )
        ).all()
        for event_id, changes in events:
            if set(changes) & set(mutation["fields"]):
                conn.execute(delete(AuditEvent).where(AuditEvent.id == event_id))
    engine.dispose()
    assert find_lost_writes(live_database, devices), "a deleted audit event went unnoticed"
