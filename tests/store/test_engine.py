"""The schema, built by the migrations on SQLite and on PostgreSQL, is the one `schema.py` declares,
and the engines are set up as the indexer relies on."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from registry.errors import ConfigurationError
from registry.store.engine import (
    WalCheckpoints,
    clear,
    current_revision,
    database_url,
    describe,
    head_revision,
    open_engine,
    upgrade,
)
from registry.store.schema import indexer_state, metadata


def test_migrations_build_exactly_the_declared_schema(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []
    assert current_revision(engine) == head_revision()


def test_upgrading_an_up_to_date_database_changes_nothing(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            indexer_state.insert().values(id=1, chain_id=1, grant_registry="0x" + "11" * 20, deploy_block=5,
                                          indexed_block=9, indexed_block_hash=None)
        )  # fmt: skip
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(select(indexer_state.c.indexed_block)).scalar_one() == 9


def test_every_table_is_created(engine: Engine) -> None:
    assert set(inspect(engine).get_table_names()) == set(metadata.tables) | {"alembic_version"}


def test_clear_deletes_every_row_and_keeps_the_schema(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            indexer_state.insert().values(id=1, chain_id=1, grant_registry="0x" + "11" * 20, deploy_block=5,
                                          indexed_block=9, indexed_block_hash=None)
        )  # fmt: skip
    clear(engine)
    with engine.connect() as connection:
        assert connection.execute(select(indexer_state)).all() == []
    assert current_revision(engine) == head_revision()


def test_a_bare_postgresql_url_gets_the_installed_driver() -> None:
    assert database_url("postgresql://user:secret@db.example:5432/registry").drivername == "postgresql+psycopg"
    assert database_url("sqlite:///registry.db").drivername == "sqlite"


def test_other_databases_and_garbage_are_refused_with_a_reason() -> None:
    with pytest.raises(ConfigurationError, match="unsupported database 'mysql'"):
        database_url("mysql://user@host/db")
    with pytest.raises(ConfigurationError, match="is not a database URL"):
        database_url("not a url")


def test_descriptions_hide_the_password() -> None:
    assert "secret" not in describe("postgresql://user:secret@db.example:5432/registry")


def test_sqlite_uses_write_ahead_logging_and_creates_its_folder(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "nested" / "folder" / "registry.db"
    engine = open_engine(f"sqlite:///{path}", background_checkpoints=True)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA wal_autocheckpoint")).scalar_one() == 0
    checkpoints = WalCheckpoints.start(engine, interval=0.01)
    assert checkpoints is not None
    checkpoints.stop()
    engine.dispose()
    assert path.exists()


def test_a_new_sqlite_database_gets_16_kib_pages_and_an_existing_one_keeps_its_own(tmp_path: object) -> None:
    import sqlite3
    from pathlib import Path

    new, old = Path(str(tmp_path)) / "new.db", Path(str(tmp_path)) / "old.db"
    with sqlite3.connect(old) as made_before:
        made_before.execute("CREATE TABLE t (x INTEGER)")  # with SQLite's default page size
    for path, size in ((new, 16384), (old, 4096)):
        engine = open_engine(f"sqlite:///{path}")
        upgrade(engine)
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA page_size")).scalar_one() == size
        engine.dispose()


def test_a_sqlite_schema_change_killed_halfway_leaves_no_half_schema(tmp_path: object) -> None:
    """SQLite runs the migrations in one transaction (the driver alone would not), so they apply
    entirely or not at all."""
    from pathlib import Path

    engine = open_engine(f"sqlite:///{Path(str(tmp_path)) / 'registry.db'}")
    with pytest.raises(RuntimeError), engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE first_half (x INTEGER)")
        raise RuntimeError("killed")
    assert inspect(engine).get_table_names() == []
    engine.dispose()
