"""Follow mode: new blocks are indexed as they are mined, a reorganization under way is rolled back,
and a stop request ends the run."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select
from web3 import Web3

from registry.chain.anvil import AnvilProcess
from registry.chain.client import RegistryClient
from registry.chain.deployment import DeploymentManifest
from registry.chain.devload import DevLoad
from registry.indexer.runner import Indexer
from registry.store.schema import indexer_state, raw_events
from tests.helpers.indexer import assert_database_matches_chain, make_indexer


@contextmanager
def following(indexer: Indexer, stop: threading.Event) -> Iterator[None]:
    runner = threading.Thread(target=indexer.run, kwargs={"follow": True})
    runner.start()
    try:
        yield
    finally:
        stop.set()
        runner.join(timeout=30)
        indexer.close()
    assert not runner.is_alive(), "the indexer did not stop"


def eventually(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the indexer did not catch up"
        time.sleep(0.01)


def caught_up(indexer: Indexer, w3: Web3) -> Callable[[], bool]:
    def check() -> bool:
        head = w3.eth.get_block("latest")
        with indexer.engine.connect() as connection:
            state = connection.execute(select(indexer_state)).mappings().first()
        return state is not None and state["indexed_block_hash"] == bytes(head["hash"])

    return check


def stored_events(indexer: Indexer) -> int:
    with indexer.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(raw_events)).scalar_one())


def test_follow_mode_indexes_each_new_block_soon_after_it_is_mined(
    devload: DevLoad, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, client: RegistryClient,
    w3: Web3, record_property: Callable[[str, object], None],
) -> None:  # fmt: skip
    devload.round(projects=2)
    stop = threading.Event()
    indexer = make_indexer(database_url, manifest, anvil.rpc_url, stop=stop, poll_interval=0.1)
    latencies = []
    with following(indexer, stop):
        eventually(caught_up(indexer, w3))
        for _ in range(3):
            before = stored_events(indexer)
            devload.anchor_document()
            mined = time.monotonic()
            eventually(lambda: stored_events(indexer) > before, timeout=10)  # noqa: B023 - waited for at once
            latencies.append(time.monotonic() - mined)
    record_property("follow_latency_seconds", max(latencies))
    assert_database_matches_chain(indexer.engine, client, anvil.rpc_url)


def test_follow_mode_rolls_back_a_reorganization_as_it_happens(
    devload: DevLoad, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, client: RegistryClient,
    w3: Web3,
) -> None:  # fmt: skip
    devload.round(projects=2)
    stop = threading.Event()
    indexer = make_indexer(database_url, manifest, anvil.rpc_url, stop=stop, poll_interval=0.05, roll_back_reorgs=True)
    with following(indexer, stop):
        eventually(caught_up(indexer, w3))
        fork = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
        devload.round(projects=2)
        eventually(caught_up(indexer, w3))
        w3.provider.make_request("evm_revert", [fork])  # type: ignore[arg-type]
        devload.forget_nonces()
        devload.round(projects=1)
        eventually(caught_up(indexer, w3))
        stop.set()
    assert_database_matches_chain(indexer.engine, client, anvil.rpc_url)


@pytest.mark.parametrize("when", ["caught-up", "waiting-for-the-chain"])
def test_a_stop_request_ends_a_follow_run(
    when: str, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, w3: Web3, chain_snapshot: None
) -> None:
    stop = threading.Event()
    url = anvil.rpc_url if when == "caught-up" else "http://127.0.0.1:9"  # nothing listens on the discard port
    indexer = make_indexer(database_url, manifest, url, stop=stop, poll_interval=0.05, timeout=0.5)
    runner = threading.Thread(target=indexer.run, kwargs={"follow": True})
    runner.start()
    time.sleep(1.0)
    stop.set()
    runner.join(timeout=10)
    indexer.close()
    assert not runner.is_alive()
