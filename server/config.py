"""Configuration: defaults, overridden by ``FOLG_*`` environment variables, overridden by the
mapping a caller (usually a test) hands to ``create_app``.

Every setting is read once, when the app is built, so a running app never changes underneath a
request.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENV_PREFIX = "FOLG_"

DEFAULTS: dict[str, Any] = {
    # None means "SQLite in the instance folder"; see resolve_database_url.
    "DATABASE_URL": None,
    "TOKEN_TTL_HOURS": 12,
    # Wrong passwords for one account from one address before each further one doubles the
    # wait, up to LOGIN_MAX_WAIT_SECONDS (server/services/login_throttle.py).
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_MAX_WAIT_SECONDS": 900,
    "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
    "TOMBSTONE_RETENTION_DAYS": 90,
    # Photo bytes no live visit photo names, and uploads never finished, go after this long
    # (server/services/sync/gc.py): long enough for a row to sync after its upload.
    "PHOTO_GRACE_HOURS": 24 * 30,
    "SYNC_MAX_MUTATIONS": 500,
    # How long a push whose ids skip ahead waits for the batch before it (sent earlier by the
    # same client, still on its way) before it is refused with mutation_gap.
    "SYNC_GAP_WAIT_SECONDS": 2.0,
    "SYNC_MAX_PAGE": 1000,
    "SYNC_SCHEMA_VERSION": 1,
    "SYNC_MIN_SCHEMA_VERSION": 1,
    "TRUST_PROXY": False,
    # The built PWA served at / (server/web.py); None: pwa/dist next to the server package,
    # which only exists in a checkout, so an installed package is told where the build is.
    "PWA_DIST": None,
    # Web push (server/push, docs/push.md). Without keys, a VAPID key pair is made on first
    # use in VAPID_KEY_FILE (default: vapid_private.pem in the instance folder).
    "VAPID_PRIVATE_KEY": None,
    "VAPID_PUBLIC_KEY": None,
    "VAPID_KEY_FILE": None,
    "VAPID_SUBJECT": "mailto:admin@localhost",
    "PUSH_REMINDER_DAYS": [7, 1],
    "PUSH_TTL_SECONDS": 86400,
    "PUSH_TIMEOUT_SECONDS": 10,
    "PUSH_MAX_ATTEMPTS": 6,
    "PUSH_RETRY_BASE_SECONDS": 60,
    "PUSH_ALLOW_HTTP_ENDPOINTS": False,
    # Sent, skipped and failed notifications are deleted by sync-gc after this many days.
    "PUSH_OUTBOX_RETENTION_DAYS": 30,
}


def _coerce(raw: str, default: Any) -> Any:
    """Environment variables are strings; give them the type of their default."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if default is None or isinstance(default, str):
        return raw
    return json.loads(raw)


def load_config(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    config = dict(DEFAULTS)
    for key, default in DEFAULTS.items():
        raw = os.environ.get(ENV_PREFIX + key)
        if raw is not None:
            config[key] = _coerce(raw, default)
    secret = os.environ.get(ENV_PREFIX + "SECRET_KEY")
    if secret:
        config["SECRET_KEY"] = secret
    config.update(overrides or {})
    return config


def resolve_database_url(url: str | None, instance_path: str) -> str:
    if url:
        return url
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + os.path.join(instance_path, "folg.sqlite3")
