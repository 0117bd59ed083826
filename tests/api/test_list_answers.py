"""List answers (registry/api/list_answers.py, served by the direct lists of registry/api/direct_lists.py):
every list answers byte for byte what the plain pydantic path answers (`pagination.read_list`, a `Page`
serialized as FastAPI serializes its response model), on every filter, sort and cursor, through the
direct list and through FastAPI alike; a kept item never outlives a change of the database (an edit by
hand shows in the next answer); an item read while the database changed is not kept."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Select, select, update
from starlette.routing import Match

from registry.api.app import create_app
from registry.api.direct_lists import DirectListRoute
from registry.api.kept_answers import KeptAnswers
from registry.api.pagination import read_list, seek
from registry.api.provenance import RegistryContracts
from registry.api.schemas.batches import EvidenceBatch
from registry.api.schemas.common import Page
from registry.api.schemas.documents import AnchoredDocument
from registry.api.schemas.grants import Evaluation, Milestone, Program, Project
from registry.api.schemas.outcomes import CommercializationReport, IpStatusChange, Outcome
from registry.store.engine import open_engine
from registry.store.queries import evidence, grants, outcomes
from registry.store.queries.keyset import SortKey
from registry.store.read_connections import ReadConnections
from registry.store.schema import projects
from tests.api.conftest import IndexedRegistry

KEPT_SLOT = "kept list items"


@dataclass(frozen=True)
class Listed:
    """A list route as the plain path reads it."""

    path: str
    query_of: Callable[[Any], Select[Any]]
    filter_type: type
    sorts: dict[str, SortKey]
    default_sort: str
    model: type[BaseModel]


LISTS = {
    "programs": Listed("/api/v1/programs", grants.programs_query, grants.ProgramFilter, grants.PROGRAM_SORTS, "id",
                       Program),
    "projects": Listed("/api/v1/projects", grants.projects_query, grants.ProjectFilter, grants.PROJECT_SORTS, "id",
                       Project),
    "milestones": Listed("/api/v1/milestones", grants.milestones_query, grants.MilestoneFilter,
                         grants.MILESTONE_SORTS, "id", Milestone),
    "outcomes": Listed("/api/v1/outcomes", outcomes.outcomes_query, outcomes.OutcomeFilter, outcomes.OUTCOME_SORTS,
                       "id", Outcome),
    "ip": Listed("/api/v1/ip-status-changes", outcomes.ip_changes_query, outcomes.IpChangeFilter,
                 outcomes.IP_CHANGE_SORTS, "time", IpStatusChange),
    "reports": Listed("/api/v1/commercialization-reports", outcomes.reports_query, outcomes.ReportFilter,
                      outcomes.REPORT_SORTS, "id", CommercializationReport),
    "evaluations": Listed("/api/v1/evaluations", grants.audits_query, grants.AuditFilter, grants.AUDIT_SORTS, "id",
                          Evaluation),
    "documents": Listed("/api/v1/documents", evidence.anchors_query, evidence.AnchorFilter, evidence.ANCHOR_SORTS,
                        "time", AnchoredDocument),
    "batches": Listed("/api/v1/batches", evidence.batches_query, evidence.BatchFilter, evidence.BATCH_SORTS, "time",
                      EvidenceBatch),
}  # fmt: skip

#: (list, query parameters, the filter they mean): filters alone and together, each sort both ways.
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("programs", {}, {}),
    ("programs", {"sort": "-budget", "limit": 2}, {}),
    ("programs", {"year": 2022, "sort": "year"}, {"year": 2022}),
    ("projects", {}, {}),
    ("projects", {"limit": 3}, {}),
    ("projects", {"sort": "-amount", "limit": 4}, {}),
    ("projects", {"sort": "startDate", "limit": 5}, {}),
    ("projects", {"program": 1}, {"program_id": 1}),
    ("projects", {"program": 1, "status": "active", "sort": "-id"}, {"program_id": 1, "status": 1}),
    ("projects", {"status": "completed"}, {"status": 2}),
    ("milestones", {"limit": 7}, {}),
    ("milestones", {"project": 1}, {"project_id": 1}),
    ("milestones", {"sort": "-dueDate", "limit": 6}, {}),
    ("milestones", {"program": 1, "status": "approved"}, {"program_id": 1, "status": 3}),
    ("outcomes", {"limit": 4}, {"superseded": False}),
    ("outcomes", {"revoked": "false", "sort": "-id", "limit": 5}, {"revoked": False, "superseded": False}),
    ("outcomes", {"program": 1}, {"program_id": 1, "superseded": False}),
    ("outcomes", {"versions": "all", "limit": 6}, {}),
    ("outcomes", {"versions": "superseded", "sciIndexed": "true"}, {"superseded": True, "sci_indexed": True}),
    ("ip", {}, {}),
    ("ip", {"sort": "-time", "limit": 2}, {}),
    ("reports", {}, {}),
    ("reports", {"sort": "-sales", "limit": 2}, {}),
    ("evaluations", {}, {}),
    ("documents", {"limit": 9}, {}),
    ("documents", {"sort": "-time", "limit": 9}, {}),
    ("batches", {}, {}),
]


@pytest.fixture(scope="module")
def documented(indexed: IndexedRegistry) -> Iterator[TestClient]:
    """The same application without its direct routes and lists: every request through FastAPI."""
    with TestClient(create_app(indexed.settings, direct=False), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def fresh(indexed: IndexedRegistry) -> Iterator[TestClient]:
    """An application of its own, so that what it keeps starts empty."""
    with TestClient(create_app(indexed.settings), raise_server_exceptions=False) as client:
        yield client


def plain_answer(indexed: IndexedRegistry, listed: Listed, params: dict[str, Any], wanted: dict[str, Any]) -> bytes:
    """The answer of the plain path: the page's rows read by SQLAlchemy, each item a pydantic model, the
    page serialized as FastAPI serializes a `Page` response model."""
    engine = open_engine(indexed.settings.database_url)
    try:
        contracts = RegistryContracts.from_manifest(indexed.manifest)
        position = seek(listed.sorts, listed.default_sort, params.get("sort"), params.get("cursor"),
                        params.get("limit", 50))  # fmt: skip
        page = read_list(engine, listed.query_of(listed.filter_type(**wanted)), position,
                         lambda row: listed.model.from_row(row, contracts), Page[listed.model])  # type: ignore[attr-defined,name-defined]  # fmt: skip
        return TypeAdapter(Page[listed.model]).dump_json(page, by_alias=True)  # type: ignore[name-defined]
    finally:
        engine.dispose()


def every_page(client: TestClient, path: str, params: dict[str, Any]) -> Iterator[tuple[dict[str, Any], bytes]]:
    """Each page of a list in turn (its query parameters and its answer), following `nextCursor`."""
    asked = dict(params)
    while True:
        response = client.get(path, params=asked)
        assert response.status_code == 200, response.text
        yield dict(asked), response.content
        cursor = response.json()["nextCursor"]
        if cursor is None:
            return
        asked["cursor"] = cursor


@pytest.mark.parametrize(("name", "params", "wanted"), CASES)
def test_every_page_of_a_list_is_the_plain_paths_answer_byte_for_byte(
    api: TestClient,
    documented: TestClient,
    indexed: IndexedRegistry,
    name: str,
    params: dict[str, Any],
    wanted: dict[str, Any],
) -> None:
    listed = LISTS[name]
    pages = list(every_page(api, listed.path, params))
    for asked, body in pages:
        assert body == plain_answer(indexed, listed, asked, wanted), asked
        again = api.get(listed.path, params=asked)
        assert again.content == body, "a page asked again (its items kept) is the same"
        through_fastapi = documented.get(listed.path, params=asked)
        assert (through_fastapi.status_code, through_fastapi.content) == (200, body)
        assert again.headers["content-type"] == through_fastapi.headers["content-type"] == "application/json"
    assert pages[0][1].startswith(b'{"items":[')


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=x", "sort=amountt", "cursor=zzz", "program=0", "status=opened", "from=2021-13-01",
     "limit=5&limit=6", "unknown=1", "from=2022-01-01&to=2021-01-01"],
)  # fmt: skip
def test_a_list_asked_wrongly_answers_as_fastapi_does(api: TestClient, documented: TestClient, query: str) -> None:
    direct = api.get(f"/api/v1/projects?{query}")
    through_fastapi = documented.get(f"/api/v1/projects?{query}")
    assert (direct.status_code, direct.content) == (through_fastapi.status_code, through_fastapi.content)
    assert direct.status_code != 500


def kept(client: TestClient) -> KeptAnswers:
    store = client.app.state.context.extras.get(KEPT_SLOT)  # type: ignore[attr-defined]
    assert isinstance(store, KeptAnswers)
    return store


def test_an_item_kept_is_dropped_when_the_database_changes(fresh: TestClient, indexed: IndexedRegistry) -> None:
    first = fresh.get("/api/v1/projects", params={"limit": 3}).json()
    assert len(kept(fresh)) == 3
    assert fresh.get("/api/v1/projects", params={"limit": 3}).json() == first
    project_id = first["items"][0]["projectId"]
    engine = open_engine(indexed.settings.database_url)
    try:
        with engine.begin() as connection:
            amount = connection.execute(select(projects.c.amount).where(projects.c.project_id == project_id)).scalar()
            connection.execute(update(projects).where(projects.c.project_id == project_id).values(amount=12345))
        edited = fresh.get("/api/v1/projects", params={"limit": 3}).json()
        assert edited["items"][0]["amount"] == "12345", "an edit by hand shows in the next answer"
        assert edited["items"][1:] == first["items"][1:]
        assert fresh.get("/api/v1/projects", params={"limit": 3}).json() == edited
    finally:
        with engine.begin() as connection:
            connection.execute(update(projects).where(projects.c.project_id == project_id).values(amount=amount))
        engine.dispose()
    assert fresh.get("/api/v1/projects", params={"limit": 3}).json() == first


def test_items_read_while_the_database_changed_are_not_kept(fresh: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The change counter is read before and after a page's rows: when it moved meanwhile (a commit landed),
    the rows may be newer than the counter says, so nothing read then is kept."""
    counter = iter(range(10**6))
    monkeypatch.setattr(ReadConnections, "data_version", lambda self: (0, str(next(counter))))
    body = fresh.get("/api/v1/projects", params={"limit": 4})
    assert body.status_code == 200 and len(body.json()["items"]) == 4
    assert len(kept(fresh)) == 0
    monkeypatch.undo()
    fresh.get("/api/v1/projects", params={"limit": 4})
    assert len(kept(fresh)) == 4


def test_each_list_is_taken_by_its_direct_list_unless_fastapi_must_answer(api: TestClient) -> None:
    routes = [r for r in api.app.router.routes if isinstance(r, DirectListRoute)]  # type: ignore[attr-defined]
    assert {r.path for r in routes} == {listed.path for listed in LISTS.values()}

    def taker(path: str, query: str) -> str | None:
        scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "query_string": query.encode()}
        return next((r.path for r in routes if r.matches(scope)[0] is Match.FULL), None)

    assert taker("/api/v1/projects", "program=1&sort=-amount&limit=5") == "/api/v1/projects"
    assert taker("/api/v1/milestones", "project=2&status=approved") == "/api/v1/milestones"
    # A sort the list does not have is the endpoint's to refuse (as through FastAPI); these are the validators'.
    for wrong in ("limit=0", "program=x", "limit=5&limit=6", "programme=1"):
        assert taker("/api/v1/projects", wrong) is None, wrong
    assert taker("/api/v1/projects/export", "") is None
