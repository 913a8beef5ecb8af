"""The individual follow-up stays pseudonymous: case codes, never names or personnummer."""

from __future__ import annotations

import pytest

from server.extensions import db
from server.models import CaseRecord
from server.services.quality_pseudonymity import case_code_problem, contains_identity_number
from tests.helpers import assert_error, login


@pytest.mark.parametrize(
    "text",
    [
        "850709-1234",  # YYMMDD-NNNN
        "850709+1234",  # over 100 years old
        "8507091234",  # YYMMDDNNNN
        "198507091234",  # YYYYMMDDNNNN
        "19850709-1234",
        "Brukaren (850769-1234) ringde",  # samordningsnummer: day + 60
        "pnr 200001011234.",
        "ring 0701234567",  # a phone number shaped like one is refused too
    ],
)
def test_identity_number_shapes_are_found(text):
    assert contains_identity_number(text)


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-01",
        "Möte 12 mars kl 14.00, 3 deltagare",
        "8507091",  # too short
        "851309-1234",  # month 13
        "850700-1234",  # day 00
        "850732-1234",  # day 32 (and not 61-91)
        "1234567890123",  # inside a longer number
        "Ärende BJ-2026-014",
    ],
)
def test_ordinary_text_and_dates_pass(text):
    assert not contains_identity_number(text)


@pytest.mark.parametrize("code", ["BJ-2026-014", "17", "ÖV-3", "ABC123", "2026-0042"])
def test_case_codes_of_letters_and_digit_groups_are_accepted(code):
    assert case_code_problem(code) is None


@pytest.mark.parametrize(
    "code",
    ["Anna", "Anna-1", "Kalle Anka", "850709-1234", "198507091234", "BJ-850709", "", "BJ--1"],
)
def test_names_and_identity_numbers_are_not_case_codes(code):
    assert case_code_problem(code) is not None


@pytest.fixture
def enhet(factory):
    verksamhet = factory.unit(kind="se_verksamhet", name="Öppenvården")
    return factory.unit(kind="se_enhet", parent=verksamhet, name="Familjestödet")


@pytest.fixture
def staff(factory, enhet):
    return factory.user(("staff", enhet))


def case_body(enhet, **fields):
    return {
        "unit_id": str(enhet.id),
        "case_code": "FS-2026-001",
        "intervention": "Föräldrastöd",
        "age_band": "30-49",
        "gender": "female",
        "needs": ["Föräldraskap", "Boende"],
        "started_on": "2026-01-10",
        **fields,
    }


def test_a_pseudonymous_case_is_stored(client, enhet, staff):
    headers = login(client, staff)
    response = client.post("/api/quality/cases", json=case_body(enhet), headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["case_code"] == "FS-2026-001"
    assert db.session.query(CaseRecord).one().needs == ["Föräldraskap", "Boende"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"case_code": "Anna Svensson"}, "case_code"),
        ({"case_code": "850709-1234"}, "case_code"),
        ({"intervention": "Stöd till 850709-1234"}, "intervention"),
        ({"needs": ["Boende", "Pnr 19850709-1234"]}, "needs"),
        ({"situation_note": "Se 850769-1234", "ended_on": "2026-03-01"}, "situation_note"),
    ],
)
def test_personnummer_in_any_field_or_a_name_as_code_is_refused(
    client, enhet, staff, fields, field
):
    headers = login(client, staff)
    response = client.post("/api/quality/cases", json=case_body(enhet, **fields), headers=headers)
    body = assert_error(response, 422, "invalid_input", field)
    assert "850709" not in body["message"]  # the refusal does not echo the number
    assert db.session.query(CaseRecord).count() == 0


def test_an_edit_that_adds_a_personnummer_is_refused_and_the_row_kept(client, enhet, staff):
    headers = login(client, staff)
    case = client.post("/api/quality/cases", json=case_body(enhet), headers=headers).json
    response = client.patch(
        f"/api/quality/cases/{case['id']}",
        json={"ended_on": "2026-04-01", "situation_note": "Flyttat, ny pnr 8507091234"},
        headers=headers,
    )
    assert_error(response, 422, "invalid_input", "situation_note")
    db.session.expire_all()
    stored = db.session.query(CaseRecord).one()
    assert (stored.ended_on, stored.situation_note, stored.version) == (None, None, 1)


def test_a_case_code_is_unique_within_the_enhet(client, enhet, staff):
    headers = login(client, staff)
    assert (
        client.post("/api/quality/cases", json=case_body(enhet), headers=headers).status_code == 201
    )
    again = client.post("/api/quality/cases", json=case_body(enhet), headers=headers)
    assert_error(again, 422, "invalid_input", "case_code")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ended_on": "2026-01-01"}, "ended_on"),  # before the start
        ({"end_reason": "planned"}, "end_reason"),  # not ended
        ({"needs_met": "yes"}, "needs_met"),
        ({"age_band": "40-45"}, "age_band"),
        ({"gender": "f"}, "gender"),
    ],
)
def test_inconsistent_case_fields_are_refused(client, enhet, staff, fields, field):
    headers = login(client, staff)
    response = client.post("/api/quality/cases", json=case_body(enhet, **fields), headers=headers)
    assert_error(response, 422, "invalid_input", field)


def test_free_text_of_the_register_is_checked_too(client, enhet, staff):
    headers = login(client, staff)
    body = {
        "unit_id": str(enhet.id),
        "entry_date": "2026-02-02",
        "kind": "lex_sarah",
        "title": "Utredning",
        "description": "Gällde brukare 850709-1234",
    }
    response = client.post("/api/quality/register", json=body, headers=headers)
    assert_error(response, 422, "invalid_input", "description")
