"""Inserting many rows in one go: COPY on PostgreSQL, one executemany elsewhere.

A device's first push after a day offline can carry hundreds of new rows; each also leaves an
audit event and a stored result. On PostgreSQL, COPY takes such a batch in well under half
the time of the pipelined INSERTs an executemany sends (see bench/sync_bench.py, W1).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON, insert
from sqlalchemy.orm import Session


def bulk_insert(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (column values by name) into ``model``'s table, in the session's
    transaction. A column a row leaves out gets its column default, as with an INSERT."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(model), list(rows))
        return
    table = model.__table__
    given = set().union(*(row.keys() for row in rows))
    columns = [c for c in table.columns if c.name in given or python_default(c) is not None]
    dialect = connection.dialect
    # The column types' own conversions (UTC for timestamps), so COPY stores exactly what an
    # INSERT through SQLAlchemy would; JSON as text, each value encoded once. Columns with no
    # conversion and no default (most text) are taken as they are.
    names_in_order = [c.name for c in columns]
    converted = [
        (
            index,
            c.name,
            python_default(c),
            _json_text() if isinstance(c.type, JSON) else c.type._cached_bind_processor(dialect),
        )
        for index, c in enumerate(columns)
    ]
    converted = [step for step in converted if step[2] is not None or step[3] is not None]
    names = ", ".join(dialect.identifier_preparer.quote(c.name) for c in columns)
    target = dialect.identifier_preparer.format_table(table)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            for row in rows:
                values = [row.get(name) for name in names_in_order]
                for index, name, default, convert in converted:
                    value = values[index]
                    if value is None and default is not None and name not in row:
                        value = default()
                    values[index] = convert(value) if convert is not None else value
                copy.write_row(values)
    finally:
        cursor.close()


def _json_text() -> Callable[[Any], str]:
    """JSON text of a value, as the JSON type's own conversion gives it (None is JSON null).
    A value many rows share (every new row's field versions) is encoded once."""
    encoded: dict[int, tuple[Any, str]] = {}

    def convert(value: Any) -> str:
        known = encoded.get(id(value))
        if known is None or known[0] is not value:
            known = encoded[id(value)] = (value, json.dumps(value))
        return known[1]

    return convert


def python_default(column: Any) -> Callable[[], Any] | None:
    """A maker of the column's Python-side default value, if it has one."""
    default = column.default
    if default is None:
        return None
    argument = default.arg
    if default.is_scalar:
        return lambda: argument
    if default.is_callable:
        return lambda: argument(None)
    return None
