"""The interactive API docs at ``/api/docs``: Swagger UI served by the app itself.

The assets come from the pinned ``swagger-ui-bundle`` package (pyproject.toml), so the page
works offline, on a plain ``pip install`` deployment as on a fresh clone, and loads nothing
from another origin. The page and its initialiser are static files in ``docs_page/``: no
inline script, so the page keeps the app's strict Content-Security-Policy
(server/security.py) and script on it cannot be anything but ours and the pinned bundle.
Only the few files the page uses are served from the package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Blueprint, Flask, Response, abort
from swagger_ui_bundle import swagger_ui_path

PAGE = Path(__file__).parent / "docs_page"
SWAGGER_UI = Path(str(swagger_ui_path))
SWAGGER_FILES = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "favicon-32x32.png": "image/png",
}

blp = Blueprint("api_docs", __name__)


@blp.get("/api/docs")
def docs_page() -> Response:
    return Response(_read(PAGE / "index.html"), mimetype="text/html")


@blp.get("/api/docs/initialise.js")
def docs_initialiser() -> Response:
    return Response(_read(PAGE / "initialise.js"), mimetype="text/javascript")


@blp.get("/api/docs/<name>")
def docs_asset(name: str) -> Response:
    if name not in SWAGGER_FILES:
        abort(404)
    return Response(_read(SWAGGER_UI / name), mimetype=SWAGGER_FILES[name])


@cache
def _read(path: Path) -> bytes:
    return path.read_bytes()  # a few static files, read once per process


def register_api_docs(app: Flask) -> None:
    app.register_blueprint(blp)
