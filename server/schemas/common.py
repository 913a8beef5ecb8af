"""Fields and base schemas shared by the API and the sync push.

Every string that enters through an input schema (``StrictSchema``: REST bodies and queries,
the sync envelope, each pushed row through its table's write schema, imports) must be text a
document can hold: ``refuse_invalid_text`` refuses what XML 1.0 cannot carry (control
characters but tab and line breaks, U+FFFE/U+FFFF) and what cannot be encoded at all (NUL,
which PostgreSQL refuses; lone surrogates, which UTF-8 cannot encode). One such character
stored would break the unit's Word exports for everyone, and a lone surrogate would fail a
database write with a 500.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates_schema

from server.i18n import _l
from server.schemas.checks import Check, check_problems
from server.schemas.fast import FastLoad


class HealthSchema(Schema):
    status = fields.String(required=True)
    database = fields.String(required=True)
    version = fields.String(required=True)


# Characters outside XML 1.0's Char production, which includes NUL and lone surrogates.
NOT_XML_TEXT = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
INVALID_TEXT_REASON = _l(
    "Contains a character text may not hold (a control character, U+FFFE/U+FFFF or a lone "
    "surrogate)."
)


def refuse_unrepresentable_time(value: Any) -> None:
    """A validator: an aware date-time must lie within the years UTC can write (1-9999);
    ``9999-12-31T23:59:59-10:00`` does not, and would fail where it is stored or compared."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            value.astimezone(UTC)
        except OverflowError:
            raise ValidationError(str(UNREPRESENTABLE_TIME_REASON)) from None


UNREPRESENTABLE_TIME_REASON = _l("Not a time that can be stored: out of range in UTC.")


def refuse_invalid_text(value: Any) -> None:
    """A validator: any string in ``value`` (keys and values of lists and objects too) must be
    XML text."""
    if isinstance(value, str):
        if NOT_XML_TEXT.search(value):
            raise ValidationError(str(INVALID_TEXT_REASON))
    elif isinstance(value, dict):
        for key, inner in value.items():
            refuse_invalid_text(key)
            refuse_invalid_text(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            refuse_invalid_text(inner)


class Text(fields.String):
    """Free text: bounded, and XML text (``refuse_invalid_text``)."""

    def __init__(self, max_length: int, min_length: int = 0, **kwargs):
        super().__init__(
            validate=[validate.Length(min=min_length, max=max_length), refuse_invalid_text],
            **kwargs,
        )


# The largest value an ``Integer`` column holds on PostgreSQL (SQLite's reach further); input
# past it must be refused by the schema, not by the database.
MAX_INT32 = 2**31 - 1
MAX_INT64 = 2**63 - 1


def counted(minimum: int = 1, maximum: int = MAX_INT32) -> validate.Range:
    """A whole number for an ``Integer`` column: a priority, a position."""
    return validate.Range(min=minimum, max=maximum)


def one_of(values: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(values, error="Must be one of: {choices}.")


# Metadata of a field whose contents another schema checks, such as a pushed row's ``fields``
# (checked per mutation by its table's write schema, so one bad row is rejected alone).
CHECKED_ELSEWHERE = {"checked_elsewhere": True}


class StrictSchema(FastLoad, Schema):
    """Input schemas refuse unknown fields (marshmallow's default, stated here on purpose),
    refuse strings that are not XML text in any field that takes them and date-times UTC
    cannot write, and load the fast way where they can (``server/schemas/fast.py``)."""

    class Meta:
        unknown = "raise"

    # The rules across this schema's fields (``server/schemas/checks.py``).
    checks: tuple[Check, ...] = ()

    @validates_schema(skip_on_field_errors=True)
    def run_checks(self, data: dict[str, Any], *, partial: Any = None, **kwargs: Any) -> None:
        # The fast path (``server/schemas/fast.py``) knows this hook and runs it itself.
        self.refuse_failed_checks(data, partial)

    def refuse_failed_checks(self, loaded: dict[str, Any], partial: Any) -> None:
        """Raise ``ValidationError`` by field for the checks ``loaded`` fails. A partial load
        (an update) runs only the checks whose fields were all sent: the others need the
        stored row, and the service runs them on it."""
        # A schema that excludes a field a check names (the import's plan header leaves out
        # its kind) cannot run that check: whoever loads the whole row runs it.
        checks = tuple(c for c in self.checks if all(f in self.fields for f in c.fields))
        if partial is True:
            checks = tuple(c for c in checks if all(f in loaded for f in c.fields))
        problems = check_problems(checks, loaded)
        if problems:
            raise ValidationError(problems)  # type: ignore[arg-type]

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        # A validator on the field itself, so the fast path and marshmallow's run it alike.
        # A nested schema checks its own fields.
        takes_text = isinstance(field_obj, fields.String | fields.Raw | fields.Dict | fields.List)
        if (
            takes_text
            and not _nests(field_obj)
            and not field_obj.metadata.get("checked_elsewhere")
            and refuse_invalid_text not in field_obj.validators
        ):
            field_obj.validators.append(refuse_invalid_text)
        if (
            isinstance(field_obj, fields.DateTime)
            and refuse_unrepresentable_time not in field_obj.validators
        ):
            field_obj.validators.append(refuse_unrepresentable_time)


def _nests(field: fields.Field) -> bool:
    if isinstance(field, fields.List):
        return _nests(field.inner)
    return isinstance(field, fields.Nested)


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
