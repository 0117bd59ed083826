"""Indexer fixtures: an empty database per test on SQLite and on PostgreSQL, and the session registry
filled with a round of every kind of activity (reset after the test)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web3 import Web3

from registry.chain.anvil import AnvilProcess
from registry.chain.client import RegistryClient
from registry.chain.deployment import DeploymentManifest
from registry.chain.devload import DevLoad
from tests.helpers.database import BACKENDS, Databases


@pytest.fixture(params=BACKENDS)
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Databases]:
    """Empty databases on SQLite, then on PostgreSQL (skipped, saying why, if no server answers)."""
    found = Databases(request.param, tmp_path)
    yield found
    found.close()


@pytest.fixture
def database_url(databases: Databases) -> str:
    return databases.new()


@pytest.fixture
def chain_snapshot(w3: Web3) -> Iterator[None]:
    """Whatever the test does to the session chain is undone after it."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    yield
    w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]


@pytest.fixture
def devload(anvil: AnvilProcess, manifest: DeploymentManifest, chain_snapshot: None) -> Iterator[DevLoad]:
    """A load generator on the session registry, its roles given out."""
    load = DevLoad(anvil.rpc_url, manifest, seed=7, per_block=40, relay_share=0.25)
    load.setup()
    yield load
    load.close()


@pytest.fixture
def activity(devload: DevLoad) -> DevLoad:
    """The session registry after two rounds of every kind of activity: programs, projects, milestones,
    audits, outcomes, IP, commercialization, anchors, batches, roles, relayed submissions."""
    devload.round(projects=6)
    devload.round(projects=4)
    return devload


@pytest.fixture
def client(w3: Web3, manifest: DeploymentManifest) -> RegistryClient:
    return RegistryClient(w3, manifest)
