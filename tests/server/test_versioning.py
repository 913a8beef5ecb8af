"""The flush hook that stamps synced rows, where a row was expired (after a commit) before it
was changed: the audit keeps the real old value, and writing a field its own value changes
nothing."""

from __future__ import annotations

from server.extensions import db
from server.models import AuditEvent


def _events(item_id):
    return db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.row_id == item_id).order_by(AuditEvent.version)
    ).all()


def test_changing_an_expired_row_audits_its_old_value(app, factory):
    item = factory.item(factory.plan(factory.unit()), goal="Før")
    db.session.commit()  # expires the row: nothing of it is loaded now
    item.goal = "Efter"
    db.session.commit()

    assert item.version == 2
    assert _events(item.id)[-1].changes == {"goal": ["Før", "Efter"]}


def test_writing_an_expired_row_its_own_value_changes_nothing(app, factory):
    item = factory.item(factory.plan(factory.unit()), goal="Samme")
    db.session.commit()
    item.goal = "Samme"
    db.session.commit()

    assert item.version == 1
    assert [e.action for e in _events(item.id)] == ["create"]
