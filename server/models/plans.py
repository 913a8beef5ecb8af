"""The follow-up plan (opfølgningsplan / handlingsplan), its rows and their progress notes.

Plan lifecycle::

    draft --submit--> submitted --approve--> approved --complete--> completed --archive--> archived
      ^  |                |                     ^
      |  +---------------------put in force----+   (foster-family plans: no approval needed)
      +---send back-------+    (with a reason, kept on the plan for its author)

Only a manager of the plan's unit approves; who and when are kept on the plan. A foster
family's plan (seed 001) is "approved" (gældende) once the foster parents put it in force,
with no approver: ``approved_by`` stays empty. Every change after approval lands in the audit
trail, which ``GET /api/plans/{id}/history`` shows.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import Model
from server.models.base import SyncedMixin
from server.models.types import UTCDateTime

PLAN_KINDS = ("dk_tilbud", "dk_plejefamilie", "se_handlingsplan")
PLAN_STATES = ("draft", "submitted", "approved", "completed", "archived")
PLAN_ORIGINS = ("inspection", "paabud", "anbefaling", "own_initiative")
ITEM_STATES = ("not_started", "in_progress", "done", "cancelled")
# Foster-family plans come in two template variants: the last column reads RESULTAT or STATUS.
RESULT_LABELS = ("result", "status")

# Text limits: generous for the free-text columns of the template, tight for names.
SHORT_TEXT = 200
LONG_TEXT = 10_000


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class Plan(SyncedMixin, Model):
    __tablename__ = "plans"
    sync_table = "plans"
    sync_fields = (
        "unit_id",
        "kind",
        "catalogue_id",
        "title",
        "plan_date",
        "filled_in_by",
        "responsible_manager",
        "foster_parents",
        "origin",
        "inspection_date",
        "origin_note",
        "result_label",
        "state",
        "submitted_at",
        "submitted_by",
        "approved_at",
        "approved_by",
        "completed_at",
        "archived_at",
        "returned_at",
        "returned_by",
        "return_reason",
    )

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    catalogue_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("catalogues.id"), nullable=False
    )
    title: Mapped[str] = mapped_column(String(SHORT_TEXT), nullable=False)  # Beskrivelse/titel
    plan_date: Mapped[date | None] = mapped_column(Date)  # Dato
    filled_in_by: Mapped[str | None] = mapped_column(String(SHORT_TEXT))  # Ansvarlig for udfyldelse
    responsible_manager: Mapped[str | None] = mapped_column(String(SHORT_TEXT))  # Ledelsesansvarlig
    # Plejeforældres navn og adresse (foster-family plans only).
    foster_parents: Mapped[str | None] = mapped_column(String(500))
    origin: Mapped[str] = mapped_column(String(20), nullable=False, default="own_initiative")
    inspection_date: Mapped[date | None] = mapped_column(Date)
    origin_note: Mapped[str | None] = mapped_column(Text)
    result_label: Mapped[str] = mapped_column(String(10), nullable=False, default="result")
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="draft")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last "send back": when, by whom and why (the submitter reads it on the plan).
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    return_reason: Mapped[str | None] = mapped_column(Text)

    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", order_by="PlanItem.priority"
    )

    __table_args__ = (
        CheckConstraint(f"kind IN {_in(PLAN_KINDS)}", name="kind"),
        CheckConstraint(f"state IN {_in(PLAN_STATES)}", name="state"),
        CheckConstraint(f"origin IN {_in(PLAN_ORIGINS)}", name="origin"),
        CheckConstraint(f"result_label IN {_in(RESULT_LABELS)}", name="result_label"),
    )


class PlanItem(SyncedMixin, Model):
    """One prioritised row of the template: TEMA, EMNE, MÅL, HVAD?, HVORDAN?, HVORNÅR?,
    DOKUMENTATION, HVEM? and RESULTAT/STATUS."""

    __tablename__ = "plan_items"
    sync_table = "plan_items"
    sync_fields = (
        "plan_id",
        "unit_id",
        "priority",
        "theme_id",
        "criterion_id",
        "topic",
        "goal",
        "activities",
        "resources",
        "start_date",
        "end_date",
        "ongoing",
        "timeframe_note",
        "documentation",
        "responsible",
        "result",
        "state",
        "finding_id",
        "legal_deadline",
        "follow_up_responsible",
    )
    # unit_id follows the plan (a client cannot move an item to another unit) and the legal
    # deadline the påbud the item answers: neither is in the item's write schema.

    plan_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("plans.id"), nullable=False, index=True
    )
    # Denormalised from the plan so a device's scope is one indexed column on every table.
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    priority: Mapped[int] = mapped_column(Integer, nullable=False)
    theme_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("themes.id"))
    # A criterion (kriterium) of that theme, when the row answers one (seed 000: "konkrete
    # kvalitetsmål/kriterier"); it belongs to the row's theme, so to the plan's catalogue.
    criterion_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("criteria.id"))
    topic: Mapped[str | None] = mapped_column(Text)  # EMNE
    goal: Mapped[str | None] = mapped_column(Text)  # MÅL
    activities: Mapped[str | None] = mapped_column(Text)  # HVAD?
    resources: Mapped[str | None] = mapped_column(Text)  # HVORDAN?
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    ongoing: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)  # "Varig ordning"
    timeframe_note: Mapped[str | None] = mapped_column(Text)  # HVORNÅR? as written
    documentation: Mapped[str | None] = mapped_column(Text)  # DOKUMENTATION
    # HVEM? has two jobs (seed 001: "ansvarlig for gennemførelsen" and "for opfølgning"), each
    # a list of [{"user_id": "..."} | {"name": "..."}]: who carries the row out, and who
    # follows it up. A row written before the two were apart holds the same people in both.
    responsible: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    follow_up_responsible: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    result: Mapped[str | None] = mapped_column(Text)  # RESULTAT / STATUS
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="not_started")
    # The inspection finding this item answers (server/models/visits.py), fixed at creation.
    finding_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("findings.id"), index=True
    )
    # A påbud's frist (its legal deadline): the row's own end date (its sluttidspunkt) may
    # not pass it (or the latest recorded extension).
    legal_deadline: Mapped[date | None] = mapped_column(Date)

    plan: Mapped[Plan] = relationship(back_populates="items")

    __table_args__ = (
        CheckConstraint(f"state IN {_in(ITEM_STATES)}", name="state"),
        CheckConstraint("priority >= 1", name="priority"),
    )


class ProgressNote(SyncedMixin, Model):
    """Progress logged on an item. Append-only: a correction is a new note."""

    __tablename__ = "progress_notes"
    sync_table = "progress_notes"
    sync_fields = ("item_id", "plan_id", "unit_id", "text", "author_id", "created_at", "new_state")

    item_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("plan_items.id"), nullable=False, index=True
    )
    plan_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("plans.id"), nullable=False, index=True
    )
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    # When the note was written, on the author's device; may be long before it reached us.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    new_state: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (
        CheckConstraint(f"new_state IS NULL OR new_state IN {_in(ITEM_STATES)}", name="new_state"),
    )


# Who wrote a message, seen from the plan: the inspectorate or the provider (the unit's
# managers and staff). Set by the server from the author's role when it was written.
MESSAGE_SIDES = ("inspectorate", "provider")
MESSAGE_TEXT = 4_000


class PlanMessage(SyncedMixin, Model):
    """One message of the dialogue between the unit and the socialtilsyn, about a row of the
    plan (``item_id``) or the plan as a whole (``item_id`` null). Append-only: a correction
    is a new message. Inspectors' comments written before the dialogue existed
    (``item_comments``) are copied in with their own id (migration 0010)."""

    __tablename__ = "plan_messages"
    sync_table = "plan_messages"
    sync_fields = ("plan_id", "item_id", "unit_id", "body", "author_id", "side", "created_at")

    plan_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("plans.id"), nullable=False, index=True
    )
    item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("plan_items.id"), index=True)
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    body: Mapped[str] = mapped_column(Text, nullable=False)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    side: Mapped[str] = mapped_column(String(20), nullable=False)
    # When it was written, on the author's device; may be long before it reached us.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (CheckConstraint(f"side IN {_in(MESSAGE_SIDES)}", name="side"),)


# Evidence (DOKUMENTATION): a photo or a PDF on a row or on one of its progress notes. The
# bytes are stored once by their SHA-256 (``photo_blobs``, ``server/services/photos.py``),
# uploaded before the record, exactly as visit photos are.
ATTACHMENT_TYPES = ("image/jpeg", "image/png", "application/pdf")
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
FILENAME_TEXT = 200


class PlanAttachment(SyncedMixin, Model):
    """A file attached to a plan row (``note_id`` null) or to a progress note of it. Written
    once; it may be deleted (a tombstone: the audit trail keeps that it was there)."""

    __tablename__ = "plan_attachments"
    sync_table = "plan_attachments"
    sync_fields = (
        "plan_id",
        "item_id",
        "note_id",
        "unit_id",
        "sha256",
        "content_type",
        "size_bytes",
        "filename",
        "caption",
        "created_by",
        "created_at",
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("plans.id"), nullable=False, index=True
    )
    item_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("plan_items.id"), nullable=False, index=True
    )
    note_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("progress_notes.id"))
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    filename: Mapped[str | None] = mapped_column(String(FILENAME_TEXT))
    caption: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    # When it was attached, on the author's device.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (
        CheckConstraint(f"content_type IN {_in(ATTACHMENT_TYPES)}", name="content_type"),
        CheckConstraint("size_bytes >= 0", name="size_bytes"),
    )
