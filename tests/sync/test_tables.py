"""The table registry (server/services/tables.py) is the one description of the synced tables:
what clients read of it (sync/tables.json, sync/protocol.py) is held equal to it here."""

from __future__ import annotations

import json

from server.extensions import db
from server.models.base import SyncedMixin
from server.services import quality
from server.services.tables import TABLES, TABLES_JSON, WRITABLE, tables_json
from sync import protocol
from tests.helpers import login


def test_the_generated_description_is_current():
    assert TABLES_JSON.read_text(encoding="utf-8") == tables_json(), (
        "sync/tables.json is out of date: run `make tables` and commit it"
    )


def test_the_protocol_vocabulary_is_the_registrys():
    assert tuple(TABLES) == protocol.TABLES
    assert {n for n, t in TABLES.items() if t.read_only} == protocol.READ_ONLY_TABLES
    assert {n for n, t in TABLES.items() if t.definitions} == protocol.DEFINITION_TABLES
    assert tuple(quality.TABLES) == protocol.QUALITY_TABLES
    assert {n: t.unit_column for n, t in TABLES.items() if t.unit_column} == protocol.UNIT_COLUMN
    assert {
        n: t.client_fields for n, t in TABLES.items() if not t.read_only
    } == protocol.CLIENT_FIELDS


def test_every_synced_model_has_its_entry():
    synced = {
        mapper.class_.sync_table
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, SyncedMixin)
    }
    assert synced == set(TABLES)


def test_the_first_tables_keep_their_order():
    # A rescan position in a device's cursor indexes this order: tables are only appended.
    assert tuple(TABLES)[:13] == (
        "units",
        "catalogues",
        "themes",
        "criteria",
        "plans",
        "plan_items",
        "progress_notes",
        "conflicts",
        "visits",
        "findings",
        "visit_photos",
        "deadline_extensions",
        "item_comments",
    )


def test_server_fields_are_the_synced_fields_a_write_schema_does_not_load():
    plans = TABLES["plans"]
    # The catalogue version: chosen when the plan is made (else defaulted from its dates).
    assert "catalogue_id" in plans.client_fields
    assert "state" in plans.server_fields and "title" in plans.client_fields
    assert set(TABLES["plan_items"].server_fields) == {"unit_id", "legal_deadline"}
    assert set(TABLES["conflicts"].client_fields) == {"status", "resolution", "resolved_value"}
    for table in WRITABLE.values():
        assert set(table.client_fields) | set(table.server_fields) == set(table.model.sync_fields)
        assert not set(table.immutable) - set(table.model.sync_fields)


def test_a_client_field_the_server_refuses_is_named_set_by_the_server(client, factory):
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    plan = factory.plan(unit)
    headers = login(client, manager)
    response = client.post(
        "/api/sync/push",
        json={
            "client_id": "tablet",
            "schema_version": protocol.SCHEMA_VERSION,
            "mutations": [
                {
                    "mutation_id": 1,
                    "table": "plans",
                    "id": str(plan.id),
                    "op": "upsert",
                    "base_version": plan.version,
                    "fields": {"approved_by": str(manager.id), "title": "Ny titel"},
                }
            ],
        },
        headers=headers,
    )
    [result] = response.get_json()["results"]
    assert result["status"] == "rejected"
    assert result["error"]["fields"] == {"approved_by": ["Set by the server."]}


def test_the_description_is_json_clients_can_read():
    described = json.loads(tables_json())
    names = [t["name"] for t in described["tables"]]
    assert names == list(TABLES)
    item = next(t for t in described["tables"] if t["name"] == "plan_items")
    assert item["updatable"] and item["deletable"] and not item["read_only"]
    note = next(t for t in described["tables"] if t["name"] == "progress_notes")
    assert not note["updatable"] and not note["deletable"]
