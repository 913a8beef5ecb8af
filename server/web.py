"""Serves the PWA from ``pwa/`` (its built assets, ``pwa/dist``) at ``/``.

Caching, so that a deploy reaches devices and an old shell never sticks:

- ``sw.js``, ``index.html``, the manifest and other unhashed files: ``no-cache`` (the browser
  revalidates every time; the service worker's precache is what makes the app open offline);
- ``assets/*-<hash>.*``: a year, ``immutable`` (a new build has new names).

Everything under ``/api`` stays with the API blueprints: an unknown ``/api/...`` path is a JSON
404, never the app shell. Any other unknown path gets ``index.html`` (the app routes itself).
Set ``PWA_DIST`` in the config to serve another build directory (tests do).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Flask, Response, abort, current_app, send_from_directory

DEFAULT_DIST = Path(__file__).resolve().parent.parent / "pwa" / "dist"

CONTENT_TYPES = {
    ".webmanifest": "application/manifest+json",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".html": "text/html",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def _dist() -> Path:
    # Absolute: Flask would resolve a relative directory against the package, not the
    # working directory the operator meant (FOLG_PWA_DIST=pwa/dist).
    return Path(current_app.config.get("PWA_DIST") or DEFAULT_DIST).resolve()


def _send(relative: str) -> Response:
    dist = _dist()
    mimetype = CONTENT_TYPES.get(Path(relative).suffix) or mimetypes.guess_type(relative)[0]
    response = send_from_directory(dist, relative, mimetype=mimetype, max_age=0, etag=True)
    hashed = relative.startswith("assets/")
    response.headers["Cache-Control"] = IMMUTABLE if hashed else REVALIDATE
    if relative == "sw.js":
        # The worker controls the whole origin.
        response.headers["Service-Worker-Allowed"] = "/"
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    return response


def _shell() -> Response:
    if not (_dist() / "index.html").is_file():
        return Response(
            "The app is not built yet: run `npm ci && npm run build` in pwa/.\n",
            status=503,
            mimetype="text/plain",
        )
    return _send("index.html")


def register_web(app: Flask) -> None:
    @app.get("/")
    def pwa_index() -> Response:
        return _shell()

    @app.get("/<path:path>")
    def pwa_file(path: str) -> Response:
        if path == "api" or path.startswith("api/"):
            abort(404)
        candidate = (_dist() / path).resolve()
        if candidate.is_file() and candidate.is_relative_to(_dist().resolve()):
            return _send(path)
        if Path(path).suffix and Path(path).suffix != ".html":
            abort(404)  # a missing asset must not come back as HTML
        return _shell()
