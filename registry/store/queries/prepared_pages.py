"""Pages of a list at the speed of the database driver: a list's statement built and compiled once for
each shape of its request (which filters are given, the sort, its direction, whether a page starts after
a cursor), its values bound as parameters, and run as a `PreparedQuery`.

Why: a list's statement depends on its filters, so `Connection.execute` builds a SELECT with its
provenance subqueries, computes its cache key and wraps its execution at each request; that cost more
than SQLite takes to read a page of 50 (about 0.4 ms against 0.3). A shape is built by calling the
list's own query function with a filter whose given values are bound parameters, so the statement is
the one `read_page` runs, with the same filters, order and processors on every value.

The query functions only test a filter value against None and compare columns with it, which holds for
a bound parameter too; one that computed with a value in Python would fail here, loudly, when its shape
is first built (`tests/store/queries/test_prepared_pages.py` compares every list with `read_page`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Column, Select, bindparam, tuple_

from registry.store.queries.keyset import Seek, seek_page
from registry.store.queries.prepared import PreparedQuery, Row, Snapshot

FilterT = TypeVar("FilterT")

#: The prepared statements, by list and shape: at most a few hundred (a list's filters, two at most
#: of them combined in practice, times its sorts and their directions).
_SHAPES: dict[tuple[Any, ...], PreparedQuery] = {}


def item_key_columns(seek: Seek) -> tuple[Column[Any], ...]:
    """The primary key of the table a list's items are rows of (every sort key ends with it)."""
    return tuple(seek.key.columns[-1].table.primary_key.columns)


def _shape(
    query_of: Callable[[FilterT], Select[Any]], wanted: FilterT, seek: Seek, keys_only: bool
) -> tuple[PreparedQuery, dict[str, Any]]:
    given = {f.name: value for f in dataclasses.fields(wanted) if (value := getattr(wanted, f.name)) is not None}  # type: ignore[arg-type]
    key = (query_of, tuple(given), seek.key.name, seek.descending, seek.after is not None, keys_only)
    params = {f"filter_{name}": value for name, value in given.items()}
    params["page_limit"] = seek.limit
    if seek.after is not None:
        params |= {f"after_{n}": value for n, value in enumerate(seek.after)}
    prepared = _SHAPES.get(key)
    if prepared is None:
        bound = dataclasses.replace(wanted, **{name: bindparam(f"filter_{name}") for name in given})  # type: ignore[type-var]
        query = query_of(bound)
        if keys_only:
            columns = dict.fromkeys([*seek.key.columns, *item_key_columns(seek)])
            query = query.with_only_columns(*columns)
        statement = seek_page(query, Seek(seek.key, seek.descending, None, 1))
        if seek.after is not None:
            # As `seek_page` continues after a position, each value bound with its column's type.
            position = tuple_(*seek.key.columns)
            marks = tuple_(*(bindparam(f"after_{n}", type_=c.type) for n, c in enumerate(seek.key.columns)))
            statement = statement.where(position < marks if seek.descending else position > marks)
        prepared = _SHAPES[key] = PreparedQuery(statement.limit(bindparam("page_limit")))
    return prepared, params


def read_prepared_page(
    reader: Snapshot,
    query_of: Callable[[FilterT], Select[Any]],
    wanted: FilterT,
    seek: Seek,
    *,
    keys_only: bool = False,
) -> tuple[list[Row], tuple[Any, ...] | None]:
    """What `keyset.read_page(connection, query_of(wanted), seek)` reads, on `reader`: the page's rows (only
    the sort key and the item's primary key with `keys_only`) and the key to continue after (None on the
    last page). `wanted` is a frozen dataclass of filters, None where not given."""
    prepared, params = _shape(query_of, wanted, Seek(seek.key, seek.descending, seek.after, seek.limit), keys_only)
    params["page_limit"] = seek.limit + 1
    rows = prepared.rows(reader, **params)
    if len(rows) <= seek.limit:
        return rows, None
    rows = rows[: seek.limit]
    return rows, seek.key.value_of(rows[-1])


def item_key(row: Row, columns: Sequence[Column[Any]]) -> tuple[Any, ...]:
    """The primary key of the item `row` holds."""
    return tuple(row[column.name] for column in columns)
