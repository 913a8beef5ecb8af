"""Web push: each device's subscription, each user's preferences, and the notification outbox.

The outbox decouples *noticing* from *sending*::

    flush hook (server/push/events.py) ─┐
                                        ├─> notifications (status "pending") ──> delivery
    send-reminders (reminders.py) ──────┘        unique dedup_key                 (delivery.py)

A row is written in the same transaction as the change it reports, so a rolled-back change
notifies no one, and a reminder is written at most once: ``dedup_key`` is unique in the
database, which is what keeps two overlapping cron runs from sending it twice.

Notification statuses::

    pending --sent to at least one device--> sent
       |  \\--no device / kind switched off / unit no longer visible--> skipped
       |
       +--failed, attempts left: stays pending, next_attempt_at moves on (backoff)
       +--failed, no attempts left--> failed

Rows hold ids and a kind, never text: the payload is rendered at delivery time from the kind,
in the user's language, so no citizen data or note text ever sits in the outbox.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.types import UTCDateTime

# Event kinds (server/push/events.py) and reminder kinds (server/push/reminders.py).
EVENT_KINDS = (
    "assigned",
    "plan_submitted",
    "plan_approved",
    "plan_sent_back",
    "note_added",
    "conflict",
    # The dialogue with the inspectorate (docs/push.md).
    "message_added",
    "finding_added",
    "paabud_added",
    "followed_submitted",
    "followed_approved",
    "followed_changed",
    "paabud_item_done",
    # A foster family's plan put in force without approval (seed 001).
    "followed_in_force",
)
REMINDER_KINDS = ("due_soon", "overdue")
# Survey links still unanswered near their last day, to the manager who made them
# (server/push/survey_reminders.py).
SURVEY_REMINDER_KINDS = ("survey_unanswered",)
NOTIFICATION_KINDS = EVENT_KINDS + REMINDER_KINDS + SURVEY_REMINDER_KINDS
# ``params["about"]``, where a kind says two things (server/push/messages.py): a reminder of a
# row's end date or of the frist of the påbud it answers; an assignment or a note for someone
# who follows the row up. A row's reminder without it (queued before it) is about the end.
END_DATE = "end_date"
DEADLINE = "deadline"
FOLLOW_UP = "follow_up"
NOTIFICATION_STATUSES = ("pending", "sent", "skipped", "failed")
# How long a finished notification is kept (the default of PUSH_OUTBOX_RETENTION_DAYS in
# server/config.py): sync-gc deletes it after that, and reminders are queued within it.
OUTBOX_RETENTION_DAYS = 30
DEFAULT_TIMEZONE = "Europe/Copenhagen"


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class PushSubscription(Model):
    """One browser's push subscription (its endpoint and keys), owned by one user.

    The endpoint is unique: when someone else logs in on the same device and subscribes, the
    subscription moves to them, so a shared phone never shows the previous user's news.
    """

    __tablename__ = "push_subscriptions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    endpoint: Mapped[str] = mapped_column(Text, nullable=False, unique=True)
    # The browser's ECDH P-256 public key and auth secret, base64url as the browser gives them.
    p256dh: Mapped[str] = mapped_column(String(100), nullable=False)
    auth: Mapped[str] = mapped_column(String(50), nullable=False)
    device_label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationPreference(Model):
    """What a user wants pushed, and when not. No row means: every kind, no quiet hours."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Kinds switched off; a kind added later is on until the user says otherwise.
    disabled_kinds: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    # Local wall-clock times in ``timezone``; start > end means overnight (22:00-07:00).
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default=DEFAULT_TIMEZONE)


class Notification(Model):
    """One thing to tell one user, waiting in the outbox or already delivered."""

    __tablename__ = "notifications"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    # "<kind>:<user>:<subject>:<what makes it new>", e.g. "overdue:<user>:<item>:2026-12-01".
    dedup_key: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    # What the notification is about. No foreign keys: synced rows are tombstoned and later
    # garbage-collected, and the outbox must not stand in the way.
    unit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    plan_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # An årshjul task (annual_tasks) a reminder is about; its ``unit_id`` is then the unit
    # whose årshjul the owner opens (the task's, or their enhet below it).
    task_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Kind-specific numbers and codes for the text, e.g. {"days": 3, "about": "deadline",
    # "date": "2026-12-01"}; never free text.
    params: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # Subscriptions that already have it, so a retry after a partial failure sends only
    # to the devices that missed it.
    delivered_to: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    # A reason code or HTTP status, never a message from the push service (it may echo data).
    last_error: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(f"kind IN {_in(NOTIFICATION_KINDS)}", name="kind"),
        CheckConstraint(f"status IN {_in(NOTIFICATION_STATUSES)}", name="status"),
        Index("ix_notifications_status_next_attempt_at", "status", "next_attempt_at"),
    )
