"""The Swedish quality follow-up in Chromium, in Swedish: a medarbetare records an avvikelse, a
pseudonymous case and a measure value offline on a tablet, and they reach the server; the
enhetschef reads the compilation as charts, downloads them as SVG and PNG, ticks off the
årshjul and downloads the kvalitetsberättelse."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.pages import eventually, log_in, wait_offline, wait_on_device, wait_synced

STAFF_SV = "medarbetare@demo.test"
CHEF_SV = "chef@demo.test"
HOME_SV = "Mina enheter"
COUNT = "Antal genomförandeplaner som avslutats enligt plan"
AGE_BANDS = ["0-12", "13-17", "18-20", "21-29", "30-49", "50-64", "65-79", "80+"]


def open_quality(page, unit: str) -> None:
    page.get_by_role("link", name=unit, exact=True).click()
    page.get_by_role("link", name="Kvalitetsuppföljning").click()
    expect(
        page.get_by_role("heading", level=1, name=f"Kvalitetsuppföljning: {unit}")
    ).to_be_visible()


def test_a_medarbetare_records_follow_up_offline_and_it_reaches_the_server(new_context, api):
    context = new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, STAFF_SV, home=HOME_SV)
    open_quality(page, "Gruppbostaden Björkvägen")
    # The verksamhet's quality areas (seed 003) are on the tablet of a medarbetare of an enhet.
    expect(page.get_by_role("row", name="Delaktighet")).to_contain_text(
        "Granskning av genomförandeplaner"
    )

    context.set_offline(True)
    wait_offline(page)

    title = f"Läkemedel saknades {uuid.uuid4().hex[:6]}"
    page.get_by_role("link", name="Grundläggande uppföljning").click()
    form = page.get_by_test_id("register-form")
    form.get_by_label("Slag").select_option(label="Avvikelse")
    form.get_by_label("Rubrik").fill(title)
    form.get_by_label("Analys").fill("Beställningen gjordes för sent.")
    form.get_by_role("button", name="Spara i registret").click()
    expect(page.get_by_test_id("register-list")).to_contain_text(title)

    page.get_by_role("link", name="Individuppföljning").click()
    page.get_by_role("link", name="Ny uppföljning").click()
    case_form = page.get_by_test_id("case-form")
    case_form.get_by_label("Kod").fill("Anna Svensson")
    case_form.get_by_label("Insats", exact=True).fill("Boendestöd")
    page.get_by_test_id("save-case").click()
    expect(case_form.get_by_role("alert")).to_contain_text("Högst tre bokstäver")
    case_form.get_by_label("Kod").fill("850709-1234")
    page.get_by_test_id("save-case").click()
    expect(case_form.get_by_role("alert")).to_contain_text("personnummer")
    code = f"BV-{uuid.uuid4().int % 90000 + 10000}"
    case_form.get_by_label("Kod").fill(code)
    case_form.get_by_label("Åldersgrupp").select_option("21-29")
    case_form.get_by_label("Kön").select_option(label="Kvinna")
    case_form.get_by_label("Problem och hjälpbehov vid start").fill(
        "Vardagsrutiner\nSocial samvaro"
    )
    case_form.get_by_label("Start", exact=True).fill("2026-09-01")
    case_form.get_by_label("Avslut", exact=True).fill("2026-10-15")
    case_form.get_by_label("Avslutad").select_option(label="Avbruten")
    page.get_by_test_id("save-case").click()
    expect(page.get_by_test_id("case-list")).to_contain_text(code)

    page.get_by_role("link", name="Mått").click()
    page.get_by_label("År", exact=True).fill("2026")
    page.get_by_label("År", exact=True).dispatch_event("change")
    page.get_by_label("Period").select_option(label="Tertial 3")
    expect(page.get_by_test_id("measure-list")).to_have_attribute("data-period", "2026-T3")
    card = page.locator(f'section[data-measure="{COUNT}"]')
    card.get_by_label(f"Värde: {COUNT}, Gruppbostaden Björkvägen").fill("7")
    card.get_by_role("button", name="Spara").click()
    expect(card.get_by_test_id("aggregate")).to_contain_text("Hela uppdraget: 7")
    wait_on_device(page, 3)

    context.set_offline(False)
    wait_synced(page)

    unit = next(
        u for u in api.get("/api/units", as_user=CHEF_SV) if u["name"] == "Gruppbostaden Björkvägen"
    )
    entries = api.get(f"/api/quality/register?unit_id={unit['id']}", as_user=CHEF_SV)
    assert any(e["title"] == title and e["kind"] == "deviation" for e in entries)
    cases = api.get(f"/api/quality/cases?unit_id={unit['id']}", as_user=CHEF_SV)
    case = next(c for c in cases if c["case_code"] == code)
    assert (case["needs"], case["end_reason"], case["gender"]) == (
        ["Vardagsrutiner", "Social samvaro"],
        "interrupted",
        "female",
    )
    measures = api.get("/api/quality/measures", as_user=CHEF_SV)
    count = next(m for m in measures if m["name"] == COUNT)
    aggregate = api.get(
        f"/api/quality/measures/{count['id']}/aggregate?period=2026-T3", as_user=CHEF_SV
    )
    assert aggregate["value"] == 7


def test_the_enhetschef_reads_charts_exports_them_and_downloads_the_report(new_context, api):
    page = new_context(accept_downloads=True).new_page()
    log_in(page, CHEF_SV, home=HOME_SV)
    open_quality(page, "Stöd och omsorg")

    page.get_by_role("link", name="Sammanställning").click()
    page.get_by_label("År", exact=True).fill("2026")
    page.get_by_label("År", exact=True).dispatch_event("change")
    page.get_by_label("Period").select_option(label="Helår")
    compilation = page.get_by_test_id("compilation")
    expect(compilation.get_by_test_id("compilation-summary")).to_contain_text(
        "insatser under perioden"
    )
    # Per enhet and together; the demo has cases in both enheter.
    expect(compilation.get_by_role("row", name="Daglig verksamhet Lönnen")).to_be_visible()
    chart = compilation.locator("figure", has_text="Avslut – Stöd och omsorg").first
    expect(chart.locator("svg rect[fill='#2f6f8f']").first).to_be_visible()
    expect(chart.locator("svg")).to_contain_text("Avbruten")

    with page.expect_download() as svg_download:
        chart.get_by_role("button", name="Ladda ner SVG").click()
    svg_path = svg_download.value.path()
    assert svg_download.value.suggested_filename.endswith(".svg")
    assert Path(svg_path).read_text(encoding="utf-8").startswith("<svg xmlns=")
    with page.expect_download() as png_download:
        chart.get_by_role("button", name="Ladda ner PNG").click()
    assert png_download.value.suggested_filename.endswith(".png")
    assert Path(png_download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    page.get_by_role("link", name="Årshjul").click()
    task = "Sista dag för svar på enkäten (1 mars)"
    box = page.get_by_role("checkbox", name=f"Klar: {task}")
    box.check()
    wait_synced(page)
    verksamhet = next(
        u for u in api.get("/api/units", as_user=CHEF_SV) if u["name"] == "Stöd och omsorg"
    )

    def task_done():
        """The årshjul task is done on the server."""
        tasks = api.get(f"/api/quality/annual-tasks?unit_id={verksamhet['id']}", as_user=CHEF_SV)
        return any(t["title"] == task and t["state"] == "done" for t in tasks)

    eventually(task_done)

    extra = f"Fokusgrupp med brukare {uuid.uuid4().hex[:4]}"
    form = page.get_by_test_id("task-form")
    form.get_by_label("Uppgift").fill(extra)
    form.get_by_label("Slag").select_option(label="Uppföljning")
    form.get_by_label("Datum").fill("2026-10-15")
    form.get_by_role("button", name="Lägg till uppgiften").click()
    expect(page.get_by_test_id("task-list")).to_contain_text(extra)
    wait_synced(page)
    tasks = api.get(f"/api/quality/annual-tasks?unit_id={verksamhet['id']}", as_user=CHEF_SV)
    # Owned by the chef's account by default, so the årshjul's reminders reach her.
    chef_id = api.get("/api/auth/me", as_user=CHEF_SV)["id"]
    assert any(
        (t["title"], t["due_date"], t["owner_user_id"], t["owner_name"])
        == (extra, "2026-10-15", chef_id, None)
        for t in tasks
    )

    page.get_by_role("link", name="← Kvalitetsuppföljning: Stöd och omsorg").click()
    # The report draws its charts on the server: slow on a loaded machine.
    with page.expect_download(timeout=120_000) as report:
        page.get_by_role("button", name="Ladda ner utkast (Word)").click()
    # The name keeps its ä and ö (it came out as "…-sto-d-och-omsorg").
    name = report.value.suggested_filename
    assert re.fullmatch(r"kvalitetsberättelse-\d{4}-stöd-och-omsorg\.docx", name), name
    assert Path(report.value.path()).read_bytes()[:2] == b"PK"


def test_every_quality_screen_has_no_serious_axe_violations(new_context, artifacts):
    from tests.e2e.test_accessibility import AXE, check

    assert AXE.is_file(), "axe-core is missing: run `npm ci` in pwa/."
    page = new_context(viewport=PHONE, bypass_csp=True).new_page()
    log_in(page, CHEF_SV, home=HOME_SV)
    open_quality(page, "Gruppbostaden Björkvägen")
    check(page, "quality hub")
    for section in (
        "Mått",
        "Grundläggande uppföljning",
        "Individuppföljning",
        "Årshjul",
        "Sammanställning",
    ):
        page.get_by_role("link", name=section, exact=True).click()
        expect(page.get_by_role("heading", level=1, name=section)).to_be_visible()
        check(page, section)
    page.screenshot(path=artifacts / "phone-quality-compilation.png", full_page=True)
    page.get_by_role("link", name="Individuppföljning", exact=True).click()
    page.get_by_role("link", name="BV-2026-1", exact=True).click()
    expect(page.get_by_test_id("survey")).to_be_visible()
    check(page, "case and survey")


def test_the_enhetschef_edits_an_area_defines_a_measure_and_imports_values(new_context, api):
    page = new_context().new_page()
    log_in(page, CHEF_SV, home=HOME_SV)
    open_quality(page, "Stöd och omsorg")
    method = f"Avslutssamtal med alla {uuid.uuid4().hex[:4]}"
    page.get_by_role("link", name="Redigera: Delaktighet").click()
    page.get_by_label("Förslag på metod för uppföljning").fill(method)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("row", name="Delaktighet")).to_contain_text(method)

    name = f"Väntetid E2E {uuid.uuid4().hex[:4]}"
    page.get_by_role("link", name="Mått", exact=True).click()
    page.get_by_role("link", name="Nytt mått").click()
    page.get_by_label("Namn").fill(name)
    page.get_by_label("Slag").select_option(label="Strukturmått")
    page.get_by_label("Sammanvägs som").select_option(label="medelvärde")
    page.get_by_label("Enhet (t.ex. antal, dagar)").fill("dagar")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(f'section[data-measure="{name}"]')).to_be_visible()
    wait_synced(page)

    csv = (
        "enhet;mått;period;värde\n"
        f"Gruppbostaden Björkvägen;{name};2026-T1;10\n"
        f"Daglig verksamhet Lönnen;{name};2026-T1;20,5\n"
    )
    page.get_by_label("CSV-fil").set_input_files(
        files=[{"name": "varden.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_test_id("import-form")).to_contain_text("2 nya och 0 ändrade värden")
    wait_synced(page)
    page.reload()
    page.get_by_label("År", exact=True).fill("2026")
    page.get_by_label("År", exact=True).dispatch_event("change")
    page.get_by_label("Period").select_option(label="Tertial 1")
    expect(page.get_by_test_id("measure-list")).to_have_attribute("data-period", "2026-T1")
    card = page.locator(f'section[data-measure="{name}"]')
    # The mean of 10 and 20.5 days, computed on the device from the synced values.
    expect(card.get_by_test_id("aggregate")).to_contain_text("Hela uppdraget: 15,3 dagar")
    # The measure's result leads to an action in the handlingsplan.
    card.get_by_label(f"Koppla till åtgärd: {name}").select_option(index=0)
    card.get_by_role("button", name="Koppla till åtgärd").click()
    card = page.locator(f'section[data-measure="{name}"]')
    expect(card.get_by_test_id("linked-items")).to_contain_text("Ledde till")
    wait_synced(page)
    measure = next(
        m for m in api.get("/api/quality/measures", as_user=CHEF_SV) if m["name"] == name
    )
    links = api.get("/api/quality/links", as_user=CHEF_SV)
    assert any(link["source_id"] == measure["id"] for link in links)
    aggregate = api.get(
        f"/api/quality/measures/{measure['id']}/aggregate?period=2026-T1", as_user=CHEF_SV
    )
    assert aggregate["value"] == 15.25


def test_surveys_are_configured_and_answered_on_the_device(new_context, api):
    page = new_context().new_page()
    log_in(page, CHEF_SV, home=HOME_SV)
    open_quality(page, "Gruppbostaden Björkvägen")
    page.get_by_role("link", name="Enkäter", exact=True).click()
    question = f"Hur var bemötandet? {uuid.uuid4().hex[:4]}"
    form = page.get_by_test_id("question-form")
    form.get_by_label("Enkät").select_option(
        label="Årlig enkät till medarbetare, beställare och samarbetspartners"
    )
    form.get_by_label("Fråga").fill(question)
    form.get_by_label("Svarstyp").select_option(label="skala 1–5")
    form.get_by_role("button", name="Lägg till frågan").click()
    annual = page.locator('section[data-survey="annual"]')
    expect(annual.get_by_role("row", name=question)).to_be_visible()

    answer = annual.get_by_test_id("annual-form")
    answer.get_by_label("Vem svarar").select_option(label="Beställare")
    answer.get_by_label(question).select_option(label="4 av 5")
    answer.get_by_role("button", name="Spara svaren").click()
    expect(
        page.locator('section[data-survey="annual"]').get_by_role("row", name=question)
    ).to_contain_text("medel 4 av 5 (1)")
    wait_synced(page)

    # The end-of-intervention survey of an ended case, from the case itself.
    page.get_by_role("link", name="Individuppföljning", exact=True).click()
    page.get_by_role("link", name="BV-2026-2", exact=True).click()
    survey = page.get_by_test_id("survey")
    survey.get_by_label("Hur nöjd är du med kontakten med oss?").select_option(label="2 av 5")
    survey.get_by_label("Har du synpunkter eller förslag på förbättringar?").fill(
        "Fler aktiviteter"
    )
    survey.get_by_role("button", name="Spara svaren").click()
    expect(page.get_by_test_id("survey")).to_contain_text("Besvarad")
    wait_synced(page)

    unit = next(
        u for u in api.get("/api/units", as_user=CHEF_SV) if u["name"] == "Gruppbostaden Björkvägen"
    )
    responses = api.get(f"/api/quality/survey-responses?unit_id={unit['id']}", as_user=CHEF_SV)
    assert {r["survey"] for r in responses} >= {"annual", "end_of_intervention"}
    assert any(r["respondent"] == "commissioner" and 4 in r["answers"].values() for r in responses)
    assert any("Fler aktiviteter" in r["answers"].values() for r in responses)


def test_a_medarbetare_sees_the_verksamhets_arshjul_and_ticks_the_task_that_names_her(
    new_context, api
):
    """Issue 18, point 6: the årshjul belongs to the verksamhet; staff of an enhet read it from
    their enhet and tick the task they are named on (it was "Inga uppgifter för året.")."""
    import requests

    verksamhet = next(
        u for u in api.get("/api/units", as_user=CHEF_SV) if u["name"] == "Stöd och omsorg"
    )
    tasks = api.get(f"/api/quality/annual-tasks?unit_id={verksamhet['id']}", as_user=CHEF_SV)
    task = next(t for t in tasks if t["kind"] == "competence_survey" and t["year"] == 2026)
    sara = api.get("/api/auth/me", as_user=STAFF_SV)
    named = requests.patch(
        f"{api.base}/api/quality/annual-tasks/{task['id']}",
        json={"owner_user_id": sara["id"], "state": "open"},
        headers={"Authorization": f"Bearer {api.token(CHEF_SV)}"},
        timeout=10,
    )
    assert named.status_code == 200, named.text

    context = new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, STAFF_SV, home=HOME_SV)
    open_quality(page, "Gruppbostaden Björkvägen")
    page.get_by_role("link", name="Årshjul").click()
    page.get_by_label("År", exact=True).fill("2026")
    page.get_by_label("År", exact=True).dispatch_event("change")
    listing = page.get_by_test_id("task-list")
    expect(listing).to_contain_text("Sista dag för svar på enkäten (1 mars)")
    expect(listing).to_contain_text(task["title"])
    # Only the task that names her has a box to tick.
    expect(listing.get_by_role("checkbox")).to_have_count(1)
    listing.get_by_role("checkbox", name=f"Klar: {task['title']}").check()
    wait_synced(page)

    def ticked():
        """The task is done on the server."""
        row = api.get(f"/api/quality/annual-tasks/{task['id']}", as_user=CHEF_SV)
        return row["state"] == "done"

    eventually(ticked)

    # The reminder's link (server/push/messages.py) opens the task in her enhet's årshjul.
    bjorkvagen = next(
        u
        for u in api.get("/api/units", as_user=STAFF_SV)
        if u["name"] == "Gruppbostaden Björkvägen"
    )
    page.evaluate(f"location.hash = '#/quality/{bjorkvagen['id']}/cycle/{task['id']}'")
    expect(page.locator('li[aria-current="true"]')).to_contain_text(task["title"])


def test_a_manager_adds_a_local_niva_3_measure_for_one_enhet(new_context, api):
    """Issue 18, point 2: an enhet's own measure beside the verksamhet's, shown apart."""
    page = new_context().new_page()
    log_in(page, CHEF_SV, home=HOME_SV)
    open_quality(page, "Gruppbostaden Björkvägen")
    # The enhet's own goal first, beside the verksamhet's six areas.
    goal = f"Trygga överlämningar {uuid.uuid4().hex[:4]}"
    goal_form = page.get_by_test_id("local-goal-form")
    goal_form.get_by_label("Område").fill(goal)
    goal_form.get_by_label("Processmål").fill("Ingen insats avbryts vid byte av personal.")
    goal_form.get_by_role("button", name="Lägg till målet").click()
    expect(page.get_by_role("row", name=goal)).to_contain_text("Ingen insats avbryts")
    page.get_by_role("link", name="Mått", exact=True).click()
    page.get_by_role("link", name="Nytt mått").click()
    form = page.get_by_test_id("measure-form")
    expect(form.get_by_label("Gäller")).to_have_value(
        next(
            u["id"]
            for u in api.get("/api/units", as_user=CHEF_SV)
            if u["name"] == "Gruppbostaden Björkvägen"
        )
    )
    expect(form.get_by_label("Nivå", exact=True)).to_be_disabled()
    name = f"Överlämningar med gemensamt möte {uuid.uuid4().hex[:4]}"
    form.get_by_label("Namn").fill(name)
    form.get_by_label("Slag", exact=True).select_option(label="Processmått")
    form.get_by_label("Område").select_option(label=goal)
    form.get_by_role("button", name="Spara").click()
    local = page.get_by_test_id("local-measures")
    card = local.locator(f'section[data-measure="{name}"]')
    expect(card).to_contain_text("Lokalt mått för Gruppbostaden Björkvägen")
    expect(card.get_by_test_id("aggregate")).to_have_count(0)
    wait_synced(page)

    measure = next(
        m for m in api.get("/api/quality/measures", as_user=CHEF_SV) if m["name"] == name
    )
    bjorkvagen = next(
        u for u in api.get("/api/units", as_user=CHEF_SV) if u["name"] == "Gruppbostaden Björkvägen"
    )
    assert (measure["unit_id"], measure["level"], measure["kind"]) == (
        bjorkvagen["id"],
        3,
        "process",
    )
    area = next(a for a in api.get("/api/quality/areas", as_user=CHEF_SV) if a["name"] == goal)
    assert (area["unit_id"], measure["area_id"]) == (bjorkvagen["id"], area["id"])
    # At nivå 2 it is listed among the enheter's own measures, with Björkvägen alone to report.
    verksamhet = next(
        u for u in api.get("/api/units", as_user=CHEF_SV) if u["name"] == "Stöd och omsorg"
    )
    page.evaluate(f"location.hash = '#/quality/{verksamhet['id']}/measures'")
    card = page.get_by_test_id("local-measures").locator(f'section[data-measure="{name}"]')
    expect(card).to_contain_text("Lokalt mått för Gruppbostaden Björkvägen")
    expect(card.get_by_label(f"Värde: {name}, Gruppbostaden Björkvägen")).to_be_visible()
    expect(card.get_by_label(f"Värde: {name}, Daglig verksamhet Lönnen")).to_have_count(0)


def test_a_tillsynsrapport_names_the_authority_that_issued_it(new_context, api):
    """Issue 18, point 3: IVO, Arbetsmiljöverket or another; the choices follow the kind."""
    page = new_context().new_page()
    log_in(page, STAFF_SV, home=HOME_SV)
    open_quality(page, "Gruppbostaden Björkvägen")
    page.get_by_role("link", name="Grundläggande uppföljning").click()
    form = page.get_by_test_id("register-form")
    expect(form.get_by_label("Utfärdad av")).to_have_count(0)
    form.get_by_label("Slag").select_option(label="Kvalitetsregister")
    expect(form.get_by_label("Vilket kvalitetsregister")).to_contain_text("Senior alert")
    form.get_by_label("Slag").select_option(label="Tillsynsrapport")
    form.get_by_label("Utfärdad av").select_option(label="Arbetsmiljöverket")
    title = f"Tillsyn av arbetsmiljön {uuid.uuid4().hex[:6]}"
    form.get_by_label("Rubrik").fill(title)
    form.get_by_role("button", name="Spara i registret").click()
    row = page.get_by_test_id("register-list").locator(f'li[data-entry="{title}"]')
    expect(row).to_contain_text("Tillsynsrapport (Arbetsmiljöverket)")
    wait_synced(page)
    entries = api.get("/api/quality/register", as_user=CHEF_SV)
    assert any(e["title"] == title and e["source"] == "arbetsmiljoverket" for e in entries)


def test_an_enhet_compilation_has_no_stray_null_and_age_bands_run_young_to_old(new_context):
    page = new_context(viewport=PHONE).new_page()
    log_in(page, CHEF_SV, home=HOME_SV)
    # The Swedish menu fits one line of a 360 px phone, nothing cut off.
    assert page.locator("header.top nav").evaluate("el => el.scrollWidth <= el.clientWidth")
    open_quality(page, "Gruppbostaden Björkvägen")
    page.get_by_role("link", name="Sammanställning").click()
    page.get_by_label("År", exact=True).fill("2026")
    page.get_by_label("År", exact=True).dispatch_event("change")
    page.get_by_label("Period").select_option(label="Helår")
    compilation = page.get_by_test_id("compilation")
    expect(compilation.get_by_test_id("compilation-summary")).to_be_visible()
    # One enhet: no table per enhet, and no "null" where it would have been.
    assert "null" not in compilation.inner_text()
    chart = compilation.locator("figure", has_text="Åldersfördelning").first
    labels = [t for t in chart.locator("svg text").all_text_contents() if t in AGE_BANDS]
    assert len(labels) >= 2 and labels == sorted(labels, key=AGE_BANDS.index), labels

    # Each box for a value has a word above it, not only an aria-label.
    page.get_by_role("link", name="Mått").click()
    card = page.locator(f'section[data-measure="{COUNT}"]')
    expect(card.locator("label.value-input", has_text="Värde").first).to_be_visible()


def test_swedish_plan_headings_fit_their_columns_on_a_desktop(new_context):
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    log_in(page, CHEF_SV, home=HOME_SV)
    page.get_by_role("link", name="Gruppbostaden Björkvägen", exact=True).click()
    page.locator("main a[href^='#/plans/']").first.click()
    expect(page.get_by_test_id("plan-table")).to_be_visible()
    for heading in page.locator("thead .col-heading").all():
        # KVALITETSOMRÅDE may break at its soft hyphen, nothing spills into the next column.
        fits = heading.evaluate(
            """el => {
                const size = parseFloat(getComputedStyle(el).fontSize);
                const lines = Math.round(el.offsetHeight / (size * 1.45));
                const breaks = (el.textContent.match(/\u00ad/g) || []).length;
                return el.scrollWidth <= el.clientWidth + 1 && lines <= 1 + breaks;
            }"""
        )
        assert fits, heading.text_content()
