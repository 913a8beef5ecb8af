"""Every error code a client may meet, with its HTTP status and what it means: one list.

The server answers every failure with one envelope, over HTTP and inside a push's results::

    {"error": "<code>", "message": "<for people>", "fields": {"<field>": ["<reason>"]}, ...}

``error`` is one of the codes below and never changes; clients act on it. ``message`` and the
reasons in ``fields`` are for people. Some codes add keys (``retry_after_seconds``,
``max_mutations``, ``min_schema_version``). A push answers per mutation: a rejected mutation's
``error`` is the same envelope, with the status it would have had as a request.

Plain Python, shared by the server (``server/services/errors.py`` raises them,
``server/api/errors.py`` answers them), the reference client and ``docs/api.md``, whose table
a test holds equal to this one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    status: int
    description: str

    def __new__(cls, code: str, status: int, description: str) -> ErrorCode:
        member = str.__new__(cls, code)
        member._value_ = code
        member.status = status
        member.description = description
        return member

    BAD_REQUEST = (
        "bad_request",
        400,
        "the body is not valid JSON, or not UTF-8",
    )
    UNAUTHENTICATED = (
        "unauthenticated",
        401,
        "no token, or an expired or revoked one: log in again",
    )
    FORBIDDEN = ("forbidden", 403, "your role in this unit does not allow it")
    NOT_FOUND = ("not_found", 404, "no such row, or not one you may see")
    METHOD_NOT_ALLOWED = (
        "method_not_allowed",
        405,
        "e.g. editing a progress note, which is append-only",
    )
    INVALID_STATE = (
        "invalid_state",
        409,
        "the lifecycle does not allow it (approving a draft, editing an archived plan, "
        "reusing an id)",
    )
    MUTATION_GAP = (
        "mutation_gap",
        409,
        "a push skipped a mutation id: send the missing ones first",
    )
    RESET_REQUIRED = (
        "reset_required",
        410,
        "the sync cursor is older than the tombstone retention, or from before a restore: "
        "pull again from the start",
    )
    TOO_LARGE = (
        "too_large",
        413,
        "the body is over `FOLG_MAX_CONTENT_LENGTH` (4 MB), a push over its byte or mutation "
        "limit, or a Word file over 5 MB",
    )
    UNSUPPORTED_MEDIA_TYPE = (
        "unsupported_media_type",
        415,
        "an upload of a kind the endpoint does not take",
    )
    INVALID_INPUT = (
        "invalid_input",
        422,
        "a field is missing, of the wrong type, too long, unknown, or breaks a rule (see `fields`)",
    )
    UPGRADE_REQUIRED = (
        "upgrade_required",
        426,
        "the client's sync schema version is too old: update the app",
    )
    RATE_LIMITED = ("rate_limited", 429, "too many attempts: wait `retry_after_seconds`")
    INTERNAL_ERROR = (
        "internal_error",
        500,
        "a bug; the server log has the traceback (never the request's data)",
    )

    @classmethod
    def for_status(cls, status: int) -> ErrorCode:
        """The code of an HTTP status the framework raised itself (a 404 route, a 405)."""
        for code in cls:
            if code.status == status:
                return code
        return cls.BAD_REQUEST if status < 500 else cls.INTERNAL_ERROR


def envelope(code: str, message: str, fields: Any = None, **extra: Any) -> dict[str, Any]:
    """The one error shape (see the module docstring)."""
    body: dict[str, Any] = {"error": str(code), "message": message}
    if fields:
        body["fields"] = fields
    body.update(extra)
    return body
