"""The public portal: web pages served by the API's application, Korean by default with an English
switch. Browse pages are rendered on the server from the API's own queries and models; JavaScript
hashes documents in the browser (verify), draws charts (dashboard), and checks each record page
against a JSON-RPC node the reader chooses (chain-check).

`mount(app)` adds it to an application made by `registry.api.app.create_app`; `registry.web.app.create_app`
makes the two together, as `rnd-registry serve` runs them.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.staticfiles import StaticFiles

from registry.api.deps import ApiContext
from registry.web.chart_library import CHART_JS_URL, ChartLibraryMissing, chart_library
from registry.web.errors import install_page_errors
from registry.web.ethers_library import ETHERS_JS_URL, EthersLibraryMissing, ethers_library
from registry.web.pages import ROUTERS

STATIC_DIR = Path(__file__).resolve().parent / "static"


def mount(app: FastAPI) -> None:
    """Adds the portal's pages, its static files and its error pages to `app`."""
    context: ApiContext = app.state.context
    project_root = context.settings.project_root

    # Registered before the /static mount, which would otherwise answer for this path.
    @app.get(CHART_JS_URL, include_in_schema=False)
    async def chart_js(_request: Request) -> Response:
        try:
            path = chart_library(project_root)
        except ChartLibraryMissing as missing:
            return PlainTextResponse(str(missing), status_code=503)
        return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})

    @app.get(ETHERS_JS_URL, include_in_schema=False)
    async def ethers_js(_request: Request) -> Response:
        try:
            path = ethers_library(project_root)
        except EthersLibraryMissing as missing:
            return PlainTextResponse(str(missing), status_code=503)
        return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})

    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_page_errors(app)
