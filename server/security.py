"""Security headers on every response, and trust in a reverse proxy when configured.

The PWA ships no inline script or style, so its Content-Security-Policy has no
'unsafe-inline'. Only the interactive API docs page (Swagger UI, for developers) gets a
looser policy, because that page is rendered with an inline script.
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
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: "
    "https://cdn.jsdelivr.net; frame-ancestors 'none'; object-src 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    docs = request.path.startswith("/api/docs")
    headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else CSP)
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
