"""Small writes at scale: what a deployment takes when many devices each push a little.

    python bench/small_writes.py                         # PostgreSQL, C = 1 4 16 32 64, 8 s each
    python bench/small_writes.py --devices 1 32 --seconds 5 --workloads push raw

Against gunicorn as docs/deploy.md runs it (``-w 4 server.wsgi:app``, sync workers), on a
fresh PostgreSQL schema, loopback only. For each number of devices C, for ``--seconds``:

    push        each device pushes one-mutation batches (an update of ``result`` on its own
                item, so no row is shared), as fast as it can
    push_orgs   the same, with the devices spread over 4 organisations (a unit and a plan each)
    patch       each device sends one-item REST ``PATCH /api/items/{id}`` of ``result``
    pull        each device polls ``/api/sync/pull`` with its current cursor: nothing new
    raw         the limit: psycopg, one connection per device, per transaction one UPDATE of a
                row, one INSERT of an audit row and COMMIT, on tables of their own

Prints one JSON line per (workload, C): requests/s, p50/p95/p99 in ms, errors, and, for every
Følg workload, ``ratio_to_raw`` (its requests/s over the raw limit at the same C, measured in
the same run). The machine's speed drifts by a quarter within the hour: compare ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_test import (  # noqa: E402
    PASSWORD,
    LiveServer,
    fresh_database,
    machine_load,
    pg_url_from_env,
    seed_teams,
)

from sync.protocol import SCHEMA_VERSION  # noqa: E402

WORKLOADS = ("raw", "push", "push_orgs", "patch", "pull")
DEVICES_PER_UNIT = 8  # seed_teams makes up to 10 users per unit; one item each


class Device:
    """One user with one item of their own, and a kept-alive HTTP connection."""

    def __init__(self, base_url: str, email: str, item_id: str):
        import requests

        self.base_url, self.item_id = base_url, item_id
        self.http = requests.Session()
        token = self.http.post(
            f"{base_url}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=30
        ).json()["token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.client_id = f"bench-{uuid.uuid4()}"
        self.mutation_id = 0
        item = self.http.get(f"{base_url}/api/items/{item_id}", timeout=30).json()
        self.version: int | None = item["version"]
        self.cursor: str | None = None
        self.counter = 0

    def _value(self) -> str:
        self.counter += 1
        return f"Status {self.counter}"

    def push(self) -> bool:
        self.mutation_id += 1
        mutation = {
            "mutation_id": self.mutation_id,
            "table": "plan_items",
            "id": self.item_id,
            "op": "upsert",
            "base_version": self.version,
            "fields": {"result": self._value()},
        }
        body = {"client_id": self.client_id, "schema_version": SCHEMA_VERSION}
        response = self.http.post(
            f"{self.base_url}/api/sync/push", json={**body, "mutations": [mutation]}, timeout=60
        )
        if response.status_code != 200:
            return False
        [result] = response.json()["results"]
        self.version = result.get("version", self.version)
        return result["status"] in ("applied", "merged")

    def patch(self) -> bool:
        response = self.http.patch(
            f"{self.base_url}/api/items/{self.item_id}", json={"result": self._value()}, timeout=60
        )
        return response.status_code == 200

    def pull(self) -> bool:
        body = {"cursor": self.cursor, "schema_version": SCHEMA_VERSION}
        response = self.http.post(f"{self.base_url}/api/sync/pull", json=body, timeout=60)
        if response.status_code != 200:
            return False
        page = response.json()
        self.cursor = page["cursor"]
        return True

    def catch_up(self) -> None:
        """Pull to the end once, so the timed polls find nothing new."""
        while True:
            body = {"cursor": self.cursor, "schema_version": SCHEMA_VERSION}
            page = self.http.post(f"{self.base_url}/api/sync/pull", json=body, timeout=60).json()
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return


def run_threads(workers: list[Callable[[], bool]], seconds: float) -> dict[str, Any]:
    """Each worker in its own thread, calling its step until time is up."""
    latencies: list[list[float]] = [[] for _ in workers]
    errors = [0] * len(workers)
    start_line = threading.Barrier(len(workers) + 1)
    stop_at = [0.0]

    def loop(index: int, step: Callable[[], bool]) -> None:
        start_line.wait()
        mine = latencies[index]
        while True:
            began = time.perf_counter()
            if began >= stop_at[0]:
                return
            try:
                ok = step()
            except Exception:
                ok = False
            mine.append(time.perf_counter() - began)
            if not ok:
                errors[index] += 1

    threads = [threading.Thread(target=loop, args=(i, w)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start_line.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = sorted(x for mine in latencies for x in mine)
    return {
        "requests": len(every),
        "per_second": round(len(every) / elapsed, 1),
        "p50_ms": _ms(every, 0.50),
        "p95_ms": _ms(every, 0.95),
        "p99_ms": _ms(every, 0.99),
        "errors": sum(errors),
    }


def _ms(ordered: list[float], q: float) -> float | None:
    if not ordered:
        return None
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)


def server_cpu_seconds(server: LiveServer) -> float | None:
    """User and system CPU seconds of the gunicorn master's children (the workers), from
    /proc; None where there is no /proc."""
    if server.process is None:
        return None
    master = server.process.pid
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        total = 0
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    except OSError:
        return None
    return total / os.sysconf("SC_CLK_TCK")


# ---- the raw limit -----------------------------------------------------------------------


def raw_workers(url: str, count: int) -> tuple[list[Callable[[], bool]], Callable[[], None]]:
    """One psycopg connection per device, each updating a row of its own and auditing it."""
    import psycopg
    from sqlalchemy import make_url

    sa_url = make_url(url)
    dsn = sa_url.set(drivername="postgresql").render_as_string(hide_password=False)
    connections = [psycopg.connect(dsn) for _ in range(count)]
    with connections[0].cursor() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS bench_rows (id uuid PRIMARY KEY, version int NOT NULL,"
            " result text)"
        )
        cur.execute(
            "CREATE TABLE IF NOT EXISTS bench_audit (id uuid PRIMARY KEY, row_id uuid NOT NULL,"
            " version int NOT NULL, at timestamptz NOT NULL, changes jsonb NOT NULL)"
        )
        cur.execute("TRUNCATE bench_rows, bench_audit")
    connections[0].commit()
    row_ids = [uuid.uuid4() for _ in range(count)]
    with connections[0].cursor() as cur:
        cur.executemany("INSERT INTO bench_rows VALUES (%s, 1, '')", [(r,) for r in row_ids])
    connections[0].commit()

    def worker(connection: Any, row_id: uuid.UUID) -> Callable[[], bool]:
        counter = [0]

        def step() -> bool:
            counter[0] += 1
            value = f"Status {counter[0]}"
            with connection.cursor() as cur:
                cur.execute(
                    "UPDATE bench_rows SET result = %s, version = version + 1 WHERE id = %s"
                    " RETURNING version",
                    (value, row_id),
                )
                (version,) = cur.fetchone()
                cur.execute(
                    "INSERT INTO bench_audit VALUES (%s, %s, %s, now(), %s)",
                    (uuid.uuid4(), row_id, version, json.dumps({"result": [None, value]})),
                )
            connection.commit()
            return True

        return step

    def close() -> None:
        for connection in connections:
            connection.close()

    return [worker(c, r) for c, r in zip(connections, row_ids, strict=True)], close


# ---- the run -----------------------------------------------------------------------------


def devices_for(server: LiveServer, teams: list, count: int) -> list[Device]:
    """``count`` devices, filling each team's units in turn (round robin over the teams)."""
    seats = []
    for k in range(DEVICES_PER_UNIT):
        for team in teams:
            seats.append((team.emails[k], team.item_ids[k]))
    if count > len(seats):
        raise SystemExit(f"only {len(seats)} seats were seeded")
    return [Device(server.base_url, email, item) for email, item in seats[:count]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devices", type=int, nargs="+", default=[1, 4, 16, 32, 64])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS), choices=WORKLOADS)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    most = max(args.devices)
    units_one_org = -(-most // DEVICES_PER_UNIT)

    with (
        tempfile.TemporaryDirectory() as workdir,
        fresh_database("postgresql", workdir, pg_url_from_env()) as database,
    ):
        # One organisation with enough units, and four more of a unit (or more) each.
        one_org = seed_teams(database.url, 10 * units_one_org, label="Bench")
        per_org = 10 * -(-units_one_org // 4)
        four_orgs = [
            t for n in range(4) for t in seed_teams(database.url, per_org, label=f"Org{n}")
        ]
        # The documented setup: gunicorn -w 4 (sync workers: one request at a time each).
        server = LiveServer(database, workdir, workers=args.workers, threads=1).start()
        raw: dict[int, float] = {}
        try:
            for count in args.devices:
                for workload in args.workloads:
                    figures = measure(
                        workload, count, args.seconds, server, database, one_org, four_orgs
                    )
                    if workload == "raw":
                        raw[count] = figures["per_second"]
                    elif count in raw and raw[count]:
                        figures["ratio_to_raw"] = round(figures["per_second"] / raw[count], 4)
                    line = {"workload": workload, "devices": count, **figures}
                    print(json.dumps({**line, "load": machine_load()}), flush=True)
        finally:
            server.stop()


def measure(
    workload: str,
    count: int,
    seconds: float,
    server: LiveServer,
    database: Any,
    one_org: list,
    four_orgs: list,
) -> dict[str, Any]:
    if workload == "raw":
        workers, close = raw_workers(database.url, count)
        try:
            return run_threads(workers, seconds)
        finally:
            close()
    devices = devices_for(server, four_orgs if workload == "push_orgs" else one_org, count)
    if workload == "pull":
        for device in devices:
            device.catch_up()
    step = {"push": "push", "push_orgs": "push", "patch": "patch", "pull": "pull"}[workload]
    cpu_before = server_cpu_seconds(server)
    figures = run_threads([getattr(d, step) for d in devices], seconds)
    if figures["requests"] and cpu_before is not None:
        # CPU the gunicorn workers spent per request: unlike requests/s, it hardly moves
        # when other programs share the cores, so it compares commits on a busy machine.
        spent = server_cpu_seconds(server) - cpu_before  # type: ignore[operator]
        figures["worker_cpu_ms_per_request"] = round(spent * 1000 / figures["requests"], 2)
    if workload == "pull":
        figures["median_cursor_len"] = statistics.median(len(d.cursor or "") for d in devices)
    return figures


if __name__ == "__main__":
    main()
