"""The dialogue on a plan: one thread per plan row and one for the plan as a whole, between the
unit (its managers and staff: the provider) and the inspectors who follow it.

    read a thread       read_plans (staff, manager, inspector of the unit)
    write a message     discuss    (the same people, each under their own name)

A message is written once (append-only, like a progress note): the same id again is the same
message, and nothing deletes one. Its ``side`` says who spoke, the inspectorate or the
provider, from the author's role in the unit when it was written (an inspector who also works
in the unit speaks for the inspectorate). REST and sync go through ``add_message``.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server import clock
from server.models import Plan, PlanItem, PlanMessage
from server.services import plans
from server.services.access import Principal
from server.services.errors import InvalidState, field_error
from server.services.rows import refuse_taken_id

# All messages of a plan (its own thread and its rows'), not only the plan's own thread.
EVERY_THREAD = "every"


def list_messages(
    session: Session,
    principal: Principal,
    plan_id: uuid.UUID | None = None,
    item_id: uuid.UUID | None = None,
    thread: str | None = None,
) -> list[PlanMessage]:
    """A row's thread (``item_id``), or a plan's own thread (``plan_id``), oldest first;
    ``thread=EVERY_THREAD`` with a plan gives the plan's and all its rows' messages."""
    query = select(PlanMessage).where(PlanMessage.deleted.is_(False))
    if item_id is not None:
        item = plans.get_item(session, principal, item_id)
        query = query.where(PlanMessage.item_id == item.id)
    else:
        assert plan_id is not None
        plan = plans.get_plan(session, principal, plan_id)
        query = query.where(PlanMessage.plan_id == plan.id)
        if thread != EVERY_THREAD:
            query = query.where(PlanMessage.item_id.is_(None))
    return list(session.scalars(query.order_by(PlanMessage.created_at, PlanMessage.seq)))


def add_message(
    session: Session,
    principal: Principal,
    values: dict[str, Any],
    message_id: uuid.UUID | None = None,
    *,
    in_batch: bool = False,
) -> PlanMessage:
    """Append a message to a row's thread (``item_id``) or the plan's own (``plan_id`` only)."""
    plan, item = _thread_of(session, principal, values.get("plan_id"), values.get("item_id"))
    principal.require("discuss", plan.unit_id, "plan")
    if plan.state == "archived":
        raise InvalidState("The plan is archived; its dialogue is closed.")
    if not in_batch:
        refuse_taken_id(session, principal, PlanMessage, message_id, "message")
    message = PlanMessage(
        id=message_id or uuid.uuid4(),
        plan_id=plan.id,
        item_id=item.id if item else None,
        unit_id=plan.unit_id,
        body=values["body"],
        author_id=principal.user_id,
        side=side_of(principal, plan.unit_id),
        created_at=values.get("created_at") or clock.now(),
    )
    session.add(message)
    if not in_batch:
        session.flush()
    return message


def side_of(principal: Principal, unit_id: uuid.UUID) -> str:
    return "inspectorate" if principal.can("inspect", unit_id) else "provider"


def _thread_of(
    session: Session,
    principal: Principal,
    plan_id: uuid.UUID | None,
    item_id: uuid.UUID | None,
) -> tuple[Plan, PlanItem | None]:
    item = None
    if item_id is not None:
        item = session.get(PlanItem, item_id)
        if item is None or item.deleted or not principal.can("see_unit", item.unit_id):
            raise field_error("item_id", "No such item.")
        if plan_id is not None and plan_id != item.plan_id:
            raise field_error("item_id", "The item belongs to another plan.")
        plan_id = item.plan_id
    if plan_id is None:
        raise field_error("plan_id", "A message is about a plan or one of its items.")
    plan = session.get(Plan, plan_id)
    if plan is None or plan.deleted or not principal.can("see_unit", plan.unit_id):
        raise field_error("plan_id", "No such plan.")
    return plan, item


__all__ = ["EVERY_THREAD", "add_message", "list_messages", "side_of"]
