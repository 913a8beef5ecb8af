"""Checks every writer of synced rows shares (plans, visits, ...), whatever the table."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from server.i18n import _, no_such
from server.models import SyncedMixin
from server.schemas.checks import Check, check_problems
from server.services.access import Principal
from server.services.errors import InvalidInput, InvalidState, NotFound, field_error

Row = TypeVar("Row", bound=SyncedMixin)


def readable_row(
    session: Session,
    principal: Principal,
    model: type[Row],
    row_id: uuid.UUID,
    what: str,
    options: Sequence[Any] = (),
) -> Row:
    """A live row of a unit whose plans the user may read; otherwise 404, so an id of another
    unit tells nothing. ``options``: loader options, say a relationship loaded with it."""
    row = session.get(model, row_id, options=options)
    if row is None or row.deleted or not principal.can("read_plans", row.unit_id):
        raise NotFound(no_such(what))
    return row


def refuse_changes(row: Any, values: dict[str, Any], fields: tuple[str, ...]) -> None:
    for field in fields:
        if field in values and values[field] != getattr(row, field):
            raise field_error(field, _("Cannot be changed once the row exists."))


def refuse_failed_checks(checks: tuple[Check, ...], values: dict[str, Any]) -> None:
    """The write schema's rules across fields (``server/schemas/checks.py``), run on the row
    as it would be: a partial load cannot see the stored values."""
    problems = check_problems(checks, values)
    if problems:
        field, reasons = next(iter(problems.items()))
        raise InvalidInput(f"{field}: {reasons[0]}", fields=problems)


def refuse_taken_id(
    session: Session, principal: Principal, model: type[Any], row_id: uuid.UUID | None, what: str
) -> None:
    """Refuse a client-chosen id that a row has already. A row the user may not read is
    answered as a read of its id would be (404), never "exists already": the answer must not
    confirm that another unit has it. (A taken id cannot be made to look free: that one bit
    stays, as with any id a client chooses.)"""
    if row_id is None:
        return
    row = session.get(model, row_id)
    if row is None:
        return
    if not principal.can("read_plans", row.unit_id):
        raise NotFound(no_such(what))
    raise InvalidState(_("A row with id %(row_id)s exists already.", row_id=row_id))
