"""Requests side by side, against a real server on both databases.

Pull: a page names the next cursor in its headers, and the reference client asks for the next
page as soon as they arrive (``StreamingTransport.open``); that must pull exactly what the
plain one-page-after-the-other client pulls.

Push: the client sends its next batch before the answer to this one; a batch that reaches the
server first waits for the one it follows (``SYNC_GAP_WAIT_SECONDS``) instead of being refused,
and everything is applied once, in order."""

from __future__ import annotations

import threading
import time
import uuid

import requests

from bench.load_test import seed_teams
from sync.client import Client
from sync.protocol import SCHEMA_VERSION
from sync.transport import RequestsTransport, StreamingTransport


def test_headers_carry_the_cursor_and_whether_more_follows(live_server, live_database):
    [team] = seed_teams(live_database.url, users=1, items=5, label=f"H{uuid.uuid4().hex[:4]}")
    token = live_server.login(team.emails[0])
    cursor, pages = None, 0
    while True:
        response = requests.post(
            live_server.base_url + "/api/sync/pull",
            json={"cursor": cursor, "limit": 3, "schema_version": SCHEMA_VERSION},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 200
        body = response.json()
        assert response.headers["Sync-Cursor"] == body["cursor"]
        assert response.headers["Sync-Has-More"] == ("true" if body["has_more"] else "false")
        cursor, pages = body["cursor"], pages + 1
        if not body["has_more"]:
            break
    assert pages > 2


def test_a_client_asking_early_pulls_what_a_plain_client_pulls(live_server, live_database):
    [team] = seed_teams(live_database.url, users=2, items=40, label=f"E{uuid.uuid4().hex[:4]}")
    email = team.emails[1]
    early = Client(StreamingTransport(live_server.base_url, live_server.login(email)), page_size=7)
    plain = Client(RequestsTransport(live_server.base_url, live_server.login(email)), page_size=7)
    try:
        early_report, plain_report = early.pull(), plain.pull()
        assert early_report.pulled == plain_report.pulled > 40
        for table in ("units", "plans", "plan_items"):
            assert early.rows(table) == plain.rows(table)
        assert set(early.rows("plan_items")) >= set(team.item_ids)
        # Both stored the last page's cursor: nothing more to pull, for either.
        assert early.pull().pulled == plain.pull().pulled == 0
    finally:
        early.db.close(), plain.db.close()


def _push(server, token, client_id, mutations):
    return requests.post(
        server.base_url + "/api/sync/push",
        json={"client_id": client_id, "schema_version": SCHEMA_VERSION, "mutations": mutations},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def _creates(team, first_id, count):
    return [
        {
            "mutation_id": first_id + n,
            "table": "plan_items",
            "id": str(uuid.uuid4()),
            "op": "upsert",
            "base_version": None,
            "fields": {"plan_id": team.plan_id, "priority": 100 + first_id + n, "goal": "x"},
        }
        for n in range(count)
    ]


def test_a_batch_arriving_before_the_one_it_follows_waits_for_it(live_server, live_database):
    [team] = seed_teams(live_database.url, users=1, items=1, label=f"W{uuid.uuid4().hex[:4]}")
    token = live_server.login(team.emails[0])
    client_id = f"side-{uuid.uuid4().hex[:8]}"
    first, second = _creates(team, 1, 5), _creates(team, 6, 5)
    answers = {}

    def send_second():
        answers["second"] = _push(live_server, token, client_id, second)

    late = threading.Thread(target=send_second)
    late.start()
    time.sleep(0.3)  # the second batch is at the server, waiting
    answers["first"] = _push(live_server, token, client_id, first)
    late.join()

    for name in ("first", "second"):
        assert answers[name].status_code == 200, answers[name].text
        assert {r["status"] for r in answers[name].json()["results"]} == {"applied"}
    assert [r["mutation_id"] for r in answers["second"].json()["results"]] == [6, 7, 8, 9, 10]


def test_a_gap_nobody_fills_is_refused_after_the_wait(live_server, live_database):
    [team] = seed_teams(live_database.url, users=1, items=1, label=f"G{uuid.uuid4().hex[:4]}")
    token = live_server.login(team.emails[0])
    started = time.monotonic()
    response = _push(live_server, token, f"gap-{uuid.uuid4().hex[:8]}", _creates(team, 3, 2))
    assert response.status_code == 409 and response.json()["error"] == "mutation_gap"
    assert response.json()["expected_mutation_id"] == 1
    assert time.monotonic() - started >= 1.5  # it waited (SYNC_GAP_WAIT_SECONDS, 2 s)


class _CountingTransport(StreamingTransport):
    """Counts how many pushes were out at once."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.out, self.most_out = 0, 0
        self.lock = threading.Lock()

    def post(self, path, body):
        with self.lock:
            self.out += 1
            self.most_out = max(self.most_out, self.out)
        try:
            return super().post(path, body)
        finally:
            with self.lock:
                self.out -= 1


def test_a_client_sending_batches_side_by_side_applies_everything_once(live_server, live_database):
    [team] = seed_teams(live_database.url, users=1, items=1, label=f"P{uuid.uuid4().hex[:4]}")
    transport = _CountingTransport(live_server.base_url, live_server.login(team.emails[0]))
    device = Client(transport, batch_size=4)
    try:
        device.pull()
        made = [
            device.create(
                "plan_items", {"plan_id": team.plan_id, "priority": 50 + n, "goal": f"g{n}"}
            )
            for n in range(23)
        ]
        report = device.push()
        assert transport.most_out == 2
        assert report.pushed == 23 and {r["status"] for r in report.results} == {"applied"}
        assert device.pending_count() == 0
        # The server has each item once, as the device sent it.
        other = Client(RequestsTransport(live_server.base_url, live_server.login(team.emails[0])))
        other.pull()
        items = other.rows("plan_items")
        assert {i: items[i]["goal"] for i in made} == {i: f"g{n}" for n, i in enumerate(made)}
        other.db.close()
    finally:
        device.db.close()
