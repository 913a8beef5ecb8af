"""Nothing a person types is lost (issue 20): the form checks before it says saved, and what the
server still refuses stays on the device as a draft to fix and send again, or to discard."""

from __future__ import annotations

import uuid

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.conftest import ADMIN, DESKTOP, PHONE, STAFF
from tests.e2e.pages import (
    eventually,
    log_in,
    open_plan,
    row,
    sync_now,
    wait_offline,
    wait_synced,
)
from tests.e2e.test_accessibility import check as check_axe

UNIT = "Bofællesskabet Lærkevej"
OTHER_UNIT = "Plejefamilien Skovbryn"
INSPECTOR = "tilsyn@demo.test"
PASSWORD = "draft-test-password-1"
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


def open_item(page, item_id: str) -> None:
    row(page, item_id).get_by_role("link", name="Redigér").click()
    expect(page.get_by_test_id("item-form")).to_be_visible()


@VIEWPORTS
def test_the_item_form_refuses_an_end_before_the_start_at_the_field(new_context, api, viewport):
    plan = api.plan_of_unit(UNIT)
    item = api.new_item(plan["id"], goal="Udgangspunkt")
    # CSP bypassed only to inject axe-core (see test_accessibility).
    page = new_context(viewport=viewport, bypass_csp=True).new_page()
    log_in(page, STAFF)
    open_plan(page, UNIT, plan["id"])
    open_item(page, item["id"])
    form = page.get_by_test_id("item-form")
    assert form.get_attribute("novalidate") is not None  # the app's messages, not the browser's
    form.get_by_label("Mål").fill("Et nyt mål")
    form.get_by_label("Start", exact=True).fill("2026-05-01")
    end = form.get_by_label("Sluttidspunkt", exact=True)
    end.fill("2026-04-01")
    page.get_by_test_id("save-item").click()

    error = form.locator('[data-field-error="end_date"]')
    expect(error).to_have_text("Kan ikke ligge før start.")
    expect(end).to_have_attribute("aria-invalid", "true")
    expect(end).to_be_focused()
    assert error.get_attribute("id") in (end.get_attribute("aria-describedby") or "").split()
    expect(form.get_by_role("alert")).to_have_text("1 felt skal rettes, før der kan gemmes.")
    expect(page.locator("#toast")).not_to_contain_text("Gemt")
    check_axe(page, "item form with an error at its field")
    expect(page.get_by_test_id("sync-state")).to_have_attribute("data-pending", "0")

    # Fixed, it is saved: first on the device, then "Gemt." once the server has it.
    end.fill("2026-06-01")
    page.get_by_test_id("save-item").click()
    expect(row(page, item["id"]).locator('td[data-field="goal"]')).to_have_text("Et nyt mål")
    wait_synced(page)
    expect(page.get_by_role("status")).to_have_text("Gemt.")
    assert api.get(f"/api/items/{item['id']}", as_user=STAFF)["end_date"] == "2026-06-01"


def new_staff_member(api) -> tuple[dict, str, dict]:
    """A staff member of UNIT (a role that can be revoked: they keep one elsewhere)."""
    units = {u["name"]: u for u in api.get("/api/units", as_user=ADMIN)}
    email = f"e2e-draft-{uuid.uuid4().hex[:10]}@demo.test"
    user = api.post(
        "/api/users",
        {
            "email": email,
            "name": "Kladde Prøve",
            "language": "da",
            "password": PASSWORD,
            "memberships": [{"unit_id": units[OTHER_UNIT]["id"], "role": "staff"}],
        },
        as_user=ADMIN,
    )
    return user, email, units[UNIT]


def grant(api, user, unit) -> dict:
    return api.post(
        "/api/memberships",
        {"user_id": user["id"], "unit_id": unit["id"], "role": "staff"},
        as_user=ADMIN,
    )


def revoke(api, live_server, membership) -> None:
    r = requests.delete(
        f"{live_server}/api/memberships/{membership['id']}",
        headers={"Authorization": f"Bearer {api.token(ADMIN)}"},
        timeout=10,
    )
    assert r.status_code == 204, r.text


def refused_edit(new_context, api, live_server, viewport, goal: str):
    """A staff member edits MÅL offline while an admin revokes their role; then they sync.
    The local rules cannot see this: only the server refuses it."""
    plan = api.plan_of_unit(UNIT)
    item = api.new_item(plan["id"], goal="Udgangspunkt")
    user, email, unit = new_staff_member(api)
    membership = grant(api, user, unit)
    context = new_context(viewport=viewport)
    page = context.new_page()
    log_in(page, email, password=PASSWORD)
    open_plan(page, UNIT, plan["id"])
    context.set_offline(True)
    wait_offline(page)
    open_item(page, item["id"])
    page.get_by_label("Mål").fill(goal)
    page.get_by_test_id("save-item").click()
    expect(page.get_by_role("status")).to_contain_text("Gemt i denne browser")
    expect(page.get_by_role("status")).to_contain_text("offline")

    revoke(api, live_server, membership)
    context.set_offline(False)
    state = page.get_by_test_id("sync-state")
    expect(state).to_have_attribute("data-drafts", "1")
    expect(page.get_by_test_id("sync-drafts")).to_have_text("1 ændring venter på dig")
    expect(state).not_to_contain_text("Synkroniseret")
    expect(page.get_by_role("status")).to_contain_text("Serveren tog ikke imod ændringen")
    return page, plan, item, user, unit


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_a_refused_edit_survives_a_reload_and_can_be_fixed_and_sent_again(
    new_context, api, live_server, viewport
):
    goal = f"Mit vigtige mål {uuid.uuid4().hex[:6]}"
    page, plan, item, user, unit = refused_edit(new_context, api, live_server, viewport, goal)

    page.reload()
    page.get_by_test_id("sync-drafts").click()
    draft = page.get_by_test_id("draft")
    expect(draft).to_contain_text(goal)
    expect(draft).to_contain_text("Indsats")
    expect(draft).not_to_contain_text("plan_items")
    assert api.get(f"/api/items/{item['id']}")["goal"] == "Udgangspunkt"

    # Back in the unit: the row comes back with its mark, and the form shows what was typed.
    grant(api, user, unit)
    page.reload()
    page.goto(f"/#/plans/{plan['id']}")
    expect(row(page, item["id"]).get_by_role("link", name="Redigér")).to_be_visible()
    row(page, item["id"]).get_by_test_id("draft-mark").click()
    expect(page.get_by_test_id("draft-notice")).to_be_visible()
    field = page.get_by_label("Mål")
    expect(field).to_have_value(goal)
    field.fill(f"{goal}, rettet")
    page.get_by_role("button", name="Send igen").click()
    eventually(lambda: api.get(f"/api/items/{item['id']}")["goal"] == f"{goal}, rettet")
    wait_synced(page)
    expect(page.get_by_test_id("sync-state")).to_have_attribute("data-drafts", "0")
    expect(page.get_by_test_id("sync-drafts")).to_have_count(0)


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_a_refused_note_is_fixed_in_the_list_and_sent_again(
    new_context, api, live_server, viewport
):
    """A progress note has no form to reopen: its text is a field in the list of waiting
    changes, checked on the device before it goes again."""
    plan = api.plan_of_unit(UNIT)
    item = api.new_item(plan["id"], goal="Noter her")
    user, email, unit = new_staff_member(api)
    membership = grant(api, user, unit)
    context = new_context(viewport=viewport)
    page = context.new_page()
    log_in(page, email, password=PASSWORD)
    open_plan(page, UNIT, plan["id"])
    context.set_offline(True)
    wait_offline(page)
    note = f"Talt med Jens om morgenrutinen {uuid.uuid4().hex[:6]}"
    row(page, item["id"]).get_by_test_id("add-note").click()
    page.get_by_label("Hvad er der sket?").fill(note)
    page.get_by_test_id("save-note").click()
    expect(page.get_by_role("status")).to_contain_text("Gemt i denne browser")
    revoke(api, live_server, membership)
    context.set_offline(False)
    expect(page.get_by_test_id("sync-state")).to_have_attribute("data-drafts", "1")

    page.reload()
    page.get_by_test_id("sync-drafts").click()
    draft = page.get_by_test_id("draft")
    expect(draft).to_contain_text("Notat")
    text = draft.get_by_label("Beskrivelse")
    expect(text).to_have_value(note)
    # Emptied, it is refused here, at the field, and nothing goes out.
    text.fill("")
    draft.get_by_test_id("draft-resend").click()
    expect(draft.locator('[data-field-error="text"]')).to_be_visible()
    expect(text).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("sync-state")).to_have_attribute("data-drafts", "1")

    grant(api, user, unit)
    text.fill(f"{note}, rettet")
    draft.get_by_test_id("draft-resend").click()
    expect(page.get_by_test_id("draft")).to_have_count(0)
    eventually(
        lambda: (
            [n["text"] for n in api.get(f"/api/items/{item['id']}/notes")] == [f"{note}, rettet"]
        )
    )
    wait_synced(page)
    expect(page.get_by_test_id("sync-state")).to_have_attribute("data-drafts", "0")


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"])
def test_discarding_a_refused_edit_asks_first_and_removes_it(
    new_context, api, live_server, viewport
):
    goal = f"Kassér mig {uuid.uuid4().hex[:6]}"
    page, *_ = refused_edit(new_context, api, live_server, viewport, goal)
    page.get_by_test_id("sync-drafts").click()
    # Logging out would wipe the device: it names the waiting draft and asks first.
    page.get_by_test_id("logout").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("1 ændring, som serveren ikke tog imod, venter på dig.")
    dialog.get_by_role("button", name="Bliv logget ind").click()
    draft = page.get_by_test_id("draft")
    draft.get_by_test_id("draft-discard").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("kan ikke hentes tilbage")
    dialog.get_by_role("button", name="Behold").click()
    expect(draft).to_be_visible()
    draft.get_by_test_id("draft-discard").click()
    page.get_by_role("dialog").get_by_role("button", name="Kassér ændringen").click()
    expect(page.get_by_test_id("draft")).to_have_count(0)
    expect(page.get_by_test_id("sync-state")).to_have_attribute("data-drafts", "0")
    page.reload()
    expect(page.get_by_test_id("drafts")).to_have_count(0)
    sync_now(page)
    expect(page.get_by_test_id("sync-state")).to_contain_text("Synkroniseret")


@VIEWPORTS
def test_an_inspector_sees_the_providers_item_without_an_edit_form(new_context, api, viewport):
    plan = api.plan_of_unit(UNIT)
    item = api.new_item(plan["id"], goal="Leverandørens mål")
    page = new_context(viewport=viewport).new_page()
    log_in(page, INSPECTOR)
    page.goto(f"/#/items/{item['id']}")
    expect(page.get_by_test_id("item-read-only")).to_be_visible()
    expect(page.get_by_test_id("item-fields")).to_contain_text("Leverandørens mål")
    expect(page.get_by_test_id("item-form")).to_have_count(0)
    expect(page.get_by_test_id("save-item")).to_have_count(0)
    # The dialogue is the inspector's to write in.
    expect(page.get_by_test_id("item-thread").get_by_test_id("message-body")).to_be_visible()


def write_past_the_checks(page, table: str, row_id: str, changes: dict) -> None:
    """A local edit written straight into the device's store (row + outbox entry, as the store
    writes it), past the form's checks: what an older app version, or rules that changed since,
    would let through."""
    page.evaluate(
        """async ({ table, id, changes }) => {
            const db = await new Promise((ok, bad) => {
                const r = indexedDB.open('folg');
                r.onsuccess = () => ok(r.result);
                r.onerror = () => bad(r.error);
            });
            const tx = db.transaction([table, 'outbox'], 'readwrite');
            const rows = tx.objectStore(table);
            const row = await new Promise((ok) => {
                const r = rows.get(id);
                r.onsuccess = () => ok(r.result);
            });
            const base = {};
            for (const k of Object.keys(changes)) base[k] = row[k] ?? null;
            const server = Object.fromEntries(
                Object.entries(row).filter(([k]) => !k.startsWith('_')),
            );
            rows.put({ ...row, ...changes, _status: 'updated', _server: server });
            tx.objectStore('outbox').add({
                table, id, op: 'upsert', fields: changes, base, base_version: row._version,
                mutation_id: null, created_at: new Date().toISOString(),
            });
            await new Promise((ok, bad) => {
                tx.oncomplete = ok;
                tx.onerror = () => bad(tx.error);
            });
            db.close();
        }""",
        {"table": table, "id": row_id, "changes": changes},
    )


# The server applies the valid fields of a half-bad edit (status `partial`, sync schema 2).
@VIEWPORTS
def test_the_valid_field_of_a_half_bad_edit_reaches_the_server(new_context, api, viewport):
    plan = api.plan_of_unit(UNIT)
    item = api.new_item(plan["id"], goal="Udgangspunkt", start_date="2026-05-01")
    page = new_context(viewport=viewport).new_page()
    log_in(page, STAFF)
    open_plan(page, UNIT, plan["id"])
    goal = f"Det gode mål {uuid.uuid4().hex[:6]}"
    write_past_the_checks(page, "plan_items", item["id"], {"goal": goal, "end_date": "2026-04-01"})
    sync_now(page)

    on_server = api.get(f"/api/items/{item['id']}")
    assert on_server["goal"] == goal
    assert on_server["end_date"] is None
    expect(page.get_by_test_id("sync-drafts")).to_have_text("1 ændring venter på dig")

    row(page, item["id"]).get_by_test_id("draft-mark").click()
    form = page.get_by_test_id("item-form")
    expect(form.get_by_label("Mål")).to_have_value(goal)
    end = form.get_by_label("Sluttidspunkt", exact=True)
    expect(end).to_have_value("2026-04-01")
    expect(form.locator('[data-field-error="end_date"]')).to_have_text("Kan ikke ligge før start.")
    end.fill("2026-06-01")
    page.get_by_role("button", name="Send igen").click()
    eventually(lambda: api.get(f"/api/items/{item['id']}")["end_date"] == "2026-06-01")
    wait_synced(page)
    expect(page.get_by_test_id("sync-drafts")).to_have_count(0)
