"""A visit summary as a Word document (tilsynsrapport): the visit's header, the spindelvæv of
the rating averages per theme (as the PWA shows it), a table of those averages, a table per
theme with its findings, then the visit's photos with their captions. A4, with dates and
numbers in the reader's conventions (server/documents/formats.py).

``visit_report`` reads (the visit through ``get_visit``, each photo's bytes through
``photos.read_photo``, so the same access rules hold as for the API); ``visit_report_docx``
is pure.

The radar is drawn only when at least ``RADAR_MIN_THEMES`` themes are rated: with one or two
spokes it is a dot or a line, and the table says the same more plainly. Its spokes are the
rated themes only; the PWA also draws unrated scored themes, at the centre, which on paper
would read as a rating of 0 on a 1-5 scale.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.image.exceptions import UnrecognizedImageError
from docx.shared import Cm
from sqlalchemy.orm import Session

from server.documents.charts import Radar, add_chart, radar_chart_png
from server.documents.formats import format_date, format_rating, use_a4
from server.documents.text import xml_safe
from server.services import photos, visits
from server.services.access import Principal
from server.services.errors import NotFound

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
RADAR_MIN_THEMES = 3
PHOTO_WIDTH_CM = 12

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
        "photos": "Fotos",
        "filename": "tilsynsbesøg",
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
        "photos": "Foton",
        "filename": "tillsynsbesök",
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
        "photos": "Photos",
        "filename": "inspection-visit",
    },
}


@dataclass(frozen=True)
class ReportPhoto:
    image: bytes
    caption: str | None


def visit_report(
    session: Session, principal: Principal, visit_id: uuid.UUID, language: str
) -> tuple[bytes, str]:
    """The report as .docx bytes, and its file name in the reader's language."""
    visit = visits.get_visit(session, principal, visit_id)
    summary = visits.visit_summary(session, principal, visit)
    pictures = []
    for photo in visits.list_photos(session, principal, visit.id):
        try:
            blob = photos.read_photo(session, principal, photo.sha256)
        except NotFound:
            continue  # still uploading from the device: the next report has it
        pictures.append(ReportPhoto(blob.data, photo.caption))
    labels = _labels(language)
    name = f"{labels['filename']}-{visit.visit_date.isoformat()}.docx"
    return visit_report_docx(summary, language, pictures), name


def _labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["da"])


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


def visit_report_docx(
    summary: dict[str, Any], language: str, pictures: list[ReportPhoto] | None = None
) -> bytes:
    labels = _labels(language)
    summary, visit = xml_safe(summary), summary["visit"]
    document = Document()
    use_a4(document)
    document.add_heading(f"{labels['title']} – {summary['unit_name']}", level=1)
    facts = [
        (labels["unit"], summary["unit_name"]),
        (labels["date"], format_date(visit.visit_date, language)),
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
    radar = _radar(summary, labels, language)
    if radar is not None:
        add_chart(document, radar_chart_png(radar), 14, labels["radar"])
    _table(
        document,
        [labels["theme"], labels["average"], labels["ratings"], labels["findings"]],
        [
            [
                _theme_name(theme),
                format_rating(theme["rating_average"], language),
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
                    format_date(f["deadline"], language),
                    "" if f["rating"] is None else str(f["rating"]),
                    f["rating_justification"] or "",
                ]
                for f in theme["findings"]
            ],
        )
    _photos(document, pictures or [], labels)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _theme_name(theme: dict[str, Any]) -> str:
    return f"{theme['number']}. {theme['name']}" if theme["number"] else theme["name"]


def _photos(document: Any, pictures: list[ReportPhoto], labels: dict[str, str]) -> None:
    if not pictures:
        return
    document.add_heading(labels["photos"], level=2)
    for picture in pictures:
        try:
            shape = document.add_picture(io.BytesIO(picture.image), width=Cm(PHOTO_WIDTH_CM))
        except UnrecognizedImageError:
            continue  # bytes Word cannot show must not cost the reader the whole report
        if picture.caption:
            shape._inline.docPr.set("descr", picture.caption)
            document.add_paragraph(picture.caption).runs[0].italic = True


def _radar(summary: dict[str, Any], labels: dict[str, str], language: str) -> Radar | None:
    """The spindelvæv of the rated themes, or None when fewer than RADAR_MIN_THEMES are."""
    rated = [theme for theme in summary["themes"] if theme["rating_average"] is not None]
    if len(rated) < RADAR_MIN_THEMES:
        return None
    return Radar(
        title=labels["overview"],
        values={_theme_name(theme): theme["rating_average"] for theme in rated},
        scale_label=labels["average"],
        value_texts={
            _theme_name(theme): format_rating(theme["rating_average"], language) for theme in rated
        },
    )
