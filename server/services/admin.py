"""Administration: units, users and memberships, within the units an admin holds.

An admin of a unit manages that unit and the units below it; top-level units (a whole
organisation) are made with the CLI. Tenants stay apart, and admin does not mean care data:

    grant a role          only to a user who has a role in the unit's organisation already
                          (a user of another organisation is answered as no user at all)
    list users            the users with a role in the admin's units, showing only the
                          roles in those units
    access history        events of the admin's units; events with no unit (a user row, a
                          login token) only about users wholly within the admin's
                          organisation(s). Managers read the role grants of their units.
    a taken email         named as taken if its user is in the admin's list; any other
                          user's address gets one neutral answer that says not whose
    separation of duties  an admin may not give themselves a role that reads care data
                          (staff, manager, inspector): another admin must, and the grant is
                          in the unit's history, which its managers read. An admin may not
                          set a manager's password (that would make them the manager): the
                          operator does (``flask reset-password``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from server import clock
from server.i18n import _, _l
from server.models import AuditEvent, Membership, Unit, User
from server.models.access_audit import ACCESS_TABLES_BY_KIND
from server.services.access import ROLES_FOR_ACTION, Principal
from server.services.auth import hash_password, revoke_all_tokens
from server.services.errors import Forbidden, InvalidState, NotFound, field_error

KIND_BY_TABLE = {table: kind for kind, table in ACCESS_TABLES_BY_KIND.items()}
# The roles that read plans, visits and quality data of a unit.
DATA_ROLES = ROLES_FOR_ACTION["read_plans"]

EMAIL_TAKEN = _l("A user with this email exists already.")
EMAIL_UNUSABLE = _l("This email cannot be used here. Ask the person which address to use.")
NO_SUCH_USER = _l("No such user.")
NO_SELF_GRANT = _l(
    "You cannot give yourself a role that reads care data; ask another admin of the unit."
)
NO_MANAGER_PASSWORD = _l(
    "An admin does not set a manager's password; the operator resets it (flask reset-password)."
)


def create_unit(session: Session, principal: Principal, values: dict[str, Any]) -> Unit:
    parent_id = values["parent_id"]
    principal.require("manage_unit", parent_id, "unit")
    parent = session.get_one(Unit, parent_id)
    if values.get("foster_family_type") and values["kind"] != "dk_plejefamilie":
        raise field_error("foster_family_type", _("Only foster families have a family type."))
    unit = Unit(
        name=values["name"],
        kind=values["kind"],
        parent_id=parent_id,
        organisation_id=parent.organisation_id,
        foster_family_type=values.get("foster_family_type"),
    )
    session.add(unit)
    session.flush()
    return unit


def update_unit(session: Session, principal: Principal, unit_id: uuid.UUID, values: dict) -> Unit:
    principal.require("manage_unit", unit_id, "unit")
    unit = session.get_one(Unit, unit_id)
    for field in ("name", "foster_family_type"):
        if field in values:
            setattr(unit, field, values[field])
    session.flush()
    return unit


def list_users(session: Session, principal: Principal) -> list[dict[str, Any]]:
    """The users with a role in the admin's units, each with their roles there only: a role
    elsewhere (another organisation's, say) is not the admin's to see."""
    units = principal.units_for("manage_unit")
    if not units:
        return []
    users = session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.unit_id.in_(units))
        .distinct()
        .order_by(User.name)
    )
    return [_as_seen_by(user, units) for user in users]


def _as_seen_by(user: User, units: set[uuid.UUID]) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "active": user.active,
        "memberships": [m for m in user.memberships if m.unit_id in units],
    }


def create_user(session: Session, principal: Principal, values: dict[str, Any]) -> User:
    memberships = values.get("memberships") or []
    if not memberships:
        raise field_error("memberships", _("A new user needs at least one role in a unit."))
    for membership in memberships:
        principal.require("manage_unit", membership["unit_id"], "unit")
        refuse_role_outside_its_units(
            session.get_one(Unit, membership["unit_id"]), membership["role"], "memberships"
        )
    email = _untaken_email(session, principal, values["email"])
    user = User(
        email=email,
        name=values["name"],
        password_hash=hash_password(values["password"], email=email, name=values["name"]),
        language=values.get("language", "da"),
        created_at=clock.now(),
    )
    session.add(user)
    session.flush()
    for membership in memberships:
        session.add(
            Membership(user_id=user.id, unit_id=membership["unit_id"], role=membership["role"])
        )
    session.flush()
    return user


def grant_membership(
    session: Session, principal: Principal, user_id: uuid.UUID, unit_id: uuid.UUID, role: str
) -> Membership:
    principal.require("manage_unit", unit_id, "unit")
    unit = session.get_one(Unit, unit_id)
    if session.get(User, user_id) is None or not _in_organisation(
        session, user_id, unit.organisation_id
    ):
        raise field_error("user_id", NO_SUCH_USER)
    if user_id == principal.user_id and role in DATA_ROLES:
        raise Forbidden(NO_SELF_GRANT)
    refuse_role_outside_its_units(unit, role, "role")
    existing = session.scalar(
        select(Membership).where(
            Membership.user_id == user_id, Membership.unit_id == unit_id, Membership.role == role
        )
    )
    if existing is not None:
        raise InvalidState(_("The user has this role in this unit already."))
    membership = Membership(user_id=user_id, unit_id=unit_id, role=role)
    session.add(membership)
    session.flush()
    return membership


# A role held only in units of these kinds: a foster parent in their own foster family.
UNIT_KINDS_FOR_ROLE = {"foster_parent": frozenset({"dk_plejefamilie"})}


ROLE_OUTSIDE_ITS_UNITS = _l("A foster parent's role is held in a foster family (plejefamilie).")


def role_fits_unit(unit: Unit, role: str) -> bool:
    """A foster parent's role fits a foster-family unit only (seed 001: they keep their own
    plan); given in a tilbud it would let them manage its plans."""
    kinds = UNIT_KINDS_FOR_ROLE.get(role)
    return kinds is None or unit.kind in kinds


def refuse_role_outside_its_units(unit: Unit, role: str, field: str) -> None:
    if not role_fits_unit(unit, role):
        raise field_error(field, ROLE_OUTSIDE_ITS_UNITS)


def _in_organisation(session: Session, user_id: uuid.UUID, organisation_id: uuid.UUID) -> bool:
    """Whether the user has a role (current or not) in a unit of the organisation."""
    return (
        session.scalar(
            select(Membership.id)
            .join(Unit, Unit.id == Membership.unit_id)
            .where(Membership.user_id == user_id, Unit.organisation_id == organisation_id)
            .limit(1)
        )
        is not None
    )


def revoke_membership(session: Session, principal: Principal, membership_id: uuid.UUID) -> None:
    """Remove a role. The user's devices drop the unit's rows on their next pull."""
    membership = session.get(Membership, membership_id)
    if membership is None or not principal.can("see_unit", membership.unit_id):
        raise NotFound(_("No such membership."))
    principal.require("manage_unit", membership.unit_id, "unit")
    # The user's row is locked first, so two admins revoking the last two roles at once are
    # counted one after the other (PostgreSQL; SQLite has one writer anyway).
    user = session.scalars(
        select(User).where(User.id == membership.user_id).with_for_update()
    ).one()
    session.refresh(user, ["memberships"])
    if user.active and len(user.memberships) == 1:
        # A user without a role is in no admin's list: an active one could still log in, and
        # nobody could deactivate them any more.
        raise InvalidState(
            _("This is the user's last role. Deactivate the user first, or grant another role.")
        )
    session.delete(membership)
    session.flush()


def deactivate_user(session: Session, principal: Principal, user_id: uuid.UUID) -> User:
    """Stop a user from logging in, and end their sessions at once."""
    return update_user(session, principal, user_id, {"active": False})


def update_user(
    session: Session, principal: Principal, user_id: uuid.UUID, values: dict[str, Any]
) -> User:
    """Correct a user's name, email or language, set a new password, or (re)activate them.

    Only an admin of every unit the user has a role in may: a user shared with a unit the
    admin does not manage is not theirs to change. A new password and a deactivation end
    the user's sessions at once. The access audit records each change (a password as
    "(changed)")."""
    user = _managed_user(session, principal, user_id)
    if "email" in values:
        user.email = _untaken_email(session, principal, values["email"], user.id)
    for field in ("name", "language"):
        if field in values:
            setattr(user, field, values[field])
    end_sessions = False
    if "password" in values:
        if user.id != principal.user_id and any(m.role == "manager" for m in user.memberships):
            raise Forbidden(NO_MANAGER_PASSWORD)
        # Checked against the name and email as they are after this change.
        user.password_hash = hash_password(values["password"], email=user.email, name=user.name)
        end_sessions = True
    if values.get("active") is False:
        if user.id == principal.user_id:
            raise field_error("active", _("You cannot deactivate yourself; ask another admin."))
        end_sessions = end_sessions or user.active
        user.active = False
    elif values.get("active") is True:
        user.active = True
    session.flush()
    if end_sessions:
        revoke_all_tokens(session, user.id)
    return user


def _untaken_email(
    session: Session, principal: Principal, email: str, user_id: uuid.UUID | None = None
) -> str:
    """The email, trimmed, if no other user has it (in any case). Whether the one who has
    it is someone the admin can see decides the answer: a user elsewhere (another
    organisation's) must not be confirmed. The address is the login, unique in the whole
    deployment, so some refusal must come; it says only that this address cannot be used."""
    email = email.strip()
    other = session.scalar(
        select(User.id).where(func.lower(User.email) == email.lower(), User.id != user_id)
    )
    if other is None:
        return email
    visible = session.scalar(
        select(Membership.id)
        .where(
            Membership.user_id == other,
            Membership.unit_id.in_(principal.units_for("manage_unit")),
        )
        .limit(1)
    )
    raise field_error("email", EMAIL_TAKEN if visible is not None else EMAIL_UNUSABLE)


def _managed_user(session: Session, principal: Principal, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    admin_units = principal.units_for("manage_unit")
    their_units = {m.unit_id for m in user.memberships} if user else set()
    if user is None or not their_units or not their_units <= admin_units:
        raise NotFound(NO_SUCH_USER)
    return user


def access_history(
    session: Session,
    principal: Principal,
    *,
    limit: int,
    kind: str | None = None,
    row_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    subject_user_id: uuid.UUID | None = None,
    unit_id: uuid.UUID | None = None,
    since: datetime | None = None,
    before: uuid.UUID | None = None,
) -> dict[str, Any]:
    """One page, newest first, of the changes to users, memberships, units and tokens that
    the user may read, and the id to pass as ``before`` for the next page (None at the end).

    An admin reads the events of the units they administer (units, memberships there) and
    the events with no unit (their user row, their tokens) about the users who have a role
    there now and none outside the admin's organisation(s): a user shared with another
    organisation is not the admin's to follow. A manager reads who was given or lost a role
    in the units they manage, so a grant an admin made (of themselves, say) is seen.
    """
    admin_units = principal.units_for("manage_unit")
    manager_units = principal.units_for("manage_plans")
    if not admin_units and not manager_units:
        raise Forbidden(_("Only admins and managers read the access history."))
    if unit_id is not None and not principal.can("manage_plans", unit_id):
        principal.require("manage_unit", unit_id, "unit")
    admin_organisations = select(Unit.organisation_id).where(Unit.id.in_(admin_units))
    elsewhere = (
        select(Membership.user_id)
        .join(Unit, Unit.id == Membership.unit_id)
        .where(Unit.organisation_id.not_in(admin_organisations))
    )
    their_users = select(Membership.user_id).where(
        Membership.unit_id.in_(admin_units), Membership.user_id.not_in(elsewhere)
    )
    actor, subject = aliased(User), aliased(User)
    tables = [ACCESS_TABLES_BY_KIND[kind]] if kind else list(ACCESS_TABLES_BY_KIND.values())
    query = (
        select(AuditEvent, actor.name, subject.name)
        .outerjoin(actor, actor.id == AuditEvent.user_id)
        .outerjoin(subject, subject.id == AuditEvent.subject_user_id)
        .where(
            AuditEvent.table_name.in_(tables),
            or_(
                AuditEvent.unit_id.in_(admin_units),
                and_(
                    AuditEvent.unit_id.is_(None),
                    AuditEvent.subject_user_id.in_(their_users),
                ),
                and_(
                    AuditEvent.table_name == ACCESS_TABLES_BY_KIND["membership"],
                    AuditEvent.unit_id.in_(manager_units),
                ),
            ),
        )
    )
    for column, value in (
        (AuditEvent.row_id, row_id),
        (AuditEvent.user_id, actor_id),
        (AuditEvent.subject_user_id, subject_user_id),
        (AuditEvent.unit_id, unit_id),
    ):
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(AuditEvent.at >= since)
    if before is not None:
        last = session.get(AuditEvent, before)
        if last is None or last.table_name not in KIND_BY_TABLE:
            raise field_error("before", _("No such event: pass the next_before of a page."))
        # (at, id) orders events uniquely, so a page never repeats or skips one.
        query = query.where(
            or_(AuditEvent.at < last.at, and_(AuditEvent.at == last.at, AuditEvent.id < last.id))
        )
    rows = session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit + 1)
    ).all()
    events = [
        {
            "id": event.id,
            "at": event.at,
            "actor_id": event.user_id,
            "actor_name": actor_name,
            "via": event.via,
            "kind": KIND_BY_TABLE[event.table_name],
            "row_id": event.row_id,
            "unit_id": event.unit_id,
            "subject_user_id": event.subject_user_id,
            "subject_user_name": subject_name,
            "action": event.action,
            "changes": event.changes,
        }
        for event, actor_name, subject_name in rows[:limit]
    ]
    more = len(rows) > limit
    return {"events": events, "next_before": events[-1]["id"] if more else None}
