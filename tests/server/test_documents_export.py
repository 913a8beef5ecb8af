"""Word export in the template's layout, and export followed by import giving the same plan."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, date, datetime

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from server.documents.labels import da, sv
from server.extensions import db
from server.models import Plan, PlanItem
from tests.helpers import assert_error, login

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TILBUD_HEADINGS = [
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


@pytest.fixture
def unit(factory):
    return factory.unit(name="Bofællesskabet Lærkevej")


@pytest.fixture
def manager(factory, unit):
    return factory.user(("manager", unit), language="da")


def filled_plan(factory, unit, kind="dk_tilbud", **plan_fields):
    plan = factory.plan(
        unit,
        kind=kind,
        title=plan_fields.pop("title", "Opfølgning på tilsyn 2026"),
        filled_in_by="Mette Lund, Ole Dahl",
        plan_date=date(2026, 1, 15),
        **plan_fields,
    )
    factory.item(
        plan,
        priority=1,
        theme_id=factory.theme(plan, 4).id,
        topic="Ledelsen skal sikre, at reglerne for magtanvendelse efterleves.",
        goal="Alle kender reglerne",
        activities="Undervisning fra kommunens jurist\nHåndbog udleveret",
        resources="Tid afsat til kompetenceløft",
        start_date=date(2026, 2, 1),
        end_date=date(2026, 9, 30),
        timeframe_note="Evalueres på personalemødet",
        documentation="Referat fra personalemøde",
        responsible=[{"name": "Mette Lund"}, {"name": "Ole Dahl"}],
        follow_up_responsible=[{"name": "Mette Lund"}, {"name": "Ole Dahl"}],
        result="Processen er ikke afsluttet endnu.",
    )
    factory.item(
        plan,
        priority=2,
        theme_id=factory.theme(plan, 6).id,
        topic="Kompetencer i konfliktnedtrapning",
        goal="Alle har gennemført kurset",
        ongoing=True,
        responsible=[{"name": "Ole Dahl"}],
    )
    return plan


def export(client, headers, plan, lang=None):
    query = f"?lang={lang}" if lang else ""
    return client.get(f"/api/plans/{plan.id}/export.docx{query}", headers=headers)


def read_docx(response):
    assert response.status_code == 200, response.json
    assert response.mimetype == DOCX
    return Document(io.BytesIO(response.data))


def texts(row) -> list[str]:
    return [cell.text for cell in row.cells]


def test_tilbud_export_has_the_template_layout_in_danish(client, factory, manager, unit):
    plan = filled_plan(factory, unit, responsible_manager="Hanne Berg")

    document = read_docx(export(client, login(client, manager), plan))

    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    assert round(section.page_width.cm, 1) == 29.7
    assert document.paragraphs[0].text == "Opfølgningsplan – sociale tilbud"
    header, table = document.tables
    header_text = "\n".join(cell.text for row in header.rows for cell in row.cells)
    for label, value in [
        ("Beskrivelse/titel:", "Opfølgning på tilsyn 2026"),
        ("Tilbud/afdeling:", "Bofællesskabet Lærkevej"),
        ("Dato:", "15. januar 2026"),
        ("Ansvarlig for udfyldelse:", "Mette Lund, Ole Dahl"),
        ("Ledelsesansvarlig:", "Hanne Berg"),
    ]:
        assert label in header_text and value in header_text
    assert texts(table.rows[0]) == TILBUD_HEADINGS
    assert texts(table.rows[1]) == [q for _, q in da.COLUMN_SETS["tilbud_result"]]
    assert texts(table.rows[1])[1] == (
        "Hvilke forhold skal ændres/ udvikles, og hvad er årsagerne til dette?"
    )
    first, second = (texts(row) for row in table.rows[2:])
    assert first[0] == "1. prioritet: Sundhed og trivsel"
    assert (
        first[5]
        == "Start: 1. februar 2026\nSluttidspunkt: 30. september 2026\nEvalueres på personalemødet"
    )
    # The same people carry out and follow up: listed once, as the template asks.
    assert first[7] == "Mette Lund\nOle Dahl"
    assert second[0] == "2. prioritet: Kompetencer"
    assert second[5] == "Varig ordning"
    # Only carrying out is named: the cell says which job.
    assert second[7] == "Gennemførelse:\nOle Dahl"
    assert "Godkendt af ledelsen:" in header_text and "Ikke godkendt endnu" in header_text


@pytest.mark.parametrize(
    ("lang", "label", "when", "doing", "following"),
    [
        ("da", "Godkendt af ledelsen:", "10. august 2021", "Gennemførelse:", "Opfølgning:"),
        ("sv", "Fastställd av ledningen:", "10 augusti 2021", "Genomförande:", "Uppföljning:"),
        ("en", "Approved by management:", "10 August 2021", "Carrying out:", "Following up:"),
    ],
)
def test_export_shows_who_approved_and_when_and_both_hvem_jobs(
    client, factory, manager, unit, lang, label, when, doing, following
):
    leader = factory.user(("manager", unit), name="Mette Lund")
    plan = factory.plan(
        unit,
        title="Godkendt plan",
        plan_date=date(2021, 8, 9),
        state="approved",
        approved_by=leader.id,
        # 23:30 UTC is the next day in Copenhagen: the date printed is the Danish one.
        approved_at=datetime(2021, 8, 9, 23, 30, tzinfo=UTC),
    )
    factory.item(
        plan,
        priority=1,
        theme_id=factory.theme(plan, 4).id,
        responsible=[{"user_id": str(manager.id)}, {"name": "Ole Dahl"}],
        follow_up_responsible=[{"user_id": str(leader.id)}],
    )

    document = read_docx(export(client, login(client, manager), plan, lang=lang))

    header, table = document.tables
    rows = [[cell.text for cell in row.cells] for row in header.rows]
    approval = next(row for row in rows if row[0] == label)
    assert approval[1] == f"Mette Lund, {when}"
    assert texts(table.rows[2])[7].split("\n") == [
        doing,
        manager.name,
        "Ole Dahl",
        following,
        "Mette Lund",
    ]


@pytest.mark.parametrize(
    ("result_label", "last_heading", "first_question"),
    [
        (
            "result",
            "RESULTAT",
            "Skriv og prioriter, hvilke temaer i kvalitetsmodellen planen omhandler",
        ),
        ("status", "STATUS", "Skriv, hvilket tema, planen omhandler, og prioriter indsatserne"),
    ],
)
def test_plejefamilie_export_uses_the_template_variant_of_its_result_label(
    client, factory, result_label, last_heading, first_question
):
    family = factory.unit(kind="dk_plejefamilie", name="Familien Skov")
    manager = factory.user(("manager", family), language="da")
    plan = factory.plan(
        family,
        kind="dk_plejefamilie",
        result_label=result_label,
        foster_parents="Anna og Peter Skov, Engvej 3, 8000 Aarhus",
        plan_date=date(2026, 1, 15),
    )

    document = read_docx(export(client, login(client, manager), plan))

    header, table = document.tables
    header_text = "\n".join(cell.text for row in header.rows for cell in row.cells)
    assert "Plejeforældres navn og adresse:" in header_text
    assert "Anna og Peter Skov, Engvej 3, 8000 Aarhus" in header_text
    assert "Tilbud/afdeling:" not in header_text and "Ledelsesansvarlig:" not in header_text
    assert texts(table.rows[0])[-1] == last_heading
    assert texts(table.rows[1])[0] == first_question


def test_swedish_handlingsplan_is_written_in_swedish_for_a_swedish_user(client, factory):
    enhet = factory.unit(kind="se_enhet", name="Enheten Björken")
    chef = factory.user(("manager", enhet), language="sv")
    plan = factory.plan(enhet, kind="se_handlingsplan", title="Handlingsplan 2026")
    factory.item(plan, priority=1, theme_id=factory.theme(plan, 2).id)

    document = read_docx(export(client, login(client, chef), plan))

    assert document.paragraphs[0].text == "Handlingsplan"
    table = document.tables[1]
    assert texts(table.rows[0]) == [
        "Kvalitetsområde",
        "Område",
        "Mål",
        "Vad?",
        "Hur?",
        "När?",
        "Dokumentation",
        "Vem?",
        "Resultat",
    ]
    assert texts(table.rows[1]) == [q for _, q in sv.COLUMN_SETS["handlingsplan_result"]]
    assert texts(table.rows[2])[0] == "1. prioritet: Delaktighet"
    assert "Datum:" in document.tables[0].rows[1].cells[2].text


def test_lang_parameter_overrides_the_users_language(client, factory, manager, unit):
    plan = filled_plan(factory, unit)

    document = read_docx(export(client, login(client, manager), plan, lang="en"))

    assert texts(document.tables[1].rows[0])[0] == "THEME"
    assert texts(document.tables[1].rows[2])[0] == "Priority 1: Sundhed og trivsel"


def test_export_is_an_attachment_named_after_the_plan(client, factory, manager, unit):
    plan = filled_plan(factory, unit, title="Opfølgning på tilsyn – Lærkevej")

    response = export(client, login(client, manager), plan)

    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "opfoelgning-paa-tilsyn-laerkevej.docx" in disposition


def test_an_unknown_language_is_refused(client, factory, manager, unit):
    plan = filled_plan(factory, unit)
    response = export(client, login(client, manager), plan, lang="de")
    assert_error(response, 422, "invalid_input", "lang")


def test_a_user_of_another_unit_cannot_export_the_plan(client, factory, unit):
    plan = filled_plan(factory, unit)
    outsider = factory.user(("manager", factory.unit(name="Andet tilbud")))

    assert_error(export(client, login(client, outsider), plan), 404, "not_found")


def test_every_reader_of_the_unit_may_export(client, factory, unit):
    plan = filled_plan(factory, unit)
    for role in ("staff", "inspector"):
        reader = factory.user((role, unit))
        assert export(client, login(client, reader), plan).status_code == 200


# ---- export, then import ------------------------------------------------------------------


def import_and_confirm(client, headers, data: bytes, unit, kind) -> Plan:
    file = FileStorage(io.BytesIO(data), filename="plan.docx")
    boundary, body = encode_multipart({"file": file, "unit_id": str(unit.id), "kind": kind})
    preview = client.post(
        "/api/plans/import",
        data=body,
        headers=headers,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert preview.status_code == 200, preview.json
    assert preview.json["warnings"] == [], preview.json["warnings"]
    assert preview.json["unrecognised"] == [], preview.json["unrecognised"]
    confirm = {
        "unit_id": str(unit.id),
        "kind": kind,
        "plan": preview.json["recognised"],
        "items": preview.json["items"],
    }
    created = client.post("/api/plans/import/confirm", json=confirm, headers=headers)
    assert created.status_code == 201, created.json
    return db.session.get(Plan, uuid.UUID(created.json["id"]))


PLAN_FIELDS = ("kind", "title", "plan_date", "filled_in_by", "responsible_manager")
PLAN_FIELDS += ("foster_parents", "result_label", "catalogue_id", "unit_id")
ITEM_FIELDS = ("priority", "theme_id", "topic", "goal", "activities", "resources")
ITEM_FIELDS += ("start_date", "end_date", "ongoing", "timeframe_note", "documentation")
ITEM_FIELDS += ("responsible", "follow_up_responsible", "result")


def snapshot(plan: Plan) -> tuple[dict, list[dict]]:
    db.session.refresh(plan)
    items = sorted((i for i in plan.items if not i.deleted), key=lambda i: i.priority)
    return (
        {field: getattr(plan, field) for field in PLAN_FIELDS},
        [{field: getattr(item, field) for field in ITEM_FIELDS} for item in items],
    )


ROUND_TRIPS = [
    ("dk_tilbud", "dk_tilbud", "result", "da", {"responsible_manager": "Hanne Berg"}),
    ("dk_plejefamilie", "dk_plejefamilie", "status", "da", {"foster_parents": "Familien Skov"}),
    ("dk_plejefamilie", "dk_plejefamilie", "result", "en", {"foster_parents": "Familien Skov"}),
    ("se_enhet", "se_handlingsplan", "result", "sv", {"responsible_manager": "Eva Ek"}),
]


@pytest.mark.parametrize(
    ("unit_kind", "kind", "result_label", "lang", "extra"),
    ROUND_TRIPS,
    ids=[f"{kind}-{label}-{lang}" for _, kind, label, lang, _ in ROUND_TRIPS],
)
def test_export_then_import_gives_the_same_plan(
    client, factory, unit_kind, kind, result_label, lang, extra
):
    home = factory.unit(kind=unit_kind, name="Stedet")
    manager = factory.user(("manager", home))
    plan = factory.plan(
        home,
        kind=kind,
        title="Opfølgning på tilsyn 2026",
        plan_date=date(2026, 1, 15),
        filled_in_by="Mette Lund",
        result_label=result_label,
        **extra,
    )
    factory.item(
        plan,
        priority=1,
        theme_id=factory.theme(plan, 4).id,
        topic="Første linje\nAnden linje",
        goal="Mål: alle kender reglerne",
        activities="Undervisning",
        resources="Tid",
        start_date=date(2026, 2, 1),
        end_date=date(2026, 9, 30),
        ongoing=True,
        timeframe_note="Evalueres løbende",
        documentation="Referat",
        responsible=[{"name": "Mette Lund"}, {"name": "Ole Dahl"}],
        follow_up_responsible=[{"name": "Hanne Berg"}],
        result="=Ikke afsluttet",
    )
    factory.item(plan, priority=2, theme_id=factory.theme(plan, 3).id, responsible=[])
    headers = login(client, manager)

    response = export(client, headers, plan, lang=lang)
    assert response.status_code == 200
    copy = import_and_confirm(client, headers, response.data, home, kind)

    original, imported = snapshot(plan), snapshot(copy)
    assert imported == original
    assert copy.id != plan.id and copy.state == "draft"
    assert db.session.query(PlanItem).count() == 4


# ---- the quality model the plan is written under ------------------------------------------


def _catalogue(code: str, version: str):
    from server.services.catalogues import find_catalogue

    return find_catalogue(db.session, code, version)


@pytest.mark.parametrize(
    ("lang", "label"),
    [("da", "Kvalitetsmodel:"), ("sv", "Kvalitetsmodell:"), ("en", "Quality model:")],
)
def test_the_header_names_the_catalogue_version_the_plan_is_written_under(
    client, factory, manager, unit, lang, label
):
    # Dated 2026, but written under the 2014 version its manager chose (seven themes).
    chosen = _catalogue("dk_tilbud", "2014")
    plan = filled_plan(factory, unit)
    plan.catalogue_id = chosen.id
    db.session.commit()

    document = read_docx(export(client, login(client, manager), plan, lang=lang))

    header = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in header.rows]
    [line] = [row for row in rows if row[0] == label]
    # The catalogue's name is data, in its own language; the label is the reader's.
    assert line[1] == "Kvalitetsmodellen for socialtilsyn – sociale tilbud (2014)"
    assert [row[0] for row in rows][-2:] == [label, labels_of(lang).APPROVAL["label"]]


def labels_of(lang):
    from server.documents.labels import labels_for

    return labels_for(lang)


def test_an_exported_plan_comes_back_under_its_catalogue_version_not_the_dates_one(
    client, factory, manager, unit
):
    chosen = _catalogue("dk_tilbud", "2014")
    plan = filled_plan(factory, unit)
    plan.catalogue_id = chosen.id
    db.session.commit()
    headers = login(client, manager)

    copy = import_and_confirm(
        client, headers, export(client, headers, plan).data, unit, "dk_tilbud"
    )

    assert copy.catalogue_id == chosen.id
    # The empty Ledelsesansvarlig before the quality model line stays empty (the next cell is
    # a label, not its value).
    assert copy.responsible_manager is None
    assert _catalogue("dk_tilbud", "2025").id != chosen.id  # the plan date's would differ


def test_a_catalogue_version_this_server_lacks_is_said_and_the_dates_decide(
    client, factory, manager, unit
):
    plan = filled_plan(factory, unit)
    headers = login(client, manager)
    data = export(client, headers, plan, lang="en").data
    document = Document(io.BytesIO(data))
    for row in document.tables[0].rows:
        if row.cells[0].text == "Quality model:":
            row.cells[1].paragraphs[0].runs[0].text = "Kvalitetsmodellen (1999)"
    edited = io.BytesIO()
    document.save(edited)
    file = FileStorage(io.BytesIO(edited.getvalue()), filename="plan.docx")
    boundary, body = encode_multipart({"file": file, "unit_id": str(unit.id), "kind": "dk_tilbud"})

    preview = client.post(
        "/api/plans/import",
        data=body,
        headers={**headers, "Accept-Language": "da"},
        content_type=f"multipart/form-data; boundary={boundary}",
    )

    assert preview.status_code == 200, preview.json
    assert preview.json["catalogue_id"] == str(_catalogue("dk_tilbud", "2025").id)
    [warning] = preview.json["warnings"]
    assert "1999" in warning and "quality model" not in warning  # said in Danish
    assert preview.json["unrecognised"] == []


@pytest.mark.parametrize(
    ("lang", "cell"),
    [
        ("da", "Start: 1. februar 2026\nSluttidspunkt: 30. september 2026\nVarig ordning"),
        ("sv", "Start: 1 februari 2026\nKlart senast: 30 september 2026\nTills vidare"),
        ("en", "Start: 1 February 2026\nComplete by: 30 September 2026\nOngoing"),
    ],
)
def test_hvornaar_says_by_when_a_row_is_to_be_done_in_each_language(
    client, factory, manager, unit, lang, cell
):
    plan = factory.plan(unit, title="Plan")
    factory.item(
        plan,
        priority=1,
        start_date=date(2026, 2, 1),
        end_date=date(2026, 9, 30),
        ongoing=True,
    )

    table = read_docx(export(client, login(client, manager), plan, lang=lang)).tables[1]

    assert texts(table.rows[2])[5] == cell
