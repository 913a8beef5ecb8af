"""The audit trail: who changed what, when, and through which path.

Two hooks write it: ``versioning.stamp_changes`` for synced rows (plans, items, units...) and
``access_audit.audit_access_changes`` for the rows that decide who may do what (users, their
memberships, their login tokens). One table, so one query covers a unit's whole history.
"""

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
    # Who acted; None for the CLI and seeding.
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    table_name: Mapped[str] = mapped_column(String(40), nullable=False)
    row_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    # The plan the row belongs to (the plan itself for a plan), so a plan's history is one query.
    plan_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    unit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # create, update, delete; and revoke for a login token
    action: Mapped[str] = mapped_column(String(10), nullable=False)
    # The row's version after the change; None for rows that are not synced (users, ...).
    version: Mapped[int | None] = mapped_column(Integer)
    # The user an access change is about (the user row itself, or the owner of a membership
    # or token), so "what access did this person get, and from whom" is one query. No foreign
    # key: the trail must outlive the user row.
    subject_user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # {field: [old, new]} in JSON form.
    changes: Mapped[dict] = mapped_column(JSON, nullable=False)
    via: Mapped[str] = mapped_column(String(10), nullable=False)  # rest, sync, cli

    __table_args__ = (
        Index("ix_audit_events_row", "table_name", "row_id"),
        Index("ix_audit_events_plan_at", "plan_id", "at"),
        Index("ix_audit_events_subject_user_at", "subject_user_id", "at"),
    )
