"""Reads the registry's logs and block headers from the chain, in block ranges that adapt to the load.

A range grows while answers come back small and quick, and shrinks when the node says it covered
too much (too many results, too wide a range) or times out, or when the last answer held far more
logs than a batch should, so a batch stays near the target size whatever the density of events.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from registry.indexer.catalogue import DecodedEvent, EventCatalogue, checksum
from registry.indexer.collector import collector_paused
from registry.indexer.logs import RawLog
from registry.indexer.rpc import JsonRpc, RpcError, RpcUnavailable


@dataclass(frozen=True)
class BlockHeader:
    number: int
    hash: bytes
    parent_hash: bytes
    timestamp: int


@dataclass(frozen=True)
class BlockRange:
    """The registry's logs of blocks `first`..`last`, checked to come from one chain, decoded, ready to store."""

    first: int
    last: int
    last_header: BlockHeader
    #: The block the range follows (the checkpoint), and its header as the chain gave it just before
    #: the logs; None if the chain no longer has the block, or if it was not asked for.
    previous: int
    previous_header: BlockHeader | None
    rows: list[RawLog]
    #: Each row's event, decoded (None for a log the ABIs do not declare): decoding is done where the
    #: range is read, so in the read-ahead process when there is one.
    events: list[DecodedEvent | None]
    block_hashes: dict[int, bytes]
    timestamps: dict[int, int]
    seconds: float

    @property
    def blocks(self) -> int:
        return self.last - self.first + 1


class ChainMoved(RpcUnavailable):
    """The chain changed between two requests of one batch (a reorganization in progress, or a node
    behind its peers); the batch is read again."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, "eth_getLogs", reason)


class AdaptiveSpan:
    """How many blocks the next `eth_getLogs` asks for."""

    def __init__(self, initial: int, *, maximum: int, target_events: int, minimum: int = 1) -> None:
        self.minimum = max(1, minimum)
        self.maximum = max(self.minimum, maximum)
        self.span = min(max(initial, self.minimum), self.maximum)
        self.target_events = max(1, target_events)

    def succeeded(self, blocks: int, events: int, *, slow: bool = False) -> None:
        """After a range of `blocks` blocks returned `events` logs."""
        if events > self.target_events:
            # Aim the next range at the target, assuming the same density of events.
            self.span = max(self.minimum, min(self.span, blocks * self.target_events // events))
        elif events <= self.target_events // 2 and blocks >= self.span and not slow:
            self.span = min(self.maximum, self.span * 2)

    def too_large(self) -> None:
        """The node refused or did not finish the last range: halve it."""
        self.span = max(self.minimum, self.span // 2)


class LogFetcher:
    """The registry's logs as `raw_events` rows, and the block headers needed to place them."""

    def __init__(self, rpc: JsonRpc, catalogue: EventCatalogue, chain_id: int, *, retries: bool = True) -> None:
        self.rpc = rpc
        self.catalogue = catalogue
        self.chain_id = chain_id
        self.retries = retries
        self._addresses = [a.lower() for a in catalogue.addresses]
        # The node answers with the contracts' addresses, in its own case: no need to checksum them again.
        self._checksummed = {spelling: a for a in catalogue.addresses for spelling in (a, a.lower())}

    def head(self) -> int:
        return int(self.rpc.call("eth_blockNumber", [], what=f"the chain's head block at {self.rpc.url}"), 16)

    def headers(self, numbers: Iterable[int]) -> dict[int, BlockHeader]:
        """The headers of the given blocks (one round trip), leaving out those the chain does not have."""
        wanted = sorted(set(numbers))
        if not wanted:
            return {}
        calls: list[tuple[str, Sequence[Any]]] = [("eth_getBlockByNumber", [hex(n), False]) for n in wanted]
        if self.retries:
            what = f"block headers {wanted[0]}-{wanted[-1]} at {self.rpc.url}"
            answers = self.rpc.waiter.retrying(what, lambda: self._headers(calls))
        else:
            answers = self._headers(calls)
        found = {}
        for number, answer in zip(wanted, answers, strict=True):
            if answer is not None:
                header = _header(answer)
                if header.number != number:
                    raise ChainMoved(self.rpc.url, f"asked for block {number}, got block {header.number}")
                found[number] = header
        return found

    def _headers(self, calls: list[tuple[str, Sequence[Any]]]) -> list[Any]:
        if len(calls) == 1:
            return [self.rpc.request(*calls[0])]
        try:
            return self.rpc.batch(calls)
        except RpcError:  # a node that refuses batches: ask one by one
            return [self.rpc.request(method, params) for method, params in calls]

    def read_range(self, first: int, last: int, *, verify_previous: bool) -> BlockRange:
        """The logs of blocks `first`..`last`, with the hash of `last` read before them.

        That hash becomes the checkpoint's, and the next range is read only after checking the chain
        still has it: logs from a chain that changed in between are noticed then. With
        `verify_previous`, the header of block `first - 1` (the checkpoint) is read for that check.
        """
        # Parsing and decoding a range allocates a few objects a log: with the collector on, it would
        # scan them again and again, and everything else the process holds (a tenth of a second a range).
        with collector_paused():
            return self._read_range(first, last, verify_previous=verify_previous)

    def _read_range(self, first: int, last: int, *, verify_previous: bool) -> BlockRange:
        started = time.monotonic()
        previous = first - 1
        headers = self.headers([previous, last] if verify_previous else [last])
        last_header = headers.get(last)
        if last_header is None:
            raise ChainMoved(self.rpc.url, f"block {last} is gone")
        rows, timestamps = self.logs(first, last)
        hashes: dict[int, bytes] = {}
        for row in rows:
            if hashes.setdefault(row.block_number, row.block_hash) != row.block_hash:
                raise ChainMoved(self.rpc.url, f"block {row.block_number} has logs of two different blocks")
        if hashes.get(last, last_header.hash) != last_header.hash:
            raise ChainMoved(self.rpc.url, f"block {last} changed while it was read")
        missing = [n for n in hashes if n not in timestamps]
        if missing:  # a node that does not send `blockTimestamp` with its logs
            found = self.headers(missing)
            for number in missing:
                header = found.get(number)
                if header is None or header.hash != hashes[number]:
                    raise ChainMoved(self.rpc.url, f"block {number} changed while it was read")
                timestamps[number] = header.timestamp
        decode = self.catalogue.decode
        events = [decode(row, timestamps[row.block_number]) for row in rows]
        return BlockRange(
            first=first,
            last=last,
            last_header=last_header,
            previous=previous,
            previous_header=headers.get(previous),
            rows=rows,
            events=events,
            block_hashes=hashes,
            timestamps=timestamps,
            seconds=time.monotonic() - started,
        )

    def logs(self, first: int, last: int) -> tuple[list[RawLog], dict[int, int]]:
        """One attempt at the logs of blocks `first`..`last`: `raw_events` rows in chain order, and the
        timestamps the node sent with them (`blockTimestamp`, where it does)."""
        answer = self.rpc.request(
            "eth_getLogs", [{"fromBlock": hex(first), "toBlock": hex(last), "address": self._addresses}]
        )
        if not isinstance(answer, list):
            raise RpcUnavailable(self.rpc.url, "eth_getLogs", "the answer is not a list of logs")
        rows = []
        timestamps: dict[int, int] = {}
        chain_id = self.chain_id
        names = self.catalogue.event_names
        checksummed = self._checksummed
        from_hex = bytes.fromhex
        # The logs of a block share its hash, those of an event type their topic0: one object each, so
        # the range is sent to the indexer, read and kept with one copy of each, not one a log.
        shared: dict[str, bytes] = {}
        for entry in answer:
            if entry.get("removed"):
                raise ChainMoved(self.rpc.url, "the node returned a log it has since removed")
            hexes = entry["topics"]
            topic0 = (shared.get(hexes[0]) or _share(shared, hexes[0])) if hexes else None
            later: list[bytes | None] = [from_hex(t[2:]) for t in hexes[1:4]]
            later += _NO_TOPICS[len(later) :]
            topic1, topic2, topic3 = later
            block_hash = shared.get(entry["blockHash"]) or _share(shared, entry["blockHash"])
            address = checksummed.get(entry["address"]) or checksum(entry["address"])
            number = int(entry["blockNumber"], 16)
            if not first <= number <= last:
                raise ChainMoved(self.rpc.url, f"a log of block {number} answered a query for {first}-{last}")
            rows.append(
                RawLog(
                    chain_id,
                    number,
                    int(entry["logIndex"], 16),
                    block_hash,
                    from_hex(entry["transactionHash"][2:]),
                    int(entry["transactionIndex"], 16),
                    address,
                    topic0,
                    topic1,
                    topic2,
                    topic3,
                    from_hex(entry["data"][2:]),
                    names.get((address, topic0)),
                )
            )
            stamp = entry.get("blockTimestamp")
            if stamp is not None:
                timestamps[number] = int(stamp, 16)
        rows.sort(key=_CHAIN_ORDER)
        return rows, timestamps


_NO_TOPICS: list[bytes | None] = [None, None, None]
_CHAIN_ORDER = attrgetter("block_number", "log_index")


def _share(shared: dict[str, bytes], hex_value: str) -> bytes:
    """The bytes of `hex_value`, kept in `shared` for the next log that has the same."""
    value = shared[hex_value] = bytes.fromhex(hex_value[2:])
    return value


def _header(answer: dict[str, Any]) -> BlockHeader:
    return BlockHeader(
        number=int(answer["number"], 16),
        hash=bytes.fromhex(answer["hash"][2:]),
        parent_hash=bytes.fromhex(answer["parentHash"][2:]),
        timestamp=int(answer["timestamp"], 16),
    )
