"""The API's documentation pages, /docs (Swagger UI) and /redoc (ReDoc), in Chromium on a network that
reaches nothing but this server: every request to another host is aborted and recorded, and none may
be made; the pages must draw the API's operations, in English, without a console error."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from playwright.sync_api import Route

from registry.browser_libraries import REDOC_JS, SWAGGER_UI_JS
from registry.settings import PROJECT_ROOT
from tests.web.conftest import SCREENSHOTS, BrowserTab


def block_other_hosts(tab: BrowserTab) -> list[str]:
    """Aborts, from now on, every request of `tab` to a host other than the server's, as a network
    without internet would; the list fills with the URLs that were asked for."""
    server = urlsplit(tab.base_url).netloc
    blocked: list[str] = []

    def only_this_server(route: Route) -> None:
        if urlsplit(route.request.url).netloc == server:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    tab.page.context.route("**/*", only_this_server)
    return blocked


def test_swagger_ui_draws_every_operation_with_nothing_from_outside(desktop: BrowserTab) -> None:
    blocked = block_other_hosts(desktop)
    desktop.visit("/docs")
    page = desktop.page
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "R&D Registry: public API" in page.locator(".swagger-ui .info .title").inner_text()
    paths = page.locator(".swagger-ui .opblock-summary-path").all_inner_texts()
    assert len(paths) > 40 and {"/api/v1", "/api/v1/programs", "/api/v1/verify/{sha256}"} <= set(paths)
    assert page.locator(".swagger-ui .validator-wrapper, .swagger-ui img[src*='validator']").count() == 0
    desktop.screenshot("api-docs")
    assert blocked == []
    assert [url for _, url in desktop.requests if not url.startswith(desktop.base_url + "/")] == []
    desktop.assert_quiet()


def test_redoc_draws_the_api_and_its_operations_with_nothing_from_outside(desktop: BrowserTab) -> None:
    blocked = block_other_hosts(desktop)
    desktop.visit("/redoc")
    page = desktop.page
    page.get_by_role("heading", name="R&D Registry: public API", level=1).wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="List grant programs").count() == 1
    assert page.get_by_role("heading", name="The API's version, documentation and lists").count() == 1
    heading_font = page.locator("h1").first.evaluate("element => getComputedStyle(element).fontFamily")
    assert "Montserrat" not in heading_font, "a font a page must fetch to have"
    # The first screen only: ReDoc's one page holds the whole reference, too long for a full-page shot.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{desktop.viewport}-api-redoc.png")
    assert blocked == []
    assert [url for _, url in desktop.requests if not url.startswith(desktop.base_url + "/")] == []
    desktop.assert_quiet()


def test_the_documentation_pages_load_their_libraries_from_this_server(client: TestClient) -> None:
    for page, library in (("/docs", SWAGGER_UI_JS), ("/redoc", REDOC_JS)):
        html = client.get(page).text
        assert f'<script src="{library.url}"></script>' in html
        assert "https://" not in html and "http://" not in html, page
        served = client.get(library.url)
        assert served.status_code == 200 and served.headers["content-type"].startswith("text/javascript")
        expected = (PROJECT_ROOT / library.file).read_bytes()
        for before, after in library.rewrites:
            assert before.encode() in expected, f"{library.name} no longer asks {before}: drop the rewrite"
            expected = expected.replace(before.encode(), after.encode())
        assert served.content == expected
