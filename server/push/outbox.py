"""Writing notification rows, shared by the flush hook and the reminder run.

The insert goes through the Core table on the session's own connection, so it joins the
transaction of the change being reported, and it works inside a flush (where adding ORM
objects is not allowed). ``ON CONFLICT (dedup_key) DO NOTHING`` makes a second writer of the
same key a no-op rather than an error: that is what lets two reminder runs overlap.

Finished rows (sent, skipped, failed) are deleted by ``flask sync-gc`` once they are
``PUSH_OUTBOX_RETENTION_DAYS`` old (``server/services/sync/gc.py``). A key is only unique
while its row exists, so a reminder that could be queued again later must stop being queued
before its row goes: see ``overdue_reminder_wanted``.

On PostgreSQL a write that inserted rows also sends ``NOTIFY folg_push`` in the same
transaction: PostgreSQL delivers it at commit (never for a rollback), and the delivery worker
(``server/push/worker.py``) that LISTENs is awake within milliseconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, text
from sqlalchemy.dialects import postgresql, sqlite

from server.models.push import OUTBOX_RETENTION_DAYS, Notification

# The channel the delivery worker listens on (PostgreSQL only).
WAKE_CHANNEL = "folg_push"


@dataclass(frozen=True)
class NewNotification:
    user_id: uuid.UUID
    kind: str
    dedup_key: str
    unit_id: uuid.UUID | None = None
    plan_id: uuid.UUID | None = None
    item_id: uuid.UUID | None = None
    task_id: uuid.UUID | None = None
    params: dict = field(default_factory=dict)


def write_notifications(
    connection: Connection, notifications: Iterable[NewNotification], now: datetime
) -> int:
    """Insert the rows whose key is new; return how many were inserted."""
    table = Notification.__table__
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    inserted = 0
    for n in notifications:
        statement = (
            dialect.insert(table)
            .values(
                id=uuid.uuid4(),
                user_id=n.user_id,
                kind=n.kind,
                dedup_key=n.dedup_key,
                unit_id=n.unit_id,
                plan_id=n.plan_id,
                item_id=n.item_id,
                task_id=n.task_id,
                params=n.params,
                status="pending",
                attempts=0,
                next_attempt_at=now,
                delivered_to=[],
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["dedup_key"])
            # RETURNING answers "was it new?" on both dialects (rowcount does not, on psycopg).
            .returning(table.c.id)
        )
        inserted += len(connection.execute(statement).all())
    if inserted and connection.dialect.name == "postgresql":
        # Held by PostgreSQL until this transaction commits; equal ones are sent once.
        connection.execute(text("SELECT pg_notify(:channel, '')"), {"channel": WAKE_CHANNEL})
    return inserted


def overdue_reminder_wanted(days_overdue: int, retention_days: int = OUTBOX_RETENTION_DAYS) -> bool:
    """Whether something this many days past its due date still gets its overdue reminder.

    An overdue reminder's key stays the same for as long as the item stays overdue, and
    sync-gc deletes the row ``retention_days`` after it was queued: queued again after that,
    it would go out a second time. So it is queued in the first ``retention_days - 1`` days
    past the due date only; by the time its row is collected the item is at least
    ``retention_days + 1`` days overdue (one day's margin for a change of time zone). A missed
    cron run is still caught up, within that time.
    """
    return days_overdue < retention_days
