"""An answer given through a survey link reaches the tablets of the enhet by sync, as a typed-in
response does, and goes with its case when a tablet deletes the case."""

from __future__ import annotations

import pytest

from tests.helpers import login


@pytest.fixture
def org(factory, client):
    verksamhet = factory.unit(kind="se_verksamhet", name="Öppenvården")
    east = factory.unit(kind="se_enhet", parent=verksamhet, name="Familjestödet")
    west = factory.unit(kind="se_enhet", parent=verksamhet, name="Beroendeenheten")
    chef = factory.user(("manager", verksamhet))
    headers = login(client, chef)
    made = client.post(
        "/api/quality/defaults", json={"unit_id": str(verksamhet.id)}, headers=headers
    )
    assert made.status_code == 200
    return {
        "east": east,
        "chef": headers,
        "anna": factory.user(("staff", east)),
        "west_staff": factory.user(("staff", west)),
    }


def test_a_link_answer_reaches_the_enhets_tablets_and_goes_with_its_case(client, org, device):
    anna = device(org["anna"])
    anna.sync()
    case_id = anna.create(
        "case_records",
        {
            "unit_id": str(org["east"].id),
            "case_code": "FS-21",
            "intervention": "Samtal",
            "started_on": "2026-01-10",
            "ended_on": "2026-04-01",
        },
    )
    anna.sync()
    body = {
        "unit_id": str(org["east"].id),
        "survey": "end_of_intervention",
        "respondent": "client",
        "case_record_id": case_id,
    }
    made = client.post("/api/quality/survey-links", json=body, headers=org["chef"])
    assert made.status_code == 201, made.json
    token = made.json["links"][0]["token"]
    scale_id = next(
        question_id
        for question_id, q in anna.rows("survey_questions").items()
        if q["survey"] == "end_of_intervention" and q["answer_type"] == "scale"
    )
    answered = client.post(f"/api/public/surveys/{token}", json={"answers": {scale_id: 5}})
    assert answered.status_code == 201, answered.json

    anna.sync()
    (response,) = anna.rows("survey_responses").values()
    assert response["case_record_id"] == case_id and response["answers"] == {scale_id: 5}
    assert response["respondent"] == "client"
    west = device(org["west_staff"])
    west.sync()
    assert west.rows("survey_responses") == {}  # another enhet's answer is not theirs

    anna.delete("case_records", case_id)
    assert [r["status"] for r in anna.sync().results] == ["applied"]
    assert anna.rows("survey_responses") == {}
