"""Domain errors. Services raise these; ``server/api/errors.py`` turns them into HTTP.

FolgError                  base; ``code`` is the stable string clients see
├── InvalidInput           invalid_input: ``fields`` says which field and why
├── NotAuthenticated       unauthenticated: no token, or an expired or revoked one
├── Forbidden              forbidden: your role or units do not allow it
├── NotFound               not_found (also for rows you may not see: ids are not oracles)
├── InvalidState           invalid_state: e.g. approving a plan that is not submitted
├── RateLimited            rate_limited
├── TooLarge               too_large: a batch or page past its limit
└── UpgradeRequired        upgrade_required: the client's schema version is too old
"""

from __future__ import annotations

from typing import Any


class FolgError(Exception):
    code = "error"

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None, **extra: Any):
        super().__init__(message)
        self.message = message
        self.fields = fields
        self.extra = extra


class InvalidInput(FolgError):
    code = "invalid_input"


class NotAuthenticated(FolgError):
    code = "unauthenticated"


class Forbidden(FolgError):
    code = "forbidden"


class NotFound(FolgError):
    code = "not_found"


class InvalidState(FolgError):
    code = "invalid_state"


class RateLimited(FolgError):
    code = "rate_limited"


class TooLarge(FolgError):
    code = "too_large"


class UpgradeRequired(FolgError):
    code = "upgrade_required"


def field_error(field: str, reason: str) -> InvalidInput:
    return InvalidInput(f"{field}: {reason}", fields={field: [reason]})
