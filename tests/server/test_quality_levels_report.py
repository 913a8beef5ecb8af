"""The kvalitetsberättelse's part on the follow-up levels: the year's uppdrags-/avtalsuppföljningar
with their deviations and actions, the tematiska uppföljningar with each unit's result, and the
sammanvägd bedömning, in the HTML and the .docx; an enhet's draft holds only its own result."""

from __future__ import annotations

import io

import pytest
from docx import Document

from tests.helpers import login


@pytest.fixture
def year(client, factory):
    verksamhet = factory.unit(kind="se_verksamhet", name="Äldreomsorgen")
    east = factory.unit(kind="se_enhet", parent=verksamhet, name="Björkhagen")
    west = factory.unit(kind="se_enhet", parent=verksamhet, name="Solgläntan")
    chef_user = factory.user(("manager", verksamhet))
    east_user = factory.user(("staff", east))
    chef = login(client, chef_user)

    def post(path, body):
        response = client.post(f"/api/quality/{path}", json=body, headers=chef)
        assert response.status_code == 201, response.json
        return response.json

    follow_up = post(
        "assignment-follow-ups",
        {
            "unit_id": str(east.id),
            "subject_kind": "contract",
            "subject": "Avtal om särskilt boende",
            "provider_kind": "private",
            "provider_name": "Omsorgsbolaget AB",
            "method": "Journalgranskning",
            "done_on": "2026-05-10",
            "outcome": "partly_met",
            "result": "Genomförandeplaner saknas för två boende.",
        },
    )
    deviation = post(
        "follow-up-deviations",
        {
            "follow_up_id": follow_up["id"],
            "description": "Genomförandeplan saknas",
            "action_required": "Upprätta planer inom en månad",
        },
    )
    item = factory.item(
        factory.plan(east, kind="se_handlingsplan"), theme_id=None, topic="Planer för alla boende"
    )
    post(
        "links",
        {
            "plan_item_id": str(item.id),
            "source_table": "follow_up_deviations",
            "source_id": deviation["id"],
        },
    )
    theme = post(
        "thematic-follow-ups",
        {
            "unit_id": str(verksamhet.id),
            "theme": "Måltider",
            "question": "Följs riktlinjen för måltider?",
            "scope_unit_ids": [str(east.id), str(west.id)],
            "done_on": "2026-10-01",
            "summary": "Riktlinjen följs på en av två enheter.",
        },
    )
    for unit, outcome, text in (
        (east, "met", "Lunch serveras enligt riktlinjen."),
        (west, "not_met", "Nattfastan är för lång i Solgläntan."),
    ):
        post(
            "thematic-results",
            {
                "follow_up_id": theme["id"],
                "unit_id": str(unit.id),
                "outcome": outcome,
                "result": text,
            },
        )
    post(
        "overall-assessments",
        {
            "unit_id": str(verksamhet.id),
            "year": 2026,
            "overall": "Godtagbar kvalitet med två förbättringsområden.",
            "outcome": "partly_met",
        },
    )
    return {
        "verksamhet": verksamhet,
        "east": east,
        "chef": chef,
        "east_staff": login(client, east_user),
    }


def test_the_html_draft_has_each_follow_up_level_of_the_year(client, year):
    response = client.get(
        f"/api/quality/report?unit_id={year['verksamhet'].id}&year=2026&format=html",
        headers=year["chef"],
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in (
        "<h3>Uppdrags- och avtalsuppföljning</h3>",
        "Avtal: Avtal om särskilt boende",
        "Omsorgsbolaget AB (privat utförare)",
        "Genomförandeplan saknas – åtgärd: Upprätta planer inom en månad "
        "(handlingsplan: Planer för alla boende)",
        "<h4>Måltider: Följs riktlinjen för måltider?</h4>",
        "Nattfastan är för lång i Solgläntan.",
        "Riktlinjen följs på en av två enheter.",
        "<h3>Sammanvägd bedömning</h3>",
        "Godtagbar kvalitet med två förbättringsområden.",
        "Uppdrags- och avtalsuppföljningar: 1, varav genomförda: 1. Avvikelser: 1, varav med "
        "åtgärd i handlingsplanen: 1.",
        "Avvikelse i uppdrags-/avtalsuppföljning: Genomförandeplan saknas",
    ):
        assert text in html, text
    # The part comes before the further work, inside the results.
    assert html.index("Sammanvägd bedömning") < html.index("4. Fortsatt arbete")


def test_an_enhets_docx_draft_holds_its_own_result_and_not_the_other_units(client, year):
    response = client.get(
        f"/api/quality/report?unit_id={year['east'].id}&year=2026&format=docx",
        headers=year["east_staff"],
    )
    assert response.status_code == 200
    document = Document(io.BytesIO(response.data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert {
        "Uppdrags- och avtalsuppföljning",
        "Tematisk uppföljning",
        "Sammanvägd bedömning",
    } <= set(headings)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {"Björkhagen", "Uppfyllt", "Lunch serveras enligt riktlinjen."} <= cells
    assert "Solgläntan" not in cells
    assert not any("Nattfastan" in c for c in cells)
    # The verksamhet's assessment is not the enhet's to read.
    paragraphs = " ".join(p.text for p in document.paragraphs)
    assert "Godtagbar kvalitet" not in paragraphs and "Godtagbar kvalitet" not in " ".join(cells)
