"""/docs works with no network: Swagger UI's assets come from a package, not a CDN (issue 19).

Chromium loads the page through a router that answers only from the app itself (in process, via
its test client) and refuses every other address, as on a machine with no internet.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Route, expect, sync_playwright

from tests.web.browser_stack import INSTALL
from tests.web.conftest import Site
from tests.web.test_browser import ARTEFACTS, CHROMIUM, CHROMIUM_ARGS

ORIGIN = "http://govsched.invalid"


@pytest.fixture(scope="module")
def client(site: Site) -> Iterator[TestClient]:
    with TestClient(site.app) as test_client:
        yield test_client


def test_docs_names_only_its_own_assets(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    addresses = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", page.text)
    assert sorted(set(addresses)) == [
        "/docs/assets/favicon.png",
        "/docs/assets/swagger-ui-bundle.js",
        "/docs/assets/swagger-ui.css",
        "/openapi.json",
    ]
    assert "cdn" not in page.text.lower()


@pytest.mark.parametrize(
    ("asset", "kind"),
    [
        ("swagger-ui-bundle.js", "javascript"),
        ("swagger-ui.css", "text/css"),
        ("favicon.png", "image/png"),
    ],
)
def test_each_asset_is_served(client: TestClient, asset: str, kind: str) -> None:
    response = client.get(f"/docs/assets/{asset}")
    assert response.status_code == 200
    assert kind in response.headers["content-type"]
    assert len(response.content) > 1000


def test_swagger_ui_renders_in_chromium_without_network(client: TestClient) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` ({INSTALL})")
    refused: list[str] = []

    def answer(route: Route) -> None:
        url = route.request.url
        if not url.startswith(ORIGIN):
            refused.append(url)
            route.abort("internetdisconnected")
            return
        response = client.get(url.removeprefix(ORIGIN))
        route.fulfill(
            status=response.status_code,
            headers={"content-type": response.headers.get("content-type", "text/plain")},
            body=response.content,
        )

    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    with (
        sync_playwright() as driver,
        tempfile.TemporaryDirectory(prefix="govsched-chromium-") as profile,
    ):
        context = driver.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context.route("**/*", answer)
            page = context.new_page()
            page.goto(f"{ORIGIN}/docs")
            # the title comes from /openapi.json, drawn by the packaged Swagger UI script
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("govsched")
            expect(page.locator(".opblock-summary-path", has_text="/health").first).to_be_visible()
            page.screenshot(path=str(Path(ARTEFACTS) / "api-docs-offline.png"), full_page=False)
        finally:
            context.close()
    assert refused == []
