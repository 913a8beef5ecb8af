"""The audit trail: who changed what, when, and through which path."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.types import UTCDateTime


class AuditEvent(Model):
    __tablename__ = "audit_events"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    table_name: Mapped[str] = mapped_column(String(40), nullable=False)
    row_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    # The plan the row belongs to (the plan itself for a plan), so a plan's history is one query.
    plan_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(10), nullable=False)  # create, update, delete
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    # {field: [old, new]} in JSON form.
    changes: Mapped[dict] = mapped_column(JSON, nullable=False)
    via: Mapped[str] = mapped_column(String(10), nullable=False)  # rest, sync, cli

    __table_args__ = (
        Index("ix_audit_events_row", "table_name", "row_id"),
        Index("ix_audit_events_plan_at", "plan_id", "at"),
    )
