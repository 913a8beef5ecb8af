"""Alembic migrations for the Følg schema, and the drift check shared by ``env.py``,
``flask --app server schema-check`` and ``tests/server/test_migrations.py``.

Revisions live in ``versions/`` as ``<rev-id>_<slug>.py`` and are reviewed by hand after
``flask --app server db revision --autogenerate --rev-id NNNN -m "..."``. Schema versions
only grow: a shipped revision is never edited, a change is a new revision.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import CheckConstraint, Connection, MetaData, inspect

from server.models.types import UTCDateTime


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render our own column types as plain SQLAlchemy types in revisions.

    A revision must not import ``server.models``: models keep changing, a revision must not.
    ``UTCDateTime`` only adds Python-side conversion; in the database it is its ``impl``.
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def schema_differences(connection: Connection, metadata: MetaData) -> list[Any]:
    """The drift between the database and the models, as a list (empty when they match).

    Autogenerate's own comparison (tables, columns, types, nullability, indexes, unique and
    foreign keys, server defaults) plus CHECK constraints, which autogenerate does not
    compare and which here carry the allowed values of every state and kind column.
    Nothing is filtered out: the models name every constraint (see the naming convention in
    ``server/extensions.py``), so both dialects reflect exactly what the models declare.
    """
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    context = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "compare_server_default": True, "render_item": render_item},
    )
    return [
        *compare_metadata(context, metadata),
        *_check_constraint_differences(connection, metadata),
    ]


def _literals(sql: str) -> list[str]:
    return sorted(re.findall(r"'([^']*)'", sql))


def _check_constraint_differences(connection: Connection, metadata: MetaData) -> list[Any]:
    """CHECK constraints by name, and by content as far as each dialect allows.

    SQLite keeps the CREATE TABLE text, so the expression is compared as written.
    PostgreSQL reflects its own rewrite (``kind::text = ANY (ARRAY['a'::character varying])``),
    so there only the quoted values are compared: the part that drifts when a state is added.
    """
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    differences: list[Any] = []
    for table in metadata.sorted_tables:
        if table.name not in existing:
            continue  # already reported by compare_metadata
        wanted = {
            str(c.name): str(c.sqltext) for c in table.constraints if isinstance(c, CheckConstraint)
        }
        found = {c["name"]: c["sqltext"] for c in inspector.get_check_constraints(table.name)}
        for name in sorted(wanted.keys() - found.keys()):
            differences.append(("add_check_constraint", table.name, name, wanted[name]))
        for name in sorted(found.keys() - wanted.keys()):
            differences.append(("remove_check_constraint", table.name, name, found[name]))
        for name in sorted(wanted.keys() & found.keys()):
            if connection.dialect.name == "sqlite":
                same = " ".join(wanted[name].split()) == " ".join(found[name].split())
            else:
                same = _literals(wanted[name]) == _literals(found[name])
            if not same:
                differences.append(
                    ("modify_check_constraint", table.name, name, found[name], wanted[name])
                )
    return differences
