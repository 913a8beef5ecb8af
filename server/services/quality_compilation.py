"""The compilation of the individual follow-up, three times a year (seed 004, bilaga 4).

For a tertial (T1 January-April, T2 May-August, T3 September-December) or a whole year, per
enhet and for the verksamhet together:

- **cases in the period** (started on or before its last day, not ended before its first):
  counted by intervention, age band, gender and each need identified at the start;
- **cases ended in the period**: counted by end reason (planned / interrupted), whether the
  intervention met the needs, the situation after, and the interruptions per intervention.

Only counts leave this module: no case code, no free text.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.i18n import _
from server.models import CaseRecord, Unit
from server.services.access import Principal
from server.services.errors import NotFound
from server.services.quality import enheter_of

TERTIALS = {1: (1, 4), 2: (5, 8), 3: (9, 12)}
UNKNOWN = "unknown"


def period_bounds(year: int, tertial: int | None) -> tuple[date, date]:
    if tertial is None:
        return date(year, 1, 1), date(year, 12, 31)
    first_month, last_month = TERTIALS[tertial]
    if last_month == 12:
        return date(year, first_month, 1), date(year, 12, 31)
    return date(year, first_month, 1), date(year, last_month + 1, 1) - timedelta(days=1)


@dataclass
class Counts:
    unit_id: uuid.UUID | None
    unit_name: str
    cases: int = 0
    ended: int = 0
    by_intervention: Counter = field(default_factory=Counter)
    by_age_band: Counter = field(default_factory=Counter)
    by_gender: Counter = field(default_factory=Counter)
    by_need: Counter = field(default_factory=Counter)
    by_end_reason: Counter = field(default_factory=Counter)
    by_needs_met: Counter = field(default_factory=Counter)
    by_situation_after: Counter = field(default_factory=Counter)
    interrupted_by_intervention: Counter = field(default_factory=Counter)

    def add(self, case: Any, start: date, end: date) -> None:
        self.cases += 1
        self.by_intervention[case.intervention] += 1
        self.by_age_band[case.age_band or UNKNOWN] += 1
        self.by_gender[case.gender or UNKNOWN] += 1
        for need in case.needs or []:
            self.by_need[need] += 1
        if case.ended_on is not None and start <= case.ended_on <= end:
            self.ended += 1
            self.by_end_reason[case.end_reason or UNKNOWN] += 1
            self.by_needs_met[case.needs_met or UNKNOWN] += 1
            self.by_situation_after[case.situation_after or UNKNOWN] += 1
            if case.end_reason == "interrupted":
                self.interrupted_by_intervention[case.intervention] += 1


@dataclass
class Compilation:
    unit_id: uuid.UUID
    year: int
    tertial: int | None
    period_start: date
    period_end: date
    total: Counts
    per_unit: list[Counts]


def count_cases(
    cases: Iterable[Any], start: date, end: date, unit_id: uuid.UUID | None, name: str
) -> Counts:
    """Counts of the cases that ran during [start, end]; pure, for unit tests."""
    counts = Counts(unit_id, name)
    for case in cases:
        if case.started_on <= end and (case.ended_on is None or case.ended_on >= start):
            counts.add(case, start, end)
    return counts


def compile_cases(
    session: Session,
    principal: Principal,
    unit_id: uuid.UUID,
    year: int,
    tertial: int | None = None,
) -> Compilation:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted or not principal.can("read_plans", unit.id):
        raise NotFound(_("No such unit."))
    start, end = period_bounds(year, tertial)
    units = [unit, *enheter_of(session, unit)] if unit.kind == "se_verksamhet" else [unit]
    cases = session.scalars(
        select(CaseRecord).where(
            CaseRecord.unit_id.in_([u.id for u in units]),
            CaseRecord.deleted.is_(False),
            CaseRecord.started_on <= end,
        )
    ).all()
    by_unit: dict[uuid.UUID, list[Any]] = {u.id: [] for u in units}
    for case in cases:
        by_unit[case.unit_id].append(case)
    per_unit = [
        count_cases(by_unit[u.id], start, end, u.id, u.name)
        for u in units
        # The verksamhet itself appears only if cases are recorded on it directly.
        if u.kind == "se_enhet" or by_unit[u.id] or len(units) == 1
    ]
    total = count_cases(cases, start, end, unit.id, unit.name)
    return Compilation(unit.id, year, tertial, start, end, total, per_unit)
