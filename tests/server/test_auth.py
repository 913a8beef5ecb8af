from datetime import timedelta

import pytest

from server import clock
from server.extensions import db
from server.models import AuthToken
from tests.helpers import assert_error, login


@pytest.fixture
def member(factory):
    unit = factory.unit(name="Lærkevej")
    return factory.user(("staff", unit), email="Staff@Test.example")


def test_login_returns_token_and_memberships(client, member):
    response = client.post(
        "/api/auth/login", json={"email": "staff@test.example", "password": "correct horse battery"}
    )
    assert response.status_code == 200
    body = response.json
    assert len(body["token"]) > 30
    assert body["user"]["email"] == "Staff@Test.example"
    assert body["user"]["memberships"] == [
        {"unit_id": str(member.memberships[0].unit_id), "unit_name": "Lærkevej", "role": "staff"}
    ]
    # Only a hash of the token is stored.
    stored = db.session.query(AuthToken).one()
    assert body["token"] not in stored.token_hash


@pytest.mark.parametrize("email", ["staff@test.example", "nobody@test.example"])
def test_wrong_credentials_get_401_without_saying_which(client, member, email):
    response = client.post("/api/auth/login", json={"email": email, "password": "wrong-password"})
    body = assert_error(response, 401, "unauthenticated")
    assert body["message"] == "Wrong email or password."


def test_login_body_is_validated(client):
    response = client.post("/api/auth/login", json={"email": "not-an-email", "extra": 1})
    body = assert_error(response, 422, "invalid_input", field="email")
    assert "password" in body["fields"] and "extra" in body["fields"]


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nonsense", "Basic abc"])
def test_api_refuses_missing_or_bad_tokens(client, header):
    headers = {"Authorization": header} if header else {}
    assert_error(client.get("/api/plans", headers=headers), 401, "unauthenticated")


def test_logout_revokes_the_token_at_once(client, member):
    headers = login(client, member)
    assert client.get("/api/auth/me", headers=headers).status_code == 200
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert_error(client.get("/api/auth/me", headers=headers), 401, "unauthenticated")


def test_tokens_expire(client, member, app, monkeypatch):
    headers = login(client, member)
    later = clock.now() + timedelta(hours=app.config["TOKEN_TTL_HOURS"], seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert_error(client.get("/api/auth/me", headers=headers), 401, "unauthenticated")


def test_inactive_user_is_refused_even_with_a_live_token(client, member):
    headers = login(client, member)
    member.active = False
    db.session.commit()
    assert_error(client.get("/api/auth/me", headers=headers), 401, "unauthenticated")
