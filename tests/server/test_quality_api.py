"""The quality follow-up over REST: defaults, register, links to handlingsplan items, surveys,
the årshjul and its reminders, the tertial compilation, access."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from server.extensions import db
from server.models import AnnualTask, Notification, QualityArea, QualityLink, SurveyResponse
from server.push.reminders import queue_task_reminders
from server.services.catalogues import catalogue_for_plan
from server.services.quality_compilation import count_cases, period_bounds
from tests.helpers import assert_error, login


@pytest.fixture
def org(factory):
    verksamhet = factory.unit(kind="se_verksamhet", name="Öppenvården")
    east = factory.unit(kind="se_enhet", parent=verksamhet, name="Familjestödet")
    west = factory.unit(kind="se_enhet", parent=verksamhet, name="Beroendeenheten")
    return {
        "verksamhet": verksamhet,
        "east": east,
        "west": west,
        "chef": factory.user(("manager", verksamhet)),
        "staff_east": factory.user(("staff", east)),
        "staff_west": factory.user(("staff", west)),
        "inspector": factory.user(("inspector", verksamhet)),
        "stranger": factory.user(("manager", factory.unit(kind="se_verksamhet"))),
    }


def defaults(client, headers, unit):
    response = client.post("/api/quality/defaults", json={"unit_id": str(unit.id)}, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_default_content_is_seed_003s_table_added_once_and_editable(client, org):
    chef = login(client, org["chef"])
    assert defaults(client, chef, org["verksamhet"]) == {
        "quality_areas": 6,
        "quality_measures": 8,
        "survey_questions": 9,
    }
    assert defaults(client, chef, org["verksamhet"]) == {
        "quality_areas": 0,
        "quality_measures": 0,
        "survey_questions": 0,
    }
    areas = client.get(f"/api/quality/areas?unit_id={org['verksamhet'].id}", headers=chef).json
    assert [a["name"] for a in areas] == [
        "Samverkan",
        "Delaktighet",
        "Personcentrerat arbetssätt",
        "Personalens kompetens",
        "Kunskapsbaserad verksamhet",
        "Ledning och styrning",
    ]
    delaktighet = areas[1]
    assert "Granskning av genomförandeplaner" in delaktighet["follow_up_methods"]
    assert delaktighet["theme_id"] is not None
    edited = client.patch(
        f"/api/quality/areas/{delaktighet['id']}",
        json={"follow_up_methods": "Avslutssamtal"},
        headers=chef,
    )
    assert edited.status_code == 200 and edited.json["version"] == 2
    # Staff of an enhet read the verksamhet's areas, but do not edit them.
    staff = login(client, org["staff_east"])
    assert len(client.get("/api/quality/areas", headers=staff).json) == 6
    response = client.patch(
        f"/api/quality/areas/{delaktighet['id']}", json={"name": "X"}, headers=staff
    )
    assert_error(response, 404, "not_found")  # staff cannot see the verksamhet itself
    assert db.session.get(QualityArea, uuid.UUID(delaktighet["id"])).name == "Delaktighet"


def test_an_area_with_measures_is_not_deleted(client, org):
    chef = login(client, org["chef"])
    defaults(client, chef, org["verksamhet"])
    areas = client.get("/api/quality/areas", headers=chef).json
    used = next(a for a in areas if a["name"] == "Personcentrerat arbetssätt")
    assert_error(
        client.delete(f"/api/quality/areas/{used['id']}", headers=chef), 409, "invalid_state"
    )


def entry(client, headers, unit, **fields):
    body = {
        "unit_id": str(unit.id),
        "entry_date": "2026-03-04",
        "kind": "lex_sarah",
        "title": "Utredning av missförhållande",
        "description": "Brukaren fick inte sin insats enligt beslut.",
        "analysis": "Rutinen för överlämning följdes inte.",
        **fields,
    }
    return client.post("/api/quality/register", json=body, headers=headers)


@pytest.mark.parametrize(
    "kind",
    [
        "quality_register",
        "national_survey",
        "deviation",
        "lex_sarah",
        "lex_maria",
        "complaint",
        "inspection_report",
        "effect_evaluation",
        "self_inspection",
        "care_deviation",
        "patient_safety_report",
    ],
)
def test_staff_register_every_kind_of_basic_follow_up(client, org, kind):
    staff = login(client, org["staff_east"])
    response = entry(client, staff, org["east"], kind=kind)
    assert response.status_code == 201, response.json
    assert response.json["kind"] == kind


@pytest.mark.parametrize(
    ("kind", "source"),
    [
        ("inspection_report", "ivo"),
        ("inspection_report", "arbetsmiljoverket"),
        ("inspection_report", "other"),
        ("quality_register", "senior_alert"),
        ("quality_register", "palliativa_registret"),
        ("quality_register", "bpsd"),
        ("national_survey", "oppna_jamforelser"),
        ("national_survey", "brukarundersokningen"),
        ("national_survey", "kkik"),
    ],
)
def test_an_entry_names_its_register_survey_or_issuing_authority(client, org, kind, source):
    staff = login(client, org["staff_east"])
    response = entry(client, staff, org["east"], kind=kind, source=source)
    assert response.status_code == 201, response.json
    assert response.json["source"] == source
    assert (
        client.get(f"/api/quality/register/{response.json['id']}", headers=staff).json["source"]
        == source
    )


def test_a_source_must_fit_the_kind(client, org):
    staff = login(client, org["staff_east"])
    for kind, source in (
        ("inspection_report", "senior_alert"),  # a register is no authority
        ("national_survey", "ivo"),
        ("lex_sarah", "ivo"),  # lex Sarah names no source
        ("inspection_report", "socialstyrelsen"),
    ):
        response = entry(client, staff, org["east"], kind=kind, source=source)
        assert_error(response, 422, "invalid_input", "source")
    report = entry(client, staff, org["east"], kind="inspection_report", source="ivo").json
    changed = client.patch(
        f"/api/quality/register/{report['id']}", json={"kind": "complaint"}, headers=staff
    )
    assert_error(changed, 422, "invalid_input", "source")
    cleared = client.patch(
        f"/api/quality/register/{report['id']}",
        json={"kind": "complaint", "source": None},
        headers=staff,
    )
    assert cleared.status_code == 200, cleared.json


def test_register_entries_are_scoped_to_the_enhet(client, org):
    east = login(client, org["staff_east"])
    created = entry(client, east, org["east"]).json
    west = login(client, org["staff_west"])
    assert_error(
        client.get(f"/api/quality/register/{created['id']}", headers=west), 404, "not_found"
    )
    assert client.get("/api/quality/register", headers=west).json == []
    chef = login(client, org["chef"])
    assert len(client.get("/api/quality/register", headers=chef).json) == 1
    inspector = login(client, org["inspector"])
    assert (
        client.get(f"/api/quality/register/{created['id']}", headers=inspector).status_code == 200
    )
    assert_error(entry(client, inspector, org["east"]), 403, "forbidden")
    stranger = login(client, org["stranger"])
    assert_error(entry(client, stranger, org["east"]), 404, "not_found")
    assert_error(entry(client, east, org["east"], kind="rumour"), 422, "invalid_input", "kind")


def se_plan(factory, unit):
    return factory.plan(unit, kind="se_handlingsplan", title="Handlingsplan 2026")


def test_a_handlingsplan_item_links_to_the_avvikelse_that_triggered_it(client, factory, org):
    plan = se_plan(factory, org["east"])
    item = factory.item(plan, theme_id=None, topic="Överlämning mellan pass")
    staff = login(client, org["staff_east"])
    avvikelse = entry(client, staff, org["east"], kind="deviation").json
    body = {
        "plan_item_id": str(item.id),
        "source_table": "register_entries",
        "source_id": avvikelse["id"],
    }
    link = client.post("/api/quality/links", json=body, headers=staff)
    assert link.status_code == 201, link.json
    assert (link.json["plan_id"], link.json["unit_id"]) == (str(plan.id), str(org["east"].id))
    assert_error(
        client.post("/api/quality/links", json=body, headers=staff),
        422,
        "invalid_input",
        "source_id",
    )
    # The link is part of the plan's history.
    history = client.get(f"/api/plans/{plan.id}/history", headers=login(client, org["chef"])).json
    assert any(h["table_name"] == "quality_links" for h in history)


def test_a_link_to_a_row_the_user_cannot_see_is_refused(client, factory, org):
    plan = se_plan(factory, org["east"])
    item = factory.item(plan, theme_id=None)
    west = login(client, org["staff_west"])
    hidden = entry(client, west, org["west"]).json
    east = login(client, org["staff_east"])
    body = {
        "plan_item_id": str(item.id),
        "source_table": "register_entries",
        "source_id": hidden["id"],
    }
    assert_error(
        client.post("/api/quality/links", json=body, headers=east),
        422,
        "invalid_input",
        "source_id",
    )
    missing = {**body, "source_table": "quality_measures", "source_id": str(uuid.uuid4())}
    assert_error(
        client.post("/api/quality/links", json=missing, headers=east),
        422,
        "invalid_input",
        "source_id",
    )
    assert db.session.query(QualityLink).count() == 0


def test_a_danish_plan_item_cannot_link_to_the_swedish_follow_up(client, factory, org):
    dk_unit = factory.unit(kind="dk_tilbud")
    user = factory.user(("staff", dk_unit), ("staff", org["east"]))
    item = factory.item(factory.plan(dk_unit))
    headers = login(client, user)
    source = entry(client, headers, org["east"]).json
    body = {
        "plan_item_id": str(item.id),
        "source_table": "register_entries",
        "source_id": source["id"],
    }
    assert_error(
        client.post("/api/quality/links", json=body, headers=headers),
        422,
        "invalid_input",
        "plan_item_id",
    )


def questions(client, headers, survey="end_of_intervention"):
    rows = client.get("/api/quality/survey-questions", headers=headers).json
    return [q for q in rows if q["survey"] == survey]


def test_an_end_of_intervention_survey_is_answered_for_a_case(client, org):
    chef = login(client, org["chef"])
    defaults(client, chef, org["verksamhet"])
    staff = login(client, org["staff_east"])
    asked = questions(client, staff)
    assert len(asked) == 6
    case = client.post(
        "/api/quality/cases",
        json={
            "unit_id": str(org["east"].id),
            "case_code": "FS-7",
            "intervention": "Samtalsstöd",
            "started_on": "2026-01-05",
            "ended_on": "2026-03-20",
            "end_reason": "planned",
            "needs_met": "yes",
            "situation_after": "improved",
        },
        headers=staff,
    ).json
    by_type = {q["answer_type"]: q["id"] for q in asked}
    answers = {by_type["scale"]: 4, by_type["yes_no"]: True, by_type["text"]: "Bra bemötande"}
    body = {
        "unit_id": str(org["east"].id),
        "survey": "end_of_intervention",
        "case_record_id": case["id"],
        "respondent": "client",
        "answered_on": "2026-03-20",
        "answers": answers,
    }
    response = client.post("/api/quality/survey-responses", json=body, headers=staff)
    assert response.status_code == 201, response.json
    assert response.json["answers"] == answers


def test_deleting_a_case_deletes_its_survey_responses_and_no_others(client, org):
    chef = login(client, org["chef"])
    defaults(client, chef, org["verksamhet"])
    staff = login(client, org["staff_east"])
    scale = next(q["id"] for q in questions(client, staff) if q["answer_type"] == "scale")

    def case(code):
        body = {
            "unit_id": str(org["east"].id),
            "case_code": code,
            "intervention": "Samtalsstöd",
            "started_on": "2026-01-05",
            "ended_on": "2026-03-20",
        }
        return client.post("/api/quality/cases", json=body, headers=staff).json["id"]

    def response(case_id):
        body = {
            "unit_id": str(org["east"].id),
            "survey": "end_of_intervention",
            "case_record_id": case_id,
            "respondent": "client",
            "answered_on": "2026-03-20",
            "answers": {scale: 4},
        }
        answered = client.post("/api/quality/survey-responses", json=body, headers=staff)
        assert answered.status_code == 201, answered.json
        return answered.json

    erased, kept = case("FS-1"), case("FS-2")
    gone = response(erased)
    stays, anonymous = response(kept), response(None)

    assert client.delete(f"/api/quality/cases/{erased}", headers=staff).status_code == 204

    listed = client.get("/api/quality/survey-responses", headers=staff).json
    assert {r["id"] for r in listed} == {stays["id"], anonymous["id"]}
    assert_error(
        client.get(f"/api/quality/survey-responses/{gone['id']}", headers=staff), 404, "not_found"
    )
    db.session.expire_all()
    tombstone = db.session.get(SurveyResponse, uuid.UUID(gone["id"]))
    # A versioned tombstone, so devices that hold the answers hear of the delete.
    assert tombstone.deleted is True and tombstone.version > gone["version"]


@pytest.mark.parametrize(
    ("answer_type", "answer"),
    [("scale", 6), ("scale", "4"), ("scale", True), ("yes_no", "ja"), ("text", 3)],
)
def test_an_answer_of_the_wrong_shape_is_refused(client, org, answer_type, answer):
    chef = login(client, org["chef"])
    defaults(client, chef, org["verksamhet"])
    staff = login(client, org["staff_east"])
    question = next(q for q in questions(client, staff) if q["answer_type"] == answer_type)
    body = {
        "unit_id": str(org["east"].id),
        "survey": "end_of_intervention",
        "respondent": "client",
        "answered_on": "2026-03-20",
        "answers": {question["id"]: answer},
    }
    response = client.post("/api/quality/survey-responses", json=body, headers=staff)
    assert_error(response, 422, "invalid_input", "answers")
    assert db.session.query(SurveyResponse).count() == 0


def test_an_answer_to_another_surveys_question_or_with_a_personnummer_is_refused(client, org):
    chef = login(client, org["chef"])
    defaults(client, chef, org["verksamhet"])
    staff = login(client, org["staff_east"])
    annual = questions(client, staff, "annual")[0]
    text = next(q for q in questions(client, staff) if q["answer_type"] == "text")
    body = {
        "unit_id": str(org["east"].id),
        "survey": "end_of_intervention",
        "respondent": "client",
        "answered_on": "2026-03-20",
        "answers": {annual["id"]: 3},
    }
    assert_error(
        client.post("/api/quality/survey-responses", json=body, headers=staff),
        422,
        "invalid_input",
        "answers",
    )
    body["answers"] = {text["id"]: "Jag heter 850709-1234"}
    assert_error(
        client.post("/api/quality/survey-responses", json=body, headers=staff),
        422,
        "invalid_input",
        "answers",
    )


def test_the_annual_cycle_of_seed_004_is_created_once(client, org):
    chef = login(client, org["chef"])
    body = {"unit_id": str(org["verksamhet"].id), "year": 2027}
    created = client.post("/api/quality/annual-cycle", json=body, headers=chef)
    assert created.status_code == 201, created.json
    by_kind = {}
    for task in created.json:
        by_kind.setdefault(task["kind"], []).append(task["due_date"])
    # Seed 004's months (a month without a day is due on its last day) and 003's October.
    assert by_kind == {
        "survey_sent": ["2027-02-28"],
        "survey_due": ["2027-03-01"],
        "compilation": ["2027-03-31"],
        "analysis": ["2027-04-30"],
        "management_group": ["2027-05-31"],
        "competence_survey": ["2027-10-31"],
        "follow_up": ["2027-11-30"],
    }
    assert all(t["owner_user_id"] == str(org["chef"].id) for t in created.json)
    assert client.post("/api/quality/annual-cycle", json=body, headers=chef).json == []


def test_staff_tick_a_task_done_but_do_not_move_it(client, org):
    chef = login(client, org["chef"])
    task = client.post(
        "/api/quality/annual-tasks",
        json={
            "unit_id": str(org["east"].id),
            "year": 2026,
            "kind": "analysis",
            "title": "Analys i april",
            "due_date": "2026-04-30",
        },
        headers=chef,
    ).json
    staff = login(client, org["staff_east"])
    moved = client.patch(
        f"/api/quality/annual-tasks/{task['id']}", json={"due_date": "2026-06-30"}, headers=staff
    )
    assert_error(moved, 403, "forbidden")
    done = client.patch(
        f"/api/quality/annual-tasks/{task['id']}", json={"state": "done"}, headers=staff
    )
    assert done.status_code == 200
    assert done.json["done_on"] is not None
    owner = client.patch(
        f"/api/quality/annual-tasks/{task['id']}",
        json={"owner_user_id": str(org["stranger"].id)},
        headers=chef,
    )
    assert_error(owner, 422, "invalid_input", "owner_user_id")


def test_staff_of_an_enhet_read_the_verksamhets_arshjul_and_tick_the_tasks_that_name_them(
    client, org
):
    chef = login(client, org["chef"])
    body = {"unit_id": str(org["verksamhet"].id), "year": 2027}
    tasks = client.post("/api/quality/annual-cycle", json=body, headers=chef).json
    analysis = next(t for t in tasks if t["kind"] == "analysis")
    named = client.patch(
        f"/api/quality/annual-tasks/{analysis['id']}",
        json={"owner_user_id": str(org["staff_east"].id)},
        headers=chef,
    )
    assert named.status_code == 200, named.json  # a member of an enhet below may own it

    staff = login(client, org["staff_east"])
    seen = client.get("/api/quality/annual-tasks", headers=staff).json
    assert len(seen) == len(tasks)
    by_unit = client.get(
        f"/api/quality/annual-tasks?unit_id={org['verksamhet'].id}", headers=staff
    ).json
    assert len(by_unit) == len(tasks)
    assert client.get(f"/api/quality/annual-tasks/{analysis['id']}", headers=staff).json["id"]

    done = client.patch(
        f"/api/quality/annual-tasks/{analysis['id']}", json={"state": "done"}, headers=staff
    )
    assert done.status_code == 200, done.json
    assert done.json["state"] == "done" and done.json["done_on"] is not None
    # Only the tasks that name them, and only ticking: the rest stays the managers'.
    chefs_own = next(t for t in tasks if t["kind"] == "survey_due")
    assert_error(
        client.patch(
            f"/api/quality/annual-tasks/{chefs_own['id']}", json={"state": "done"}, headers=staff
        ),
        404,
        "not_found",
    )
    assert_error(
        client.patch(
            f"/api/quality/annual-tasks/{analysis['id']}",
            json={"due_date": "2027-06-30"},
            headers=staff,
        ),
        404,
        "not_found",
    )
    # Staff of the other enhet see the årshjul too, but tick nothing of it.
    west = login(client, org["staff_west"])
    assert len(client.get("/api/quality/annual-tasks", headers=west).json) == len(tasks)
    assert_error(
        client.patch(
            f"/api/quality/annual-tasks/{analysis['id']}", json={"state": "open"}, headers=west
        ),
        404,
        "not_found",
    )
    # Inspectors of the verksamhet read; a manager elsewhere does not.
    inspector = login(client, org["inspector"])
    assert len(client.get("/api/quality/annual-tasks", headers=inspector).json) == len(tasks)
    stranger = login(client, org["stranger"])
    assert client.get("/api/quality/annual-tasks", headers=stranger).json == []


def test_arshjul_reminders_go_to_the_owner_once(client, factory, org):
    factory.session.add(
        AnnualTask(
            unit_id=org["east"].id,
            year=2026,
            kind="survey_due",
            title="Svar senast 1 mars",
            due_date=date(2026, 3, 1),
            owner_user_id=org["staff_east"].id,
            state="open",
        )
    )
    factory.session.add(
        AnnualTask(
            unit_id=org["east"].id,
            year=2026,
            kind="analysis",
            title="Klar",
            due_date=date(2026, 2, 27),
            owner_user_id=org["staff_east"].id,
            state="done",
        )
    )
    factory.session.commit()
    now = datetime(2026, 2, 26, 8, 0, tzinfo=UTC)
    assert queue_task_reminders(db.session, (7, 1), now) == 1
    assert queue_task_reminders(db.session, (7, 1), now) == 0
    later = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert queue_task_reminders(db.session, (7, 1), later) == 1
    db.session.commit()
    kinds = sorted(n.kind for n in db.session.query(Notification).all())
    assert kinds == ["due_soon", "overdue"]
    assert {n.user_id for n in db.session.query(Notification).all()} == {org["staff_east"].id}
    # sync-gc deletes the sent rows after PUSH_OUTBOX_RETENTION_DAYS (30); by then the task is
    # too long overdue to be queued, and so reminded, a second time.
    db.session.query(Notification).delete()
    db.session.commit()
    assert queue_task_reminders(db.session, (7, 1), later + timedelta(days=30)) == 0


class Case:
    """A case record as the compilation reads it."""

    def __init__(self, intervention, started, ended=None, **kw):
        self.intervention = intervention
        self.started_on = date.fromisoformat(started)
        self.ended_on = date.fromisoformat(ended) if ended else None
        self.age_band = kw.get("age_band")
        self.gender = kw.get("gender")
        self.needs = kw.get("needs", [])
        self.end_reason = kw.get("end_reason")
        self.needs_met = kw.get("needs_met")
        self.situation_after = kw.get("situation_after")


def test_tertials_are_january_april_may_august_september_december():
    assert period_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 4, 30))
    assert period_bounds(2026, 2) == (date(2026, 5, 1), date(2026, 8, 31))
    assert period_bounds(2026, 3) == (date(2026, 9, 1), date(2026, 12, 31))
    assert period_bounds(2028, None) == (date(2028, 1, 1), date(2028, 12, 31))


def test_the_compilation_counts_cases_running_in_the_tertial_and_outcomes_of_those_ended():
    cases = [
        # Ran in T1, ended in T1 as planned.
        Case(
            "Samtalsstöd",
            "2026-01-10",
            "2026-03-15",
            age_band="30-49",
            gender="female",
            needs=["Föräldraskap"],
            end_reason="planned",
            needs_met="yes",
            situation_after="improved",
        ),
        # Started before the year, interrupted in T1.
        Case(
            "Samtalsstöd",
            "2025-11-01",
            "2026-02-01",
            gender="male",
            needs=["Missbruk", "Boende"],
            end_reason="interrupted",
            needs_met="no",
            situation_after="unchanged",
        ),
        # Still running in T1, ends in T2 (outcome not counted in T1).
        Case(
            "ÖPP",
            "2026-04-01",
            "2026-06-01",
            age_band="13-17",
            needs=["Skola"],
            end_reason="planned",
        ),
        # Ended before T1: not counted.
        Case("ÖPP", "2025-09-01", "2025-12-20"),
        # Starts in T2: not counted.
        Case("ÖPP", "2026-05-02"),
    ]
    start, end = period_bounds(2026, 1)
    counts = count_cases(cases, start, end, None, "Familjestödet")
    assert (counts.cases, counts.ended) == (3, 2)
    assert counts.by_intervention == {"Samtalsstöd": 2, "ÖPP": 1}
    assert counts.by_age_band == {"30-49": 1, "unknown": 1, "13-17": 1}
    assert counts.by_gender == {"female": 1, "male": 1, "unknown": 1}
    assert counts.by_need == {"Föräldraskap": 1, "Missbruk": 1, "Boende": 1, "Skola": 1}
    assert counts.by_end_reason == {"planned": 1, "interrupted": 1}
    assert counts.by_needs_met == {"yes": 1, "no": 1}
    assert counts.by_situation_after == {"improved": 1, "unchanged": 1}
    assert counts.interrupted_by_intervention == {"Samtalsstöd": 1}


def test_the_compilation_api_gives_each_enhet_and_the_verksamhet(client, org):
    for staff, unit, code, intervention in (
        ("staff_east", "east", "FS-1", "Samtalsstöd"),
        ("staff_east", "east", "FS-2", "Samtalsstöd"),
        ("staff_west", "west", "BE-1", "Återfallsprevention"),
    ):
        headers = login(client, org[staff])
        response = client.post(
            "/api/quality/cases",
            json={
                "unit_id": str(org[unit].id),
                "case_code": code,
                "intervention": intervention,
                "gender": "male",
                "started_on": "2026-02-01",
                "ended_on": "2026-04-02",
                "end_reason": "interrupted",
            },
            headers=headers,
        )
        assert response.status_code == 201, response.json
    chef = login(client, org["chef"])
    response = client.get(
        f"/api/quality/compilation?unit_id={org['verksamhet'].id}&year=2026&tertial=1", headers=chef
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["total"]["cases"] == 3
    assert body["total"]["interrupted_by_intervention"] == {
        "Samtalsstöd": 2,
        "Återfallsprevention": 1,
    }
    assert {u["unit_name"]: u["cases"] for u in body["per_unit"]} == {
        "Familjestödet": 2,
        "Beroendeenheten": 1,
    }
    assert "FS-1" not in response.get_data(as_text=True)  # counts only, no case codes
    west = login(client, org["staff_west"])
    hidden = client.get(
        f"/api/quality/compilation?unit_id={org['east'].id}&year=2026", headers=west
    )
    assert_error(hidden, 404, "not_found")
    bad = client.get(
        f"/api/quality/compilation?unit_id={org['east'].id}&year=2026&tertial=4", headers=chef
    )
    assert_error(bad, 422, "invalid_input", "tertial")


def test_swedish_catalogue_is_the_handlingsplan_catalogue(app):
    catalogue = catalogue_for_plan(db.session, "se_handlingsplan", date(2026, 1, 1))
    assert catalogue.code == "se_kvalitetsomraden"


def test_a_question_keeps_its_answer_type_once_answered(client, org):
    chef = login(client, org["chef"])
    defaults(client, chef, org["verksamhet"])
    asked = questions(client, chef)
    scale = next(q for q in asked if q["answer_type"] == "scale")
    other = next(q for q in asked if q["answer_type"] == "scale" and q["id"] != scale["id"])
    staff = login(client, org["staff_east"])
    body = {
        "unit_id": str(org["east"].id),
        "survey": "end_of_intervention",
        "respondent": "client",
        "answered_on": "2026-03-20",
        "answers": {scale["id"]: 5},
    }
    assert client.post("/api/quality/survey-responses", json=body, headers=staff).status_code == 201
    changed = client.patch(
        f"/api/quality/survey-questions/{scale['id']}", json={"answer_type": "yes_no"}, headers=chef
    )
    assert_error(changed, 422, "invalid_input", "answer_type")
    unanswered = client.patch(
        f"/api/quality/survey-questions/{other['id']}", json={"answer_type": "yes_no"}, headers=chef
    )
    assert unanswered.status_code == 200
    reworded = client.patch(
        f"/api/quality/survey-questions/{scale['id']}",
        json={"text": "Hur nöjd är du?"},
        headers=chef,
    )
    assert reworded.status_code == 200
