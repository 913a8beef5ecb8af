"""The one place that reads the time, so tests can pin it."""

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
