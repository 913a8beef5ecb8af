"""Fixtures for the push tests: the app allowed to push to loopback, a receiver acting as
the push service, a DNS the test writes, and small helpers to subscribe a user and run
delivery."""

from __future__ import annotations

import ipaddress
from datetime import datetime

import pytest
from sqlalchemy import select

from server import clock
from server.extensions import db
from server.models import Notification
from server.models.versioning import act_as
from server.push import endpoints
from server.push.delivery import DeliveryReport, PushSettings, deliver_pending
from tests.helpers import login
from tests.push.receiver import PushReceiver, Subscriber

# A public address for the push services' names; nothing in the tests connects to it.
PUBLIC_ADDRESS = "142.250.74.42"


@pytest.fixture(autouse=True)
def dns(monkeypatch) -> dict[str, list[str]]:
    """The names the endpoint check can resolve, and to what: the test's own DNS (a name not
    in it does not resolve), so no push test asks the real one."""
    table = {"fcm.googleapis.com": [PUBLIC_ADDRESS], "web.push.apple.com": [PUBLIC_ADDRESS]}

    def resolve(host: str):
        if host not in table:
            raise endpoints.EndpointUnresolvable("The push service's host name does not resolve.")
        return [ipaddress.ip_address(address) for address in table[host]]

    monkeypatch.setattr(endpoints, "resolve_addresses", resolve)
    return table


@pytest.fixture
def push_app(app, tmp_path, monkeypatch):
    # The key file in a temporary folder, not the instance folder of the checkout.
    monkeypatch.setitem(app.config, "VAPID_KEY_FILE", str(tmp_path / "vapid_private.pem"))
    # The receiver is on loopback, which the default refuses.
    monkeypatch.setitem(app.config, "PUSH_ALLOW_LOOPBACK", True)
    return app


@pytest.fixture
def receiver(push_app, client):
    with PushReceiver() as receiver:
        receiver.expected_key = client.get("/api/push/vapid-public-key").json["public_key"]
        yield receiver


@pytest.fixture
def pin_clock(monkeypatch):
    """Set the server's clock: ``pin_clock(datetime(...))``."""

    def pin(moment: datetime) -> datetime:
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    return pin


def subscribe(client, user, receiver: PushReceiver, origin: str | None = None) -> Subscriber:
    """Log ``user`` in and subscribe a new device of theirs, through the API (at the
    receiver's address, or at ``origin`` when the test names it otherwise)."""
    subscriber = receiver.new_subscriber()
    response = client.post(
        "/api/push/subscriptions",
        json={
            "endpoint": (origin or receiver.origin) + subscriber.path,
            "expirationTime": None,
            "keys": subscriber.keys(),
        },
        headers=login(client, user),
    )
    assert response.status_code == 201, response.json
    act_as(db.session, None, "cli")  # the test's own writes are nobody's
    return subscriber


def deliver(app) -> DeliveryReport:
    return deliver_pending(db.session, PushSettings.from_config(app.config, app.instance_path))


def outbox(**where) -> list[Notification]:
    db.session.expire_all()
    query = select(Notification).order_by(Notification.created_at, Notification.kind)
    for name, value in where.items():
        query = query.where(getattr(Notification, name) == value)
    return list(db.session.scalars(query))
