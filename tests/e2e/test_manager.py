"""Managers: create a plan of each kind, reorder priorities, submit, approve."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import MANAGER
from tests.e2e.pages import eventually, log_in, wait_synced


def create_plan(
    page,
    unit: str,
    title: str,
    new_plan: str = "Ny opfølgningsplan",
    title_label: str = "Beskrivelse/titel",
    create: str = "Opret plan",
):
    """Fill in a new plan's title; returns the create button (more fields may be filled first)."""
    page.get_by_role("link", name=unit, exact=True).click()
    page.get_by_role("link", name=new_plan).click()
    page.get_by_label(title_label).fill(title)
    return page.get_by_role("button", name=create)


def add_item(page, topic: str) -> None:
    page.get_by_test_id("add-item").click()
    page.get_by_label("Emne").fill(topic)
    page.get_by_test_id("save-item").click()
    expect(page.locator("tbody tr", has_text=topic)).to_be_visible()


def test_manager_creates_reorders_submits_and_approves_a_tilbud_plan(new_context, api):
    page = new_context().new_page()
    log_in(page, MANAGER)
    title = f"Opfølgning efter tilsyn {uuid.uuid4().hex[:6]}"
    create_plan(page, "Bofællesskabet Lærkevej", title).click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.get_by_test_id("plan-state")).to_have_text("Kladde")
    add_item(page, "Selvbestemmelse")
    add_item(page, "Magtanvendelse")
    topics = page.locator('tbody td[data-field="topic"]')
    expect(topics).to_have_text(["Selvbestemmelse", "Magtanvendelse"])
    # Headings and guiding questions of the template.
    expect(page.locator("thead th").nth(4)).to_contain_text("HVORDAN?")
    expect(page.locator("thead th").nth(4)).to_contain_text("Hvilke ressourcer er til rådighed")

    page.get_by_role("button", name="Flyt Selvbestemmelse ned").click()
    expect(topics).to_have_text(["Magtanvendelse", "Selvbestemmelse"])
    wait_synced(page)

    page.get_by_role("button", name="Send til godkendelse").click()
    expect(page.get_by_test_id("plan-state")).to_have_text("Sendt til godkendelse")
    page.get_by_role("button", name="Godkend").click()
    expect(page.get_by_test_id("plan-state")).to_have_text("Godkendt af ledelsen")
    wait_synced(page)

    plan_id = page.url.rsplit("/", 1)[-1]
    assert api.get(f"/api/plans/{plan_id}")["state"] == "approved"

    def reordered_on_server():
        items = sorted(api.get(f"/api/plans/{plan_id}/items"), key=lambda i: i["priority"])
        return [i["topic"] for i in items] == ["Magtanvendelse", "Selvbestemmelse"]

    eventually(reordered_on_server)


def test_manager_creates_a_foster_family_plan_with_the_status_column(new_context, api):
    page = new_context().new_page()
    log_in(page, MANAGER)
    title = f"Plejefamilieplan {uuid.uuid4().hex[:6]}"
    create = create_plan(page, "Plejefamilien Skovbryn", title)
    expect(page.get_by_label("Skabelon")).to_have_value("dk_plejefamilie")
    page.get_by_label("Plejeforældres navn og adresse").fill("Familien Skovbryn, Skovvej 1")
    page.get_by_label("Sidste kolonne").select_option("status")
    create.click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    add_item(page, "Samarbejde med forvaltningen")
    expect(page.locator("thead th").last).to_contain_text("STATUS")
    wait_synced(page)
    plan_id = page.url.rsplit("/", 1)[-1]
    plan = api.get(f"/api/plans/{plan_id}")
    assert (plan["kind"], plan["result_label"]) == ("dk_plejefamilie", "status")


def test_swedish_manager_creates_a_handlingsplan(new_context, api):
    page = new_context().new_page()
    log_in(page, "chef@demo.test", home="Mina enheter")
    title = f"Handlingsplan {uuid.uuid4().hex[:6]}"
    create_plan(
        page, "Stöd och omsorg", title, "Ny handlingsplan", "Beskrivning/titel", "Skapa plan"
    ).click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.get_by_text("Planen har inga åtgärder än.")).to_be_visible()
    wait_synced(page)
    plan_id = page.url.rsplit("/", 1)[-1]
    assert api.get(f"/api/plans/{plan_id}", as_user="chef@demo.test")["kind"] == "se_handlingsplan"
