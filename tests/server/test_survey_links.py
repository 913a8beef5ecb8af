"""Survey links on both databases: a manager makes them, a respondent with no account answers
once (JSON and the /s/<token> page), the answer lands in the same responses and the same
compilation as a typed-in one; reuse, expiry, withdrawal, guessing and bad answers are refused
with a translated message."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from server import clock
from server.documents.quality_report import build_report
from server.extensions import db
from server.models import SurveyLink, SurveyResponse
from server.services.access import load_principal
from server.services.survey_links import FREE_GUESSES, default_expiry
from tests.helpers import assert_error, login

NOW = datetime(2027, 2, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def february(monkeypatch):
    """The yearly survey goes out in February (seed 004); the clock says so."""
    moment = {"now": NOW}
    monkeypatch.setattr(clock, "now", lambda: moment["now"])
    return moment


@pytest.fixture
def org(factory):
    verksamhet = factory.unit(kind="se_verksamhet", name="Öppenvården")
    east = factory.unit(kind="se_enhet", parent=verksamhet, name="Familjestödet")
    return {
        "verksamhet": verksamhet,
        "east": east,
        "chef": factory.user(("manager", verksamhet)),
        "staff": factory.user(("staff", east)),
        "stranger": factory.user(("manager", factory.unit(kind="se_verksamhet"))),
    }


@pytest.fixture
def chef(client, org):
    headers = login(client, org["chef"])
    made = client.post(
        "/api/quality/defaults", json={"unit_id": str(org["verksamhet"].id)}, headers=headers
    )
    assert made.status_code == 200, made.json
    yes_no = {
        "unit_id": str(org["verksamhet"].id),
        "survey": "annual",
        "text": "Skulle du rekommendera verksamheten?",
        "answer_type": "yes_no",
    }
    assert (
        client.post("/api/quality/survey-questions", json=yes_no, headers=headers).status_code
        == 201
    )
    return headers


def questions(client, headers, survey):
    rows = client.get("/api/quality/survey-questions", headers=headers).json
    return {q["answer_type"]: q["id"] for q in rows if q["survey"] == survey and q["active"]}


def make_links(client, headers, unit, **fields):
    body = {"unit_id": str(unit.id), "survey": "annual", "respondent": "partner", **fields}
    return client.post("/api/quality/survey-links", json=body, headers=headers)


def one_link(client, headers, unit, **fields):
    response = make_links(client, headers, unit, **fields)
    assert response.status_code == 201, response.json
    (link,) = response.json["links"]
    return link


def test_a_manager_makes_n_links_each_token_shown_once_and_stored_hashed(client, org, chef):
    response = make_links(client, chef, org["verksamhet"], count=3, label="Samarbetspartner")
    assert response.status_code == 201, response.json
    links = response.json["links"]
    assert [link["number"] for link in links] == [1, 2, 3]
    # seed 004: answers by 1 March.
    assert {link["expires_on"] for link in links} == {"2027-03-01"}
    assert all(link["state"] == "open" and link["language"] == "sv" for link in links)
    tokens = [link["token"] for link in links]
    assert len(set(tokens)) == 3 and all(len(t) >= 40 for t in tokens)
    assert all(link["url"].endswith(f"/s/{link['token']}") for link in links)
    stored = db.session.scalars(select(SurveyLink).order_by(SurveyLink.number)).all()
    assert [s.token_hash for s in stored] == [
        hashlib.sha256(t.encode()).hexdigest() for t in tokens
    ]
    # The token is in no other answer: not in the list, not in the summary.
    listed = client.get(f"/api/quality/survey-links?unit_id={org['verksamhet'].id}", headers=chef)
    assert listed.status_code == 200 and len(listed.json) == 3
    assert not any(t in listed.get_data(as_text=True) for t in tokens)
    assert all("token" not in link and "url" not in link for link in listed.json)


def test_only_a_manager_of_the_unit_makes_or_lists_links(client, org, chef):
    staff = login(client, org["staff"])
    assert_error(make_links(client, staff, org["east"]), 403, "forbidden")
    stranger = login(client, org["stranger"])
    assert_error(make_links(client, stranger, org["verksamhet"]), 404, "not_found")
    listed = client.get(f"/api/quality/survey-links?unit_id={org['east'].id}", headers=staff)
    assert_error(listed, 403, "forbidden")
    assert db.session.query(SurveyLink).count() == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"respondent": "client"}, "respondent"),
        ({"survey": "end_of_intervention", "respondent": "staff"}, "respondent"),
        ({"count": 0}, "count"),
        ({"count": 201}, "count"),
        ({"label": "Partner 850709-1234"}, "label"),
        ({"language": "de"}, "language"),
        ({"expires_on": "2027-02-02"}, "expires_on"),
        ({"expires_on": "2028-03-01"}, "expires_on"),
        ({"case_record_id": str(uuid.uuid4())}, "case_record_id"),
    ],
)
def test_bad_link_requests_name_their_field(client, org, chef, fields, field):
    assert_error(make_links(client, chef, org["verksamhet"], **fields), 422, "invalid_input", field)
    assert db.session.query(SurveyLink).count() == 0


def test_a_link_is_answered_once_and_lands_in_the_compilation(client, org, chef):
    asked = questions(client, chef, "annual")
    link = one_link(client, chef, org["verksamhet"], language="en")
    opened = client.get(f"/api/public/surveys/{link['token']}")
    assert opened.status_code == 200, opened.json
    assert opened.json["survey"] == "annual" and opened.json["language"] == "en"
    assert {q["id"] for q in opened.json["questions"]} >= set(asked.values())
    # Nothing of the unit, the case or the sender is shown to the respondent.
    assert set(opened.json) == {"survey", "language", "expires_on", "questions"}

    answers = {asked["scale"]: 4, asked["text"]: "Bra samverkan kring barnen"}
    answered = client.post(f"/api/public/surveys/{link['token']}", json={"answers": answers})
    assert answered.status_code == 201, answered.json
    response = db.session.scalars(select(SurveyResponse)).one()
    assert response.unit_id == org["verksamhet"].id
    assert response.survey == "annual" and response.respondent == "partner"
    assert response.answers == answers and response.answered_on == NOW.date()
    assert response.version == 1 and response.deleted is False  # an ordinary synced row

    again = client.post(f"/api/public/surveys/{link['token']}", json={"answers": answers})
    body = assert_error(again, 409, "invalid_state")
    assert body["link_state"] == "answered"
    assert "already been used" in body["message"]
    assert db.session.query(SurveyResponse).count() == 1
    reopened = assert_error(
        client.get(f"/api/public/surveys/{link['token']}"), 409, "invalid_state"
    )
    assert reopened["link_state"] == "answered"

    # The typed-in answers and the link's are one list, and one compilation.
    typed = {
        "unit_id": str(org["verksamhet"].id),
        "survey": "annual",
        "respondent": "staff",
        "answered_on": "2027-02-04",
        "answers": {asked["scale"]: 2},
    }
    assert client.post("/api/quality/survey-responses", json=typed, headers=chef).status_code == 201
    listed = client.get("/api/quality/survey-responses", headers=chef).json
    assert sorted(r["respondent"] for r in listed) == ["partner", "staff"]
    report = build_report(
        db.session, load_principal(db.session, org["chef"].id), org["verksamhet"].id, 2027
    )
    scale_text = next(
        q["text"]
        for q in client.get("/api/quality/survey-questions", headers=chef).json
        if q["id"] == asked["scale"]
    )
    (row,) = [r for r in report.survey_averages if r["question"] == scale_text]
    assert row["answers"] == 2 and row["figure"] == "medel 3,0 av 5"

    summary = client.get(
        f"/api/quality/survey-links/summary?unit_id={org['verksamhet'].id}", headers=chef
    )
    assert summary.json == [
        {"survey": "annual", "links": 1, "open": 0, "answered": 1, "expired": 0, "withdrawn": 0}
    ]


def test_reuse_is_refused_in_the_links_language(client, org, chef):
    asked = questions(client, chef, "annual")
    link = one_link(client, chef, org["verksamhet"])  # Swedish by default
    url = f"/api/public/surveys/{link['token']}"
    assert client.post(url, json={"answers": {asked["yes_no"]: True}}).status_code == 201
    refused = assert_error(
        client.post(url, json={"answers": {asked["yes_no"]: False}}), 409, "invalid_state"
    )
    assert "redan använts" in refused["message"]
    danish = assert_error(client.post(f"{url}?lang=da", json={"answers": {}}), 409, "invalid_state")
    assert "allerede brugt" in danish["message"]


def test_two_answers_at_once_make_one_response(app, client, org, chef):
    """The link is closed by a conditional update: the second answer finds it taken."""
    from server.services import survey_links

    asked = questions(client, chef, "annual")
    token = one_link(client, chef, org["verksamhet"])["token"]
    first = survey_links.find_link(db.session, token, "127.0.0.1", NOW)
    second_session = db.session  # the same row, read before the first answer commits
    survey_links.answer_link(db.session, first, {asked["scale"]: 5}, NOW)
    stale = SurveyLink(**{c.name: getattr(first, c.name) for c in SurveyLink.__table__.columns})
    stale.answered_on = None  # as a second request read it a moment earlier
    with pytest.raises(survey_links.InvalidState):
        survey_links.answer_link(second_session, stale, {asked["scale"]: 1}, NOW)
    db.session.rollback()


def test_an_expired_link_is_refused_and_a_reissued_one_works_with_a_new_token(
    client, org, chef, february
):
    asked = questions(client, chef, "annual")
    link = one_link(client, chef, org["verksamhet"], expires_on="2027-02-10")
    february["now"] = datetime(2027, 2, 11, 8, 0, tzinfo=UTC)
    chef = login(client, org["chef"])  # a week later: a new login
    expired = assert_error(client.get(f"/api/public/surveys/{link['token']}"), 409, "invalid_state")
    assert expired["link_state"] == "expired" and "2027-02-10" in expired["message"]
    open_ones = client.get(
        f"/api/quality/survey-links?unit_id={org['verksamhet'].id}&state=expired", headers=chef
    ).json
    assert [x["id"] for x in open_ones] == [link["id"]]

    again = client.post(f"/api/quality/survey-links/{link['id']}/reissue", json={}, headers=chef)
    assert again.status_code == 200, again.json
    assert again.json["token"] != link["token"] and again.json["issued_count"] == 2
    assert again.json["state"] == "open" and again.json["expires_on"] == "2027-03-01"
    # The old token opens nothing any more; the new one is answered.
    assert_error(client.get(f"/api/public/surveys/{link['token']}"), 404, "not_found")
    new_url = f"/api/public/surveys/{again.json['token']}"
    assert client.post(new_url, json={"answers": {asked["scale"]: 3}}).status_code == 201
    answered = client.post(f"/api/quality/survey-links/{link['id']}/reissue", json={}, headers=chef)
    assert_error(answered, 409, "invalid_state")


def test_a_withdrawn_link_is_refused(client, org, chef):
    link = one_link(client, chef, org["verksamhet"], language="da")
    withdrawn = client.post(f"/api/quality/survey-links/{link['id']}/withdraw", headers=chef)
    assert withdrawn.status_code == 200 and withdrawn.json["state"] == "withdrawn"
    refused = assert_error(client.get(f"/api/public/surveys/{link['token']}"), 409, "invalid_state")
    assert refused["link_state"] == "withdrawn" and "trukket tilbage" in refused["message"]


@pytest.mark.parametrize(
    ("answer_of", "reason"),
    [
        (lambda asked: {asked["scale"]: 6}, "1 to 5"),
        (lambda asked: {asked["scale"]: "4"}, "1 to 5"),
        (lambda asked: {asked["yes_no"]: "ja"}, "true or false"),
        (lambda asked: {asked["text"]: "Ring mig, 850709-1234"}, "personnummer"),
        (lambda asked: {asked["text"]: "x" * 2001}, "2000"),
        (lambda asked: {str(uuid.uuid4()): 3}, "Not a question"),
    ],
)
def test_bad_answers_name_the_question_and_leave_the_link_open(
    client, org, chef, answer_of, reason
):
    asked = questions(client, chef, "annual")
    link = one_link(client, chef, org["verksamhet"], language="en")
    answers = answer_of(asked)
    response = client.post(f"/api/public/surveys/{link['token']}", json={"answers": answers})
    (question_id,) = answers
    body = assert_error(response, 422, "invalid_input", f"answers.{question_id}")
    assert reason in body["fields"][f"answers.{question_id}"][0]
    assert db.session.query(SurveyResponse).count() == 0
    assert db.session.get(SurveyLink, uuid.UUID(link["id"])).answered_on is None


def test_an_empty_answer_is_refused(client, org, chef):
    link = one_link(client, chef, org["verksamhet"])
    response = client.post(f"/api/public/surveys/{link['token']}", json={"answers": {}})
    assert_error(response, 422, "invalid_input", "answers")


def test_guessing_tokens_is_slowed_down_and_translated(client, org, chef):
    link = one_link(client, chef, org["verksamhet"])
    for _ in range(FREE_GUESSES - 1):
        guess = client.get(
            f"/api/public/surveys/{uuid.uuid4().hex}", headers={"Accept-Language": "sv"}
        )
        assert_error(guess, 404, "not_found")
    last_free = client.get(
        f"/api/public/surveys/{uuid.uuid4().hex}", headers={"Accept-Language": "sv"}
    )
    assert "finns inte" in assert_error(last_free, 404, "not_found")["message"]
    held = client.get(f"/api/public/surveys/{link['token']}", headers={"Accept-Language": "sv"})
    body = assert_error(held, 429, "rate_limited")
    assert int(held.headers["Retry-After"]) >= 1 and "Vänta" in body["message"]
    # Another address is not held.
    other = client.get(
        f"/api/public/surveys/{link['token']}", environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    assert other.status_code == 200


def test_a_closed_case_gets_one_link_that_names_no_client(client, org, chef):
    staff = login(client, org["staff"])
    case = {
        "unit_id": str(org["east"].id),
        "case_code": "FS-12",
        "intervention": "Samtalsstöd",
        "started_on": "2026-09-01",
    }
    running = client.post("/api/quality/cases", json=case, headers=staff).json
    body = {
        "survey": "end_of_intervention",
        "respondent": "client",
        "case_record_id": running["id"],
    }
    assert_error(
        make_links(client, chef, org["east"], **body), 422, "invalid_input", "case_record_id"
    )
    client.patch(
        f"/api/quality/cases/{running['id']}", json={"ended_on": "2027-01-31"}, headers=staff
    )
    link = one_link(client, chef, org["east"], **body)
    assert link["case_record_id"] == running["id"]
    assert_error(
        make_links(client, chef, org["east"], **body), 422, "invalid_input", "case_record_id"
    )
    # The respondent sees the questions only: no case code, no unit.
    opened = client.get(f"/api/public/surveys/{link['token']}")
    assert "FS-12" not in opened.get_data(as_text=True)
    assert "Familjestödet" not in opened.get_data(as_text=True)
    asked = questions(client, chef, "end_of_intervention")
    answered = client.post(
        f"/api/public/surveys/{link['token']}", json={"answers": {asked["scale"]: 5}}
    )
    assert answered.status_code == 201
    response = db.session.scalars(select(SurveyResponse)).one()
    assert (
        response.case_record_id == uuid.UUID(running["id"]) and response.unit_id == org["east"].id
    )
    # Staff of the enhet see it with the typed-in ones (and their device receives it by sync).
    assert [
        r["respondent"] for r in client.get("/api/quality/survey-responses", headers=staff).json
    ] == ["client"]


def test_the_page_works_without_script_and_keeps_every_answer_on_a_mistake(client, org, chef):
    asked = questions(client, chef, "annual")
    link = one_link(client, chef, org["verksamhet"])
    page = client.get(f"/s/{link['token']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert '<html lang="sv">' in html and "<script" not in html and "style=" not in html
    assert "Skicka mina svar" in html
    kept = "Bättre samverkan kring barnen"
    form = {asked["text"]: f"{kept}, ring 850709-1234", asked["scale"]: "4"}
    mistaken = client.post(f"/s/{link['token']}?lang=sv", data=form)
    text = mistaken.get_data(as_text=True)
    assert mistaken.status_code == 422
    assert kept in text and 'value="4" checked' in text  # nothing typed is lost
    assert re.search(f'id="q-{asked["text"]}-error"', text) and "personnummer" in text
    form[asked["text"]] = kept
    thanks = client.post(f"/s/{link['token']}?lang=sv", data=form)
    assert thanks.status_code == 201 and "Tack!" in thanks.get_data(as_text=True)
    response = db.session.scalars(select(SurveyResponse)).one()
    assert response.answers == {asked["text"]: kept, asked["scale"]: 4}
    reused = client.post(f"/s/{link['token']}?lang=en", data=form)
    assert reused.status_code == 409 and "already been used" in reused.get_data(as_text=True)
    unknown = client.get("/s/" + "x" * 43, headers={"Accept-Language": "da"})
    assert unknown.status_code == 404 and "findes ikke" in unknown.get_data(as_text=True)
    css = client.get("/s/survey.css")
    assert css.status_code == 200 and css.mimetype == "text/css"


def test_default_expiry_follows_seed_004():
    assert default_expiry("annual", date(2027, 2, 3)) == date(2027, 3, 1)
    assert default_expiry("annual", date(2027, 3, 1)) == date(2027, 3, 1)
    assert default_expiry("annual", date(2027, 3, 2)) == date(2027, 4, 1)
    assert default_expiry("end_of_intervention", date(2027, 2, 3)) == date(2027, 2, 3) + timedelta(
        30
    )


def test_a_link_whose_case_was_deleted_is_withdrawn_with_it(client, org, chef):
    staff = login(client, org["staff"])
    case = {
        "unit_id": str(org["east"].id),
        "case_code": "FS-13",
        "intervention": "Samtalsstöd",
        "started_on": "2026-09-01",
        "ended_on": "2027-01-20",
    }
    made = client.post("/api/quality/cases", json=case, headers=staff).json
    body = {"survey": "end_of_intervention", "respondent": "client", "case_record_id": made["id"]}
    link = one_link(client, chef, org["east"], **body)
    assert client.delete(f"/api/quality/cases/{made['id']}", headers=staff).status_code == 204
    refused = assert_error(client.get(f"/api/public/surveys/{link['token']}"), 409, "invalid_state")
    assert refused["link_state"] == "withdrawn"
    asked = questions(client, chef, "end_of_intervention")
    again = client.post(
        f"/api/public/surveys/{link['token']}", json={"answers": {asked["scale"]: 2}}
    )
    assert_error(again, 409, "invalid_state")
    assert db.session.query(SurveyResponse).count() == 0
