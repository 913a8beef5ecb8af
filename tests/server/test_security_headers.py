import pytest

from server.security import CSP


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


def test_api_docs_keep_the_strict_policy_and_load_only_the_apps_own_assets(client):
    page = client.get("/api/docs")

    assert page.status_code == 200
    assert page.headers["Content-Security-Policy"] == CSP  # the PWA's own policy
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assert "<script>" not in html and "http" not in html  # no inline script, no other origin
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "initialise.js"):
        assert client.get(f"/api/docs/{asset}").status_code == 200, asset
    assert client.get("/api/docs/index.html").status_code == 404  # the package's own page
