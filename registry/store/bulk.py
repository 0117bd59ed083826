"""Writes many rows at once, at the speed of the database driver.

SQLAlchemy Core spends more time per row than SQLite does (compiling parameters, running each
value through its type): for the indexer's hundreds of thousands of rows that triples the cost of
a write. Here each table gets its statements once, values go to the driver as tuples, and the one
value type the driver cannot take as it is, a wide unsigned integer (`UnsignedInteger`), is
converted to its stored form. On PostgreSQL, plain inserts use `COPY`.

Rows are dicts holding every column of the table, with plain Python values (int, str, bytes,
bool, None): what SQLAlchemy reads back from the same tables; or, for the largest table, tuples
already in its column order (`insert_values`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table

from registry.store.schema import UnsignedInteger

Row = Mapping[str, Any]


@dataclass(frozen=True)
class _TablePlan:
    table: str
    mark: str  # the driver's parameter marker
    columns: tuple[str, ...]
    keys: tuple[str, ...]
    values: tuple[str, ...]  # the columns an update may set: all but the primary key
    converters: dict[str, Callable[[Any], Any]]  # column -> its stored form, where the driver needs one
    insert: str
    insert_if_absent: str
    copy: str
    updates: dict[tuple[str, ...], str] = field(default_factory=dict)  # columns set -> statement

    def update(self, columns: tuple[str, ...]) -> str:
        """The statement setting `columns` of the row with the given primary key (parameters: the
        columns' values, then the key's)."""
        statement = self.updates.get(columns)
        if statement is None:
            sets = ", ".join(f"{_quote(c)} = {self.mark}" for c in columns)
            where = " AND ".join(f"{_quote(k)} = {self.mark}" for k in self.keys)
            statement = self.updates[columns] = f"UPDATE {self.table} SET {sets} WHERE {where}"
        return statement


_PLANS: dict[tuple[str, str], _TablePlan] = {}


def _plan(table: Table, dialect: str) -> _TablePlan:
    plan = _PLANS.get((table.name, dialect))
    if plan is not None:
        return plan
    # SQLAlchemy's column names are `quoted_name`s, a str subclass: a row's dict finds such a key only
    # by comparing strings. Interned plain strings are the very objects the rows' keys are.
    columns = tuple(sys.intern(str(c.name)) for c in table.columns)
    keys = tuple(sys.intern(str(c.name)) for c in table.primary_key.columns)
    mark = "?" if dialect == "sqlite" else "%s"
    converters = {
        sys.intern(str(c.name)): c.type.stored_form(dialect)
        for c in table.columns
        if isinstance(c.type, UnsignedInteger)
    }
    names = ", ".join(_quote(c) for c in columns)
    marks = ", ".join(mark for _ in columns)
    insert = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
    keys_sql = ", ".join(_quote(k) for k in keys)
    plan = _TablePlan(
        table=table.name,
        mark=mark,
        columns=columns,
        keys=keys,
        values=tuple(c for c in columns if c not in keys),
        converters=converters,
        insert=insert,
        insert_if_absent=f"{insert} ON CONFLICT ({keys_sql}) DO NOTHING",
        copy=f"COPY {table.name} ({names}) FROM STDIN",
    )
    _PLANS[(table.name, dialect)] = plan
    return plan


def _quote(name: str) -> str:
    return f'"{name}"'


def _tuples(plan: _TablePlan, rows: Sequence[Row], order: tuple[str, ...]) -> Sequence[Sequence[Any]]:
    """The rows' values of the columns `order`, in their stored form, as tuples for the driver."""
    pick = itemgetter(*order)
    picked = list(map(pick, rows)) if len(order) > 1 else [(value,) for value in map(pick, rows)]
    return _stored(plan, picked, order)


def _stored(plan: _TablePlan, rows: Sequence[Sequence[Any]], order: Sequence[str]) -> Sequence[Sequence[Any]]:
    """Tuples of the values of the columns `order`, with the values the driver cannot take as they are
    in their stored form."""
    converted = [(i, plan.converters[c]) for i, c in enumerate(order) if c in plan.converters]
    if not converted or not rows:
        return rows
    # Column by column, so that only the values that need it go through a Python function.
    columns = list(zip(*rows, strict=True))
    for i, convert in converted:
        columns[i] = tuple(map(convert, columns[i]))
    return list(zip(*columns, strict=True))


def insert_rows(connection: Connection, table: Table, rows: Sequence[Row], *, if_absent: bool = False) -> None:
    """Inserts `rows`; with `if_absent`, a row whose primary key is taken is left out, silently."""
    if not rows:
        return
    dialect = connection.dialect.name
    plan = _plan(table, dialect)
    tuples = _tuples(plan, rows, plan.columns)
    if dialect == "postgresql" and not if_absent:
        _copy(connection, plan, tuples)
        return
    connection.exec_driver_sql(plan.insert_if_absent if if_absent else plan.insert, tuples)


def insert_values(connection: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Inserts rows given as tuples of `columns`, which must be the table's columns in the table's order
    (so the tuples go to the driver as they are)."""
    if not rows:
        return
    dialect = connection.dialect.name
    plan = _plan(table, dialect)
    if tuple(columns) != plan.columns:
        raise ValueError(f"the values' columns ({', '.join(columns)}) are not those of {table.name}, in their order")
    values = _stored(plan, rows if isinstance(rows, list) else list(rows), plan.columns)
    if dialect == "postgresql":
        _copy(connection, plan, values)
        return
    connection.exec_driver_sql(plan.insert, values)


def update_rows(connection: Connection, table: Table, rows: Sequence[Row], *, columns: Iterable[str] = ()) -> None:
    """Sets `columns` (every column but the primary key if none are named; the key's are left out) of
    each row's stored counterpart, to the row's values. Setting only the columns that changed spares
    the database the upkeep of the indexes on the others."""
    if not rows:
        return
    plan = _plan(table, connection.dialect.name)
    named = set(columns)
    if named - set(plan.columns):
        raise ValueError(f"{table.name} has no column {', '.join(sorted(named - set(plan.columns)))}")
    setting = tuple(c for c in plan.values if c in named) if named else plan.values
    connection.exec_driver_sql(plan.update(setting), _tuples(plan, rows, setting + plan.keys))


def _copy(connection: Connection, plan: _TablePlan, tuples: Sequence[Sequence[Any]]) -> None:
    driver: Any = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(plan.copy) as copy:
        for values in tuples:
            copy.write_row(values)
