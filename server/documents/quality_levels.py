"""The kvalitetsberättelse's part on the follow-up levels of seed 003 beside the individual one:

    Uppdrags- och avtalsuppföljning   each follow-up of the year: what, utförare, method, when,
                                      outcome, result, the deviations found and the action each
                                      requires (with the handlingsplan rows that carry it)
    Tematisk uppföljning              each theme: its question, each unit's result, the summary
    Sammanvägd bedömning              the year's assessment per level and overall, and the
                                      figures it is drawn from (``services/quality_levels.py``)

Kept apart from ``quality_report.py`` so the report's own structure can change without this;
the report calls ``build_levels`` and hands its table helpers to the two renderers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.documents.formats import format_date
from server.models import (
    FollowUpDeviation,
    OverallAssessment,
    PlanItem,
    QualityLink,
    ThematicFollowUp,
    Unit,
)
from server.services.access import Principal
from server.services.quality_levels import (
    assessment_basis,
    assignment_follow_ups,
    deviations_of,
    results_of,
    thematic_follow_ups,
)

LANGUAGE = "sv"
SUBJECT = {"assignment": "Uppdrag", "contract": "Avtal"}
PROVIDER = {"own": "egen regi", "private": "privat utförare", "non_profit": "idéburen utförare"}
OUTCOME = {"met": "Uppfyllt", "partly_met": "Delvis uppfyllt", "not_met": "Ej uppfyllt"}


@dataclass
class Levels:
    assignments: list[list[str]] = field(default_factory=list)
    themes: list[dict[str, Any]] = field(default_factory=list)
    assessment: list[list[str]] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)


def _when(done_on: date | None, planned_on: date | None) -> str:
    if done_on:
        return format_date(done_on, LANGUAGE)
    return f"Planerad {format_date(planned_on, LANGUAGE)}" if planned_on else "Ej planerad"


def build_levels(
    session: Session, principal: Principal, unit: Unit, unit_ids: list[uuid.UUID], year: int
) -> Levels:
    """The year's follow-ups of the units the report covers (and the themes of the verksamhet
    above an enhet), as the user may read them."""
    levels = Levels()
    readable = [u for u in unit_ids if principal.can("read_plans", u)]
    follow_ups = assignment_follow_ups(session, readable, year)
    deviations = deviations_of(session, [f.id for f in follow_ups])
    actions = _actions(session, [d.id for ds in deviations.values() for d in ds])
    names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())
    for f in follow_ups:
        provider = f.provider_name or names.get(f.unit_id, "")
        found = [
            d.description
            + (f" – åtgärd: {d.action_required}" if d.action_required else "")
            + "".join(f" (handlingsplan: {topic})" for topic in actions.get(d.id, []))
            for d in deviations[f.id]
        ]
        levels.assignments.append(
            [
                f"{SUBJECT[f.subject_kind]}: {f.subject}",
                f"{provider} ({PROVIDER[f.provider_kind]})",
                f.method or "",
                _when(f.done_on, f.planned_on),
                OUTCOME.get(f.outcome or "", "–"),
                f.result or "",
                "\n".join(found) or "Inga",
            ]
        )
    themes = thematic_follow_ups(session, unit, readable, year)
    results = results_of(session, [t.id for t in themes], readable)
    for theme in themes:
        by_unit = {r.unit_id: r for r in results[theme.id]}
        rows = []
        for unit_id in theme.scope_unit_ids or []:
            result = by_unit.get(uuid.UUID(unit_id))
            if uuid.UUID(unit_id) not in names or not principal.can(
                "read_plans", uuid.UUID(unit_id)
            ):
                continue
            rows.append(
                [
                    names[uuid.UUID(unit_id)],
                    OUTCOME.get((result.outcome if result else None) or "", "–"),
                    (result.result if result else None) or "",
                ]
            )
        levels.themes.append(
            {
                "title": f"{theme.theme}: {theme.question}",
                "when": _when(theme.done_on, theme.planned_on),
                "rows": rows,
                "summary": theme.summary or "",
            }
        )
    assessment = session.scalar(
        select(OverallAssessment).where(
            OverallAssessment.unit_id == unit.id,
            OverallAssessment.year == year,
            OverallAssessment.deleted.is_(False),
        )
    )
    if assessment is not None:
        levels.assessment = [
            [label, text or ""]
            for label, text in (
                ("Individuppföljning", assessment.individual_level),
                ("Uppdrags- och avtalsuppföljning", assessment.assignment_level),
                ("Tematisk uppföljning", assessment.thematic_level),
                ("Sammanvägd bedömning", assessment.overall),
                ("Bedömning", OUTCOME.get(assessment.outcome or "", "–")),
            )
        ]
    if unit.kind == "se_verksamhet":
        basis = assessment_basis(session, principal, unit.id, year)
        a, t = basis["assignment"], basis["thematic"]
        # "Label: n", not "n label": one count never reads "1 avvikelser".
        levels.basis = [
            f"Uppdrags- och avtalsuppföljningar: {a['follow_ups']}, varav genomförda: "
            f"{a['done']}. Avvikelser: {a['deviations']}, varav med åtgärd i handlingsplanen: "
            f"{a['deviations_with_action']}.",
            f"Tematiska uppföljningar: {t['follow_ups']}, varav genomförda: {t['done']}.",
        ]
    return levels


# The rows of these levels a handlingsplan row may be triggered by (``quality_links``).
LINK_SOURCES = ("follow_up_deviations", "thematic_results")


def trigger_text(session: Session, source: Any) -> str:
    """What triggered a handlingsplan row, as the report's "Föranledd av" column says it."""
    if isinstance(source, FollowUpDeviation):
        return f"Avvikelse i uppdrags-/avtalsuppföljning: {source.description}"
    theme = session.get(ThematicFollowUp, source.follow_up_id)
    return f"Tematisk uppföljning: {theme.theme if theme else ''}"


def _actions(session: Session, deviation_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The handlingsplan rows linked to each deviation, by their topic."""
    found: dict[uuid.UUID, list[str]] = {}
    if not deviation_ids:
        return found
    rows = session.execute(
        select(QualityLink.source_id, PlanItem.topic, PlanItem.goal)
        .join(PlanItem, PlanItem.id == QualityLink.plan_item_id)
        .where(
            QualityLink.source_id.in_(deviation_ids),
            QualityLink.deleted.is_(False),
            PlanItem.deleted.is_(False),
        )
    )
    for source_id, topic, goal in rows:
        found.setdefault(source_id, []).append(topic or goal or "")
    return found


ASSIGNMENT_HEADINGS = [
    "Uppföljning",
    "Utförare",
    "Metod",
    "Genomförd",
    "Bedömning",
    "Resultat",
    "Avvikelser och åtgärder",
]


def render_html(levels: Levels, table: Callable[[list[str], list[list[str]]], str]) -> list[str]:
    from html import escape as e

    out = ["<h3>Uppdrags- och avtalsuppföljning</h3>"]
    out.append(
        table(ASSIGNMENT_HEADINGS, levels.assignments)
        if levels.assignments
        else "<p>Inga uppdrags- eller avtalsuppföljningar under året.</p>"
    )
    out.append("<h3>Tematisk uppföljning</h3>")
    if not levels.themes:
        out.append("<p>Inga tematiska uppföljningar under året.</p>")
    for theme in levels.themes:
        out.append(f"<h4>{e(theme['title'])}</h4><p>{e(theme['when'])}</p>")
        out.append(table(["Enhet", "Bedömning", "Resultat"], theme["rows"]))
        if theme["summary"]:
            out.append(f"<p><strong>Sammanfattning:</strong> {e(theme['summary'])}</p>")
    out.append("<h3>Sammanvägd bedömning</h3>")
    out.extend(f"<p>{e(line)}</p>" for line in levels.basis)
    out.append(
        table(["Nivå", "Bedömning"], levels.assessment)
        if levels.assessment
        else "<p>Ingen sammanvägd bedömning gjord för året.</p>"
    )
    return out


def add_to_docx(
    document: Any, levels: Levels, table: Callable[[Any, list[str], list[list[str]]], None]
) -> None:
    document.add_heading("Uppdrags- och avtalsuppföljning", level=2)
    table(document, ASSIGNMENT_HEADINGS, levels.assignments)
    document.add_heading("Tematisk uppföljning", level=2)
    if not levels.themes:
        document.add_paragraph("Inga tematiska uppföljningar under året.")
    for theme in levels.themes:
        document.add_paragraph(theme["title"], style="Heading 3")
        document.add_paragraph(theme["when"])
        table(document, ["Enhet", "Bedömning", "Resultat"], theme["rows"])
        if theme["summary"]:
            document.add_paragraph(f"Sammanfattning: {theme['summary']}")
    document.add_heading("Sammanvägd bedömning", level=2)
    for line in levels.basis:
        document.add_paragraph(line)
    table(document, ["Nivå", "Bedömning"], levels.assessment)
