"""Where each stored row came from on the chain: the block time and, for a relayed submission, the
signer of the event that created a row and of the one that last changed it.

Both are scalar subqueries on primary keys or indexes, so they add two index lookups per event to
whatever query selects a row, and compose with any record or history table.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Label, Table, select

from registry.store.schema import blocks, relayed_requests


def block_time(block_number: ColumnElement[Any]) -> ColumnElement[int]:
    """The unix time of the block `block_number` names (every block holding a registry log is stored)."""
    return select(blocks.c.timestamp).where(blocks.c.block_number == block_number).scalar_subquery()


def signer(
    transaction_hash: ColumnElement[Any], block_number: ColumnElement[Any], log_index: ColumnElement[Any]
) -> ColumnElement[str | None]:
    """Who signed the forward request whose call emitted the event at (`block_number`, `log_index`),
    or NULL if its transaction was sent directly.

    The forwarder emits `ExecutedForwardRequest` right after each request's call, so in a relayed
    transaction (one request, or a batch of them) an event belongs to the first such event after it.
    """
    r = relayed_requests
    return (
        select(r.c.signer)
        .where(r.c.transaction_hash == transaction_hash, r.c.block_number == block_number, r.c.log_index > log_index)
        .order_by(r.c.log_index)
        .limit(1)
        .scalar_subquery()
    )


def record_provenance(table: Table) -> list[Label[Any]]:
    """Columns `created_block_time`, `created_signer`, `updated_block_time` and `updated_signer` for a
    record table (which has `created_*` and `updated_*` event columns)."""
    columns: list[Label[Any]] = []
    for side in ("created", "updated"):
        number = table.c[f"{side}_block_number"]
        columns.append(block_time(number).label(f"{side}_block_time"))
        columns.append(
            signer(table.c[f"{side}_transaction_hash"], number, table.c[f"{side}_log_index"]).label(f"{side}_signer")
        )
    return columns


def event_provenance(table: Table) -> list[Label[Any]]:
    """Columns `block_time` and `signer` for a history table (one row per event)."""
    return [
        block_time(table.c.block_number).label("block_time"),
        signer(table.c.transaction_hash, table.c.block_number, table.c.log_index).label("signer"),
    ]
