"""The change feed a device pulls.

A pull answers three things in order:

1. **Reset?** A cursor the server vouched for longer ago than the tombstone retention (less an
   hour of margin for transactions in flight) may have missed deletes that garbage collection
   has since erased: ``ResetRequired``; the device pulls from scratch and keeps its outbox.
   So does a cursor from another data epoch: the server was restored from a backup since, and
   the device may hold versions and a sequence position the server no longer has.
   The cursor is signed (HMAC-SHA256 with the app's secret key, bound to the user), because
   its scope decides which units are rescanned: an edited one could name a foreign unit and
   have its rows listed as deletes. A cursor whose signature does not verify (edited, another
   user's, or signed before the key was changed) is ``ResetRequired``; so is an unsigned one
   (issued before cursors were signed, or by a server without a key) unless its scope is the
   user's scope now and it waits for no rescan, which is all it could use.
2. **Scope changes.** The cursor remembers which units, with which rights, the device was
   served. If that differs now, the rows of every changed unit are rescanned and sent as they
   now appear to this user: visible rows as they are, the others as deletes. So a revoked unit
   disappears from the device and a granted one arrives, without a reset.
3. **The feed.** Every visible row whose ``seq`` lies in ``(cursor.seq, high]``, by ``seq``.
   ``high`` is read first, and every number up to it belongs to a transaction that has
   committed or rolled back. On SQLite it is the clock's committed value (the clock row is
   locked from a writer's first flush to its commit, see ``server/models/sync.py``); on
   PostgreSQL, the watermark of ``server/models/write_order.py``: the numbers handed out,
   less those of writers still in flight that may write rows this user sees. Rows above
   ``high`` wait for the next pull. Hence a change is never skipped, whatever order
   PostgreSQL commits in, and the per-table queries (each its own snapshot under READ
   COMMITTED) agree.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    Text,
    Uuid,
    any_,
    bindparam,
    case,
    cast,
    exists,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from server import clock
from server.i18n import _, _l
from server.models import SyncClient, SyncClock, SyncedMixin, write_order
from server.models.types import json_in_postgresql
from server.services.access import Principal
from server.services.errors import InvalidInput, ResetRequired
from server.services.sync import canonical, scope_of
from server.services.sync.conflicts import involved_in
from server.services.tables import DEFINITION_TABLES, MODELS_BY_TABLE, UNIT_COLUMN
from server.services.tables import TABLE_NAMES as TABLES
from sync.protocol import (
    DEFINE,
    MANAGE,
    READ,
    SEE,
    Change,
    Cursor,
    InvalidCursor,
    scope_changes,
)

# Rescans walk the unit-scoped tables in this order, parents first.
RESCAN_TABLES = tuple(t for t in TABLES if t in UNIT_COLUMN)
# A cursor stays good this much less than the retention, for transactions that were in flight.
RESET_MARGIN_SECONDS = 3600
# Between a cursor and its signature; the cursor itself is URL-safe base64, without dots.
SIGNATURE_SEPARATOR = "."

UNVERIFIED = _l(
    "This device's sync position was not signed by this server for this user (the server's "
    "key was changed, or it was edited). Pull everything again from cursor null, keeping the "
    "changes not yet pushed."
)


@dataclass
class PullPage:
    # A change is a dict, or the same change as JSON text when PostgreSQL built it.
    changes: list[Change | str]
    cursor: str
    has_more: bool
    last_mutation_id: int | None


def pull(
    session: Session,
    principal: Principal,
    cursor_text: str | None,
    limit: int,
    *,
    client_id: str | None = None,
    retention_days: int = 90,
    signing_key: bytes | None = None,
) -> PullPage:
    """A page of changes and the signed cursor after it (unsigned without ``signing_key``)."""
    now = clock.now()
    signer = _Signer(signing_key, principal.user_id)
    cursor, verified = _read_cursor(cursor_text, now.timestamp(), retention_days, signer)
    high, epoch = _read_clock(session, principal)
    if cursor_text is not None and cursor.epoch != epoch:
        raise ResetRequired(
            _(
                "The server's data was restored from a backup since this device last synced. "
                "Pull everything again from cursor null, keeping the changes not yet pushed."
            ),
            reason="restored",
        )
    cursor.epoch = epoch
    scope = scope_of(principal)
    changed = scope_changes(cursor.scope, scope)
    if cursor_text is not None and not verified and (changed or cursor.rescan):
        raise ResetRequired(UNVERIFIED, reason="unverified")
    if changed and cursor_text is not None:
        # Units already waiting for a rescan stay in it; any change restarts the walk, which
        # is harmless (a row sent twice is applied once, by version).
        cursor.rescan = sorted(set(cursor.rescan) | changed)
        cursor.position = (0, None)
        # A writer in an organisation new to this scope may be in flight below the cursor
        # (the old scope did not wait for it): the feed goes on from below it, and what it
        # sends twice is applied once, by version.
        cursor.seq = min(cursor.seq, high)
        cursor.tables_left = None  # what the old scope left says nothing about the new one
    cursor.scope = scope

    reader = _Reader(session, principal, scope)
    changes: list[Change | str] = []
    if cursor.rescan:
        changes += reader.rescan(cursor, limit)
    has_more = True  # unless the feed below runs dry
    if not cursor.rescan and len(changes) < limit:
        if cursor.seq < high:
            feed, has_more = reader.feed(cursor, high, limit - len(changes))
            changes += feed
        else:
            has_more = False  # nothing committed since: an idle device's poll costs no probe
    if not has_more:
        cursor.fresh = False
    cursor.issued_at = int(now.timestamp())
    return PullPage(
        changes=changes,
        cursor=signer.sign(cursor.encode()),
        has_more=has_more,
        last_mutation_id=_last_mutation_id(session, principal, client_id),
    )


def _read_clock(session: Session, principal: Principal) -> tuple[int, str]:
    """``(high, epoch)``: the feed reads up to ``high`` (see the module's docstring)."""
    if session.get_bind().dialect.name == "postgresql":
        high, epoch = write_order.read_clock(session, principal.organisation_ids)
        return high, epoch or ""
    clock_row = session.execute(
        select(SyncClock.value, SyncClock.epoch).where(SyncClock.id == 1)
    ).one_or_none()
    return clock_row if clock_row else (0, "")


class _Signer:
    """Signs cursors for one user with the app's key, and checks them."""

    def __init__(self, key: bytes | None, user_id: uuid.UUID):
        self.key = key
        self.user = str(user_id).encode()

    def _mac(self, payload: str) -> str:
        assert self.key is not None
        digest = hmac.new(self.key, self.user + b"." + payload.encode(), hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")

    def sign(self, payload: str) -> str:
        return payload if self.key is None else payload + SIGNATURE_SEPARATOR + self._mac(payload)

    def verify(self, text: str) -> tuple[str, bool]:
        """The cursor without its signature, and whether it had one; ``ResetRequired`` if
        the signature is not this key's for this user."""
        payload, separator, mac = text.partition(SIGNATURE_SEPARATOR)
        if not separator:
            return payload, False
        if self.key is None or not hmac.compare_digest(mac, self._mac(payload)):
            raise ResetRequired(UNVERIFIED, reason="unverified")
        return payload, True


def _read_cursor(
    text: str | None, now_s: float, retention_days: int, signer: _Signer
) -> tuple[Cursor, bool]:
    """The cursor, and whether its signature verified."""
    if text is None:
        return Cursor(seq=0, issued_at=int(now_s), fresh=True), True
    payload, verified = signer.verify(text)
    try:
        cursor = Cursor.decode(payload)
        _check_unit_ids(cursor)
    except InvalidCursor as error:
        raise InvalidInput(
            _("The cursor is not one this server gave out; pull from scratch with cursor null."),
            fields={"cursor": [str(error)]},
        ) from None
    if cursor.issued_at < now_s - (retention_days * 86400 - RESET_MARGIN_SECONDS):
        raise ResetRequired(
            _(
                "This device has not synced for more than %(retention_days)s days, and deleted "
                "rows are forgotten after that. Pull everything again from cursor null, keeping "
                "the changes not yet pushed.",
                retention_days=retention_days,
            ),
            reason="too_old",
            retention_days=retention_days,
        )
    return cursor, verified


def _check_unit_ids(cursor: Cursor) -> None:
    """The ids a cursor names are UUIDs (an unsigned one may have been edited)."""
    after = cursor.position[1]
    try:
        for unit in (*cursor.scope, *cursor.rescan, *([after] if after is not None else [])):
            uuid.UUID(unit)
    except ValueError:
        raise InvalidCursor("bad cursor unit id") from None


def _last_mutation_id(session: Session, principal: Principal, client_id: str | None) -> int | None:
    if not client_id:
        return None
    client = session.get(SyncClient, client_id)
    if client is None:
        return 0
    if client.user_id != principal.user_id:
        return None
    return client.last_mutation_id


class _Reader:
    """Reads rows of the synced tables as this user may see them, as wire changes."""

    def __init__(self, session: Session, principal: Principal, scope: dict[str, str]):
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self.json_in_database = self.dialect == "postgresql"
        self.user_id = principal.user_id
        self.scope = scope
        units_with = {
            flag: [uuid.UUID(u) for u, flags in scope.items() if flag in flags]
            for flag in (SEE, READ, DEFINE)
        }
        # The values of the scope's parameters in the feed's statements (_Statements).
        self.units = {
            "units_seen": units_with[SEE],
            "units_read": units_with[READ],
            "units_defined": units_with[READ] + units_with[DEFINE],
        }

    # -- which rows -----------------------------------------------------------------------

    def visible(self, table: str, row: Any) -> bool:
        if table not in UNIT_COLUMN:
            return True
        flags = self.scope.get(str(getattr(row, UNIT_COLUMN[table])), "")
        if table == "units":
            return SEE in flags
        if table in DEFINITION_TABLES and DEFINE in flags:
            return True
        if READ not in flags:
            return False
        if table == "conflicts":
            return MANAGE in flags or involved_in(row, self.user_id)
        return True

    # -- how they travel ------------------------------------------------------------------

    @staticmethod
    def _columns(model: type[SyncedMixin]):
        table = model.__table__
        names = ("id", "version", "deleted", "seq", *model.sync_fields)
        return [table.c[n] for n in dict.fromkeys(names)]

    @staticmethod
    def _json_change(table: str, model: type[SyncedMixin], columns: Any):
        """The wire change of a row as JSON text built by PostgreSQL: a page of a thousand
        rows then costs Python a join instead of a dict and a conversion per value. Gives the
        same JSON values as ``_change`` (tests/sync/test_pull_json.py holds them equal)."""
        pairs: list[Any] = []
        for name in model.sync_fields:
            pairs += [literal_column(f"'{name}'"), json_in_postgresql(columns[name])]
        fields = case(
            (columns.deleted, literal_column("'{}'::json")),
            else_=func.json_build_object(*pairs),
        )
        change = func.json_build_object(
            literal_column("'table'"),
            literal_column(f"'{table}'"),
            literal_column("'id'"),
            columns.id,
            literal_column("'version'"),
            columns.version,
            literal_column("'deleted'"),
            columns.deleted,
            literal_column("'fields'"),
            fields,
        )
        return cast(change, Text).label("change")

    @staticmethod
    def _change(table: str, model: type[SyncedMixin], row: Any, deleted: bool) -> Change:
        # Positions follow _columns: id, version, deleted, seq, then the sync fields.
        return {
            "table": table,
            "id": str(row[0]),
            "version": row[1],
            "deleted": deleted,
            "fields": {} if deleted else _fields_of(model, row),
        }

    # -- the feed -------------------------------------------------------------------------

    def feed(self, cursor: Cursor, high: int, limit: int) -> tuple[list[Change | str], bool]:
        """Changes with seq in (cursor.seq, high], oldest first; moves ``cursor.seq``."""
        statements = _statements(self.dialect, cursor.fresh, self.json_in_database)
        params = {"low": cursor.seq, "high": high, "limit": limit, **self.units}
        candidates: list[tuple[int, str, Any]] = []
        last_seq: dict[str, int] = {}  # per table queried: its last row's seq, if it filled
        if cursor.tables_left is not None and cursor.tables_left[0] == high:
            bits = cursor.tables_left[1]
            tables = [t for i, t in enumerate(TABLES) if bits >> i & 1]
        else:
            tables = self._tables_with_changes(statements, params)
        for table in tables:
            rows = self.session.execute(statements.feed[table], params).all()
            if rows:
                last_seq[table] = rows[-1].seq if len(rows) < limit else high + 1
            candidates.extend((row.seq, table, row) for row in rows)
        candidates.sort(key=lambda c: c[0])
        taken = candidates[:limit]
        changes: list[Change | str] = []
        for _seq, table, row in taken:
            if table in statements.as_json:
                changes.append(row.change)
            elif self.visible(table, row):
                changes.append(self._change(table, MODELS_BY_TABLE[table], row, row.deleted))
        if taken:
            cursor.seq = taken[-1][0]
        # A table may hold more if it filled its limit or rows of it were left for the next
        # page; a false "more" costs one empty pull.
        left = [t for t, seq in last_seq.items() if seq > cursor.seq]
        if left:
            cursor.tables_left = (high, sum(1 << TABLES.index(t) for t in left))
        else:
            # Everything up to ``high`` this reader may see has been sent: the cursor moves to
            # ``high`` itself, so the next poll finds ``seq == high`` and asks nothing, even
            # when the latest numbers went to rows of other units (section 8).
            cursor.seq, cursor.tables_left = max(cursor.seq, high), None
        return changes, bool(left)

    def _tables_with_changes(self, statements: _Statements, params: dict[str, Any]) -> list[str]:
        found = set(self.session.scalars(statements.probe, params))
        return [table for table in TABLES if table in found]

    # -- rescans after a scope change -----------------------------------------------------

    def rescan(self, cursor: Cursor, limit: int) -> list[Change]:
        """Rows of the units in ``cursor.rescan`` as they look now: visible ones are sent,
        the others as deletes. Walks table by table, by id; clears the rescan when done."""
        units = [uuid.UUID(u) for u in cursor.rescan]
        index, after = cursor.position
        changes: list[Change] = []
        while index < len(RESCAN_TABLES) and len(changes) < limit:
            table = RESCAN_TABLES[index]
            model = MODELS_BY_TABLE[table]
            stmt = select(*self._columns(model)).where(
                getattr(model, UNIT_COLUMN[table]).in_(units)
            )
            if after is not None:
                stmt = stmt.where(model.id > uuid.UUID(after))
            wanted = limit - len(changes)
            rows = self.session.execute(stmt.order_by(model.id).limit(wanted)).all()
            changes.extend(self._rescanned(table, model, rows, cursor.seq))
            if len(rows) == wanted:
                after = str(rows[-1].id)  # this table may hold more
            else:
                index, after = index + 1, None
        if index >= len(RESCAN_TABLES):
            cursor.rescan, cursor.position = [], (0, None)
        else:
            cursor.position = (index, after)
        return changes

    def _rescanned(
        self, table: str, model: type[SyncedMixin], rows: Iterable[Any], seen_seq: int
    ) -> Iterable[Change]:
        for row in rows:
            if row.deleted:
                # The device may hold the row and not yet have heard of its delete.
                if row.seq > seen_seq:
                    yield self._change(table, model, row, deleted=True)
            elif self.visible(table, row):
                yield self._change(table, model, row, deleted=False)
            else:
                yield self._change(table, model, row, deleted=True)


@dataclass(frozen=True)
class _Statements:
    """The feed's statements for one database and one kind of cursor, built once: a pull
    page runs a probe and a query per table, and building those expressions anew each time
    cost more than running them. Parameters: low, high, limit and the units_* lists."""

    probe: Any
    feed: dict[str, Any]
    as_json: frozenset[str]  # tables whose rows come as JSON text the database wrote


_STATEMENTS: dict[tuple[str, bool, bool], _Statements] = {}


def _statements(dialect: str, fresh: bool, json_in_database: bool) -> _Statements:
    key = (dialect, fresh, json_in_database)
    if key not in _STATEMENTS:
        # Conflicts are narrowed in Python (``_Reader.visible``); every other table's
        # visibility is all in the SQL, so on PostgreSQL its rows travel as JSON it wrote.
        as_json = frozenset(t for t in TABLES if json_in_database and t != "conflicts")
        probes: list[Any] = [
            select(literal_column(f"'{table}'").label("name")).where(
                exists().where(*_feed_filter(dialect, table, fresh))
            )
            for table in TABLES
        ]
        _STATEMENTS[key] = _Statements(
            probe=union_all(*probes),
            feed={t: _feed_statement(dialect, t, fresh, t in as_json) for t in TABLES},
            as_json=as_json,
        )
    return _STATEMENTS[key]


def _feed_statement(dialect: str, table: str, fresh: bool, as_json: bool) -> Any:
    model = MODELS_BY_TABLE[table]
    columns = [model.__table__] if as_json else _Reader._columns(model)
    stmt = select(*columns).where(*_feed_filter(dialect, table, fresh))
    stmt = stmt.order_by(model.seq).limit(bindparam("limit", type_=Integer))
    if not as_json:
        return stmt
    # JSON for the page's rows only: built in the same query as the LIMIT, it would be built
    # for every candidate row before the sort.
    page = stmt.subquery()
    return select(page.c.seq, _Reader._json_change(table, model, page.c)).order_by(page.c.seq)


def _feed_filter(dialect: str, table: str, fresh: bool) -> list[Any]:
    model = MODELS_BY_TABLE[table]
    conditions = [
        model.seq > bindparam("low", type_=BigInteger),
        model.seq <= bindparam("high", type_=BigInteger),
    ]
    if table == "units":
        conditions.append(_in_units(dialect, model.id, "units_seen"))
    elif table in DEFINITION_TABLES:
        conditions.append(_in_units(dialect, getattr(model, UNIT_COLUMN[table]), "units_defined"))
    elif table in UNIT_COLUMN:
        conditions.append(_in_units(dialect, getattr(model, UNIT_COLUMN[table]), "units_read"))
    # (catalogues are for everyone)
    if fresh:
        # A device starting from nothing has nothing to delete.
        conditions.append(model.deleted.is_(False))
    return conditions


def _in_units(dialect: str, column: Any, name: str) -> Any:
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=postgresql.ARRAY(Uuid)))
    return column.in_(bindparam(name, expanding=True))


_FIELD_POSITIONS: dict[type[SyncedMixin], list[tuple[str, int]]] = {}


def _fields_of(model: type[SyncedMixin], row: Any) -> dict[str, Any]:
    """The sync fields of a row fetched with ``_Reader._columns``, as canonical JSON values."""
    positions = _FIELD_POSITIONS.get(model)
    if positions is None:
        names = list(dict.fromkeys(("id", "version", "deleted", "seq", *model.sync_fields)))
        positions = [(f, names.index(f)) for f in model.sync_fields]
        _FIELD_POSITIONS[model] = positions
    return {name: canonical(row[index]) for name, index in positions}
