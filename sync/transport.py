"""How the reference client reaches the server: one method, ``post(path, body)``.

An injectable seam (as in httpx): tests hand the client a transport around Flask's test
client, the benchmark one around ``requests`` against a live server, and fault-injection
tests wrap either to lose requests or responses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
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


class Opened(Protocol):
    """A response whose headers are in and whose body is read on demand."""

    status: int
    headers: Mapping[str, str]

    def body(self) -> dict[str, Any]: ...


class EarlyTransport(Protocol):
    """A transport that can also hand back a response as soon as its headers arrive, so a
    client can act on them (a pull page's ``Sync-Cursor``) while the body is still coming."""

    def post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]: ...

    def open(self, path: str, body: dict[str, Any]) -> Opened: ...


class StreamingTransport(RequestsTransport):
    """``RequestsTransport`` with ``open``, which may carry two requests side by side: the
    reference client then asks for the next pull page when the headers of this one arrive,
    and sends the next push batch before the answer to this one (sync/client.py)."""

    parallel_requests = True

    def open(self, path: str, body: dict[str, Any]) -> Opened:
        try:
            response = self.session.post(
                self.base_url + path, json=body, timeout=self.timeout, stream=True
            )
        except self._requests.RequestException as error:
            raise TransportError(str(error)) from error
        return _StreamedResponse(response, self._requests)


class _StreamedResponse:
    def __init__(self, response: Any, requests: Any):
        self.status: int = response.status_code
        self.headers: Mapping[str, str] = response.headers
        self._response = response
        self._requests = requests

    def body(self) -> dict[str, Any]:
        try:
            content = self._response.content
        except self._requests.RequestException as error:
            raise TransportError(str(error)) from error
        try:
            return json.loads(content)
        except ValueError:
            return {"error": "bad_response", "message": content[:200].decode(errors="replace")}
