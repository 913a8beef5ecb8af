"""The login throttle's memory: one row per guessing party (``services/login_throttle.py``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.types import UTCDateTime


class LoginThrottle(Model):
    """Failed logins of one account, one client address, or one account from one address.

    ``key`` is a SHA-256 of what the row counts (``account:<email>``, ``client:<address>``,
    ``pair:<email> <address>``), so the table holds no email or address. Kept in the
    database, so every worker sees the same counts; a login locks its rows while it counts.
    """

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # No attempt of this party is checked before this moment.
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Pair rows only: the account logged in from this address (a known device or office).
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The row may be deleted after this (nothing left to remember).
    forget_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
