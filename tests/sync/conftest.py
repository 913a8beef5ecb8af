"""Fixtures for sync tests: devices (reference clients) talking to the app under test."""

from __future__ import annotations

from typing import Any

import pytest

from sync.client import Client
from sync.protocol import SCHEMA_VERSION
from tests.helpers import login


class FlaskTransport:
    """The reference client's transport, pointed at Flask's test client."""

    def __init__(self, test_client, headers: dict[str, str]):
        self.test_client = test_client
        self.headers = headers

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        response = self.test_client.post(path, json=body, headers=self.headers)
        return response.status_code, response.get_json()


@pytest.fixture
def device(app, client):
    """``device(user)`` makes a fresh offline device logged in as ``user``."""
    made: list[Client] = []

    def make(user, **kw: Any) -> Client:
        device = Client(FlaskTransport(client, login(client, user)), **kw)
        made.append(device)
        return device

    yield make
    for d in made:
        d.db.close()


@pytest.fixture
def api(client):
    """``api(user).pull(...)`` / ``.push(...)``: raw protocol calls returning the response."""

    class Api:
        def __init__(self, user):
            self.headers = login(client, user)
            self.client_id = f"device-of-{user.id.hex[:12]}"

        def pull(self, cursor=None, **kw: Any):
            body = {"cursor": cursor, "schema_version": SCHEMA_VERSION, **kw}
            return client.post("/api/sync/pull", json=body, headers=self.headers)

        def pull_all(self, cursor=None, **kw: Any) -> tuple[list[dict], str]:
            changes: list[dict] = []
            while True:
                response = self.pull(cursor, **kw)
                assert response.status_code == 200, response.get_json()
                changes += response.json["changes"]
                cursor = response.json["cursor"]
                if not response.json["has_more"]:
                    return changes, cursor

        def push(self, mutations, client_id=None, **kw: Any):
            body = {
                "client_id": client_id or self.client_id,
                "schema_version": SCHEMA_VERSION,
                "mutations": mutations,
                **kw,
            }
            return client.post("/api/sync/push", json=body, headers=self.headers)

    return Api
