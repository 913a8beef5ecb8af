"""Issue 17, points 2-4 in Chromium: HVEM?'s two jobs picked and shown, HVORNÅR? read from a
Word file and a row's end labelled as the template does, and the approval in the plan's header
with the plan's changes on a screen of their own, offline too."""

from __future__ import annotations

import re
import uuid

import requests
from playwright.sync_api import expect

from tests.e2e.conftest import MANAGER, PHONE, STAFF
from tests.e2e.pages import log_in, open_plan, row, wait_offline, wait_synced
from tests.e2e.test_documents_pwa import choose_file
from tests.server.test_documents_import import seed_000_docx

TILBUD = "Bofællesskabet Lærkevej"


def unit_id(api, name: str) -> str:
    return next(u["id"] for u in api.get("/api/units") if u["name"] == name)


def new_plan(api, *actions: str) -> dict:
    plan = api.post(
        "/api/plans",
        {
            "id": str(uuid.uuid4()),
            "unit_id": unit_id(api, TILBUD),
            "kind": "dk_tilbud",
            "title": f"Rækker {uuid.uuid4().hex[:6]}",
        },
    )
    for action in actions:
        plan = api.post(f"/api/plans/{plan['id']}/{action}", {})
    return plan


def patch(api, path: str, body: dict, as_user: str = MANAGER) -> dict:
    response = requests.patch(
        api.base + path,
        json=body,
        headers={"Authorization": f"Bearer {api.token(as_user)}"},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def test_hvem_keeps_who_carries_out_and_who_follows_up_and_the_end_is_sluttidspunkt(
    new_context, api
):
    plan = new_plan(api)
    item = api.new_item(plan["id"], topic="To ansvarlige")
    staff = api.get("/api/auth/me", as_user=STAFF)
    manager = api.get("/api/auth/me", as_user=MANAGER)
    page = new_context(viewport=PHONE).new_page()
    log_in(page, MANAGER)
    open_plan(page, TILBUD, item["plan_id"])
    row(page, item["id"]).get_by_role("link", name="Redigér indsats").click()

    # The template's end is a sluttidspunkt; "frist" is a påbud's.
    page.get_by_label("Sluttidspunkt").fill("2026-09-30")
    doing = page.get_by_test_id("responsible-people")
    following = page.get_by_test_id("follow-up-people")
    doing.get_by_label(staff["name"], exact=True).check()
    following.get_by_label(manager["name"], exact=True).check()
    following.get_by_label("Andre (én pr. linje)").fill("Socialrådgiver")
    page.get_by_test_id("save-item").click()

    cell = row(page, item["id"]).locator('td[data-field="responsible"]')
    expect(cell.locator('[data-role="responsible"]')).to_contain_text(staff["name"])
    expect(cell.locator('[data-role="follow_up_responsible"]')).to_contain_text(manager["name"])
    expect(cell.locator('[data-role="follow_up_responsible"]')).to_contain_text("Socialrådgiver")
    wait_synced(page)
    stored = api.get(f"/api/items/{item['id']}")
    assert stored["responsible"] == [{"user_id": staff["id"]}]
    assert {"user_id": manager["id"]} in stored["follow_up_responsible"]
    assert {"name": "Socialrådgiver"} in stored["follow_up_responsible"]
    assert stored["end_date"] == "2026-09-30"


def test_import_preview_reads_seed_000s_hvornaar_as_dates_and_ongoing(new_context, api):
    page = new_context().new_page()
    log_in(page, MANAGER)
    page.get_by_role("link", name=TILBUD, exact=True).click()
    page.get_by_role("link", name="Importér fra Word").click()

    choose_file(page, "opfoelgningsplan.docx", seed_000_docx())

    when = page.get_by_test_id("import-timeframe")
    expect(when.nth(0)).to_contain_text(re.compile(r"Start: 12\. jul\.? 2021"))
    expect(when.nth(0)).to_contain_text("Varig ordning")
    expect(when.nth(1)).to_contain_text(re.compile(r"Sluttidspunkt: 30\. sep\.? 2021"))
    expect(when.nth(1)).to_contain_text("Ved udløb september 2021")
    # Seed 000 names the same two people for both jobs: listed once.
    expect(page.get_by_test_id("import-hvem").nth(1)).to_have_text(
        re.compile("Jens Holm\\s*Karsten P Nielsen")
    )


def test_approval_shows_in_the_header_and_the_changes_after_it_are_marked_offline_too(
    new_context, api
):
    plan = new_plan(api)
    item = api.new_item(plan["id"], topic="Før godkendelsen")
    for action in ("submit", "approve"):
        api.post(f"/api/plans/{plan['id']}/{action}", {})
    patch(api, f"/api/items/{item['id']}", {"topic": "Ændret efter godkendelsen"})
    manager = api.get("/api/auth/me", as_user=MANAGER)
    context = new_context()
    page = context.new_page()
    log_in(page, STAFF)
    open_plan(page, TILBUD, plan["id"])

    approval = page.get_by_test_id("plan-approval")
    expect(approval).to_contain_text(f"Godkendt af ledelsen: {manager['name']}, ")
    page.get_by_test_id("plan-history-link").click()
    expect(page.get_by_role("heading", level=1, name="Ændringer i planen")).to_be_visible()
    events = page.get_by_test_id("history-event")
    late = page.locator('[data-testid="history-event"][data-after-approval="true"]')
    expect(late).to_have_count(1)
    expect(late).to_contain_text("Efter godkendelsen")
    expect(late).to_contain_text("Ændret efter godkendelsen")
    assert events.count() >= 4  # the plan, its row, submitted, approved, the late change
    expect(page.get_by_test_id("history-approval")).to_contain_text("1 ændring efter godkendelsen")

    # Offline, the screen shows the copy kept on the device, and says when it was fetched.
    context.set_offline(True)
    wait_offline(page)
    page.get_by_role("link", name=re.compile("^← ")).click()
    expect(page.get_by_test_id("plan-approval")).to_contain_text(manager["name"])
    page.get_by_test_id("plan-history-link").click()
    expect(page.get_by_test_id("history-source")).to_contain_text("Uden netværk")
    expect(late).to_have_count(1)
    expect(late).to_contain_text("Ændret efter godkendelsen")
    context.set_offline(False)


def test_a_plan_not_yet_approved_says_so_and_its_changes_are_not_marked(new_context, api):
    plan = new_plan(api)
    api.new_item(plan["id"], topic="Kladde")
    page = new_context().new_page()
    log_in(page, MANAGER)
    open_plan(page, TILBUD, plan["id"])

    # Its state says it is not approved ("Kladde"); no approver is named.
    expect(page.get_by_test_id("plan-state")).to_have_text("Kladde")
    expect(page.get_by_test_id("plan-approval")).to_have_count(0)
    page.get_by_test_id("plan-history-link").click()
    expect(page.get_by_test_id("history-event").first).to_be_visible()
    expect(page.locator('[data-after-approval="true"]')).to_have_count(0)


def test_the_changes_screen_and_the_two_hvem_pickers_have_no_serious_axe_violations(
    new_context, api, artifacts
):
    from tests.e2e.test_accessibility import check

    plan = new_plan(api, "submit", "approve")
    item = api.new_item(plan["id"], topic="Efter godkendelsen")
    page = new_context(viewport=PHONE, bypass_csp=True).new_page()
    log_in(page, MANAGER)
    open_plan(page, TILBUD, plan["id"])
    page.get_by_test_id("plan-history-link").click()
    expect(page.locator('[data-after-approval="true"]').first).to_be_visible()
    check(page, "changes")
    page.screenshot(path=artifacts / "phone-plan-changes.png", full_page=True)

    page.get_by_role("link", name=re.compile("^← ")).click()
    row(page, item["id"]).get_by_role("link", name="Redigér indsats").click()
    expect(page.get_by_test_id("follow-up-people")).to_be_visible()
    check(page, "item form with both HVEM? jobs")
