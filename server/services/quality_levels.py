"""What the sammanvägd bedömning of a year is drawn from (seed 003: "SoF ansvarar sedan för en
sammanvägd bedömning av kvaliteten för nämndens ansvarsområde"), level by level, for a unit and
everything below it that the user reads:

    individual   the cases of the year (``quality_compilation.compile_cases``): how many ran,
                 how many ended, by end reason and by whether the needs were met
    assignment   the uppdrags-/avtalsuppföljningar of the year, done ones by outcome, all by
                 kind of utförare; the deviations they found and how many a handlingsplan row
                 answers (a ``quality_links`` row points at the deviation)
    thematic     the tematiska uppföljningar of the year, and per theme the units in scope and
                 the outcomes of the results the user may read

A follow-up belongs to the year it was done in, or, not done yet, the year it is planned for.
Only counts leave this module; the texts people wrote stay in their rows. The PWA draws the
same figures from its store (``pwa/src/js/ui/quality/levels_model.js``), so the screen works
offline; the kvalitetsberättelse reads them from here.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.i18n import _
from server.models import (
    AssignmentFollowUp,
    FollowUpDeviation,
    QualityLink,
    ThematicFollowUp,
    ThematicResult,
    Unit,
)
from server.services.access import Principal
from server.services.errors import NotFound
from server.services.quality import units_below, verksamhet_of
from server.services.quality_compilation import compile_cases


def in_year(done_on: date | None, planned_on: date | None, year: int) -> bool:
    """Whether a follow-up belongs to ``year``: done in it, or planned for it and not done."""
    day = done_on or planned_on
    return day is not None and day.year == year


def area_units(
    session: Session, principal: Principal, unit_id: uuid.UUID
) -> tuple[Unit, list[Unit]]:
    """The unit (readable, Swedish) and the units of its area the user reads: itself and all
    below it."""
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted or not principal.can("read_plans", unit.id):
        raise NotFound(_("No such unit."))
    units = [unit, *units_below(session, unit)]
    return unit, [u for u in units if principal.can("read_plans", u.id)]


def assignment_follow_ups(
    session: Session, unit_ids: list[uuid.UUID], year: int
) -> list[AssignmentFollowUp]:
    rows = session.scalars(
        select(AssignmentFollowUp)
        .where(AssignmentFollowUp.unit_id.in_(unit_ids), AssignmentFollowUp.deleted.is_(False))
        .order_by(AssignmentFollowUp.done_on, AssignmentFollowUp.planned_on, AssignmentFollowUp.seq)
    )
    return [r for r in rows if in_year(r.done_on, r.planned_on, year)]


def deviations_of(
    session: Session, follow_up_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[FollowUpDeviation]]:
    found: dict[uuid.UUID, list[FollowUpDeviation]] = {i: [] for i in follow_up_ids}
    if follow_up_ids:
        for deviation in session.scalars(
            select(FollowUpDeviation)
            .where(
                FollowUpDeviation.follow_up_id.in_(follow_up_ids),
                FollowUpDeviation.deleted.is_(False),
            )
            .order_by(FollowUpDeviation.seq)
        ):
            found[deviation.follow_up_id].append(deviation)
    return found


def linked_sources(session: Session, source_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Of these rows, the ones a live handlingsplan link points at."""
    if not source_ids:
        return set()
    return set(
        session.scalars(
            select(QualityLink.source_id).where(
                QualityLink.source_id.in_(source_ids), QualityLink.deleted.is_(False)
            )
        )
    )


def thematic_follow_ups(
    session: Session, unit: Unit, unit_ids: list[uuid.UUID], year: int
) -> list[ThematicFollowUp]:
    """The year's thematic follow-ups of the area, and of the verksamhet above an enhet."""
    owners = set(unit_ids)
    verksamhet = verksamhet_of(session, unit)
    if verksamhet is not None:
        owners.add(verksamhet.id)
    rows = session.scalars(
        select(ThematicFollowUp)
        .where(ThematicFollowUp.unit_id.in_(owners), ThematicFollowUp.deleted.is_(False))
        .order_by(ThematicFollowUp.done_on, ThematicFollowUp.planned_on, ThematicFollowUp.seq)
    )
    return [r for r in rows if in_year(r.done_on, r.planned_on, year)]


def results_of(
    session: Session, follow_up_ids: list[uuid.UUID], unit_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[ThematicResult]]:
    """The results of these follow-ups for these units (the ones the user reads)."""
    found: dict[uuid.UUID, list[ThematicResult]] = {i: [] for i in follow_up_ids}
    if follow_up_ids:
        for result in session.scalars(
            select(ThematicResult).where(
                ThematicResult.follow_up_id.in_(follow_up_ids),
                ThematicResult.unit_id.in_(unit_ids),
                ThematicResult.deleted.is_(False),
            )
        ):
            found[result.follow_up_id].append(result)
    return found


def assessment_basis(
    session: Session, principal: Principal, unit_id: uuid.UUID, year: int
) -> dict[str, Any]:
    unit, units = area_units(session, principal, unit_id)
    unit_ids = [u.id for u in units]
    # Only a unit in scope that the user reads counts its result, as it is only theirs to see.
    readable = {str(u) for u in unit_ids}

    total = compile_cases(session, principal, unit.id, year).total
    individual = {
        "cases": total.cases,
        "ended": total.ended,
        "by_end_reason": dict(total.by_end_reason),
        "by_needs_met": dict(total.by_needs_met),
    }

    follow_ups = assignment_follow_ups(session, unit_ids, year)
    deviations = [
        d for ds in deviations_of(session, [f.id for f in follow_ups]).values() for d in ds
    ]
    answered = linked_sources(session, [d.id for d in deviations])
    assignment = {
        "follow_ups": len(follow_ups),
        "done": sum(1 for f in follow_ups if f.done_on),
        "by_outcome": dict(Counter(f.outcome for f in follow_ups if f.done_on and f.outcome)),
        "by_provider_kind": dict(Counter(f.provider_kind for f in follow_ups)),
        "deviations": len(deviations),
        "deviations_with_action": sum(1 for d in deviations if d.id in answered),
    }

    themes = thematic_follow_ups(session, unit, unit_ids, year)
    results = results_of(session, [t.id for t in themes], unit_ids)
    all_outcomes: Counter = Counter()
    per_theme = []
    for theme in themes:
        in_scope = [r for r in results[theme.id] if str(r.unit_id) in (theme.scope_unit_ids or [])]
        outcomes = Counter(r.outcome for r in in_scope if r.outcome)
        all_outcomes += outcomes
        per_theme.append(
            {
                "follow_up_id": theme.id,
                "theme": theme.theme,
                "done_on": theme.done_on,
                "units": len(theme.scope_unit_ids or []),
                "answered": sum(1 for r in in_scope if r.outcome and str(r.unit_id) in readable),
                "by_outcome": dict(outcomes),
            }
        )
    thematic = {
        "follow_ups": len(themes),
        "done": sum(1 for t in themes if t.done_on),
        "by_outcome": dict(all_outcomes),
        "themes": per_theme,
    }
    return {
        "unit_id": unit.id,
        "year": year,
        "individual": individual,
        "assignment": assignment,
        "thematic": thematic,
    }
