"""Plans, their items and progress notes: the rules every path (REST and sync) goes through.

The write functions take Python values (already loaded by ``server/schemas/plans.py``), check
permission and the rules that span fields or rows, change the session and never commit: the
caller decides the transaction (one REST request, or one sync batch).

The create functions take ``in_batch=True`` from a caller that has already made sure the id is
new and flushes many rows at once (the sync push loads a batch's rows up front): then creating
a row costs no query, which is what makes a 500-row push one INSERT instead of 500.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from server import clock
from server.i18n import _
from server.models import (
    AuditEvent,
    Catalogue,
    Criterion,
    DeadlineExtension,
    Finding,
    Membership,
    Plan,
    PlanItem,
    ProgressNote,
    Theme,
    Unit,
    User,
)
from server.models.versioning import write_fields
from server.plan_templates import default_variant, variants_for
from server.schemas.plans import ItemWriteSchema, PlanWriteSchema
from server.services.access import Principal
from server.services.catalogues import plan_catalogue, valid_catalogue_for_kind
from server.services.errors import InvalidInput, InvalidState, field_error
from server.services.rows import (
    readable_row,
    refuse_changes,
    refuse_failed_checks,
    refuse_taken_id,
)

# Which unit kinds each plan kind belongs to.
UNIT_KINDS_FOR_PLAN = {
    "dk_tilbud": {"dk_tilbud", "dk_afdeling"},
    "dk_plejefamilie": {"dk_plejefamilie"},
    "se_handlingsplan": {"se_verksamhet", "se_enhet"},
}
# Lifecycle: action -> (states it may start from, state it leads to).
TRANSITIONS = {
    "submit": ({"draft"}, "submitted"),
    "send_back": ({"submitted"}, "draft"),
    "approve": ({"submitted"}, "approved"),
    # A foster family's plan needs no management approval (seed 001): the foster parents put
    # it in force themselves, "approved" then meaning gældende, with no approver recorded.
    "put_in_force": ({"draft", "submitted"}, "approved"),
    "complete": ({"approved"}, "completed"),
    "archive": ({"approved", "completed"}, "archived"),
    # A plan completed by mistake (or too early) goes back to approved, editable again. The
    # audit trail keeps both steps: the completion and the reopening.
    "reopen": ({"completed"}, "approved"),
}
# What each lifecycle action needs (``services/access.py``); the rest need manage_plans.
ACTION_FOR_TRANSITION = {"approve": "approve_plans", "send_back": "approve_plans"}
# Plan kinds that are in force without approval, and so may be put in force.
KINDS_WITHOUT_APPROVAL = frozenset({"dk_plejefamilie"})
# Fields fixed when the row is created.
IMMUTABLE_PLAN_FIELDS = ("unit_id", "kind")
IMMUTABLE_ITEM_FIELDS = ("plan_id", "finding_id")


# ---- reading -------------------------------------------------------------------------------


def get_plan(session: Session, principal: Principal, plan_id: uuid.UUID) -> Plan:
    return readable_row(session, principal, Plan, plan_id, "plan")


def list_plans(
    session: Session,
    principal: Principal,
    unit_id: uuid.UUID | None = None,
    kind: str | None = None,
    state: str | None = None,
) -> list[Plan]:
    units = principal.units_for("read_plans")
    if unit_id is not None:
        units &= {unit_id}
    if not units:
        return []
    query = select(Plan).where(Plan.unit_id.in_(units), Plan.deleted.is_(False))
    if kind:
        query = query.where(Plan.kind == kind)
    if state:
        query = query.where(Plan.state == state)
    return list(session.scalars(query.order_by(Plan.plan_date.desc(), Plan.title)))


def get_item(session: Session, principal: Principal, item_id: uuid.UUID) -> PlanItem:
    # With its plan, in the same query: every write of an item checks it (archived?).
    return readable_row(
        session, principal, PlanItem, item_id, "item", options=[joinedload(PlanItem.plan)]
    )


def list_items(session: Session, principal: Principal, plan_id: uuid.UUID) -> list[PlanItem]:
    plan = get_plan(session, principal, plan_id)
    return list(
        session.scalars(
            select(PlanItem)
            .where(PlanItem.plan_id == plan.id, PlanItem.deleted.is_(False))
            .order_by(PlanItem.priority, PlanItem.seq)
        )
    )


def list_notes(session: Session, principal: Principal, item_id: uuid.UUID) -> list[ProgressNote]:
    item = get_item(session, principal, item_id)
    return list(
        session.scalars(
            select(ProgressNote)
            .where(ProgressNote.item_id == item.id, ProgressNote.deleted.is_(False))
            .order_by(ProgressNote.created_at, ProgressNote.seq)
        )
    )


def plan_history(session: Session, principal: Principal, plan: Plan) -> list[dict[str, Any]]:
    """Every recorded change of the plan and its rows, oldest first, flagged after approval."""
    get_plan(session, principal, plan.id)
    rows = session.execute(
        select(AuditEvent, User.name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.plan_id == plan.id)
        .order_by(AuditEvent.at, AuditEvent.version)
    ).all()
    history = []
    approved = False
    for event, name in rows:
        history.append(
            {
                "at": event.at,
                "user_id": event.user_id,
                "user_name": name,
                "table_name": event.table_name,
                "row_id": event.row_id,
                "action": event.action,
                "version": event.version,
                "changes": event.changes,
                "via": event.via,
                "after_approval": approved,
            }
        )
        state_change = event.changes.get("state") if event.table_name == "plans" else None
        if state_change:
            approved = state_change[1] in ("approved", "completed", "archived")
    return history


# ---- plans ---------------------------------------------------------------------------------


def create_plan(
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    plan_id: uuid.UUID | None = None,
    *,
    in_batch: bool = False,
) -> Plan:
    values = dict(values)
    values.pop("id", None)
    unit_id = values["unit_id"]
    principal.require("manage_plans", unit_id, "unit")
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted:
        raise field_error("unit_id", _("No such unit."))
    kind = values["kind"]
    if unit.kind not in UNIT_KINDS_FOR_PLAN[kind]:
        raise field_error(
            "kind",
            _("A %(kind)s plan does not fit a unit of kind %(kind2)s.", kind=kind, kind2=unit.kind),
        )
    if not in_batch:
        refuse_taken_id(session, principal, Plan, plan_id, "plan")
    values.setdefault("plan_date", clock.now().date())
    values.setdefault("result_label", default_variant(kind))
    _check_plan_values({"kind": kind, **values})
    _check_result_label(kind, values["result_label"])
    # The quality model the plan is written under: the one chosen, else the version in force
    # on the inspection date the plan follows up, else on the plan date.
    catalogue = plan_catalogue(
        session,
        kind,
        values.pop("catalogue_id", None),
        values.get("inspection_date"),
        values["plan_date"] or clock.now().date(),
    )
    plan = Plan(id=plan_id or uuid.uuid4(), catalogue_id=catalogue.id, state="draft", **values)
    session.add(plan)
    if not in_batch:
        session.flush()
    return plan


def update_plan(session: Session, principal: Principal, plan: Plan, values: dict[str, Any]) -> Plan:
    principal.require("manage_plans", plan.unit_id, "plan")
    refuse_changes(plan, values, IMMUTABLE_PLAN_FIELDS)
    _refuse_if_archived(plan)
    values = {k: v for k, v in values.items() if k != "id"}
    current = {field: getattr(plan, field) for field in PLAN_CHECKED_FIELDS}
    _check_plan_values({**current, **values, "kind": plan.kind})
    if "result_label" in values:
        _check_result_label(plan.kind, values["result_label"])
    new_catalogue = values.pop("catalogue_id", plan.catalogue_id)
    if new_catalogue != plan.catalogue_id:
        change_catalogue(session, plan, new_catalogue)
    for field, value in values.items():
        setattr(plan, field, value)
    session.flush()
    return plan


def change_catalogue(session: Session, plan: Plan, catalogue_id: uuid.UUID) -> None:
    """Move a draft plan to another version of its quality catalogue. Each row's theme and
    criterion move to the same-numbered ones of that version; a row whose theme the version
    does not have (themes 1 and 2 after the 2025 amendment) is refused, so nothing the
    rows say is dropped without the person choosing."""
    if plan.state != "draft":
        raise field_error(
            "catalogue_id",
            _("The quality model can only be changed while the plan is a draft."),
        )
    catalogue = valid_catalogue_for_kind(session, plan.kind, catalogue_id)
    items = session.scalars(
        select(PlanItem).where(PlanItem.plan_id == plan.id, PlanItem.deleted.is_(False))
    ).all()
    moves: list[tuple[PlanItem, uuid.UUID | None, uuid.UUID | None]] = []
    for item in sorted(items, key=lambda i: i.priority):
        if item.theme_id is None:
            continue
        theme_id = _same_theme_in(session, item.theme_id, catalogue.id)
        criterion_id = None
        if theme_id is not None and item.criterion_id is not None:
            criterion_id = _same_criterion_in(session, item.criterion_id, theme_id)
        if theme_id is None or (item.criterion_id is not None and criterion_id is None):
            theme = session.get_one(Theme, item.theme_id)
            raise field_error(
                "catalogue_id",
                _(
                    "Row %(priority)s is about %(theme)s, which version %(version)s does not "
                    "have; choose another theme for that row first.",
                    priority=item.priority,
                    theme=theme.name,
                    version=catalogue.version_label,
                ),
            )
        moves.append((item, theme_id, criterion_id))
    for item, theme_id, criterion_id in moves:
        if item.theme_id != theme_id:
            item.theme_id = theme_id
        if item.criterion_id != criterion_id:
            item.criterion_id = criterion_id
    plan.catalogue_id = catalogue.id


def _same_criterion_in(
    session: Session, criterion_id: uuid.UUID, theme_id: uuid.UUID
) -> uuid.UUID | None:
    """The criterion of ``theme_id`` with the number ``criterion_id`` has in its theme."""
    criterion = session.get_one(Criterion, criterion_id)
    if criterion.theme_id == theme_id:
        return criterion.id
    return session.scalar(
        select(Criterion.id).where(
            Criterion.theme_id == theme_id,
            Criterion.number == criterion.number,
            Criterion.deleted.is_(False),
        )
    )


def _check_result_label(kind: str, result_label: str) -> None:
    """A plan takes only the last-column variants its kind's template has
    (server/catalogues/templates/plan_columns.json)."""
    if result_label in variants_for(kind):
        return
    if kind == "dk_tilbud":
        reason = _(
            "A plan for a social service (tilbud) ends in RESULTAT; the STATUS column belongs "
            "to the foster-family template."
        )
    else:
        reason = _("This plan's template has no such last column.")
    raise field_error("result_label", reason)


def delete_plan(session: Session, principal: Principal, plan: Plan) -> None:
    """Only drafts are deleted; a plan that has been submitted is archived instead, so the
    dialogue with the inspectorate keeps its record."""
    principal.require("manage_plans", plan.unit_id, "plan")
    if plan.state != "draft":
        raise InvalidState(_("Only a draft plan can be deleted; archive it instead."))
    plan.deleted = True
    for item in plan.items:
        if not item.deleted:
            _tombstone_item(session, item)
    session.flush()


def transition_plan(
    session: Session,
    principal: Principal,
    plan: Plan,
    action: str,
    reason: str | None = None,
) -> Plan:
    """Move a plan along its lifecycle (submit, send_back, approve, put_in_force, complete,
    reopen, archive). Sending back takes a reason, which the submitter reads on the plan."""
    principal.require(ACTION_FOR_TRANSITION.get(action, "manage_plans"), plan.unit_id, "plan")
    sources, target = TRANSITIONS[action]
    if action == "put_in_force" and plan.kind not in KINDS_WITHOUT_APPROVAL:
        raise InvalidState(_("This plan must be approved by management to be in force."))
    if plan.state not in sources:
        raise InvalidState(
            _(
                "A %(state)s plan cannot be %(target)s; it must be %(value)s.",
                state=plan.state,
                target=target,
                value=" or ".join(sorted(sources)),
            )
        )
    if action == "send_back" and not (reason or "").strip():
        raise field_error("reason", _("Say why the plan goes back, so its author can act on it."))
    now = clock.now()
    plan.state = target
    if action == "submit":
        plan.submitted_at, plan.submitted_by = now, principal.user_id
    elif action == "send_back":
        plan.returned_at, plan.returned_by = now, principal.user_id
        plan.return_reason = (reason or "").strip()
    elif action == "approve":
        plan.approved_at, plan.approved_by = now, principal.user_id
    elif action == "complete":
        plan.completed_at = now
    elif action == "reopen":
        plan.completed_at = None
    elif action == "archive":
        plan.archived_at = now
    session.flush()
    return plan


def _check_plan_values(values: dict[str, Any]) -> None:
    """The plan as it would be, against its write schema's rules across fields."""
    refuse_failed_checks(PlanWriteSchema.checks, values)


# The stored fields the plan checks read, beside the sent ones.
PLAN_CHECKED_FIELDS = tuple(dict.fromkeys(f for c in PlanWriteSchema.checks for f in c.fields))


# ---- items ---------------------------------------------------------------------------------


def _writable_plan(session: Session, principal: Principal, plan_id: uuid.UUID) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None or plan.deleted or not principal.can("see_unit", plan.unit_id):
        raise field_error("plan_id", _("No such plan."))
    principal.require("write_items", plan.unit_id, "plan")
    _refuse_if_archived(plan)
    return plan


def create_item(
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    item_id: uuid.UUID | None = None,
    *,
    in_batch: bool = False,
) -> PlanItem:
    values = new_item_values(session, principal, values, item_id)
    if not in_batch:
        refuse_taken_id(session, principal, PlanItem, item_id, "item")
    item = PlanItem(**values)
    session.add(item)
    if not in_batch:
        session.flush()
    return item


def new_item_values(
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    item_id: uuid.UUID | None,
    *,
    writable_plans: dict[uuid.UUID, Plan] | None = None,
) -> dict[str, Any]:
    """The checked column values of a new item, its id and unit included.

    ``writable_plans`` keeps the plans found writable across a run of creates in which
    nothing else changes (a sync batch's; its owner clears it before any other step)."""
    values = dict(values)
    values.pop("id", None)
    plan = writable_plans.get(values["plan_id"]) if writable_plans is not None else None
    if plan is None:
        plan = _writable_plan(session, principal, values["plan_id"])
        if writable_plans is not None:
            writable_plans[plan.id] = plan
    if values.get("priority") is None:
        values["priority"] = _next_priority(session, plan)
    if values.get("finding_id") is not None:
        _prefill_from_finding(session, principal, plan, values)
    _check_item_values(
        session, plan, values, start=None, end=None, deadline=values.get("legal_deadline")
    )
    return {"id": item_id or uuid.uuid4(), "unit_id": plan.unit_id, **values}


def update_item(
    session: Session, principal: Principal, item: PlanItem, values: dict[str, Any]
) -> PlanItem:
    principal.require("write_items", item.unit_id, "item")
    refuse_changes(item, values, IMMUTABLE_ITEM_FIELDS)
    plan = session.get_one(Plan, item.plan_id)
    _refuse_if_archived(plan)
    values = {k: v for k, v in values.items() if k not in ("id", "plan_id", "finding_id")}
    _check_item_values(
        session,
        plan,
        values,
        start=item.start_date,
        end=item.end_date,
        deadline=effective_deadline(session, item),
        stored_theme=item.theme_id,
        stored_criterion=item.criterion_id,
    )
    write_fields(session, item, values)
    return item


def delete_item(session: Session, principal: Principal, item: PlanItem) -> None:
    principal.require("write_items", item.unit_id, "item")
    _refuse_if_archived(session.get(Plan, item.plan_id))
    _tombstone_item(session, item)
    session.flush()


def restore_item(session: Session, principal: Principal, item: PlanItem) -> None:
    """Bring a deleted item back, with the progress notes its delete took along (notes are
    never deleted on their own). Its plan must still be there and not archived."""
    principal.require("write_items", item.unit_id, "item")
    plan = session.get(Plan, item.plan_id)
    if plan is None or plan.deleted:
        raise InvalidState(_("The item's plan has been deleted; the item cannot come back."))
    _refuse_if_archived(plan)
    item.deleted = False
    for note in session.scalars(select(ProgressNote).where(ProgressNote.item_id == item.id)):
        note.deleted = False
    session.flush()


def reorder_items(
    session: Session, principal: Principal, plan: Plan, item_ids: list[uuid.UUID]
) -> list[PlanItem]:
    principal.require("manage_plans", plan.unit_id, "plan")
    _refuse_if_archived(plan)
    items = {i.id: i for i in list_items(session, principal, plan.id)}
    if len(item_ids) != len(set(item_ids)) or set(item_ids) != set(items):
        raise field_error("item_ids", _("List every item of the plan exactly once."))
    for priority, item_id in enumerate(item_ids, start=1):
        if items[item_id].priority != priority:
            items[item_id].priority = priority
    session.flush()
    return [items[i] for i in item_ids]


def _tombstone_item(session: Session, item: PlanItem) -> None:
    item.deleted = True
    for note in session.scalars(select(ProgressNote).where(ProgressNote.item_id == item.id)):
        note.deleted = True


def _next_priority(session: Session, plan: Plan) -> int:
    priorities = session.scalars(
        select(PlanItem.priority).where(PlanItem.plan_id == plan.id, PlanItem.deleted.is_(False))
    ).all()
    return max(priorities, default=0) + 1


def _check_item_values(
    session: Session,
    plan: Plan,
    values: dict[str, Any],
    start: date | None,
    end: date | None,
    deadline: date | None = None,
    stored_theme: uuid.UUID | None = None,
    stored_criterion: uuid.UUID | None = None,
) -> None:
    theme_id = values.get("theme_id", stored_theme)
    if "theme_id" in values and theme_id is not None:
        theme = session.get(Theme, theme_id)
        if theme is None or theme.catalogue_id != plan.catalogue_id:
            catalogue = session.get_one(Catalogue, plan.catalogue_id)
            label = f"{catalogue.code} {catalogue.version_label}"
            raise field_error(
                "theme_id", _("Not a theme of this plan's catalogue (%(label)s).", label=label)
            )
    criterion_id = values.get("criterion_id", stored_criterion)
    if criterion_id is not None and ("criterion_id" in values or "theme_id" in values):
        # The criterion belongs to the row's theme (so to the plan's catalogue version).
        criterion = session.get(Criterion, criterion_id)
        if criterion is None or criterion.deleted or criterion.theme_id != theme_id:
            raise field_error("criterion_id", _("Not a criterion of the row's theme."))
    start = values.get("start_date", start)
    end = values.get("end_date", end)
    refuse_failed_checks(ItemWriteSchema.checks, {"start_date": start, "end_date": end})
    if deadline and end and end > deadline:
        raise field_error(
            "end_date",
            _(
                "The påbud's deadline is %(value)s; a later date needs a recorded extension first.",
                value=deadline.isoformat(),
            ),
        )
    for role in RESPONSIBLE_ROLES:
        user_ids = [r["user_id"] for r in values.get(role) or [] if r.get("user_id")]
        if user_ids:
            check_members(session, plan.unit_id, user_ids, field=role)
        if role in values:
            # Store JSON-ready values: UUIDs as strings, no empty keys.
            values[role] = [
                {"user_id": str(r["user_id"])} if r.get("user_id") else {"name": r["name"]}
                for r in values[role] or []
            ]


# HVEM?'s two jobs, each a list of users and names: carrying the row out, following it up.
RESPONSIBLE_ROLES = ("responsible", "follow_up_responsible")


def check_members(
    session: Session,
    unit_id: uuid.UUID,
    user_ids: Iterable[uuid.UUID],
    field: str = "responsible",
) -> None:
    wanted = set(user_ids)
    unit_ids = {unit_id}
    unit = session.get(Unit, unit_id)
    while unit is not None and unit.parent_id is not None:
        unit_ids.add(unit.parent_id)
        unit = session.get(Unit, unit.parent_id)
    found = set(
        session.scalars(
            select(Membership.user_id).where(
                Membership.user_id.in_(wanted), Membership.unit_id.in_(unit_ids)
            )
        )
    )
    if wanted - found:
        raise field_error(field, _("Responsible users must be members of the plan's unit."))


def _prefill_from_finding(
    session: Session, principal: Principal, plan: Plan, values: dict[str, Any]
) -> None:
    """An item answering an inspection finding: only the unit's manager links one; theme,
    topic and due date come from the finding unless given; a påbud's frist becomes the
    item's legal deadline."""
    finding = session.get(Finding, values["finding_id"])
    if finding is None or finding.deleted or finding.unit_id != plan.unit_id:
        raise field_error("finding_id", _("No such finding in this plan's unit."))
    principal.require("manage_plans", plan.unit_id, "finding")
    if values.get("theme_id") is None:
        values["theme_id"] = _same_theme_in(session, finding.theme_id, plan.catalogue_id)
        if (
            values["theme_id"] is not None
            and finding.criterion_id
            and not values.get("criterion_id")
        ):
            values["criterion_id"] = _same_criterion_in(
                session, finding.criterion_id, values["theme_id"]
            )
    if not values.get("topic"):
        values["topic"] = finding.text
    if finding.kind == "paabud":
        values["legal_deadline"] = finding.deadline
        if values.get("end_date") is None:
            values["end_date"] = finding.deadline


def _same_theme_in(
    session: Session, theme_id: uuid.UUID, catalogue_id: uuid.UUID
) -> uuid.UUID | None:
    """The theme of ``catalogue_id`` matching ``theme_id`` (a visit and a plan may be under
    different catalogue versions): by number, else by name; None if the theme was dropped."""
    theme = session.get_one(Theme, theme_id)
    if theme.catalogue_id == catalogue_id:
        return theme.id
    candidates = session.scalars(select(Theme).where(Theme.catalogue_id == catalogue_id)).all()
    for candidate in candidates:
        if (theme.number is not None and candidate.number == theme.number) or (
            theme.number is None and candidate.name == theme.name
        ):
            return candidate.id
    return None


def effective_deadline(session: Session, item: PlanItem) -> date | None:
    """The item's legal deadline, or the latest recorded extension of it."""
    if item.legal_deadline is None:
        return None
    extended = session.scalars(
        select(DeadlineExtension.new_deadline).where(
            DeadlineExtension.item_id == item.id, DeadlineExtension.deleted.is_(False)
        )
    ).all()
    return max([item.legal_deadline, *extended])


# ---- notes ---------------------------------------------------------------------------------


def add_note(
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    note_id: uuid.UUID | None = None,
    *,
    in_batch: bool = False,
) -> ProgressNote:
    """Append a progress note. A note that names a new state moves the item to that state."""
    item = session.get(PlanItem, values["item_id"])
    if item is None or item.deleted or not principal.can("see_unit", item.unit_id):
        raise field_error("item_id", _("No such item."))
    principal.require("write_items", item.unit_id, "item")
    _refuse_if_archived(session.get(Plan, item.plan_id))
    if not in_batch:
        refuse_taken_id(session, principal, ProgressNote, note_id, "note")
    note = ProgressNote(
        id=note_id or uuid.uuid4(),
        item_id=item.id,
        plan_id=item.plan_id,
        unit_id=item.unit_id,
        text=values["text"],
        author_id=principal.user_id,
        created_at=values.get("created_at") or clock.now(),
        new_state=values.get("new_state"),
    )
    session.add(note)
    if note.new_state and note.new_state != item.state:
        item.state = note.new_state
    if not in_batch:
        session.flush()
    return note


# ---- shared checks -------------------------------------------------------------------------


def _refuse_if_archived(plan: Plan | None) -> None:
    if plan is not None and plan.state == "archived":
        raise InvalidState(_("The plan is archived and can no longer be changed."))


__all__ = [
    "InvalidInput",
    "add_note",
    "create_item",
    "create_plan",
    "delete_item",
    "delete_plan",
    "effective_deadline",
    "get_item",
    "get_plan",
    "list_items",
    "list_notes",
    "list_plans",
    "plan_history",
    "reorder_items",
    "restore_item",
    "transition_plan",
    "update_item",
    "update_plan",
]
