"""Stamps every change of a synced row on flush: version, field versions, sequence, audit.

Doing it in one ``before_flush`` hook means no path (REST, sync, CLI, a future admin screen)
can change a synced row without bumping its version or leaving an audit event.

The acting user and path come from ``session.info`` (see ``act_as``); a change without an
actor is recorded with ``user_id`` None (migrations, seeding).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session

from server import clock
from server.models.audit import AuditEvent
from server.models.base import SyncedMixin
from server.models.sync import SyncClock


def act_as(session: Session, user_id: uuid.UUID | None, via: str) -> None:
    """Record who is acting (and through which path) for the changes this session flushes."""
    session.info["actor_id"] = user_id
    session.info["via"] = via


def to_json_value(value: Any) -> Any:
    """A column value as it travels in JSON: dates and times ISO 8601, UUIDs as strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def take_sequence_numbers(session: Session, count: int) -> range:
    """Reserve ``count`` consecutive change numbers; holds the clock row lock until commit."""
    top = (
        session.connection()
        .execute(
            update(SyncClock)
            .where(SyncClock.id == 1)
            .values(value=SyncClock.value + count)
            .returning(SyncClock.value)
        )
        .scalar_one()
    )
    return range(top - count + 1, top + 1)


def lock_clock(session: Session) -> None:
    """Take the clock row lock now, before reading the rows a transaction will change.

    Every writer takes this lock at its first flush anyway; taking it first means the rows it
    reads cannot change under it before it writes (no lost update of a version or of the
    per-field versions), and no writer can hold a row lock while waiting for the clock.
    """
    session.execute(update(SyncClock).where(SyncClock.id == 1).values(value=SyncClock.value))


def _plan_id_of(row: SyncedMixin) -> uuid.UUID | None:
    if row.sync_table == "plans":
        return row.id
    return getattr(row, "plan_id", None)


def _changed_fields(row: SyncedMixin) -> dict[str, list[Any]]:
    state = inspect(row)
    changes: dict[str, list[Any]] = {}
    for field in (*row.sync_fields, "deleted"):
        history = state.attrs[field].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[field] = [to_json_value(old), to_json_value(new)]
    return changes


@event.listens_for(Session, "before_flush")
def stamp_changes(session: Session, flush_context: Any, instances: Any) -> None:
    created = [row for row in session.new if isinstance(row, SyncedMixin)]
    updated: list[tuple[SyncedMixin, dict[str, list[Any]]]] = []
    for row in session.dirty:
        if isinstance(row, SyncedMixin) and row not in session.new:
            changes = _changed_fields(row)
            if changes:
                updated.append((row, changes))
    if not created and not updated:
        return

    now = clock.now()
    actor = session.info.get("actor_id")
    via = session.info.get("via", "cli")
    numbers = iter(take_sequence_numbers(session, len(created) + len(updated)))
    events: list[AuditEvent] = []

    for row in created:
        if row.id is None:
            row.id = uuid.uuid4()
        row.version = 1
        row.field_versions = dict.fromkeys(row.sync_fields, 1)
        row.seq = next(numbers)
        row.updated_at = now
        if row.updated_by is None:
            row.updated_by = actor
        if row.deleted is None:
            row.deleted = False
        values = {f: [None, to_json_value(getattr(row, f))] for f in row.sync_fields}
        events.append(_audit(row, "create", values, now, actor, via))

    for row, changes in updated:
        row.version = row.version + 1
        # A new dict, so the JSON column sees the change.
        row.field_versions = {**row.field_versions, **dict.fromkeys(changes, row.version)}
        row.seq = next(numbers)
        row.updated_at = now
        row.updated_by = actor
        action = "delete" if changes.get("deleted") == [False, True] else "update"
        events.append(_audit(row, action, changes, now, actor, via))

    session.add_all(events)


def _audit(
    row: SyncedMixin,
    action: str,
    changes: dict[str, list[Any]],
    now: datetime,
    actor: uuid.UUID | None,
    via: str,
) -> AuditEvent:
    return AuditEvent(
        at=now,
        user_id=actor,
        table_name=row.sync_table,
        row_id=row.id,
        plan_id=_plan_id_of(row),
        unit_id=getattr(row, "unit_id", None),
        action=action,
        version=row.version,
        changes=changes,
        via=via,
    )
