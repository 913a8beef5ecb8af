"""Notice, on every flush, the changes someone should hear about, and queue them.

    change seen in the flush                          who hears about it
    an item's HVEM? names a user it did not name      that user
    a plan goes draft -> submitted                    the managers of its unit
    a plan goes submitted -> approved                 whoever submitted it
    a plan goes submitted -> draft (sent back)        whoever submitted it
    a new progress note                               the item's responsible users
    a new open conflict                               the users involved in it

Never the person who made the change (``act_as``), and only users who may read plans in the
unit. Like the versioning hook, this listens to every session, so REST, sync and CLI paths
all notify without any of them knowing about push.

It runs *after* the flush, when the versioning hook has given each row its final version
(part of the dedup key), and writes through the session's connection, so the outbox rows
commit or roll back with the change itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import History

from server import clock
from server.models.plans import Plan, PlanItem, ProgressNote
from server.models.sync import Conflict
from server.push.audience import managers_of, may, user_ids_in
from server.push.outbox import NewNotification, write_notifications

# (state before, state after) -> kind
PLAN_TRANSITIONS = {
    ("draft", "submitted"): "plan_submitted",
    ("submitted", "approved"): "plan_approved",
    ("submitted", "draft"): "plan_sent_back",
}


@dataclass(frozen=True)
class Noticed:
    kind: str
    recipients: frozenset[uuid.UUID]
    unit_id: uuid.UUID
    # What makes this event unique for one recipient, e.g. "<item id>:v3".
    key: str
    plan_id: uuid.UUID | None = None
    item_id: uuid.UUID | None = None


def queue_notifications(session: Session, flush_context: Any) -> None:
    noticed = list(_notice(session))
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
                        )
                    )
    if rows:
        write_notifications(session.connection(), rows, clock.now())


def _notice(session: Session) -> Iterator[Noticed]:
    for row in session.new:
        if isinstance(row, PlanItem) and not row.deleted:
            yield from _newly_responsible(row, before=set())
        elif isinstance(row, ProgressNote):
            yield from _note_added(session, row)
        elif isinstance(row, Conflict) and row.status == "open":
            yield from _conflict(row)
    for row in session.dirty:
        if row in session.new:
            continue
        if isinstance(row, PlanItem) and not row.deleted:
            history: History = inspect(row).attrs.responsible.history
            if history.has_changes():
                before = history.deleted[0] if history.deleted else None
                yield from _newly_responsible(row, before=user_ids_in(before))
        elif isinstance(row, Plan) and not row.deleted:
            moved: History = inspect(row).attrs.state.history
            if moved.has_changes() and moved.deleted:
                yield from _plan_moved(row, moved.deleted[0], row.state)


def _newly_responsible(item: PlanItem, before: set[uuid.UUID]) -> Iterator[Noticed]:
    added = user_ids_in(item.responsible) - before
    if added:
        yield Noticed(
            "assigned",
            frozenset(added),
            item.unit_id,
            key=f"{item.id}:v{item.version}",
            plan_id=item.plan_id,
            item_id=item.id,
        )


def _plan_moved(plan: Plan, before: str, after: str) -> Iterator[Noticed]:
    kind = PLAN_TRANSITIONS.get((before, after))
    if kind is None:
        return
    if kind == "plan_submitted":
        session = inspect(plan).session
        assert session is not None  # a row being flushed is in a session
        recipients: set[uuid.UUID] = managers_of(session, plan.unit_id)
    else:
        recipients = {plan.submitted_by} if plan.submitted_by else set()
    if recipients:
        yield Noticed(
            kind, frozenset(recipients), plan.unit_id, f"{plan.id}:v{plan.version}", plan.id
        )


def _note_added(session: Session, note: ProgressNote) -> Iterator[Noticed]:
    item = session.get(PlanItem, note.item_id)
    if item is None or item.deleted:
        return
    recipients = user_ids_in(item.responsible) - {note.author_id}
    if recipients:
        yield Noticed(
            "note_added",
            frozenset(recipients),
            note.unit_id,
            key=str(note.id),
            plan_id=note.plan_id,
            item_id=note.item_id,
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
