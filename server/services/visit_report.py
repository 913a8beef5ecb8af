"""A visit summary as a Word document (tilsynsrapport): the visit's header, the spindelvæv of
the rating averages per theme (as the PWA shows it), a table of those averages, then a table
per theme with its findings.

The radar is drawn only when at least ``RADAR_MIN_THEMES`` themes are rated: with one or two
spokes it is a dot or a line, and the table says the same more plainly. Its spokes are the
rated themes only; the PWA also draws unrated scored themes, at the centre, which on paper
would read as a rating of 0 on a 1-5 scale.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document

from server.documents.charts import Radar, add_chart, radar_chart_png
from server.documents.text import xml_safe

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RADAR_MIN_THEMES = 3

LABELS: dict[str, dict[str, str]] = {
    "da": {
        "title": "Tilsynsbesøg",
        "unit": "Tilbud/afdeling",
        "date": "Dato",
        "announced": "Anmeldt",
        "unannounced": "Uanmeldt",
        "purpose": "Formål",
        "catalogue": "Kvalitetsmodel",
        "notes": "Noter",
        "overview": "Vurdering pr. tema",
        "theme": "Tema",
        "average": "Gennemsnit (1-5)",
        "radar": "Spindelvæv: gennemsnitlig score pr. tema",
        "ratings": "Antal vurderinger",
        "findings": "Fund",
        "kind": "Type",
        "text": "Beskrivelse",
        "deadline": "Frist",
        "rating": "Score",
        "justification": "Begrundelse",
        "none": "Ingen fund.",
        "ongoing_supervision": "Driftsorienteret tilsyn",
        "approval": "Godkendelse",
        "follow_up": "Opfølgning",
        "paabud": "Påbud",
        "anbefaling": "Anbefaling",
        "bekymrende_forhold": "Bekymrende forhold",
        "observation": "Observation",
    },
    "sv": {
        "title": "Tillsynsbesök",
        "unit": "Verksamhet/enhet",
        "date": "Datum",
        "announced": "Anmält",
        "unannounced": "Oanmält",
        "purpose": "Syfte",
        "catalogue": "Kvalitetsmodell",
        "notes": "Anteckningar",
        "overview": "Bedömning per kvalitetsområde",
        "theme": "Kvalitetsområde",
        "average": "Medelvärde (1-5)",
        "radar": "Spindeldiagram: medelvärde per kvalitetsområde",
        "ratings": "Antal bedömningar",
        "findings": "Iakttagelser",
        "kind": "Typ",
        "text": "Beskrivning",
        "deadline": "Slutdatum",
        "rating": "Poäng",
        "justification": "Motivering",
        "none": "Inga iakttagelser.",
        "ongoing_supervision": "Löpande tillsyn",
        "approval": "Godkännande",
        "follow_up": "Uppföljning",
        "paabud": "Föreläggande",
        "anbefaling": "Rekommendation",
        "bekymrende_forhold": "Brist",
        "observation": "Observation",
    },
    "en": {
        "title": "Inspection visit",
        "unit": "Service/unit",
        "date": "Date",
        "announced": "Announced",
        "unannounced": "Unannounced",
        "purpose": "Purpose",
        "catalogue": "Quality model",
        "notes": "Notes",
        "overview": "Rating per theme",
        "theme": "Theme",
        "average": "Average (1-5)",
        "radar": "Radar chart: average rating per theme",
        "ratings": "Ratings",
        "findings": "Findings",
        "kind": "Kind",
        "text": "Description",
        "deadline": "Deadline",
        "rating": "Rating",
        "justification": "Justification",
        "none": "No findings.",
        "ongoing_supervision": "Ongoing supervision",
        "approval": "Approval",
        "follow_up": "Follow-up",
        "paabud": "Order (påbud)",
        "anbefaling": "Recommendation",
        "bekymrende_forhold": "Matter of concern",
        "observation": "Observation",
    },
}


def _table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text


def visit_report_docx(summary: dict[str, Any], language: str) -> bytes:
    labels = LABELS.get(language, LABELS["da"])
    summary, visit = xml_safe(summary), summary["visit"]
    document = Document()
    document.add_heading(f"{labels['title']} – {summary['unit_name']}", level=1)
    facts = [
        (labels["unit"], summary["unit_name"]),
        (labels["date"], visit.visit_date.isoformat()),
        (labels["purpose"], labels[visit.purpose]),
        ("", labels["announced"] if visit.announced else labels["unannounced"]),
        (labels["catalogue"], summary["catalogue"]),
    ]
    for label, value in facts:
        paragraph = document.add_paragraph()
        if label:
            paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    if visit.notes:
        document.add_paragraph().add_run(f"{labels['notes']}: ").bold = True
        document.add_paragraph(xml_safe(visit.notes))

    document.add_heading(labels["overview"], level=2)
    radar = _radar(summary, labels)
    if radar is not None:
        add_chart(document, radar_chart_png(radar), 14, labels["radar"])
    _table(
        document,
        [labels["theme"], labels["average"], labels["ratings"], labels["findings"]],
        [
            [
                _theme_name(theme),
                _average(theme),
                str(theme["ratings"]),
                str(len(theme["findings"])),
            ]
            for theme in summary["themes"]
        ],
    )

    for theme in summary["themes"]:
        if not theme["findings"]:
            continue
        document.add_heading(_theme_name(theme), level=2)
        _table(
            document,
            [
                labels["kind"],
                labels["text"],
                labels["deadline"],
                labels["rating"],
                labels["justification"],
            ],
            [
                [
                    labels[f["kind"]],
                    f["text"],
                    f["deadline"].isoformat() if f["deadline"] else "",
                    "" if f["rating"] is None else str(f["rating"]),
                    f["rating_justification"] or "",
                ]
                for f in theme["findings"]
            ],
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _theme_name(theme: dict[str, Any]) -> str:
    return f"{theme['number']}. {theme['name']}" if theme["number"] else theme["name"]


def _average(theme: dict[str, Any]) -> str:
    return "" if theme["rating_average"] is None else f"{theme['rating_average']:.2f}"


def _radar(summary: dict[str, Any], labels: dict[str, str]) -> Radar | None:
    """The spindelvæv of the rated themes, or None when fewer than RADAR_MIN_THEMES are."""
    rated = [theme for theme in summary["themes"] if theme["rating_average"] is not None]
    if len(rated) < RADAR_MIN_THEMES:
        return None
    return Radar(
        title=labels["overview"],
        values={_theme_name(theme): theme["rating_average"] for theme in rated},
        scale_label=labels["average"],
        value_texts={_theme_name(theme): _average(theme) for theme in rated},
    )
