"""``flask --app server sync-gc``: delete tombstones, stored push results, long-resolved
conflicts, unused photo bytes and finished notifications past their retention
(``server/services/sync/gc.py``)."""

from __future__ import annotations

import click
from flask import Flask

from server.extensions import db_session
from server.i18n import _
from server.services.sync.gc import collect_garbage


def _lines(dry_run: bool) -> dict[str, str]:
    if dry_run:
        return {
            "tombstones": _(
                "Would delete %(total)s tombstones older than %(days)s days (before %(cutoff)s "
                "UTC): %(detail)s; %(results)s stored push results."
            ),
            "conflicts": _(
                "Would delete %(count)s conflicts resolved before %(cutoff)s UTC (devices drop "
                "them on their next pull)."
            ),
            "photos": _(
                "Would delete %(photos)s unused photos and %(uploads)s abandoned uploads (older "
                "than %(hours)s hours)."
            ),
            "notifications": _(
                "Would delete %(count)s finished notifications (older than %(days)s days)."
            ),
        }
    return {
        "tombstones": _(
            "Deleted %(total)s tombstones older than %(days)s days (before %(cutoff)s UTC): "
            "%(detail)s; %(results)s stored push results."
        ),
        "conflicts": _(
            "Deleted %(count)s conflicts resolved before %(cutoff)s UTC (devices drop them on "
            "their next pull)."
        ),
        "photos": _(
            "Deleted %(photos)s unused photos and %(uploads)s abandoned uploads (older than "
            "%(hours)s hours)."
        ),
        "notifications": _("Deleted %(count)s finished notifications (older than %(days)s days)."),
    }


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
        total = sum(collected.tombstones.values())
        detail = ", ".join(f"{t} {n}" for t, n in collected.tombstones.items() if n) or _("none")
        # Whole sentences per mode (a translator cannot build one from a verb passed in).
        lines = _lines(dry_run)
        cutoff = f"{collected.cutoff:%Y-%m-%d %H:%M}"
        click.echo(
            lines["tombstones"]
            % {
                "total": total,
                "days": days,
                "cutoff": cutoff,
                "detail": detail,
                "results": collected.mutation_results,
            }
        )
        click.echo(lines["conflicts"] % {"count": collected.resolved_conflicts, "cutoff": cutoff})
        click.echo(
            lines["photos"]
            % {
                "photos": collected.unused_photos,
                "uploads": collected.abandoned_uploads,
                "hours": app.config["PHOTO_GRACE_HOURS"],
            }
        )
        click.echo(
            lines["notifications"]
            % {
                "count": collected.finished_notifications,
                "days": app.config["PUSH_OUTBOX_RETENTION_DAYS"],
            }
        )
