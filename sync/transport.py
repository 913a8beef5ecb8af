"""How the reference client reaches the server: one method, ``post(path, body)``.

An injectable seam (as in httpx): tests hand the client a transport around Flask's test
client, the benchmark one around ``requests`` against a live server, and fault-injection
tests wrap either to lose requests or responses.
"""

from __future__ import annotations

from typing import Any, Protocol


class TransportError(Exception):
    """The request failed on the way: it may or may not have reached the server."""


class Transport(Protocol):
    def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Send JSON, return (HTTP status, JSON body); raise TransportError if no answer."""
        ...


class RequestsTransport:
    """A live server over HTTP, with a bearer token."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 60.0):
        import requests  # only the live transport needs it

        self._requests = requests
        self.session = requests.Session()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            response = self.session.post(self.base_url + path, json=body, timeout=self.timeout)
        except self._requests.RequestException as error:
            raise TransportError(str(error)) from error
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, {"error": "bad_response", "message": response.text[:200]}
