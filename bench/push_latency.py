"""Commit-to-receiver latency of a notice: how long after a message is written the other side's
push service has it.

    python bench/push_latency.py                           # PostgreSQL, 50 messages
    python bench/push_latency.py --db sqlite --messages 20

gunicorn as docs/deploy.md runs it, the delivery worker (``flask push-worker``) as a process
of its own, and a real push receiver on loopback (``tests/push/receiver.py``: it checks the
VAPID token and decrypts the aes128gcm body, as a push service and a browser would). The
demo's manager (leder@demo.test) writes a message on her plan's thread over REST, one at a
time; the demo's inspector (tilsyn@demo.test) has subscribed a device. For each message the
clock starts when the POST is sent (before the commit, so the figure is an upper bound) and
stops when the receiver has decrypted the notice; the next message goes once it has. No cron
runs. Prints one JSON line: p50, p95 and the largest latency in ms, how many never arrived.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_test import (  # noqa: E402
    LiveServer,
    fresh_database,
    machine_load,
    percentile,
)

from server.demo import DEMO_PASSWORD  # noqa: E402
from tests.push.receiver import PushReceiver  # noqa: E402

MANAGER, INSPECTOR = "leder@demo.test", "tilsyn@demo.test"
GIVE_UP_SECONDS = 30


def _login(session, base_url: str, email: str) -> dict[str, str]:
    response = session.post(
        base_url + "/api/auth/login", json={"email": email, "password": DEMO_PASSWORD}, timeout=30
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _start_worker(env: dict[str, str], log_path: Path) -> subprocess.Popen:
    flask = str(Path(sys.executable).parent / "flask")
    with log_path.open("a") as log:
        return subprocess.Popen(
            [flask, "--app", "server", "push-worker"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def measure(db: str, messages: int, workdir: str) -> dict:
    import requests

    with fresh_database(db, workdir) as database, PushReceiver() as receiver:
        env = {
            "FOLG_VAPID_KEY_FILE": str(Path(workdir) / "vapid_private.pem"),
            # The receiver is a plain-http loopback service: allowed here only.
            "FOLG_PUSH_ALLOW_LOOPBACK": "true",
            "FOLG_PUSH_WORKER_POLL_SECONDS": "0.2",
        }
        server = LiveServer(database, workdir, workers=2, threads=4, extra_env=env).start()
        worker = _start_worker({**server.env}, Path(workdir) / "push-worker.log")
        try:
            http = requests.Session()
            manager = _login(http, server.base_url, MANAGER)
            inspector = _login(http, server.base_url, INSPECTOR)
            receiver.expected_key = http.get(
                server.base_url + "/api/push/vapid-public-key", timeout=30
            ).json()["public_key"]
            device = receiver.new_subscriber()
            http.post(
                server.base_url + "/api/push/subscriptions",
                json={"endpoint": receiver.endpoint(device), "keys": device.keys()},
                headers=inspector,
                timeout=30,
            ).raise_for_status()
            plans = http.get(server.base_url + "/api/plans", headers=inspector, timeout=30).json()
            mine = http.get(server.base_url + "/api/plans", headers=manager, timeout=30).json()
            shared = [p for p in plans if p["id"] in {m["id"] for m in mine}]
            path = f"{server.base_url}/api/plans/{shared[0]['id']}/messages"
            time.sleep(1)  # let the worker start listening before the first message

            latencies, lost = [], 0
            for n in range(messages):
                seen = len(receiver.payloads(device))
                sent_at = time.time()
                response = http.post(
                    path, json={"body": f"Besked {n}"}, headers=manager, timeout=30
                )
                response.raise_for_status()
                deadline = time.monotonic() + GIVE_UP_SECONDS
                while len(receiver.payloads(device)) <= seen and time.monotonic() < deadline:
                    time.sleep(0.002)
                arrived = [r for r in receiver.received if r.payload is not None][seen:]
                if not arrived:
                    lost += 1
                    continue
                latencies.append((arrived[0].at - sent_at) * 1000)
                time.sleep(0.05)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            server.stop()
    return {
        "bench": "push_latency",
        "db": db,
        "messages": messages,
        "delivered": len(latencies),
        "lost": lost,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "max_ms": round(max(latencies, default=0), 1),
        "receiver_errors": len(receiver.errors()),
        "target_p95_ms": 5000,
        **machine_load(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--messages", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        result = measure(args.db, args.messages, workdir)
    print(json.dumps(result))
    return 0 if result["lost"] == 0 and result["p95_ms"] <= result["target_p95_ms"] else 1


if __name__ == "__main__":
    sys.exit(main())
