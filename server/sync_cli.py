"""``flask --app server sync-gc``: delete tombstones, stored push results, long-resolved
conflicts, unused photo bytes and finished notifications past their retention
(``server/services/sync/gc.py``)."""

from __future__ import annotations

import click
from flask import Flask

from server.extensions import db_session
from server.services.sync.gc import collect_garbage


def register_sync_commands(app: Flask) -> None:
    @app.cli.command("sync-gc")
    @click.option(
        "--days",
        type=click.IntRange(min=1),
        default=None,
        help="Keep tombstones this many days (default: TOMBSTONE_RETENTION_DAYS).",
    )
    @click.option("--dry-run", is_flag=True, help="Count what would go; delete nothing.")
    def sync_gc(days: int | None, dry_run: bool) -> None:
        """Delete what is past its retention: tombstones (older cursors get reset_required),
        stored push results, long-resolved conflicts, unused photo bytes, finished
        notifications."""
        days = days or app.config["TOMBSTONE_RETENTION_DAYS"]
        collected = collect_garbage(
            db_session(),
            days,
            photo_grace_hours=app.config["PHOTO_GRACE_HOURS"],
            outbox_retention_days=app.config["PUSH_OUTBOX_RETENTION_DAYS"],
            dry_run=dry_run,
        )
        if dry_run:
            db_session().rollback()
        else:
            db_session().commit()
        verb = "Would delete" if dry_run else "Deleted"
        total = sum(collected.tombstones.values())
        detail = ", ".join(f"{t} {n}" for t, n in collected.tombstones.items() if n) or "none"
        click.echo(
            f"{verb} {total} tombstones older than {days} days "
            f"(before {collected.cutoff:%Y-%m-%d %H:%M} UTC): {detail}; "
            f"{collected.mutation_results} stored push results."
        )
        click.echo(
            f"{verb} {collected.resolved_conflicts} conflicts resolved before "
            f"{collected.cutoff:%Y-%m-%d %H:%M} UTC (devices drop them on their next pull)."
        )
        click.echo(
            f"{verb} {collected.unused_photos} unused photos and "
            f"{collected.abandoned_uploads} abandoned uploads "
            f"(older than {app.config['PHOTO_GRACE_HOURS']} hours)."
        )
        click.echo(
            f"{verb} {collected.finished_notifications} finished notifications "
            f"(older than {app.config['PUSH_OUTBOX_RETENTION_DAYS']} days)."
        )
