"""Hostile input answers a 4xx envelope naming what is wrong, never a 500, and stores nothing
(issue 22, finding 6b), on both databases: deep JSON, long numbers, date-times UTC cannot
write, a CSV field past the csv module's limit, a period in non-ASCII digits."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.api.json_body import MAX_DEPTH, JsonLimitsParser
from server.extensions import db
from server.models import MeasureValue, Plan, ProgressNote, SyncClient
from sync.protocol import SCHEMA_VERSION
from tests.helpers import assert_error, login
from tests.server.test_quality_measures import make_measure, org  # noqa: F401  (a fixture)


@pytest.fixture
def unit(factory):
    return factory.unit()


@pytest.fixture
def manager(factory, unit):
    return factory.user(("manager", unit))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def post_raw(client, path, body: str, headers=None):
    return client.post(path, data=body, content_type="application/json", headers=headers or {})


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5000])
def test_deeply_nested_json_is_refused_even_at_login(client, manager, depth):
    body = f'{{"email": "{manager.email}", "password": {nested(depth)}}}'
    assert_error(post_raw(client, "/api/auth/login", body), 422, "invalid_input", "_body")


def test_deeply_nested_json_in_a_plan_or_a_push_is_refused_and_stores_nothing(
    client, manager, unit
):
    headers = login(client, manager)
    plan = f'{{"unit_id": "{unit.id}", "kind": "dk_tilbud", "title": {nested(4000)}}}'
    assert_error(post_raw(client, "/api/plans", plan, headers), 422, "invalid_input", "_body")
    push = (
        f'{{"client_id": "tablet", "schema_version": {SCHEMA_VERSION}, "mutations": '
        f'[{{"mutation_id": 1, "table": "plans", "id": "{unit.id}", "op": "upsert", '
        f'"fields": {{"title": {nested(3000)}}}}}]}}'
    )
    assert_error(post_raw(client, "/api/sync/push", push, headers), 422, "invalid_input", "_body")
    assert count(Plan) == count(SyncClient) == 0


def test_json_as_deep_as_allowed_reaches_the_schema(client, manager):
    body = f'{{"email": "{manager.email}", "password": {nested(MAX_DEPTH - 1)}}}'
    assert_error(post_raw(client, "/api/auth/login", body), 422, "invalid_input", "password")


def test_a_5000_digit_number_is_refused(client, manager, unit):
    headers = login(client, manager)
    body = f'{{"unit_id": "{unit.id}", "kind": "dk_tilbud", "title": "T", "x": {"9" * 5000}}}'
    assert_error(post_raw(client, "/api/plans", body, headers), 422, "invalid_input", "_body")
    push = f'{{"client_id": "t", "schema_version": 1, "mutations": [], "n": -{"1" * 5000}}}'
    assert_error(post_raw(client, "/api/sync/push", push, headers), 422, "invalid_input", "_body")
    assert count(Plan) == 0


def test_every_route_parses_json_with_the_limits(app):
    # A blueprint made with flask_smorest's own Blueprint would parse without them.
    for name, blueprint in app.blueprints.items():
        if hasattr(blueprint, "ARGUMENTS_PARSER"):
            assert isinstance(blueprint.ARGUMENTS_PARSER, JsonLimitsParser), name


EXTREME = "9999-12-31T23:59:59-10:00"  # in UTC: year 10000


def test_a_note_dated_past_what_utc_can_write_is_refused(client, factory, manager, unit):
    item = factory.item(factory.plan(unit))
    response = client.post(
        f"/api/items/{item.id}/notes",
        json={"text": "Holdt", "created_at": EXTREME},
        headers=login(client, manager),
    )
    assert_error(response, 422, "invalid_input", "created_at")
    assert count(ProgressNote) == 0


def test_the_audit_filter_refuses_a_since_past_what_utc_can_write(client, factory, unit):
    admin = factory.user(("admin", unit))
    response = client.get(
        "/api/admin/audit", query_string={"since": EXTREME}, headers=login(client, admin)
    )
    assert_error(response, 422, "invalid_input", "since")
    early = client.get(
        "/api/admin/audit",
        query_string={"since": "0001-01-01T00:00:00+10:00"},
        headers=login(client, admin),
    )
    assert_error(early, 422, "invalid_input", "since")


def test_a_csv_import_with_a_field_past_the_csv_limit_is_refused(client, org):  # noqa: F811
    chef = login(client, org["chef"])
    make_measure(client, chef, org["verksamhet"])
    csv = "enhet;mått;period;värde\nEnhet Öst;" + "x" * 140_000 + ";2026;2\n"
    response = client.post(
        "/api/quality/measure-values/import",
        json={"unit_id": str(org["verksamhet"].id), "csv": csv},
        headers=chef,
    )
    assert_error(response, 422, "invalid_input", "csv")
    assert count(MeasureValue) == 0


@pytest.mark.parametrize("period", ["٢٠٢٩", "२०२६-T1", "２０２６"])
def test_a_period_in_digits_other_than_ascii_is_refused(client, org, period):  # noqa: F811
    chef = login(client, org["chef"])
    measure = make_measure(client, chef, org["verksamhet"])
    body = {"measure_id": measure["id"], "unit_id": str(org["east"].id), "period": period}
    response = client.post("/api/quality/measure-values", json={**body, "value": 1}, headers=chef)
    assert_error(response, 422, "invalid_input", "period")
    assert count(MeasureValue) == 0
