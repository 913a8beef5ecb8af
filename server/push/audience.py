"""Who may hear about a unit: the same access rules as every other path (services/access.py).

A notification names a unit; a user hears about it only while they may read plans there.
The check runs twice: when the notification is written and again when it is delivered, so
a membership that ends in between stops the push.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.models.org import Membership, Unit, User
from server.models.plans import PlanItem


def may(session: Session, user_id: uuid.UUID, action: str, unit_id: uuid.UUID | None) -> bool:
    # Imported here: services.access imports server.models, which imports this package's
    # flush hook while it is still being initialised.
    from server.services.access import load_principal

    if unit_id is None:
        return False
    user = session.get(User, user_id)
    if user is None or not user.active:
        return False
    return load_principal(session, user_id).can(action, unit_id)


def arshjul_unit_for(session: Session, user_id: uuid.UUID, unit_id: uuid.UUID) -> uuid.UUID | None:
    """The unit whose årshjul shows this user a task of ``unit_id``: that unit, if they read
    plans there; else the unit they read plans in that lies nearest below it (staff of an
    enhet see their verksamhet's årshjul from their enhet). None if they do not see the task.
    """
    from server.services.access import load_principal
    from server.services.quality import nearest_unit_below

    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    principal = load_principal(session, user_id)
    if principal.can("read_plans", unit_id):
        return unit_id
    if unit_id not in principal.definition_units:
        return None
    return nearest_unit_below(session, principal, unit_id)


def managers_of(session: Session, unit_id: uuid.UUID) -> set[uuid.UUID]:
    """Users with a manager role in the unit or a unit above it (roles cover the units below);
    whether the membership is current is left to ``may``."""
    return members_of(session, unit_id, "manager")


def inspectors_of(session: Session, unit_id: uuid.UUID) -> set[uuid.UUID]:
    """The inspectors who follow the unit (an inspector role there or in a unit above)."""
    return members_of(session, unit_id, "inspector")


def members_of(session: Session, unit_id: uuid.UUID, role: str) -> set[uuid.UUID]:
    units: list[uuid.UUID] = []
    current: uuid.UUID | None = unit_id
    while current is not None and current not in units:
        units.append(current)
        current = session.execute(select(Unit.parent_id).where(Unit.id == current)).scalar()
    found = session.execute(
        select(Membership.user_id).where(Membership.unit_id.in_(units), Membership.role == role)
    ).scalars()
    return set(found)


def reminded_user_ids(item: PlanItem) -> set[uuid.UUID]:
    """Who is reminded of a row's HVORNÅR? end (reminders.py): the users named in either job
    of its HVEM?, who carries it out (``responsible``) and who follows it up
    (``follow_up_responsible``: the date passing is what they follow up). Once each."""
    return user_ids_in(item.responsible) | user_ids_in(item.follow_up_responsible)


def user_ids_in(responsible: Iterable[dict] | None) -> set[uuid.UUID]:
    """The users named in an item's HVEM? list (free-text names are nobody to notify)."""
    ids: set[uuid.UUID] = set()
    for entry in responsible or ():
        raw = entry.get("user_id") if isinstance(entry, dict) else None
        if raw:
            try:
                ids.add(uuid.UUID(str(raw)))
            except ValueError:
                continue
    return ids
