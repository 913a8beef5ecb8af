"""HVEM? names colleagues by name (the people directory), also after an offline reload."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import STAFF
from tests.e2e.pages import log_in, open_plan, wait_offline, wait_service_worker, wait_synced

UNIT = "Bofællesskabet Lærkevej"


def demo_plan_naming_the_manager(api) -> dict:
    """The seeded plan whose items name the manager by user id (other tests add plans)."""
    manager_id = next(u for u in api.get("/api/people") if u["name"] == "Mette Lund")["id"]
    unit = next(u for u in api.get("/api/units") if u["name"] == UNIT)
    for plan in api.get(f"/api/plans?unit_id={unit['id']}"):
        items = api.get(f"/api/plans/{plan['id']}/items")
        if any(r.get("user_id") == manager_id for i in items for r in i["responsible"]):
            return plan
    raise AssertionError("the demo data has no plan naming the manager in HVEM?")


def test_hvem_shows_the_manager_by_name_for_staff_online_and_offline(new_context, api):
    plan = demo_plan_naming_the_manager(api)
    context = new_context()
    page = context.new_page()
    log_in(page, STAFF)
    wait_service_worker(page)
    wait_synced(page)
    open_plan(page, UNIT, plan["id"])
    # The demo plan's items name the manager (Mette Lund) and the staff member in HVEM?.
    responsible = page.locator('tbody td[data-field="responsible"]')
    expect(responsible.filter(has_text="Mette Lund").first).to_be_visible()
    expect(responsible.filter(has_text="Kollega")).to_have_count(0)

    context.set_offline(True)
    page.reload()
    wait_offline(page)
    expect(responsible.filter(has_text="Mette Lund").first).to_be_visible()
