"""``flask push-worker``: deliver notifications within a second or so of the commit that made them,
instead of at the next cron run.

    PostgreSQL   LISTEN folg_push on a connection of its own; the transaction that writes
                 outbox rows sends NOTIFY (``server/push/outbox.py``), which PostgreSQL hands
                 over at commit. Woken, the worker drains the outbox; it also drains every
                 PUSH_WORKER_SWEEP_SECONDS without a wake, for retries and quiet hours.
    SQLite       no notifications between processes: the worker drains every
                 PUSH_WORKER_POLL_SECONDS (one indexed query when nothing is due).

Draining is ``deliver_pending`` (``server/push/delivery.py``), the same function the cron's
``send-notifications`` calls: its leases let any number of workers and cron runs overlap
without sending a row twice, so the cron stays as the safety net for a worker that is down.
A lost wake (the worker restarting between a commit and its LISTEN) costs at most one sweep:
the worker drains once when it starts listening.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from sqlalchemy import Engine

from server.push.outbox import WAKE_CHANNEL

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerTiming:
    poll_seconds: float  # SQLite: how often to look
    sweep_seconds: float  # PostgreSQL: how often to look without a wake


def run_worker(
    engine: Engine,
    drain: Callable[[], None],
    timing: WorkerTiming,
    stop: threading.Event,
    ready: threading.Event | None = None,
) -> None:
    """Drain now, then each time a commit wakes us (or a poll/sweep comes round), until
    ``stop`` is set. ``drain`` delivers what is due; ``ready`` is set once we listen."""
    ready = ready or threading.Event()
    if engine.dialect.name == "postgresql":
        _listen(engine, drain, timing.sweep_seconds, stop, ready)
    else:
        _poll(drain, timing.poll_seconds, stop, ready)


def _poll(
    drain: Callable[[], None], every: float, stop: threading.Event, ready: threading.Event
) -> None:
    ready.set()
    while not stop.is_set():
        _drain_safely(drain)
        stop.wait(every)


def _listen(
    engine: Engine,
    drain: Callable[[], None],
    sweep: float,
    stop: threading.Event,
    ready: threading.Event,
) -> None:
    # Its own autocommit connection, outside the pool: LISTEN holds for the connection's life.
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as listener:
        listener.execute(f"LISTEN {WAKE_CHANNEL}")
        log.info("push worker listening on %s", WAKE_CHANNEL)
        ready.set()
        while not stop.is_set():
            _drain_safely(drain)
            _wait_for_wake(listener, sweep, stop)


def _wait_for_wake(listener: psycopg.Connection, sweep: float, stop: threading.Event) -> None:
    """Return when a notification arrives, the sweep is due, or ``stop`` is set (looked at
    twice a second). Notifications that came in the meantime wake the next wait at once: many
    commits while a drain runs make one more drain."""
    waited = 0.0
    while not stop.is_set() and waited < sweep:
        step = min(0.5, sweep - waited)
        for _ in listener.notifies(timeout=step, stop_after=1):
            return
        waited += step


def _drain_safely(drain: Callable[[], None]) -> None:
    try:
        drain()
    except Exception:  # a broken run must not end the worker: the next wake tries again
        log.exception("push worker: delivery run failed")
