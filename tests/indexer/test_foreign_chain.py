"""An indexer pointed at a node with the registry's chain id that does not serve the registry's chain (a
fresh node with nothing deployed, other code at the contracts' addresses, the right code but not the
deployment's history) refuses in one line and leaves the database exactly as it was, instead of reading
the new chain as a reorganisation and unwinding the copy the public reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner
from web3 import Web3

from registry.chain.anvil import AnvilProcess, start_anvil
from registry.chain.deployment import DeploymentManifest
from registry.chain.devload import DevLoad
from registry.cli.main import app
from registry.indexer.identity import ForeignChain
from registry.settings import get_settings
from registry.store.engine import open_engine
from tests.helpers.database import table_contents
from tests.helpers.indexer import index_once, make_indexer


@pytest.fixture
def stranger(project_root: Path, manifest: DeploymentManifest) -> Iterator[AnvilProcess]:
    """A fresh node with the registry's chain id and nothing deployed."""
    node = start_anvil(project_root, chain_id=manifest.chain_id)
    yield node
    node.stop()


@pytest.fixture
def indexed_copy(database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, devload: DevLoad) -> str:
    """A copy indexed from the registry's own chain, with a round of activity in it."""
    devload.round(projects=2)
    summary = index_once(database_url, manifest, anvil.rpc_url)
    assert summary.events > 0
    return database_url


def refused(database_url: str, manifest: DeploymentManifest, rpc_url: str) -> str:
    engine = open_engine(database_url)
    before = table_contents(engine)
    indexer = make_indexer(database_url, manifest, rpc_url)
    try:
        with pytest.raises(ForeignChain) as refusal:
            indexer.run()
    finally:
        indexer.close()
    assert table_contents(engine) == before, "nothing indexed, nothing rolled back"
    engine.dispose()
    return str(refusal.value)


def test_a_fresh_node_with_the_same_chain_id_is_refused_and_the_copy_kept(
    indexed_copy: str, manifest: DeploymentManifest, stranger: AnvilProcess
) -> None:
    reason = refused(indexed_copy, manifest, stranger.rpc_url)
    assert reason.startswith(f"the node at {stranger.rpc_url} is not the chain this registry was deployed on: ")
    assert "it has no code at" in reason and "nothing was indexed or rolled back" in reason


def test_other_code_at_the_contracts_addresses_is_refused(
    indexed_copy: str, manifest: DeploymentManifest, stranger: AnvilProcess
) -> None:
    node = Web3(Web3.HTTPProvider(stranger.rpc_url))
    for contract in manifest.contracts.values():
        node.provider.make_request("anvil_setCode", [contract.address, "0x6000"])  # type: ignore[arg-type]
    assert "is not the deployed code" in refused(indexed_copy, manifest, stranger.rpc_url)


def test_the_deployed_code_without_the_deployments_history_is_refused(
    indexed_copy: str, manifest: DeploymentManifest, stranger: AnvilProcess, w3: Web3
) -> None:
    node = Web3(Web3.HTTPProvider(stranger.rpc_url))
    for contract in manifest.contracts.values():
        code = w3.eth.get_code(Web3.to_checksum_address(contract.address))
        node.provider.make_request("anvil_setCode", [contract.address, "0x" + bytes(code).hex()])  # type: ignore[arg-type]
    reason = refused(indexed_copy, manifest, stranger.rpc_url)
    assert "deployment transaction" in reason and "is not in block" in reason


def test_a_node_replaced_while_following_is_refused_before_any_roll_back(
    indexed_copy: str, manifest: DeploymentManifest, anvil: AnvilProcess, stranger: AnvilProcess
) -> None:
    """The reorganisation path asks too: a copy whose node now serves a stranger chain is not unwound."""
    engine = open_engine(indexed_copy)
    before = table_contents(engine)
    indexer = make_indexer(indexed_copy, manifest, anvil.rpc_url)
    try:
        indexer.run()  # caught up already: nothing new
        indexer.rpc.url = stranger.rpc_url  # the node behind the URL changed after the start-up check
        with pytest.raises(ForeignChain):
            indexer._reorganized(None)
    finally:
        indexer.close()
    assert table_contents(engine) == before
    engine.dispose()


def test_rnd_registry_index_says_it_in_one_line_and_exits_non_zero(
    indexed_copy: str,
    manifest: DeploymentManifest,
    stranger: AnvilProcess,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir = tmp_path / "data"
    manifest.write(data_dir / "deployment.json")
    monkeypatch.setenv("RND_DATA_DIR", str(data_dir))
    monkeypatch.setenv("RND_DATABASE_URL", indexed_copy)
    monkeypatch.setenv("RND_RPC_URL", stranger.rpc_url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["index"], catch_exceptions=False)
    finally:
        get_settings.cache_clear()
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: the node at "), result.output
