"""Delivery through a real push receiver on loopback: VAPID token, encryption, TTL and
urgency, pruning of gone subscriptions, retries with backoff, quiet hours, preferences."""

from __future__ import annotations

import json
import logging
import socket
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from server.extensions import db
from server.models import Membership, NotificationPreference, PushSubscription
from server.models.versioning import act_as
from server.push import delivery
from server.push.delivery import PushSettings, deliver_pending
from tests.helpers import login
from tests.push.conftest import deliver, outbox, subscribe
from tests.push.receiver import PushReceiver, Subscriber


def _team(factory, language="sv"):
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    staff = factory.user(("staff", unit), language=language)
    plan = factory.plan(unit)
    item = factory.item(plan, topic="Magtanvendelse hos en navngiven borger")
    return unit, manager, staff, plan, item


def _assign(client, manager, item, *users):
    response = client.patch(
        f"/api/items/{item.id}",
        json={"responsible": [{"user_id": str(u.id)} for u in users]},
        headers=login(client, manager),
    )
    assert response.status_code == 200, response.json
    act_as(db.session, None, "cli")


def test_assignment_reaches_the_device_signed_and_encrypted(
    push_app, client, factory, receiver, runner
):
    _, manager, staff, _, item = _team(factory, language="sv")
    device = subscribe(client, staff, receiver)

    _assign(client, manager, item, staff)
    result = runner.invoke(args=["send-notifications"])

    assert result.exit_code == 0, result.output
    assert "Sent 1" in result.output
    assert receiver.errors() == []
    assert receiver.payloads(device) == [
        {
            "title": "Du har blivit ansvarig för en åtgärd",
            "url": f"/#/items/{item.id}",
            "kind": "assigned",
            "lang": "sv",
        }
    ]
    (request,) = receiver.received
    assert request.headers["ttl"] == "86400"
    assert request.headers["urgency"] == "normal"
    assert request.claims["aud"] == receiver.origin
    assert request.claims["sub"] == "mailto:admin@localhost"
    (row,) = outbox(user_id=staff.id)
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)


def test_a_follow_up_person_is_told_they_follow_the_row_up(push_app, client, factory, receiver):
    _, manager, staff, _, item = _team(factory, language="sv")
    device = subscribe(client, staff, receiver)

    response = client.patch(
        f"/api/items/{item.id}",
        json={"follow_up_responsible": [{"user_id": str(staff.id)}]},
        headers=login(client, manager),
    )
    assert response.status_code == 200, response.json
    act_as(db.session, None, "cli")
    deliver(push_app)

    assert receiver.payloads(device) == [
        {
            "title": "Du har blivit ansvarig för uppföljningen av en åtgärd",
            "url": f"/#/items/{item.id}",
            "kind": "assigned",
            "lang": "sv",
            "about": "follow_up",
        }
    ]


def test_payload_holds_no_item_text_or_names(push_app, client, factory, receiver):
    _, manager, staff, _, item = _team(factory, language="da")
    device = subscribe(client, staff, receiver)

    _assign(client, manager, item, staff)
    deliver(push_app)

    (payload,) = receiver.payloads(device)
    text = json.dumps(payload, ensure_ascii=False)
    assert set(payload) <= {"title", "body", "url", "kind", "lang", "about"}
    for private in ("borger", "Magtanvendelse", staff.name, manager.name, staff.email):
        assert private not in text


@pytest.mark.parametrize("status", [404, 410])
def test_gone_subscription_is_deleted(push_app, client, factory, receiver, status):
    _, manager, staff, _, item = _team(factory)
    device = subscribe(client, staff, receiver)
    receiver.respond_with(device, status)

    _assign(client, manager, item, staff)
    report = deliver(push_app)

    assert report.pruned_subscriptions == 1
    assert db.session.scalars(select(PushSubscription)).all() == []
    (row,) = outbox(user_id=staff.id)
    assert row.status == "skipped"


def test_server_error_is_retried_with_backoff_then_delivered(
    push_app, client, factory, receiver, pin_clock
):
    _, manager, staff, _, item = _team(factory)
    device = subscribe(client, staff, receiver)
    receiver.respond_with(device, 500, 503)
    _assign(client, manager, item, staff)
    start = pin_clock(datetime.now(UTC))

    deliver(push_app)
    (row,) = outbox(user_id=staff.id)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "500")
    assert row.next_attempt_at == start + timedelta(seconds=60)

    deliver(push_app)  # not due yet: nothing is sent
    assert len(receiver.received) == 1

    pin_clock(start + timedelta(seconds=61))
    deliver(push_app)
    (row,) = outbox(user_id=staff.id)
    assert (row.status, row.attempts) == ("pending", 2)
    assert row.next_attempt_at == start + timedelta(seconds=61 + 120)

    pin_clock(start + timedelta(seconds=200))
    deliver(push_app)
    (row,) = outbox(user_id=staff.id)
    assert (row.status, row.attempts) == ("sent", 3)
    assert [r.status for r in receiver.received] == [500, 503, 201]
    assert len(receiver.payloads(device)) == 1
    assert db.session.scalars(select(PushSubscription)).one()  # a 5xx never prunes


def test_gives_up_after_the_last_attempt(push_app, client, factory, receiver, monkeypatch):
    monkeypatch.setitem(push_app.config, "PUSH_MAX_ATTEMPTS", 1)
    _, manager, staff, _, item = _team(factory)
    device = subscribe(client, staff, receiver)
    receiver.respond_with(device, 500)
    _assign(client, manager, item, staff)

    report = deliver(push_app)

    assert report.failed == 1
    (row,) = outbox(user_id=staff.id)
    assert (row.status, row.attempts) == ("failed", 1)


def test_retry_after_a_partial_failure_goes_only_to_the_device_that_missed_it(
    push_app, client, factory, receiver, pin_clock
):
    _, manager, staff, _, item = _team(factory)
    phone, laptop = subscribe(client, staff, receiver), subscribe(client, staff, receiver)
    receiver.respond_with(laptop, 500)
    _assign(client, manager, item, staff)
    start = pin_clock(datetime.now(UTC))

    deliver(push_app)
    pin_clock(start + timedelta(minutes=5))
    deliver(push_app)

    assert len(receiver.payloads(phone)) == 1
    assert len(receiver.payloads(laptop)) == 1
    (row,) = outbox(user_id=staff.id)
    assert (row.status, len(row.delivered_to)) == ("sent", 2)


def _prefer(user, **values):
    db.session.add(NotificationPreference(user_id=user.id, **values))
    db.session.commit()


def test_quiet_hours_hold_a_notification_until_they_end(
    push_app, client, factory, receiver, pin_clock
):
    from zoneinfo import ZoneInfo

    _, manager, staff, _, item = _team(factory)
    device = subscribe(client, staff, receiver)
    # Quiet from an hour ago to an hour from now, Stockholm time: near the real time, because
    # the receiver checks the VAPID expiry against the real clock.
    now = datetime.now(ZoneInfo("Europe/Stockholm")).replace(second=0, microsecond=0)
    quiet_end = now + timedelta(hours=1)
    _prefer(
        staff,
        disabled_kinds=[],
        quiet_start=(now - timedelta(hours=1)).time(),
        quiet_end=quiet_end.time(),
        timezone="Europe/Stockholm",
    )
    pin_clock(now.astimezone(UTC))
    _assign(client, manager, item, staff)

    report = deliver(push_app)

    assert report.held == 1 and receiver.received == []
    (row,) = outbox(user_id=staff.id)
    assert (row.status, row.attempts) == ("pending", 0)
    assert row.next_attempt_at == quiet_end.astimezone(UTC)

    pin_clock(quiet_end.astimezone(UTC) + timedelta(minutes=1))
    deliver(push_app)
    assert len(receiver.payloads(device)) == 1


def test_a_kind_switched_off_is_not_sent(push_app, client, factory, receiver):
    _, manager, staff, _, item = _team(factory)
    subscribe(client, staff, receiver)
    _prefer(staff, disabled_kinds=["assigned"], timezone="Europe/Copenhagen")

    _assign(client, manager, item, staff)
    report = deliver(push_app)

    assert receiver.received == []
    assert report.reasons == {"kind_off": 1}
    assert outbox(user_id=staff.id)[0].status == "skipped"


def test_a_user_who_lost_access_to_the_unit_is_not_told(push_app, client, factory, receiver):
    _, manager, staff, _, item = _team(factory)
    subscribe(client, staff, receiver)
    _assign(client, manager, item, staff)

    db.session.execute(delete(Membership).where(Membership.user_id == staff.id))
    db.session.commit()
    report = deliver(push_app)

    assert receiver.received == []
    assert report.reasons == {"not_visible": 1}


def test_a_user_without_a_device_is_skipped(push_app, client, factory):
    _, manager, staff, _, item = _team(factory)

    _assign(client, manager, item, staff)
    report = deliver(push_app)

    assert report.reasons == {"no_device": 1}


def test_two_overlapping_delivery_runs_send_each_notification_once(
    push_app, client, factory, receiver
):
    unit, manager, staff, plan, _ = _team(factory)
    device = subscribe(client, staff, receiver)
    items = [factory.item(plan) for _ in range(6)]
    for item in items:
        _assign(client, manager, item, staff)
    settings = PushSettings.from_config(push_app.config, push_app.instance_path)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with push_app.app_context():
                start.wait(timeout=10)
                deliver_pending(db.session, settings)
                db.session.remove()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(p["url"] for p in receiver.payloads(device)) == sorted(
        f"/#/items/{item.id}" for item in items
    )
    assert {row.status for row in outbox(user_id=staff.id)} == {"sent"}


# Issue 22, finding 1: the server's own network is never reached through an endpoint.


def test_an_endpoint_that_now_resolves_privately_is_removed_without_being_contacted(
    push_app, client, factory, dns, monkeypatch, caplog
):
    _, manager, staff, _, item = _team(factory)
    endpoint = "https://fcm.googleapis.com/fcm/send/rebound"
    response = client.post(
        "/api/push/subscriptions",
        json={"endpoint": endpoint, "keys": Subscriber(path="/").keys()},
        headers=login(client, staff),
    )
    assert response.status_code == 201, response.json
    act_as(db.session, None, "cli")
    dns["fcm.googleapis.com"] = ["10.0.0.7"]  # the name moved into the private network
    connections: list[str] = []
    monkeypatch.setattr(delivery, "_session_pinned_to", connections.append)

    _assign(client, manager, item, staff)
    with caplog.at_level(logging.INFO, logger="server.push"):
        report = deliver(push_app)

    assert connections == []
    assert report.pruned_subscriptions == 1
    assert db.session.scalars(select(PushSubscription)).all() == []
    (row,) = outbox(user_id=staff.id)
    assert row.status == "skipped"
    assert "endpoint refused" in caplog.text
    assert "fcm.googleapis.com" not in caplog.text and "rebound" not in caplog.text


def test_a_name_that_no_longer_resolves_is_retried_not_removed(push_app, client, factory, dns):
    _, manager, staff, _, item = _team(factory)
    response = client.post(
        "/api/push/subscriptions",
        json={
            "endpoint": "https://fcm.googleapis.com/fcm/send/x",
            "keys": Subscriber(path="/").keys(),
        },
        headers=login(client, staff),
    )
    assert response.status_code == 201, response.json
    act_as(db.session, None, "cli")
    del dns["fcm.googleapis.com"]

    _assign(client, manager, item, staff)
    report = deliver(push_app)

    assert report.retrying == 1
    assert db.session.scalars(select(PushSubscription)).one()
    (row,) = outbox(user_id=staff.id)
    assert (row.status, row.last_error) == ("pending", "dns")


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_a_failure_and_is_not_followed(push_app, client, factory, receiver, status):
    _, manager, staff, _, item = _team(factory)
    device = subscribe(client, staff, receiver)
    receiver.redirect(device, f"{receiver.origin}/internal-admin", status)

    _assign(client, manager, item, staff)
    deliver(push_app)

    assert [r.path for r in receiver.received] == [device.path]
    (row,) = outbox(user_id=staff.id)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, str(status))


def test_a_slow_endpoint_does_not_hold_up_the_others(
    push_app, client, factory, receiver, monkeypatch
):
    # Each read gets a byte within its timeout: only the bound on the whole send ends it.
    monkeypatch.setitem(push_app.config, "PUSH_CONNECT_TIMEOUT_SECONDS", 1.0)
    monkeypatch.setitem(push_app.config, "PUSH_TIMEOUT_SECONDS", 1.0)
    unit, manager, staff, plan, item = _team(factory)
    colleague = factory.user(("staff", unit))
    slow = subscribe(client, staff, receiver)
    receiver.trickle(slow)
    fast = subscribe(client, staff, receiver)
    colleagues = subscribe(client, colleague, receiver)
    second = factory.item(plan)

    _assign(client, manager, item, staff, colleague)
    _assign(client, manager, second, staff, colleague)
    report = deliver(push_app)

    # Returned while the slow one is still trickling; it was tried once in this run.
    assert not receiver.trickle_finished.is_set()
    assert receiver.trickled == [slow.path]
    assert len(receiver.payloads(fast)) == 2 and len(receiver.payloads(colleagues)) == 2
    assert (report.sent, report.retrying) == (2, 2)
    assert {(r.status, r.last_error) for r in outbox(user_id=staff.id)} == {("pending", "timeout")}


def test_the_connection_goes_to_the_address_the_check_approved(
    push_app, client, factory, receiver, dns, monkeypatch
):
    # DNS rebinding: the check is told 127.0.0.1 (the receiver), a second lookup would say
    # 127.0.0.2, where something else listens on the same port.
    port = receiver.origin.rsplit(":", 1)[1]
    dns["push.rebind.test"] = ["127.0.0.1"]
    real_getaddrinfo = socket.getaddrinfo

    def second_answer(host, *args, **kwargs):
        return real_getaddrinfo(
            "127.0.0.2" if host == "push.rebind.test" else host, *args, **kwargs
        )

    monkeypatch.setattr(socket, "getaddrinfo", second_answer)
    _, manager, staff, _, item = _team(factory)
    with PushReceiver(host="127.0.0.2", port=int(port)) as elsewhere:
        device = subscribe(client, staff, receiver, origin=f"http://push.rebind.test:{port}")
        _assign(client, manager, item, staff)
        deliver(push_app)

    assert elsewhere.received == []
    assert len(receiver.payloads(device)) == 1 and receiver.errors() == []
    assert receiver.received[0].headers["host"] == f"push.rebind.test:{port}"
