"""The synced tables: one description each, that REST, the sync push and pull, and the clients use.

A table is declared once, here, with its model and how it is written::

    SyncedTable
    ├── model          the SQLAlchemy model (its columns, ``sync_fields``, ``sync_table``)
    ├── schema         the write schema: the fields a client may send, and their checks;
    │                  None for a table that only the server writes (read-only through sync)
    ├── create         create(session, principal, values, row_id, *, in_batch) -> row
    ├── update         update(session, principal, row, values) -> row; None: written once
    ├── delete         delete(session, principal, row); None: append-only
    ├── action         what an update or delete needs (``services/access.py``); the create
    │                  functions check their own
    ├── immutable      fields fixed once the row exists: a new value is refused, never merged
    ├── new_values     the checked column values of a new row, for creates inserted in bulk
    ├── restore        brings a deleted row back with what its delete took along, if it can
    ├── unit_column    the column naming the row's unit (the reader's scope); None: global
    └── definitions    read also by users of the units below (quality model, årshjul)

Everything else is derived: ``client_fields`` (the write schema's fields that are synced),
``server_fields`` (the synced fields a client never sends), the order a fresh device applies
tables in (the order below, parents first), and ``sync/tables.json``, the description the
reference client (``sync/protocol.py``) and the PWA (``pwa/src/js/store``) read, and
``sync/rules.json``, the checks of each writable table's write schema that a device runs before
it says "saved" (``server/schemas/rules.py``).

Adding a synced table: its model and migration, one entry below (appended: a rescan cursor
indexes this order), then ``make tables`` rewrites ``sync/tables.json``; a test fails until it
is rewritten (both files).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marshmallow import Schema

from server.models import (
    Catalogue,
    Conflict,
    Criterion,
    DeadlineExtension,
    Finding,
    ItemComment,
    Plan,
    PlanAttachment,
    PlanItem,
    PlanMessage,
    ProgressNote,
    SyncedMixin,
    Theme,
    Unit,
    Visit,
    VisitPhoto,
)
from server.schemas.plans import (
    AttachmentWriteSchema,
    ItemWriteSchema,
    MessageWriteSchema,
    NoteWriteSchema,
    PlanWriteSchema,
)
from server.schemas.quality import WRITE_SCHEMAS as QUALITY_SCHEMAS
from server.schemas.rules import describe_schema
from server.schemas.visits import (
    CommentWriteSchema,
    ExtensionWriteSchema,
    FindingWriteSchema,
    PhotoWriteSchema,
    VisitWriteSchema,
)
from server.services import attachments, messages, plans, quality, visits

# The generated description of these tables, for clients (see the module docstring).
TABLES_JSON = Path(__file__).resolve().parents[2] / "sync" / "tables.json"
# The checks a device runs before it saves (see the module docstring).
RULES_JSON = TABLES_JSON.with_name("rules.json")

# A conflict is written by the server; a client resolves it by sending these fields only.
CONFLICT_CLIENT_FIELDS = ("status", "resolution", "resolved_value")


@dataclass(frozen=True, kw_only=True)
class SyncedTable:
    """A table devices receive. Only the server writes it, unless it is a ``WritableTable``."""

    model: type[SyncedMixin]
    unit_column: str | None = "unit_id"
    definitions: bool = False
    # The fields a client may send to a table without a write schema (a conflict's resolution).
    fixed_client_fields: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.model.sync_table

    @property
    def read_only(self) -> bool:
        """Whether a client may write this table at all."""
        return not self.client_fields

    @property
    def client_fields(self) -> tuple[str, ...]:
        """The synced fields a client may send."""
        return self.fixed_client_fields

    @property
    def server_fields(self) -> tuple[str, ...]:
        """The synced fields only the server sets: a client keeps them but never sends them."""
        client = set(self.client_fields)
        return tuple(f for f in self.model.sync_fields if f not in client)

    def describe(self) -> dict[str, Any]:
        """This table as clients see it (``sync/tables.json``)."""
        writable = self if isinstance(self, WritableTable) else None
        return {
            "name": self.name,
            "fields": list(self.model.sync_fields),
            "client_fields": list(self.client_fields),
            "server_fields": [] if self.read_only else list(self.server_fields),
            "immutable": list(writable.immutable) if writable else [],
            "read_only": self.read_only,
            # Rows a client creates (else it only sends ``client_fields`` of the server's rows).
            "creatable": writable is not None,
            "updatable": bool(writable and writable.update),
            "deletable": bool(writable and writable.delete),
            "unit_column": self.unit_column,
            "definitions": self.definitions,
            "quality": self.name in quality.TABLES,
        }


@dataclass(frozen=True, kw_only=True)
class WritableTable(SyncedTable):
    """A table clients write, through the same functions as REST."""

    schema: Schema
    create: Callable[..., SyncedMixin]
    update: Callable[..., SyncedMixin] | None = None  # None: written once
    delete: Callable[..., None] | None = None  # None: append-only
    action: str = "write_items"
    immutable: tuple[str, ...] = ()
    new_values: Callable[..., dict[str, Any]] | None = None
    restore: Callable[..., None] | None = None

    @property
    def client_fields(self) -> tuple[str, ...]:
        """The synced fields its write schema loads."""
        loaded = {name for name, f in self.schema.fields.items() if not f.dump_only}
        return tuple(f for f in self.model.sync_fields if f in loaded)


def _quality_table(name: str) -> WritableTable:
    writer = quality.TABLES[name]
    return WritableTable(
        model=writer.model,
        schema=QUALITY_SCHEMAS[name],
        create=writer.create,
        update=writer.update,
        delete=writer.delete,
        # Enough to reach the writer, which checks its own action (a manager's for areas and
        # measures, a staff member's for ticking a task done).
        action="write_items",
        immutable=writer.immutable,
        definitions=name in quality.DEFINITION_TABLES,
    )


# Parents first; new tables are appended (a rescan position in a cursor indexes this order).
TABLES: dict[str, SyncedTable] = {
    table.name: table
    for table in (
        SyncedTable(model=Unit, unit_column="id"),
        SyncedTable(model=Catalogue, unit_column=None),
        SyncedTable(model=Theme, unit_column=None),
        SyncedTable(model=Criterion, unit_column=None),
        WritableTable(
            model=Plan,
            schema=PlanWriteSchema(),
            create=plans.create_plan,
            update=plans.update_plan,
            delete=plans.delete_plan,
            action="manage_plans",
            immutable=plans.IMMUTABLE_PLAN_FIELDS,
        ),
        WritableTable(
            model=PlanItem,
            schema=ItemWriteSchema(),
            create=plans.create_item,
            update=plans.update_item,
            delete=plans.delete_item,
            immutable=plans.IMMUTABLE_ITEM_FIELDS,
            new_values=plans.new_item_values,
            restore=plans.restore_item,
        ),
        # Append-only: no update, no delete.
        WritableTable(model=ProgressNote, schema=NoteWriteSchema(), create=plans.add_note),
        SyncedTable(model=Conflict, fixed_client_fields=CONFLICT_CLIENT_FIELDS),
        WritableTable(
            model=Visit,
            schema=VisitWriteSchema(),
            create=visits.create_visit,
            update=visits.update_visit,
            delete=visits.delete_visit,
            action="inspect",
            immutable=visits.IMMUTABLE_VISIT_FIELDS,
        ),
        WritableTable(
            model=Finding,
            schema=FindingWriteSchema(),
            create=visits.create_finding,
            update=visits.update_finding,
            delete=visits.delete_finding,
            action="inspect",
            immutable=visits.IMMUTABLE_FINDING_FIELDS,
        ),
        # A photo record is written once (its bytes never change); it may be deleted.
        WritableTable(
            model=VisitPhoto,
            schema=PhotoWriteSchema(),
            create=visits.create_photo,
            delete=visits.delete_photo,
            action="inspect",
        ),
        WritableTable(
            model=DeadlineExtension, schema=ExtensionWriteSchema(), create=visits.add_extension
        ),
        WritableTable(model=ItemComment, schema=CommentWriteSchema(), create=visits.add_comment),
        # The Swedish quality follow-up, parents first: the same rules as its REST API.
        *(
            _quality_table(name)
            for name in quality.TABLES
            if name not in quality.LEVEL_TABLES + quality.APPENDED_TABLES
        ),
        # The dialogue with the inspectorate: append-only, checked by ``add_message`` itself.
        WritableTable(
            model=PlanMessage,
            schema=MessageWriteSchema(),
            create=messages.add_message,
            action="discuss",
        ),
        # The follow-up levels of seed 003 (uppdrag/avtal, tematisk, sammanvägd bedömning).
        *(_quality_table(name) for name in quality.LEVEL_TABLES),
        # Riskanalyser and egenkontroll with checklists: quality tables added after the dialogue.
        *(_quality_table(name) for name in quality.APPENDED_TABLES),
        # Evidence on a row or a note: written once (its bytes never change), may be deleted.
        WritableTable(
            model=PlanAttachment,
            schema=AttachmentWriteSchema(),
            create=attachments.create_attachment,
            delete=attachments.delete_attachment,
        ),
    )
}
# Tables a client writes (conflicts are resolved in their own way: ``sync/conflicts.py``).
WRITABLE: dict[str, WritableTable] = {
    name: table for name, table in TABLES.items() if isinstance(table, WritableTable)
}
TABLE_NAMES: tuple[str, ...] = tuple(TABLES)
READ_ONLY_TABLES = frozenset(name for name, t in TABLES.items() if t.read_only)
DEFINITION_TABLES = frozenset(name for name, t in TABLES.items() if t.definitions)
# Tables whose rows belong to one unit (the reader's scope), by the column that names it.
UNIT_COLUMN: dict[str, str] = {n: t.unit_column for n, t in TABLES.items() if t.unit_column}
MODELS_BY_TABLE: dict[str, type[SyncedMixin]] = {name: t.model for name, t in TABLES.items()}
SYNCED_MODELS: tuple[type[SyncedMixin], ...] = tuple(MODELS_BY_TABLE.values())


def describe_tables() -> dict[str, Any]:
    """What ``sync/tables.json`` holds."""
    return {
        "about": "Generated from server/services/tables.py by `make tables`; do not edit.",
        "tables": [table.describe() for table in TABLES.values()],
    }


def tables_json() -> str:
    return json.dumps(describe_tables(), indent=2, ensure_ascii=False) + "\n"


def describe_rules() -> dict[str, Any]:
    """What ``sync/rules.json`` holds: per writable table, the rules of each field a client
    sends and the checks across fields."""
    return {
        "about": (
            "Generated from the write schemas of server/services/tables.py by `make tables`; "
            "do not edit. `required` means required on create; `checks` are rules across "
            "fields, each with the field its error is shown at."
        ),
        "tables": {
            name: describe_schema(table.schema, only=table.client_fields)
            for name, table in WRITABLE.items()
        },
    }


def rules_json() -> str:
    return json.dumps(describe_rules(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # `make tables`
    TABLES_JSON.write_text(tables_json(), encoding="utf-8")
    RULES_JSON.write_text(rules_json(), encoding="utf-8")
    print(f"Wrote {TABLES_JSON} and {RULES_JSON}.")
