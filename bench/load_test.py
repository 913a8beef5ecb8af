"""Load test: many devices pull and push against gunicorn for a bounded time, then we check
that nothing acknowledged was lost and that every device converged.

    python bench/load_test.py --devices 200 --seconds 60            # PostgreSQL (default)
    python bench/load_test.py --devices 20 --seconds 5 --db sqlite
    python bench/load_test.py --devices 200 --seconds 60 --servers 2 --workers 2   # two hosts

Loopback only, bounded in time, stops by itself:

1. a fresh database (a new PostgreSQL schema that is dropped afterwards, or a new SQLite
   file) gets the tables, the catalogues, the demo data (``seed_demo``) and a load team per
   ten users: a unit, a plan with twenty items, a manager and staff;
2. gunicorn (gthread workers) starts on a free 127.0.0.1 port; with ``--servers N``, N of them
   on N ports against the one database, as N application hosts behind one proxy would be;
3. each simulated device is a reference client (``sync/client.py``, a local SQLite store and
   an outbox) in its own thread; two devices per user (a phone and a tablet). A device loops:
   a few offline edits of its unit's shared items, new progress notes, now and then a new
   item or a conflict resolution, then ``sync()`` (pull, push, pull), or only a pull, then a
   short think time. A failed request is counted as an error and retried, as a device would;
4. after ``--seconds`` the devices stop editing, sync until their outboxes are empty and
   pull once more; then:
   - lost writes: every acknowledged field value must be in the audit trail (it was applied)
     or in a conflict record (it was kept for a person to decide); every acknowledged delete
     left a tombstone;
   - duplicates: each row was created once; each device's mutation ids were answered once,
     1..n without a gap;
   - convergence: each device holds exactly what a fresh device of the same user pulls.

Prints one JSON document (requests, throughput, latency percentiles per endpoint, errors,
statuses, the checks, and the machine's load average) and exits non-zero if any check fails.

The pieces (``fresh_database``, ``LiveServer``, ``Device``, the checks) are also used by the
fault tests in ``tests/reliability/``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sync.client import Client, SyncError  # noqa: E402
from sync.protocol import DELETE, DUPLICATE, REJECTED  # noqa: E402
from sync.transport import RequestsTransport, TransportError  # noqa: E402

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "load test password"
USERS_PER_UNIT = 10
ITEMS_PER_PLAN = 20
EDITABLE_FIELDS = ("goal", "result", "activities", "documentation", "resources")


def pg_url_from_env() -> str:
    return os.environ.get("FOLG_LOAD_PG_URL") or os.environ.get(
        "FOLG_TEST_DATABASE_URL", DEFAULT_PG_URL
    )


def machine_load() -> dict[str, Any]:
    """What `uptime` says: the machine is shared, so figures mean little without it."""
    try:
        one, five, fifteen = Path("/proc/loadavg").read_text().split()[:3]
        load = [float(one), float(five), float(fifteen)]
    except OSError:
        load = [round(x, 2) for x in os.getloadavg()]
    return {"loadavg_1_5_15": load, "cpus": os.cpu_count()}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- the database ----------------------------------------------------------------------------


@dataclass
class Database:
    kind: str  # "postgresql" | "sqlite"
    url: str  # what the server connects with
    workdir: str  # where the server's log (and a SQLite file) live
    application_name: str | None = None  # PostgreSQL: names the server's backends
    schema: str | None = None


@contextlib.contextmanager
def fresh_database(kind: str, workdir: str, pg_url: str | None = None) -> Iterator[Database]:
    """A database nobody else uses, with the tables, the catalogues and the demo data; a
    PostgreSQL schema is dropped afterwards. Never touches another schema or database."""
    if kind == "sqlite":
        database = Database("sqlite", f"sqlite:///{workdir}/folg-load.sqlite3", workdir)
        create_tables(database.url)
        yield database
        return
    from sqlalchemy import create_engine, text

    pg_url = pg_url or pg_url_from_env()
    tag = f"{os.getpid()}_{uuid.uuid4().hex[:8]}"
    schema, application_name = f"folg_load_{tag}", f"folg_load_{tag}"
    admin = create_engine(pg_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in pg_url else "?"
    url = f"{pg_url}{sep}options=-csearch_path%3D{schema}&application_name={application_name}"
    try:
        create_tables(url)
        yield Database("postgresql", url, workdir, application_name, schema)
    finally:
        with admin.begin() as conn:
            # Our own server's leftovers only (it is stopped by now; this is belt and braces).
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = :name AND pid <> pg_backend_pid()"
                ),
                {"name": application_name},
            )
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def _app(url: str):
    from server import create_app

    return create_app({"DATABASE_URL": url, "SECRET_KEY": "load-test"})


def create_tables(url: str) -> None:
    from server.demo import seed_demo
    from server.extensions import db
    from server.models.versioning import act_as
    from server.services.catalogues import ensure_catalogues

    app = _app(url)
    with app.app_context():
        db.create_all()
        act_as(db.session, None, "cli")
        ensure_catalogues(db.session)
        seed_demo(db.session)  # demo-like content next to the load teams
        db.session.commit()
        db.engine.dispose()


def _cheap_password_hash() -> str:
    # argon2 is slow by design; hundreds of logins at once would measure argon2. The server
    # reads the parameters from the hash, so logins of these users are fast.
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


@dataclass
class Team:
    """A unit with a plan, items, a manager and staff: what a group of devices shares."""

    unit_id: str
    plan_id: str
    item_ids: list[str]
    emails: list[str]  # the first one is the manager


def seed_teams(
    url: str, users: int, items: int = ITEMS_PER_PLAN, label: str = "Load"
) -> list[Team]:
    """Units of up to ``USERS_PER_UNIT`` users each, written directly (not over HTTP)."""
    from server import clock
    from server.extensions import db
    from server.models import Membership, Organisation, Plan, PlanItem, Unit, User
    from server.models.versioning import act_as
    from server.services.catalogues import catalogue_for_plan

    app = _app(url)
    teams: list[Team] = []
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        session = db.session
        act_as(session, None, "cli")
        org = Organisation(name=f"{label} kommune {tag}", country="DK")
        session.add(org)
        session.flush()
        catalogue = catalogue_for_plan(session, "dk_tilbud", clock.now().date())
        password_hash = _cheap_password_hash()
        made = 0
        while made < users:
            n = len(teams)
            unit = Unit(name=f"{label} unit {tag}-{n}", kind="dk_tilbud", organisation_id=org.id)
            session.add(unit)
            session.flush()
            plan = Plan(
                unit_id=unit.id,
                kind="dk_tilbud",
                catalogue_id=catalogue.id,
                title=f"{label} opfølgningsplan {n}",
            )
            session.add(plan)
            session.flush()
            item_rows = [
                PlanItem(
                    plan_id=plan.id,
                    unit_id=unit.id,
                    priority=i + 1,
                    topic=f"Emne {i + 1}",
                    goal=f"Mål {i + 1}",
                )
                for i in range(items)
            ]
            session.add_all(item_rows)
            emails = []
            for k in range(min(USERS_PER_UNIT, users - made)):
                email = f"{label.lower()}-{tag}-{n}-{k}@load.example"
                user = User(
                    email=email,
                    name=f"{label} user {n}-{k}",
                    password_hash=password_hash,
                    created_at=clock.now(),
                )
                session.add(user)
                session.flush()
                role = "manager" if k == 0 else "staff"
                session.add(Membership(user_id=user.id, unit_id=unit.id, role=role))
                emails.append(email)
            made += len(emails)
            session.flush()
            teams.append(Team(str(unit.id), str(plan.id), [str(i.id) for i in item_rows], emails))
        session.commit()
        db.engine.dispose()
    return teams


# ---- the server ------------------------------------------------------------------------------


class LiveServer:
    """gunicorn in its own process group, so ``kill()`` takes the master and every worker at
    once, as a crash of the machine or container would."""

    def __init__(
        self,
        database: Database,
        workdir: str,
        *,
        workers: int = 4,
        threads: int = 4,
        port: int | None = None,
        extra_env: dict[str, str] | None = None,
    ):
        self.database = database
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workers, self.threads = workers, threads
        self.log_path = Path(workdir) / f"gunicorn-{self.port}.log"
        self.env = {
            **os.environ,
            "FOLG_DATABASE_URL": database.url,
            "FOLG_SECRET_KEY": "load-test",
            # Many devices log in from one address; none of these logins fails anyway.
            "FOLG_LOGIN_MAX_FAILURES": "100000",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> LiveServer:
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(self.threads),
            "--timeout",
            "120",
            # Devices reuse their connection between syncs, as they would behind a proxy.
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
            "server.wsgi:app",
        ]
        log = self.log_path.open("a")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self._wait_until_up(timeout)
        return self

    def _wait_until_up(self, timeout: float) -> None:
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_tail()}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.base_url + "/api/health", timeout=1).status_code == 200:
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the master and all workers: no graceful shutdown, requests cut mid-way."""
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def login(self, email: str, attempts: int = 10) -> str:
        import requests

        for attempt in range(attempts):
            try:
                response = requests.post(
                    self.base_url + "/api/auth/login",
                    json={"email": email, "password": PASSWORD},
                    timeout=30,
                )
                if response.status_code == 200:
                    return response.json()["token"]
            except requests.RequestException:
                pass
            time.sleep(0.2 * (attempt + 1))
        raise RuntimeError(f"could not log in {email}")


# ---- devices ---------------------------------------------------------------------------------


@dataclass
class Call:
    endpoint: str
    seconds: float
    status: int | None  # None: no answer (connection refused, reset, timeout)


class RecordingTransport(RequestsTransport):
    """Records every request's endpoint, latency and status; ``fault`` may make it lose a
    request or its response (see the fault tests)."""

    def __init__(self, base_url: str, token: str, timeout: float = 60.0):
        super().__init__(base_url, token, timeout)
        self.calls: list[Call] = []
        self.fault: Callable[[str, dict[str, Any]], str | None] | None = None

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        endpoint = path.rsplit("/", 1)[-1]
        what = self.fault(path, body) if self.fault else None
        if what == "request":
            raise TransportError(f"lost request to {path} (injected)")
        started = time.perf_counter()
        try:
            status, answer = super().post(path, body)
        except TransportError:
            self.calls.append(Call(endpoint, time.perf_counter() - started, None))
            raise
        self.calls.append(Call(endpoint, time.perf_counter() - started, status))
        if what == "response":
            raise TransportError(f"lost response from {path} (injected, after the server answered)")
        return status, answer


class Device:
    """A reference client of one user, with the edits a person on the floor would make."""

    def __init__(self, server: LiveServer, team: Team, email: str, index: int, **client_kw: Any):
        self.team, self.email, self.index = team, email, index
        self.transport = RecordingTransport(server.base_url, server.login(email))
        self.client = Client(self.transport, **client_kw)
        self.rng = random.Random(index)
        self.edits = 0
        self.retries = 0
        # Device time: what this device writes into timestamps it makes (progress notes).
        self.clock_offset_seconds = 0.0

    def edit_offline(self) -> None:
        """One local change, with a value nobody else writes, so the checks can find it."""
        self.edits += 1
        value = f"d{self.index}-e{self.edits}"
        items = self.client.rows("plan_items")
        roll = self.rng.random()
        if roll < 0.08 or not items:
            self.client.create(
                "plan_items",
                {"plan_id": self.team.plan_id, "topic": f"Nyt emne {value}", "goal": value},
            )
        elif roll < 0.40:
            note: dict[str, Any] = {"item_id": self.rng.choice(sorted(items)), "text": value}
            if self.clock_offset_seconds:
                note["created_at"] = self.device_now()
            self.client.create("progress_notes", note)
        elif roll < 0.44 and self._resolve_a_conflict():
            return
        else:
            item = self.rng.choice(sorted(items))
            self.client.update("plan_items", item, {self.rng.choice(EDITABLE_FIELDS): value})

    def device_now(self) -> str:
        from datetime import UTC, datetime, timedelta

        now = datetime.now(UTC) + timedelta(seconds=self.clock_offset_seconds)
        return now.isoformat()

    def _resolve_a_conflict(self) -> bool:
        open_ones = sorted(
            k for k, v in self.client.rows("conflicts").items() if v.get("status") == "open"
        )
        if not open_ones:
            return False
        self.client.resolve(self.rng.choice(open_ones), self.rng.choice(("server", "client")))
        return True

    def sync(self, attempts: int = 60, pull_only: bool = False) -> None:
        """Sync as a device does: a failed request (no answer, or a 5xx) means try again
        shortly with the same outbox. A 4xx is a bug in client or server: raise it."""
        for attempt in range(attempts):
            try:
                if pull_only:
                    self.client.pull()
                else:
                    self.client.sync()
                return
            except (TransportError, SyncError) as error:
                if isinstance(error, SyncError) and error.status < 500:
                    raise
                self.retries += 1
                time.sleep(min(1.0, 0.05 * 2 ** min(attempt, 5)) * (0.5 + self.rng.random()))
        raise RuntimeError(f"device {self.index} could not sync after {attempts} attempts")

    def settle(self) -> None:
        """Sync until nothing is waiting to go out."""
        for _ in range(10):
            self.sync()
            if self.client.pending_count() == 0:
                return
        raise RuntimeError(f"device {self.index} still has {self.client.pending_count()} pending")

    def close(self) -> None:
        self.client.db.close()
        self.transport.session.close()


def make_devices(
    server: LiveServer | list[LiveServer],
    teams: list[Team],
    count: int,
    per_user: int = 2,
    **client_kw: Any,
) -> list[Device]:
    """``per_user`` devices per user (a phone and a tablet), filling teams in order. Given
    several servers, device n talks to server n mod their number, so the two devices of one
    user, and the users of one unit, write through different servers at once."""
    servers = server if isinstance(server, list) else [server]
    emails = [(team, email) for team in teams for email in team.emails]
    devices = []
    for index in range(count):
        team, email = emails[(index // per_user) % len(emails)]
        devices.append(Device(servers[index % len(servers)], team, email, index, **client_kw))
    return devices


def run_in_threads(work: Callable[[Device], None], devices: list[Device], width: int = 0) -> None:
    """Run ``work`` for every device, ``width`` at a time (all at once by default); re-raise
    the first failure."""
    failures: list[BaseException] = []
    width = width or len(devices)
    queue = list(devices)
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not queue or failures:
                    return
                device = queue.pop()
            try:
                work(device)
            except BaseException as error:  # noqa: BLE001 - re-raised below
                failures.append(error)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(width, len(queue)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise failures[0]


# ---- the checks ------------------------------------------------------------------------------


def _engine(database: Database):
    from sqlalchemy import create_engine

    # A different application_name, so a fault test terminating the server's backends never
    # hits the checker.
    url = database.url.replace("application_name=", "application_name=checker_")
    return create_engine(url)


def find_lost_writes(database: Database, devices: list[Device]) -> list[str]:
    """Acknowledged writes that are in neither the audit trail nor a conflict record; and
    rows whose final state is not what their audit trail ends with (so "in the audit trail"
    means "in the final state, unless a later accepted change replaced it")."""
    from sqlalchemy import select

    from server.models import AuditEvent, Conflict, Plan, PlanItem, ProgressNote
    from server.models.versioning import to_json_value

    applied: set[tuple[str, str, str]] = set()
    latest: dict[tuple[str, str], tuple[int, str]] = {}  # (row, field) -> (version, value)
    tombstoned: set[str] = set()
    kept: set[tuple[str, str | None, str]] = set()
    lost = []
    engine = _engine(database)
    with engine.connect() as conn:
        for row_id, action, version, changes in conn.execute(
            # Synced rows' events only (access changes to users and memberships have none).
            select(
                AuditEvent.row_id, AuditEvent.action, AuditEvent.version, AuditEvent.changes
            ).where(AuditEvent.version.is_not(None))
        ):
            for name, (_, new) in changes.items():
                value = json.dumps(new, sort_keys=True)
                applied.add((str(row_id), name, value))
                if latest.get((str(row_id), name), (0, ""))[0] < version:
                    latest[(str(row_id), name)] = (version, value)
            if action == "delete":
                tombstoned.add(str(row_id))
        for model in (Plan, PlanItem, ProgressNote):
            columns = [model.__table__.c[name] for name in (*model.sync_fields, "deleted")]
            for row in conn.execute(select(model.__table__.c.id, *columns)):
                for name, final in zip((*model.sync_fields, "deleted"), row[1:], strict=True):
                    audited = latest.get((str(row[0]), name))
                    value = json.dumps(to_json_value(final), sort_keys=True)
                    if audited is None or audited == (1, "null"):
                        # A create's audit event records null for columns that get their
                        # default at INSERT (a known gap: tests/reliability/test_audit_trail.py).
                        continue
                    if audited[1] != value:
                        lost.append(
                            f"{model.sync_table} {row[0]} {name}: final {value} but "
                            f"the audit trail ends with {audited[1]}"
                        )
        for row_id, name, client_value, kind in conn.execute(
            select(Conflict.row_id, Conflict.field, Conflict.client_value, Conflict.kind)
        ):
            if kind == "delete_edit" and isinstance(client_value, dict):
                for key, value in client_value.items():
                    kept.add((str(row_id), key, json.dumps(value, sort_keys=True)))
            else:
                kept.add((str(row_id), name, json.dumps(client_value, sort_keys=True)))
    engine.dispose()

    for device in devices:
        for mutation, result in device.client.acknowledged:
            status = result.get("original_status") or result["status"]
            if status in (REJECTED, DUPLICATE):
                continue
            row_id = mutation["id"]
            if mutation["op"] == DELETE:
                if row_id not in tombstoned:
                    lost.append(f"delete of {mutation['table']} {row_id}")
                continue
            for name, value in mutation["fields"].items():
                key = (row_id, name, json.dumps(value, sort_keys=True))
                if key not in applied and key not in kept:
                    lost.append(f"{mutation['table']} {row_id} {name}={value!r} ({status})")
    return lost


def find_duplicates(database: Database, devices: list[Device]) -> list[str]:
    """Rows created twice, and mutation ids answered twice or skipped."""
    from sqlalchemy import func, select

    from server.models import AuditEvent, SyncMutationResult

    problems = []
    engine = _engine(database)
    with engine.connect() as conn:
        twice = conn.execute(
            select(AuditEvent.row_id, func.count())
            .where(AuditEvent.action == "create")
            .group_by(AuditEvent.row_id)
            .having(func.count() > 1)
        ).all()
        problems += [f"row {row_id} created {n} times" for row_id, n in twice]
        for device in devices:
            runs = conn.execute(
                select(SyncMutationResult.first_mutation_id, SyncMutationResult.result).where(
                    SyncMutationResult.client_id == device.client.client_id
                )
            )
            # A row holds the answers to one push (or, from before 0008, one answer).
            answered = sorted(
                answer["mutation_id"]
                for first, result in runs
                for answer in (result if first is not None else [result])
            )
            # After settling the outbox is empty: every id the device sent was acknowledged.
            sent = max((m["mutation_id"] for m, _ in device.client.acknowledged), default=0)
            if answered != list(range(1, sent + 1)):
                problems.append(
                    f"device {device.index}: answered ids {answered[:5]}... ({len(answered)}),"
                    f" sent 1..{sent}"
                )
    engine.dispose()
    return problems


CONVERGED_TABLES = ("units", "plans", "plan_items", "progress_notes", "conflicts")


def find_divergence(server: LiveServer, devices: list[Device], width: int = 16) -> list[str]:
    """Devices whose rows differ from what a fresh device of the same user pulls now."""
    expected: dict[str, dict[str, dict[str, Any]]] = {}
    lock = threading.Lock()
    by_email: dict[str, Device] = {}
    for device in devices:
        by_email.setdefault(device.email, device)

    def fresh_view(device: Device) -> None:
        transport = RequestsTransport(server.base_url, server.login(device.email))
        fresh = Client(transport)
        fresh.pull()
        view = {table: fresh.rows(table) for table in CONVERGED_TABLES}
        fresh.db.close()
        transport.session.close()
        with lock:
            expected[device.email] = view

    run_in_threads(fresh_view, list(by_email.values()), width)
    problems = []
    for device in devices:
        for table in CONVERGED_TABLES:
            mine, theirs = device.client.rows(table), expected[device.email][table]
            if mine != theirs:
                differing = sorted(
                    k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k)
                )
                problems.append(f"device {device.index} {table}: {len(differing)} rows differ")
    return problems


def converge(devices: list[Device], width: int = 16) -> None:
    """Everyone syncs until their outboxes are empty; then everyone pulls what the others
    pushed meanwhile."""
    run_in_threads(Device.settle, devices, width)
    run_in_threads(lambda d: d.sync(pull_only=True), devices, width)


# ---- the load run ----------------------------------------------------------------------------


def drive(devices: list[Device], seconds: float, think_ms: float) -> float:
    """Every device edits and syncs until the time is up; returns the elapsed seconds."""
    stop_at = time.monotonic() + seconds

    def loop(device: Device) -> None:
        rng = device.rng
        # Stagger the start so 200 devices do not all pull in the same millisecond.
        time.sleep(rng.random() * think_ms / 1000)
        while time.monotonic() < stop_at:
            if rng.random() < 0.3:
                device.sync(pull_only=True)  # checking for news
            else:
                for _ in range(rng.randint(1, 3)):
                    device.edit_offline()
                device.sync()
            time.sleep(rng.random() * 2 * think_ms / 1000)

    started = time.monotonic()
    run_in_threads(loop, devices)
    return time.monotonic() - started


def summarise(devices: list[Device], seconds: float) -> dict[str, Any]:
    calls = [c for d in devices for c in d.transport.calls]
    endpoints: dict[str, Any] = {}
    for name in sorted({c.endpoint for c in calls}):
        mine = [c for c in calls if c.endpoint == name]
        ok = [c.seconds for c in mine if c.status == 200]
        endpoints[name] = {
            "requests": len(mine),
            "per_s": round(len(mine) / seconds, 1),
            "p50_ms": round(percentile(ok, 50) * 1000, 1),
            "p95_ms": round(percentile(ok, 95) * 1000, 1),
            "p99_ms": round(percentile(ok, 99) * 1000, 1),
            "max_ms": round(max(ok, default=0) * 1000, 1),
            "errors": sum(1 for c in mine if c.status != 200),
        }
    statuses: dict[str, int] = {}
    rejected: dict[str, int] = {}
    for device in devices:
        for _, result in device.client.acknowledged:
            status = result.get("original_status") or result["status"]
            statuses[status] = statuses.get(status, 0) + 1
            if status == REJECTED:
                code = result.get("error", {}).get("error", "?")
                rejected[code] = rejected.get(code, 0) + 1
    return {
        "requests": len(calls),
        "throughput_rps": round(len(calls) / seconds, 1),
        "endpoints": endpoints,
        "errors": sum(1 for c in calls if c.status != 200),
        "mutations": statuses,
        "rejected_by_code": rejected,
        "edits": sum(d.edits for d in devices),
    }


def load_test(args: argparse.Namespace) -> dict[str, Any]:
    report: dict[str, Any] = {
        "devices": args.devices,
        "seconds": args.seconds,
        "db": args.db,
        "gunicorn": {"servers": args.servers, "workers": args.workers, "threads": args.threads},
        "think_ms": args.think_ms,
        "load_before": machine_load(),
    }
    with (
        tempfile.TemporaryDirectory(prefix="folg-load-") as workdir,
        fresh_database(args.db, workdir, args.pg_url) as database,
    ):
        users = max(1, (args.devices + 1) // 2)
        teams = seed_teams(database.url, users)
        # Several gunicorns on one database stand for several application hosts behind one
        # proxy (docs/deploy.md, "More than one machine").
        servers = [
            LiveServer(database, workdir, workers=args.workers, threads=args.threads)
            for _ in range(args.servers)
        ]
        devices: list[Device] = []
        try:
            for server in servers:
                server.start()
            # Logins and first pulls are set-up, not the measured run.
            devices = make_devices(servers, teams, args.devices)
            run_in_threads(lambda d: d.sync(pull_only=True), devices, 16)
            for d in devices:
                d.transport.calls.clear()
            elapsed = drive(devices, args.seconds, args.think_ms)
            report["load_during"] = machine_load()
            report.update(summarise(devices, elapsed))
            report["requests_per_server"] = [
                sum(len(d.transport.calls) for d in devices if d.transport.base_url == s.base_url)
                for s in servers
            ]
            report["elapsed_s"] = round(elapsed, 2)
            started = time.monotonic()
            converge(devices)
            report["converge_s"] = round(time.monotonic() - started, 2)
            lost = find_lost_writes(database, devices)
            duplicates = find_duplicates(database, devices)
            # A fresh device asks the last server: most devices wrote through another one.
            divergent = find_divergence(servers[-1], devices)
            report["checks"] = {
                "acknowledged_mutations": sum(len(d.client.acknowledged) for d in devices),
                "lost_writes": len(lost),
                "duplicates": len(duplicates),
                "diverged_devices": len({p.split()[1] for p in divergent}),
                "examples": (lost + duplicates + divergent)[:5],
            }
            report["ok"] = report["errors"] == 0 and not lost and not duplicates and not divergent
        finally:
            for d in devices:
                d.close()
            for server in servers:
                server.stop()
        if not report.get("ok"):
            report["server_log_tail"] = "\n".join(server.log_tail(20) for server in servers)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument(
        "--pg-url",
        default=None,
        help="default: FOLG_LOAD_PG_URL, then FOLG_TEST_DATABASE_URL, then the local test database",
    )
    parser.add_argument(
        "--servers", type=int, default=1, help="gunicorn servers on one database, each on its port"
    )
    parser.add_argument("--workers", type=int, default=4, help="per server")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think-ms", type=float, default=500, help="mean pause between syncs")
    args = parser.parse_args(argv)
    if not 1 <= args.devices <= 1000 or not 0 < args.seconds <= 600 or not 1 <= args.servers <= 4:
        parser.error("keep it bounded: 1-1000 devices, at most 600 seconds, 1-4 servers")
    report = load_test(args)
    print(json.dumps(report, indent=2), flush=True)
    return 0 if report.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
