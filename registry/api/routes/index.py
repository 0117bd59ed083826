"""`/api/v1`: where a reader of the API starts. Its version, its documentation, and every list with
its exports, read from the application's own OpenAPI document, so that a list added, renamed or
given another export format appears here without anyone remembering to write it down."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

import registry
from registry.api.documentation import DOCS_URL, REDOC_URL
from registry.api.schemas.index import ApiIndex, IndexLinks, Resource, Software

API_ROOT = "/api/v1"

router = APIRouter(tags=["index"])


def _export_formats(export: dict[str, Any], document: dict[str, Any]) -> list[str]:
    """The values of an export operation's `format` parameter, as its OpenAPI schema lists them."""
    for parameter in export.get("parameters", []):
        if parameter.get("name") == "format" and parameter.get("in") == "query":
            schema = parameter.get("schema", {})
            if "$ref" in schema:  # "#/components/schemas/ExportFormat"
                schema = document["components"]["schemas"][schema["$ref"].rpartition("/")[2]]
            return [str(value) for value in schema.get("enum", [])]
    return []


def list_resources(document: dict[str, Any]) -> list[Resource]:
    """Every list of the OpenAPI `document`, in its order: a GET below /api/v1 without path parameters
    that has a GET `/export` twin (the API's description promises one for every list)."""
    paths: dict[str, dict[str, Any]] = document["paths"]
    found = []
    for path, operations in paths.items():
        listing = operations.get("get")
        export = paths.get(f"{path}/export", {}).get("get")
        if not path.startswith(f"{API_ROOT}/") or "{" in path or listing is None or export is None:
            continue
        found.append(
            Resource(
                name=path.removeprefix(f"{API_ROOT}/"),
                path=path,
                summary=listing["summary"],
                tag=listing["tags"][0],
                exports={kind: f"{path}/export?format={kind}" for kind in _export_formats(export, document)},
            )
        )
    return found


@router.get(
    API_ROOT,
    response_model=ApiIndex,
    summary="The API's version, documentation and lists",
    description="Where to start: the API's version, where its documentation is, and every list with its "
    "exports (CSV and JSON). Read from this API's OpenAPI document, so it lists what the API serves.",
)
async def api_index(request: Request) -> ApiIndex:
    app = request.app
    return ApiIndex(
        title=app.title,
        version=app.version,
        software=Software(name="rnd-registry", version=registry.__version__),
        links=IndexLinks.model_validate(
            {
                "self": API_ROOT,
                "openapi": app.openapi_url,
                "swaggerUi": DOCS_URL,
                "redoc": REDOC_URL,
                "health": app.url_path_for("health"),
            }
        ),
        resources=list_resources(app.openapi()),
    )


# `/api/v1/` answers the same, rather than a redirect that names this server as it sees itself (which,
# behind a proxy, is not always the address the reader used).
router.add_api_route(f"{API_ROOT}/", api_index, methods=["GET"], response_model=ApiIndex, include_in_schema=False)
