"""Evidence (DOKUMENTATION) attached to a plan row or to one of its progress notes.

    attach          write_items in the row's unit (staff, manager, foster parent): the bytes
                    are uploaded first (``server/services/photos.py``) by the same person, or
                    are evidence of that unit already
    delete          write_items, and the one who attached it or who manages the unit's plans
    read            read_plans, as the row itself

A record is written once (its bytes never change). Like a row's edits, nothing is attached to
or removed from an archived plan. The type and size limits are checked twice: at upload, on
the bytes, and here, on what the record claims, so a record never names more than it may.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import clock
from server.i18n import _
from server.models import Plan, PlanAttachment, PlanItem, ProgressNote
from server.models.plans import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES
from server.services.access import Principal
from server.services.errors import InvalidState, field_error
from server.services.photos import require_nameable
from server.services.rows import readable_row, refuse_taken_id


def create_attachment(
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    attachment_id: uuid.UUID | None = None,
    *,
    in_batch: bool = False,
) -> PlanAttachment:
    values = dict(values)
    values.pop("id", None)
    item = session.get(PlanItem, values["item_id"])
    if item is None or item.deleted or not principal.can("see_unit", item.unit_id):
        raise field_error("item_id", _("No such item."))
    principal.require("write_items", item.unit_id, "item")
    _refuse_if_archived(session.get(Plan, item.plan_id))
    if not in_batch:
        refuse_taken_id(session, principal, PlanAttachment, attachment_id, "attachment")
    note_id = values.get("note_id")
    if note_id is not None:
        note = session.get(ProgressNote, note_id)
        if note is None or note.deleted or note.item_id != item.id:
            raise field_error("note_id", _("Not a progress note of this item."))
    if values["content_type"] not in ATTACHMENT_TYPES:
        raise field_error(
            "content_type",
            _("Attachments are %(value)s.", value=" or ".join(ATTACHMENT_TYPES)),
        )
    if values["size_bytes"] > MAX_ATTACHMENT_BYTES:
        raise field_error(
            "size_bytes",
            _(
                "An attachment is at most %(max_bytes)s bytes.",
                max_bytes=MAX_ATTACHMENT_BYTES,
            ),
        )
    require_nameable(session, principal, values["sha256"], item.unit_id)
    attachment = PlanAttachment(
        id=attachment_id or uuid.uuid4(),
        plan_id=item.plan_id,
        unit_id=item.unit_id,
        created_by=principal.user_id,
        created_at=values.pop("created_at", None) or clock.now(),
        **values,
    )
    session.add(attachment)
    if not in_batch:
        session.flush()
    return attachment


def delete_attachment(session: Session, principal: Principal, attachment: PlanAttachment) -> None:
    principal.require("write_items", attachment.unit_id, "attachment")
    if attachment.created_by != principal.user_id:
        principal.require("manage_plans", attachment.unit_id, "attachment")
    _refuse_if_archived(session.get(Plan, attachment.plan_id))
    attachment.deleted = True
    session.flush()


def get_attachment(
    session: Session, principal: Principal, attachment_id: uuid.UUID
) -> PlanAttachment:
    return readable_row(session, principal, PlanAttachment, attachment_id, "attachment")


def list_attachments(
    session: Session, principal: Principal, item_id: uuid.UUID
) -> list[PlanAttachment]:
    item = readable_row(session, principal, PlanItem, item_id, "item")
    return list(
        session.scalars(
            select(PlanAttachment)
            .where(PlanAttachment.item_id == item.id, PlanAttachment.deleted.is_(False))
            .order_by(PlanAttachment.created_at, PlanAttachment.seq)
        )
    )


def _refuse_if_archived(plan: Plan | None) -> None:
    if plan is not None and plan.state == "archived":
        raise InvalidState(_("The plan is archived and can no longer be changed."))


__all__ = ["create_attachment", "delete_attachment", "get_attachment", "list_attachments"]
