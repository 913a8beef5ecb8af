"""The offline-first paths of issue 4, in real headless Chromium against the real server."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import STAFF
from tests.e2e.pages import (
    log_in,
    open_plan,
    row,
    wait_offline,
    wait_on_device,
    wait_service_worker,
    wait_synced,
)

UNIT = "Bofællesskabet Lærkevej"


def test_login_online_then_offline_reload_opens_from_cache_with_data(new_context, api):
    plan = api.plan_of_unit(UNIT)
    context = new_context()
    page = context.new_page()
    log_in(page, STAFF)
    wait_service_worker(page)
    open_plan(page, UNIT, plan["id"])
    first_topic = page.locator('tbody td[data-field="topic"]').first.inner_text()
    assert first_topic

    context.set_offline(True)
    page.reload()
    expect(page.get_by_test_id("plan-table")).to_be_visible()
    expect(page.locator('tbody td[data-field="topic"]').first).to_have_text(first_topic)
    wait_offline(page)
    expect(page.get_by_test_id("sync-state")).to_contain_text("Offline")


def test_item_and_note_made_offline_survive_reload_and_reach_the_server(new_context, api):
    plan = api.plan_of_unit(UNIT)
    context = new_context()
    page = context.new_page()
    log_in(page, STAFF)
    wait_service_worker(page)
    open_plan(page, UNIT, plan["id"])

    context.set_offline(True)
    wait_offline(page)
    topic = f"Offline emne {uuid.uuid4().hex[:6]}"
    note = f"Talt med holdet {uuid.uuid4().hex[:6]}"
    page.get_by_test_id("add-item").click()
    page.get_by_label("Emne").fill(topic)
    page.get_by_label("Mål").fill("Alle kender reglerne")
    page.get_by_test_id("save-item").click()
    new_row = page.locator("tbody tr", has_text=topic)
    expect(new_row).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Gemt i denne browser")

    # The path staff use most: two taps from the plan.
    new_row.get_by_test_id("add-note").click()
    page.get_by_label("Hvad er der sket?").fill(note)
    page.get_by_test_id("save-note").click()
    wait_on_device(page, 2)
    # Honest words offline: kept on the device, not "Notatet er gemt." as if the server had it.
    status = page.get_by_role("status")
    expect(status).to_have_text(
        "Gemt i denne browser. Du er offline: det sendes, når der er netværk."
    )
    page.get_by_role("button", name="Synkronisér nu").click()
    expect(status).to_have_text("Du er offline. Der synkroniseres, når der er netværk igen.")

    page.reload()
    expect(page.locator("tbody tr", has_text=topic)).to_be_visible()
    expect(page.get_by_test_id("sync-state")).to_contain_text("2 ændringer venter")
    page.locator("tbody tr", has_text=topic).locator("details.notes summary").click()
    expect(page.get_by_test_id("note").filter(has_text=note)).to_be_visible()

    page.locator("tbody tr", has_text=topic).get_by_test_id("add-note").click()
    page.get_by_label("Hvad er der sket?").fill(f"{note} igen")
    page.get_by_test_id("save-note").click()
    context.set_offline(False)
    wait_synced(page)
    # The device's message gives way once the server has it.
    expect(page.get_by_role("status")).to_have_text("Gemt.")
    items = api.get(f"/api/plans/{plan['id']}/items", as_user=STAFF)
    item = next(i for i in items if i["topic"] == topic)
    assert item["goal"] == "Alle kender reglerne"
    notes = api.get(f"/api/items/{item['id']}/notes", as_user=STAFF)
    assert sorted(n["text"] for n in notes) == [note, f"{note} igen"]
    expect(row(page, item["id"])).to_be_visible()


def test_the_sync_bar_says_saving_from_the_click_until_the_server_has_it(new_context, api):
    """Never "Synkroniseret" for a note the server does not have: from the click (the store's
    writing side may still be loading, the outbox not yet holding it) the bar says "Gemmer …",
    then that it waits, and "Synkroniseret" only once the push has been answered."""
    plan = api.plan_of_unit(UNIT)
    item = api.new_item(plan["id"], goal="Sync-bjælken")
    page = new_context().new_page()
    log_in(page, STAFF)
    open_plan(page, UNIT, plan["id"])
    expect(page.get_by_test_id("sync-state")).to_have_text("Synkroniseret")
    text = f"Gemmes ærligt {uuid.uuid4().hex[:6]}"
    row(page, item["id"]).get_by_test_id("add-note").click()
    page.get_by_label("Hvad er der sket?").fill(text)

    # Every text the bar shows from now on, and the one it shows in the click's own task.
    at_click = page.evaluate(
        """() => {
            const read = () => {
                const el = document.querySelector('[data-testid="sync-state"]');
                return { text: el.textContent, pending: el.dataset.pending };
            };
            window.__readBar = read;
            window.__bar = [];
            // The whole page: a live re-render may draw the bar anew.
            const all = { childList: true, subtree: true, characterData: true, attributes: true };
            new MutationObserver(() => window.__bar.push(read())).observe(document.body, all);
            document.querySelector('[data-testid="save-note"]').click();
            return read();
        }"""
    )
    assert at_click["text"] != "Synkroniseret", at_click
    assert at_click["pending"] != "0", at_click
    wait_synced(page)
    notes = api.get(f"/api/items/{item['id']}/notes", as_user=STAFF)
    assert [n["text"] for n in notes] == [text]
    said = page.evaluate("window.__bar.concat([window.__readBar()])")
    first = next(i for i, s in enumerate(said) if s["text"] == "Synkroniseret")
    # The first change after the click still owes the note, and once synced, it stays so.
    assert said[0]["pending"] != "0", said
    assert all(s["pending"] == "0" for s in said[first:]), said


def test_a_reload_while_a_save_is_still_being_written_asks_first(new_context, api):
    """A save is written to the device in milliseconds; a reload (or a closed tab) in those
    milliseconds would drop it. The browser asks first, and the note is kept."""
    plan = api.plan_of_unit(UNIT)
    item = api.new_item(plan["id"], goal="Genindlæsning")
    page = new_context().new_page()
    log_in(page, STAFF)
    open_plan(page, UNIT, plan["id"])
    text = f"Skrevet lige før genindlæsning {uuid.uuid4().hex[:6]}"
    row(page, item["id"]).get_by_test_id("add-note").click()
    page.get_by_label("Hvad er der sket?").fill(text)
    # A transaction of this test's own holds the device's store for two seconds, so the
    # note's write is still under way when the reload comes.
    page.evaluate(
        """async () => {
            const [{ name }] = await indexedDB.databases();
            const db = await new Promise((ok, fail) => {
                const open = indexedDB.open(name);
                open.onsuccess = () => ok(open.result);
                open.onerror = fail;
            });
            const tx = db.transaction([...db.objectStoreNames], 'readwrite');
            const outbox = tx.objectStore('outbox');
            const until = Date.now() + 2000;
            const hold = () => {
                if (Date.now() < until) outbox.count().onsuccess = hold;
            };
            hold();
            tx.oncomplete = () => db.close();
        }"""
    )
    page.get_by_test_id("save-note").click()
    expect(page.get_by_test_id("sync-state")).to_have_attribute("data-writing", "1")
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.evaluate("location.reload()")
    wait_synced(page)
    assert asked == ["beforeunload"]
    notes = api.get(f"/api/items/{item['id']}/notes", as_user=STAFF)
    assert [n["text"] for n in notes] == [text]
