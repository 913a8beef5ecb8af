"""Audits every change of who may do what: users, their memberships, their login tokens.

Units are synced rows, so ``versioning.stamp_changes`` audits them already (create, rename,
move). This hook does the same, on flush, for the access rows that are not synced, into the
same ``audit_events`` table; any path (REST, CLI, a future password reset) is covered without
remembering to call anything.

    table         action                  changes ({field: [old, new]})
    users         create, update, delete  email, name, language, active; a new password
                                          hash as {"password": ["(changed)", "(changed)"]}
    memberships   create, update, delete  user_id, unit_id, role, valid_from, valid_to
    auth_tokens   revoke, update, delete  revoked_at, expires_at

Never recorded: password hashes, tokens or token hashes. Issuing a token at login is not
recorded either: a login uses access, it does not change it, and a log of every login would
be a record of when each employee works.

Each event names the user it is about (``subject_user_id``) and, for a membership, its unit.
Changes made by Core statements (``update(User)``, ``delete(Membership)``) bypass the session
and this hook, so services change these rows through the ORM only.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from server import clock
from server.models.audit import AuditEvent
from server.models.bulk import python_default
from server.models.org import AuthToken, Membership, User
from server.models.versioning import changed_fields, to_json_value

AUDITED_FIELDS: dict[type[Any], tuple[str, ...]] = {
    User: ("email", "name", "language", "active"),
    Membership: ("user_id", "unit_id", "role", "valid_from", "valid_to"),
    AuthToken: ("revoked_at", "expires_at"),
}
TABLES = {model: model.__tablename__ for model in AUDITED_FIELDS}
# The access history as admins read it, by the kind of thing changed (units come from the
# versioning hook).
ACCESS_TABLES_BY_KIND = {
    "user": "users",
    "membership": "memberships",
    "unit": "units",
    "token": "auth_tokens",
}
# Secrets whose change is recorded as a fact, never as a value.
SECRET_FIELDS: dict[type[Any], dict[str, str]] = {User: {"password_hash": "password"}}
CHANGED = "(changed)"


def _audited(row: object) -> bool:
    return type(row) in AUDITED_FIELDS


def _field_changes(row: Any) -> dict[str, list[Any]]:
    changes = changed_fields(row, AUDITED_FIELDS[type(row)])
    state = inspect(row)
    for field, recorded_as in SECRET_FIELDS.get(type(row), {}).items():
        history = state.attrs[field].history
        if history.deleted and history.added and history.deleted[0] != history.added[0]:
            changes[recorded_as] = [CHANGED, CHANGED]
    return changes


def _subject_user_id(row: Any) -> uuid.UUID | None:
    return row.id if isinstance(row, User) else row.user_id


def _apply_column_defaults(row: Any) -> None:
    """Give a new row's unset audited fields their column defaults now rather than at INSERT,
    so its event records the values it was created with (``active``: true)."""
    columns = type(row).__table__.c
    for field in AUDITED_FIELDS[type(row)]:
        make = python_default(columns[field])
        if getattr(row, field) is None and make is not None:
            setattr(row, field, make())


def _take_linked_ids(membership: Membership) -> None:
    """A new membership linked by relationship rather than by id gets its ids now, so its
    event names them (the flush would set them only later)."""
    if membership.user_id is None and membership.user is not None:
        membership.user_id = membership.user.id
    if membership.unit_id is None and membership.unit is not None:
        membership.unit_id = membership.unit.id


def _update_action(row: Any, changes: dict[str, list[Any]]) -> str:
    revoked_at = changes.get("revoked_at")
    if isinstance(row, AuthToken) and revoked_at is not None and revoked_at[0] is None:
        return "revoke"
    return "update"


def audit_access_changes(session: Session, flush_context: Any, instances: Any) -> None:
    # Users first: a membership added with its new user needs the user's id.
    created = sorted(
        (row for row in session.new if _audited(row) and not isinstance(row, AuthToken)),
        key=lambda row: not isinstance(row, User),
    )
    for row in created:
        if row.id is None:
            row.id = uuid.uuid4()
        if isinstance(row, Membership):
            _take_linked_ids(row)
        _apply_column_defaults(row)
    changed: list[tuple[Any, str, dict[str, list[Any]]]] = []
    for row in created:
        fields = AUDITED_FIELDS[type(row)]
        changed.append((row, "create", {f: [None, to_json_value(getattr(row, f))] for f in fields}))
    for row in session.dirty:
        if _audited(row) and row not in session.new:
            changes = _field_changes(row)
            if changes:
                changed.append((row, _update_action(row, changes), changes))
    for row in session.deleted:
        if _audited(row):
            fields = AUDITED_FIELDS[type(row)]
            changed.append(
                (row, "delete", {f: [to_json_value(getattr(row, f)), None] for f in fields})
            )
    if not changed:
        return

    now = clock.now()
    actor = session.info.get("actor_id")
    via = session.info.get("via", "cli")
    session.add_all(
        AuditEvent(
            at=now,
            user_id=actor,
            table_name=TABLES[type(row)],
            row_id=row.id,
            unit_id=row.unit_id if isinstance(row, Membership) else None,
            subject_user_id=_subject_user_id(row),
            action=action,
            version=None,
            changes=changes,
            via=via,
        )
        for row, action, changes in changed
    )
