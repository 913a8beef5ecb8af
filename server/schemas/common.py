"""Fields and base schemas shared by the API and the sync push."""

from __future__ import annotations

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate

from server.schemas.fast import FastLoad


class HealthSchema(Schema):
    status = fields.String(required=True)
    database = fields.String(required=True)
    version = fields.String(required=True)


class Text(fields.String):
    """Free text: bounded, and without NUL characters (PostgreSQL refuses them in text)."""

    def __init__(self, max_length: int, min_length: int = 0, **kwargs):
        super().__init__(validate=validate.Length(min=min_length, max=max_length), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("Text may not contain NUL characters.")
        return text


# The largest value an ``Integer`` column holds on PostgreSQL (SQLite's reach further); input
# past it must be refused by the schema, not by the database.
MAX_INT32 = 2**31 - 1
MAX_INT64 = 2**63 - 1


def counted(minimum: int = 1, maximum: int = MAX_INT32) -> validate.Range:
    """A whole number for an ``Integer`` column: a priority, a position."""
    return validate.Range(min=minimum, max=maximum)


def one_of(values: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(values, error="Must be one of: {choices}.")


class StrictSchema(FastLoad, Schema):
    """Input schemas refuse unknown fields (marshmallow's default, stated here on purpose),
    and load the fast way where they can (``server/schemas/fast.py``)."""

    class Meta:
        unknown = "raise"


class ErrorSchema(Schema):
    """The one error envelope (see ``server/api/errors.py``); some codes add keys, such as
    ``retry_after_seconds``."""

    class Meta:
        unknown = INCLUDE

    error = fields.String(required=True)
    message = fields.String(required=True)
    # Named apart from Schema.fields, which marshmallow uses itself; "fields" on the wire.
    field_reasons = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), data_key="fields"
    )
