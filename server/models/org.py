"""Organisations, units, users, their unit memberships and login tokens."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import Model
from server.models.base import SyncedMixin
from server.models.types import UTCDateTime

UNIT_KINDS = ("dk_tilbud", "dk_afdeling", "dk_plejefamilie", "se_verksamhet", "se_enhet")
FOSTER_FAMILY_TYPES = ("almen", "forstaerket", "specialiseret", "netvaerk")
# foster_parent: a plejeforælder, in their own dk_plejefamilie unit (server/services/access.py).
ROLES = ("staff", "manager", "foster_parent", "inspector", "admin")


class Organisation(Model):
    """A municipality, region or provider that owns units."""

    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    country: Mapped[str] = mapped_column(String(2), nullable=False)  # "DK" or "SE"

    __table_args__ = (CheckConstraint("country IN ('DK', 'SE')", name="country"),)


class Unit(SyncedMixin, Model):
    """A tilbud or afdeling, a plejefamilie, a Swedish verksamhet (nivå 2) or enhet (nivå 3).

    Units nest: a membership in a unit also covers the units below it.
    """

    __tablename__ = "units"
    sync_table = "units"
    sync_fields = ("name", "kind", "parent_id", "foster_family_type", "organisation_id")

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organisations.id"), nullable=False
    )
    parent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("units.id"))
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    foster_family_type: Mapped[str | None] = mapped_column(String(20))

    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id")

    @property
    def unit_id(self) -> uuid.UUID:
        # Every synced row answers "which unit is this in?" the same way.
        return self.id

    __table_args__ = (
        CheckConstraint(
            "kind IN ('dk_tilbud', 'dk_afdeling', 'dk_plejefamilie', 'se_verksamhet', 'se_enhet')",
            name="kind",
        ),
    )


class User(Model):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # active_history: a change loads the old value first, even of an expired row, so the
    # audit event (server/models/access_audit.py) records [old, new].
    email: Mapped[str] = mapped_column(
        String(254), nullable=False, unique=True, active_history=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False, active_history=True)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False, active_history=True)
    language: Mapped[str] = mapped_column(
        String(2), nullable=False, default="da", active_history=True
    )
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, active_history=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )


class Membership(Model):
    """A role in one unit (and, through nesting, the units below it)."""

    __tablename__ = "memberships"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # active_history on every field, as on User: the audit event records [old, new].
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, active_history=True
    )
    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid,
        ForeignKey("units.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
        active_history=True,
    )
    role: Mapped[str] = mapped_column(String(20), nullable=False, active_history=True)
    valid_from: Mapped[date | None] = mapped_column(Date, active_history=True)
    valid_to: Mapped[date | None] = mapped_column(Date, active_history=True)

    user: Mapped[User] = relationship(back_populates="memberships")
    unit: Mapped[Unit] = relationship()

    __table_args__ = (
        UniqueConstraint("user_id", "unit_id", "role", name="user_unit_role"),
        CheckConstraint(
            "role IN ('staff', 'manager', 'foster_parent', 'inspector', 'admin')", name="role"
        ),
    )


class AuthToken(Model):
    """A bearer token. Only its SHA-256 is stored, so a database dump logs no one in."""

    __tablename__ = "auth_tokens"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, active_history=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, active_history=True)
