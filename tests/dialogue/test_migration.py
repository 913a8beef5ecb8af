"""Migration 0010 carries every inspector's comment into its row's thread."""

from __future__ import annotations

import uuid

import flask_migrate
from sqlalchemy import text

from server import clock
from server.extensions import db
from server.models import ItemComment, PlanMessage
from server.models.versioning import act_as
from server.services.catalogues import ensure_catalogues
from tests.factories import Factory
from tests.server.test_migrations import empty_database_url, migrated_app  # noqa: F401


def test_upgrade_copies_comments_into_the_rows_thread_with_new_sync_numbers(migrated_app):  # noqa: F811
    # The rows are written at head, by today's models, and the schema is then taken down to
    # 0009 under them (the later migrations only add columns and tables these rows do not
    # need): today's models no longer match a 0009 schema.
    act_as(db.session, None, "cli")
    ensure_catalogues(db.session)
    factory = Factory(db.session)
    unit = factory.unit()
    inspector = factory.user(("inspector", unit))
    item = factory.item(factory.plan(unit))
    act_as(db.session, None, "cli")
    comment_id = uuid.uuid4()
    written = clock.now()
    db.session.add(
        ItemComment(
            id=comment_id,
            item_id=item.id,
            plan_id=item.plan_id,
            unit_id=unit.id,
            text="Husk indberetningen",
            author_id=inspector.id,
            created_at=written,
        )
    )
    db.session.commit()
    ids = {"inspector": inspector.id, "item": item.id, "plan": item.plan_id, "unit": unit.id}
    db.session.remove()
    flask_migrate.downgrade(revision="0009")
    # The comment as a 0009 database holds it: no message yet.
    assert db.session.execute(text("SELECT count(*) FROM item_comments")).scalar_one() == 1
    before = db.session.execute(text("SELECT value FROM sync_clock")).scalar_one()
    db.session.remove()

    flask_migrate.upgrade()

    message = db.session.get(PlanMessage, comment_id)
    assert (message.body, message.author_id, message.side, message.item_id) == (
        "Husk indberetningen",
        ids["inspector"],
        "inspectorate",
        ids["item"],
    )
    assert (message.plan_id, message.unit_id) == (ids["plan"], ids["unit"])
    assert message.created_at == written
    assert message.seq == before + 1
    assert db.session.execute(text("SELECT value FROM sync_clock")).scalar_one() == before + 1
    assert db.session.get(ItemComment, comment_id) is not None
