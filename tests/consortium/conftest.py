"""Consortium fixtures: stand-in Besu nodes, started on demand and stopped after the test, and the CLI
on the session registry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from registry.chain.anvil import AnvilProcess
from registry.chain.deployment import DeploymentManifest
from registry.settings import get_settings
from tests.cli.conftest import Cli
from tests.helpers.besu_standin import BesuStandIn, StartNode
from tests.helpers.registry import RegistryHarness


@pytest.fixture
def besu_node(request: pytest.FixtureRequest) -> Iterator[StartNode]:
    """Starts stand-in Besu nodes (`besu_node(accounts=[...])`), of the session registry's chain unless
    `chain_id` is given, and stops them after the test."""
    nodes: list[BesuStandIn] = []

    def start(**options: Any) -> BesuStandIn:
        if "chain_id" not in options:
            options["chain_id"] = request.getfixturevalue("manifest").chain_id
        node = BesuStandIn(**options).__enter__()
        nodes.append(node)
        return node

    try:
        yield start
    finally:
        for node in nodes:
            node.__exit__()


@pytest.fixture
def cli(
    registry: RegistryHarness,
    manifest: DeploymentManifest,
    anvil: AnvilProcess,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Cli]:
    """`rnd-registry` on the session registry (reset after the test), with a fresh data directory and no
    consortium settings from the shell."""
    data_dir = tmp_path / "data"
    manifest.write(data_dir / "deployment.json")
    monkeypatch.setenv("RND_DATA_DIR", str(data_dir))
    monkeypatch.setenv("RND_RPC_URL", anvil.rpc_url)
    for name in ("RND_ACCOUNT", "RND_CHAIN_ID", "RND_CONSORTIUM_NODES", "RND_CONSORTIUM_KEEP_ACCOUNTS"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield Cli(CliRunner(), data_dir)
    get_settings.cache_clear()
