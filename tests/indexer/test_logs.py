"""A log's fields are the `raw_events` columns in their order, so logs are inserted as they are."""

from __future__ import annotations

from registry.indexer.logs import RawLog
from registry.store.schema import raw_events


def test_a_logs_fields_are_the_raw_events_columns_in_their_order() -> None:
    assert RawLog._fields == tuple(column.name for column in raw_events.columns)
