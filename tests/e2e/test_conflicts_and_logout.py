"""Two devices editing one field offline; logging out."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import expect

from tests.e2e.conftest import MANAGER, STAFF
from tests.e2e.pages import (
    database_names,
    eventually,
    log_in,
    open_plan,
    row,
    sync_now,
    wait_offline,
    wait_on_device,
    wait_synced,
)

UNIT = "Bofællesskabet Lærkevej"


def edit_goal(page, item_id: str, goal: str) -> None:
    row(page, item_id).get_by_role("link", name="Redigér").click()
    page.get_by_label("Mål").fill(goal)
    page.get_by_test_id("save-item").click()
    expect(row(page, item_id).locator('td[data-field="goal"]')).to_have_text(goal)


def test_same_field_edited_offline_on_two_devices_is_a_conflict_resolved_and_converged(
    new_context, api
):
    plan = api.plan_of_unit(UNIT)
    item = api.new_item(plan["id"], goal="Udgangspunkt")
    manager_ctx, staff_ctx = new_context(), new_context()
    manager, staff = manager_ctx.new_page(), staff_ctx.new_page()
    for page, email in ((manager, MANAGER), (staff, STAFF)):
        log_in(page, email)
        open_plan(page, UNIT, plan["id"])
        expect(row(page, item["id"])).to_be_visible()

    for context, page in ((manager_ctx, manager), (staff_ctx, staff)):
        context.set_offline(True)
        wait_offline(page)
    edit_goal(manager, item["id"], "Lederens mål")
    edit_goal(staff, item["id"], "Medarbejderens mål")

    manager_ctx.set_offline(False)
    wait_synced(manager)
    staff_ctx.set_offline(False)
    wait_synced(staff)

    # The server kept the first value; the staff member is shown the conflict.
    goal_cell = row(staff, item["id"]).locator('td[data-field="goal"]')
    expect(goal_cell).to_have_text("Lederens mål")
    badge = staff.locator('nav a[href="#/conflicts"] .badge')
    expect(badge).to_have_text("1")
    staff.get_by_role("link", name="Konflikter").click()
    conflict = staff.get_by_test_id("conflict").filter(has_text="Mål")
    expect(conflict.get_by_test_id("before")).to_have_text("Udgangspunkt")
    expect(conflict.get_by_test_id("theirs")).to_have_text("Lederens mål")
    # Whose value "Deres" is, and when it was written.
    by = conflict.get_by_test_id("theirs-by")
    expect(by).to_contain_text(api.get("/api/auth/me", as_user=MANAGER)["name"])
    expect(by).to_have_text(re.compile(r", .*\d{2}[.:]\d{2}$"))
    expect(conflict.get_by_test_id("mine")).to_have_text("Medarbejderens mål")
    conflict.get_by_test_id("keep-mine").click()
    expect(staff.get_by_test_id("no-conflicts")).to_be_visible()
    wait_synced(staff)

    # Both devices and the server converge on the chosen value.
    assert api.get(f"/api/items/{item['id']}")["goal"] == "Medarbejderens mål"
    sync_now(manager)
    expect(row(manager, item["id"]).locator('td[data-field="goal"]')).to_have_text(
        "Medarbejderens mål"
    )
    staff.go_back()
    expect(goal_cell).to_have_text("Medarbejderens mål")
    expect(badge).to_have_count(0)


def test_an_item_deleted_while_edited_offline_is_restored_with_the_edit(new_context, api):
    plan = api.plan_of_unit(UNIT)
    item = api.new_item(plan["id"], goal="Udgangspunkt")
    context = new_context()
    staff = context.new_page()
    log_in(staff, STAFF)
    open_plan(staff, UNIT, plan["id"])
    expect(row(staff, item["id"])).to_be_visible()
    context.set_offline(True)
    wait_offline(staff)
    edit_goal(staff, item["id"], "Vigtig ændring")

    # Meanwhile the manager deletes the item.
    response = requests.delete(
        f"{api.base}/api/items/{item['id']}",
        headers={"Authorization": f"Bearer {api.token(MANAGER)}"},
        timeout=10,
    )
    assert response.status_code == 204, response.text

    context.set_offline(False)
    expect(row(staff, item["id"])).to_have_count(0)  # delete wins
    staff.get_by_role("link", name="Konflikter").click()
    conflict = staff.get_by_test_id("conflict")
    expect(conflict).to_contain_text("Rækken blev slettet")
    conflict.get_by_test_id("restore").click()
    expect(staff.get_by_test_id("no-conflicts")).to_be_visible()
    wait_synced(staff)

    # The item is back, with the edit, on the server and on the device.
    def restored_on_the_server():
        """the server has the item again, with the edit"""
        response = requests.get(
            f"{api.base}/api/items/{item['id']}",
            headers={"Authorization": f"Bearer {api.token(MANAGER)}"},
            timeout=10,
        )
        return response.status_code == 200 and response.json()["goal"] == "Vigtig ændring"

    eventually(restored_on_the_server)
    sync_now(staff)
    staff.go_back()
    expect(row(staff, item["id"]).locator('td[data-field="goal"]')).to_have_text("Vigtig ændring")


def test_logout_warns_about_waiting_changes_then_wipes_indexeddb(new_context, api):
    plan = api.plan_of_unit(UNIT)
    context = new_context()
    page = context.new_page()
    log_in(page, STAFF)
    assert "folg" in database_names(page)
    open_plan(page, UNIT, plan["id"])
    context.set_offline(True)
    wait_offline(page)
    page.get_by_test_id("add-note").first.click()
    page.get_by_label("Hvad er der sket?").fill("Venter på netværk")
    page.get_by_test_id("save-note").click()
    wait_on_device(page, 1)

    page.get_by_role("link", name="Indstillinger").click()
    page.get_by_test_id("logout").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("1 ændring er ikke sendt endnu")
    dialog.get_by_role("button", name="Bliv logget ind").click()
    wait_on_device(page, 1)

    context.set_offline(False)
    wait_synced(page)
    page.get_by_test_id("logout").click()
    expect(page.get_by_role("heading", level=1, name="Log ind")).to_be_visible()
    page.wait_for_function("indexedDB.databases().then(l => !l.some(d => d.name === 'folg'))")
    assert "folg" not in database_names(page)
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Log ind")).to_be_visible()
    assert "folg" not in database_names(page)


READ_OWN_TOKEN = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('folg');
  open.onerror = reject;
  open.onsuccess = () => {
    const get = open.result.transaction('meta').objectStore('meta').get('session');
    get.onsuccess = () => { open.result.close(); resolve(get.result.value.token); };
  };
})"""


def test_an_expired_session_pauses_the_queue_and_a_new_login_delivers_it(new_context, api):
    plan = api.plan_of_unit(UNIT)
    item = api.new_item(plan["id"], goal="Før udløb")
    context = new_context()
    page = context.new_page()
    log_in(page, STAFF)
    open_plan(page, UNIT, plan["id"])
    context.set_offline(True)
    wait_offline(page)
    edit_goal(page, item["id"], "Skrevet før udløb")

    # The token dies on the server while the device is offline (as if it had expired).
    token = page.evaluate(READ_OWN_TOKEN)
    revoked = requests.post(
        f"{api.base}/api/auth/logout", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert revoked.status_code == 204
    context.set_offline(False)
    expect(page.get_by_role("heading", level=1, name="Log ind")).to_be_visible()
    expect(page.get_by_text("Din session er udløbet")).to_be_visible()
    expect(page.get_by_test_id("sync-state")).to_have_attribute("data-phase", "auth")
    wait_on_device(page, 1)

    page.get_by_label("Adgangskode").fill("folg-demo")
    page.get_by_role("button", name="Log ind").click()
    wait_synced(page)
    expect(row(page, item["id"]).locator('td[data-field="goal"]')).to_have_text("Skrevet før udløb")
    assert api.get(f"/api/items/{item['id']}")["goal"] == "Skrevet før udløb"


def test_another_person_logging_in_is_asked_before_the_last_ones_unsent_change_goes(
    new_context, api
):
    """A session ended with a change still waiting, and someone else logs in on the device:
    the store would be wiped for them, taking the change along. They are asked first; on
    "Annullér" the change stays, and its author's own login then delivers it."""
    plan = api.plan_of_unit(UNIT)
    item = api.new_item(plan["id"], goal="Før skiftet")
    context = new_context()
    page = context.new_page()
    log_in(page, STAFF)
    open_plan(page, UNIT, plan["id"])
    context.set_offline(True)
    wait_offline(page)
    edit_goal(page, item["id"], "Skrevet før skiftet")
    token = page.evaluate(READ_OWN_TOKEN)
    revoked = requests.post(
        f"{api.base}/api/auth/logout", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert revoked.status_code == 204
    context.set_offline(False)
    expect(page.get_by_role("heading", level=1, name="Log ind")).to_be_visible()

    page.get_by_label("E-mail").fill(MANAGER)
    page.get_by_label("Adgangskode").fill("folg-demo")
    page.get_by_role("button", name="Log ind").click()
    dialog = page.get_by_role("dialog")
    staff_name = api.get("/api/auth/me", as_user=STAFF)["name"]
    expect(dialog).to_contain_text(f"{staff_name} har ændringer i denne browser")
    dialog.get_by_role("button", name="Annullér").click()
    expect(page.get_by_role("heading", level=1, name="Log ind")).to_be_visible()
    wait_on_device(page, 1)

    page.get_by_label("E-mail").fill(STAFF)
    page.get_by_label("Adgangskode").fill("folg-demo")
    page.get_by_role("button", name="Log ind").click()
    wait_synced(page)
    assert api.get(f"/api/items/{item['id']}")["goal"] == "Skrevet før skiftet"
