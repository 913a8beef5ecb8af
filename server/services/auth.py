"""Passwords, bearer tokens and logging in (through the throttle of ``login_throttle``)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from server import clock
from server.i18n import _
from server.models import AuthToken, User
from server.models.sync import SyncClock
from server.services import login_throttle
from server.services.errors import NotAuthenticated
from server.services.login_throttle import ThrottleSettings
from server.services.password_policy import check_new_password

_hasher = PasswordHasher()
# Verified when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str, *, email: str, name: str) -> str:
    """The hash of a new password for the user with this email and name, if the policy
    (``password_policy``) accepts it; else ``InvalidInput`` on ``password``."""
    check_new_password(password, email=email, name=name)
    return _hasher.hash(password)


def hash_demo_password(password: str) -> str:
    """The hash of the demo data's fixed, documented password, which skips the policy: it is
    public anyway, and a demo is no place for real data."""
    return _hasher.hash(password)


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def login(
    session: Session,
    email: str,
    password: str,
    *,
    client_address: str,
    ttl_hours: int,
    throttle: ThrottleSettings,
) -> tuple[str, User, datetime]:
    """Check the password and issue a token, within the login throttle (``login_throttle``)."""
    parties = login_throttle.parties_of(email, client_address)
    login_throttle.begin_attempt(session, parties, throttle, clock.now())

    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = True
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None or not user.active:
        # The failure was counted before the check.
        raise NotAuthenticated(_("Wrong email or password."))

    now = clock.now()
    login_throttle.attempt_succeeded(session, parties, now)
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=ttl_hours)
    session.add(
        AuthToken(user_id=user.id, token_hash=_sha256(token), created_at=now, expires_at=expires_at)
    )
    session.commit()
    return token, user, expires_at


# The token and its user in one query: every request of a device starts here.
# With the access version and the data epoch, which say whether a principal kept from an
# earlier request still holds (``access.cached_principal``): one statement for both.
_TOKEN_AND_USER = (
    select(
        User,
        AuthToken.revoked_at,
        AuthToken.expires_at,
        select(SyncClock.access_version + "." + SyncClock.epoch)
        .where(SyncClock.id == 1)
        .scalar_subquery(),
    )
    .join(AuthToken, AuthToken.user_id == User.id)
    .where(AuthToken.token_hash == bindparam("token_hash"))
)


def authenticate(session: Session, token: str) -> tuple[User, str]:
    """The token's user, and the deployment's access version (with its data epoch)."""
    found = session.execute(_TOKEN_AND_USER, {"token_hash": _sha256(token)}).one_or_none()
    if found is None:
        raise NotAuthenticated(_("Your session has ended. Log in again."))
    user, revoked_at, expires_at, access_version = found
    if revoked_at is not None or expires_at <= clock.now() or not user.active:
        raise NotAuthenticated(_("Your session has ended. Log in again."))
    return user, access_version or ""


def logout(session: Session, token: str) -> None:
    row = session.scalar(select(AuthToken).where(AuthToken.token_hash == _sha256(token)))
    if row is not None and row.revoked_at is None:
        row.revoked_at = clock.now()
        session.commit()


def revoke_all_tokens(session: Session, user_id: uuid.UUID) -> None:
    """Revoke every live token of the user, in the caller's transaction (a deactivation
    and its revocations are committed together or not at all)."""
    now = clock.now()
    for row in session.scalars(
        select(AuthToken).where(AuthToken.user_id == user_id, AuthToken.revoked_at.is_(None))
    ):
        row.revoked_at = now
    session.flush()
