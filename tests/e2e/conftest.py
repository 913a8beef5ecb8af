"""End-to-end fixtures: the real Flask app on a loopback port, the built PWA, Debian's Chromium.

- ``live_server``: ``create_app`` on a fresh SQLite file, seeded with the demo data, served by
  werkzeug in a thread on a free ``127.0.0.1`` port, for the whole session.
- ``browser``: Playwright for Python driving ``/usr/bin/chromium`` (Playwright's own browser
  download is not used), or ``FOLG_CHROMIUM``.
- ``new_context``: a fresh profile per call (own IndexedDB, own service worker), closed after
  the test; phone and desktop viewports.
- ``api``: a tiny REST client to check what reached the server.

Nothing waits a fixed time: every wait is on a condition in the page or the server.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from server import create_app
from server.extensions import db
from server.models import Plan, Unit
from server.models.versioning import act_as

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "pwa" / "dist"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("FOLG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "folg-demo"
STAFF = "medarbejder@demo.test"
MANAGER = "leder@demo.test"
ADMIN = "admin@demo.test"
DESKTOP = {"width": 1440, "height": 900}
# Generous: CI machines are shared and argon2 logins are slow on purpose. Waits end as soon as
# their condition holds, so a fast machine never waits this long.
TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    if not (DIST / "index.html").is_file():
        pytest.fail("The PWA is not built: run `npm ci && npm run build` in pwa/.", pytrace=False)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium.", pytrace=False)
    workdir = tmp_path_factory.mktemp("e2e")
    path = workdir / "folg-e2e.sqlite3"
    # A copy of the build, so a test can publish a "new version" of the app without touching
    # pwa/dist.
    dist = workdir / "dist"
    shutil.copytree(DIST, dist)
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{path}",
            "TESTING": True,
            "SECRET_KEY": "e2e",
            "PWA_DIST": str(dist),
            # The suite logs in many times from one address.
            "LOGIN_MAX_FAILURES": 1000,
            # The push tests' stand-in push service hands out loopback endpoints, which a
            # server refuses by default (docs/push.md); nothing is ever sent to them.
            "PUSH_ALLOW_LOOPBACK": True,
        }
    )
    from server.demo import seed_demo

    with app.app_context():
        db.create_all()
        act_as(db.session, None, "cli")
        seed_demo(db.session)
        db.session.commit()
        demo_plans = _demo_plan_of_each_unit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", dist, demo_plans)
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


def _demo_plan_of_each_unit() -> dict[str, str]:
    """Each unit's plan as the demo seeded it: the first the plan list shows (newest plan
    date, then title), read once before any test runs, so that a plan a test makes in a demo
    unit never becomes "the unit's plan" of a test that runs after it."""
    first: dict[str, str] = {}
    rows = db.session.execute(
        select(Unit.name, Plan.id)
        .join(Plan, Plan.unit_id == Unit.id)
        .where(Plan.deleted.is_(False))
        .order_by(Plan.plan_date.desc(), Plan.title)
    )
    for unit_name, plan_id in rows:
        first.setdefault(unit_name, str(plan_id))
    return first


class LiveServer(str):
    """The base URL (a str, so Playwright takes it as is), the build directory it serves and
    the demo's plan of each unit."""

    def __new__(cls, url: str, dist: Path, demo_plans: dict[str, str]):
        self = super().__new__(cls, url)
        self.dist = dist
        self.demo_plans = demo_plans
        return self


class Api:
    """The REST API as a test sees it: log in once per user, then GET/POST with the token."""

    def __init__(self, base: LiveServer):
        self.base = base
        self.demo_plans = base.demo_plans
        self.tokens: dict[str, str] = {}

    def token(self, email: str) -> str:
        if email not in self.tokens:
            r = requests.post(
                f"{self.base}/api/auth/login",
                json={"email": email, "password": PASSWORD},
                timeout=10,
            )
            r.raise_for_status()
            self.tokens[email] = r.json()["token"]
        return self.tokens[email]

    def get(self, path: str, as_user: str = MANAGER):
        r = requests.get(
            self.base + path,
            headers={"Authorization": f"Bearer {self.token(as_user)}"},
            timeout=10,
        )
        r.raise_for_status()
        return r.json()

    def post(self, path: str, body: dict, as_user: str = MANAGER):
        r = requests.post(
            self.base + path,
            json=body,
            headers={"Authorization": f"Bearer {self.token(as_user)}"},
            timeout=10,
        )
        assert r.status_code < 300, (r.status_code, r.text)
        return r.json() if r.content else None

    def plan_of_unit(self, unit_name: str) -> dict:
        """The unit's demo plan, as the plan list gives it now."""
        unit = next(u for u in self.get("/api/units") if u["name"] == unit_name)
        plans = self.get(f"/api/plans?unit_id={unit['id']}")
        return next(p for p in plans if p["id"] == self.demo_plans[unit_name])

    def new_item(self, plan_id: str, **fields) -> dict:
        body = {
            "id": str(uuid.uuid4()),
            "plan_id": plan_id,
            "topic": f"E2E {uuid.uuid4().hex[:8]}",
            **fields,
        }
        return self.post(f"/api/plans/{plan_id}/items", body)


@pytest.fixture(scope="session")
def api(live_server) -> Api:
    return Api(live_server)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server):
    contexts = []

    def make(viewport=DESKTOP, **options):
        context = browser.new_context(
            base_url=live_server,
            viewport=viewport,
            service_workers="allow",
            locale="da-DK",
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
