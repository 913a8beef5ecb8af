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
    flask_migrate.downgrade(revision="0009")
    postgresql = db.engine.dialect.name == "postgresql"
    if postgresql:
        # Today's writers number changes from sync_seq (0011); the rows of this 0009 database
        # borrow a sequence of their own, gone again before the upgrade.
        db.session.execute(text("CREATE SEQUENCE sync_seq"))
        db.session.commit()
    act_as(db.session, None, "cli")
    ensure_catalogues(db.session)
    factory = Factory(db.session)
    unit = factory.unit()
    inspector = factory.user(("inspector", unit))
    item = factory.item(factory.plan(unit))
    act_as(db.session, None, "cli")
    comment_id = uuid.uuid4()
    written = clock.now()
    # The table as it was before 0010: the ORM model still matches it.
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
    before = db.session.execute(text("SELECT value FROM sync_clock")).scalar_one()
    ids = {"inspector": inspector.id, "item": item.id, "plan": item.plan_id, "unit": unit.id}
    if postgresql:
        db.session.execute(text("DROP SEQUENCE sync_seq"))
        db.session.commit()
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
