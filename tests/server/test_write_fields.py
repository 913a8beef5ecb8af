"""``versioning.write_fields``, the one-row road of a push or a PATCH, leaves exactly what a
flush through the session hooks leaves: the row's version, field versions and change number,
its audit event and the notices. Each test makes the same edit both ways on two twin items and
compares; on both databases."""

from __future__ import annotations

from sqlalchemy import select

from server.extensions import db
from server.models import AuditEvent, PlanItem, User
from server.models.versioning import act_as, lock_clock, write_fields
from tests.push.conftest import outbox


def _twins(factory):
    """Two items of one approved plan, a manager and a staff member of the unit, and an
    inspector following it: an edit of either item tells the inspector (followed_changed)
    and, when it names the staff member or the follower, tells them (assigned)."""
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    staff = factory.user(("staff", unit))
    inspector = factory.user(("inspector", unit))
    factory.user(("staff", unit), email="follower@example.test")
    plan = factory.plan(unit, state="approved")
    first, second = factory.item(plan), factory.item(plan)
    db.session.commit()
    return manager, staff, inspector, first, second


def _edit(item, values, manager, direct):
    act_as(db.session, manager.id, "rest")
    lock_clock(db.session, None)
    if direct:
        write_fields(db.session, item, values)
    else:
        for name, value in values.items():
            setattr(item, name, value)
        db.session.flush()
    db.session.commit()
    act_as(db.session, None, "cli")


def _stamp(item):
    db.session.expire_all()
    row = db.session.get(PlanItem, item.id)
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.row_id == item.id, AuditEvent.action == "update")
    ).all()
    audit = (event.user_id, event.via, event.version, event.changes, event.plan_id, event.unit_id)
    return row.version, row.field_versions, row.updated_by, audit


def _notices(item):
    return sorted((n.kind, n.user_id) for n in outbox() if n.item_id in (item.id, None))


def test_a_direct_write_leaves_what_a_flush_leaves(factory):
    manager, staff, inspector, flushed, direct = _twins(factory)
    follower = db.session.scalars(select(User).where(User.email == "follower@example.test")).one()
    values = {
        "result": "Halvvejs",
        "responsible": [{"user_id": str(staff.id)}],
        "follow_up_responsible": [{"user_id": str(follower.id)}],
    }

    _edit(flushed, values, manager, direct=False)
    flushed_seq = db.session.get(PlanItem, flushed.id).seq
    notices_after_flush = sorted((n.kind, n.user_id) for n in outbox())
    _edit(direct, values, manager, direct=True)

    assert _stamp(direct) == _stamp(flushed)
    assert db.session.get(PlanItem, direct.id).seq > flushed_seq
    assert notices_after_flush == sorted(
        [("assigned", staff.id), ("assigned", follower.id), ("followed_changed", inspector.id)]
    )
    # The second edit is told as the first was: "assigned" is per item version, and the
    # inspector hears of an approved plan's changes once a day (the key holds the day).
    assigned = outbox(kind="assigned")
    assert sorted(
        (n.item_id, n.user_id, (n.params or {}).get("about")) for n in assigned
    ) == sorted(
        (item.id, user.id, about)
        for item in (flushed, direct)
        for user, about in ((staff, None), (follower, "follow_up"))
    )


def test_the_row_in_the_session_is_the_row_in_the_database(factory):
    manager, _, _, _, item = _twins(factory)
    act_as(db.session, manager.id, "sync")
    lock_clock(db.session, None)

    write_fields(db.session, item, {"goal": "Nyt mål"})

    assert item not in db.session.dirty
    seen = (item.goal, item.version, item.seq, item.field_versions)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(PlanItem, item.id)
    assert (stored.goal, stored.version, stored.seq, stored.field_versions) == seen
    assert stored.version == 2 and stored.field_versions["goal"] == 2


def test_an_unchanged_value_writes_nothing(factory):
    manager, _, _, _, item = _twins(factory)
    before = (item.version, item.seq)

    _edit(item, {"goal": item.goal}, manager, direct=True)

    db.session.expire_all()
    stored = db.session.get(PlanItem, item.id)
    assert (stored.version, stored.seq) == before
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.row_id == item.id, AuditEvent.action == "update")
    ).all()


def test_inside_a_savepoint_it_flushes_so_a_rollback_undoes_it(factory):
    """A rolled-back savepoint expires only the rows its flushes changed: a row written
    directly inside one would keep its new values in the session. So there it flushes."""
    manager, _, _, _, item = _twins(factory)
    act_as(db.session, manager.id, "sync")
    lock_clock(db.session, None)
    old_goal = item.goal

    savepoint = db.session.begin_nested()
    write_fields(db.session, item, {"goal": "Rullet tilbage"})
    savepoint.rollback()

    assert item.goal == old_goal and item.version == 1
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(PlanItem, item.id).goal == old_goal
