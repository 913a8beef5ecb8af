"""Applying a device's pushed mutations.

Before the transaction, new plan items' fields are checked by their schema (no database).
One push is one transaction::

    lock the sync clock            writers queue here, so rows read below cannot go stale
    find or register the client    a client id belongs to one user
    check mutation ids             ids at or below the client's last one are duplicates;
                                   new ones must continue it without a gap (else MutationGap,
                                   after waiting a little for a batch sent before this one)
    for each new mutation          in a savepoint: one bad mutation is rolled back alone and
                                   answered "rejected"; the rest go on
        upsert of a missing id     create, through the same writer as REST
        upsert of an existing id   merge field by field (sync/merge.py); conflicts recorded
        upsert of a deleted row    delete wins: the edit goes into a delete_edit conflict
        delete                     tombstone; edits made since the base go into a conflict
        upsert of a conflict       resolve it
    store each result, advance the client's last mutation id
    commit (the caller)            the changes, the results and the id together, or nothing

So a batch retried after a lost response applies nothing twice: its ids are now duplicates and
get their stored results back.

Why lock the clock first: every writer takes the clock row lock at its first flush and keeps
it until commit. Taking it before reading anything means the rows we merge against cannot be
changed by another transaction before we write, and it avoids a deadlock between a row lock
and the clock lock. Pushes are serialised; they are short.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError
from sqlalchemy import func, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from server import clock
from server.models import (
    AuditEvent,
    Conflict,
    DeadlineExtension,
    Finding,
    ItemComment,
    Plan,
    PlanItem,
    ProgressNote,
    SyncClient,
    SyncedMixin,
    SyncMutationResult,
    Theme,
    Visit,
    VisitPhoto,
)
from server.models.bulk import one_of
from server.models.versioning import act_as, insert_created, lock_clock
from server.schemas.plans import ItemWriteSchema, NoteWriteSchema, PlanWriteSchema
from server.schemas.quality import WRITE_SCHEMAS as QUALITY_SCHEMAS
from server.schemas.visits import (
    CommentWriteSchema,
    ExtensionWriteSchema,
    FindingWriteSchema,
    PhotoWriteSchema,
    VisitWriteSchema,
)
from server.services import plans as writers
from server.services import quality, visits
from server.services.access import Principal
from server.services.errors import (
    FolgError,
    Forbidden,
    InvalidInput,
    InvalidState,
    NotFound,
    TooLarge,
)
from server.services.rows import refuse_changes
from server.services.sync import (
    MutationGap,
    canonical,
    canonical_json,
    may_see_conflict,
    row_fields,
)
from sync.merge import FieldConflict, decide_delete, decide_update
from sync.protocol import (
    APPLIED,
    CONFLICT,
    DELETE,
    DELETE_EDIT,
    DUPLICATE,
    EDIT_EDIT,
    READ_ONLY_TABLES,
    REJECTED,
    UPSERT,
)


@dataclass(frozen=True)
class Writer:
    """How one table is written: its input schema and the service functions REST uses too."""

    model: type[SyncedMixin]
    schema: Schema
    create: Callable[..., SyncedMixin]
    update: Callable[..., SyncedMixin] | None
    delete: Callable[..., None] | None
    # The checked column values of a new row, for creates inserted in bulk (see _KnownRows).
    new_values: Callable[..., dict[str, Any]] | None = None
    # Fields fixed once the row exists: a different value is refused, never a conflict.
    immutable: tuple[str, ...] = ()


WRITERS: dict[str, Writer] = {
    "plans": Writer(
        Plan,
        PlanWriteSchema(),
        writers.create_plan,
        writers.update_plan,
        writers.delete_plan,
        immutable=writers.IMMUTABLE_PLAN_FIELDS,
    ),
    "plan_items": Writer(
        PlanItem,
        ItemWriteSchema(),
        writers.create_item,
        writers.update_item,
        writers.delete_item,
        writers.new_item_values,
        immutable=writers.IMMUTABLE_ITEM_FIELDS,
    ),
    # Append-only: no update, no delete.
    "progress_notes": Writer(ProgressNote, NoteWriteSchema(), writers.add_note, None, None),
    "visits": Writer(
        Visit,
        VisitWriteSchema(),
        visits.create_visit,
        visits.update_visit,
        visits.delete_visit,
        immutable=visits.IMMUTABLE_VISIT_FIELDS,
    ),
    "findings": Writer(
        Finding,
        FindingWriteSchema(),
        visits.create_finding,
        visits.update_finding,
        visits.delete_finding,
        immutable=visits.IMMUTABLE_FINDING_FIELDS,
    ),
    # A photo record is written once (its bytes never change); it may be deleted.
    "visit_photos": Writer(
        VisitPhoto, PhotoWriteSchema(), visits.create_photo, None, visits.delete_photo
    ),
    "deadline_extensions": Writer(
        DeadlineExtension, ExtensionWriteSchema(), visits.add_extension, None, None
    ),
    "item_comments": Writer(ItemComment, CommentWriteSchema(), visits.add_comment, None, None),
    # The Swedish quality follow-up: the same rules as its REST API (server/services/quality.py).
    **{
        table: Writer(
            spec.model,
            QUALITY_SCHEMAS[table],
            spec.create,
            spec.update,
            spec.delete,
            immutable=spec.immutable,
        )
        for table, spec in quality.TABLES.items()
    },
}
# The action an update or delete needs, by table (the create functions check their own).
WRITE_ACTION = {
    "plans": "manage_plans",
    "visits": "inspect",
    "findings": "inspect",
    "visit_photos": "inspect",
}
RESOLUTIONS = ("server", "client", "custom", "restore")
# Deleted rows that a "restore" may bring back, with what their delete took along.
RESTORERS: dict[str, Callable[..., None]] = {"plan_items": writers.restore_item}


def push(
    session: Session,
    principal: Principal,
    client_id: str,
    mutations: Sequence[Mapping[str, Any]],
    *,
    max_mutations: int = 500,
    gap_wait_seconds: float = 0.0,
) -> list[dict[str, Any]]:
    """Apply a batch; returns one result per mutation. The caller commits.

    A batch is first applied without savepoints, which saves two statements per mutation. If
    any mutation fails, that attempt is rolled back whole and the batch is applied again with
    a savepoint around each mutation, so the failure is answered alone.

    A batch whose ids do not continue the client's last one waits up to ``gap_wait_seconds``
    for them to (a client may send its next batch before the answer to this one; the two can
    reach the clock lock in either order) before it is refused with ``MutationGap``.
    """
    if len(mutations) > max_mutations:
        raise TooLarge(
            f"A push carries at most {max_mutations} mutations; this one had "
            f"{len(mutations)}. Send the rest in the next push.",
            max_mutations=max_mutations,
        )
    # Checked before the clock is taken: another push can hold it meanwhile.
    checked = _check_new_items(mutations)
    absent = _absent_ids(session, mutations, checked)
    give_up_at = time.monotonic() + gap_wait_seconds
    while True:
        try:
            return _push_batch(session, principal, client_id, mutations, checked, absent)
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
) -> list[dict[str, Any]]:
    try:
        return _push(
            session, principal, client_id, mutations, dict(checked), absent, savepoints=False
        )
    except _SomeMutationFailed:
        # Also where a row found absent before the clock was created meanwhile (its insert
        # broke the primary key): this attempt looks every row up under the clock.
        session.rollback()
        return _push(
            session, principal, client_id, mutations, dict(checked), set(), savepoints=True
        )


# Tables whose new rows are checked by their schema alone (no database) before the clock is
# taken; the rest of their checks, and everything else, come under it.
CHECKED_EARLY = ("plan_items",)


def _check_new_items(mutations: Sequence[Mapping[str, Any]]) -> dict[int, dict[str, Any]]:
    """The schema-checked values of upserts that would be valid creates, by mutation id.
    Whether one is a create is known only under the clock; an update, or a create whose
    fields do not pass, is checked there as always."""
    checked: dict[int, dict[str, Any]] = {}
    for mutation in mutations:
        if mutation["table"] not in CHECKED_EARLY or mutation["op"] != UPSERT:
            continue
        writer = WRITERS[mutation["table"]]
        fields = mutation.get("fields") or {}
        model = writer.model
        if any(n not in model.sync_fields or n in model.server_fields for n in fields):
            continue  # refused under the clock, with the reason
        try:
            checked[mutation["mutation_id"]] = writer.schema.load(dict(fields))
        except ValidationError:
            continue
    return checked


def _absent_ids(
    session: Session, mutations: Sequence[Mapping[str, Any]], checked: dict[int, dict[str, Any]]
) -> set[uuid.UUID]:
    """The ids of would-be creates (``checked``) that no row has yet, looked up before the
    clock is taken. Another push may create one of them meanwhile; the primary key then
    refuses the insert and the batch is applied again with every row looked up under the
    clock (``_push_batch``)."""
    wanted: dict[str, list[uuid.UUID]] = {}
    for mutation in mutations:
        if mutation["mutation_id"] in checked:
            wanted.setdefault(mutation["table"], []).append(mutation_row_id(mutation))
    absent: set[uuid.UUID] = set()
    for table, ids in wanted.items():
        model = WRITERS[table].model
        found = set(_in_chunks(session, select(model.id), model, ids))
        absent.update(i for i in ids if i not in found)
    return absent


def mutation_row_id(mutation: Mapping[str, Any]) -> uuid.UUID:
    """The mutation's row id (the API hands them over parsed; tests may send text)."""
    value = mutation["id"]
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _in_chunks(
    session: Session, query: Any, model: type[Any], ids: Sequence[uuid.UUID], chunk: int = 500
) -> list[Any]:
    found: list[Any] = []
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        found += session.scalars(query.where(one_of(session, model.id, part)))
    return found


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
) -> list[dict[str, Any]]:
    act_as(session, principal.user_id, "sync")
    lock_clock(session)
    client = _client(session, principal, client_id)
    new = _check_mutation_ids(client, mutations)
    stored = _stored_results(session, client_id, [m["mutation_id"] for m in mutations[:new]])
    results = [_duplicate(m["mutation_id"], stored.get(m["mutation_id"])) for m in mutations[:new]]

    known = _KnownRows(
        session, mutations[new:], bulk_creates=not savepoints, checked=checked, absent=absent
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

    now = clock.now()
    if fresh:
        # One row for the batch's answers: a retry finds them by the run's last id.
        session.add(
            SyncMutationResult(
                client_id=client_id,
                mutation_id=fresh[-1]["mutation_id"],
                first_mutation_id=fresh[0]["mutation_id"],
                result=fresh,
                created_at=now,
            )
        )
        client.last_mutation_id = fresh[-1]["mutation_id"]
    client.last_seen_at = now
    session.flush()
    return results + fresh


class _KnownRows:
    """The rows a batch touches, loaded up front in one query per table; afterwards a lookup
    of an id that does not exist costs no query.

    It also holds the batch's *deferred creates*: new rows checked like any other but kept as
    column values and inserted together (``versioning.insert_created``), which makes a batch
    of creates several times faster than the unit of work does. Whatever comes next that could
    see them (any other mutation, a lookup of their id, the end of the batch) inserts them
    first, so to every later step they look exactly like rows created one by one.
    """

    def __init__(
        self,
        session: Session,
        mutations: Sequence[Mapping[str, Any]],
        bulk_creates: bool,
        checked: dict[int, dict[str, Any]],
        absent: set[uuid.UUID],
    ):
        self.session = session
        self.bulk_creates = bulk_creates
        # Values of new rows already checked by their schema (``_check_new_items``).
        self.checked = checked
        wanted: dict[str, list[uuid.UUID]] = {}
        for mutation in mutations:
            if mutation["table"] in WRITERS:
                mutation_row = mutation_row_id(mutation)
                if mutation_row not in absent:  # found absent before the clock was taken
                    wanted.setdefault(mutation["table"], []).append(mutation_row)
        self.rows: dict[uuid.UUID, SyncedMixin | None] = {}
        for table, ids in wanted.items():
            for row in self._load(WRITERS[table].model, ids):
                self.rows[row.id] = row
        self.deferred: dict[type[SyncedMixin], list[dict[str, Any]]] = {}
        # Plans checked writable for the creates deferred since the last other step (which
        # may change a plan, say archive it: it clears them).
        self.writable_plans: dict[uuid.UUID, Plan] = {}
        # The rows the batch's writers look up by id: the session's identity map holds them
        # only weakly, so without these references each lookup would be a query again.
        self.referenced = [
            row
            for model, field in ((Plan, "plan_id"), (PlanItem, "item_id"), (Theme, "theme_id"))
            for row in self._load(model, self._referenced_ids(mutations, field))
        ]

    def _load(self, model: type[Any], ids: Sequence[uuid.UUID]) -> list[Any]:
        return _in_chunks(self.session, select(model), model, ids)

    @staticmethod
    def _referenced_ids(mutations: Sequence[Mapping[str, Any]], field: str) -> list[uuid.UUID]:
        ids: set[uuid.UUID] = set()
        for mutation in mutations:
            value = (mutation.get("fields") or {}).get(field)
            try:
                ids.add(uuid.UUID(str(value)))
            except ValueError:
                continue  # the schema will say what is wrong with it
        return list(ids)

    def get(self, model: type[SyncedMixin], row_id: uuid.UUID) -> SyncedMixin | None:
        if row_id not in self.rows:
            return None
        self.insert_deferred()
        return self.session.get(model, row_id)  # the identity map, or a refresh

    def add(self, row: SyncedMixin) -> None:
        self.rows[row.id] = row

    def may_defer(self, writer: Writer, values: Mapping[str, Any]) -> bool:
        """Whether a create can wait for the bulk insert: nothing must need to see it sooner.
        Its priority must be given (the next free one is a query) and it must name nobody in
        HVEM? (the push hook notices named people on flush, and bulk rows skip the hooks)."""
        return (
            self.bulk_creates
            and writer.new_values is not None
            and values.get("priority") is not None
            and not values.get("responsible")
        )

    def defer(self, model: type[SyncedMixin], values: dict[str, Any]) -> None:
        self.deferred.setdefault(model, []).append(values)
        self.rows[values["id"]] = None

    def insert_deferred(self) -> None:
        self.writable_plans.clear()  # the step that follows may change a plan
        if not self.deferred:
            return
        deferred, self.deferred = self.deferred, {}
        self.session.flush()  # rows they may refer to (a plan created earlier in the batch)
        for model, rows in deferred.items():
            insert_created(self.session, model, rows)


def _client(session: Session, principal: Principal, client_id: str) -> SyncClient:
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
            "This client id belongs to another user. A device makes a new client id for "
            "each user who logs in on it."
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
                "Mutation ids must increase within a push.",
                fields={"mutations": [f"mutation_id {mutation_id} after {previous}"]},
            )
        previous = mutation_id
        if mutation_id < expected:
            continue
        if first_new == len(mutations):
            first_new = index
        if mutation_id != expected:
            raise MutationGap(
                f"Mutation ids skipped from {expected - 1} to {mutation_id}. Send mutation "
                f"{expected} next (renumber the outbox from it if those ids were lost).",
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
    known: _KnownRows,
) -> dict[str, Any]:
    try:
        with session.begin_nested():
            return apply_mutation(session, principal, client_id, mutation, known)
    except ValidationError as error:
        fields = {str(k): _messages(v) for k, v in error.normalized_messages().items()}
        return _rejected(mutation, "invalid_input", "Some fields are not valid.", fields)
    except FolgError as error:
        return _rejected(mutation, error.code, error.message, error.fields)
    except (IntegrityError, DataError):
        return _rejected(
            mutation, "invalid_input", "The database refused this row (a reference or a value)."
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
    error: dict[str, Any] = {"error": code, "message": message}
    if fields:
        error["fields"] = fields
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
    known: _KnownRows,
) -> dict[str, Any]:
    table, op = mutation["table"], mutation["op"]
    if table not in WRITERS or op != UPSERT:
        known.insert_deferred()  # this mutation may look for them
    if table in READ_ONLY_TABLES:
        raise Forbidden(f"{table} are read-only through sync.")
    if table == "conflicts":
        return _push_resolution(session, principal, mutation)
    writer = WRITERS.get(table)
    if writer is None:
        raise InvalidInput(f"No table {table!r}.", fields={"table": ["Unknown table."]})
    the_id = mutation_row_id(mutation)
    row = known.get(writer.model, the_id)
    if op == DELETE:
        return _delete(session, principal, client_id, mutation, writer, row)
    fields = dict(mutation.get("fields") or {})
    _refuse_server_fields(writer.model, fields)
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
    return _update(session, principal, client_id, mutation, writer, row, fields)


def _refuse_server_fields(model: type[SyncedMixin], fields: Mapping[str, Any]) -> None:
    refused = {
        name: ["Set by the server."] if name in model.server_fields else ["Unknown field."]
        for name in fields
        if name not in model.sync_fields or name in model.server_fields
    }
    if refused:
        raise InvalidInput("Some fields cannot be written.", fields=refused)


def _require_write(principal: Principal, table: str, unit_id: uuid.UUID | None) -> None:
    action = WRITE_ACTION.get(table, "write_items")
    principal.require(action, unit_id, _row_name(table))


def _row_name(table: str) -> str:
    return table.rstrip("s").replace("_", " ")


def _update(
    session: Session,
    principal: Principal,
    client_id: str,
    mutation: Mapping[str, Any],
    writer: Writer,
    row: SyncedMixin,
    fields: dict[str, Any],
) -> dict[str, Any]:
    table = mutation["table"]
    if writer.update is None:
        # A note, comment, extension or photo is written once; the same id again is the same row.
        principal.require("read_plans", row.unit_id, "row")
        return {**_result(mutation, DUPLICATE, row), "original_status": APPLIED}
    _require_write(principal, table, row.unit_id)
    base_version = mutation.get("base_version")
    base = {
        name: canonical_json(writer.model, name, value)
        for name, value in (mutation.get("base") or {}).items()
    }
    if row.deleted:
        conflict = _record(
            session,
            principal,
            client_id,
            row,
            FieldConflict(None, base or None, None, canonical(fields), row.version),  # type: ignore[arg-type]
            kind=DELETE_EDIT,
            base_version=base_version,
        )
        return _result(mutation, CONFLICT, row, [conflict], with_row=True)

    loaded = writer.schema.load(fields, partial=True)
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
        writer.update(session, principal, row, {k: loaded[k] for k in decision.apply})
    conflicts = [
        _record(session, principal, client_id, row, c, EDIT_EDIT, base_version)
        for c in decision.conflicts
    ]
    status = decision.status
    return _result(mutation, status, row, conflicts, with_row=status != APPLIED)


def _delete(
    session: Session,
    principal: Principal,
    client_id: str,
    mutation: Mapping[str, Any],
    writer: Writer,
    row: SyncedMixin | None,
) -> dict[str, Any]:
    # A row of a unit the user cannot see is answered as a missing one (ids are not oracles).
    if row is None or not principal.can("see_unit", row.unit_id):
        raise NotFound(f"No such {_row_name(mutation['table'])}.")
    if writer.delete is None:
        raise InvalidState(f"{mutation['table']} are append-only; add a new row instead.")
    _require_write(principal, mutation["table"], row.unit_id)
    if row.deleted:
        return _result(mutation, APPLIED, row)
    base_version = mutation.get("base_version")
    decision = decide_delete(
        server_values=row_fields(row),
        field_versions=row.field_versions,
        base_version=base_version,
    )
    lost = FieldConflict(None, None, decision.lost_edits, None, row.version)  # type: ignore[arg-type]
    writer.delete(session, principal, row)
    if not decision.lost_edits:
        return _result(mutation, APPLIED, row)
    conflict = _record(session, principal, client_id, row, lost, DELETE_EDIT, base_version)
    return _result(mutation, CONFLICT, row, [conflict], with_row=True)


def _record(
    session: Session,
    principal: Principal,
    client_id: str,
    row: SyncedMixin,
    found: FieldConflict,
    kind: str,
    base_version: int | None,
) -> Conflict:
    """Keep both sides of a collision for a person to resolve; the server value stays."""
    server_user = _writer_of(session, row, found.server_field_version)
    involved = {str(principal.user_id)} | ({str(server_user)} if server_user else set())
    conflict = Conflict(
        id=uuid.uuid4(),
        unit_id=row.unit_id,
        table_name=row.sync_table,
        row_id=row.id,
        field=found.field,
        kind=kind,
        base_version=base_version,
        base_value=found.base_value,
        server_version=row.version,
        server_value=found.server_value,
        server_user_id=server_user,
        client_value=found.client_value,
        client_id=client_id,
        user_id=principal.user_id,
        involved_user_ids=sorted(involved),
        detected_at=clock.now(),
        status="open",
    )
    session.add(conflict)
    session.flush()
    return conflict


def _writer_of(session: Session, row: SyncedMixin, version: int) -> uuid.UUID | None:
    """Who wrote the row at ``version``, from the audit trail."""
    return session.scalar(
        select(AuditEvent.user_id)
        .where(
            AuditEvent.table_name == row.sync_table,
            AuditEvent.row_id == row.id,
            AuditEvent.version == version,
        )
        .limit(1)
    )


# ---- resolving conflicts ------------------------------------------------------------------


def _push_resolution(
    session: Session, principal: Principal, mutation: Mapping[str, Any]
) -> dict[str, Any]:
    if mutation["op"] != UPSERT:
        raise Forbidden("Conflicts are not deleted; resolve them.")
    conflict = session.get(Conflict, mutation_row_id(mutation))
    if conflict is None:
        raise NotFound("No such conflict.")
    fields = dict(mutation.get("fields") or {})
    allowed = {"status", "resolution", "resolved_value"}
    if set(fields) - allowed or fields.get("status", "resolved") != "resolved":
        raise InvalidInput(
            "A conflict is resolved by sending status 'resolved', a resolution and, for "
            "'custom', the resolved value.",
            fields={k: ["Cannot be written."] for k in set(fields) - allowed}
            or {"status": ["Only 'resolved'."]},
        )
    resolve_conflict(
        session,
        principal,
        conflict,
        fields.get("resolution"),
        fields.get("resolved_value"),
    )
    return _result(mutation, APPLIED, conflict)


def resolve_conflict(
    session: Session,
    principal: Principal,
    conflict: Conflict,
    resolution: str | None,
    resolved_value: Any = None,
) -> Conflict:
    """Close a conflict. "server" keeps what the row has; "client" writes the device's value
    to the row, "custom" writes ``resolved_value``: an ordinary versioned change, through the
    same writer as REST. A delete/edit conflict is closed with "server" (the row stays
    deleted; the edit stays readable in the conflict) or "restore" (the row comes back, with
    the edit)."""
    if not may_see_conflict(principal, conflict):
        raise NotFound("No such conflict.")
    if conflict.status != "open":
        raise InvalidState("This conflict has been resolved already.")
    if resolution not in RESOLUTIONS:
        raise InvalidInput(
            "Say how to resolve: server, client, custom or (a deleted row) restore.",
            fields={"resolution": ["Must be one of: server, client, custom, restore."]},
        )
    if conflict.kind == DELETE_EDIT and resolution not in ("server", "restore"):
        raise InvalidState(
            "The row is deleted; close this conflict with 'server', or bring the row back "
            "with its edit with 'restore'."
        )
    if conflict.kind != DELETE_EDIT and resolution == "restore":
        raise InvalidState("Only a row that was deleted can be restored.")
    if resolution == "restore":
        value: Any = _restore(session, principal, conflict)
    elif resolution == "server":
        value = conflict.server_value
    else:
        value = conflict.client_value if resolution == "client" else resolved_value
        _write_resolution(session, principal, conflict, value)
    conflict.status = "resolved"
    conflict.resolution = resolution
    conflict.resolved_value = value
    conflict.resolved_by = principal.user_id
    conflict.resolved_at = clock.now()
    session.flush()
    return conflict


def _restore(session: Session, principal: Principal, conflict: Conflict) -> dict[str, Any]:
    """Undelete the row and write the edit the delete overrode: the device's edit of a row
    deleted meanwhile, or (a delete that overrode others' edits) the row's values as they
    are, since a tombstone keeps them. Returns the fields written."""
    restore = RESTORERS.get(conflict.table_name)
    writer = WRITERS.get(conflict.table_name)
    if restore is None or writer is None or writer.update is None:
        raise InvalidState(
            f"Deleted {conflict.table_name.replace('_', ' ')} cannot be restored; close this "
            "conflict with 'server'."
        )
    row = session.get(writer.model, conflict.row_id)
    if row is None:
        raise InvalidState("The deleted row has been collected since; it cannot come back.")
    if row.deleted:
        restore(session, principal, row)
    edit = conflict.client_value if isinstance(conflict.client_value, dict) else {}
    values = writer.schema.load(edit, partial=True)
    if values:
        writer.update(session, principal, row, values)
    return edit


def _write_resolution(
    session: Session, principal: Principal, conflict: Conflict, value: Any
) -> None:
    writer = WRITERS.get(conflict.table_name)
    row = session.get(writer.model, conflict.row_id) if writer else None
    if writer is None or writer.update is None or row is None or conflict.field is None:
        raise InvalidState("This conflict cannot take a value.")
    if row.deleted:
        raise InvalidState("The row has been deleted since; close this conflict with 'server'.")
    values = writer.schema.load({conflict.field: value}, partial=True)
    writer.update(session, principal, row, values)


__all__ = ["WRITERS", "apply_mutation", "lock_clock", "push", "resolve_conflict"]
