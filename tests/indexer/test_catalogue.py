"""The catalogue decodes the chain's real logs into the arguments web3.py's contract objects give."""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from typing import Any

import pytest
from web3 import Web3

from registry.chain.anvil import AnvilProcess
from registry.chain.deployment import DeploymentManifest
from registry.chain.devload import DevLoad
from registry.indexer.catalogue import DecodedEvent, EventCatalogue, UndecodableLog
from registry.indexer.fetcher import LogFetcher
from registry.indexer.logs import RawLog
from registry.indexer.rpc import JsonRpc


def plain(value: Any) -> Any:
    """web3's decoded values with its wrapper types removed."""
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, (list, tuple)):
        return tuple(plain(v) for v in value)
    if isinstance(value, Mapping):  # a struct, as web3 names its fields
        return tuple(plain(v) for v in value.values())
    return value


def test_every_log_decodes_to_web3s_arguments(
    activity: DevLoad, manifest: DeploymentManifest, anvil: AnvilProcess, w3: Web3
) -> None:
    catalogue = EventCatalogue.from_manifest(manifest)
    rpc = JsonRpc(anvil.rpc_url, timeout=30)
    rows, timestamps = LogFetcher(rpc, catalogue, manifest.chain_id).logs(manifest.deploy_block, w3.eth.block_number)
    rpc.close()
    contracts = {
        manifest.address(name): w3.eth.contract(address=manifest.address(name), abi=deployed.abi)
        for name, deployed in manifest.contracts.items()
    }
    logs = w3.eth.get_logs({"fromBlock": manifest.deploy_block, "toBlock": "latest", "address": list(contracts)})

    assert len(rows) == len(logs) > 200
    names = set()
    for row, log in zip(rows, logs, strict=True):
        event = catalogue.decode(row, timestamps[row.block_number])
        assert event is not None
        expected = contracts[row.address].events[event.name]().process_log(log)
        assert {k: plain(v) for k, v in expected["args"].items()} == {k: plain(v) for k, v in event.args.items()}
        assert (event.block_number, event.log_index) == (expected["blockNumber"], expected["logIndex"])
        assert event.transaction_hash == bytes(expected["transactionHash"])
        assert event.timestamp == w3.eth.get_block(event.block_number)["timestamp"]
        names.add(event.name)
    assert len(names) >= 28


def test_each_event_is_known_by_its_contract_address_and_topic(manifest: DeploymentManifest) -> None:
    catalogue = EventCatalogue.from_manifest(manifest)
    names = [spec.name for spec in catalogue.specs]

    assert len(names) == len(set(names)) == 42  # the projections look events up by name alone
    assert catalogue.addresses == sorted(manifest.address(name) for name in manifest.contracts)
    submitted = next(s for s in catalogue.specs if s.name == "MilestoneSubmitted")
    assert submitted.signature == "MilestoneSubmitted(uint32,uint32,address,uint16,bytes32[])"
    assert submitted.topic0 == Web3.keccak(text=submitted.signature)
    assert catalogue.event_name(manifest.address("GrantRegistry"), submitted.topic0) == "MilestoneSubmitted"
    assert catalogue.event_name(manifest.address("OutcomeRegistry"), submitted.topic0) is None


def test_events_and_decoding_errors_cross_from_the_read_ahead_process_intact() -> None:
    event = DecodedEvent("GrantRegistry", "MilestoneSubmitted", {"projectId": 3, "evidenceHashes": (b"\x01" * 32,)},
                         12, 4, b"\x07" * 32, 1_700_000_000)  # fmt: skip
    error = UndecodableLog("MilestoneSubmitted", 12, 4, "offset 9 points outside the data")

    assert pickle.loads(pickle.dumps(event)) == event
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is UndecodableLog and str(copy) == str(error)
    assert (copy.event, copy.block_number, copy.log_index, copy.reason) == (error.event, 12, 4, error.reason)


def test_a_log_with_other_topics_or_less_data_than_declared_does_not_decode(manifest: DeploymentManifest) -> None:
    catalogue = EventCatalogue.from_manifest(manifest)
    submitted = next(s for s in catalogue.specs if s.name == "MilestoneSubmitted")
    word = (7).to_bytes(32, "big")
    no_evidence = word + (64).to_bytes(32, "big") + bytes(32)  # attempt 7, an empty bytes32[]

    def log(topic3: bytes | None, data: bytes) -> RawLog:
        return RawLog(manifest.chain_id, 12, 4, b"\x01" * 32, b"\x02" * 32, 0, manifest.address("GrantRegistry"),
                      submitted.topic0, word, word, topic3, data, submitted.name)  # fmt: skip

    event = catalogue.decode(log(bytes(12) + b"\x03" * 20, no_evidence), 1_700_000_000)
    assert event is not None and event.args["attempt"] == 7 and event.args["evidenceHashes"] == ()
    with pytest.raises(UndecodableLog, match="log at block 12, index 4 does not decode: 2 indexed topics, the ABI"):
        catalogue.decode(log(None, no_evidence), 1_700_000_000)
    with pytest.raises(UndecodableLog, match="32 bytes of data, the head alone takes 64"):
        catalogue.decode(log(bytes(12) + b"\x03" * 20, word), 1_700_000_000)
