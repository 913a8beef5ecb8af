"""Notice, on every flush, the changes someone should hear about, and queue them.

    change seen in the flush                          who hears about it
    an item's HVEM? names a user for a job it did     that user; one named to follow the
      not name them for (carrying it out, following   row up, and not newly to carry it
      it up)                                          out, is told so (about "follow_up")
    a plan goes draft -> submitted                    the managers of its unit
    a plan goes submitted -> approved                 whoever submitted it
    a plan goes submitted -> draft (sent back)        whoever submitted it
    a new progress note                               the item's users of either job (those
                                                      who only follow it up: "follow_up")
    a new open conflict                               the users involved in it

    the dialogue with the inspectorate (plan_messages, visits):
    a message from an inspector                       the unit's managers, and the row's
                                                      responsible users
    a message from the unit (a manager, staff)        the inspectors following the unit
    a plan goes draft -> submitted / -> approved      the inspectors following the unit
    a plan is put in force without approval           the inspectors following the unit
      (a foster family's, seed 001: -> approved
      with no approver; not "approved by management")
    an approved plan or its rows change               the inspectors (at most once a day per
      (not a row's state: that is progress)           plan and inspector)
    a row answering a påbud is marked done            the inspectors following the unit
    a new finding (påbud or other) of a visit         the unit's managers

Never the person who made the change (``act_as``), and only users who may read plans in the
unit. Like the versioning hook, this listens to every session, so REST, sync and CLI paths
all notify without any of them knowing about push.

It runs *after* the flush, when the versioning hook has given each row its final version
(part of the dedup key), and writes through the session's connection, so the outbox rows
commit or roll back with the change itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import InstanceState, Session
from sqlalchemy.orm.attributes import History

from server import clock
from server.models.plans import Plan, PlanItem, PlanMessage, ProgressNote
from server.models.push import FOLLOW_UP
from server.models.sync import Conflict
from server.models.visits import Finding
from server.push.audience import inspectors_of, managers_of, may, user_ids_in
from server.push.outbox import NewNotification, write_notifications

# HVEM?'s two jobs (models/plans.py): who carries the row out, who follows it up.
HVEM_JOBS = ("responsible", "follow_up_responsible")
# (state before, state after) -> kind
PLAN_TRANSITIONS = {
    ("draft", "submitted"): "plan_submitted",
    ("submitted", "approved"): "plan_approved",
    ("submitted", "draft"): "plan_sent_back",
}
# A plan that reaches "approved" with no approver was put in force (services/plans.py: a
# foster family's plan needs no approval), from a draft or a submitted plan alike.
PUT_IN_FORCE_FROM = frozenset({"draft", "submitted"})
# What the inspectors following the unit hear of a plan's lifecycle.
FOLLOWED_TRANSITIONS = {
    "plan_submitted": "followed_submitted",
    "plan_approved": "followed_approved",
}
# A plan in this state is "approved": a change to it (or its rows) is a change after approval.
APPROVED = "approved"
# Fields of a plan or a row whose change is not a change of what was approved: the row's state
# is progress (a påbud row marked done has a notice of its own), the rest is the lifecycle.
NOT_CONTENT = frozenset(
    {"state", "submitted_at", "submitted_by", "approved_at", "approved_by", "completed_at"}
    | {"archived_at", "priority"}
)


@dataclass(frozen=True)
class Noticed:
    kind: str
    recipients: frozenset[uuid.UUID]
    unit_id: uuid.UUID
    # What makes this event unique for one recipient, e.g. "<item id>:v3".
    key: str
    plan_id: uuid.UUID | None = None
    item_id: uuid.UUID | None = None
    # Codes only (messages.py's ``about``), never text.
    params: Mapping[str, str] = field(default_factory=dict)


def queue_notifications(session: Session, flush_context: Any) -> None:
    _queue(session, list(_notice(session)))


def notice_written(session: Session, row: Any, before: dict[str, Any]) -> None:
    """The same notices for a row that ``versioning.write_fields`` wrote without a flush;
    ``before`` holds the old values of the fields that changed."""
    if isinstance(row, PlanItem):
        _queue(session, list(_item_changed(session, row, before)))
    elif isinstance(row, Plan):
        _queue(session, list(_plan_changed(session, row, before)))


def _queue(session: Session, noticed: list[Noticed]) -> None:
    if not noticed:
        return
    actor = session.info.get("actor_id")
    rows: list[NewNotification] = []
    with session.no_autoflush:
        for found in noticed:
            for user_id in sorted(found.recipients - {actor}):
                if may(session, user_id, "read_plans", found.unit_id):
                    rows.append(
                        NewNotification(
                            user_id=user_id,
                            kind=found.kind,
                            dedup_key=f"{found.kind}:{user_id}:{found.key}",
                            unit_id=found.unit_id,
                            plan_id=found.plan_id,
                            item_id=found.item_id,
                            params=dict(found.params),
                        )
                    )
    if rows:
        write_notifications(session.connection(), rows, clock.now())


def _notice(session: Session) -> Iterator[Noticed]:
    for row in session.new:
        if isinstance(row, PlanItem) and not row.deleted:
            yield from _newly_responsible(row, before={job: set() for job in HVEM_JOBS})
            yield from _changed_after_approval(session, row.plan_id)
        elif isinstance(row, ProgressNote):
            yield from _note_added(session, row)
        elif isinstance(row, Conflict) and row.status == "open":
            yield from _conflict(row)
        elif isinstance(row, PlanMessage):
            yield from _message_added(session, row)
        elif isinstance(row, Finding) and not row.deleted:
            yield from _finding_added(session, row)
    for row in session.dirty:
        if row in session.new:
            continue
        if isinstance(row, PlanItem):
            yield from _item_changed(session, row, _old_values(row, (*row.sync_fields, "deleted")))
        elif isinstance(row, Plan):
            yield from _plan_changed(session, row, _old_values(row, row.sync_fields))


def _old_values(row: Plan | PlanItem, fields: tuple[str, ...]) -> dict[str, Any]:
    """``{field: value before}`` for the fields this flush changes."""
    state: InstanceState = inspect(row)
    before: dict[str, Any] = {}
    for name in fields:
        history: History = state.attrs[name].history
        if history.has_changes():
            before[name] = history.deleted[0] if history.deleted else None
    return before


def _item_changed(session: Session, row: PlanItem, before: dict[str, Any]) -> Iterator[Noticed]:
    if not row.deleted:
        named_before = {job: user_ids_in(before[job]) for job in HVEM_JOBS if job in before}
        yield from _newly_responsible(row, before=named_before)
    if _content_changed(row, before):
        yield from _changed_after_approval(session, row.plan_id)
    if "state" in before:
        yield from _paabud_answered(session, row)


def _plan_changed(session: Session, plan: Plan, before: dict[str, Any]) -> Iterator[Noticed]:
    if plan.deleted:
        return
    if "state" in before and before["state"] is not None:
        yield from _plan_moved(plan, before["state"], plan.state)
    elif _content_changed(plan, before):
        yield from _changed_after_approval(session, plan.id)


def _newly_responsible(item: PlanItem, before: dict[str, set[uuid.UUID]]) -> Iterator[Noticed]:
    """Who HVEM? names for a job it did not name them for; ``before`` holds the users of each
    changed job (a job not in it is unchanged). Named to carry the row out is the news for
    someone newly named for both; one notice each, under the one key of this version."""
    added = {job: user_ids_in(getattr(item, job)) - users for job, users in before.items()}
    carrying_out = added.get("responsible", set())
    following_up = added.get("follow_up_responsible", set()) - carrying_out
    key = f"{item.id}:v{item.version}"
    if carrying_out:
        yield Noticed(
            "assigned",
            frozenset(carrying_out),
            item.unit_id,
            key=key,
            plan_id=item.plan_id,
            item_id=item.id,
        )
    if following_up:
        yield Noticed(
            "assigned",
            frozenset(following_up),
            item.unit_id,
            key=key,
            plan_id=item.plan_id,
            item_id=item.id,
            params={"about": FOLLOW_UP},
        )


def _plan_moved(plan: Plan, before: str, after: str) -> Iterator[Noticed]:
    session = inspect(plan).session
    assert session is not None  # a row being flushed is in a session
    if after == APPROVED and before in PUT_IN_FORCE_FROM and plan.approved_by is None:
        # In force, not approved: nobody is told "your plan was approved" (the family put it
        # in force itself); the inspectors hear that it is in force.
        yield from _to_inspectors(session, plan, "followed_in_force")
        return
    kind = PLAN_TRANSITIONS.get((before, after))
    if kind is None:
        return
    if kind == "plan_submitted":
        recipients: set[uuid.UUID] = managers_of(session, plan.unit_id)
    else:
        recipients = {plan.submitted_by} if plan.submitted_by else set()
    if recipients:
        yield Noticed(
            kind, frozenset(recipients), plan.unit_id, f"{plan.id}:v{plan.version}", plan.id
        )
    followed = FOLLOWED_TRANSITIONS.get(kind)
    if followed:
        yield from _to_inspectors(session, plan, followed)


def _to_inspectors(session: Session, plan: Plan, kind: str) -> Iterator[Noticed]:
    inspectors = inspectors_of(session, plan.unit_id)
    if inspectors:
        yield Noticed(
            kind, frozenset(inspectors), plan.unit_id, f"{plan.id}:v{plan.version}", plan.id
        )


def _note_added(session: Session, note: ProgressNote) -> Iterator[Noticed]:
    """The row's people hear of it: who carries it out, and who follows it up (told so)."""
    item = session.get(PlanItem, note.item_id)
    if item is None or item.deleted:
        return
    yield from _to_row_people(
        "note_added",
        note,
        user_ids_in(item.responsible),
        user_ids_in(item.follow_up_responsible),
    )


def _to_row_people(
    kind: str,
    event: ProgressNote | PlanMessage,
    told: set[uuid.UUID],
    following_up: set[uuid.UUID],
) -> Iterator[Noticed]:
    """A row's note or message to ``told`` and, in words of their own (``about: follow_up``),
    to those who only follow the row up; never to its author."""
    following_up = following_up - told
    for people, params in ((told, {}), (following_up, {"about": FOLLOW_UP})):
        people = people - {event.author_id}
        if people:
            yield Noticed(
                kind,
                frozenset(people),
                event.unit_id,
                key=str(event.id),
                plan_id=event.plan_id,
                item_id=event.item_id,
                params=params,
            )


def _conflict(conflict: Conflict) -> Iterator[Noticed]:
    # The user whose push ran into the conflict sees it in the sync answer already.
    recipients = user_ids_in({"user_id": u} for u in conflict.involved_user_ids or ())
    recipients.discard(conflict.user_id)
    if recipients:
        plan_id = conflict.row_id if conflict.table_name == "plans" else None
        item_id = conflict.row_id if conflict.table_name == "plan_items" else None
        yield Noticed(
            "conflict",
            frozenset(recipients),
            conflict.unit_id,
            key=str(conflict.id),
            plan_id=plan_id,
            item_id=item_id,
        )


def _message_added(session: Session, message: PlanMessage) -> Iterator[Noticed]:
    """The other side of the dialogue hears of it: the unit of an inspector's message (its
    managers and, on a row, the row's responsible users, and who follows the row up, told
    so), the inspectors of the unit's."""
    following_up: set[uuid.UUID] = set()
    if message.side == "inspectorate":
        recipients = managers_of(session, message.unit_id)
        item = session.get(PlanItem, message.item_id) if message.item_id else None
        if item is not None and not item.deleted:
            recipients |= user_ids_in(item.responsible)
            following_up = user_ids_in(item.follow_up_responsible)
    else:
        recipients = inspectors_of(session, message.unit_id)
    yield from _to_row_people("message_added", message, recipients, following_up)


def _finding_added(session: Session, finding: Finding) -> Iterator[Noticed]:
    managers = managers_of(session, finding.unit_id)
    if managers:
        yield Noticed(
            "paabud_added" if finding.kind == "paabud" else "finding_added",
            frozenset(managers),
            finding.unit_id,
            key=str(finding.id),
        )


def _content_changed(row: Plan | PlanItem, before: dict[str, Any]) -> bool:
    """Whether the change is to what the plan says (``NOT_CONTENT`` aside), or deletes a row."""
    names = set(row.sync_fields) - NOT_CONTENT
    if isinstance(row, PlanItem):
        names.add("deleted")
    return not names.isdisjoint(before)


def _changed_after_approval(session: Session, plan_id: uuid.UUID) -> Iterator[Noticed]:
    plan = session.get(Plan, plan_id)
    if plan is None or plan.deleted or plan.state != APPROVED:
        return
    inspectors = inspectors_of(session, plan.unit_id)
    if inspectors:
        # One a day per plan and inspector, however many edits: the day is part of the key.
        yield Noticed(
            "followed_changed",
            frozenset(inspectors),
            plan.unit_id,
            key=f"{plan.id}:{clock.now().date().isoformat()}",
            plan_id=plan.id,
        )


def _paabud_answered(session: Session, item: PlanItem) -> Iterator[Noticed]:
    """The item's state has just changed."""
    if item.state != "done" or item.finding_id is None:
        return
    finding = session.get(Finding, item.finding_id)
    if finding is None or finding.kind != "paabud":
        return
    inspectors = inspectors_of(session, item.unit_id)
    if inspectors:
        yield Noticed(
            "paabud_item_done",
            frozenset(inspectors),
            item.unit_id,
            key=f"{item.id}:v{item.version}",
            plan_id=item.plan_id,
            item_id=item.id,
        )
