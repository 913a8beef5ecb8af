"""A real server's log, after a session of ordinary and failing requests, holds no personal
data: no demo names or emails, no password, no note or plan text."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid

import pytest
import requests

from server.demo import DEMO_LOGINS, DEMO_PASSWORD

NEW_USER = {"email": "birgitte.nyansat@kommune.test", "name": "Birgitte Nyansat"}  # fictional
NOTE_TEXT = "Samtale med borgeren Ib Sørensen om medicin"  # fictional, and must not leak
BAD_GOAL = "Mål der nævner Grethe Vestergaard"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server_log(tmp_path):
    env = {
        **os.environ,
        "FOLG_DATABASE_URL": f"sqlite:///{tmp_path / 'folg.sqlite3'}",
        "FOLG_SECRET_KEY": "log-test",
    }
    flask = [sys.executable, "-m", "flask", "--app", "server"]
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(flask + command, env=env, check=True, capture_output=True)
    port = _free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            flask + ["run", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(base + "/api/health", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield base, log_path
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_session_of_requests_leaves_no_personal_data_in_the_log(server_log):
    base, log_path = server_log
    requests.post(
        base + "/api/auth/login",
        json={"email": "medarbejder@demo.test", "password": "not the password"},
        timeout=10,
    )
    token = requests.post(
        base + "/api/auth/login",
        json={"email": "leder@demo.test", "password": DEMO_PASSWORD},
        timeout=10,
    ).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    plans = requests.get(base + "/api/plans", headers=headers, timeout=10).json()
    items = requests.get(f"{base}/api/plans/{plans[0]['id']}/items", headers=headers, timeout=10)
    item_id = items.json()[0]["id"]
    calls = [
        ("POST", f"/api/items/{item_id}/notes", {"text": NOTE_TEXT}),
        ("PATCH", f"/api/items/{item_id}", {"goal": BAD_GOAL, "end_date": "1999-01-01"}),
        ("PATCH", f"/api/items/{item_id}", {"goal": BAD_GOAL, "unknown": NOTE_TEXT}),
        ("GET", f"/api/plans?unit_id={uuid.uuid4()}", None),
        (
            "POST",
            "/api/sync/push",
            {
                "client_id": "log-test-device",
                "schema_version": 1,
                "mutations": [
                    {
                        "mutation_id": 1,
                        "table": "progress_notes",
                        "id": str(uuid.uuid4()),
                        "op": "upsert",
                        "base_version": None,
                        "fields": {"item_id": item_id, "text": NOTE_TEXT},
                    }
                ],
            },
        ),
    ]
    for method, path, body in calls:
        response = requests.request(method, base + path, json=body, headers=headers, timeout=10)
        assert response.status_code < 500, (path, response.text)

    # An admin adds a user and reads the access history, which holds names and emails.
    admin_token = requests.post(
        base + "/api/auth/login",
        json={"email": "admin@demo.test", "password": DEMO_PASSWORD},
        timeout=10,
    ).json()["token"]
    admin_headers = {"Authorization": f"Bearer {admin_token}"}
    unit_id = requests.get(base + "/api/units", headers=admin_headers, timeout=10).json()[0]["id"]
    new_user = {
        **NEW_USER,
        "password": "long enough pw",
        "memberships": [{"unit_id": unit_id, "role": "staff"}],
    }
    response = requests.post(base + "/api/users", json=new_user, headers=admin_headers, timeout=10)
    assert response.status_code == 201, response.text
    response = requests.get(
        base + "/api/admin/audit",
        params={"subject_user_id": response.json()["id"]},
        headers=admin_headers,
        timeout=10,
    )
    assert NEW_USER["email"] in response.text, "the history should hold the new user's email"

    log = log_path.read_text()
    assert "/api/items/" in log, "the server logged no requests: the test saw nothing"
    secrets = [NOTE_TEXT, "Ib Sørensen", "Grethe Vestergaard", DEMO_PASSWORD, token, admin_token]
    secrets += [NEW_USER["email"], NEW_USER["name"], "long enough pw"]
    for demo in DEMO_LOGINS:
        secrets += [demo.email, demo.name]
    leaked = [secret for secret in secrets if secret in log]
    assert leaked == []
