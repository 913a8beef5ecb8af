"""The kvalitetsberättelse: a draft for a year and an enhet or verksamhet, as HTML and .docx.

Seed 004, section 6: how the systematic quality work was carried out during the year, which
actions were taken and which results were reached. The draft is assembled from what Følg
holds, in Swedish, and is meant to be edited by people (the .docx above all):

    1 Så har kvalitetsarbetet bedrivits   the årshjul (done / not done), the quality areas and
                                          their follow-up methods, the basic follow-up register,
                                          the riskanalyser and the egenkontroller with their
                                          deviations and what became of them
                                          (``quality_improvement.py``)
    2 Åtgärder                            handlingsplan items: carried out, ongoing, and what
                                          triggered them (links)
    3 Resultat                            measures per period (aggregated by their rule), the
                                          individual follow-up of the year (counts as bar
                                          charts: SVG in the HTML, PNG from charts.py and a
                                          table in the .docx), survey averages, and the
                                          other follow-up levels (``quality_levels.py``)
    4 Fortsatt arbete                     left for people to write

Only counts and texts people wrote for the follow-up appear; never a case code.
``build_report`` reads (and checks access); the two renderers are pure. The .docx is A4, and
dates and figures are written as a Swedish reader expects ("9 augusti 2021", "4,2", "50 %").
"""

from __future__ import annotations

import html
import io
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from docx import Document
from docx.shared import Pt
from sqlalchemy import select
from sqlalchemy.orm import Session

from server import clock
from server.documents import quality_improvement, quality_levels
from server.documents.charts import Chart, add_chart, bar_chart_png
from server.documents.formats import (
    format_date,
    format_datetime,
    format_figure,
    format_rating,
    format_share,
    slug,
    use_a4,
)
from server.documents.text import xml_safe
from server.i18n import _
from server.models import (
    AnnualTask,
    Plan,
    PlanItem,
    QualityArea,
    QualityLink,
    QualityMeasure,
    RegisterEntry,
    SurveyQuestion,
    SurveyResponse,
    Unit,
)
from server.services.access import Principal
from server.services.errors import NotFound
from server.services.quality import enheter_of, verksamhet_of
from server.services.quality_analysis import DIMENSIONS, CaseAnalysis, analyse
from server.services.quality_compilation import Counts, compile_cases
from server.services.quality_measures import aggregate_measure, year_figure

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE = "sv"  # the kvalitetsberättelse is a Swedish document (SOSFS 2011:9)

LABELS: dict[str, dict[str, str]] = {
    "register": {
        "quality_register": "Kvalitetsregister",
        "national_survey": "Nationell undersökning",
        "deviation": "Avvikelse",
        "lex_sarah": "Lex Sarah",
        "lex_maria": "Lex Maria",
        "complaint": "Synpunkter och klagomål",
        "inspection_report": "Tillsynsrapport",
        "effect_evaluation": "Effektutvärdering",
        "self_inspection": "Egenkontroll",
        "care_deviation": "Vårdavvikelse",
        "patient_safety_report": "Patientsäkerhetsberättelse",
    },
    # The kvalitetsregister, national survey or issuing authority of an entry (seed 003).
    "source": {
        "senior_alert": "Senior alert",
        "palliativa_registret": "Svenska palliativregistret",
        "bpsd": "BPSD-registret",
        "oppna_jamforelser": "Öppna jämförelser",
        "brukarundersokningen": "Brukarundersökningen",
        "kkik": "Kommunens kvalitet i korthet (KKiK)",
        "ivo": "IVO",
        "arbetsmiljoverket": "Arbetsmiljöverket",
        "other": "annan",
    },
    "age_band": {"unknown": "Okänd"},
    "gender": {"female": "Kvinna", "male": "Man", "other": "Annat", "unknown": "Okänt"},
    "end_reason": {"planned": "Enligt plan", "interrupted": "Avbruten", "unknown": "Okänt"},
    "needs_met": {"yes": "Ja", "partly": "Delvis", "no": "Nej", "unknown": "Okänt"},
    "situation_after": {
        "improved": "Förbättrad",
        "unchanged": "Oförändrad",
        "worsened": "Försämrad",
        "unknown": "Okänd",
    },
    "kind": {"structure": "Strukturmått", "process": "Processmått", "result": "Resultatmått"},
    # What a structure measure counts (seed 003).
    "resource": {
        "places": "Volym: platser",
        "hours": "Volym: timmar",
        "persons": "Volym: personer",
        "staff": "Personal: antal",
        "competence": "Personal: kompetensnivå",
        "premises": "Lokaler",
        "queue": "Köer till insatser",
    },
    "dimension": {"intervention": "Insats", "age_band": "Åldersgrupp", "gender": "Kön"},
    "aggregation": {"sum": "summa", "mean": "medelvärde", "rate": "andel (täljare/nämnare)"},
}
PERIODS = ("T1", "T2", "T3", "")  # the tertials, then the year itself


@dataclass
class Report:
    unit_name: str
    year: int
    generated_on: date
    tasks: list[dict[str, Any]] = field(default_factory=list)
    areas: list[dict[str, Any]] = field(default_factory=list)
    register_counts: dict[str, int] = field(default_factory=dict)
    register_entries: list[dict[str, Any]] = field(default_factory=list)
    items_done: list[dict[str, Any]] = field(default_factory=list)
    items_open: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    cases: int = 0
    ended: int = 0
    charts: list[Chart] = field(default_factory=list)
    survey_averages: list[dict[str, Any]] = field(default_factory=list)
    levels: quality_levels.Levels = field(default_factory=quality_levels.Levels)
    # SOSFS 2011:9, 5 kap: the year's riskanalyser and egenkontroller.
    improvement: quality_improvement.Improvement = field(
        default_factory=quality_improvement.Improvement
    )
    # Seed 004's analysis: the tertials and the year, groups of clients, earlier years.
    analysis: CaseAnalysis | None = None
    years: list[int] = field(default_factory=list)
    measure_years: list[dict[str, Any]] = field(default_factory=list)
    key_figures: list[dict[str, Any]] = field(default_factory=list)
    analysis_charts: list[Chart] = field(default_factory=list)
    # Set on an adopted version (``adopted_reports.py``): who adopted it, when, which version.
    adoption: dict[str, Any] | None = None
    conclusions: str = ""


def build_report(
    session: Session, principal: Principal, unit_id: uuid.UUID, year: int, years: int = 3
) -> Report:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted or not principal.can("read_plans", unit.id):
        raise NotFound(_("No such unit."))
    units = [unit, *enheter_of(session, unit)] if unit.kind == "se_verksamhet" else [unit]
    unit_ids = [u.id for u in units]
    verksamhet = verksamhet_of(session, unit)
    report = Report(unit.name, year, clock.now().date())

    report.tasks = [
        {"title": t.title, "due": t.due_date, "done": t.state == "done", "done_on": t.done_on}
        for t in session.scalars(
            select(AnnualTask)
            .where(
                AnnualTask.unit_id.in_(unit_ids + ([verksamhet.id] if verksamhet else [])),
                AnnualTask.year == year,
                AnnualTask.deleted.is_(False),
            )
            .order_by(AnnualTask.due_date)
        )
    ]
    if verksamhet is not None:
        report.areas = [
            {"name": a.name, "methods": a.follow_up_methods or "", "goals": a.process_goals or ""}
            for a in session.scalars(
                select(QualityArea)
                .where(QualityArea.unit_id == verksamhet.id, QualityArea.deleted.is_(False))
                .order_by(QualityArea.position)
            )
        ]
    entries = session.scalars(
        select(RegisterEntry)
        .where(
            RegisterEntry.unit_id.in_(unit_ids),
            RegisterEntry.deleted.is_(False),
            RegisterEntry.entry_date >= date(year, 1, 1),
            RegisterEntry.entry_date <= date(year, 12, 31),
        )
        .order_by(RegisterEntry.entry_date)
    ).all()
    report.register_counts = dict(Counter(LABELS["register"][e.kind] for e in entries))
    unit_names = {u.id: u.name for u in units}
    report.register_entries = [
        {
            "date": e.entry_date,
            "unit": unit_names.get(e.unit_id, ""),
            "kind": LABELS["register"][e.kind]
            + (f" ({LABELS['source'][e.source]})" if e.source else ""),
            "title": e.title,
            "analysis": e.analysis or "",
        }
        for e in entries
    ]
    report.improvement = quality_improvement.build_improvement(session, principal, unit_ids, year)
    _items(session, report, unit_ids, year)
    if verksamhet is not None:
        _measures(session, principal, report, verksamhet, unit, year)
    _cases(session, principal, report, unit, year)
    _surveys(session, report, unit_ids, verksamhet, year)
    report.levels = quality_levels.build_levels(session, principal, unit, unit_ids, year)
    _analysis(session, principal, report, unit, year, years)
    return report


def _items(session: Session, report: Report, unit_ids: list[uuid.UUID], year: int) -> None:
    rows = session.execute(
        select(PlanItem, Plan.title, Unit.name)
        .join(Plan, Plan.id == PlanItem.plan_id)
        .join(Unit, Unit.id == Plan.unit_id)
        .where(
            Plan.unit_id.in_(unit_ids),
            Plan.kind == "se_handlingsplan",
            Plan.deleted.is_(False),
            PlanItem.deleted.is_(False),
            Plan.plan_date <= date(year, 12, 31),
        )
        .order_by(Plan.plan_date, PlanItem.priority)
    ).all()
    triggers = _triggers(session, [item.id for item, _title, _unit in rows])
    for item, plan_title, unit_name in rows:
        entry = {
            "plan": plan_title,
            "unit": unit_name,
            "topic": item.topic or item.goal or "",
            "result": item.result or "",
            "triggered_by": triggers.get(item.id, []),
        }
        if item.state == "done":
            report.items_done.append(entry)
        elif item.state != "cancelled":
            report.items_open.append(entry)


def _triggers(session: Session, item_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    from server.services.quality import SOURCE_MODELS

    found: dict[uuid.UUID, list[str]] = {}
    if not item_ids:
        return found
    links = session.scalars(
        select(QualityLink).where(
            QualityLink.plan_item_id.in_(item_ids), QualityLink.deleted.is_(False)
        )
    )
    for link in links:
        source = session.get(SOURCE_MODELS[link.source_table], link.source_id)
        if source is None or source.deleted:
            continue
        if isinstance(source, RegisterEntry):
            text = f"{LABELS['register'][source.kind]}: {source.title}"
        elif isinstance(source, QualityMeasure):
            text = f"Mått: {source.name}"
        elif isinstance(source, SurveyQuestion):
            text = f"Enkätfråga: {source.text}"
        elif link.source_table in quality_levels.LINK_SOURCES:
            text = quality_levels.trigger_text(session, source)
        elif link.source_table == "risk_analyses":
            text = f"Riskanalys: {source.event}"
        elif link.source_table == "checklist_answers":
            text = f"Egenkontroll: {source.point_text}"
        else:
            text = f"Mätvärde {source.period}"
        found.setdefault(link.plan_item_id, []).append(text)
    return found


def _measures(
    session: Session,
    principal: Principal,
    report: Report,
    verksamhet: Unit,
    unit: Unit,
    year: int,
) -> None:
    """The verksamhet's measures per tertial and year: for the uppdrag, aggregated by each
    measure's rule; for an enhet, the enhet's own figure (nivå 3 measures only). Then the
    enheter's own measures (nivå 3 of their own), each with its enhet's figure and marked as
    local: they are not combined across enheter (``quality_measures.py``)."""
    enheter = [unit] if unit.id != verksamhet.id else enheter_of(session, verksamhet)
    names = {e.id: e.name for e in enheter if principal.can("read_plans", e.id)}
    common = session.scalars(
        select(QualityMeasure)
        .where(QualityMeasure.unit_id == verksamhet.id, QualityMeasure.deleted.is_(False))
        .order_by(QualityMeasure.name)
    ).all()
    local = sorted(
        session.scalars(
            select(QualityMeasure).where(
                QualityMeasure.unit_id.in_(list(names)), QualityMeasure.deleted.is_(False)
            )
        ),
        key=lambda m: (names[m.unit_id], m.name),
    )
    for measure in [*common, *local]:
        if unit.id != verksamhet.id and measure.level == 2:
            continue
        values = {}
        for suffix in PERIODS[:-1]:
            aggregate = aggregate_measure(session, principal, measure.id, f"{year}-{suffix}")
            value = aggregate.value
            if unit.id != verksamhet.id:
                own = [f for f in aggregate.per_unit if f.unit_id == unit.id]
                value = own[0].value if own else None
            values[suffix] = _format(value, measure.aggregation)
        # The year as entered, or built from the tertials by the measure's year rule.
        figure = year_figure(session, principal, measure.id, year)
        if unit.id == verksamhet.id:
            value, built = figure.value, (figure.tertials if figure.from_tertials else None)
        else:
            own = [f for f in figure.per_unit if f.unit_id == unit.id]
            value, built = (own[0].value if own else None), figure.built_from.get(unit.id)
        values["År"] = _format(value, measure.aggregation) + _built_mark(value, built)
        report.measures.append(
            {
                "name": measure.name,
                "kind": LABELS["kind"][measure.kind],
                "rule": (
                    f"Lokalt mått för {names[measure.unit_id]}"
                    if measure.unit_id in names
                    else LABELS["aggregation"][measure.aggregation]
                ),
                "unit_of_measure": measure.unit_of_measure,
                "values": values,
            }
        )


# After a year built from the tertials: "*" when from all three, else how many there were.
BUILT_NOTE = (
    "* Året är sammanräknat ur tertialen enligt måttets regel (summa, medelvärde eller "
    "senaste tertialet), där inget värde för helåret har angetts."
)


def _built_mark(value: float | None, built: int | None) -> str:
    if value is None or built is None:
        return ""
    return " *" if built == 3 else f" * ({built} av 3 tertial)"


def _format(value: float | None, aggregation: str) -> str:
    if value is None:
        return "–"
    if aggregation == "rate":
        return format_share(value, LANGUAGE)
    return format_figure(value, LANGUAGE)


def _cases(session: Session, principal: Principal, report: Report, unit: Unit, year: int) -> None:
    compilation = compile_cases(session, principal, unit.id, year)
    total: Counts = compilation.total
    report.cases, report.ended = total.cases, total.ended
    for title, counter, labels in (
        ("Insatser", total.by_intervention, None),
        ("Åldersfördelning", total.by_age_band, LABELS["age_band"]),
        ("Könsfördelning", total.by_gender, LABELS["gender"]),
        ("Problem och hjälpbehov vid start", total.by_need, None),
        ("Avslut", total.by_end_reason, LABELS["end_reason"]),
        ("Har insatsen svarat mot behoven?", total.by_needs_met, LABELS["needs_met"]),
        ("Situationen efter insatsen", total.by_situation_after, LABELS["situation_after"]),
        ("Avbrutna insatser", total.interrupted_by_intervention, None),
    ):
        if counter:
            counts = {(labels or {}).get(k, k): v for k, v in sorted(counter.items())}
            report.charts.append(Chart(title, counts))


def _analysis(
    session: Session, principal: Principal, report: Report, unit: Unit, year: int, years: int
) -> None:
    """Seed 004's analysis (``quality_analysis.py``): outcomes per tertial and for the year, by
    group of clients (small groups withheld), against earlier years; the measures' years and
    their economic key figures."""
    analysis = analyse(session, principal, unit.id, year, years)
    report.analysis = analysis.cases
    report.years = [y.year for y in analysis.cases.years]
    for measure in analysis.measures:
        report.measure_years.append(
            {
                "name": measure.name,
                "kind": LABELS["kind"][measure.kind]
                + (f" ({LABELS['resource'][measure.resource]})" if measure.resource else ""),
                "unit_of_measure": measure.unit_of_measure,
                "values": [
                    _format(y.value, measure.aggregation)
                    + _built_mark(y.value, y.tertials if y.from_tertials else None)
                    for y in measure.years
                ],
            }
        )
        for figure in measure.years:
            if figure.cost_per_unit is None:
                continue
            report.key_figures.append(
                {
                    "name": measure.name,
                    "year": str(figure.year),
                    "value": _format(figure.value, measure.aggregation),
                    "unit_of_measure": measure.unit_of_measure,
                    "cost_per_unit": format_figure(figure.cost_per_unit, LANGUAGE)
                    + (f" {measure.cost_label}" if measure.cost_label else ""),
                    "cost": "–"
                    if figure.cost is None
                    else f"{format_figure(figure.cost, LANGUAGE)} kr",
                }
            )
    cases = analysis.cases
    if any(y.ended for y in cases.years):
        report.analysis_charts.append(
            Chart(
                "Andel avslutade enligt plan per år (%)",
                {str(y.year): _percent(y.planned, y.ended) for y in cases.years if y.ended},
            )
        )
    for dimension in DIMENSIONS:
        shown = [g for g in cases.groups if g.dimension == dimension and not g.withheld]
        if shown:
            report.analysis_charts.append(
                Chart(
                    f"Andel avslutade enligt plan per {LABELS['dimension'][dimension].lower()} (%)",
                    {
                        _group_label(g.dimension, g.group): _percent(g.planned, g.ended)
                        for g in shown
                    },
                )
            )


def _percent(part: int | None, whole: int | None) -> int:
    return round(100 * (part or 0) / whole) if whole else 0


def _share(part: int | None, whole: int | None) -> str:
    if part is None or not whole:
        return "–"
    return f"{part} ({format_share(part / whole, LANGUAGE)})"


def _group_label(dimension: str, group: str) -> str:
    labels = LABELS.get(dimension, {})
    if group == "unknown":
        return "Okänt"
    return labels.get(group, group)


def _surveys(
    session: Session,
    report: Report,
    unit_ids: list[uuid.UUID],
    verksamhet: Unit | None,
    year: int,
) -> None:
    if verksamhet is None:
        return
    questions = session.scalars(
        select(SurveyQuestion)
        .where(
            SurveyQuestion.unit_id == verksamhet.id,
            SurveyQuestion.deleted.is_(False),
            SurveyQuestion.answer_type != "text",
        )
        .order_by(SurveyQuestion.survey, SurveyQuestion.position)
    ).all()
    responses = session.scalars(
        select(SurveyResponse).where(
            SurveyResponse.unit_id.in_(unit_ids),
            SurveyResponse.deleted.is_(False),
            SurveyResponse.answered_on >= date(year, 1, 1),
            SurveyResponse.answered_on <= date(year, 12, 31),
        )
    ).all()
    for question in questions:
        answers: list[Any] = [
            r.answers.get(str(question.id))
            for r in responses
            if r.answers.get(str(question.id)) is not None
        ]
        if not answers:
            continue
        if question.answer_type == "scale":
            figure = f"medel {format_rating(sum(answers) / len(answers), LANGUAGE)} av 5"
        else:
            figure = f"{sum(1 for a in answers if a)} ja av {len(answers)}"
        report.survey_averages.append(
            {"question": question.text, "answers": len(answers), "figure": figure}
        )


# ---- rendering -------------------------------------------------------------------------------

INTRO = (
    "Utkast framtaget ur Følg {date}. Granska, komplettera och analysera innan berättelsen "
    "fastställs. Enligt Socialstyrelsens allmänna råd bör berättelsen ha en sådan "
    "detaljeringsgrad att det går att bedöma hur arbetet har bedrivits i verksamhetens olika "
    "delar, och hållas tillgänglig för den som önskar ta del av den."
)
TO_WRITE = "[Skriv här: slutsatser, prioriterade förbättringsområden och fortsatt arbete.]"


PERIOD_LABELS = {
    "T1": "Tertial 1 (jan–apr)",
    "T2": "Tertial 2 (maj–aug)",
    "T3": "Tertial 3 (sep–dec)",
    "year": "Helår",
}
OUTCOME_HEADINGS = ["Avslutade", "Enligt plan", "Avbrutna", "Behoven tillgodosedda", "Förbättrad"]
ANALYSIS_NOTE = (
    "Pågående och avslutade insatser räknas var för sig i varje tertial; en insats som pågår "
    "över flera tertial räknas en gång under helåret. Avslutade insatser summeras över "
    "tertialen. Andelarna avser avslutade insatser."
)
GROUP_NOTE = (
    "Grupper med färre än {min_group} avslutade insatser visas inte (och om bara en grupp döljs, "
    "inte heller den minsta av de övriga), så att ingen enskild klient kan urskiljas."
)
WITHHELD = "färre än {min_group}, visas inte"


def _outcome_cells(o: Any) -> list[str]:
    return [
        str(o.ended),
        _share(o.planned, o.ended),
        _share(o.interrupted, o.ended),
        _share(o.needs_met, o.ended),
        _share(o.improved, o.ended),
    ]


def analysis_tables(report: Report) -> list[tuple[str, list[str], list[list[str]]]]:
    """The analysis as (heading, column headings, rows), rendered alike in HTML and .docx."""
    cases = report.analysis
    tables: list[tuple[str, list[str], list[list[str]]]] = []
    if cases is None:
        return tables
    tables.append(
        (
            "Tertialen och helåret",
            ["Period", "Insatser", *OUTCOME_HEADINGS],
            [[PERIOD_LABELS[o.period], str(o.cases), *_outcome_cells(o)] for o in cases.periods],
        )
    )
    withheld = WITHHELD.format(min_group=cases.min_group)
    for dimension in DIMENSIONS:
        rows = [
            [_group_label(g.dimension, g.group), withheld, "", "", "", ""]
            if g.withheld
            else [_group_label(g.dimension, g.group), *_outcome_cells(g)]
            for g in cases.groups
            if g.dimension == dimension
        ]
        if rows:
            tables.append(
                (
                    f"Resultat per {LABELS['dimension'][dimension].lower()}",
                    [LABELS["dimension"][dimension], *OUTCOME_HEADINGS],
                    rows,
                )
            )
    tables.append(
        (
            "Jämförelse med tidigare år",
            ["År", "Insatser", *OUTCOME_HEADINGS],
            [[str(o.year), str(o.cases), *_outcome_cells(o)] for o in cases.years],
        )
    )
    if report.measure_years:
        tables.append(
            (
                "Kvalitetsmått jämfört med tidigare år",
                ["Mått", "Slag", "Enhet", *[str(y) for y in report.years]],
                [
                    [m["name"], m["kind"], m["unit_of_measure"], *m["values"]]
                    for m in report.measure_years
                ],
            )
        )
    if report.key_figures:
        tables.append(
            (
                "Mått i relation till ekonomiska nyckeltal",
                ["Mått", "År", "Värde", "Kostnad per enhet", "Kostnad"],
                [
                    [
                        k["name"],
                        k["year"],
                        f"{k['value']} {k['unit_of_measure']}",
                        k["cost_per_unit"],
                        k["cost"],
                    ]
                    for k in report.key_figures
                ],
            )
        )
    return tables


def adoption_text(report: Report) -> str:
    """The line under the title: a draft's intro, or who adopted this version and when."""
    adoption = report.adoption
    if adoption is None:
        return INTRO.format(date=_date(report.generated_on))
    by = adoption["adopted_by_name"]
    if adoption.get("adopted_in"):
        by = f"{by} ({adoption['adopted_in']})"
    return (
        f"Fastställd {format_datetime(adoption['adopted_at'], LANGUAGE)} av {by}. "
        f"Version {adoption['version']}. Hålls tillgänglig för den som önskar ta del av den."
    )


def report_filename(report: Report) -> str:
    """ "kvalitetsberättelse-2026-stöd-och-omsorg", without the extension."""
    return f"kvalitetsberättelse-{report.year}-{slug(report.unit_name, 'enhet')}"


def _cases_line(report: Report) -> str:
    # "Label: n", not "n label": one never reads "1 insatser".
    return f"Insatser under året: {report.cases}, varav avslutade: {report.ended}."


def _date(value: date | None) -> str:
    return format_date(value, LANGUAGE)


def _task_status(task: dict[str, Any]) -> str:
    return f"Klar {_date(task['done_on'])}".rstrip() if task["done"] else "Ej klar"


def chart_label(label: Any) -> str:
    """A bar's label as the SVG holds it: its first 40 characters, then escaped (escaping
    first could cut an entity in half and break the SVG). The PWA's drawing follows the same
    rule; tests/fixtures/chart_labels.json holds both to it."""
    return html.escape(str(label)[:40])


def bar_chart_svg(chart: Chart, width: int = 520) -> str:
    """A horizontal bar chart as standalone SVG (the same drawing the PWA makes)."""
    bar, gap, label_width = 22, 8, 200
    height = 30 + len(chart.counts) * (bar + gap)
    top = max(chart.counts.values(), default=1) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="{html.escape(chart.title)}" font-family="sans-serif">',
        f'<text x="0" y="16" font-size="14" font-weight="bold">{html.escape(chart.title)}</text>',
    ]
    for index, (label, count) in enumerate(chart.counts.items()):
        y = 28 + index * (bar + gap)
        length = (width - label_width - 50) * count / top
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="12">{chart_label(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar}" '
            f'fill="#2f6f8f"/><text x="{label_width + length + 6:.1f}" y="{y + 16}" '
            f'font-size="12">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(report: Report) -> str:
    report = xml_safe(report)
    e = html.escape
    out = [
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">',
        f"<title>Kvalitetsberättelse {report.year} – {e(report.unit_name)}</title>",
        "<style>@page{size:A4;margin:2cm}"
        "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #999;"
        "padding:.25rem .5rem;text-align:left;vertical-align:top}</style></head><body>",
        f"<h1>Kvalitetsberättelse {report.year}: {e(report.unit_name)}</h1>",
        f"<p><em>{e(adoption_text(report))}</em></p>",
        "<h2>1. Så har kvalitetsarbetet bedrivits</h2>",
        "<h3>Årshjulet</h3>",
    ]
    out.append(
        _html_table(
            ["Uppgift", "Datum", "Status"],
            [[t["title"], _date(t["due"]), _task_status(t)] for t in report.tasks],
        )
        if report.tasks
        else "<p>Inga uppgifter i årshjulet.</p>"
    )
    if report.areas:
        out.append("<h3>Kvalitetsområden och uppföljningsmetoder</h3>")
        out.append(
            _html_table(
                ["Område", "Processmål", "Metod för uppföljning"],
                [[a["name"], a["goals"], a["methods"]] for a in report.areas],
            )
        )
    out.append("<h3>Grundläggande kvalitetsuppföljning</h3>")
    if report.register_entries:
        out.append(
            _html_table(["Slag", "Antal"], [[k, str(v)] for k, v in report.register_counts.items()])
        )
        out.append(
            _html_table(
                ["Datum", "Enhet", "Slag", "Rubrik", "Analys"],
                [
                    [_date(r["date"]), r["unit"], r["kind"], r["title"], r["analysis"]]
                    for r in report.register_entries
                ],
            )
        )
    else:
        out.append("<p>Inget registrerat under året.</p>")
    out.extend(quality_improvement.render_html(report.improvement, _html_table))
    out.append("<h2>2. Åtgärder</h2><h3>Genomförda åtgärder</h3>")
    out.append(_html_items(report.items_done))
    out.append("<h3>Pågående åtgärder</h3>")
    out.append(_html_items(report.items_open))
    out.append("<h2>3. Resultat</h2><h3>Kvalitetsmått</h3>")
    if report.measures:
        out.append(
            _html_table(
                ["Mått", "Slag", "Regel", *[p or "År" for p in PERIODS]],
                [[m["name"], m["kind"], m["rule"], *m["values"].values()] for m in report.measures],
            )
        )
        out.append(f"<p><small>{e(BUILT_NOTE)}</small></p>")
    else:
        out.append("<p>Inga mått.</p>")
    out.append("<h3>Individuppföljning</h3>")
    out.append(f"<p>{e(_cases_line(report))}</p>")
    out.extend(f"<figure>{bar_chart_svg(c)}</figure>" for c in report.charts)
    if report.survey_averages:
        out.append("<h3>Enkäter</h3>")
        out.append(
            _html_table(
                ["Fråga", "Svar", "Resultat"],
                [[s["question"], str(s["answers"]), s["figure"]] for s in report.survey_averages],
            )
        )
    out.extend(quality_levels.render_html(report.levels, _html_table))
    if report.analysis is not None:
        out.append("<h3>Analys: skiljer sig resultaten mellan grupper av klienter?</h3>")
        out.append(
            f"<p><small>{e(ANALYSIS_NOTE)} "
            f"{e(GROUP_NOTE.format(min_group=report.analysis.min_group))}</small></p>"
        )
        for heading, headings, rows in analysis_tables(report):
            out.append(f"<h4>{e(heading)}</h4>")
            out.append(_html_table(headings, rows))
        out.extend(f"<figure>{bar_chart_svg(c)}</figure>" for c in report.analysis_charts)
    out.append("<h2>4. Fortsatt arbete</h2>")
    out.append(
        _html_paragraphs(report.conclusions) if report.conclusions else f"<p>{e(TO_WRITE)}</p>"
    )
    out.append("</body></html>")
    return "".join(out)


def _html_table(headings: list[str], rows: list[list[str]]) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in headings)
    body = "".join(
        "<tr>" + "".join(f"<td>{e(str(c)).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_paragraphs(text: str) -> str:
    e = html.escape
    return "".join(
        f"<p>{e(part).replace(chr(10), '<br>')}</p>" for part in text.split("\n\n") if part.strip()
    )


def _html_items(items: list[dict[str, Any]]) -> str:
    if not items:
        return "<p>Inga.</p>"
    return _html_table(
        ["Handlingsplan", "Enhet", "Åtgärd", "Resultat", "Föranledd av"],
        [
            [i["plan"], i["unit"], i["topic"], i["result"], "\n".join(i["triggered_by"])]
            for i in items
        ],
    )


def render_docx(report: Report) -> bytes:
    report = xml_safe(report)
    document = Document()
    use_a4(document)
    document.core_properties.title = f"Kvalitetsberättelse {report.year} {report.unit_name}"
    document.core_properties.author = "Følg"
    document.add_heading(f"Kvalitetsberättelse {report.year}: {report.unit_name}", level=0)
    intro = document.add_paragraph(adoption_text(report))
    intro.runs[0].italic = True
    document.add_heading("1. Så har kvalitetsarbetet bedrivits", level=1)
    document.add_heading("Årshjulet", level=2)
    _docx_table(
        document,
        ["Uppgift", "Datum", "Status"],
        [[t["title"], _date(t["due"]), _task_status(t)] for t in report.tasks],
    )
    if report.areas:
        document.add_heading("Kvalitetsområden och uppföljningsmetoder", level=2)
        _docx_table(
            document,
            ["Område", "Processmål", "Metod för uppföljning"],
            [[a["name"], a["goals"], a["methods"]] for a in report.areas],
        )
    document.add_heading("Grundläggande kvalitetsuppföljning", level=2)
    _docx_table(
        document,
        ["Datum", "Enhet", "Slag", "Rubrik", "Analys"],
        [
            [_date(r["date"]), r["unit"], r["kind"], r["title"], r["analysis"]]
            for r in report.register_entries
        ],
    )
    quality_improvement.add_to_docx(document, report.improvement, _docx_table)
    document.add_heading("2. Åtgärder", level=1)
    for heading, items in (
        ("Genomförda åtgärder", report.items_done),
        ("Pågående åtgärder", report.items_open),
    ):
        document.add_heading(heading, level=2)
        _docx_table(
            document,
            ["Handlingsplan", "Enhet", "Åtgärd", "Resultat", "Föranledd av"],
            [
                [i["plan"], i["unit"], i["topic"], i["result"], "\n".join(i["triggered_by"])]
                for i in items
            ],
        )
    document.add_heading("3. Resultat", level=1)
    document.add_heading("Kvalitetsmått", level=2)
    _docx_table(
        document,
        ["Mått", "Slag", "Regel", *[p or "År" for p in PERIODS]],
        [[m["name"], m["kind"], m["rule"], *m["values"].values()] for m in report.measures],
    )
    if report.measures:
        document.add_paragraph(BUILT_NOTE).runs[0].font.size = Pt(8)
    document.add_heading("Individuppföljning", level=2)
    document.add_paragraph(_cases_line(report))
    for chart in report.charts:
        document.add_paragraph(chart.title, style="Heading 3")
        # The picture for the eye, the table for screen readers and for editing the figures.
        add_chart(document, bar_chart_png(chart, "Antal"), 15, f"Stapeldiagram: {chart.title}")
        _docx_table(document, ["", "Antal"], [[k, str(v)] for k, v in chart.counts.items()])
    if report.survey_averages:
        document.add_heading("Enkäter", level=2)
        _docx_table(
            document,
            ["Fråga", "Svar", "Resultat"],
            [[s["question"], str(s["answers"]), s["figure"]] for s in report.survey_averages],
        )
    quality_levels.add_to_docx(document, report.levels, _docx_table)
    if report.analysis is not None:
        document.add_heading("Analys: skiljer sig resultaten mellan grupper av klienter?", level=2)
        note = document.add_paragraph(
            f"{ANALYSIS_NOTE} {GROUP_NOTE.format(min_group=report.analysis.min_group)}"
        )
        note.runs[0].font.size = Pt(8)
        for heading, headings, rows in analysis_tables(report):
            document.add_paragraph(heading, style="Heading 4")
            _docx_table(document, headings, rows)
        for chart in report.analysis_charts:
            document.add_paragraph(chart.title, style="Heading 3")
            add_chart(
                document, bar_chart_png(chart, "Procent"), 15, f"Stapeldiagram: {chart.title}"
            )
            _docx_table(document, ["", "Procent"], [[k, str(v)] for k, v in chart.counts.items()])
    document.add_heading("4. Fortsatt arbete", level=1)
    for part in (report.conclusions or TO_WRITE).split("\n\n"):
        if part.strip():
            document.add_paragraph(part.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document: Any, headings: list[str], rows: list[list[str]]) -> None:
    if not rows:
        document.add_paragraph("Inga uppgifter.")
        return
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.text = heading
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.size = Pt(9)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
