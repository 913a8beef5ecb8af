"""Riskanalyser and egenkontroll through sync: a checklist run offline on a tablet, each point
answered, a deviation made a register entry and a handlingsplan item in the same push; scoped
by unit; two tablets answering one point meet in one row."""

from __future__ import annotations

import uuid

import pytest

from server.extensions import db
from server.models import ChecklistAnswer, ChecklistRun, PlanItem, QualityLink, RegisterEntry
from server.services.quality import checklist_answer_id
from tests.helpers import login


@pytest.fixture
def org(factory, client):
    verksamhet = factory.unit(kind="se_verksamhet", name="Stöd och omsorg")
    east = factory.unit(kind="se_enhet", parent=verksamhet, name="Gruppbostaden Björkvägen")
    west = factory.unit(kind="se_enhet", parent=verksamhet, name="Daglig verksamhet Lönnen")
    chef = factory.user(("manager", verksamhet))
    response = client.post(
        "/api/quality/checklists/defaults",
        json={"unit_id": str(verksamhet.id)},
        headers=login(client, chef),
    )
    assert response.json == {"checklists": 4}
    plan = factory.plan(east, kind="se_handlingsplan", title="Handlingsplan 2026")
    return {
        "verksamhet": verksamhet,
        "east": east,
        "west": west,
        "chef": chef,
        "plan": plan,
        "anna": factory.user(("staff", east)),
        "bo": factory.user(("staff", east)),
        "west_staff": factory.user(("staff", west)),
    }


def hygiene(tablet) -> tuple[str, dict]:
    return next(
        (i, c) for i, c in tablet.rows("checklists").items() if c["area"] == "basic_hygiene"
    )


def test_a_checklist_run_offline_reaches_the_server_with_its_deviation_as_entry_and_item(
    org, device
):
    anna = device(org["anna"])
    anna.sync()
    assert len(anna.rows("checklists")) == 4  # the verksamhet's, read from the enhet
    checklist_id, checklist = hygiene(anna)
    east = str(org["east"].id)
    run_id = anna.create(
        "checklist_runs",
        {"unit_id": east, "checklist_id": checklist_id, "run_on": "2026-04-02"},
    )
    first, second, *rest = checklist["points"]
    anna.create(
        "checklist_answers",
        {"run_id": run_id, "point_id": first["id"], "answer": "ok"},
        row_id=str(checklist_answer_id(uuid.UUID(run_id), uuid.UUID(first["id"]))),
    )
    deviation = str(checklist_answer_id(uuid.UUID(run_id), uuid.UUID(second["id"])))
    anna.create(
        "checklist_answers",
        {"run_id": run_id, "point_id": second["id"], "answer": "ok"},
        row_id=deviation,
    )
    # Changed, annotated, then recorded: the changes join the answer's create in the outbox,
    # which still comes before the entry that names it.
    anna.update(
        "checklist_answers",
        deviation,
        {"answer": "deviation", "note": "Handsprit saknades i två rum."},
    )
    entry_id = anna.create(
        "register_entries",
        {
            "unit_id": east,
            "entry_date": "2026-04-02",
            "kind": "deviation",
            "title": second["text"],
            "checklist_answer_id": deviation,
        },
    )
    item_id = anna.create(
        "plan_items",
        {
            "plan_id": str(org["plan"].id),
            "topic": second["text"],
            "state": "not_started",
            "priority": 1,
            "responsible": [],
            "ongoing": False,
        },
    )
    anna.create(
        "quality_links",
        {"plan_item_id": item_id, "source_table": "checklist_answers", "source_id": deviation},
    )
    anna.update("checklist_runs", run_id, {"state": "done", "summary": "En avvikelse."})
    report = anna.sync()
    assert {r["status"] for r in report.results} == {"applied"}, report.results

    db.session.expire_all()
    run = db.session.get(ChecklistRun, uuid.UUID(run_id))
    assert (run.state, run.summary) == ("done", "En avvikelse.")
    answer = db.session.get(ChecklistAnswer, uuid.UUID(deviation))
    assert (answer.point_text, answer.answer) == (second["text"], "deviation")
    entry = db.session.get(RegisterEntry, uuid.UUID(entry_id))
    assert (entry.kind, entry.checklist_answer_id) == ("deviation", uuid.UUID(deviation))
    link = db.session.query(QualityLink).filter_by(source_id=uuid.UUID(deviation)).one()
    assert link.plan_item_id == uuid.UUID(item_id)
    assert db.session.get(PlanItem, uuid.UUID(item_id)).topic == second["text"]
    # The server set the answer's unit and point text; the tablet hears them on its next pull.
    anna.sync()
    assert anna.get("checklist_answers", deviation)["unit_id"] == east

    # Another enhet's tablet receives nothing of it; the verksamhet's manager all of it.
    west = device(org["west_staff"])
    west.sync()
    assert west.rows("checklist_runs") == {} and west.rows("checklist_answers") == {}
    chef = device(org["chef"])
    chef.sync()
    assert set(chef.rows("checklist_answers")) == {
        deviation,
        str(checklist_answer_id(uuid.UUID(run_id), uuid.UUID(first["id"]))),
    }


def test_two_tablets_answering_one_point_meet_in_one_row(org, device):
    anna, bo = device(org["anna"]), device(org["bo"])
    anna.sync()
    checklist_id, checklist = hygiene(anna)
    run_id = anna.create(
        "checklist_runs",
        {"unit_id": str(org["east"].id), "checklist_id": checklist_id, "run_on": "2026-04-02"},
    )
    anna.sync()
    bo.sync()
    point = checklist["points"][0]["id"]
    cell = str(checklist_answer_id(uuid.UUID(run_id), uuid.UUID(point)))
    anna.create("checklist_answers", {"run_id": run_id, "point_id": point, "answer": "ok"}, cell)
    bo.create(
        "checklist_answers", {"run_id": run_id, "point_id": point, "answer": "deviation"}, cell
    )
    anna.sync()
    report = bo.push()
    assert report.results[0]["status"] == "conflict"
    db.session.expire_all()
    assert db.session.query(ChecklistAnswer).count() == 1
    assert db.session.get(ChecklistAnswer, uuid.UUID(cell)).answer == "ok"


def test_a_riskanalys_written_offline_reaches_the_server_and_a_bad_one_is_refused_alone(
    org, device
):
    anna = device(org["anna"])
    anna.sync()
    body = {
        "unit_id": str(org["east"].id),
        "analysed_on": "2026-03-10",
        "event": "Brukare går vilse vid utflykt.",
        "probability": 2,
        "consequence": 4,
        "measures": "Två personal per grupp; telefonlista.",
        "responsible": "Kontaktpersonerna",
        "due_date": "2026-05-01",
    }
    good = anna.create("risk_analyses", body)
    anna.create("risk_analyses", {**body, "probability": 7})
    report = anna.sync()
    assert [r["status"] for r in report.results] == ["applied", "rejected"]
    assert "probability" in report.results[1]["error"]["fields"]
    chef = device(org["chef"])
    chef.sync()
    assert set(chef.rows("risk_analyses")) == {good}
    west = device(org["west_staff"])
    west.sync()
    assert west.rows("risk_analyses") == {}


def test_staff_cannot_push_a_checklist(org, device):
    anna = device(org["anna"])
    anna.sync()
    checklist_id, _ = hygiene(anna)
    anna.update("checklists", checklist_id, {"name": "Annat namn"})
    anna.create(
        "checklists",
        {
            "unit_id": str(org["east"].id),
            "area": "other",
            "name": "Egen",
            "points": [{"id": str(uuid.uuid4()), "text": "En punkt"}],
        },
    )
    report = anna.sync()
    assert [r["status"] for r in report.results] == ["rejected", "rejected"]


def test_a_run_pushed_on_the_verksamhet_is_kept_as_a_draft_until_sent_for_an_enhet(org, device):
    """Seed 003: egenkontroll is carried out at nivå 3. A tablet that starts one on the
    verksamhet (an older build did) keeps it as a refused draft naming unit_id; resent for one of
    the enheter, it goes through."""
    chef = device(org["chef"])
    chef.sync()
    checklist_id, _ = hygiene(chef)
    run_id = chef.create(
        "checklist_runs",
        {
            "unit_id": str(org["verksamhet"].id),
            "checklist_id": checklist_id,
            "run_on": "2026-04-02",
        },
    )
    [result] = chef.sync().results
    assert result["status"] == "rejected"
    assert list(result["error"]["fields"]) == ["unit_id"]
    assert db.session.get(ChecklistRun, uuid.UUID(run_id)) is None
    [draft] = chef.refused()
    assert list(draft["reasons"]) == ["unit_id"]
    assert draft["fields"]["checklist_id"] == checklist_id

    chef.resend("checklist_runs", run_id, {"unit_id": str(org["east"].id)})
    [again] = chef.sync().results
    assert again["status"] == "applied"
    db.session.expire_all()
    assert db.session.get(ChecklistRun, uuid.UUID(run_id)).unit_id == org["east"].id
