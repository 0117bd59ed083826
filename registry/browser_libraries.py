"""The browser libraries the portal's pages and the API's documentation use, served from this server:
the copies npm installed in the checkout's `node_modules/` (`package.json` pins them), never a CDN, so
both work on a network that reaches nothing but this server (and, for the chain check, the reader's node).

- Chart.js draws the dashboard's charts;
- ethers encodes the chain check's calls and decodes its events (and is inlined into the standalone
  verifier);
- Swagger UI (swagger-ui-dist) and ReDoc (redoc's standalone bundle) draw the API's documentation
  pages, /docs and /redoc.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response

from registry.errors import ConfigurationError


class BrowserLibraryMissing(ConfigurationError):
    """A library is not installed in the checkout."""

    def __init__(self, name: str, expected: Path) -> None:
        self.expected = expected
        super().__init__(f"{name} is not installed ({expected} is missing): run `npm ci` in the checkout")


@dataclass(frozen=True)
class BrowserLibrary:
    """A self-contained browser build (UMD, minified, or a style sheet) in `node_modules`, and where pages
    ask for it."""

    name: str
    file: Path
    url: str
    media_type: str = "text/javascript"
    #: What this server changes in npm's file as it serves it, (from, to) pairs of text: only addresses
    #: on other hosts that the library would ask for whatever its options say.
    rewrites: tuple[tuple[str, str], ...] = ()

    def locate(self, project_root: Path) -> Path:
        """The file to serve, found under `project_root` (settings.project_root)."""
        path = project_root / self.file
        if not path.is_file():
            raise BrowserLibraryMissing(self.name, path)
        return path


#: Chart.js: it defines the global `Chart`.
CHART_JS = BrowserLibrary("Chart.js", Path("node_modules/chart.js/dist/chart.umd.min.js"),
                          "/static/vendor/chart.umd.min.js")  # fmt: skip
#: ethers: it defines the global `ethers`.
ETHERS = BrowserLibrary("ethers", Path("node_modules/ethers/dist/ethers.umd.min.js"),
                        "/static/vendor/ethers.umd.min.js")  # fmt: skip
#: Swagger UI's bundle (it defines the global `SwaggerUIBundle`) and its style sheet.
SWAGGER_UI_JS = BrowserLibrary("Swagger UI", Path("node_modules/swagger-ui-dist/swagger-ui-bundle.js"),
                               "/docs/assets/swagger-ui-bundle.js")  # fmt: skip
SWAGGER_UI_CSS = BrowserLibrary("Swagger UI", Path("node_modules/swagger-ui-dist/swagger-ui.css"),
                                "/docs/assets/swagger-ui.css", media_type="text/css")  # fmt: skip
SWAGGER_UI_ICON = BrowserLibrary("Swagger UI", Path("node_modules/swagger-ui-dist/favicon-32x32.png"),
                                 "/docs/assets/favicon-32x32.png", media_type="image/png")  # fmt: skip
#: ReDoc's standalone bundle (React and its other libraries inside): it defines the global `Redoc`. Its
#: side menu always shows Redocly's logo from their CDN; an empty image stands in (ReDoc then drops it,
#: and keeps the "API docs by Redocly" link).
REDOC_JS = BrowserLibrary("ReDoc", Path("node_modules/redoc/bundles/redoc.standalone.js"),
                          "/redoc/assets/redoc.standalone.js",
                          rewrites=(("https://cdn.redoc.ly/redoc/logo-mini.svg", "data:,"),))  # fmt: skip
#: What the portal serves; the API serves the documentation's files itself (registry.api.documentation).
LIBRARIES = (CHART_JS, ETHERS)


def library_route(library: BrowserLibrary, project_root: Path) -> Callable[[Request], Awaitable[Response]]:
    """A route answering `library.url` with the file (with its `rewrites` made, once), or a 503 saying how
    to install it."""
    headers = {"Cache-Control": "public, max-age=86400"}
    rewritten: list[bytes] = []

    async def serve_library(_request: Request) -> Response:
        try:
            path = library.locate(project_root)
        except BrowserLibraryMissing as missing:
            return PlainTextResponse(str(missing), status_code=503)
        if not library.rewrites:
            return FileResponse(path, media_type=library.media_type, headers=headers)
        if not rewritten:
            content = path.read_bytes()
            for old, new in library.rewrites:
                content = content.replace(old.encode(), new.encode())
            rewritten.append(content)
        return Response(rewritten[0], media_type=library.media_type, headers=headers)

    return serve_library
