"""Passwords, bearer tokens and the login rate limit."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from server import clock
from server.models import AuthToken, LoginAttempt, User
from server.services.errors import InvalidInput, NotAuthenticated, RateLimited

_hasher = PasswordHasher()
# Verified when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "The password is too short.",
            fields={"password": [f"Use at least {MIN_PASSWORD_LENGTH} characters."]},
        )
    return _hasher.hash(password)


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _check_rate_limit(session: Session, key: str, max_failures: int, window_s: int) -> None:
    since = clock.now() - timedelta(seconds=window_s)
    failures = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.key == key, LoginAttempt.at >= since)
    )
    if (failures or 0) >= max_failures:
        raise RateLimited(
            "Too many failed logins. Wait a few minutes and try again.",
            retry_after_seconds=window_s,
        )


def login(
    session: Session,
    email: str,
    password: str,
    *,
    client_key: str,
    ttl_hours: int,
    max_failures: int,
    window_s: int,
) -> tuple[str, User, datetime]:
    """Check the password and issue a token. Failures count per email and per client address."""
    email_key = _sha256("email:" + email.strip().lower())
    client_key = _sha256("client:" + client_key)
    for key in (email_key, client_key):
        _check_rate_limit(session, key, max_failures, window_s)

    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = True
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user is None or not user.active:
        now = clock.now()
        session.add_all([LoginAttempt(key=email_key, at=now), LoginAttempt(key=client_key, at=now)])
        session.commit()
        raise NotAuthenticated("Wrong email or password.")

    session.execute(delete(LoginAttempt).where(LoginAttempt.key == email_key))
    token = secrets.token_urlsafe(32)
    now = clock.now()
    expires_at = now + timedelta(hours=ttl_hours)
    session.add(
        AuthToken(user_id=user.id, token_hash=_sha256(token), created_at=now, expires_at=expires_at)
    )
    session.commit()
    return token, user, expires_at


def authenticate(session: Session, token: str) -> User:
    row = session.scalar(select(AuthToken).where(AuthToken.token_hash == _sha256(token)))
    now = clock.now()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise NotAuthenticated("Your session has ended. Log in again.")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise NotAuthenticated("Your session has ended. Log in again.")
    return user


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
