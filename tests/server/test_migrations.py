"""The Alembic revisions build exactly the schema the models describe, on both databases.

Each test starts from an empty database (a new SQLite file, a new PostgreSQL schema), runs
``flask db upgrade`` to head and compares the result with ``db.metadata``. A model change
without a matching revision fails here; ``make migration-check`` prints the same drift.
"""

from __future__ import annotations

import uuid

import flask_migrate
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from server.extensions import db
from server.migrations import schema_differences
from server.models.versioning import act_as
from server.services.catalogues import ensure_catalogues
from tests.conftest import BACKENDS, PG_URL, make_app
from tests.factories import Factory


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path):
    """A URL to an empty database: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    schema = f"folg_mig_{uuid.uuid4().hex[:12]}"
    engine = create_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as error:  # pragma: no cover - the point is to fail loudly
        engine.dispose()
        pytest.fail(f"PostgreSQL at {PG_URL} does not answer ({error}).", pytrace=False)
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture
def migrated_app(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        flask_migrate.upgrade()
        yield app
        db.session.remove()
        # Close pooled connections so the PostgreSQL schema can be dropped.
        db.engine.dispose()


def _tables() -> set[str]:
    with db.engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def test_upgrade_from_empty_database_matches_the_models(migrated_app):
    with db.engine.connect() as conn:
        differences = schema_differences(conn, db.metadata)
    assert differences == [], "models and migrations differ; add a revision:\n" + "\n".join(
        map(str, differences)
    )


def test_upgrade_creates_every_model_table(migrated_app):
    assert _tables() == set(db.metadata.tables) | {"alembic_version"}


def test_upgrade_inserts_the_single_sync_clock_row(migrated_app):
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, value FROM sync_clock")).all()
    assert [tuple(r) for r in rows] == [(1, 0)]


def test_downgrade_to_base_removes_every_table(migrated_app):
    flask_migrate.downgrade(revision="base")
    assert _tables() <= {"alembic_version"}
    flask_migrate.upgrade()
    assert set(db.metadata.tables) <= _tables()


def test_migrated_schema_accepts_a_versioned_write(migrated_app):
    """The row the migration inserted is the one the versioning hook takes numbers from."""
    from server.models.versioning import act_as
    from server.services.catalogues import ensure_catalogues

    act_as(db.session, None, "cli")
    added = ensure_catalogues(db.session)
    db.session.commit()
    # PostgreSQL numbers changes from a sequence (0011, server/models/write_order.py).
    numbers = (
        "SELECT last_value FROM sync_seq"
        if db.engine.dialect.name == "postgresql"
        else "SELECT value FROM sync_clock WHERE id = 1"
    )
    with db.engine.connect() as conn:
        clock_value = conn.execute(text(numbers)).scalar_one()
    assert added > 0
    assert clock_value >= added


def test_upgrade_to_the_sequence_continues_from_the_clock(empty_database_url):
    """Cursors already on devices hold numbers from the clock: the sequence that numbers
    changes on PostgreSQL from 0011 on starts above them (on SQLite the clock goes on)."""
    app = make_app(empty_database_url)
    with app.app_context():
        flask_migrate.upgrade(revision="0009")
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE sync_clock SET value = 41 WHERE id = 1"))
        flask_migrate.upgrade()
        act_as(db.session, None, "cli")
        ensure_catalogues(db.session)
        db.session.commit()
        seqs = " UNION ALL ".join(
            f"SELECT seq FROM {t.name}" for t in db.metadata.sorted_tables if "seq" in t.c
        )
        with db.engine.connect() as conn:
            lowest = conn.execute(text(f"SELECT min(seq) FROM ({seqs}) AS numbered")).scalar_one()
        assert lowest == 42
        flask_migrate.downgrade(revision="0009")
        with db.engine.connect() as conn:
            clock_value = conn.execute(text("SELECT value FROM sync_clock")).scalar_one()
        assert clock_value > 42
        db.session.remove()
        db.engine.dispose()


REBUILD_USERS = '''
"""Test-only revision: rebuild the users table, as a batch migration on SQLite does."""
from alembic import op
import sqlalchemy as sa

revision = "9999"
down_revision = "0001"
branch_labels = None
depends_on = None


# Changing a column type is one of the alterations SQLite can only do by rebuilding the table;
# PostgreSQL does it in place.
def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(200), type_=sa.String(250))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(250), type_=sa.String(200))
'''


def test_batch_rebuild_of_a_parent_table_keeps_its_children(migrated_app, tmp_path):
    """SQLite rebuilds a table to alter it; with foreign keys enforced, dropping the old
    ``users`` would cascade into ``memberships``. env.py suspends enforcement meanwhile."""
    import shutil
    from pathlib import Path

    import server.migrations

    directory = tmp_path / "migrations"
    shutil.copytree(Path(server.migrations.__file__).parent, directory)
    # On top of whatever the head is now, so a new revision does not make a second head.
    head = ScriptDirectory(str(directory)).get_current_head()
    (directory / "versions" / "9999_rebuild_users.py").write_text(
        REBUILD_USERS.replace('down_revision = "0001"', f'down_revision = "{head}"')
    )
    factory = Factory(db.session)
    act_as(db.session, None, "cli")
    unit = factory.unit()
    factory.user(("staff", unit))
    db.session.remove()

    flask_migrate.upgrade(directory=str(directory))

    with db.engine.connect() as conn:
        memberships = conn.execute(text("SELECT count(*) FROM memberships")).scalar_one()
        users = conn.execute(text("SELECT count(*) FROM users")).scalar_one()
    assert (users, memberships) == (1, 1)
    flask_migrate.downgrade(directory=str(directory), revision=head)


def test_hvem_follow_up_starts_as_the_people_a_row_already_named(migrated_app):
    """Migration 0014 (HVEM?'s two jobs): the template's one HVEM? question asked for both
    jobs, so a row written before they were apart holds its people in both."""
    factory = Factory(db.session)
    act_as(db.session, None, "cli")
    ensure_catalogues(db.session)
    unit = factory.unit()
    plan = factory.plan(unit)
    named = factory.item(plan, responsible=[{"name": "Ole Dahl"}, {"name": "Mette Lund"}])
    nobody = factory.item(plan, responsible=[])
    db.session.commit()
    named_id, nobody_id = named.id, nobody.id
    db.session.remove()
    flask_migrate.downgrade(revision="0013")

    flask_migrate.upgrade()

    rows = dict(
        db.session.execute(
            db.select(
                db.metadata.tables["plan_items"].c.id,
                db.metadata.tables["plan_items"].c.follow_up_responsible,
            )
        ).all()
    )
    assert rows[named_id] == [{"name": "Ole Dahl"}, {"name": "Mette Lund"}]
    assert rows[nobody_id] == []
