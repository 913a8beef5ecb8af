"""Every ``FOLG_*`` variable the docs name can be set, reaches ``app.config`` with its type,
and a malformed one stops start-up with a message naming it (server/config.py).

The documented names are read from README.md and docs/: each ``FOLG_NAME`` in the text, and
the rows of a table whose header says the settings are ``FOLG_…`` variables (docs/push.md lists
them without the prefix).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from server import create_app
from server.config import ENV_PREFIX, SETTINGS, ConfigError

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

# Documented FOLG_ variables that are not settings of the app, and why.
NOT_SETTINGS = {
    # The PostgreSQL the tests run on: read by tests/conftest.py and the Makefile's check.
    "FOLG_TEST_DATABASE_URL",
    # How many examples the push fuzz test draws (tests/reliability/test_push_fuzz.py).
    "FOLG_FUZZ_EXAMPLES",
    # The password `flask create-user` gives the new user, read by that command only.
    "FOLG_NEW_USER_PASSWORD",
}

# A valid value for each setting, other than its default, and what the app makes of it.
SAMPLES: dict[str, tuple[str, object]] = {
    "DATABASE_URL": ("sqlite://", "sqlite://"),
    "SECRET_KEY": ("a-key-for-this-test", "a-key-for-this-test"),
    "TOKEN_TTL_HOURS": ("24", 24),
    "LOGIN_MAX_FAILURES": ("3", 3),
    "LOGIN_MAX_WAIT_SECONDS": ("600", 600),
    "MAX_CONTENT_LENGTH": ("8388608", 8388608),
    "TOMBSTONE_RETENTION_DAYS": ("120", 120),
    "PHOTO_GRACE_HOURS": ("48", 48),
    "SYNC_MAX_MUTATIONS": ("200", 200),
    "SYNC_MAX_PUSH_BYTES": ("1048576", 1048576),
    "SYNC_GAP_WAIT_SECONDS": ("0.5", 0.5),
    "SYNC_MAX_PAGE": ("250", 250),
    "SYNC_SCHEMA_VERSION": ("3", 3),
    "SYNC_MIN_SCHEMA_VERSION": ("2", 2),
    "TRUST_PROXY": ("true", True),
    "PWA_DIST": ("/srv/folg/pwa/dist", "/srv/folg/pwa/dist"),
    "VAPID_PRIVATE_KEY": ("private-key-text", "private-key-text"),
    "VAPID_PUBLIC_KEY": ("public-key-text", "public-key-text"),
    "VAPID_KEY_FILE": ("/var/lib/folg/vapid_private.pem", "/var/lib/folg/vapid_private.pem"),
    "VAPID_SUBJECT": ("mailto:drift@kommune.test", "mailto:drift@kommune.test"),
    "PUSH_REMINDER_DAYS": ("14,3", [14, 3]),
    "PUSH_TTL_SECONDS": ("3600", 3600),
    "PUSH_CONNECT_TIMEOUT_SECONDS": ("1.5", 1.5),
    "PUSH_TIMEOUT_SECONDS": ("8", 8.0),
    "PUSH_MAX_ATTEMPTS": ("4", 4),
    "PUSH_RETRY_BASE_SECONDS": ("30", 30),
    "PUSH_ALLOWED_HOSTS": (
        "fcm.googleapis.com, Push.Example.org.",
        ["fcm.googleapis.com", "push.example.org"],
    ),
    "PUSH_ALLOW_LOOPBACK": ("yes", True),
    "PUSH_MAX_SUBSCRIPTIONS_PER_USER": ("4", 4),
    "PUSH_OUTBOX_RETENTION_DAYS": ("14", 14),
    "PUSH_WORKER_POLL_SECONDS": ("0.5", 0.5),
    "PUSH_WORKER_SWEEP_SECONDS": ("60", 60.0),
}


def _documented_variables() -> set[str]:
    names = set()
    for doc in DOCS:
        in_settings_table = False
        for line in doc.read_text(encoding="utf-8").splitlines():
            # FOLG_PUSH_* names a family, not a variable: its members are listed in push.md.
            names.update(n for n in re.findall(r"FOLG_[A-Z0-9_]+", line) if not n.endswith("_"))
            if not line.startswith("|"):
                in_settings_table = False
            elif "FOLG_…" in line or "FOLG_..." in line:
                in_settings_table = True
            elif in_settings_table and (row := re.match(r"\|\s*`([A-Z][A-Z0-9_]+)`", line)):
                names.add(ENV_PREFIX + row.group(1))
    return names


@pytest.fixture(autouse=True)
def no_settings_in_the_environment(monkeypatch):
    """The developer's or CI's own FOLG_ variables must not decide these tests."""
    for name in SETTINGS:
        monkeypatch.delenv(ENV_PREFIX + name, raising=False)
    monkeypatch.setenv("FOLG_DATABASE_URL", "sqlite://")


def test_every_documented_variable_is_a_setting_or_said_not_to_be():
    documented = _documented_variables()
    unknown = documented - NOT_SETTINGS - {ENV_PREFIX + name for name in SAMPLES}
    assert not unknown, f"documented, but no sample here (and maybe no setting): {unknown}"
    assert documented >= NOT_SETTINGS, "NOT_SETTINGS names a variable the docs no longer do"


def test_every_setting_is_documented():
    documented = _documented_variables()
    undocumented = [name for name in SETTINGS if ENV_PREFIX + name not in documented]
    assert not undocumented, f"add these to docs/deploy.md's table: {undocumented}"


def test_every_setting_has_a_sample_that_is_not_its_default():
    assert SAMPLES.keys() == SETTINGS.keys()
    same = [name for name, (_, value) in SAMPLES.items() if value == SETTINGS[name].default]
    assert not same, f"a sample equal to the default proves nothing: {same}"


def test_each_documented_variable_reaches_app_config_with_its_type(monkeypatch):
    documented = _documented_variables() - NOT_SETTINGS
    for variable in documented:
        monkeypatch.setenv(variable, SAMPLES[variable.removeprefix(ENV_PREFIX)][0])

    config = create_app().config

    seen = {v: config[v.removeprefix(ENV_PREFIX)] for v in documented}
    wanted = {v: SAMPLES[v.removeprefix(ENV_PREFIX)][1] for v in documented}
    assert seen == wanted
    assert {v: type(value) for v, value in seen.items()} == {
        v: type(value) for v, value in wanted.items()
    }
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_an_empty_variable_counts_as_unset(monkeypatch):
    monkeypatch.setenv("FOLG_TOKEN_TTL_HOURS", "")
    monkeypatch.setenv("FOLG_TRUST_PROXY", " ")

    config = create_app().config

    assert (config["TOKEN_TTL_HOURS"], config["TRUST_PROXY"]) == (12, False)


def test_a_mapping_given_to_create_app_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("FOLG_SYNC_MAX_PAGE", "250")

    assert create_app({"SYNC_MAX_PAGE": 10}).config["SYNC_MAX_PAGE"] == 10


@pytest.mark.parametrize(
    ("name", "raw", "must_be"),
    [
        ("TOKEN_TTL_HOURS", "twelve", "a whole number of at least 1"),
        ("TOKEN_TTL_HOURS", "0", "a whole number of at least 1"),
        ("MAX_CONTENT_LENGTH", "4MB", "a whole number of at least 1"),
        ("SYNC_MAX_PUSH_BYTES", "2.5", "a whole number of at least 1"),
        ("SYNC_GAP_WAIT_SECONDS", "soon", "a number of at least 0"),
        ("SYNC_GAP_WAIT_SECONDS", "-1", "a number of at least 0"),
        ("SYNC_GAP_WAIT_SECONDS", "nan", "a number of at least 0"),
        ("TRUST_PROXY", "maybe", "true or false"),
        ("PUSH_ALLOW_LOOPBACK", "2", "true or false"),
        ("PUSH_CONNECT_TIMEOUT_SECONDS", "0", "a number of at least 0.1"),
        ("PUSH_TIMEOUT_SECONDS", "never", "a number of at least 0.1"),
        ("PUSH_MAX_SUBSCRIPTIONS_PER_USER", "0", "a whole number of at least 1"),
        ("PUSH_ALLOWED_HOSTS", "https://fcm.googleapis.com", "a comma-separated list of host"),
        ("PUSH_ALLOWED_HOSTS", "fcm.googleapis.com,,", "a comma-separated list of host"),
        ("PUSH_ALLOWED_HOSTS", "10.0.0.5", "a comma-separated list of host"),
        ("PUSH_ALLOWED_HOSTS", '["push.example.org", 7]', "a comma-separated list of host"),
        ("PUSH_REMINDER_DAYS", '[7, "x"]', "a list of whole days"),
        ("PUSH_REMINDER_DAYS", "[7, 1.5]", "a list of whole days"),
        ("PUSH_REMINDER_DAYS", "7;1", "a list of whole days"),
        ("PUSH_REMINDER_DAYS", "0,1", "a list of whole days"),
        ("PUSH_REMINDER_DAYS", "[7", "a list of whole days"),
    ],
)
def test_a_malformed_value_stops_start_up_naming_the_variable(monkeypatch, name, raw, must_be):
    monkeypatch.setenv(ENV_PREFIX + name, raw)

    with pytest.raises(ConfigError) as refused:
        create_app()

    assert str(refused.value).startswith(f"{ENV_PREFIX}{name}={raw!r} is not valid: use ")
    assert must_be in str(refused.value)


def test_an_oldest_schema_version_above_the_current_one_is_refused(monkeypatch):
    monkeypatch.setenv("FOLG_SYNC_MIN_SCHEMA_VERSION", "3")  # the current one is 2

    with pytest.raises(ConfigError, match="FOLG_SYNC_MIN_SCHEMA_VERSION"):
        create_app()


def test_a_flask_command_with_a_malformed_value_fails_with_the_message(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(ENV_PREFIX) and not key.startswith("COV_")
    }
    env |= {"FOLG_DATABASE_URL": "sqlite://", "FOLG_TRUST_PROXY": "maybe"}

    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "server", "routes"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "FOLG_TRUST_PROXY='maybe' is not valid: use true or false" in result.stderr
