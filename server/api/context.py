"""Per-request plumbing shared by the API views: who is calling, and the transaction.

``authenticated`` reads the bearer token, takes the caller's roles (kept between requests
while the access version holds) and tells the versioning hook who is acting;
``transactional`` commits a view's changes once, or rolls them back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import current_app, g, request
from sqlalchemy.orm import Session

from server.extensions import db, db_session
from server.i18n import _, refresh_locale
from server.models.versioning import act_as, lock_clock
from server.services import auth
from server.services.access import Principal, cached_principal
from server.services.errors import NotAuthenticated
from server.services.login_throttle import ThrottleSettings


def bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated(_("Log in first: send 'Authorization: Bearer <token>'."))
    return token.strip()


def authenticated(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user, access_version = auth.authenticate(db_session(), bearer_token())
        g.user = user
        refresh_locale()  # from now on, the user's own language
        g.principal = cached_principal(db_session(), user.id, access_version)
        act_as(db_session(), user.id, "rest")
        return view(*args, **kwargs)

    return wrapper


def current_principal() -> Principal:
    return g.principal


def transactional(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run a writing view in one transaction that holds the sync clock from its start."""
    return _committed(view, lock_first=True)


def committed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Run a view in one transaction that takes the sync clock itself, when it is ready to
    (a push checks its batch first, so that the next push can write meanwhile)."""
    return _committed(view, lock_first=False)


def _committed(view: Callable[..., Any], lock_first: bool) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            if lock_first:
                principal = g.get("principal")
                lock_clock(db_session(), principal.organisation_ids if principal else None)
            result = view(*args, **kwargs)
            _commit_keeping_state(db.session())  # the request's Session itself, not the proxy
            return result
        except BaseException:
            db_session().rollback()
            raise

    return wrapper


def _commit_keeping_state(session: Session) -> None:
    """Commit without expiring the rows: the answer is drawn from them as this transaction
    wrote them (the database adds nothing a view returns), and reading each one again after
    the commit cost a query per row."""
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def login_settings() -> dict[str, Any]:
    config = current_app.config
    return {
        "ttl_hours": config["TOKEN_TTL_HOURS"],
        "throttle": ThrottleSettings(
            max_failures=config["LOGIN_MAX_FAILURES"],
            max_wait=timedelta(seconds=config["LOGIN_MAX_WAIT_SECONDS"]),
        ),
    }
