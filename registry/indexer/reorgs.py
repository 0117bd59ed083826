"""Notices that the chain replaced blocks the database was built from, and rolls the database back.

Block hashes chain each block to its parent, so if the chain still has the checkpoint block with
the hash it had when it was read, it still has every block below it unchanged. When it does not,
the fork point is the highest stored block (every block with a registry log is stored with its
hash) that the chain still has unchanged. Rolling back then deletes the raw events and blocks above
it and, if any events were deleted, rebuilds every record table by replaying the raw events that
remain, so the records are exactly what the surviving events say: the same rows a fresh run over
the new chain writes, once indexing resumes from the fork point.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from registry.errors import RegistryError
from registry.indexer.catalogue import EventCatalogue
from registry.indexer.checkpoint import Checkpoint, advance
from registry.indexer.fetcher import LogFetcher
from registry.indexer.projections import rebuild
from registry.store.schema import blocks, raw_events

log = logging.getLogger("registry.indexer")

_PAGE = 64


class DeepReorganization(RegistryError):
    """The chain replaced blocks already indexed, and rolling the copy back was not asked for."""

    def __init__(
        self, url: str, block: int, now: bytes | None, fork_block: int, events: int, confirmations: int
    ) -> None:
        self.url = url
        self.block = block
        self.now = now
        self.fork_block = fork_block
        self.events = events
        self.confirmations = confirmations
        replaced = "is gone" if now is None else f"now has hash 0x{now.hex()[:16]}…"
        super().__init__(
            f"the node at {url} replaced blocks already indexed: block {block:,} {replaced}, and the chains meet at "
            f"block {fork_block:,}, deeper than RND_CONFIRMATIONS={confirmations}; following it would remove "
            f"{events:,} event(s) of blocks {fork_block + 1:,} to {block:,} from the copy, so nothing was changed. "
            "If that node is wrong or still syncing, point RND_RPC_URL at a sound node of the chain; if the chain "
            "really was reorganized, run `rnd-registry index --roll-back-reorgs` (RND_INDEX_ROLL_BACK_REORGS=true)"
        )


@dataclass(frozen=True)
class RollBack:
    checkpoint: Checkpoint
    removed_events: int
    replayed_events: int


def find_fork_point(engine: Engine, fetcher: LogFetcher, checkpoint: Checkpoint) -> tuple[int, bytes | None]:
    """The highest stored block at or below the checkpoint that the chain still has, with its hash;
    the block before the deployment (and no hash) if none is left."""
    upper = checkpoint.indexed_block
    while True:
        with engine.connect() as connection:
            page = connection.execute(
                select(blocks.c.block_number, blocks.c.block_hash)
                .where(blocks.c.block_number <= upper)
                .order_by(blocks.c.block_number.desc())
                .limit(_PAGE)
            ).all()
        if not page:
            return checkpoint.deploy_block - 1, None
        headers = fetcher.headers(number for number, _ in page)
        for number, block_hash in page:
            header = headers.get(number)
            if header is not None and header.hash == block_hash:
                return number, block_hash
        upper = page[-1][0] - 1


def events_above(engine: Engine, block: int) -> int:
    """How many indexed events lie in blocks above `block`: what a roll-back to it would remove."""
    with engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count()).select_from(raw_events).where(raw_events.c.block_number > block)
            ).scalar_one()
        )


def roll_back(
    engine: Engine, catalogue: EventCatalogue, checkpoint: Checkpoint, fork_block: int, fork_hash: bytes | None
) -> RollBack:
    """Forgets everything above `fork_block`, in one transaction."""
    with engine.begin() as connection:
        moved = advance(connection, checkpoint, fork_block, fork_hash)
        removed = connection.execute(raw_events.delete().where(raw_events.c.block_number > fork_block)).rowcount
        connection.execute(blocks.delete().where(blocks.c.block_number > fork_block))
        replayed = rebuild(connection, catalogue) if removed else 0
    return RollBack(moved, removed, replayed)
