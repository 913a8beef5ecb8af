"""``flask --app server send-reminders``, ``send-notifications`` and ``push-worker``.

Both are safe to run from cron, and to overlap: reminders are queued under a key the
database keeps unique, and delivery leases each row before sending it (docs/push.md).
"""

from __future__ import annotations

import signal
import threading

import click
from flask import Flask, current_app

from server.extensions import db, db_session
from server.i18n import _
from server.models.versioning import act_as
from server.push.delivery import DeliveryReport, PushSettings, deliver_pending
from server.push.reminders import queue_reminders, queue_task_reminders
from server.push.survey_reminders import queue_survey_link_reminders
from server.push.worker import WorkerTiming, run_worker


def register_push_commands(app: Flask) -> None:
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(send_notifications_command)
    app.cli.add_command(push_worker_command)


def _settings() -> PushSettings:
    return PushSettings.from_config(current_app.config, current_app.instance_path)


def _echo_delivery(report: DeliveryReport) -> None:
    # The reasons are codes (kind_off, not_visible, obsolete, ...), as in the logs.
    reasons = ", ".join(f"{n} {why}" for why, n in sorted(report.reasons.items()))
    click.echo(
        _(
            "Sent %(sent)s, skipped %(skipped)s%(reasons)s, held for quiet hours %(held)s, "
            "to retry %(retrying)s, failed %(failed)s; removed %(pruned)s gone subscriptions.",
            sent=report.sent,
            skipped=report.skipped,
            reasons=f" ({reasons})" if reasons else "",
            held=report.held,
            retrying=report.retrying,
            failed=report.failed,
            pruned=report.pruned_subscriptions,
        )
    )


@click.command("send-reminders")
@click.option("--no-send", is_flag=True, help="Only queue the reminders; do not deliver.")
def send_reminders_command(no_send: bool) -> None:
    """Queue due-soon and overdue reminders (each at most once), then deliver the outbox."""
    act_as(db_session(), None, "cli")
    windows = current_app.config["PUSH_REMINDER_DAYS"]
    # sync-gc deletes sent reminders after this; overdue ones must not be queued again then.
    retention = current_app.config["PUSH_OUTBOX_RETENTION_DAYS"]
    run = queue_reminders(db_session(), windows, outbox_retention_days=retention)
    # The årshjul of the Swedish quality follow-up reminds task owners the same way.
    tasks = queue_task_reminders(db_session(), windows, outbox_retention_days=retention)
    # Survey links still unanswered near their last day remind the manager who made them.
    surveys = queue_survey_link_reminders(db_session(), windows)
    db_session().commit()
    click.echo(
        _(
            "Queued %(queued)s new reminders (%(already)s already queued).",
            queued=run.queued,
            already=run.considered - run.queued,
        )
    )
    click.echo(_("Queued %(count)s new årshjul reminders.", count=tasks))
    click.echo(_("Queued %(count)s new survey-link reminders.", count=surveys))
    if not no_send:
        _echo_delivery(deliver_pending(db_session(), _settings()))


@click.command("send-notifications")
@click.option("--limit", type=click.IntRange(min=1), default=500, help="At most this many rows.")
def send_notifications_command(limit: int) -> None:
    """Deliver the queued notifications that are due (retries included)."""
    act_as(db_session(), None, "cli")
    _echo_delivery(deliver_pending(db_session(), _settings(), limit=limit))


@click.command("push-worker")
def push_worker_command() -> None:
    """Deliver notifications as their changes commit (PostgreSQL: LISTEN/NOTIFY; SQLite: a
    short poll), until stopped (SIGTERM or Ctrl-C). The cron's send-notifications stays."""
    settings = _settings()
    timing = WorkerTiming(
        poll_seconds=float(current_app.config["PUSH_WORKER_POLL_SECONDS"]),
        sweep_seconds=float(current_app.config["PUSH_WORKER_SWEEP_SECONDS"]),
    )
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def drain() -> None:
        try:
            act_as(db_session(), None, "cli")
            deliver_pending(db_session(), settings)
        finally:
            db.session.remove()

    click.echo(_("Delivering notifications as they are queued (stop with Ctrl-C)."))
    try:
        run_worker(db.engine, drain, timing, stop)
    except KeyboardInterrupt:
        stop.set()
    finally:
        signal.signal(signal.SIGTERM, previous)
