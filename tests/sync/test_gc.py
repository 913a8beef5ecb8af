"""Garbage collection, ``flask --app server sync-gc``: old tombstones and stored push results,
photo bytes nothing live names, and finished notifications."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import case, select, update

from server import clock
from server.extensions import db
from server.models import (
    Conflict,
    Notification,
    PhotoBlob,
    Plan,
    PlanItem,
    SyncMutationResult,
)
from tests.helpers import assert_error
from tests.server.visit_helpers import cast, jpeg, post_visit, sha256, upload


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


# ---- photo bytes -----------------------------------------------------------------------------


def _age_blobs(addresses, hours: int) -> None:
    then = clock.now() - timedelta(hours=hours)
    db.session.execute(
        update(PhotoBlob)
        .where(PhotoBlob.sha256.in_(addresses))
        .values(created_at=then, completed_at=case((PhotoBlob.complete, then), else_=None))
    )
    db.session.commit()


def _blobs() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(PhotoBlob.sha256)))


def test_gc_removes_photo_bytes_no_live_visit_photo_names_once_the_grace_period_is_over(
    client, factory, runner
):
    c = cast(client, factory)
    visit = post_visit(client, c)
    photos = {name: jpeg(payload=name.encode()) for name in ("named", "deleted", "unnamed")}
    photos |= {"fresh": jpeg(payload=b"fresh"), "partial": jpeg(payload=b"partial" * 50)}
    photos["fresh_partial"] = jpeg(payload=b"fresh partial" * 50)
    for name in ("named", "deleted", "unnamed", "fresh"):
        assert upload(client, c.headers["inspector"], photos[name]).json["complete"] is True
    for name in ("partial", "fresh_partial"):
        data = photos[name]
        started = client.put(
            f"/api/photos/{sha256(data)}",
            data=data[:100],
            headers={
                **c.headers["inspector"],
                "Content-Type": "image/jpeg",
                "Upload-Length": str(len(data)),
                "Upload-Offset": "0",
            },
        )
        assert started.status_code == 200 and started.json["complete"] is False

    def record(visit, name):
        return client.post(
            f"/api/visits/{visit['id']}/photos",
            json={
                "sha256": sha256(photos[name]),
                "content_type": "image/jpeg",
                "size_bytes": len(photos[name]),
            },
            headers=c.headers["inspector"],
        ).json

    record(visit, "named")
    # The same bytes on a second visit, deleted there: the live row on the first keeps them.
    deleted = [record(visit, "deleted"), record(post_visit(client, c), "named")]
    for row in deleted:
        gone = client.delete(f"/api/visit-photos/{row['id']}", headers=c.headers["inspector"])
        assert gone.status_code == 204
    address = {name: sha256(data) for name, data in photos.items()}
    _age_blobs([address[n] for n in ("named", "deleted", "unnamed", "partial")], hours=721)

    dry = runner.invoke(args=["sync-gc", "--dry-run"])
    assert "Would delete 2 unused photos and 1 abandoned uploads" in dry.output, dry.output
    assert len(_blobs()) == 6
    result = runner.invoke(args=["sync-gc"])

    assert result.exit_code == 0, result.output
    assert "Deleted 2 unused photos and 1 abandoned uploads (older than 720 hours)" in result.output
    # Named by a live photo, or still within the grace period (its row may not have synced yet).
    assert _blobs() == {address[n] for n in ("named", "fresh", "fresh_partial")}
    assert_error(
        client.get(f"/api/photos/{address['deleted']}", headers=c.headers["inspector"]),
        404,
        "not_found",
    )
    # An abandoned upload starts again from nothing.
    assert_error(
        client.get(f"/api/photos/{address['partial']}/upload", headers=c.headers["inspector"]),
        404,
        "not_found",
    )


def test_photo_grace_period_comes_from_config(app, client, factory, runner, monkeypatch):
    c = cast(client, factory)
    data = jpeg()
    upload(client, c.headers["inspector"], data)
    _age_blobs([sha256(data)], hours=3)

    assert "Deleted 0 unused photos" in runner.invoke(args=["sync-gc"]).output
    monkeypatch.setitem(app.config, "PHOTO_GRACE_HOURS", 2)
    assert "Deleted 1 unused photos" in runner.invoke(args=["sync-gc"]).output
    assert _blobs() == set()


# ---- the push outbox ---------------------------------------------------------------------------


def _notification(user, status: str, created_days_ago: int, sent_days_ago: int | None = None):
    now = clock.now()
    row = Notification(
        user_id=user.id,
        kind="assigned",
        dedup_key=f"test:{uuid.uuid4()}",
        status=status,
        next_attempt_at=now,
        created_at=now - timedelta(days=created_days_ago),
        sent_at=None if sent_days_ago is None else now - timedelta(days=sent_days_ago),
    )
    db.session.add(row)
    return row


def test_gc_removes_finished_notifications_past_the_outbox_retention(app, factory, runner):
    user = factory.user(("staff", factory.unit()))
    rows = {
        "sent long ago": _notification(user, "sent", 31, sent_days_ago=31),
        "skipped long ago": _notification(user, "skipped", 31),
        "failed long ago": _notification(user, "failed", 31),
        # Waited (quiet hours, retries) and was sent within the retention: counts from sending.
        "sent lately": _notification(user, "sent", 40, sent_days_ago=29),
        "sent today": _notification(user, "sent", 0, sent_days_ago=0),
        # Delivery's business, however old.
        "pending": _notification(user, "pending", 40),
    }
    db.session.commit()
    ids = {name: row.id for name, row in rows.items()}

    dry = runner.invoke(args=["sync-gc", "--dry-run"])
    assert "Would delete 3 finished notifications (older than 30 days)" in dry.output
    result = runner.invoke(args=["sync-gc"])

    assert result.exit_code == 0, result.output
    assert "Deleted 3 finished notifications (older than 30 days)" in result.output
    db.session.expire_all()
    left = {name for name, row_id in ids.items() if db.session.get(Notification, row_id)}
    assert left == {"sent lately", "sent today", "pending"}


def test_outbox_retention_comes_from_config(app, factory, runner, monkeypatch):
    user = factory.user(("staff", factory.unit()))
    _notification(user, "sent", 10, sent_days_ago=10)
    db.session.commit()

    assert "Deleted 0 finished notifications" in runner.invoke(args=["sync-gc"]).output
    monkeypatch.setitem(app.config, "PUSH_OUTBOX_RETENTION_DAYS", 7)
    assert (
        "Deleted 1 finished notifications (older than 7 days)"
        in runner.invoke(args=["sync-gc"]).output
    )


def test_gc_retires_conflicts_resolved_long_ago_and_keeps_open_ones(factory, runner):
    """A resolved conflict (copies of both sides' text) is deleted after the retention, as a
    versioned change devices pull; an open one waits for a person however old it is."""
    unit = factory.unit()
    manager = factory.user(("manager", unit))
    item = factory.item(factory.plan(unit))

    def conflict(status: str, days_ago: int) -> uuid.UUID:
        when = clock.now() - timedelta(days=days_ago)
        row = Conflict(
            id=uuid.uuid4(),
            unit_id=unit.id,
            table_name="plan_items",
            row_id=item.id,
            field="goal",
            kind="edit_edit",
            server_version=2,
            server_value="Serverens tekst",
            client_value="Enhedens tekst",
            client_id="device-x",
            user_id=manager.id,
            involved_user_ids=[str(manager.id)],
            detected_at=when,
            status=status,
            resolution="server" if status == "resolved" else None,
            resolved_by=manager.id if status == "resolved" else None,
            resolved_at=when if status == "resolved" else None,
        )
        db.session.add(row)
        db.session.commit()
        return row.id

    old, recent, waiting = conflict("resolved", 91), conflict("resolved", 30), conflict("open", 400)
    seq_before = db.session.get(Conflict, old).seq

    dry = runner.invoke(args=["sync-gc", "--dry-run"])
    assert "Would delete 1 conflicts resolved before" in dry.output
    result = runner.invoke(args=["sync-gc"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 conflicts resolved before" in result.output

    db.session.expire_all()
    retired = db.session.get(Conflict, old)
    assert retired.deleted and retired.version == 2 and retired.seq > seq_before
    assert not db.session.get(Conflict, recent).deleted
    assert not db.session.get(Conflict, waiting).deleted
    # Its tombstone goes in a later run, once it is as old as any other.
    age(Conflict, old, 91)
    runner.invoke(args=["sync-gc"])
    db.session.expunge_all()
    assert db.session.get(Conflict, old) is None
