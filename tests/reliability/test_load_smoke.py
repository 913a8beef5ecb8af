"""The load script, small: 20 devices for 5 seconds, so CI runs the real thing end to end.

It runs ``bench/load_test.py`` as a program (gunicorn, a fresh database, devices over HTTP) and
reads its JSON: no request failed, every acknowledged write is there, nothing happened twice,
every device converged. The full run (200 devices, 60 s) and its figures are in
docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PG_URL

ROOT = Path(__file__).resolve().parents[2]


def run_load_test(*args: str) -> dict:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load_test.py"), "--pg-url", PG_URL, *args],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PYTHONWARNINGS": "default"},
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    return json.loads(completed.stdout)


@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_twenty_devices_for_five_seconds_lose_nothing_and_converge(db):
    report = run_load_test("--devices", "20", "--seconds", "5", "--db", db, "--workers", "2")
    assert report["ok"] is True
    assert report["errors"] == 0
    assert report["requests"] > 20  # every device did sync while the clock ran
    assert set(report["endpoints"]) == {"pull", "push"}
    for endpoint in report["endpoints"].values():
        assert endpoint["p95_ms"] > 0 and endpoint["errors"] == 0
    checks = report["checks"]
    assert checks["acknowledged_mutations"] > 20
    assert checks["lost_writes"] == checks["duplicates"] == checks["diverged_devices"] == 0
    assert report["load_during"]["cpus"] >= 1


def test_two_servers_on_one_database_lose_nothing_and_converge():
    """Two gunicorns on two ports stand for two application hosts (docs/deploy.md, "More than
    one machine"): the two devices of each user sync through different servers, and a fresh
    device on the second server sees what was written through the first."""
    report = run_load_test(
        "--devices", "20", "--seconds", "5", "--db", "postgresql", "--servers", "2",
        "--workers", "1",
    )  # fmt: skip
    assert report["ok"] is True and report["errors"] == 0
    assert report["gunicorn"]["servers"] == 2
    first, second = report["requests_per_server"]
    assert first > 10 and second > 10
    checks = report["checks"]
    assert checks["acknowledged_mutations"] > 20
    assert checks["lost_writes"] == checks["duplicates"] == checks["diverged_devices"] == 0
