"""Writing the Swedish quality follow-up: one set of rules for REST, CSV import and sync push.

Every table of ``server/models/quality.py`` is written through a ``QualityTable``: create,
update and tombstone, with the permission and the cross-row checks of that table. The sync
push registers the same objects as its writers (``server/services/sync/push.py``), so a
tablet offline and the REST API are held to the same rules. Like ``plans.py``, the functions
take loaded Python values, change the session and never commit.

Who writes what (``server/services/access.py`` has the table):

    table              unit                        action
    quality_areas      a se_verksamhet, or an      manage_plans   (definitions: managers)
                       se_enhet (its own, nivå 3)
    quality_measures   a se_verksamhet, or an      manage_plans
                       se_enhet (its own, nivå 3)
    survey_questions   a se_verksamhet             manage_plans
    annual_tasks       a Swedish unit              manage_plans; staff may tick a task done,
                                                   and its owner from an enhet below
    measure_values     the measure's enhet(er) or  write_items    (staff enter what happened)
                       its verksamhet (nivå 2)
    register_entries   a Swedish unit              write_items
    case_records       a Swedish unit              write_items
    survey_responses   a Swedish unit              write_items
    quality_links      the plan item's unit        write_items
    risk_analyses      a Swedish unit              write_items
    checklists         a se_verksamhet, or an      manage_plans   (definitions: managers)
                       se_enhet (its own)
    checklist_runs     a Swedish unit              write_items    (the checklist its own or
                                                                   its verksamhet's)
    checklist_answers  the run's unit              write_items

The follow-up levels of seed 003 (``server/models/quality_levels.py``):

    assignment_follow_ups  the unit whose uppdrag/    manage_plans  (whoever follows up: the
                           avtal it is, or that                     verksamhet's managers, or
                           commissioned an utförare                 an enhet's for its own)
    follow_up_deviations   the follow-up's unit       manage_plans
    thematic_follow_ups    a se_verksamhet            manage_plans  (theme, question, scope,
                                                                    summary)
    thematic_results       a unit in the follow-up's  write_items   (the unit answers for
                           scope (below it)                         itself, or its managers)
    overall_assessments    a se_verksamhet, per year  manage_plans

Reading is ``read_plans`` (staff, managers, inspectors) on the row's unit, as for plans; a
verksamhet's definitions and årshjul are read also from the enheter below it. Of a tematisk
uppföljning, everyone below its verksamhet reads the follow-up (a definition) but each unit's
result only its own readers and those above it: enhet A never receives enhet B's result.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import clock
from server.i18n import _, _l
from server.models import (
    AnnualTask,
    CaseRecord,
    Checklist,
    ChecklistAnswer,
    ChecklistRun,
    MeasureValue,
    Membership,
    Plan,
    PlanItem,
    QualityArea,
    QualityLink,
    QualityMeasure,
    RegisterEntry,
    RiskAnalysis,
    SurveyQuestion,
    SurveyResponse,
    SyncedMixin,
    Theme,
    Unit,
)
from server.models.quality import REGISTER_SOURCES
from server.models.quality_levels import (
    AssignmentFollowUp,
    FollowUpDeviation,
    OverallAssessment,
    ThematicFollowUp,
    ThematicResult,
)
from server.schemas.quality import (
    AssignmentFollowUpWriteSchema,
    CaseRecordWriteSchema,
    MeasureWriteSchema,
    RiskAnalysisWriteSchema,
)
from server.services.access import Principal
from server.services.errors import InvalidState, NotFound, field_error
from server.services.rows import refuse_changes, refuse_failed_checks, refuse_taken_id

SWEDISH_UNIT_KINDS = ("se_verksamhet", "se_enhet")
# Rows of a verksamhet read also by users of the enheter below it: its quality model (areas,
# measures, survey questions) and its årshjul, which the enheter follow (seed 004).
DEFINITION_TABLES = frozenset(
    {
        "quality_areas",
        "quality_measures",
        "survey_questions",
        "annual_tasks",
        "thematic_follow_ups",
        "checklists",
    }
)
# A stable namespace for the ids of measure values (see ``measure_value_id``).
MEASURE_VALUE_NAMESPACE = uuid.UUID("5b6f0c3e-8a52-4d2b-9a0e-6f1f8f0a4c17")
# ... and of the answers of an egenkontroll (see ``checklist_answer_id``).
CHECKLIST_ANSWER_NAMESPACE = uuid.UUID("0c9d4f7e-3b1a-4e55-8f2d-7a6b5c4d3e21")
# What staff may change on an årshjul task; anything else is the managers'.
TASK_FIELDS_FOR_STAFF = frozenset({"state", "done_on"})


def measure_value_id(measure_id: uuid.UUID, unit_id: uuid.UUID, period: str) -> uuid.UUID:
    """The one id of a (measure, unit, period) cell. The PWA computes the same UUIDv5, so two
    devices entering the same cell offline edit one row (and meet in the merge rules)."""
    return uuid.uuid5(MEASURE_VALUE_NAMESPACE, f"{measure_id}/{unit_id}/{period}")


# The namespace of the derived ids of the follow-up levels (one row per unit and follow-up,
# one sammanvägd bedömning per verksamhet and year), for the same reason as measure values.
LEVELS_NAMESPACE = uuid.UUID("0d3c5a61-7f4e-4b8e-8f5d-2a9c1e6b7d40")


def thematic_result_id(follow_up_id: uuid.UUID, unit_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(LEVELS_NAMESPACE, f"thematic/{follow_up_id}/{unit_id}")


def overall_assessment_id(unit_id: uuid.UUID, year: int) -> uuid.UUID:
    return uuid.uuid5(LEVELS_NAMESPACE, f"overall/{unit_id}/{year}")


def checklist_answer_id(run_id: uuid.UUID, point_id: uuid.UUID) -> uuid.UUID:
    """The one id of the answer to a point in a run (UUIDv5; the PWA computes the same)."""
    return uuid.uuid5(CHECKLIST_ANSWER_NAMESPACE, f"{run_id}/{point_id}")


# ---- units ---------------------------------------------------------------------------------


def live_unit(session: Session, unit_id: uuid.UUID | None, field: str = "unit_id") -> Unit:
    unit = session.get(Unit, unit_id) if unit_id else None
    if unit is None or unit.deleted:
        raise field_error(field, _("No such unit."))
    return unit


def verksamhet_of(session: Session, unit: Unit) -> Unit | None:
    """The verksamhetsuppdrag (nivå 2) a unit is or lies under, if any."""
    seen: set[uuid.UUID] = set()
    current: Unit | None = unit
    while current is not None and current.id not in seen:
        if current.kind == "se_verksamhet":
            return current
        seen.add(current.id)
        current = session.get(Unit, current.parent_id) if current.parent_id else None
    return None


def enheter_of(session: Session, verksamhet: Unit) -> list[Unit]:
    """The live enheter (nivå 3) below a verksamhet, at any depth, by name."""
    found: list[Unit] = []
    frontier = [verksamhet.id]
    while frontier:
        children = session.scalars(
            select(Unit).where(Unit.parent_id.in_(frontier), Unit.deleted.is_(False))
        ).all()
        found += [c for c in children if c.kind == "se_enhet"]
        frontier = [c.id for c in children]
    return sorted(found, key=lambda u: u.name)


def nearest_unit_below(
    session: Session, principal: Principal, unit_id: uuid.UUID, action: str = "read_plans"
) -> uuid.UUID | None:
    """Of the units below ``unit_id`` where the user may do ``action``, the nearest one (then
    by name); None if there is none."""
    found: list[tuple[int, str, uuid.UUID]] = []
    for candidate in principal.units_for(action):
        steps, current = 0, session.get(Unit, candidate)
        while current is not None and current.parent_id is not None and steps < 100:
            steps += 1
            if current.parent_id == unit_id:
                found.append((steps, session.get_one(Unit, candidate).name, candidate))
                break
            current = session.get(Unit, current.parent_id)
    return min(found)[2] if found else None


def access_unit(session: Session, principal: Principal, row: SyncedMixin) -> uuid.UUID:
    """The unit whose role decides a change of ``row``: its own, except that the owner of an
    årshjul task of their verksamhet, who reads it from their enhet (docs/api.md), ticks it by
    their role in that enhet."""
    unit_id: uuid.UUID = row.unit_id  # type: ignore[attr-defined,assignment]
    if (
        isinstance(row, AnnualTask)
        and row.owner_user_id == principal.user_id
        and not principal.can("write_items", unit_id)
        and unit_id in principal.definition_units
    ):
        return nearest_unit_below(session, principal, unit_id, "write_items") or unit_id
    return unit_id


def _require_kind(unit: Unit, kinds: Iterable[str], what: str) -> None:
    if unit.kind not in kinds:
        raise field_error(
            "unit_id",
            _(
                "%(what)s belongs to a Swedish unit of kind %(value)s.",
                what=what,
                value=" or ".join(kinds),
            ),
        )


# ---- one writer per table -------------------------------------------------------------------

# check(session, principal, values, row) -> server-set values. ``values`` are the row's values
# after the change (the current row overlaid with what was sent).
Check = Callable[[Session, Principal, dict[str, Any], SyncedMixin | None], dict[str, Any]]


@dataclass(frozen=True)
class QualityTable:
    model: type[SyncedMixin]
    check: Check
    action: str = "write_items"
    # Fixed once the row exists.
    immutable: tuple[str, ...] = ("unit_id",)
    # Changes that need only ``write_items`` although creating needs ``action``.
    staff_fields: frozenset[str] = frozenset()
    # Why a row of this table is never deleted, if it is not.
    undeletable: Any = None  # a lazy message (server/i18n.py)

    def create(
        self,
        session: Session,
        principal: Principal,
        values: dict[str, Any],
        row_id: uuid.UUID | None = None,
        *,
        in_batch: bool = False,
    ) -> SyncedMixin:
        values = {k: v for k, v in values.items() if k != "id"}
        unit_id = self._unit_of(session, principal, values)
        principal.require(self.action, unit_id, "unit")
        server_values = self.check(session, principal, dict(values), None)
        required_id = server_values.pop("id", None)
        if required_id is not None and row_id is not None and row_id != required_id:
            raise field_error(
                "id",
                _(
                    "The id of this row is derived from its contents (UUIDv5): %(required_id)s.",
                    required_id=required_id,
                ),
            )
        row_id = required_id or row_id or uuid.uuid4()
        if not in_batch:
            refuse_taken_id(session, principal, self.model, row_id, "row")
        model: Any = self.model
        row = model(id=row_id, **{**values, **server_values})
        session.add(row)
        session.flush()
        return row

    def update(
        self, session: Session, principal: Principal, row: SyncedMixin, values: dict[str, Any]
    ) -> SyncedMixin:
        values = {k: v for k, v in values.items() if k != "id"}
        changed = {k for k, v in values.items() if getattr(row, k) != v}
        what = self.model.sync_table.rstrip("s")
        if changed - self.staff_fields:
            principal.require(self.action, row.unit_id, what)
        else:
            principal.require("write_items", access_unit(session, principal, row), what)
        refuse_changes(row, values, self.immutable)
        current = {f: getattr(row, f) for f in row.sync_fields}
        server_values = self.check(session, principal, {**current, **values}, row)
        server_values.pop("id", None)
        for field, value in {**values, **server_values}.items():
            setattr(row, field, value)
        session.flush()
        return row

    def delete(self, session: Session, principal: Principal, row: SyncedMixin) -> None:
        principal.require(self.action, row.unit_id, self.model.sync_table.rstrip("s"))
        if self.undeletable:
            raise InvalidState(self.undeletable)
        if self.model is QualityArea and _live(
            session, QualityMeasure, QualityMeasure.area_id, row.id
        ):
            raise InvalidState(_("Measures still belong to this area; move or delete them first."))
        row.deleted = True
        if self.model is QualityMeasure:
            # A measure's values go with it (tombstones, so devices hear of it).
            for value in _live(session, MeasureValue, MeasureValue.measure_id, row.id):
                value.deleted = True
        if self.model is ChecklistRun:
            # A run's answers are the run: they go with it.
            for answer in _live(session, ChecklistAnswer, ChecklistAnswer.run_id, row.id):
                answer.deleted = True
        if self.model is CaseRecord:
            # The survey a client answered at the end of the case is about that person: it goes
            # with the case, in the same way. Kept, it would outlive what someone chose to erase.
            for response in _live(session, SurveyResponse, SurveyResponse.case_record_id, row.id):
                response.deleted = True
        # A follow-up's own rows go with it (tombstones, so devices hear of it).
        if self.model is AssignmentFollowUp:
            for deviation in _live(
                session, FollowUpDeviation, FollowUpDeviation.follow_up_id, row.id
            ):
                deviation.deleted = True
        if self.model is ThematicFollowUp:
            for result in _live(session, ThematicResult, ThematicResult.follow_up_id, row.id):
                result.deleted = True
        session.flush()

    def _unit_of(self, session: Session, principal: Principal, values: dict[str, Any]) -> uuid.UUID:
        if self.model is QualityLink:
            item = session.get(PlanItem, values.get("plan_item_id"))
            if item is None or item.deleted:
                raise field_error("plan_item_id", _("No such item."))
            return item.unit_id
        if self.model is FollowUpDeviation:
            return _readable_follow_up(session, principal, values).unit_id
        if self.model is ChecklistAnswer:
            run = session.get(ChecklistRun, values.get("run_id"))
            if run is None or run.deleted:
                raise field_error("run_id", _("No such egenkontroll."))
            return run.unit_id
        return values["unit_id"]


def _live(session: Session, model: type[Any], column: Any, value: Any) -> list[Any]:
    return list(session.scalars(select(model).where(column == value, model.deleted.is_(False))))


# ---- the checks of each table ---------------------------------------------------------------


def _definition_unit(session: Session, values: dict[str, Any], what: str) -> Unit:
    """A verksamhet (nivå 2), or an enhet below one (nivå 3: its own goals and measures beside
    the verksamhet's, seed 003 "Tas fram per enhet")."""
    unit = live_unit(session, values["unit_id"])
    _require_kind(unit, SWEDISH_UNIT_KINDS, what)
    if unit.kind == "se_enhet" and verksamhet_of(session, unit) is None:
        raise field_error(
            "unit_id", _("%(what)s of an enhet needs a verksamhet above it.", what=what)
        )
    return unit


def is_local(session: Session, measure: QualityMeasure) -> bool:
    """A measure an enhet defined for itself (nivå 3 of its own), not its verksamhet's."""
    return session.get_one(Unit, measure.unit_id).kind == "se_enhet"


def _check_area(session, principal, values, row):
    _definition_unit(session, values, _("A quality area"))
    theme_id = values.get("theme_id")
    if theme_id is not None:
        theme = session.get(Theme, theme_id)
        if theme is None or theme.deleted:
            raise field_error("theme_id", _("No such quality area in the catalogue."))
    return {}


def _check_measure(session, principal, values, row):
    unit = _definition_unit(session, values, _("A measure"))
    # An enhet's own areas and its verksamhet's are both its to measure against.
    areas_of = {unit.id}
    if unit.kind == "se_enhet":
        if values.get("level", 3) != 3:
            raise field_error("level", _("A measure of an enhet is a nivå 3 measure."))
        areas_of.add(_verksamhet_id(session, unit))  # type: ignore[arg-type]
    area_id = values.get("area_id")
    if area_id is not None:
        area = session.get(QualityArea, area_id)
        if area is None or area.deleted or area.unit_id not in areas_of:
            raise field_error("area_id", _("Not a quality area of this unit or its verksamhet."))
    refuse_failed_checks(MeasureWriteSchema.checks, values)
    if values.get("costs") and values.get("aggregation", "sum") == "rate":
        # A share has no unit to put a price on: 0,4 of the plans is not a quantity.
        raise field_error(
            "costs", _("A cost per unit is set against a sum or a mean, not against a share.")
        )
    # Values entered as plain numbers cannot become ratios (or move level) after the fact.
    for field in ("aggregation", "level"):
        changed = row is not None and values.get(field) != getattr(row, field)
        if changed and _live(session, MeasureValue, MeasureValue.measure_id, row.id):
            raise field_error(field, _("The measure has values; make a new measure instead."))
    return {}


def _check_measure_value(session, principal, values, row):
    measure = session.get(QualityMeasure, values["measure_id"])
    if measure is None or measure.deleted or not principal.reads_definitions_of(measure.unit_id):
        raise field_error("measure_id", _("No such measure."))
    unit = live_unit(session, values["unit_id"])
    if row is None:
        if measure.level == 2 and unit.id != measure.unit_id:
            raise field_error("unit_id", _("A nivå 2 measure is reported for its verksamhet."))
        if is_local(session, measure):
            if unit.id != measure.unit_id:
                raise field_error("unit_id", _("An enhet's own measure is reported for it alone."))
        elif measure.level == 3 and (
            unit.kind != "se_enhet" or _verksamhet_id(session, unit) != measure.unit_id
        ):
            raise field_error(
                "unit_id", _("A nivå 3 measure is reported per enhet of its verksamhet.")
            )
    elif values["measure_id"] != row.measure_id or values["period"] != row.period:
        raise field_error("period", _("Cannot be changed once the value exists; enter a new one."))
    if measure.aggregation == "rate":
        numerator, denominator = values.get("numerator"), values.get("denominator")
        if numerator is not None and denominator is not None and numerator > denominator:
            raise field_error("numerator", _("The numerator cannot exceed the denominator."))
        values_out = {"value": None if not denominator else (numerator or 0) / denominator}
    else:
        if values.get("numerator") is not None or values.get("denominator") is not None:
            raise field_error(
                "numerator", _("Only a rate measure takes a numerator and denominator.")
            )
        values_out = {}
    if row is None:
        values_out["id"] = measure_value_id(measure.id, unit.id, values["period"])
        taken = session.scalar(
            select(MeasureValue).where(
                MeasureValue.measure_id == measure.id,
                MeasureValue.unit_id == unit.id,
                MeasureValue.period == values["period"],
                MeasureValue.deleted.is_(False),
            )
        )
        if taken is not None:
            raise field_error(
                "period", _("This enhet already has a value for the period; edit it.")
            )
    return values_out


def _verksamhet_id(session: Session, unit: Unit) -> uuid.UUID | None:
    verksamhet = verksamhet_of(session, unit)
    return verksamhet.id if verksamhet else None


def _check_register_entry(session, principal, values, row):
    _require_kind(live_unit(session, values["unit_id"]), SWEDISH_UNIT_KINDS, _("The register"))
    answer_id = values.get("checklist_answer_id")
    if answer_id is not None and (row is None or answer_id != row.checklist_answer_id):
        answer = session.get(ChecklistAnswer, answer_id)
        if answer is None or answer.deleted or answer.unit_id != values["unit_id"]:
            raise field_error("checklist_answer_id", _("No such answer in this unit."))
        if answer.answer != "deviation":
            raise field_error(
                "checklist_answer_id", _("Only a deviation becomes a register entry.")
            )
    source = values.get("source")
    if source is not None:
        choices = REGISTER_SOURCES.get(values["kind"])
        if choices is None:
            raise field_error(
                "source",
                _(
                    "Only a quality register, a national survey or an inspection report "
                    "names its source."
                ),
            )
        if source not in choices:
            raise field_error(
                "source", _("Choose one of %(choices)s for this kind.", choices=", ".join(choices))
            )
    return {}


def _check_case_record(session, principal, values, row):
    unit = live_unit(session, values["unit_id"])
    _require_kind(unit, SWEDISH_UNIT_KINDS, _("A case record"))
    refuse_failed_checks(CaseRecordWriteSchema.checks, values)
    query = select(CaseRecord.id).where(
        CaseRecord.unit_id == unit.id,
        CaseRecord.case_code == values["case_code"],
        CaseRecord.deleted.is_(False),
    )
    if row is not None:
        query = query.where(CaseRecord.id != row.id)
    if session.scalar(query.limit(1)) is not None:
        raise field_error("case_code", _("This case code is already used in the enhet."))
    if "needs" in values:
        # Labels as written, without duplicates, so the compilation counts each once.
        return {"needs": list(dict.fromkeys(n.strip() for n in values["needs"] or [] if n.strip()))}
    return {}


def _check_survey_question(session, principal, values, row):
    verksamhet = live_unit(session, values["unit_id"])
    _require_kind(verksamhet, ("se_verksamhet",), _("A survey question"))
    if row is not None and values["survey"] != row.survey:
        raise field_error("survey", _("Cannot be changed once the question exists."))
    if row is not None and values["answer_type"] != row.answer_type:
        # Answers already given were given to the old type (a 1-5 scale cannot become yes/no).
        units = [verksamhet.id, *(u.id for u in enheter_of(session, verksamhet))]
        answers = session.scalars(
            select(SurveyResponse.answers).where(
                SurveyResponse.unit_id.in_(units),
                SurveyResponse.survey == row.survey,
                SurveyResponse.deleted.is_(False),
            )
        )
        if any(str(row.id) in (given or {}) for given in answers):
            raise field_error("answer_type", _("Answers exist; make a new question instead."))
    return {}


def _check_survey_response(session, principal, values, row):
    unit = live_unit(session, values["unit_id"])
    _require_kind(unit, SWEDISH_UNIT_KINDS, _("A survey response"))
    case_id = values.get("case_record_id")
    if case_id is not None:
        case = session.get(CaseRecord, case_id)
        if case is None or case.deleted or case.unit_id != unit.id:
            raise field_error("case_record_id", _("No such case in this enhet."))
        if values["survey"] != "end_of_intervention":
            raise field_error(
                "case_record_id", _("Only the end-of-intervention survey names a case.")
            )
    verksamhet = verksamhet_of(session, unit)
    questions = {
        q.id: q
        for q in session.scalars(
            select(SurveyQuestion).where(
                SurveyQuestion.unit_id == (verksamhet.id if verksamhet else unit.id),
                SurveyQuestion.survey == values["survey"],
                SurveyQuestion.deleted.is_(False),
            )
        )
    }
    answers: dict[str, Any] = {}
    for question_id, answer in (values.get("answers") or {}).items():
        question = questions.get(uuid.UUID(str(question_id)))
        if question is None:
            raise field_error(
                "answers",
                _("%(question_id)s is not a question of this survey.", question_id=question_id),
            )
        if answer is None:
            continue
        if not _fits(question.answer_type, answer):
            raise field_error(
                "answers",
                _(
                    "%(question_id)s: %(value)s",
                    question_id=question_id,
                    value=ANSWER_HINTS[question.answer_type],
                ),
            )
        answers[str(question.id)] = answer
    return {"answers": answers}


ANSWER_HINTS = {
    "scale": _l("Answer with a whole number from 1 to 5."),
    "yes_no": _l("Answer with true or false."),
    "text": _l("Answer with text."),
}


def _fits(answer_type: str, answer: Any) -> bool:
    if answer_type == "scale":
        return type(answer) is int and 1 <= answer <= 5
    if answer_type == "yes_no":
        return isinstance(answer, bool)
    return isinstance(answer, str)


def _check_annual_task(session, principal, values, row):
    unit = live_unit(session, values["unit_id"])
    _require_kind(unit, SWEDISH_UNIT_KINDS, _("The årshjul"))
    owner = values.get("owner_user_id")
    new_owner = owner is not None and (row is None or owner != row.owner_user_id)
    if new_owner and not _is_member(session, unit, owner):
        raise field_error("owner_user_id", _("The owner must be a member of the unit."))
    out: dict[str, Any] = {}
    if row is None and not values.get("kind"):
        out["kind"] = "other"
    state = values.get("state") or "open"
    if state == "done" and not values.get("done_on"):
        out["done_on"] = clock.now().date()
    if state == "open" and values.get("done_on"):
        out["done_on"] = None
    return out


def _is_member(session: Session, unit: Unit, user_id: uuid.UUID) -> bool:
    """A member of the unit, of a unit above it or of one below it (any role): a verksamhet's
    årshjul task may name a member of one of its enheter."""
    unit_ids = []
    current: Unit | None = unit
    while current is not None and current.id not in unit_ids:
        unit_ids.append(current.id)
        current = session.get(Unit, current.parent_id) if current.parent_id else None
    frontier = [unit.id]
    while frontier:
        frontier = list(
            session.scalars(
                select(Unit.id).where(Unit.parent_id.in_(frontier), Unit.deleted.is_(False))
            )
        )
        frontier = [u for u in frontier if u not in unit_ids]
        unit_ids += frontier
    found = session.scalar(
        select(Membership.id)
        .where(Membership.user_id == user_id, Membership.unit_id.in_(unit_ids))
        .limit(1)
    )
    return found is not None


def _check_link(session, principal, values, row):
    item = session.get_one(PlanItem, values["plan_item_id"])
    plan = session.get_one(Plan, item.plan_id)
    if plan.kind != "se_handlingsplan":
        raise field_error(
            "plan_item_id", _("Only items of a Swedish handlingsplan link to the follow-up.")
        )
    if plan.state == "archived":
        raise InvalidState(_("The plan is archived and can no longer be changed."))
    model = SOURCE_MODELS[values["source_table"]]
    source = session.get(model, values["source_id"])
    if source is None or source.deleted or not may_read(principal, source):
        raise field_error("source_id", _("No such row to link."))
    if row is None:
        duplicate = session.scalar(
            select(QualityLink.id).where(
                QualityLink.plan_item_id == item.id,
                QualityLink.source_id == source.id,
                QualityLink.deleted.is_(False),
            )
        )
        if duplicate is not None:
            raise field_error("source_id", _("The item is linked to this already."))
    elif values["source_id"] != row.source_id or values["plan_item_id"] != row.plan_item_id:
        raise field_error("source_id", _("A link is not moved; delete it and make another."))
    return {"plan_id": item.plan_id, "unit_id": item.unit_id}


# ---- the follow-up levels (seed 003): uppdrag/avtal, tematisk, sammanvägd bedömning -----------


def units_below(session: Session, unit: Unit) -> list[Unit]:
    """Every live unit below ``unit``, at any depth, by name."""
    found: list[Unit] = []
    frontier = [unit.id]
    while frontier:
        children = session.scalars(
            select(Unit).where(Unit.parent_id.in_(frontier), Unit.deleted.is_(False))
        ).all()
        children = [c for c in children if c.id != unit.id and c not in found]
        found += children
        frontier = [c.id for c in children]
    return sorted(found, key=lambda u: u.name)


def _check_assignment_follow_up(session, principal, values, row):
    unit = live_unit(session, values["unit_id"])
    _require_kind(unit, SWEDISH_UNIT_KINDS, _("An uppdrags- or avtalsuppföljning"))
    refuse_failed_checks(AssignmentFollowUpWriteSchema.checks, values)
    return {}


def _readable_follow_up(
    session: Session, principal: Principal, values: dict[str, Any]
) -> AssignmentFollowUp:
    follow_up = session.get(AssignmentFollowUp, values.get("follow_up_id"))
    if follow_up is None or follow_up.deleted or not principal.can("read_plans", follow_up.unit_id):
        raise field_error("follow_up_id", _("No such follow-up."))
    return follow_up


def _check_deviation(session, principal, values, row):
    return {"unit_id": _readable_follow_up(session, principal, values).unit_id}


def _check_thematic_follow_up(session, principal, values, row):
    unit = live_unit(session, values["unit_id"])
    _require_kind(unit, ("se_verksamhet",), _("A thematic follow-up"))
    below = {str(u.id): u for u in units_below(session, unit)}
    scope = list(dict.fromkeys(str(u) for u in values.get("scope_unit_ids") or []))
    # Only a unit added now must lie below: one deleted or moved since it was put in scope
    # stays (with its result) rather than block every later edit of the follow-up.
    kept = set(row.scope_unit_ids or []) if row is not None else set()
    for unit_id in scope:
        if unit_id not in below and unit_id not in kept:
            raise field_error(
                "scope_unit_ids",
                _("%(unit_id)s is not a unit below this verksamhet.", unit_id=unit_id),
            )
    if row is not None:
        # A unit's answer is not dropped by a change of scope: it is cleared first, on purpose.
        removed = set(row.scope_unit_ids or []) - set(scope)
        for result in _live(session, ThematicResult, ThematicResult.follow_up_id, row.id):
            if str(result.unit_id) in removed and (result.outcome or result.result):
                name = session.get_one(Unit, result.unit_id).name
                raise field_error(
                    "scope_unit_ids",
                    _("%(unit)s has a result in this follow-up; clear it first.", unit=name),
                )
    return {"scope_unit_ids": scope}


def _check_thematic_result(session, principal, values, row):
    follow_up = session.get(ThematicFollowUp, values["follow_up_id"])
    if (
        follow_up is None
        or follow_up.deleted
        or not principal.reads_definitions_of(follow_up.unit_id)
    ):
        raise field_error("follow_up_id", _("No such thematic follow-up."))
    unit = live_unit(session, values["unit_id"])
    answered = bool(values.get("outcome") or values.get("result"))
    if str(unit.id) not in (follow_up.scope_unit_ids or []) and (row is None or answered):
        raise field_error("unit_id", _("The unit is not in the scope of this thematic follow-up."))
    if row is not None:
        return {}
    taken = session.scalar(
        select(ThematicResult.id).where(
            ThematicResult.follow_up_id == follow_up.id,
            ThematicResult.unit_id == unit.id,
            ThematicResult.deleted.is_(False),
        )
    )
    if taken is not None:
        raise field_error("unit_id", _("The unit has a result in this follow-up already; edit it."))
    return {"id": thematic_result_id(follow_up.id, unit.id)}


def _check_overall_assessment(session, principal, values, row):
    unit = live_unit(session, values["unit_id"])
    _require_kind(unit, ("se_verksamhet",), _("A sammanvägd bedömning"))
    if row is not None:
        return {}
    taken = session.scalar(
        select(OverallAssessment.id).where(
            OverallAssessment.unit_id == unit.id,
            OverallAssessment.year == values["year"],
            OverallAssessment.deleted.is_(False),
        )
    )
    if taken is not None:
        raise field_error("year", _("The year has a sammanvägd bedömning already; edit it."))
    return {"id": overall_assessment_id(unit.id, values["year"])}


def _check_risk_analysis(session, principal, values, row):
    _require_kind(live_unit(session, values["unit_id"]), SWEDISH_UNIT_KINDS, _("A riskanalys"))
    refuse_failed_checks(RiskAnalysisWriteSchema.checks, values)
    return {}


def _check_checklist(session, principal, values, row):
    _definition_unit(session, values, _("A checklist"))
    points = [{"id": str(p["id"]), "text": p["text"]} for p in values.get("points") or []]
    if len({p["id"] for p in points}) != len(points):
        raise field_error("points", _("Each point of a checklist has its own id."))
    return {"points": points}


def _check_checklist_run(session, principal, values, row):
    unit = live_unit(session, values["unit_id"])
    _require_kind(unit, SWEDISH_UNIT_KINDS, _("An egenkontroll"))
    # Seed 003, Del 3: egenkontroll is "Rutin och genomförande på Nivå 3, följs upp och
    # analyseras i nivå 2". A new run of a verksamhet that has enheter is made on one of them;
    # a verksamhet without enheter runs its own. Runs made before this rule keep working.
    if row is None and unit.kind == "se_verksamhet" and enheter_of(session, unit):
        raise field_error(
            "unit_id",
            _("An egenkontroll is made on an enhet (nivå 3); choose one of the verksamhet's."),
        )
    checklist = session.get(Checklist, values["checklist_id"])
    if (
        checklist is None
        or checklist.deleted
        or checklist.unit_id not in {unit.id, _verksamhet_id(session, unit)}
    ):
        raise field_error("checklist_id", _("Not a checklist of this unit or its verksamhet."))
    if row is None and not checklist.active:
        raise field_error("checklist_id", _("The checklist is no longer in use."))
    return {} if values.get("state") else {"state": "in_progress"}


def _check_checklist_answer(session, principal, values, row):
    run = session.get_one(ChecklistRun, values["run_id"])
    checklist = session.get_one(Checklist, run.checklist_id)
    out: dict[str, Any] = {"unit_id": run.unit_id}
    if row is None:
        point = next((p for p in checklist.points if p["id"] == str(values["point_id"])), None)
        if point is None:
            raise field_error("point_id", _("Not a point of this checklist."))
        out["point_text"] = point["text"]
        out["id"] = checklist_answer_id(run.id, values["point_id"])
        taken = session.scalar(
            select(ChecklistAnswer.id).where(
                ChecklistAnswer.id == out["id"], ChecklistAnswer.deleted.is_(False)
            )
        )
        if taken is not None:
            raise field_error("point_id", _("This point is answered already; edit the answer."))
    elif values["point_id"] != row.point_id:
        raise field_error("point_id", _("Cannot be changed once the answer exists."))
    return out


SOURCE_MODELS: dict[str, type[Any]] = {
    "register_entries": RegisterEntry,
    "quality_measures": QualityMeasure,
    "survey_questions": SurveyQuestion,
    "measure_values": MeasureValue,
    "follow_up_deviations": FollowUpDeviation,
    "thematic_results": ThematicResult,
    "risk_analyses": RiskAnalysis,
    "checklist_answers": ChecklistAnswer,
}

TABLES: dict[str, QualityTable] = {
    "quality_areas": QualityTable(QualityArea, _check_area, action="manage_plans"),
    "quality_measures": QualityTable(QualityMeasure, _check_measure, action="manage_plans"),
    "measure_values": QualityTable(
        MeasureValue,
        _check_measure_value,
        immutable=("unit_id", "measure_id", "period"),
        # The cell's id is fixed (measure_value_id) and sync never resurrects a tombstone, so a
        # deleted cell could never be entered again: a value is cleared instead.
        undeletable=_l("A value is not deleted; clear it (value null) instead."),
    ),
    "register_entries": QualityTable(RegisterEntry, _check_register_entry),
    "case_records": QualityTable(CaseRecord, _check_case_record),
    "survey_questions": QualityTable(SurveyQuestion, _check_survey_question, action="manage_plans"),
    "survey_responses": QualityTable(SurveyResponse, _check_survey_response),
    "annual_tasks": QualityTable(
        AnnualTask, _check_annual_task, action="manage_plans", staff_fields=TASK_FIELDS_FOR_STAFF
    ),
    "quality_links": QualityTable(
        QualityLink, _check_link, immutable=("plan_item_id", "source_table", "source_id")
    ),
    "assignment_follow_ups": QualityTable(
        AssignmentFollowUp, _check_assignment_follow_up, action="manage_plans"
    ),
    "follow_up_deviations": QualityTable(
        FollowUpDeviation,
        _check_deviation,
        action="manage_plans",
        immutable=("follow_up_id", "unit_id"),
    ),
    "thematic_follow_ups": QualityTable(
        ThematicFollowUp, _check_thematic_follow_up, action="manage_plans"
    ),
    # Derived ids, so cleared rather than deleted (as measure values are).
    "thematic_results": QualityTable(
        ThematicResult,
        _check_thematic_result,
        immutable=("follow_up_id", "unit_id"),
        undeletable=_l("A unit's result is not deleted; clear it instead."),
    ),
    "overall_assessments": QualityTable(
        OverallAssessment,
        _check_overall_assessment,
        action="manage_plans",
        immutable=("unit_id", "year"),
        undeletable=_l("A sammanvägd bedömning is not deleted; clear it instead."),
    ),
    "risk_analyses": QualityTable(RiskAnalysis, _check_risk_analysis),
    "checklists": QualityTable(Checklist, _check_checklist, action="manage_plans"),
    "checklist_runs": QualityTable(
        ChecklistRun, _check_checklist_run, immutable=("unit_id", "checklist_id")
    ),
    "checklist_answers": QualityTable(
        ChecklistAnswer,
        _check_checklist_answer,
        immutable=("run_id", "point_id"),
        # Like a measure value, the answer's id is fixed: an answer is cleared, never deleted
        # (it goes when its run does).
        undeletable=_l("An answer is not deleted; clear it (answer null) instead."),
    ),
}
# The tables of the follow-up levels, in the order the registry appends them
# (``server/services/tables.py``: after every table that was there before them).
LEVEL_TABLES = (
    "assignment_follow_ups",
    "follow_up_deviations",
    "thematic_follow_ups",
    "thematic_results",
    "overall_assessments",
)
# Added after the dialogue's table: the registry appends these (server/services/tables.py).
APPENDED_TABLES = ("risk_analyses", "checklists", "checklist_runs", "checklist_answers")


# ---- reading -------------------------------------------------------------------------------


def may_read(principal: Principal, row: Any) -> bool:
    """Quality rows are read like plans; a verksamhet's definitions also from below."""
    if row.sync_table in DEFINITION_TABLES:
        return principal.reads_definitions_of(row.unit_id)
    return principal.can("read_plans", row.unit_id)


def get_row(session: Session, principal: Principal, table: str, row_id: uuid.UUID) -> Any:
    model = TABLES[table].model
    row = session.get(model, row_id)
    if row is None or row.deleted or not may_read(principal, row):
        raise NotFound(_("No such row."))
    return row


def list_rows(
    session: Session, principal: Principal, table: str, unit_id: uuid.UUID | None = None
) -> list[Any]:
    """The live rows of a table in the units the user reads (one unit, if given)."""
    model: Any = TABLES[table].model
    units = principal.units_for("read_plans")
    if table in DEFINITION_TABLES:
        units |= principal.definition_units
    if unit_id is not None:
        units &= {unit_id}
    if not units:
        return []
    query = select(model).where(model.unit_id.in_(units), model.deleted.is_(False))
    return list(session.scalars(query.order_by(*_ORDER.get(table, (model.seq,)))))


_ORDER: dict[str, tuple[Any, ...]] = {
    "quality_areas": (QualityArea.position, QualityArea.name),
    "quality_measures": (QualityMeasure.name,),
    "measure_values": (MeasureValue.period, MeasureValue.seq),
    "register_entries": (RegisterEntry.entry_date.desc(), RegisterEntry.seq),
    "case_records": (CaseRecord.started_on, CaseRecord.case_code),
    "survey_questions": (SurveyQuestion.survey, SurveyQuestion.position),
    "survey_responses": (SurveyResponse.answered_on, SurveyResponse.seq),
    "annual_tasks": (AnnualTask.due_date, AnnualTask.title),
    "quality_links": (QualityLink.seq,),
    "assignment_follow_ups": (AssignmentFollowUp.planned_on, AssignmentFollowUp.seq),
    "follow_up_deviations": (FollowUpDeviation.seq,),
    "thematic_follow_ups": (ThematicFollowUp.planned_on, ThematicFollowUp.seq),
    "thematic_results": (ThematicResult.seq,),
    "overall_assessments": (OverallAssessment.year,),
    "risk_analyses": (RiskAnalysis.analysed_on.desc(), RiskAnalysis.seq),
    "checklists": (Checklist.name,),
    "checklist_runs": (ChecklistRun.run_on.desc(), ChecklistRun.seq),
    "checklist_answers": (ChecklistAnswer.run_id, ChecklistAnswer.seq),
}


def links_of_item(session: Session, principal: Principal, item_id: uuid.UUID) -> list[QualityLink]:
    item = session.get(PlanItem, item_id)
    if item is None or item.deleted or not principal.can("read_plans", item.unit_id):
        raise NotFound(_("No such item."))
    return list(
        session.scalars(
            select(QualityLink).where(
                QualityLink.plan_item_id == item.id, QualityLink.deleted.is_(False)
            )
        )
    )
