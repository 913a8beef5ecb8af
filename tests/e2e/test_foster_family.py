"""Seed 001 in Chromium: the foster parent keeps the family's plan on a phone, offline too;
evidence attached offline reaches the server; "Send tilbage" says why, and the author reads it."""

from __future__ import annotations

import uuid

import requests
from playwright.sync_api import expect

from tests.e2e.conftest import MANAGER, PHONE
from tests.e2e.pages import (
    log_in,
    open_plan,
    wait_offline,
    wait_on_device,
    wait_service_worker,
    wait_synced,
)
from tests.e2e.test_visits import _png_with_gps
from tests.foster.test_attachments import pdf

FOSTER_PARENT = "plejefamilie@demo.test"
INSPECTOR = "tilsyn@demo.test"
UNIT = "Plejefamilien Skovbryn"


def _fits_the_screen(page) -> None:
    """Nothing runs past the 360 px screen: no sideways scrolling on the phone."""
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], width


def test_a_foster_parent_on_a_phone_writes_a_row_offline_and_syncs(new_context, api):
    plan = api.plan_of_unit(UNIT)
    context = new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    log_in(page, FOSTER_PARENT)
    wait_service_worker(page)
    open_plan(page, UNIT, plan["id"])
    # Put in force by the family itself: no management approval (seed 001).
    expect(page.get_by_test_id("plan-state")).to_have_text("Gældende")
    _fits_the_screen(page)

    context.set_offline(True)
    wait_offline(page)
    topic = f"Mere tid til lektier {uuid.uuid4().hex[:6]}"
    page.get_by_test_id("add-item").click()
    page.get_by_label("Emne").fill(topic)
    page.get_by_label("Mål").fill("Lektiecafé to gange om ugen")
    page.get_by_test_id("save-item").click()
    new_row = page.locator("tbody tr", has_text=topic)
    expect(new_row).to_be_visible()
    _fits_the_screen(page)
    new_row.get_by_test_id("add-note").click()
    page.get_by_label("Hvad er der sket?").fill("Første lektiecafé holdt.")
    page.get_by_test_id("save-note").click()
    wait_on_device(page, 2)
    page.reload()
    expect(page.locator("tbody tr", has_text=topic)).to_be_visible()

    context.set_offline(False)
    wait_synced(page)
    items = api.get(f"/api/plans/{plan['id']}/items", as_user=FOSTER_PARENT)
    item = next(i for i in items if i["topic"] == topic)
    assert item["goal"] == "Lektiecafé to gange om ugen"
    [note] = api.get(f"/api/items/{item['id']}/notes", as_user=FOSTER_PARENT)
    me = api.get("/api/auth/me", as_user=FOSTER_PARENT)
    assert note["text"] == "Første lektiecafé holdt." and note["author_id"] == me["id"]


def test_an_attachment_on_a_row_survives_offline_and_sync(new_context, api, live_server, tmp_path):
    plan = api.plan_of_unit(UNIT)
    item = api.new_item(plan["id"], topic=f"Ugeplan {uuid.uuid4().hex[:6]}")
    photo = tmp_path / "ugeplan.png"
    photo.write_bytes(_png_with_gps((30, 120, 200)))
    context = new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    log_in(page, FOSTER_PARENT)
    wait_service_worker(page)
    page.goto(f"/#/items/{item['id']}")
    expect(page.get_by_test_id("evidence")).to_be_visible()

    context.set_offline(True)
    wait_offline(page)
    page.get_by_label("Vedhæft foto eller PDF").set_input_files(str(photo))
    listed = page.get_by_test_id("attachment")
    expect(listed).to_have_count(1)
    expect(listed).to_have_attribute("data-uploaded", "false")
    expect(listed).to_contain_text("ugeplan.jpg")
    page.get_by_label("Vedhæft foto eller PDF").set_input_files(
        {"name": "referat.pdf", "mimeType": "application/pdf", "buffer": pdf()}
    )
    expect(listed).to_have_count(2)
    # Two records and two files' bytes wait on the device, through a reload.
    wait_on_device(page, 4)
    page.reload()
    expect(page.get_by_test_id("attachment")).to_have_count(2)

    context.set_offline(False)
    wait_synced(page)
    expect(page.get_by_test_id("attachment").first).to_have_attribute("data-uploaded", "true")
    stored = api.get(f"/api/items/{item['id']}/attachments", as_user=INSPECTOR)
    assert sorted(a["filename"] for a in stored) == ["referat.pdf", "ugeplan.jpg"]
    token = api.token(INSPECTOR)
    for attachment in stored:
        got = requests.get(
            f"{live_server}/api/photos/{attachment['sha256']}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert got.status_code == 200
        assert b"GPSLatitude" not in got.content and b"Hanne" not in got.content

    # The inspector sees the evidence in the plan's DOKUMENTATION cell.
    inspector = new_context().new_page()
    log_in(inspector, INSPECTOR)
    open_plan(inspector, UNIT, plan["id"])
    cell = inspector.locator(f'tr[data-item-id="{item["id"]}"]')
    expect(cell.get_by_test_id("attachment")).to_have_count(2)


def test_send_back_asks_why_and_the_foster_parent_reads_it(new_context, api):
    units = api.get("/api/units", as_user=FOSTER_PARENT)
    unit = next(u for u in units if u["name"] == UNIT)
    title = f"Plan til godkendelse {uuid.uuid4().hex[:6]}"
    plan = api.post(
        "/api/plans",
        {"unit_id": unit["id"], "kind": "dk_plejefamilie", "title": title},
        as_user=FOSTER_PARENT,
    )
    api.post(f"/api/plans/{plan['id']}/items", {"topic": "Familiemøder"}, as_user=FOSTER_PARENT)
    api.post(f"/api/plans/{plan['id']}/submit", {}, as_user=FOSTER_PARENT)

    leader = new_context().new_page()
    log_in(leader, MANAGER)
    open_plan(leader, UNIT, plan["id"])
    leader.get_by_role("button", name="Send tilbage").click()
    leader.get_by_test_id("confirm-send-back").click()  # empty: refused in the dialog
    expect(leader.get_by_text("Skriv en begrundelse.")).to_be_visible()
    reason = "Skriv, hvem der holder familiemødet."
    leader.get_by_label("Hvorfor sendes planen tilbage?").fill(reason)
    leader.get_by_test_id("confirm-send-back").click()
    expect(leader.get_by_test_id("plan-state")).to_have_text("Kladde")
    assert api.get(f"/api/plans/{plan['id']}", as_user=FOSTER_PARENT)["return_reason"] == reason

    family = new_context(viewport=PHONE).new_page()
    log_in(family, FOSTER_PARENT)
    open_plan(family, UNIT, plan["id"])
    notice = family.get_by_test_id("return-reason")
    expect(notice).to_contain_text(reason)
    expect(notice).to_contain_text("Mette Lund")
    # The family may put its own plan in force; it does not approve.
    expect(family.get_by_role("button", name="Gør gældende")).to_be_visible()
    expect(family.get_by_role("button", name="Godkend", exact=True)).to_have_count(0)
