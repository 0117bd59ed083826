"""The indexer's loop: backfill from the deployment block to the head, then (in follow mode) each new
block as it is mined; when the chain replaced blocks already indexed, it refuses (`DeepReorganization`)
or, if the operator asked for it, rolls back.

One batch is one database transaction holding its raw events, their blocks, the record changes
they make and the checkpoint's move past them, so a crash at any instant leaves the database at
the end of some batch, and the next run continues from there: nothing lost, nothing twice.

Each range of blocks is read with the hash of its last block read first, and that hash becomes the
checkpoint's (a range holding more events than a batch is written in several, whose inner
checkpoints are blocks with events, their hashes read with them); the next range is read only
after checking the chain still has the checkpoint's block. So logs read from a chain that changed
meanwhile are noticed one range later at the latest, and refused or rolled back (see `reorgs`). Only blocks
at least `confirmations` deep are read: 0 suits chains with instant finality (QBFT, IBFT), more
suits chains whose recent blocks can be replaced.

For large backfills the next range is read by a second process while the current one is written
(`readahead`); the rest is plain sequential code.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError

from registry.chain.deployment import DeploymentManifest
from registry.errors import NetworkMismatch
from registry.indexer.catalogue import EventCatalogue
from registry.indexer.checkpoint import Checkpoint, advance, open_checkpoint, read_checkpoint
from registry.indexer.collector import collector_paused
from registry.indexer.fetcher import AdaptiveSpan, BlockHeader, BlockRange, LogFetcher
from registry.indexer.identity import check_chain_identity
from registry.indexer.logs import RawLog
from registry.indexer.projections import RowCache, apply_events
from registry.indexer.readahead import ReadAhead
from registry.indexer.reorgs import DeepReorganization, events_above, find_fork_point, roll_back
from registry.indexer.rpc import Backoff, JsonRpc, RpcError, RpcTimeout, RpcUnavailable, Stopped, Waiter
from registry.settings import Settings
from registry.store.bulk import insert_rows, insert_values
from registry.store.engine import WalCheckpoints, describe, open_engine, upgrade
from registry.store.schema import blocks, raw_events

log = logging.getLogger("registry.indexer")

#: How many batches (`target_events` each) a block range aims at.
_BATCHES_PER_RANGE = 2
#: A `eth_getLogs` slower than this does not let the block range grow.
_SLOW_SECONDS = 2.0


@dataclass(frozen=True)
class IndexerOptions:
    confirmations: int = 0
    initial_span: int = 10
    max_span: int = 100_000
    target_events: int = 10_000
    poll_interval: float = 0.25
    #: From this many events in a batch on, the next range is read ahead, in a second process.
    read_ahead_events: int = 2000
    #: Roll back a reorganisation that replaced indexed blocks, rather than refuse it (`DeepReorganization`).
    roll_back_reorgs: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> IndexerOptions:
        return cls(
            confirmations=settings.confirmations,
            initial_span=settings.index_batch_blocks,
            max_span=settings.index_max_batch_blocks,
            target_events=settings.index_batch_events,
            poll_interval=settings.index_poll_interval,
            roll_back_reorgs=settings.index_roll_back_reorgs,
        )


@dataclass(frozen=True)
class Progress:
    """Where a run stands, reported after every batch and while waiting for new blocks."""

    start_block: int
    indexed_block: int
    target_block: int
    head_block: int
    events: int
    elapsed: float
    caught_up: bool

    @property
    def events_per_second(self) -> float:
        return self.events / self.elapsed if self.elapsed > 0 else 0.0


@dataclass(frozen=True)
class RunSummary:
    indexed_block: int
    head_block: int
    events: int
    batches: int
    reorgs: int
    seconds: float


class Indexer:
    """Copies the registry's events from the chain into the database, and keeps the copy exact."""

    def __init__(
        self,
        engine: Engine,
        manifest: DeploymentManifest,
        rpc: JsonRpc,
        options: IndexerOptions | None = None,
        *,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> None:
        self.engine = engine
        self.manifest = manifest
        self.rpc = rpc
        self.options = options or IndexerOptions()
        self.catalogue = EventCatalogue.from_manifest(manifest)
        self.fetcher = LogFetcher(rpc, self.catalogue, manifest.chain_id)
        # A range aims at a few batches: while its batches are written, the next range is read ahead.
        self.span = AdaptiveSpan(
            self.options.initial_span,
            maximum=self.options.max_span,
            target_events=self.options.target_events * _BATCHES_PER_RANGE,
        )
        self.cache = RowCache()
        self.on_progress = on_progress
        self.waiter = rpc.waiter
        self._head = -1
        self._events = 0
        self._batches = 0
        self._reorgs = 0
        self._started = time.monotonic()
        self._start_block = 0
        self._checkpoint: Checkpoint | None = None
        self._waiting_at: int | None = None
        self._follow = False
        self._read_ahead: ReadAhead | None = None
        self._checkpoints: WalCheckpoints | None = None

    @classmethod
    def open(
        cls,
        settings: Settings,
        manifest: DeploymentManifest,
        *,
        stop: threading.Event | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Indexer:
        """An indexer for `manifest`'s registry, reading `settings.rpc_url` into `settings.database_url`,
        whose schema it brings up to date."""
        engine = open_engine(settings.database_url, background_checkpoints=True)
        upgrade(engine)
        waiter = Waiter(
            Backoff(maximum=settings.index_max_retry_wait), stop, give_up_after=settings.index_give_up_after or None
        )
        rpc = JsonRpc(settings.rpc_url, timeout=settings.rpc_timeout, waiter=waiter)
        return cls(engine, manifest, rpc, IndexerOptions.from_settings(settings), on_progress=on_progress)

    def close(self) -> None:
        self.rpc.close()
        self.engine.dispose()

    # ---- the loop -------------------------------------------------------------------------------
    def run(self, *, follow: bool = False) -> RunSummary:
        """Indexes up to the head (less the confirmations); with `follow`, keeps indexing new blocks
        until `stop` is set. Transient failures are waited out, never skipped."""
        self._checkpoint = open_checkpoint(self.engine, self.manifest)
        self._follow = follow
        self._started = time.monotonic()
        self._start_block = self._checkpoint.indexed_block
        try:
            chain_id = int(self.rpc.call("eth_chainId", [], what=f"the chain at {self.rpc.url}"), 16)
        except Stopped:
            return self._summary()
        if chain_id != self.manifest.chain_id:
            raise NetworkMismatch(self.manifest.chain_id, chain_id)
        try:
            check_chain_identity(self.rpc, self.manifest)  # before anything is written or rolled back
        except Stopped:
            return self._summary()
        log.info(
            "indexing %s into %s, from block %d",
            self._checkpoint.describe(),
            self.engine.url.render_as_string(hide_password=True),
            self._checkpoint.indexed_block + 1,
        )
        self._checkpoints = WalCheckpoints.start(self.engine)
        try:
            self._loop()
        finally:
            if self._read_ahead is not None:
                self._read_ahead.close()
                self._read_ahead = None
            if self._checkpoints is not None:
                self._checkpoints.stop()
        return self._summary()

    def _summary(self) -> RunSummary:
        return RunSummary(
            indexed_block=self._current.indexed_block,
            head_block=self._head,
            events=self._events,
            batches=self._batches,
            reorgs=self._reorgs,
            seconds=time.monotonic() - self._started,
        )

    def _loop(self) -> None:
        failures = 0
        while True:
            try:
                self.waiter.check()
                moved = self._step()
                failures = 0
            except Stopped:
                return
            except RpcError as exc:
                if not (exc.too_much and self.span.span > self.span.minimum):
                    raise
                self.span.too_large()
                log.info("the node refused that many blocks at once (%s); asking for %d", exc.message, self.span.span)
                continue
            except (RpcUnavailable, DBAPIError) as exc:
                if isinstance(exc, DBAPIError) and not _transient_database_error(exc):
                    raise
                if isinstance(exc, RpcTimeout):
                    self.span.too_large()
                what = "the database" if isinstance(exc, DBAPIError) else "the chain"
                try:
                    self.waiter.pause(failures, what, _reason(exc))
                except Stopped:
                    return
                failures += 1
                continue
            if moved:
                continue
            if not self._follow:
                return
            try:
                self.waiter.sleep(self.options.poll_interval)
            except Stopped:
                return

    @property
    def _current(self) -> Checkpoint:
        assert self._checkpoint is not None, "run() opens the checkpoint first"
        return self._checkpoint

    def _step(self) -> bool:
        """Indexes one batch, or rolls back one reorganization; False when there is nothing to do yet."""
        checkpoint = self._current
        if checkpoint.indexed_block >= self._head - self.options.confirmations:
            self._head = self.fetcher.head()
        target = self._head - self.options.confirmations
        first = checkpoint.indexed_block + 1
        verify = checkpoint.indexed_block_hash is not None
        if first > target:
            self._drop_ahead()
            if verify:
                header = self.fetcher.headers([checkpoint.indexed_block]).get(checkpoint.indexed_block)
                if header is None or header.hash != checkpoint.indexed_block_hash:
                    self._reorganized(header)
                    return True
            self._caught_up(checkpoint)
            return False
        fetched = self._take_ahead(first)
        if fetched is None:
            last = min(target, first + self.span.span - 1)
            if last < target and self._batches == 0:
                # A backfill starts: the read-ahead process starts, and reads the second range while
                # this process reads the first, so that neither waits for the other.
                self._read_next(last + 1, min(target, last + self.span.span))
            fetched = self.fetcher.read_range(first, last, verify_previous=verify)
        if verify and (
            fetched.previous_header is None or fetched.previous_header.hash != checkpoint.indexed_block_hash
        ):
            self._reorganized(fetched.previous_header)
            return True
        self.span.succeeded(fetched.blocks, len(fetched.rows), slow=fetched.seconds > _SLOW_SECONDS)
        dense = len(fetched.rows) >= self.options.read_ahead_events
        if fetched.last < target and dense and not self._reading_ahead:
            # At most half again this range's blocks, so that reading the next range takes no longer
            # than storing this one while the ranges grow (reading a log costs less than storing it).
            span = min(self.span.span, max(1, fetched.blocks * 3 // 2))
            self._read_next(fetched.last + 1, min(target, fetched.last + span))
        self._store(checkpoint, fetched)
        return True

    @property
    def _reading_ahead(self) -> bool:
        return self._read_ahead is not None and self._read_ahead.pending is not None

    def _read_next(self, first: int, last: int) -> None:
        """Has the next range read by the read-ahead process (started on first use) while this one is written."""
        if self._read_ahead is None:
            self._read_ahead = ReadAhead(self.rpc.url, self.rpc.timeout, self.manifest)
        self._read_ahead.submit(first, last)

    def _take_ahead(self, first: int) -> BlockRange | None:
        """The range read ahead, if it starts where the checkpoint now ends (else it is dropped)."""
        ahead = self._read_ahead
        if ahead is None or ahead.pending is None:
            return None
        if ahead.pending != first:
            self._drop_ahead()
            return None
        try:
            return ahead.result()
        except RpcUnavailable as exc:
            if "read-ahead process ended" in exc.reason:
                self._read_ahead = None  # read in this process from now on
            raise

    def _drop_ahead(self) -> None:
        """Forgets a range read ahead for a checkpoint that did not come to be (its answer is read and dropped)."""
        if self._read_ahead is not None and self._read_ahead.pending is not None:
            try:
                self._read_ahead.result()
            except Exception as exc:  # an error about a range no longer wanted
                log.debug("dropped a range read ahead: %s", exc)

    def _store(self, checkpoint: Checkpoint, fetched: BlockRange) -> None:
        """Writes a range's events, their blocks, their records and the checkpoint, one transaction
        per batch of about `target_events` events (a range the node answered with more is split at
        block boundaries: the checkpoint then stops at a block with events, whose hash came with them)."""
        for start, end, last, last_hash in _batches_of(fetched, self.options.target_events):
            self._store_batch(self._current, fetched, start, end, last, last_hash)

    def _store_batch(
        self, checkpoint: Checkpoint, fetched: BlockRange, start: int, end: int, last: int, last_hash: bytes
    ) -> None:
        """Stores the range's rows `start`..`end` (exclusive) and moves the checkpoint to `last`."""
        rows = fetched.rows[start:end]
        changes = None
        try:
            with collector_paused(), self.engine.begin() as connection:
                moved = advance(connection, checkpoint, last, last_hash)
                if rows:
                    insert_values(connection, raw_events, RawLog._fields, rows)
                    stamps = fetched.timestamps
                    numbers = dict.fromkeys(row.block_number for row in rows)
                    block_rows = [
                        {"block_number": n, "block_hash": fetched.block_hashes[n], "timestamp": stamps[n]}
                        for n in numbers
                    ]
                    insert_rows(connection, blocks, block_rows)
                    events = [event for event in fetched.events[start:end] if event is not None]
                    changes = apply_events(connection, events, cache=self.cache)
        except BaseException:
            self.cache.clear()
            raise
        if changes is not None:
            self.cache.keep(changes)
        self._checkpoint = moved
        self._events += len(rows)
        self._batches += 1
        self._report(caught_up=False)

    def _caught_up(self, checkpoint: Checkpoint) -> None:
        self._report(caught_up=True)
        if self._follow and self._waiting_at != checkpoint.indexed_block:
            self._waiting_at = checkpoint.indexed_block
            log.info(
                "indexed to block %d (head %d, %d confirmation(s)); waiting for block %d",
                checkpoint.indexed_block,
                self._head,
                self.options.confirmations,
                checkpoint.indexed_block + 1 + self.options.confirmations,
            )

    def _reorganized(self, found: BlockHeader | None) -> None:
        checkpoint = self._current
        self._drop_ahead()
        self.cache.clear()
        # A node replaced by one serving another chain looks like a reorganisation: never roll back for it.
        check_chain_identity(self.rpc, self.manifest)
        fork_block, fork_hash = find_fork_point(self.engine, self.fetcher, checkpoint)
        if not self.options.roll_back_reorgs:
            # Every indexed block was RND_CONFIRMATIONS deep when it was read, so any replaced one is a
            # reorganisation deeper than the chain was trusted to have: the operator decides, not the indexer.
            raise DeepReorganization(
                self.rpc.url,
                checkpoint.indexed_block,
                None if found is None else found.hash,
                fork_block,
                events_above(self.engine, fork_block),
                self.options.confirmations,
            )
        result = roll_back(self.engine, self.catalogue, checkpoint, fork_block, fork_hash)
        self._checkpoint = result.checkpoint
        self._reorgs += 1
        self._head = -1
        self._waiting_at = None
        now = "is gone" if found is None else f"is now 0x{found.hash.hex()[:12]}…"
        log.warning(
            "the chain reorganized: block %d %s; rolled back to block %d, removing %d event(s) and replaying %d; "
            "indexing again from block %d",
            checkpoint.indexed_block,
            now,
            fork_block,
            result.removed_events,
            result.replayed_events,
            fork_block + 1,
        )

    def _report(self, *, caught_up: bool) -> None:
        if self.on_progress is None:
            return
        checkpoint = self._current
        self.on_progress(
            Progress(
                start_block=self._start_block,
                indexed_block=checkpoint.indexed_block,
                target_block=max(self._head - self.options.confirmations, checkpoint.indexed_block),
                head_block=self._head,
                events=self._events,
                elapsed=time.monotonic() - self._started,
                caught_up=caught_up,
            )
        )


def _batches_of(fetched: BlockRange, size: int) -> Iterator[tuple[int, int, int, bytes]]:
    """The range cut in batches of about `size` rows, never splitting a block: (first row, end row
    (exclusive), last block, its hash)."""
    rows = fetched.rows
    start = 0
    while len(rows) - start > size:
        end = start + size
        # Extend to the end of the block of the last row taken.
        block = rows[end - 1].block_number
        while end < len(rows) and rows[end].block_number == block:
            end += 1
        if end == len(rows):
            break
        yield start, end, block, fetched.block_hashes[block]
        start = end
    yield start, len(rows), fetched.last, fetched.last_header.hash


def _transient_database_error(exc: DBAPIError) -> bool:
    """A lost connection or a locked SQLite file passes; a missing table or a constraint does not."""
    return bool(exc.connection_invalidated) or "locked" in str(exc.orig) or "busy" in str(exc.orig)


def _reason(exc: Exception) -> str:
    if isinstance(exc, RpcUnavailable):
        return str(exc)
    if isinstance(exc, DBAPIError):
        return str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
    return str(exc)


# ---- status -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexStatus:
    database: str
    rpc_url: str
    chain_id: int | None
    deploy_block: int | None
    indexed_block: int | None
    head_block: int | None
    confirmations: int
    events: int
    head_error: str | None

    @property
    def lag(self) -> int | None:
        """Blocks between the head and the indexed block."""
        if self.head_block is None or self.indexed_block is None:
            return None
        return max(0, self.head_block - self.indexed_block)

    def as_dict(self) -> dict[str, Any]:
        return {
            "database": self.database,
            "rpcUrl": self.rpc_url,
            "chainId": self.chain_id,
            "deployBlock": self.deploy_block,
            "indexedBlock": self.indexed_block,
            "headBlock": self.head_block,
            "lag": self.lag,
            "confirmations": self.confirmations,
            "events": self.events,
            "headError": self.head_error,
        }


def read_status(settings: Settings) -> IndexStatus:
    """The indexed block and stored events from the database, the head from the chain (one attempt:
    the status of an unreachable chain is worth showing too)."""
    engine = open_engine(settings.database_url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            checkpoint = read_checkpoint(connection)
            events = int(connection.execute(select(func.count()).select_from(raw_events)).scalar_one())
    finally:
        engine.dispose()
    rpc = JsonRpc(settings.rpc_url, timeout=min(settings.rpc_timeout, 5.0))
    head: int | None = None
    error: str | None = None
    try:
        head = int(rpc.request("eth_blockNumber", []), 16)
    except (RpcUnavailable, RpcError) as exc:
        error = str(exc)
    finally:
        rpc.close()
    return IndexStatus(
        database=describe(settings.database_url),
        rpc_url=settings.rpc_url,
        chain_id=checkpoint.chain_id if checkpoint else None,
        deploy_block=checkpoint.deploy_block if checkpoint else None,
        indexed_block=checkpoint.indexed_block if checkpoint else None,
        head_block=head,
        confirmations=settings.confirmations,
        events=events,
        head_error=error,
    )
