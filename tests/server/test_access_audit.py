"""Every change of who may do what leaves an audit event, on SQLite and PostgreSQL: users,
memberships, units and login tokens, through REST, the CLI and any other path; never a
password hash or a token. Admins, and only admins, read that history."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from server import clock
from server.demo import DEMO_LOGINS
from server.extensions import db
from server.models import AuditEvent, AuthToken, Membership, User
from server.models.versioning import act_as
from server.services.auth import hash_password
from tests.factories import PASSWORD
from tests.helpers import assert_error, login


def _events(table: str, row_id) -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.table_name == table, AuditEvent.row_id == row_id)
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )


def _only_event(table: str, row_id, action: str) -> AuditEvent:
    [event] = [e for e in _events(table, row_id) if e.action == action]
    return event


def _bearer(headers: dict[str, str]) -> str:
    return headers["Authorization"].removeprefix("Bearer ")


@pytest.fixture
def unit(factory):
    return factory.unit(name="Lærkevej")


@pytest.fixture
def admin(factory, unit):
    return factory.user(("admin", unit), name="Admin Anna")


# -- each path records its event ---------------------------------------------------------


def test_creating_a_user_records_the_user_and_each_role_without_the_password(client, unit, admin):
    response = client.post(
        "/api/users",
        headers=login(client, admin),
        json={
            "email": "ny@test.example",
            "name": "Ny Medarbejder",
            "password": "long enough pw",
            "language": "sv",
            "memberships": [{"unit_id": str(unit.id), "role": "staff"}],
        },
    )
    assert response.status_code == 201, response.json
    user_id = uuid.UUID(response.json["id"])

    created = _only_event("users", user_id, "create")
    assert (created.user_id, created.via, created.subject_user_id) == (admin.id, "rest", user_id)
    assert created.changes == {
        "email": [None, "ny@test.example"],
        "name": [None, "Ny Medarbejder"],
        "language": [None, "sv"],
        "active": [None, True],
    }
    membership = db.session.scalars(select(Membership).where(Membership.user_id == user_id)).one()
    granted = _only_event("memberships", membership.id, "create")
    assert (granted.user_id, granted.unit_id, granted.subject_user_id) == (
        admin.id,
        unit.id,
        user_id,
    )
    assert granted.changes["role"] == [None, "staff"]
    assert granted.changes["user_id"] == [None, str(user_id)]


def test_an_admins_edit_of_a_user_is_recorded_without_the_password(client, factory, unit, admin):
    staff = factory.user(("staff", unit))
    old_name = staff.name
    response = client.patch(
        f"/api/users/{staff.id}",
        headers=login(client, admin),
        json={"name": "Rettet Navn", "password": "a new password 1"},
    )
    assert response.status_code == 200, response.json

    edited = _only_event("users", staff.id, "update")
    assert edited.changes == {
        "name": [old_name, "Rettet Navn"],
        "password": ["(changed)", "(changed)"],
    }
    assert (edited.user_id, edited.via) == (admin.id, "rest")


def test_deactivating_a_user_records_it_and_each_revoked_token(client, factory, unit, admin):
    staff = factory.user(("staff", unit))
    login(client, staff)
    login(client, staff)

    response = client.post(f"/api/users/{staff.id}/deactivate", headers=login(client, admin))
    assert response.status_code == 200, response.json

    deactivated = _only_event("users", staff.id, "update")
    assert deactivated.changes == {"active": [True, False]}
    assert (deactivated.user_id, deactivated.via) == (admin.id, "rest")
    tokens = db.session.scalars(select(AuthToken.id).where(AuthToken.user_id == staff.id)).all()
    assert len(tokens) == 2
    for token_id in tokens:
        revoked = _only_event("auth_tokens", token_id, "revoke")
        assert (revoked.user_id, revoked.subject_user_id) == (admin.id, staff.id)
        assert list(revoked.changes) == ["revoked_at"]
        assert revoked.changes["revoked_at"][0] is None


def test_granting_and_revoking_a_membership_records_both_with_the_unit(
    client, factory, unit, admin
):
    staff = factory.user(("staff", unit))
    headers = login(client, admin)
    response = client.post(
        "/api/memberships",
        headers=headers,
        json={"user_id": str(staff.id), "unit_id": str(unit.id), "role": "manager"},
    )
    assert response.status_code == 201, response.json
    membership_id = uuid.UUID(response.json["id"])
    assert client.delete(f"/api/memberships/{membership_id}", headers=headers).status_code == 204

    granted, revoked = _events("memberships", membership_id)
    assert (granted.action, revoked.action) == ("create", "delete")
    for event in (granted, revoked):
        assert (event.user_id, event.unit_id, event.subject_user_id) == (
            admin.id,
            unit.id,
            staff.id,
        )
    assert revoked.changes["role"] == ["manager", None]
    assert revoked.changes["unit_id"] == [str(unit.id), None]


def test_adding_and_renaming_a_unit_is_recorded_with_the_admin(client, unit, admin):
    headers = login(client, admin)
    response = client.post(
        "/api/units",
        headers=headers,
        json={"parent_id": str(unit.id), "name": "Afdeling Syd", "kind": "dk_afdeling"},
    )
    assert response.status_code == 201, response.json
    unit_id = uuid.UUID(response.json["id"])
    response = client.patch(f"/api/units/{unit_id}", headers=headers, json={"name": "Syd"})
    assert response.status_code == 200, response.json

    created, renamed = _events("units", unit_id)
    assert created.action == "create" and created.changes["parent_id"] == [None, str(unit.id)]
    assert renamed.action == "update" and renamed.changes == {"name": ["Afdeling Syd", "Syd"]}
    assert {created.user_id, renamed.user_id} == {admin.id}


def test_logout_records_the_revoked_token_as_the_users_own_act(client, factory, unit):
    staff = factory.user(("staff", unit))
    headers = login(client, staff)
    assert client.post("/api/auth/logout", headers=headers).status_code == 204

    token = db.session.scalars(select(AuthToken).where(AuthToken.user_id == staff.id)).one()
    revoked = _only_event("auth_tokens", token.id, "revoke")
    assert (revoked.user_id, revoked.subject_user_id, revoked.via) == (staff.id, staff.id, "rest")


def test_logging_in_is_not_recorded(client, factory, unit):
    staff = factory.user(("staff", unit))
    login(client, staff)
    db.session.expire_all()
    events = db.session.scalars(select(AuditEvent.table_name)).all()
    assert "auth_tokens" not in events


# The API has no path yet to edit a user, change a role or set a password; the flush hook
# records them whichever path makes them, as these direct changes show.


def test_changing_a_users_name_email_and_language_records_old_and_new(app, factory, unit, admin):
    user = factory.user(("staff", unit), email="old@test.example", name="Old Name", language="da")
    act_as(db.session, admin.id, "rest")
    user.email, user.name, user.language = "new@test.example", "New Name", "sv"
    db.session.commit()

    event = _only_event("users", user.id, "update")
    assert event.changes == {
        "email": ["old@test.example", "new@test.example"],
        "name": ["Old Name", "New Name"],
        "language": ["da", "sv"],
    }
    assert event.user_id == admin.id


def test_a_role_change_records_the_old_and_new_role(app, factory, unit, admin):
    staff = factory.user(("staff", unit))
    membership = staff.memberships[0]
    act_as(db.session, admin.id, "rest")
    membership.role = "manager"
    db.session.commit()

    event = _only_event("memberships", membership.id, "update")
    assert event.changes == {"role": ["staff", "manager"]}
    assert (event.unit_id, event.subject_user_id) == (unit.id, staff.id)


def test_a_new_password_is_recorded_as_changed_never_as_a_hash(app, factory, unit):
    staff = factory.user(("staff", unit))
    act_as(db.session, staff.id, "rest")
    staff.password_hash = hash_password("a brand new password", email=staff.email, name=staff.name)
    db.session.commit()

    event = _only_event("users", staff.id, "update")
    assert event.changes == {"password": ["(changed)", "(changed)"]}


def test_a_membership_added_through_the_relationship_names_its_user_and_unit(app, unit):
    act_as(db.session, None, "cli")
    user = User(
        email="rel@test.example",
        name="Rel",
        password_hash=hash_password(PASSWORD, email="rel@test.example", name="Rel"),
        created_at=clock.now(),
    )
    user.memberships.append(Membership(unit=unit, role="staff"))
    db.session.add(user)
    db.session.commit()

    membership = user.memberships[0]
    event = _only_event("memberships", membership.id, "create")
    assert (event.subject_user_id, event.unit_id) == (user.id, unit.id)
    assert event.changes["user_id"] == [None, str(user.id)]


def test_create_user_on_the_command_line_is_recorded_as_cli(runner, unit, monkeypatch):
    monkeypatch.setenv("FOLG_NEW_USER_PASSWORD", "en lang adgangskode")
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "cli@test.example",
            "--name",
            "Cli",
            "--role",
            "admin:Lærkevej",
        ]
    )
    assert result.exit_code == 0, result.output

    user = db.session.scalar(select(User).where(User.email == "cli@test.example"))
    created = _only_event("users", user.id, "create")
    granted = _only_event("memberships", user.memberships[0].id, "create")
    for event in (created, granted):
        assert (event.user_id, event.via) == (None, "cli")
    assert granted.changes["role"] == [None, "admin"]


def test_no_audit_event_holds_a_password_hash_or_a_token(client, factory, unit, admin):
    staff = factory.user(("staff", unit))
    staff_headers = login(client, staff)
    admin_headers = login(client, admin)
    client.post(
        "/api/users",
        headers=admin_headers,
        json={
            "email": "x@test.example",
            "name": "X",
            "password": "long enough pw",
            "memberships": [{"unit_id": str(unit.id), "role": "staff"}],
        },
    )
    act_as(db.session, staff.id, "rest")
    staff.password_hash = hash_password("a brand new password", email=staff.email, name=staff.name)
    db.session.commit()
    client.post("/api/auth/logout", headers=staff_headers)
    client.post(f"/api/users/{staff.id}/deactivate", headers=admin_headers)

    db.session.expire_all()
    stored = json.dumps([e.changes for e in db.session.scalars(select(AuditEvent))])
    tokens = [_bearer(staff_headers), _bearer(admin_headers)]
    secrets = [
        "$argon2",
        "long enough pw",
        "a brand new password",
        *tokens,
        *(hashlib.sha256(t.encode()).hexdigest() for t in tokens),
        *db.session.scalars(select(AuthToken.token_hash)),
    ]
    assert [secret for secret in secrets if secret in stored] == []
    assert '"password": ["(changed)", "(changed)"]' in stored


# -- GET /api/admin/audit ----------------------------------------------------------------


@pytest.fixture
def two_orgs(factory):
    top_a, top_b = factory.unit(name="Kommune A"), factory.unit(name="Kommune B")
    admin_a = factory.user(("admin", top_a), name="Admin A")
    admin_b = factory.user(("admin", top_b), name="Admin B")
    staff_a = factory.user(("staff", top_a), name="Staff A")
    staff_b = factory.user(("staff", top_b), name="Staff B")
    return top_a, top_b, admin_a, admin_b, staff_a, staff_b


def _history(client, headers, **query):
    response = client.get("/api/admin/audit", headers=headers, query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def test_admin_reads_who_gave_whom_which_role_newest_first(client, two_orgs):
    top_a, _, admin_a, _, staff_a, _ = two_orgs
    headers = login(client, admin_a)
    response = client.post(
        "/api/memberships",
        headers=headers,
        json={"user_id": str(staff_a.id), "unit_id": str(top_a.id), "role": "manager"},
    )
    assert response.status_code == 201

    page = _history(client, headers, kind="membership")
    newest = page["events"][0]
    assert newest["action"] == "create" and newest["via"] == "rest"
    assert (newest["actor_id"], newest["actor_name"]) == (str(admin_a.id), "Admin A")
    assert (newest["subject_user_id"], newest["subject_user_name"]) == (str(staff_a.id), "Staff A")
    assert newest["unit_id"] == str(top_a.id) and newest["kind"] == "membership"
    assert newest["changes"]["role"] == [None, "manager"]
    times = [event["at"] for event in page["events"]]
    assert times == sorted(times, reverse=True)
    assert page["next_before"] is None


def test_admin_sees_nothing_of_another_organisation(client, two_orgs):
    top_a, top_b, admin_a, admin_b, staff_a, staff_b = two_orgs
    events = _history(client, login(client, admin_a), limit=500)["events"]
    seen = {e["row_id"] for e in events} | {e["subject_user_id"] for e in events}
    assert {str(top_a.id), str(admin_a.id), str(staff_a.id)} <= seen
    assert not seen & {str(top_b.id), str(admin_b.id), str(staff_b.id)}
    assert_error(
        client.get(f"/api/admin/audit?unit_id={top_b.id}", headers=login(client, admin_a)),
        404,
        "not_found",
    )


@pytest.mark.parametrize("role", ["staff", "inspector"])
def test_only_admins_and_managers_read_the_access_history(client, factory, role):
    unit = factory.unit()
    user = factory.user((role, unit))
    headers = login(client, user)
    assert_error(client.get("/api/admin/audit", headers=headers), 403, "forbidden")
    assert_error(client.get("/api/admin/audit"), 401, "unauthenticated")


def test_the_history_filters_by_kind_row_actor_subject_unit_and_time(client, two_orgs):
    top_a, _, admin_a, _, staff_a, _ = two_orgs
    headers = login(client, admin_a)
    assert client.post(f"/api/users/{staff_a.id}/deactivate", headers=headers).status_code == 200
    deactivation = _only_event("users", staff_a.id, "update")

    by_row = _history(client, headers, row_id=str(staff_a.id))["events"]
    assert [e["action"] for e in by_row] == ["update", "create"]
    by_actor = _history(client, headers, actor_id=str(admin_a.id))["events"]
    assert [(e["kind"], e["action"]) for e in by_actor] == [("user", "update")]
    by_subject = _history(client, headers, subject_user_id=str(staff_a.id))["events"]
    assert {e["kind"] for e in by_subject} == {"user", "membership"}
    assert all(e["subject_user_id"] == str(staff_a.id) for e in by_subject)
    by_unit = _history(client, headers, unit_id=str(top_a.id), kind="unit")["events"]
    assert [e["row_id"] for e in by_unit] == [str(top_a.id)]
    later = (deactivation.at + timedelta(microseconds=1)).isoformat()
    assert _history(client, headers, since=deactivation.at.isoformat())["events"][0]["action"] == (
        "update"
    )
    assert _history(client, headers, since=later)["events"] == []


def test_the_history_pages_without_repeating_or_skipping(client, two_orgs):
    _, _, admin_a, _, _, _ = two_orgs
    headers = login(client, admin_a)
    everything = [e["id"] for e in _history(client, headers, limit=500)["events"]]
    assert len(everything) >= 4
    seen, before = [], None
    while True:
        query = {"limit": 2, **({"before": before} if before else {})}
        page = _history(client, headers, **query)
        seen += [e["id"] for e in page["events"]]
        before = page["next_before"]
        if before is None:
            break
    assert seen == everything


def test_the_history_refuses_unknown_filters_and_cursors(client, two_orgs):
    headers = login(client, two_orgs[2])
    for query in ({"kind": "plan"}, {"limit": 0}, {"limit": 501}, {"before": str(uuid.uuid4())}):
        response = client.get("/api/admin/audit", headers=headers, query_string=query)
        assert_error(response, 422, "invalid_input", field=next(iter(query)))


def test_seeding_the_demo_records_each_demo_user_and_role_as_cli(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    db.session.expire_all()
    created = db.session.scalars(
        select(AuditEvent).where(AuditEvent.table_name.in_(["users", "memberships"]))
    ).all()
    users = [e for e in created if e.table_name == "users"]
    assert sorted(e.changes["email"][1] for e in users) == sorted(d.email for d in DEMO_LOGINS)
    assert len(created) - len(users) == sum(len(d.roles) for d in DEMO_LOGINS)
    assert {(e.action, e.via, e.user_id) for e in created} == {("create", "cli", None)}
