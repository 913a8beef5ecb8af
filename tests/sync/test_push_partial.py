"""One bad field does not take the good ones with it (issue 20): an update of an existing row
applies the fields that pass and refuses the others by field, answered ``partial``. Creates
stay whole; a client of schema version 1 gets ``rejected`` as before. Both databases."""

from __future__ import annotations

import datetime
import uuid

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, Conflict, PlanItem
from tests.sync.test_push_api import reload, results, upsert

END_BEFORE_START = "The end date comes before the start date."


@pytest.fixture
def team(factory):
    unit = factory.unit()
    plan = factory.plan(unit)
    item = factory.item(
        plan, goal="Alle kender reglerne", start_date=datetime.date(2026, 3, 1), end_date=None
    )
    return {
        "unit": unit,
        "plan": plan,
        "item": item,
        "anna": factory.user(("staff", unit)),
        "bo": factory.user(("staff", unit)),
    }


def item_events(item_id):
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.table_name == "plan_items", AuditEvent.row_id == item_id)
        .order_by(AuditEvent.version)
    ).all()


def test_end_before_start_with_a_new_goal_stores_the_goal_and_refuses_the_end(team, api):
    item = team["item"]
    fields = {"goal": "Ny praksis", "start_date": "2026-05-01", "end_date": "2026-04-01"}
    base = {"goal": "Alle kender reglerne", "start_date": "2026-03-01", "end_date": None}
    [result] = results(api(team["anna"]).push([upsert(1, "plan_items", item.id, fields, 1, base)]))

    assert result["status"] == "partial"
    assert result["version"] == 2
    assert result["error"]["error"] == "invalid_input"
    # Both dates of the order gone wrong were sent: both are refused.
    assert result["error"]["fields"] == {
        "start_date": [END_BEFORE_START],
        "end_date": [END_BEFORE_START],
    }
    assert result["row"]["version"] == 2
    assert result["row"]["fields"]["goal"] == "Ny praksis"
    assert result["row"]["fields"]["start_date"] == "2026-03-01"
    assert "conflicts" not in result
    stored = reload(PlanItem, item.id)
    assert (stored.version, stored.goal, stored.start_date, stored.end_date) == (
        2,
        "Ny praksis",
        datetime.date(2026, 3, 1),
        None,
    )
    [*_, event] = item_events(item.id)
    assert event.version == 2 and set(event.changes) == {"goal"}


def test_an_end_alone_before_the_stored_start_is_refused_against_the_stored_row(team, api):
    item = team["item"]
    fields = {"end_date": "2026-02-01", "result": "Undervisning holdt"}
    [result] = results(api(team["anna"]).push([upsert(1, "plan_items", item.id, fields, 1)]))
    assert result["status"] == "partial"
    assert result["error"]["fields"] == {"end_date": [END_BEFORE_START]}
    stored = reload(PlanItem, item.id)
    assert (stored.result, stored.end_date) == ("Undervisning holdt", None)


def test_over_long_text_is_refused_beside_a_valid_field(team, api):
    item = team["item"]
    fields = {"activities": "x" * 10_001, "goal": "Kort og godt"}
    [result] = results(api(team["anna"]).push([upsert(1, "plan_items", item.id, fields, 1)]))
    assert result["status"] == "partial"
    assert list(result["error"]["fields"]) == ["activities"]
    assert reload(PlanItem, item.id).goal == "Kort og godt"
    assert reload(PlanItem, item.id).activities is None


def test_a_refusal_by_a_rule_that_reads_other_rows_is_partial_too(team, api):
    # The theme must be one of the plan's catalogue: the service checks it, not the schema.
    item = team["item"]
    fields = {"theme_id": str(uuid.uuid4()), "goal": "Ny praksis"}
    [result] = results(api(team["anna"]).push([upsert(1, "plan_items", item.id, fields, 1)]))
    assert result["status"] == "partial"
    assert list(result["error"]["fields"]) == ["theme_id"]
    stored = reload(PlanItem, item.id)
    assert (stored.version, stored.goal) == (2, "Ny praksis")


def test_a_partial_that_also_conflicts_says_both(team, api):
    item = team["item"]
    [first] = results(api(team["bo"]).push([upsert(1, "plan_items", item.id, {"goal": "Bo"}, 1)]))
    assert first["status"] == "applied"
    fields = {"goal": "Anna", "end_date": "2026-01-01", "result": "Godt"}
    base = {"goal": "Alle kender reglerne", "end_date": None, "result": None}
    [result] = results(api(team["anna"]).push([upsert(1, "plan_items", item.id, fields, 1, base)]))
    assert result["status"] == "partial"
    assert result["error"]["fields"] == {"end_date": [END_BEFORE_START]}
    assert [c["field"] for c in result["conflicts"]] == ["goal"]
    assert result["row"]["fields"]["goal"] == "Bo"
    assert result["row"]["fields"]["result"] == "Godt"
    assert db.session.scalars(select(Conflict).where(Conflict.row_id == item.id)).all()


def test_a_duplicate_of_a_partial_answers_it_again(team, api):
    anna = api(team["anna"])
    mutation = upsert(1, "plan_items", team["item"].id, {"goal": "Ny", "end_date": "2026-01-01"}, 1)
    [first] = results(anna.push([mutation]))
    [again] = results(anna.push([mutation]))
    assert first["status"] == "partial"
    assert again == {**first, "status": "duplicate", "original_status": "partial"}
    assert reload(PlanItem, team["item"].id).version == 2


def test_nothing_valid_left_is_rejected_as_before(team, api):
    item = team["item"]
    [result] = results(
        api(team["anna"]).push([upsert(1, "plan_items", item.id, {"end_date": "2026-01-01"}, 1)])
    )
    assert result["status"] == "rejected"
    assert result["error"]["fields"] == {"end_date": [END_BEFORE_START]}
    assert reload(PlanItem, item.id).version == 1


def test_a_create_with_one_bad_field_is_rejected_whole(team, api):
    new_id = uuid.uuid4()
    fields = {
        "plan_id": str(team["plan"].id),
        "goal": "Ny praksis",
        "start_date": "2026-05-01",
        "end_date": "2026-04-01",
    }
    [result] = results(api(team["anna"]).push([upsert(1, "plan_items", new_id, fields)]))
    assert result["status"] == "rejected"
    assert result["error"]["fields"] == {"end_date": [END_BEFORE_START]}
    assert reload(PlanItem, new_id) is None


def test_a_client_of_schema_version_1_gets_rejected_as_before(team, api):
    item = team["item"]
    fields = {"goal": "Ny praksis", "end_date": "2026-01-01"}
    response = api(team["anna"]).push(
        [upsert(1, "plan_items", item.id, fields, 1)], schema_version=1
    )
    [result] = results(response)
    assert result["status"] == "rejected"
    assert reload(PlanItem, item.id).goal == "Alle kender reglerne"


def test_a_forbidden_edit_stays_rejected_whole(factory, team, api):
    inspector = factory.user(("inspector", team["unit"]))
    fields = {"goal": "Ny praksis", "end_date": "2026-01-01"}
    [result] = results(api(inspector).push([upsert(1, "plan_items", team["item"].id, fields, 1)]))
    assert result["status"] == "rejected"
    assert result["error"]["error"] == "forbidden"


def test_a_partial_in_a_batch_does_not_disturb_the_next_mutation(team, api):
    item = team["item"]
    mutations = [
        upsert(1, "plan_items", item.id, {"goal": "Ny", "end_date": "2026-01-01"}, 1),
        upsert(2, "plan_items", item.id, {"result": "Godt"}, 2),
    ]
    first, second = results(api(team["anna"]).push(mutations))
    assert (first["status"], second["status"]) == ("partial", "applied")
    assert second["version"] == 3


def test_a_plans_inspection_date_after_the_stored_plan_date_is_refused_alone(factory, api):
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    plan = factory.plan(unit)  # plan_date 2026-01-15
    fields = {"inspection_date": "2026-02-01", "title": "Ny titel"}
    [result] = results(api(manager).push([upsert(1, "plans", plan.id, fields, plan.version)]))
    assert result["status"] == "partial"
    assert result["error"]["fields"] == {
        "inspection_date": ["The inspection cannot come after the plan date."]
    }
    assert result["row"]["fields"]["title"] == "Ny titel"
    assert result["row"]["fields"]["inspection_date"] is None


def test_a_finding_made_a_paabud_without_a_deadline_keeps_its_new_text(client, factory, api):
    from tests.server.visit_helpers import cast, post_finding, post_visit

    c = cast(client, factory)
    finding = post_finding(client, c, post_visit(client, c))
    fields = {"kind": "paabud", "text": "Ny tekst"}
    [result] = results(
        api(c.inspector).push([upsert(1, "findings", finding["id"], fields, finding["version"])])
    )
    assert result["status"] == "partial"
    assert result["error"]["fields"] == {"kind": ["A påbud needs a deadline (frist)."]}
    assert (result["row"]["fields"]["kind"], result["row"]["fields"]["text"]) == (
        "observation",
        "Ny tekst",
    )
