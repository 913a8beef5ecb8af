"""The sync protocol's vocabulary, shared by the server and the reference client.

Plain Python: no Flask, no SQLAlchemy. ``docs/sync-protocol.md`` is the prose version.

Wire shapes (JSON)::

    pull request   {"cursor": str | null, "limit": int, "schema_version": int, "client_id": str?}
    pull response  {"changes": [Change], "cursor": str, "has_more": bool,
                    "last_mutation_id": int | null}
    Change         {"table", "id", "version", "deleted", "fields": {...}}

    push request   {"client_id": str, "schema_version": int, "mutations": [Mutation]}
    Mutation       {"mutation_id", "table", "id", "op": "upsert" | "delete",
                    "base_version": int | null, "fields": {...}, "base": {...}}
    push response  {"results": [Result]}
    Result         {"mutation_id", "status", "version", "conflicts": [...], "error": {...}?,
                    "row": {"version", "deleted", "fields"}?}
                   ("partial": both "row" and "error", whose "fields" name the refused ones)

The cursor is opaque to clients. Inside it is URL-safe base64 of a small JSON object (see
``Cursor``); clients must store it verbatim and never build one.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypedDict

from sync.errors import ErrorCode

SCHEMA_VERSION = 2
# The first schema version whose clients know ``partial``; older ones get ``rejected`` instead.
PARTIAL_SINCE_SCHEMA_VERSION = 2

# Result statuses of a pushed mutation.
APPLIED = "applied"  # every field sent was applied; nothing else had changed since base
MERGED = "merged"  # applied next to changes others made to other fields since base
CONFLICT = "conflict"  # at least one field (or a delete) collided: see "conflicts"
REJECTED = "rejected"  # refused (invalid, forbidden, read-only...): see "error"
# Some fields of an update were applied, others refused by field: see "error" and "row".
PARTIAL = "partial"
DUPLICATE = "duplicate"  # this mutation id was seen before: "original_status" says what it got
STATUSES = (APPLIED, MERGED, CONFLICT, REJECTED, DUPLICATE, PARTIAL)
# A mutation with one of these results is done with: the client drops it from its outbox.
ACKNOWLEDGED = frozenset(STATUSES)

UPSERT = "upsert"
DELETE = "delete"
OPS = (UPSERT, DELETE)

EDIT_EDIT = "edit_edit"
DELETE_EDIT = "delete_edit"

# The synced tables, described by the server's registry (server/services/tables.py) in
# ``tables.json`` beside this module, which `make tables` writes and a test holds current.
TABLE_DESCRIPTIONS: tuple[dict[str, Any], ...] = tuple(
    json.loads(Path(__file__).with_name("tables.json").read_text(encoding="utf-8"))["tables"]
)
# Tables a device receives, in the order a fresh device should apply them (parents first).
TABLES = tuple(t["name"] for t in TABLE_DESCRIPTIONS)
# The Swedish quality follow-up, parents first; every row names its unit in ``unit_id``.
QUALITY_TABLES = tuple(t["name"] for t in TABLE_DESCRIPTIONS if t["quality"])
# Definitions of a verksamhet: read also by users of the enheter below it (scope flag "d").
DEFINITION_TABLES = frozenset(t["name"] for t in TABLE_DESCRIPTIONS if t["definitions"])
READ_ONLY_TABLES = frozenset(t["name"] for t in TABLE_DESCRIPTIONS if t["read_only"])
# Tables whose rows belong to one unit (scope), by the column that names it.
UNIT_COLUMN = {t["name"]: t["unit_column"] for t in TABLE_DESCRIPTIONS if t["unit_column"]}
# The fields a client may send, by writable table.
CLIENT_FIELDS = {
    t["name"]: tuple(t["client_fields"]) for t in TABLE_DESCRIPTIONS if not t["read_only"]
}

# The error codes a sync client acts on (every code, with its HTTP status: ``sync/errors.py``).
RESET_REQUIRED = ErrorCode.RESET_REQUIRED
MUTATION_GAP = ErrorCode.MUTATION_GAP
UPGRADE_REQUIRED = ErrorCode.UPGRADE_REQUIRED
TOO_LARGE = ErrorCode.TOO_LARGE


class Change(TypedDict):
    table: str
    id: str
    version: int
    deleted: bool
    fields: dict[str, Any]


class Mutation(TypedDict, total=False):
    mutation_id: int
    table: str
    id: str
    op: Literal["upsert", "delete"]
    base_version: int | None
    fields: dict[str, Any]
    base: dict[str, Any]


class InvalidCursor(ValueError):
    """The cursor is not one this server handed out (garbled, truncated or hand-made)."""


# Scope flags per unit in a cursor: see the unit, read its plans, manage its plans.
SEE, READ, MANAGE = "s", "r", "m"
# ... and read the quality definitions of a unit above the ones it reads plans in.
DEFINE = "d"


@dataclass
class Cursor:
    """Where a device stands in the change feed, and what it was allowed to see.

    - ``seq``: every visible change with a sequence number up to ``seq`` has been delivered;
    - ``issued_at``: when (epoch seconds) the server last vouched for this cursor, which
      decides ``reset_required`` once tombstones may have been collected;
    - ``scope``: ``{unit_id: "srm"-flags}`` the device's rows were filtered with;
    - ``rescan``: units whose rows must be re-sent (granted) or removed (revoked) before the
      feed goes on, because the scope changed; ``position`` is how far that rescan got
      (index into ``TABLES``-with-units, last id sent);
    - ``fresh``: the device started from nothing and has not caught up yet, so tombstones
      can be left out (it has nothing to delete);
    - ``epoch``: the server's data epoch when the cursor was issued; restoring a backup starts
      a new one, and a cursor from another epoch must start over (``reset_required``).
    - ``tables_left``: ``(high, bits)`` after a page that did not finish the feed: only the
      tables with these bits (indexes into ``TABLES``) may hold changes in (``seq``, ``high``].
      While the server's clock still reads ``high``, the next page asks only them instead of
      probing every table. Only ever narrows what the server looks at for this device.
    """

    seq: int = 0
    issued_at: int = 0
    scope: dict[str, str] = field(default_factory=dict)
    rescan: list[str] = field(default_factory=list)
    position: tuple[int, str | None] = (0, None)
    fresh: bool = True
    epoch: str = ""
    tables_left: tuple[int, int] | None = None

    def encode(self) -> str:
        body = {
            "v": 1,
            "s": self.seq,
            "t": self.issued_at,
            "u": self.scope,
        }
        if self.rescan:
            body["x"] = self.rescan
            body["p"] = list(self.position)
        if self.fresh:
            body["f"] = 1
        if self.epoch:
            body["e"] = self.epoch
        if self.tables_left is not None:
            body["h"] = list(self.tables_left)
        raw = json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            body = json.loads(raw)
            if not isinstance(body, dict) or body.get("v") != 1:
                raise InvalidCursor("unknown cursor format")
            seq, issued_at, scope = body["s"], body["t"], body["u"]
            position = body.get("p", [0, None])
            rescan = body.get("x", [])
            epoch = body.get("e", "")
            if not isinstance(epoch, str):
                raise InvalidCursor("bad cursor epoch")
            tables_left = body.get("h")
            if tables_left is not None and not (
                isinstance(tables_left, list)
                and len(tables_left) == 2
                and all(isinstance(n, int) and n >= 0 for n in tables_left)
            ):
                raise InvalidCursor("bad cursor tables")
            if not (isinstance(seq, int) and seq >= 0 and isinstance(issued_at, int)):
                raise InvalidCursor("bad cursor numbers")
            if not isinstance(scope, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in scope.items()
            ):
                raise InvalidCursor("bad cursor scope")
            if not isinstance(rescan, list) or not all(isinstance(u, str) for u in rescan):
                raise InvalidCursor("bad cursor rescan")
            if not (
                isinstance(position, list)
                and len(position) == 2
                and isinstance(position[0], int)
                and (position[1] is None or isinstance(position[1], str))
            ):
                raise InvalidCursor("bad cursor position")
        except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
            raise InvalidCursor("garbled cursor") from None
        return cls(
            seq=seq,
            issued_at=issued_at,
            scope=scope,
            rescan=rescan,
            position=(position[0], position[1]),
            fresh=bool(body.get("f")),
            epoch=epoch,
            tables_left=None if tables_left is None else (tables_left[0], tables_left[1]),
        )


def scope_changes(old: dict[str, str], new: dict[str, str]) -> set[str]:
    """Units whose flags differ between two scopes: their rows must be rescanned."""
    return {
        unit for unit in old.keys() | new.keys() if set(old.get(unit, "")) != set(new.get(unit, ""))
    }
