"""A faster ``load`` for plain input schemas, with exactly marshmallow's results.

A push carries up to 500 mutations, and each new item is checked by the same write schema as
REST. Marshmallow's per-schema machinery (an error store, and a closure and a call for every
declared field, present or not) cost about half of a push's CPU time (bench/README.md).
``FastLoad`` does that part itself for a schema without hooks: it takes the present fields
and defaults in the schema's order and hands each value to the field's own conversion and
validators. Any error, and any option it does not handle, gives the input to marshmallow's
``load``, which then decides and says what is wrong. tests/server/test_fast_load.py holds
the two equal on random input.
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, ValidationError, fields, missing


class _Unsure(Exception):
    """Leave this input to marshmallow."""


# (input key, output key, field, whether the field loads nested schemas)
_Step = tuple[str, str, fields.Field, bool]


class FastLoad:
    """Mixin for a ``Schema``: ``load`` takes the fast path when it can."""

    def load(self, data: Any, *, many=None, partial=None, unknown=None):  # type: ignore[no-untyped-def]
        if many is None and unknown is None:
            loaded = self.fast_load(data, partial)
            if loaded is not None:
                return loaded
        return super().load(data, many=many, partial=partial, unknown=unknown)  # type: ignore[misc]

    def fast_load(self, data: Any, partial: Any = None) -> dict[str, Any] | None:
        """The loaded values, or None where marshmallow must decide."""
        schema: Any = self
        if partial is None:
            partial = schema.partial
        if schema.many or schema.unknown != RAISE or partial not in (None, False, True):
            return None
        try:
            return _load(schema, data, partial is True)
        except (_Unsure, ValidationError):
            return None


# The one hook the fast path runs itself: ``StrictSchema.run_checks``, the rules across fields.
CHECKS_HOOK = "run_checks"


def _load(schema: Any, data: Any, partial: bool) -> dict[str, Any]:
    steps, keys = _plan(schema)
    if type(data) is not dict or not data.keys() <= keys:
        raise _Unsure  # not an object, or unknown keys: marshmallow's error
    loaded: dict[str, Any] = {}
    for key, attr, field, nests in steps:
        if key in data:
            if partial and nests:
                raise _Unsure  # marshmallow hands ``partial`` down to the nested schema
            loaded[attr] = _value(field, data[key], key, data)
        elif partial:
            continue
        elif field.required:
            raise _Unsure
        elif field.load_default is not missing:
            default = field.load_default
            loaded[attr] = default() if callable(default) else default
    if getattr(schema, "checks", ()):
        schema.refuse_failed_checks(loaded, partial)
    return loaded


def _value(field: fields.Field, value: Any, key: str, data: dict[str, Any]) -> Any:
    """``Field.deserialize`` for a present value of a field without pre/post-load steps."""
    if value is None:
        if field.allow_none:
            return None
        raise _Unsure
    output = field._deserialize(value, key, data)
    field._validate(output)
    return output


def _plan(schema: Any) -> tuple[list[_Step], set[str]]:
    plan = schema.__dict__.get("_fast_plan", False)
    if plan is False:
        plan = schema._fast_plan = _compile(schema)
    if plan is None:
        raise _Unsure
    return plan


def _compile(schema: Any) -> tuple[list[_Step], set[str]] | None:
    """The steps of a load, or None for a schema marshmallow must always load itself."""
    hooks = {
        tag: [h for h in hooked if h[0] != CHECKS_HOOK] for tag, hooked in schema._hooks.items()
    }
    if any(hooks.values()):
        return None  # its own pre/post-load steps or validators
    steps: list[_Step] = []
    for attr, field in schema.load_fields.items():
        if not _plain(field) or (field.attribute and "." in field.attribute):
            return None
        key = field.data_key if field.data_key is not None else attr
        steps.append((key, field.attribute or attr, field, _nests(field)))
    return steps, {key for key, _, _, _ in steps}


def _plain(field: fields.Field) -> bool:
    """Whether ``_value`` does exactly what the field's own ``deserialize`` does."""
    return (
        type(field).deserialize is fields.Field.deserialize
        and not getattr(field, "pre_load", None)
        and not getattr(field, "post_load", None)
    )


def _nests(field: fields.Field) -> bool:
    if isinstance(field, fields.Nested):
        return True
    if isinstance(field, fields.List):
        return _nests(field.inner)
    if isinstance(field, fields.Dict):
        return any(_nests(f) for f in (field.key_field, field.value_field) if f is not None)
    return False
