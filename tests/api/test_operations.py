"""Operations: `/health` (database, chain head, indexer lag; degraded without the chain, 503 without
the database), `/metrics` in Prometheus text, one JSON access-log line per request, CORS only for the
configured origins, and the OpenAPI document with every route described."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from web3 import Web3

from registry.api.app import create_app
from registry.chain.anvil import free_port
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import error_of


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_health_reports_the_database_the_chain_head_and_the_lag(
    api: TestClient, indexed: IndexedRegistry, w3: Web3
) -> None:
    response = api.get("/health")
    assert response.status_code == 200
    body = response.json()
    head = w3.eth.block_number
    indexed_block = body["indexer"]["indexedBlock"]
    lag = head - indexed_block
    assert body == {
        "status": "ok",
        "database": {"ok": True, "error": None},
        "chain": {"ok": True, "headBlock": head, "error": None},
        "indexer": {"chainId": indexed.manifest.chain_id, "indexedBlock": indexed_block, "lagBlocks": lag},
    }
    assert 0 < indexed_block <= head


def test_health_without_the_chain_is_degraded_not_failed(indexed: IndexedRegistry) -> None:
    unreachable = f"http://127.0.0.1:{free_port()}"
    settings = indexed.settings.model_copy(update={"rpc_url": unreachable})
    with TestClient(create_app(settings)) as api:
        answer = api.get("/health")
        body = answer.json()
        assert answer.status_code == 200
        assert api.get("/api/v1/programs/1").status_code == 200
    assert body["status"] == "degraded"
    assert body["database"] == {"ok": True, "error": None}
    assert body["chain"]["ok"] is False and body["chain"]["headBlock"] is None
    # Why, without the node's address: it may hold an access key, and /health is public.
    assert body["chain"]["error"] == "eth_blockNumber to the registry's node: connection failed or dropped"
    assert unreachable.split("//")[1] not in answer.text
    assert body["indexer"]["indexedBlock"] is not None and body["indexer"]["lagBlocks"] is None


def test_without_the_database_health_and_a_read_are_503s_that_say_why_and_nothing_inside(
    indexed: IndexedRegistry, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = indexed.settings.model_copy(update={"database_url": f"sqlite:///{tmp_path}"})  # a directory
    with TestClient(create_app(settings), raise_server_exceptions=False) as api, caplog.at_level(logging.ERROR):
        health = api.get("/health")
        error = error_of(api.get("/api/v1/projects/1"), 503)
    assert health.status_code == 503
    assert health.json()["status"] == "unavailable"
    assert health.json()["database"]["ok"] is False
    cannot_open = (
        "the registry's database cannot be read just now: it cannot be opened (missing folder or no permission)"
    )
    assert health.json()["database"]["error"].startswith(cannot_open)
    assert error["status"] == 503 and error["message"].startswith(cannot_open)
    assert str(tmp_path) not in error["message"], "a reader is not told where the server keeps its files"
    logged = [r for r in caplog.records if r.name == "registry.api" and r.levelno == logging.ERROR]
    assert len(logged) == 1, "the same problem is logged once, not on every request"
    assert str(tmp_path) in logged[0].getMessage() and not logged[0].exc_info  # one line, for the operator


def test_metrics_count_requests_by_route_template_and_show_the_lag(api: TestClient, w3: Web3) -> None:
    before = samples(api.get("/metrics").text)
    api.get("/api/v1/programs/1")
    api.get("/api/v1/programs/987654")
    response = api.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    after = samples(response.text)
    route = ("route", "/api/v1/programs/{programId}")
    for status in ("200", "404"):
        key = ("registry_api_requests_total", (("method", "GET"), route, ("status", status)))
        assert after[key] - before.get(key, 0.0) == 1
    count = ("registry_api_request_duration_seconds_count", (("method", "GET"), route))
    assert after[count] - before.get(count, 0.0) == 2
    assert after[("registry_chain_head_block", ())] == w3.eth.block_number
    assert after[("registry_indexer_lag_blocks", ())] == (
        after[("registry_chain_head_block", ())] - after[("registry_indexer_indexed_block", ())]
    )


def test_each_request_writes_one_json_access_log_line(api: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="registry.api.access"):
        api.get("/api/v1/outcomes", params={"type": "paper", "limit": 2})
    [record] = [r for r in caplog.records if r.name == "registry.api.access"]
    line = json.loads(record.getMessage())
    assert {k: line[k] for k in ("method", "path", "query", "route", "status")} == {
        "method": "GET",
        "path": "/api/v1/outcomes",
        "query": "type=paper&limit=2",
        "route": "/api/v1/outcomes",
        "status": 200,
    }
    assert line["durationMs"] > 0 and line["time"].endswith("Z")


def test_cors_answers_only_the_configured_origins(indexed: IndexedRegistry) -> None:
    settings = indexed.settings.model_copy(update={"api_cors_origins": ["https://portal.example"]})
    with TestClient(create_app(settings)) as api:
        allowed = api.get("/api/v1/programs", headers={"Origin": "https://portal.example"})
        other = api.get("/api/v1/programs", headers={"Origin": "https://elsewhere.example"})
        preflight = api.options(
            "/api/v1/programs",
            headers={"Origin": "https://portal.example", "Access-Control-Request-Method": "GET"},
        )
    assert allowed.headers["access-control-allow-origin"] == "https://portal.example"
    assert "access-control-allow-origin" not in other.headers
    assert preflight.status_code == 200
    with TestClient(create_app(indexed.settings)) as api:
        assert (
            "access-control-allow-origin"
            not in api.get("/api/v1/programs", headers={"Origin": "https://portal.example"}).headers
        )


def test_every_route_is_documented_with_a_summary_a_tag_and_its_error_answers(api: TestClient) -> None:
    document = api.get("/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary") and operation.get("tags"), (method, path)
            if path.startswith("/api/v1/") and "{" in path:
                assert "404" in operation["responses"] or path.startswith("/api/v1/verify"), path
    schemas = document["components"]["schemas"]
    assert schemas["Provenance"]["properties"]["blockTime"]["format"] == "date-time"
    assert schemas["Program"]["properties"]["budget"]["type"] == "string"
    assert api.get("/docs").status_code == 200
