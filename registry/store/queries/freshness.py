"""How current the copy is: the last block the indexer read, and the last block that held a registry
event with its time (the open-data catalogue's "last updated")."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from registry.store.queries.prepared import PreparedQuery, Snapshot
from registry.store.schema import blocks, indexer_state

_LAST_EVENT_BLOCK = select(func.max(blocks.c.block_number)).scalar_subquery()
_FRESHNESS = PreparedQuery(
    select(
        select(indexer_state.c.indexed_block).where(indexer_state.c.id == 1).scalar_subquery().label("indexed_block"),
        _LAST_EVENT_BLOCK.label("event_block"),
        select(blocks.c.timestamp).where(blocks.c.block_number == _LAST_EVENT_BLOCK).scalar_subquery().label("time"),
    )
)


@dataclass(frozen=True)
class Freshness:
    #: Every registry event up to this block is in the copy; None before the first indexing.
    indexed_block: int | None
    #: The last block that held a registry event, and its time (unix seconds); None when there is none.
    event_block: int | None
    event_time: int | None


def freshness(reader: Snapshot) -> Freshness:
    row = _FRESHNESS.first(reader)
    if row is None:
        return Freshness(None, None, None)
    return Freshness(row["indexed_block"], row["event_block"], row["time"])
