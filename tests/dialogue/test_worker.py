"""The delivery worker gets a message's notice to the receiver without any cron run: woken by
the commit on PostgreSQL (the sweep is set to an hour, so only the NOTIFY can wake it in
time), by its short poll on SQLite."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from server.extensions import db
from server.models.versioning import act_as
from server.push.delivery import PushSettings, deliver_pending
from server.push.worker import WorkerTiming, run_worker
from tests.helpers import login
from tests.push.conftest import outbox, subscribe

# Generous: a failing worker shows as this wait running out, not as a slow pass.
WAIT_SECONDS = 30


@contextmanager
def running_worker(app) -> Iterator[None]:
    settings = PushSettings.from_config(app.config, app.instance_path)
    stop, ready = threading.Event(), threading.Event()

    def drain() -> None:
        try:
            act_as(db.session, None, "cli")
            deliver_pending(db.session, settings)
        finally:
            db.session.remove()

    def work() -> None:
        with app.app_context():
            timing = WorkerTiming(poll_seconds=0.1, sweep_seconds=3600)
            run_worker(db.engine, drain, timing, stop, ready)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    assert ready.wait(WAIT_SECONDS), "the worker did not start"
    try:
        yield
    finally:
        stop.set()
        thread.join(WAIT_SECONDS)


def _wait_for(receiver, subscriber, count: int) -> list[dict]:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        payloads = receiver.payloads(subscriber)
        if len(payloads) >= count:
            return payloads
        time.sleep(0.02)
    return receiver.payloads(subscriber)


def test_a_message_reaches_the_other_side_without_a_cron_run(push_app, client, factory, receiver):
    unit = factory.unit()
    inspector = factory.user(("inspector", unit), language="sv")
    manager = factory.user(("manager", unit))
    plan = factory.plan(unit)
    device = subscribe(client, inspector, receiver)
    # Queued before the worker started: its first drain catches up.
    client.post(
        f"/api/plans/{plan.id}/messages", json={"body": "Före"}, headers=login(client, manager)
    )

    with running_worker(push_app):
        assert len(_wait_for(receiver, device, 1)) == 1
        response = client.post(
            f"/api/plans/{plan.id}/messages",
            json={"body": "Vi har ändrat schemat."},
            headers=login(client, manager),
        )
        assert response.status_code == 201
        payloads = _wait_for(receiver, device, 2)

    assert [p["kind"] for p in payloads] == ["message_added", "message_added"]
    assert payloads[1] == {
        "title": "Nytt meddelande i dialogen om en handlingsplan",
        "url": f"/#/plans/{plan.id}",
        "kind": "message_added",
        "lang": "sv",
    }
    assert receiver.errors() == []
    assert {row.status for row in outbox(kind="message_added")} == {"sent"}


def test_the_push_worker_command_drains_the_outbox_with_the_apps_settings(
    push_app, client, factory, receiver, runner, monkeypatch
):
    unit = factory.unit()
    inspector = factory.user(("inspector", unit))
    manager = factory.user(("manager", unit))
    plan = factory.plan(unit)
    device = subscribe(client, inspector, receiver)
    client.post(
        f"/api/plans/{plan.id}/messages", json={"body": "Hej"}, headers=login(client, manager)
    )
    seen = {}

    def run_once(engine, drain, timing, stop):
        # Instead of waiting for commits until SIGTERM: one wake, as the worker has at start.
        seen["timing"] = timing
        drain()

    monkeypatch.setattr("server.push.cli.run_worker", run_once)
    monkeypatch.setitem(push_app.config, "PUSH_WORKER_POLL_SECONDS", 0.5)

    result = runner.invoke(args=["push-worker"])

    assert result.exit_code == 0, result.output
    assert seen["timing"] == WorkerTiming(poll_seconds=0.5, sweep_seconds=30.0)
    assert [p["kind"] for p in receiver.payloads(device)] == ["message_added"]
