"""Databases for tests: a SQLite file per test, or a schema of its own on the PostgreSQL server named by
RND_TEST_POSTGRES_URL (127.0.0.1:5432, database `test`, by default), dropped afterwards; and whole
databases compared row for row."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url

from registry.store.schema import metadata

POSTGRES_URL = os.environ.get("RND_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


def postgres_unreachable() -> str | None:
    """Why no PostgreSQL server can be used for tests, or None if one can."""
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"PostgreSQL is not reachable at {make_url(POSTGRES_URL).render_as_string()}: {first_line}"
    return None


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose connections work in a new, empty schema of the test server; the schema is dropped after."""
    schema = f"rnd_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


class Databases:
    """Fresh, empty databases of one backend for one test; `close` removes them."""

    def __init__(self, backend: str, tmp_path: Any) -> None:
        self.backend = backend
        self._tmp_path = tmp_path
        self._schemas = ExitStack()
        if backend == "postgresql":
            reason = postgres_unreachable()
            if reason is not None:
                pytest.skip(reason)

    def new(self) -> str:
        """The URL of another empty database."""
        if self.backend == "sqlite":
            return f"sqlite:///{self._tmp_path / f'registry-{uuid.uuid4().hex[:8]}.db'}"
        return self._schemas.enter_context(postgres_schema())

    def close(self) -> None:
        self._schemas.close()


def table_contents(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the registry schema, in primary-key order."""
    contents = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            query = select(table).order_by(*table.primary_key.columns)
            contents[table.name] = [tuple(row) for row in connection.execute(query)]
    return contents


def assert_same_databases(actual: Engine, expected: Engine) -> None:
    """The two databases hold the same rows, table for table and row for row."""
    left, right = table_contents(actual), table_contents(expected)
    assert left.keys() == right.keys()
    for name in left:
        assert len(left[name]) == len(right[name]), f"{name}: {len(left[name])} rows, expected {len(right[name])}"
        for position, (got, wanted) in enumerate(zip(left[name], right[name], strict=True)):
            assert got == wanted, f"{name}, row {position}: {got} != {wanted}"


#: The columns migration 0004 added, as a record before any 1.1.0 event leaves them: rows written by hand
#: in tests spread these in (the bulk writer wants every column).
PROGRAM_RULES_UNSET: dict[str, Any] = {
    "follow_up_years": None, "objection_days": None, "max_restriction_days": None, "max_clawback_percent": None,
}  # fmt: skip
PROJECT_FUNDS_UNSET: dict[str, Any] = {
    "paid": 0, "returned": 0, "target_papers": None, "target_patents": None, "target_sales": None,
    "target_investment": None, "target_jobs": None,
}  # fmt: skip
NO_SANCTION: dict[str, Any] = {"sanction_status": 0, "confirmations": 0, "cancelled_by_objection": None}
NO_DETAILS: dict[str, Any] = {
    "venue": None, "country": None, "counterparty": None, "details_date": None, "details_amount": None,
    "sci_indexed": None,
}  # fmt: skip
