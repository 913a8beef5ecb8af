"""Subscriptions and preferences, as the API offers them to the signed-in user.

A subscription is what the browser's ``PushSubscription.toJSON()`` gives: an endpoint (the
push service URL for that browser) and its keys. Every user sees and removes only their own.
The server POSTs to the endpoint, so it must pass ``endpoints.check_endpoint`` (a push
service on the allow-list, public addresses only), here and again before each send.
"""

from __future__ import annotations

import hmac
import uuid
from datetime import time
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from sqlalchemy.orm import Session

from server import clock
from server.i18n import _
from server.models.push import (
    DEFAULT_TIMEZONE,
    NOTIFICATION_KINDS,
    NotificationPreference,
    PushSubscription,
)
from server.push.endpoints import EndpointPolicy, EndpointRefused, check_endpoint
from server.push.vapid import b64url_decode
from server.services.errors import NotFound, field_error


def subscribe(
    session: Session,
    user_id: uuid.UUID,
    values: dict[str, Any],
    policy: EndpointPolicy,
    max_per_user: int,
) -> PushSubscription:
    """Add this device, or take it over if it was subscribed before.

    Another user's endpoint moves to the caller only with that subscription's own keys: the
    same browser, used by someone else now (a shared device). With other keys it is answered
    as an endpoint the caller cannot see (404), and stays where it is. Past ``max_per_user``
    devices, the one that has gone longest without a delivery makes room for this one.
    """
    endpoint = values["endpoint"].strip()
    try:
        check_endpoint(endpoint, policy)
    except EndpointRefused as refused:
        raise field_error("endpoint", str(refused)) from None
    keys = values["keys"]
    p256dh, auth = keys["p256dh"].rstrip("="), keys["auth"].rstrip("=")
    _check_keys(p256dh, auth)
    subscription = session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    )
    if subscription is None:
        subscription = PushSubscription(endpoint=endpoint, created_at=clock.now())
        session.add(subscription)
    elif subscription.user_id != user_id and not _same_keys(subscription, p256dh, auth):
        raise NotFound("No such subscription.")
    subscription.user_id = user_id
    subscription.p256dh = p256dh
    subscription.auth = auth
    subscription.device_label = values.get("device_label")
    session.flush()
    _keep_at_most(session, user_id, max_per_user, keep=subscription)
    return subscription


def _same_keys(subscription: PushSubscription, p256dh: str, auth: str) -> bool:
    # Both compared, in constant time: the keys are what proves it is the same browser.
    same_key = hmac.compare_digest(subscription.p256dh.encode(), p256dh.encode())
    return hmac.compare_digest(subscription.auth.encode(), auth.encode()) and same_key


def _keep_at_most(session: Session, user_id: uuid.UUID, limit: int, keep: PushSubscription) -> None:
    """Drop the user's devices past ``limit``, longest without a successful delivery first
    (never delivered: counted from when it was subscribed), never ``keep``."""
    others = [s for s in list_subscriptions(session, user_id) if s.id != keep.id]
    others.sort(key=lambda s: (s.last_success_at or s.created_at, s.created_at))
    for stale in others[: max(0, len(others) + 1 - limit)]:
        session.delete(stale)
    session.flush()


def list_subscriptions(session: Session, user_id: uuid.UUID) -> list[PushSubscription]:
    return list(
        session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id == user_id)
            .order_by(PushSubscription.created_at)
        )
    )


def unsubscribe(session: Session, user_id: uuid.UUID, subscription_id: uuid.UUID) -> None:
    subscription = session.get(PushSubscription, subscription_id)
    if subscription is None or subscription.user_id != user_id:
        raise NotFound(_("No such subscription."))
    session.delete(subscription)
    session.flush()


def unsubscribe_endpoint(session: Session, user_id: uuid.UUID, endpoint: str) -> None:
    subscription = session.scalar(
        select(PushSubscription).where(
            PushSubscription.endpoint == endpoint.strip(), PushSubscription.user_id == user_id
        )
    )
    if subscription is None:
        raise NotFound(_("No such subscription."))
    session.delete(subscription)
    session.flush()


def get_preferences(session: Session, user_id: uuid.UUID) -> dict[str, Any]:
    return _describe(session.get(NotificationPreference, user_id))


def update_preferences(
    session: Session, user_id: uuid.UUID, values: dict[str, Any]
) -> dict[str, Any]:
    """Change what is given; what is left out stays as it was. A kind not mentioned in
    ``kinds`` keeps its setting."""
    preferences = session.get(NotificationPreference, user_id)
    if preferences is None:
        preferences = NotificationPreference(
            user_id=user_id, disabled_kinds=[], timezone=DEFAULT_TIMEZONE
        )
        session.add(preferences)
    if "kinds" in values:
        disabled = set(preferences.disabled_kinds or ())
        for kind, enabled in values["kinds"].items():
            (disabled.discard if enabled else disabled.add)(kind)
        preferences.disabled_kinds = sorted(disabled)
    if "quiet_hours" in values:
        quiet = values["quiet_hours"]
        preferences.quiet_start = quiet["start"] if quiet else None
        preferences.quiet_end = quiet["end"] if quiet else None
    if "timezone" in values:
        preferences.timezone = values["timezone"]
    session.flush()
    return _describe(preferences)


def _describe(preferences: NotificationPreference | None) -> dict[str, Any]:
    disabled = set(preferences.disabled_kinds or ()) if preferences else set()
    quiet: dict[str, time] | None = None
    if preferences and preferences.quiet_start and preferences.quiet_end:
        quiet = {"start": preferences.quiet_start, "end": preferences.quiet_end}
    return {
        "kinds": {kind: kind not in disabled for kind in NOTIFICATION_KINDS},
        "quiet_hours": quiet,
        "timezone": preferences.timezone if preferences else DEFAULT_TIMEZONE,
    }


def _check_keys(p256dh: str, auth: str) -> None:
    try:
        point = b64url_decode(p256dh.rstrip("="))
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        if len(point) != 65:
            raise ValueError
    except (ValueError, TypeError):
        raise field_error("keys", _("p256dh must be a base64url P-256 public key.")) from None
    try:
        secret = b64url_decode(auth.rstrip("="))
    except (ValueError, TypeError):
        secret = b""
    if len(secret) != 16:
        raise field_error("keys", _("auth must be a base64url 16-byte secret."))
