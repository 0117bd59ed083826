"""How the GraphQL endpoint reads the SQL copy: with the REST routes' queries and record builders, batched per
request so that a nested query costs one read per level, not one per record (the N+1 problem).

- A list (`projects`) is the REST list's query, paged by the same keyset cursor (`registry.api.pagination`).
- A list under each of many records (`program { projects }`) is that query for all of them at once, each
  parent's page cut by a window function (`ROW_NUMBER() OVER (PARTITION BY parent ...)`), so its pages and
  cursors are those of the REST list filtered by the parent.
- A record by key (`project(id)`, a project's `program`, a milestone's `history`) is the REST detail's own
  lookups (prepared point reads, microseconds each on SQLite), for every key a level asks for, in one read
  snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, Connection, RowMapping, Select, func, select, tuple_
from strawberry.dataloader import DataLoader

from registry.api.deps import ApiContext
from registry.api.pagination import encode_cursor
from registry.api.provenance import RegistryContracts
from registry.api.schemas.common import Page
from registry.store.queries.keyset import Seek, SortKey
from registry.store.queries.prepared import Snapshot

ModelT = TypeVar("ModelT")
KeyT = TypeVar("KeyT", bound=Hashable)

#: The most keys one batched read takes (SQLite allows 32,766 bound values in one statement).
MAX_BATCH = 1000


@dataclass(frozen=True)
class Listing(Generic[ModelT]):
    """One of the REST API's lists: its query for a filter, its sorts and how a row becomes its item."""

    name: str
    query: Callable[[Any], Select[Any]]
    #: The filter that selects every record (a relation's list is that, under each parent).
    unfiltered: Hashable
    sorts: dict[str, SortKey]
    default_sort: str
    item: Callable[[RowMapping, RegistryContracts], ModelT]


@dataclass(frozen=True)
class Lookup(Generic[KeyT, ModelT]):
    """One of the REST API's lookups by key: the record (a detail with its history, where REST has one) or None."""

    name: str
    read: Callable[[Snapshot, RegistryContracts, KeyT], ModelT | None]


def read_pages_by_parent(
    connection: Connection, query: Select[Any], parent: Column[Any], parents: Sequence[Any], position: Seek
) -> list[tuple[list[RowMapping], tuple[Any, ...] | None]]:
    """For each of `parents`, the page of `query`'s rows whose `parent` column holds it, as `read_page` reads
    a page of the list filtered by that parent, and the key to continue after (None on its last page)."""
    columns = position.key.columns
    if position.after is not None:
        at = tuple_(*columns)
        query = query.where(at < position.after if position.descending else at > position.after)
    order = [column.desc() if position.descending else column.asc() for column in columns]
    rank = func.row_number().over(partition_by=parent, order_by=order).label("graphql_rank")
    ranked = query.where(parent.in_(parents)).add_columns(rank).subquery()
    # One row more than the page, to know without a COUNT whether another page follows.
    rows = connection.execute(
        select(ranked).where(ranked.c.graphql_rank <= position.limit + 1)
        .order_by(ranked.c[parent.name], ranked.c.graphql_rank)
    ).mappings()  # fmt: skip
    found: dict[Any, list[RowMapping]] = {}
    for row in rows:
        found.setdefault(row[parent.name], []).append(row)
    pages: list[tuple[list[RowMapping], tuple[Any, ...] | None]] = []
    for key in parents:
        page = found.get(key, [])
        if len(page) <= position.limit:
            pages.append((page, None))
        else:
            page = page[: position.limit]
            pages.append((page, position.key.value_of(page[-1])))
    return pages


class Loaders:
    """The batching loaders of one GraphQL request (their caches live as long as it does)."""

    def __init__(self, api: ApiContext) -> None:
        self.api = api
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def lookup(self, lookup: Lookup[KeyT, ModelT]) -> DataLoader[KeyT, ModelT | None]:
        """A loader of `lookup`'s records by key: one read snapshot for all the keys a level of the query asks."""
        loader = self._loaders.get(lookup.name)
        if loader is None:

            async def read(keys: list[KeyT]) -> list[ModelT | None]:
                def work() -> list[ModelT | None]:
                    contracts = self.api.contracts()
                    with self.api.snapshot() as reader:
                        return [lookup.read(reader, contracts, key) for key in keys]

                return await self.api.read(work)

            loader = self._loaders[lookup.name] = DataLoader(read, max_batch_size=MAX_BATCH)
        return loader

    def pages(
        self, listing: Listing[ModelT], wanted: Hashable, parent: Column[Any], position: Seek
    ) -> DataLoader[Any, Page[ModelT]]:
        """A loader of the page of `listing` (filtered by `wanted`) under each parent, keyed by the parent's id."""
        key = (listing.name, parent.name, wanted, position)
        loader = self._loaders.get(key)
        if loader is None:
            query = listing.query(wanted)

            async def read(parents: list[Any]) -> list[Page[ModelT]]:
                def work() -> list[Page[ModelT]]:
                    contracts = self.api.contracts()
                    with self.api.engine.connect() as connection:
                        pages = read_pages_by_parent(connection, query, parent, parents, position)
                    return [
                        Page(
                            items=[listing.item(row, contracts) for row in rows],
                            next_cursor=None if after is None else encode_cursor(position.key, position.descending,
                                                                                 after),
                        )
                        for rows, after in pages
                    ]  # fmt: skip

                return await self.api.read(work)

            loader = self._loaders[key] = DataLoader(read, max_batch_size=MAX_BATCH)
        return loader
