"""PWA benchmark: the built app in Debian's Chromium against a live server, fixed workloads.

    python bench/pwa_bench.py [--items 5000] [--notes 20000]

Builds nothing: run ``npm run build`` in pwa/ first. Starts the Flask app (werkzeug, threaded)
on a free loopback port against a fresh SQLite file with the demo data plus one plan holding
``--items`` items and ``--notes`` notes, then prints one JSON line per target of issue 4:

    size        JavaScript and CSS shipped, gzipped                          target <= 200 KB
    first_sync  a fresh browser logs in and pulls everything into IndexedDB  target <= 10 s
    cold_start  the browser is restarted offline; from navigation to a
                usable plan list (the unit's plans with overdue counts)      target <= 1 s

These are measurements, not tests: they print and never fail on a slow machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import shutil
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from server import create_app  # noqa: E402
from server.extensions import db  # noqa: E402
from server.models import Plan, PlanItem, ProgressNote, User  # noqa: E402
from server.models.versioning import act_as  # noqa: E402

DIST = ROOT / "pwa" / "dist"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EMAIL, PASSWORD = "leder@demo.test", "folg-demo"
UNIT = "Bofællesskabet Lærkevej"
WORDS = [
    "borger",
    "medarbejder",
    "ledelse",
    "tilsyn",
    "plan",
    "mål",
    "aktivitet",
    "dokumentation",
    "møde",
    "opfølgning",
]


def text(rng: random.Random, low: int, high: int) -> str:
    out: list[str] = []
    target = rng.randint(low, high)
    while sum(len(w) + 1 for w in out) < target:
        out.append(rng.choice(WORDS))
    return " ".join(out)[:high]


def seed(app, items: int, notes: int) -> str:
    """Demo data plus one big plan; returns the unit id."""
    from server.demo import seed_demo

    rng = random.Random(4)
    with app.app_context():
        db.create_all()
        act_as(db.session, None, "cli")
        seed_demo(db.session)
        db.session.commit()
        plan = db.session.query(Plan).filter(Plan.kind == "dk_tilbud").first()
        author = db.session.query(User).filter(User.email == EMAIL).one()
        act_as(db.session, author.id, "cli")
        start = date(2026, 1, 1)
        item_ids = []
        for chunk in range(0, items, 1000):
            for i in range(chunk, min(items, chunk + 1000)):
                row = PlanItem(
                    id=uuid.uuid4(),
                    plan_id=plan.id,
                    unit_id=plan.unit_id,
                    priority=i + 3,
                    topic=text(rng, 20, 120),
                    goal=text(rng, 20, 200),
                    activities=text(rng, 40, 200),
                    resources=text(rng, 20, 100),
                    start_date=start,
                    end_date=start + timedelta(days=rng.randint(-200, 400)),
                    documentation=text(rng, 20, 120),
                    responsible=[{"name": "Bench Person"}],
                    result=text(rng, 0, 80),
                    state=rng.choice(["not_started", "in_progress", "done"]),
                )
                db.session.add(row)
                item_ids.append(row.id)
            db.session.flush()
        db.session.commit()
        for chunk in range(0, notes, 2000):
            for _ in range(chunk, min(notes, chunk + 2000)):
                db.session.add(
                    ProgressNote(
                        id=uuid.uuid4(),
                        item_id=rng.choice(item_ids),
                        plan_id=plan.id,
                        unit_id=plan.unit_id,
                        author_id=author.id,
                        text=text(rng, 20, 200),
                        created_at=datetime(2026, 3, 1, tzinfo=UTC),
                    )
                )
            db.session.flush()
        db.session.commit()
        return str(plan.unit_id)


def shipped_size() -> dict:
    html = (DIST / "index.html").read_text()
    files = sorted(
        p for p in (DIST / "assets").iterdir() if p.suffix in (".js", ".css") and p.name in html
    )
    gz = {p.name: len(gzip.compress(p.read_bytes(), 9)) for p in files}
    total = sum(gz.values())
    return {
        "workload": "size",
        "files": gz,
        "js_css_gzip_bytes": total,
        "js_css_gzip_kb": round(total / 1024, 1),
        "target_kb": 200,
        "ok": total <= 200 * 1024,
    }


def server_pull_only(base: str) -> dict:
    """The same full pull from Python, no browser: how much of first_sync is the server's."""
    import requests

    token = requests.post(
        f"{base}/api/auth/login", json={"email": EMAIL, "password": PASSWORD}, timeout=30
    ).json()["token"]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    cursor, rows, pages = None, 0, 0
    start = time.perf_counter()
    while True:
        page = session.post(
            f"{base}/api/sync/pull",
            json={"cursor": cursor, "limit": 1000, "schema_version": 1},
            timeout=60,
        ).json()
        rows += len(page["changes"])
        pages += 1
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    seconds = time.perf_counter() - start
    return {
        "workload": "server_pull_only",
        "rows": rows,
        "pages": pages,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--notes", type=int, default=20000)
    args = parser.parse_args()
    if not (DIST / "index.html").is_file():
        sys.exit("Build the PWA first: cd pwa && npm ci && npm run build")

    print(json.dumps(shipped_size()), flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="folg-pwa-bench-"))
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "SECRET_KEY": "bench",
            "PWA_DIST": str(DIST),
        }
    )
    t0 = time.perf_counter()
    unit_id = seed(app, args.items, args.notes)
    seeded_s = time.perf_counter() - t0
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    profile = tmp / "profile"
    try:
        with sync_playwright() as pw:
            # First sync: a fresh profile logs in; the clock runs from the login click until the
            # sync state says idle with the last page applied.
            context = pw.chromium.launch_persistent_context(
                str(profile),
                executable_path=CHROMIUM,
                args=ARGS,
                base_url=base,
                service_workers="allow",
                viewport={"width": 1280, "height": 900},
            )
            context.set_default_timeout(120_000)
            page = context.pages[0] if context.pages else context.new_page()
            page.goto("/")
            page.get_by_label("E-mail").fill(EMAIL)
            page.get_by_label("Adgangskode").fill(PASSWORD)
            start = time.perf_counter()
            page.get_by_role("button", name="Log ind").click()
            state = page.get_by_test_id("sync-state")
            # requestAnimationFrame polling (a string predicate with an interval would need eval,
            # which the app's CSP forbids).
            page.wait_for_function(
                "() => { const s = document.querySelector('[data-testid=sync-state]');"
                " return s && s.dataset.phase === 'idle' && s.dataset.last !== ''; }"
            )
            first_sync = time.perf_counter() - start
            expect(state).to_have_attribute("data-pending", "0")
            apply_ms = page.evaluate(
                "performance.getEntriesByName('folg-apply-page')"
                ".reduce((sum, e) => sum + e.duration, 0)"
            )
            rows = page.evaluate(
                """() => new Promise((resolve) => {
                  const open = indexedDB.open('folg');
                  open.onsuccess = () => {
                    const tx = open.result.transaction(['plan_items', 'progress_notes']);
                    const a = tx.objectStore('plan_items').count();
                    const b = tx.objectStore('progress_notes').count();
                    tx.oncomplete = () => { resolve([a.result, b.result]); open.result.close(); };
                  };
                })"""
            )
            print(
                json.dumps(
                    {
                        "workload": "first_sync",
                        "items": rows[0],
                        "notes": rows[1],
                        "seconds": round(first_sync, 2),
                        "rows_per_s": round((rows[0] + rows[1]) / first_sync),
                        "indexeddb_apply_seconds": round(apply_ms / 1000, 2),
                        "target_s": 10,
                        "ok": first_sync <= 10,
                        "server_seed_seconds": round(seeded_s, 1),
                    }
                ),
                flush=True,
            )
            page.wait_for_function("navigator.serviceWorker.controller !== null")
            context.close()
            print(json.dumps(server_pull_only(base)), flush=True)

            # Cold start: a new browser process on the same profile, offline.
            runs = []
            for _ in range(3):
                context = pw.chromium.launch_persistent_context(
                    str(profile),
                    executable_path=CHROMIUM,
                    args=ARGS,
                    base_url=base,
                    service_workers="allow",
                    viewport={"width": 1280, "height": 900},
                    offline=True,
                )
                context.set_default_timeout(60_000)
                page = context.pages[0] if context.pages else context.new_page()
                start = time.perf_counter()
                page.goto(f"/#/units/{unit_id}", wait_until="commit")
                page.get_by_test_id("plan-list").wait_for()
                wall = time.perf_counter() - start
                in_page = page.evaluate("performance.now()")
                marks = page.evaluate(
                    "Object.fromEntries(performance.getEntriesByType('mark')"
                    ".filter(m => m.name.startsWith('folg-'))"
                    ".map(m => [m.name, Math.round(m.startTime)]))"
                )
                overdue = page.get_by_test_id("overdue").first.inner_text()
                runs.append((wall, in_page / 1000, overdue, marks))
                context.close()
            best = min(r[0] for r in runs)
            print(
                json.dumps(
                    {
                        "workload": "cold_start",
                        "offline": True,
                        "items_in_store": rows[0],
                        "seconds_runs": [round(r[0], 3) for r in runs],
                        "in_page_seconds_runs": [round(r[1], 3) for r in runs],
                        "median_seconds": round(sorted(r[0] for r in runs)[1], 3),
                        "best_seconds": round(best, 3),
                        "overdue_label": runs[0][2],
                        "marks_ms_last_run": runs[-1][3],
                        "target_s": 1,
                        "ok": sorted(r[0] for r in runs)[1] <= 1,
                    },
                    ensure_ascii=False,
                ),
                flush=True,
            )
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
