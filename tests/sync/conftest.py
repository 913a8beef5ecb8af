"""Fixtures for sync tests: devices (reference clients) talking to the app under test."""

from __future__ import annotations

from typing import Any

import pytest

from sync.client import Client
from sync.protocol import SCHEMA_VERSION
from sync.transport import TransportError
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


class LossyTransport:
    """Wraps a transport and loses what a test tells it to: a request before it arrives, or
    a response after the server has committed (the client cannot tell the two apart)."""

    def __init__(self, inner):
        self.inner = inner
        self.faults: list[tuple[str, str]] = []  # (path part, "request" | "response")

    def lose(self, path_part: str, what: str) -> None:
        self.faults.append((path_part, what))

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        for fault in self.faults:
            if fault[0] in path:
                self.faults.remove(fault)
                if fault[1] == "request":
                    raise TransportError(f"lost request to {path}")
                self.inner.post(path, body)
                raise TransportError(f"lost response from {path}")
        return self.inner.post(path, body)


@pytest.fixture
def lossy_device(app, client):
    """``lossy_device(user)`` makes a device whose ``transport`` can lose messages."""
    made: list[Client] = []

    def make(user, **kw: Any) -> Client:
        transport = LossyTransport(FlaskTransport(client, login(client, user)))
        device = Client(transport, **kw)
        made.append(device)
        return device

    yield make
    for d in made:
        d.db.close()
