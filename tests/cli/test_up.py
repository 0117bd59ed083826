"""`rnd-registry up`, the README's first command: from an empty data directory to a registry that
serves the demo data, stopped cleanly by Ctrl-C, and resumed without duplicating anything."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from registry.api.app import create_app
from registry.chain.anvil import free_port
from registry.cli.main import app
from registry.cli.up import banner
from registry.demo.dataset import COMPANIES
from registry.demo.stack import Stack
from registry.settings import Settings, get_settings
from tests.cli.conftest import reason

STARTUP_TIMEOUT = 240.0


def descendants(pid: int) -> set[int]:
    """Every living process started by `pid`, directly or not (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        children = {child for child, parent in parents.items() if parent in frontier}
        found |= children
        frontier = children
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Registry:
    """One `rnd-registry up` process on free ports, with its own data directory."""

    def __init__(self, data_dir: Path, project_root: Path) -> None:
        self.api_port, self.chain_port = free_port(), free_port()
        self.api = f"http://127.0.0.1:{self.api_port}"
        self.env = {
            **os.environ,
            "RND_DATA_DIR": str(data_dir),
            "RND_ANVIL_PORT": str(self.chain_port),
            "RND_RPC_URL": f"http://127.0.0.1:{self.chain_port}",
            "RND_API_PORT": str(self.api_port),
        }
        self.data_dir = data_dir
        self.project_root = project_root
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "registry.cli.main", "up"],
            cwd=self.project_root,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def wait_until(self, condition: Callable[[], bool], what: str) -> None:
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read() if self.process.stdout else ""
                pytest.fail(f"`rnd-registry up` exited with {self.process.returncode} before {what}:\n{output}")
            try:
                if condition():
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        pytest.fail(f"timed out waiting for {what}")

    def get(self, path: str) -> Any:
        response = requests.get(self.api + path, timeout=5)
        response.raise_for_status()
        return response.json()

    def page(self, path: str) -> str:
        response = requests.get(self.api + path, timeout=5)
        response.raise_for_status()
        return response.text

    def stop_with_ctrl_c(self) -> str:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        output, _ = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, output
        return output

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            for pid in descendants(self.process.pid):
                os.kill(pid, signal.SIGKILL)
            self.process.kill()
            self.process.wait()


@pytest.fixture
def registry(tmp_path: Path, project_root: Path) -> Iterator[Registry]:
    found = Registry(tmp_path / "data", project_root)
    yield found
    found.kill()


def demo_served(registry: Registry) -> bool:
    programs = registry.get("/api/v1/programs")["items"]
    projects = registry.get("/api/v1/projects?limit=100")["items"]
    audits = registry.get("/api/v1/evaluations")["items"]
    return len(programs) == 3 and len(projects) == 5 and len(audits) == 4


def test_up_serves_the_demo_stops_on_ctrl_c_and_resumes_without_duplicates(registry: Registry) -> None:
    registry.start()
    registry.wait_until(lambda: demo_served(registry), "the demo data to be served")

    programs = registry.get("/api/v1/programs")["items"]
    assert sorted(int(p["budget"]) for p in programs) == [200_000_000, 600_000_000, 800_000_000]
    assert sorted(int(p["perProjectCap"]) for p in programs) == [20_000_000, 100_000_000, 100_000_000]
    plan = (registry.data_dir / "demo-documents" / "project-1" / "plan.txt").read_bytes()
    verdict = registry.get(f"/api/v1/verify/{hashlib.sha256(plan).hexdigest()}")
    assert verdict["anchored"] is True
    # One rule of what is overdue: the statistics, the program pages and the project pages agree on the
    # README's one overdue milestone (project 5's rejected one ended with its terminated project).
    statistics = registry.get("/api/v1/statistics/programs")["items"]
    assert sum(item["milestones"]["overdue"] for item in statistics) == 1
    marked = {p["projectId"]: registry.page(f"/projects/{p['projectId']}").count('class="badge badge-overdue"')
              for p in registry.get("/api/v1/projects?limit=100")["items"]}  # fmt: skip
    assert sum(marked.values()) == 1 and marked[2] == 1, marked
    assert 'class="badge badge-overdue"' in registry.page("/projects/2/milestones/2")
    head = registry.get("/health")

    assert registry.process is not None
    started = descendants(registry.process.pid)
    assert len(started) >= 3, "the chain, the indexer and the API run as child processes"
    output = registry.stop_with_ctrl_c()
    assert "The registry is running" in output
    assert [pid for pid in started if alive(pid)] == []

    registry.start()
    registry.wait_until(lambda: demo_served(registry), "the demo data to be served again")
    assert registry.get("/api/v1/programs")["items"] == programs
    again = registry.get("/health")
    assert again["indexer"]["indexedBlock"] >= head["indexer"]["indexedBlock"]
    assert len(registry.get("/api/v1/projects?limit=100")["items"]) == 5
    registry.stop_with_ctrl_c()


class Listener:
    """Something on a port: a bare TCP listener, or an HTTP server whose /health answers like a registry's."""

    def __init__(self, *, registry: bool) -> None:
        body = json.dumps({"status": "ok", "indexer": {"indexedBlock": 1}}).encode()

        class Health(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self.server: HTTPServer | None = None
        self.socket: socket.socket | None = None
        if registry:
            self.server = HTTPServer(("127.0.0.1", 0), Health)
            self.port = self.server.server_address[1]
            threading.Thread(target=self.server.serve_forever, daemon=True).start()
        else:
            self.socket = socket.create_server(("127.0.0.1", 0))
            self.port = self.socket.getsockname()[1]

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self.socket is not None:
            self.socket.close()


@pytest.fixture
def up_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[int, int], None]]:
    """Points `rnd-registry up` (run in this process) at an API port and a chain port."""

    def choose(api_port: int, chain_port: int) -> None:
        monkeypatch.setenv("RND_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("RND_API_PORT", str(api_port))
        monkeypatch.setenv("RND_ANVIL_PORT", str(chain_port))
        monkeypatch.setenv("RND_RPC_URL", f"http://127.0.0.1:{chain_port}")
        get_settings.cache_clear()

    yield choose
    get_settings.cache_clear()


def refused_up(tmp_path: Path) -> str:
    result = CliRunner().invoke(app, ["up"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert "The registry is running" not in result.output
    assert result.stdout == "", "nothing starts before the ports are checked"
    assert not (tmp_path / "data").exists()
    return reason(result)


@pytest.mark.parametrize(
    ("registry_listens", "expected"),
    [
        (True, "a registry (http://127.0.0.1:{port}) already listens on 127.0.0.1:{port}; stop it with Ctrl-C "
               "in its terminal, or choose another port with --port or RND_API_PORT"),
        (False, "something else already listens on 127.0.0.1:{port}; stop it, or choose another port with --port "
                "or RND_API_PORT"),
    ],
)  # fmt: skip
def test_a_second_up_says_at_once_that_the_api_port_is_taken(
    tmp_path: Path, up_settings: Callable[[int, int], None], registry_listens: bool, expected: str
) -> None:
    listener = Listener(registry=registry_listens)
    try:
        up_settings(listener.port, free_port())
        assert refused_up(tmp_path) == "error: " + expected.format(port=listener.port)
    finally:
        listener.close()


def test_up_says_at_once_that_something_other_than_a_chain_holds_the_chain_port(
    tmp_path: Path, up_settings: Callable[[int, int], None]
) -> None:
    listener = Listener(registry=False)
    try:
        up_settings(free_port(), listener.port)
        line = refused_up(tmp_path)
    finally:
        listener.close()
    assert line.startswith(f"error: something that is not a chain already listens on 127.0.0.1:{listener.port}; ")
    assert "`rnd-registry chain down`" in line and "RND_ANVIL_PORT and RND_RPC_URL" in line


def ready_banner(data_dir: Path, *, port: int = 8000) -> list[str]:
    stack = Stack(Settings(data_dir=data_dir), host="127.0.0.1", port=port)
    return banner(stack)


def test_the_banners_api_address_answers(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    lines = ready_banner(settings.data_dir)
    api_line = next(line for line in lines if line.strip().startswith("API:"))
    addresses = [word for word in api_line.split() if word.startswith("http://")]
    with TestClient(create_app(settings)) as client:
        for address in addresses:
            assert client.get(address.removeprefix("http://127.0.0.1:8000")).status_code == 200, address


def test_the_banner_lists_the_demo_accounts_by_number_with_the_companies_registration_numbers(
    tmp_path: Path,
) -> None:
    lines = ready_banner(tmp_path)
    start = lines.index("Demo accounts (anvil's public dev keys; use `--dev-key N` with the CLI):") + 1
    accounts = lines[start : lines.index("", start)]
    assert [int(line.split()[0]) for line in accounts] == list(range(9))  # the second auditor is 8
    for company in COMPANIES:
        line = accounts[company.account]
        assert line.split()[2] == "company"
        assert company.name in line and f"business registration number {company.registration_number}" in line


def test_the_readme_shows_the_banner_up_prints_and_names_the_same_company_keys(project_root: Path) -> None:
    readme = (project_root / "README.md").read_text()
    for line in ready_banner(Path(".rnd-registry")):
        assert line in readme.splitlines(), line
    keys = sorted(c.account for c in COMPANIES)
    said = ", ".join(str(k) for k in keys[:-1]) + f" and {keys[-1]} the demo companies"
    assert said in " ".join(readme.split())
