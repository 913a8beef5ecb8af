"""Admins manage units, users and memberships, only within the units they administer."""

from __future__ import annotations

import uuid

import pytest

from server.extensions import db
from server.models import Membership, Unit, User
from tests.helpers import assert_error, login


@pytest.fixture
def org(factory):
    top_a = factory.unit(name="Kommune A")
    top_b = factory.unit(name="Kommune B")
    admin_a = factory.user(("admin", top_a))
    staff_b = factory.user(("staff", top_b))
    return top_a, top_b, admin_a, staff_b


def test_admin_adds_a_unit_below_their_own(client, org):
    top_a, _, admin_a, _ = org
    response = client.post(
        "/api/units",
        headers=login(client, admin_a),
        json={"parent_id": str(top_a.id), "name": "Afdeling Syd", "kind": "dk_afdeling"},
    )
    assert response.status_code == 201, response.json
    unit = db.session.get(Unit, uuid.UUID(response.json["id"]))
    assert unit.parent_id == top_a.id and unit.organisation_id == top_a.organisation_id


def test_admin_creates_a_user_with_a_role_who_can_then_log_in(client, org):
    top_a, _, admin_a, _ = org
    response = client.post(
        "/api/users",
        headers=login(client, admin_a),
        json={
            "email": "ny@test.example",
            "name": "Ny Medarbejder",
            "password": "long enough pw",
            "memberships": [{"unit_id": str(top_a.id), "role": "staff"}],
        },
    )
    assert response.status_code == 201, response.json
    assert "password" not in response.json and "password_hash" not in response.json
    assert (
        client.post(
            "/api/auth/login", json={"email": "ny@test.example", "password": "long enough pw"}
        ).status_code
        == 200
    )


def test_duplicate_email_and_short_password_name_the_field(client, org):
    top_a, _, admin_a, staff_b = org
    headers = login(client, admin_a)
    base = {"name": "X", "memberships": [{"unit_id": str(top_a.id), "role": "staff"}]}
    response = client.post(
        "/api/users",
        headers=headers,
        json={**base, "email": staff_b.email.upper(), "password": "long enough pw"},
    )
    assert_error(response, 422, "invalid_input", field="email")
    response = client.post(
        "/api/users", headers=headers, json={**base, "email": "a@b.example", "password": "short"}
    )
    assert_error(response, 422, "invalid_input", field="password")


def test_admin_cannot_reach_into_another_organisation(client, org):
    _, top_b, admin_a, staff_b = org
    headers = login(client, admin_a)
    before = (db.session.query(Unit).count(), db.session.query(Membership).count())
    calls = [
        ("POST", "/api/units", {"parent_id": str(top_b.id), "name": "X", "kind": "dk_afdeling"}),
        ("PATCH", f"/api/units/{top_b.id}", {"name": "Overtaget"}),
        (
            "POST",
            "/api/memberships",
            {"user_id": str(staff_b.id), "unit_id": str(top_b.id), "role": "admin"},
        ),
        ("DELETE", f"/api/memberships/{staff_b.memberships[0].id}", None),
        ("POST", f"/api/users/{staff_b.id}/deactivate", None),
        ("PATCH", f"/api/users/{staff_b.id}", {"name": "Overtaget", "password": "new password"}),
        (
            "POST",
            "/api/users",
            {
                "email": "x@y.example",
                "name": "X",
                "password": "long enough pw",
                "memberships": [{"unit_id": str(top_b.id), "role": "staff"}],
            },
        ),
    ]
    for method, path, body in calls:
        response = client.open(path, method=method, headers=headers, json=body)
        assert response.status_code == 404, (path, response.json)
    assert [u["email"] for u in client.get("/api/users", headers=headers).json] == [admin_a.email]
    db.session.expire_all()
    assert (db.session.query(Unit).count(), db.session.query(Membership).count()) == before
    assert db.session.get(User, staff_b.id).active
    assert db.session.get(User, staff_b.id).name != "Overtaget"


def test_non_admins_cannot_administer(client, factory):
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    response = client.post(
        "/api/units",
        headers=login(client, manager),
        json={"parent_id": str(unit.id), "name": "X", "kind": "dk_afdeling"},
    )
    assert_error(response, 403, "forbidden")


def test_deactivating_a_user_ends_their_sessions_at_once(client, factory):
    unit = factory.unit()
    admin = factory.user(("admin", unit))
    staff = factory.user(("staff", unit))
    staff_headers = login(client, staff)
    response = client.post(f"/api/users/{staff.id}/deactivate", headers=login(client, admin))
    assert response.status_code == 200 and response.json["active"] is False
    assert_error(client.get("/api/auth/me", headers=staff_headers), 401, "unauthenticated")


def test_revoking_a_membership_hides_the_unit_at_once(client, factory):
    unit = factory.unit()
    plan = factory.plan(unit)
    admin = factory.user(("admin", unit))
    staff = factory.user(("staff", unit), ("staff", factory.unit()))
    staff_headers = login(client, staff)
    assert client.get(f"/api/plans/{plan.id}", headers=staff_headers).status_code == 200
    [membership_id] = [m.id for m in staff.memberships if m.unit_id == unit.id]
    assert (
        client.delete(f"/api/memberships/{membership_id}", headers=login(client, admin)).status_code
        == 204
    )
    assert_error(client.get(f"/api/plans/{plan.id}", headers=staff_headers), 404, "not_found")


def test_a_deactivation_that_fails_partway_changes_nothing(client, factory, monkeypatch):
    """The user, their tokens and the audit go together or not at all: revoking the tokens
    used to commit on its own, halfway through the request."""
    from server.api import admin as admin_api

    unit = factory.unit()
    admin = factory.user(("admin", unit))
    staff = factory.user(("staff", unit))
    staff_headers = login(client, staff)
    deactivate = admin_api.admin.deactivate_user

    def deactivate_then_fail(*args):
        deactivate(*args)
        raise RuntimeError("the request fails after the tokens were revoked")

    monkeypatch.setattr(admin_api.admin, "deactivate_user", deactivate_then_fail)
    try:
        response = client.post(f"/api/users/{staff.id}/deactivate", headers=login(client, admin))
        assert response.status_code == 500
    except RuntimeError:
        pass  # the test app lets it through
    db.session.expire_all()
    assert db.session.get(User, staff.id).active is True
    assert client.get("/api/auth/me", headers=staff_headers).status_code == 200


def test_an_admin_corrects_a_user_and_sets_a_new_password(client, factory):
    unit = factory.unit()
    admin = factory.user(("admin", unit))
    staff = factory.user(("staff", unit))
    staff_headers = login(client, staff)
    response = client.patch(
        f"/api/users/{staff.id}",
        headers=login(client, admin),
        json={"name": "Kirsten Holm", "email": "kirsten@bosted.example", "language": "sv"},
    )
    assert response.status_code == 200, response.json
    assert (response.json["name"], response.json["email"], response.json["language"]) == (
        "Kirsten Holm",
        "kirsten@bosted.example",
        "sv",
    )
    assert "password" not in response.json
    # A correction leaves the user logged in; a new password ends their sessions.
    assert client.get("/api/auth/me", headers=staff_headers).status_code == 200
    response = client.patch(
        f"/api/users/{staff.id}",
        headers=login(client, admin),
        json={"password": "a new password 1"},
    )
    assert response.status_code == 200
    assert_error(client.get("/api/auth/me", headers=staff_headers), 401, "unauthenticated")
    login_with = {"email": "kirsten@bosted.example", "password": "a new password 1"}
    assert client.post("/api/auth/login", json=login_with).status_code == 200


def test_an_admin_reactivates_a_user_but_cannot_deactivate_themselves(client, factory):
    unit = factory.unit()
    admin = factory.user(("admin", unit))
    staff = factory.user(("staff", unit))
    headers = login(client, admin)
    assert client.post(f"/api/users/{staff.id}/deactivate", headers=headers).status_code == 200
    response = client.patch(f"/api/users/{staff.id}", headers=headers, json={"active": True})
    assert response.status_code == 200 and response.json["active"] is True
    assert login(client, staff)  # may log in again

    response = client.patch(f"/api/users/{admin.id}", headers=headers, json={"active": False})
    assert_error(response, 422, "invalid_input", field="active")
    db.session.expire_all()
    assert db.session.get(User, admin.id).active


def test_a_user_edit_refuses_a_taken_email_and_bad_values(client, factory):
    unit = factory.unit()
    admin = factory.user(("admin", unit))
    staff = factory.user(("staff", unit))
    headers = login(client, admin)
    for body, field in (
        ({"email": admin.email.upper()}, "email"),
        ({"email": "not an email"}, "email"),
        ({"password": "short"}, "password"),
        ({"name": ""}, "name"),
        ({"language": "de"}, "language"),
        ({"role": "admin"}, "role"),
    ):
        response = client.patch(f"/api/users/{staff.id}", headers=headers, json=body)
        assert_error(response, 422, "invalid_input", field=field)
    db.session.expire_all()
    assert db.session.get(User, staff.id).email == staff.email


def test_an_active_users_last_role_stays_until_they_are_deactivated(client, factory):
    """A user with no role is in no admin's list: still able to log in, nobody could stop them."""
    unit = factory.unit()
    admin = factory.user(("admin", unit))
    staff = factory.user(("staff", unit))
    headers = login(client, admin)
    membership_id = staff.memberships[0].id
    response = client.delete(f"/api/memberships/{membership_id}", headers=headers)
    assert_error(response, 409, "invalid_state")
    assert "Deactivate the user first" in response.json["message"]
    assert [u["id"] for u in client.get("/api/users", headers=headers).json].count(
        str(staff.id)
    ) == 1

    assert client.post(f"/api/users/{staff.id}/deactivate", headers=headers).status_code == 200
    assert client.delete(f"/api/memberships/{membership_id}", headers=headers).status_code == 204
