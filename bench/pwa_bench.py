"""PWA benchmark: built apps in Debian's Chromium against a live server, fixed workloads.

    python bench/pwa_bench.py [--items 5000] [--notes 20000] [--large]
                              [--dist pwa/dist [--dist /tmp/main-pwa/dist]]
                              [--cpu-throttle 4] [--runs 3] [--sync-runs 1] [--profile]
                              [--workloads size,first_sync,server_pull,cold_start,boot_reads,
                                           open_plan]

Builds nothing: run ``npm run build`` in pwa/ first (and in the other tree for a comparison).
Seeds a fresh SQLite file with the demo data plus one plan holding ``--items`` items and
``--notes`` notes and one plan of ``--plan-items`` (500) items, then starts one Flask app
(werkzeug, threaded) per ``--dist`` on the same database, so two builds (today's and main's,
say) are measured side by side in one run, alternately, on the same data. One JSON line per
workload, build and run:

    size         JavaScript and CSS of the first screen, gzipped (what index.html loads and
                 what it preloads), and all of them; target first screen <= 60 KB
    first_sync   a fresh browser logs in and pulls everything into IndexedDB; target <= 3 s
                 for 5,004 items + 20,004 notes
    server_pull  the same full pull from Python, no browser: the server's share
    cold_start   the browser is restarted offline; from navigation to a usable plan list (the
                 unit's plans with overdue counts); target <= 400 ms (<= 1 s at 50,000 items)
    boot_reads   the same cold start once more, counting what the page asks IndexedDB for until
                 the first screen is drawn (mark `folg-first-render`): requests and rows or
                 cursor steps per object store and index (not timed: the counting slows it)
    open_plan    offline, a 360 px wide phone opens the 500-row plan and the largest plan:
                 time to the first rows; then scrolls to the end and counts long tasks
                 (> 50 ms); target <= 300 ms to first rows, no long task while scrolling
    compare      with two --dist: each figure of the second build divided by the first's

``--large`` is 50,000 items + 200,000 notes. ``--cpu-throttle 4`` runs every browser workload
with Chromium's CPU throttling (CDP Emulation.setCPUThrottlingRate) at 4x, as a mid-range
phone. ``--profile`` adds, for the first sync, the page's JavaScript by self time (CDP
Profiler): what the main thread did while IndexedDB wrote.

These are measurements, not tests: they print and never fail on a slow machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import shutil
import statistics
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
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
WORKLOADS = ["size", "first_sync", "server_pull", "cold_start", "boot_reads", "open_plan"]


def text(rng: random.Random, low: int, high: int) -> str:
    out: list[str] = []
    target = rng.randint(low, high)
    while sum(len(w) + 1 for w in out) < target:
        out.append(rng.choice(WORDS))
    return " ".join(out)[:high]


def add_items(session, rng, plan, items: int, first_priority: int) -> list:
    start = date(2026, 1, 1)
    ids = []
    for chunk in range(0, items, 1000):
        for i in range(chunk, min(items, chunk + 1000)):
            row = PlanItem(
                id=uuid.uuid4(),
                plan_id=plan.id,
                unit_id=plan.unit_id,
                priority=i + first_priority,
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
            session.add(row)
            ids.append(row.id)
        session.flush()
    session.commit()
    return ids


def add_notes(session, rng, plan, author, item_ids: list, notes: int) -> None:
    for chunk in range(0, notes, 2000):
        for _ in range(chunk, min(notes, chunk + 2000)):
            session.add(
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
        session.flush()
    session.commit()


def seed(app, items: int, notes: int, plan_items: int) -> dict:
    """Demo data, one big plan and one 500-row plan (with 2 notes a row) in the same unit."""
    from server.demo import seed_demo

    rng = random.Random(4)
    with app.app_context():
        db.create_all()
        act_as(db.session, None, "cli")
        seed_demo(db.session)
        db.session.commit()
        big = db.session.query(Plan).filter(Plan.kind == "dk_tilbud").first()
        author = db.session.query(User).filter(User.email == EMAIL).one()
        act_as(db.session, author.id, "cli")
        big_ids = add_items(db.session, rng, big, items, 3)
        add_notes(db.session, rng, big, author, big_ids, notes)
        long_plan = Plan(
            id=uuid.uuid4(),
            unit_id=big.unit_id,
            kind="dk_tilbud",
            title="Bench: 500 rækker",
            catalogue_id=big.catalogue_id,
            plan_date=date(2026, 2, 1),
        )
        db.session.add(long_plan)
        db.session.commit()
        long_ids = add_items(db.session, rng, long_plan, plan_items, 1)
        add_notes(db.session, rng, long_plan, author, long_ids, 2 * plan_items)
        return {
            "unit": str(big.unit_id),
            "big_plan": str(big.id),
            "long_plan": str(long_plan.id),
            "items": items + plan_items,
            "notes": notes + 2 * plan_items,
        }


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def static_imports(assets: Path, name: str, seen: set[str]) -> set[str]:
    """The chunks a module imports statically (not `import(...)`), and theirs."""
    body = (assets / name).read_text()
    for dep in re.findall(r'(?:from|import)\s*"\./([\w.-]+\.js)"', body):
        if dep not in seen:
            seen.add(dep)
            static_imports(assets, dep, seen)
    return seen


def shipped_size(dist: Path) -> dict:
    """What the first screen loads (index.html's JS and CSS and the chunks the JS imports
    statically), and every JS and CSS file (the screens' chunks load when first opened)."""
    html = (dist / "index.html").read_text()
    assets_dir = dist / "assets"
    assets = sorted(p for p in assets_dir.iterdir() if p.suffix in (".js", ".css"))
    named = set(re.findall(r"assets/([\w.-]+\.(?:js|css))", html))
    for entry in [n for n in named if n.endswith(".js")]:
        named |= static_imports(assets_dir, entry, set())
    first = {p.name: gz(p) for p in assets if p.name in named}
    total = sum(gz(p) for p in assets)
    first_total = sum(first.values())
    return {
        "workload": "size",
        "first_screen_files": first,
        "first_screen_gzip_kb": round(first_total / 1024, 1),
        "all_js_css_gzip_kb": round(total / 1024, 1),
        "chunks": len(assets),
        "target_kb": 60,
        "ok": first_total <= 60 * 1024,
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
            timeout=120,
        ).json()
        rows += len(page["changes"])
        pages += 1
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    seconds = time.perf_counter() - start
    return {
        "workload": "server_pull",
        "rows": rows,
        "pages": pages,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
    }


class Build:
    """One built PWA served by its own app on the shared database, with its own profile."""

    def __init__(self, dist: Path, database_url: str, tmp: Path, index: int):
        self.dist = dist
        self.label = str(dist.relative_to(ROOT) if dist.is_relative_to(ROOT) else dist)
        self.app = create_app(
            {"DATABASE_URL": database_url, "SECRET_KEY": "bench", "PWA_DIST": str(dist)}
        )
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.profile = tmp / f"profile-{index}"
        self.figures: dict[str, float] = {}
        self.floor = True

    def close(self) -> None:
        self.server.shutdown()
        with self.app.app_context():
            db.engine.dispose()


def launch(pw, build: Build, *, viewport: dict, offline: bool = False, throttle: float = 1):
    context = pw.chromium.launch_persistent_context(
        str(build.profile),
        executable_path=CHROMIUM,
        args=ARGS,
        base_url=build.base,
        service_workers="allow",
        viewport=viewport,
        offline=offline,
    )
    context.set_default_timeout(600_000)
    page = context.pages[0] if context.pages else context.new_page()
    cdp = context.new_cdp_session(page)
    if throttle > 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    return context, page, cdp


def top_functions(profile: dict, n: int = 20) -> list[dict]:
    """Self time by function from a CDP Profiler profile (samples x interval)."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    deltas = profile.get("timeDeltas") or []
    spent: dict[int, float] = {}
    for sample, delta in zip(profile.get("samples", []), deltas[1:] + [0], strict=False):
        spent[sample] = spent.get(sample, 0) + delta
    by_name: dict[str, float] = {}
    for node_id, micros in spent.items():
        frame = nodes[node_id]["callFrame"]
        url = frame.get("url", "").rsplit("/", 1)[-1]
        line = frame.get("lineNumber", 0) + 1
        name = f"{frame.get('functionName') or '(anonymous)'} {url}:{line}"
        if not url:
            name = frame.get("functionName") or "(native)"
        by_name[name] = by_name.get(name, 0) + micros
    total = sum(by_name.values()) or 1
    top = sorted(by_name.items(), key=lambda kv: -kv[1])[:n]
    return [{"fn": k, "ms": round(v / 1000), "share": round(v / total, 3)} for k, v in top]


# The same rows written with bare IndexedDB (no Dexie, no sync), in the same browser right after
# the first sync: pages of 1,000 in one relaxed transaction each, into a scratch database with
# the store's indexes of plan_items and progress_notes. What the device can do at best.
IDB_FLOOR = """async ([items, notes]) => {
  const read = (store) => new Promise((resolve) => {
    const open = indexedDB.open('folg');
    open.onsuccess = () => {
      const req = open.result.transaction(store).objectStore(store).getAll(null, 1000);
      req.onsuccess = () => { open.result.close(); resolve(req.result); };
    };
  });
  const sample = {
    plan_items: await read('plan_items'),
    progress_notes: await read('progress_notes'),
  };
  const name = 'folg-floor-' + Date.now();
  const db = await new Promise((resolve) => {
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => {
      const a = open.result.createObjectStore('plan_items', { keyPath: 'id' });
      for (const i of ['plan_id', 'unit_id', '_status', 'finding_id']) a.createIndex(i, i);
      a.createIndex('[plan_id+_due]', ['plan_id', '_due']);
      const b = open.result.createObjectStore('progress_notes', { keyPath: 'id' });
      for (const i of ['item_id', 'plan_id', '_status']) b.createIndex(i, i);
      open.result.createObjectStore('meta', { keyPath: 'key' });
    };
    open.onsuccess = () => resolve(open.result);
  });
  const t0 = performance.now();
  for (const [store, n] of [['plan_items', items], ['progress_notes', notes]]) {
    const rows = sample[store];
    for (let i = 0; i < n; i += 1000) {
      await new Promise((resolve, reject) => {
        const tx = db.transaction([store, 'meta'], 'readwrite', { durability: 'relaxed' });
        const os = tx.objectStore(store);
        for (let k = i; k < Math.min(n, i + 1000); k += 1) {
          os.put({ ...rows[k % rows.length], id: 'floor-' + k });
        }
        tx.objectStore('meta').put({ key: 'cursor', value: String(i) });
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
    }
  }
  const ms = performance.now() - t0;
  db.close();
  indexedDB.deleteDatabase(name);
  return { seconds: Math.round(ms) / 1000, rows_per_s: Math.round((items + notes) / ms * 1000) };
}"""


def first_sync(pw, build: Build, throttle: float, profile: bool) -> dict:
    """A fresh profile logs in; the clock runs from the login click until the sync state says
    idle with the last page applied."""
    context, page, cdp = launch(pw, build, viewport=DESKTOP, throttle=throttle)
    page.goto("/")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    if profile:
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 500})
        cdp.send("Profiler.start")
    start = time.perf_counter()
    page.get_by_role("button", name="Log ind").click()
    # requestAnimationFrame polling (a string predicate with an interval would need eval,
    # which the app's CSP forbids).
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-testid=sync-state]');"
        " return s && s.dataset.phase === 'idle' && s.dataset.last !== ''; }"
    )
    seconds = time.perf_counter() - start
    cpu = top_functions(cdp.send("Profiler.stop")["profile"]) if profile else None
    expect(page.get_by_test_id("sync-state")).to_have_attribute("data-pending", "0")
    apply_ms = page.evaluate(
        "performance.getEntriesByName('folg-apply-page').reduce((sum, e) => sum + e.duration, 0)"
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
    floor = page.evaluate(IDB_FLOOR, rows) if build.floor else None
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    context.close()
    out = {
        "workload": "first_sync",
        "build": build.label,
        "cpu_throttle": throttle,
        "items": rows[0],
        "notes": rows[1],
        "seconds": round(seconds, 2),
        "rows_per_s": round((rows[0] + rows[1]) / seconds),
        "indexeddb_apply_seconds": round(apply_ms / 1000, 2),
        "target_s": 3,
        "ok": seconds <= 3,
    }
    if floor is not None:
        out["raw_indexeddb_floor"] = floor
    if cpu is not None:
        out["main_thread_self_time"] = cpu
    return out


def cold_start(pw, build: Build, unit: str, throttle: float) -> tuple[float, dict]:
    """A new browser process on the same profile, offline, straight to the unit's plan list."""
    context, page, _ = launch(pw, build, viewport=DESKTOP, offline=True, throttle=throttle)
    start = time.perf_counter()
    page.goto(f"/#/units/{unit}", wait_until="commit")
    page.get_by_test_id("plan-list").wait_for()
    page.get_by_test_id("overdue").first.wait_for()
    wall = time.perf_counter() - start
    marks = page.evaluate(
        "Object.fromEntries(performance.getEntriesByType('mark')"
        ".filter(m => m.name.startsWith('folg-'))"
        ".map(m => [m.name, Math.round(m.startTime)]))"
    )
    context.close()
    return wall, marks


# Counts the page's IndexedDB reads by object store (and index) until the first screen is drawn.
COUNT_READS = """(() => {
  const reads = {};
  let drawn = false;
  const note = (key, n = 1) => { if (!drawn) reads[key] = (reads[key] || 0) + n; };
  const nameOf = (src) =>
    src instanceof IDBIndex ? `${src.objectStore.name}[${src.name}]` : src.name;
  const methods = ['get', 'getAll', 'getAllKeys', 'getKey', 'count', 'openCursor', 'openKeyCursor'];
  for (const proto of [IDBObjectStore.prototype, IDBIndex.prototype]) {
    for (const m of methods) {
      const original = proto[m];
      if (!original) continue;
      proto[m] = function (...args) {
        const req = original.apply(this, args);
        const key = `${nameOf(this)} ${m}`;
        note(key);
        req.addEventListener('success', () => {
          if (Array.isArray(req.result)) note(`${key} rows`, req.result.length);
          else if (m === 'get' && req.result !== undefined) note(`${key} rows`);
        });
        return req;
      };
    }
  }
  const step = IDBCursor.prototype.continue;
  IDBCursor.prototype.continue = function (...args) {
    note(`${nameOf(this.source)} cursor steps`);
    return step.apply(this, args);
  };
  const mark = performance.mark.bind(performance);
  performance.mark = (name, options) => {
    const entry = mark(name, options);
    if (name === 'folg-first-render') drawn = true;
    return entry;
  };
  window.__folgReads = reads;
})();"""


def boot_reads(pw, build: Build, unit: str, throttle: float) -> dict:
    """The cold start of `cold_start`, counting IndexedDB reads until the first render."""
    context, page, _ = launch(pw, build, viewport=DESKTOP, offline=True, throttle=throttle)
    context.add_init_script(script=COUNT_READS)
    page.goto(f"/#/units/{unit}", wait_until="commit")
    page.get_by_test_id("plan-list").wait_for()
    page.get_by_test_id("overdue").first.wait_for()
    page.wait_for_function("() => performance.getEntriesByName('folg-first-render').length > 0")
    reads = page.evaluate("window.__folgReads")
    context.close()
    return dict(sorted(reads.items()))


SCROLL = """async (steps) => {
  const long = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) long.push(Math.round(e.duration));
  });
  observer.observe({ type: 'longtask' });
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const t0 = performance.now();
  const count = () => document.querySelectorAll('[data-item-id]').length;
  let frames = 0;
  let still = 0;
  // To the end of the plan: at the bottom, wait (up to 60 frames) for more rows to be drawn.
  for (let i = 0; i < steps && still < 60; i += 1) {
    const before = count();
    window.scrollBy(0, Math.round(window.innerHeight * 0.9));
    await frame();
    frames += 1;
    const bottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
    still = bottom && count() === before ? still + 1 : 0;
  }
  await frame();
  observer.disconnect();
  const rows = document.querySelectorAll('[data-item-id]').length;
  return { long, frames, ms: Math.round(performance.now() - t0), rows };
}"""


def open_plan(pw, build: Build, plan: str, throttle: float, scroll_steps: int) -> dict:
    """Offline on a 360 px phone: open the plan, time to its first rows, then scroll."""
    context, page, _ = launch(pw, build, viewport=PHONE, offline=True, throttle=throttle)
    page.goto("/#/units", wait_until="commit")
    page.get_by_test_id("unit-list").wait_for()
    start = time.perf_counter()
    page.evaluate(f"location.hash = '#/plans/{plan}'")
    page.locator("[data-item-id]").first.wait_for()
    first_rows = time.perf_counter() - start
    result = page.evaluate(SCROLL, scroll_steps)
    context.close()
    return {"first_rows_s": first_rows, **result}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--notes", type=int, default=20000)
    parser.add_argument("--plan-items", type=int, default=500)
    parser.add_argument("--large", action="store_true", help="50,000 items + 200,000 notes")
    parser.add_argument("--dist", action="append", type=Path, help="a built PWA (repeatable)")
    parser.add_argument("--cpu-throttle", type=float, default=1)
    parser.add_argument("--runs", type=int, default=3, help="cold starts and plan openings")
    parser.add_argument("--sync-runs", type=int, default=1, help="first syncs (fresh profiles)")
    parser.add_argument("--scroll-steps", type=int, default=400)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--open-plans", default="long_plan,big_plan", help="long_plan,big_plan")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    args = parser.parse_args()
    if args.large:
        args.items, args.notes = 50_000, 200_000
    workloads = set(args.workloads.split(","))
    dists = [d.resolve() for d in (args.dist or [DIST])]
    for d in dists:
        if not (d / "index.html").is_file():
            sys.exit(f"Build the PWA first ({d}): cd pwa && npm ci && npm run build")

    if "size" in workloads:
        for d in dists:
            print(json.dumps({**shipped_size(d), "build": str(d)}), flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="folg-pwa-bench-"))
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    builds: list[Build] = []
    try:
        t0 = time.perf_counter()
        seeder = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "PWA_DIST": str(dists[0])})
        data = seed(seeder, args.items, args.notes, args.plan_items)
        with seeder.app_context():
            db.engine.dispose()
        print(
            json.dumps({"workload": "seed", "seconds": round(time.perf_counter() - t0, 1), **data}),
            flush=True,
        )
        builds = [Build(d, url, tmp, i) for i, d in enumerate(dists)]
        throttle = args.cpu_throttle
        with sync_playwright() as pw:
            syncs: dict[int, list[float]] = {i: [] for i in range(len(builds))}
            for run in range(args.sync_runs):  # alternately; the last profile stays for the rest
                for i, build in enumerate(builds):
                    if run:
                        shutil.rmtree(build.profile, ignore_errors=True)
                    line = first_sync(pw, build, throttle, args.profile)
                    syncs[i].append(line["seconds"])
                    print(json.dumps({**line, "run": run + 1}), flush=True)
            for i, build in enumerate(builds):
                build.figures["first_sync_s"] = median(syncs[i])
            if "server_pull" in workloads:
                print(json.dumps(server_pull_only(builds[0].base)), flush=True)
            if "cold_start" in workloads:
                runs: dict[int, list] = {i: [] for i in range(len(builds))}
                for _ in range(args.runs):
                    for i, build in enumerate(builds):  # alternately: the same load for each
                        runs[i].append(cold_start(pw, build, data["unit"], throttle))
                for i, build in enumerate(builds):
                    walls = [w for w, _ in runs[i]]
                    build.figures["cold_start_s"] = median(walls)
                    target = 0.4 if args.items <= 10_000 else 1.0
                    print(
                        json.dumps(
                            {
                                "workload": "cold_start",
                                "build": build.label,
                                "cpu_throttle": throttle,
                                "offline": True,
                                "items_in_store": data["items"],
                                "seconds_runs": [round(w, 3) for w in walls],
                                "median_seconds": round(median(walls), 3),
                                "best_seconds": round(min(walls), 3),
                                "marks_ms_last_run": runs[i][-1][1],
                                "target_s": target,
                                "ok": median(walls) <= target,
                            }
                        ),
                        flush=True,
                    )
            if "boot_reads" in workloads:
                for build in builds:
                    reads = boot_reads(pw, build, data["unit"], throttle)
                    print(
                        json.dumps(
                            {
                                "workload": "boot_reads",
                                "build": build.label,
                                "items_in_store": data["items"],
                                "reads_until_first_render": reads,
                            }
                        ),
                        flush=True,
                    )
            if "open_plan" in workloads:
                for name in args.open_plans.split(","):
                    results: dict[int, list] = {i: [] for i in range(len(builds))}
                    for _ in range(args.runs):
                        for i, build in enumerate(builds):
                            results[i].append(
                                open_plan(pw, build, data[name], throttle, args.scroll_steps)
                            )
                    for i, build in enumerate(builds):
                        rs = results[i]
                        first = [r["first_rows_s"] for r in rs]
                        longest = [max(r["long"], default=0) for r in rs]
                        build.figures[f"open_{name}_s"] = median(first)
                        build.figures[f"scroll_{name}_longest_task_ms"] = median(longest)
                        print(
                            json.dumps(
                                {
                                    "workload": "open_plan",
                                    "plan": name,
                                    "build": build.label,
                                    "cpu_throttle": throttle,
                                    "viewport": PHONE,
                                    "first_rows_seconds_runs": [round(f, 3) for f in first],
                                    "median_first_rows_seconds": round(median(first), 3),
                                    "scroll_long_tasks_runs": [len(r["long"]) for r in rs],
                                    "scroll_longest_task_ms_runs": longest,
                                    "scroll_frames_last_run": rs[-1]["frames"],
                                    "rows_in_dom_after_scroll": rs[-1]["rows"],
                                    "target_first_rows_s": 0.3,
                                    "ok": median(first) <= 0.3 and median(longest) <= 50,
                                }
                            ),
                            flush=True,
                        )
        if len(builds) == 2:
            a, b = builds
            print(
                json.dumps(
                    {
                        "workload": "compare",
                        "base": a.label,
                        "new": b.label,
                        "cpu_throttle": throttle,
                        "new_over_base": {
                            k: round(b.figures[k] / a.figures[k], 3)
                            for k in a.figures
                            if k in b.figures and a.figures[k]
                        },
                    }
                ),
                flush=True,
            )
    finally:
        for build in builds:
            build.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
