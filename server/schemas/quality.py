"""Schemas for the Swedish quality follow-up (``server/models/quality.py``).

``*WriteSchema`` load client JSON for the REST API and the sync push alike. Every free-text
field is ``PseudonymousText``: it refuses anything shaped like a personnummer. Rules that span
rows (which unit, which verksamhet, who may write) live in ``server/services/quality.py``.
"""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate, validates

from server.i18n import N_, _
from server.models.quality import (
    AGE_BANDS,
    AGGREGATIONS,
    ALL_REGISTER_SOURCES,
    ANSWER_TYPES,
    CHECK_ANSWERS,
    CHECKLIST_AREAS,
    END_REASONS,
    GENDERS,
    LINK_SOURCES,
    LONG_TEXT,
    MAX_CHECKLIST_POINTS,
    MEASURE_KINDS,
    MEASURE_LEVELS,
    NEEDS_MET,
    REGISTER_KINDS,
    RESOURCES,
    RESPONDENTS,
    RISK_SCALE,
    RUN_STATES,
    SHORT_TEXT,
    SITUATIONS_AFTER,
    SURVEYS,
    TASK_KINDS,
    TASK_STATES,
    YEAR_RULES,
)
from server.models.quality_levels import OUTCOMES, PROVIDER_KINDS, SUBJECT_KINDS
from server.schemas.checks import DateOrder, OnlyWhen, RequiredWhen
from server.schemas.common import StrictSchema, Text, counted, one_of
from server.schemas.plans import SyncedRowSchema
from server.services.quality_pseudonymity import (
    CASE_CODE_PATTERN,
    IDENTITY_NUMBER_REASON,
    case_code_problem,
    contains_identity_number,
)

# "2026" (year), "2026-T1".."2026-T3" (tertial), "2026-01".."2026-12" (month).
PERIOD_PATTERN = re.compile(r"\d{4}(?:-T[1-3]|-(?:0[1-9]|1[0-2]))?", re.ASCII)  # not ٢٠٢٩


class PseudonymousText(Text):
    """Free text that may not hold a personnummer or samordningsnummer."""

    pseudonymous = True  # said so in sync/rules.json (``server/schemas/rules.py``)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if contains_identity_number(text):
            raise ValidationError(str(IDENTITY_NUMBER_REASON))
        return text


class CaseCode(fields.String):
    """A pseudonymous case code (``case_code_problem``), trimmed first."""

    pseudonymous = True  # said so in sync/rules.json, with the pattern and the trimming
    pattern = CASE_CODE_PATTERN
    trimmed = True

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).strip()
        problem = case_code_problem(code)
        if problem:
            raise ValidationError(str(problem))
        return code


def check_period(value: str) -> None:
    if not PERIOD_PATTERN.fullmatch(value):
        raise ValidationError(
            _("A period is a year (2026), a tertial (2026-T1) or a month (2026-03).")
        )


check_period.pattern = PERIOD_PATTERN  # type: ignore[attr-defined]  # for sync/rules.json

YEAR_PATTERN = re.compile(r"(?:19|20|21)\d{2}", re.ASCII)


def check_year(value: str) -> None:
    if not YEAR_PATTERN.fullmatch(value):
        raise ValidationError(_("A year, such as 2026."))


check_year.pattern = YEAR_PATTERN  # type: ignore[attr-defined]  # for sync/rules.json


# ---- input ----------------------------------------------------------------------------------


class AreaWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    theme_id = fields.UUID(allow_none=True)
    name = PseudonymousText(SHORT_TEXT, min_length=1, required=True)
    process_goals = PseudonymousText(LONG_TEXT, allow_none=True)
    process_measures = PseudonymousText(LONG_TEXT, allow_none=True)
    follow_up_methods = PseudonymousText(LONG_TEXT, allow_none=True)
    position = fields.Integer(strict=True, validate=counted())


class MeasureWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    area_id = fields.UUID(allow_none=True)
    name = PseudonymousText(300, min_length=1, required=True)
    description = PseudonymousText(LONG_TEXT, allow_none=True)
    kind = fields.String(required=True, validate=one_of(MEASURE_KINDS))
    unit_of_measure = PseudonymousText(50, min_length=1)
    level = fields.Integer(strict=True, validate=validate.OneOf(MEASURE_LEVELS))
    aggregation = fields.String(validate=one_of(AGGREGATIONS))
    numerator_label = PseudonymousText(SHORT_TEXT, allow_none=True)
    denominator_label = PseudonymousText(SHORT_TEXT, allow_none=True)
    active = fields.Boolean()
    resource = fields.String(
        allow_none=True,
        validate=one_of(RESOURCES),
        metadata={"description": "What a structure measure counts (seed 003)."},
    )
    year_rule = fields.String(
        allow_none=True,
        validate=one_of(YEAR_RULES),
        metadata={
            "description": "How the year is built from the tertials when no value for the "
            "whole year is entered; null: sum, or mean for a structure measure."
        },
    )
    cost_label = PseudonymousText(SHORT_TEXT, allow_none=True)
    costs = fields.Dict(
        keys=fields.String(validate=check_year),
        values=fields.Float(allow_nan=False, validate=validate.Range(min=0, max=1e12)),
        validate=validate.Length(max=50),
        metadata={
            "description": "The economic key figure: a cost per unit of the measure, per year "
            '({"2026": 650000}).'
        },
    )

    checks = (
        OnlyWhen(
            "resource",
            "kind",
            values=("structure",),
            message=N_("Only a structure measure says which resource it counts."),
        ),
    )


class MeasureValueWriteSchema(StrictSchema):
    id = fields.UUID()
    measure_id = fields.UUID(required=True)
    unit_id = fields.UUID(required=True)
    period = fields.String(required=True, validate=check_period)
    value = fields.Float(allow_none=True, allow_nan=False)
    numerator = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(min=0))
    denominator = fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(min=0))
    note = PseudonymousText(LONG_TEXT, allow_none=True)


class RegisterEntryWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    entry_date = fields.Date(required=True)
    kind = fields.String(required=True, validate=one_of(REGISTER_KINDS))
    title = PseudonymousText(SHORT_TEXT, min_length=1, required=True)
    description = PseudonymousText(LONG_TEXT, allow_none=True)
    analysis = PseudonymousText(LONG_TEXT, allow_none=True)
    source = fields.String(
        allow_none=True,
        validate=one_of(ALL_REGISTER_SOURCES),
        metadata={
            "description": "The kvalitetsregister, the national survey or the authority that "
            "issued a tillsynsrapport; the choices depend on the kind."
        },
    )
    checklist_answer_id = fields.UUID(
        allow_none=True,
        metadata={"description": "The deviation of an egenkontroll this entry records."},
    )


class LinkWriteSchema(StrictSchema):
    id = fields.UUID()
    plan_item_id = fields.UUID(required=True)
    source_table = fields.String(required=True, validate=one_of(LINK_SOURCES))
    source_id = fields.UUID(required=True)


class CaseRecordWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    case_code = CaseCode(required=True)
    intervention = PseudonymousText(100, min_length=1, required=True)
    age_band = fields.String(allow_none=True, validate=one_of(AGE_BANDS))
    gender = fields.String(allow_none=True, validate=one_of(GENDERS))
    needs = fields.List(PseudonymousText(100, min_length=1), validate=validate.Length(max=20))
    started_on = fields.Date(required=True)
    ended_on = fields.Date(allow_none=True)
    end_reason = fields.String(allow_none=True, validate=one_of(END_REASONS))
    needs_met = fields.String(allow_none=True, validate=one_of(NEEDS_MET))
    situation_after = fields.String(allow_none=True, validate=one_of(SITUATIONS_AFTER))
    situation_note = PseudonymousText(LONG_TEXT, allow_none=True)

    checks = (
        DateOrder(
            "started_on",
            "ended_on",
            field="ended_on",
            message=N_("The end comes before the start."),
        ),
        OnlyWhen(
            "end_reason", "ended_on", message=N_("Only an ended intervention has an end reason.")
        ),
        OnlyWhen("needs_met", "ended_on", message=N_("Say this when the intervention has ended.")),
        OnlyWhen(
            "situation_after", "ended_on", message=N_("Say this when the intervention has ended.")
        ),
    )


class SurveyQuestionWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    survey = fields.String(required=True, validate=one_of(SURVEYS))
    text = PseudonymousText(500, min_length=1, required=True)
    answer_type = fields.String(required=True, validate=one_of(ANSWER_TYPES))
    position = fields.Integer(strict=True, validate=counted())
    active = fields.Boolean()


class SurveyResponseWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    survey = fields.String(required=True, validate=one_of(SURVEYS))
    case_record_id = fields.UUID(allow_none=True)
    respondent = fields.String(required=True, validate=one_of(RESPONDENTS))
    answered_on = fields.Date(required=True)
    # {question id: 1-5 | true/false | text}; checked against the questions by the service.
    answers = fields.Dict(keys=fields.UUID(), values=fields.Raw(allow_none=True))

    @validates("answers")
    def _answers_are_pseudonymous(self, answers, **kwargs):
        for value in answers.values():
            if isinstance(value, str):
                if len(value) > 2000:
                    raise ValidationError(_("A text answer is at most 2000 characters."))
                if contains_identity_number(value) or "\x00" in value:
                    raise ValidationError(str(IDENTITY_NUMBER_REASON))


class AnnualTaskWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))
    kind = fields.String(validate=one_of(TASK_KINDS))
    title = PseudonymousText(SHORT_TEXT, min_length=1, required=True)
    due_date = fields.Date(required=True)
    owner_user_id = fields.UUID(allow_none=True)
    owner_name = PseudonymousText(SHORT_TEXT, allow_none=True)
    state = fields.String(validate=one_of(TASK_STATES))
    done_on = fields.Date(allow_none=True)


# The follow-up levels of seed 003 (``server/models/quality_levels.py``).


class AssignmentFollowUpWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    subject_kind = fields.String(validate=one_of(SUBJECT_KINDS))
    subject = PseudonymousText(SHORT_TEXT, min_length=1, required=True)
    provider_kind = fields.String(validate=one_of(PROVIDER_KINDS))
    provider_name = PseudonymousText(SHORT_TEXT, allow_none=True)
    requirements = PseudonymousText(LONG_TEXT, allow_none=True)
    method = PseudonymousText(LONG_TEXT, allow_none=True)
    responsible_name = PseudonymousText(SHORT_TEXT, allow_none=True)
    planned_on = fields.Date(allow_none=True)
    done_on = fields.Date(allow_none=True)
    result = PseudonymousText(LONG_TEXT, allow_none=True)
    outcome = fields.String(allow_none=True, validate=one_of(OUTCOMES))

    checks = (
        RequiredWhen(
            "provider_name",
            "provider_kind",
            values=("private", "non_profit"),
            message=N_("Name the utförare whose uppdrag or avtal is followed up."),
        ),
        OnlyWhen("outcome", "done_on", message=N_("Say this when the follow-up is done.")),
    )


class DeviationWriteSchema(StrictSchema):
    id = fields.UUID()
    follow_up_id = fields.UUID(required=True)
    requirement = PseudonymousText(LONG_TEXT, allow_none=True)
    description = PseudonymousText(LONG_TEXT, min_length=1, required=True)
    action_required = PseudonymousText(LONG_TEXT, allow_none=True)
    due_date = fields.Date(allow_none=True)


class ThematicFollowUpWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    theme = PseudonymousText(SHORT_TEXT, min_length=1, required=True)
    question = PseudonymousText(LONG_TEXT, min_length=1, required=True)
    method = PseudonymousText(LONG_TEXT, allow_none=True)
    responsible_name = PseudonymousText(SHORT_TEXT, allow_none=True)
    scope_unit_ids = fields.List(fields.UUID(), validate=validate.Length(max=200))
    planned_on = fields.Date(allow_none=True)
    done_on = fields.Date(allow_none=True)
    summary = PseudonymousText(LONG_TEXT, allow_none=True)


class ThematicResultWriteSchema(StrictSchema):
    id = fields.UUID()
    follow_up_id = fields.UUID(required=True)
    unit_id = fields.UUID(required=True)
    outcome = fields.String(allow_none=True, validate=one_of(OUTCOMES))
    result = PseudonymousText(LONG_TEXT, allow_none=True)
    assessed_on = fields.Date(allow_none=True)


class OverallAssessmentWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))
    individual_level = PseudonymousText(LONG_TEXT, allow_none=True)
    assignment_level = PseudonymousText(LONG_TEXT, allow_none=True)
    thematic_level = PseudonymousText(LONG_TEXT, allow_none=True)
    overall = PseudonymousText(LONG_TEXT, allow_none=True)
    outcome = fields.String(allow_none=True, validate=one_of(OUTCOMES))
    assessed_on = fields.Date(allow_none=True)


class RiskAnalysisWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    analysed_on = fields.Date(required=True)
    event = PseudonymousText(LONG_TEXT, min_length=1, required=True)
    probability = fields.Integer(
        required=True,
        strict=True,
        validate=validate.OneOf(RISK_SCALE),
        metadata={"description": "Sannolikhet: 1 mycket liten, 2 liten, 3 stor, 4 mycket stor."},
    )
    consequence = fields.Integer(
        required=True,
        strict=True,
        validate=validate.OneOf(RISK_SCALE),
        metadata={"description": "Konsekvens: 1 försumbar, 2 lindrig, 3 måttlig, 4 allvarlig."},
    )
    measures = PseudonymousText(LONG_TEXT, allow_none=True)
    responsible = PseudonymousText(SHORT_TEXT, allow_none=True)
    due_date = fields.Date(allow_none=True)
    follow_up_date = fields.Date(allow_none=True)
    follow_up = PseudonymousText(LONG_TEXT, allow_none=True)

    checks = (
        DateOrder(
            "analysed_on",
            "due_date",
            field="due_date",
            message=N_("The measures cannot be due before the analysis."),
        ),
        DateOrder(
            "analysed_on",
            "follow_up_date",
            field="follow_up_date",
            message=N_("The follow-up cannot come before the analysis."),
        ),
    )


class ChecklistPointSchema(StrictSchema):
    id = fields.UUID(required=True)
    text = PseudonymousText(500, min_length=1, required=True)


class ChecklistWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    area = fields.String(required=True, validate=one_of(CHECKLIST_AREAS))
    name = PseudonymousText(SHORT_TEXT, min_length=1, required=True)
    points = fields.List(
        fields.Nested(ChecklistPointSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_CHECKLIST_POINTS),
        metadata={"description": "The points in order; a point keeps its id when edited."},
    )
    active = fields.Boolean()


class ChecklistRunWriteSchema(StrictSchema):
    id = fields.UUID()
    unit_id = fields.UUID(required=True)
    checklist_id = fields.UUID(required=True)
    run_on = fields.Date(required=True)
    performed_by = PseudonymousText(SHORT_TEXT, allow_none=True)
    state = fields.String(validate=one_of(RUN_STATES))
    summary = PseudonymousText(LONG_TEXT, allow_none=True)


class ChecklistAnswerWriteSchema(StrictSchema):
    id = fields.UUID()
    run_id = fields.UUID(required=True)
    point_id = fields.UUID(required=True)
    answer = fields.String(allow_none=True, validate=one_of(CHECK_ANSWERS))
    note = PseudonymousText(LONG_TEXT, allow_none=True)


class UnitYearSchema(StrictSchema):
    unit_id = fields.UUID(required=True)
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))


class VerksamhetSchema(StrictSchema):
    unit_id = fields.UUID(required=True)


class RowFilterSchema(StrictSchema):
    unit_id = fields.UUID()


class AggregateQuerySchema(StrictSchema):
    period = fields.String(required=True, validate=check_period)


class CompilationQuerySchema(StrictSchema):
    unit_id = fields.UUID(required=True)
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    tertial = fields.Integer(validate=validate.Range(min=1, max=3))


class ReportQuerySchema(UnitYearSchema):
    format = fields.String(load_default="html", validate=one_of(("html", "docx")))


class AnalysisQuerySchema(UnitYearSchema):
    years = fields.Integer(
        load_default=3,
        validate=validate.Range(min=1, max=10),
        metadata={"description": "How many years, this one and those before it."},
    )


class AdoptQuerySchema(StrictSchema):
    unit_id = fields.UUID(required=True)
    year = fields.Integer(validate=validate.Range(min=2000, max=2100))


class AdoptedFormatSchema(StrictSchema):
    format = fields.String(load_default="html", validate=one_of(("html", "docx")))


class AdoptWriteSchema(UnitYearSchema):
    """Adopt (fastställ) the kvalitetsberättelse of a year as it stands."""

    conclusions = PseudonymousText(
        LONG_TEXT,
        allow_none=True,
        metadata={"description": "Section 4: conclusions, priorities and continued work."},
    )
    adopted_in = PseudonymousText(
        SHORT_TEXT,
        allow_none=True,
        metadata={"description": "The body that adopted it, e.g. Ledningsgruppen."},
    )


class ValueImportSchema(StrictSchema):
    """CSV text with a header row: enhet;mått;period;värde;täljare;nämnare;kommentar."""

    unit_id = fields.UUID(required=True)  # the verksamhet whose measures and enheter are meant
    csv = fields.String(required=True, validate=validate.Length(min=1, max=1_000_000))


# ---- output ---------------------------------------------------------------------------------


class AreaSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    theme_id = fields.UUID(allow_none=True)
    name = fields.String()
    process_goals = fields.String(allow_none=True)
    process_measures = fields.String(allow_none=True)
    follow_up_methods = fields.String(allow_none=True)
    position = fields.Integer()


class MeasureSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    area_id = fields.UUID(allow_none=True)
    name = fields.String()
    description = fields.String(allow_none=True)
    kind = fields.String()
    unit_of_measure = fields.String()
    level = fields.Integer()
    aggregation = fields.String()
    numerator_label = fields.String(allow_none=True)
    denominator_label = fields.String(allow_none=True)
    active = fields.Boolean()
    resource = fields.String(allow_none=True)
    year_rule = fields.String(allow_none=True)
    cost_label = fields.String(allow_none=True)
    costs = fields.Dict(keys=fields.String(), values=fields.Float())


class MeasureValueSchema(SyncedRowSchema):
    measure_id = fields.UUID()
    unit_id = fields.UUID()
    period = fields.String()
    value = fields.Float(allow_none=True)
    numerator = fields.Float(allow_none=True)
    denominator = fields.Float(allow_none=True)
    note = fields.String(allow_none=True)


class RegisterEntrySchema(SyncedRowSchema):
    unit_id = fields.UUID()
    entry_date = fields.Date()
    kind = fields.String()
    title = fields.String()
    description = fields.String(allow_none=True)
    analysis = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    checklist_answer_id = fields.UUID(allow_none=True)


class LinkSchema(SyncedRowSchema):
    plan_item_id = fields.UUID()
    plan_id = fields.UUID()
    unit_id = fields.UUID()
    source_table = fields.String()
    source_id = fields.UUID()


class CaseRecordSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    case_code = fields.String()
    intervention = fields.String()
    age_band = fields.String(allow_none=True)
    gender = fields.String(allow_none=True)
    needs = fields.List(fields.String())
    started_on = fields.Date()
    ended_on = fields.Date(allow_none=True)
    end_reason = fields.String(allow_none=True)
    needs_met = fields.String(allow_none=True)
    situation_after = fields.String(allow_none=True)
    situation_note = fields.String(allow_none=True)


class SurveyQuestionSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    survey = fields.String()
    text = fields.String()
    answer_type = fields.String()
    position = fields.Integer()
    active = fields.Boolean()


class SurveyResponseSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    survey = fields.String()
    case_record_id = fields.UUID(allow_none=True)
    respondent = fields.String()
    answered_on = fields.Date()
    answers = fields.Dict()


class AnnualTaskSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    year = fields.Integer()
    kind = fields.String()
    title = fields.String()
    due_date = fields.Date()
    owner_user_id = fields.UUID(allow_none=True)
    owner_name = fields.String(allow_none=True)
    state = fields.String()
    done_on = fields.Date(allow_none=True)


class RiskAnalysisSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    analysed_on = fields.Date()
    event = fields.String()
    probability = fields.Integer()
    consequence = fields.Integer()
    risk_value = fields.Method(
        "_risk_value",
        metadata={"description": "Sannolikhet × konsekvens, 1-16 (derived, not stored)."},
    )
    measures = fields.String(allow_none=True)
    responsible = fields.String(allow_none=True)
    due_date = fields.Date(allow_none=True)
    follow_up_date = fields.Date(allow_none=True)
    follow_up = fields.String(allow_none=True)

    def _risk_value(self, row) -> int:
        return row.probability * row.consequence


class ChecklistPointOutSchema(Schema):
    id = fields.String()
    text = fields.String()


class ChecklistSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    area = fields.String()
    name = fields.String()
    points = fields.List(fields.Nested(ChecklistPointOutSchema))
    active = fields.Boolean()


class ChecklistRunSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    checklist_id = fields.UUID()
    run_on = fields.Date()
    performed_by = fields.String(allow_none=True)
    state = fields.String()
    summary = fields.String(allow_none=True)


class ChecklistAnswerSchema(SyncedRowSchema):
    run_id = fields.UUID()
    unit_id = fields.UUID()
    point_id = fields.UUID()
    point_text = fields.String()
    answer = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class ChecklistDefaultsResultSchema(Schema):
    """How many checklists were added."""

    checklists = fields.Integer()


class UnitAggregateSchema(Schema):
    unit_id = fields.UUID()
    value = fields.Float(allow_none=True)
    numerator = fields.Float(allow_none=True)
    denominator = fields.Float(allow_none=True)


class AggregateSchema(Schema):
    measure_id = fields.UUID()
    period = fields.String()
    aggregation = fields.String()
    value = fields.Float(allow_none=True)
    numerator = fields.Float(allow_none=True)
    denominator = fields.Float(allow_none=True)
    reported = fields.Integer()
    expected = fields.Integer()
    per_unit = fields.List(fields.Nested(UnitAggregateSchema))
    withheld = fields.Boolean(
        metadata={
            "description": "The figure is left out: with your own it would give away the one "
            "other enhet that reported."
        }
    )
    local = fields.Boolean(
        metadata={
            "description": "An enhet's own measure (nivå 3 of its own): the figure is that "
            "enhet's, never summed with other enheter."
        }
    )


class DefaultsResultSchema(Schema):
    """How many rows of each kind were added."""

    quality_areas = fields.Integer()
    quality_measures = fields.Integer()
    survey_questions = fields.Integer()


class ImportResultSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()


class CountsSchema(Schema):
    unit_id = fields.UUID(allow_none=True)
    unit_name = fields.String()
    cases = fields.Integer()
    ended = fields.Integer()
    by_intervention = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_age_band = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_gender = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_need = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_end_reason = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_needs_met = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_situation_after = fields.Dict(keys=fields.String(), values=fields.Integer())
    interrupted_by_intervention = fields.Dict(keys=fields.String(), values=fields.Integer())


class CompilationSchema(Schema):
    unit_id = fields.UUID()
    year = fields.Integer()
    tertial = fields.Integer(allow_none=True)
    period_start = fields.Date()
    period_end = fields.Date()
    total = fields.Nested(CountsSchema)
    per_unit = fields.List(fields.Nested(CountsSchema))


class AssignmentFollowUpSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    subject_kind = fields.String()
    subject = fields.String()
    provider_kind = fields.String()
    provider_name = fields.String(allow_none=True)
    requirements = fields.String(allow_none=True)
    method = fields.String(allow_none=True)
    responsible_name = fields.String(allow_none=True)
    planned_on = fields.Date(allow_none=True)
    done_on = fields.Date(allow_none=True)
    result = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)


class DeviationSchema(SyncedRowSchema):
    follow_up_id = fields.UUID()
    unit_id = fields.UUID()
    requirement = fields.String(allow_none=True)
    description = fields.String()
    action_required = fields.String(allow_none=True)
    due_date = fields.Date(allow_none=True)


class ThematicFollowUpSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    theme = fields.String()
    question = fields.String()
    method = fields.String(allow_none=True)
    responsible_name = fields.String(allow_none=True)
    scope_unit_ids = fields.List(fields.UUID())
    planned_on = fields.Date(allow_none=True)
    done_on = fields.Date(allow_none=True)
    summary = fields.String(allow_none=True)


class ThematicResultSchema(SyncedRowSchema):
    follow_up_id = fields.UUID()
    unit_id = fields.UUID()
    outcome = fields.String(allow_none=True)
    result = fields.String(allow_none=True)
    assessed_on = fields.Date(allow_none=True)


class OverallAssessmentSchema(SyncedRowSchema):
    unit_id = fields.UUID()
    year = fields.Integer()
    individual_level = fields.String(allow_none=True)
    assignment_level = fields.String(allow_none=True)
    thematic_level = fields.String(allow_none=True)
    overall = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    assessed_on = fields.Date(allow_none=True)


class IndividualBasisSchema(Schema):
    cases = fields.Integer()
    ended = fields.Integer()
    by_end_reason = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_needs_met = fields.Dict(keys=fields.String(), values=fields.Integer())


class AssignmentBasisSchema(Schema):
    follow_ups = fields.Integer()
    done = fields.Integer()
    by_outcome = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_provider_kind = fields.Dict(keys=fields.String(), values=fields.Integer())
    deviations = fields.Integer()
    deviations_with_action = fields.Integer(
        metadata={"description": "Deviations a handlingsplan row answers (quality_links)."}
    )


class ThemeBasisSchema(Schema):
    follow_up_id = fields.UUID()
    theme = fields.String()
    done_on = fields.Date(allow_none=True)
    units = fields.Integer(metadata={"description": "Units in scope."})
    answered = fields.Integer(metadata={"description": "Units in scope with an outcome."})
    by_outcome = fields.Dict(keys=fields.String(), values=fields.Integer())


class ThematicBasisSchema(Schema):
    follow_ups = fields.Integer()
    done = fields.Integer()
    by_outcome = fields.Dict(keys=fields.String(), values=fields.Integer())
    themes = fields.List(fields.Nested(ThemeBasisSchema))


class AssessmentBasisSchema(Schema):
    """What the sammanvägd bedömning of a year is drawn from, level by level."""

    unit_id = fields.UUID()
    year = fields.Integer()
    individual = fields.Nested(IndividualBasisSchema)
    assignment = fields.Nested(AssignmentBasisSchema)
    thematic = fields.Nested(ThematicBasisSchema)


class OutcomeFields(Schema):
    cases = fields.Integer()
    ended = fields.Integer()
    planned = fields.Integer()
    interrupted = fields.Integer()
    needs_met = fields.Integer()
    improved = fields.Integer()


class PeriodOutcomesSchema(OutcomeFields):
    period = fields.String()


class YearOutcomesSchema(OutcomeFields):
    year = fields.Integer()


class GroupOutcomesSchema(Schema):
    dimension = fields.String()
    group = fields.String()
    ended = fields.Integer(allow_none=True)
    planned = fields.Integer(allow_none=True)
    interrupted = fields.Integer(allow_none=True)
    needs_met = fields.Integer(allow_none=True)
    improved = fields.Integer(allow_none=True)
    withheld = fields.Boolean()


class CaseAnalysisSchema(Schema):
    periods = fields.List(fields.Nested(PeriodOutcomesSchema))
    groups = fields.List(fields.Nested(GroupOutcomesSchema))
    years = fields.List(fields.Nested(YearOutcomesSchema))
    min_group = fields.Integer()


class YearFigureSchema(Schema):
    year = fields.Integer()
    value = fields.Float(allow_none=True)
    numerator = fields.Float(allow_none=True)
    denominator = fields.Float(allow_none=True)
    from_tertials = fields.Boolean()
    tertials = fields.Integer()
    reported = fields.Integer()
    expected = fields.Integer()
    withheld = fields.Boolean()
    cost_per_unit = fields.Float(allow_none=True)
    cost = fields.Float(allow_none=True)


class MeasureYearsSchema(Schema):
    measure_id = fields.UUID()
    name = fields.String()
    kind = fields.String()
    resource = fields.String(allow_none=True)
    unit_of_measure = fields.String()
    aggregation = fields.String()
    local = fields.Boolean()
    cost_label = fields.String(allow_none=True)
    years = fields.List(fields.Nested(YearFigureSchema))


class AnalysisSchema(Schema):
    unit_id = fields.UUID()
    year = fields.Integer()
    cases = fields.Nested(CaseAnalysisSchema)
    measures = fields.List(fields.Nested(MeasureYearsSchema))


class AdoptedReportSchema(Schema):
    id = fields.UUID()
    unit_id = fields.UUID()
    year = fields.Integer()
    version = fields.Integer()
    adopted_at = fields.DateTime()
    adopted_by = fields.UUID(allow_none=True)
    adopted_by_name = fields.String()
    adopted_in = fields.String(allow_none=True)
    conclusions = fields.String(allow_none=True)
    filename = fields.String()


# The write schema of each synced table, for the sync push (server/services/sync/push.py).
WRITE_SCHEMAS: dict[str, Schema] = {
    "quality_areas": AreaWriteSchema(),
    "quality_measures": MeasureWriteSchema(),
    "measure_values": MeasureValueWriteSchema(),
    "register_entries": RegisterEntryWriteSchema(),
    "case_records": CaseRecordWriteSchema(),
    "survey_questions": SurveyQuestionWriteSchema(),
    "survey_responses": SurveyResponseWriteSchema(),
    "annual_tasks": AnnualTaskWriteSchema(),
    "quality_links": LinkWriteSchema(),
    "assignment_follow_ups": AssignmentFollowUpWriteSchema(),
    "follow_up_deviations": DeviationWriteSchema(),
    "thematic_follow_ups": ThematicFollowUpWriteSchema(),
    "thematic_results": ThematicResultWriteSchema(),
    "overall_assessments": OverallAssessmentWriteSchema(),
    "risk_analyses": RiskAnalysisWriteSchema(),
    "checklists": ChecklistWriteSchema(),
    "checklist_runs": ChecklistRunWriteSchema(),
    "checklist_answers": ChecklistAnswerWriteSchema(),
}
