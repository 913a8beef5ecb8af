"""How Flask serves the built PWA (server/web.py): types, cache headers, and /api left alone."""

from __future__ import annotations

import re

import pytest
import requests


@pytest.mark.parametrize(
    ("path", "content_type", "cache"),
    [
        ("/", "text/html", "no-cache"),
        ("/sw.js", "text/javascript", "no-cache"),
        ("/manifest.webmanifest", "application/manifest+json", "no-cache"),
        ("/icons/icon-192.png", "image/png", "no-cache"),
        ("/units/anything", "text/html", "no-cache"),
    ],
)
def test_app_files_are_served_with_their_type_and_revalidated(
    live_server, path, content_type, cache
):
    r = requests.get(live_server + path, timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(content_type)
    assert r.headers["Cache-Control"] == cache


def test_hashed_assets_are_immutable_and_the_worker_may_control_the_origin(live_server):
    html = requests.get(live_server + "/", timeout=10).text
    assets = re.findall(r"(/assets/[\w-]+\.(?:js|css))", html)
    assert len(assets) == 2
    for asset in assets:
        r = requests.get(live_server + asset, timeout=10)
        assert r.status_code == 200
        assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    sw = requests.get(live_server + "/sw.js", timeout=10)
    assert sw.headers["Service-Worker-Allowed"] == "/"
    assert "index.html" in sw.text  # the precached shell


@pytest.mark.parametrize("path", ["/api/no-such-thing", "/missing.js", "/../pyproject.toml"])
def test_unknown_api_paths_and_missing_assets_are_json_404s_not_the_app(live_server, path):
    r = requests.get(live_server + path, timeout=10)
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json()["error"] == "not_found"
