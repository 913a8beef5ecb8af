"""The kvalitetsberättelse: a draft for a year, as HTML and .docx, from what Følg holds."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from urllib.parse import unquote

import pytest
from docx import Document
from PIL import Image
from sqlalchemy import select

from tests.helpers import assert_error, docx_pictures, login


@pytest.fixture
def year_of_work(client, factory):
    """A verksamhet with two enheter and a year of follow-up: measures, a lex Sarah, cases,
    a survey answer, an årshjul, and a handlingsplan item the lex Sarah led to."""
    verksamhet = factory.unit(kind="se_verksamhet", name="Öppenvården")
    east = factory.unit(kind="se_enhet", parent=verksamhet, name="Familjestödet")
    west = factory.unit(kind="se_enhet", parent=verksamhet, name="Beroendeenheten")
    chef_user = factory.user(("manager", verksamhet))
    chef = login(client, chef_user)

    def post(path, body):
        response = client.post(f"/api/quality/{path}", json=body, headers=chef)
        assert response.status_code in (200, 201), response.json
        return response.json

    post("defaults", {"unit_id": str(verksamhet.id)})
    post("annual-cycle", {"unit_id": str(verksamhet.id), "year": 2026})
    measures = {m["name"]: m for m in client.get("/api/quality/measures", headers=chef).json}
    share = measures["Andel genomförandeplaner som avslutats enligt plan"]
    for unit, numerator, denominator in ((east, 3, 4), (west, 1, 6)):
        post(
            "measure-values",
            {
                "measure_id": share["id"],
                "unit_id": str(unit.id),
                "period": "2026",
                "numerator": numerator,
                "denominator": denominator,
            },
        )
    sarah = post(
        "register",
        {
            "unit_id": str(east.id),
            "entry_date": "2026-03-04",
            "kind": "lex_sarah",
            "title": "Missad överlämning",
            "analysis": "Rutinen var okänd.",
        },
    )
    for code, reason in (("FS-1", "planned"), ("FS-2", "interrupted")):
        post(
            "cases",
            {
                "unit_id": str(east.id),
                "case_code": code,
                "intervention": "Samtalsstöd",
                "gender": "female",
                "started_on": "2026-01-10",
                "ended_on": "2026-05-10",
                "end_reason": reason,
                "needs_met": "partly",
                "situation_after": "improved",
            },
        )
    scale = next(
        q
        for q in client.get("/api/quality/survey-questions", headers=chef).json
        if q["answer_type"] == "scale" and q["survey"] == "end_of_intervention"
    )
    post(
        "survey-responses",
        {
            "unit_id": str(east.id),
            "survey": "end_of_intervention",
            "respondent": "client",
            "answered_on": "2026-05-10",
            "answers": {scale["id"]: 4},
        },
    )
    plan = factory.plan(east, kind="se_handlingsplan", title="Handlingsplan 2026")
    item = factory.item(
        plan,
        theme_id=None,
        topic="Ny rutin för överlämning",
        state="done",
        result="Rutinen är införd",
    )
    post(
        "links",
        {
            "plan_item_id": str(item.id),
            "source_table": "register_entries",
            "source_id": sarah["id"],
        },
    )
    return {"verksamhet": verksamhet, "east": east, "west": west, "chef": chef}


def test_the_html_draft_tells_how_the_work_was_done_what_was_done_and_what_came_of_it(
    client, year_of_work
):
    unit = year_of_work["verksamhet"]
    response = client.get(
        f"/api/quality/report?unit_id={unit.id}&year=2026&format=html",
        headers=year_of_work["chef"],
    )
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for expected in (
        "Kvalitetsberättelse 2026: Öppenvården",
        "1. Så har kvalitetsarbetet bedrivits",
        "Enkäten till medarbetare, beställare och samarbetspartners skickas ut (februari)",
        "Lex Sarah",
        "Missad överlämning",
        "Ny rutin för överlämning",
        "Lex Sarah: Missad överlämning",  # what triggered the item
        "Andel genomförandeplaner som avslutats enligt plan",
        "40\u00a0%",  # 4 of 10, aggregated by the rate rule
        "Insatser under året: 2, varav avslutade: 2.",
        "<svg",
        "medel 4,0 av 5",
        "4. Fortsatt arbete",
    ):
        assert expected in page, expected
    assert "FS-1" not in page  # no case codes in the report


def test_the_docx_draft_has_the_same_sections_and_figures(client, year_of_work):
    unit = year_of_work["east"]
    response = client.get(
        f"/api/quality/report?unit_id={unit.id}&year=2026&format=docx",
        headers=year_of_work["chef"],
    )
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert unquote(disposition.split("filename*=UTF-8''")[1]).startswith(
        "kvalitetsberättelse-2026-"
    )
    document = Document(io.BytesIO(response.data))
    # A4, not python-docx's US Letter.
    assert [(round(s.page_width.mm), round(s.page_height.mm)) for s in document.sections] == [
        (210, 297)
    ]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "2. Åtgärder" in headings and "3. Resultat" in headings
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {"Missad överlämning", "Ny rutin för överlämning", "Avbruten", "Enligt plan"} <= cells
    # For an enhet, the verksamhet's measures appear with the enhet's own figure: 3 of 4.
    assert "75\u00a0%" in cells and "40\u00a0%" not in cells


def test_the_docx_draft_has_the_html_drafts_charts_as_pictures_beside_their_tables(
    client, year_of_work
):
    query = f"/api/quality/report?unit_id={year_of_work['east'].id}&year=2026&format="
    page = client.get(query + "html", headers=year_of_work["chef"]).get_data(as_text=True)
    response = client.get(query + "docx", headers=year_of_work["chef"])
    document = Document(io.BytesIO(response.data))
    titles = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    pictures = docx_pictures(document)
    assert len(pictures) == len(titles) == page.count("<svg") >= 5
    assert "Avslut" in titles and "Könsfördelning" in titles
    for (content_type, blob, alt_text), title in zip(pictures, titles, strict=True):
        assert content_type == "image/png"
        image = Image.open(io.BytesIO(blob))
        assert image.format == "PNG" and image.width >= 1000 and 150 < image.height < image.width
        assert alt_text == f"Stapeldiagram: {title}"
    # The tables stay: they are the accessible form of the same counts.
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {"Enligt plan", "Avbruten", "Kvinna"} <= cells
    shape = document.inline_shapes[0]
    assert 14 < shape.width.cm < 16


def test_a_report_for_an_unseen_unit_is_not_found(client, factory, year_of_work):
    other = factory.user(("manager", factory.unit(kind="se_verksamhet")))
    response = client.get(
        f"/api/quality/report?unit_id={year_of_work['verksamhet'].id}&year=2026",
        headers=login(client, other),
    )
    assert_error(response, 404, "not_found")
    bad = client.get(
        f"/api/quality/report?unit_id={year_of_work['verksamhet'].id}&year=2026&format=pdf",
        headers=year_of_work["chef"],
    )
    assert_error(bad, 422, "invalid_input", "format")


CHART_LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "chart_labels.json"


@pytest.mark.parametrize(
    "case",
    json.loads(CHART_LABELS.read_text(encoding="utf-8"))["cases"],
    ids=lambda c: c["label"][:12],
)
def test_a_bar_label_is_cut_before_it_is_escaped_as_the_pwa_does(case):
    """The same rule as the PWA's chartLabel (tests/pwa/quality_model.test.js reads the same
    cases); escaping first cut "&amp;" in half and made the SVG unreadable."""
    from xml.etree import ElementTree

    from server.documents.quality_report import Chart, bar_chart_svg, chart_label

    assert chart_label(case["label"]) == case["drawn"]
    ElementTree.fromstring(bar_chart_svg(Chart("Titel", {case["label"]: 3})))


def test_an_enhets_own_measure_is_in_the_report_with_its_enhets_figure_marked_local(
    client, factory, year_of_work
):
    east = year_of_work["east"]
    own = login(client, factory.user(("manager", east)))
    measure = client.post(
        "/api/quality/measures",
        json={
            "unit_id": str(east.id),
            "name": "Överlämningar med gemensamt möte",
            "kind": "process",
        },
        headers=own,
    )
    assert measure.status_code == 201, measure.json
    value = client.post(
        "/api/quality/measure-values",
        json={
            "measure_id": measure.json["id"],
            "unit_id": str(east.id),
            "period": "2026",
            "value": 7,
        },
        headers=own,
    )
    assert value.status_code == 201, value.json
    for unit in (year_of_work["verksamhet"], east):
        page = client.get(
            f"/api/quality/report?unit_id={unit.id}&year=2026&format=html",
            headers=year_of_work["chef"],
        ).get_data(as_text=True)
        assert "Överlämningar med gemensamt möte" in page
        assert "Lokalt mått för Familjestödet" in page
        assert "<td>7</td>" in page or ">7<" in page


def test_the_register_table_says_who_issued_a_tillsynsrapport_and_shows_the_new_kinds(
    client, year_of_work
):
    east = year_of_work["east"]
    for kind, title, source in (
        ("inspection_report", "Tillsyn av läkemedelshantering", "ivo"),
        ("care_deviation", "Fel dos läkemedel", None),
        ("patient_safety_report", "Patientsäkerhetsberättelse 2025", None),
    ):
        response = client.post(
            "/api/quality/register",
            json={
                "unit_id": str(east.id),
                "entry_date": "2026-02-10",
                "kind": kind,
                "title": title,
                "source": source,
            },
            headers=year_of_work["chef"],
        )
        assert response.status_code == 201, response.json
    page = client.get(
        f"/api/quality/report?unit_id={year_of_work['verksamhet'].id}&year=2026&format=html",
        headers=year_of_work["chef"],
    ).get_data(as_text=True)
    for expected in ("Tillsynsrapport (IVO)", "Vårdavvikelse", "Patientsäkerhetsberättelse"):
        assert expected in page, expected


# ---- SOSFS 2011:9, 5 kap: riskanalyser and egenkontroll ---------------------------------------


@pytest.fixture
def improvement_work(client, factory, year_of_work):
    """In Familjestödet: a riskanalys of 2026 that led to a handlingsplan row, one of 2025; an
    egenkontroll run with two deviations, one recorded in the register and taken into the
    handlingsplan, one not acted on yet; and a run of 2025."""
    east, chef = year_of_work["east"], year_of_work["chef"]

    def post(path, body):
        response = client.post(f"/api/quality/{path}", json=body, headers=chef)
        assert response.status_code in (200, 201), response.json
        return response.json

    def risk(analysed_on, event):
        return post(
            "risk-analyses",
            {
                "unit_id": str(east.id),
                "analysed_on": analysed_on,
                "event": event,
                "probability": 3,
                "consequence": 4,
                "measures": "Introduktion av vikarier; dubbelsignering.",
                "responsible": "Eva Lindqvist",
                "due_date": "2026-06-01",
                "follow_up_date": "2026-09-15",
                "follow_up": "Rutinen följs sedan maj.",
            },
        )

    medicines = risk("2026-03-10", "Läkemedel ges fel under semestern.")
    risk("2025-11-02", "Riskanalys från förra året.")
    plan = factory.plan(east, kind="se_handlingsplan", title="Handlingsplan 2026 B")
    routine = factory.item(plan, theme_id=None, topic="Läkemedelsrutin för vikarier")
    alarms = factory.item(plan, theme_id=None, topic="Byt batterier i brandvarnarna", state="done")
    post(
        "links",
        {
            "plan_item_id": str(routine.id),
            "source_table": "risk_analyses",
            "source_id": medicines["id"],
        },
    )
    points = ["Utrymningsvägarna är fria.", "Brandvarnarna fungerar.", "Släckaren är kontrollerad."]
    fire = post(
        "checklists",
        {
            "unit_id": str(year_of_work["verksamhet"].id),
            "area": "fire_safety",
            "name": "Brandskydd vår",
            "points": [{"id": str(uuid.uuid4()), "text": text} for text in points],
        },
    )
    run = post(
        "checklist-runs",
        {
            "unit_id": str(east.id),
            "checklist_id": fire["id"],
            "run_on": "2026-04-02",
            "performed_by": "Sara Nyberg",
        },
    )
    answers = {}
    for point, answer, note in zip(
        fire["points"],
        ("ok", "deviation", "deviation"),
        (None, "Brandvarnaren i tvättstugan tyst.", "Släckaren saknar besiktningsmärke."),
        strict=True,
    ):
        answers[point["text"]] = post(
            "checklist-answers",
            {"run_id": run["id"], "point_id": point["id"], "answer": answer, "note": note},
        )
    post(
        "register",
        {
            "unit_id": str(east.id),
            "entry_date": "2026-04-03",
            "kind": "deviation",
            "title": "Tyst brandvarnare",
            "checklist_answer_id": answers["Brandvarnarna fungerar."]["id"],
        },
    )
    post(
        "links",
        {
            "plan_item_id": str(alarms.id),
            "source_table": "checklist_answers",
            "source_id": answers["Brandvarnarna fungerar."]["id"],
        },
    )
    client.patch(
        f"/api/quality/checklist-runs/{run['id']}",
        json={"state": "done", "summary": "Två avvikelser."},
        headers=chef,
    )
    post(
        "checklist-runs",
        {"unit_id": str(east.id), "checklist_id": fire["id"], "run_on": "2025-10-01"},
    )
    return year_of_work


def test_the_html_draft_lists_the_years_riskanalyser_and_egenkontroller_with_their_outcome(
    client, improvement_work
):
    page = client.get(
        f"/api/quality/report?unit_id={improvement_work['verksamhet'].id}&year=2026&format=html",
        headers=improvement_work["chef"],
    ).get_data(as_text=True)
    for expected in (
        "<h3>Riskanalyser</h3>",
        "Läkemedel ges fel under semestern.",
        "3 × 4 = 12",
        "Introduktion av vikarier; dubbelsignering. (ansvarig: Eva Lindqvist, klart senast "
        "1 juni 2026)",
        "15 september 2026: Rutinen följs sedan maj.",
        "Handlingsplan: Läkemedelsrutin för vikarier (Inte påbörjad)",
        "<h3>Egenkontroll</h3>",
        "Brandskydd vår (Brandskydd)",
        "Sara Nyberg",
        "Genomförd",
        "3 av 3 punkter besvarade: 1 uppfyllt, 2 avvikelse",
        "Två avvikelser.",
        "Brandvarnaren i tvättstugan tyst.",
        "Avvikelse i registret 3 april 2026: Tyst brandvarnare",
        "Handlingsplan: Byt batterier i brandvarnarna (Avslutad)",
        "Släckaren saknar besiktningsmärke.",
        "Ingen åtgärd registrerad",
    ):
        assert expected in page, expected
    # Only the year's: the riskanalys and the run of 2025 stay out.
    assert "Riskanalys från förra året." not in page
    assert page.count("Brandskydd vår (Brandskydd)") == 3  # the run, and its two deviations
    # In section 1, before the actions.
    assert page.index("<h3>Egenkontroll</h3>") < page.index("<h2>2. Åtgärder</h2>")


def test_the_docx_draft_has_the_riskanalyser_and_egenkontroller_as_tables(client, improvement_work):
    response = client.get(
        f"/api/quality/report?unit_id={improvement_work['east'].id}&year=2026&format=docx",
        headers=improvement_work["chef"],
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert {"Riskanalyser", "Egenkontroll"} <= set(headings)
    assert "Avvikelser i egenkontrollerna och vad som gjorts" in headings
    tables = {
        tuple(c.text for c in t.rows[0].cells): [[c.text for c in row.cells] for row in t.rows[1:]]
        for t in document.tables
    }
    from server.documents import quality_improvement as part

    [risk] = tables[tuple(part.RISK_HEADINGS)]
    assert risk[1:4] == ["Familjestödet", "Läkemedel ges fel under semestern.", "3 × 4 = 12"]
    assert risk[6] == "Handlingsplan: Läkemedelsrutin för vikarier (Inte påbörjad)"
    [run] = tables[tuple(part.RUN_HEADINGS)]
    assert run[2:5] == ["Brandskydd vår (Brandskydd)", "Sara Nyberg", "Genomförd"]
    deviations = tables[tuple(part.DEVIATION_HEADINGS)]
    assert [(r[3], r[5]) for r in deviations] == [
        (
            "Brandvarnarna fungerar.",
            "Avvikelse i registret 3 april 2026: Tyst brandvarnare\n"
            "Handlingsplan: Byt batterier i brandvarnarna (Avslutad)",
        ),
        ("Släckaren är kontrollerad.", "Ingen åtgärd registrerad"),
    ]


def test_a_year_without_riskanalyser_or_egenkontroll_says_so(client, year_of_work):
    page = client.get(
        f"/api/quality/report?unit_id={year_of_work['verksamhet'].id}&year=2026&format=html",
        headers=year_of_work["chef"],
    ).get_data(as_text=True)
    assert "Inga riskanalyser under året." in page
    assert "Inga egenkontroller under året." in page


def test_an_enhets_report_has_its_own_riskanalyser_and_the_verksamhets_has_all(
    client, improvement_work
):
    west = improvement_work["west"]
    response = client.post(
        "/api/quality/risk-analyses",
        json={
            "unit_id": str(west.id),
            "analysed_on": "2026-05-05",
            "event": "Brukare går vilse vid utflykter.",
            "probability": 2,
            "consequence": 3,
        },
        headers=improvement_work["chef"],
    )
    assert response.status_code == 201, response.json
    planned = client.post(
        "/api/quality/risk-analyses",
        json={
            "unit_id": str(west.id),
            "analysed_on": "2026-05-06",
            "event": "Dörren till källaren står öppen.",
            "probability": 1,
            "consequence": 2,
            "follow_up_date": "2026-11-01",
        },
        headers=improvement_work["chef"],
    )
    assert planned.status_code == 201, planned.json

    def page(unit):
        return client.get(
            f"/api/quality/report?unit_id={unit.id}&year=2026&format=html",
            headers=improvement_work["chef"],
        ).get_data(as_text=True)

    east = page(improvement_work["east"])
    assert "Läkemedel ges fel under semestern." in east
    assert "Brukare går vilse vid utflykter." not in east
    both = page(improvement_work["verksamhet"])
    assert "Brukare går vilse vid utflykter." in both and "2 × 3 = 6" in both
    # Not followed up, nothing in the handlingsplan: said, not left blank.
    assert "<td>Inte uppföljd</td><td>Ingen</td>" in both
    # A follow-up planned but not yet written says when it is due.
    assert "<td>Följs upp 1 november 2026</td>" in both


def test_a_riskanalys_and_a_deviation_holding_control_characters_still_make_the_docx(
    client, improvement_work
):
    """Rows stored before the refusal of control characters (tests/server/test_hostile_text.py)
    do not break the new sections: Word cannot hold them, so they are left out."""
    from server.extensions import db
    from server.models import ChecklistAnswer, RiskAnalysis

    risk = db.session.scalars(
        select(RiskAnalysis).where(RiskAnalysis.event == "Läkemedel ges fel under semestern.")
    ).one()
    risk.event = "Läke\x01medel\x0b fel"
    answer = db.session.scalars(
        select(ChecklistAnswer).where(ChecklistAnswer.answer == "deviation")
    ).first()
    answer.note = "Tyst\x1b brandvarnare"
    db.session.commit()
    response = client.get(
        f"/api/quality/report?unit_id={improvement_work['east'].id}&year=2026&format=docx",
        headers=improvement_work["chef"],
    )
    assert response.status_code == 200
    cells = {
        c.text
        for t in Document(io.BytesIO(response.data)).tables
        for row in t.rows
        for c in row.cells
    }
    assert {"Läkemedel fel", "Tyst brandvarnare"} <= cells
