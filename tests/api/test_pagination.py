"""Keyset pagination: pages follow each other without gaps or repeats, a cursor belongs to its list
and sort, a damaged one is a 400 naming `cursor`, and every sort of every list seeks through an index
(SQLite's query plan), so a deep page costs what the first costs."""

from __future__ import annotations

import base64
import json
import sqlite3
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, Select

from registry.store.engine import open_engine
from registry.store.queries import evidence, grants, members, outcomes
from registry.store.queries.keyset import Seek, SortKey, seek_page
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, error_of

#: Every list's base query and its sorts.
LISTS: dict[str, tuple[Select[Any], dict[str, SortKey]]] = {
    "programs": (grants.programs_query(grants.ProgramFilter()), grants.PROGRAM_SORTS),
    "projects": (grants.projects_query(grants.ProjectFilter()), grants.PROJECT_SORTS),
    "milestones": (grants.milestones_query(grants.MilestoneFilter()), grants.MILESTONE_SORTS),
    "evaluations": (grants.audits_query(grants.AuditFilter()), grants.AUDIT_SORTS),
    "outcomes": (outcomes.outcomes_query(outcomes.OutcomeFilter()), outcomes.OUTCOME_SORTS),
    "ip-status-changes": (outcomes.ip_changes_query(outcomes.IpChangeFilter()), outcomes.IP_CHANGE_SORTS),
    "reports": (outcomes.reports_query(outcomes.ReportFilter()), outcomes.REPORT_SORTS),
    "members": (members.role_members_query(members.RoleMemberFilter()), members.ROLE_MEMBER_SORTS),
    "companies": (members.company_accounts_query(members.CompanyAccountFilter()), members.COMPANY_ACCOUNT_SORTS),
    "restrictions": (members.restrictions_query(members.RestrictionFilter()), members.RESTRICTION_SORTS),
    "history": (members.membership_events_query(members.MembershipEventFilter()), members.MEMBERSHIP_EVENT_SORTS),
    "admin-transfers": (members.admin_transfers_query(), members.ADMIN_TRANSFER_SORTS),
    "batches": (evidence.batches_query(evidence.BatchFilter()), evidence.BATCH_SORTS),
}


@pytest.fixture(scope="module")
def engine(indexed: IndexedRegistry) -> Engine:
    return open_engine(indexed.settings.database_url)


def _plan(engine: Engine, query: Select[Any]) -> list[str]:
    compiled = query.compile(dialect=engine.dialect)
    parameters = tuple(compiled.params[name] for name in compiled.positiontup or ())
    with engine.connect() as connection:
        return [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", parameters)]


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("name", LISTS)
def test_every_sort_of_every_list_seeks_its_page_through_an_index(engine: Engine, name: str, descending: bool) -> None:
    query, sorts = LISTS[name]
    for key in sorts.values():
        position = tuple(b"\x00" * 32 if c.type.python_type is bytes else "0x" if c.type.python_type is str else 1
                         for c in key.columns)  # fmt: skip
        plan = _plan(engine, seek_page(query, Seek(key, descending, position, 50)))
        table = key.columns[0].table.name
        assert plan[0].startswith(f"SEARCH {table} USING "), (key.name, plan)
        assert "<" in plan[0] if descending else ">" in plan[0], (key.name, plan)
        assert not any("TEMP B-TREE" in step for step in plan), (key.name, plan)


def _instructions(engine: Engine, query: Select[Any]) -> int:
    """How many virtual-machine steps SQLite takes to answer `query`: a measure of work, not of time."""
    compiled = query.compile(dialect=engine.dialect)
    parameters = tuple(compiled.params[name] for name in compiled.positiontup or ())
    assert engine.url.database is not None
    connection = sqlite3.connect(engine.url.database)
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    connection.set_progress_handler(count, 1)
    connection.execute(str(compiled), parameters).fetchall()
    connection.close()
    return steps


def test_the_last_page_takes_the_work_the_first_takes_where_offset_would_count_every_row(engine: Engine) -> None:
    query, sorts = LISTS["milestones"]
    key = sorts["id"]
    with engine.connect() as connection:
        keys = [tuple(row) for row in connection.execute(query.with_only_columns(*key.columns).order_by(*key.columns))]
    assert len(keys) > 30
    first = _instructions(engine, seek_page(query, Seek(key, False, None, 1)))
    last = _instructions(engine, seek_page(query, Seek(key, False, keys[-2], 1)))
    with_offset = _instructions(engine, query.order_by(*key.columns).limit(1).offset(len(keys) - 1))
    assert last <= first * 1.2
    assert with_offset >= first + len(keys) - 1  # OFFSET steps over every row it skips, at least once


def test_pages_follow_each_other_without_gaps_or_repeats(api: TestClient) -> None:
    everything = api.get("/api/v1/milestones", params={"limit": 500}).json()
    assert everything["nextCursor"] is None
    paged = all_items(api, "/api/v1/milestones", limit=4)
    assert paged == everything["items"]
    first = api.get("/api/v1/milestones", params={"limit": 4}).json()
    assert len(first["items"]) == 4 and first["nextCursor"]


def _cursor(content: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(content).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        _cursor([1, 2]),
        _cursor({"s": "id", "d": 0, "k": ["one"]}),
        _cursor({"s": "id", "d": 0, "k": [2**70]}),
        _cursor({"s": "id", "d": 0, "k": [1, 2]}),
        _cursor({"s": "id", "d": 2, "k": [1]}),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_a_damaged_cursor_is_a_400_naming_cursor(api: TestClient, cursor: str) -> None:
    error = error_of(api.get("/api/v1/projects", params={"cursor": cursor}), 400)
    assert error == {
        "status": 400,
        "message": "not a cursor of this list: pass the nextCursor of the previous page unchanged",
        "parameter": "cursor",
    }


def test_a_cursor_of_another_sort_is_a_400_saying_which_sort_it_continues(api: TestClient) -> None:
    cursor = api.get("/api/v1/projects", params={"sort": "-amount", "limit": 1}).json()["nextCursor"]
    error = error_of(api.get("/api/v1/projects", params={"cursor": cursor}), 400)
    assert error["parameter"] == "cursor"
    assert error["message"].startswith("this cursor continues the list sorted by '-amount'")


def test_a_limit_above_the_maximum_is_a_422_naming_limit(api: TestClient, indexed: IndexedRegistry) -> None:
    too_many = indexed.settings.api_max_page_size + 1
    error = error_of(api.get("/api/v1/outcomes", params={"limit": too_many}), 422)
    assert error == {"status": 422, "message": f"limit: at most {too_many - 1} items per page (got {too_many})",
                     "parameter": "limit"}  # fmt: skip
    assert len(api.get("/api/v1/outcomes", params={"versions": "all"}).json()["items"]) == min(
        indexed.settings.api_page_size, indexed.client.counts()["outcomes"]
    )
