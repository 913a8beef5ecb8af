"""Fixtures shared by every test.

``app`` is parametrised over SQLite and PostgreSQL, so any test that uses it runs on both
backends. PostgreSQL comes from ``FOLG_TEST_DATABASE_URL`` (default: the local ``test``
database); when it does not answer the run fails loudly instead of skipping.

Each xdist worker gets its own PostgreSQL schema and SQLite file, and tables are emptied
after every test, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import re

import pytest
from sqlalchemy import create_engine, text

from server import create_app
from server.extensions import db
from server.models.versioning import act_as
from server.services.catalogues import ensure_catalogues
from tests.factories import Factory

PG_URL = os.environ.get(
    "FOLG_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def pg_schema_url():
    """A PostgreSQL URL whose search_path is this worker's own, freshly made schema."""
    # The process id keeps two test runs on one machine (say, CI and a developer) apart.
    worker = re.sub(r"\W", "_", _worker())
    schema = f"folg_test_{worker}_{os.getpid()}"
    engine = create_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as error:  # pragma: no cover - the point is to fail loudly
        pytest.fail(
            f"PostgreSQL at {PG_URL} does not answer ({type(error).__name__}). "
            "Start it or set FOLG_TEST_DATABASE_URL; the suite never skips it.",
            pytrace=False,
        )
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    for app in _apps.values():
        with app.app_context():
            db.engine.dispose()
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_urls(pg_schema_url, tmp_path_factory) -> dict[str, str]:
    sqlite_path = tmp_path_factory.mktemp("sqlite") / f"folg-{_worker()}.sqlite3"
    return {"sqlite": f"sqlite:///{sqlite_path}", "postgresql": pg_schema_url}


_apps: dict[str, object] = {}


def make_app(url: str, **overrides):
    config = {"DATABASE_URL": url, "TESTING": True, "SECRET_KEY": "test", **overrides}
    return create_app(config)


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def app(backend, database_urls):
    """An app on ``backend`` with the schema in place and the catalogues loaded."""
    app = _apps.get(backend)
    if app is None:
        app = make_app(database_urls[backend])
        with app.app_context():
            db.drop_all()
            db.create_all()
        _apps[backend] = app
    with app.app_context():
        ensure_catalogues(db.session)
        db.session.commit()
        yield app
        db.session.rollback()
        db.session.remove()
        _empty_tables()


def _empty_tables() -> None:
    # DELETE, not TRUNCATE: a TRUNCATE gives every table and index a new file, and a run
    # of the suite left ~200,000 dead rows in PostgreSQL's catalog, which slowed everything
    # that reads it (connections, planning) until a VACUUM.
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
        conn.execute(text("INSERT INTO sync_clock (id, value, epoch) VALUES (1, 0, '')"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def factory(app) -> Factory:
    act_as(db.session, None, "cli")
    return Factory(db.session)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
