"""A person reading Danish or Swedish gets no English from the server: error envelopes of
each kind, field reasons of every write schema, each sync rejection, each push notification.
"English" is any source message (tests/i18n/catalogue.py) whose translation differs."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import uuid

import pytest
from marshmallow import Schema, ValidationError, fields

import server.schemas
from server.api.errors import FRAMEWORK_MESSAGES
from server.i18n import localize_reasons
from server.push import messages as push_messages
from server.push.messages import render_payload
from sync.protocol import SCHEMA_VERSION
from tests.helpers import login
from tests.i18n.catalogue import LANGUAGES, english_in

pytestmark = pytest.mark.parametrize("language", LANGUAGES)


def assert_localized(response, status: int, code: str, language: str) -> dict:
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["error"] == code  # codes stay as they are
    assert english_in(body, language) == [], body
    return body


def _as(client, user, language):
    return {**login(client, user), "Accept-Language": language}


# ---- the envelope, one sample of each code a request can meet ----------------------------


def test_a_body_that_is_not_json_is_refused_in_the_readers_language(client, language):
    response = client.post(
        "/api/auth/login",
        data="{",
        content_type="application/json",
        headers={"Accept-Language": language},
    )
    assert_localized(response, 400, "bad_request", language)


def test_wrong_password_and_no_token_are_answered_in_accept_language(client, factory, language):
    user = factory.user(language="en")  # not signed in yet: the header decides
    answer = client.post(
        "/api/auth/login",
        json={"email": user.email, "password": "wrong-password"},
        headers={"Accept-Language": f"{language}, en;q=0.5"},
    )
    body = assert_localized(answer, 401, "unauthenticated", language)
    assert body["message"] != "Wrong email or password."
    no_token = client.get("/api/plans", headers={"Accept-Language": language})
    assert_localized(no_token, 401, "unauthenticated", language)


def test_framework_answers_unknown_route_and_method(client, language):
    headers = {"Accept-Language": language}
    assert_localized(client.get("/api/nothing-here", headers=headers), 404, "not_found", language)
    assert_localized(
        client.put("/api/auth/login", headers=headers), 405, "method_not_allowed", language
    )


def test_the_language_the_app_shows_beats_the_users_own(client, factory, language):
    """The PWA's own switch (X-Folg-Language) need not match the account's saved language:
    what the server says must match the screen it appears on."""
    user = factory.user(("staff", factory.unit()), language="en")
    headers = {**login(client, user), "Accept-Language": "en", "X-Folg-Language": language}
    response = client.get(f"/api/plans/{uuid.uuid4()}", headers=headers)
    body = assert_localized(response, 404, "not_found", language)
    assert body["message"] != "No such plan."


def test_the_users_own_language_beats_accept_language(client, factory, language):
    user = factory.user(("staff", factory.unit()), language=language)
    headers = {**login(client, user), "Accept-Language": "en"}
    response = client.get(f"/api/plans/{uuid.uuid4()}", headers=headers)
    body = assert_localized(response, 404, "not_found", language)
    assert body["message"] != "No such plan."


def test_forbidden_and_invalid_state(client, factory, language):
    unit = factory.unit()
    admin = factory.user(("admin", unit), language=language)
    staff = factory.user(("staff", unit), language=language)
    forbidden = client.get("/api/admin/audit", headers=_as(client, staff, language))
    assert_localized(forbidden, 403, "forbidden", language)
    last_role = client.delete(
        f"/api/memberships/{staff.memberships[0].id}", headers=_as(client, admin, language)
    )
    body = assert_localized(last_role, 409, "invalid_state", language)
    assert "Deactivate the user first" not in body["message"]


def test_field_reasons_of_a_rest_write(client, factory, language):
    unit = factory.unit()
    manager = factory.user(("manager", unit), language=language)
    headers = _as(client, manager, language)
    required = client.post("/api/plans", json={}, headers=headers)
    assert_localized(required, 422, "invalid_input", language)
    wrong = client.post(
        "/api/plans",
        json={
            "unit_id": "not-a-uuid",
            "kind": "no_such_kind",
            "title": "x" * 20000,
            "plan_date": "the ninth of August",
            "unknown_field": 1,
        },
        headers=headers,
    )
    body = assert_localized(wrong, 422, "invalid_input", language)
    assert set(body["fields"]) >= {"unit_id", "kind", "title", "plan_date", "unknown_field"}


def test_sync_codes_upgrade_gap_and_limits(client, factory, language):
    staff = factory.user(("staff", factory.unit()), language=language)
    headers = _as(client, staff, language)
    old = client.post("/api/sync/pull", json={"cursor": None, "schema_version": 0}, headers=headers)
    assert_localized(old, 426, "upgrade_required", language)
    garbled = client.post(
        "/api/sync/pull",
        json={"cursor": "garbled", "schema_version": SCHEMA_VERSION},
        headers=headers,
    )
    assert_localized(garbled, 422, "invalid_input", language)
    gap = client.post(
        "/api/sync/push",
        json={
            "client_id": "tablet",
            "schema_version": SCHEMA_VERSION,
            "mutations": [_mutation(7, "plan_items", fields={"goal": "Mål"})],
        },
        headers=headers,
    )
    assert_localized(gap, 409, "mutation_gap", language)
    too_many = client.post(
        "/api/sync/push",
        json={
            "client_id": "tablet",
            "schema_version": SCHEMA_VERSION,
            "mutations": [_mutation(n, "plan_items") for n in range(1, 502)],
        },
        headers=headers,
    )
    assert_localized(too_many, 413, "too_large", language)


@pytest.mark.parametrize("code", sorted(FRAMEWORK_MESSAGES))
def test_what_the_framework_raises_is_said_in_the_readers_language(app, code, language):
    with app.test_request_context(headers={"Accept-Language": language}):
        assert english_in(str(FRAMEWORK_MESSAGES[code]), language) == []


# ---- sync rejections: each kind, stored in the language of the push ----------------------


def _mutation(mutation_id, table, op="upsert", row_id=None, fields=None):
    return {
        "mutation_id": mutation_id,
        "table": table,
        "id": str(row_id or uuid.uuid4()),
        "op": op,
        "base_version": None,
        "fields": fields or {},
    }


def test_each_kind_of_push_rejection(client, factory, language):
    unit = factory.unit()
    staff = factory.user(("staff", unit), language=language)
    plan = factory.plan(unit)
    mutations = [
        _mutation(1, "no_such_table"),
        _mutation(2, "units", fields={"name": "x"}),  # read-only
        _mutation(3, "plan_items", fields={"plan_id": str(plan.id), "version": 3}),  # server's
        _mutation(4, "plan_items", fields={"plan_id": str(plan.id), "zzz": 1}),  # unknown
        _mutation(
            5,
            "plan_items",
            fields={"plan_id": str(plan.id), "goal": 5, "end_date": "soon", "state": "nope"},
        ),
        _mutation(6, "plan_items", op="delete"),  # not found
        _mutation(7, "progress_notes", op="delete"),  # append-only
        _mutation(8, "conflicts", op="delete"),
        _mutation(9, "conflicts", fields={"status": "open"}),
        _mutation(10, "plan_items", fields={"plan_id": str(uuid.uuid4()), "goal": "Mål"}),
    ]
    body = {"client_id": "tablet", "schema_version": SCHEMA_VERSION, "mutations": mutations}
    answer = client.post("/api/sync/push", json=body, headers=_as(client, staff, language))
    assert answer.status_code == 200, answer.get_json()
    results = answer.get_json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * len(mutations)
    assert english_in(results, language) == [], results

    # A duplicate gets the stored answer, in the language it was made in.
    again = client.post(
        "/api/sync/push", json=body, headers={**login(client, staff), "Accept-Language": "en"}
    )
    assert [r["error"] for r in again.get_json()["results"]] == [r["error"] for r in results]


# ---- every write schema's own reasons: required, length, choice, date, type ---------------


def _schemas() -> list[type[Schema]]:
    modules = [
        importlib.import_module(f"server.schemas.{m.name}")
        for m in pkgutil.iter_modules(server.schemas.__path__)
    ]
    modules.append(importlib.import_module("server.push.schemas"))
    found = {
        schema
        for module in modules
        for _name, schema in inspect.getmembers(module, inspect.isclass)
        if issubclass(schema, Schema) and schema.__module__ == module.__name__
    }
    return sorted(found, key=lambda s: f"{s.__module__}.{s.__name__}")


BAD_VALUES = {
    fields.String: ["x" * 20001, 5],
    fields.Integer: ["five", 10**40, -(10**9)],
    fields.Float: ["five", 10**9],
    fields.Boolean: ["maybe"],
    fields.Date: ["the ninth of August", "2026-02-30"],
    fields.DateTime: ["yesterday", "2026-01-01T10:00"],
    fields.Time: ["noon"],
    fields.UUID: ["not-a-uuid"],
    fields.List: ["not a list", [None, 5]],
    fields.Dict: ["not a mapping"],
    fields.Nested: ["not an object", {"zzz": 1}],
}


def _bad_payloads(schema: Schema) -> list[dict]:
    payloads: list[dict] = [{}, {"zzz_unknown": 1}, {name: None for name in schema.load_fields}]
    for round_ in range(3):
        payload = {}
        for name, field in schema.load_fields.items():
            for kind, values in BAD_VALUES.items():
                if isinstance(field, kind):
                    payload[field.data_key or name] = values[round_ % len(values)]
                    break
            else:
                payload[field.data_key or name] = {"a": [1]}
        payloads.append(payload)
    return payloads


def test_every_write_schema_gives_its_reasons_in_the_readers_language(app, language):
    checked = 0
    with app.test_request_context(headers={"Accept-Language": language}):
        for schema_class in _schemas():
            try:
                schema = schema_class()
            except TypeError:
                continue
            if not schema.load_fields:
                continue
            for payload in _bad_payloads(schema):
                try:
                    schema.load(payload)
                except ValidationError as error:
                    reasons = localize_reasons(error.normalized_messages())
                    assert english_in(reasons, language) == [], (schema_class, reasons)
                    checked += 1
    assert checked > 50


# ---- push notifications, in the recipient's language --------------------------------------


@pytest.mark.parametrize("kind", sorted(push_messages.TITLES))
def test_each_push_notification_kind_in_the_recipients_language(app, kind, language):
    for days in (0, 1, 3):
        payload = render_payload(kind, language, uuid.uuid4(), None, {"days": days})
        assert payload["lang"] == language
        assert english_in(payload, language) == [], payload
        assert payload["title"] != str(push_messages.TITLES[kind]._args[0])


@pytest.mark.parametrize(("kind", "about"), sorted(push_messages.VARIANT_TITLES))
def test_each_variant_of_a_notice_in_the_recipients_language(app, kind, about, language):
    english = str(push_messages.VARIANT_TITLES[kind, about]._args[0])
    for days in (0, 1, 3):
        payload = render_payload(
            kind, language, uuid.uuid4(), uuid.uuid4(), {"days": days, "about": about}
        )
        assert payload["about"] == about
        assert english_in(payload, language) == [], payload
        assert payload["title"] != english


def test_an_error_without_fields_has_no_fields_key(client, factory, language):
    user = factory.user(("staff", factory.unit()), language=language)
    response = client.get(f"/api/plans/{uuid.uuid4()}", headers=_as(client, user, language))
    assert "fields" not in assert_localized(response, 404, "not_found", language)
