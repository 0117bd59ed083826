"""A server whose SQLite file goes bad under it (truncated, pages overwritten) answers 503 with the
reason on the routes and on /health, in the portal as a page in the reader's language, and never a
500 or a hang; the operator's log line says what it means and what to do."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from registry.api.loopback import served_on_loopback
from registry.settings import Settings
from registry.web.app import create_app  # the API with the portal, whose pages say it too
from tests.api.conftest import IndexedRegistry

CORRUPT = "the registry's database cannot be read just now: it is corrupt"
ROUTES = [
    "/api/v1/programs",
    "/api/v1/projects/1",
    "/api/v1/projects?limit=500",
    "/api/v1/milestones?limit=500",
    "/api/v1/outcomes?limit=500",
    "/api/v1/statistics/programs",
    "/api/v1/verify/" + "ab" * 32,
    "/api/v1/programs/1",
]
PAGES = ["/programs", "/projects/1", "/dashboard"]


@pytest.fixture
def copy(indexed: IndexedRegistry, tmp_path: Path) -> Path:
    """A copy of the indexed database, to spoil."""
    source = sqlite3.connect(indexed.settings.database_url.removeprefix("sqlite:///"))
    target = sqlite3.connect(tmp_path / "registry.db")
    source.backup(target)
    target.close()
    source.close()
    return tmp_path / "registry.db"


@pytest.fixture
def served(indexed: IndexedRegistry, copy: Path) -> Iterator[str]:
    settings = Settings(
        data_dir=copy.parent,
        database_url=f"sqlite:///{copy}",
        rpc_url=indexed.settings.rpc_url,
        chain_id=indexed.manifest.chain_id,
    )
    indexed.manifest.write(settings.manifest_path)
    with served_on_loopback(create_app(settings), what="the API over a copy") as url:
        yield url


def _get(url: str) -> requests.Response:
    # A generous deadline: the point is that an answer comes, not how fast.
    return requests.get(url, timeout=30, headers={"accept": "text/html"} if "/api/" not in url else {})


def test_every_route_answers_before_the_file_goes_bad(served: str) -> None:
    assert {path: _get(served + path).status_code for path in [*ROUTES, *PAGES, "/health"]} == dict.fromkeys(
        [*ROUTES, *PAGES, "/health"], 200
    )


def test_a_truncated_file_is_a_503_with_the_reason_on_every_route_and_on_health(
    served: str, copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _get(served + "/api/v1/projects/1")  # kept connections, warm caches
    with copy.open("r+b") as file:
        file.truncate(8192)

    with caplog.at_level(logging.ERROR, logger="registry.api"):
        answers = {path: _get(served + path) for path in ROUTES}
        pages = {path: _get(served + path) for path in PAGES}
        health = _get(served + "/health")

    assert {path: a.status_code for path, a in answers.items()} == dict.fromkeys(ROUTES, 503)
    for answer in answers.values():
        assert answer.json()["error"]["message"].startswith(CORRUPT)
        assert str(copy) not in answer.text, "a reader is not told where the server keeps its files"
    assert {path: p.status_code for path, p in pages.items()} == dict.fromkeys(PAGES, 503)
    assert all("등록부 데이터베이스를 읽을 수 없습니다" in page.text for page in pages.values())
    assert health.status_code == 503
    assert health.json()["status"] == "unavailable" and health.json()["database"]["error"].startswith(CORRUPT)
    logged = [r.getMessage() for r in caplog.records]
    assert logged and all("Traceback" not in line for line in logged)
    assert any("it is corrupt; restore it from a backup" in line for line in logged), logged


def test_pages_overwritten_where_health_does_not_read_still_make_health_unavailable(served: str, copy: Path) -> None:
    size = copy.stat().st_size
    with copy.open("r+b") as file:
        for page in range(1, size // 4096):  # every page but the first (the header and schema's start)
            file.seek(page * 4096 + 8)
            file.write(b"\xa5" * 4000)

    answers = {path: _get(served + path) for path in ROUTES}
    health = _get(served + "/health")

    statuses = {path: a.status_code for path, a in answers.items()}
    assert set(statuses.values()) <= {200, 503} and 503 in statuses.values(), statuses
    assert all(a.json()["error"]["message"].startswith(CORRUPT) for a in answers.values() if a.status_code == 503)
    assert health.status_code == 503, "a failure met by a request is remembered by /health"
    assert health.json()["database"]["error"].startswith(CORRUPT)


def test_every_operation_declares_the_503_in_the_openapi_document(served: str) -> None:
    document = requests.get(served + "/openapi.json", timeout=30).json()
    operations = [(path, method, o) for path, methods in document["paths"].items() for method, o in methods.items()]
    assert operations and all("503" in o["responses"] for _, _, o in operations)
