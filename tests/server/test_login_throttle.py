"""The login throttle (server/services/login_throttle.py): growing waits for the guessing
party, none for a real user whose address never failed, and no race between check and count.

The clock is fixed, so a wait never runs out by itself during a test."""

from __future__ import annotations

import contextlib
import logging
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from server import clock
from server.extensions import db
from server.models import LoginThrottle
from server.services import auth, login_throttle
from server.services.login_throttle import parties_of, required_wait
from tests.conftest import make_app
from tests.factories import PASSWORD
from tests.helpers import assert_error

WRONG = "wrong-password"
ATTACKER = "192.0.2.66"
VICTIM_HOME = "198.51.100.7"


@pytest.fixture
def now(monkeypatch):
    """A fixed clock; ``now.advance(seconds)`` moves it on."""

    class Clock:
        value = clock.now()

        def advance(self, seconds: float) -> None:
            self.value += timedelta(seconds=seconds)

    fixed = Clock()
    monkeypatch.setattr(clock, "now", lambda: fixed.value)
    return fixed


@pytest.fixture
def member(factory):
    return factory.user(("staff", factory.unit()))


def attempt(client, email, password, address):
    return client.post(
        "/api/auth/login",
        json={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def stored_failures(email, address):
    parties = parties_of(email, address)
    db.session.expire_all()
    rows = {row.key: row for row in db.session.scalars(select(LoginThrottle))}
    return tuple(
        rows[key].failures if key in rows else 0
        for key in (parties.pair, parties.account, parties.client)
    )


def test_wrong_guesses_from_one_address_wait_ever_longer_with_retry_after(client, member, app, now):
    free = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(free):
        assert attempt(client, member.email, WRONG, ATTACKER).status_code == 401
    # Even the right password is not checked while the party waits.
    refused = attempt(client, member.email, PASSWORD, ATTACKER)
    assert_error(refused, 429, "rate_limited")
    assert refused.headers["Retry-After"] == "1"
    assert refused.json["retry_after_seconds"] == 1
    assert stored_failures(member.email, ATTACKER) == (free, free, free)

    now.advance(1)
    assert attempt(client, member.email, WRONG, ATTACKER).status_code == 401
    refused = attempt(client, member.email, WRONG, ATTACKER)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "2"
    now.advance(2)
    assert attempt(client, member.email, PASSWORD, ATTACKER).status_code == 200
    # The right password takes back its own count and clears the pair.
    assert stored_failures(member.email, ATTACKER) == (0, free + 1, free + 1)


def test_failures_from_another_address_never_hold_the_right_password(client, member, app, now):
    for _ in range(app.config["LOGIN_MAX_FAILURES"] * 3):
        attempt(client, member.email, WRONG, ATTACKER)
    assert attempt(client, member.email, WRONG, ATTACKER).status_code == 429

    response = attempt(client, member.email, PASSWORD, VICTIM_HOME)
    assert response.status_code == 200
    assert response.json["user"]["email"] == member.email


def test_many_addresses_share_the_accounts_count_but_a_clean_address_gets_in(
    client, member, app, now
):
    account_free = app.config["LOGIN_MAX_FAILURES"] * login_throttle.ACCOUNT_FREE_FACTOR
    addresses = [f"203.0.113.{n}" for n in range(1, account_free + 1)]
    for address in addresses:
        assert attempt(client, member.email, WRONG, address).status_code == 401
    # An address that failed for the account waits for the account now...
    assert attempt(client, member.email, WRONG, addresses[0]).status_code == 429
    # ... one that never failed for it is checked: the real user is not locked out.
    assert attempt(client, member.email, PASSWORD, VICTIM_HOME).status_code == 200


def test_spraying_from_one_address_slows_that_address_but_not_users_known_there(
    client, factory, app, now
):
    office = "198.51.100.20"
    unit = factory.unit()
    regular = factory.user(("staff", unit))
    newcomer = factory.user(("staff", factory.unit()))
    assert attempt(client, regular.email, PASSWORD, office).status_code == 200

    client_free = app.config["LOGIN_MAX_FAILURES"] * login_throttle.CLIENT_FREE_FACTOR
    for n in range(client_free):
        assert attempt(client, f"guess{n}@test.example", WRONG, office).status_code == 401
    assert attempt(client, "one-more@test.example", WRONG, office).status_code == 429

    assert attempt(client, newcomer.email, PASSWORD, office).status_code == 429
    assert attempt(client, regular.email, PASSWORD, office).status_code == 200
    assert attempt(client, newcomer.email, PASSWORD, VICTIM_HOME).status_code == 200


def test_a_refused_attempt_counts_nothing_and_a_quiet_day_forgets_the_failures(
    client, member, app, now
):
    free = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(free):
        attempt(client, member.email, WRONG, ATTACKER)
    for _ in range(3):
        assert attempt(client, member.email, WRONG, ATTACKER).status_code == 429
    assert stored_failures(member.email, ATTACKER) == (free, free, free)

    now.advance(login_throttle.FORGET_FAILURES_AFTER.total_seconds())
    assert attempt(client, member.email, WRONG, ATTACKER).status_code == 401
    assert stored_failures(member.email, ATTACKER) == (1, 1, 1)


def test_simultaneous_wrong_guesses_check_at_most_the_free_number_of_passwords(
    app, member, now, monkeypatch
):
    guesses = 30
    free = app.config["LOGIN_MAX_FAILURES"]
    checked: list[int] = []
    real_hasher = auth._hasher
    # Each check waits (up to a second) for the other guesses to reach their check too: without
    # the count before the check, all of them would.
    all_checking = threading.Barrier(guesses, timeout=1)

    class CountingHasher:
        def verify(self, hash_, password):
            checked.append(1)
            with contextlib.suppress(threading.BrokenBarrierError):
                all_checking.wait()
            return real_hasher.verify(hash_, password)

    monkeypatch.setattr(auth, "_hasher", CountingHasher())
    statuses: list[int] = []
    start = threading.Barrier(guesses)
    email = member.email

    def guess():
        start.wait()
        statuses.append(attempt(app.test_client(), email, WRONG, ATTACKER).status_code)

    threads = [threading.Thread(target=guess) for _ in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(checked) == free
    assert sorted(statuses) == [401] * free + [429] * (guesses - free)
    assert stored_failures(email, ATTACKER) == (free, free, free)


@pytest.mark.parametrize(
    ("failures", "wait"), [(0, 0), (4, 0), (5, 1), (6, 2), (9, 16), (14, 512), (15, 900), (99, 900)]
)
def test_the_wait_doubles_after_the_free_failures_up_to_the_cap(failures, wait):
    assert required_wait(failures, 5, timedelta(seconds=900)) == timedelta(seconds=wait)


def test_an_ipv6_client_counts_by_its_64_and_a_mapped_ipv4_as_the_ipv4():
    same = parties_of("a@test.example", "2001:db8:1:2::1")
    assert parties_of("a@test.example", "2001:db8:1:2:ffff::9") == same
    assert parties_of("a@test.example", "2001:db8:1:3::1") != same
    assert parties_of("a@test.example", "::ffff:192.0.2.1") == parties_of(
        "a@test.example", "192.0.2.1"
    )
    assert parties_of(" A@Test.example ", "192.0.2.1") == parties_of("a@test.example", "192.0.2.1")


@pytest.mark.parametrize(
    ("trust_proxy", "headers", "warns"),
    [
        (False, {"X-Forwarded-For": "192.0.2.1"}, True),
        (False, {}, False),
        (True, {}, True),
        (True, {"X-Forwarded-For": "192.0.2.1"}, False),
    ],
)
def test_a_proxy_setting_that_does_not_match_the_requests_is_warned_about_once(
    trust_proxy, headers, warns, caplog
):
    proxied = make_app("sqlite://", TRUST_PROXY=trust_proxy).test_client()
    with caplog.at_level(logging.WARNING, logger="server.security"):
        for _ in range(3):
            assert proxied.get("/api/auth/me", headers=headers).status_code == 401
    warnings = [r for r in caplog.records if r.name == "server.security"]
    assert len(warnings) == (1 if warns else 0)
    assert all("192.0.2.1" not in r.getMessage() for r in warnings)
