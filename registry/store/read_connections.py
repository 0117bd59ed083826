"""Read snapshots for the hottest lookups, on a driver connection kept per thread for SQLite.

Taking a connection from SQLAlchemy's pool and giving it back (checkout, reset-on-return, the
events around both) costs more than the three or four indexed reads of a verification answer
take SQLite. A SQLite connection is a file handle and a cache in this process, so each thread
keeps its own, opened on first use; PostgreSQL connections stay pooled (`snapshot`).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from registry.store.queries.prepared import Snapshot, data_version, snapshot

#: Seconds a read waits for a writer holding the database, as the engine's connections do.
_BUSY_TIMEOUT = 30.0
_PRAGMAS = (
    # Lookups by document hash land on random pages of large indexes: keep 64 MiB of them in this
    # connection's cache, and read the file through a memory map rather than a system call a page.
    ("cache_size", "-65536"),
    ("mmap_size", str(1 << 30)),
)


class ReadConnections:
    """`snapshot()`s of `engine`'s database: one read transaction each, on this thread's connection."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._local = threading.local()
        database = engine.url.database
        on_disk = engine.dialect.name == "sqlite" and database not in (None, "", ":memory:")
        self._sqlite_path = database if on_disk else None

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        if self._sqlite_path is None:
            with snapshot(self._engine) as reader:
                yield reader
            return
        connection = self._connection()
        connection.execute("BEGIN")  # the reads of one answer see one state of the database
        try:
            yield Snapshot(connection, self._engine.dialect)  # type: ignore[arg-type]
        finally:
            connection.execute("ROLLBACK")

    def data_version(self) -> tuple[int, str]:
        """`queries.prepared.data_version` of this thread's connection, read outside any transaction (on
        SQLite, a pragma on the connection kept here: no transaction to begin and end for it)."""
        if self._sqlite_path is None:
            with snapshot(self._engine) as reader:
                return data_version(reader)
        connection = self._connection()
        row = connection.execute("PRAGMA data_version").fetchone()
        return id(connection), str(row[0])

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            assert self._sqlite_path is not None
            # Autocommit mode: transactions begin and end where the statements above say.
            connection = sqlite3.connect(self._sqlite_path, timeout=_BUSY_TIMEOUT, isolation_level=None)
            for name, value in _PRAGMAS:
                connection.execute(f"PRAGMA {name}={value}")
            self._local.connection = connection
        return connection
