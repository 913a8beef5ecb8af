"""Every failure answers with the one JSON envelope; nothing answers 500 for bad input."""

import pytest

from tests.helpers import assert_error, login


@pytest.fixture
def headers(client, factory):
    return login(client, factory.user(("manager", factory.unit())))


def test_unknown_route_gets_the_envelope(client):
    assert_error(client.get("/api/nothing-here"), 404, "not_found")


def test_wrong_method_gets_the_envelope(client):
    assert_error(client.delete("/api/health"), 405, "method_not_allowed")


@pytest.mark.parametrize("path", ["/api/plans", "/api/sync/push", "/api/auth/login"])
def test_a_body_that_is_not_json_is_a_bad_request(client, headers, path):
    response = client.post(
        path, headers={**headers, "Content-Type": "application/json"}, data="{not json"
    )
    body = assert_error(response, 400, "bad_request")
    assert "fields" not in body


def test_json_of_the_wrong_shape_is_refused(client, headers):
    response = client.post("/api/plans", headers=headers, json=["a", "list"])
    assert_error(response, 422, "invalid_input")


def test_oversized_body_is_refused(client, headers, app):
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/api/plans", headers=headers, json={"title": big})
    assert_error(response, 413, "too_large")


def test_malformed_uuid_in_path_is_a_404(client, headers):
    assert_error(client.get("/api/plans/not-a-uuid", headers=headers), 404, "not_found")


def test_openapi_document_describes_the_api(client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/plans",
        "/api/plans/{plan_id}/items",
        "/api/items/{item_id}/notes",
        "/api/auth/login",
    ):
        assert path in spec["paths"], path
    assert "PlanWrite" in spec["components"]["schemas"]


def test_the_documented_error_codes_are_the_ones_the_server_has():
    """docs/api.md's table is sync/errors.py's list, row for row."""
    import re
    from pathlib import Path

    from sync.errors import ErrorCode

    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z_]+)` \| (\d{3}) \| (.+) \|$", text, re.M)
    assert rows == [(c.value, str(c.status), c.description) for c in ErrorCode]


def test_every_domain_error_has_a_listed_code():
    from server.services import errors
    from sync.errors import ErrorCode

    for error in vars(errors).values():
        if isinstance(error, type) and issubclass(error, errors.FolgError):
            assert isinstance(error.code, ErrorCode), error
