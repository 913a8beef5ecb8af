"""Measures: aggregating values from the enheter (nivå 3) to the verksamhetsuppdrag (nivå 2),
and importing values from CSV.

The aggregation rule is the measure's own:

    sum    the enheter's values added up             antal genomförandeplaner, platser
    mean   the plain mean of the enheter's values    väntetid i dagar (each enhet counts once)
    rate   sum of numerators / sum of denominators   andel avslutade enligt plan

A rate is **not** the mean of the enheter's rates: 3 of 4 in one enhet and 1 of 6 in another
is 4 of 10 (0.4) for the uppdrag, not (0.75 + 0.167) / 2. Enheter that reported nothing are
left out (and counted: ``reported`` of ``expected``), never taken as zero.

An enhet's own measure (nivå 3 of its own, seed 003: "Tas fram per enhet") is not combined:
no other enhet reports it, so its figure is that enhet's, and ``local`` says so. The seed has
the enheter develop these themselves, for their own follow-up, with nivå 2 analysing them;
summing one enhet's figure into the uppdrag's would pass it off as the whole uppdrag's.

The year ("2026") is what was entered for it, if anything was; otherwise it is built from the
three tertials ("2026-T1".."T3") by the measure's year rule (``year_figure``):

    sum    the tertials added up              insatser avslutade: each happened in one tertial
    mean   the mean of the tertials reported  platser, årsarbetare: a stock, counted thrice
    last   the last tertial reported          kö vid årets slut

A rate adds numerators and denominators over the tertials (last: the last tertial's pair), so
its year is again a share of the whole. ``from_tertials`` says the figure was built, and
``tertials`` how many of the three it was built from: a sum of two tertials is not a year.

Staff of one enhet see the uppdrag's figure and their own, not the other enheter's. With
exactly one other enhet reporting, the figure and their own give that enhet's away (8 in all,
5 of them ours: 3 theirs), so the uppdrag's figure is then ``withheld``: shown only where at
least two reporting enheter are beyond the reader's, or none are.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.i18n import _, _l, localize_reasons
from server.models import MeasureValue, QualityMeasure, Unit
from server.services.access import Principal
from server.services.errors import InvalidInput, NotFound
from server.services.quality import TABLES, enheter_of, live_unit, measure_value_id, verksamhet_of


@dataclass(frozen=True)
class UnitFigure:
    unit_id: uuid.UUID
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None


@dataclass
class Aggregate:
    measure_id: uuid.UUID
    period: str
    aggregation: str
    value: float | None
    numerator: float | None
    denominator: float | None
    reported: int
    expected: int
    per_unit: list[UnitFigure] = field(default_factory=list)
    # True if the figure would give away a single enhet the reader may not see.
    withheld: bool = False
    # An enhet's own measure: its one enhet's figure, shown as that enhet's at nivå 2.
    local: bool = False


def combine(aggregation: str, figures: Sequence[UnitFigure]) -> tuple[float | None, ...]:
    """(value, numerator, denominator) for the whole uppdrag from the enheter's figures."""
    if aggregation == "rate":
        pairs = [
            (f.numerator, f.denominator)
            for f in figures
            if f.numerator is not None and f.denominator is not None
        ]
        if not pairs:
            return (None, None, None)
        numerator = sum(n for n, _ in pairs)
        denominator = sum(d for _, d in pairs)
        return (numerator / denominator if denominator else None, numerator, denominator)
    values = [f.value for f in figures if f.value is not None]
    if not values:
        return (None, None, None)
    if aggregation == "sum":
        return (sum(values), None, None)
    if aggregation == "mean":
        return (sum(values) / len(values), None, None)
    raise ValueError(f"unknown aggregation {aggregation!r}")


def reported(aggregation: str, figure: UnitFigure) -> bool:
    if aggregation == "rate":
        return figure.numerator is not None and figure.denominator is not None
    return figure.value is not None


def aggregate_measure(
    session: Session, principal: Principal, measure_id: uuid.UUID, period: str
) -> Aggregate:
    measure = session.get(QualityMeasure, measure_id)
    if measure is None or measure.deleted or not principal.reads_definitions_of(measure.unit_id):
        raise NotFound(_("No such measure."))
    owner = session.get_one(Unit, measure.unit_id)
    local = owner.kind == "se_enhet"
    # An enhet's own measure is reported by it alone: nothing to combine across enheter.
    units = [owner] if measure.level == 2 or local else enheter_of(session, owner)
    stored = {
        v.unit_id: v
        for v in session.scalars(
            select(MeasureValue).where(
                MeasureValue.measure_id == measure.id,
                MeasureValue.period == period,
                MeasureValue.deleted.is_(False),
            )
        )
    }
    figures = []
    for unit in units:
        v = stored.get(unit.id)
        figures.append(
            UnitFigure(unit.id, v.value, v.numerator, v.denominator) if v else UnitFigure(unit.id)
        )
    value, numerator, denominator = combine(measure.aggregation, figures)
    unseen = [
        f
        for f in figures
        if reported(measure.aggregation, f) and not principal.can("read_plans", f.unit_id)
    ]
    withheld = measure.level == 3 and len(unseen) == 1
    if withheld:
        value = numerator = denominator = None
    return Aggregate(
        measure_id=measure.id,
        period=period,
        aggregation=measure.aggregation,
        value=value,
        numerator=numerator,
        denominator=denominator,
        reported=sum(reported(measure.aggregation, f) for f in figures),
        expected=len(units),
        # Staff of one enhet see the uppdrag's figure, but not the other enheter's own.
        per_unit=[f for f in figures if principal.can("read_plans", f.unit_id)],
        withheld=withheld,
        local=local,
    )


# ---- the year from its tertials ------------------------------------------------------------

TERTIAL_SUFFIXES = ("T1", "T2", "T3")


def build_year(
    rule: str, aggregation: str, tertials: Sequence[UnitFigure | None]
) -> tuple[tuple[float | None, float | None, float | None], int]:
    """((value, numerator, denominator), tertials used) of a year from its tertials' figures
    (None or unreported: left out, never taken as zero). Pure, for unit tests."""
    given = [f for f in tertials if f is not None and reported(aggregation, f)]
    if not given:
        return (None, None, None), 0
    if rule == "last":
        last = given[-1]
        return (last.value, last.numerator, last.denominator), 1
    if aggregation == "rate":
        value, numerator, denominator = combine("rate", given)
        return (value, numerator, denominator), len(given)
    values = [f.value for f in given if f.value is not None]
    total = sum(values)
    return ((total / len(values) if rule == "mean" else total), None, None), len(given)


@dataclass
class YearFigure:
    """A measure's figure for a year: for the uppdrag by the measure's aggregation rule over
    each enhet's year, and each enhet's year (the ones the reader sees)."""

    measure_id: uuid.UUID
    year: int
    value: float | None
    numerator: float | None
    denominator: float | None
    # Built from tertials (for at least one enhet), and the fewest tertials an enhet's built
    # year rests on (3: complete; 0 when every year was entered as such).
    from_tertials: bool
    tertials: int
    reported: int
    expected: int
    per_unit: list[UnitFigure] = field(default_factory=list)
    withheld: bool = False
    local: bool = False
    # The economic key figure of that year, and the value set against it.
    cost_per_unit: float | None = None
    cost: float | None = None
    # The units whose year was built from tertials, and from how many.
    built_from: dict[uuid.UUID, int] = field(default_factory=dict)


def unit_year(
    aggregation: str, rule: str, entered: UnitFigure | None, tertials: Sequence[UnitFigure | None]
) -> tuple[UnitFigure | None, int | None]:
    """One unit's year: what it entered for the year, else built from its tertials.
    (figure, tertials used): None tertials when entered, and no figure when nothing was."""
    if entered is not None and reported(aggregation, entered):
        return entered, None
    (value, numerator, denominator), used = build_year(rule, aggregation, tertials)
    if not used:
        return None, 0
    unit_id = next(f.unit_id for f in tertials if f is not None)
    return UnitFigure(unit_id, value, numerator, denominator), used


def year_figure(
    session: Session, principal: Principal, measure_id: uuid.UUID, year: int
) -> YearFigure:
    """The measure's year for the uppdrag and per enhet (see the module docstring)."""
    measure = session.get(QualityMeasure, measure_id)
    if measure is None or measure.deleted or not principal.reads_definitions_of(measure.unit_id):
        raise NotFound(_("No such measure."))
    owner = session.get_one(Unit, measure.unit_id)
    local = owner.kind == "se_enhet"
    units = [owner] if measure.level == 2 or local else enheter_of(session, owner)
    periods = [str(year), *(f"{year}-{t}" for t in TERTIAL_SUFFIXES)]
    stored: dict[tuple[uuid.UUID, str], UnitFigure] = {
        (v.unit_id, v.period): UnitFigure(v.unit_id, v.value, v.numerator, v.denominator)
        for v in session.scalars(
            select(MeasureValue).where(
                MeasureValue.measure_id == measure.id,
                MeasureValue.period.in_(periods),
                MeasureValue.deleted.is_(False),
            )
        )
    }
    rule = measure.year_rule_or_default()
    figures: list[UnitFigure] = []
    built_from: dict[uuid.UUID, int] = {}
    for unit in units:
        figure, tertials = unit_year(
            measure.aggregation,
            rule,
            stored.get((unit.id, periods[0])),
            [stored.get((unit.id, p)) for p in periods[1:]],
        )
        figures.append(figure or UnitFigure(unit.id))
        if tertials is not None and figure is not None:
            built_from[unit.id] = tertials
    value, numerator, denominator = combine(measure.aggregation, figures)
    unseen = [
        f
        for f in figures
        if reported(measure.aggregation, f) and not principal.can("read_plans", f.unit_id)
    ]
    withheld = measure.level == 3 and len(unseen) == 1
    if withheld:
        value = numerator = denominator = None
    cost_per_unit = (measure.costs or {}).get(str(year))
    cost = None
    if value is not None and cost_per_unit is not None and measure.aggregation != "rate":
        cost = value * cost_per_unit
    return YearFigure(
        measure_id=measure.id,
        year=year,
        value=value,
        numerator=numerator,
        denominator=denominator,
        from_tertials=bool(built_from),
        tertials=min(built_from.values(), default=0),
        reported=sum(reported(measure.aggregation, f) for f in figures),
        expected=len(units),
        per_unit=[f for f in figures if principal.can("read_plans", f.unit_id)],
        withheld=withheld,
        local=local,
        cost_per_unit=cost_per_unit,
        cost=cost,
        built_from=built_from,
    )


# ---- CSV import ------------------------------------------------------------------------------

# Header names accepted (lower case), Swedish first.
COLUMNS = {
    "unit": ("enhet", "unit"),
    "measure": ("mått", "matt", "measure"),
    "period": ("period",),
    "value": ("värde", "varde", "value"),
    "numerator": ("täljare", "taljare", "numerator"),
    "denominator": ("nämnare", "namnare", "denominator"),
    "note": ("kommentar", "note"),
}
MAX_ROWS = 5000


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


def import_values(
    session: Session, principal: Principal, verksamhet_id: uuid.UUID, text: str
) -> ImportResult:
    """Import measure values from CSV (``;`` or ``,``, decimal comma allowed): one row per
    enhet, measure and period. Enheter and measures are named as in Følg. All or nothing: any
    bad row refuses the whole file, naming each bad row and why.

    ``verksamhet_id`` is a verksamhet (its enheter and itself may appear in the file) or one
    enhet (only it may appear; the measures are its verksamhet's)."""
    unit = live_unit(session, verksamhet_id)
    principal.require("write_items", unit.id, "unit")
    if unit.kind == "se_verksamhet":
        verksamhet: Unit = unit
        units = {u.name.casefold(): u for u in [unit, *enheter_of(session, unit)]}
    else:
        verksamhet = verksamhet_of(session, unit) or unit
        units = {unit.name.casefold(): unit}
    measures = {
        m.name.casefold(): m
        for m in session.scalars(
            select(QualityMeasure).where(
                QualityMeasure.unit_id == verksamhet.id, QualityMeasure.deleted.is_(False)
            )
        )
    }
    local_measures = {
        (m.unit_id, m.name.casefold()): m
        for m in session.scalars(
            select(QualityMeasure).where(
                QualityMeasure.unit_id.in_([u.id for u in units.values()]),
                QualityMeasure.deleted.is_(False),
            )
        )
        if m.unit_id != verksamhet.id
    }
    rows = _read_csv(text)
    schema = _value_schema()
    errors: dict[str, list[str]] = {}
    loaded: list[dict[str, Any]] = []
    for number, raw in rows:
        problems: list[str] = []
        target = units.get((raw.get("unit") or "").strip().casefold())
        measure_name = (raw.get("measure") or "").strip().casefold()
        # The enhet's own measure of that name, else its verksamhet's.
        measure = local_measures.get((target.id, measure_name)) if target else None
        measure = measure or measures.get(measure_name)
        if target is None:
            problems.append(f"No enhet called {raw.get('unit')!r} in this verksamhet.")
        if measure is None:
            problems.append(f"No measure called {raw.get('measure')!r} in this verksamhet.")
        if problems:
            errors[f"row {number}"] = problems
            continue
        body = {
            "measure_id": str(measure.id),  # type: ignore[union-attr]
            "unit_id": str(target.id),  # type: ignore[union-attr]
            "period": (raw.get("period") or "").strip(),
            **{
                name: _number(raw.get(name))
                for name in ("value", "numerator", "denominator")
                if (raw.get(name) or "").strip()
            },
        }
        if (raw.get("note") or "").strip():
            body["note"] = raw["note"].strip()
        messages = schema.validate(body)
        if messages:
            errors[f"row {number}"] = [
                f"{k}: {', '.join(map(str, v))}" for k, v in localize_reasons(messages).items()
            ]
            continue
        loaded.append(schema.load(body))
    if errors:
        raise InvalidInput(_("Some rows of the file are not valid; nothing was imported."), errors)
    result = ImportResult()
    writer = TABLES["measure_values"]
    for values in loaded:
        cell = measure_value_id(values["measure_id"], values["unit_id"], values["period"])
        existing = session.get(MeasureValue, cell)
        try:
            if existing is not None and not existing.deleted:
                changes = {
                    k: v
                    for k, v in values.items()
                    if k in ("value", "numerator", "denominator", "note")
                }
                writer.update(session, principal, existing, changes)
                result.updated += 1
            else:
                writer.create(session, principal, values, cell)
                result.created += 1
        except InvalidInput as error:
            raise InvalidInput(
                _("Some rows of the file are not valid; nothing was imported."),
                {f"period {values['period']}": [error.message]},
            ) from None
    return result


def _value_schema():
    from server.schemas.quality import MeasureValueWriteSchema

    return MeasureValueWriteSchema()


def _number(text: str | None) -> Any:
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return text  # the schema says what is wrong with it


def _read_csv(text: str) -> list[tuple[int, dict[str, str]]]:
    try:
        return _read_csv_rows(text)
    except csv.Error:  # such as a field longer than csv.field_size_limit() (131,072)
        raise InvalidInput(
            _("The file cannot be read as CSV."), {"csv": [CSV_UNREADABLE]}
        ) from None


CSV_UNREADABLE = _l(
    "Not readable as CSV: a field longer than %(limit)s characters, or a stray quote.",
    limit=csv.field_size_limit(),
)


def _read_csv_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise InvalidInput(_("The file is empty."), {"csv": [_("No header row.")]})
    names: list[str | None] = []
    for cell in header:
        cell = cell.strip().casefold()
        names.append(next((key for key, aliases in COLUMNS.items() if cell in aliases), None))
    missing = [COLUMNS[k][0] for k in ("unit", "measure", "period") if k not in names]
    if missing:
        raise InvalidInput(
            _("The header row lacks columns."),
            {"csv": [_("Missing column: %(column)s", column=m) for m in missing]},
        )
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append((number, {n: c for n, c in zip(names, cells, strict=False) if n}))
        if len(rows) > MAX_ROWS:
            raise InvalidInput(
                _("Too many rows."), {"csv": [_("At most %(rows)s rows.", rows=MAX_ROWS)]}
            )
    return rows
