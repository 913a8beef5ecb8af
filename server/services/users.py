"""Users and what they see of units."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models import Membership, Unit, User
from server.services.access import Principal


def describe_user(session: Session, user: User) -> dict[str, Any]:
    memberships = session.execute(
        select(Membership.unit_id, Unit.name, Membership.role)
        .join(Unit, Unit.id == Membership.unit_id)
        .where(Membership.user_id == user.id)
        .order_by(Unit.name, Membership.role)
    ).all()
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "memberships": [
            {"unit_id": unit_id, "unit_name": name, "role": role}
            for unit_id, name, role in memberships
        ],
    }


def visible_units(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """The units the user has a role in (directly or through a parent), with those roles."""
    unit_ids = set(principal.roles_by_unit)
    if not unit_ids:
        return []
    units = session.scalars(
        select(Unit).where(Unit.id.in_(unit_ids), Unit.deleted.is_(False)).order_by(Unit.name)
    )
    return [describe_unit(unit, principal.roles_by_unit[unit.id]) for unit in units]


def describe_unit(unit: Unit, roles: Iterable[str]) -> dict[str, Any]:
    return {
        "id": unit.id,
        "name": unit.name,
        "kind": unit.kind,
        "parent_id": unit.parent_id,
        "foster_family_type": unit.foster_family_type,
        "roles": sorted(roles),
    }


def colleagues(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """The people a user may meet in the plans they see: everyone with a role in one of their
    units or in a unit above one (its managers). Names only: the PWA shows them for the user
    ids that HVEM?, comments and tasks hold. Former members stay, for the plans they are in."""
    units = set(principal.roles_by_unit)
    if not units:
        return []
    parents = {unit: parent for unit, parent in session.execute(select(Unit.id, Unit.parent_id))}
    for start in list(units):
        above = parents.get(start)
        while above is not None and above not in units:
            units.add(above)
            above = parents.get(above)
    rows = session.execute(
        select(User.id, User.name, Membership.unit_id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.unit_id.in_(units))
        .order_by(User.name, User.id, Membership.unit_id)
    ).all()
    # Each person once, with the units (of those) they have a role in: HVEM? offers the people
    # of the plan's unit and the units above it, the ones the server accepts as responsible.
    people: dict[uuid.UUID, dict[str, Any]] = {}
    for user_id, name, unit_id in rows:
        person = people.setdefault(user_id, {"id": user_id, "name": name, "unit_ids": []})
        if unit_id not in person["unit_ids"]:
            person["unit_ids"].append(unit_id)
    return list(people.values())
