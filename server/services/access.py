"""Who may do what, in which units. Used by every path: REST, sync push and sync pull.

A membership gives a role in a unit and in every unit below it (a manager of a Swedish
verksamhet, nivå 2, manages its enheter, nivå 3).

    action          roles
    read_plans      staff, manager, inspector   plans, items, notes, conflicts of the unit
    write_items     staff, manager              create/edit items, add progress notes
    manage_plans    manager                     create/edit plans, reorder, submit, approve
    inspect         inspector                   visits, findings, photos, comments on items
    manage_unit     admin                       units, users and memberships

The Swedish quality follow-up (``server/services/quality.py``) reuses these actions:

    read_plans      every quality row of the unit; and the definitions (quality areas,
                    measures, survey questions) of the verksamheter above the user's units,
                    which staff of an enhet report against
    write_items     measure values, register entries (avvikelser, lex Sarah, ...), case
                    records, survey responses, links from handlingsplan items; ticking an
                    årshjul task done
    manage_plans    quality areas, measures, survey questions and årshjul tasks of the unit
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import clock
from server.i18n import _, no_such
from server.models import Membership, Unit
from server.services.errors import Forbidden, NotFound

ROLES_FOR_ACTION: dict[str, frozenset[str]] = {
    "see_unit": frozenset({"staff", "manager", "inspector", "admin"}),
    "read_plans": frozenset({"staff", "manager", "inspector"}),
    "write_items": frozenset({"staff", "manager"}),
    "manage_plans": frozenset({"manager"}),
    "inspect": frozenset({"inspector"}),
    "manage_unit": frozenset({"admin"}),
}


@dataclass(frozen=True)
class Principal:
    """The acting user and their roles per unit, nesting already expanded."""

    user_id: uuid.UUID
    roles_by_unit: Mapping[uuid.UUID, frozenset[str]] = field(default_factory=dict)
    # Units above the ones the user reads plans in: their quality definitions (areas, measures,
    # survey questions of a verksamhet) are what staff of its enheter report against.
    definition_units: frozenset[uuid.UUID] = frozenset()

    def reads_definitions_of(self, unit_id: uuid.UUID | None) -> bool:
        return self.can("read_plans", unit_id) or unit_id in self.definition_units

    def units_for(self, action: str) -> set[uuid.UUID]:
        allowed = ROLES_FOR_ACTION[action]
        return {unit for unit, roles in self.roles_by_unit.items() if roles & allowed}

    def can(self, action: str, unit_id: uuid.UUID | None) -> bool:
        roles = self.roles_by_unit.get(unit_id, frozenset()) if unit_id else frozenset()
        return bool(roles & ROLES_FOR_ACTION[action])

    def require(self, action: str, unit_id: uuid.UUID | None, what: str = "row") -> None:
        """Raise NotFound if the user cannot even see the unit (ids are not oracles),
        Forbidden if they can see it but their role does not allow the action."""
        if not self.can("see_unit", unit_id):
            raise NotFound(no_such(what))
        if not self.can(action, unit_id):
            raise Forbidden(_("Your role does not allow this (%(action)s).", action=action))


def _descendants(units: Iterable[tuple[uuid.UUID, uuid.UUID | None]]) -> dict:
    children: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for unit_id, parent_id in units:
        if parent_id is not None:
            children[parent_id].append(unit_id)
    return children


def load_principal(session: Session, user_id: uuid.UUID, today: date | None = None) -> Principal:
    today = today or clock.now().date()
    memberships = session.execute(
        select(
            Membership.unit_id, Membership.role, Membership.valid_from, Membership.valid_to
        ).where(Membership.user_id == user_id)
    ).all()
    current = [
        (unit_id, role)
        for unit_id, role, valid_from, valid_to in memberships
        if (valid_from is None or valid_from <= today) and (valid_to is None or today <= valid_to)
    ]
    if not current:
        return Principal(user_id, {})

    children = _descendants(
        session.execute(select(Unit.id, Unit.parent_id).where(Unit.deleted.is_(False))).all()
    )
    roles: dict[uuid.UUID, set[str]] = defaultdict(set)
    parents = {child: parent for parent, kids in children.items() for child in kids}
    above: set[uuid.UUID] = set()
    for unit_id, role in current:
        if role in ROLES_FOR_ACTION["read_plans"]:
            parent = parents.get(unit_id)
            while parent is not None and parent not in above:
                above.add(parent)
                parent = parents.get(parent)
    for unit_id, role in current:
        stack = [unit_id]
        while stack:
            unit = stack.pop()
            if role in roles[unit]:
                continue
            roles[unit].add(role)
            stack.extend(children.get(unit, ()))
    return Principal(user_id, {unit: frozenset(r) for unit, r in roles.items()}, frozenset(above))


def require_visible(principal: Principal, unit_id: uuid.UUID | None, what: str) -> None:
    if not principal.can("read_plans", unit_id):
        raise NotFound(no_such(what))


__all__ = ["Forbidden", "NotFound", "Principal", "load_principal", "require_visible"]
