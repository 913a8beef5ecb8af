"""The store and sync unit tests (tests/pwa) again, on Chromium's real IndexedDB.

The vitest files are bundled with esbuild (from pwa/node_modules) together with a small stand-in
for vitest's globals, and run in a page on the test server's origin (IndexedDB needs a real
origin; the page is served by Playwright, so the app's CSP does not apply to it).
"""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.e2e.conftest import ROOT

ESBUILD = ROOT / "pwa" / "node_modules" / ".bin" / "esbuild"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> str:
    if not ESBUILD.exists():
        pytest.fail("esbuild is missing: run `npm ci` in pwa/.", pytrace=False)
    out = tmp_path_factory.mktemp("store-tests") / "bundle.js"
    subprocess.run(
        [
            str(ESBUILD),
            str(ROOT / "tests" / "e2e" / "browser" / "entry.js"),
            "--bundle",
            "--format=esm",
            f"--outfile={out}",
            "--log-level=warning",
        ],
        check=True,
        cwd=ROOT / "pwa",
        # The test files live outside pwa/: let them resolve dexie from pwa/node_modules.
        env={**os.environ, "NODE_PATH": str(ROOT / "pwa" / "node_modules")},
    )
    return out.read_text()


def test_store_and_sync_unit_tests_pass_on_real_indexeddb(new_context, live_server, bundle):
    page = new_context().new_page()
    html = '<!doctype html><title>store tests</title><script type="module" src="bundle.js">'
    html += "</script>"

    def serve(route):
        if route.request.url.endswith("bundle.js"):
            route.fulfill(body=bundle, content_type="text/javascript")
        else:
            route.fulfill(body=html, content_type="text/html")

    page.route(f"{live_server}/__store-tests/**", serve)
    page.goto("/__store-tests/index.html")
    page.wait_for_function("typeof window.runRegisteredTests === 'function'")
    results = page.evaluate("runRegisteredTests()")
    failed = [r for r in results if not r["ok"]]
    assert len(results) >= 30, [r["name"] for r in results]
    assert not failed, "\n\n".join(f"{r['name']}\n{r['error']}" for r in failed)
