"""Tables behind the sync protocol: the clock, each device's mutation log, and conflicts."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    DDL,
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    Sequence,
    String,
    Uuid,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import Model
from server.models.base import SyncedMixin
from server.models.types import UTCDateTime


class SyncClock(Model):
    """A single row: the data epoch, and on SQLite the counter of change sequence numbers.

    SQLite: taking numbers is an ``UPDATE ... RETURNING``, so the row stays locked until the
    writing transaction ends: a transaction that took a higher number cannot commit before
    one that took a lower number has finished. A reader that has seen sequence N has
    therefore seen everything below N that will ever commit, and ``seq > cursor`` never skips
    a change. PostgreSQL numbers changes from ``SYNC_SEQUENCE`` instead, with a watermark
    that gives readers the same guarantee without the lock (``write_order``).
    """

    __tablename__ = "sync_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    # Changed by ``flask restore``: cursors carry it, so devices that synced after the backup
    # was taken learn that the server went back in time and pull everything again.
    epoch: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    # A new random value whenever a change could alter someone's roles (a membership, or a
    # unit's place, organisation or deletion), set by the triggers below: a request's
    # principal is kept per user and this value (``access.cached_principal``).
    access_version: Mapped[str] = mapped_column(
        String(32), nullable=False, default="", server_default=text("''")
    )


# PostgreSQL's change numbers (``server/models/write_order.py``); SQLite has no sequences and
# uses ``SyncClock.value``. CACHE 1 (the default) matters: the watermark reads ``last_value``.
SYNC_SEQUENCE = Sequence("sync_seq", metadata=Model.metadata)


class SyncClient(Model):
    """A device: the last mutation id it pushed, so a retried batch applies nothing twice."""

    __tablename__ = "sync_clients"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    last_mutation_id: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class SyncMutationResult(Model):
    """The answers given to a push's new mutations, returned again when a batch is retried.

    One row per push: ``result`` is the list of its answers to mutations
    ``first_mutation_id`` .. ``mutation_id`` (a client's ids increase, so runs never overlap,
    and keying a run by its last id lets a lookup read only the runs at or after the ids it
    wants). Rows written before 0008 hold one answer each: ``first_mutation_id`` None, and
    ``result`` that answer."""

    __tablename__ = "sync_mutation_results"

    client_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("sync_clients.client_id", ondelete="CASCADE"), primary_key=True
    )
    mutation_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    first_mutation_id: Mapped[int | None] = mapped_column(BigInteger)
    result: Mapped[dict | list] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    def answers(self) -> list[dict]:
        if self.first_mutation_id is None:
            return [self.result]  # type: ignore[list-item]
        return self.result  # type: ignore[return-value]


CONFLICT_KINDS = ("edit_edit", "delete_edit")
CONFLICT_STATUSES = ("open", "resolved")


class Conflict(SyncedMixin, Model):
    """Two edits of the same field (or an edit of a deleted row) that a person must look at.

    The server value stays until someone resolves the conflict; resolving is an ordinary,
    versioned update of this row (``status``, ``resolution``, ``resolved_value``).
    """

    __tablename__ = "conflicts"
    sync_table = "conflicts"
    sync_fields = (
        "unit_id",
        "table_name",
        "row_id",
        "field",
        "kind",
        "base_version",
        "base_value",
        "server_version",
        "server_value",
        "server_user_id",
        "server_changed_at",
        "client_value",
        "client_id",
        "user_id",
        "involved_user_ids",
        "detected_at",
        "status",
        "resolution",
        "resolved_value",
        "resolved_by",
        "resolved_at",
    )

    unit_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("units.id"), nullable=False, index=True
    )
    table_name: Mapped[str] = mapped_column(String(40), nullable=False)
    row_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, index=True)
    # None for a delete/edit conflict, which concerns the whole row.
    field: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="edit_edit")
    base_version: Mapped[int | None] = mapped_column(Integer)
    base_value: Mapped[dict | list | str | int | float | bool | None] = mapped_column(JSON)
    server_version: Mapped[int] = mapped_column(Integer, nullable=False)
    server_value: Mapped[dict | list | str | int | float | bool | None] = mapped_column(JSON)
    server_user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    # When the server value was written (from the audit trail; None for rows from before 0010).
    server_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    client_value: Mapped[dict | list | str | int | float | bool | None] = mapped_column(JSON)
    client_id: Mapped[str] = mapped_column(String(64), nullable=False)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    involved_user_ids: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    # "server" (keep what the server had), "client" (take the device's value) or "custom".
    resolution: Mapped[str | None] = mapped_column(String(10))
    resolved_value: Mapped[dict | list | str | int | float | bool | None] = mapped_column(JSON)
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("kind IN ('edit_edit', 'delete_edit')", name="kind"),
        CheckConstraint("status IN ('open', 'resolved')", name="status"),
    )


# The clock has exactly one row; create it with the table (migrations insert it too).
event.listen(
    SyncClock.__table__,
    "after_create",
    DDL("INSERT INTO sync_clock (id, value, epoch) VALUES (1, 0, '')"),
)


# The triggers that give ``sync_clock.access_version`` a new value (migration 0022 creates
# them from these same statements). Per statement, not per row: a change of many memberships
# at once is one new value.
_NEW_ACCESS_VERSION = {
    "sqlite": "UPDATE sync_clock SET access_version = lower(hex(randomblob(16)))",
    "postgresql": "UPDATE sync_clock SET access_version = md5(random()::text || clock_timestamp())",
}
_SQLITE_BODY = f"BEGIN {_NEW_ACCESS_VERSION['sqlite']}; END"
ACCESS_TRIGGERS: dict[str, list[str]] = {
    "sqlite": [
        f"CREATE TRIGGER access_memberships_insert AFTER INSERT ON memberships {_SQLITE_BODY}",
        f"CREATE TRIGGER access_memberships_update AFTER UPDATE ON memberships {_SQLITE_BODY}",
        f"CREATE TRIGGER access_memberships_delete AFTER DELETE ON memberships {_SQLITE_BODY}",
        f"CREATE TRIGGER access_units_insert AFTER INSERT ON units {_SQLITE_BODY}",
        f"CREATE TRIGGER access_units_delete AFTER DELETE ON units {_SQLITE_BODY}",
        "CREATE TRIGGER access_units_update AFTER UPDATE OF parent_id, organisation_id, deleted"
        f" ON units {_SQLITE_BODY}",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION folg_new_access_version() RETURNS trigger LANGUAGE plpgsql"
        f" AS $$ BEGIN {_NEW_ACCESS_VERSION['postgresql']}; RETURN NULL; END $$",
        "CREATE TRIGGER access_memberships AFTER INSERT OR UPDATE OR DELETE ON memberships"
        " FOR EACH STATEMENT EXECUTE FUNCTION folg_new_access_version()",
        "CREATE TRIGGER access_units AFTER INSERT OR DELETE"
        " OR UPDATE OF parent_id, organisation_id, deleted ON units"
        " FOR EACH STATEMENT EXECUTE FUNCTION folg_new_access_version()",
    ],
}
for _dialect, _statements in ACCESS_TRIGGERS.items():
    for _statement in _statements:
        event.listen(Model.metadata, "after_create", DDL(_statement).execute_if(dialect=_dialect))
