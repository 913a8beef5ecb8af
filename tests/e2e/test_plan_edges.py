"""The rough edges daily use found (issue 20, point 4), each checked in Chromium on a 360 px
phone or a desktop where it matters: hidden fields stay hidden, completing asks and can be
undone, notes say who and when, the phone shows compact rows, focus stays on the row."""

from __future__ import annotations

import uuid
from datetime import date

from playwright.sync_api import expect

from tests.e2e.conftest import MANAGER, PHONE, STAFF
from tests.e2e.pages import (
    log_in,
    open_plan,
    row,
    wait_offline,
    wait_service_worker,
    wait_synced,
)

INSPECTOR = "tilsyn@demo.test"
TILBUD = "Bofællesskabet Lærkevej"
PLEJEFAMILIE = "Plejefamilien Skovbryn"


def unit_id(api, name: str) -> str:
    return next(u["id"] for u in api.get("/api/units") if u["name"] == name)


def new_plan(api, unit: str = TILBUD, *actions: str) -> dict:
    plan = api.post(
        "/api/plans",
        {
            "id": str(uuid.uuid4()),
            "unit_id": unit_id(api, unit),
            "kind": "dk_tilbud",
            "title": f"Kantplan {uuid.uuid4().hex[:6]}",
        },
    )
    for action in actions:
        plan = api.post(f"/api/plans/{plan['id']}/{action}", {})
    return plan


def test_a_tilbud_plan_form_hides_the_foster_family_fields_and_a_foster_plan_keeps_status(
    new_context, api
):
    page = new_context().new_page()
    log_in(page, MANAGER)
    page.get_by_role("link", name=TILBUD, exact=True).click()
    page.get_by_role("link", name="Ny opfølgningsplan").click()
    expect(page.get_by_label("Ledelsesansvarlig")).to_be_visible()
    expect(page.get_by_label("Plejeforældres navn og adresse")).to_be_hidden()
    expect(page.get_by_label("Sidste kolonne")).to_be_hidden()

    page.locator("header nav").get_by_role("link", name="Mine enheder").click()
    page.get_by_role("link", name=PLEJEFAMILIE, exact=True).click()
    page.get_by_role("link", name="Ny opfølgningsplan").click()
    expect(page.get_by_label("Ledelsesansvarlig")).to_be_hidden()
    expect(page.get_by_label("Plejeforældres navn og adresse")).to_be_visible()
    # The foster-family template's last column is STATUS unless the person picks RESULTAT.
    expect(page.get_by_label("Sidste kolonne")).to_have_value("status")
    title = f"Plejeplan {uuid.uuid4().hex[:6]}"
    page.get_by_label("Beskrivelse/titel").fill(title)
    page.get_by_label("Plejeforældres navn og adresse").fill("Hanne og Jens, Skovbryn 4")
    page.get_by_role("button", name="Opret plan").click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    plans = api.get(f"/api/plans?unit_id={unit_id(api, PLEJEFAMILIE)}")
    stored = next(p for p in plans if p["title"] == title)
    assert stored["result_label"] == "status"
    assert stored["foster_parents"] == "Hanne og Jens, Skovbryn 4"


def test_completing_a_plan_asks_first_and_a_manager_reopens_it(new_context, api):
    plan = new_plan(api, TILBUD, "submit", "approve")
    api.new_item(plan["id"], topic="Afslutning")
    page = new_context().new_page()
    log_in(page, MANAGER)
    open_plan(page, TILBUD, plan["id"])
    complete = page.get_by_role("button", name="Afslut planen")
    # Not the primary button a quick tap lands on: that is "Tilføj indsats".
    first_primary = page.locator(".plan .actions .btn.primary").first
    expect(first_primary).to_have_text("Tilføj indsats")
    expect(complete).not_to_have_class("btn primary")

    complete.click()
    dialog = page.get_by_role("dialog", name="Afslut planen?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Annullér").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("plan-state")).to_have_text("Godkendt af ledelsen")
    assert api.get(f"/api/plans/{plan['id']}")["state"] == "approved"

    complete.click()
    page.get_by_role("dialog", name="Afslut planen?").get_by_role(
        "button", name="Afslut planen"
    ).click()
    expect(page.get_by_test_id("plan-state")).to_have_text("Afsluttet")
    assert api.get(f"/api/plans/{plan['id']}")["state"] == "completed"
    expect(page.get_by_test_id("add-item")).to_have_count(0)

    page.get_by_role("button", name="Genåbn planen").click()
    expect(page.get_by_test_id("plan-state")).to_have_text("Godkendt af ledelsen")
    expect(page.get_by_test_id("add-item")).to_be_visible()
    assert api.get(f"/api/plans/{plan['id']}")["state"] == "approved"


def test_a_progress_note_shows_its_author_and_the_year_of_an_older_note(new_context, api):
    plan = new_plan(api)
    item = api.new_item(plan["id"], topic="Noter med forfatter")
    api.post(
        f"/api/items/{item['id']}/notes",
        {
            "item_id": item["id"],
            "text": "Samtale med borgeren.",
            "created_at": "2021-08-27T09:00:00+02:00",
        },
    )
    me = api.get("/api/auth/me")
    page = new_context().new_page()
    log_in(page, MANAGER)
    open_plan(page, TILBUD, plan["id"])
    row(page, item["id"]).locator("details.notes summary").click()
    note = row(page, item["id"]).get_by_test_id("note")
    expect(note).to_contain_text("2021")
    expect(note).to_contain_text("27. aug.")
    expect(note).to_contain_text(me["name"])


def test_on_a_phone_the_plan_is_compact_rows_with_44_px_buttons_under_a_short_header(
    new_context, api
):
    plan = new_plan(api)
    items = [
        api.new_item(
            plan["id"],
            topic=f"Række {n} " + "lang tekst " * 40,
            goal="Mål " * 200,
            activities="Aktivitet " * 200,
        )
        for n in range(3)
    ]
    page = new_context(viewport=PHONE).new_page()
    log_in(page, MANAGER)
    open_plan(page, TILBUD, plan["id"])

    header = page.locator("header.top").bounding_box()
    sync = page.locator("#sync").bounding_box()
    assert sync["y"] + sync["height"] <= 110, (header, sync)
    assert page.locator("header.top nav").evaluate("el => el.scrollWidth <= el.clientWidth")
    first_note = page.get_by_test_id("add-note").first.bounding_box()
    assert first_note["y"] + first_note["height"] <= PHONE["height"], first_note

    first = row(page, items[0]["id"])
    assert first.bounding_box()["height"] < 320
    expect(first.locator('td[data-field="goal"]')).to_be_hidden()
    for button in (
        first.locator(".row-actions .btn").all()
        + row(page, items[1]["id"]).locator(".row-actions .btn").all()
    ):
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (button.text_content(), box)
    # Open a row to read all nine columns.
    first.get_by_test_id("row-toggle").click()
    expect(first.locator('td[data-field="goal"]')).to_be_visible()
    expect(first.get_by_test_id("row-toggle")).to_have_attribute("aria-expanded", "true")

    # After saving an edit the person is back on that row, not at the top of the plan.
    last = row(page, items[2]["id"])
    last.get_by_role("link", name="Redigér indsats").click()
    page.get_by_label("Mål").fill("Et nyt mål")
    page.get_by_test_id("save-item").click()
    expect(last.locator("th")).to_be_focused()
    expect(last.locator("th")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 200


def test_focus_stays_on_the_row_after_a_note_and_after_reordering(new_context, api):
    plan = new_plan(api)
    items = [api.new_item(plan["id"], topic=f"Fokus {n}") for n in range(3)]
    page = new_context().new_page()
    log_in(page, MANAGER)
    open_plan(page, TILBUD, plan["id"])

    second = row(page, items[1]["id"])
    second.get_by_test_id("add-note").click()
    page.get_by_test_id("note-text").fill("Online notat")
    page.get_by_test_id("save-note").click()
    wait_synced(page)
    expect(second.get_by_test_id("note")).to_have_count(1)
    # The redraw after the sync keeps focus on this row's button, not the first row's.
    expect(second.get_by_test_id("add-note")).to_be_focused()

    up = page.get_by_role("button", name="Flyt Fokus 1 op")
    up.focus()
    page.keyboard.press("Enter")
    topics = page.locator('tbody td[data-field="topic"]')
    expect(topics).to_have_text(["Fokus 1", "Fokus 0", "Fokus 2"])
    # At the top it has no ↑ any more: its ↓ has focus, not <body>.
    expect(page.get_by_role("button", name="Flyt Fokus 1 ned")).to_be_focused()
    page.get_by_role("button", name="Flyt Fokus 0 ned").focus()
    page.keyboard.press("Enter")
    expect(topics).to_have_text(["Fokus 1", "Fokus 2", "Fokus 0"])
    expect(page.get_by_role("button", name="Flyt Fokus 0 op")).to_be_focused()


def test_desktop_column_headings_keep_their_words_whole(new_context, api):
    plan = new_plan(api)
    api.new_item(plan["id"], topic="Overskrifter")
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    log_in(page, MANAGER)
    open_plan(page, TILBUD, plan["id"])
    for heading in page.locator("thead .col-heading").all():
        fits = heading.evaluate(
            "el => el.scrollWidth <= el.clientWidth + 1"
            " && el.getClientRects().length === 1"
            " && el.offsetHeight < 2 * parseFloat(getComputedStyle(el).fontSize)"
        )
        assert fits, heading.text_content()


def test_a_plan_made_offline_offers_the_themes_already_on_the_device(new_context, api):
    context = new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, MANAGER)
    wait_service_worker(page)
    context.set_offline(True)
    wait_offline(page)
    title = f"Offline plan {uuid.uuid4().hex[:6]}"
    page.get_by_role("link", name=TILBUD, exact=True).click()
    page.get_by_role("link", name="Ny opfølgningsplan").click()
    page.get_by_label("Beskrivelse/titel").fill(title)
    page.get_by_role("button", name="Opret plan").click()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    page.get_by_test_id("add-item").click()
    theme = page.get_by_label("Tema")
    # More than "Intet tema valgt": the catalogue's themes, before any sync.
    expect(theme.locator("option")).not_to_have_count(1)
    theme.select_option(index=1)
    chosen = theme.evaluate("el => el.selectedOptions[0].textContent")
    page.get_by_label("Emne").fill("Tema offline")
    page.get_by_test_id("save-item").click()
    expect(page.locator("tbody th", has_text=chosen.split(". ", 1)[-1])).to_be_visible()


def test_hvem_offers_the_people_of_the_unit_and_keeps_free_text_names(new_context, api):
    plan = new_plan(api)
    item = api.new_item(plan["id"], topic="Ansvarlige", responsible=[{"name": "Ekstern konsulent"}])
    staff = api.get("/api/auth/me", as_user=STAFF)
    page = new_context(viewport=PHONE).new_page()
    log_in(page, MANAGER)
    open_plan(page, TILBUD, plan["id"])
    row(page, item["id"]).get_by_role("link", name="Redigér indsats").click()
    people = page.get_by_test_id("responsible-people")
    expect(people.get_by_label("Andre (én pr. linje)")).to_have_value("Ekstern konsulent")
    people.get_by_label(staff["name"], exact=True).check()
    page.get_by_test_id("save-item").click()
    expect(row(page, item["id"]).locator("th")).to_be_focused()
    wait_synced(page)
    stored = api.get(f"/api/items/{item['id']}")["responsible"]
    assert {"user_id": staff["id"]} in stored and {"name": "Ekstern konsulent"} in stored


def test_the_finding_to_item_picker_names_state_and_date_defaults_to_the_newest_open_plan(
    new_context, api
):
    # Dated 2014: older than every other plan of the unit, so the picker's newest open plan
    # is another one (api.plan_of_unit takes the demo's plan, whatever tests add).
    older = api.post(
        "/api/plans",
        {
            "id": str(uuid.uuid4()),
            "unit_id": unit_id(api, TILBUD),
            "kind": "dk_tilbud",
            "title": f"Ældre {uuid.uuid4().hex[:4]}",
            "plan_date": "2014-01-05",
        },
    )
    newest = api.post(
        "/api/plans",
        {
            "id": str(uuid.uuid4()),
            "unit_id": unit_id(api, TILBUD),
            "kind": "dk_tilbud",
            "title": f"Nyeste {uuid.uuid4().hex[:4]}",
            "plan_date": "2014-02-01",
        },
    )
    done = api.post(
        "/api/plans",
        {
            "id": str(uuid.uuid4()),
            "unit_id": unit_id(api, TILBUD),
            "kind": "dk_tilbud",
            "title": f"Afsluttet {uuid.uuid4().hex[:4]}",
            "plan_date": "2014-03-01",
        },
    )
    for action in ("submit", "approve", "complete"):
        api.post(f"/api/plans/{done['id']}/{action}", {})
    visit = api.post(
        "/api/visits",
        {
            "id": str(uuid.uuid4()),
            "unit_id": unit_id(api, TILBUD),
            "visit_date": date.today().isoformat(),
            "purpose": "ongoing_supervision",
        },
        as_user=INSPECTOR,
    )
    catalogue = next(c for c in api.get("/api/catalogues") if c["id"] == visit["catalogue_id"])
    text = f"Fund {uuid.uuid4().hex[:6]}"
    api.post(
        f"/api/visits/{visit['id']}/findings",
        {
            "id": str(uuid.uuid4()),
            "visit_id": visit["id"],
            "theme_id": catalogue["themes"][0]["id"],
            "kind": "anbefaling",
            "text": text,
        },
        as_user=INSPECTOR,
    )
    page = new_context(viewport=PHONE).new_page()
    log_in(page, MANAGER)
    page.goto(f"/#/visits/{visit['id']}")
    finding = page.get_by_test_id("finding").filter(has_text=text)
    picker = finding.get_by_label("Plan", exact=True)
    expect(picker.locator("option", has_text=done["title"])).to_have_count(1)
    options = picker.locator("option").all_text_contents()
    titles = [o.split(" – ")[0] for o in options]
    # Open plans newest first, then the completed one; each with its state and date.
    assert (
        titles.index(newest["title"]) < titles.index(older["title"]) < titles.index(done["title"])
    )
    assert options[titles.index(newest["title"])] == f"{newest['title']} – Kladde, 1. feb. 2014"
    assert "Afsluttet, 1. mar. 2014" in options[titles.index(done["title"])]
    # The default is the newest open plan of the unit (the first option; other tests' plans
    # are newer than these).
    first_value = picker.locator("option").first.get_attribute("value")
    expect(picker).to_have_value(first_value)
    assert "Afsluttet" not in options[0]
    drafts = [i for i, o in enumerate(options) if " – Kladde, " in o]
    assert max(drafts) < titles.index(done["title"])

    finding.get_by_test_id("to-item").click()
    expect(page.get_by_test_id("item-finding")).to_contain_text(text)
    page.go_back()
    # The finding has its item now: the picker is folded away.
    expect(finding.get_by_test_id("to-item-picker")).not_to_have_attribute("open", "")
    expect(finding.get_by_label("Plan")).to_be_hidden()


def test_the_radar_fits_a_phone_and_names_its_themes(new_context, api):
    visit = api.post(
        "/api/visits",
        {
            "id": str(uuid.uuid4()),
            "unit_id": unit_id(api, TILBUD),
            "visit_date": date.today().isoformat(),
            "purpose": "ongoing_supervision",
        },
        as_user=INSPECTOR,
    )
    catalogue = next(c for c in api.get("/api/catalogues") if c["id"] == visit["catalogue_id"])
    scored = [th for th in catalogue["themes"] if th.get("scored", True)]
    page = new_context(viewport=PHONE).new_page()
    log_in(page, MANAGER)
    page.goto(f"/#/visits/{visit['id']}")
    radar = page.get_by_test_id("radar")
    expect(radar).to_be_visible()
    box = radar.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    labels = radar.locator("text")
    expect(labels).to_have_count(len(scored))
    # Each spoke by its theme's name (not only its number), and every label on the screen.
    first = scored[0]
    expect(radar.locator(f'text[data-theme="{first["id"]}"]')).to_contain_text(
        first["name"].split()[0]
    )
    for label in labels.all():
        b = label.bounding_box()
        inside = b["x"] >= box["x"] and b["x"] + b["width"] <= box["x"] + box["width"]
        assert inside and b["y"] >= box["y"], (label.text_content(), b, box)
