"""`/api/v1`: the API's version, its documentation and every list with its exports, read from the
OpenAPI document, so that a list the API gains is in the index without anyone writing it there."""

from __future__ import annotations

from typing import Annotated, Any

import jsonschema_rs
from fastapi import APIRouter, Query
from fastapi.testclient import TestClient

import registry
from registry.api.app import create_app
from registry.api.exports import ExportFormat
from tests.api.conftest import IndexedRegistry

#: The lists the API serves today, as a reader knows them from the README.
KNOWN_LISTS = {
    "programs", "projects", "milestones", "outcomes", "ip-status-changes", "commercialization-reports",
    "evaluations", "members", "members/companies", "members/restrictions", "members/history",
    "members/admin-transfers", "batches", "documents", "statistics/programs", "statistics/years",
    "statistics/commercialization", "statistics/companies",
}  # fmt: skip


def test_the_index_says_the_apis_version_and_links_its_documentation(api: TestClient) -> None:
    index = api.get("/api/v1")
    assert index.status_code == 200 and index.headers["content-type"] == "application/json"
    body = index.json()
    assert body["title"] == "R&D Registry: public API"
    assert body["version"] == api.get("/openapi.json").json()["info"]["version"] == "1"
    assert body["software"] == {"name": "rnd-registry", "version": registry.__version__}
    assert body["links"] == {
        "self": "/api/v1",
        "openapi": "/openapi.json",
        "swaggerUi": "/docs",
        "redoc": "/redoc",
        "health": "/health",
    }
    for link in body["links"].values():
        assert api.get(link).status_code == 200, link
    assert api.get("/api/v1/").json() == body, "the trailing slash answers the same, not a redirect"


def test_the_index_lists_every_list_with_links_to_its_exports_that_answer(api: TestClient) -> None:
    resources = api.get("/api/v1").json()["resources"]
    assert {r["name"] for r in resources} >= KNOWN_LISTS
    paths = api.get("/openapi.json").json()["paths"]
    for resource in resources:
        assert resource["path"] == f"/api/v1/{resource['name']}"
        assert resource["summary"] == paths[resource["path"]]["get"]["summary"]
        assert resource["tag"] == paths[resource["path"]]["get"]["tags"][0]
        assert api.get(resource["path"]).status_code == 200, resource["path"]
        assert set(resource["exports"]) == {f.value for f in ExportFormat}
        csv, json = (api.get(resource["exports"][f]) for f in ("csv", "json"))
        assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv"), resource["name"]
        assert json.status_code == 200 and isinstance(json.json(), list), resource["name"]
    programs = next(r for r in resources if r["name"] == "programs")
    assert programs == {
        "name": "programs",
        "path": "/api/v1/programs",
        "summary": "List grant programs",
        "tag": "programs",
        "exports": {"csv": "/api/v1/programs/export?format=csv", "json": "/api/v1/programs/export?format=json"},
    }


def test_the_index_is_declared_in_the_openapi_document_and_its_answer_fits(api: TestClient) -> None:
    document = api.get("/openapi.json").json()
    operation = document["paths"]["/api/v1"]["get"]
    assert operation["tags"] == ["index"] and operation["summary"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ApiIndex"}
    validator = jsonschema_rs.validator_for({**schema, "components": document["components"]})
    assert [error.message for error in validator.iter_errors(api.get("/api/v1").json())] == []
    assert "/api/v1/" not in document["paths"]


def test_a_list_added_to_the_api_appears_in_the_index(indexed: IndexedRegistry) -> None:
    app = create_app(indexed.settings)
    extra = APIRouter(prefix="/api/v1/patents", tags=["outcomes"])

    @extra.get("", summary="List patents")
    async def list_patents() -> dict[str, Any]:
        return {"items": [], "nextCursor": None}

    @extra.get("/export", summary="Export patents")
    async def export_patents(export_format: Annotated[ExportFormat, Query(alias="format")]) -> list[Any]:
        return []

    app.include_router(extra)
    with TestClient(app) as client:
        resources = client.get("/api/v1").json()["resources"]
    assert resources[-1] == {
        "name": "patents",
        "path": "/api/v1/patents",
        "summary": "List patents",
        "tag": "outcomes",
        "exports": {"csv": "/api/v1/patents/export?format=csv", "json": "/api/v1/patents/export?format=json"},
    }
