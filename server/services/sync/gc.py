"""Garbage collection (``flask sync-gc``): what the server keeps only for a while.

    tombstones          deleted synced rows, after TOMBSTONE_RETENTION_DAYS (90)
    resolved conflicts  tombstoned once resolved for as long (devices then drop them),
                        and go as tombstones after as long again
    stored push results the answers replayed to a retried push, after the same retention
    photo bytes         a blob no live visit photo or plan attachment names, or an upload
                        never finished,
                        after PHOTO_GRACE_HOURS (720, 30 days)
    the push outbox     sent, skipped and failed notifications, after
                        PUSH_OUTBOX_RETENTION_DAYS (30)

A tombstone (``deleted = true``) exists so that devices learn of the delete. After the
retention period it is removed, and a device whose cursor is older than that is told
``reset_required`` instead (``sync/pull.py``), so no device ever keeps a row the server has
forgotten. A tombstone that another row still references (a deleted plan whose items are kept
for some reason, a unit with memberships) stays; it will go once the referencing rows have gone.

Photo bytes are uploaded just before the ``visit_photos`` row that names them is pushed, so a
blob nobody names yet is normal for a while: the grace period is how long a device may take to
push the row (the trade-off: a device that loses its connection between the two and stays away
longer than that pushes a row whose bytes are gone). Deleting a photo (or its visit)
tombstones the row; the bytes go at the next run once the upload is older than the grace
period, long before the tombstone does. Another live row naming the same bytes keeps them. An
upload is abandoned when it has not completed within the grace period of its start (there is
no "last piece" time): a device that resumes later is told no upload has started, and starts
again.

A conflict holds copies of the text both sides wrote. Once a person has resolved it, it is
history only, so it is not kept on every device for ever: after the retention period it is
deleted like any synced row (a versioned change that devices pull), and its tombstone goes
later. Open conflicts stay, however old: they wait for a person.

A finished notification holds ids only, but it still says who was told what about which item.
Pending ones are delivery's business and stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, delete, exists, func, select
from sqlalchemy.orm import Session

from server import clock
from server.models import (
    Conflict,
    Notification,
    PhotoBlob,
    PlanAttachment,
    SyncMutationResult,
    VisitPhoto,
)
from server.models.push import NOTIFICATION_STATUSES, OUTBOX_RETENTION_DAYS
from server.services.tables import SYNCED_MODELS

# As long as a device may well stay offline between uploading a photo and pushing its row.
PHOTO_GRACE_HOURS = 24 * 30
FINISHED_NOTIFICATIONS = tuple(s for s in NOTIFICATION_STATUSES if s != "pending")
# Conflicts deleted per flush by ``_retire_resolved_conflicts``.
RETIRE_BATCH = 1000


@dataclass
class Collected:
    cutoff: datetime
    tombstones: dict[str, int] = field(default_factory=dict)
    # Resolved before the cutoff; deleted now, their tombstones collected in a later run.
    resolved_conflicts: int = 0
    mutation_results: int = 0
    # Complete photo blobs no live visit photo names; uploads never completed.
    unused_photos: int = 0
    abandoned_uploads: int = 0
    finished_notifications: int = 0


def collect_garbage(
    session: Session,
    retention_days: int,
    *,
    photo_grace_hours: int = PHOTO_GRACE_HOURS,
    outbox_retention_days: int = OUTBOX_RETENTION_DAYS,
    dry_run: bool = False,
) -> Collected:
    """Delete (or, dry, count) what has outlived its retention; see the module docstring.
    Caller commits."""
    now = clock.now()
    cutoff = now - timedelta(days=retention_days)
    collected = Collected(cutoff=cutoff)
    collected.resolved_conflicts = _retire_resolved_conflicts(session, cutoff, dry_run)
    for model in reversed(SYNCED_MODELS):
        table = cast(Table, model.__table__)
        old = and_(table.c.deleted.is_(True), table.c.updated_at < cutoff)
        for column in _references_to(table):
            old = and_(old, ~exists().where(column == table.c.id))
        collected.tombstones[model.sync_table] = _remove(session, table, old, dry_run)
    collected.mutation_results = _remove(
        session, SyncMutationResult, SyncMutationResult.created_at < cutoff, dry_run
    )

    photo_cutoff = now - timedelta(hours=photo_grace_hours)
    named = exists().where(VisitPhoto.sha256 == PhotoBlob.sha256, VisitPhoto.deleted.is_(False))
    attached = exists().where(
        PlanAttachment.sha256 == PhotoBlob.sha256, PlanAttachment.deleted.is_(False)
    )
    unused = and_(
        PhotoBlob.complete.is_(True),
        # A blob completed just now may be older than the grace period by its start.
        func.coalesce(PhotoBlob.completed_at, PhotoBlob.created_at) < photo_cutoff,
        ~named,
        ~attached,
    )
    collected.unused_photos = _remove(session, PhotoBlob, unused, dry_run)
    abandoned = and_(PhotoBlob.complete.is_(False), PhotoBlob.created_at < photo_cutoff)
    collected.abandoned_uploads = _remove(session, PhotoBlob, abandoned, dry_run)

    outbox_cutoff = now - timedelta(days=outbox_retention_days)
    finished = and_(
        Notification.status.in_(FINISHED_NOTIFICATIONS),
        # Skipped and failed rows record no finishing time; their retries end within hours
        # of creation (delivery.py), so created_at is near enough.
        func.coalesce(Notification.sent_at, Notification.created_at) < outbox_cutoff,
    )
    collected.finished_notifications = _remove(session, Notification, finished, dry_run)
    return collected


def _retire_resolved_conflicts(session: Session, cutoff: datetime, dry_run: bool) -> int:
    """Delete conflicts resolved before ``cutoff`` through the unit of work, so each delete
    is stamped and audited and devices pull it."""
    resolved = select(Conflict).where(
        Conflict.status == "resolved", Conflict.resolved_at < cutoff, Conflict.deleted.is_(False)
    )
    if dry_run:
        return session.scalar(select(func.count()).select_from(resolved.subquery())) or 0
    retired = 0
    while batch := session.scalars(resolved.limit(RETIRE_BATCH)).all():
        for conflict in batch:
            conflict.deleted = True
        session.flush()
        retired += len(batch)
    return retired


def _remove(session: Session, target: Any, condition: ColumnElement[bool], dry_run: bool) -> int:
    """Delete the rows of ``target`` (a model or table) that meet ``condition``, or only count
    them; return how many."""
    if dry_run:
        return session.scalar(select(func.count()).select_from(target).where(condition)) or 0
    result = session.execute(
        delete(target).where(condition), execution_options={"synchronize_session": False}
    )
    return getattr(result, "rowcount", 0) or 0


def _references_to(table):
    """The column of every foreign key in the schema that points at ``table``."""
    for child in Conflict.metadata.sorted_tables:  # every table: one metadata
        for fk in child.foreign_keys:
            if fk.column.table is table:
                yield fk.parent
