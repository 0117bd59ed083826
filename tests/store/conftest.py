"""Store fixtures: an empty database per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from registry.store.engine import open_engine, upgrade
from tests.helpers.database import BACKENDS, Databases


@pytest.fixture(params=BACKENDS)
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Databases]:
    """Empty databases on SQLite, then on PostgreSQL (skipped, saying why, if no server answers)."""
    found = Databases(request.param, tmp_path)
    yield found
    found.close()


@pytest.fixture
def database_url(databases: Databases) -> str:
    return databases.new()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """The database with the schema at its newest migration."""
    engine = open_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()
