"""Conflicts: recording a collision for a person to resolve, resolving it, and who sees it.

A conflict keeps both sides; the server's value stays on the row until someone chooses::

    recorded by the push    edit_edit     one field changed on both sides since the base
                            delete_edit   a delete met an edit (a whole-row ``RowConflict``)
    resolved by a person    server        keep what the row has
                            client        write the device's value (an ordinary versioned
                                          change, through the table's writer)
                            custom        write ``resolved_value``
                            restore       a deleted row comes back, with the edit

Who sees one: the users involved (while they may read the unit) and the unit's managers.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from server import clock
from server.i18n import _
from server.models import AuditEvent, Conflict, SyncedMixin
from server.models.versioning import lock_clock
from server.services.access import Principal
from server.services.errors import InvalidInput, InvalidState, NotFound
from server.services.tables import WRITABLE
from sync.merge import FieldConflict, RowConflict
from sync.protocol import DELETE_EDIT

RESOLUTIONS = ("server", "client", "custom", "restore")


def involved_in(conflict: Any, user_id: uuid.UUID) -> bool:
    me = str(user_id)
    return me in (
        str(conflict.user_id),
        str(conflict.server_user_id),
        *(str(u) for u in conflict.involved_user_ids or ()),
    )


def may_see_conflict(principal: Principal, conflict: Conflict) -> bool:
    """Involved users (while they may read the unit) and the unit's managers."""
    if not principal.can("read_plans", conflict.unit_id):
        return False
    return principal.can("manage_plans", conflict.unit_id) or involved_in(
        conflict, principal.user_id
    )


def record_conflict(
    session: Session,
    principal: Principal,
    client_id: str,
    row: SyncedMixin,
    found: FieldConflict | RowConflict,
    kind: str,
    base_version: int | None,
) -> Conflict:
    """Keep both sides of a collision for a person to resolve; the server value stays."""
    server_user, server_changed_at = _writer_of(session, row, found.server_field_version)
    involved = {str(principal.user_id)} | ({str(server_user)} if server_user else set())
    conflict = Conflict(
        id=uuid.uuid4(),
        unit_id=row.unit_id,
        table_name=row.sync_table,
        row_id=row.id,
        field=found.field,
        kind=kind,
        base_version=base_version,
        base_value=found.base_value,
        server_version=row.version,
        server_value=found.server_value,
        server_user_id=server_user,
        server_changed_at=server_changed_at,
        client_value=found.client_value,
        client_id=client_id,
        user_id=principal.user_id,
        involved_user_ids=sorted(involved),
        detected_at=clock.now(),
        status="open",
    )
    session.add(conflict)
    session.flush()
    return conflict


def _writer_of(
    session: Session, row: SyncedMixin, version: int
) -> tuple[uuid.UUID | None, datetime | None]:
    """Who wrote the row at ``version`` and when, from the audit trail (so the other side of a
    conflict can read "Anna's value, 27 Aug 09:00")."""
    found = session.execute(
        select(AuditEvent.user_id, AuditEvent.at)
        .where(
            AuditEvent.table_name == row.sync_table,
            AuditEvent.row_id == row.id,
            AuditEvent.version == version,
        )
        .limit(1)
    ).first()
    return (found.user_id, found.at) if found else (None, None)


def resolve_conflict_by_id(
    session: Session,
    principal: Principal,
    conflict_id: uuid.UUID,
    resolution: str | None,
    resolved_value: Any = None,
) -> Conflict:
    """Resolve a conflict outside a push (REST): the clock first, as a push takes it."""
    lock_clock(session, principal.organisation_ids)
    conflict = session.get(Conflict, conflict_id)
    if conflict is None:
        raise NotFound(_("No such conflict."))
    return resolve_conflict(session, principal, conflict, resolution, resolved_value)


def resolve_conflict(
    session: Session,
    principal: Principal,
    conflict: Conflict,
    resolution: str | None,
    resolved_value: Any = None,
) -> Conflict:
    """Close a conflict. "server" keeps what the row has; "client" writes the device's value
    to the row, "custom" writes ``resolved_value``: an ordinary versioned change, through the
    same writer as REST. A delete/edit conflict is closed with "server" (the row stays
    deleted; the edit stays readable in the conflict) or "restore" (the row comes back, with
    the edit)."""
    if not may_see_conflict(principal, conflict):
        raise NotFound(_("No such conflict."))
    if conflict.status != "open":
        raise InvalidState(_("This conflict has been resolved already."))
    if resolution not in RESOLUTIONS:
        raise InvalidInput(
            _("Say how to resolve: server, client, custom or (a deleted row) restore."),
            fields={"resolution": [_("Must be one of: server, client, custom, restore.")]},
        )
    if conflict.kind == DELETE_EDIT and resolution not in ("server", "restore"):
        raise InvalidState(
            _(
                "The row is deleted; close this conflict with 'server', or bring the row back "
                "with its edit with 'restore'."
            )
        )
    if conflict.kind != DELETE_EDIT and resolution == "restore":
        raise InvalidState(_("Only a row that was deleted can be restored."))
    if resolution == "restore":
        value: Any = _restore(session, principal, conflict)
    elif resolution == "server":
        value = conflict.server_value
    else:
        value = conflict.client_value if resolution == "client" else resolved_value
        _write_resolution(session, principal, conflict, value)
    conflict.status = "resolved"
    conflict.resolution = resolution
    conflict.resolved_value = value
    conflict.resolved_by = principal.user_id
    conflict.resolved_at = clock.now()
    session.flush()
    return conflict


def _restore(session: Session, principal: Principal, conflict: Conflict) -> dict[str, Any]:
    """Undelete the row and write the edit the delete overrode: the device's edit of a row
    deleted meanwhile, or (a delete that overrode others' edits) the row's values as they
    are, since a tombstone keeps them. Returns the fields written."""
    writer = WRITABLE.get(conflict.table_name)
    restore = writer.restore if writer is not None else None
    if restore is None or writer is None or writer.update is None:
        raise InvalidState(
            _(
                "Deleted rows of %(table)s cannot be restored; close this conflict with 'server'.",
                table=conflict.table_name,
            )
        )
    row = session.get(writer.model, conflict.row_id)
    if row is None:
        raise InvalidState(_("The deleted row has been collected since; it cannot come back."))
    if row.deleted:
        restore(session, principal, row)
    edit = conflict.client_value if isinstance(conflict.client_value, dict) else {}
    values = writer.schema.load(edit, partial=True)
    if values:
        writer.update(session, principal, row, values)
    return edit


def _write_resolution(
    session: Session, principal: Principal, conflict: Conflict, value: Any
) -> None:
    writer = WRITABLE.get(conflict.table_name)
    row = session.get(writer.model, conflict.row_id) if writer else None
    if writer is None or writer.update is None or row is None or conflict.field is None:
        raise InvalidState(_("This conflict cannot take a value."))
    if row.deleted:
        raise InvalidState(_("The row has been deleted since; close this conflict with 'server'."))
    try:
        values = writer.schema.load({conflict.field: value}, partial=True)
    except ValidationError as error:
        reasons = [str(m) for v in error.normalized_messages().values() for m in _as_list(v)]
        raise InvalidInput(
            _("The resolved value is not valid."), fields={"resolved_value": reasons}
        ) from None
    writer.update(session, principal, row, values)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
