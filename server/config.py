"""Configuration: each setting's default, overridden by its ``FOLG_<NAME>`` environment
variable, overridden by the mapping a caller (usually a test) hands to ``create_app``.

``SETTINGS`` below is the one list of settings: a name, its default, and how the text of an
environment variable becomes a value (a whole number, a number, a flag, a list of days or of
host names, or text).
A value that does not parse stops the app at start-up with a ``ConfigError`` naming the variable
and what it must be, rather than running on a default the operator did not mean. An empty
variable counts as unset. docs/deploy.md and docs/push.md describe them for operators
(tests/server/test_config.py holds the docs and this list to each other).

Every setting is read once, when the app is built, so a running app never changes underneath a
request.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "FOLG_"


class ConfigError(ValueError):
    """An environment variable holds a value its setting cannot take."""


Parse = Callable[[str], Any]


def whole(minimum: int) -> Parse:
    def parse(raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"a whole number of at least {minimum}") from None
        if value < minimum:
            raise ValueError(f"a whole number of at least {minimum}")
        return value

    return parse


def number(minimum: float) -> Parse:
    def parse(raw: str) -> float:
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"a number of at least {minimum}") from None
        if not value >= minimum:  # also refuses nan
            raise ValueError(f"a number of at least {minimum}")
        return value

    return parse


FLAG_WORDS = {"1": True, "true": True, "yes": True, "on": True}
FLAG_WORDS |= {"0": False, "false": False, "no": False, "off": False}


def flag(raw: str) -> bool:
    try:
        return FLAG_WORDS[raw.lower()]
    except KeyError:
        raise ValueError("true or false (also 1/0, yes/no, on/off)") from None


def days(raw: str) -> list[int]:
    """A JSON list (``[7, 1]``) or a comma-separated one (``7,1``) of whole days, at least 1."""
    must = "a list of whole days of at least 1, such as [7, 1] or 7,1"
    try:
        values = json.loads(raw) if raw.startswith("[") else [int(p) for p in raw.split(",")]
    except ValueError:
        raise ValueError(must) from None
    if not isinstance(values, list) or not all(
        type(value) is int and value >= 1 for value in values
    ):
        raise ValueError(must)
    return values


def host_names(raw: str) -> list[str]:
    """A comma-separated (or JSON) list of host names, or ``*`` for any public host."""
    must = "a comma-separated list of host names such as fcm.googleapis.com,push.apple.com, or *"
    try:
        values = json.loads(raw) if raw.startswith("[") else [p.strip() for p in raw.split(",")]
    except ValueError:
        raise ValueError(must) from None
    if not isinstance(values, list) or not values:
        raise ValueError(must)
    names = []
    for value in values:
        name = value.strip().lower().strip(".") if isinstance(value, str) else ""
        if name != "*" and not HOST_NAME.fullmatch(name):
            raise ValueError(must)
        names.append(name)
    return names


HOST_NAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*")


def text(raw: str) -> str:
    return raw


@dataclass(frozen=True)
class Setting:
    default: Any
    parse: Parse


SETTINGS: dict[str, Setting] = {
    # None means "SQLite in the instance folder"; see resolve_database_url.
    "DATABASE_URL": Setting(None, text),
    # Signs the sync cursors (docs/deploy.md: rotating it resets devices' cursors once).
    "SECRET_KEY": Setting(None, text),
    "TOKEN_TTL_HOURS": Setting(12, whole(1)),
    # Wrong passwords for one account from one address before each further one doubles the
    # wait, up to LOGIN_MAX_WAIT_SECONDS (server/services/login_throttle.py).
    "LOGIN_MAX_FAILURES": Setting(5, whole(1)),
    "LOGIN_MAX_WAIT_SECONDS": Setting(900, whole(1)),
    "MAX_CONTENT_LENGTH": Setting(4 * 1024 * 1024, whole(1)),
    "TOMBSTONE_RETENTION_DAYS": Setting(90, whole(1)),
    # Photo bytes no live visit photo names, and uploads never finished, go after this long
    # (server/services/sync/gc.py): long enough for a row to sync after its upload.
    "PHOTO_GRACE_HOURS": Setting(24 * 30, whole(1)),
    "SYNC_MAX_MUTATIONS": Setting(500, whole(1)),
    # A push body is refused past this size before it is parsed (MAX_CONTENT_LENGTH is larger).
    "SYNC_MAX_PUSH_BYTES": Setting(2 * 1024 * 1024, whole(1)),
    # How long a push whose ids skip ahead waits for the batch before it (sent earlier by the
    # same client, still on its way) before it is refused with mutation_gap.
    "SYNC_GAP_WAIT_SECONDS": Setting(2.0, number(0)),
    "SYNC_MAX_PAGE": Setting(1000, whole(1)),
    "SYNC_SCHEMA_VERSION": Setting(2, whole(1)),
    "SYNC_MIN_SCHEMA_VERSION": Setting(1, whole(1)),
    "TRUST_PROXY": Setting(False, flag),
    # The built PWA served at / (server/web.py); None: pwa/dist next to the server package,
    # which only exists in a checkout, so an installed package is told where the build is.
    "PWA_DIST": Setting(None, text),
    # Web push (server/push, docs/push.md). Without keys, a VAPID key pair is made on first
    # use in VAPID_KEY_FILE (default: vapid_private.pem in the instance folder).
    "VAPID_PRIVATE_KEY": Setting(None, text),
    "VAPID_PUBLIC_KEY": Setting(None, text),
    "VAPID_KEY_FILE": Setting(None, text),
    "VAPID_SUBJECT": Setting("mailto:admin@localhost", text),
    "PUSH_REMINDER_DAYS": Setting([7, 1], days),
    "PUSH_TTL_SECONDS": Setting(86400, whole(0)),
    # One endpoint takes at most connect + read timeout, then delivery moves on to the next.
    "PUSH_CONNECT_TIMEOUT_SECONDS": Setting(3.0, number(0.1)),
    "PUSH_TIMEOUT_SECONDS": Setting(5.0, number(0.1)),
    "PUSH_MAX_ATTEMPTS": Setting(6, whole(1)),
    "PUSH_RETRY_BASE_SECONDS": Setting(60, whole(1)),
    # The push services the server will POST to (server/push/endpoints.py): these names and
    # the names under them; "*" for any host whose addresses are public.
    "PUSH_ALLOWED_HOSTS": Setting(
        [
            "fcm.googleapis.com",
            "android.googleapis.com",
            "updates.push.services.mozilla.com",
            "push.services.mozilla.com",
            "push.apple.com",
            "notify.windows.com",
        ],
        host_names,
    ),
    # Tests only: let an endpoint on loopback through (http, any port). Never in production.
    "PUSH_ALLOW_LOOPBACK": Setting(False, flag),
    # A user's further device replaces the one that has gone longest without a delivery.
    "PUSH_MAX_SUBSCRIPTIONS_PER_USER": Setting(10, whole(1)),
    # Sent, skipped and failed notifications are deleted by sync-gc after this many days.
    "PUSH_OUTBOX_RETENTION_DAYS": Setting(30, whole(1)),
    # The delivery worker (`flask push-worker`, server/push/worker.py): on SQLite it looks at
    # the outbox this often; on PostgreSQL a commit wakes it, and it also looks this often
    # (PUSH_WORKER_SWEEP_SECONDS) for retries and notifications held for quiet hours.
    "PUSH_WORKER_POLL_SECONDS": Setting(1.0, number(0.05)),
    "PUSH_WORKER_SWEEP_SECONDS": Setting(30.0, number(0.05)),
}


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    values = {}
    for name, setting in SETTINGS.items():
        raw = environ.get(ENV_PREFIX + name, "").strip()
        if not raw:
            continue
        try:
            values[name] = setting.parse(raw)
        except ValueError as must_be:
            raise ConfigError(f"{ENV_PREFIX}{name}={raw!r} is not valid: use {must_be}.") from None
    return values


def load_config(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    config = {name: setting.default for name, setting in SETTINGS.items()}
    config.update(_from_environment(os.environ))
    config.update(overrides or {})
    if config["SYNC_MIN_SCHEMA_VERSION"] > config["SYNC_SCHEMA_VERSION"]:
        oldest, newest = config["SYNC_MIN_SCHEMA_VERSION"], config["SYNC_SCHEMA_VERSION"]
        raise ConfigError(
            f"{ENV_PREFIX}SYNC_MIN_SCHEMA_VERSION ({oldest}) is above "
            f"{ENV_PREFIX}SYNC_SCHEMA_VERSION ({newest}): no client could sync."
        )
    return config


def resolve_database_url(url: str | None, instance_path: str) -> str:
    if url:
        return url
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + os.path.join(instance_path, "folg.sqlite3")
