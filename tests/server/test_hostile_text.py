"""Characters a document or a database cannot hold (issue 22, findings 3 and 6b), on both
databases: every way text enters refuses them with the field named, and nothing is stored;
rows stored before the refusal existed still export."""

from __future__ import annotations

import io
import uuid

import pytest
from docx import Document
from sqlalchemy import func, select

from server.extensions import db
from server.models import Finding, Plan, PlanItem, SyncClient, Visit
from sync.protocol import SCHEMA_VERSION
from tests.helpers import assert_error, login
from tests.server.test_quality_report import year_of_work  # noqa: F401  (a fixture)
from tests.server.visit_helpers import cast, post_finding, post_visit

# A control character, a vertical tab, an escape, a non-character, a lone surrogate, NUL.
BAD_TEXTS = ["a\x01b", "a\x0bb", "a\x1bb", "a\ufffeb", "a\ud800b", "a\x00b"]


@pytest.fixture
def unit(factory):
    return factory.unit(name="Bofællesskabet Lærkevej")


@pytest.fixture
def manager(factory, unit):
    return factory.user(("manager", unit))


@pytest.mark.parametrize("bad", BAD_TEXTS, ids=repr)
def test_a_plan_title_that_is_not_xml_text_is_refused_and_not_stored(client, manager, unit, bad):
    body = {"unit_id": str(unit.id), "kind": "dk_tilbud", "title": bad}
    response = client.post("/api/plans", json=body, headers=login(client, manager))
    assert_error(response, 422, "invalid_input", "title")
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 0


@pytest.mark.parametrize("bad", BAD_TEXTS, ids=repr)
def test_an_item_text_that_is_not_xml_text_is_refused(client, factory, manager, unit, bad):
    plan = factory.plan(unit)
    response = client.post(
        f"/api/plans/{plan.id}/items",
        json={"priority": 1, "goal": bad},
        headers=login(client, manager),
    )
    assert_error(response, 422, "invalid_input", "goal")
    assert db.session.scalar(select(func.count()).select_from(PlanItem)) == 0


def test_a_password_with_a_lone_surrogate_is_refused_not_a_500(client, manager):
    response = client.post(
        "/api/auth/login", json={"email": manager.email, "password": "pass\ud800word"}
    )
    assert_error(response, 422, "invalid_input", "password")


@pytest.mark.parametrize("bad", ["tablet\x00", "tablet\ud800"], ids=repr)
def test_a_sync_client_id_with_nul_or_a_lone_surrogate_is_refused(client, manager, bad):
    headers = login(client, manager)
    push = {"client_id": bad, "schema_version": SCHEMA_VERSION, "mutations": []}
    assert_error(
        client.post("/api/sync/push", json=push, headers=headers), 422, "invalid_input", "client_id"
    )
    pull = {"cursor": None, "schema_version": SCHEMA_VERSION, "client_id": bad}
    assert_error(
        client.post("/api/sync/pull", json=pull, headers=headers), 422, "invalid_input", "client_id"
    )
    assert db.session.scalar(select(func.count()).select_from(SyncClient)) == 0


def test_a_lone_surrogate_in_one_pushed_row_rejects_that_row_alone(client, factory, manager, unit):
    plan = factory.plan(unit)
    good, bad = uuid.uuid4(), uuid.uuid4()

    def item(mutation_id, row_id, fields):
        return {
            "mutation_id": mutation_id,
            "table": "plan_items",
            "id": str(row_id),
            "op": "upsert",
            "fields": {"plan_id": str(plan.id), "priority": mutation_id, **fields},
        }

    body = {
        "client_id": "tablet-1",
        "schema_version": SCHEMA_VERSION,
        "mutations": [
            item(1, bad, {"topic": "Magt\ud800anvendelse"}),
            item(2, uuid.uuid4(), {"goal": "ok", "\ud800": "an unknown field"}),
            item(3, good, {"topic": "Magtanvendelse"}),
        ],
    }
    response = client.post("/api/sync/push", json=body, headers=login(client, manager))
    assert response.status_code == 200, response.json
    first, second, third = response.json["results"]
    assert first["status"] == "rejected" and "topic" in first["error"]["fields"]
    assert second["status"] == "rejected"
    assert third["status"] == "applied"
    assert db.session.get(PlanItem, bad) is None
    assert db.session.get(PlanItem, good).topic == "Magtanvendelse"
    # The batch's results were stored: a retry is answered as duplicates, not a 500.
    again = client.post("/api/sync/push", json=body, headers=login(client, manager))
    assert [r["status"] for r in again.json["results"]] == ["duplicate"] * 3


# ---- rows stored before the refusal still make documents ----------------------------------

STORED = "Magt\x01anven\x0bdelse\x1b\ufffe"
STRIPPED = "Magtanvendelse"


def test_a_plan_holding_control_characters_still_exports_without_them(
    client, factory, manager, unit
):
    plan = factory.plan(unit, title="Plan\x01 2026")
    factory.item(plan, topic=STORED, goal="Alle\x1b kender reglerne")
    response = client.get(f"/api/plans/{plan.id}/export.docx", headers=login(client, manager))
    assert response.status_code == 200, response.json
    document = Document(io.BytesIO(response.data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any(STRIPPED in cell for cell in cells)
    assert any("Alle kender reglerne" in cell for cell in cells)
    assert document.core_properties.title == "Plan 2026"
    assert db.session.get(PlanItem, plan.items[0].id).topic == STORED  # stored data untouched


def test_a_visit_holding_control_characters_still_makes_its_report(client, factory):
    c = cast(client, factory)
    visit = post_visit(client, c, notes="Noter")
    finding = post_finding(client, c, visit, text="Trives godt")
    db.session.get(Visit, uuid.UUID(visit["id"])).notes = "Noter\x01 fra\x0b besøget"
    db.session.get(Finding, uuid.UUID(finding["id"])).text = STORED
    db.session.commit()
    response = client.get(
        f"/api/visits/{visit['id']}/report.docx?lang=da", headers=c.headers["inspector"]
    )
    assert response.status_code == 200, response.json
    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Noter fra besøget" in text
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert STRIPPED in cells


@pytest.mark.parametrize("report_format", ["docx", "html"])
def test_the_quality_report_of_a_unit_with_control_characters_is_still_made(
    client,
    year_of_work,  # noqa: F811  (the fixture imported above)
    report_format,
):
    item = db.session.scalars(select(PlanItem).where(PlanItem.state == "done")).one()
    item.topic = STORED
    db.session.commit()
    unit = year_of_work["east"]
    response = client.get(
        f"/api/quality/report?unit_id={unit.id}&year=2026&format={report_format}",
        headers=year_of_work["chef"],
    )
    assert response.status_code == 200, response.json
    if report_format == "docx":
        document = Document(io.BytesIO(response.data))
        cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
        assert STRIPPED in cells
    else:
        assert STRIPPED in response.get_data(as_text=True)
        assert "\x01" not in response.get_data(as_text=True)
