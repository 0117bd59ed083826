"""The API's documentation pages over the OpenAPI document: /docs in Swagger UI (to try requests) and
/redoc in ReDoc (to read), their files served from the checkout's `node_modules` (swagger-ui-dist and
redoc, pinned in package.json) rather than FastAPI's default CDN, so the pages work on a network that
reaches nothing but this server. Nothing else leaves it either: no web fonts (ReDoc's theme is given
the fonts the system has) and no online validator badge. The pages are in English and say so
(`lang`), so that a screen reader reads them with the right voice."""

from __future__ import annotations

import json
from html import escape

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.requests import Request
from starlette.responses import HTMLResponse

from registry.browser_libraries import REDOC_JS, SWAGGER_UI_CSS, SWAGGER_UI_ICON, SWAGGER_UI_JS, library_route
from registry.settings import Settings

DOCS_URL = "/docs"
REDOC_URL = "/redoc"

_SYSTEM_FONTS = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
#: ReDoc's options: its default theme names Montserrat and Roboto, fonts a page must fetch to have.
REDOC_OPTIONS = {
    "theme": {
        "typography": {
            "fontFamily": _SYSTEM_FONTS,
            "headings": {"fontFamily": _SYSTEM_FONTS},
            "code": {"fontFamily": 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace'},
        }
    },
}


def _script_value(value: object) -> str:
    """`value` as JSON that cannot end the `<script>` it is written in."""
    return json.dumps(value).replace("<", "\\u003c")


def redoc_page(*, title: str, openapi_url: str) -> str:
    """ReDoc's page over the OpenAPI document at `openapi_url` (FastAPI's own takes no options and asks
    Google Fonts, a CDN and FastAPI's site for its icon)."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="icon" href="{SWAGGER_UI_ICON.url}">
<style>body {{ margin: 0; padding: 0; }}</style>
</head>
<body>
<noscript>ReDoc needs JavaScript; the OpenAPI document is at <a href="{escape(openapi_url)}">{escape(openapi_url)}</a>.
</noscript>
<div id="redoc"></div>
<script src="{REDOC_JS.url}"></script>
<script>
Redoc.init({_script_value(openapi_url)}, {_script_value(REDOC_OPTIONS)}, document.getElementById("redoc"));
</script>
</body>
</html>
"""


def add_documentation(app: FastAPI, settings: Settings) -> None:
    """Adds /docs, /redoc and their files to `app`, made with `docs_url=None, redoc_url=None`
    (FastAPI's own pages ask a CDN)."""
    for library in (SWAGGER_UI_JS, SWAGGER_UI_CSS, SWAGGER_UI_ICON, REDOC_JS):
        app.get(library.url, include_in_schema=False)(library_route(library, settings.project_root))
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get(DOCS_URL, include_in_schema=False)
    async def documentation(_request: Request) -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title}: documentation",
            swagger_js_url=SWAGGER_UI_JS.url,
            swagger_css_url=SWAGGER_UI_CSS.url,
            swagger_favicon_url=SWAGGER_UI_ICON.url,
            # No badge that sends the document to validator.swagger.io.
            swagger_ui_parameters={"validatorUrl": None},
        )
        # FastAPI writes a bare `<html>`, with no way to give it a language.
        body = bytes(page.body).replace(b"<html>", b'<html lang="en">', 1)
        return HTMLResponse(body)

    @app.get(REDOC_URL, include_in_schema=False)
    async def redoc_documentation(_request: Request) -> HTMLResponse:
        return HTMLResponse(redoc_page(title=f"{app.title}: reference", openapi_url=openapi_url))
