"""A push service on loopback, strict the way real ones are.

It plays both ends a push service sits between: it accepts the server's POST like the push
service would (checking the VAPID token: signature, audience, expiry, subject), and it
decrypts the aes128gcm body like the browser would, with the subscription's own private key
and auth secret. Tests read what the "browser" got from ``received``.

Each subscription is a path on the receiver; ``respond_with`` queues the status codes that
path answers with next (201 when the queue is empty), to play a gone (404/410) or failing
(500) push service; ``redirect`` queues a 3xx with a ``Location``, and ``trickle`` makes a
path answer one byte at a time, the way a hostile endpoint holds a connection open.
Requests to a path no subscriber has are recorded too (``received``), answered 404.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class VapidError(AssertionError):
    pass


def check_vapid(authorization: str, audience: str, expected_key: str | None) -> dict[str, Any]:
    """Verify ``vapid t=<jwt>,k=<key>`` (RFC 8292); return the JWT claims."""
    scheme, _, rest = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise VapidError(f"scheme {scheme!r}, expected vapid")
    params = dict(part.strip().split("=", 1) for part in rest.split(","))
    token, key = params["t"], params["k"]
    if expected_key is not None and key != expected_key:
        raise VapidError("k is not the server's VAPID public key")
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    header_b64, claims_b64, signature_b64 = token.split(".")
    header = json.loads(unb64url(header_b64))
    if header.get("alg") != "ES256":
        raise VapidError(f"alg {header.get('alg')!r}")
    signature = unb64url(signature_b64)
    if len(signature) != 64:
        raise VapidError("ES256 signature must be 64 bytes (r || s)")
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    try:
        public_key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise VapidError("bad signature") from None
    claims = json.loads(unb64url(claims_b64))
    if claims.get("aud") != audience:
        raise VapidError(f"aud {claims.get('aud')!r}, expected {audience!r}")
    now = time.time()
    if not now < claims.get("exp", 0) <= now + 24 * 3600:
        raise VapidError("exp must be in the future and at most 24 hours away")
    sub = claims.get("sub", "")
    if not (sub.startswith("mailto:") or sub.startswith("https:")):
        raise VapidError(f"sub {sub!r} is neither mailto: nor https:")
    return claims


@dataclass
class Subscriber:
    """A browser's side of a subscription: an ECDH P-256 key pair and an auth secret."""

    path: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    def keys(self) -> dict[str, str]:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"p256dh": b64url(point), "auth": b64url(self.auth_secret)}

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return json.loads(plain)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    status: int
    claims: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None
    error: str | None = None
    # When it arrived (time.time()), for the latency bench (bench/push_latency.py).
    at: float = field(default_factory=time.time)


class PushReceiver:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.received: list[Received] = []
        self.expected_key: str | None = None
        self._subscribers: dict[str, Subscriber] = {}
        self._responses: dict[str, deque[tuple[int, dict[str, str]]]] = defaultdict(deque)
        self._trickling: set[str] = set()
        self.trickle_finished = threading.Event()  # a trickled answer was sent to the end
        self._release = threading.Event()
        self._lock = threading.Lock()
        self.trickled: list[str] = []  # paths a trickled answer was started for
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def new_subscriber(self) -> Subscriber:
        subscriber = Subscriber(path=f"/push/{b64url(os.urandom(9))}")
        self._subscribers[subscriber.path] = subscriber
        return subscriber

    def endpoint(self, subscriber: Subscriber) -> str:
        return self.origin + subscriber.path

    def respond_with(self, subscriber: Subscriber, *statuses: int) -> None:
        self._responses[subscriber.path].extend((status, {}) for status in statuses)

    def redirect(self, subscriber: Subscriber, location: str, status: int = 307) -> None:
        self._responses[subscriber.path].append((status, {"Location": location}))

    def trickle(self, subscriber: Subscriber) -> None:
        """Answer this path one byte every 50 ms (about 10 s in all, or until the receiver
        closes): each read gets its byte in time, only a deadline on the whole send ends it."""
        self._trickling.add(subscriber.path)

    def payloads(self, subscriber: Subscriber | None = None) -> list[dict[str, Any]]:
        return [
            r.payload
            for r in self.received
            if r.payload is not None and (subscriber is None or r.path == subscriber.path)
        ]

    def errors(self) -> list[str]:
        return [r.error for r in self.received if r.error]

    def __enter__(self) -> PushReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handle(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        with self._lock:
            queued = self._responses[path]
            status, extra = queued.popleft() if queued else (201, {})
        record = Received(path=path, headers=headers, status=status)
        try:
            subscriber = self._subscribers[path]
            # The audience is the origin the sender asked for: this receiver under its name.
            record.claims = check_vapid(
                headers.get("authorization", ""),
                f"http://{headers.get('host', '')}",
                self.expected_key,
            )
            if headers.get("content-encoding") != "aes128gcm":
                raise VapidError(f"content-encoding {headers.get('content-encoding')!r}")
            if status < 300:
                record.payload = subscriber.decrypt(body)
        except Exception as error:  # recorded for the test to assert on; answered like a service
            record.error = f"{type(error).__name__}: {error}"
            if path not in self._subscribers:
                status = 404
            else:
                status = 400 if isinstance(error, KeyError) else 401
            record.status = status
        with self._lock:
            self.received.append(record)
        return status, extra

    def _trickle(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.trickled.append(handler.path)
        answer = b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n" + b"X-Slow: a\r\n" * 15
        for byte in answer + b"\r\n":
            if self._release.wait(0.05):
                return
            try:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
            except OSError:  # the sender hung up
                return
        self.trickle_finished.set()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                if self.path in receiver._trickling:
                    receiver._trickle(self)
                    return
                status, extra = receiver._handle(self.path, headers, body)
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST  # noqa: N815 (a followed 303 would arrive as a GET)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
