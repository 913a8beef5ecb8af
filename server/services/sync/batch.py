"""The bulk speed-ups of a push: the same rows and results as one mutation at a time, faster.

    check_new_items    new plan items checked by their schema before the clock is taken
    absent_ids         which of those ids no row has yet, looked up before the clock too
    KnownRows          the rows a batch touches, loaded in one query per table; creates
                       deferred and inserted together (``versioning.insert_created``)

None of this changes what a push answers or stores: ``tests/sync/test_push_paths.py`` holds a
batch applied through these and the same mutations applied one by one (with a savepoint each,
as after a failure) to the same rows, audit events and results. ``push.py`` is the algorithm.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, cast

from marshmallow import ValidationError
from sqlalchemy import any_, bindparam, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session, joinedload

from server.models import Plan, PlanItem, SyncedMixin, Theme
from server.models.versioning import insert_created
from server.services.sync import mutation_row_id
from server.services.tables import WRITABLE, WritableTable
from sync.protocol import UPSERT

# Tables whose new rows are checked by their schema alone (no database) before the clock is
# taken; the rest of their checks, and everything else, come under it.
CHECKED_EARLY = ("plan_items",)


def check_new_items(mutations: Sequence[Mapping[str, Any]]) -> dict[int, dict[str, Any]]:
    """The schema-checked values of upserts that would be valid creates, by mutation id.
    Whether one is a create is known only under the clock; an update, or a create whose
    fields do not pass, is checked there as always."""
    checked: dict[int, dict[str, Any]] = {}
    for mutation in mutations:
        if mutation["table"] not in CHECKED_EARLY or mutation["op"] != UPSERT:
            continue
        writer = WRITABLE[mutation["table"]]
        fields = mutation.get("fields") or {}
        if any(n not in writer.client_fields for n in fields):
            continue  # refused under the clock, with the reason
        try:
            checked[mutation["mutation_id"]] = writer.schema.load(dict(fields))
        except ValidationError:
            continue
    return checked


def absent_ids(
    session: Session, mutations: Sequence[Mapping[str, Any]], checked: dict[int, dict[str, Any]]
) -> set[uuid.UUID]:
    """The ids of would-be creates (``checked``) that no row has yet, looked up before the
    clock is taken. Another push may create one of them meanwhile; the primary key then
    refuses the insert and the batch is applied again with every row looked up under the
    clock (``push._push_batch``)."""
    wanted: dict[str, list[uuid.UUID]] = {}
    for mutation in mutations:
        if mutation["mutation_id"] in checked:
            wanted.setdefault(mutation["table"], []).append(mutation_row_id(mutation))
    absent: set[uuid.UUID] = set()
    for table, ids in wanted.items():
        model = WRITABLE[table].model
        found = set(in_chunks(session, _ids_of(cast(Any, model), _dialect(session)), ids))
        absent.update(i for i in ids if i not in found)
    return absent


def in_chunks(
    session: Session, query: Any, ids: Sequence[uuid.UUID], chunk: int = 500
) -> list[Any]:
    """``query`` (its ids the parameter ``ids``: ``_rows_of``, ``_ids_of``) for up to
    ``chunk`` ids at a time."""
    found: list[Any] = []
    for start in range(0, len(ids), chunk):
        found += session.scalars(query, {"ids": list(ids[start : start + chunk])})
    return found


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _id_in(model: type[Any], dialect: str) -> Any:
    """``model.id IN :ids``; on PostgreSQL as ``= ANY(array)``, one parameter instead of
    hundreds for the driver to splice into the query and the server to parse."""
    if dialect != "postgresql":
        return model.id.in_(bindparam("ids", expanding=True))
    return model.id == any_(bindparam("ids", type_=postgresql.ARRAY(model.id.type)))


# The queries are built once per table: building one cost a small push more than its round trip.
@functools.cache
def _ids_of(model: type[Any], dialect: str) -> Any:
    return select(model.id).where(_id_in(model, dialect))


@functools.cache
def _rows_of(model: type[Any], dialect: str) -> Any:
    query = select(model)
    if model is PlanItem:
        # Every write of an item checks its plan (archived?): loaded in the same query.
        query = query.options(joinedload(PlanItem.plan))
    return query.where(_id_in(model, dialect))


class KnownRows:
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
        partial_allowed: bool = True,
    ):
        self.session = session
        self.bulk_creates = bulk_creates
        # Whether the pushing client knows the status "partial" (its schema version).
        self.partial_allowed = partial_allowed
        # Values of new rows already checked by their schema (``check_new_items``).
        self.checked = checked
        wanted: dict[str, list[uuid.UUID]] = {}
        for mutation in mutations:
            if mutation["table"] in WRITABLE:
                mutation_row = mutation_row_id(mutation)
                if mutation_row not in absent:  # found absent before the clock was taken
                    wanted.setdefault(mutation["table"], []).append(mutation_row)
        self.rows: dict[uuid.UUID, SyncedMixin | None] = {}
        for table, ids in wanted.items():
            for row in self._load(WRITABLE[table].model, ids):
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
        if not ids:
            return []
        return in_chunks(self.session, _rows_of(cast(Any, model), _dialect(self.session)), ids)

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

    def may_defer(self, writer: WritableTable, values: Mapping[str, Any]) -> bool:
        """Whether a create can wait for the bulk insert: nothing must need to see it sooner.
        Its priority must be given (the next free one is a query), it must name nobody in
        HVEM? and its plan must not be approved (the push hook notices named people and
        changes after approval on flush, and bulk rows skip the hooks)."""
        return (
            self.bulk_creates
            and writer.new_values is not None
            and values.get("priority") is not None
            and not values.get("responsible")
            and not self._approved(values.get("plan_id"))
        )

    def _approved(self, plan_id: Any) -> bool:
        # The identity map answers after the first row of a plan (new_values loads it).
        plan = self.session.get(Plan, plan_id) if isinstance(plan_id, uuid.UUID) else None
        return plan is not None and plan.state == "approved"

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
