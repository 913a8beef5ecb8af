"""The app shell: a new version prompts before it takes over; the language can be changed."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import STAFF
from tests.e2e.pages import log_in, wait_service_worker


def test_a_new_version_shows_update_ready_and_takes_over_when_accepted(new_context, live_server):
    page = new_context().new_page()
    log_in(page, STAFF)
    wait_service_worker(page)
    old_worker = page.evaluate("navigator.serviceWorker.controller.scriptURL")

    # Publish a new build: any byte change of sw.js is a new version to the browser.
    sw = live_server.dist / "sw.js"
    sw.write_text(sw.read_text() + f"\n// release {uuid.uuid4()}\n")
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    banner = page.get_by_text("En ny version af Følg er klar.")
    expect(banner).to_be_visible()
    # It waits for the user: the old worker still controls the page.
    assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => !!r.waiting)")

    with page.expect_navigation():
        page.get_by_role("button", name="Opdater nu").click()
    expect(page.get_by_role("heading", level=1, name="Mine enheder")).to_be_visible()
    page.wait_for_function(
        "navigator.serviceWorker.getRegistration().then(r => !r.waiting && !!r.active)"
    )
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == old_worker
    expect(banner).to_be_hidden()


def test_the_language_can_be_switched_to_swedish_and_english(new_context):
    page = new_context().new_page()
    log_in(page, STAFF)
    page.get_by_role("link", name="Indstillinger").click()
    page.get_by_label("Sprog").select_option("sv")
    expect(page.get_by_role("heading", level=1, name="Inställningar")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.get_by_label("Språk").select_option("en")
    expect(page.get_by_role("heading", level=1, name="Settings")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Settings")).to_be_visible()
    page.get_by_label("Language").select_option("da")
    expect(page.get_by_role("heading", level=1, name="Indstillinger")).to_be_visible()
