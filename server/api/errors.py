"""One error envelope for every failure:

    {"error": "<code>", "message": "<plain words>", "fields": {"<field>": ["<reason>", ...]}}

``fields`` appears only for input errors. The codes and their HTTP statuses are one list,
``sync/errors.py``; domain errors carry theirs, and what the framework raises itself (an
unknown route, a wrong method, a body that is not JSON) is answered with the code of its status.
"""

from __future__ import annotations

import logging
import traceback
from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from server.i18n import _, _l, localize_reasons
from server.services import errors
from sync.errors import ErrorCode, envelope

log = logging.getLogger(__name__)

# What webargs reports for a body that does not parse as JSON.
INVALID_JSON = {"json": ["Invalid JSON body."]}

WEBARGS_LOCATIONS = {"json", "query", "path", "headers", "form", "files"}

# What the framework says for the statuses it raises itself (an unknown route, a wrong
# method, a body too large), in place of werkzeug's English descriptions.
FRAMEWORK_MESSAGES = {
    ErrorCode.BAD_REQUEST: _l("The request is not one the server can read."),
    ErrorCode.UNAUTHENTICATED: _l("Log in first."),
    ErrorCode.FORBIDDEN: _l("You may not do this."),
    ErrorCode.NOT_FOUND: _l("There is nothing at this address."),
    ErrorCode.METHOD_NOT_ALLOWED: _l("This address does not take this method."),
    ErrorCode.INVALID_STATE: _l("This cannot be done now."),
    ErrorCode.TOO_LARGE: _l("The request is too large."),
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: _l("The server does not take this kind of content here."),
    ErrorCode.INVALID_INPUT: _l("The request has invalid fields."),
    ErrorCode.RATE_LIMITED: _l("Too many requests; wait a moment."),
    ErrorCode.INTERNAL_ERROR: _l("Something went wrong on the server."),
}


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
        response = jsonify(error.envelope())
        if error.extra.get("retry_after_seconds") is not None:
            response.headers["Retry-After"] = str(error.extra["retry_after_seconds"])
        return response, error.status

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        code = ErrorCode.for_status(error.code or 500)
        fields = None
        message = str(FRAMEWORK_MESSAGES.get(code, error.description or error.name))
        data = getattr(error, "data", None)  # webargs puts validation messages here
        if data and "messages" in data:
            if data["messages"] == INVALID_JSON:
                # Not JSON at all is a malformed request (400), not an invalid field (422).
                code, message = ErrorCode.BAD_REQUEST, _("The body is not valid JSON.")
                return jsonify(envelope(code, message)), code.status
            fields = _flatten_webargs(localize_reasons(data["messages"]))
            code = ErrorCode.INVALID_INPUT
            message = _(
                "The request has invalid fields: %(fields)s", fields=", ".join(sorted(fields))
            )
        return jsonify(envelope(code, message, fields)), code.status

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        # Log the type only: the exception text may quote user input (personal data).
        log.error(
            "unexpected error %s\n%s",
            type(error).__name__,
            "".join(traceback.format_tb(error.__traceback__)),
        )
        code = ErrorCode.INTERNAL_ERROR
        message = _("Something went wrong on the server.")
        return jsonify(envelope(code, message)), code.status
