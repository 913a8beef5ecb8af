"""``bulk_insert`` (COPY on PostgreSQL) must store exactly what an INSERT through SQLAlchemy
stores: text COPY has its own escaping, and JSON and time zones their own conversions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

from server.extensions import db
from server.models import AuditEvent
from server.models.bulk import bulk_insert

AWKWARD_TEXT = 'tab\there, newline\nhere, back\\slash, "quotes", \\N, æøå ÆØÅ, emoji 🙂'


def _event(**values):
    return {
        "at": datetime(2026, 3, 4, 5, 6, 7, 890, tzinfo=timezone(timedelta(hours=2))),
        "table_name": "plan_items",
        "row_id": uuid.uuid4(),
        "action": "create",
        "version": 1,
        "via": "sync",
        **values,
    }


def _stored(row_id):
    db.session.expire_all()
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.row_id == row_id)).one()
    return {c: getattr(event, c) for c in ("at", "user_id", "plan_id", "changes", "version")}


def test_bulk_insert_stores_what_an_insert_stores(app, factory):
    changes = {"goal": [None, AWKWARD_TEXT], "responsible": [[], [{"name": "Ø"}]], "n": 3}
    by_copy = _event(changes=changes, plan_id=None)
    by_insert = _event(changes=changes, plan_id=None)
    bulk_insert(db.session, AuditEvent, [by_copy])
    db.session.execute(db.insert(AuditEvent), [{"id": uuid.uuid4(), **by_insert}])
    db.session.commit()

    copied, inserted = _stored(by_copy["row_id"]), _stored(by_insert["row_id"])
    assert copied == inserted
    assert copied["changes"]["goal"] == [None, AWKWARD_TEXT]
    assert copied["at"] == datetime(2026, 3, 4, 3, 6, 7, 890, tzinfo=UTC)


def test_bulk_insert_gives_left_out_columns_their_defaults(app, factory):
    rows = [_event(changes={}), _event(changes={"x": [1, 2]}, user_id=None)]
    bulk_insert(db.session, AuditEvent, rows)
    db.session.commit()
    ids = {
        db.session.scalars(db.select(AuditEvent.id).where(AuditEvent.row_id == r["row_id"])).one()
        for r in rows
    }
    assert len(ids) == 2 and None not in ids  # the id's Python default, once per row


def test_bulk_insert_of_nothing_does_nothing(app):
    def count():
        return db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))

    before = count()
    bulk_insert(db.session, AuditEvent, [])
    assert count() == before
