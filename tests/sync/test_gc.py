"""Tombstone garbage collection: ``flask --app server sync-gc``."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from server import clock
from server.extensions import db
from server.models import Plan, PlanItem, SyncMutationResult


def age(model, row_id, days: int) -> None:
    """Backdate a row without going through the versioning hook."""
    db.session.execute(
        update(model.__table__)
        .where(model.__table__.c.id == row_id)
        .values(updated_at=clock.now() - timedelta(days=days))
    )
    db.session.commit()


def test_gc_removes_old_tombstones_and_keeps_recent_and_referenced_ones(factory, runner):
    unit = factory.unit()
    plan = factory.plan(unit)
    old, recent, live = factory.item(plan), factory.item(plan), factory.item(plan)
    old.deleted = recent.deleted = True
    dead_plan = factory.plan(unit)
    kept_child = factory.item(dead_plan)
    dead_plan.deleted = True
    db.session.commit()
    ids = {"old": old.id, "recent": recent.id, "live": live.id, "child": kept_child.id}
    ids["plan"] = dead_plan.id
    age(PlanItem, ids["old"], 91)
    age(PlanItem, ids["recent"], 89)
    age(Plan, ids["plan"], 200)

    dry = runner.invoke(args=["sync-gc", "--dry-run"])
    assert dry.exit_code == 0 and "Would delete 1 tombstones" in dry.output
    result = runner.invoke(args=["sync-gc"])

    assert result.exit_code == 0, result.output
    assert "Deleted 1 tombstones older than 90 days" in result.output
    db.session.expunge_all()
    assert db.session.get(PlanItem, ids["old"]) is None
    assert db.session.get(PlanItem, ids["recent"]) is not None
    assert db.session.get(PlanItem, ids["live"]) is not None
    # A deleted plan whose item still exists stays until the item has gone.
    assert db.session.get(Plan, ids["plan"]) is not None
    assert db.session.get(PlanItem, ids["child"]) is not None


def test_gc_retention_comes_from_config_or_the_command_line(app, factory, runner, monkeypatch):
    unit = factory.unit()
    item = factory.item(factory.plan(unit))
    item.deleted = True
    db.session.commit()
    age(PlanItem, item.id, 10)

    monkeypatch.setitem(app.config, "TOMBSTONE_RETENTION_DAYS", 30)
    assert "Deleted 0 tombstones" in runner.invoke(args=["sync-gc"]).output
    assert (
        "Deleted 1 tombstones older than 7 days"
        in runner.invoke(args=["sync-gc", "--days", "7"]).output
    )


def test_gc_forgets_old_push_results(factory, api, runner):
    unit = factory.unit()
    staff = factory.user(("staff", unit))
    item = factory.item(factory.plan(unit))
    mutation = {
        "mutation_id": 1,
        "table": "plan_items",
        "id": str(item.id),
        "op": "upsert",
        "base_version": 1,
        "fields": {"goal": "x"},
    }
    assert api(staff).push([mutation]).status_code == 200
    db.session.execute(
        update(SyncMutationResult).values(created_at=clock.now() - timedelta(days=100))
    )
    db.session.commit()

    assert "1 stored push results" in runner.invoke(args=["sync-gc"]).output
    # A retry that old still gets "duplicate", without the original answer.
    [result] = api(staff).push([mutation]).json["results"]
    assert result == {"mutation_id": 1, "status": "duplicate", "original_status": None}
