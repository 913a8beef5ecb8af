"""Getting queued notifications to devices.

``send_push`` is the only function that talks to a push service (the seam tests point at a
real receiver on loopback). ``deliver_pending`` walks the outbox::

    claim due rows (a lease, committed)        two runs never send the same row
    for each row:
        kind switched off / unit not visible / reminder no longer true  -> skipped
          (a row done, deleted or no longer the user's, or its date moved: "obsolete")
        inside the user's quiet hours                -> held until they end (no attempt used)
        send to each of the user's devices that does not have it yet:
            endpoint refused now (endpoints.py)      -> the subscription is deleted, not contacted
            2xx                                      -> delivered to that device
            404 / 410                                -> the subscription is deleted
            anything else (3xx, 5xx, 429, network)   -> retried later
            no answer within connect + read timeout  -> retried later; not tried again this run
        any device to retry -> attempts + 1, next try after backoff, "failed" when used up
        otherwise           -> "sent" (or "skipped" when no device took it)

Redirects are never followed (a 3xx is a failure), and the connection goes to the address
the endpoint check approved, never to a second DNS answer. Each send runs in a worker thread
the loop waits for at most connect + read timeout, so an endpoint that answers a byte at a time
cannot hold up the other devices.

Delivery is at least once: a run that dies after sending but before committing sends that
row again when its lease runs out. Logs name notification and subscription ids and HTTP
statuses only: no endpoint, no name, no payload.
"""

from __future__ import annotations

import enum
import json
import logging
import socket
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import requests
from pywebpush import WebPusher
from requests.adapters import HTTPAdapter
from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from server import clock
from server.models.org import User
from server.models.plans import PlanItem
from server.models.push import (
    DEFAULT_TIMEZONE,
    REMINDER_KINDS,
    SURVEY_REMINDER_KINDS,
    Notification,
    NotificationPreference,
    PushSubscription,
)
from server.models.quality import AnnualTask
from server.push.audience import may, reminded_user_ids
from server.push.endpoints import (
    EndpointPolicy,
    EndpointRefused,
    EndpointUnresolvable,
    check_endpoint,
)
from server.push.messages import URGENCY, render_payload
from server.push.vapid import VapidKeys, load_vapid_keys

log = logging.getLogger(__name__)

# A VAPID token may live at most 24 hours (RFC 8292); 12 leaves room for clock skew.
VAPID_TOKEN_LIFETIME = timedelta(hours=12)
# Long enough for one batch of sends; a crashed run's rows come back after it.
LEASE = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=6)


@dataclass(frozen=True)
class PushSettings:
    vapid: VapidKeys
    subject: str
    ttl_seconds: int
    connect_timeout_seconds: float
    timeout_seconds: float  # for each read of the answer
    max_attempts: int
    retry_base_seconds: int
    endpoints: EndpointPolicy

    @classmethod
    def from_config(cls, config: Mapping[str, Any], instance_path: str) -> PushSettings:
        return cls(
            vapid=load_vapid_keys(config, instance_path),
            subject=config["VAPID_SUBJECT"],
            ttl_seconds=int(config["PUSH_TTL_SECONDS"]),
            connect_timeout_seconds=float(config["PUSH_CONNECT_TIMEOUT_SECONDS"]),
            timeout_seconds=float(config["PUSH_TIMEOUT_SECONDS"]),
            max_attempts=int(config["PUSH_MAX_ATTEMPTS"]),
            retry_base_seconds=int(config["PUSH_RETRY_BASE_SECONDS"]),
            endpoints=EndpointPolicy.from_config(config),
        )

    @property
    def deadline_seconds(self) -> float:
        """The most one endpoint may take, however slowly it trickles its answer."""
        return self.connect_timeout_seconds + self.timeout_seconds


class Outcome(enum.Enum):
    DELIVERED = "delivered"
    GONE = "gone"  # the push service no longer knows the subscription: delete it
    REFUSED = "refused"  # the endpoint fails the check now: delete it, never contact it
    RETRY = "retry"


@dataclass(frozen=True)
class PushResult:
    outcome: Outcome
    status: int | None = None
    retry_after_seconds: int | None = None
    reason: str | None = None  # "timeout", "dns", or why the endpoint is refused


TIMED_OUT = PushResult(Outcome.RETRY, reason="timeout")


@dataclass(frozen=True)
class Target:
    endpoint: str
    p256dh: str
    auth: str


def send_push(
    target: Target, payload: Mapping[str, Any], settings: PushSettings, urgency: str
) -> PushResult:
    """Check the endpoint again, encrypt ``payload`` (aes128gcm) for one subscription and POST
    it with a VAPID token to the address the check approved; never follow a redirect."""
    try:
        checked = check_endpoint(target.endpoint, settings.endpoints)
    except EndpointUnresolvable:
        return PushResult(Outcome.RETRY, reason="dns")
    except EndpointRefused as refused:
        return PushResult(Outcome.REFUSED, reason=str(refused))
    parts = urlsplit(target.endpoint)
    claims = {
        "sub": settings.subject,
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int((clock.now() + VAPID_TOKEN_LIFETIME).timestamp()),
    }
    headers = {"Urgency": urgency, **settings.vapid.signer.sign(claims)}
    with _session_pinned_to(str(checked.addresses[0])) as session:
        try:
            pusher = WebPusher(
                {
                    "endpoint": target.endpoint,
                    "keys": {"p256dh": target.p256dh, "auth": target.auth},
                },
                requests_session=session,
            )
            response = pusher.send(
                json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
                headers,
                ttl=settings.ttl_seconds,
                content_encoding="aes128gcm",
                timeout=(settings.connect_timeout_seconds, settings.timeout_seconds),
            )
        except requests.Timeout:
            return TIMED_OUT
        except requests.RequestException:
            return PushResult(Outcome.RETRY)
        except ValueError:
            # Keys the encryption cannot use: this subscription can never receive anything.
            return PushResult(Outcome.GONE)
    status = response.status_code
    if 200 <= status <= 202:
        return PushResult(Outcome.DELIVERED, status)
    if status in (404, 410):
        return PushResult(Outcome.GONE, status)
    return PushResult(Outcome.RETRY, status, _retry_after(response))


def send_within_deadline(
    target: Target, payload: Mapping[str, Any], settings: PushSettings, urgency: str
) -> PushResult:
    """``send_push`` in a worker thread, waited for at most ``settings.deadline_seconds``.

    A read timeout bounds each read, not the whole answer: a receiver that sends one byte
    every few seconds would hold the loop for as long as it likes. Past the deadline the
    thread is left to finish on its own (it owns no database state) and the device is retried.
    """
    done: list[PushResult | BaseException] = []

    def run() -> None:
        try:
            done.append(send_push(target, payload, settings, urgency))
        except BaseException as error:  # handed back to the loop below
            done.append(error)

    worker = threading.Thread(target=run, name="push-send", daemon=True)
    worker.start()
    worker.join(settings.deadline_seconds)
    if not done:
        return TIMED_OUT
    if isinstance(done[0], BaseException):
        raise done[0]
    return done[0]


class _NoRedirects(requests.Session):
    def request(self, method, url, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)


def _session_pinned_to(address: str) -> requests.Session:
    """A session whose connections go to ``address`` (the checked one), while the URL's name
    stays what TLS (SNI, certificate) and the Host header see: a DNS answer that changed since
    the check is never used. Behind an HTTPS_PROXY the proxy resolves the name instead."""

    def connect(connection: HTTPConnection, new_conn: Any) -> socket.socket:
        name = connection._dns_host
        connection._dns_host = address  # only the TCP connect reads it
        try:
            return new_conn()
        finally:
            connection._dns_host = name

    class PinnedHTTPConnection(HTTPConnection):
        def _new_conn(self) -> socket.socket:
            return connect(self, super()._new_conn)

    class PinnedHTTPSConnection(HTTPSConnection):
        def _new_conn(self) -> socket.socket:
            return connect(self, super()._new_conn)

    class PinnedHTTPPool(HTTPConnectionPool):
        ConnectionCls = PinnedHTTPConnection

    class PinnedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = PinnedHTTPSConnection

    class PinnedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {
                "http": PinnedHTTPPool,
                "https": PinnedHTTPSPool,
            }

    session = _NoRedirects()
    session.mount("http://", PinnedAdapter(max_retries=0))
    session.mount("https://", PinnedAdapter(max_retries=0))
    return session


def _retry_after(response: requests.Response) -> int | None:
    raw = response.headers.get("Retry-After")
    return int(raw) if raw and raw.isdigit() else None


@dataclass
class DeliveryReport:
    sent: int = 0
    skipped: int = 0
    held: int = 0
    retrying: int = 0
    failed: int = 0
    pruned_subscriptions: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1


def deliver_pending(session: Session, settings: PushSettings, limit: int = 500) -> DeliveryReport:
    """Send every notification that is due. Commits as it goes: a claim must be visible to
    other runs before the (slow) sending starts, and each row's outcome stands on its own."""
    report = DeliveryReport()
    claimed = _claim_due(session, clock.now(), limit)
    session.commit()
    timed_out: set[uuid.UUID] = set()  # devices that did not answer in time: not again this run
    for notification_id in claimed:
        _deliver(session, notification_id, settings, report, timed_out)
        session.commit()
    return report


def _claim_due(session: Session, now: datetime, limit: int) -> list[uuid.UUID]:
    """Take a lease on due rows: move ``next_attempt_at`` past the run, in one statement, so
    a second run at the same moment claims only the rows this one did not. One statement
    matters on SQLite too: a read that a write follows fails at once ("database is locked")
    if another run wrote in between, where a write waits for the other to commit."""
    table = cast(Table, Notification.__table__)
    due = (
        select(table.c.id)
        .where(table.c.status == "pending", table.c.next_attempt_at <= now)
        .order_by(table.c.next_attempt_at)
        .limit(limit)
        # PostgreSQL: rows another run is claiming are left to it, not waited for (SQLite
        # has one writer, and no FOR UPDATE).
        .with_for_update(skip_locked=True)
    )
    taken = session.execute(
        update(table)
        .where(
            table.c.id.in_(due.scalar_subquery()),
            table.c.status == "pending",
            table.c.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + LEASE)
        .returning(table.c.id)
    )
    return list(taken.scalars())


def _deliver(
    session: Session,
    notification_id: uuid.UUID,
    settings: PushSettings,
    report: DeliveryReport,
    timed_out: set[uuid.UUID],
) -> None:
    notification = session.get(Notification, notification_id)
    if notification is None:
        return
    now = clock.now()
    preferences = session.get(NotificationPreference, notification.user_id)
    reason = _reason_to_skip(session, notification, preferences)
    if reason:
        _finish(notification, "skipped", now, reason)
        report.skip(reason)
        return
    held_until = quiet_hours_end(preferences, now)
    if held_until is not None:
        notification.next_attempt_at = held_until
        report.held += 1
        return

    devices = session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id == notification.user_id)
        .order_by(PushSubscription.created_at)
    ).all()
    waiting = [d for d in devices if str(d.id) not in notification.delivered_to]
    if not waiting:
        if notification.delivered_to:
            _finish(notification, "sent", now)
            report.sent += 1
        else:
            _finish(notification, "skipped", now, "no_device")
            report.skip("no_device")
        return

    user = session.get(User, notification.user_id)
    payload = render_payload(
        notification.kind,
        user.language if user else None,
        notification.plan_id,
        notification.item_id,
        notification.params,
        task=(
            (notification.unit_id, notification.task_id)  # type: ignore[arg-type]
            if notification.task_id
            else None
        ),
        unit_id=notification.unit_id,
    )
    delivered = list(notification.delivered_to)
    retry: list[PushResult] = []
    for device in waiting:
        if device.id in timed_out:
            retry.append(TIMED_OUT)
            continue
        result = send_within_deadline(
            Target(device.endpoint, device.p256dh, device.auth),
            payload,
            settings,
            URGENCY[notification.kind],
        )
        # Ids, outcome and status only: never the endpoint (a URL that names the device).
        log.info(
            "push notification %s to subscription %s: %s (HTTP %s%s)",
            notification.id,
            device.id,
            result.outcome.value,
            result.status,
            f", {result.reason}" if result.reason else "",
        )
        if result.outcome is Outcome.DELIVERED:
            delivered.append(str(device.id))
            device.last_success_at = now
        elif result.outcome in (Outcome.GONE, Outcome.REFUSED):
            if result.outcome is Outcome.REFUSED:
                log.warning("push subscription %s removed: endpoint refused", device.id)
            session.delete(device)
            report.pruned_subscriptions += 1
        else:
            if result.reason == "timeout":
                timed_out.add(device.id)
            retry.append(result)
    notification.delivered_to = delivered  # a new list, so the JSON column sees the change
    notification.attempts += 1

    if retry:
        notification.last_error = str(retry[0].status or retry[0].reason or "network")
        if notification.attempts >= settings.max_attempts:
            _finish(notification, "failed", now, notification.last_error)
            report.failed += 1
            log.warning(
                "push notification %s failed after %s attempts",
                notification.id,
                notification.attempts,
            )
        else:
            wait = backoff(notification.attempts, settings.retry_base_seconds)
            wait = max([wait] + [timedelta(seconds=r.retry_after_seconds or 0) for r in retry])
            notification.next_attempt_at = now + wait
            report.retrying += 1
    elif delivered:
        _finish(notification, "sent", now)
        report.sent += 1
    else:
        _finish(notification, "skipped", now, "no_device")
        report.skip("no_device")


def backoff(attempts: int, base_seconds: int) -> timedelta:
    """1, 2, 4, 8 ... times the base after the 1st, 2nd, 3rd ... failed attempt; at most 6 h."""
    return min(timedelta(seconds=base_seconds * 2 ** (attempts - 1)), MAX_BACKOFF)


def _finish(notification: Notification, status: str, now: datetime, reason: str | None = None):
    notification.status = status
    if status == "sent":
        notification.sent_at = now
    if reason:
        notification.last_error = reason


def _reason_to_skip(
    session: Session, notification: Notification, preferences: NotificationPreference | None
) -> str | None:
    if preferences is not None and notification.kind in (preferences.disabled_kinds or ()):
        return "kind_off"
    if not may(session, notification.user_id, "read_plans", notification.unit_id):
        return "not_visible"
    if notification.kind in SURVEY_REMINDER_KINDS:
        # Imported here: survey_reminders takes zone_of from this module.
        from server.push.survey_reminders import still_unanswered

        if not still_unanswered(session, notification):
            return "obsolete"  # answered, withdrawn or made anew since it was queued
    elif notification.kind in REMINDER_KINDS and notification.task_id is not None:
        task = session.get(AnnualTask, notification.task_id)
        if (
            task is None
            or task.deleted
            or task.state != "open"
            or task.owner_user_id != notification.user_id
        ):
            return "obsolete"
    elif notification.kind in REMINDER_KINDS:
        if notification.item_id is None:
            return "obsolete"  # queued about nothing (årshjul reminders before task_id)
        # Imported here: reminders takes zone_of from this module.
        from server.push.reminders import still_due

        item = session.get(PlanItem, notification.item_id)
        if (
            item is None
            or item.deleted
            or item.state in ("done", "cancelled")
            or notification.user_id not in reminded_user_ids(item)
            # The date moved (or the frist was extended) after it was queued: the new
            # date has its own reminder.
            or not still_due(session, notification, item)
        ):
            return "obsolete"
    return None


def zone_of(preferences: NotificationPreference | None) -> ZoneInfo:
    try:
        return ZoneInfo(preferences.timezone if preferences else DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def quiet_hours_end(preferences: NotificationPreference | None, now: datetime) -> datetime | None:
    """When the user's quiet hours end, if ``now`` is inside them; else None.

    Hours are local wall-clock times; a start after the end spans midnight (22:00-07:00).
    """
    if preferences is None or preferences.quiet_start is None or preferences.quiet_end is None:
        return None
    start, end = preferences.quiet_start, preferences.quiet_end
    if start == end:
        return None
    zone = zone_of(preferences)
    local = now.astimezone(zone)
    moment = local.time().replace(tzinfo=None)
    if start < end:
        if not start <= moment < end:
            return None
        end_day = local.date()
    else:
        if end <= moment < start:
            return None
        end_day = local.date() + timedelta(days=1) if moment >= start else local.date()
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)
