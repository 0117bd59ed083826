"""Writes many rows at once, at the speed of the database driver.

SQLAlchemy Core spends more time per row than SQLite does (compiling parameters, running each
value through its type): for the indexer's hundreds of thousands of rows that triples the cost of
a write. Here each table gets its statements once, values go to the driver as tuples, and the one
value type the driver cannot take as it is, a wide unsigned integer (`UnsignedInteger`), is
converted to its stored form. On PostgreSQL, plain inserts use `COPY`.

Rows are dicts holding every column of the table, with plain Python values (int, str, bytes,
bool, None): what SQLAlchemy reads back from the same tables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table

from registry.store.schema import UnsignedInteger

Row = Mapping[str, Any]


@dataclass(frozen=True)
class _TablePlan:
    columns: tuple[str, ...]
    keys: tuple[str, ...]
    values: tuple[str, ...]  # the columns an update sets: all but the primary key
    converters: tuple[tuple[int, Callable[[Any], Any]], ...]  # column position -> stored form
    insert: str
    insert_if_absent: str
    update: str
    copy: str


_PLANS: dict[tuple[str, str], _TablePlan] = {}


def _plan(table: Table, dialect: str) -> _TablePlan:
    plan = _PLANS.get((table.name, dialect))
    if plan is not None:
        return plan
    columns = tuple(c.name for c in table.columns)
    keys = tuple(c.name for c in table.primary_key.columns)
    values = tuple(c for c in columns if c not in keys)
    mark = "?" if dialect == "sqlite" else "%s"
    converters = []
    for position, column in enumerate(table.columns):
        if isinstance(column.type, UnsignedInteger):
            converters.append((position, column.type.stored_form(dialect)))
    names = ", ".join(_quote(c) for c in columns)
    marks = ", ".join(mark for _ in columns)
    insert = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
    keys_sql = ", ".join(_quote(k) for k in keys)
    sets = ", ".join(f"{_quote(c)} = {mark}" for c in values)
    where = " AND ".join(f"{_quote(k)} = {mark}" for k in keys)
    plan = _TablePlan(
        columns=columns,
        keys=keys,
        values=values,
        converters=tuple(converters),
        insert=insert,
        insert_if_absent=f"{insert} ON CONFLICT ({keys_sql}) DO NOTHING",
        update=f"UPDATE {table.name} SET {sets} WHERE {where}",
        copy=f"COPY {table.name} ({names}) FROM STDIN",
    )
    _PLANS[(table.name, dialect)] = plan
    return plan


def _quote(name: str) -> str:
    return f'"{name}"'


def _tuples(plan: _TablePlan, rows: Sequence[Row], order: tuple[str, ...]) -> list[tuple[Any, ...]]:
    pick = itemgetter(*order)
    if not plan.converters:
        return [pick(row) for row in rows] if len(order) > 1 else [(pick(row),) for row in rows]
    positions = {plan.columns[p]: convert for p, convert in plan.converters}
    converters = [(i, positions[c]) for i, c in enumerate(order) if c in positions]
    result = []
    for row in rows:
        values = list(pick(row))
        for i, convert in converters:
            values[i] = convert(values[i])
        result.append(tuple(values))
    return result


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


def update_rows(connection: Connection, table: Table, rows: Sequence[Row]) -> None:
    """Sets every column but the primary key of each row's stored counterpart."""
    if not rows:
        return
    plan = _plan(table, connection.dialect.name)
    connection.exec_driver_sql(plan.update, _tuples(plan, rows, plan.values + plan.keys))


def _copy(connection: Connection, plan: _TablePlan, tuples: list[tuple[Any, ...]]) -> None:
    driver: Any = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(plan.copy) as copy:
        for values in tuples:
            copy.write_row(values)
