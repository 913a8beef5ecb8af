"""Who may do what, in which units. Used by every path: REST, sync push and sync pull.

A membership gives a role in a unit and in every unit below it (a manager of a Swedish
verksamhet, nivå 2, manages its enheter, nivå 3).

    action          roles
    read_plans      staff, manager,             plans, items, notes, attachments, conflicts
                    foster_parent, inspector    of the unit
    write_items     staff, manager,             create/edit items, add progress notes and
                    foster_parent               attachments (evidence)
    manage_plans    manager, foster_parent      create/edit plans, reorder, submit, make a
                                                foster-family plan gældende without approval
    approve_plans   manager                     approve a submitted plan, send it back
    inspect         inspector                   visits, findings, photos, comments on items
    discuss         staff, manager,             write in a plan's threads (plan_messages): the
                    foster_parent, inspector    unit and the inspectorate, each as themselves
    manage_unit     admin                       units, users and memberships

A foster parent (plejeforælder) holds their role in their own foster-family unit only
(``dk_plejefamilie``; ``server/services/admin.py`` refuses it elsewhere): seed 001 has the foster
parents write and keep their plan and log its progress, with no management approval. A
family-care consultant of the municipality supports them as staff of the unit (or of a unit
above it); a manager there may still approve a plan the family submits.

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
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Date, String, Uuid, bindparam, column, text
from sqlalchemy.orm import Session

from server import clock
from server.i18n import _, no_such
from server.services.errors import Forbidden, NotFound

ROLES_FOR_ACTION: dict[str, frozenset[str]] = {
    "see_unit": frozenset({"staff", "manager", "foster_parent", "inspector", "admin"}),
    "read_plans": frozenset({"staff", "manager", "foster_parent", "inspector"}),
    "write_items": frozenset({"staff", "manager", "foster_parent"}),
    "manage_plans": frozenset({"manager", "foster_parent"}),
    "approve_plans": frozenset({"manager"}),
    "inspect": frozenset({"inspector"}),
    "discuss": frozenset({"staff", "manager", "foster_parent", "inspector"}),
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
    # The organisations of those units: a write takes their locks, a pull waits only for
    # writers in them (``server/models/write_order.py``). None: not known, so anywhere.
    organisation_ids: frozenset[uuid.UUID] | None = None

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


# A user's roles, nesting expanded, in one query: the current memberships, every live unit
# below each (a role covers them), and the live units above a unit the user reads plans in
# (their quality definitions). Only the units the user is in, or under or over, are read.
_ROLES_AND_UNITS_ABOVE = (
    text(
        """
    WITH RECURSIVE
    current_roles (unit_id, role) AS (
        SELECT unit_id, role FROM memberships
        WHERE user_id = :user_id
          AND (valid_from IS NULL OR valid_from <= :today)
          AND (valid_to IS NULL OR :today <= valid_to)
    ),
    below (unit_id, role) AS (
        SELECT unit_id, role FROM current_roles
        UNION
        SELECT units.id, below.role FROM units JOIN below ON units.parent_id = below.unit_id
        WHERE units.deleted = FALSE
    ),
    above (unit_id) AS (
        SELECT units.parent_id FROM units JOIN current_roles ON units.id = current_roles.unit_id
        WHERE units.deleted = FALSE AND units.parent_id IS NOT NULL
          AND current_roles.role IN ('staff', 'manager', 'foster_parent', 'inspector')
        UNION
        SELECT units.parent_id FROM units JOIN above ON units.id = above.unit_id
        WHERE units.deleted = FALSE AND units.parent_id IS NOT NULL
    )
    SELECT below.unit_id, below.role, units.organisation_id
    FROM below LEFT JOIN units ON units.id = below.unit_id
    UNION ALL
    SELECT above.unit_id, NULL, units.organisation_id
    FROM above LEFT JOIN units ON units.id = above.unit_id
    """
    )
    .bindparams(bindparam("user_id", type_=Uuid), bindparam("today", type_=Date))
    .columns(column("unit_id", Uuid), column("role", String), column("organisation_id", Uuid))
)
# as in the SQL
assert set(ROLES_FOR_ACTION["read_plans"]) == {"staff", "manager", "foster_parent", "inspector"}


def load_principal(session: Session, user_id: uuid.UUID, today: date | None = None) -> Principal:
    today = today or clock.now().date()
    rows = session.execute(_ROLES_AND_UNITS_ABOVE, {"user_id": user_id, "today": today}).all()
    roles: dict[uuid.UUID, set[str]] = defaultdict(set)
    above: set[uuid.UUID] = set()
    organisations: set[uuid.UUID] = set()
    for unit_id, role, organisation_id in rows:
        if role is None:
            above.add(unit_id)
        else:
            roles[unit_id].add(role)
        if organisation_id is not None:
            organisations.add(organisation_id)
    return Principal(
        user_id,
        {unit: frozenset(r) for unit, r in roles.items()},
        frozenset(above),
        frozenset(organisations),
    )


# Principals of recent requests, by (user, day, access version): the version changes with
# every change that could alter anyone's roles (``SyncClock.access_version``), so a kept
# principal is never out of date. Per process; cleared when full.
_KEPT_PRINCIPALS: dict[tuple[uuid.UUID, date, str], Principal] = {}
_KEEP_AT_MOST = 4096


def cached_principal(session: Session, user_id: uuid.UUID, access_version: str) -> Principal:
    """``load_principal`` for a request, kept while ``access_version`` (read in the same
    statement as the caller's token, before this) stays what it is."""
    key = (user_id, clock.now().date(), access_version)
    principal = _KEPT_PRINCIPALS.get(key)
    if principal is None:
        principal = load_principal(session, user_id, key[1])
        if len(_KEPT_PRINCIPALS) >= _KEEP_AT_MOST:
            _KEPT_PRINCIPALS.clear()
        _KEPT_PRINCIPALS[key] = principal
    return principal


def require_visible(principal: Principal, unit_id: uuid.UUID | None, what: str) -> None:
    if not principal.can("read_plans", unit_id):
        raise NotFound(no_such(what))


__all__ = [
    "Forbidden",
    "NotFound",
    "Principal",
    "cached_principal",
    "load_principal",
    "require_visible",
]
