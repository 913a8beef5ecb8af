"""What the tests do in the app, in the user's words (Danish UI)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD


def log_in(page: Page, email: str, home: str = "Mine enheder", password: str = PASSWORD) -> None:
    """Log in from the login screen; ``home`` is the first heading in the user's language."""
    page.goto("/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", level=1, name=home)).to_be_visible()
    # The first sync has run to the end (not merely "nothing waiting" before it started).
    expect(page.get_by_test_id("sync-state")).not_to_have_attribute("data-last", "")
    wait_synced(page)


def wait_synced(page: Page) -> None:
    """The sync state says idle with nothing waiting."""
    state = page.get_by_test_id("sync-state")
    expect(state).to_have_attribute("data-phase", "idle")
    expect(state).to_have_attribute("data-pending", "0")


def wait_on_device(page: Page, pending: int) -> None:
    """`pending` changes wait in the device's outbox, and no save is still on its way there: a
    reload or a closed tab from here on loses nothing (the sync bar counts a save from its click,
    before its IndexedDB write has committed)."""
    state = page.get_by_test_id("sync-state")
    expect(state).to_have_attribute("data-writing", "0")
    expect(state).to_have_attribute("data-pending", str(pending))


def wait_offline(page: Page) -> None:
    expect(page.get_by_test_id("sync-state")).to_have_attribute("data-phase", "offline")


def wait_service_worker(page: Page) -> None:
    """The app shell is precached and this page is controlled by the worker."""
    page.wait_for_function(
        "navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null)"
    )
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def open_plan(page: Page, unit: str, plan_id: str) -> None:
    page.get_by_role("link", name=unit, exact=True).click()
    page.locator(f'a[href="#/plans/{plan_id}"]').click()
    expect(page.get_by_test_id("plan-table")).to_be_visible()


def sync_now(page: Page) -> None:
    """Sync now and wait for *that* sync to finish: before it starts, the state may well say
    idle with nothing waiting already, so wait for a newer "last synced" time too."""
    state = page.get_by_test_id("sync-state")
    before = state.get_attribute("data-last") or ""
    page.get_by_role("button", name="Synkronisér nu").click()
    page.wait_for_function(
        """before => {
            const el = document.querySelector('[data-testid="sync-state"]');
            return el && el.dataset.last !== before && el.dataset.phase === 'idle'
                && el.dataset.pending === '0';
        }""",
        arg=before,
    )


def row(page: Page, item_id: str):
    return page.locator(f'tr[data-item-id="{item_id}"]')


def database_names(page: Page) -> list[str]:
    return page.evaluate("indexedDB.databases().then(list => list.map(d => d.name))")


def eventually(check, timeout: float = 30.0, interval: float = 0.1):
    """Poll ``check`` (a function returning a truthy value) until it passes; for server state
    that a background sync brings about. Returns the value; fails with the last one seen."""
    import time

    deadline = time.monotonic() + timeout
    value = check()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = check()
    assert value, f"condition not met within {timeout} s: {check.__doc__ or check}"
    return value
