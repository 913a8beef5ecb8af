"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, case, func, literal_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite has no time zones and hands back naive datetimes; this keeps both databases
    giving the same value to the code above.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# isoformat() writes six digits of microseconds, or none when they are zero; PostgreSQL's
# to_json drops trailing zeros (".57924"), so timestamps are written by to_char instead.
_ISO_SECONDS = 'YYYY-MM-DD"T"HH24:MI:SS'


def json_in_postgresql(column: Any) -> Any:
    """A PostgreSQL expression for the column's value as JSON, in exactly the form Python
    gives it (``versioning.to_json_value``, ``sync.canonical``): used where the database
    writes JSON for many rows at once (pull pages, the audit events of bulk creates)."""
    if not isinstance(column.type, UTCDateTime):
        return column
    utc = func.timezone(literal_column("'UTC'"), column)
    return case(
        (
            func.date_trunc(literal_column("'second'"), column) == column,
            func.to_char(utc, literal_column(f"'{_ISO_SECONDS}\"+00:00\"'")),
        ),
        else_=func.to_char(utc, literal_column(f"'{_ISO_SECONDS}.US\"+00:00\"'")),
    )
