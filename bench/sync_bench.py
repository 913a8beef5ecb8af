"""Sync benchmark: a live server, reference clients over HTTP, fixed workloads.

    python bench/sync_bench.py --db sqlite
    python bench/sync_bench.py --db postgresql [--workloads W1,W2] [--repeat 5]

Starts gunicorn on a free loopback port against a fresh database (a new SQLite file, or a new
PostgreSQL schema that is dropped afterwards), creates units, users and plans directly, then
runs the workloads of issue 3 and prints one JSON line each:

    W1  one client pushes 10,000 new items (ten text fields of 20-200 characters) in batches
    W2  a second client pulls everything from scratch
    W3  500 updates by the first client, 10 per push; after each push the second client pulls
        only the changes (the latency of that delta pull is what counts)
    W4  20 concurrent clients each push 200 updates to 100 shared rows; count applied, merged,
        conflict; check that no acknowledged write is lost
    W5  500 same-field conflicts detected, then resolved by the client

The server is warm when the timing starts, as a running one is: every worker has answered a
first pull (which builds and compiles the feed's statements, ~0.1 s once per process).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sync.client import Client, SyncError  # noqa: E402
from sync.transport import StreamingTransport, TransportError  # noqa: E402

PG_URL = os.environ.get("FOLG_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "bench password 123"
TEXT_FIELDS = (
    "topic",
    "goal",
    "activities",
    "resources",
    "timeframe_note",
    "documentation",
    "result",
)
rng = random.Random(42)


def text(low: int = 20, high: int = 200) -> str:
    words = []
    length = rng.randint(low, high)
    while sum(len(w) + 1 for w in words) < length:
        words.append("".join(rng.choices(string.ascii_lowercase + "æøå", k=rng.randint(2, 10))))
    return " ".join(words)[:length]


def settle() -> None:
    """Before a timed workload: collect the harness's garbage and exempt what is left from
    later collections. One process runs every workload's clients (a device runs one); without
    this, a full collection during W2 rescanned W1's objects and added ~120 ms to one page in
    a third of the runs."""
    gc.collect()
    gc.freeze()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def emit(workload: str, db: str, rows: int, seconds: float, latencies: list[float], **extra):
    line = {
        "workload": workload,
        "db": db,
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds, 1) if seconds else None,
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "requests": len(latencies),
        **extra,
    }
    print(json.dumps(line), flush=True)
    EMITTED.append(line)


# Every line printed, for the summary of a repeated run (``--repeat``).
EMITTED: list[dict[str, Any]] = []


def summarise(runs: int) -> None:
    """One more line per workload: the median, lowest and highest of its runs."""
    for workload in dict.fromkeys(line["workload"] for line in EMITTED):
        lines = [line for line in EMITTED if line["workload"] == workload]
        rates = [line["rows_per_s"] for line in lines if line["rows_per_s"] is not None]
        if not rates:
            continue
        p95s = [line["p95_ms"] for line in lines]
        summary = {
            "workload": workload,
            "db": lines[0]["db"],
            "summary_of_runs": runs,
            "rows_per_s_median": statistics.median(rates),
            "rows_per_s_min": min(rates),
            "rows_per_s_max": max(rates),
            "p95_ms_median": statistics.median(p95s),
        }
        print(json.dumps(summary), flush=True)


class TimedTransport(StreamingTransport):
    """Records the latency of every request: to the whole answer for ``post``, to the
    headers for ``open`` (pulls: the client reads the body while the next page is made)."""

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.latencies: list[float] = []

    def post(self, path: str, body: dict[str, Any]):
        started = time.perf_counter()
        try:
            return super().post(path, body)
        finally:
            self.latencies.append(time.perf_counter() - started)

    def open(self, path: str, body: dict[str, Any]):
        started = time.perf_counter()
        try:
            return super().open(path, body)
        finally:
            self.latencies.append(time.perf_counter() - started)


# ---- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database(kind: str, workdir: str) -> tuple[str, Any]:
    if kind == "sqlite":
        return f"sqlite:///{workdir}/bench.sqlite3", None
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    schema = f"folg_bench_{os.getpid()}"
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(sql(f"CREATE SCHEMA {schema}"))

    def drop() -> None:
        with engine.begin() as conn:
            conn.execute(sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()

    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}", drop


def seed(url: str) -> dict[str, Any]:
    """Schema, catalogues, units, users and plans, written directly (not over HTTP)."""
    from server import clock, create_app
    from server.extensions import db
    from server.models import Membership, Organisation, Plan, PlanItem, Unit, User
    from server.models.versioning import act_as
    from server.services.auth import hash_demo_password
    from server.services.catalogues import catalogue_for_plan, ensure_catalogues

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        session = db.session
        act_as(session, None, "cli")
        ensure_catalogues(session)
        org = Organisation(name="Bench kommune", country="DK")
        session.add(org)
        session.flush()
        units = {}
        for name in ("main", "shared", "conflicts"):
            units[name] = Unit(name=f"Bench {name}", kind="dk_tilbud", organisation_id=org.id)
            session.add(units[name])
        session.flush()
        password_hash = hash_demo_password(PASSWORD)  # fixed bench users, as the demo

        def user(email: str, *roles: tuple[str, str]) -> str:
            u = User(email=email, name=email, password_hash=password_hash, created_at=clock.now())
            session.add(u)
            session.flush()
            for role, unit in roles:
                session.add(Membership(user_id=u.id, unit_id=units[unit].id, role=role))
            return email

        catalogue = catalogue_for_plan(session, "dk_tilbud", clock.now().date())
        plans = {}
        for name in units:
            plans[name] = Plan(
                unit_id=units[name].id,
                kind="dk_tilbud",
                catalogue_id=catalogue.id,
                title=f"Bench plan {name}",
            )
            session.add(plans[name])
        session.flush()
        for n in range(100):
            session.add(
                PlanItem(
                    plan_id=plans["shared"].id,
                    unit_id=units["shared"].id,
                    priority=n + 1,
                    goal=text(),
                    result=text(),
                    topic=text(),
                    activities=text(),
                )
            )
        for n in range(500):
            session.add(
                PlanItem(
                    plan_id=plans["conflicts"].id,
                    unit_id=units["conflicts"].id,
                    priority=n + 1,
                    goal=text(),
                )
            )
        emails = {
            "writer": user("writer@bench.example", ("staff", "main")),
            "reader": user("reader@bench.example", ("staff", "main")),
            "anna": user("anna@bench.example", ("staff", "conflicts")),
            "bo": user("bo@bench.example", ("staff", "conflicts")),
            "shared": [user(f"shared{n}@bench.example", ("staff", "shared")) for n in range(20)],
        }
        session.commit()
        info = {"emails": emails, "plans": {k: str(p.id) for k, p in plans.items()}}
        db.engine.dispose()
    return info


def analyze(url: str) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(sql("ANALYZE units, plans, plan_items, progress_notes, conflicts"))
    engine.dispose()


class Server:
    def __init__(self, url: str, workers: int, threads: int):
        self.workers = workers
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "FOLG_DATABASE_URL": url, "FOLG_SECRET_KEY": "bench"}
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--timeout",
                "120",
                "--log-level",
                "warning",
                "server.wsgi:app",
            ],
            cwd=ROOT,
            env=env,
        )
        self._wait()

    def _wait(self) -> None:
        import requests

        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(self.base_url + "/api/health", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("the server did not start")

    def login(self, email: str) -> str:
        import requests

        response = requests.post(
            self.base_url + "/api/auth/login",
            json={"email": email, "password": PASSWORD},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()["token"]

    def warm(self, email: str, requests_per_worker: int = 4) -> None:
        """First pulls, side by side so that every worker answers some."""
        from concurrent.futures import ThreadPoolExecutor

        token = self.login(email)

        def first_page(_: int) -> None:
            _, _, read_body = Client(
                StreamingTransport(self.base_url, token), page_size=1
            )._open_page(None)
            read_body()

        with ThreadPoolExecutor(max_workers=requests_per_worker) as pool:
            list(pool.map(first_page, range(requests_per_worker * self.workers)))

    def client(self, email: str, **kw: Any) -> Client:
        return Client(TimedTransport(self.base_url, self.login(email)), **kw)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


# ---- workloads -------------------------------------------------------------------------------


def w1_push_new_items(server: Server, info: dict, db: str, count: int) -> Client:
    writer = server.client(info["emails"]["writer"], batch_size=500)
    writer.pull()
    writer.transport.latencies.clear()
    plan_id = info["plans"]["main"]
    for n in range(count):
        fields = {name: text() for name in TEXT_FIELDS}
        writer.create("plan_items", {"plan_id": plan_id, "priority": n + 1, **fields})
    settle()
    started = time.perf_counter()
    report = writer.push()
    seconds = time.perf_counter() - started
    statuses = [r["status"] for r in report.results]
    emit(
        "W1",
        db,
        count,
        seconds,
        writer.transport.latencies,
        batch=500,
        applied=statuses.count("applied"),
        rejected=statuses.count("rejected"),
        # Two batches out at once (the next goes before the answer to this one); p50/p95 are
        # per request, a later batch's including its wait at the server for the one before.
        batches_out_at_once=2,
    )
    return writer


def w2_pull_everything(server: Server, info: dict, db: str, url: str) -> Client:
    if url.startswith("postgresql"):
        # Statistics as autovacuum keeps them (it runs within a minute of W1's 10,000 new rows):
        # right after a bulk insert the planner cannot know the table grew.
        analyze(url)
    server.warm(info["emails"]["reader"])
    reader = server.client(info["emails"]["reader"], page_size=1000)
    settle()
    started = time.perf_counter()
    report = reader.pull()
    seconds = time.perf_counter() - started
    emit(
        "W2",
        db,
        report.pulled,
        seconds,
        reader.transport.latencies,
        page=1000,
        # Time from sending each page's request to its headers: the server's work, and the
        # client's wait for it. The client reads and stores a page meanwhile (next page asked
        # for on its headers), so this is not added to the rest; p50/p95 are of this too.
        to_headers_seconds=round(sum(reader.transport.latencies), 3),
    )
    return reader


def w3_delta_pulls(writer: Client, reader: Client, db: str, updates: int, per_push: int) -> None:
    ids = list(writer.rows("plan_items"))
    settle()
    pulled, delta_latencies, started = 0, [], time.perf_counter()
    for start in range(0, updates, per_push):
        for n in range(start, min(updates, start + per_push)):
            writer.update("plan_items", ids[n * 7 % len(ids)], {"result": f"update {n}"})
        writer.push()
        began = time.perf_counter()
        pulled += reader.pull().pulled
        delta_latencies.append(time.perf_counter() - began)
    seconds = time.perf_counter() - started
    emit(
        "W3",
        db,
        updates,
        seconds,
        delta_latencies,
        per_push=per_push,
        delta_pulls=len(delta_latencies),
        changes_pulled=pulled,
        note="p50/p95 are of the delta pulls",
    )


def sync_until_done(client: Client, attempts: int = 20) -> None:
    """Like a device: a server error or a dropped connection means "try again shortly"."""
    for attempt in range(attempts):
        try:
            client.sync()
            return
        except (SyncError, TransportError) as error:
            if isinstance(error, SyncError) and error.status < 500:
                raise
            retries[0] += 1
            time.sleep(0.1 * (attempt + 1))
    raise RuntimeError("the server kept failing")


retries = [0]


def w4_concurrent_shared_rows(server: Server, info: dict, db: str, url: str) -> None:
    clients = [server.client(email) for email in info["emails"]["shared"]]
    for c in clients:
        c.pull()
        c.transport.latencies.clear()
    errors: list[BaseException] = []

    def work(index: int, client: Client) -> None:
        local = random.Random(index)
        try:
            ids = sorted(client.rows("plan_items"))
            for n in range(200):
                field = local.choice(("goal", "result", "topic", "activities"))
                client.update("plan_items", local.choice(ids), {field: f"c{index} n{n}"})
                if n % 10 == 9:
                    sync_until_done(client)
            sync_until_done(client)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(clients)]
    settle()
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started

    counts: dict[str, int] = {}
    acknowledged = []
    for c in clients:
        for mutation, result in c.acknowledged:
            status = result.get("original_status") or result["status"]
            counts[status] = counts.get(status, 0) + 1
            if status != "rejected":
                acknowledged.append(mutation)
    lost = count_lost_writes(url, acknowledged)
    latencies = [lat for c in clients for lat in c.transport.latencies]
    emit(
        "W4",
        db,
        sum(counts.values()),
        seconds,
        latencies,
        clients=len(clients),
        local_updates=200 * len(clients),
        statuses=counts,
        lost_writes=lost,
        retried_syncs=retries[0],
        errors=[repr(e) for e in errors][:3],
    )


def count_lost_writes(url: str, mutations: list[dict]) -> int:
    """Acknowledged field values that are in neither the audit trail nor a conflict."""
    from sqlalchemy import create_engine, select

    from server.models import AuditEvent, Conflict

    engine = create_engine(url)
    written: set[tuple[str, str | None, str]] = set()
    with engine.connect() as conn:
        audit = select(AuditEvent.row_id, AuditEvent.changes).where(
            AuditEvent.table_name == "plan_items"
        )
        for row_id, changes in conn.execute(audit):
            for field, (_, new) in changes.items():
                written.add((str(row_id), field, json.dumps(new)))
        conflicts = select(Conflict.row_id, Conflict.field, Conflict.client_value)
        for row_id, field, value in conn.execute(conflicts):
            written.add((str(row_id), field, json.dumps(value)))
    engine.dispose()
    lost = 0
    for m in mutations:
        for field, value in (m.get("fields") or {}).items():
            if (m["id"], field, json.dumps(value)) not in written:
                lost += 1
    return lost


def w5_conflicts(server: Server, info: dict, db: str) -> None:
    anna = server.client(info["emails"]["anna"])
    bo = server.client(info["emails"]["bo"])
    anna.pull(), bo.pull()
    ids = sorted(anna.rows("plan_items"))
    for n, row_id in enumerate(ids):
        anna.update("plan_items", row_id, {"goal": f"Annas goal {n}"})
        bo.update("plan_items", row_id, {"goal": f"Bos goal {n}"})
    anna.push()
    bo.transport.latencies.clear()
    settle()
    started = time.perf_counter()
    detected = bo.push()
    detect_seconds = time.perf_counter() - started
    conflicts = [r for r in detected.results if r["status"] == "conflict"]
    detect_latencies = list(bo.transport.latencies)

    bo.pull()
    open_ones = [k for k, v in bo.rows("conflicts").items() if v["status"] == "open"]
    bo.transport.latencies.clear()
    started = time.perf_counter()
    for conflict_id in open_ones:
        bo.resolve(conflict_id, "client")
    resolved = bo.push()
    bo.pull()
    resolve_seconds = time.perf_counter() - started
    ok = sum(1 for r in resolved.results if r["status"] == "applied")
    goals_now = sum(1 for v in bo.rows("plan_items").values() if v["goal"].startswith("Bos"))
    emit(
        "W5",
        db,
        len(ids),
        detect_seconds + resolve_seconds,
        detect_latencies + bo.transport.latencies,
        conflicts_detected=len(conflicts),
        detect_seconds=round(detect_seconds, 3),
        resolved=ok,
        resolve_seconds=round(resolve_seconds, 3),
        rows_with_client_value_after=goals_now,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), required=True)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--workloads",
        default="W1,W2,W3,W4,W5",
        help="which to run, comma-separated (W2 and W3 always follow W1)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run N times, each on a fresh database and server, then print each workload's "
        "median (this machine's speed drifts; one run says little)",
    )
    args = parser.parse_args()
    for _ in range(args.repeat):
        run(args)
    if args.repeat > 1:
        summarise(args.repeat)


def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="folg-bench-") as workdir:
        url, drop = fresh_database(args.db, workdir)
        try:
            info = seed(url)
            server = Server(url, args.workers, args.threads)
            try:
                wanted = set(args.workloads.upper().split(","))
                if wanted & {"W1", "W2", "W3"}:
                    writer = w1_push_new_items(server, info, args.db, args.items)
                if wanted & {"W2", "W3"}:
                    reader = w2_pull_everything(server, info, args.db, url)
                if "W3" in wanted:
                    w3_delta_pulls(writer, reader, args.db, updates=500, per_push=10)
                if "W4" in wanted:
                    w4_concurrent_shared_rows(server, info, args.db, url)
                if "W5" in wanted:
                    w5_conflicts(server, info, args.db)
            finally:
                server.stop()
        finally:
            if drop:
                drop()


if __name__ == "__main__":
    main()
