"""Security headers on every response, and trust in a reverse proxy when configured.

The proxy setting must match the deployment, or the login throttle counts the wrong
addresses (``server/services/login_throttle.py``): with ``TRUST_PROXY`` off behind a proxy,
every user has the proxy's address; with it on and no proxy in front, a client picks its own
address in ``X-Forwarded-For``. The first request that shows either (the header arrives while
off, or is missing while on) logs one warning per process, naming no address.

The PWA ships no inline script or style, so its Content-Security-Policy has no
'unsafe-inline'. The interactive API docs page (Swagger UI, server/api/docs.py) is served
from the app with a static initialiser and gets the same policy: a page on this origin can
read the app's IndexedDB, so none may run script the app does not ship.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"

log = logging.getLogger(__name__)

PROXY_HEADER_UNTRUSTED = (
    "A request came with X-Forwarded-For but FOLG_TRUST_PROXY is off: if a reverse proxy you "
    "run sets it, every user shares the proxy's address in the login throttle. Set "
    "FOLG_TRUST_PROXY=true behind such a proxy (docs/deploy.md)."
)
PROXY_HEADER_MISSING = (
    "FOLG_TRUST_PROXY is on but a request came without X-Forwarded-For: if clients can reach "
    "the app past the proxy, they choose the address the login throttle counts. Let only the "
    "proxy reach the app, or turn FOLG_TRUST_PROXY off (docs/deploy.md)."
)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Permissions-Policy", "geolocation=(), microphone=()")
    if request.path.startswith("/api/"):
        # Plans concern vulnerable people: no shared cache or back/forward cache keeps them.
        headers["Cache-Control"] = "no-store"
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def proxy_check(trust_proxy: bool):
    """A before-request hook that warns once when requests do not match ``trust_proxy``."""
    warned = False

    def check_proxy_setting() -> None:
        nonlocal warned
        if warned:
            return
        forwarded = "X-Forwarded-For" in request.headers
        # Health probes often reach the app directly, past the proxy.
        if forwarded != trust_proxy and request.path != "/api/health":
            warned = True
            log.warning(PROXY_HEADER_MISSING if trust_proxy else PROXY_HEADER_UNTRUSTED)

    return check_proxy_setting


def register_security(app: Flask) -> None:
    trust_proxy = bool(app.config.get("TRUST_PROXY"))
    if trust_proxy:
        # Behind one reverse proxy that sets X-Forwarded-For/-Proto (see docs/deploy.md).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    app.before_request(proxy_check(trust_proxy))
    app.after_request(add_security_headers)
