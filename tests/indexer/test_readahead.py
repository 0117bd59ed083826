"""The read-ahead process: what it loads before it reads its first range, and what it sends back."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from registry.chain.anvil import AnvilProcess
from registry.chain.deployment import DeploymentManifest
from registry.chain.devload import DevLoad
from registry.indexer.catalogue import DecodedEvent, EventCatalogue
from registry.indexer.fetcher import ChainMoved, LogFetcher
from registry.indexer.logs import RawLog
from registry.indexer.readahead import ReadAhead
from registry.indexer.rpc import JsonRpc

_PACKAGES_LOADED = (
    "import json, sys, registry.indexer.readahead; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
)


def test_read_ahead_process_starts_without_loading_web3() -> None:
    # It reads the second range while the indexer reads the first: web3, with eth-account and py_ecc
    # behind it, would cost it over a second before it starts, and the indexer would wait for it.
    result = subprocess.run([sys.executable, "-c", _PACKAGES_LOADED], capture_output=True, text=True, check=True)

    packages = set(json.loads(result.stdout))
    assert {"registry", "requests"} <= packages
    assert packages.isdisjoint({"web3", "eth_account", "py_ecc", "eth_abi", "pydantic"})


def test_a_range_read_ahead_is_the_range_read_by_the_indexer_itself(
    activity: DevLoad, manifest: DeploymentManifest, anvil: AnvilProcess
) -> None:
    rpc = JsonRpc(anvil.rpc_url, timeout=5)
    fetcher = LogFetcher(rpc, EventCatalogue.from_manifest(manifest), manifest.chain_id)
    head = fetcher.head()
    here = fetcher.read_range(manifest.deploy_block + 1, head, verify_previous=True)
    rpc.close()
    ahead = ReadAhead(anvil.rpc_url, 5, manifest)
    try:
        ahead.submit(manifest.deploy_block + 1, head)
        there = ahead.result()
        ahead.submit(head + 1, head + 3)
        with pytest.raises(ChainMoved, match=f"block {head + 3} is gone"):
            ahead.result()
    finally:
        ahead.close()

    assert len(here.rows) > 100 and replace(there, seconds=here.seconds) == here
    assert all(type(row) is RawLog for row in there.rows)
    assert all(type(event) is DecodedEvent for event in there.events)
