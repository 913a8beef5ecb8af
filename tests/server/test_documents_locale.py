"""Every generated document in the reader's conventions: A4, dates and numbers as each
language writes them, CSV as Excel in the reader's country opens it, names with æøå.

The files are read back (python-docx, openpyxl, csv) and checked in da, sv and en."""

from __future__ import annotations

import csv
import io
from datetime import date
from urllib.parse import unquote

import pytest
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook
from PIL import Image

from server.api.downloads import content_disposition
from server.documents.spreadsheets import csv_cell
from tests.helpers import login
from tests.server.test_documents_import import upload as upload_docx
from tests.server.visit_helpers import cast, post_finding, post_visit, sha256
from tests.server.visit_helpers import upload as upload_photo

LANGUAGES = ["da", "sv", "en"]
WRITTEN_DATE = {"da": "9. august 2021", "sv": "9 augusti 2021", "en": "9 August 2021"}
VISIT_DATE = {"da": "2. marts 2026", "sv": "2 mars 2026", "en": "2 March 2026"}
RATING = {"da": "4,0", "sv": "4,0", "en": "4.0"}
IN_PROGRESS = {"da": "I gang", "sv": "Pågår", "en": "In progress"}
SEPARATOR = {"da": ";", "sv": ";", "en": ","}


def assert_a4(document, landscape: bool = False) -> None:
    for section in document.sections:
        size = (section.page_width, section.page_height)
        short, long = Mm(210), Mm(297)
        # python-docx stores twips: allow the rounding of a millimetre to twentieths of a point.
        expected = (long, short) if landscape else (short, long)
        assert all(abs(got - want) < Mm(0.5) for got, want in zip(size, expected, strict=True))


def cells(document) -> list[str]:
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


@pytest.fixture
def unit(factory):
    return factory.unit(name="Bofællesskabet Lærkevej")


@pytest.fixture
def plan(factory, unit):
    plan = factory.plan(
        unit,
        title="Opfølgning på påbud, Lærkevej",
        plan_date=date(2021, 8, 9),
        origin="paabud",
        inspection_date=date(2021, 3, 22),
        state="approved",
    )
    factory.item(
        plan, priority=1, topic="Se bilag;=1337*2;", state="in_progress", end_date=date(2021, 9, 1)
    )
    return plan


@pytest.mark.parametrize("language", LANGUAGES)
def test_plan_word_export_is_a4_with_the_date_written_in_the_readers_language(
    client, factory, unit, plan, language
):
    headers = login(client, factory.user(("manager", unit)))
    response = client.get(f"/api/plans/{plan.id}/export.docx?lang={language}", headers=headers)

    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    assert_a4(document, landscape=True)
    assert WRITTEN_DATE[language] in cells(document)


def test_plan_word_round_trip_keeps_origin_and_inspection_date(client, factory, unit, plan):
    headers = login(client, factory.user(("manager", unit)))
    exported = client.get(f"/api/plans/{plan.id}/export.docx?lang=sv", headers=headers)

    preview = upload_docx(client, headers, exported.data, unit)

    assert preview.status_code == 200, preview.json
    recognised = preview.json["recognised"]
    assert recognised["origin"] == "paabud"
    assert recognised["inspection_date"] == "2021-03-22"
    confirmed = client.post(
        "/api/plans/import/confirm",
        json={
            "unit_id": str(unit.id),
            "kind": "dk_tilbud",
            "plan": recognised,
            "items": preview.json["items"],
        },
        headers=headers,
    )
    assert confirmed.status_code == 201, confirmed.json
    stored = client.get(f"/api/plans/{confirmed.json['id']}", headers=headers).json
    assert (stored["origin"], stored["inspection_date"]) == ("paabud", "2021-03-22")


@pytest.mark.parametrize("language", LANGUAGES)
def test_visit_report_is_a4_with_date_and_rating_in_the_readers_language(client, factory, language):
    c = cast(client, factory)
    visit = post_visit(client, c)
    post_finding(
        client, c, visit, rating=4, rating_justification="God", kind="paabud", deadline="2026-04-30"
    )

    response = client.get(
        f"/api/visits/{visit['id']}/report.docx?lang={language}", headers=c.headers["inspector"]
    )

    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    assert_a4(document)
    text = "\n".join(p.text for p in document.paragraphs)
    assert VISIT_DATE[language] in text
    assert RATING[language] in cells(document)
    assert "2026-03-02" not in text and "4.00" not in cells(document)


def test_visit_report_includes_its_photos_with_their_captions(client, factory):
    c = cast(client, factory)
    visit = post_visit(client, c)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "JPEG")
    data = buffer.getvalue()
    assert upload_photo(client, c.headers["inspector"], data).json["complete"] is True
    record = client.post(
        f"/api/visits/{visit['id']}/photos",
        json={
            "sha256": sha256(data),
            "content_type": "image/jpeg",
            "size_bytes": len(data),
            "caption": "Køkkenet",
        },
        headers=c.headers["inspector"],
    )
    assert record.status_code == 201, record.json

    response = client.get(f"/api/visits/{visit['id']}/report.docx", headers=c.headers["staff"])

    document = Document(io.BytesIO(response.data))
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0]._inline.docPr.get("descr") == "Køkkenet"
    assert "Køkkenet" in [p.text for p in document.paragraphs]


@pytest.mark.parametrize("language", LANGUAGES)
def test_csv_is_what_excel_in_the_readers_country_opens(client, factory, unit, plan, language):
    headers = login(client, factory.user(("staff", unit)))
    response = client.get(f"/api/items/export.csv?lang={language}", headers=headers)

    assert response.status_code == 200
    raw = response.data.decode("utf-8")
    assert raw.startswith("\ufeff")
    header_line, first_line = raw[1:].split("\r\n")[:2]
    # Every cell quoted, separated as the reader's Excel expects.
    assert header_line.startswith('"') and f'"{SEPARATOR[language]}"' in header_line
    rows = list(csv.reader(io.StringIO(raw[1:]), delimiter=SEPARATOR[language]))
    line = dict(zip(rows[0], rows[1], strict=True))
    assert IN_PROGRESS[language] in line.values()
    assert "in_progress" not in line.values() and "approved" not in line.values()
    # The ;-splitting probe: no part of the text starts a formula.
    assert "Se bilag;'=1337*2;" in line.values()
    assert all(not part.startswith("=") for part in first_line.replace('"', "").split(";"))


@pytest.mark.parametrize(("language", "written"), [("da", "2,5"), ("sv", "2,5"), ("en", "2.5")])
def test_csv_numbers_carry_the_readers_decimal_sign(language, written):
    assert csv_cell(2.5, language) == written


@pytest.mark.parametrize("language", LANGUAGES)
def test_xlsx_prints_on_a4_with_states_in_the_readers_words(client, factory, unit, plan, language):
    headers = login(client, factory.user(("staff", unit)))
    response = client.get(f"/api/items/export.xlsx?lang={language}", headers=headers)

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert int(sheet.page_setup.paperSize) == 9  # A4
    values = [cell.value for cell in sheet[2]]
    assert IN_PROGRESS[language] in values and "in_progress" not in values


def test_download_names_keep_the_readers_letters_with_an_ascii_fallback(
    client, factory, unit, plan
):
    headers = login(client, factory.user(("manager", unit)))
    response = client.get(f"/api/plans/{plan.id}/export.docx", headers=headers)

    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="opfoelgning-paa-paabud-laerkevej.docx"')
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "opfølgning-på-påbud-lærkevej.docx"
    sheet = client.get("/api/items/export.csv?lang=sv", headers=headers)
    assert unquote(sheet.headers["Content-Disposition"].split("''")[1]) == "åtgärder.csv"


def test_a_plain_ascii_name_goes_out_once():
    assert content_disposition("items.csv") == 'attachment; filename="items.csv"'
