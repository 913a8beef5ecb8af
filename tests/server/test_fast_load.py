"""The fast load of input schemas (server/schemas/fast.py) gives exactly marshmallow's result.

Random input, for every input schema: wherever the fast path answers, marshmallow's own load
answers the same, and where marshmallow refuses, the fast path leaves it to marshmallow.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError

from server.schemas import plans, quality, sync, visits
from server.schemas.common import StrictSchema
from server.schemas.fast import CHECKS_HOOK, FastLoad


def input_schemas() -> list[type[StrictSchema]]:
    found: dict[str, type[StrictSchema]] = {}
    for module in (plans, quality, sync, visits):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, StrictSchema):
                found[f"{value.__module__}.{value.__name__}"] = value
    return [found[name] for name in sorted(found)]


SCHEMAS = input_schemas()

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.text(min_size=4001, max_size=4002),
    st.just("a\x00b"),
    st.uuids().map(str),
    st.dates().map(datetime.date.isoformat),
    st.datetimes(timezones=st.just(datetime.UTC)).map(datetime.datetime.isoformat),
    st.sampled_from(["not_started", "done", "upsert", "delete", "plan_items", "", "x"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)


def marshmallow_load(schema: Schema, data, partial):
    try:
        return "loaded", Schema.load(schema, data, partial=partial)
    except ValidationError as error:
        return "refused", error.normalized_messages()


@st.composite
def inputs(draw, schema: Schema):
    """Mostly input that nearly passes (every required key, values of the expected type,
    now and then a null or an unknown key), otherwise anything."""
    fields = {f.data_key or name: f for name, f in schema.load_fields.items()}
    optional = sorted(key for key, field in fields.items() if not field.required)
    if draw(st.integers(0, 3)) == 0:
        chosen = draw(st.lists(st.sampled_from(sorted(fields)), unique=True)) if fields else []
        return {key: draw(values) for key in chosen}
    chosen = [key for key, field in fields.items() if field.required]
    chosen += draw(st.lists(st.sampled_from(optional), unique=True)) if optional else []
    data = {
        key: None if draw(st.integers(0, 7)) == 0 else draw(typical(fields[key])) for key in chosen
    }
    if draw(st.integers(0, 9)) == 0:
        data[draw(st.text(max_size=8))] = draw(scalars)
    return data


def typical(field):
    """Values of the type the field expects, mostly within its validators' bounds."""
    from marshmallow import fields, validate

    bounds = {type(v): v for v in field.validators}
    if validate.OneOf in bounds:
        return st.sampled_from(sorted(bounds[validate.OneOf].choices))
    if isinstance(field, fields.Nested):
        return inputs(field.schema)
    if isinstance(field, fields.List):
        return st.lists(typical(field.inner), max_size=3)
    if isinstance(field, fields.UUID):
        return st.uuids().map(str)
    if isinstance(field, fields.Integer):
        low = bounds[validate.Range].min if validate.Range in bounds else None
        return st.integers(min_value=low if low is not None else -5, max_value=2**40)
    if isinstance(field, fields.Boolean):
        return st.booleans()
    if isinstance(field, fields.Date):
        return st.dates().map(datetime.date.isoformat)
    if isinstance(field, fields.DateTime):
        return st.datetimes(timezones=st.just(datetime.UTC)).map(datetime.datetime.isoformat)
    if isinstance(field, fields.Dict):
        return st.dictionaries(st.text(max_size=5), scalars, max_size=3)
    length = bounds.get(validate.Length)
    low = length.min if length is not None and length.min is not None else 0
    return st.text(min_size=low, max_size=max(low, 40))


@pytest.mark.parametrize("schema_class", SCHEMAS, ids=lambda s: s.__name__)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), partial=st.sampled_from([None, True]))
def test_the_fast_path_answers_only_what_marshmallow_answers(schema_class, data, partial):
    schema = schema_class()
    given_input = data.draw(inputs(schema))
    fast = schema.fast_load(given_input, partial)
    if fast is not None:
        assert marshmallow_load(schema, given_input, partial) == ("loaded", fast)
    # And through ``load`` itself, whichever path it takes:
    try:
        result = ("loaded", schema.load(given_input, partial=partial))
    except ValidationError as error:
        result = ("refused", error.normalized_messages())
    assert result == marshmallow_load(schema, given_input, partial)


def test_a_pushed_item_and_its_envelope_take_the_fast_path():
    """Without this, a change that quietly sends every push back to marshmallow's slower
    path would pass unnoticed (the benchmark's W1 depends on it)."""
    item = {
        "plan_id": str(uuid.uuid4()),
        "priority": 3,
        "goal": "Beboerne kender deres handleplan",
        "start_date": "2026-03-01",
        "responsible": [{"name": "Kontaktperson"}],
    }
    loaded = plans.ItemWriteSchema().fast_load(item)
    assert loaded == Schema.load(plans.ItemWriteSchema(), item)
    mutation = {"mutation_id": 1, "table": "plan_items", "id": str(uuid.uuid4())}
    envelope = {
        "client_id": "device-1",
        "schema_version": 1,
        "mutations": [{**mutation, "op": "upsert", "fields": item}],
    }
    assert sync.PushRequestSchema().fast_load(envelope) is not None
    assert isinstance(sync.PushRequestSchema(), FastLoad)


def test_schemas_with_their_own_checks_stay_on_marshmallows_path():
    # Such as ResponsibleSchema (@validates_schema): the fast path must not skip those checks.
    # (The declared ``checks`` of StrictSchema.run_checks it runs itself.)
    with_hooks = [
        s
        for s in SCHEMAS
        if any(h[0] != CHECKS_HOOK for hooked in s()._hooks.values() for h in hooked)
    ]
    assert with_hooks, "expected at least one input schema with its own validators"
    for schema_class in with_hooks:
        assert schema_class().fast_load({}) is None
