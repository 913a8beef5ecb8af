"""Plans as documents in the PWA (issue 7): Word out from the plan, items out as CSV from the
export screen, Word in through the import screen's preview, and the print view (offline).

Downloads are real browser downloads (fetch with the token, Blob, object URL), read back here
with python-docx and csv; the imported .docx is built in the test from seed 000's text.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
import zipfile
from pathlib import Path

from docx import Document
from playwright.sync_api import expect

from tests.e2e.conftest import MANAGER
from tests.e2e.pages import log_in, open_plan, wait_offline, wait_service_worker, wait_synced
from tests.server.test_documents_import import (
    SEED_THEMES,
    build_docx,
    seed_000_docx,
    seed_002_rows,
)

UNIT = "Bofællesskabet Lærkevej"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADINGS = [
    "TEMA",
    "EMNE",
    "MÅL",
    "HVAD?",
    "HVORDAN?",
    "HVORNÅR?",
    "DOKUMENTATION",
    "HVEM?",
    "RESULTAT",
]


def plans_of(api, unit_name: str) -> list[dict]:
    unit = next(u for u in api.get("/api/units") if u["name"] == unit_name)
    return api.get(f"/api/plans?unit_id={unit['id']}")


def read_text(path) -> str:
    return Path(path).read_text(encoding="utf-8-sig")


def go_to_unit(page, unit: str = UNIT) -> None:
    page.get_by_role("link", name=unit, exact=True).click()


def test_plan_downloads_as_word_with_the_rows_text(new_context, api):
    plan = api.plan_of_unit(UNIT)
    goal = f"Beboerne vælger selv {uuid.uuid4().hex[:6]}"
    api.new_item(plan["id"], goal=goal)
    page = new_context().new_page()
    log_in(page, MANAGER)
    open_plan(page, UNIT, plan["id"])

    with page.expect_download() as info:
        page.get_by_role("button", name="Hent som Word").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    document = Document(download.path())
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert goal in cells
    assert "HVORDAN?" in "\n".join(cells)  # the template's headings, in Danish
    expect(page.get_by_role("button", name="Hent som Word")).to_be_enabled()


def test_word_download_is_switched_off_with_a_note_offline(new_context, api):
    plan = api.plan_of_unit(UNIT)
    context = new_context()
    page = context.new_page()
    log_in(page, MANAGER)
    open_plan(page, UNIT, plan["id"])
    context.set_offline(True)
    wait_offline(page)
    expect(page.get_by_role("button", name="Hent som Word")).to_be_disabled()
    expect(page.get_by_text("Kræver netværk: filen laves på serveren.")).to_be_visible()


def test_manager_exports_items_as_csv_with_filters(new_context, api):
    plan = api.plan_of_unit(UNIT)
    topic = f"Eksport {uuid.uuid4().hex[:6]}"
    api.new_item(plan["id"], topic=topic)
    page = new_context().new_page()
    log_in(page, MANAGER)
    go_to_unit(page)
    page.get_by_test_id("export-link").click()
    expect(page.get_by_role("heading", level=1, name="Eksportér indsatser")).to_be_visible()
    expect(page.get_by_label("Enhed")).to_have_value(plan["unit_id"])

    with page.expect_download() as info:
        page.get_by_role("button", name="Hent CSV").click()
    # Danish: ";" between cells, as Excel in Denmark opens it; named in Danish.
    assert info.value.suggested_filename == "indsatser.csv"
    rows = list(csv.reader(io.StringIO(read_text(info.value.path())), delimiter=";"))
    assert any(topic in row for row in rows[1:])

    # Only overdue items: this one has no end date, so it is left out.
    page.get_by_label("Kun overskredne sluttidspunkter").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Hent CSV").click()
    assert topic not in read_text(info.value.path())

    with page.expect_download() as info:
        page.get_by_role("button", name="Hent Excel (XLSX)").click()
    assert info.value.suggested_filename.endswith(".xlsx")
    assert zipfile.is_zipfile(info.value.path())


def choose_file(page, name: str, data: bytes, mime: str = DOCX) -> None:
    page.get_by_label("Word-fil (.docx)").set_input_files(
        {"name": name, "mimeType": mime, "buffer": data}
    )
    page.get_by_role("button", name="Læs filen").click()


def test_import_shows_the_preview_then_creates_the_draft_plan(new_context, api, artifacts):
    before = {p["id"] for p in plans_of(api, UNIT)}
    page = new_context().new_page()
    log_in(page, MANAGER)
    go_to_unit(page)
    page.get_by_role("link", name="Importér fra Word").click()
    expect(page.get_by_role("heading", level=1, name="Importér plan fra Word")).to_be_visible()

    choose_file(page, "opfoelgningsplan.docx", seed_000_docx())
    preview = page.get_by_test_id("import-preview")
    expect(preview.get_by_test_id("import-theme")).to_have_text(SEED_THEMES)
    expect(preview.get_by_role("heading", name="2 indsatser")).to_be_visible()
    expect(preview.get_by_text("Jens Holm, Karsten P Nielsen")).to_be_visible()
    title = preview.get_by_label("Beskrivelse/titel")
    expect(title).to_have_value(re.compile("^Opfølgningsplan efter tilsyn"))
    page.screenshot(path=artifacts / "desktop-import-preview.png", full_page=True)
    # Nothing is stored before the confirmation.
    assert {p["id"] for p in plans_of(api, UNIT)} == before

    new_title = f"Importeret {uuid.uuid4().hex[:6]}"
    title.fill(new_title)
    page.get_by_role("button", name="Opret planen som kladde").click()
    expect(page.get_by_role("heading", level=1, name=new_title)).to_be_visible()
    expect(page.get_by_test_id("plan-state")).to_have_text("Kladde")
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("tbody th").first).to_contain_text(SEED_THEMES[0])
    wait_synced(page)

    created = [p for p in plans_of(api, UNIT) if p["id"] not in before]
    assert [(p["title"], p["state"]) for p in created] == [(new_title, "draft")]
    assert len(api.get(f"/api/plans/{created[0]['id']}/items")) == 2


def test_import_of_a_messy_plan_asks_for_a_title_and_lets_an_unmatched_theme_be_chosen(
    new_context, api
):
    # Seed 002 without a date: the plan gets today's catalogue, where the first row's theme
    # ("Selvstændighed og relationer", dropped in 2025) does not exist; no title either.
    before = {p["id"] for p in plans_of(api, UNIT)}
    page = new_context().new_page()
    log_in(page, MANAGER)
    go_to_unit(page)
    page.get_by_role("link", name="Importér fra Word").click()
    choose_file(page, "fra-pdf.docx", build_docx(seed_002_rows()))
    preview = page.get_by_test_id("import-preview")
    expect(preview.get_by_test_id("import-theme").first).to_contain_text("Tema ikke genkendt")
    expect(preview.get_by_test_id("import-warnings")).to_be_visible()
    choice = preview.get_by_label("Tema (1. prioritet)")
    chosen = choice.locator("option").nth(1).text_content()
    choice.select_option(label=chosen)

    page.get_by_role("button", name="Opret planen som kladde").click()
    expect(preview.get_by_test_id("confirm-error")).to_have_text("Skriv en titel på planen.")
    assert {p["id"] for p in plans_of(api, UNIT)} == before
    preview.get_by_label("Beskrivelse/titel").fill(f"Fra PDF {uuid.uuid4().hex[:6]}")
    page.get_by_role("button", name="Opret planen som kladde").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.locator("tbody th").first).to_contain_text(chosen)
    wait_synced(page)
    created = [p for p in plans_of(api, UNIT) if p["id"] not in before]
    items = api.get(f"/api/plans/{created[0]['id']}/items")
    assert all(item["theme_id"] for item in items)


def with_macros(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/vbaProject.bin", b"\x00macro")
    return out.getvalue()


def test_import_of_a_file_that_is_not_a_safe_docx_shows_why_and_creates_nothing(new_context, api):
    before = {p["id"] for p in plans_of(api, UNIT)}
    page = new_context().new_page()
    log_in(page, MANAGER)
    go_to_unit(page)
    page.get_by_role("link", name="Importér fra Word").click()
    error = page.get_by_test_id("import-error")

    choose_file(page, "noter.txt", b"Bare noget tekst", "text/plain")
    expect(error).to_have_text(
        "Filen er ikke et Word-dokument (.docx). Gem den som .docx i Word, og prøv igen."
    )
    choose_file(page, "skadet.docx", seed_000_docx()[:3000])
    expect(error).to_have_text("Word-dokumentet er beskadiget og kan ikke læses.")
    choose_file(page, "makroer.docx", with_macros(seed_000_docx()))
    expect(error).to_contain_text("Dokumentet indeholder makroer.")
    # Too large is refused in the browser already, before anything is sent.
    choose_file(page, "stor.docx", b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024 + 10))
    expect(error).to_have_text("Filen er for stor. Den må højst fylde 5 MB.")
    expect(page.get_by_test_id("import-preview")).to_have_count(0)
    assert {p["id"] for p in plans_of(api, UNIT)} == before


def test_print_view_offline_is_landscape_with_the_nine_headings_and_no_navigation(new_context, api):
    plan = api.plan_of_unit(UNIT)
    context = new_context()
    page = context.new_page()
    log_in(page, MANAGER)
    wait_service_worker(page)
    context.set_offline(True)
    page.reload()
    wait_offline(page)
    open_plan(page, UNIT, plan["id"])

    page.emulate_media(media="print")
    headings = page.locator("thead th .col-heading")
    expect(headings).to_have_text(HEADINGS)
    for index in range(len(HEADINGS)):
        expect(headings.nth(index)).to_be_visible()
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.get_by_role("button", name="Hent som Word")).to_be_hidden()
    expect(page.get_by_test_id("sync-state")).to_be_hidden()

    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes, "no page size in the PDF"
    width, height = (float(v) for v in boxes[0])
    assert width > height  # A4 landscape: 842 x 595 pt
    assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2
