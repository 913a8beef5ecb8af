from datetime import timedelta

import pytest
from sqlalchemy import select

from server import clock
from server.extensions import db
from server.models import AuthToken, User
from server.services import password_policy
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


# -- the password policy (server/services/password_policy.py) --------------------------------


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("kort", password_policy.TOO_SHORT),
        ("password", password_policy.COMMON),
        ("12345678", password_policy.COMMON),
        ("Kodeord123", password_policy.COMMON),
        ("sommer2024", password_policy.COMMON),
        ("ny.kollega@bosted.example", password_policy.PERSONAL),
        ("NY.KOLLEGA@BOSTED.EXAMPLE", password_policy.PERSONAL),
        ("kollega2024!", password_policy.PERSONAL),
        ("Birgitte Holm 1", password_policy.PERSONAL),
        ("aaaaaaaaaaaa", password_policy.GUESSABLE),
        ("abcdefghijk", password_policy.GUESSABLE),
    ],
)
def test_an_admin_cannot_give_a_new_user_a_weak_password_and_is_told_why(
    client, factory, password, reason
):
    unit = factory.unit()
    admin = factory.user(("admin", unit))
    response = client.post(
        "/api/users",
        headers=login(client, admin),
        json={
            "email": "ny.kollega@bosted.example",
            "name": "Birgitte Holm",
            "password": password,
            "memberships": [{"unit_id": str(unit.id), "role": "staff"}],
        },
    )
    if len(password) < password_policy.MIN_LENGTH:
        # The schema refuses it first, naming the same field.
        assert_error(response, 422, "invalid_input", field="password")
    else:
        body = assert_error(response, 422, "invalid_input", field="password")
        assert body["fields"] == {"password": [reason]}
    assert db.session.scalar(select(User).where(User.email == "ny.kollega@bosted.example")) is None


def test_a_weak_new_password_is_refused_and_the_old_one_still_works(client, factory):
    unit = factory.unit()
    admin = factory.user(("admin", unit))
    staff = factory.user(("staff", unit), email="kirsten@bosted.example", name="Kirsten Holm")
    old_hash = staff.password_hash
    response = client.patch(
        f"/api/users/{staff.id}", headers=login(client, admin), json={"password": "kirsten123"}
    )
    body = assert_error(response, 422, "invalid_input", field="password")
    assert body["fields"]["password"] == [password_policy.PERSONAL]
    db.session.expire_all()
    assert db.session.get(User, staff.id).password_hash == old_hash
    login(client, staff)


def test_a_new_password_is_checked_against_the_email_it_is_set_with(client, factory):
    unit = factory.unit()
    admin = factory.user(("admin", unit))
    staff = factory.user(("staff", unit))
    response = client.patch(
        f"/api/users/{staff.id}",
        headers=login(client, admin),
        json={"email": "margrethe.vinding@bosted.example", "password": "Vinding2025"},
    )
    assert_error(response, 422, "invalid_input", field="password")
    db.session.expire_all()
    assert db.session.get(User, staff.id).email == staff.email


@pytest.mark.parametrize("password", ["password", "it-chef@kommune.test"])
def test_create_user_on_the_command_line_refuses_a_weak_password(runner, monkeypatch, password):
    monkeypatch.setenv("FOLG_NEW_USER_PASSWORD", password)
    result = runner.invoke(args=["create-user", "--email", "it-chef@kommune.test", "--name", "IT"])
    assert result.exit_code != 0
    assert str(password_policy.WEAK_PASSWORD) in result.output
    assert db.session.scalar(select(User).where(User.email == "it-chef@kommune.test")) is None


@pytest.mark.parametrize(
    "password", ["correct horse battery", "vej-til-bedre-planer", "Lærkevej i regnvejr 7"]
)
def test_a_strong_password_is_accepted(password):
    assert password_policy.password_problem(password, email="a@b.example", name="A B") is None


def test_a_password_past_72_characters_is_scored_on_its_start():
    assert password_policy.password_problem("x" * 1000, email="a@b.example", name="A") is not None
    strong = "vej-til-bedre-planer " * 50
    assert password_policy.password_problem(strong, email="a@b.example", name="A") is None
