"""Values keep their exact value on both databases: won amounts up to uint96, nonces up to uint256."""

from __future__ import annotations

from sqlalchemy import Engine, select

from registry.domain.types import UINT96_MAX
from registry.store.bulk import insert_rows, update_rows
from registry.store.schema import programs, relayed_requests
from tests.helpers.database import PROGRAM_RULES_UNSET

PROVENANCE = {
    "created_block_number": 7,
    "created_log_index": 0,
    "created_transaction_hash": b"\x01" * 32,
    "updated_block_number": 7,
    "updated_log_index": 0,
    "updated_transaction_hash": b"\x01" * 32,
}


def program(program_id: int, budget: int, **changes: object) -> dict[str, object]:
    return {
        "program_id": program_id, "name": "신성장동력 R&D사업", "year": 2021, "budget": budget,
        "per_project_cap": 1, "granted": 0, "project_count": 0, "status": 1, "field": "D.N.A.",
        "metadata_hash": b"\x02" * 32, "metadata_uri": "", "created_by": "0x" + "ab" * 20, **PROGRAM_RULES_UNSET,
        **PROVENANCE, **changes,
    }  # fmt: skip


def test_won_amounts_up_to_uint96_come_back_exactly_and_sort_as_numbers(engine: Engine) -> None:
    budgets = [UINT96_MAX, 100_000_000, 9, 2**63, 2**63 - 1, 0]
    with engine.begin() as connection:
        connection.execute(programs.insert(), [program(i + 1, b) for i, b in enumerate(budgets)])
    with engine.connect() as connection:
        stored = connection.execute(select(programs.c.budget).order_by(programs.c.budget)).scalars().all()
    assert stored == sorted(budgets)
    assert all(type(value) is int for value in stored)


def test_bulk_writes_store_what_sqlalchemy_reads_back(engine: Engine) -> None:
    with engine.begin() as connection:
        insert_rows(connection, programs, [program(1, UINT96_MAX), program(2, 5)])
        update_rows(connection, programs, [program(2, 5, granted=UINT96_MAX - 1, status=2, name="closed")])
        insert_rows(connection, programs, [program(1, 1)], if_absent=True)  # the first one stays
    with engine.connect() as connection:
        rows = connection.execute(select(programs).order_by(programs.c.program_id)).mappings().all()
    assert [dict(r) for r in rows] == [program(1, UINT96_MAX), program(2, 5, granted=UINT96_MAX - 1, status=2,
                                                                             name="closed")]  # fmt: skip


def test_uint256_nonces_come_back_exactly(engine: Engine) -> None:
    nonces = [2**256 - 1, 0, 12]
    rows = [
        {"block_number": 1, "log_index": i, "transaction_hash": b"\x03" * 32, "signer": "0x" + "cd" * 20,
         "nonce": nonce, "success": True}
        for i, nonce in enumerate(nonces)
    ]  # fmt: skip
    with engine.begin() as connection:
        insert_rows(connection, relayed_requests, rows)
    with engine.connect() as connection:
        stored = connection.execute(select(relayed_requests.c.nonce).order_by(relayed_requests.c.log_index))
        assert stored.scalars().all() == nonces
