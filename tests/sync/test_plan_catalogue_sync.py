"""The plan's catalogue version, a row's criterion and the last-column variants through the
sync push and pull (issue 17, points 1 and 8): the same rules as REST, one mutation at a time."""

from __future__ import annotations

import uuid

import pytest

from server.extensions import db
from server.models import Plan, PlanItem
from server.services.catalogues import stable_id


def upsert(mutation_id, table, row_id, fields, base_version=None):
    return {
        "mutation_id": mutation_id,
        "table": table,
        "id": str(row_id),
        "op": "upsert",
        "base_version": base_version,
        "fields": fields,
    }


def results(response):
    assert response.status_code == 200, response.get_json()
    return response.json["results"]


@pytest.fixture
def unit(factory):
    return factory.unit()


@pytest.fixture
def manager(factory, unit):
    return factory.user(("manager", unit))


def plan_fields(unit, **fields):
    return {"unit_id": str(unit.id), "kind": "dk_tilbud", "title": "Opfølgningsplan", **fields}


def test_a_device_makes_a_plan_under_a_chosen_version_with_a_criterion_per_row(api, unit, manager):
    plan_id, item_id = uuid.uuid4(), uuid.uuid4()
    older = stable_id("dk_tilbud", "2014")
    theme = stable_id("dk_tilbud", "2014", "theme", 2)
    criterion = stable_id(theme, "criterion", 1)
    created, row = results(
        api(manager).push(
            [
                upsert(
                    1,
                    "plans",
                    plan_id,
                    plan_fields(unit, plan_date="2026-12-03", catalogue_id=str(older)),
                ),
                upsert(
                    2,
                    "plan_items",
                    item_id,
                    {
                        "plan_id": str(plan_id),
                        "theme_id": str(theme),
                        "criterion_id": str(criterion),
                        "topic": "Selvbestemmelse",
                    },
                ),
            ]
        )
    )
    assert created["status"] == "applied" and row["status"] == "applied", (created, row)
    assert db.session.get(Plan, plan_id).catalogue_id == older
    assert db.session.get(PlanItem, item_id).criterion_id == criterion


def test_a_device_that_sends_no_version_gets_the_one_in_force_on_the_inspection_date(
    api, unit, manager
):
    plan_id = uuid.uuid4()
    [created] = results(
        api(manager).push(
            [
                upsert(
                    1,
                    "plans",
                    plan_id,
                    plan_fields(unit, plan_date="2026-12-03", inspection_date="2021-03-22"),
                )
            ]
        )
    )
    assert created["status"] == "applied", created
    assert db.session.get(Plan, plan_id).catalogue_id == stable_id("dk_tilbud", "2014")


def test_refused_mutations_name_their_field_and_the_others_go_through(api, unit, manager):
    good, status, foreign = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    pleje = stable_id("dk_plejefamilie", "2014")
    answers = results(
        api(manager).push(
            [
                upsert(1, "plans", status, plan_fields(unit, result_label="status")),
                upsert(2, "plans", foreign, plan_fields(unit, catalogue_id=str(pleje))),
                upsert(3, "plans", good, plan_fields(unit)),
            ]
        )
    )
    assert [a["status"] for a in answers] == ["rejected", "rejected", "applied"]
    assert list(answers[0]["error"]["fields"]) == ["result_label"]
    assert list(answers[1]["error"]["fields"]) == ["catalogue_id"]
    assert db.session.get(Plan, status) is None and db.session.get(Plan, foreign) is None


def test_a_submitted_plans_version_is_not_changed_by_a_push(api, factory, unit, manager):
    plan = factory.plan(unit, state="submitted")
    other = stable_id("dk_tilbud", "2014")
    assert plan.catalogue_id != other
    [answer] = results(
        api(manager).push([upsert(1, "plans", plan.id, {"catalogue_id": str(other)}, plan.version)])
    )
    assert answer["status"] == "rejected" and list(answer["error"]["fields"]) == ["catalogue_id"]
    db.session.refresh(plan)
    assert plan.catalogue_id != other


def test_the_pull_carries_each_versions_source_and_a_rows_criterion(api, factory, unit, manager):
    plan = factory.plan(unit)
    theme = factory.theme(plan, 4)
    factory.item(plan, theme_id=theme.id, criterion_id=theme.criteria[2].id)
    changes, _ = api(manager).pull_all()
    catalogues = {
        c["fields"]["version_label"]: c["fields"]
        for c in changes
        if c["table"] == "catalogues" and c["fields"]["code"] == "dk_tilbud"
    }
    assert catalogues["2025"]["dates_source"] is None
    assert "L 200" in catalogues["2025"]["source"]
    [item] = [c for c in changes if c["table"] == "plan_items"]
    assert item["fields"]["criterion_id"] == str(theme.criteria[2].id)
