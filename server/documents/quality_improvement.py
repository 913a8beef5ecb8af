"""The kvalitetsberättelse's part on the systematic improvement work of SOSFS 2011:9, 5 kap
(seed 004, section 1: "riskanalyser, egenkontroll, utredning av avvikelser"):

    Riskanalyser    each riskanalys of the year: the event, its risk (probability × consequence),
                    the measures with who and by when, the follow-up, and the handlingsplan rows
                    it led to with their state
    Egenkontroll    each checklist run of the year: the checklist, who ran it, its state and
                    how the points were answered; then each deviation found and what became of
                    it (a register entry, a handlingsplan row with its state, or nothing yet)

The year of a riskanalys is the year it was made (``analysed_on``), of a run the day it was
carried out (``run_on``). Kept apart from ``quality_report.py`` as ``quality_levels.py`` is: the
report calls ``build_improvement`` and hands its table helpers to the two renderers.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.documents.formats import format_date
from server.documents.labels import sv
from server.models import (
    Checklist,
    ChecklistAnswer,
    ChecklistRun,
    PlanItem,
    QualityLink,
    RegisterEntry,
    RiskAnalysis,
    Unit,
)
from server.services.access import Principal

LANGUAGE = "sv"
AREA = {
    "log_review": "Loggkontroll",
    "documentation": "Dokumentation",
    "fire_safety": "Brandskydd",
    "basic_hygiene": "Basal hygien",
    "other": "Övrigt",
}
RUN_STATE = {"in_progress": "Pågår", "done": "Genomförd"}
ANSWER = {"ok": "uppfyllt", "deviation": "avvikelse", "not_applicable": "ej aktuellt"}
NOTHING_YET = "Ingen åtgärd registrerad"

RISK_HEADINGS = [
    "Datum",
    "Enhet",
    "Händelse",
    "Risk (sannolikhet × konsekvens)",
    "Åtgärder",
    "Uppföljning",
    "Handlingsplan",
]
RUN_HEADINGS = ["Datum", "Enhet", "Checklista", "Utförd av", "Status", "Svar", "Sammanfattning"]
DEVIATION_HEADINGS = ["Datum", "Enhet", "Checklista", "Punkt", "Iakttagelse", "Vad som gjorts"]


@dataclass
class Improvement:
    risks: list[list[str]] = field(default_factory=list)
    runs: list[list[str]] = field(default_factory=list)
    deviations: list[list[str]] = field(default_factory=list)


def _date(value: date | None) -> str:
    return format_date(value, LANGUAGE)


def build_improvement(
    session: Session, principal: Principal, unit_ids: list[uuid.UUID], year: int
) -> Improvement:
    """The year's riskanalyser and egenkontroller of the units the report covers, as the user
    may read them."""
    out = Improvement()
    readable = [u for u in unit_ids if principal.can("read_plans", u)]
    if not readable:
        return out
    names = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(readable))).all())
    first, last = date(year, 1, 1), date(year, 12, 31)
    risks = session.scalars(
        select(RiskAnalysis)
        .where(
            RiskAnalysis.unit_id.in_(readable),
            RiskAnalysis.deleted.is_(False),
            RiskAnalysis.analysed_on.between(first, last),
        )
        .order_by(RiskAnalysis.analysed_on, RiskAnalysis.seq)
    ).all()
    runs = session.scalars(
        select(ChecklistRun)
        .where(
            ChecklistRun.unit_id.in_(readable),
            ChecklistRun.deleted.is_(False),
            ChecklistRun.run_on.between(first, last),
        )
        .order_by(ChecklistRun.run_on, ChecklistRun.seq)
    ).all()
    answers: dict[uuid.UUID, list[ChecklistAnswer]] = {}
    if runs:
        for answer in session.scalars(
            select(ChecklistAnswer).where(
                ChecklistAnswer.run_id.in_([r.id for r in runs]),
                ChecklistAnswer.deleted.is_(False),
            )
        ):
            answers.setdefault(answer.run_id, []).append(answer)
    deviations = [a for run in runs for a in answers.get(run.id, []) if a.answer == "deviation"]
    items = _items(session, [r.id for r in risks] + [a.id for a in deviations])
    entries = _entries(session, [a.id for a in deviations])

    for risk in risks:
        who_when = ", ".join(
            part
            for part in (
                f"ansvarig: {risk.responsible}" if risk.responsible else "",
                f"klart senast {_date(risk.due_date)}" if risk.due_date else "",
            )
            if part
        )
        # The follow-up date is when it is to be followed up; the text how that went.
        if risk.follow_up:
            when = f"{_date(risk.follow_up_date)}: " if risk.follow_up_date else ""
            follow_up = f"{when}{risk.follow_up}"
        elif risk.follow_up_date:
            follow_up = f"Följs upp {_date(risk.follow_up_date)}"
        else:
            follow_up = ""
        out.risks.append(
            [
                _date(risk.analysed_on),
                names.get(risk.unit_id, ""),
                risk.event,
                f"{risk.probability} × {risk.consequence} = {risk.probability * risk.consequence}",
                (risk.measures or "") + (f" ({who_when})" if who_when else ""),
                follow_up or "Inte uppföljd",
                "\n".join(items.get(risk.id, [])) or "Ingen",
            ]
        )

    checklists = {
        c.id: c
        for c in session.scalars(
            select(Checklist).where(Checklist.id.in_({r.checklist_id for r in runs}))
        )
    }
    for run in runs:
        checklist = checklists.get(run.checklist_id)
        name = _checklist_name(checklist)
        counts = Counter(a.answer for a in answers.get(run.id, []) if a.answer)
        total = len(checklist.points) if checklist is not None else sum(counts.values())
        answered = ", ".join(f"{counts[k]} {ANSWER[k]}" for k in ANSWER if counts[k])
        out.runs.append(
            [
                _date(run.run_on),
                names.get(run.unit_id, ""),
                name,
                run.performed_by or "",
                RUN_STATE.get(run.state, run.state),
                f"{sum(counts.values())} av {total} punkter besvarade"
                + (f": {answered}" if answered else ""),
                run.summary or "",
            ]
        )
        for answer in sorted(
            (a for a in answers.get(run.id, []) if a.answer == "deviation"),
            key=lambda a: _point_position(checklist, a.point_id),
        ):
            done = entries.get(answer.id, []) + items.get(answer.id, [])
            out.deviations.append(
                [
                    _date(run.run_on),
                    names.get(run.unit_id, ""),
                    name,
                    answer.point_text,
                    answer.note or "",
                    "\n".join(done) or NOTHING_YET,
                ]
            )
    return out


def _checklist_name(checklist: Checklist | None) -> str:
    if checklist is None:
        return ""
    area = AREA.get(checklist.area, "")
    return checklist.name if not area or area == checklist.name else f"{checklist.name} ({area})"


def _point_position(checklist: Checklist | None, point_id: uuid.UUID) -> int:
    ids = [str(p.get("id")) for p in (checklist.points if checklist else [])]
    return ids.index(str(point_id)) if str(point_id) in ids else len(ids)


def _items(session: Session, source_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The handlingsplan rows linked to each source row: "Åtgärd (Pågår)"."""
    found: dict[uuid.UUID, list[str]] = {}
    if not source_ids:
        return found
    rows = session.execute(
        select(QualityLink.source_id, PlanItem.topic, PlanItem.goal, PlanItem.state)
        .join(PlanItem, PlanItem.id == QualityLink.plan_item_id)
        .where(
            QualityLink.source_id.in_(source_ids),
            QualityLink.source_table.in_(("risk_analyses", "checklist_answers")),
            QualityLink.deleted.is_(False),
            PlanItem.deleted.is_(False),
        )
        .order_by(PlanItem.priority)
    )
    for source_id, topic, goal, state in rows:
        found.setdefault(source_id, []).append(
            f"Handlingsplan: {topic or goal or ''} ({sv.ITEM_STATES.get(state, state)})"
        )
    return found


def _entries(session: Session, answer_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """The register entries that record each deviation: "Avvikelse i registret: rubrik"."""
    found: dict[uuid.UUID, list[str]] = {}
    if not answer_ids:
        return found
    from server.documents.quality_report import LABELS

    for entry in session.scalars(
        select(RegisterEntry)
        .where(
            RegisterEntry.checklist_answer_id.in_(answer_ids),
            RegisterEntry.deleted.is_(False),
        )
        .order_by(RegisterEntry.entry_date)
    ):
        answer_id = entry.checklist_answer_id
        if answer_id is None:  # the query names only entries of a deviation
            continue
        kind = LABELS["register"].get(entry.kind, entry.kind)
        found.setdefault(answer_id, []).append(
            f"{kind} i registret {_date(entry.entry_date)}: {entry.title}"
        )
    return found


def render_html(
    improvement: Improvement, table: Callable[[list[str], list[list[str]]], str]
) -> list[str]:
    out = ["<h3>Riskanalyser</h3>"]
    out.append(
        table(RISK_HEADINGS, improvement.risks)
        if improvement.risks
        else "<p>Inga riskanalyser under året.</p>"
    )
    out.append("<h3>Egenkontroll</h3>")
    if not improvement.runs:
        out.append("<p>Inga egenkontroller under året.</p>")
        return out
    out.append(table(RUN_HEADINGS, improvement.runs))
    out.append("<h4>Avvikelser i egenkontrollerna och vad som gjorts</h4>")
    out.append(
        table(DEVIATION_HEADINGS, improvement.deviations)
        if improvement.deviations
        else "<p>Inga avvikelser.</p>"
    )
    return out


def add_to_docx(
    document: Any,
    improvement: Improvement,
    table: Callable[[Any, list[str], list[list[str]]], None],
) -> None:
    document.add_heading("Riskanalyser", level=2)
    if improvement.risks:
        table(document, RISK_HEADINGS, improvement.risks)
    else:
        document.add_paragraph("Inga riskanalyser under året.")
    document.add_heading("Egenkontroll", level=2)
    if not improvement.runs:
        document.add_paragraph("Inga egenkontroller under året.")
        return
    table(document, RUN_HEADINGS, improvement.runs)
    # Heading 4: the report's Heading 3 paragraphs are the titles of its charts.
    document.add_paragraph("Avvikelser i egenkontrollerna och vad som gjorts", style="Heading 4")
    if improvement.deviations:
        table(document, DEVIATION_HEADINGS, improvement.deviations)
    else:
        document.add_paragraph("Inga avvikelser.")
