"""Backing up and restoring the whole database: ``flask --app server backup PATH`` and
``flask --app server restore PATH [--force]``.

SQLite
    ``backup`` uses SQLite's online backup API (``sqlite3.Connection.backup``): a consistent
    copy taken page by page while the app keeps running. ``restore`` copies the backup into
    the app's database file with the same API, so the file is replaced whole or not at all.

PostgreSQL
    ``backup`` runs ``pg_dump --format=custom`` on the app's schema: the one the database URL
    puts first on the search path (``options=-csearch_path=...``), else ``public``.
    ``restore`` reads the dump with ``pg_restore`` into plain SQL and runs it with ``psql`` in
    one transaction, into the schema the *target* URL names. The dump may come from another
    schema name (a restore test into a scratch schema, a staging copy): schema names are
    rewritten in the statements, never inside the data. Owners and grants are not restored
    (``--no-owner --no-privileges``): the target's own role owns what it restores.

Both refuse to restore over a database that holds data unless ``force`` is given, and a
backup never overwrites an existing file. Errors are ``BackupError`` with a message a person
can act on; the CLI prints it. Domain code, no Flask: callers pass the database URL.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from server.i18n import _

# Tables that exist in an empty, freshly migrated database too: rows here are not "data".
_BOOKKEEPING_TABLES = {"alembic_version", "sync_clock"}
_SQLITE_MAGIC = b"SQLite format 3\x00"
_PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """Backup or restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    path: Path
    kind: str  # "sqlite" | "postgresql"
    detail: str  # for the person at the terminal


# ---- entry points ---------------------------------------------------------------------------


def backup_database(database_url: str, path: str | os.PathLike[str]) -> Outcome:
    url = make_url(database_url)
    target = Path(path)
    if target.exists():
        raise BackupError(_("%(target)s exists already; back up to a new file.", target=target))
    if not target.parent.is_dir():
        raise BackupError(_("The folder %(parent)s does not exist.", parent=target.parent))
    if url.get_backend_name() == "sqlite":
        return _backup_sqlite(_sqlite_path(url), target)
    if url.get_backend_name() == "postgresql":
        return _backup_postgresql(url, target)
    raise BackupError(_("Cannot back up a %(value)s database.", value=url.get_backend_name()))


def restore_database(
    database_url: str, path: str | os.PathLike[str], *, force: bool = False
) -> Outcome:
    url = make_url(database_url)
    source = Path(path)
    if not source.is_file():
        raise BackupError(_("No backup file at %(source)s.", source=source))
    if url.get_backend_name() == "sqlite":
        outcome = _restore_sqlite(source, _sqlite_path(url), force)
    elif url.get_backend_name() == "postgresql":
        outcome = _restore_postgresql(source, url, force)
    else:
        raise BackupError(
            _("Cannot restore into a %(value)s database.", value=url.get_backend_name())
        )
    _start_new_sync_epoch(database_url)
    return outcome


def _start_new_sync_epoch(database_url: str) -> None:
    """The restored data is older than what devices that synced after the backup hold: a new
    sync epoch makes their cursors answer reset_required, so they pull everything again
    (docs/sync-protocol.md, section 10). A backup from before the epoch existed gets it from
    ``flask db upgrade``, which every restore is followed by (docs/reliability.md)."""
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("sync_clock")}
            if "epoch" in columns:
                conn.execute(
                    text("UPDATE sync_clock SET epoch = :epoch WHERE id = 1"),
                    {"epoch": uuid.uuid4().hex},
                )
    finally:
        engine.dispose()


def tables_with_data(database_url: str) -> dict[str, int]:
    """``{table: rows}`` for the tables of the app's schema that hold rows (bookkeeping
    tables aside): what a restore would overwrite."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            schema = _schema_of(make_url(database_url))
            names = inspect(conn).get_table_names(schema=schema)
            counts = {}
            for name in names:
                if name in _BOOKKEEPING_TABLES:
                    continue
                qualified = f'"{schema}"."{name}"' if schema else f'"{name}"'
                count = conn.execute(text(f"SELECT count(*) FROM {qualified}")).scalar_one()
                if count:
                    counts[name] = count
            return counts
    finally:
        engine.dispose()


def _refuse_if_holding_data(database_url: str, force: bool, where: str) -> None:
    if force:
        return
    holding = tables_with_data(database_url)
    if holding:
        shown = ", ".join(f"{name} ({n})" for name, n in sorted(holding.items())[:5])
        raise BackupError(
            _(
                "%(where)s already holds data: %(shown)s%(value)s. Restore into an empty "
                "database, or add --force to replace everything in it.",
                where=where,
                shown=shown,
                value=", ..." if len(holding) > 5 else "",
            )
        )


# ---- SQLite ---------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError(_("An in-memory SQLite database cannot be backed up or restored."))
    return Path(url.database)


def _backup_sqlite(database: Path, target: Path) -> Outcome:
    if not database.is_file():
        raise BackupError(_("No SQLite database at %(database)s.", database=database))
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(database)
    copy = sqlite3.connect(partial)
    try:
        # Online: other connections keep reading and writing; the copy is one consistent
        # snapshot (the API restarts a step if a writer changes a page it has copied).
        source.backup(copy, pages=1024)
    except BaseException:
        copy.close()
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    copy.close()
    partial.rename(target)  # a file at PATH is always a whole backup
    return Outcome(target, "sqlite", f"SQLite online backup of {database}")


def _check_sqlite_backup(source: Path) -> None:
    with source.open("rb") as handle:
        if handle.read(16) != _SQLITE_MAGIC:
            raise BackupError(_("%(source)s is not a SQLite backup.", source=source))
    connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        connection.close()
    if "sync_clock" not in tables:
        raise BackupError(
            _("%(source)s is a SQLite database, but not a Følg backup.", source=source)
        )
    if verdict != "ok":
        raise BackupError(_("%(source)s is damaged (%(verdict)s).", source=source, verdict=verdict))


def _restore_sqlite(source: Path, database: Path, force: bool) -> Outcome:
    _check_sqlite_backup(source)
    if database.exists():
        _refuse_if_holding_data(f"sqlite:///{database}", force, str(database))
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = sqlite3.connect(database)
    try:
        # Replaces the whole database in one go, under the target's write lock.
        backup.backup(target)
    finally:
        target.close()
        backup.close()
    return Outcome(source, "sqlite", f"restored into {database}")


# ---- PostgreSQL -----------------------------------------------------------------------------


def _schema_of(url: URL) -> str | None:
    """The schema the app works in: first on the search path the URL sets, else public.
    None for SQLite."""
    if url.get_backend_name() != "postgresql":
        return None
    options = url.query.get("options", "")
    if isinstance(options, tuple):
        options = " ".join(options)
    found = re.search(r"search_path\s*=\s*([^\s,]+)", unquote(options))
    return found.group(1).strip('"') if found else "public"


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URI for the PostgreSQL tools, and an environment carrying the password (so it
    never shows in the process list)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    keep = {k: v for k, v in url.query.items() if k in {"sslmode", "application_name"}}
    plain = url.set(drivername="postgresql", password=None, query=keep)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "%(name)s is not installed. Install the PostgreSQL client tools of the server's "
                "major version (Debian: apt-get install postgresql-client).",
                name=name,
            )
        )
    return found


def _run(command: list[str], env: dict[str, str], **kw) -> subprocess.CompletedProcess:
    completed = subprocess.run(command, env=env, capture_output=True, **kw)
    if completed.returncode != 0:
        stderr = completed.stderr
        message = stderr.decode(errors="replace") if isinstance(stderr, bytes) else stderr
        raise BackupError(
            _(
                "%(name)s failed: %(value)s",
                name=Path(command[0]).name,
                value=message.strip()[-800:],
            )
        )
    return completed


def _backup_postgresql(url: URL, target: Path) -> Outcome:
    schema = _schema_of(url)
    assert schema is not None
    dsn, env = _libpq(url)
    partial = target.with_name(target.name + ".partial")
    try:
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                f"--schema={schema}",
                f"--file={partial}",
                f"--dbname={dsn}",
            ],
            env,
        )
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.rename(target)  # a file at PATH is always a whole dump
    return Outcome(target, "postgresql", f"pg_dump of schema {schema}")


def _dumped_schema(source: Path, env: dict[str, str]) -> str:
    with source.open("rb") as handle:
        if handle.read(5) != _PG_DUMP_MAGIC:
            raise BackupError(_("%(source)s is not a pg_dump custom-format backup.", source=source))
    listing = _run([_tool("pg_restore"), "--list", str(source)], env, text=True).stdout
    # TOC lines read "<id>; <oid> <oid> TABLE <schema> <name> <owner>".
    schemas = set(re.findall(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) \S+", listing, flags=re.M))
    if len(schemas) != 1:
        raise BackupError(
            _(
                "%(source)s holds tables of %(count)s schemas; expected one.",
                source=source,
                count=len(schemas),
            )
        )
    return schemas.pop()


def _rewrite_schema(script: str, old: str, new: str) -> str:
    """Move the statements of a pg_restore script from schema ``old`` to ``new``.

    Only statement lines are touched; the rows between ``COPY ... FROM stdin;`` and ``\\.``
    are data and pass through as they are. Statements that create or own the old schema
    itself are dropped: the target schema is made before the script runs.
    """
    qualified = re.compile(rf'(?<![\w"])"?{re.escape(old)}"?\.')
    lines, in_data = [], False
    for line in script.splitlines(keepends=True):
        if in_data:
            in_data = line.rstrip("\r\n") != "\\."
            lines.append(line)
            continue
        if re.match(rf'(CREATE|ALTER|COMMENT ON) SCHEMA "?{re.escape(old)}"?[ ;]', line):
            continue
        if line.startswith("SELECT pg_catalog.set_config('search_path'"):
            line = f"SELECT pg_catalog.set_config('search_path', '{new}', false);\n"
        line = qualified.sub(f'"{new}".', line)
        in_data = line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;")
        lines.append(line)
    return "".join(lines)


def _restore_postgresql(source: Path, url: URL, force: bool) -> Outcome:
    target_schema = _schema_of(url)
    assert target_schema is not None
    dsn, env = _libpq(url)
    dumped = _dumped_schema(source, env)
    database_url = url.render_as_string(hide_password=False)
    _refuse_if_holding_data(database_url, force, f"Schema {target_schema} of the target database")
    script = _run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            f"--schema={dumped}",
            "--file=-",
            str(source),
        ],
        env,
        text=True,
    ).stdout
    script = _rewrite_schema(script, dumped, target_schema)
    # Empty the target schema (it holds no data, or --force said so) in the same transaction
    # as the restore: if anything fails, the target is as it was.
    prologue = (
        f'DROP SCHEMA IF EXISTS "{target_schema}" CASCADE;\nCREATE SCHEMA "{target_schema}";\n'
    )
    _run(
        [
            _tool("psql"),
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set=ON_ERROR_STOP=1",
            f"--dbname={dsn}",
            "--file=-",
        ],
        env,
        input=prologue + script,
        text=True,
    )
    return Outcome(source, "postgresql", f"schema {dumped} of the dump into {target_schema}")
