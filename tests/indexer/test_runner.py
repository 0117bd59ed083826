"""The indexed database is the chain's registry: every record field for field, nothing more, nothing
less; and it does not depend on how the chain was cut into batches."""

from __future__ import annotations

from sqlalchemy import func, select
from web3 import Web3

from registry.chain.anvil import AnvilProcess
from registry.chain.client import RegistryClient
from registry.chain.deployment import DeploymentManifest
from registry.chain.devload import DevLoad
from registry.indexer.catalogue import EventCatalogue
from registry.indexer.checkpoint import OtherDeployment
from registry.indexer.projections import rebuild
from registry.store.engine import open_engine
from registry.store.schema import blocks, indexer_state, raw_events
from tests.helpers.database import Databases, assert_same_databases, table_contents
from tests.helpers.indexer import assert_database_matches_chain, index_once, make_indexer


def test_the_database_holds_every_record_of_the_chain_and_nothing_else(
    activity: DevLoad, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, client: RegistryClient
) -> None:
    summary = index_once(database_url, manifest, anvil.rpc_url)

    assert summary.indexed_block == summary.head_block == client.w3.eth.block_number
    engine = open_engine(database_url)
    assert_database_matches_chain(engine, client, anvil.rpc_url)
    with engine.connect() as connection:
        events = set(connection.execute(select(raw_events.c.event).distinct()).scalars())
    engine.dispose()
    # The load covers every event the registry emits in normal use.
    assert events >= {
        "ProgramCreated", "ProgramClosed", "ProjectRegistered", "ProjectStatusChanged", "MilestonePlanned",
        "MilestoneSubmitted", "MilestoneApproved", "MilestoneRejected", "AuditRecorded", "CompanyRestrictionSet",
        "RoleGranted", "RoleRevoked", "CompanyAccountBound", "CompanyAccountUnbound", "DefaultAdminTransferScheduled",
        "DefaultAdminTransferCanceled", "DefaultAdminDelayChangeScheduled", "DefaultAdminDelayChangeCanceled",
        "DocumentAnchored", "BatchAnchored", "OutcomeAdded", "OutcomeAmended", "OutcomeRevocation", "IpStatusChanged",
        "CommercializationReported", "CommercializationCommitted", "CommercializationRevealed",
        "CommercializationVerified", "CommercializationDisputed", "ExecutedForwardRequest",
    }  # fmt: skip


def test_batches_of_one_block_give_the_rows_of_one_batch_of_everything(
    activity: DevLoad, databases: Databases, manifest: DeploymentManifest, anvil: AnvilProcess
) -> None:
    whole, one_by_one = databases.new(), databases.new()
    index_once(whole, manifest, anvil.rpc_url, initial_span=1_000_000, max_span=1_000_000)
    summary = index_once(one_by_one, manifest, anvil.rpc_url, initial_span=1, max_span=1)

    assert summary.batches == summary.indexed_block - manifest.deploy_block + 1
    assert_same_databases(open_engine(one_by_one), open_engine(whole))


def test_ranges_read_ahead_by_a_second_process_give_the_same_rows(
    activity: DevLoad, databases: Databases, manifest: DeploymentManifest, anvil: AnvilProcess
) -> None:
    alone, with_read_ahead = databases.new(), databases.new()
    index_once(alone, manifest, anvil.rpc_url, initial_span=2, max_span=2)
    summary = index_once(with_read_ahead, manifest, anvil.rpc_url, initial_span=2, max_span=2, read_ahead_events=0)

    assert summary.batches > 10
    assert_same_databases(open_engine(with_read_ahead), open_engine(alone))


def test_a_range_with_more_events_than_a_batch_is_written_in_batches_ending_at_block_boundaries(
    activity: DevLoad, databases: Databases, manifest: DeploymentManifest, anvil: AnvilProcess
) -> None:
    whole, split = databases.new(), databases.new()
    index_once(whole, manifest, anvil.rpc_url, initial_span=1_000_000, max_span=1_000_000)
    summary = index_once(split, manifest, anvil.rpc_url, initial_span=1_000_000, max_span=1_000_000,
                         target_events=25)  # fmt: skip

    assert summary.batches > 5
    assert_same_databases(open_engine(split), open_engine(whole))


def test_rebuilding_the_records_from_the_raw_events_gives_the_same_rows(
    activity: DevLoad, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess
) -> None:
    index_once(database_url, manifest, anvil.rpc_url, initial_span=3)
    engine = open_engine(database_url)
    before = table_contents(engine)

    with engine.begin() as connection:
        replayed = rebuild(connection, EventCatalogue.from_manifest(manifest), chunk=97)

    assert replayed == len(before["raw_events"])
    assert table_contents(engine) == before


def test_a_second_run_continues_where_the_first_stopped(
    devload: DevLoad, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, client: RegistryClient
) -> None:
    devload.round(projects=3)
    first = index_once(database_url, manifest, anvil.rpc_url)
    devload.round(projects=2)
    second = index_once(database_url, manifest, anvil.rpc_url)
    nothing_new = index_once(database_url, manifest, anvil.rpc_url)

    assert second.events > 0 and nothing_new.events == 0
    assert first.indexed_block < second.indexed_block == nothing_new.indexed_block
    assert_database_matches_chain(open_engine(database_url), client, anvil.rpc_url)


def test_blocks_are_indexed_once_buried_by_the_confirmations(
    devload: DevLoad, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, w3: Web3
) -> None:
    devload.round(projects=2)
    head = w3.eth.block_number
    assert index_once(database_url, manifest, anvil.rpc_url, confirmations=3).indexed_block == head - 3
    for _ in range(2):
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    assert index_once(database_url, manifest, anvil.rpc_url, confirmations=3).indexed_block == head - 1


def test_every_block_with_events_is_kept_with_its_hash_and_time(
    activity: DevLoad, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, client: RegistryClient
) -> None:
    index_once(database_url, manifest, anvil.rpc_url)
    with open_engine(database_url).connect() as connection:
        stored = connection.execute(select(blocks)).all()
        with_events = connection.execute(select(func.count(raw_events.c.block_number.distinct()))).scalar_one()
        checkpoint = connection.execute(select(indexer_state)).mappings().one()
    assert len(stored) == with_events
    for number, block_hash, timestamp in stored:
        block = client.w3.eth.get_block(number)
        assert (bytes(block["hash"]), block["timestamp"]) == (block_hash, timestamp)
    assert checkpoint["indexed_block_hash"] == bytes(client.w3.eth.get_block(checkpoint["indexed_block"])["hash"])


def test_a_database_of_another_deployment_is_refused(
    database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, chain_snapshot: None
) -> None:
    index_once(database_url, manifest, anvil.rpc_url)
    redeployed = manifest.model_copy(update={"deploy_block": manifest.deploy_block + 1})
    indexer = make_indexer(database_url, redeployed, anvil.rpc_url)
    try:
        try:
            indexer.run()
        except OtherDeployment as refused:
            assert "rnd-registry index reset" in str(refused)
        else:
            raise AssertionError("a database of another deployment was written to")
    finally:
        indexer.close()
