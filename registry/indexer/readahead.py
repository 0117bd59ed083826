"""Reads the next block range in a process of its own while the indexer writes the current one.

Python runs one thread at a time, so a thread would overlap only the wait for the node; a process
also moves parsing the node's JSON and building rows onto another core. The process
(`python -m registry.indexer.readahead`) reads requests from its stdin and writes answers to its
stdout, pickled; it makes single attempts, so a failure comes back to the indexer, which waits and
asks again itself; and it ends when the indexer closes the pipe, or dies. It decodes the events too
(`LogFetcher.read_range`): sending them costs the indexer less than decoding them would. A range
crosses as one `marshal` of plain tuples (`_packed`), which both sides write and read in about half
the time pickle takes over the same named tuples; marshal keeps shared objects shared, as pickle does.
"""

from __future__ import annotations

import marshal
import os
import pickle
import subprocess
import sys
from typing import IO, TYPE_CHECKING, Any

from registry.indexer.catalogue import DecodedEvent, EventCatalogue, contracts_of
from registry.indexer.collector import collector_paused
from registry.indexer.fetcher import BlockHeader, BlockRange, LogFetcher
from registry.indexer.logs import RawLog
from registry.indexer.rpc import JsonRpc, RpcUnavailable

if TYPE_CHECKING:
    from registry.chain.deployment import DeploymentManifest


class ReadAhead:
    """The read-ahead process, one range in flight at a time."""

    def __init__(self, rpc_url: str, timeout: float, manifest: DeploymentManifest) -> None:
        self.rpc_url = rpc_url
        self._process = subprocess.Popen(
            [sys.executable, "-m", "registry.indexer.readahead"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._send((rpc_url, timeout, manifest.chain_id, contracts_of(manifest)))
        self.pending: int | None = None

    def submit(self, first: int, last: int) -> None:
        """Asks for blocks `first`..`last`; `result` gives them."""
        assert self.pending is None, "one range at a time"
        self._send((first, last))
        self.pending = first

    def result(self) -> BlockRange:
        """The range asked for, or the error reading it raised."""
        assert self.pending is not None, "nothing was asked"
        self.pending = None
        assert self._process.stdout is not None
        try:
            with collector_paused():
                outcome, value = pickle.load(self._process.stdout)
                if outcome == "range":
                    return _unpacked(value)
        except (EOFError, pickle.UnpicklingError):
            raise RpcUnavailable(self.rpc_url, "eth_getLogs", "the read-ahead process ended") from None
        raise value

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()

    def _send(self, message: Any) -> None:
        assert self._process.stdin is not None
        try:
            pickle.dump(message, self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._process.stdin.flush()
        except BrokenPipeError:
            raise RpcUnavailable(self.rpc_url, "eth_getLogs", "the read-ahead process ended") from None


def serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """The read-ahead process: answers each (first, last) request until the requests end."""
    rpc_url, timeout, chain_id, contracts = pickle.load(requests)
    rpc = JsonRpc(rpc_url, timeout=timeout)
    fetcher = LogFetcher(rpc, EventCatalogue.from_contracts(contracts), chain_id, retries=False)
    while True:
        try:
            first, last = pickle.load(requests)
        except EOFError:
            return
        with collector_paused():
            try:
                answer: tuple[str, Any] = ("range", _packed(fetcher.read_range(first, last, verify_previous=True)))
            except Exception as exc:
                answer = ("error", exc)
            # Pickled whole before it is written: the indexer reads it once done with the range before,
            # and then waits only for the bytes, not for the pickling.
            pickled = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
            del answer
        answers.write(pickled)
        answers.flush()
        del pickled


def _packed(fetched: BlockRange) -> bytes:
    """A range as plain values (tuples, dicts, bytes, numbers), marshalled."""
    return marshal.dumps(
        (fetched.first, fetched.last, _header_values(fetched.last_header), fetched.previous,
         None if fetched.previous_header is None else _header_values(fetched.previous_header),
         list(map(tuple, fetched.rows)), [None if event is None else tuple(event) for event in fetched.events],
         fetched.block_hashes, fetched.timestamps, fetched.seconds)
    )  # fmt: skip


def _unpacked(packed: bytes) -> BlockRange:
    """The range `_packed` wrote."""
    first, last, last_header, previous, previous_header, rows, events, hashes, stamps, seconds = marshal.loads(packed)
    return BlockRange(
        first=first,
        last=last,
        last_header=BlockHeader(*last_header),
        previous=previous,
        previous_header=None if previous_header is None else BlockHeader(*previous_header),
        rows=list(map(RawLog._make, rows)),
        events=[None if event is None else DecodedEvent._make(event) for event in events],
        block_hashes=hashes,
        timestamps=stamps,
        seconds=seconds,
    )


def _header_values(header: BlockHeader) -> tuple[int, bytes, bytes, int]:
    return (header.number, header.hash, header.parent_hash, header.timestamp)


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
    # Every answer is flushed: end at once rather than spend the indexer's time tearing the interpreter down.
    os._exit(0)
