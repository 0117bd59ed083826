"""When the chain replaces blocks the database was built from (anvil's `evm_snapshot`/`evm_revert`,
then other transactions), the indexer refuses and changes nothing, unless the operator asked it to
follow (`roll_back_reorgs`); then the database ends equal to the new chain: the replaced blocks'
records gone, the new ones present, exactly as a fresh run over the new chain writes them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from web3 import Web3

from registry.chain.anvil import AnvilProcess
from registry.chain.client import RegistryClient
from registry.chain.deployment import DeploymentManifest
from registry.chain.devload import DevLoad
from registry.domain.records import Program
from registry.indexer.checkpoint import Checkpoint
from registry.indexer.fetcher import BlockHeader
from registry.indexer.reorgs import DeepReorganization, find_fork_point
from registry.store.engine import open_engine
from registry.store.records import read_records
from registry.store.schema import blocks, raw_events
from tests.helpers.database import Databases, assert_same_databases, table_contents
from tests.helpers.indexer import assert_database_matches_chain, index_once, make_indexer


def snapshot(w3: Web3) -> Any:
    return w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]


def revert(w3: Web3, snapshot_id: Any) -> None:
    assert w3.provider.make_request("evm_revert", [snapshot_id])["result"]  # type: ignore[arg-type]


def assert_only_canonical_blocks(engine: Engine, w3: Web3) -> None:
    with engine.connect() as connection:
        for number, block_hash in connection.execute(select(blocks.c.block_number, blocks.c.block_hash)):
            assert bytes(w3.eth.get_block(number)["hash"]) == block_hash, f"block {number} is not the chain's"


@pytest.mark.parametrize("new_projects", [0, 1, 4], ids=["new-chain-shorter", "new-chain-similar", "new-chain-longer"])
def test_a_reorganization_leaves_the_database_equal_to_the_new_chain(
    new_projects: int,
    devload: DevLoad,
    databases: Databases,
    manifest: DeploymentManifest,
    anvil: AnvilProcess,
    client: RegistryClient,
    w3: Web3,
) -> None:
    database_url = databases.new()
    devload.round(projects=3)
    index_once(database_url, manifest, anvil.rpc_url)
    fork = snapshot(w3)
    devload.round(projects=2)
    replaced = index_once(database_url, manifest, anvil.rpc_url)
    engine = open_engine(database_url)
    with engine.connect() as connection:
        programs_before = read_records(connection, Program)

    revert(w3, fork)
    devload.forget_nonces()
    if new_projects:
        devload.round(projects=new_projects)
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    after = index_once(database_url, manifest, anvil.rpc_url, roll_back_reorgs=True)

    assert after.reorgs == 1
    assert_database_matches_chain(engine, client, anvil.rpc_url)
    assert_only_canonical_blocks(engine, w3)
    with engine.connect() as connection:
        programs_after = read_records(connection, Program)
    assert programs_before[-1] not in programs_after  # the replaced branch's program is gone
    assert len(programs_after) == client.counts()["programs"] == len(programs_before) - 1 + (new_projects > 0)
    fresh = databases.new()
    index_once(fresh, manifest, anvil.rpc_url)
    assert_same_databases(engine, open_engine(fresh))
    assert replaced.indexed_block > 0


def test_blocks_replaced_without_events_are_noticed_too(
    devload: DevLoad, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, client: RegistryClient,
    w3: Web3,
) -> None:  # fmt: skip
    devload.round(projects=2)
    fork = snapshot(w3)
    for _ in range(3):
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    index_once(database_url, manifest, anvil.rpc_url)
    revert(w3, fork)
    devload.forget_nonces()
    devload.anchor_document()  # same height again, other blocks
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    after = index_once(database_url, manifest, anvil.rpc_url, roll_back_reorgs=True)

    assert after.reorgs == 1
    assert_database_matches_chain(open_engine(database_url), client, anvil.rpc_url)


def test_a_reorganization_not_asked_to_be_followed_is_refused_and_changes_nothing(
    devload: DevLoad, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, w3: Web3
) -> None:
    devload.round(projects=2)
    fork_height = w3.eth.block_number
    fork = snapshot(w3)
    devload.round(projects=1)
    indexed = index_once(database_url, manifest, anvil.rpc_url)
    revert(w3, fork)
    devload.forget_nonces()
    devload.anchor_document()
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    engine = open_engine(database_url)
    before = table_contents(engine)
    with engine.connect() as connection:
        events = connection.execute(select(func.count()).select_from(raw_events)).scalar_one()
        fork_events = connection.execute(
            select(func.count()).select_from(raw_events).where(raw_events.c.block_number > fork_height)
        ).scalar_one()

    indexer = make_indexer(database_url, manifest, anvil.rpc_url)
    try:
        with pytest.raises(DeepReorganization) as refusal:
            indexer.run()
    finally:
        indexer.close()

    assert table_contents(engine) == before, "nothing rolled back, nothing indexed"
    refused = refusal.value
    assert refused.block == indexed.indexed_block
    assert refused.now is None or refused.now != before["blocks"][-1][1]
    assert refused.fork_block < indexed.indexed_block
    assert 0 < refused.events == fork_events < events
    assert f"block {indexed.indexed_block:,}" in str(refused) and "--roll-back-reorgs" in str(refused)
    engine.dispose()


def test_blocks_replaced_within_the_confirmation_depth_were_never_indexed_and_need_no_roll_back(
    devload: DevLoad, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, client: RegistryClient,
    w3: Web3,
) -> None:  # fmt: skip
    devload.round(projects=2)
    fork = snapshot(w3)
    devload.anchor_document()  # one block, buried under fewer than 3
    index_once(database_url, manifest, anvil.rpc_url, confirmations=3)
    revert(w3, fork)
    devload.forget_nonces()
    devload.anchor_document()
    devload.anchor_document()
    for _ in range(3):  # bury them
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    after = index_once(database_url, manifest, anvil.rpc_url, confirmations=3)

    assert after.reorgs == 0
    assert_database_matches_chain(open_engine(database_url), client, anvil.rpc_url)


class ChainOf:
    """A fetcher whose chain has the given block hashes."""

    def __init__(self, hashes: dict[int, bytes]) -> None:
        self.hashes = hashes
        self.asked: list[int] = []

    def headers(self, numbers: Any) -> dict[int, BlockHeader]:
        wanted = list(numbers)
        self.asked += wanted
        return {n: BlockHeader(n, self.hashes[n], b"", 0) for n in wanted if n in self.hashes}


def test_the_fork_point_is_the_highest_stored_block_the_chain_still_has(engine_with_blocks: Engine) -> None:
    checkpoint = Checkpoint(1, "0x" + "00" * 20, 10, 500, b"\xff" * 32)
    chain = ChainOf({n: bytes([n % 256]) * 32 for n in range(10, 300)} | {n: b"\xee" * 32 for n in range(300, 600)})

    assert find_fork_point(engine_with_blocks, chain, checkpoint) == (290, bytes([290 % 256]) * 32)  # type: ignore[arg-type]


def test_when_no_stored_block_survives_everything_is_indexed_again(engine_with_blocks: Engine) -> None:
    checkpoint = Checkpoint(1, "0x" + "00" * 20, 10, 500, b"\xff" * 32)
    chain = ChainOf({n: b"\xee" * 32 for n in range(0, 600)})

    assert find_fork_point(engine_with_blocks, chain, checkpoint) == (9, None)  # type: ignore[arg-type]
    assert sorted(set(chain.asked)) == list(range(10, 500, 10))


@pytest.fixture
def engine_with_blocks(database_url: str) -> Any:
    """A database holding blocks 10, 20, ... 490, each with the hash the first test's chain still has below 300."""
    from registry.store.engine import upgrade

    engine = open_engine(database_url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(
            blocks.insert(),
            [{"block_number": n, "block_hash": bytes([n % 256]) * 32, "timestamp": n} for n in range(10, 500, 10)],
        )
    yield engine
    engine.dispose()
