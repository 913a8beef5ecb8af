"""The follow-up levels of seed 003 through sync: written offline, pushed under the REST rules,
and scoped, so that a unit in a tematisk uppföljning never receives another unit's result."""

from __future__ import annotations

import uuid

import pytest

from server.extensions import db
from server.models import AssignmentFollowUp, FollowUpDeviation, OverallAssessment, ThematicResult
from server.services.quality import overall_assessment_id, thematic_result_id
from tests.helpers import login


@pytest.fixture
def org(factory):
    verksamhet = factory.unit(kind="se_verksamhet", name="Äldreomsorgen")
    east = factory.unit(kind="se_enhet", parent=verksamhet, name="Björkhagen")
    west = factory.unit(kind="se_enhet", parent=verksamhet, name="Solgläntan")
    return {
        "verksamhet": verksamhet,
        "east": east,
        "west": west,
        "chef": factory.user(("manager", verksamhet)),
        "anna": factory.user(("staff", east)),
        "bo": factory.user(("staff", east)),
        "west_staff": factory.user(("staff", west)),
    }


def statuses(report) -> list[str]:
    return [r["status"] for r in report.results]


def make_theme(client, org) -> str:
    response = client.post(
        "/api/quality/thematic-follow-ups",
        json={
            "unit_id": str(org["verksamhet"].id),
            "theme": "Barnkonventionen",
            "question": "Hur beaktas barnets bästa när beslut fattas?",
            "scope_unit_ids": [str(org["east"].id), str(org["west"].id)],
            "planned_on": "2026-05-01",
        },
        headers=login(client, org["chef"]),
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def test_each_unit_answers_a_theme_offline_and_receives_only_its_own_result(org, device, client):
    theme_id = make_theme(client, org)
    anna, west, chef = device(org["anna"]), device(org["west_staff"]), device(org["chef"])
    for tablet in (anna, west):
        tablet.sync()
        # The follow-up itself reaches every unit below the verksamhet (a definition).
        assert set(tablet.rows("thematic_follow_ups")) == {theme_id}
    theme = uuid.UUID(theme_id)
    east_id = str(thematic_result_id(theme, org["east"].id))
    west_id = str(thematic_result_id(theme, org["west"].id))
    anna.create(
        "thematic_results",
        {"follow_up_id": theme_id, "unit_id": str(org["east"].id), "outcome": "met"},
        row_id=east_id,
    )
    west.create(
        "thematic_results",
        {
            "follow_up_id": theme_id,
            "unit_id": str(org["west"].id),
            "outcome": "not_met",
            "result": "Barnets bästa dokumenteras inte.",
        },
        row_id=west_id,
    )
    assert statuses(anna.sync()) == ["applied"]
    assert statuses(west.sync()) == ["applied"]
    anna.sync()
    chef.sync()
    assert set(anna.rows("thematic_results")) == {east_id}
    assert set(west.rows("thematic_results")) == {west_id}
    assert set(chef.rows("thematic_results")) == {east_id, west_id}
    assert chef.rows("thematic_results")[west_id]["outcome"] == "not_met"


def test_a_result_for_another_unit_in_scope_is_rejected_alone(org, device, client):
    theme_id = make_theme(client, org)
    anna = device(org["anna"])
    anna.sync()
    theme = uuid.UUID(theme_id)
    anna.create(
        "thematic_results",
        {"follow_up_id": theme_id, "unit_id": str(org["west"].id), "outcome": "met"},
        row_id=str(thematic_result_id(theme, org["west"].id)),
    )
    anna.create(
        "thematic_results",
        {"follow_up_id": theme_id, "unit_id": str(org["east"].id), "outcome": "partly_met"},
        row_id=str(thematic_result_id(theme, org["east"].id)),
    )
    report = anna.sync()
    assert statuses(report) == ["rejected", "applied"]
    db.session.expire_all()
    assert [r.unit_id for r in db.session.query(ThematicResult)] == [org["east"].id]
    # What she typed is kept as a refused draft, not lost.
    assert anna.refused()[0]["fields"]["outcome"] == "met"


def test_two_tablets_answering_for_one_unit_meet_in_one_row(org, device, client):
    theme_id = make_theme(client, org)
    anna, bo = device(org["anna"]), device(org["bo"])
    anna.sync()
    bo.sync()
    row_id = str(thematic_result_id(uuid.UUID(theme_id), org["east"].id))
    fields = {"follow_up_id": theme_id, "unit_id": str(org["east"].id)}
    anna.create("thematic_results", {**fields, "outcome": "met"}, row_id=row_id)
    bo.create(
        "thematic_results", {**fields, "result": "Rutinen finns men är inte känd."}, row_id=row_id
    )
    anna.sync()
    bo.sync()
    anna.sync()
    db.session.expire_all()
    stored = db.session.query(ThematicResult).one()
    # Different fields: both kept, on one row (the merge rules of sync/merge.py).
    assert (stored.outcome, stored.result) == ("met", "Rutinen finns men är inte känd.")
    assert anna.rows("thematic_results")[row_id]["result"] == stored.result


def test_a_follow_up_and_its_deviation_made_offline_reach_the_server_and_the_enhet(org, device):
    chef, anna = device(org["chef"]), device(org["anna"])
    chef.sync()
    follow_up_id = chef.create(
        "assignment_follow_ups",
        {
            "unit_id": str(org["east"].id),
            "subject_kind": "contract",
            "subject": "Avtal om korttidsboende",
            "provider_kind": "private",
            "provider_name": "Vårdbolaget Norr AB",
            "requirements": "Sjuksköterska nåbar dygnet runt.",
            "method": "Stickprov i journaler",
            "planned_on": "2026-04-01",
            "done_on": "2026-04-03",
            "outcome": "not_met",
        },
    )
    deviation_id = chef.create(
        "follow_up_deviations",
        {
            "follow_up_id": follow_up_id,
            "description": "Sjuksköterska nåddes inte nattetid vid två tillfällen.",
            "action_required": "Bemanningsplan för natt",
        },
    )
    assert statuses(chef.sync()) == ["applied", "applied"]
    db.session.expire_all()
    assert db.session.get(FollowUpDeviation, uuid.UUID(deviation_id)).unit_id == org["east"].id
    assert db.session.get(AssignmentFollowUp, uuid.UUID(follow_up_id)).outcome == "not_met"
    anna.sync()
    assert set(anna.rows("assignment_follow_ups")) == {follow_up_id}
    assert anna.rows("follow_up_deviations")[deviation_id]["unit_id"] == str(org["east"].id)
    west = device(org["west_staff"])
    west.sync()
    assert west.rows("assignment_follow_ups") == {}
    assert west.rows("follow_up_deviations") == {}


def test_staff_cannot_write_a_follow_up_or_the_overall_assessment_through_sync(org, device):
    anna = device(org["anna"])
    anna.sync()
    anna.create(
        "assignment_follow_ups",
        {"unit_id": str(org["east"].id), "subject": "Uppdrag hemtjänst"},
    )
    anna.create(
        "overall_assessments",
        {"unit_id": str(org["verksamhet"].id), "year": 2026, "overall": "Bra"},
        row_id=str(overall_assessment_id(org["verksamhet"].id, 2026)),
    )
    assert statuses(anna.sync()) == ["rejected", "rejected"]
    db.session.expire_all()
    assert db.session.query(AssignmentFollowUp).count() == 0
    assert db.session.query(OverallAssessment).count() == 0


def test_the_overall_assessment_of_a_year_is_one_row_whichever_tablet_writes_first(org, device):
    chef, second = device(org["chef"]), device(org["chef"])
    chef.sync()
    second.sync()
    row_id = str(overall_assessment_id(org["verksamhet"].id, 2026))
    base = {"unit_id": str(org["verksamhet"].id), "year": 2026}
    chef.create("overall_assessments", {**base, "overall": "Godtagbar kvalitet."}, row_id=row_id)
    second.create(
        "overall_assessments", {**base, "thematic_level": "Måltider brister."}, row_id=row_id
    )
    assert statuses(chef.sync()) == ["applied"]
    second.sync()
    chef.sync()
    db.session.expire_all()
    stored = db.session.query(OverallAssessment).one()
    assert (stored.overall, stored.thematic_level) == ("Godtagbar kvalitet.", "Måltider brister.")
    assert chef.rows("overall_assessments")[row_id]["thematic_level"] == "Måltider brister."
    # Staff of an enhet do not receive the verksamhet's assessment.
    anna = device(org["anna"])
    anna.sync()
    assert anna.rows("overall_assessments") == {}
