"""Numbering changes on PostgreSQL without a global lock: one lock per organisation, and a
watermark that a pull reads from the locks in flight.

SQLite keeps the clock row (``SyncClock``): it has one writer at a time anyway. PostgreSQL::

    writer (a push, a REST write)                 reader (a pull)
    1. lock its organisations, exclusive          1. L = the highest number handed out
       (and the deployment, shared)                  (``sync_seq``, read first)
    2. before taking numbers: a shared lock       2. the writers in flight now (``pg_locks``)
       keyed by the highest number handed out        that may write rows this reader sees:
       so far, then ``nextval`` (all above it)       high = min(L, their keys)
    3. commit: visible first, locks gone after    3. the feed: seq in (cursor, high]

Why the feed never skips a committed change: a writer's numbers are all above its key, and
it holds the key's lock from before its first number until after its commit is visible. A
number at or below L was handed out before the reader read L, so its writer held its key's
lock before the reader looked at the locks: the reader sees the lock (and stays below it)
unless the writer has committed, and then its rows are visible to the reader's queries.
Numbers above L are above ``high`` and wait for the next pull.

Which writers a reader waits for: those holding the lock of one of the reader's
organisations, the deployment's lock exclusively (a writer with no principal: the CLI, a
restore, garbage collection), or no organisation lock at all (say, one that a rolled-back
savepoint released). A writer in other organisations only writes rows this reader cannot
see, so a slow transaction in organisation A holds back neither writers nor readers in B.
When a reader's scope grows (a new unit) its pull lowers the cursor to the watermark of the
new scope, so a writer in the new organisation that was in flight is not jumped over.

Writers in one organisation still queue on its lock: a push reads the rows it merges and
writes them under it, as it did under the global clock (no lost update of a field version).

Locks are PostgreSQL advisory locks, transaction-scoped: organisation locks are
``(ORGANISATION_LOCKS, hash of the id)``; the deployment's is ``(DEPLOYMENT_LOCK, oid of
sync_seq)``, which every writer also takes shared with each key, so readers tell this
schema's writers from another's; keys are the one-bigint form. A savepoint that rolls back
releases the locks taken inside it, with the rows it wrote: keys are taken again with every
batch of numbers, so each number is covered at the level it is used.
"""

from __future__ import annotations

import functools
import uuid
import zlib
from collections.abc import Iterable

from sqlalchemy import CTE, BigInteger, Boolean, Integer, bindparam, column, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

SEQUENCE = "sync_seq"
# Namespaces of the two-int advisory locks (any two numbers no other program uses).
ORGANISATION_LOCKS = 0x466F6C67  # "Folg"
DEPLOYMENT_LOCK = 0x466F6C68

_HIGHEST_HANDED_OUT = "CASE WHEN is_called THEN last_value ELSE last_value - 1 END"

_LOCK_DEPLOYMENT = text(
    f"SELECT pg_advisory_xact_lock({DEPLOYMENT_LOCK}, '{SEQUENCE}'::regclass::oid::int)"
)
_LOCK_ORGANISATIONS = text(
    f"SELECT pg_advisory_xact_lock_shared({DEPLOYMENT_LOCK}, '{SEQUENCE}'::regclass::oid::int),"
    f" (SELECT count(pg_advisory_xact_lock({ORGANISATION_LOCKS}, key))"
    "  FROM unnest(CAST(:keys AS int[])) AS key)"
).bindparams(bindparam("keys", type_=ARRAY(Integer)))
# The key is taken before ``nextval`` in the same statement: the CTE is read before the
# numbers are made from its row.
_TAKE_NUMBERS = text(
    "WITH held AS MATERIALIZED ("
    f" SELECT pg_advisory_xact_lock_shared({DEPLOYMENT_LOCK}, '{SEQUENCE}'::regclass::oid::int),"
    f" pg_advisory_xact_lock_shared(({_HIGHEST_HANDED_OUT})::bigint) FROM {SEQUENCE})"
    f" SELECT nextval('{SEQUENCE}') AS seq FROM held, generate_series(1, :count)"
).bindparams(bindparam("count", type_=Integer))
# ``(high, epoch)`` in one statement, in the order the docstring needs: the materialised
# CTE reads the highest number handed out (and the data epoch, which a pull reads anyway);
# the locks are read by a subquery correlated with its row, so only after it.
_READ_CLOCK = text(
    f"""
    WITH handed_out AS MATERIALIZED (
        SELECT {_HIGHEST_HANDED_OUT} AS number,
               (SELECT epoch FROM sync_clock WHERE id = 1) AS epoch
        FROM {SEQUENCE}
    )
    SELECT least(number, (
        SELECT min(lowest_key) FROM (
            SELECT
                bool_or(objsubid = 2 AND classid = {DEPLOYMENT_LOCK} AND objid = seq.oid)
                    AS ours,
                bool_or(objsubid = 2 AND classid = {DEPLOYMENT_LOCK} AND objid = seq.oid
                        AND mode = 'ExclusiveLock') AS everywhere,
                bool_or(objsubid = 2 AND classid = {ORGANISATION_LOCKS}) AS in_organisations,
                bool_or(objsubid = 2 AND classid = {ORGANISATION_LOCKS}
                        AND objid::bigint = ANY(CAST(:keys AS bigint[]))) AS in_readers,
                min(CASE WHEN objsubid = 1 THEN (classid::bigint << 32) | objid::bigint END)
                    AS lowest_key
            FROM pg_locks, (SELECT '{SEQUENCE}'::regclass::oid AS oid) AS seq
            WHERE locktype = 'advisory'
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND number IS NOT NULL
            GROUP BY pid
        ) AS writers
        WHERE ours AND (everywhere OR CAST(:everyone AS boolean) OR NOT in_organisations
                        OR in_readers)
    )), epoch
    FROM handed_out
    """
).bindparams(bindparam("keys", type_=ARRAY(BigInteger)), bindparam("everyone", type_=Boolean))


def organisation_key(organisation_id: uuid.UUID) -> int:
    """The organisation's lock number (two organisations may share one: they then queue
    together, which is slower, never wrong)."""
    return zlib.crc32(organisation_id.bytes) - 2**31  # a signed int4


def lock_for_writing(session: Session, organisation_ids: Iterable[uuid.UUID] | None) -> None:
    """Take the locks of the organisations a transaction writes in, or, with None, the whole
    deployment's."""
    if organisation_ids is None:
        session.execute(_LOCK_DEPLOYMENT)
        return
    session.execute(_LOCK_ORGANISATIONS, {"keys": organisation_keys(organisation_ids)})


def locks_cte(everywhere: bool) -> CTE:
    """``lock_for_writing`` as a CTE that a reading statement joins first: the locks, then the
    rows it reads (which must lock them, ``FOR UPDATE``, to see their newest committed
    version: the statement's snapshot was taken before the locks were granted). The
    organisations' keys are the parameter ``keys`` (``organisation_keys``); ``everywhere``
    takes the deployment's lock instead."""
    if everywhere:
        locks = text(_LOCK_DEPLOYMENT.text).columns(column("held"))
    else:
        locks = _LOCK_ORGANISATIONS.columns(column("deployment"), column("organisations"))
    return locks.cte("locks").prefix_with("MATERIALIZED")


def organisation_keys(organisation_ids: Iterable[uuid.UUID]) -> list[int]:
    """The organisations' lock numbers, sorted: two writers never wait for each other in a
    circle."""
    return sorted({organisation_key(o) for o in organisation_ids})


def take_numbers(session: Session, count: int) -> list[int]:
    """``count`` new change numbers, ascending (not consecutive: other writers take theirs
    meanwhile), each above the key this transaction now holds."""
    return list(session.execute(_TAKE_NUMBERS, {"count": count}).scalars())


@functools.cache
def next_number_cte() -> CTE:
    """``_TAKE_NUMBERS`` for one number, as a CTE (column ``seq``) that a writing statement
    reads: the key's lock, then the number, in the writing statement itself. Built once
    (a construct is immutable, and building it cost a push more than its round trip)."""
    return (
        text(_TAKE_NUMBERS.text)
        .bindparams(count=1)
        .columns(column("seq", BigInteger))
        .cte("number")
        .prefix_with("MATERIALIZED")
    )


def read_clock(
    session: Session, organisation_ids: Iterable[uuid.UUID] | None
) -> tuple[int, str | None]:
    """``(high, epoch)``: the highest number at or below which every change a reader in
    these organisations (None: in any) may see has committed or rolled back, and the data
    epoch. The number handed out is read before the locks: see the module's docstring."""
    keys = [organisation_key(o) & 0xFFFFFFFF for o in organisation_ids or ()]  # as pg_locks
    high, epoch = session.execute(
        _READ_CLOCK, {"keys": keys, "everyone": organisation_ids is None}
    ).one()
    return high, epoch
