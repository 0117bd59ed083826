"""Reads of the registry's anchor book: the documents anchored (their first anchoring) and the
Merkle batches of documents anchored as one root."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, select

from registry.store.queries.keyset import SortKey
from registry.store.queries.prepared import PreparedQuery, Row, Snapshot
from registry.store.queries.provenance import signer
from registry.store.queries.scope import in_range
from registry.store.schema import anchors, batches, indexer_state, raw_events

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


ANCHOR_SORTS = {
    # One event may anchor several documents (a milestone's evidence): the hash makes the order unique.
    "time": SortKey("time", (anchors.c.block_number, anchors.c.log_index, anchors.c.document_hash)),
}


@dataclass(frozen=True)
class AnchorFilter:
    anchored_by: str | None = None
    #: Anchored at or after / before these unix times.
    anchored_from: int | None = None
    anchored_before: int | None = None


def anchors_query(wanted: AnchorFilter) -> Select[Any]:
    """The anchor book's entries, each with the contract that logged its event and who signed it."""
    a = anchors
    emitter = (
        select(raw_events.c.address)
        .where(raw_events.c.chain_id == select(indexer_state.c.chain_id).scalar_subquery(),
               raw_events.c.block_number == a.c.block_number, raw_events.c.log_index == a.c.log_index)
        .limit(1)
        .scalar_subquery()
    )  # fmt: skip
    query = select(
        a,
        a.c.timestamp.label("block_time"),
        emitter.label("contract"),
        signer(a.c.transaction_hash, a.c.block_number, a.c.log_index).label("signer"),
    )
    if wanted.anchored_by is not None:
        query = query.where(a.c.anchored_by == wanted.anchored_by)
    return query.where(*in_range(a.c.timestamp, wanted.anchored_from, wanted.anchored_before))
