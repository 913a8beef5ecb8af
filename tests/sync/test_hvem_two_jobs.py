"""HVEM?'s two jobs on a row (issue 17, seed 001): who carries it out (``responsible``) and who
follows it up (``follow_up_responsible``), through REST and through sync."""

from __future__ import annotations

import uuid

import pytest

from server.extensions import db
from server.models import PlanItem
from tests.helpers import assert_error, login
from tests.sync.test_push_api import reload, results, upsert


@pytest.fixture
def team(factory):
    unit = factory.unit()
    plan = factory.plan(unit)
    return {
        "unit": unit,
        "plan": plan,
        "item": factory.item(plan),
        "manager": factory.user(("manager", unit)),
        "anna": factory.user(("staff", unit)),
        "bo": factory.user(("staff", unit)),
    }


def test_rest_keeps_who_carries_out_and_who_follows_up_apart(client, team):
    headers = login(client, team["anna"])
    body = {
        "topic": "Magtanvendelse",
        "responsible": [{"user_id": str(team["anna"].id)}, {"name": "Vikar"}],
        "follow_up_responsible": [{"user_id": str(team["manager"].id)}],
    }

    created = client.post(f"/api/plans/{team['plan'].id}/items", json=body, headers=headers)

    assert created.status_code == 201, created.json
    assert created.json["responsible"] == [{"user_id": str(team["anna"].id)}, {"name": "Vikar"}]
    assert created.json["follow_up_responsible"] == [{"user_id": str(team["manager"].id)}]
    item = db.session.get(PlanItem, uuid.UUID(created.json["id"]))
    assert item.responsible == [{"user_id": str(team["anna"].id)}, {"name": "Vikar"}]
    assert item.follow_up_responsible == [{"user_id": str(team["manager"].id)}]
    # A row that names no one for following up holds an empty list, not the other job's people.
    other = client.post(
        f"/api/plans/{team['plan'].id}/items",
        json={"responsible": [{"name": "Vikar"}]},
        headers=headers,
    )
    assert other.json["follow_up_responsible"] == []


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ({"user_id": "outsider"}, "Responsible users must be members of the plan's unit."),
        ({"name": "A", "user_id": str(uuid.uuid4())}, None),
        ({}, None),
    ],
    ids=["outsider", "both", "neither"],
)
def test_a_bad_follow_up_entry_is_refused_at_its_own_field(client, factory, team, entry, why):
    if entry.get("user_id") == "outsider":
        entry = {"user_id": str(factory.user(("staff", factory.unit())).id)}
    headers = login(client, team["anna"])

    response = client.patch(
        f"/api/items/{team['item'].id}",
        json={"follow_up_responsible": [entry]},
        headers=headers,
    )

    assert_error(response, 422, "invalid_input", field="follow_up_responsible")
    if why:
        assert response.json["fields"]["follow_up_responsible"] == [why]
    assert reload(PlanItem, team["item"].id).follow_up_responsible == []


def test_sync_carries_both_jobs_and_edits_of_each_merge(team, api):
    item = team["item"]
    anna, bo = api(team["anna"]), api(team["bo"])
    carrying_out = [{"user_id": str(team["anna"].id)}]
    following_up = [{"user_id": str(team["manager"].id)}, {"name": "Socialrådgiver"}]

    [first] = results(
        anna.push([upsert(1, "plan_items", item.id, {"responsible": carrying_out}, 1)])
    )
    [second] = results(
        bo.push([upsert(1, "plan_items", item.id, {"follow_up_responsible": following_up}, 1)])
    )

    assert first["status"] == "applied"
    # Two people changed the two jobs from the same version: no conflict, both kept.
    assert second["status"] == "merged"
    stored = reload(PlanItem, item.id)
    assert (stored.responsible, stored.follow_up_responsible) == (carrying_out, following_up)
    changes, _ = anna.pull_all()
    [pulled] = [c for c in changes if c["table"] == "plan_items" and c["id"] == str(item.id)]
    assert pulled["fields"]["responsible"] == carrying_out
    assert pulled["fields"]["follow_up_responsible"] == following_up


def test_sync_refuses_a_follow_up_user_from_another_unit(factory, team, api):
    outsider = factory.user(("staff", factory.unit()))
    fields = {"follow_up_responsible": [{"user_id": str(outsider.id)}]}

    [result] = results(
        api(team["anna"]).push([upsert(1, "plan_items", team["item"].id, fields, 1)])
    )

    assert result["status"] == "rejected"
    assert list(result["error"]["fields"]) == ["follow_up_responsible"]
    assert reload(PlanItem, team["item"].id).follow_up_responsible == []


def test_a_new_row_naming_both_jobs_by_sync_is_stored_with_both(team, api):
    item_id = uuid.uuid4()
    fields = {
        "plan_id": str(team["plan"].id),
        "priority": 2,
        "follow_up_responsible": [{"name": "Tilsynets kontaktperson"}],
    }

    [created] = results(api(team["anna"]).push([upsert(1, "plan_items", item_id, fields)]))

    assert created["status"] == "applied"
    stored = reload(PlanItem, item_id)
    assert (stored.responsible, stored.follow_up_responsible) == (
        [],
        [{"name": "Tilsynets kontaktperson"}],
    )
