"""The interactive API docs in real Chromium: Swagger UI from the app's own pinned assets,
under the app's strict Content-Security-Policy, with nothing fetched from another origin."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import expect


def test_api_docs_render_from_the_app_alone_under_the_strict_policy(new_context, live_server):
    context = new_context()
    page = context.new_page()
    origin = urlsplit(live_server).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    response = page.goto("/api/docs")

    assert response is not None and response.status == 200
    policy = response.headers["content-security-policy"]
    script_policy = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_policy and "'unsafe-eval'" not in script_policy
    # Swagger UI drew the spec: the API's title and an operation of it.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Følg API")
    expect(page.locator(".opblock-summary-path", has_text="/api/health").first).to_be_visible()
    assert violations == []
    foreign = [url for url in requested if urlsplit(url).netloc not in (origin, "")]
    assert foreign == [], foreign
