"""Inspection visits (tilsynsbesøg), their findings and photos, and what the inspectorate
adds to a plan afterwards: comments on items and recorded deadline extensions.

    Visit               one visit to a unit: date, announced or not, who, why, notes
    ├── Finding         påbud (with a deadline) | anbefaling | bekymrende forhold | observation,
    │                   on a theme (and criterion) of the catalogue in force on the visit date;
    │                   an optional 1-5 rating that must be justified in writing
    └── VisitPhoto      a photo's metadata; the bytes are a PhotoBlob, addressed by SHA-256
    PlanItem.finding_id an item that answers a finding (server/models/plans.py)
    DeadlineExtension   a later deadline for an item answering a påbud: reason, who, when
    ItemComment         an inspector's comment on an item, apart from the provider's text

Comments and extensions are append-only: a correction is a new row. Photo bytes are not a
synced table: a device uploads them through ``/api/photos/<sha256>`` (resumable, idempotent)
and the synced ``visit_photos`` row names them.
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
    LargeBinary,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.base import SyncedMixin
from server.models.types import UTCDateTime

VISIT_PURPOSES = ("ongoing_supervision", "approval", "follow_up")
FINDING_KINDS = ("paabud", "anbefaling", "bekymrende_forhold", "observation")
PHOTO_TYPES = ("image/jpeg", "image/png")
RATING_MIN, RATING_MAX = 1, 5


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class Visit(SyncedMixin, Model):
    __tablename__ = "visits"
    sync_table = "visits"
    sync_fields = (
        "unit_id",
        "catalogue_id",
        "visit_date",
        "announced",
        "inspectors",
        "purpose",
        "notes",
        "created_by",
    )
    # The catalogue follows the unit and the date; the author is whoever created the row.

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    catalogue_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("catalogues.id"), nullable=False
    )
    visit_date: Mapped[date] = mapped_column(Date, nullable=False)
    # Unannounced visits are the rule since the 2025 amendment.
    announced: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # [{"user_id": "..."} | {"name": "..."}], like HVEM? on plan items.
    inspectors: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    purpose: Mapped[str] = mapped_column(String(30), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)

    __table_args__ = (CheckConstraint(f"purpose IN {_in(VISIT_PURPOSES)}", name="purpose"),)


class Finding(SyncedMixin, Model):
    __tablename__ = "findings"
    sync_table = "findings"
    sync_fields = (
        "visit_id",
        "unit_id",
        "theme_id",
        "criterion_id",
        "kind",
        "text",
        "deadline",
        "rating",
        "rating_justification",
        "author_id",
        "created_at",
    )

    visit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("visits.id"), nullable=False, index=True
    )
    # Denormalised from the visit so a device's scope is one indexed column on every table.
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    theme_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("themes.id"), nullable=False)
    criterion_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("criteria.id"))
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    # The frist of a påbud: the legal deadline an answering plan item inherits.
    deadline: Mapped[date | None] = mapped_column(Date)
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_justification: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    # When the inspector wrote it, on their device.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (
        CheckConstraint(f"kind IN {_in(FINDING_KINDS)}", name="kind"),
        CheckConstraint("kind <> 'paabud' OR deadline IS NOT NULL", name="paabud_deadline"),
        CheckConstraint(
            f"rating IS NULL OR (rating >= {RATING_MIN} AND rating <= {RATING_MAX})",
            name="rating",
        ),
        CheckConstraint(
            "rating IS NULL OR rating_justification IS NOT NULL", name="rating_justified"
        ),
    )


class VisitPhoto(SyncedMixin, Model):
    """A photo taken during a visit; the bytes are the PhotoBlob with the same ``sha256``."""

    __tablename__ = "visit_photos"
    sync_table = "visit_photos"
    sync_fields = (
        "visit_id",
        "finding_id",
        "unit_id",
        "sha256",
        "content_type",
        "size_bytes",
        "caption",
        "created_by",
        "created_at",
    )

    visit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("visits.id"), nullable=False, index=True
    )
    finding_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("findings.id"))
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    caption: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (CheckConstraint(f"content_type IN {_in(PHOTO_TYPES)}", name="content_type"),)


class PhotoBlob(Model):
    """Photo bytes, addressed by the SHA-256 of the file the device sent.

    An upload may arrive in pieces: ``received_bytes`` says how far it got, so a device that
    lost its connection resumes from there. Once complete, the hash is checked, location
    metadata is stripped, and the row never changes again (a repeated upload is a no-op).
    The stored bytes may therefore differ from the sent ones (stripped); the address stays.
    """

    __tablename__ = "photo_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    received_bytes: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    data: Mapped[bytes] = mapped_column(LargeBinary, nullable=False, default=b"")
    complete: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    uploaded_by: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DeadlineExtension(SyncedMixin, Model):
    """A later deadline for an item answering a påbud. Append-only: the latest one counts."""

    __tablename__ = "deadline_extensions"
    sync_table = "deadline_extensions"
    sync_fields = (
        "item_id",
        "plan_id",
        "unit_id",
        "new_deadline",
        "reason",
        "granted_by",
        "author_id",
        "created_at",
    )

    item_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("plan_items.id"), nullable=False, index=True
    )
    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("plans.id"), nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    new_deadline: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    # Who at the inspectorate granted it, as written (the recorder is author_id).
    granted_by: Mapped[str] = mapped_column(String(200), nullable=False)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class ItemComment(SyncedMixin, Model):
    """An inspector's comment on a plan item. Append-only, and never part of the provider's
    own columns: the inspectorate follows the plan without writing in it."""

    __tablename__ = "item_comments"
    sync_table = "item_comments"
    sync_fields = ("item_id", "plan_id", "unit_id", "text", "author_id", "created_at")

    item_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("plan_items.id"), nullable=False, index=True
    )
    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("plans.id"), nullable=False)
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
