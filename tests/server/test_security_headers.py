import pytest


def test_api_responses_carry_security_headers_and_are_not_cached(client):
    response = client.get("/api/health")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_is_sent_over_tls(client):
    response = client.get("/api/health", base_url="https://folg.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("path", ["/api/nothing", "/api/plans"])
def test_error_responses_carry_them_too(client, path):
    assert "Content-Security-Policy" in client.get(path).headers
