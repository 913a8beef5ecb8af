"""The audit trail is what the reliability checks read as "this write was applied": its last
value for each field must be the row's value."""

from __future__ import annotations

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent
from server.models.versioning import to_json_value


def audited_values(row) -> dict:
    """Each field's newest value in the row's audit trail."""
    values: dict = {}
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.row_id == row.id).order_by(AuditEvent.version)
    )
    for event in events:
        values.update({name: new for name, (_, new) in event.changes.items()})
    return values


def test_an_update_is_audited_with_the_value_the_row_keeps(factory):
    plan = factory.plan(factory.unit())
    item = factory.item(plan, goal="first")
    item.goal, item.result = "second", "done"
    db.session.commit()
    audited = audited_values(item)
    assert audited["goal"] == "second" and audited["result"] == "done"


def test_a_created_rows_audit_event_holds_the_values_it_was_created_with(factory):
    plan = factory.plan(factory.unit())
    item = factory.item(plan)
    for row in (plan, item):
        db.session.refresh(row)
        audited = audited_values(row)
        for name in row.sync_fields:
            assert audited[name] == to_json_value(getattr(row, name)), (row.sync_table, name)
