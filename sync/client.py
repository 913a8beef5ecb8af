"""A reference sync client: a local SQLite store, an outbox, and the sync algorithm.

It is what the PWA does, in Python, so tests can play offline devices and the benchmark can
load the server. Local state per row (table ``rows``)::

    server copy      server_version, server_deleted, server_fields: the row as last heard
    pending change   pending_op (None | "upsert" | "delete"), pending_fields, and the base the
                     user edited from: pending_base_version and pending_base {field: value}

    status           synced   no pending change, nothing in the outbox
                     created  pending upsert of a row the server has never confirmed
                     updated  pending upsert of a row the server has
                     deleted  pending delete
                     refused  no pending change, but a refused draft waits for the user

    refused draft    (table ``refused``) what the server refused of the user's values, kept
                     until the user resends or discards it: op, fields {name: value},
                     reasons {name: [reason]}, the error code and message. A ``partial``
                     answer leaves the refused fields there, a ``rejected`` one every field
                     it sent. ``resend`` makes it a pending change based on the current
                     server copy; ``discard`` is the only way a typed value leaves.

The outbox (table ``outbox``) holds *sealed* mutations: frozen, numbered, sent and re-sent
verbatim until the server acknowledges them. A pending change is sealed only when the outbox is
empty, so a retried batch never changes under its mutation ids and each row's base version is
known. What the user sees is: server copy, then outbox mutations, then the pending change.

``sync()`` reads as the algorithm::

    pull      apply pages of changes; store the cursor only with the page it belongs to;
              on reset_required forget the synced rows (keeping local changes), pull again
    push      re-send the outbox; seal pending changes; send them; fold each result back
    pull      fetch what the push and others changed meanwhile
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sync.protocol import (
    APPLIED,
    DELETE,
    DUPLICATE,
    MUTATION_GAP,
    PARTIAL,
    REJECTED,
    RESET_REQUIRED,
    SCHEMA_VERSION,
    UPSERT,
)
from sync.transport import Transport

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS rows (
    tbl TEXT NOT NULL,
    id TEXT NOT NULL,
    server_version INTEGER,
    server_deleted INTEGER NOT NULL DEFAULT 0,
    server_fields TEXT,
    pending_op TEXT,
    pending_fields TEXT NOT NULL DEFAULT '{}',
    pending_base_version INTEGER,
    pending_base TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (tbl, id)
);
CREATE TABLE IF NOT EXISTS refused (
    tbl TEXT NOT NULL,
    id TEXT NOT NULL,
    op TEXT NOT NULL,
    fields TEXT NOT NULL DEFAULT '{}',
    reasons TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    message TEXT,
    PRIMARY KEY (tbl, id)
);
CREATE TABLE IF NOT EXISTS outbox (
    mutation_id INTEGER PRIMARY KEY,
    tbl TEXT NOT NULL,
    id TEXT NOT NULL,
    op TEXT NOT NULL,
    base_version INTEGER,
    fields TEXT NOT NULL,
    base TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_row ON outbox (tbl, id);
"""


class SyncError(Exception):
    """The server refused a whole request; ``body`` is its error envelope."""

    def __init__(self, status: int, body: Mapping[str, Any]):
        super().__init__(f"{status} {body.get('error')}: {body.get('message')}")
        self.status = status
        self.body = dict(body)
        self.code = body.get("error")


class LocalError(Exception):
    """A local edit that makes no sense (editing a row that is not there)."""


@dataclass
class SyncReport:
    pulled: int = 0
    pushed: int = 0
    results: list[dict[str, Any]] = field(default_factory=list)
    resets: int = 0


class Client:
    def __init__(
        self,
        transport: Transport,
        path: str = ":memory:",
        *,
        client_id: str | None = None,
        schema_version: int = SCHEMA_VERSION,
        batch_size: int = 500,
        page_size: int = 1000,
    ):
        self.transport = transport
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.executescript(SCHEMA)
        self.schema_version = schema_version
        self.batch_size = batch_size
        self.page_size = page_size
        if self._meta("client_id") is None:
            self._set_meta("client_id", client_id or uuid.uuid4().hex)
            self._set_meta("next_mutation_id", "1")
        self.client_id = self._meta("client_id")
        # Every (mutation, result) the server acknowledged in this session, for UIs that show
        # rejections and conflicts, and for tests that check nothing was lost.
        self.acknowledged: list[tuple[dict[str, Any], dict[str, Any]]] = []

    # ---- local storage ------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row["value"]

    def _set_meta(self, key: str, value: str | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _row(self, table: str, row_id: str) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT * FROM rows WHERE tbl = ? AND id = ?", (table, row_id)
        ).fetchone()

    def _outbox_for(self, table: str, row_id: str) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT * FROM outbox WHERE tbl = ? AND id = ? ORDER BY mutation_id", (table, row_id)
        ).fetchall()

    def _view(self, row: sqlite3.Row) -> dict[str, Any] | None:
        """What the user sees: server copy, then sealed mutations, then the pending change."""
        if row["pending_op"] == DELETE:
            return None
        fields = json.loads(row["server_fields"]) if row["server_fields"] else {}
        exists = row["server_version"] is not None and not row["server_deleted"]
        for entry in self._outbox_for(row["tbl"], row["id"]):
            if entry["op"] == DELETE:
                exists, fields = False, {}
            else:
                exists = True
                fields.update(json.loads(entry["fields"]))
        if row["pending_op"] == UPSERT:
            exists = True
            fields.update(json.loads(row["pending_fields"]))
        return fields if exists else None

    # ---- what the app sees --------------------------------------------------------------

    def get(self, table: str, row_id: str) -> dict[str, Any] | None:
        row = self._row(table, str(row_id))
        return None if row is None else self._view(row)

    def rows(self, table: str) -> dict[str, dict[str, Any]]:
        found = {}
        for row in self.db.execute("SELECT * FROM rows WHERE tbl = ?", (table,)).fetchall():
            view = self._view(row)
            if view is not None:
                found[row["id"]] = view
        return found

    def status(self, table: str, row_id: str) -> str | None:
        row = self._row(table, str(row_id))
        if row is None:
            return None
        if row["pending_op"] == DELETE:
            return "deleted"
        if row["pending_op"] == UPSERT:
            return "created" if row["server_version"] is None else "updated"
        return "refused" if self.refused_draft(table, row_id) else "synced"

    def server_version(self, table: str, row_id: str) -> int | None:
        row = self._row(table, str(row_id))
        return None if row is None else row["server_version"]

    def refused(self) -> list[dict[str, Any]]:
        """Every refused draft waiting for the user: table, id, op, fields (the user's
        values), reasons ({field: [reason]}), error and message."""
        drafts = self.db.execute("SELECT * FROM refused ORDER BY rowid").fetchall()
        return [self._draft(d) for d in drafts]

    def refused_draft(self, table: str, row_id: str) -> dict[str, Any] | None:
        draft = self.db.execute(
            "SELECT * FROM refused WHERE tbl = ? AND id = ?", (table, str(row_id))
        ).fetchone()
        return None if draft is None else self._draft(draft)

    @staticmethod
    def _draft(draft: sqlite3.Row) -> dict[str, Any]:
        return {
            "table": draft["tbl"],
            "id": draft["id"],
            "op": draft["op"],
            "fields": json.loads(draft["fields"]),
            "reasons": json.loads(draft["reasons"]),
            "error": draft["error"],
            "message": draft["message"],
        }

    def pending_count(self) -> int:
        pending = self.db.execute("SELECT count(*) FROM rows WHERE pending_op IS NOT NULL")
        sealed = self.db.execute("SELECT count(*) FROM outbox")
        return pending.fetchone()[0] + sealed.fetchone()[0]

    # ---- local edits --------------------------------------------------------------------

    def create(self, table: str, fields: Mapping[str, Any], row_id: str | None = None) -> str:
        row_id = str(row_id or uuid.uuid4())
        with self._transaction() as db:
            if self._row(table, row_id) is not None:
                raise LocalError(f"{table} {row_id} exists already")
            db.execute(
                "INSERT INTO rows (tbl, id, pending_op, pending_fields) VALUES (?, ?, ?, ?)",
                (table, row_id, UPSERT, json.dumps(dict(fields))),
            )
        return row_id

    def update(self, table: str, row_id: str, fields: Mapping[str, Any]) -> None:
        row_id = str(row_id)
        with self._transaction() as db:
            row = self._row(table, row_id)
            view = None if row is None else self._view(row)
            if row is None or view is None:
                raise LocalError(f"{table} {row_id} is not here")
            pending = json.loads(row["pending_fields"]) if row["pending_op"] else {}
            base = json.loads(row["pending_base"]) if row["pending_op"] else {}
            base_version = row["pending_base_version"] if row["pending_op"] else None
            if row["pending_op"] is None:
                base_version = row["server_version"]
            if row["server_version"] is not None or self._outbox_for(table, row_id):
                # Remember what the user looked at, once per field: the merge rules use it.
                for name in fields:
                    if name not in pending and name not in base:
                        base[name] = view.get(name)
            pending.update(fields)
            db.execute(
                "UPDATE rows SET pending_op = ?, pending_fields = ?, pending_base_version = ?,"
                " pending_base = ? WHERE tbl = ? AND id = ?",
                (UPSERT, json.dumps(pending), base_version, json.dumps(base), table, row_id),
            )

    def delete(self, table: str, row_id: str) -> None:
        row_id = str(row_id)
        with self._transaction() as db:
            row = self._row(table, row_id)
            if row is None or self._view(row) is None:
                raise LocalError(f"{table} {row_id} is not here")
            if row["server_version"] is None and not self._outbox_for(table, row_id):
                # Never left the device: forget it.
                db.execute("DELETE FROM rows WHERE tbl = ? AND id = ?", (table, row_id))
                return
            db.execute(
                "UPDATE rows SET pending_op = ?, pending_fields = '{}', pending_base = '{}',"
                " pending_base_version = NULL WHERE tbl = ? AND id = ?",
                (DELETE, table, row_id),
            )

    def resend(self, table: str, row_id: str, fixed: Mapping[str, Any] | None = None) -> None:
        """Make the refused draft of a row (with the user's ``fixed`` values over it) a
        pending change, based on the current server copy; the next sync pushes it."""
        row_id = str(row_id)
        draft = self.refused_draft(table, row_id)
        if draft is None:
            raise LocalError(f"{table} {row_id} has no refused draft")
        fields = {**draft["fields"], **(fixed or {})}
        row = self._row(table, row_id)
        with self._transaction() as db:
            db.execute("DELETE FROM refused WHERE tbl = ? AND id = ?", (table, row_id))
        if draft["op"] == DELETE:
            if row is not None and self._view(row) is not None:
                self.delete(table, row_id)
            return
        if row is not None and self._view(row) is not None:
            self.update(table, row_id, fields)  # base: what the server copy says now
            return
        with self._transaction() as db:
            # No live server copy: a create again (or, for a row deleted meanwhile, an edit
            # that the server keeps in a delete_edit conflict).
            server_version = None if row is None else row["server_version"]
            db.execute(
                "INSERT INTO rows (tbl, id, pending_op, pending_fields, pending_base_version)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (tbl, id) DO UPDATE SET"
                " pending_op = excluded.pending_op, pending_fields = excluded.pending_fields,"
                " pending_base_version = excluded.pending_base_version, pending_base = '{}'",
                (table, row_id, UPSERT, json.dumps(fields), server_version),
            )

    def discard(self, table: str, row_id: str) -> None:
        """Forget the refused draft of a row: the user's explicit choice, and the only way a
        refused value leaves the device. The row shows the server copy."""
        row_id = str(row_id)
        with self._transaction() as db:
            db.execute("DELETE FROM refused WHERE tbl = ? AND id = ?", (table, row_id))
            self._forget_if_gone(table, row_id)

    def resolve(self, conflict_id: str, resolution: str, value: Any = None) -> None:
        fields: dict[str, Any] = {"status": "resolved", "resolution": resolution}
        if resolution == "custom":
            fields["resolved_value"] = value
        self.update("conflicts", conflict_id, fields)

    # ---- the algorithm ------------------------------------------------------------------

    def sync(self) -> SyncReport:
        report = SyncReport()
        self.pull(report)
        self.push(report)
        self.pull(report)
        return report

    def pull(self, report: SyncReport | None = None) -> SyncReport:
        """Pull pages until the server has no more. The next page is asked for while this one
        is being read and applied: as soon as its headers name the next cursor (``Sync-Cursor``,
        with a transport that has ``open``), else once its body is read. A cursor is still
        stored only with the page it belongs to, so a pull cut off anywhere resumes without a
        gap."""
        report = report or SyncReport()
        with ThreadPoolExecutor(max_workers=1) as fetcher:
            pending = fetcher.submit(self._open_page, self._meta("cursor"))
            while True:
                status, headers, read_body = pending.result()
                following = None
                if status == 200 and headers.get("Sync-Has-More") == "true":
                    following = fetcher.submit(self._open_page, headers["Sync-Cursor"])
                    # Let that request go out before decoding this page holds the GIL.
                    time.sleep(0.001)
                body = read_body()
                if status == 410 and body.get("error") == RESET_REQUIRED:
                    self._reset()
                    report.resets += 1
                    pending = fetcher.submit(self._open_page, None)
                    continue
                if status != 200:
                    raise SyncError(status, body)
                if following is None and body["has_more"]:
                    following = fetcher.submit(self._open_page, body["cursor"])
                with self._transaction():
                    self._apply_changes(body["changes"], since_reset=bool(self._meta("reset")))
                    self._set_meta("cursor", body["cursor"])
                    if not body["has_more"]:
                        self._set_meta("reset", None)  # caught up: the server copies are whole
                report.pulled += len(body["changes"])
                if following is None:
                    return report
                pending = following

    def _open_page(
        self, cursor: str | None
    ) -> tuple[int, Mapping[str, str], Callable[[], dict[str, Any]]]:
        """Ask for the page after ``cursor``: (status, headers, a function reading the body)."""
        body = {
            "cursor": cursor,
            "limit": self.page_size,
            "schema_version": self.schema_version,
            "client_id": self.client_id,
        }
        if hasattr(self.transport, "open"):
            opened = self.transport.open("/api/sync/pull", body)
            return opened.status, opened.headers, opened.body
        status, answer = self.transport.post("/api/sync/pull", body)
        return status, {}, lambda: answer

    def push(self, report: SyncReport | None = None) -> SyncReport:
        report = report or SyncReport()
        self._send_outbox(report)  # a batch that lost its answer goes again, unchanged
        self._seal_pending()
        self._send_outbox(report)
        return report

    # ---- pull details -------------------------------------------------------------------

    def _apply_changes(self, changes: list[Mapping[str, Any]], since_reset: bool = False) -> None:
        """Rows the device does not hold yet are inserted together (a first sync is almost
        all of them); the others go one by one through ``_apply_change``."""
        keys = [(c["table"], c["id"]) for c in changes]
        if len(set(keys)) < len(keys):  # a row twice in one page: keep it simple and ordered
            for change in changes:
                self._apply_change(change, since_reset)
            return
        held = self._held(keys)
        new_rows = []
        for change, key in zip(changes, keys, strict=True):
            if key in held:
                self._apply_change(change, since_reset)
            elif not change["deleted"]:
                fields = json.dumps(change["fields"])
                new_rows.append((change["table"], change["id"], change["version"], fields))
        self.db.executemany(
            "INSERT INTO rows (tbl, id, server_version, server_fields) VALUES (?,?,?,?)", new_rows
        )

    def _held(self, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these rows the device holds, a query per table and 500 ids."""
        by_table: dict[str, list[str]] = {}
        for table, row_id in keys:
            by_table.setdefault(table, []).append(row_id)
        held: set[tuple[str, str]] = set()
        for table, ids in by_table.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT id FROM rows WHERE tbl = ? AND id IN ({marks})"
                found = self.db.execute(query, [table, *chunk])
                held.update((table, row_id) for (row_id,) in found)
        return held

    def _apply_change(self, change: Mapping[str, Any], since_reset: bool = False) -> None:
        table, row_id, version = change["table"], change["id"], change["version"]
        row = self._row(table, row_id)
        if row is None:
            if not change["deleted"]:
                self.db.execute(
                    "INSERT INTO rows (tbl, id, server_version, server_fields) VALUES (?,?,?,?)",
                    (table, row_id, version, json.dumps(change["fields"])),
                )
            return
        # Older than what we have (a page repeated after a scope change): ignored, except in
        # the pull after a reset, where the server may have gone back (a restored backup).
        if not since_reset and (row["server_version"] or 0) > version:
            return
        if change["deleted"]:
            self.db.execute(
                "UPDATE rows SET server_version = ?, server_deleted = 1 WHERE tbl = ? AND id = ?",
                (version, table, row_id),
            )
        else:
            self.db.execute(
                "UPDATE rows SET server_version = ?, server_deleted = 0, server_fields = ?"
                " WHERE tbl = ? AND id = ?",
                (version, json.dumps(change["fields"]), table, row_id),
            )
        self._forget_if_gone(table, row_id)

    def _forget_if_gone(self, table: str, row_id: str) -> None:
        """Drop a row the server no longer has (or never took) and nothing local refers to."""
        self.db.execute(
            "DELETE FROM rows WHERE tbl = ? AND id = ? AND pending_op IS NULL"
            " AND (server_deleted = 1 OR server_version IS NULL)"
            " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.tbl = rows.tbl AND o.id = rows.id)"
            " AND NOT EXISTS (SELECT 1 FROM refused r WHERE r.tbl = rows.tbl AND r.id = rows.id)",
            (table, row_id),
        )

    def _reset(self) -> None:
        """Forget everything the server can send again; keep local changes and refused
        drafts."""
        with self._transaction() as db:
            db.execute(
                "DELETE FROM rows WHERE pending_op IS NULL AND NOT EXISTS"
                " (SELECT 1 FROM outbox o WHERE o.tbl = rows.tbl AND o.id = rows.id)"
                " AND NOT EXISTS"
                " (SELECT 1 FROM refused r WHERE r.tbl = rows.tbl AND r.id = rows.id)"
            )
            self._set_meta("cursor", None)
            # Until this pull has caught up, the kept rows take the server copy it sends.
            self._set_meta("reset", "1")

    # ---- push details -------------------------------------------------------------------

    def _seal_pending(self) -> None:
        with self._transaction() as db:
            next_id = int(self._meta("next_mutation_id") or 1)
            pending = db.execute(
                "SELECT tbl, id, pending_op, pending_base_version, server_version,"
                " pending_fields, pending_base FROM rows WHERE pending_op IS NOT NULL"
                " ORDER BY rowid"
            ).fetchall()
            db.executemany(
                "INSERT INTO outbox (mutation_id, tbl, id, op, base_version, fields, base)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        mutation_id,
                        row["tbl"],
                        row["id"],
                        row["pending_op"],
                        # A row's base is the server version it was edited from.
                        row["pending_base_version"]
                        if row["pending_base_version"] is not None
                        else row["server_version"],
                        row["pending_fields"] if row["pending_op"] == UPSERT else "{}",
                        row["pending_base"],
                    )
                    for mutation_id, row in enumerate(pending, start=next_id)
                ],
            )
            db.execute(
                "UPDATE rows SET pending_op = NULL, pending_fields = '{}', pending_base = '{}',"
                " pending_base_version = NULL WHERE pending_op IS NOT NULL"
            )
            self._set_meta("next_mutation_id", str(next_id + len(pending)))

    def _send_outbox(self, report: SyncReport) -> None:
        """Send the outbox in batches, oldest first, and fold each answer in, in order.

        With a transport that may carry requests side by side (``parallel_requests``), the
        next batch goes out before the answer to this one: the server holds a batch that
        arrives before the one it follows until that one is in (``SYNC_GAP_WAIT_SECONDS``).
        On any trouble the batches still out are waited for and their answers dropped; their
        mutations stay in the outbox and go again (as duplicates, if they were applied)."""
        depth = 2 if getattr(self.transport, "parallel_requests", False) else 1
        renumbered = False
        with ThreadPoolExecutor(max_workers=depth) as sender:
            while True:
                out: deque[tuple[list[sqlite3.Row], list[dict[str, Any]], Future[Any]]] = deque()
                last_sent = 0
                trouble: tuple[int, dict[str, Any]] | None = None
                while True:
                    while len(out) < depth:
                        batch = self.db.execute(
                            "SELECT * FROM outbox WHERE mutation_id > ? ORDER BY mutation_id"
                            " LIMIT ?",
                            (last_sent, self.batch_size),
                        ).fetchall()
                        if not batch:
                            break
                        mutations = [self._mutation(entry) for entry in batch]
                        out.append((batch, mutations, sender.submit(self._post_batch, mutations)))
                        last_sent = batch[-1]["mutation_id"]
                    if not out:
                        return
                    batch, mutations, answer_of = out.popleft()
                    try:
                        status, answer = answer_of.result()
                    except BaseException:
                        _wait_for(out)
                        raise
                    if status != 200:
                        _wait_for(out)
                        trouble = (status, answer)
                        break
                    with self._transaction():
                        self._fold_results(answer["results"], batch)
                    sent = {m["mutation_id"]: m for m in mutations}
                    self.acknowledged += [(sent[r["mutation_id"]], r) for r in answer["results"]]
                    report.pushed += len(answer["results"])
                    report.results.extend(answer["results"])
                status, answer = trouble
                if status == 409 and answer.get("error") == MUTATION_GAP and not renumbered:
                    self._renumber(answer["expected_mutation_id"])
                    renumbered = True
                    continue
                raise SyncError(status, answer)

    def _post_batch(self, mutations: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
        body = {
            "client_id": self.client_id,
            "schema_version": self.schema_version,
            "mutations": mutations,
        }
        return self.transport.post("/api/sync/push", body)

    @staticmethod
    def _mutation(entry: sqlite3.Row) -> dict[str, Any]:
        mutation: dict[str, Any] = {
            "mutation_id": entry["mutation_id"],
            "table": entry["tbl"],
            "id": entry["id"],
            "op": entry["op"],
            "base_version": entry["base_version"],
        }
        if entry["op"] == UPSERT:
            mutation["fields"] = json.loads(entry["fields"])
            mutation["base"] = json.loads(entry["base"])
        return mutation

    def _renumber(self, expected: int) -> None:
        """The server lost track of ids we sent (say, restored from a backup): start the
        outbox at the id it expects."""
        with self._transaction() as db:
            entries = db.execute("SELECT mutation_id FROM outbox ORDER BY mutation_id").fetchall()
            offset = 1_000_000_000
            db.execute("UPDATE outbox SET mutation_id = mutation_id + ?", (offset,))
            for new_id, entry in enumerate(entries, start=expected):
                db.execute(
                    "UPDATE outbox SET mutation_id = ? WHERE mutation_id = ?",
                    (new_id, entry["mutation_id"] + offset),
                )
            self._set_meta("next_mutation_id", str(expected + len(entries)))

    def _fold_results(self, results: list[Mapping[str, Any]], batch: list[sqlite3.Row]) -> None:
        """Fold the server's answers into the rows they are about and drop their outbox
        entries: the rows read in one query, the results applied in order in memory, then
        written back together."""
        entries = {entry["mutation_id"]: entry for entry in batch}
        rows = self._server_copies({(entry["tbl"], entry["id"]) for entry in batch})
        changed: set[tuple[str, str]] = set()
        answered: list[tuple[int]] = []
        for result in results:
            entry = entries.get(result["mutation_id"])
            if entry is None:
                continue
            answered.append((entry["mutation_id"],))
            self._keep_refused(result, entry)
            key = (entry["tbl"], entry["id"])
            if rows.get(key) is not None and self._fold_result(result, entry, rows[key]):
                changed.add(key)
        self.db.executemany("DELETE FROM outbox WHERE mutation_id = ?", answered)
        self.db.executemany(
            "UPDATE rows SET server_version = ?, server_deleted = ?, server_fields = ?"
            " WHERE tbl = ? AND id = ?",
            [
                (row["server_version"], row["server_deleted"], row["server_fields"], *key)
                for key in changed
                if (row := rows[key]) is not None
            ],
        )
        for key, row in rows.items():
            if row is not None and (row["server_deleted"] or row["server_version"] is None):
                self._forget_if_gone(*key)

    def _server_copies(self, keys: set[tuple[str, str]]) -> dict[tuple[str, str], Any]:
        """The server copies of these rows ({server_version, server_deleted, server_fields}),
        None for a row the device does not hold."""
        copies: dict[tuple[str, str], Any] = dict.fromkeys(keys)
        by_table: dict[str, list[str]] = {}
        for table, row_id in keys:
            by_table.setdefault(table, []).append(row_id)
        for table, ids in by_table.items():
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                found = self.db.execute(
                    "SELECT id, server_version, server_deleted, server_fields FROM rows"
                    f" WHERE tbl = ? AND id IN ({','.join('?' * len(chunk))})",
                    [table, *chunk],
                )
                for row in found:
                    copies[(table, row["id"])] = dict(row)
        return copies

    def _keep_refused(self, result: Mapping[str, Any], entry: sqlite3.Row) -> None:
        """Keep what the server refused of this mutation as the row's refused draft: the
        refused fields of a ``partial``, everything of a ``rejected``. Added to a draft
        already there, field by field."""
        status = result["status"]
        if status == DUPLICATE:
            status = result.get("original_status")
        if status not in (PARTIAL, REJECTED):
            return
        error = result.get("error") or {}
        reasons = error.get("fields") or {}
        sent = json.loads(entry["fields"]) if entry["op"] == UPSERT else {}
        if status == PARTIAL:
            sent = {name: value for name, value in sent.items() if name in reasons}
        reasons = {name: why for name, why in reasons.items() if name in sent}
        earlier = self.refused_draft(entry["tbl"], entry["id"])
        if earlier is not None and earlier["op"] == UPSERT and entry["op"] == UPSERT:
            sent = {**earlier["fields"], **sent}
            reasons = {**earlier["reasons"], **reasons}
        self.db.execute(
            "INSERT OR REPLACE INTO refused (tbl, id, op, fields, reasons, error, message)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                entry["tbl"],
                entry["id"],
                entry["op"],
                json.dumps(sent),
                json.dumps(reasons),
                error.get("error"),
                error.get("message"),
            ),
        )

    @staticmethod
    def _fold_result(result: Mapping[str, Any], entry: sqlite3.Row, row: dict[str, Any]) -> bool:
        """Bring ``row``'s server copy up to what the result says; whether it changed."""
        status = result["status"]
        if status == DUPLICATE:
            status = result.get("original_status") or DUPLICATE
        if status in (REJECTED, DUPLICATE):
            return False
        known = row["server_version"] or 0
        if "row" in result:
            server = result["row"]
            if server["version"] < known:
                return False
            row["server_version"] = server["version"]
            row["server_deleted"] = int(server["deleted"])
            row["server_fields"] = None if server["deleted"] else json.dumps(server["fields"])
            return True
        version = result.get("version") or 0
        if status != APPLIED or version < known:
            return False
        row["server_version"] = version
        if entry["op"] == DELETE:
            row["server_deleted"] = 1
        elif row["server_fields"]:
            fields = json.loads(row["server_fields"])
            fields.update(json.loads(entry["fields"]))
            row["server_deleted"] = 0
            row["server_fields"] = json.dumps(fields)
        else:  # a create: the server copy is what was sent
            row["server_deleted"] = 0
            row["server_fields"] = entry["fields"]
        return True


def _wait_for(out: deque[tuple[Any, Any, Future[Any]]]) -> None:
    """Let the requests still out finish; their answers are not used (see ``_send_outbox``)."""
    wait([answer_of for _, _, answer_of in out])
