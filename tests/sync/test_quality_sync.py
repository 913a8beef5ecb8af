"""The quality follow-up through sync: entered offline on a tablet, pushed, merged, scoped."""

from __future__ import annotations

import uuid

import pytest

from server.extensions import db
from server.models import (
    AnnualTask,
    CaseRecord,
    Conflict,
    MeasureValue,
    QualityMeasure,
    RegisterEntry,
    SurveyResponse,
)
from server.services.quality import measure_value_id
from tests.helpers import login


@pytest.fixture
def org(factory, client):
    verksamhet = factory.unit(kind="se_verksamhet", name="Öppenvården")
    east = factory.unit(kind="se_enhet", parent=verksamhet, name="Familjestödet")
    west = factory.unit(kind="se_enhet", parent=verksamhet, name="Beroendeenheten")
    chef = factory.user(("manager", verksamhet))
    response = client.post(
        "/api/quality/defaults", json={"unit_id": str(verksamhet.id)}, headers=login(client, chef)
    )
    assert response.status_code == 200
    return {
        "verksamhet": verksamhet,
        "east": east,
        "west": west,
        "chef": chef,
        "anna": factory.user(("staff", east)),
        "bo": factory.user(("staff", east)),
        "west_staff": factory.user(("staff", west)),
    }


def measure(name: str) -> QualityMeasure:
    return db.session.query(QualityMeasure).filter_by(name=name).one()


COUNT = "Antal genomförandeplaner som avslutats enligt plan"


def test_staff_of_an_enhet_receive_the_verksamhets_definitions_but_not_other_enheters_rows(
    org, device
):
    anna = device(org["anna"])
    anna.sync()
    assert len(anna.rows("quality_areas")) == 6
    assert len(anna.rows("quality_measures")) == 8
    assert len(anna.rows("survey_questions")) == 9
    west = device(org["west_staff"])
    west.create(
        "case_records",
        {
            "unit_id": str(org["west"].id),
            "case_code": "BE-1",
            "intervention": "Samtal",
            "started_on": "2026-02-01",
        },
    )
    west.sync()
    anna.sync()
    assert anna.rows("case_records") == {}


def test_values_cases_and_answers_entered_offline_reach_the_server(org, device):
    anna = device(org["anna"])
    anna.sync()
    count = measure(COUNT)
    cell = str(measure_value_id(count.id, org["east"].id, "2026-T1"))
    anna.create(
        "measure_values",
        {
            "measure_id": str(count.id),
            "unit_id": str(org["east"].id),
            "period": "2026-T1",
            "value": 4,
        },
        row_id=cell,
    )
    case_id = anna.create(
        "case_records",
        {
            "unit_id": str(org["east"].id),
            "case_code": "FS-2026-1",
            "intervention": "Föräldrastöd",
            "needs": ["Föräldraskap"],
            "started_on": "2026-01-10",
            "ended_on": "2026-04-01",
            "end_reason": "planned",
            "needs_met": "yes",
            "situation_after": "improved",
        },
    )
    scale_id = next(
        question_id
        for question_id, q in anna.rows("survey_questions").items()
        if q["survey"] == "end_of_intervention" and q["answer_type"] == "scale"
    )
    anna.create(
        "survey_responses",
        {
            "unit_id": str(org["east"].id),
            "survey": "end_of_intervention",
            "case_record_id": case_id,
            "respondent": "client",
            "answered_on": "2026-04-01",
            "answers": {scale_id: 5},
        },
    )
    report = anna.sync()
    assert [r["status"] for r in report.results] == ["applied", "applied", "applied"]
    db.session.expire_all()
    assert db.session.get(MeasureValue, uuid.UUID(cell)).value == 4
    assert db.session.get(CaseRecord, uuid.UUID(case_id)).needs == ["Föräldraskap"]
    assert db.session.query(SurveyResponse).one().answers == {scale_id: 5}
    assert anna.pending_count() == 0


def test_a_case_deleted_on_one_tablet_takes_its_answers_off_the_other(org, device):
    anna, bo = device(org["anna"]), device(org["bo"])
    anna.sync()
    case_id = anna.create(
        "case_records",
        {
            "unit_id": str(org["east"].id),
            "case_code": "FS-9",
            "intervention": "Samtal",
            "started_on": "2026-01-10",
            "ended_on": "2026-04-01",
        },
    )
    scale_id = next(
        question_id
        for question_id, q in anna.rows("survey_questions").items()
        if q["survey"] == "end_of_intervention" and q["answer_type"] == "scale"
    )
    answer = {
        "unit_id": str(org["east"].id),
        "survey": "end_of_intervention",
        "respondent": "client",
        "answered_on": "2026-04-01",
        "answers": {scale_id: 2},
    }
    answered = anna.create("survey_responses", {**answer, "case_record_id": case_id})
    unnamed = anna.create("survey_responses", answer)
    anna.sync()
    bo.sync()
    assert set(bo.rows("survey_responses")) == {answered, unnamed}

    bo.delete("case_records", case_id)
    assert [r["status"] for r in bo.sync().results] == ["applied"]
    anna.sync()

    for tablet in (anna, bo):
        assert tablet.rows("case_records") == {}
        assert set(tablet.rows("survey_responses")) == {unnamed}
    db.session.expire_all()
    assert db.session.get(SurveyResponse, uuid.UUID(answered)).deleted is True


def test_two_tablets_entering_the_same_cell_meet_in_one_row_and_a_conflict(org, device):
    anna, bo = device(org["anna"]), device(org["bo"])
    anna.sync()
    bo.sync()
    count = measure(COUNT)
    cell = str(measure_value_id(count.id, org["east"].id, "2026-T2"))
    fields = {"measure_id": str(count.id), "unit_id": str(org["east"].id), "period": "2026-T2"}
    anna.create("measure_values", {**fields, "value": 6}, row_id=cell)
    bo.create("measure_values", {**fields, "value": 7}, row_id=cell)
    anna.sync()
    # Bo's tablet pushes its offline entry before it has heard of Anna's (base_version null).
    report = bo.push()
    assert report.results[0]["status"] == "conflict"
    db.session.expire_all()
    assert db.session.query(MeasureValue).count() == 1
    assert db.session.get(MeasureValue, uuid.UUID(cell)).value == 6  # the server value stays
    conflict = db.session.query(Conflict).one()
    assert (conflict.table_name, conflict.field, conflict.client_value) == (
        "measure_values",
        "value",
        7,
    )


def test_a_case_with_a_personnummer_is_rejected_alone_and_the_rest_applied(org, device):
    anna = device(org["anna"])
    anna.sync()
    anna.create(
        "case_records",
        {
            "unit_id": str(org["east"].id),
            "case_code": "850709-1234",
            "intervention": "Samtal",
            "started_on": "2026-01-10",
        },
    )
    anna.create(
        "register_entries",
        {
            "unit_id": str(org["east"].id),
            "entry_date": "2026-02-03",
            "kind": "deviation",
            "title": "Läkemedel gavs sent",
        },
    )
    report = anna.sync()
    statuses = [r["status"] for r in report.results]
    assert statuses == ["rejected", "applied"]
    assert "case_code" in report.results[0]["error"]["fields"]
    assert "850709" not in str(report.results[0]["error"])
    db.session.expire_all()
    assert db.session.query(CaseRecord).count() == 0
    assert anna.rows("case_records") == {}  # the refused create is forgotten on the device


def test_staff_cannot_push_definitions_and_a_value_id_must_be_the_cells(org, device):
    anna = device(org["anna"])
    anna.sync()
    count = measure(COUNT)
    anna.update("quality_measures", str(count.id), {"name": "Annat namn"})
    anna.create(
        "measure_values",
        {"measure_id": str(count.id), "unit_id": str(org["east"].id), "period": "2026", "value": 1},
        row_id=str(uuid.uuid4()),
    )
    report = anna.sync()
    assert [r["status"] for r in report.results] == ["rejected", "rejected"]
    assert report.results[0]["error"]["error"] in ("forbidden", "not_found")
    assert "id" in report.results[1]["error"]["fields"]
    db.session.expire_all()
    assert measure(COUNT).version == 1


def test_a_manager_edits_definitions_offline_and_staff_receive_them(org, device):
    chef, anna = device(org["chef"]), device(org["anna"])
    chef.sync()
    anna.sync()
    count = measure(COUNT)
    chef.update("quality_measures", str(count.id), {"description": "Räknas per tertial."})
    assert chef.sync().results[0]["status"] == "applied"
    anna.sync()
    assert anna.get("quality_measures", str(count.id))["description"] == "Räknas per tertial."


def test_staff_receive_the_verksamhets_arshjul_and_tick_their_task_offline(org, device, client):
    chef = login(client, org["chef"])
    body = {"unit_id": str(org["verksamhet"].id), "year": 2027}
    tasks = client.post("/api/quality/annual-cycle", json=body, headers=chef).json
    mine, theirs = tasks[0]["id"], tasks[1]["id"]
    named = client.patch(
        f"/api/quality/annual-tasks/{mine}",
        json={"owner_user_id": str(org["anna"].id)},
        headers=chef,
    )
    assert named.status_code == 200, named.json

    anna = device(org["anna"])
    anna.sync()
    assert set(anna.rows("annual_tasks")) == {t["id"] for t in tasks}
    anna.update("annual_tasks", mine, {"state": "done", "done_on": "2027-02-20"})
    anna.update("annual_tasks", theirs, {"state": "done", "done_on": "2027-02-20"})
    report = anna.sync()
    assert sorted(r["status"] for r in report.results) == ["applied", "rejected"]
    db.session.expire_all()
    assert db.session.get(AnnualTask, uuid.UUID(mine)).state == "done"
    assert db.session.get(AnnualTask, uuid.UUID(theirs)).state == "open"
    # The other enhet's staff see it ticked.
    west = device(org["west_staff"])
    west.sync()
    assert west.get("annual_tasks", mine)["state"] == "done"


def test_an_enhetschef_adds_a_local_measure_offline_and_only_that_enhet_receives_it(
    org, device, factory
):
    enhetschef = device(factory.user(("manager", org["east"])))
    enhetschef.sync()
    measure_id = enhetschef.create(
        "quality_measures",
        {
            "unit_id": str(org["east"].id),
            "name": "Överlämningar med gemensamt möte",
            "kind": "process",
            "level": 3,
            "aggregation": "sum",
            "unit_of_measure": "antal",
            "active": True,
        },
    )
    assert [r["status"] for r in enhetschef.sync().results] == ["applied"]
    anna, west = device(org["anna"]), device(org["west_staff"])
    anna.sync()
    west.sync()
    assert anna.get("quality_measures", measure_id)["unit_id"] == str(org["east"].id)
    assert measure_id not in west.rows("quality_measures")
    cell = str(measure_value_id(uuid.UUID(measure_id), org["east"].id, "2026-T1"))
    anna.create(
        "measure_values",
        {"measure_id": measure_id, "unit_id": str(org["east"].id), "period": "2026-T1", "value": 2},
        row_id=cell,
    )
    # A nivå 2 measure on an enhet is refused, offline as online.
    enhetschef.create(
        "quality_measures",
        {"unit_id": str(org["east"].id), "name": "Fel nivå", "kind": "result", "level": 2},
    )
    assert [r["status"] for r in anna.sync().results] == ["applied"]
    assert [r["status"] for r in enhetschef.sync().results] == ["rejected"]
    db.session.expire_all()
    assert db.session.get(MeasureValue, uuid.UUID(cell)).value == 2


def test_a_vardavvikelse_and_a_tillsynsrapport_with_its_authority_sync(org, device):
    anna = device(org["anna"])
    anna.sync()
    for kind, source in (("care_deviation", None), ("inspection_report", "arbetsmiljoverket")):
        anna.create(
            "register_entries",
            {
                "unit_id": str(org["east"].id),
                "entry_date": "2026-02-03",
                "kind": kind,
                "title": f"Registrerat: {kind}",
                "source": source,
            },
        )
    anna.create(
        "register_entries",
        {
            "unit_id": str(org["east"].id),
            "entry_date": "2026-02-03",
            "kind": "inspection_report",
            "title": "Fel källa",
            "source": "kkik",
        },
    )
    report = anna.sync()
    assert [r["status"] for r in report.results] == ["applied", "applied", "rejected"]
    assert "source" in report.results[2]["error"]["fields"]
    db.session.expire_all()
    stored = {e.kind: e.source for e in db.session.query(RegisterEntry)}
    assert stored == {"care_deviation": None, "inspection_report": "arbetsmiljoverket"}


def test_a_manager_sets_a_cost_per_unit_offline_and_it_reaches_the_server(org, device):
    """Issue 18, point 5: the economic key figure of a measure, written on a device."""
    chef = device(org["chef"])
    chef.sync()
    places = measure("Antal platser")
    chef.update(
        "quality_measures",
        str(places.id),
        {"cost_label": "kr per plats och år", "costs": {"2026": 650000.0}},
    )
    report = chef.sync()
    db.session.expire_all()
    stored = measure("Antal platser")
    assert (stored.costs, stored.cost_label) == ({"2026": 650000.0}, "kr per plats och år"), report
    # A share has no unit to put a price on: refused, and the rest of the row is untouched.
    share = measure("Andel genomförandeplaner som avslutats enligt plan")
    chef.update("quality_measures", str(share.id), {"costs": {"2026": 10.0}})
    chef.sync()
    db.session.expire_all()
    assert measure("Andel genomförandeplaner som avslutats enligt plan").costs == {}
