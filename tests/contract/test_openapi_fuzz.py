"""Hostile input against the whole REST API, generated from /api/openapi.json.

For every operation, schemathesis sends generated requests (valid and invalid) as a manager
and admin of a unit, on SQLite and PostgreSQL; no response may be a 500 or break the
documented schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from server import create_app
from tests.helpers import login

# Logging out would end the session the other operations use.
SKIPPED_PATHS = {"/api/auth/logout"}
# The document does not depend on the database: read it from an app that never connects.
SPEC = schemathesis.openapi.from_wsgi(
    "/api/openapi.json", create_app({"DATABASE_URL": "sqlite://"})
)
OPERATIONS = [
    result.ok() for result in SPEC.get_all_operations() if result.ok().path not in SKIPPED_PATHS
]


@pytest.fixture
def token(app, client, factory, monkeypatch):
    unit = factory.unit()
    manager = factory.user(("manager", unit), ("admin", unit))
    factory.note(factory.item(factory.plan(unit)), manager)
    # Generated logins must not slow the user down; set for this test only (the app is shared).
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 10_000)
    return login(client, manager)["Authorization"]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_no_operation_answers_500_or_breaks_its_schema(app, token, operation):
    @given(case=operation.as_strategy())
    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call(app=app, headers={"Authorization": token})
        case.validate_response(
            response,
            checks=[
                schemathesis.checks.not_a_server_error,
                schemathesis.checks.response_schema_conformance,
            ],
        )

    check()
