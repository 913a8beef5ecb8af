"""Admins stay in their organisation and out of care data (issue 22, findings 6a and 10).

A grant reaches only users of the unit's own organisation; the user list and the access
history show only what happened in the admin's units; a taken email elsewhere is not
confirmed. An admin cannot give themselves a role that reads care data, nor set a manager's
password; a grant is in the history the unit's managers read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from server.extensions import db
from server.models import Membership, Unit, User
from server.services.admin import EMAIL_TAKEN, EMAIL_UNUSABLE, NO_MANAGER_PASSWORD
from tests.factories import PASSWORD
from tests.helpers import assert_error, login

NEW_PASSWORD = "Kvæg-Lampe-Regn-42"


@dataclass
class Tenants:
    danish_unit: Unit
    danish_admin: User
    leder: User
    danish_staff: User
    swedish_unit: Unit
    swedish_sibling: Unit
    swedish_admin: User
    swedish_colleague: User


@pytest.fixture
def tenants(factory) -> Tenants:
    danish_unit = factory.unit(name="Bostedet Lærken")
    danish_admin = factory.user(("admin", danish_unit), name="Dansk Admin")
    leder = factory.user(("manager", danish_unit), name="Leder Larsen", email="leder@demo.test")
    danish_staff = factory.user(("staff", danish_unit), name="Dansk Medarbejder")
    factory.switch_organisation("SE")
    swedish_unit = factory.unit(kind="se_verksamhet", name="Solgläntan")
    sibling = factory.unit(kind="se_verksamhet", name="Granen")
    swedish_admin = factory.user(("admin", swedish_unit), name="Svensk Admin")
    colleague = factory.user(("staff", sibling), name="Svensk Kollega")
    return Tenants(
        danish_unit,
        danish_admin,
        leder,
        danish_staff,
        swedish_unit,
        sibling,
        swedish_admin,
        colleague,
    )


def _grant(client, headers, user_id, unit_id, role="staff"):
    return client.post(
        "/api/memberships",
        headers=headers,
        json={"user_id": str(user_id), "unit_id": str(unit_id), "role": role},
    )


def _roles(user_id):
    db.session.expire_all()
    return {(m.unit_id, m.role) for m in db.session.query(Membership).filter_by(user_id=user_id)}


def _share_leder(factory, t: Tenants) -> None:
    """Leder also has a Swedish role, as a grant before the fix (or the CLI) could give."""
    db.session.add(Membership(user_id=t.leder.id, unit_id=t.swedish_unit.id, role="staff"))
    db.session.commit()


# ---- 6a: tenants ------------------------------------------------------------------------------


def test_an_admin_cannot_pull_a_user_of_another_organisation_into_their_unit(client, tenants):
    t = tenants
    headers = login(client, t.swedish_admin)
    before = _roles(t.leder.id)
    cross = assert_error(
        _grant(client, headers, t.leder.id, t.swedish_unit.id), 422, "invalid_input", "user_id"
    )
    # Answered as an id that is nobody's: the refusal does not confirm her.
    nobody = _grant(client, headers, uuid.uuid4(), t.swedish_unit.id)
    assert assert_error(nobody, 422, "invalid_input", "user_id") == cross
    assert _roles(t.leder.id) == before
    # A user of the admin's own organisation, in a unit they do not administer, may be granted.
    granted = _grant(client, headers, t.swedish_colleague.id, t.swedish_unit.id)
    assert granted.status_code == 201, granted.json
    assert (t.swedish_unit.id, "staff") in _roles(t.swedish_colleague.id)


def test_the_user_list_shows_only_the_roles_in_the_admins_units(client, factory, tenants):
    t = tenants
    _share_leder(factory, t)
    listed = client.get("/api/users", headers=login(client, t.swedish_admin)).json
    [leder] = [u for u in listed if u["id"] == str(t.leder.id)]
    assert [(m["unit_id"], m["role"]) for m in leder["memberships"]] == [
        (str(t.swedish_unit.id), "staff")
    ]
    danish = client.get("/api/users", headers=login(client, t.danish_admin)).json
    [leder] = [u for u in danish if u["id"] == str(t.leder.id)]
    assert [m["unit_id"] for m in leder["memberships"]] == [str(t.danish_unit.id)]


def test_the_access_history_keeps_to_the_admins_units(client, factory, tenants):
    t = tenants
    _share_leder(factory, t)
    # Danish events about her: a new Danish role, a login ended.
    assert (
        _grant(client, login(client, t.danish_admin), t.leder.id, t.danish_unit.id).status_code
        == 201
    )
    assert client.post("/api/auth/logout", headers=login(client, t.leder)).status_code in (200, 204)
    page = client.get(
        "/api/admin/audit", headers=login(client, t.swedish_admin), query_string={"limit": 500}
    )
    assert page.status_code == 200, page.json
    events = page.json["events"]
    about_her = [e for e in events if e["subject_user_id"] == str(t.leder.id)]
    assert about_her, "her Swedish role is the Swedish admin's to see"
    assert {e["unit_id"] for e in about_her} == {str(t.swedish_unit.id)}
    assert not [e for e in events if e["unit_id"] == str(t.danish_unit.id)]
    assert not [e for e in events if e["kind"] == "token"]
    # The Danish admin still follows her Danish roles.
    danish = client.get(
        "/api/admin/audit", headers=login(client, t.danish_admin), query_string={"limit": 500}
    ).json["events"]
    assert any(
        e["unit_id"] == str(t.danish_unit.id) and e["subject_user_id"] == str(t.leder.id)
        for e in danish
    )
    assert not [e for e in danish if e["unit_id"] == str(t.swedish_unit.id)]


def test_an_email_taken_elsewhere_gets_one_neutral_answer(client, tenants):
    t = tenants
    headers = login(client, t.swedish_admin)
    probes = {
        "another organisation": t.leder.email,
        "a unit of the organisation the admin does not administer": t.swedish_colleague.email,
        "the admin's own unit": t.swedish_admin.email,
    }
    answers = {}
    for where, email in probes.items():
        created = client.post(
            "/api/users",
            headers=headers,
            json={
                "email": email.upper(),
                "name": "Ny",
                "password": NEW_PASSWORD,
                "memberships": [{"unit_id": str(t.swedish_unit.id), "role": "staff"}],
            },
        )
        answers[where] = assert_error(created, 422, "invalid_input", "email")["fields"]["email"]
    assert answers["another organisation"] == [EMAIL_UNUSABLE]
    assert answers["a unit of the organisation the admin does not administer"] == [EMAIL_UNUSABLE]
    assert answers["the admin's own unit"] == [EMAIL_TAKEN]
    # The same on a correction of an email.
    mine = client.post(
        "/api/users",
        headers=headers,
        json={
            "email": "ny@solglantan.example",
            "name": "Ny",
            "password": NEW_PASSWORD,
            "memberships": [{"unit_id": str(t.swedish_unit.id), "role": "staff"}],
        },
    )
    assert mine.status_code == 201, mine.json
    corrected = client.patch(
        f"/api/users/{mine.json['id']}", headers=headers, json={"email": t.leder.email}
    )
    assert assert_error(corrected, 422, "invalid_input", "email")["fields"]["email"] == [
        EMAIL_UNUSABLE
    ]
    db.session.expire_all()
    assert db.session.query(User).filter(User.email.ilike(t.leder.email)).count() == 1


# ---- 10: separation of duties -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "manager", "inspector"])
def test_an_admin_cannot_give_themselves_a_role_that_reads_care_data(
    client, factory, tenants, role
):
    t = tenants
    plan = factory.plan(t.danish_unit)
    headers = login(client, t.danish_admin)
    before = _roles(t.danish_admin.id)
    assert_error(
        _grant(client, headers, t.danish_admin.id, t.danish_unit.id, role), 403, "forbidden"
    )
    assert _roles(t.danish_admin.id) == before
    assert_error(client.get(f"/api/plans/{plan.id}", headers=headers), 404, "not_found")


def test_a_grant_by_another_admin_is_seen_by_the_units_managers(client, factory, tenants):
    t = tenants
    second_admin = factory.user(("admin", t.danish_unit), name="Anden Admin")
    granted = _grant(
        client, login(client, second_admin), t.danish_admin.id, t.danish_unit.id, "manager"
    )
    assert granted.status_code == 201, granted.json
    page = client.get(
        "/api/admin/audit", headers=login(client, t.leder), query_string={"kind": "membership"}
    )
    assert page.status_code == 200, page.json
    [grant] = [e for e in page.json["events"] if e["row_id"] == granted.json["id"]]
    assert (grant["actor_id"], grant["subject_user_id"], grant["changes"]["role"]) == (
        str(second_admin.id),
        str(t.danish_admin.id),
        [None, "manager"],
    )
    # A manager reads role changes of their units only: no user rows, no tokens.
    everything = client.get(
        "/api/admin/audit", headers=login(client, t.leder), query_string={"limit": 500}
    ).json["events"]
    assert {e["kind"] for e in everything} == {"membership"}
    assert {e["unit_id"] for e in everything} == {str(t.danish_unit.id)}


def test_an_admin_cannot_set_a_managers_password(client, tenants, runner, monkeypatch):
    t = tenants
    leder_headers = login(client, t.leder)
    response = client.patch(
        f"/api/users/{t.leder.id}",
        headers=login(client, t.danish_admin),
        json={"password": NEW_PASSWORD},
    )
    assert assert_error(response, 403, "forbidden")["message"] == NO_MANAGER_PASSWORD
    assert client.get("/api/auth/me", headers=leder_headers).status_code == 200
    assert login(client, t.leder, PASSWORD)
    # Staff still get a new password from their admin.
    staff = client.patch(
        f"/api/users/{t.danish_staff.id}",
        headers=login(client, t.danish_admin),
        json={"password": NEW_PASSWORD},
    )
    assert staff.status_code == 200, staff.json
    # The operator resets a manager's password, which ends her sessions.
    monkeypatch.setenv("FOLG_NEW_USER_PASSWORD", NEW_PASSWORD)
    result = runner.invoke(args=["reset-password", "--email", t.leder.email.upper()])
    assert result.exit_code == 0, result.output
    assert client.get("/api/auth/me", headers=leder_headers).status_code == 401
    assert login(client, t.leder, NEW_PASSWORD)
