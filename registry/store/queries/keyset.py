"""Keyset ("seek") pagination: a page starts right after the sort key of the previous page's last
row, so the database seeks to it through an index instead of counting rows off as OFFSET does, and
page 10,000 costs what page 1 costs.

Each sort is a tuple of columns ending with the primary key, which makes it unique; all of them run
in one direction, so "after" is a single row-value comparison, `(amount, project_id) > (?, ?)`, that
SQLite and PostgreSQL answer with an index range scan when an index leads with those columns
(`schema.API_SORT_INDEXES`; `tests/api/test_pagination.py` checks SQLite's plan for every sort). A
filtered list is read through its filter's index when the database finds that cheaper, and sorted:
its cost then follows how many rows match, again the same on every page.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, Engine, RowMapping, Select, tuple_


@dataclass(frozen=True)
class SortKey:
    """A unique order of a list: `columns` end with the table's primary key."""

    name: str
    columns: tuple[Column[Any], ...]

    def value_of(self, row: Mapping[Any, Any]) -> tuple[Any, ...]:
        """The key of `row`, to continue after it."""
        return tuple(row[column.name] for column in self.columns)


@dataclass(frozen=True)
class Seek:
    """Where a page starts and how long it is."""

    key: SortKey
    descending: bool = False
    after: tuple[Any, ...] | None = None
    limit: int = 50


def seek_page(query: Select[Any], seek: Seek) -> Select[Any]:
    """`query` ordered by the seek's key, starting after `seek.after`, at most `seek.limit` rows."""
    columns = seek.key.columns
    if seek.after is not None:
        if len(seek.after) != len(columns):
            raise ValueError(f"a {seek.key.name} position has {len(columns)} values, got {len(seek.after)}")
        position = tuple_(*columns)
        query = query.where(position < seek.after if seek.descending else position > seek.after)
    order = [column.desc() if seek.descending else column.asc() for column in columns]
    return query.order_by(*order).limit(seek.limit)


def read_page(
    connection: Connection, query: Select[Any], seek: Seek
) -> tuple[list[RowMapping], tuple[Any, ...] | None]:
    """The page's rows, and the key to continue after (None on the last page).

    One row more than the page is read, to know without a COUNT whether another page follows.
    """
    wanted = Seek(seek.key, seek.descending, seek.after, seek.limit + 1)
    rows = list(connection.execute(seek_page(query, wanted)).mappings())
    if len(rows) <= seek.limit:
        return rows, None
    rows = rows[: seek.limit]
    return rows, seek.key.value_of(rows[-1])


def read_all(
    engine: Engine, query: Select[Any], key: SortKey, *, descending: bool = False, chunk: int = 1000
) -> Iterator[RowMapping]:
    """Every row of `query` in key order, read `chunk` rows per statement on a connection of its own:
    an export's way through a large table without holding it in memory or a read transaction open
    while a slow client downloads it."""
    after: tuple[Any, ...] | None = None
    while True:
        with engine.connect() as connection:
            rows, after = read_page(connection, query, Seek(key, descending, after, chunk))
        yield from rows
        if after is None:
            return


def conditions(*parts: ColumnElement[bool] | None) -> list[ColumnElement[bool]]:
    """The given conditions, leaving out the filters not asked for (None)."""
    return [part for part in parts if part is not None]
