"""The follow-up levels of seed 003 in Chromium, in Swedish: a medarbetare at Björkvägen answers
the tematisk uppföljning of måltider for her enhet offline on a phone and never sees Lönnen's
result; the enhetschef follows up a private utförare's avtal, records a deviation, links it to a
handlingsplan row and writes the year's sammanvägd bedömning beside the figures it draws on."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.pages import eventually, log_in, wait_offline, wait_on_device, wait_synced
from tests.e2e.test_quality_sv import CHEF_SV, HOME_SV, STAFF_SV, open_quality

LEVELS = "Uppdrag och teman"
LONNEN_RESULT = "Brukarna väljer mellanmål själva men inte lunch."


def unit_id(api, name: str) -> str:
    return next(u["id"] for u in api.get("/api/units", as_user=CHEF_SV) if u["name"] == name)


def test_a_medarbetare_answers_a_theme_for_her_enhet_offline_and_sees_no_other_enhets_result(
    new_context, api
):
    context = new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, STAFF_SV, home=HOME_SV)
    open_quality(page, "Gruppbostaden Björkvägen")
    page.get_by_role("link", name=LEVELS, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=LEVELS)).to_be_visible()
    # The enhet's uppdragsuppföljning (demo) and the verksamhet's theme are on her phone.
    expect(page.get_by_test_id("assignment-list")).to_contain_text(
        "Uppdrag gruppbostad enligt LSS 2026"
    )
    expect(page.get_by_test_id("assignment-list")).to_contain_text("Delvis uppfyllt")
    # Staff read it; only managers follow up.
    expect(page.get_by_test_id("assignment-form")).to_have_count(0)

    context.set_offline(True)
    wait_offline(page)
    page.get_by_test_id("theme-list").get_by_role("link", name="Måltider").click()
    expect(
        page.get_by_role("heading", level=1, name="Tematisk uppföljning: Måltider")
    ).to_be_visible()
    results = page.get_by_test_id("result-list")
    expect(results.locator("li")).to_have_count(1)
    expect(results).to_contain_text("Gruppbostaden Björkvägen")
    expect(page.locator("body")).not_to_contain_text(LONNEN_RESULT)

    answer = f"Lunchen planeras med brukarna varje vecka {uuid.uuid4().hex[:4]}."
    results.get_by_label("Bedömning: Gruppbostaden Björkvägen").select_option(label="Uppfyllt")
    results.get_by_label("Resultat: Gruppbostaden Björkvägen").fill(answer)
    results.get_by_role("button", name="Spara").click()
    expect(results).to_contain_text(answer)
    wait_on_device(page, 1)

    context.set_offline(False)
    wait_synced(page)
    bjorkvagen = unit_id(api, "Gruppbostaden Björkvägen")
    everything = api.get("/api/quality/thematic-results", as_user=CHEF_SV)
    assert {(r["unit_id"] == bjorkvagen, r["outcome"]) for r in everything} == {
        (True, "met"),
        (False, "partly_met"),
    }
    assert next(r for r in everything if r["unit_id"] == bjorkvagen)["result"] == answer
    # Through the API too, her own result is all she reads.
    own = api.get("/api/quality/thematic-results", as_user=STAFF_SV)
    assert [r["unit_id"] for r in own] == [bjorkvagen]


def test_the_enhetschef_follows_up_an_avtal_links_its_deviation_and_writes_the_assessment(
    new_context, api
):
    page = new_context().new_page()
    log_in(page, CHEF_SV, home=HOME_SV)
    open_quality(page, "Stöd och omsorg")
    page.get_by_role("link", name=LEVELS, exact=True).click()

    subject = f"Avtal om ledsagarservice {uuid.uuid4().hex[:4]}"
    form = page.get_by_test_id("assignment-form")
    form.get_by_label("Enhet").select_option(label="Gruppbostaden Björkvägen")
    form.get_by_label("Uppdrag eller avtal").select_option(label="Avtal")
    form.get_by_label("Vad följs upp?").fill(subject)
    form.get_by_label("Utförare", exact=True).select_option(label="Privat utförare")
    form.get_by_label("Krav i uppdraget eller avtalet").fill("Ledsagning bokad inom tre dagar.")
    form.get_by_label("Planerad").fill("2026-09-01")
    form.get_by_role("button", name="Lägg till uppföljningen").click()
    # A private utförare is named before it is saved, on the device already.
    expect(form.get_by_label("Utförarens namn")).to_have_attribute("aria-invalid", "true")
    form.get_by_label("Utförarens namn").fill("Ledsagarna i Norr AB")
    form.get_by_role("button", name="Lägg till uppföljningen").click()
    page.get_by_test_id("assignment-list").get_by_role("link", name=subject).click()
    expect(page.get_by_role("heading", level=1, name=subject)).to_be_visible()

    edit = page.get_by_test_id("assignment-edit")
    edit.get_by_label("Genomförd").fill("2026-09-10")
    edit.get_by_label("Bedömning").select_option(label="Delvis uppfyllt")
    edit.get_by_label("Resultat").fill("Två av tio bokningar tog mer än tre dagar.")
    edit.get_by_role("button", name="Spara").click()
    expect(page.get_by_test_id("assignment-summary")).to_contain_text("Delvis uppfyllt")

    deviation = "Bokningar tog upp till åtta dagar."
    add = page.get_by_test_id("deviation-form")
    add.get_by_label("Avvikelse").fill(deviation)
    add.get_by_label("Åtgärd som krävs").fill("Utföraren inför bokningsrutin.")
    add.get_by_role("button", name="Lägg till avvikelsen").click()
    listed = page.get_by_test_id("deviation-list").locator("li", has_text=deviation)
    listed.get_by_label(f"Koppla till åtgärd: {deviation}").select_option(index=0)
    listed.get_by_role("button", name="Koppla till åtgärd").click()
    expect(page.get_by_test_id("deviation-list").get_by_test_id("linked-items")).to_be_visible()
    wait_synced(page)

    follow_up = next(
        f
        for f in api.get("/api/quality/assignment-follow-ups", as_user=CHEF_SV)
        if f["subject"] == subject
    )
    assert (follow_up["provider_kind"], follow_up["provider_name"], follow_up["outcome"]) == (
        "private",
        "Ledsagarna i Norr AB",
        "partly_met",
    )
    stored = next(
        d
        for d in api.get("/api/quality/follow-up-deviations", as_user=CHEF_SV)
        if d["follow_up_id"] == follow_up["id"]
    )
    assert stored["description"] == deviation
    links = api.get("/api/quality/links", as_user=CHEF_SV)
    assert any(
        link["source_table"] == "follow_up_deviations" and link["source_id"] == stored["id"]
        for link in links
    )

    page.get_by_role("link", name=f"← {LEVELS}").click()
    page.get_by_label("År", exact=True).fill("2026")
    page.get_by_label("År", exact=True).dispatch_event("change")
    basis = page.get_by_test_id("assessment-basis")
    expect(basis).to_contain_text("med åtgärd i handlingsplanen")
    expect(basis).to_contain_text("Måltider")
    overall = "Godtagbar kvalitet; bokningar och måltider är förbättringsområden."
    assessment = page.get_by_test_id("assessment-form")
    assessment.get_by_label("Sammanvägd bedömning", exact=True).fill(overall)
    assessment.get_by_label("Bedömning", exact=True).select_option(label="Delvis uppfyllt")
    assessment.get_by_role("button", name="Spara bedömningen").click()
    wait_synced(page)
    verksamhet = unit_id(api, "Stöd och omsorg")
    # The save reaches the outbox a moment after the click (the store's writing side loads on
    # first use), so the sync bar can say idle before it: wait for the server to have it.
    eventually(
        lambda: api.get(f"/api/quality/overall-assessments?unit_id={verksamhet}", as_user=CHEF_SV)
    )
    stored = api.get(f"/api/quality/overall-assessments?unit_id={verksamhet}", as_user=CHEF_SV)
    assert [(a["year"], a["overall"], a["outcome"]) for a in stored] == [
        (2026, overall, "partly_met")
    ]


def test_the_levels_screens_have_no_serious_axe_violations(new_context, artifacts):
    from tests.e2e.test_accessibility import AXE, check

    assert AXE.is_file(), "axe-core is missing: run `npm ci` in pwa/."
    page = new_context(viewport=PHONE, bypass_csp=True).new_page()
    log_in(page, CHEF_SV, home=HOME_SV)
    open_quality(page, "Stöd och omsorg")
    page.get_by_role("link", name=LEVELS, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=LEVELS)).to_be_visible()
    check(page, "levels")
    page.screenshot(path=artifacts / "phone-quality-levels.png", full_page=True)
    page.get_by_test_id("theme-list").get_by_role("link", name="Måltider").click()
    expect(
        page.get_by_role("heading", level=1, name="Tematisk uppföljning: Måltider")
    ).to_be_visible()
    check(page, "thematic follow-up")
    page.screenshot(path=artifacts / "phone-quality-theme.png", full_page=True)
