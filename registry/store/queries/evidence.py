"""Reads of the Merkle batches of documents anchored in the registry's anchor book."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, select

from registry.store.queries.keyset import SortKey
from registry.store.queries.prepared import PreparedQuery, Row, Snapshot
from registry.store.queries.provenance import signer
from registry.store.queries.scope import in_range
from registry.store.schema import batches

BATCH_SORTS = {
    # One BatchAnchored event per batch, so its (block, log index) is unique: the anchoring order.
    "time": SortKey("time", (batches.c.block_number, batches.c.log_index)),
}


@dataclass(frozen=True)
class BatchFilter:
    anchored_by: str | None = None
    #: Anchored at or after / before these unix times.
    anchored_from: int | None = None
    anchored_before: int | None = None


def _batches() -> Select[Any]:
    b = batches
    return select(
        b,
        b.c.timestamp.label("block_time"),
        signer(b.c.transaction_hash, b.c.block_number, b.c.log_index).label("signer"),
    )


_BATCH = PreparedQuery(_batches().where(batches.c.root == bindparam("root")))


def batch(reader: Snapshot, root: bytes) -> Row | None:
    return _BATCH.first(reader, root=root)


def batches_query(wanted: BatchFilter) -> Select[Any]:
    query = _batches()
    if wanted.anchored_by is not None:
        query = query.where(batches.c.anchored_by == wanted.anchored_by)
    return query.where(*in_range(batches.c.timestamp, wanted.anchored_from, wanted.anchored_before))
