"""axe-core finds no serious or critical violations; phone and desktop screenshots.

axe is read from pwa/node_modules (installed by `npm ci`), never from a CDN. The app's CSP
allows no inline script, so this context bypasses CSP to inject axe; the app itself runs
under its normal policy everywhere else.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN, DESKTOP, MANAGER, PHONE, ROOT
from tests.e2e.pages import log_in, open_plan

AXE = ROOT / "pwa" / "node_modules" / "axe-core" / "axe.min.js"
UNIT = "Bofællesskabet Lærkevej"


def serious_violations(page) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text())
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a',"
        " 'wcag21aa']}}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def check(page, where: str) -> None:
    found = serious_violations(page)
    assert not found, f"{where}: {json.dumps(found, ensure_ascii=False, indent=1)}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_screens_have_no_serious_axe_violations_and_are_screenshotted(
    new_context, api, artifacts, viewport
):
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `npm ci` in pwa/.", pytrace=False)
    name = "phone" if viewport is PHONE else "desktop"
    plan = api.plan_of_unit(UNIT)
    page = new_context(viewport=viewport, bypass_csp=True).new_page()
    page.goto("/")
    expect(page.get_by_role("heading", level=1, name="Log ind")).to_be_visible()
    check(page, "login")
    expect(page.locator("#app")).not_to_contain_text("null")
    page.screenshot(path=artifacts / f"{name}-login.png")

    log_in(page, MANAGER)
    check(page, "units")
    open_plan(page, UNIT, plan["id"])
    check(page, "plan")
    page.screenshot(path=artifacts / f"{name}-plan.png", full_page=True)

    page.get_by_test_id("add-note").first.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    check(page, "note dialog")
    page.screenshot(path=artifacts / f"{name}-note.png")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)

    page.get_by_role("link", name="Redigér").first.click()
    expect(page.get_by_test_id("item-form")).to_be_visible()
    check(page, "item form")
    page.get_by_role("link", name="Annullér").click()

    page.get_by_role("link", name="Konflikter").click()
    check(page, "conflicts")
    page.get_by_role("link", name="Indstillinger").click()
    check(page, "settings")
    expect(page.get_by_test_id("storage")).not_to_contain_text("null")
    page.screenshot(path=artifacts / f"{name}-settings.png")

    # Administration is the demo admin's (another person: a profile of its own).
    page = new_context(viewport=viewport, bypass_csp=True).new_page()
    log_in(page, ADMIN)
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_test_id("user-list")).to_be_visible()
    check(page, "admin")
    page.screenshot(path=artifacts / f"{name}-admin.png", full_page=True)
    page.get_by_role("link", name="Anders Holm").click()
    expect(page.get_by_test_id("user-details")).to_be_visible()
    check(page, "admin user")
    page.screenshot(path=artifacts / f"{name}-admin-user.png", full_page=True)
    page.get_by_role("link", name="← Administration").click()
    page.get_by_role("link", name="Ny bruger").click()
    expect(page.get_by_test_id("new-user")).to_be_visible()
    check(page, "admin new user")


def test_everything_on_the_plan_is_reachable_by_keyboard(new_context, api):
    plan = api.plan_of_unit(UNIT)
    page = new_context().new_page()
    log_in(page, MANAGER)
    open_plan(page, UNIT, plan["id"])
    # The skip link moves focus to the content without leaving the plan.
    page.locator("a.skip").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    expect(page.get_by_test_id("plan-table")).to_be_visible()
    # Tabbing on reaches the first row's note button; Enter opens the note dialog with the text
    # field focused.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.testid === 'add-note'"):
            break
    else:
        pytest.fail("the note button was not reachable by Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Hvad er der sket?")).to_be_focused()
    page.keyboard.press("Escape")
