"""One error envelope for every failure:

    {"error": "<code>", "message": "<plain words>", "fields": {"<field>": ["<reason>", ...]}}

``fields`` appears only for input errors. Codes are listed in ``server/services/errors.py``.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from server.services import errors

log = logging.getLogger(__name__)

STATUS_BY_CODE = {
    errors.InvalidInput.code: 422,
    errors.NotAuthenticated.code: 401,
    errors.Forbidden.code: 403,
    errors.NotFound.code: 404,
    errors.InvalidState.code: 409,
    errors.RateLimited.code: 429,
    errors.TooLarge.code: 413,
    errors.UpgradeRequired.code: 426,
}

CODE_BY_HTTP_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "invalid_state",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
}


def envelope(code: str, message: str, fields: Any = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"error": code, "message": message}
    if fields:
        body["fields"] = fields
    body.update(extra)
    return body


WEBARGS_LOCATIONS = {"json", "query", "path", "headers", "form", "files"}


def _flatten_webargs(messages: Any) -> dict[str, list[str]]:
    """webargs nests messages by location ({"json": {"field": [...]}}); clients want fields."""
    fields: dict[str, list[str]] = {}
    if not isinstance(messages, dict):
        return {"_body": [str(messages)]}
    for location_or_field, value in messages.items():
        if location_or_field in {
            "json",
            "query",
            "path",
            "headers",
            "form",
            "files",
        } and isinstance(value, dict):
            for field, reasons in value.items():
                fields[str(field)] = _as_list(reasons)
        else:
            fields[str(location_or_field)] = _as_list(value)
    return fields


def _as_list(reasons: Any) -> list[str]:
    if isinstance(reasons, list):
        return [r if isinstance(r, str) else str(r) for r in reasons]
    if isinstance(reasons, dict):
        # A nested schema: keep the structure readable in one string per sub-field.
        return [f"{k}: {', '.join(_as_list(v))}" for k, v in reasons.items()]
    return [str(reasons)]


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(errors.FolgError)
    def handle_domain_error(error: errors.FolgError):
        status = STATUS_BY_CODE.get(error.code, 400)
        response = jsonify(envelope(error.code, error.message, error.fields, **error.extra))
        if error.extra.get("retry_after_seconds") is not None:
            response.headers["Retry-After"] = str(error.extra["retry_after_seconds"])
        return response, status

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        code = CODE_BY_HTTP_STATUS.get(status, "error")
        fields = None
        message = error.description or error.name
        data = getattr(error, "data", None)  # webargs puts validation messages here
        if data and "messages" in data:
            fields = _flatten_webargs(data["messages"])
            code, status = "invalid_input", 422
            message = "The request has invalid fields: " + ", ".join(sorted(fields))
        return jsonify(envelope(code, message, fields)), status

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        # Log the type only: the exception text may quote user input (personal data).
        log.error(
            "unexpected error %s\n%s",
            type(error).__name__,
            "".join(traceback.format_tb(error.__traceback__)),
        )
        return jsonify(envelope("internal_error", "Something went wrong on the server.")), 500
