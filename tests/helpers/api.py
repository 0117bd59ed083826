"""Reading the public API in tests: every page of a list, an error's body, and the event a record's
provenance points at, read back from the chain to check the API's claim."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from eth_utils.abi import event_abi_to_log_topic
from fastapi.testclient import TestClient
from hexbytes import HexBytes
from web3 import Web3
from web3.logs import DISCARD

from registry.chain.deployment import DeploymentManifest


def all_items(api: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list, page after page by cursor; fails on an error or a page seen twice."""
    items: list[dict[str, Any]] = []
    cursors: set[str] = set()
    query = dict(params)
    while True:
        response = api.get(path, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        cursor = page["nextCursor"]
        if cursor is None:
            return items
        assert cursor not in cursors, "a cursor came back twice"
        cursors.add(cursor)
        query = {**params, "cursor": cursor}


def error_of(response: Any, status: int) -> dict[str, Any]:
    """The error body of a response that must have `status`."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    return dict(body["error"])


def iso(seconds: int) -> str:
    """A chain time as the API writes it."""
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat().replace("+00:00", "Z")


def event_at(w3: Web3, manifest: DeploymentManifest, provenance: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The event a provenance names, found in its transaction's receipt on the chain and decoded: its
    name and arguments. Fails unless the receipt, block, time, contract and relay signer all agree."""
    assert provenance["chainId"] == manifest.chain_id
    receipt = w3.eth.get_transaction_receipt(HexBytes(provenance["transactionHash"]))
    assert receipt["blockNumber"] == provenance["blockNumber"]
    block = w3.eth.get_block(receipt["blockNumber"])
    assert iso(block["timestamp"]) == provenance["blockTime"]
    [log] = [entry for entry in receipt["logs"] if entry["logIndex"] == provenance["logIndex"]]
    assert log["address"] == provenance["contract"]
    name = next(n for n, c in manifest.contracts.items() if c.address == provenance["contract"])
    abi = manifest.contracts[name].abi
    by_topic = {event_abi_to_log_topic(e): e["name"] for e in abi if e.get("type") == "event"}
    assert bytes(log["topics"][0]) in by_topic, "the log is no event of the contract"
    contract = w3.eth.contract(address=log["address"], abi=abi)
    decoded = contract.events[by_topic[bytes(log["topics"][0])]]().process_log(log)
    forwarder = manifest.contracts["RegistryForwarder"].address
    if provenance["signer"] is None:
        assert receipt["to"] != forwarder, "a relayed transaction without its signer"
    else:
        assert receipt["to"] == forwarder
        relayed = w3.eth.contract(address=forwarder, abi=manifest.contracts["RegistryForwarder"].abi)
        executed = relayed.events.ExecutedForwardRequest().process_receipt(receipt, errors=DISCARD)
        assert provenance["signer"] in {e["args"]["signer"] for e in executed}
    return str(decoded["event"]), dict(decoded["args"])
