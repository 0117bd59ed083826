"""`rnd-registry up`, the README's first command: from an empty data directory to a registry that
serves the demo data, stopped cleanly by Ctrl-C, and resumed without duplicating anything."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from registry.chain.anvil import free_port

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
    return len(programs) == 3 and len(projects) == 5 and len(audits) == 3


def test_up_serves_the_demo_stops_on_ctrl_c_and_resumes_without_duplicates(registry: Registry) -> None:
    registry.start()
    registry.wait_until(lambda: demo_served(registry), "the demo data to be served")

    programs = registry.get("/api/v1/programs")["items"]
    assert sorted(int(p["budget"]) for p in programs) == [200_000_000, 600_000_000, 800_000_000]
    assert sorted(int(p["perProjectCap"]) for p in programs) == [20_000_000, 100_000_000, 100_000_000]
    plan = (registry.data_dir / "demo-documents" / "project-1" / "plan.txt").read_bytes()
    verdict = registry.get(f"/api/v1/verify/{hashlib.sha256(plan).hexdigest()}")
    assert verdict["anchored"] is True
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
