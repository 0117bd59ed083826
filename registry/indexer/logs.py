"""A registry log as the node returned it: one `raw_events` row.

A named tuple rather than a dict, because a backfill handles hundreds of thousands of them: built
in the read-ahead process, sent to the indexer, and inserted as they are
(`store.bulk.insert_values`): its fields are the table's columns, in the table's order.
"""

from __future__ import annotations

from typing import NamedTuple


class RawLog(NamedTuple):
    """One log of a registry contract; the fields are `raw_events`' columns, in their order."""

    chain_id: int
    block_number: int
    log_index: int
    block_hash: bytes
    transaction_hash: bytes
    transaction_index: int
    address: str
    topic0: bytes | None
    topic1: bytes | None
    topic2: bytes | None
    topic3: bytes | None
    data: bytes
    #: The event's name, or None if the ABIs do not declare it.
    event: str | None
