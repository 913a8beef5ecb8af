"""Sync on the server: one module a job.

    __init__.py     what they share: sync errors, the schema-version check, canonical JSON
                    values, the reader's scope
    push.py         applying a device's mutations, top to bottom (idempotency, merge,
                    rejections, stored results)
    batch.py        the bulk speed-ups of a push (rows loaded up front, creates inserted
                    together), which change no answer
    conflicts.py    recording, resolving and restoring; who may see a conflict
    pull.py         the change feed (cursor, scope changes, reset_required)
    gc.py           collecting old tombstones, stored results and resolved conflicts

Which tables sync and how each is written is the registry, ``server/services/tables.py``.
No Flask here: the API layer (``server/api/sync.py``) parses, calls and serialises. The rules
themselves are in ``sync/merge.py``; the wire vocabulary in ``sync/protocol.py``.

Errors are those of ``server/services/errors.py`` (``ResetRequired`` and ``MutationGap`` are
the sync-only ones); their codes and statuses are ``sync/errors.py``.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Uuid

from server.i18n import _
from server.models import SyncedMixin
from server.models.types import UTCDateTime
from server.services.access import Principal
from server.services.errors import InvalidInput, UpgradeRequired
from sync.protocol import DEFINE, MANAGE, READ, SEE


def check_schema_version(version: int, minimum: int, current: int) -> None:
    if version < minimum:
        raise UpgradeRequired(
            _(
                "This app is too old for the server (sync schema %(version)s, the server needs at "
                "least %(minimum)s). Update the app: reload the page or install the update.",
                version=version,
                minimum=minimum,
            ),
            min_schema_version=minimum,
            schema_version=current,
        )
    if version > current:
        raise InvalidInput(
            _(
                "The server speaks sync schema %(current)s at most; this client sent %(version)s.",
                current=current,
                version=version,
            ),
            fields={"schema_version": [_("At most %(current)s.", current=current)]},
        )


# ---- values -------------------------------------------------------------------------------


_PLAIN = frozenset({str, int, float, bool})


def canonical(value: Any) -> Any:
    """A value in the one JSON form the merge rules compare: UUIDs as lower-case strings,
    dates ISO, datetimes ISO in UTC, lists and dicts converted inside."""
    if value is None or type(value) in _PLAIN:  # the common case, first: a pull calls this a lot
        return value
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    return value


def canonical_json(model: type[SyncedMixin], field: str, value: Any) -> Any:
    """A JSON value the client sent, parsed by the column's type and put in canonical form.
    Values that do not parse are returned as they are (they simply will not compare equal)."""
    if not isinstance(value, str):
        return canonical(value)
    column = model.__table__.columns.get(field)
    if column is None:
        return value
    try:
        if isinstance(column.type, Uuid):
            return str(uuid.UUID(value))
        if isinstance(column.type, UTCDateTime):
            return canonical(datetime.fromisoformat(value.replace("Z", "+00:00")))
        if isinstance(column.type, Date):
            return date.fromisoformat(value).isoformat()
    except ValueError:
        return value
    return value


def mutation_row_id(mutation: Mapping[str, Any]) -> uuid.UUID:
    """The mutation's row id (the API hands them over parsed; tests may send text)."""
    value = mutation["id"]
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def row_fields(row: SyncedMixin) -> dict[str, Any]:
    return {f: canonical(getattr(row, f)) for f in row.sync_fields}


# ---- scope --------------------------------------------------------------------------------


def scope_of(principal: Principal) -> dict[str, str]:
    """``{unit_id: flags}``: s = sees the unit, r = reads its plans, m = manages them,
    d = reads its quality definitions (a unit above one the user reads plans in)."""
    flags: dict[str, str] = defaultdict(str)
    for flag, action in ((SEE, "see_unit"), (READ, "read_plans"), (MANAGE, "manage_plans")):
        for unit in principal.units_for(action):
            flags[str(unit)] += flag
    for unit in principal.definition_units:
        flags[str(unit)] += DEFINE
    return dict(flags)
