"""The API answers the same from PostgreSQL as from SQLite: the session chain indexed into both by the
real indexer, and every kind of answer (records, histories, filtered and sorted pages, exports,
errors) compared byte for byte. Skipped, visibly, when no PostgreSQL server is reachable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from registry.api.app import create_app
from tests.api.conftest import IndexedRegistry
from tests.helpers.database import Databases
from tests.helpers.indexer import index_once

PATHS = [
    "/api/v1/programs",
    "/api/v1/programs/3",
    "/api/v1/projects?sort=-amount&limit=3",
    "/api/v1/projects/1",
    "/api/v1/projects?status=clawed-back",
    "/api/v1/milestones?sort=dueDate&limit=5",
    "/api/v1/projects/1/milestones/1",
    "/api/v1/outcomes?revoked=true",
    "/api/v1/outcomes/2",
    "/api/v1/ip-status-changes",
    "/api/v1/commercialization-reports?sort=-sales",
    "/api/v1/commercialization-reports/1",
    "/api/v1/evaluations?sort=-clawbackAmount",
    "/api/v1/members?role=admin",
    "/api/v1/members/companies",
    "/api/v1/members/restrictions",
    "/api/v1/members/history?sort=-time&limit=4",
    "/api/v1/batches",
    "/api/v1/projects/export",
    "/api/v1/outcomes/export?format=json",
    "/api/v1/projects/999",
    "/api/v1/projects?cursor=damaged",
]


@pytest.fixture(scope="module")
def postgres_api(indexed: IndexedRegistry, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    databases = Databases("postgresql", tmp_path_factory.mktemp("postgres"))
    try:
        url = databases.new()
        indexed.index()  # the SQLite copy at the chain's present state too
        index_once(url, indexed.manifest, indexed.settings.rpc_url)
        settings = indexed.settings.model_copy(update={"database_url": url})
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            yield client
    finally:
        databases.close()


@pytest.mark.parametrize("path", PATHS)
def test_postgresql_answers_what_sqlite_answers(api: TestClient, postgres_api: TestClient, path: str) -> None:
    from_sqlite = api.get(path)
    from_postgres = postgres_api.get(path)
    assert from_postgres.status_code == from_sqlite.status_code
    assert from_postgres.content == from_sqlite.content


def test_pages_of_a_sorted_list_continue_across_databases(api: TestClient, postgres_api: TestClient) -> None:
    cursor = postgres_api.get("/api/v1/projects", params={"sort": "amount", "limit": 2}).json()["nextCursor"]
    following = {"sort": "amount", "limit": 2, "cursor": cursor}
    assert (
        postgres_api.get("/api/v1/projects", params=following).json()
        == api.get("/api/v1/projects", params=following).json()
    )


#: GraphQL queries whose reads differ most from REST's: the pages under each of many parents (a window
#: function), the histories looked up for a page at once, and an error.
GRAPHQL_QUERIES = [
    '{ programs { items { programId projects(limit: 2, sort: "-amount") { items { projectId amount statusChanges '
    "{ to provenance { blockNumber signer } } milestones(limit: 2) { items { milestoneIndex history { status "
    "evidenceHashes } } nextCursor } } nextCursor } } } }",
    "{ outcomes(revoked: false, limit: 5) { items { outcomeId amendment { originalId } ipStatusChanges { to } "
    "project { programId } } nextCursor } }",
    '{ commercializationReports(sort: "-sales") { items { reportId sales history { action } } } }',
    '{ projects(cursor: "damaged") { items { projectId } } }',
]


@pytest.mark.parametrize("query", GRAPHQL_QUERIES)
def test_postgresql_answers_graphql_as_sqlite_does(api: TestClient, postgres_api: TestClient, query: str) -> None:
    from_sqlite = api.post("/api/v1/graphql", json={"query": query})
    from_postgres = postgres_api.post("/api/v1/graphql", json={"query": query})
    assert from_postgres.status_code == from_sqlite.status_code == 200
    assert from_postgres.content == from_sqlite.content
