"""The yearly analysis of the individual follow-up and the measures (seed 004, section 3).

Seed 004 analyses in April what the three compilations of the year show, asking: "Har
verksamheten relevanta insatser för de hjälpbehov som klienterna har, uppnås de förväntade
målen, skiljer sig detta mellan olika grupper av klienter?", and compares "med tidigare
resultat". So, for a unit and a year:

    periods   T1, T2, T3 and the year: cases that ran, cases ended and their outcomes
              (ended according to plan, interrupted, needs met, situation improved). Ended
              cases add up over the tertials; cases that ran do not (a case running from
              March to June is one case in the year, and in T1 and in T2)
    groups    the year's ended cases split by intervention, age band and gender, with the
              same outcomes per group; groups smaller than MIN_GROUP are withheld
              (``quality_pseudonymity.suppressed_groups``): groups, never people
    years     the same outcomes for this year and the ones before it
    measures  each measure's year, entered or built from the tertials, for the same years,
              set against its economic key figure where one is entered
              (``quality_measures.year_figure``)

Only counts leave this module. ``analyse_cases`` is pure (the PWA's ``analyseCases`` in
``quality_model.js`` is its mirror, held to the same fixture by both test suites).
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.i18n import _
from server.models import CaseRecord, QualityMeasure, Unit
from server.services.access import Principal
from server.services.errors import NotFound
from server.services.quality import enheter_of, verksamhet_of
from server.services.quality_compilation import UNKNOWN, period_bounds
from server.services.quality_measures import YearFigure, year_figure
from server.services.quality_pseudonymity import MIN_GROUP, suppressed_groups

DIMENSIONS = ("intervention", "age_band", "gender")
MAX_YEARS = 10


@dataclass
class Outcomes:
    """Cases that ran in a period, and what came of those that ended in it."""

    cases: int = 0
    ended: int = 0
    planned: int = 0  # ended according to plan
    interrupted: int = 0
    needs_met: int = 0  # "yes" (partly is not met)
    improved: int = 0  # situation after: improved


@dataclass
class PeriodOutcomes(Outcomes):
    period: str = ""  # "T1", "T2", "T3" or "year"


@dataclass
class YearOutcomes(Outcomes):
    year: int = 0


@dataclass
class GroupOutcomes:
    dimension: str
    group: str
    # None when the group is withheld (smaller than MIN_GROUP, or giving one away).
    ended: int | None
    planned: int | None
    interrupted: int | None
    needs_met: int | None
    improved: int | None
    withheld: bool


@dataclass
class CaseAnalysis:
    periods: list[PeriodOutcomes]
    groups: list[GroupOutcomes]
    years: list[YearOutcomes]
    min_group: int = MIN_GROUP


def _ran(case: Any, start: date, end: date) -> bool:
    return case.started_on <= end and (case.ended_on is None or case.ended_on >= start)


def _ended(case: Any, start: date, end: date) -> bool:
    return case.ended_on is not None and start <= case.ended_on <= end


AnyOutcomes = TypeVar("AnyOutcomes", bound=Outcomes)


def outcomes_of(cases: Iterable[Any], start: date, end: date, into: AnyOutcomes) -> AnyOutcomes:
    for case in cases:
        if not _ran(case, start, end):
            continue
        into.cases += 1
        if _ended(case, start, end):
            into.ended += 1
            into.planned += case.end_reason == "planned"
            into.interrupted += case.end_reason == "interrupted"
            into.needs_met += case.needs_met == "yes"
            into.improved += case.situation_after == "improved"
    return into


def group_of(case: Any, dimension: str) -> str:
    return getattr(case, dimension) or UNKNOWN


def analyse_cases(cases: list[Any], year: int, years: int = 3) -> CaseAnalysis:
    """The analysis of ``cases`` for ``year`` and the ``years - 1`` years before it."""
    periods = []
    for tertial in (1, 2, 3, None):
        start, end = period_bounds(year, tertial)
        label = f"T{tertial}" if tertial else "year"
        periods.append(outcomes_of(cases, start, end, PeriodOutcomes(period=label)))
    start, end = period_bounds(year, None)
    ended = [c for c in cases if _ended(c, start, end)]
    groups: list[GroupOutcomes] = []
    for dimension in DIMENSIONS:
        sizes = Counter(group_of(c, dimension) for c in ended)
        hidden = suppressed_groups(dict(sizes))
        for group in sorted(sizes, key=lambda g: (g == UNKNOWN, g)):
            if group in hidden:
                groups.append(GroupOutcomes(dimension, group, None, None, None, None, None, True))
                continue
            of_group = [c for c in ended if group_of(c, dimension) == group]
            o = outcomes_of(of_group, start, end, Outcomes())
            groups.append(
                GroupOutcomes(
                    dimension,
                    group,
                    o.ended,
                    o.planned,
                    o.interrupted,
                    o.needs_met,
                    o.improved,
                    False,
                )
            )
    by_year = []
    for earlier in range(year - years + 1, year + 1):
        first, last = period_bounds(earlier, None)
        by_year.append(outcomes_of(cases, first, last, YearOutcomes(year=earlier)))
    return CaseAnalysis(periods, groups, by_year)


@dataclass
class MeasureYears:
    measure_id: uuid.UUID
    name: str
    kind: str
    resource: str | None
    unit_of_measure: str
    aggregation: str
    local: bool
    cost_label: str | None
    years: list[YearFigure] = field(default_factory=list)


@dataclass
class Analysis:
    unit_id: uuid.UUID
    year: int
    cases: CaseAnalysis
    measures: list[MeasureYears]


def analyse(
    session: Session, principal: Principal, unit_id: uuid.UUID, year: int, years: int = 3
) -> Analysis:
    """The analysis of a unit (a verksamhet with its enheter, or one enhet) for a year and the
    years before it."""
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted or not principal.can("read_plans", unit.id):
        raise NotFound(_("No such unit."))
    years = max(1, min(years, MAX_YEARS))
    units = [unit, *enheter_of(session, unit)] if unit.kind == "se_verksamhet" else [unit]
    cases = list(
        session.scalars(
            select(CaseRecord).where(
                CaseRecord.unit_id.in_([u.id for u in units]),
                CaseRecord.deleted.is_(False),
                CaseRecord.started_on <= date(year, 12, 31),
            )
        )
    )
    return Analysis(
        unit.id,
        year,
        analyse_cases(cases, year, years),
        _measures(session, principal, unit, year, years),
    )


def _measures(
    session: Session, principal: Principal, unit: Unit, year: int, years: int
) -> list[MeasureYears]:
    """The verksamhet's measures and the unit's own (an enhet's nivå 3 of its own); for an
    enhet, its own figure of each nivå 3 measure."""
    verksamhet = verksamhet_of(session, unit)
    if verksamhet is None:
        return []
    owners = [verksamhet.id] + ([unit.id] if unit.id != verksamhet.id else [])
    if unit.id == verksamhet.id:
        owners += [
            e.id for e in enheter_of(session, verksamhet) if principal.can("read_plans", e.id)
        ]
    measures = session.scalars(
        select(QualityMeasure)
        .where(QualityMeasure.unit_id.in_(owners), QualityMeasure.deleted.is_(False))
        .order_by(QualityMeasure.kind, QualityMeasure.name)
    ).all()
    out = []
    for measure in measures:
        if unit.id != verksamhet.id and measure.level == 2:
            continue
        row = MeasureYears(
            measure.id,
            measure.name,
            measure.kind,
            measure.resource,
            measure.unit_of_measure,
            measure.aggregation,
            measure.unit_id != verksamhet.id,
            measure.cost_label,
        )
        for earlier in range(year - years + 1, year + 1):
            figure = year_figure(session, principal, measure.id, earlier)
            row.years.append(
                enhet_view(figure, unit, measure.aggregation)
                if unit.id != verksamhet.id
                else figure
            )
        out.append(row)
    return out


def enhet_view(figure: YearFigure, unit: Unit, aggregation: str) -> YearFigure:
    """An enhet's own year of a measure, with its key figure set against it."""
    own = next((f for f in figure.per_unit if f.unit_id == unit.id), None)
    value = own.value if own else None
    built = figure.built_from.get(unit.id)
    cost = None
    if value is not None and figure.cost_per_unit is not None and aggregation != "rate":
        cost = value * figure.cost_per_unit
    return YearFigure(
        measure_id=figure.measure_id,
        year=figure.year,
        value=value,
        numerator=own.numerator if own else None,
        denominator=own.denominator if own else None,
        from_tertials=built is not None,
        tertials=built or 0,
        reported=int(value is not None),
        expected=1,
        per_unit=[own] if own else [],
        local=figure.local,
        cost_per_unit=figure.cost_per_unit,
        cost=cost,
    )
