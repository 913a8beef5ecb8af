"""``flask backup PATH`` and ``flask restore PATH`` on SQLite and PostgreSQL.

A database with the demo data and some sync history (devices' logs, stored push results,
conflicts, the audit trail) is backed up while the app is up, restored into a fresh database
(a new SQLite file; a new PostgreSQL schema, so the dump's schema name differs from the
target's), and every table is compared row by row. The restored database then serves a
login and a sync pull.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, inspect, select, text

from server.demo import DEMO_PASSWORD, seed_demo
from server.extensions import db
from server.models.versioning import act_as
from sync.client import Client
from tests.conftest import PG_URL, make_app
from tests.sync.conftest import FlaskTransport


@pytest.fixture
def seeded(app, client):
    """The demo data, plus what two devices leave behind: a conflict, notes, push results."""
    act_as(db.session, None, "cli")
    seed_demo(db.session)
    db.session.commit()

    def device(email: str) -> Client:
        token = client.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD})
        headers = {"Authorization": f"Bearer {token.json['token']}"}
        return Client(FlaskTransport(client, headers))

    manager, staff = device("leder@demo.test"), device("medarbejder@demo.test")
    for d in (manager, staff):
        d.pull()
    item = sorted(staff.rows("plan_items"))[0]
    manager.update("plan_items", item, {"goal": "Ledelsens mål"})
    staff.update("plan_items", item, {"goal": "Medarbejderens mål"})
    staff.create("progress_notes", {"item_id": item, "text": "Fulgt op på mødet"})
    manager.sync()
    staff.sync()
    assert any(result["status"] == "conflict" for _, result in staff.acknowledged)
    for d in (manager, staff):
        d.db.close()
    db.session.remove()
    return app


@pytest.fixture
def fresh_target(backend, tmp_path):
    """The URL of an empty database of the same kind; a PostgreSQL schema is dropped after."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    schema = f"folg_restore_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def every_row(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, ordered by primary key, in Python values; the sync clock without
    its epoch, which a restore changes on purpose (``sync_epoch`` reads it)."""
    engine = create_engine(url)
    rows = {}
    try:
        with engine.connect() as conn:
            for table in db.metadata.sorted_tables:
                order = list(table.primary_key.columns) or list(table.columns)
                columns = [
                    c for c in table.columns if (table.name, c.name) != ("sync_clock", "epoch")
                ]
                query = select(*columns).order_by(*order)
                rows[table.name] = [tuple(r) for r in conn.execute(query)]
            rows["(tables)"] = sorted(
                (name,) for name in inspect(conn).get_table_names() if name != "alembic_version"
            )
    finally:
        engine.dispose()
    return rows


def sync_epoch(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT epoch FROM sync_clock")).scalar_one()
    finally:
        engine.dispose()


def invoke(app, *args: str):
    """Run a command of ``app`` (the test's own app context is the source's: push this one)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.engine.dispose()
    return result


def source_url(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"]


def test_backup_and_restore_into_a_fresh_database_give_every_row_back(
    seeded, runner, fresh_target, tmp_path
):
    path = tmp_path / "folg.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert "Backed up to" in result.output and path.stat().st_size > 0

    target = make_app(fresh_target)
    result = invoke(target, "restore", str(path))
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output

    before, after = every_row(source_url(seeded)), every_row(fresh_target)
    assert set(before) == set(after)
    for table in before:
        assert after[table] == before[table], table
    assert before["conflicts"] and before["sync_mutation_results"] and before["audit_events"]

    # The restored database serves: a demo login and a sync pull of the manager's plans.
    with target.app_context():
        web = target.test_client()
        login = web.post(
            "/api/auth/login", json={"email": "leder@demo.test", "password": DEMO_PASSWORD}
        )
        assert login.status_code == 200
        pull = web.post(
            "/api/sync/pull",
            json={"cursor": None, "schema_version": 1},
            headers={"Authorization": f"Bearer {login.json['token']}"},
        )
        assert pull.status_code == 200
        assert any(c["table"] == "plans" for c in pull.json["changes"])
        db.session.remove()
        db.engine.dispose()


def test_restore_refuses_a_database_holding_data_unless_forced(
    seeded, runner, fresh_target, tmp_path
):
    path = tmp_path / "folg.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    target = make_app(fresh_target)
    assert invoke(target, "restore", str(path)).exit_code == 0
    # Someone works in the restored database: a second restore would wipe that.
    engine = create_engine(fresh_target)
    with engine.begin() as conn:
        conn.execute(text("UPDATE plans SET title = 'Changed after the restore'"))
    engine.dispose()
    changed = every_row(fresh_target)

    refused = invoke(target, "restore", str(path))
    assert refused.exit_code != 0
    assert "already holds data" in refused.output and "--force" in refused.output
    assert every_row(fresh_target) == changed  # untouched

    forced = invoke(target, "restore", "--force", str(path))
    assert forced.exit_code == 0, forced.output
    assert every_row(fresh_target) == every_row(source_url(seeded))
    # A new sync epoch, so devices that synced after the backup start over.
    assert sync_epoch(fresh_target) not in ("", sync_epoch(source_url(seeded)))


def test_backup_never_overwrites_and_restore_names_what_is_wrong(seeded, runner, tmp_path):
    existing = tmp_path / "existing.backup"
    existing.write_text("keep me")
    result = runner.invoke(args=["backup", str(existing)])
    assert result.exit_code != 0 and "exists already" in result.output
    assert existing.read_text() == "keep me"

    result = runner.invoke(args=["restore", str(tmp_path / "missing.backup")])
    assert result.exit_code != 0 and "No backup file" in result.output

    result = runner.invoke(args=["restore", "--force", str(existing)])
    assert result.exit_code != 0 and "is not a" in result.output
    assert every_row(source_url(seeded))["plans"]  # the database is still there


def test_a_device_that_synced_after_the_backup_converges_after_a_restore(
    seeded, runner, client, tmp_path
):
    def device(email: str) -> Client:
        token = client.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD})
        return Client(FlaskTransport(client, {"Authorization": f"Bearer {token.json['token']}"}))

    staff, manager = device("medarbejder@demo.test"), device("leder@demo.test")
    staff.sync()
    item = sorted(staff.rows("plan_items"))[0]
    path = tmp_path / "folg.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0

    for n in range(3):  # after the backup: these will be gone once it is restored
        staff.update("plan_items", item, {"goal": f"after the backup {n}"})
        staff.sync()
    db.session.remove()
    restored = runner.invoke(args=["restore", "--force", str(path)])
    assert restored.exit_code == 0, restored.output

    manager.sync()
    manager.update("plan_items", item, {"result": "written after the restore"})
    manager.sync()
    staff.sync()
    fresh = device("medarbejder@demo.test")
    fresh.pull()
    try:
        assert staff.rows("plan_items")[item] == fresh.rows("plan_items")[item]
    finally:
        for d in (staff, manager, fresh):
            d.db.close()


def test_a_row_kept_for_its_unsent_edit_takes_the_restored_server_copy(
    seeded, runner, client, tmp_path
):
    """The server went back to a lower version of a row the device keeps for an unsent edit:
    the pull after the reset brings that version, although it is lower than the one held."""
    token = client.post(
        "/api/auth/login", json={"email": "medarbejder@demo.test", "password": DEMO_PASSWORD}
    )
    staff = Client(FlaskTransport(client, {"Authorization": f"Bearer {token.json['token']}"}))
    staff.sync()
    item = sorted(staff.rows("plan_items"))[0]
    backed_up = staff.get("plan_items", item)
    backed_up_version = staff.server_version("plan_items", item)
    path = tmp_path / "folg.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0

    staff.update("plan_items", item, {"goal": "acknowledged, then lost in the restore"})
    staff.sync()
    staff.update("plan_items", item, {"result": "not sent when the server was restored"})
    db.session.remove()
    assert runner.invoke(args=["restore", "--force", str(path)]).exit_code == 0

    try:
        staff.pull()
        assert staff.server_version("plan_items", item) == backed_up_version
        kept = staff.get("plan_items", item)
        assert kept["goal"] == backed_up["goal"]
        assert kept["result"] == "not sent when the server was restored"

        staff.sync()
        fresh = Client(FlaskTransport(client, {"Authorization": f"Bearer {token.json['token']}"}))
        fresh.pull()
        assert fresh.rows("plan_items")[item] == staff.rows("plan_items")[item]
        assert fresh.get("plan_items", item)["result"] == "not sent when the server was restored"
        fresh.db.close()
    finally:
        staff.db.close()
