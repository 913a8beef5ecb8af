"""Word import: a preview that saves nothing, then a confirmation that creates the draft plan.

The .docx files are built here with python-docx from the text of seeds 000 (as from Word,
tab-separated cells, HTML-ish remnants) and 002 (as from the PDF, every cell broken over
lines), so the import is tested against how real plans look.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from server.documents.docx_import import parse_plan_docx
from server.documents.labels import da
from server.extensions import db
from server.models import Plan, PlanItem
from server.services.catalogues import stable_id
from tests.helpers import assert_error, login

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
SEED_000 = SEEDS / "000_5839753d0cde6e07.txt"
SEED_002 = SEEDS / "002_10c14e3ef19774cb.txt"
SEED_THEMES = ["Selvstændighed og relationer", "Sundhed og trivsel"]
TILBUD_HEADINGS = [heading for heading, _ in da.COLUMN_SETS["tilbud_result"]]


# ---- building .docx files ------------------------------------------------------------------


def build_docx(*blocks) -> bytes:
    """Each block is a heading (str) or a table (list of rows, each a list of cell texts).
    A cell's lines become paragraphs, as a PDF-to-Word conversion leaves them."""
    document = Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=0, cols=max(len(row) for row in block))
        for row in block:
            for cell, text in zip(table.add_row().cells, row, strict=False):
                lines = text.split("\n")
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_000_docx() -> bytes:
    """Header fields and plan table of seed 000, one cell per tab."""
    lines = SEED_000.read_text(encoding="utf-8").splitlines()
    labels = ("Beskrivelse/titel:", "Tilbud/afdeling:", "Ansvarlig for udfyldelse:")
    header = [line.split("\t") for line in lines if line.startswith(labels)]
    start = next(i for i, line in enumerate(lines) if line.startswith("TEMA\t"))
    table = [line.split("\t") for line in lines[start:] if line.strip()]
    return build_docx("Opfølgningsplan – sociale tilbud", header, table)


# Where each cell of seed 002's table begins, row by row; a cell runs to the next one.
SEED_002_CELL_STARTS = [
    ["TEMA", "EMNE", "MÅL", "HVAD?", "HVORDAN?", "HVORNÅR?", "DOKUMENTATION", "HVEM?", "RESULTAT"],
    [
        "Skriv og prioriter",
        "Hvilke forhold",
        "Hvad er de",
        "Hvilke \naktiviteter",
        "Hvilke ressourcer",
        "Hvad er tids-",
        "Hvordan \nmonitoreres",
        "Hvem er ansvarlig",
        "Hvad er resultatet",
    ],
    [
        "1. prioritet:",
        "Ledelsen skal sikre",
        "At der ikke sker",
        "Borger køber",
        "Personale vejleder",
        "12. juli 2021",
        "Udviklingen",
        "Jens Holm",
        "Borgeren har nu",
    ],
    [
        "2. prioritet:",
        "Ledelsen skal sikre",
        "At både ledelse",
        "Undervisning af",
        "Ledelse og \npersonale",
        "Start: 30. juni",
        "Referat fra",
        "Jens Holm",
        "Processen er ikke",
    ],
]


def seed_002_rows(with_questions: bool = True) -> list[list[str]]:
    text = SEED_002.read_text(encoding="utf-8")
    position = text.index(" TEMA \n")
    starts = []
    for row in SEED_002_CELL_STARTS:
        for start in row:
            position = text.index(start, position + 1 if starts else position)
            starts.append(position)
    ends = [*starts[1:], len(text)]
    cells = [text[a:b] for a, b in zip(starts, ends, strict=True)]
    rows = [cells[i : i + 9] for i in range(0, len(cells), 9)]
    return rows if with_questions else [rows[0], *rows[2:]]


def plejefamilie_docx(variant: str, with_questions: bool) -> bytes:
    """The empty template of seed 001, filled in: header cells, then the RESULTAT or the
    STATUS table with two rows and an empty third."""
    columns = da.COLUMN_SETS[f"plejefamilie_{variant}"]
    table = [[heading for heading, _ in columns]]
    if with_questions:
        table.append([question for _, question in columns])
    table += [
        ["1. prioritet:\nFamiliestruktur og\nfamiliedynamik", "Faste rammer", "Ro om aftenen"]
        + ["Aftenrutine", "Tid", "Fra 1. marts", "Logbog", "Plejemor", "I gang"],
        ["2. prioritet: <b>SUNDHED OG TRIVSEL</b>", "Søvn", "Bedre søvn", "", "", "", "", "", ""],
        ["3. prioritet:", "", "", "", "", "", "", "", ""],
    ]
    header = [
        ["Beskrivelse/titel:", "Opfølgning på tilsyn"],
        ["Plejeforældres navn og adresse:", "Familien Skov, Engvej 3, 8000 Aarhus"],
        ["Dato:", "1.3.2026"],
        ["Ansvarlig for udfyldelse:", "Mette Skov"],
    ]
    return build_docx("Opfølgningsplan – plejefamilier", header, table)


def docx_with(extra: dict[str, bytes], content_types: str | None = None) -> bytes:
    """A valid .docx with extra zip entries and, optionally, other content types."""
    source = zipfile.ZipFile(io.BytesIO(build_docx("Plan", [["TEMA"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml" and content_types:
                data = content_types.encode()
            target.writestr(info.filename, data)
        for name, data in extra.items():
            target.writestr(name, data)
    return buffer.getvalue()


def macro_docx() -> bytes:
    types = zipfile.ZipFile(io.BytesIO(build_docx("x"))).read("[Content_Types].xml").decode()
    types = types.replace(
        "wordprocessingml.document.main+xml", "ms-word.document.macroEnabled.main+xml"
    )
    return docx_with({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}, types)


# ---- fixtures and helpers ------------------------------------------------------------------


@pytest.fixture
def unit(factory):
    return factory.unit(name="Bofællesskaberne Dolmer Have og Glesborg")


@pytest.fixture
def manager(factory, unit):
    return factory.user(("manager", unit))


def upload(client, headers, data: bytes, unit, kind="dk_tilbud", name="plan.docx"):
    # Encoded in memory: the test client spools a large multipart body to a temporary file
    # it never closes, which the suite's warnings-as-errors would report.
    file = FileStorage(io.BytesIO(data), filename=name, content_type="application/octet-stream")
    fields = {"file": file, "unit_id": str(unit.id), "kind": kind}
    boundary, body = encode_multipart(fields)
    return client.post(
        "/api/plans/import",
        data=body,
        headers=headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def confirm(client, headers, preview: dict, **plan_changes):
    body = {
        "unit_id": preview["unit_id"],
        "kind": preview["kind"],
        "plan": {**preview["recognised"], **plan_changes},
        "items": preview["items"],
    }
    return client.post("/api/plans/import/confirm", json=body, headers=headers)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# ---- seeds 000 and 002 ---------------------------------------------------------------------


def test_import_of_seed_000_previews_header_and_two_rows_with_their_themes(client, manager, unit):
    response = upload(client, login(client, manager), seed_000_docx(), unit)

    assert response.status_code == 200, response.json
    preview = response.json
    assert preview["recognised"] == {
        "title": "Opfølgningsplan efter tilsyn fra Socialtilsyn Midt, tilsynsdato 22.3-2021",
        "unit_name": "Bofællesskaberne Dolmer Have og Glesborg",
        "plan_date": "2021-08-09",
        "filled_in_by": "Jens Holm, Karsten P Nielsen",
        "responsible_manager": "Jens Holm",
        "foster_parents": None,
        # The title names the inspection ("tilsynsdato 22.3-2021"): its date, and the version
        # in force on it.
        "origin": "inspection",
        "inspection_date": "2021-03-22",
        "result_label": "result",
        "catalogue_id": str(stable_id("dk_tilbud", "2014")),
    }
    items = preview["items"]
    assert [i["theme_name"] for i in items] == SEED_THEMES
    assert all(i["matched"] and i["theme_id"] for i in items)
    assert [i["priority"] for i in items] == [1, 2]
    assert items[0]["raw_theme"] == "1. prioritet: Selvstændighed og relationer"
    assert items[1]["responsible"] == [{"name": "Jens Holm"}, {"name": "Karsten P Nielsen"}]
    assert items[1]["start_date"] == "2021-06-30"
    assert items[1]["activities"].count("\n") == 3  # four <p> paragraphs, no tags left
    assert "<" not in "".join(str(v) for i in items for v in i.values())
    assert preview["warnings"] == []
    assert count(Plan) == 0 and count(PlanItem) == 0


@pytest.mark.parametrize("with_questions", [True, False], ids=["questions", "no-questions"])
def test_import_of_seed_002s_broken_cells_matches_the_same_two_themes(
    client, manager, unit, with_questions
):
    # The PDF text has lost the header; the plan's date decides the catalogue version, and
    # "Selvstændighed og relationer" is a theme only before the 2025 amendment.
    data = build_docx("Dato: 9. august 2021", seed_002_rows(with_questions))

    response = upload(client, login(client, manager), data, unit)

    assert response.status_code == 200, response.json
    items = response.json["items"]
    assert [i["theme_name"] for i in items] == SEED_THEMES
    assert [i["priority"] for i in items] == [1, 2]
    assert items[0]["topic"].startswith("Ledelsen skal sikre, at\nder ikke sker")
    assert items[1]["responsible"] == [{"name": "Jens Holm"}, {"name": "Karsten P Nielsen"}]
    # No title in the PDF text: the preview says so, and the confirmation needs one.
    assert response.json["recognised"]["title"] is None
    assert any("title" in w for w in response.json["warnings"])
    assert count(Plan) == 0


def test_without_a_date_a_theme_dropped_in_2025_is_unmatched_and_the_warning_says_why(
    client, manager, unit
):
    response = upload(client, login(client, manager), build_docx(seed_002_rows()), unit)

    items = response.json["items"]
    assert [i["theme_name"] for i in items] == [None, "Sundhed og trivsel"]
    assert any("version 2014" in w and "date" in w for w in response.json["warnings"])


def test_confirm_creates_the_draft_plan_and_items_in_one_go(client, manager, unit):
    headers = login(client, manager)
    preview = upload(client, headers, seed_000_docx(), unit).json

    response = confirm(client, headers, preview)

    assert response.status_code == 201, response.json
    plan = db.session.get(Plan, uuid.UUID(response.json["id"]))
    assert (plan.state, plan.unit_id, plan.kind) == ("draft", unit.id, "dk_tilbud")
    assert plan.plan_date == date(2021, 8, 9)
    assert plan.responsible_manager == "Jens Holm"
    items = sorted(plan.items, key=lambda i: i.priority)
    assert [str(i.theme_id) for i in items] == [i["theme_id"] for i in preview["items"]]
    assert items[1].responsible == [{"name": "Jens Holm"}, {"name": "Karsten P Nielsen"}]
    # HVEM? names both people once, for the template's one question: both jobs are theirs.
    assert items[1].follow_up_responsible == items[1].responsible
    assert (items[1].start_date, items[1].end_date) == (date(2021, 6, 30), date(2021, 9, 30))
    assert items[1].timeframe_note == "Ved udløb september 2021"


@pytest.mark.parametrize("seed", ["000", "002"])
def test_seed_hvornaar_cells_import_as_start_end_or_ongoing_with_the_words_kept(
    client, manager, unit, seed
):
    data = seed_000_docx() if seed == "000" else build_docx("Dato: 9. august 2021", seed_002_rows())

    items = upload(client, login(client, manager), data, unit).json["items"]

    when = [(i["start_date"], i["end_date"], i["ongoing"], i["timeframe_note"]) for i in items]
    assert when == [
        # "12. juli 2021  Varig ordning": a start and ongoing; nothing left to keep as text.
        ("2021-07-12", None, True, None),
        # "Start: 30. juni 2021 / Sluttidspunkt: Ved udløb september 2021": the month's last
        # day is our reading, so the words stay beside it.
        ("2021-06-30", "2021-09-30", False, "Ved udløb september 2021"),
    ]


@pytest.mark.parametrize(
    ("cell", "start", "end", "ongoing", "note"),
    [
        ("12. juli 2021\nVarig ordning", date(2021, 7, 12), None, True, None),
        ("1.3.2021 - 1.6.2021", date(2021, 3, 1), date(2021, 6, 1), False, None),
        ("1. oktober 2021", None, date(2021, 10, 1), False, None),
        ("Start: primo maj 2026", date(2026, 5, 1), None, False, "primo maj 2026"),
        ("i slutet av mars 2026", None, date(2026, 3, 31), False, "i slutet av mars 2026"),
        ("Løbende opfølgning på møder", None, None, False, "Løbende opfølgning på møder"),
        (
            "Sluttidspunkt: når alle er undervist",
            None,
            None,
            False,
            "Sluttidspunkt: når alle er undervist",
        ),
        ("Fra 1. marts", None, None, False, "Fra 1. marts"),
        # The Swedish and English end as the export writes it, and as it wrote it before.
        (
            "Start: 1 mars 2026\nKlart senast: 30 september 2026",
            date(2026, 3, 1),
            date(2026, 9, 30),
            False,
            None,
        ),
        ("Slut: 30 september 2026\nTills vidare", None, date(2026, 9, 30), True, None),
        ("Senast: 30 september 2026", None, date(2026, 9, 30), False, None),
        ("Complete by: 30 September 2026", None, date(2026, 9, 30), False, None),
        (
            "Start: 1 March 2026 End: 30 September 2026",
            date(2026, 3, 1),
            date(2026, 9, 30),
            False,
            None,
        ),
        ("Due: 30 September 2026", None, date(2026, 9, 30), False, None),
        ("Stående", None, None, True, None),
    ],
)
def test_timeframe_as_people_write_it(cell, start, end, ongoing, note):
    from server.documents.timeframe import read_timeframe

    assert read_timeframe(cell) == {
        "start_date": start,
        "end_date": end,
        "ongoing": ongoing,
        "timeframe_note": note,
    }


def test_hvem_with_a_labelled_line_per_job_imports_each_job_apart():
    cell = "Gennemførelse:\nJens Holm\nKarsten P Nielsen\nOpfølgning:\nJens Holm"
    table = [
        TILBUD_HEADINGS,
        ["1. prioritet: Sundhed og trivsel", "Emne", "", "", "", "", "", cell, ""],
    ]

    row = parse_plan_docx(build_docx(table)).rows[0]

    assert row.values["responsible"] == [{"name": "Jens Holm"}, {"name": "Karsten P Nielsen"}]
    assert row.values["follow_up_responsible"] == [{"name": "Jens Holm"}]


def test_confirm_with_a_bad_row_stores_nothing(client, manager, unit):
    headers = login(client, manager)
    preview = upload(client, headers, seed_000_docx(), unit).json
    preview["items"][1]["end_date"] = "2020-01-01"  # before its start date

    response = confirm(client, headers, preview)

    # The item schema's own rule across fields (server/schemas/checks.py) names the row.
    assert_error(response, 422, "invalid_input", "items")
    assert response.json["fields"]["items"] == [
        "1: end_date: The end date comes before the start date."
    ]
    assert count(Plan) == 0 and count(PlanItem) == 0


def test_unmatched_theme_is_previewed_as_such_and_can_be_chosen_before_confirming(
    client, factory, manager, unit
):
    table = [
        [h for h, _ in da.COLUMN_SETS["tilbud_result"]],
        ["1. prioritet: Haven og bierne", "Topic", "", "", "", "", "", "", ""],
    ]
    headers = login(client, manager)
    preview = upload(client, headers, build_docx(["Beskrivelse/titel:", "T"], table), unit).json
    row = preview["items"][0]
    assert (row["matched"], row["theme_id"], row["raw_theme"]) == (
        False,
        None,
        "1. prioritet: Haven og bierne",
    )
    assert any("Haven og bierne" in w for w in preview["warnings"])

    plan = factory.plan(unit)  # only to look up a theme of the same catalogue
    row["theme_id"] = str(factory.theme(plan, 6).id)
    response = confirm(client, headers, preview, title="Haveplan")

    assert response.status_code == 201, response.json
    created = db.session.get(Plan, uuid.UUID(response.json["id"]))
    assert [i.theme_id for i in created.items] == [factory.theme(plan, 6).id]


# ---- the foster-family template ------------------------------------------------------------


@pytest.mark.parametrize("variant", ["result", "status"])
@pytest.mark.parametrize("with_questions", [True, False], ids=["questions", "no-questions"])
def test_import_of_the_plejefamilie_template(client, factory, variant, with_questions):
    family = factory.unit(kind="dk_plejefamilie", name="Familien Skov")
    manager = factory.user(("manager", family))

    response = upload(
        client,
        login(client, manager),
        plejefamilie_docx(variant, with_questions),
        family,
        kind="dk_plejefamilie",
    )

    assert response.status_code == 200, response.json
    preview = response.json
    assert preview["recognised"]["foster_parents"] == "Familien Skov, Engvej 3, 8000 Aarhus"
    assert preview["recognised"]["plan_date"] == "2026-03-01"
    assert preview["recognised"]["result_label"] == variant
    assert [i["theme_name"] for i in preview["items"]] == [
        "Familiestruktur og familiedynamik",
        "Sundhed og trivsel",
    ]
    assert preview["items"][0]["result"] == "I gang"
    assert preview["warnings"] == []


# ---- refused files -------------------------------------------------------------------------


def _truncated() -> bytes:
    data = seed_000_docx()
    return data[: len(data) // 2]


# case: (the file, status, error code, the refusal's reason code for 422s)
BAD_FILES = {
    "empty": (lambda: b"", 422, "invalid_input", "empty"),
    "text-renamed": (
        lambda: "Opfølgningsplan\nTEMA\tEMNE\n".encode(),
        422,
        "invalid_input",
        "not_docx",
    ),
    "truncated-zip": (_truncated, 422, "invalid_input", "corrupt"),
    "zip-not-word": (lambda: docx_with({}, "<Types/>"), 422, "invalid_input", "not_docx"),
    "macro-docm": (macro_docx, 422, "invalid_input", "macros"),
    "vba-in-docx": (
        lambda: docx_with({"word/vbaProject.bin": b"x"}),
        422,
        "invalid_input",
        "macros",
    ),
    "over-5-mb": (lambda: b"PK\x03\x04" + bytes(5 * 1024 * 1024), 413, "too_large", None),
    "over-request-limit": (lambda: bytes(6 * 1024 * 1024), 413, "too_large", None),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_file_that_is_no_safe_docx_is_refused_and_nothing_is_stored(client, manager, unit, case):
    make, status, code, reason = BAD_FILES[case]

    response = upload(client, login(client, manager), make(), unit)

    body = assert_error(response, status, code)
    if status == 422:
        assert body["fields"]["file"]
        assert body["reason"] == reason  # the PWA acts on this, not on the words
    assert count(Plan) == 0 and count(PlanItem) == 0


def test_the_macro_refusal_says_why(client, manager, unit):
    response = upload(client, login(client, manager), macro_docx(), unit, name="plan.docm")
    assert "macros" in assert_error(response, 422, "invalid_input", "file")["message"]


# ---- access --------------------------------------------------------------------------------


def test_a_manager_of_another_unit_can_neither_preview_nor_confirm_into_this_one(
    client, factory, unit
):
    other = factory.unit(name="Andet tilbud")
    outsider = factory.user(("manager", other))
    headers = login(client, outsider)

    assert_error(upload(client, headers, seed_000_docx(), unit), 404, "not_found")
    preview = upload(client, headers, seed_000_docx(), other).json
    preview["unit_id"] = str(unit.id)
    assert_error(confirm(client, headers, preview), 404, "not_found")
    assert count(Plan) == 0


def test_staff_see_the_unit_but_may_not_import_into_it(client, factory, unit):
    staff = factory.user(("staff", unit))
    headers = login(client, staff)

    assert_error(upload(client, headers, seed_000_docx(), unit), 403, "forbidden")
    assert count(Plan) == 0


def test_the_plan_kind_must_fit_the_unit(client, manager, unit):
    response = upload(client, login(client, manager), seed_000_docx(), unit, "dk_plejefamilie")
    assert_error(response, 422, "invalid_input", "kind")


# ---- template variations, read by the parser alone -----------------------------------------


def test_both_plejefamilie_tables_an_empty_resultat_and_a_filled_status_one():
    result_table = [[h for h, _ in da.COLUMN_SETS["plejefamilie_result"]]]
    result_table += [[f"{n}. prioritet:", *[""] * 8] for n in (1, 2, 3)]
    status_docx = plejefamilie_docx("status", with_questions=True)
    status_table = Document(io.BytesIO(status_docx)).tables[1]
    status_rows = [[cell.text for cell in row.cells] for row in status_table.rows]

    parsed = parse_plan_docx(
        build_docx("Opfølgningsplan – plejefamilier", result_table, status_rows)
    )

    assert parsed.result_label == "status"
    assert [row.theme_text for row in parsed.rows] == [
        "Familiestruktur og familiedynamik",
        "SUNDHED OG TRIVSEL",
    ]
    assert parsed.kind_hint == "dk_plejefamilie"


def test_headings_with_their_question_in_the_same_cell():
    columns = da.COLUMN_SETS["tilbud_result"]
    table = [
        [f"{heading}\n{question}" for heading, question in columns],
        ["1. prioritet: Kompetencer", "Emne", "Mål", "", "", "", "", "", "Resultat"],
    ]

    parsed = parse_plan_docx(build_docx(table))

    assert [(row.priority, row.theme_text) for row in parsed.rows] == [(1, "Kompetencer")]
    assert parsed.rows[0].values["result"] == "Resultat"


def test_a_plan_table_inside_a_layout_table_is_found():
    document = Document()
    outer = document.add_table(rows=2, cols=1)
    outer.cell(0, 0).paragraphs[0].text = "Dato: 2. februar 2026"
    inner = outer.cell(1, 0).add_table(rows=2, cols=9)
    for cell, heading in zip(inner.rows[0].cells, TILBUD_HEADINGS, strict=True):
        cell.text = heading
    inner.cell(1, 0).text = "2. prioritet: Fysiske rammer"
    buffer = io.BytesIO()
    document.save(buffer)

    parsed = parse_plan_docx(buffer.getvalue())

    assert parsed.header["plan_date"] == date(2026, 2, 2)
    assert [(row.priority, row.theme_text) for row in parsed.rows] == [(2, "Fysiske rammer")]


def test_a_document_without_a_plan_table_says_so():
    parsed = parse_plan_docx(build_docx("Beskrivelse/titel: Noget andet", "Bare tekst"))

    assert parsed.header == {"title": "Noget andet"}
    assert parsed.rows == []
    assert parsed.unrecognised == ["Bare tekst"]
    assert any("No plan table" in warning for warning in parsed.warnings)


@pytest.mark.parametrize(
    ("line", "warned"),
    [
        ("Godkendt af ledelsen: Mette Lund, 10. august 2021", True),
        ("Godkendt af ledelsen: Ikke godkendt endnu", False),
    ],
    ids=["approved", "not-yet"],
)
def test_an_approval_line_is_read_not_imported_and_an_approval_is_warned_of(line, warned):
    parsed = parse_plan_docx(
        build_docx(line, [TILBUD_HEADINGS, ["1. prioritet: Sundhed og trivsel", "Emne"]])
    )

    assert parsed.unrecognised == []
    assert "approved" not in parsed.header
    assert bool(parsed.warnings) is warned


@pytest.mark.parametrize("catalogue", [None, "2025"], ids=["approval-next", "catalogue-next"])
def test_an_empty_header_field_does_not_take_the_next_label_as_its_value(catalogue):
    """Our own export of a tilbud plan without Ledelsesansvarlig: the cell after the empty
    field is the quality model's or the approval's label, not the manager's name."""
    from server.documents.docx_export import build_plan_docx
    from server.documents.model import PlanDocument

    plan = PlanDocument(
        kind="dk_tilbud",
        result_label="result",
        title="Plan",
        plan_date=date(2026, 1, 15),
        filled_in_by="Mette Lund",
        catalogue_name="Kvalitetsmodellen" if catalogue else None,
        catalogue_version=catalogue,
    )

    parsed = parse_plan_docx(build_plan_docx(plan, "da"))

    assert "responsible_manager" not in parsed.header
    assert parsed.header.get("catalogue_version") == catalogue
    assert parsed.unrecognised == []
