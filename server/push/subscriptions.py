"""Subscriptions and preferences, as the API offers them to the signed-in user.

A subscription is what the browser's ``PushSubscription.toJSON()`` gives: an endpoint (the
push service URL for that browser) and its keys. Every user sees and removes only their own.
"""

from __future__ import annotations

import uuid
from datetime import time
from typing import Any
from urllib.parse import urlsplit

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
from server.push.vapid import b64url_decode
from server.services.errors import NotFound, field_error


def subscribe(
    session: Session, user_id: uuid.UUID, values: dict[str, Any], allow_http: bool = False
) -> PushSubscription:
    """Add this device, or take it over if it was subscribed before (possibly by another user
    who used the same browser: it now belongs to whoever subscribed last)."""
    endpoint = values["endpoint"].strip()
    _check_endpoint(endpoint, allow_http)
    keys = values["keys"]
    _check_keys(keys["p256dh"], keys["auth"])
    subscription = session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    )
    if subscription is None:
        subscription = PushSubscription(endpoint=endpoint, created_at=clock.now())
        session.add(subscription)
    subscription.user_id = user_id
    subscription.p256dh = keys["p256dh"].rstrip("=")
    subscription.auth = keys["auth"].rstrip("=")
    subscription.device_label = values.get("device_label")
    session.flush()
    return subscription


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


def _check_endpoint(endpoint: str, allow_http: bool) -> None:
    # The server will POST to this URL: only https (a push service), so a user cannot make
    # it call into the local network. Tests allow http for their loopback receiver.
    parts = urlsplit(endpoint)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise field_error("endpoint", _("Must be the https URL of a push service."))


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
