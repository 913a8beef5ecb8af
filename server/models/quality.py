"""Swedish systematic quality follow-up (SOSFS 2011:9; seeds 003 and 004).

A verksamhetsuppdrag (unit kind ``se_verksamhet``, nivå 2) holds its enheter (``se_enhet``,
nivå 3) as child units; everything here hangs off a unit and syncs like plans do::

    se_verksamhet ─* quality_areas        the six kvalitetsområden, editable per uppdrag
                  ─* quality_measures *─0..1 quality_areas
                  ─* survey_questions     questions of the end-of-intervention and yearly surveys
    se_enhet      ─* quality_areas, quality_measures  its own goals and measures (nivå 3)
                  ─* measure_values  *─1 quality_measures   one value per measure, enhet, period
                  ─* register_entries     grundläggande kvalitetsuppföljning (avvikelser, ...)
                  ─* case_records         pseudonymous individual follow-up
                  ─* survey_responses *─0..1 case_records   (deleted with their case)
    any unit      ─* annual_tasks         the årshjul
                  ─* risk_analyses        riskanalyser (SOSFS 2011:9, 5 kap 1 §)
                  ─* checklists           egenkontroll: the points to check (definitions)
                  ─* checklist_runs  *─1 checklists   one egenkontroll carried out
                     ─* checklist_answers            one answer per point (deleted with their run)
                  ─* adopted_reports      kvalitetsberättelser as adopted (not synced)
    plan_items    ─* quality_links        what triggered a handlingsplan item (a register entry,
                                          a measure, a riskanalys, a deviation found in a run)
    (uppdrags-/avtalsuppföljning, tematisk uppföljning, sammanvägd bedömning: quality_levels.py)

Definitions (areas, measures, questions) belong to the verksamhet and are written by its
managers; an enhet's manager adds the enhet's own areas and measures beside them. What happens
in an enhet (values, register entries, cases, responses) is written by its staff. Nothing here
has a place for a citizen's name or personnummer: a case is a code.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.base import SyncedMixin
from server.models.types import UTCDateTime

MEASURE_KINDS = ("structure", "process", "result")  # struktur-, process-, resultatmått
MEASURE_LEVELS = (2, 3)  # nivå 2: the whole uppdrag; nivå 3: per enhet, aggregated upwards
AGGREGATIONS = ("sum", "mean", "rate")  # rate = sum of numerators / sum of denominators
# What a structure measure counts (seed 003, Strukturmått nivå 2 och 3): "Volym/platser/timmar/
# personer", "Personal - antal och kompetensnivå", "Lokaler", "Köer till insatser".
RESOURCES = ("places", "hours", "persons", "staff", "competence", "premises", "queue")
# How a year is built from its three tertials when no value for the whole year is entered:
# a flow adds up (insatser avslutade), a stock is its mean (platser, årsarbetare) or its state
# at the end (kö vid årets slut). None: "sum", or "mean" for a structure measure.
YEAR_RULES = ("sum", "mean", "last")
REGISTER_KINDS = (
    "quality_register",  # kvalitetsregister (palliativa registret, Senior alert, BPSD)
    "national_survey",  # nationella undersökningar (Öppna jämförelser, brukarundersökningen)
    "deviation",  # avvikelse
    "lex_sarah",  # utredning av missförhållanden enligt lex Sarah
    "lex_maria",  # lex Maria (allvarlig vårdskada, anmäld till IVO)
    "complaint",  # synpunkter och klagomål
    "inspection_report",  # tillsynsrapport (IVO, Arbetsmiljöverket, ...)
    "effect_evaluation",  # enskild effektutvärdering
    "self_inspection",  # egenkontroll
    "care_deviation",  # vårdavvikelse (seed 003: "Vårdavvikelse och lex Maria")
    "patient_safety_report",  # patientsäkerhetsberättelse (beside the kvalitetsregister)
)
# What a register entry is from, where seed 003 names the choices: the kvalitetsregister, the
# national survey, or the authority that issued a tillsynsrapport. "other": named in the title.
REGISTER_SOURCES: dict[str, tuple[str, ...]] = {
    "quality_register": ("senior_alert", "palliativa_registret", "bpsd", "other"),
    "national_survey": ("oppna_jamforelser", "brukarundersokningen", "kkik", "other"),
    "inspection_report": ("ivo", "arbetsmiljoverket", "other"),
}
ALL_REGISTER_SOURCES = tuple(dict.fromkeys(s for kind in REGISTER_SOURCES.values() for s in kind))
AGE_BANDS = ("0-12", "13-17", "18-20", "21-29", "30-49", "50-64", "65-79", "80+")
GENDERS = ("female", "male", "other", "unknown")
END_REASONS = ("planned", "interrupted")
NEEDS_MET = ("yes", "partly", "no")
SITUATIONS_AFTER = ("improved", "unchanged", "worsened", "unknown")
SURVEYS = ("end_of_intervention", "annual")
ANSWER_TYPES = ("scale", "yes_no", "text")  # scale: 1-5
RESPONDENTS = ("client", "staff", "commissioner", "partner")
TASK_KINDS = (
    "survey_sent",
    "survey_due",
    "compilation",
    "analysis",
    "management_group",
    "follow_up",
    "competence_survey",  # seed 003: kompetensförsörjning och kompetensutveckling, enkät i oktober
    "quality_report",
    "other",
)
TASK_STATES = ("open", "done")
LINK_SOURCES = (
    "register_entries",
    "quality_measures",
    "survey_questions",
    "measure_values",
    # The follow-up levels (``server/models/quality_levels.py``): a deviation an uppdrags-/
    # avtalsuppföljning found, a unit's result of a tematisk uppföljning.
    "follow_up_deviations",
    "thematic_results",
    "risk_analyses",
    "checklist_answers",  # a deviation found in an egenkontroll
)
# A riskanalys scores its event 1-4 on each axis (Socialstyrelsen's handbook for the
# ledningssystem): sannolikhet mycket liten .. mycket stor, konsekvens försumbar .. allvarlig.
# The risk value is their product, 1-16.
RISK_SCALE = (1, 2, 3, 4)
# What an egenkontroll checks; seed 003 names the first four ("exv loggkontroller,
# dokumentation, brandskydd, basal hygien").
CHECKLIST_AREAS = ("log_review", "documentation", "fire_safety", "basic_hygiene", "other")
RUN_STATES = ("in_progress", "done")
# Each point of a run: as it should be, a deviation (avvikelse), or not applicable this time.
CHECK_ANSWERS = ("ok", "deviation", "not_applicable")
MAX_CHECKLIST_POINTS = 100

SHORT_TEXT = 200
LONG_TEXT = 10_000


def _in(values: tuple) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class QualityArea(SyncedMixin, Model):
    """A kvalitetsområde of one verksamhetsuppdrag with its processmål, processmått and
    suggested follow-up methods (seed 003's table is the default content)."""

    __tablename__ = "quality_areas"
    sync_table = "quality_areas"
    sync_fields = (
        "unit_id",
        "theme_id",
        "name",
        "process_goals",
        "process_measures",
        "follow_up_methods",
        "position",
    )

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    # The area of the se_kvalitetsomraden catalogue it stands for (null for an added area).
    theme_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("themes.id"))
    name: Mapped[str] = mapped_column(String(SHORT_TEXT), nullable=False)
    process_goals: Mapped[str | None] = mapped_column(Text)
    process_measures: Mapped[str | None] = mapped_column(Text)
    follow_up_methods: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class QualityMeasure(SyncedMixin, Model):
    """A kvalitetsmått of a verksamhetsuppdrag, e.g. "antal genomförandeplaner som avslutats
    enligt plan" (resultatmått, nivå 3, aggregated by sum)."""

    __tablename__ = "quality_measures"
    sync_table = "quality_measures"
    sync_fields = (
        "unit_id",
        "area_id",
        "name",
        "description",
        "kind",
        "unit_of_measure",
        "level",
        "aggregation",
        "numerator_label",
        "denominator_label",
        "active",
        "resource",
        "year_rule",
        "cost_label",
        "costs",
    )

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    area_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("quality_areas.id"))
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    unit_of_measure: Mapped[str] = mapped_column(String(50), nullable=False, default="antal")
    level: Mapped[int] = mapped_column(Integer, nullable=False, default=3)
    aggregation: Mapped[str] = mapped_column(String(10), nullable=False, default="sum")
    numerator_label: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    denominator_label: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # A structure measure's resource (RESOURCES), if it says.
    resource: Mapped[str | None] = mapped_column(String(20))
    # How its year is built from the tertials (YEAR_RULES); None: the default of its kind.
    year_rule: Mapped[str | None] = mapped_column(String(10))
    # The economic key figure it is set against (seed 003: "i relation med de ekonomiska
    # nyckeltal"): a cost per unit of the measure, entered per year ({"2026": 650000.0}),
    # and what the cost is ("kr per plats och år").
    cost_label: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    costs: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    __table_args__ = (
        CheckConstraint(f"kind IN {_in(MEASURE_KINDS)}", name="kind"),
        CheckConstraint("level IN (2, 3)", name="level"),
        CheckConstraint(f"aggregation IN {_in(AGGREGATIONS)}", name="aggregation"),
        CheckConstraint(f"resource IS NULL OR resource IN {_in(RESOURCES)}", name="resource"),
        CheckConstraint(f"year_rule IS NULL OR year_rule IN {_in(YEAR_RULES)}", name="year_rule"),
    )

    def year_rule_or_default(self) -> str:
        return self.year_rule or ("mean" if self.kind == "structure" else "sum")


class MeasureValue(SyncedMixin, Model):
    """The value of one measure for one unit and one period ("2026", "2026-T1", "2026-03").

    Its id is derived from (measure, unit, period) (``measure_value_id``), so two tablets
    entering the same cell offline write the same row and meet in the merge rules instead of
    making two rows.
    """

    __tablename__ = "measure_values"
    sync_table = "measure_values"
    sync_fields = (
        "measure_id",
        "unit_id",
        "period",
        "value",
        "numerator",
        "denominator",
        "note",
    )

    measure_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("quality_measures.id"), nullable=False, index=True
    )
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    period: Mapped[str] = mapped_column(String(10), nullable=False)
    value: Mapped[float | None] = mapped_column(Float)
    numerator: Mapped[float | None] = mapped_column(Float)
    denominator: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)


class RegisterEntry(SyncedMixin, Model):
    """One event of the basic quality follow-up (seed 003, Del 3): a quality register report,
    a national survey, an avvikelse, lex Sarah, lex Maria, a vårdavvikelse, a complaint, an
    inspection report (and who issued it), an effect evaluation, an egenkontroll or the
    patientsäkerhetsberättelse."""

    __tablename__ = "register_entries"
    sync_table = "register_entries"
    sync_fields = (
        "unit_id",
        "entry_date",
        "kind",
        "title",
        "description",
        "analysis",
        "source",
        "checklist_answer_id",
    )

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    entry_date: Mapped[date] = mapped_column(Date, nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    title: Mapped[str] = mapped_column(String(SHORT_TEXT), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    analysis: Mapped[str | None] = mapped_column(Text)
    # Which register, survey or issuing authority (REGISTER_SOURCES of the kind), if named.
    source: Mapped[str | None] = mapped_column(String(30))
    # The deviation of an egenkontroll this entry records, if it came from one. It points from
    # the entry, written after the answer, so a device that pushes in the order things were
    # done never names a row the server has not got yet.
    checklist_answer_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("checklist_answers.id")
    )

    __table_args__ = (
        CheckConstraint(f"kind IN {_in(REGISTER_KINDS)}", name="kind"),
        CheckConstraint(f"source IS NULL OR source IN {_in(ALL_REGISTER_SOURCES)}", name="source"),
    )


class QualityLink(SyncedMixin, Model):
    """A handlingsplan item and what triggered it (or what it led to, read the other way):
    a register entry (avvikelse, lex Sarah, ...), a measure or a survey question."""

    __tablename__ = "quality_links"
    sync_table = "quality_links"
    sync_fields = ("plan_item_id", "plan_id", "unit_id", "source_table", "source_id")

    plan_item_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("plan_items.id"), nullable=False, index=True
    )
    # From the item, so the link appears in the plan's history and scope is one column.
    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("plans.id"), nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    source_table: Mapped[str] = mapped_column(String(30), nullable=False)
    # Points into ``source_table``; no foreign key because it points into several tables.
    source_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)

    __table_args__ = (CheckConstraint(f"source_table IN {_in(LINK_SOURCES)}", name="source"),)


class CaseRecord(SyncedMixin, Model):
    """Individual follow-up of one intervention (seed 004), pseudonymous: ``case_code`` is a
    code the enhet gives, never a name or personnummer (``server/services/quality.py``)."""

    __tablename__ = "case_records"
    sync_table = "case_records"
    sync_fields = (
        "unit_id",
        "case_code",
        "intervention",
        "age_band",
        "gender",
        "needs",
        "started_on",
        "ended_on",
        "end_reason",
        "needs_met",
        "situation_after",
        "situation_note",
    )

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    case_code: Mapped[str] = mapped_column(String(20), nullable=False)
    intervention: Mapped[str] = mapped_column(String(100), nullable=False)
    age_band: Mapped[str | None] = mapped_column(String(10))
    gender: Mapped[str | None] = mapped_column(String(10))
    # Problems and needs identified at the start: short category labels.
    needs: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    started_on: Mapped[date] = mapped_column(Date, nullable=False)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    needs_met: Mapped[str | None] = mapped_column(String(10))
    situation_after: Mapped[str | None] = mapped_column(String(20))
    situation_note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(f"age_band IS NULL OR age_band IN {_in(AGE_BANDS)}", name="age_band"),
        CheckConstraint(f"gender IS NULL OR gender IN {_in(GENDERS)}", name="gender"),
        CheckConstraint(
            f"end_reason IS NULL OR end_reason IN {_in(END_REASONS)}", name="end_reason"
        ),
        CheckConstraint(f"needs_met IS NULL OR needs_met IN {_in(NEEDS_MET)}", name="needs_met"),
        CheckConstraint(
            f"situation_after IS NULL OR situation_after IN {_in(SITUATIONS_AFTER)}",
            name="situation_after",
        ),
    )


class SurveyQuestion(SyncedMixin, Model):
    """A question of the end-of-intervention survey (bilaga 2) or of the yearly survey to
    staff, commissioners and partners (bilaga 3), configured per verksamhet."""

    __tablename__ = "survey_questions"
    sync_table = "survey_questions"
    sync_fields = ("unit_id", "survey", "text", "answer_type", "position", "active")

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    survey: Mapped[str] = mapped_column(String(30), nullable=False)
    text: Mapped[str] = mapped_column(String(500), nullable=False)
    answer_type: Mapped[str] = mapped_column(String(10), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    __table_args__ = (
        CheckConstraint(f"survey IN {_in(SURVEYS)}", name="survey"),
        CheckConstraint(f"answer_type IN {_in(ANSWER_TYPES)}", name="answer_type"),
    )


class SurveyResponse(SyncedMixin, Model):
    """One answered survey: ``answers`` is ``{question_id: 1-5 | true/false | text}``."""

    __tablename__ = "survey_responses"
    sync_table = "survey_responses"
    sync_fields = ("unit_id", "survey", "case_record_id", "respondent", "answered_on", "answers")

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    survey: Mapped[str] = mapped_column(String(30), nullable=False)
    case_record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("case_records.id"))
    respondent: Mapped[str] = mapped_column(String(20), nullable=False)
    answered_on: Mapped[date] = mapped_column(Date, nullable=False)
    answers: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)

    __table_args__ = (
        CheckConstraint(f"survey IN {_in(SURVEYS)}", name="survey"),
        CheckConstraint(f"respondent IN {_in(RESPONDENTS)}", name="respondent"),
    )


class AnnualTask(SyncedMixin, Model):
    """A task of the årshjul: survey in February, answers by 1 March, compilation, analysis in
    April, management group in May, the competence survey in October, follow-up in the autumn.

    A verksamhet's tasks are read by the staff of its enheter too, and the owner may tick a
    task done wherever it is (``server/services/quality.py``)."""

    __tablename__ = "annual_tasks"
    sync_table = "annual_tasks"
    sync_fields = (
        "unit_id",
        "year",
        "kind",
        "title",
        "due_date",
        "owner_user_id",
        "owner_name",
        "state",
        "done_on",
    )

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    title: Mapped[str] = mapped_column(String(SHORT_TEXT), nullable=False)
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    owner_user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    owner_name: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    done_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        CheckConstraint(f"kind IN {_in(TASK_KINDS)}", name="kind"),
        CheckConstraint(f"state IN {_in(TASK_STATES)}", name="state"),
    )


class RiskAnalysis(SyncedMixin, Model):
    """A riskanalys (SOSFS 2011:9, 5 kap 1 §): an event that could lead to shortcomings in the
    quality, how probable it is and what its consequences would be, the measures decided, who
    carries them out and by when, and how they were followed up. The handlingsplan items it
    led to are ``quality_links`` rows."""

    __tablename__ = "risk_analyses"
    sync_table = "risk_analyses"
    sync_fields = (
        "unit_id",
        "analysed_on",
        "event",
        "probability",
        "consequence",
        "measures",
        "responsible",
        "due_date",
        "follow_up_date",
        "follow_up",
    )

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    analysed_on: Mapped[date] = mapped_column(Date, nullable=False)
    event: Mapped[str] = mapped_column(Text, nullable=False)
    probability: Mapped[int] = mapped_column(Integer, nullable=False)
    consequence: Mapped[int] = mapped_column(Integer, nullable=False)
    measures: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    due_date: Mapped[date | None] = mapped_column(Date)
    follow_up_date: Mapped[date | None] = mapped_column(Date)
    follow_up: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("probability BETWEEN 1 AND 4", name="probability"),
        CheckConstraint("consequence BETWEEN 1 AND 4", name="consequence"),
    )


class Checklist(SyncedMixin, Model):
    """An egenkontroll's checklist: ``points`` is ``[{"id": uuid, "text": str}, ...]``, in order.

    A verksamhet's checklists are read by its enheter (definitions), and an enhet may keep
    its own. A point keeps its id when its text is edited, so answers already given stay with
    it; an answer also keeps the text it was given to."""

    __tablename__ = "checklists"
    sync_table = "checklists"
    sync_fields = ("unit_id", "area", "name", "points", "active")

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    area: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(SHORT_TEXT), nullable=False)
    points: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    __table_args__ = (CheckConstraint(f"area IN {_in(CHECKLIST_AREAS)}", name="area"),)


class ChecklistRun(SyncedMixin, Model):
    """One egenkontroll carried out with a checklist, in one unit on one day."""

    __tablename__ = "checklist_runs"
    sync_table = "checklist_runs"
    sync_fields = ("unit_id", "checklist_id", "run_on", "performed_by", "state", "summary")

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    checklist_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("checklists.id"), nullable=False, index=True
    )
    run_on: Mapped[date] = mapped_column(Date, nullable=False)
    performed_by: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="in_progress")
    summary: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (CheckConstraint(f"state IN {_in(RUN_STATES)}", name="state"),)


class ChecklistAnswer(SyncedMixin, Model):
    """The answer to one point of a run. Its id is derived from (run, point)
    (``checklist_answer_id``), so two devices answering the same point offline write one row.

    A deviation becomes a register entry (an avvikelse naming the answer in
    ``checklist_answer_id``) or a handlingsplan item (a ``quality_links`` row from the item to
    this answer), or both."""

    __tablename__ = "checklist_answers"
    sync_table = "checklist_answers"
    sync_fields = (
        "run_id",
        "unit_id",
        "point_id",
        "point_text",
        "answer",
        "note",
    )

    run_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("checklist_runs.id"), nullable=False, index=True
    )
    # The run's, so the reader's scope is one column.
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    point_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    # The point as it read when it was answered (the checklist may be edited later).
    point_text: Mapped[str] = mapped_column(String(500), nullable=False)
    answer: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint(f"answer IS NULL OR answer IN {_in(CHECK_ANSWERS)}", name="answer"),
    )


class AdoptedReport(Model):
    """A kvalitetsberättelse as it was adopted (fastställd): who adopted it, when, and the
    document itself, so it stays available exactly as it was (seed 004, section 6: "hållas
    tillgänglig för den som önskar ta del av den").

    Written once by the server, never changed or deleted: a later adoption of the same year is
    the next ``version`` beside it. Not synced (the documents are rendered on the server and
    can be large); read over REST (``server/services/quality_reports.py``). ``adopted_by_name``
    is the name as it was, so the record stays true if the account is renamed or removed.
    """

    __tablename__ = "adopted_reports"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    adopted_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    adopted_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    adopted_by_name: Mapped[str] = mapped_column(String(SHORT_TEXT), nullable=False)
    # Who adopted it as a body ("Ledningsgruppen", "Social- och omsorgsnämnden"), if said.
    adopted_in: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    # What the manager wrote for section 4 (conclusions, priorities, continued work).
    conclusions: Mapped[str | None] = mapped_column(Text)
    filename: Mapped[str] = mapped_column(String(SHORT_TEXT), nullable=False)
    html: Mapped[str] = mapped_column(Text, nullable=False)
    docx: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)

    __table_args__ = (UniqueConstraint("unit_id", "year", "version"),)
