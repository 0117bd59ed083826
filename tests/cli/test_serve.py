"""`rnd-registry serve`: uvicorn with the API's factory on the configured address, and, run for real,
an HTTP server that answers and writes one JSON access-log line per request."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import uvicorn
from typer.testing import CliRunner

from registry.api.slow_clients import HttpToolsWithDeadlines
from registry.chain.anvil import free_port
from registry.cli.main import app
from registry.settings import get_settings
from registry.store.engine import open_engine, upgrade


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("RND_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RND_API_HOST", "0.0.0.0")
    monkeypatch.setenv("RND_API_PORT", "8123")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_serve_runs_uvicorn_with_the_api_factory_on_the_configured_address(
    monkeypatch: pytest.MonkeyPatch, fresh_settings: None
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **options: calls.append({"target": target, **options}))
    result = CliRunner().invoke(app, ["serve"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    [call] = calls
    assert {k: call[k] for k in ("target", "factory", "host", "port", "workers", "loop", "http", "access_log")} == {
        "target": "registry.web.app:create_app",
        "factory": True,
        "host": "0.0.0.0",
        "port": 8123,
        "workers": 1,
        "loop": "uvloop",
        "http": HttpToolsWithDeadlines,
        "access_log": False,
    }
    result = CliRunner().invoke(app, ["serve", "--host", "127.0.0.1", "--port", "9001", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert (calls[1]["host"], calls[1]["port"], calls[1]["workers"]) == ("127.0.0.1", 9001, 2)


def _serve(tmp_path: Path, port: int, *options: str, **settings: str) -> subprocess.Popen[str]:
    """`rnd-registry serve` run for real on `port` with the RND_* `settings`, once it accepts connections."""
    environment = {**os.environ, "RND_DATA_DIR": str(tmp_path), "RND_RPC_URL": f"http://127.0.0.1:{free_port()}"}
    command = [str(Path(sys.executable).parent / "rnd-registry"), "serve", "--port", str(port), *options]
    server = subprocess.Popen(
        command,
        env={**environment, **settings},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its workers too can be killed, as a group, should it never answer
    )
    deadline = time.monotonic() + 120  # workers start slowly on a busy machine
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(server.pid, signal.SIGKILL)  # workers hold the pipes open otherwise
                pytest.fail(server.communicate(timeout=30)[1])
            time.sleep(0.2)


def test_serve_answers_over_http_and_logs_each_request_as_a_json_line(tmp_path: Path) -> None:
    port = free_port()
    server = _serve(tmp_path, port)
    try:
        health = requests.get(f"http://127.0.0.1:{port}/health", timeout=30)
        programs = requests.get(f"http://127.0.0.1:{port}/api/v1/programs", timeout=30)
    finally:
        server.terminate()
        output, errors = server.communicate(timeout=30)
    assert health.status_code == 200 and health.json()["status"] == "degraded"  # no chain at the RPC URL
    assert (programs.status_code, programs.json()) == (200, {"items": [], "nextCursor": None})
    lines = [json.loads(line) for line in output.splitlines()]
    assert [(line["path"], line["route"], line["status"]) for line in lines] == [
        ("/health", "/health", 200),
        ("/api/v1/programs", "/api/v1/programs", 200),
    ]
    assert f"at http://127.0.0.1:{port}" in errors


def test_serve_with_workers_answers_408_to_headers_that_stop_coming(tmp_path: Path) -> None:
    port = free_port()
    server = _serve(tmp_path, port, "--workers", "2", RND_API_HEADER_TIMEOUT="1")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(b"GET /api/v1/programs HTTP/1.1\r\nHost: registry.test\r\n")
            answer = sock.makefile("rb").read()  # until the server closes; 30 s without a byte fails
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    head, body = answer.split(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 Request Timeout\r\n") and b"\r\nconnection: close" in head
    assert json.loads(body)["error"]["status"] == 408
    assert errors.count("the request line and headers took longer than 1 s to arrive; answered 408") == 1


def _refused_serve(monkeypatch: pytest.MonkeyPatch) -> str:
    started: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **options: started.append(target))
    result = CliRunner().invoke(app, ["serve"], catch_exceptions=False)
    assert result.exit_code == 1 and started == [], "the server does not start on a database it cannot use"
    lines = [line for line in result.output.splitlines() if line.strip() and line.startswith("error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def test_serve_refuses_a_file_that_is_not_a_registry_database_in_one_line(
    monkeypatch: pytest.MonkeyPatch, fresh_settings: None, tmp_path: Path
) -> None:
    (tmp_path / "registry.db").write_bytes(b"not a database at all\n" * 200)
    assert "cannot be used: it is not a registry database, or it is corrupt" in _refused_serve(monkeypatch)


def test_serve_refuses_a_database_from_a_newer_schema_in_one_line(
    monkeypatch: pytest.MonkeyPatch, fresh_settings: None, tmp_path: Path
) -> None:
    engine = open_engine(get_settings().database_url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'f00dfeed0001'")
    engine.dispose()
    line = _refused_serve(monkeypatch)
    assert "its schema (f00dfeed0001) is newer than this version of the registry knows" in line
