"""Survey links still unanswered near their last day remind the manager who made them (issue
18, point 7): queued once per group and window, delivered to a real push receiver in the
manager's language, opening the unit's surveys; obsolete once every link is answered."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from server.extensions import db
from server.models.versioning import act_as
from server.push.survey_reminders import KIND, queue_survey_link_reminders
from tests.helpers import login
from tests.push.conftest import deliver, outbox, subscribe

pytestmark = pytest.mark.usefixtures("push_app")


@pytest.fixture
def org(factory, client):
    verksamhet = factory.unit(kind="se_verksamhet", name="Öppenvården")
    enhet = factory.unit(kind="se_enhet", parent=verksamhet, name="Familjestödet")
    chef = factory.user(("manager", verksamhet), language="sv")
    headers = login(client, chef)
    made = client.post(
        "/api/quality/defaults", json={"unit_id": str(verksamhet.id)}, headers=headers
    )
    assert made.status_code == 200
    return {"enhet": enhet, "chef": chef, "headers": headers}


def make_links(client, org, count, expires_on):
    body = {
        "unit_id": str(org["enhet"].id),
        "survey": "annual",
        "respondent": "staff",
        "count": count,
        "expires_on": expires_on.isoformat(),
    }
    made = client.post("/api/quality/survey-links", json=body, headers=org["headers"])
    assert made.status_code == 201, made.json
    return [link["token"] for link in made.json["links"]]


def answer(client, token):
    question = next(
        q["id"]
        for q in client.get("/api/public/surveys/" + token).json["questions"]
        if q["answer_type"] == "scale"
    )
    answered = client.post(f"/api/public/surveys/{token}", json={"answers": {question: 3}})
    assert answered.status_code == 201, answered.json


def survey_reminders():
    return [row for row in outbox() if row.kind == KIND]


def today():
    return datetime.now(ZoneInfo("Europe/Copenhagen")).date()


def test_unanswered_links_remind_their_manager_once_per_window(client, org, receiver, runner):
    device = subscribe(client, org["chef"], receiver)
    tokens = make_links(client, org, 3, today() + timedelta(days=1))
    make_links(client, org, 1, today() + timedelta(days=40))  # not due for a reminder yet
    answer(client, tokens[0])
    act_as(db.session, None, "cli")

    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Queued 1 new survey-link reminders." in result.output
    (row,) = survey_reminders()
    assert row.user_id == org["chef"].id and row.unit_id == org["enhet"].id
    assert row.params["unanswered"] == 2 and row.params["days"] == 1
    assert row.dedup_key.endswith(":1")  # the 1-day window
    assert receiver.errors() == []
    assert receiver.payloads(device) == [
        {
            "title": "Enkätlänkar är fortfarande obesvarade",
            "body": "2 länkar är obesvarade. Sista svarsdagen är om 1 dag.",
            "url": f"/#/quality/{org['enhet'].id}/surveys",
            "kind": KIND,
            "lang": "sv",
        }
    ]
    assert queue_survey_link_reminders(db.session, (7, 1)) == 0  # once


def test_a_reminder_is_obsolete_once_every_link_is_answered(client, org, receiver, push_app):
    subscribe(client, org["chef"], receiver)
    tokens = make_links(client, org, 2, today() + timedelta(days=5))
    act_as(db.session, None, "cli")
    assert queue_survey_link_reminders(db.session, (7, 1)) == 1
    db.session.commit()
    for token in tokens:
        answer(client, token)
    report = deliver(push_app)
    assert report.reasons == {"obsolete": 1}
    assert receiver.payloads() == []


def test_no_reminder_for_a_manager_who_no_longer_manages_the_unit(client, org, factory):
    make_links(client, org, 1, today() + timedelta(days=1))
    for membership in org["chef"].memberships:
        db.session.delete(membership)
    db.session.commit()
    act_as(db.session, None, "cli")
    assert queue_survey_link_reminders(db.session, (7, 1)) == 0
