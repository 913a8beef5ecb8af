"""A request's roles are kept between requests, and never outlive a change of access.

``authenticate`` reads the deployment's access version with the token (one statement);
``cached_principal`` keeps the roles per user, day and that version. Triggers give the version
a new value on every change to memberships, and on a unit's creation, deletion or move, by
whatever path it is made: the API, another process, plain SQL. These tests make the changes
behind the app's back (a connection of their own) and expect the very next request to see them.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import Uuid, bindparam, text

from server import clock
from server.extensions import db
from server.models import Membership
from tests.helpers import assert_error, login
from tests.sync.test_push_statements import statements_run


def behind_the_apps_back(statement: str, **params) -> None:
    typed = [bindparam(k, type_=Uuid) for k, v in params.items() if isinstance(v, uuid.UUID)]
    with db.engine.begin() as connection:
        connection.execute(text(statement).bindparams(*typed), params)


def roles_queries(statements: list[str]) -> int:
    return sum("current_roles" in s for s in statements)


def test_a_second_request_reads_no_roles(client, factory):
    unit = factory.unit()
    plan = factory.plan(unit)
    staff = factory.user(("staff", unit))
    headers = login(client, staff)
    with statements_run() as first:
        assert client.get(f"/api/plans/{plan.id}", headers=headers).status_code == 200
    with statements_run() as second:
        assert client.get(f"/api/plans/{plan.id}", headers=headers).status_code == 200
    assert roles_queries(second) == 0 and len(second) < len(first)


def test_a_membership_removed_behind_the_apps_back_ends_access_at_once(client, factory):
    unit = factory.unit()
    plan = factory.plan(unit)
    staff = factory.user(("staff", unit), ("staff", factory.unit()))
    headers = login(client, staff)
    assert client.get(f"/api/plans/{plan.id}", headers=headers).status_code == 200

    behind_the_apps_back(
        "DELETE FROM memberships WHERE user_id = :user AND unit_id = :unit",
        user=staff.id,
        unit=unit.id,
    )

    assert_error(client.get(f"/api/plans/{plan.id}", headers=headers), 404, "not_found")


def test_a_role_granted_behind_the_apps_back_counts_at_once(client, factory):
    mine, other = factory.unit(), factory.unit()
    plan = factory.plan(other)
    staff = factory.user(("staff", mine))
    headers = login(client, staff)
    assert_error(client.get(f"/api/plans/{plan.id}", headers=headers), 404, "not_found")

    behind_the_apps_back(
        "UPDATE memberships SET unit_id = :other WHERE user_id = :user",
        user=staff.id,
        other=other.id,
    )

    assert client.get(f"/api/plans/{plan.id}", headers=headers).status_code == 200


def test_a_unit_moved_under_anothers_manager_is_theirs_at_once(client, factory):
    top, loose = factory.unit(), factory.unit()
    plan = factory.plan(loose)
    manager = factory.user(("manager", top))
    headers = login(client, manager)
    assert_error(client.get(f"/api/plans/{plan.id}", headers=headers), 404, "not_found")

    behind_the_apps_back(
        "UPDATE units SET parent_id = :top WHERE id = :loose", top=top.id, loose=loose.id
    )

    assert client.get(f"/api/plans/{plan.id}", headers=headers).status_code == 200
    behind_the_apps_back(
        "UPDATE units SET deleted = :yes WHERE id = :loose", yes=True, loose=loose.id
    )
    assert_error(client.get(f"/api/plans/{plan.id}", headers=headers), 404, "not_found")


def test_a_membership_that_ends_today_ends_with_the_day(client, factory, monkeypatch):
    unit = factory.unit()
    plan = factory.plan(unit)
    staff = factory.user(("staff", factory.unit()))
    late = clock.now().replace(hour=22, minute=30)  # the session outlives the day
    monkeypatch.setattr(clock, "now", lambda: late)
    db.session.add(
        Membership(user_id=staff.id, unit_id=unit.id, role="staff", valid_to=late.date())
    )
    db.session.commit()
    headers = login(client, staff)
    assert client.get(f"/api/plans/{plan.id}", headers=headers).status_code == 200

    monkeypatch.setattr(clock, "now", lambda: late + timedelta(hours=2))

    assert_error(client.get(f"/api/plans/{plan.id}", headers=headers), 404, "not_found")
