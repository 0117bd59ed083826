"""Block ranges grow while answers are small and quick, shrink toward the target size when they are
large, and halve when the node refuses them."""

from __future__ import annotations

import pytest

from registry.chain.anvil import AnvilProcess
from registry.chain.deployment import DeploymentManifest
from registry.chain.devload import DevLoad
from registry.indexer.catalogue import EventCatalogue
from registry.indexer.fetcher import AdaptiveSpan, ChainMoved, LogFetcher
from registry.indexer.rpc import JsonRpc
from tests.helpers.flaky_proxy import FlakyProxy


def test_a_range_doubles_while_its_answers_are_small_and_quick() -> None:
    span = AdaptiveSpan(10, maximum=100, target_events=1000)
    spans = []
    for _ in range(6):
        span.succeeded(span.span, 10)
        spans.append(span.span)
    assert spans == [20, 40, 80, 100, 100, 100]


def test_a_slow_answer_or_a_range_cut_short_by_the_head_does_not_grow_it() -> None:
    span = AdaptiveSpan(10, maximum=100, target_events=1000)
    span.succeeded(10, 10, slow=True)
    span.succeeded(3, 10)
    assert span.span == 10


def test_a_range_with_too_many_events_shrinks_toward_the_target() -> None:
    span = AdaptiveSpan(1000, maximum=10_000, target_events=500)
    span.succeeded(1000, 5000)
    assert span.span == 100
    span.succeeded(100, 400)
    assert span.span == 100  # near the target: kept


def test_a_refused_range_halves_but_never_below_one_block() -> None:
    span = AdaptiveSpan(5, maximum=100, target_events=10)
    for _ in range(5):
        span.too_large()
    assert span.span == 1


def test_a_range_ending_past_the_head_is_not_read(
    devload: DevLoad, manifest: DeploymentManifest, anvil: AnvilProcess
) -> None:
    rpc = JsonRpc(anvil.rpc_url, timeout=5)
    fetcher = LogFetcher(rpc, EventCatalogue.from_manifest(manifest), manifest.chain_id)
    head = fetcher.head()
    with pytest.raises(ChainMoved, match=f"block {head + 5} is gone"):
        fetcher.read_range(head - 2, head + 5, verify_previous=True)
    read = fetcher.read_range(manifest.deploy_block, head, verify_previous=False)
    rpc.close()
    assert read.previous_header is None and read.last_header.number == head
    assert len(read.rows) > 0 and set(read.timestamps) == set(read.block_hashes)


def test_a_range_comes_with_each_logs_event_decoded(
    activity: DevLoad, manifest: DeploymentManifest, anvil: AnvilProcess
) -> None:
    catalogue = EventCatalogue.from_manifest(manifest)
    rpc = JsonRpc(anvil.rpc_url, timeout=5)
    fetcher = LogFetcher(rpc, catalogue, manifest.chain_id)
    read = fetcher.read_range(manifest.deploy_block, fetcher.head(), verify_previous=False)
    rpc.close()

    assert len(read.events) == len(read.rows) > 100
    assert read.events == [catalogue.decode(row, read.timestamps[row.block_number]) for row in read.rows]
    assert all(event is not None and event.name == row.event for event, row in zip(read.events, read.rows, strict=True))


def test_block_times_come_from_headers_when_the_node_does_not_send_them_with_the_logs(
    devload: DevLoad, manifest: DeploymentManifest, anvil: AnvilProcess
) -> None:
    catalogue = EventCatalogue.from_manifest(manifest)
    direct = LogFetcher(JsonRpc(anvil.rpc_url, timeout=5), catalogue, manifest.chain_id)
    head = direct.head()
    expected = direct.read_range(manifest.deploy_block, head, verify_previous=False)
    with FlakyProxy(anvil.rpc_url, faults={}, strip_timestamps=True) as proxy:
        older_node = LogFetcher(JsonRpc(proxy.url, timeout=5), catalogue, manifest.chain_id)
        read = older_node.read_range(manifest.deploy_block, head, verify_previous=False)

    assert read.timestamps == expected.timestamps and read.rows == expected.rows
    assert len(read.timestamps) > 3
