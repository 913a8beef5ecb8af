"""Applying a device's pushed mutations.

Before the transaction, new plan items' fields are checked by their schema (no database).
One push is one transaction::

    lock the sync clock            writers in the same organisation queue here, so rows
                                   read below cannot go stale
    find or register the client    a client id belongs to one user
    check mutation ids             ids at or below the client's last one are duplicates;
                                   new ones must continue it without a gap (else MutationGap,
                                   after waiting a little for a batch sent before this one)
    for each new mutation          in a savepoint: one bad mutation is rolled back alone and
                                   answered "rejected"; the rest go on
        upsert of a missing id     create, through the same writer as REST
        upsert of an existing id   merge field by field (sync/merge.py); conflicts recorded;
                                   fields that fail their checks are refused alone, the rest
                                   applied ("partial", for clients of schema version >= 2)
        upsert of a deleted row    delete wins: the edit goes into a delete_edit conflict
        delete                     tombstone; edits made since the base go into a conflict
        upsert of a conflict       resolve it
    store each result, advance the client's last mutation id
    commit (the caller)            the changes, the results and the id together, or nothing

So a batch retried after a lost response applies nothing twice: its ids are now duplicates and
get their stored results back.

Why lock the clock first: every writer takes the clock lock (on PostgreSQL, its
organisations' locks: ``server/models/write_order.py``) at its first flush and keeps it until
commit. Taking it before reading anything means the rows we merge against cannot be changed
by another transaction before we write, and it avoids a deadlock between a row lock and the
clock lock. Pushes in one organisation are serialised; they are short.

The table each mutation names is looked up in the registry (``server/services/tables.py``):
its write schema, writer functions, immutable fields and the action an edit needs. The bulk
speed-ups (creates inserted together, rows loaded up front) are in ``batch.py`` and change no
answer; recording and resolving conflicts is ``conflicts.py``.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, cast

from marshmallow import ValidationError
from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from server import clock
from server.i18n import _, no_such
from server.i18n import localize_reasons as localize
from server.models import Conflict, SyncClient, SyncedMixin, SyncMutationResult
from server.models.versioning import act_as, lock_clock_reading
from server.services.access import Principal
from server.services.errors import (
    FolgError,
    Forbidden,
    InvalidInput,
    InvalidState,
    MutationGap,
    NotFound,
    TooLarge,
)
from server.services.quality import access_unit
from server.services.rows import refuse_changes
from server.services.sync import canonical, canonical_json, mutation_row_id, row_fields
from server.services.sync.batch import KnownRows, absent_ids, check_new_items
from server.services.sync.conflicts import record_conflict, resolve_conflict
from server.services.tables import READ_ONLY_TABLES, WRITABLE, WritableTable
from sync.errors import ErrorCode, envelope
from sync.merge import RowConflict, decide_delete, decide_update
from sync.protocol import (
    APPLIED,
    CONFLICT,
    DELETE,
    DELETE_EDIT,
    DUPLICATE,
    EDIT_EDIT,
    PARTIAL,
    PARTIAL_SINCE_SCHEMA_VERSION,
    REJECTED,
    SCHEMA_VERSION,
    UPSERT,
)


def push(
    session: Session,
    principal: Principal,
    client_id: str,
    mutations: Sequence[Mapping[str, Any]],
    *,
    max_mutations: int = 500,
    gap_wait_seconds: float = 0.0,
    schema_version: int = SCHEMA_VERSION,
) -> list[dict[str, Any]]:
    """Apply a batch; returns one result per mutation. The caller commits.

    A client of ``schema_version`` below ``PARTIAL_SINCE_SCHEMA_VERSION`` does not know the
    status ``partial``: an update with an invalid field is ``rejected`` whole, as before.

    A batch is first applied without savepoints, which saves two statements per mutation. If
    any mutation fails, that attempt is rolled back whole and the batch is applied again with
    a savepoint around each mutation, so the failure is answered alone.

    A batch whose ids do not continue the client's last one waits up to ``gap_wait_seconds``
    for them to (a client may send its next batch before the answer to this one; the two can
    reach the clock lock in either order) before it is refused with ``MutationGap``.
    """
    if len(mutations) > max_mutations:
        raise TooLarge(
            _(
                "A push carries at most %(max)s mutations; this one had %(count)s. "
                "Send the rest in the next push.",
                max=max_mutations,
                count=len(mutations),
            ),
            max_mutations=max_mutations,
        )
    # Checked before the clock is taken: another push can hold it meanwhile.
    checked = check_new_items(mutations)
    absent = absent_ids(session, mutations, checked)
    give_up_at = time.monotonic() + gap_wait_seconds
    partial_allowed = schema_version >= PARTIAL_SINCE_SCHEMA_VERSION
    while True:
        try:
            return _push_batch(
                session, principal, client_id, mutations, checked, absent, partial_allowed
            )
        except MutationGap:
            if time.monotonic() >= give_up_at:
                raise
            session.rollback()  # lets go of the clock, so the batch before can go first
            time.sleep(GAP_POLL_SECONDS)


# How often a batch that arrived before the one it follows looks again.
GAP_POLL_SECONDS = 0.005


def _push_batch(
    session: Session,
    principal: Principal,
    client_id: str,
    mutations: Sequence[Mapping[str, Any]],
    checked: dict[int, dict[str, Any]],
    absent: set[uuid.UUID],
    partial_allowed: bool,
) -> list[dict[str, Any]]:
    try:
        return _push(
            session,
            principal,
            client_id,
            mutations,
            dict(checked),
            absent,
            savepoints=False,
            partial_allowed=partial_allowed,
        )
    except _SomeMutationFailed:
        # Also where a row found absent before the clock was created meanwhile (its insert
        # broke the primary key): this attempt looks every row up under the clock.
        session.rollback()
        return _push(
            session,
            principal,
            client_id,
            mutations,
            dict(checked),
            set(),
            savepoints=True,
            partial_allowed=partial_allowed,
        )


class _SomeMutationFailed(Exception):
    pass


def _push(
    session: Session,
    principal: Principal,
    client_id: str,
    mutations: Sequence[Mapping[str, Any]],
    checked: dict[int, dict[str, Any]],
    absent: set[uuid.UUID],
    savepoints: bool,
    partial_allowed: bool = True,
) -> list[dict[str, Any]]:
    act_as(session, principal.user_id, "sync")
    client = _client(session, principal, client_id)
    new = _check_mutation_ids(client, mutations)
    stored = _stored_results(session, client_id, [m["mutation_id"] for m in mutations[:new]])
    results = [_duplicate(m["mutation_id"], stored.get(m["mutation_id"])) for m in mutations[:new]]

    known = KnownRows(
        session,
        mutations[new:],
        bulk_creates=not savepoints,
        checked=checked,
        absent=absent,
        partial_allowed=partial_allowed,
    )
    fresh: list[dict[str, Any]] = []
    for mutation in mutations[new:]:
        if savepoints:
            fresh.append(apply_in_savepoint(session, principal, client_id, mutation, known))
            continue
        try:
            fresh.append(apply_mutation(session, principal, client_id, mutation, known))
        except (ValidationError, FolgError, IntegrityError, DataError) as error:
            raise _SomeMutationFailed from error
    try:
        known.insert_deferred()
        # The batch's rows reach the database here; a value it refuses (a number past the
        # column's range) must be answered as that mutation's rejection, not as a 500.
        session.flush()
    except (IntegrityError, DataError) as error:
        raise _SomeMutationFailed from error

    _store_answers(session, client, fresh)
    return results + fresh


def _store_answers(session: Session, client: SyncClient, fresh: list[dict[str, Any]]) -> None:
    """Keep the batch's answers in one row (a retry finds them by the run's last id) and
    advance the client's last mutation id: on PostgreSQL in one statement."""
    now = clock.now()
    seen: dict[str, Any] = {"last_seen_at": now}
    params: dict[str, Any] = {"client": client.client_id, "seen": now}
    if fresh:
        seen["last_mutation_id"] = fresh[-1]["mutation_id"]
        params.update(
            last=fresh[-1]["mutation_id"], first=fresh[0]["mutation_id"], result=fresh, at=now
        )
    together = bool(fresh) and session.get_bind().dialect.name == "postgresql"
    if fresh and not together:
        session.execute(_STORE_RESULTS, params)
    session.execute(_advance_client(answered=bool(fresh), with_results=together), params)
    for name, value in seen.items():
        set_committed_value(client, name, value)


_CLIENTS = cast(Table, SyncClient.__table__)
_STORE_RESULTS = insert(cast(Table, SyncMutationResult.__table__)).values(
    client_id=bindparam("client"),
    mutation_id=bindparam("last"),
    first_mutation_id=bindparam("first"),
    result=bindparam("result"),
    created_at=bindparam("at"),
)


@functools.cache
def _advance_client(answered: bool, with_results: bool) -> Any:
    """The client's last-seen time, and last mutation id if the batch had new ones; with the
    stored results in a CTE (PostgreSQL). Built once: building it cost more than running it."""
    seen: dict[str, Any] = {"last_seen_at": bindparam("seen")}
    if answered:
        seen["last_mutation_id"] = bindparam("last")
    advance = update(_CLIENTS).where(_CLIENTS.c.client_id == bindparam("client")).values(seen)
    return advance.add_cte(_STORE_RESULTS.cte("stored")) if with_results else advance


def _client(session: Session, principal: Principal, client_id: str) -> SyncClient:
    """The device's row, read with the write locks taken (created on its first push)."""
    client = lock_clock_reading(session, principal.organisation_ids, SyncClient, client_id)
    if client is None:
        # Not there when the locks were asked for: the device's first push, or one that
        # committed its first push meanwhile (a retry on another connection).
        client = session.get(SyncClient, client_id)
    if client is None:
        client = SyncClient(
            client_id=client_id,
            user_id=principal.user_id,
            last_mutation_id=0,
            last_seen_at=clock.now(),
        )
        session.add(client)
        # Written before the first savepoint, so a rolled-back mutation cannot take it along.
        session.flush()
    elif client.user_id != principal.user_id:
        raise Forbidden(
            _(
                "This client id belongs to another user. A device makes a new client id for "
                "each user who logs in on it."
            )
        )
    return client


def _check_mutation_ids(client: SyncClient, mutations: Sequence[Mapping[str, Any]]) -> int:
    """Index of the first new mutation; raises MutationGap if the ids do not continue."""
    expected = client.last_mutation_id + 1
    previous = 0
    first_new = len(mutations)
    for index, mutation in enumerate(mutations):
        mutation_id = mutation["mutation_id"]
        if mutation_id <= previous:
            raise InvalidInput(
                _("Mutation ids must increase within a push."),
                fields={"mutations": [f"mutation_id {mutation_id} <= {previous}"]},
            )
        previous = mutation_id
        if mutation_id < expected:
            continue
        if first_new == len(mutations):
            first_new = index
        if mutation_id != expected:
            raise MutationGap(
                _(
                    "Mutation ids skipped from %(last)s to %(id)s. Send mutation %(next)s next "
                    "(renumber the outbox from it if those ids were lost).",
                    last=expected - 1,
                    id=mutation_id,
                    next=expected,
                ),
                expected_mutation_id=expected,
                last_mutation_id=client.last_mutation_id,
            )
        expected += 1
    return first_new


def _stored_results(
    session: Session, client_id: str, mutation_ids: list[int]
) -> dict[int, dict[str, Any]]:
    """The stored answers to these mutations, by id: from the runs that end at or after the
    first of them and begin at or before the last."""
    if not mutation_ids:
        return {}
    low, high = min(mutation_ids), max(mutation_ids)
    runs = session.scalars(
        select(SyncMutationResult).where(
            SyncMutationResult.client_id == client_id,
            SyncMutationResult.mutation_id >= low,
            func.coalesce(SyncMutationResult.first_mutation_id, SyncMutationResult.mutation_id)
            <= high,
        )
    )
    wanted = set(mutation_ids)
    return {
        answer["mutation_id"]: answer
        for run in runs
        for answer in run.answers()
        if answer["mutation_id"] in wanted
    }


def _duplicate(mutation_id: int, stored: dict[str, Any] | None) -> dict[str, Any]:
    if stored is None:  # collected by sync-gc long ago
        return {"mutation_id": mutation_id, "status": DUPLICATE, "original_status": None}
    return {**stored, "status": DUPLICATE, "original_status": stored["status"]}


def apply_in_savepoint(
    session: Session,
    principal: Principal,
    client_id: str,
    mutation: Mapping[str, Any],
    known: KnownRows,
) -> dict[str, Any]:
    try:
        with session.begin_nested():
            return apply_mutation(session, principal, client_id, mutation, known)
    except ValidationError as error:
        fields = {str(k): _messages(v) for k, v in localize(error.normalized_messages()).items()}
        return _rejected(mutation, ErrorCode.INVALID_INPUT, _("Some fields are not valid."), fields)
    except FolgError as error:
        return _rejected(mutation, error.code, error.message, error.fields)
    except (IntegrityError, DataError):
        return _rejected(
            mutation,
            ErrorCode.INVALID_INPUT,
            _("The database refused this row (a reference or a value)."),
        )


def _messages(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return [f"{k}: {', '.join(_messages(v))}" for k, v in value.items()]
    return [str(value)]


def _rejected(
    mutation: Mapping[str, Any], code: str, message: str, fields: Any = None
) -> dict[str, Any]:
    # Made text now, in the pushing request's language: a duplicate gets this stored answer.
    error = envelope(code, str(message), localize(fields))
    return {"mutation_id": mutation["mutation_id"], "status": REJECTED, "error": error}


def _result(
    mutation: Mapping[str, Any],
    status: str,
    row: SyncedMixin,
    conflicts: Sequence[Conflict] = (),
    with_row: bool = False,
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "mutation_id": mutation["mutation_id"],
        "status": status,
        # A row created in this batch is stamped when the batch flushes, always as version 1.
        "version": row.version if row.version is not None else 1,
    }
    if conflicts:
        result["conflicts"] = [
            {
                "id": str(c.id),
                "kind": c.kind,
                "field": c.field,
                "server_value": c.server_value,
                "client_value": c.client_value,
            }
            for c in conflicts
        ]
    if with_row:
        # The row as the server now has it, so the device need not guess what won.
        result["row"] = {
            "version": row.version,
            "deleted": row.deleted,
            "fields": {} if row.deleted else row_fields(row),
        }
    return result


# ---- one mutation -------------------------------------------------------------------------


def apply_mutation(
    session: Session,
    principal: Principal,
    client_id: str,
    mutation: Mapping[str, Any],
    known: KnownRows,
) -> dict[str, Any]:
    table, op = mutation["table"], mutation["op"]
    if table not in WRITABLE or op != UPSERT:
        known.insert_deferred()  # this mutation may look for them
    if table in READ_ONLY_TABLES:
        raise Forbidden(_("The table %(table)s is read-only through sync.", table=table))
    if table == "conflicts":
        return _push_resolution(session, principal, mutation)
    writer = WRITABLE.get(table)
    if writer is None:
        raise InvalidInput(
            _("No table %(table)r.", table=table), fields={"table": [_("Unknown table.")]}
        )
    the_id = mutation_row_id(mutation)
    row = known.get(writer.model, the_id)
    if op == DELETE:
        return _delete(session, principal, client_id, mutation, writer, row)
    fields = dict(mutation.get("fields") or {})
    _refuse_server_fields(writer, fields)
    if row is None:
        early = known.checked.pop(mutation["mutation_id"], None)
        values = dict(early) if early is not None else writer.schema.load(fields)
        values.pop("id", None)
        if writer.new_values is not None and known.may_defer(writer, values):
            checked_values = writer.new_values(
                session, principal, values, the_id, writable_plans=known.writable_plans
            )
            known.defer(writer.model, checked_values)
            return {"mutation_id": mutation["mutation_id"], "status": APPLIED, "version": 1}
        known.insert_deferred()
        # ``known`` has looked the id up already; the batch is flushed once, at its end.
        created = writer.create(session, principal, values, the_id, in_batch=True)
        known.add(created)
        return _result(mutation, APPLIED, created)
    return _update(session, principal, client_id, mutation, writer, row, fields, known)


def _refuse_server_fields(writer: WritableTable, fields: Mapping[str, Any]) -> None:
    refused = {
        name: [_("Set by the server.")] if name in writer.server_fields else [_("Unknown field.")]
        for name in fields
        if name not in writer.client_fields
    }
    if refused:
        raise InvalidInput(_("Some fields cannot be written."), fields=refused)


def _require_write(principal: Principal, writer: WritableTable, unit_id: uuid.UUID | None) -> None:
    principal.require(writer.action, unit_id, _row_name(writer))


def _row_name(writer: WritableTable) -> str:
    return writer.name.rstrip("s").replace("_", " ")


def _update(
    session: Session,
    principal: Principal,
    client_id: str,
    mutation: Mapping[str, Any],
    writer: WritableTable,
    row: SyncedMixin,
    fields: dict[str, Any],
    known: KnownRows,
) -> dict[str, Any]:
    if writer.update is None:
        # A note, comment, extension or photo is written once; the same id again is the same row.
        principal.require("read_plans", row.unit_id, "row")
        return {**_result(mutation, DUPLICATE, row), "original_status": APPLIED}
    # The owner of a verksamhet's årshjul task ticks it from their enhet (quality.access_unit).
    _require_write(principal, writer, access_unit(session, principal, row))
    base_version = mutation.get("base_version")
    # Checked like any write before either is compared or kept in a conflict (which
    # managers' devices receive). A field that fails is refused alone, if the client knows
    # "partial" and the row is live; the others go on.
    partial = known.partial_allowed and not row.deleted
    loaded, refused = _valid_fields(writer, row, fields) if partial else ({}, {})
    if not partial:
        loaded = writer.schema.load(fields, partial=True)
    base = _checked_base(writer, row, mutation.get("base") or {})
    if row.deleted:
        edit = {name: canonical(value) for name, value in loaded.items()}
        conflict = record_conflict(
            session,
            principal,
            client_id,
            row,
            RowConflict(base or None, None, edit, row.version),
            kind=DELETE_EDIT,
            base_version=base_version,
        )
        return _result(mutation, CONFLICT, row, [conflict], with_row=True)

    # Before the merge: a changed plan of an item is wrong whatever the base says.
    refuse_changes(row, loaded, writer.immutable)
    decision = decide_update(
        server_values={name: canonical(getattr(row, name)) for name in loaded},
        field_versions=row.field_versions,
        server_version=row.version,
        base_version=base_version,
        fields={name: canonical(value) for name, value in loaded.items()},
        base=base,
    )
    if decision.apply:
        applied = {k: loaded[k] for k in decision.apply}
        if partial:
            # Without bulk creates the batch runs a savepoint per mutation (``_push``).
            in_savepoint = not known.bulk_creates
            _update_what_passes(session, principal, writer, row, applied, refused, in_savepoint)
        else:
            writer.update(session, principal, row, applied)
    conflicts = [
        record_conflict(session, principal, client_id, row, c, EDIT_EDIT, base_version)
        for c in decision.conflicts
    ]
    if refused:
        result = _result(mutation, PARTIAL, row, conflicts, with_row=True)
        message = _("Not applied: %(fields)s; the other fields were.", fields=", ".join(refused))
        return {**result, "error": envelope(ErrorCode.INVALID_INPUT, message, refused)}
    status = decision.status
    return _result(mutation, status, row, conflicts, with_row=status != APPLIED)


# ---- refusing the invalid fields of an update alone -----------------------------------------


def _valid_fields(
    writer: WritableTable, row: SyncedMixin, fields: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The loaded values of the sent fields that pass, and the reasons of those refused.

    A field is refused by its own checks, or by a rule across fields (``schema.checks``) on
    the row as it would be; such a rule refuses every sent field it names (both dates of an
    order gone wrong, if both were sent). What is left is checked again against the stored
    row. Nothing left passing: the whole mutation is refused, as before "partial"."""
    try:
        loaded = writer.schema.load(fields, partial=True)
        refused: dict[str, list[str]] = {}
    except ValidationError:
        loaded, refused = {}, {}
        for name, value in fields.items():  # one at a time: no rule across fields runs
            try:
                loaded.update(writer.schema.load({name: value}, partial=True))
            except ValidationError as error:
                for key, reason in error.normalized_messages().items():
                    refused[str(key)] = _messages(reason)
    checks = getattr(writer.schema, "checks", ())
    while True:
        would_be = {f: getattr(row, f) for c in checks for f in c.fields} | loaded
        failed = [c for c in checks if c.problem(would_be) and set(c.fields) & set(loaded)]
        if not failed:
            break
        for check in failed:
            for name in set(check.fields) & set(loaded):
                del loaded[name]
                refused.setdefault(name, []).append(check.message)
    if refused and not loaded:
        raise InvalidInput("Some fields are not valid.", fields=refused)
    return loaded, refused


def _update_what_passes(
    session: Session,
    principal: Principal,
    writer: WritableTable,
    row: SyncedMixin,
    values: dict[str, Any],
    refused: dict[str, list[str]],
    in_savepoint: bool,
) -> None:
    """``writer.update`` with ``values``; the fields its own checks (those that read other
    rows) refuse are taken out and the rest tried again, each try in a savepoint. Outside a
    savepoint (the bulk path) a refusal goes up: the batch is then applied again mutation by
    mutation, in savepoints, and comes here again."""
    update = writer.update
    assert update is not None  # the caller answers a written-once table itself
    while True:
        if not in_savepoint:
            update(session, principal, row, values)
            return
        try:
            with session.begin_nested():
                update(session, principal, row, values)
            return
        except InvalidInput as error:
            reasons = error.fields or {}
            named = set(reasons) & set(values)
            if not named:
                raise
            for name in named:
                del values[name]
                refused.setdefault(name, []).extend(reasons[name])
            if not values:
                raise InvalidInput("Some fields are not valid.", fields=refused) from None


def _checked_base(
    writer: WritableTable, row: SyncedMixin, base: Mapping[str, Any]
) -> dict[str, Any]:
    """The device's ``base`` in canonical form, each value checked by the table's write
    schema, except one equal to the row's value now (the server's own, valid or not)."""
    _refuse_server_fields(writer, base)
    canonical_base = {name: canonical_json(writer.model, name, v) for name, v in base.items()}
    foreign = {
        name: base[name]
        for name, value in canonical_base.items()
        if value != canonical(getattr(row, name))
    }
    try:
        writer.schema.load(foreign, partial=True)
    except ValidationError as error:
        raise InvalidInput(
            _("Some base values are not valid."),
            fields={
                f"base.{k}": _messages(v) for k, v in localize(error.normalized_messages()).items()
            },
        ) from None
    return canonical_base


def _delete(
    session: Session,
    principal: Principal,
    client_id: str,
    mutation: Mapping[str, Any],
    writer: WritableTable,
    row: SyncedMixin | None,
) -> dict[str, Any]:
    # A row of a unit the user cannot see is answered as a missing one (ids are not oracles).
    if row is None or not principal.can("see_unit", row.unit_id):
        raise NotFound(no_such(_row_name(writer)))
    if writer.delete is None:
        raise InvalidState(
            _("The table %(table)s is append-only; add a new row instead.", table=mutation["table"])
        )
    _require_write(principal, writer, row.unit_id)
    if row.deleted:
        return _result(mutation, APPLIED, row)
    base_version = mutation.get("base_version")
    decision = decide_delete(
        server_values=row_fields(row),
        field_versions=row.field_versions,
        base_version=base_version,
    )
    lost = RowConflict(None, decision.lost_edits, None, row.version)
    writer.delete(session, principal, row)
    if not decision.lost_edits:
        return _result(mutation, APPLIED, row)
    conflict = record_conflict(session, principal, client_id, row, lost, DELETE_EDIT, base_version)
    return _result(mutation, CONFLICT, row, [conflict], with_row=True)


def _push_resolution(
    session: Session, principal: Principal, mutation: Mapping[str, Any]
) -> dict[str, Any]:
    if mutation["op"] != UPSERT:
        raise Forbidden(_("Conflicts are not deleted; resolve them."))
    conflict = session.get(Conflict, mutation_row_id(mutation))
    if conflict is None:
        raise NotFound(no_such("conflict"))
    fields = dict(mutation.get("fields") or {})
    allowed = {"status", "resolution", "resolved_value"}
    if set(fields) - allowed or fields.get("status", "resolved") != "resolved":
        raise InvalidInput(
            _(
                "A conflict is resolved by sending status 'resolved', a resolution and, for "
                "'custom', the resolved value."
            ),
            fields={k: [_("Cannot be written.")] for k in set(fields) - allowed}
            or {"status": [_("Only 'resolved'.")]},
        )
    resolve_conflict(
        session,
        principal,
        conflict,
        fields.get("resolution"),
        fields.get("resolved_value"),
    )
    return _result(mutation, APPLIED, conflict)


__all__ = ["apply_mutation", "push"]
