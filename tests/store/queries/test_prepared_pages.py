"""Prepared pages (registry/store/queries/prepared_pages.py) read what `keyset.read_page` reads from the
list's own statement: the same rows with the same values (amounts past 64 bits included), the same key to
continue after, on every filter, sort, direction and cursor, on SQLite and PostgreSQL; a keys-only page
holds the sort key and the primary key of the same rows."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from registry.domain.enums import ProgramStatus, ProjectStatus
from registry.store.bulk import insert_rows
from registry.store.queries import grants
from registry.store.queries.grants import PROJECT_SORTS, ProjectFilter
from registry.store.queries.keyset import Seek, read_page
from registry.store.queries.prepared import snapshot
from registry.store.queries.prepared_pages import read_prepared_page
from registry.store.schema import blocks, programs, projects
from tests.helpers.database import PROGRAM_RULES_UNSET, PROJECT_FUNDS_UNSET

ACCOUNT = "0x" + "11" * 20
BIG = 2**90  # a won amount past what a 64-bit integer holds


def _event(block: int) -> dict[str, Any]:
    return {
        "created_block_number": block, "created_log_index": 0, "created_transaction_hash": bytes([block % 256]) * 32,
        "updated_block_number": block, "updated_log_index": 1, "updated_transaction_hash": bytes([block % 256]) * 32,
    }  # fmt: skip


@pytest.fixture
def filled(engine: Engine) -> Engine:
    with engine.begin() as connection:
        insert_rows(connection, blocks, [{"block_number": n, "block_hash": bytes([n]) * 32, "timestamp": 1000 + n}
                                         for n in range(1, 30)])  # fmt: skip
        insert_rows(connection, programs, [{
            "program_id": p, "name": f"사업 {p}", "year": 2020 + p, "budget": BIG, "per_project_cap": BIG,
            "granted": 0, "project_count": 0, "status": int(ProgramStatus.OPEN), "field": "f",
            "metadata_hash": bytes(32), "metadata_uri": "", "created_by": ACCOUNT, **PROGRAM_RULES_UNSET, **_event(1),
        } for p in (1, 2, 3)])  # fmt: skip
        insert_rows(connection, projects, [{
            "project_id": i, "program_id": 1 + i % 3, "company_id": bytes([i % 4]) * 32,
            "status": int(ProjectStatus.ACTIVE if i % 5 else ProjectStatus.COMPLETED), "amount": BIG - i % 7,
            "start_date": 86400 * (i % 6), "end_date": 10**9, "plan_hash": bytes([i]) * 32, "milestone_count": 0,
            "planned_tranches": 0, "registered_by": ACCOUNT, **PROJECT_FUNDS_UNSET, **_event(2 + i % 20),
        } for i in range(1, 41)])  # fmt: skip
    return engine


FILTERS = [
    ProjectFilter(),
    ProjectFilter(program_id=2),
    ProjectFilter(year=2023, status=int(ProjectStatus.ACTIVE)),
    ProjectFilter(company_id=bytes([1]) * 32, start_from=86400, start_before=86400 * 4),
]


@pytest.mark.parametrize("wanted", FILTERS)
@pytest.mark.parametrize("sort", list(PROJECT_SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_page_is_the_one_read_page_reads(
    filled: Engine, wanted: ProjectFilter, sort: str, descending: bool
) -> None:
    key = PROJECT_SORTS[sort]
    after: tuple[Any, ...] | None = None
    pages = 0
    while True:
        seek = Seek(key, descending, after, 4)
        with filled.connect() as connection:
            expected, expected_after = read_page(connection, grants.projects_query(wanted), seek)
        with snapshot(filled) as reader:
            rows, continues = read_prepared_page(reader, grants.projects_query, wanted, seek)
            keys, keys_continue = read_prepared_page(reader, grants.projects_query, wanted, seek, keys_only=True)
        assert rows == [dict(row) for row in expected]
        assert continues == keys_continue == expected_after
        assert keys == [{column.name: row[column.name] for column in key.columns} for row in rows]
        pages += 1
        if continues is None:
            break
        after = continues
    assert pages >= 2 or wanted != ProjectFilter()
