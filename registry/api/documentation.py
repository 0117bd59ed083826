"""The API's documentation page, /docs: Swagger UI over the OpenAPI document, its files served from
the checkout's `node_modules` (swagger-ui-dist, pinned in package.json) rather than FastAPI's default
CDN, so the page works on a network that reaches nothing but this server. The page is in English and
says so (`lang`), so that a screen reader reads it with the right voice."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse

from registry.browser_libraries import SWAGGER_UI_CSS, SWAGGER_UI_ICON, SWAGGER_UI_JS, library_route
from registry.settings import Settings

DOCS_URL = "/docs"


def add_documentation(app: FastAPI, settings: Settings) -> None:
    """Adds /docs and its files to `app`, made with `docs_url=None` (FastAPI's own page asks a CDN)."""
    for library in (SWAGGER_UI_JS, SWAGGER_UI_CSS, SWAGGER_UI_ICON):
        app.get(library.url, include_in_schema=False)(library_route(library, settings.project_root))

    @app.get(DOCS_URL, include_in_schema=False)
    async def documentation(_request: Request) -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title}: documentation",
            swagger_js_url=SWAGGER_UI_JS.url,
            swagger_css_url=SWAGGER_UI_CSS.url,
            swagger_favicon_url=SWAGGER_UI_ICON.url,
        )
        # FastAPI writes a bare `<html>`, with no way to give it a language.
        body = bytes(page.body).replace(b"<html>", b'<html lang="en">', 1)
        return HTMLResponse(body)
