"""The login throttle: online guessing is slowed down, and nobody can lock a real user out.

Three guessing parties are counted, each in a row of ``login_throttles``:

    party     counts wrong passwords              free  then       holds an attempt
    pair      for one account from one address       5  1 s, 2 s,  always
    account   for one account from any address      20  4 s ...    unless its pair is clean or known
    client    from one address for any account      50  to 15 min  unless its pair is known

"free" is ``LOGIN_MAX_FAILURES`` (5) for a pair, four times that for an account and ten times
for an address (an office behind one NAT address has many users who mistype); the longest wait
is ``LOGIN_MAX_WAIT_SECONDS``. A pair is *clean* when its address never failed for the
account, *known* when the account logged in from that address in the last 30 days. A party's
failures are forgotten after a day without one, so a wait that reached its cap stays there.

What that gives:

- one address guessing one account gets 5 checks, then waits that double, up to 15 minutes
  each: about 100 guesses a day;
- many addresses guessing one account share its count; past 20 failures each of them gets
  the one check a clean pair always gets, then waits for the account;
- one address trying one password on many accounts (spraying) is slowed by its own count;
- the real user is held by nobody else's failures: from an address that never failed for their
  account the account's wait does not apply, and from one where they logged in before neither
  does the address's (only a pair's own failures hold a known pair).

The parties are told apart by the client address, so they are only as good as it: behind a
reverse proxy with ``FOLG_TRUST_PROXY`` off every user has the proxy's address (a warning is
logged, see ``server/security.py``); an IPv6 client counts by its /64, which one host can fill.

A refused attempt answers 429 with ``Retry-After``, checks no password and counts nothing. An
unknown email is counted like any other, so the answers tell nobody which accounts exist.

Check and count cannot race. ``begin_attempt`` locks the party rows (PostgreSQL: ``SELECT ...
FOR UPDATE`` in key order, so two logins never deadlock; SQLite: its first statement writes,
so it holds the one writer lock), checks their waits and counts itself as a failure *before*
the password is checked, and commits; only then is the slow hash verified. The next attempt
thus sees it while the hash runs, and of any number of simultaneous guesses at most the free
ones are checked. A right password takes its failure back (``attempt_succeeded``).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from server.i18n import _l
from server.models import LoginThrottle
from server.services.errors import RateLimited

FIRST_WAIT = timedelta(seconds=1)
FORGET_FAILURES_AFTER = timedelta(days=1)
KNOWN_PAIR_FOR = timedelta(days=30)
ACCOUNT_FREE_FACTOR = 4
CLIENT_FREE_FACTOR = 10

RATE_LIMITED = _l("Too many failed logins. Wait a little and try again.")


@dataclass(frozen=True)
class ThrottleSettings:
    max_failures: int = 5
    max_wait: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class Parties:
    """The row keys of one attempt's guessing parties."""

    pair: str
    account: str
    client: str


def parties_of(email: str, client_address: str) -> Parties:
    account = email.strip().lower()
    client = _client_party(client_address)
    return Parties(
        pair=_sha256(f"pair:{account} {client}"),
        account=_sha256(f"account:{account}"),
        client=_sha256(f"client:{client}"),
    )


def begin_attempt(
    session: Session, parties: Parties, settings: ThrottleSettings, now: datetime
) -> None:
    """Refuse the attempt if a party it belongs to must still wait; else count it as a failure
    of each party, and commit, before the caller checks the password."""
    rows = _lock_rows(session, parties, now)
    for row in rows.values():
        if row.last_failure_at is not None and now - row.last_failure_at >= FORGET_FAILURES_AFTER:
            row.failures, row.retry_at = 0, None
    pair, account, client = rows[parties.pair], rows[parties.account], rows[parties.client]

    known = pair.last_success_at is not None and now - pair.last_success_at < KNOWN_PAIR_FOR
    holding = [pair]
    if pair.failures > 0 and not known:
        holding.append(account)
    if not known:
        holding.append(client)
    waits = [row.retry_at - now for row in holding if row.retry_at and row.retry_at > now]
    if waits:
        session.commit()
        raise RateLimited(RATE_LIMITED, retry_after_seconds=math.ceil(max(waits).total_seconds()))

    free = settings.max_failures
    for row, row_free in (
        (pair, free),
        (account, free * ACCOUNT_FREE_FACTOR),
        (client, free * CLIENT_FREE_FACTOR),
    ):
        row.failures += 1
        row.last_failure_at = now
        wait = required_wait(row.failures, row_free, settings.max_wait)
        # No wait, no time to compare: a clock that steps back (NTP, or another app server's
        # clock a little behind) must not hold a party that has failures to spare.
        row.retry_at = now + wait if wait else None
        row.forget_at = max(row.forget_at, now + FORGET_FAILURES_AFTER)
    _delete_forgotten_rows(session, now)
    session.commit()


def attempt_succeeded(session: Session, parties: Parties, now: datetime) -> None:
    """Take back the failure ``begin_attempt`` counted; the pair becomes known. In the caller's
    transaction (the one that issues the token)."""
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == parties.pair)
        .values(
            failures=0,
            retry_at=None,
            last_success_at=now,
            forget_at=now + KNOWN_PAIR_FOR,
        )
    )
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key.in_([parties.account, parties.client]))
        .values(failures=case((LoginThrottle.failures > 0, LoginThrottle.failures - 1), else_=0))
    )


def required_wait(failures: int, free: int, max_wait: timedelta) -> timedelta:
    """How long a party with this many failures waits before its next check."""
    if failures < free:
        return timedelta(0)
    doublings = min(failures - free, 40)  # 2**40 s is past any cap; no overflow
    return min(FIRST_WAIT * 2**doublings, max_wait)


def _lock_rows(session: Session, parties: Parties, now: datetime) -> dict[str, LoginThrottle]:
    keys = sorted({parties.pair, parties.account, parties.client})
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    # A row can vanish between the insert and the lock (another login's clean-up, below): then
    # make it again.
    for _ in range(3):
        session.execute(
            insert(LoginThrottle)
            .values([{"key": key, "failures": 0, "forget_at": now} for key in keys])
            .on_conflict_do_nothing(index_elements=["key"])
        )
        rows = session.scalars(
            select(LoginThrottle)
            .where(LoginThrottle.key.in_(keys))
            .order_by(LoginThrottle.key)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
        if len(rows) == len(keys):
            return {row.key: row for row in rows}
    raise RuntimeError("login throttle rows keep vanishing")


def _delete_forgotten_rows(session: Session, now: datetime) -> None:
    # SKIP LOCKED: a row another login holds is left for later, so the clean-up never waits
    # for (or deadlocks with) a login.
    forgotten = (
        select(LoginThrottle.key)
        .where(LoginThrottle.forget_at < now)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(forgotten)))


def _client_party(address: str) -> str:
    """An IPv4 address as it is; an IPv6 address by its /64 (one host usually has a whole /64)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
