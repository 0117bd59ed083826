"""Bulk writes store what SQLAlchemy would: tuples in the table's column order go in as they are, an
update sets only the columns it names, and both refuse columns the table does not have."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from registry.domain.types import UINT96_MAX
from registry.indexer.logs import RawLog
from registry.store.bulk import insert_rows, insert_values, update_rows
from registry.store.engine import open_engine, upgrade
from registry.store.schema import programs, raw_events, role_members
from tests.store.test_schema import PROVENANCE, program


def raw_log(log_index: int, *, topics: int = 2) -> RawLog:
    words = [bytes([log_index, i]) * 16 for i in range(topics)]
    topic0, topic1, topic2, topic3 = [*words, None, None, None, None][:4]
    return RawLog(31337, 5, log_index, b"\x0b" * 32, b"\x0c" * 32, 0, "0x" + "ab" * 20, topic0, topic1, topic2,
                  topic3, b"\x00\xff" * 40, "MilestoneSubmitted" if topics else None)  # fmt: skip


def test_logs_go_in_as_tuples_and_come_back_as_the_same_rows(engine: Engine) -> None:
    logs = [raw_log(0), raw_log(1, topics=4), raw_log(2, topics=0)]
    with engine.begin() as connection:
        insert_values(connection, raw_events, RawLog._fields, logs)
    with engine.connect() as connection:
        stored = connection.execute(select(raw_events).order_by(raw_events.c.log_index)).all()
    assert [RawLog._make(row) for row in stored] == logs


def test_values_in_another_column_order_are_refused(engine: Engine) -> None:
    swapped = ("block_number", "chain_id", *RawLog._fields[2:])
    refused = r"columns \(block_number, chain_id, log_index, .*\) are not those of raw_events, in their order"
    with pytest.raises(ValueError, match=refused), engine.begin() as connection:
        insert_values(connection, raw_events, swapped, [raw_log(0)])


def test_tuples_with_won_amounts_are_stored_exactly(engine: Engine) -> None:
    columns = tuple(c.name for c in programs.columns)
    rows = [tuple(program(1, UINT96_MAX)[c] for c in columns), tuple(program(2, 5)[c] for c in columns)]
    with engine.begin() as connection:
        insert_values(connection, programs, columns, rows)
    with engine.connect() as connection:
        stored = connection.execute(select(programs.c.budget).order_by(programs.c.program_id)).scalars().all()
    assert stored == [UINT96_MAX, 5]


def test_an_update_naming_columns_sets_only_those(engine: Engine) -> None:
    with engine.begin() as connection:
        insert_rows(connection, programs, [program(1, 100)])
        # The row in memory differs in two columns; the update names one (and the key, which it leaves alone).
        update_rows(connection, programs, [program(1, 100, granted=40, name="renamed")],
                    columns=["granted", "program_id"])  # fmt: skip
    with engine.connect() as connection:
        row = connection.execute(select(programs)).mappings().one()
    assert dict(row) == program(1, 100, granted=40)


def test_an_update_naming_a_column_the_table_lacks_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="programs has no column grant"), engine.begin() as connection:
        update_rows(connection, programs, [program(1, 100)], columns=["grant"])


def test_hashes_and_flags_are_stored_in_sqlite_as_blobs_and_integers(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'registry.db'}")
    upgrade(engine)
    member = {"role": b"\x0d" * 32, "account": "0x" + "ef" * 20, "active": True, **PROVENANCE}
    with engine.begin() as connection:
        insert_values(connection, raw_events, RawLog._fields, [raw_log(0)])
        insert_rows(connection, role_members, [member])
    with engine.connect() as connection:
        kinds = connection.execute(text("SELECT typeof(block_hash), typeof(data), typeof(topic3) FROM raw_events"))
        assert kinds.one() == ("blob", "blob", "null")
        stored = connection.execute(text("SELECT typeof(role), typeof(active), active FROM role_members"))
        assert stored.one() == ("blob", "integer", 1)
    engine.dispose()
