"""The one place request bodies are parsed as JSON, with limits on their shape.

The standard ``json`` module recurses once per level of nesting and turns digits into ``int``
without bound, so a body nested a few thousand levels deep answers ``RecursionError`` and a
5,000-digit number ``ValueError`` (Python's cap on converting long digit strings): 500s,
before any schema has seen the input. No request of ours nests more than a handful of levels
(a push: body, mutations, a mutation, its fields, a list of responsible people, one of them)
or needs a number longer than a 64-bit id, so both are refused here for every JSON body:

    nesting deeper than MAX_DEPTH      422 invalid_input, fields {"_body": [...]}
    a number of more than MAX_DIGITS   422 invalid_input, fields {"_body": [...]}

Every route parses its body through ``Blueprint.arguments`` (flask-smorest, then webargs);
this module's ``Blueprint`` gives them ``JsonLimitsParser``. The depth is counted on the
parsed value, only when the body has enough brackets to be that deep: a 500-mutation push
costs the walk about a millisecond, a tenth of parsing it.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import flask_smorest
import marshmallow as ma
from webargs.flaskparser import FlaskParser, is_json_request

from server.i18n import _l
from server.services.errors import InvalidInput

MAX_DEPTH = 32
MAX_DIGITS = 40

TOO_DEEP = _l("JSON may nest at most %(depth)s levels deep.", depth=MAX_DEPTH)
TOO_LONG = _l("A number may have at most %(digits)s digits.", digits=MAX_DIGITS)


class _NumberTooLong(ValueError):
    pass


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _NumberTooLong
    return int(digits)


def parse_json_body(body: bytes | str) -> Any:
    """``json.loads`` that refuses too deep a nesting and too long a number with
    ``InvalidInput``; malformed JSON raises ``json.JSONDecodeError`` as before."""
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    try:
        value = json.loads(text, parse_int=_bounded_int)
    except RecursionError:
        raise InvalidInput(TOO_DEEP, fields={"_body": [TOO_DEEP]}) from None
    except _NumberTooLong:
        raise InvalidInput(TOO_LONG, fields={"_body": [TOO_LONG]}) from None
    deep_enough = text.count("[") + text.count("{") > MAX_DEPTH
    if deep_enough and isinstance(value, dict | list) and _nests_deeper(value, MAX_DEPTH):
        raise InvalidInput(TOO_DEEP, fields={"_body": [TOO_DEEP]})
    return value


def _nests_deeper(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        found, depth = stack.pop()
        inner = found.values() if isinstance(found, dict) else found
        for item in inner:
            if isinstance(item, dict | list):
                if depth + 1 > limit:
                    return True
                stack.append((item, depth + 1))
    return False


class JsonLimitsParser(FlaskParser):
    def _get_schema(self, argmap, req):  # type: ignore[no-untyped-def]
        # A schema class (``blp.arguments(ItemUpdateSchema)``) is made into an instance once,
        # not on every request as webargs does: building one cost a PATCH more than its SQL.
        # A schema holds no request state: its load is safe to share between threads.
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            return _schema_of(argmap)
        return super()._get_schema(argmap, req)

    def _raw_load_json(self, req):  # type: ignore[no-untyped-def]
        if not is_json_request(req):
            return super()._raw_load_json(req)
        try:
            return parse_json_body(req.get_data(cache=True))
        except UnicodeDecodeError as error:  # as webargs' own parse: a 400 bad_request
            raise json.JSONDecodeError(f"Bytes decoding error : {error.reason}", "", 0) from None


@functools.cache
def _schema_of(schema_class: type[ma.Schema]) -> ma.Schema:
    return schema_class()


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint, parsing JSON bodies with ``JsonLimitsParser``."""

    ARGUMENTS_PARSER = JsonLimitsParser()
