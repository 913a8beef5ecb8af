"""Stamps every change of a synced row on flush: version, field versions, sequence, audit.

Doing it in one ``before_flush`` hook means no path (REST, sync, CLI, a future admin screen)
can change a synced row without bumping its version or leaving an audit event.

The acting user and path come from ``session.info`` (see ``act_as``); a change without an
actor is recorded with ``user_id`` None (migrations, seeding).
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

from sqlalchemy import (
    BigInteger,
    Table,
    any_,
    bindparam,
    event,
    func,
    insert,
    inspect,
    literal,
    literal_column,
    null,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from server import clock
from server.models import write_order
from server.models.audit import AuditEvent
from server.models.base import SyncedMixin
from server.models.bulk import bulk_insert, python_default
from server.models.sync import SyncClock
from server.models.types import json_in_postgresql

M = TypeVar("M")  # a mapped class


def act_as(session: Session, user_id: uuid.UUID | None, via: str) -> None:
    """Record who is acting (and through which path) for the changes this session flushes."""
    session.info["actor_id"] = user_id
    session.info["via"] = via


def to_json_value(value: Any) -> Any:
    """A column value as it travels in JSON: dates and times ISO 8601, UUIDs as strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    return value


def take_sequence_numbers(session: Session, count: int) -> Sequence[int]:
    """Reserve ``count`` change numbers, ascending.

    SQLite: consecutive, from the clock row, whose lock is then held until commit.
    PostgreSQL: from ``sync_seq``, with no lock that another organisation's writer waits for
    (``write_order``); a transaction that did not take its write locks first (the CLI, a
    seed) takes the whole deployment's here.
    """
    if _on_postgresql(session):
        if session.info.get(_LOCKED_IN) is not session.connection().get_transaction():
            lock_clock(session, None)
        return write_order.take_numbers(session, count)
    top = (
        session.connection()
        .execute(
            update(SyncClock)
            .where(SyncClock.id == 1)
            .values(value=SyncClock.value + count)
            .returning(SyncClock.value)
        )
        .scalar_one()
    )
    return range(top - count + 1, top + 1)


def start_new_epoch(session: Session) -> str:
    """Begin a new data epoch (after a restore): every device's cursor is then refused with
    ``reset_required`` and the device pulls everything again, keeping its unsent changes."""
    epoch = uuid.uuid4().hex
    session.execute(update(SyncClock).where(SyncClock.id == 1).values(epoch=epoch))
    return epoch


def lock_clock(session: Session, organisation_ids: Iterable[uuid.UUID] | None = None) -> None:
    """Take the write locks now, before reading the rows a transaction will change.

    ``organisation_ids`` are those the writer may write in (its principal's); None means
    anywhere. SQLite: the clock row, for every writer. PostgreSQL: a lock per organisation,
    so writers in different organisations never wait for each other (``write_order``).

    Taking it first means the rows a writer reads cannot change under it before it writes
    (no lost update of a version or of the per-field versions), and no writer can hold a
    row lock while waiting for it.
    """
    if _on_postgresql(session):
        write_order.lock_for_writing(session, organisation_ids)
        session.info[_LOCKED_IN] = session.connection().get_transaction()
        return
    session.execute(update(SyncClock).where(SyncClock.id == 1).values(value=SyncClock.value))


def lock_clock_reading(
    session: Session, organisation_ids: Iterable[uuid.UUID] | None, model: type[M], key: Any
) -> M | None:
    """``lock_clock``, then the row of ``model`` with primary key ``key`` (or None), locked for
    update: on PostgreSQL in one statement (a round trip less for a small push).

    The row is the newest committed version, as a read after the locks would give it. One
    difference: a row inserted after the statement began (while it waited for the locks) is
    not seen, so None means "not there a moment ago": a caller about to create the row looks
    again first.
    """
    if not _on_postgresql(session):
        lock_clock(session, organisation_ids)
        return session.get(model, key)
    params = {"row_key": key}
    if organisation_ids is not None:
        params["keys"] = write_order.organisation_keys(organisation_ids)
    statement = _locked_row(cast(Any, model), everywhere=organisation_ids is None)
    found = session.scalars(statement, params).one_or_none()
    session.info[_LOCKED_IN] = session.connection().get_transaction()
    return found


@functools.cache
def _locked_row(model: type[Any], everywhere: bool) -> Any:
    """The statement of ``lock_clock_reading``, built once (building it costs more than its
    round trip): the locks' CTE, then the row in a lateral subquery ``FOR UPDATE``."""
    table = cast(Table, model.__table__)
    [primary_key] = table.primary_key.columns
    row = select(table).where(primary_key == bindparam("row_key")).with_for_update()
    locked = row.lateral("locked_row")
    statement = (
        select(*locked.c).select_from(write_order.locks_cte(everywhere)).outerjoin(locked, true())
    )
    return select(model).from_statement(statement).execution_options(populate_existing=True)


# ``session.info`` key: the transaction that took its write locks (PostgreSQL).
_LOCKED_IN = "write_locks_taken_in"


def _on_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


@event.listens_for(SyncedMixin, "mapper_configured", propagate=True)
def _load_old_values_on_change(mapper: Any, model: type[SyncedMixin]) -> None:
    """A change of an expired row (say, after a commit) loads the old value first: without
    it, the audit event would record the old value as null, and writing a field its own
    value would count as a change and bump the row's version."""
    for field in (*model.sync_fields, "deleted"):
        getattr(model, field).impl.active_history = True


def changed_fields(row: Any, fields: tuple[str, ...]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` in JSON form for the fields this flush changes (the audit's
    record; a field written its own value is no change)."""
    state = inspect(row)
    changes: dict[str, list[Any]] = {}
    for field in fields:
        history = state.attrs[field].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[field] = [to_json_value(old), to_json_value(new)]
    return changes


def stamp_changes(session: Session, flush_context: Any, instances: Any) -> None:
    created = [row for row in session.new if isinstance(row, SyncedMixin)]
    updated: list[tuple[SyncedMixin, dict[str, list[Any]]]] = []
    for row in session.dirty:
        if isinstance(row, SyncedMixin) and row not in session.new:
            changes = changed_fields(row, (*row.sync_fields, "deleted"))
            if changes:
                updated.append((row, changes))
    if not created and not updated:
        return

    now = clock.now()
    actor = session.info.get("actor_id")
    via = session.info.get("via", "cli")
    numbers = iter(take_sequence_numbers(session, len(created) + len(updated)))
    events: list[AuditEvent] = []

    for row in created:
        if row.id is None:
            row.id = uuid.uuid4()
        _apply_column_defaults(row)
        stamp = _new_row_stamp(row.sync_fields, next(numbers), now, row.updated_by or actor)
        for name, value in stamp.items():
            setattr(row, name, value)
        if row.deleted is None:
            row.deleted = False
        values = {f: [None, to_json_value(getattr(row, f))] for f in row.sync_fields}
        events.append(_audit(row, "create", values, now, actor, via))

    for row, changes in updated:
        row.version = row.version + 1
        # A new dict, so the JSON column sees the change.
        row.field_versions = {**row.field_versions, **dict.fromkeys(changes, row.version)}
        row.seq = next(numbers)
        row.updated_at = now
        row.updated_by = actor
        action = "delete" if changes.get("deleted") == [False, True] else "update"
        events.append(_audit(row, action, changes, now, actor, via))

    session.add_all(events)


def write_fields(session: Session, row: SyncedMixin, values: Mapping[str, Any]) -> None:
    """Set ``values`` on a stored row and write them now, stamped, audited and noticed
    exactly as a flush through ``stamp_changes`` (and the after-flush hooks) would.

    The short path for one row's edit (a push of a field or two, a REST ``PATCH``): an
    ``UPDATE`` and its audit event without the unit of work; on PostgreSQL one statement that
    also takes the change number. Taken only where it gives the same result as the ORM: the
    row is stored, has no unflushed changes, and no savepoint is open (rolling one back would
    not know to expire the row). Otherwise the values are set and flushed as before.
    """
    state = inspect(row)
    direct = (
        state.persistent
        and state.session is not None
        and not state.session.in_nested_transaction()
        and not state.modified
    )
    if not direct:
        for name, value in values.items():
            setattr(row, name, value)
        session.flush()
        return
    before = {name: getattr(row, name) for name in values if getattr(row, name) != values[name]}
    if not before:
        return
    changes = {
        name: [to_json_value(old), to_json_value(values[name])] for name, old in before.items()
    }
    now = clock.now()
    actor = session.info.get("actor_id")
    via = session.info.get("via", "cli")
    version = row.version + 1
    stamp = {
        **{name: values[name] for name in before},
        "version": version,
        "field_versions": {**row.field_versions, **dict.fromkeys(before, version)},
        "updated_at": now,
        "updated_by": actor,
    }
    audit = _audit_values(
        row.sync_table,
        {
            "id": row.id,
            "plan_id": getattr(row, "plan_id", None),
            "unit_id": getattr(row, "unit_id", None),
            "version": version,
        },
        "delete" if changes.get("deleted") == [False, True] else "update",
        changes,
        now,
        actor,
        via,
    )
    stamp["seq"] = _update_with_audit(session, type(row), row.id, stamp, audit)
    for name, value in stamp.items():
        set_committed_value(row, name, value)
    for listener in WRITTEN_DIRECTLY:
        listener(session, row, before)


# Called as ``listener(session, row, before)`` after ``write_fields`` wrote a row directly,
# ``before`` holding the old values of the fields that changed: what an after-flush hook
# would have seen of the change (server/hooks.py registers them).
WRITTEN_DIRECTLY: list[Callable[[Session, Any, dict[str, Any]], None]] = []


def _update_with_audit(
    session: Session,
    model: type[SyncedMixin],
    row_id: uuid.UUID,
    values: dict[str, Any],
    audit: dict[str, Any],
) -> int:
    """Write ``values`` (all but ``seq``) to the row and insert its audit event; returns the
    row's new change number."""
    table = cast(Table, model.__table__)
    audits = cast(Table, AuditEvent.__table__)
    if not _on_postgresql(session):
        [seq] = take_sequence_numbers(session, 1)
        session.execute(update(table).where(table.c.id == row_id).values(**values, seq=seq))
        session.execute(insert(audits).values(**audit))
        return seq
    if session.info.get(_LOCKED_IN) is not session.connection().get_transaction():
        lock_clock(session, None)
    statement = _numbered_update_with_audit(cast(Any, model), tuple(values), tuple(audit))
    params = {"row_id": row_id}
    params.update({f"set_{name}": value for name, value in values.items()})
    params.update({f"audit_{name}": value for name, value in audit.items()})
    return session.execute(statement, params).scalar_one()


@functools.cache
def _numbered_update_with_audit(
    model: type[Any], columns: tuple[str, ...], audit_columns: tuple[str, ...]
) -> Any:
    """The one statement of ``_update_with_audit`` on PostgreSQL, for one set of columns,
    built once: the change number, the audit event and the row's update (its values are the
    parameters ``row_id``, ``set_<column>`` and ``audit_<column>``). Building it per write
    cost a push more Python than running it."""
    table = cast(Table, model.__table__)
    audits = cast(Table, AuditEvent.__table__)
    number = write_order.next_number_cte()
    audit = insert(audits).values({name: bindparam(f"audit_{name}") for name in audit_columns})
    return (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values(
            {
                **{name: bindparam(f"set_{name}") for name in columns},
                "seq": select(number.c.seq).scalar_subquery(),
            }
        )
        .returning(table.c.seq)
        .add_cte(audit.cte("audit"))
    )


def insert_created(session: Session, model: type[SyncedMixin], rows: list[dict[str, Any]]) -> None:
    """Insert new rows with one statement per table, stamped and audited exactly as
    ``stamp_changes`` stamps rows added to the session.

    The fast path for a large batch of creates (a device's first push after a day offline):
    the unit of work costs several times the database's own time for such a batch. ``rows``
    hold column values with ``id`` and ``unit_id`` set; they are stamped in place. Session
    hooks do not see these rows, so callers use it only for rows no hook needs to notice
    (see ``server/services/sync/batch.py``).
    """
    if not rows:
        return
    now = clock.now()
    actor = session.info.get("actor_id")
    via = session.info.get("via", "cli")
    numbers = take_sequence_numbers(session, len(rows))
    stamp = _new_row_stamp(model.sync_fields, 0, now, actor)  # one field-versions dict for all
    for values, seq in zip(rows, numbers, strict=True):
        for name, default in _column_defaults(model).items():
            if values.get(name) is None:
                values[name] = default()
        values.update(stamp, seq=seq, deleted=False)
    bulk_insert(session, model, rows)
    if _on_postgresql(session):
        # The database copies the new rows into their audit events itself: the values do not
        # travel twice, and Python does not encode them as JSON.
        session.execute(_audit_created_rows(model, numbers, now, actor, via))
        return
    events = [
        _audit_values(
            model.sync_table,
            values,
            "create",
            {f: [None, to_json_value(values.get(f))] for f in model.sync_fields},
            now,
            actor,
            via,
        )
        for values in rows
    ]
    bulk_insert(session, AuditEvent, events)


def _audit_created_rows(
    model: type[SyncedMixin], seqs: Sequence[int], now: datetime, actor: uuid.UUID | None, via: str
) -> Any:
    """INSERT ... SELECT of the "create" audit events of the rows numbered ``seqs``, with
    the same values ``_audit_values`` gives (PostgreSQL only)."""
    table = model.__table__
    pairs: list[Any] = []
    for field in model.sync_fields:
        value = func.json_build_array(null(), json_in_postgresql(table.c[field]))
        pairs += [literal_column(f"'{field}'"), value]
    changes = func.json_build_object(*pairs)
    plan_id = (
        table.c.id
        if model.sync_table == "plans"
        else table.c.plan_id
        if "plan_id" in table.c
        else null()
    )
    unit_id = table.c.unit_id if "unit_id" in table.c else null()
    rows = select(
        func.gen_random_uuid(),
        literal(now, AuditEvent.at.type),
        literal(actor, AuditEvent.user_id.type),
        literal(model.sync_table),
        table.c.id,
        plan_id,
        unit_id,
        literal("create"),
        table.c.version,
        changes,
        literal(via),
    ).where(table.c.seq == any_(bindparam("seqs", list(seqs), type_=ARRAY(BigInteger))))
    columns = [
        "id",
        "at",
        "user_id",
        "table_name",
        "row_id",
        "plan_id",
        "unit_id",
        "action",
        "version",
        "changes",
        "via",
    ]
    return insert(AuditEvent).from_select(columns, rows)


_DEFAULTS: dict[type[SyncedMixin], dict[str, Any]] = {}


def _column_defaults(model: type[SyncedMixin]) -> dict[str, Any]:
    """``{field: make_value}`` for the sync fields with a Python-side column default."""
    if model not in _DEFAULTS:
        columns = model.__table__.c
        _DEFAULTS[model] = {
            name: make
            for name in model.sync_fields
            if (make := python_default(columns[name])) is not None
        }
    return _DEFAULTS[model]


def _apply_column_defaults(row: SyncedMixin) -> None:
    """Give a new row's unset fields their column defaults now rather than at INSERT, so
    its audit event records the values it was created with."""
    for name, make in _column_defaults(type(row)).items():
        if getattr(row, name) is None:
            setattr(row, name, make())


def _new_row_stamp(
    sync_fields: tuple[str, ...], seq: int, now: datetime, updated_by: uuid.UUID | None
) -> dict[str, Any]:
    return {
        "version": 1,
        "field_versions": dict.fromkeys(sync_fields, 1),
        "seq": seq,
        "updated_at": now,
        "updated_by": updated_by,
    }


def _audit(
    row: SyncedMixin,
    action: str,
    changes: dict[str, list[Any]],
    now: datetime,
    actor: uuid.UUID | None,
    via: str,
) -> AuditEvent:
    values = {
        "id": row.id,
        "plan_id": getattr(row, "plan_id", None),
        "unit_id": getattr(row, "unit_id", None),
        "version": row.version,
    }
    return AuditEvent(**_audit_values(row.sync_table, values, action, changes, now, actor, via))


def _audit_values(
    table: str,
    row: dict[str, Any],
    action: str,
    changes: dict[str, list[Any]],
    now: datetime,
    actor: uuid.UUID | None,
    via: str,
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "at": now,
        "user_id": actor,
        "table_name": table,
        "row_id": row["id"],
        # A plan's audit events carry its own id, so its history is one query.
        "plan_id": row["id"] if table == "plans" else row.get("plan_id"),
        "unit_id": row.get("unit_id"),
        "action": action,
        "version": row["version"],
        "changes": changes,
        "via": via,
    }
