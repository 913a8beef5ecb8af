"""Riskanalyser and egenkontroll with checklists over REST (issue 18, point 3; SOSFS 2011:9,
5 kap): a riskanalys with its probability, consequence, measures, who, when and follow-up,
linked to handlingsplan items; seed 003's default checklists; a checklist run, each point
answered, a deviation becoming a register entry and a handlingsplan item; access by role and
unit."""

from __future__ import annotations

import datetime
import uuid

import pytest

from server.extensions import db
from server.models import Checklist, ChecklistAnswer, ChecklistRun, RegisterEntry, RiskAnalysis
from server.services.quality import checklist_answer_id
from tests.helpers import assert_error, login


@pytest.fixture
def org(factory):
    verksamhet = factory.unit(kind="se_verksamhet", name="Stöd och omsorg")
    east = factory.unit(kind="se_enhet", parent=verksamhet, name="Gruppbostaden Björkvägen")
    west = factory.unit(kind="se_enhet", parent=verksamhet, name="Daglig verksamhet Lönnen")
    return {
        "verksamhet": verksamhet,
        "east": east,
        "west": west,
        "chef": factory.user(("manager", verksamhet)),
        "chef_east": factory.user(("manager", east)),
        "staff_east": factory.user(("staff", east)),
        "staff_west": factory.user(("staff", west)),
        "inspector": factory.user(("inspector", verksamhet)),
        "stranger": factory.user(("manager", factory.unit(kind="se_verksamhet"))),
    }


def risk(client, headers, unit, **fields):
    body = {
        "unit_id": str(unit.id),
        "analysed_on": "2026-03-10",
        "event": "Läkemedel ges fel när ordinarie personal är på semester.",
        "probability": 3,
        "consequence": 4,
        "measures": "Introduktion av vikarier i läkemedelsrutinen; dubbelsignering.",
        "responsible": "Eva Lindqvist",
        "due_date": "2026-06-01",
        "follow_up_date": "2026-09-15",
        **fields,
    }
    return client.post("/api/quality/risk-analyses", json=body, headers=headers)


def test_a_riskanalys_has_the_event_probability_consequence_measures_who_and_when(client, org):
    staff = login(client, org["staff_east"])
    response = risk(client, staff, org["east"])
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["probability"], body["consequence"], body["risk_value"]) == (3, 4, 12)
    assert (body["responsible"], body["due_date"], body["follow_up_date"]) == (
        "Eva Lindqvist",
        "2026-06-01",
        "2026-09-15",
    )
    followed = client.patch(
        f"/api/quality/risk-analyses/{body['id']}",
        json={"follow_up": "Rutinen följs; inga avvikelser sedan maj.", "probability": 1},
        headers=staff,
    )
    assert followed.status_code == 200, followed.json
    assert followed.json["risk_value"] == 4
    stored = db.session.get(RiskAnalysis, uuid.UUID(body["id"]))
    assert stored.follow_up.startswith("Rutinen följs") and stored.version == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"probability": 5}, "probability"),
        ({"consequence": 0}, "consequence"),
        ({"probability": "3"}, "probability"),
        ({"event": ""}, "event"),
        ({"event": "Gäller 19850709-1234"}, "event"),
        ({"due_date": "2026-01-01"}, "due_date"),
        ({"follow_up_date": "2026-03-09"}, "follow_up_date"),
    ],
)
def test_a_riskanalys_with_bad_input_is_refused_naming_the_field(client, org, fields, field):
    staff = login(client, org["staff_east"])
    assert_error(risk(client, staff, org["east"], **fields), 422, "invalid_input", field)
    assert db.session.query(RiskAnalysis).count() == 0


def test_a_follow_up_date_before_the_analysis_is_refused_on_update_too(client, org):
    staff = login(client, org["staff_east"])
    row = risk(client, staff, org["east"], follow_up_date=None).json
    response = client.patch(
        f"/api/quality/risk-analyses/{row['id']}",
        json={"follow_up_date": "2026-01-01"},
        headers=staff,
    )
    assert_error(response, 422, "invalid_input", "follow_up_date")


def test_riskanalyser_are_read_and_written_by_role_and_unit(client, org):
    east = login(client, org["staff_east"])
    row = risk(client, east, org["east"]).json
    west = login(client, org["staff_west"])
    assert client.get("/api/quality/risk-analyses", headers=west).json == []
    assert_error(
        client.get(f"/api/quality/risk-analyses/{row['id']}", headers=west), 404, "not_found"
    )
    assert_error(risk(client, west, org["east"]), 404, "not_found")  # ids are not oracles
    # The verksamhet's manager reads the enheter's analyses; an inspector reads, never writes.
    chef = login(client, org["chef"])
    assert [r["id"] for r in client.get("/api/quality/risk-analyses", headers=chef).json] == [
        row["id"]
    ]
    inspector = login(client, org["inspector"])
    assert len(client.get("/api/quality/risk-analyses", headers=inspector).json) == 1
    assert_error(risk(client, inspector, org["east"]), 403, "forbidden")
    stranger = login(client, org["stranger"])
    assert client.get("/api/quality/risk-analyses", headers=stranger).json == []


def test_a_handlingsplan_item_links_to_the_riskanalys_it_came_from(client, factory, org):
    plan = factory.plan(org["east"], kind="se_handlingsplan", title="Handlingsplan 2026")
    item = factory.item(plan, theme_id=None, topic="Läkemedelsrutinen för vikarier")
    staff = login(client, org["staff_east"])
    analysis = risk(client, staff, org["east"]).json
    body = {
        "plan_item_id": str(item.id),
        "source_table": "risk_analyses",
        "source_id": analysis["id"],
    }
    link = client.post("/api/quality/links", json=body, headers=staff)
    assert link.status_code == 201, link.json
    assert link.json["plan_id"] == str(plan.id)
    # Another enhet's analysis is not the user's to link.
    west = login(client, org["staff_west"])
    hidden = risk(client, west, org["west"]).json
    refused = client.post(
        "/api/quality/links", json={**body, "source_id": hidden["id"]}, headers=staff
    )
    assert_error(refused, 422, "invalid_input", "source_id")


# ---- checklists -----------------------------------------------------------------------------


def default_checklists(client, headers, unit):
    return client.post(
        "/api/quality/checklists/defaults", json={"unit_id": str(unit.id)}, headers=headers
    )


def test_the_default_checklists_are_seed_003s_four_added_once(client, org):
    chef = login(client, org["chef"])
    first = default_checklists(client, chef, org["verksamhet"])
    assert first.status_code == 200, first.json
    assert first.json == {"checklists": 4}
    assert default_checklists(client, chef, org["verksamhet"]).json == {"checklists": 0}
    lists = client.get("/api/quality/checklists", headers=chef).json
    assert sorted((c["area"], c["name"]) for c in lists) == [
        ("basic_hygiene", "Basal hygien"),
        ("documentation", "Dokumentation"),
        ("fire_safety", "Brandskydd"),
        ("log_review", "Loggkontroll"),
    ]
    assert all(len(c["points"]) >= 4 and c["active"] for c in lists)
    # Staff of an enhet read the verksamhet's checklists but cannot add or change them.
    staff = login(client, org["staff_east"])
    assert len(client.get("/api/quality/checklists", headers=staff).json) == 4
    assert_error(default_checklists(client, staff, org["east"]), 403, "forbidden")
    assert_error(
        client.patch(
            f"/api/quality/checklists/{lists[0]['id']}", json={"name": "X"}, headers=staff
        ),
        404,
        "not_found",
    )


def test_an_enhet_gets_no_default_its_verksamhet_has_already(client, org):
    """An enhet runs its verksamhet's checklists: a default of an area the verksamhet has would
    be a second list of the area on the enhet's screen."""
    chef = login(client, org["chef"])
    assert default_checklists(client, chef, org["verksamhet"]).json == {"checklists": 4}
    chef_east = login(client, org["chef_east"])
    assert default_checklists(client, chef_east, org["east"]).json == {"checklists": 0}
    log_review = next(
        c
        for c in client.get("/api/quality/checklists", headers=chef).json
        if c["area"] == "log_review"
    )
    gone = client.delete(f"/api/quality/checklists/{log_review['id']}", headers=chef)
    assert gone.status_code in (200, 204), gone.json
    # The area the verksamhet no longer has is the enhet's own.
    assert default_checklists(client, chef_east, org["east"]).json == {"checklists": 1}
    own = [
        (c["unit_id"], c["area"])
        for c in client.get("/api/quality/checklists", headers=chef_east).json
        if c["unit_id"] == str(org["east"].id)
    ]
    assert own == [(str(org["east"].id), "log_review")]
    assert default_checklists(client, chef_east, org["east"]).json == {"checklists": 0}


def checklist(
    client, headers, unit, points=("Utrymningsvägarna är fria.", "Brandvarnarna fungerar.")
):
    body = {
        "unit_id": str(unit.id),
        "area": "fire_safety",
        "name": "Brandskydd",
        "points": [{"id": str(uuid.uuid4()), "text": text} for text in points],
    }
    return client.post("/api/quality/checklists", json=body, headers=headers)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"points": []}, "points"),
        ({"points": [{"text": "Utan id"}]}, "points"),
        ({"points": [{"id": "1", "text": "Fel id"}]}, "points"),
        ({"area": "kitchen"}, "area"),
        ({"name": ""}, "name"),
    ],
)
def test_a_checklist_with_bad_input_is_refused_naming_the_field(client, org, change, field):
    chef = login(client, org["chef"])
    body = {
        "unit_id": str(org["verksamhet"].id),
        "area": "other",
        "name": "Egen lista",
        "points": [{"id": str(uuid.uuid4()), "text": "En punkt"}],
        **change,
    }
    response = client.post("/api/quality/checklists", json=body, headers=chef)
    assert_error(response, 422, "invalid_input", field)
    assert db.session.query(Checklist).count() == 0


def test_two_points_with_one_id_are_refused(client, org):
    chef = login(client, org["chef"])
    same = str(uuid.uuid4())
    body = {
        "unit_id": str(org["verksamhet"].id),
        "area": "other",
        "name": "Egen lista",
        "points": [{"id": same, "text": "En"}, {"id": same, "text": "Två"}],
    }
    assert_error(
        client.post("/api/quality/checklists", json=body, headers=chef),
        422,
        "invalid_input",
        "points",
    )


def run(client, headers, unit, checklist_id, **fields):
    body = {
        "unit_id": str(unit.id),
        "checklist_id": checklist_id,
        "run_on": "2026-04-02",
        "performed_by": "Sara Nyberg",
        **fields,
    }
    return client.post("/api/quality/checklist-runs", json=body, headers=headers)


def answer(client, headers, run_id, point_id, **fields):
    body = {"run_id": run_id, "point_id": point_id, "answer": "ok", **fields}
    return client.post("/api/quality/checklist-answers", json=body, headers=headers)


def test_a_checklist_is_run_each_point_answered_and_a_deviation_becomes_entry_and_item(
    client, factory, org
):
    chef = login(client, org["chef"])
    fire = checklist(client, chef, org["verksamhet"]).json
    staff = login(client, org["staff_east"])
    started = run(client, staff, org["east"], fire["id"])
    assert started.status_code == 201, started.json
    assert started.json["state"] == "in_progress"
    run_id = started.json["id"]
    first, second = (p["id"] for p in fire["points"])
    ok = answer(client, staff, run_id, first)
    assert ok.status_code == 201, ok.json
    # The answer's id is derived from (run, point), and it keeps the point's text.
    assert ok.json["id"] == str(checklist_answer_id(uuid.UUID(run_id), uuid.UUID(first)))
    assert (ok.json["point_text"], ok.json["unit_id"]) == (
        "Utrymningsvägarna är fria.",
        str(org["east"].id),
    )
    assert_error(answer(client, staff, run_id, first), 422, "invalid_input", "point_id")
    deviation = answer(
        client, staff, run_id, second, answer="deviation", note="Brandvarnaren i tvättstugan tyst."
    ).json
    # The deviation becomes an avvikelse in the register, which names it ...
    entry = client.post(
        "/api/quality/register",
        json={
            "unit_id": str(org["east"].id),
            "entry_date": "2026-04-02",
            "kind": "deviation",
            "title": "Brandskydd: Brandvarnarna fungerar.",
            "description": "Brandvarnaren i tvättstugan tyst.",
            "checklist_answer_id": deviation["id"],
        },
        headers=staff,
    )
    assert entry.status_code == 201, entry.json
    assert entry.json["checklist_answer_id"] == deviation["id"]
    # ... and a handlingsplan item, linked to the answer.
    plan = factory.plan(org["east"], kind="se_handlingsplan", title="Handlingsplan 2026")
    item = factory.item(plan, theme_id=None, topic="Brandvarnarna fungerar.")
    link = client.post(
        "/api/quality/links",
        json={
            "plan_item_id": str(item.id),
            "source_table": "checklist_answers",
            "source_id": deviation["id"],
        },
        headers=staff,
    )
    assert link.status_code == 201, link.json
    done = client.patch(
        f"/api/quality/checklist-runs/{run_id}",
        json={"state": "done", "summary": "En avvikelse."},
        headers=staff,
    )
    assert done.status_code == 200 and done.json["state"] == "done"
    answers = client.get("/api/quality/checklist-answers", headers=chef).json
    assert sorted(a["answer"] for a in answers) == ["deviation", "ok"]


def test_only_a_deviation_of_the_same_unit_becomes_a_register_entry(client, org):
    chef = login(client, org["chef"])
    fire = checklist(client, chef, org["verksamhet"]).json
    staff = login(client, org["staff_east"])
    run_id = run(client, staff, org["east"], fire["id"]).json["id"]
    ok, deviation = (
        answer(client, staff, run_id, point["id"], answer=value).json
        for point, value in zip(fire["points"], ("ok", "deviation"), strict=True)
    )

    def entry(headers, unit, answer_id):
        body = {
            "unit_id": str(unit.id),
            "entry_date": "2026-04-02",
            "kind": "deviation",
            "title": "Brandskydd",
            "checklist_answer_id": answer_id,
        }
        return client.post("/api/quality/register", json=body, headers=headers)

    assert_error(entry(staff, org["east"], ok["id"]), 422, "invalid_input", "checklist_answer_id")
    missing = entry(staff, org["east"], str(uuid.uuid4()))
    assert_error(missing, 422, "invalid_input", "checklist_answer_id")
    # Another enhet cannot record (or learn of) this enhet's deviation.
    west = login(client, org["staff_west"])
    other = entry(west, org["west"], deviation["id"])
    assert_error(other, 422, "invalid_input", "checklist_answer_id")
    assert db.session.query(RegisterEntry).count() == 0
    assert entry(staff, org["east"], deviation["id"]).status_code == 201


def test_a_run_uses_a_checklist_of_its_unit_or_verksamhet_and_points_of_that_checklist(
    client, factory, org
):
    other = factory.unit(kind="se_verksamhet", name="Annan")
    other_chef = factory.user(("manager", other))
    foreign = checklist(client, login(client, other_chef), other).json
    staff = login(client, org["staff_east"])
    assert_error(
        run(client, staff, org["east"], foreign["id"]), 422, "invalid_input", "checklist_id"
    )
    # An enhet's own checklist is its own: another enhet does not run it.
    own = checklist(client, login(client, org["chef_east"]), org["east"]).json
    assert run(client, staff, org["east"], own["id"]).status_code == 201
    west = login(client, org["staff_west"])
    assert_error(run(client, west, org["west"], own["id"]), 422, "invalid_input", "checklist_id")
    run_id = run(client, staff, org["east"], own["id"]).json["id"]
    assert_error(answer(client, staff, run_id, str(uuid.uuid4())), 422, "invalid_input", "point_id")
    # Staff of another enhet cannot answer this run (nor learn that it exists).
    assert_error(answer(client, west, run_id, own["points"][0]["id"]), 404, "not_found")
    # An inspector reads the run but does not answer it.
    inspector = login(client, org["inspector"])
    assert client.get(f"/api/quality/checklist-runs/{run_id}", headers=inspector).status_code == 200
    assert_error(answer(client, inspector, run_id, own["points"][0]["id"]), 403, "forbidden")


def test_an_answer_is_cleared_not_deleted_and_goes_with_its_run(client, org):
    chef = login(client, org["chef"])
    fire = checklist(client, chef, org["verksamhet"]).json
    staff = login(client, org["staff_east"])
    run_id = run(client, staff, org["east"], fire["id"]).json["id"]
    given = answer(client, staff, run_id, fire["points"][0]["id"]).json
    assert_error(
        client.delete(f"/api/quality/checklist-answers/{given['id']}", headers=staff),
        409,
        "invalid_state",
    )
    cleared = client.patch(
        f"/api/quality/checklist-answers/{given['id']}", json={"answer": None}, headers=staff
    )
    assert cleared.status_code == 200 and cleared.json["answer"] is None
    assert client.delete(f"/api/quality/checklist-runs/{run_id}", headers=staff).status_code == 204
    assert db.session.get(ChecklistRun, uuid.UUID(run_id)).deleted
    assert db.session.get(ChecklistAnswer, uuid.UUID(given["id"])).deleted


def test_an_edited_point_keeps_its_answers_text_as_given(client, org):
    chef = login(client, org["chef"])
    fire = checklist(client, chef, org["verksamhet"]).json
    staff = login(client, org["staff_east"])
    run_id = run(client, staff, org["east"], fire["id"]).json["id"]
    point = fire["points"][0]
    given = answer(client, staff, run_id, point["id"]).json
    edited = client.patch(
        f"/api/quality/checklists/{fire['id']}",
        json={"points": [{"id": point["id"], "text": "Utrymningsvägar fria och skyltade."}]},
        headers=chef,
    )
    assert edited.status_code == 200, edited.json
    assert edited.json["points"] == [
        {"id": point["id"], "text": "Utrymningsvägar fria och skyltade."}
    ]
    again = client.get(f"/api/quality/checklist-answers/{given['id']}", headers=staff).json
    assert again["point_text"] == "Utrymningsvägarna är fria."


def test_a_checklist_no_longer_in_use_is_not_run_again(client, org):
    chef = login(client, org["chef"])
    fire = checklist(client, chef, org["verksamhet"]).json
    client.patch(f"/api/quality/checklists/{fire['id']}", json={"active": False}, headers=chef)
    staff = login(client, org["staff_east"])
    assert_error(run(client, staff, org["east"], fire["id"]), 422, "invalid_input", "checklist_id")


def test_a_new_egenkontroll_is_made_on_an_enhet_not_on_its_verksamhet(client, factory, org):
    """Seed 003, Del 3: egenkontroll is "Rutin och genomförande på Nivå 3, följs upp och
    analyseras i nivå 2". A run made on the verksamhet before this rule keeps working."""
    sv_chef = factory.user(("manager", org["verksamhet"]), language="sv")
    chef = login(client, sv_chef)
    fire = checklist(client, chef, org["verksamhet"]).json
    body = assert_error(
        run(client, chef, org["verksamhet"], fire["id"]), 422, "invalid_input", "unit_id"
    )
    assert body["fields"]["unit_id"] == [
        "En egenkontroll görs på en enhet (nivå 3); välj en av verksamhetens enheter."
    ]
    # The same manager runs the verksamhet's checklist on one of its enheter.
    assert run(client, chef, org["east"], fire["id"]).status_code == 201
    # A run of the verksamhet stored before the rule is still answered and finished.
    old = ChecklistRun(
        id=uuid.uuid4(),
        unit_id=org["verksamhet"].id,
        checklist_id=uuid.UUID(fire["id"]),
        run_on=datetime.date(2026, 2, 1),
        performed_by="Sara Nyberg",
        state="in_progress",
    )
    db.session.add(old)
    db.session.commit()
    point = fire["points"][0]["id"]
    answered = answer(client, chef, str(old.id), point, answer="deviation")
    assert answered.status_code == 201, answered.json
    done = client.patch(
        f"/api/quality/checklist-runs/{old.id}",
        json={"state": "done", "summary": "Klar."},
        headers=chef,
    )
    assert done.status_code == 200, done.json
    # A verksamhet without enheter has no nivå 3 to run on: it runs its own checklist.
    alone = factory.unit(kind="se_verksamhet", name="Ensam verksamhet")
    alone_chef = login(client, factory.user(("manager", alone)))
    own = checklist(client, alone_chef, alone).json
    assert run(client, alone_chef, alone, own["id"]).status_code == 201
