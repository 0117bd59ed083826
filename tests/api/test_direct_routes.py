"""The direct routes (registry/api/direct_routes.py) are made from their documented FastAPI routes:
they answer the lookups asked most byte for byte as those do, take only what the documented route's
validators accept, leave everything else (a 422, another route's path) to FastAPI, and count in the
metrics under the documented route."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.routing import Match, Route

from registry.api.app import create_app
from registry.api.direct_routes import DirectLookup, DirectRoute, DirectRouteUnfit
from registry.api.routes import DIRECT_LOOKUPS, projects, verification
from registry.store.engine import open_engine
from registry.store.schema import anchors
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, error_of


@pytest.fixture(scope="module")
def documented(indexed: IndexedRegistry) -> Iterator[TestClient]:
    """The same application without its direct routes: every request through FastAPI."""
    with TestClient(create_app(indexed.settings, direct=False), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def lookup_paths(api: TestClient, indexed: IndexedRegistry) -> list[str]:
    """Paths of every direct lookup: records that exist, and some that do not."""
    paths = [f"/api/v1/programs/{p['programId']}" for p in all_items(api, "/api/v1/programs")]
    paths += [f"/api/v1/projects/{p['projectId']}" for p in all_items(api, "/api/v1/projects")[:8]]
    paths += [
        f"/api/v1/projects/{m['projectId']}/milestones/{m['milestoneIndex']}"
        for m in all_items(api, "/api/v1/milestones")[:8]
    ]
    paths += [f"/api/v1/outcomes/{o['outcomeId']}" for o in all_items(api, "/api/v1/outcomes")[:8]]
    paths += [
        f"/api/v1/commercialization-reports/{r['reportId']}"
        for r in all_items(api, "/api/v1/commercialization-reports")
    ]
    paths += [f"/api/v1/evaluations/{e['auditId']}" for e in all_items(api, "/api/v1/evaluations")]
    batches = all_items(api, "/api/v1/batches")
    paths += [f"/api/v1/batches/{b['root']}" for b in batches] + [f"/api/v1/batches/{batches[0]['root'][2:].upper()}"]
    engine = open_engine(indexed.settings.database_url)
    with engine.connect() as connection:
        documents = [bytes(h) for h in connection.scalars(select(anchors.c.document_hash).limit(6))]
    engine.dispose()
    paths += [f"/api/v1/verify/{d.hex()}" for d in documents] + [f"/api/v1/verify/0x{documents[0].hex().upper()}"]
    paths += [
        "/api/v1/programs/999999",
        "/api/v1/projects/999999999999999999",
        "/api/v1/projects/1/milestones/999",
        "/api/v1/outcomes/999999",
        "/api/v1/commercialization-reports/999999",
        "/api/v1/evaluations/999999",
        "/api/v1/batches/0x" + "ab" * 32,
        "/api/v1/verify/" + "ab" * 32,
    ]
    return paths


def _direct_route_taking(app: FastAPI, path: str) -> Route | None:
    scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
    for route in app.router.routes[: len(DIRECT_LOOKUPS)]:
        assert isinstance(route, Route)
        if route.matches(scope)[0] == Match.FULL:
            return route
    return None


def _comparable(path: str, body: bytes) -> Any:
    """The bytes of a record; a verification's parsed JSON without the moment of its live check."""
    if not path.startswith("/api/v1/verify/"):
        return body
    answer = json.loads(body)
    answer["liveCheck"].pop("checkedAt", None)
    return answer


def test_every_direct_route_is_made_from_a_documented_operation(api: TestClient) -> None:
    app = api.app
    assert isinstance(app, FastAPI)
    document = app.openapi()
    direct = app.router.routes[: len(DIRECT_LOOKUPS)]
    assert all(isinstance(route, DirectRoute) and not route.include_in_schema for route in direct)
    for route, lookup in zip(direct, DIRECT_LOOKUPS, strict=True):
        assert isinstance(route, DirectRoute)
        documented = lookup.route
        assert (route.path, route.path_format, route.name) == (documented.path, documented.path_format, documented.name)
        assert route.fields == documented.dependant.path_params  # the very validators FastAPI runs
        assert route.methods == documented.methods == {"GET"}
        assert "get" in document["paths"][route.path_format]


def test_no_direct_route_takes_a_path_another_route_answers(api: TestClient) -> None:
    assert isinstance(api.app, FastAPI)
    static = [path for path in api.app.openapi()["paths"] if "{" not in path]
    assert "/api/v1/projects/export" in static
    assert [path for path in static if _direct_route_taking(api.app, path)] == []


def test_a_route_that_needs_more_than_its_path_cannot_be_served_directly() -> None:
    with pytest.raises(DirectRouteUnfit, match="takes parameters besides its path's"):
        DirectLookup.of(projects.router, projects.list_projects)
    with pytest.raises(DirectRouteUnfit, match="not GET alone"):
        DirectLookup.of(verification.router, verification.verify_upload)


def test_direct_routes_answer_byte_for_byte_as_the_documented_routes(
    api: TestClient, documented: TestClient, lookup_paths: list[str]
) -> None:
    assert isinstance(api.app, FastAPI)
    taken = {route.path_format for path in lookup_paths if (route := _direct_route_taking(api.app, path))}
    assert len(taken) == len(DIRECT_LOOKUPS), "a sample path for every direct lookup"
    statuses = set()
    for path in lookup_paths:
        assert _direct_route_taking(api.app, path) is not None, path
        fast, slow = api.get(path), documented.get(path)
        statuses.add(fast.status_code)
        assert (fast.status_code, fast.headers["content-type"]) == (slow.status_code, slow.headers["content-type"]), (
            path
        )
        assert _comparable(path, fast.content) == _comparable(path, slow.content), path
    assert statuses == {200, 404}


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/projects/0", "projectId"),
        ("/api/v1/projects/-1", "projectId"),
        ("/api/v1/projects/abc", "projectId"),
        ("/api/v1/projects/9223372036854775808", "projectId"),
        ("/api/v1/programs/1.5", "programId"),
        ("/api/v1/projects/1/milestones/-1", "milestoneIndex"),
        ("/api/v1/verify/" + "ab" * 31, "sha256"),
        ("/api/v1/verify/" + "zz" * 32, "sha256"),
        ("/api/v1/verify/0x" + "00" * 32, "sha256"),
        ("/api/v1/batches/0xnothex", "root"),
    ],
)
def test_what_a_direct_route_cannot_prove_valid_gets_fastapis_documented_422(
    api: TestClient, documented: TestClient, path: str, parameter: str
) -> None:
    assert isinstance(api.app, FastAPI)
    assert _direct_route_taking(api.app, path) is None
    error = error_of(api.get(path), 422)
    assert error["parameter"] == parameter
    assert api.get(path).content == documented.get(path).content


def test_whatever_the_documented_route_accepts_the_direct_route_answers_the_same(
    api: TestClient, documented: TestClient
) -> None:
    assert isinstance(api.app, FastAPI)
    for path, canonical in [
        ("/api/v1/projects/01", "/api/v1/projects/1"),
        ("/api/v1/projects/1/milestones/00", "/api/v1/projects/1/milestones/0"),
    ]:
        assert _direct_route_taking(api.app, path) is not None
        assert api.get(path).content == api.get(canonical).content == documented.get(path).content
    zero_root = "/api/v1/batches/0x" + "00" * 32
    assert _direct_route_taking(api.app, zero_root) is not None
    assert error_of(api.get(zero_root), 404)["message"] == "no batch with root 0x" + "00" * 32
    assert api.get(zero_root).content == documented.get(zero_root).content
    # Up to 2^63 - 1, the documented bound.
    assert _direct_route_taking(api.app, "/api/v1/projects/9223372036854775807") is not None
    assert error_of(api.get("/api/v1/projects/9223372036854775807"), 404)["message"] == "no project 9223372036854775807"


def test_other_methods_on_a_direct_path_are_refused_as_the_documented_route_refuses_them(
    api: TestClient, documented: TestClient
) -> None:
    for method in ("HEAD", "POST", "DELETE"):
        fast, slow = api.request(method, "/api/v1/projects/1"), documented.request(method, "/api/v1/projects/1")
        assert (fast.status_code, fast.headers.get("allow"), fast.content) == (405, "GET", slow.content), method
        assert slow.status_code == 405


def test_direct_answers_count_under_the_documented_route_in_the_metrics(api: TestClient) -> None:
    route = "/api/v1/projects/{projectId}"

    def served(method: str, status: str) -> float:
        for line in api.get("/metrics").text.splitlines():
            if line.startswith("registry_api_requests_total{") and (
                f'route="{route}"' in line and f'status="{status}"' in line and f'method="{method}"' in line
            ):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    answers = [("GET", "200"), ("GET", "404"), ("GET", "422"), ("POST", "405")]
    before = [served(method, status) for method, status in answers]
    assert api.get("/api/v1/projects/1").status_code == 200  # by the direct route
    assert api.get("/api/v1/projects/999999").status_code == 404  # by the direct route
    assert api.get("/api/v1/projects/0").status_code == 422  # by FastAPI's route
    assert api.post("/api/v1/projects/1").status_code == 405
    after = [served(method, status) for method, status in answers]
    assert [a - b for a, b in zip(after, before, strict=True)] == [1.0, 1.0, 1.0, 1.0]
    text = api.get("/metrics").text
    assert "record_id" not in text and 'route="unmatched",status="200"' not in text
