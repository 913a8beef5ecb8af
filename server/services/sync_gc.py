"""Garbage collection: tombstones and stored mutation results older than the retention.

A tombstone (``deleted = true``) exists so that devices learn of the delete. After the
retention period (``TOMBSTONE_RETENTION_DAYS``, 90 by default) it is removed, and a device
whose cursor is older than that is told ``reset_required`` instead (``sync_pull.py``), so no
device ever keeps a row the server has forgotten.

A tombstone that another row still references (a deleted plan whose items are kept for some
reason, a unit with memberships) stays; it will go once the referencing rows have gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, and_, delete, exists, select
from sqlalchemy.orm import Session

from server import clock
from server.extensions import db
from server.models import SYNCED_MODELS, SyncMutationResult


@dataclass
class Collected:
    cutoff: datetime
    tombstones: dict[str, int] = field(default_factory=dict)
    mutation_results: int = 0


def collect_garbage(session: Session, retention_days: int, *, dry_run: bool = False) -> Collected:
    """Delete old tombstones (children first) and old stored push results. Caller commits."""
    cutoff = clock.now() - timedelta(days=retention_days)
    collected = Collected(cutoff=cutoff)
    for model in reversed(SYNCED_MODELS):
        table = cast(Table, model.__table__)
        old = and_(table.c.deleted.is_(True), table.c.updated_at < cutoff)
        for column in _references_to(table):
            old = and_(old, ~exists().where(column == table.c.id))
        if dry_run:
            ids = session.scalars(select(table.c.id).where(old)).all()
            collected.tombstones[model.sync_table] = len(ids)
        else:
            result = session.execute(delete(table).where(old))
            collected.tombstones[model.sync_table] = getattr(result, "rowcount", 0) or 0
    stale = SyncMutationResult.created_at < cutoff
    if dry_run:
        collected.mutation_results = len(
            session.scalars(select(SyncMutationResult.mutation_id).where(stale)).all()
        )
    else:
        result = session.execute(delete(SyncMutationResult).where(stale))
        collected.mutation_results = getattr(result, "rowcount", 0) or 0
    return collected


def _references_to(table):
    """The column of every foreign key in the schema that points at ``table``."""
    for child in db.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is table:
                yield fk.parent
