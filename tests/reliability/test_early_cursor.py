"""A pull page names the next cursor in its headers, and the reference client asks for the
next page as soon as they arrive (``StreamingTransport.open``): against a real server, that
must pull exactly what the plain one-page-after-the-other client pulls."""

from __future__ import annotations

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
