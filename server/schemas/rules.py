"""The checks of a write schema as data a device can run (``sync/rules.json``).

Read off the marshmallow fields and their validators, never written by hand: a field gives its
``type``, ``required`` (on create), ``nullable``, and from its validators ``min_length`` /
``max_length`` (``min_items`` / ``max_items`` for a list), ``choices``, ``min`` / ``max`` and
``pattern`` (``trimmed``: matched once spaces at both ends are cut); ``xml_text`` where
``refuse_invalid_text`` runs, ``pseudonymous`` where a text may not hold a personnummer. The
schema's ``checks`` (``server/schemas/checks.py``) give the rules across fields. A validator
this module does not know makes ``describe_schema`` fail, so a new kind of check cannot be left
out of the device's rules unnoticed.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from server.schemas.common import refuse_invalid_text, refuse_unrepresentable_time

# Types in the order they are tested: a subclass before its parent.
FIELD_TYPES: tuple[tuple[type[fields.Field], str], ...] = (
    (fields.UUID, "uuid"),
    (fields.Date, "date"),
    (fields.DateTime, "datetime"),
    (fields.Boolean, "boolean"),
    (fields.Integer, "integer"),
    (fields.Number, "number"),
    (fields.String, "string"),
    (fields.List, "list"),
    (fields.Dict, "dict"),
    (fields.Nested, "dict"),
)

# Validators a device need not run: the server's own limits of what it can store, which no
# date a person types reaches.
SERVER_ONLY_VALIDATORS = (refuse_unrepresentable_time,)


class UndescribedValidator(Exception):
    """A field has a validator this module cannot describe."""


def field_type(field: fields.Field) -> str:
    for kind, name in FIELD_TYPES:
        if isinstance(field, kind):
            return name
    raise UndescribedValidator(f"No rule type for {type(field).__name__}.")


def describe_field(field: fields.Field) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "type": field_type(field),
        "required": bool(field.required),
        "nullable": bool(field.allow_none),
    }
    if isinstance(field, fields.AwareDateTime):
        rule["offset_required"] = True  # "2026-03-01T10:00:00+01:00", not a local time
    if getattr(field, "strict", False) and rule["type"] == "integer":
        rule["strict"] = True
    if getattr(field, "pseudonymous", False):
        rule["pseudonymous"] = True
    field_pattern = getattr(field, "pattern", None)
    if field_pattern is not None:  # a field that checks its whole (trimmed) text itself
        rule["pattern"] = f"^(?:{field_pattern.pattern})$"
        if getattr(field, "trimmed", False):
            rule["trimmed"] = True
    for validator in field.validators:
        rule.update(_describe_validator(validator, rule["type"]))
    if isinstance(field, fields.List):
        rule["items"] = describe_field(field.inner)
    if isinstance(field, fields.Nested):
        rule["fields"] = describe_schema(field.schema)["fields"]
    return rule


def _describe_validator(validator: Any, kind: str) -> dict[str, Any]:
    if validator in SERVER_ONLY_VALIDATORS:
        return {}
    if validator is refuse_invalid_text:
        return {"xml_text": True}
    if isinstance(validator, validate.Length):
        prefix = "items" if kind == "list" else "length"
        described = {}
        if validator.min is not None and validator.min > 0:
            described["min_items" if prefix == "items" else "min_length"] = validator.min
        if validator.max is not None:
            described["max_items" if prefix == "items" else "max_length"] = validator.max
        return described
    if isinstance(validator, validate.OneOf):
        return {"choices": list(validator.choices)}
    if isinstance(validator, validate.Range):
        described = {}
        if validator.min is not None:
            described["min"] = validator.min
        if validator.max is not None:
            described["max"] = validator.max
        return described
    if isinstance(validator, validate.Regexp):
        return {"pattern": validator.regex.pattern}
    pattern = getattr(validator, "pattern", None)
    if pattern is not None:  # a function that checks a whole string against its ``pattern``
        return {"pattern": f"^(?:{pattern.pattern})$"}
    raise UndescribedValidator(f"Cannot describe the validator {validator!r}.")


def describe_schema(schema: Schema, only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The rules of ``schema``'s loaded fields (``only`` those, if given) and its checks."""
    described_fields = {
        name: describe_field(field)
        for name, field in schema.load_fields.items()
        if only is None or name in only
    }
    checks = [check.describe() for check in getattr(schema, "checks", ())]
    return {"fields": described_fields, "checks": checks}
