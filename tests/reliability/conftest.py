"""Fixtures for reliability tests: a real gunicorn server on a fresh database.

Each module gets one database and one server per backend (starting gunicorn costs seconds);
tests keep apart by seeding their own units and users (``seed_teams``), never by emptying
tables under a running server. PostgreSQL comes from ``FOLG_TEST_DATABASE_URL`` as for the
rest of the suite, in a schema of its own that is dropped afterwards.
"""

from __future__ import annotations

import pytest

from bench.load_test import LiveServer, fresh_database
from tests.conftest import PG_URL

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="module", params=BACKENDS)
def live_database(request, tmp_path_factory):
    workdir = tmp_path_factory.mktemp(f"live-{request.param}")
    with fresh_database(request.param, str(workdir), PG_URL) as database:
        yield database


@pytest.fixture(scope="module")
def live_server(live_database):
    """Two gthread workers: enough to run requests side by side, light on a shared machine."""
    server = LiveServer(live_database, live_database.workdir, workers=2, threads=4)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def devices_made():
    """Closes the devices a test made."""
    made: list = []
    yield made
    for device in made:
        device.close()
