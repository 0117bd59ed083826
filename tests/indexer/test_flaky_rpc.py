"""Through an endpoint that drops, delays, rate-limits, fails or cuts short a share of its answers, and
refuses wide log queries, the indexer waits, retries, narrows its ranges, and ends with the database
an undisturbed run writes: no block skipped, none twice."""

from __future__ import annotations

import logging

import pytest

from registry.chain.anvil import AnvilProcess
from registry.chain.client import RegistryClient
from registry.chain.deployment import DeploymentManifest
from registry.chain.devload import DevLoad
from registry.store.engine import open_engine
from tests.helpers.database import Databases, assert_same_databases
from tests.helpers.flaky_proxy import FAULTS, FlakyProxy
from tests.helpers.indexer import assert_database_matches_chain, index_once


def test_a_flaky_endpoint_gives_the_same_database_as_a_reliable_one(
    activity: DevLoad,
    databases: Databases,
    manifest: DeploymentManifest,
    anvil: AnvilProcess,
    client: RegistryClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    reliable = databases.new()
    index_once(reliable, manifest, anvil.rpc_url)
    flaky = databases.new()
    faults = {"drop": 0.08, "delay": 0.06, "rate-limit": 0.06, "server-error": 0.06, "truncate": 0.06}

    with (
        caplog.at_level(logging.WARNING, "registry.indexer"),
        FlakyProxy(anvil.rpc_url, faults=faults, seed=11, delay=0.8, max_range=6) as proxy,
    ):
        summary = index_once(flaky, manifest, proxy.url, timeout=0.4, initial_span=12, max_span=48)

    assert summary.indexed_block == client.w3.eth.block_number
    assert all(proxy.counts[fault] > 0 for fault in FAULTS), proxy.counts
    assert proxy.counts["too-wide"] > 0
    assert_same_databases(open_engine(flaky), open_engine(reliable))
    assert_database_matches_chain(open_engine(flaky), client, anvil.rpc_url)
    waits = [r.getMessage() for r in caplog.records if r.getMessage().startswith("waiting for")]
    assert any("rate limited" in w for w in waits) and any("no answer within" in w for w in waits)
    assert all("retrying in" in w for w in waits)
