"""Lookups by key at the speed of the database driver: a SELECT compiled once per dialect and run on
the driver's own connection.

The public API answers most requests with one or two point reads that SQLite serves in about ten
microseconds; SQLAlchemy's per-execution machinery around them (pool checkout with its events,
transaction events, execution context, result wrapping) costs several times that. `PreparedQuery`
keeps what matters of SQLAlchemy: the statement is built and compiled by it, and every bound value
and every result value goes through the column type's own processors, so rows hold what
`Connection.execute` would give (a won amount an `int` on SQLite as on PostgreSQL). Lists, whose
statements change with their filters, use `Connection.execute` as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Dialect, Engine, Select
from sqlalchemy.engine.interfaces import DBAPIConnection

Row = dict[str, Any]
_Processor = Callable[[Any], Any] | None


@dataclass
class _Compiled:
    sql: str
    positional: tuple[str, ...] | None
    defaults: dict[str, Any]
    bind_processors: dict[str, Callable[[Any], Any]]
    keys: tuple[str, ...]
    #: Set at the first execution: some drivers' conversions depend on the column types they report.
    result_processors: tuple[_Processor, ...] | None = None


class PreparedQuery:
    """A SELECT with bound parameters (`bindparam("id")`), compiled on first use for each dialect."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is not None:
            return found
        compiled = self.statement.compile(dialect=dialect)
        bind_processors: dict[str, Callable[[Any], Any]] = {}
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                bind_processors[compiled.bind_names.get(bind, name)] = processor
        found = _Compiled(
            sql=compiled.string,
            positional=tuple(compiled.positiontup or ()) if compiled.positional else None,
            defaults=dict(compiled.construct_params(_check=False)),
            bind_processors=bind_processors,
            keys=tuple(self.statement.selected_columns.keys()),
        )
        self._compiled[dialect.name] = found
        return found

    def rows(self, snapshot: Snapshot, **params: Any) -> list[Row]:
        compiled = self._compile(snapshot.dialect)
        values = {**compiled.defaults, **params}
        for name, processor in compiled.bind_processors.items():
            values[name] = processor(values[name])
        bound: Sequence[Any] | dict[str, Any]
        bound = values if compiled.positional is None else [values[name] for name in compiled.positional]
        cursor = snapshot.dbapi_connection.cursor()
        try:
            cursor.execute(compiled.sql, bound)
            fetched = cursor.fetchall()
            processors = compiled.result_processors
            if processors is None:
                processors = compiled.result_processors = self._result_processors(snapshot.dialect, cursor.description)
        finally:
            cursor.close()
        keys = compiled.keys
        return [
            {key: (value if processor is None else processor(value))
             for key, processor, value in zip(keys, processors, row, strict=True)}
            for row in fetched
        ]  # fmt: skip

    def _result_processors(self, dialect: Dialect, description: Sequence[Any]) -> tuple[_Processor, ...]:
        columns = list(self.statement.selected_columns)
        return tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, described[1])
            for column, described in zip(columns, description, strict=True)
        )

    def first(self, snapshot: Snapshot, **params: Any) -> Row | None:
        found = self.rows(snapshot, **params)
        return found[0] if found else None


@dataclass(frozen=True)
class Snapshot:
    """A driver connection from the engine's pool, inside one read transaction, so that the several
    reads of one answer (a record and its history) see the database at one moment."""

    dbapi_connection: DBAPIConnection
    dialect: Dialect


def data_version(reader: Snapshot) -> tuple[int, str]:
    """A value that changes whenever another connection has committed a change to the database since
    `reader`'s connection last looked. SQLite: `PRAGMA data_version`, which counts per connection (so the
    connection's identity is part of the value); PostgreSQL: the cluster's current snapshot
    (`xmin:xmax:in-progress ids`), which moves with any commit there (so it may change when nothing of
    the registry's did, never the other way)."""
    cursor = reader.dbapi_connection.cursor()
    try:
        if reader.dialect.name == "sqlite":
            cursor.execute("PRAGMA data_version")
        else:
            cursor.execute("SELECT pg_current_snapshot()::text")
        row = cursor.fetchone()
    finally:
        cursor.close()
    assert row is not None
    return (id(reader.dbapi_connection) if reader.dialect.name == "sqlite" else 0), str(row[0])


@contextmanager
def snapshot(engine: Engine) -> Iterator[Snapshot]:
    """A read snapshot of `engine`'s database, its connection back to the pool at the end."""
    pooled = engine.raw_connection()
    try:
        if engine.dialect.name == "sqlite":
            # The engine's SQLite connections leave transactions to the caller (see `open_engine`).
            pooled.driver_connection.execute("BEGIN")  # type: ignore[union-attr]
        yield Snapshot(pooled.dbapi_connection, engine.dialect)  # type: ignore[arg-type]
    finally:
        try:
            pooled.rollback()
        finally:
            pooled.close()
