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
from starlette.staticfiles import StaticFiles

from registry.api.deps import ApiContext
from registry.api.observability import CountedMount
from registry.browser_libraries import LIBRARIES, library_route
from registry.web.errors import install_page_errors
from registry.web.pages import ROUTERS

STATIC_DIR = Path(__file__).resolve().parent / "static"


def mount(app: FastAPI) -> None:
    """Adds the portal's pages, its static files and its error pages to `app`."""
    context: ApiContext = app.state.context
    project_root = context.settings.project_root

    # Registered before the /static mount, which would otherwise answer for these paths.
    for library in LIBRARIES:
        app.get(library.url, include_in_schema=False)(library_route(library, project_root))

    for router in ROUTERS:
        app.include_router(router)
    app.router.routes.append(CountedMount("/static", StaticFiles(directory=STATIC_DIR), name="static"))
    install_page_errors(app)

