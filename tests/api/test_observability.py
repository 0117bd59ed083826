"""The metrics label every request a route answers by that route's template, whichever kind of route
it is (FastAPI's, a direct route, Starlette's own that FastAPI adds for its documents), and only a
request no route answers as `unmatched`."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from registry.api.app import create_app
from registry.settings import Settings
from registry.web.app import create_app as create_served_app
from tests.api.test_operations import samples


def test_every_route_counts_its_requests_under_its_template(api: TestClient) -> None:
    asked = {
        "/openapi.json": "/openapi.json",
        "/redoc": "/redoc",
        "/docs": "/docs",
        "/api/v1/projects": "/api/v1/projects",
        "/api/v1/projects/1": "/api/v1/projects/{projectId}",
        "/api/v1/programs/1": "/api/v1/programs/{programId}",
        "/api/v1/receipts/project?projectId=1": "/api/v1/receipts/project",
    }
    before = samples(api.get("/metrics").text)
    for path in asked:
        assert api.get(path).status_code == 200, path
    assert api.get("/no/such/path").status_code == 404
    after = samples(api.get("/metrics").text)

    def counted(route: str, status: str) -> float:
        key = ("registry_api_requests_total", (("method", "GET"), ("route", route), ("status", status)))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert {route: counted(route, "200") for route in asked.values()} == dict.fromkeys(asked.values(), 1.0)
    assert counted("unmatched", "200") == 0
    assert counted("unmatched", "404") == 1


def test_no_route_of_the_served_application_is_left_unnamed(tmp_path: Path) -> None:
    """A plain Starlette route or mount does not name itself in the scope: its requests would count as
    unmatched. Every one is replaced (`count_every_route`) or made to (`CountedMount`)."""
    settings = Settings(data_dir=tmp_path, database_url="sqlite://")
    for app in (create_app(settings), create_served_app(settings)):
        assert [route for route in app.router.routes if type(route) in (Route, Mount)] == []
