"""Domain errors. Services raise these; ``server/api/errors.py`` turns them into HTTP.

FolgError                  base; ``code`` is the stable ``ErrorCode`` clients see
├── InvalidInput           invalid_input: ``fields`` says which field and why
├── NotAuthenticated       unauthenticated: no token, or an expired or revoked one
├── Forbidden              forbidden: your role or units do not allow it
├── NotFound               not_found (also for rows you may not see: ids are not oracles)
├── InvalidState           invalid_state: e.g. approving a plan that is not submitted
├── RateLimited            rate_limited
├── TooLarge               too_large: a batch or page past its limit
├── UpgradeRequired        upgrade_required: the client's schema version is too old
├── ResetRequired          reset_required: the sync cursor cannot be continued
└── MutationGap            mutation_gap: a push skipped a mutation id

The codes, their HTTP statuses and meanings are one list, ``sync/errors.py`` (shared with the
clients); the envelope they are answered in is built there too.
"""

from __future__ import annotations

from typing import Any

from server.i18n import localize_reasons
from sync.errors import ErrorCode, envelope


class FolgError(Exception):
    code: ErrorCode = ErrorCode.INTERNAL_ERROR

    # ``message`` and the reasons in ``fields`` may be lazy strings (server/i18n.py): they are
    # made text when raised, in the language of the request or command raising them.
    def __init__(self, message: Any, fields: dict[str, list[Any]] | None = None, **extra: Any):
        super().__init__(str(message))
        self.message = str(message)
        self.fields = _as_text(fields)
        self.extra = extra

    @property
    def status(self) -> int:
        return self.code.status

    def envelope(self) -> dict[str, Any]:
        return envelope(self.code, self.message, localize_reasons(self.fields), **self.extra)


def _as_text(reasons: Any) -> Any:
    if isinstance(reasons, dict):
        return {key: _as_text(value) for key, value in reasons.items()}
    if isinstance(reasons, list | tuple):
        return [_as_text(value) for value in reasons]
    return reasons if reasons is None or isinstance(reasons, str | int) else str(reasons)


class InvalidInput(FolgError):
    code = ErrorCode.INVALID_INPUT


class NotAuthenticated(FolgError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(FolgError):
    code = ErrorCode.FORBIDDEN


class NotFound(FolgError):
    code = ErrorCode.NOT_FOUND


class InvalidState(FolgError):
    code = ErrorCode.INVALID_STATE


class RateLimited(FolgError):
    code = ErrorCode.RATE_LIMITED


class TooLarge(FolgError):
    code = ErrorCode.TOO_LARGE


class UpgradeRequired(FolgError):
    code = ErrorCode.UPGRADE_REQUIRED


class ResetRequired(FolgError):
    code = ErrorCode.RESET_REQUIRED


class MutationGap(FolgError):
    code = ErrorCode.MUTATION_GAP


def field_error(field: str, reason: Any) -> InvalidInput:
    return InvalidInput(f"{field}: {reason}", fields={field: [reason]})
