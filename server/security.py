"""Security headers on every response, and trust in a reverse proxy when configured.

The PWA ships no inline script or style, so its Content-Security-Policy has no
'unsafe-inline'. The interactive API docs page (Swagger UI, server/api/docs.py) is served
from the app with a static initialiser and gets the same policy: a page on this origin can
read the app's IndexedDB, so none may run script the app does not ship.
"""

from __future__ import annotations

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


def register_security(app: Flask) -> None:
    if app.config.get("TRUST_PROXY"):
        # Behind one reverse proxy that sets X-Forwarded-For/-Proto (see docs/deploy.md).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    app.after_request(add_security_headers)
