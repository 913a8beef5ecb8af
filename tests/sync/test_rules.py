"""sync/rules.json, the checks a device runs before it says "saved", is generated from the write
schemas (server/schemas/rules.py) and agrees with them: values the rules call invalid are
refused by the schema with an error on the same field, values they call valid pass it.

The cases are generated from the rules themselves (bounds and one past them, each choice and
one that is not, the wrong type, null), so a new field or validator is covered as it appears.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from marshmallow import ValidationError

from server.schemas.checks import DateOrder, OnlyWhen, RequiredWhen
from server.schemas.rules import UndescribedValidator, describe_field
from server.services.tables import RULES_JSON, WRITABLE, describe_rules, rules_json

RULES = describe_rules()["tables"]
CASES = [(table, name) for table, rules in RULES.items() for name in rules["fields"]]


def errors_of(table: str, values: dict[str, Any], partial: bool = True) -> dict[str, Any]:
    try:
        WRITABLE[table].schema.load(values, partial=partial)
    except ValidationError as error:
        return error.normalized_messages()
    return {}


def valid_value(rule: dict[str, Any]) -> Any:
    """One value ``rule`` calls valid."""
    kind = rule["type"]
    if "choices" in rule:
        return rule["choices"][0]
    if "pattern" in rule:
        return next(s for s in PATTERN_SAMPLES if re.fullmatch(rule["pattern"], s))
    if kind == "string":
        return "a" * max(rule.get("min_length", 1), 1)
    if kind == "integer":
        return rule.get("min", 1)
    if kind == "number":
        return rule.get("min", 1.5)
    if kind == "list" and rule.get("min_items"):
        return [valid_item(rule)] * rule["min_items"]
    return {
        "boolean": True,
        "date": "2026-03-01",
        "datetime": "2026-03-01T10:00:00+01:00",
        "uuid": str(uuid.uuid4()),
        "list": [],
        "dict": {},
    }[kind]


def valid_item(rule: dict[str, Any]) -> Any:
    """One entry a list of ``rule`` takes (a nested entry: its required fields, or else its
    first text field given alone)."""
    items = rule["items"]
    if "fields" in items:
        required = {n: valid_value(r) for n, r in items["fields"].items() if r["required"]}
        if required:
            return required
        name = next(n for n, r in items["fields"].items() if r["type"] == "string")
        return {name: valid_value(items["fields"][name])}
    return valid_value(items)


# Strings to hold patterns against; each pattern of the rules must match one of them.
PATTERN_SAMPLES = (
    *("BJ-2026-014", "Anna Berg", "2026", "2026-T1", "2026-T4", "2026-03", "2026-13"),
    *("0" * 64, "A" * 64, "abc"),
)


def cases(rule: dict[str, Any]) -> Iterator[tuple[Any, bool]]:
    """(value, whether the rule calls it valid) for one field."""
    kind = rule["type"]
    yield valid_value(rule), True
    yield None, rule["nullable"]
    if kind == "string":
        yield 12, False
        if "max_length" in rule and "pattern" not in rule and "choices" not in rule:
            yield "a" * rule["max_length"], True
            yield "a" * (rule["max_length"] + 1), False
        if rule.get("min_length"):
            yield "", False
        for choice in rule.get("choices", ()):
            yield choice, True
        if "choices" in rule:
            yield "not-one-of-them", False
        if "pattern" in rule:
            for sample in PATTERN_SAMPLES:
                yield sample, bool(re.fullmatch(rule["pattern"], sample))
        if rule.get("xml_text") and "choices" not in rule and "pattern" not in rule:
            yield "a\x01b", False
        if rule.get("pseudonymous"):
            yield "Ring 19121212-1212", False
    elif kind in ("integer", "number"):
        yield "x", False
        for bound, step in (("min", -1), ("max", 1)):
            if bound in rule:
                yield rule[bound], True
                yield rule[bound] + step, False
        if rule.get("strict"):
            yield 1.5, False
    elif kind == "boolean":
        yield False, True
        yield "maybe", False
    elif kind in ("date", "datetime"):
        yield "2026-13-01", False
        if rule.get("offset_required"):
            yield "2026-03-01T10:00:00", False
    elif kind == "uuid":
        yield "not-an-id", False
    elif kind == "list":
        yield "x", False
        if "max_items" in rule:
            yield [valid_item(rule)] * rule["max_items"], True
            yield [valid_item(rule)] * (rule["max_items"] + 1), False
    elif kind == "dict":
        yield "x", False


def test_the_generated_rules_are_current():
    assert RULES_JSON.read_text(encoding="utf-8") == rules_json(), (
        "sync/rules.json is out of date: run `make tables` and commit it"
    )


def test_every_writable_table_has_rules_for_each_field_a_client_sends():
    assert set(RULES) == set(WRITABLE)
    for name, table in WRITABLE.items():
        assert list(RULES[name]["fields"]) == [
            f for f in table.schema.load_fields if f in table.client_fields
        ]


@pytest.mark.parametrize(("table", "name"), CASES, ids=[f"{t}.{n}" for t, n in CASES])
def test_each_field_rule_agrees_with_the_schema(table, name):
    rule = RULES[table]["fields"][name]
    for value, valid in cases(rule):
        errors = errors_of(table, {name: value})
        assert (name not in errors) == valid, (value, valid, errors)


@pytest.mark.parametrize("table", list(RULES))
def test_required_means_required_on_create(table):
    fields = RULES[table]["fields"]
    required = {n: valid_value(r) for n, r in fields.items() if r["required"]}
    assert not set(errors_of(table, required, partial=False)) & set(required)
    for name in required:
        missing = {n: v for n, v in required.items() if n != name}
        assert name in errors_of(table, missing, partial=False)
    # A field a check may require (a påbud's deadline) is tested with the checks.
    checked = {c["field"] for c in RULES[table]["checks"]}
    for name in set(fields) - set(required) - checked:
        assert name not in errors_of(table, required, partial=False)


def check_cases(check: dict[str, Any], fields: dict[str, Any]) -> Iterator[tuple[dict, bool]]:
    """(values of the check's fields, whether the check passes them)."""
    if check["rule"] == "date_order":
        earlier, later = check["fields"]
        yield {earlier: "2026-03-02", later: "2026-03-01"}, False
        yield {earlier: "2026-03-01", later: "2026-03-01"}, True
        yield {earlier: "2026-03-01", later: "2026-03-02"}, True
        yield {earlier: None, later: "2026-03-01"}, True
        return
    field, other = check["field"], check["when"]
    value = valid_value(fields[field])
    allowed = check.get("in") or [valid_value(fields[other])]
    outside = [c for c in fields[other].get("choices", ()) if c not in allowed]
    absent = [None] if fields[other]["nullable"] else outside[:1]
    for other_value in allowed:
        yield {field: value, other: other_value}, True
        yield {field: None, other: other_value}, check["rule"] == "only_when"
    for other_value in absent:
        yield {field: value, other: other_value}, check["rule"] == "required_when"
        yield {field: None, other: other_value}, True


CHECKS = [(t, i) for t, rules in RULES.items() for i in range(len(rules["checks"]))]


@pytest.mark.parametrize(("table", "index"), CHECKS, ids=[f"{t}.{i}" for t, i in CHECKS])
def test_each_check_agrees_with_the_schema(table, index):
    check = RULES[table]["checks"][index]
    assert check["field"] in check["fields"]
    for values, passes in check_cases(check, RULES[table]["fields"]):
        errors = errors_of(table, values)
        assert (check["field"] not in errors) == passes, (values, passes, errors)


def test_the_checks_are_the_schemas_own_objects():
    # One description: the export reads the objects the schema and the services run.
    for name, table in WRITABLE.items():
        checks = getattr(table.schema, "checks", ())
        assert all(isinstance(c, DateOrder | OnlyWhen | RequiredWhen) for c in checks)
        assert RULES[name]["checks"] == [c.describe() for c in checks]


def test_a_validator_the_export_cannot_describe_fails_loudly():
    from marshmallow import fields

    with pytest.raises(UndescribedValidator):
        describe_field(fields.String(validate=lambda v: None))


def test_the_rules_are_json_a_device_reads():
    described = json.loads(rules_json())
    goal = described["tables"]["plan_items"]["fields"]["goal"]
    assert goal == {
        "type": "string",
        "required": False,
        "nullable": True,
        "max_length": 10000,
        "xml_text": True,
    }
    assert described["tables"]["plan_items"]["checks"][0]["field"] == "end_date"
