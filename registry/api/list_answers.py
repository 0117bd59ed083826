"""A list route's answer as the JSON bytes FastAPI would send for its `Page`, each item's JSON built once
and kept while the database stays the same.

Where the time of a list went (py-spy on `GET /api/v1/projects`, 1.5M records): building the SELECT with
its provenance subqueries and SQLAlchemy's execution around it, then per item a pydantic model built from
its row and serialized (a Python call per amount, time and hash), about 25 us each, over 1 ms a page. Now:

- the page is read with the list's statement prepared once per shape
  (`registry/store/queries/prepared_pages.py`);
- each item's JSON is kept (`registry/api/kept_answers.py`) under the database's change counter (SQLite's
  `PRAGMA data_version` on the connection the reads use, PostgreSQL's current snapshot), which any commit
  moves: the indexer's, the API's batch members, an edit by hand. A page first reads only its items' keys;
  when every item is kept under the counter read before and after that read, the answer is those bytes;
  otherwise it reads its rows, builds the items not kept and keeps them if the counter did not move while
  they were read. So a kept item never outlives a change, and the keyset read still runs for every page
  (page 10,000 costs what page 1 does);
- the page is the items' bytes joined in `Page`'s own envelope, `{"items":[...],"nextCursor":...}`, each
  item serialized by its response model's serializer as FastAPI serializes the page
  (`tests/api/test_list_answers.py` compares every list with the plain pydantic path, `read_list`).

Why not a response cache (HTTP caching, `fastapi-cache`): those key on the request and expire on time; an
answer here must expire the moment the database changes, and items shared by pages of other filters and
sorts are kept once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic_core import to_json
from sqlalchemy import Select
from starlette.responses import Response

from registry.api.deps import ApiContext
from registry.api.kept_answers import KeptAnswers
from registry.api.pagination import encode_cursor
from registry.store.queries.keyset import Seek
from registry.store.queries.prepared import Row
from registry.store.queries.prepared_pages import item_key, item_key_columns, read_prepared_page

FilterT = TypeVar("FilterT")
ModelT = TypeVar("ModelT", bound=BaseModel)

#: Items kept, of every list together (about a kilobyte each).
KEPT_ITEMS = 20_000
_KEPT_SLOT = "kept list items"


def _kept(context: ApiContext) -> KeptAnswers:
    kept = context.extras.get(_KEPT_SLOT)
    if not isinstance(kept, KeptAnswers):
        kept = context.extras[_KEPT_SLOT] = KeptAnswers(basis=_basis, keepable=lambda _answer, basis: basis,
                                                        capacity=KEPT_ITEMS)  # fmt: skip
    return kept


async def _basis(context: ApiContext) -> tuple[int, str]:
    return await context.data_version()


def _envelope(items: list[bytes], cursor: str | None) -> bytes:
    """`Page`'s JSON around the items' JSON: its fields in order, `nextCursor` by its alias."""
    return b'{"items":[' + b",".join(items) + b'],"nextCursor":' + to_json(cursor) + b"}"


async def answer_page(
    context: ApiContext,
    query_of: Callable[[FilterT], Select[Any]],
    wanted: FilterT,
    position: Seek,
    build: Callable[[Row], ModelT],
    model: type[ModelT],
) -> Response:
    """The page of `query_of(wanted)` at `position`, its items `build` from the rows, as the JSON of
    `Page[model]`: what `pagination.answer_list` answers, byte for byte. Items are kept by `model` and
    primary key, so every list of a model must build the same item from the same record (each model has
    one list today)."""
    kept = _kept(context)
    reads = context.read_connections()
    serializer = model.__pydantic_serializer__
    columns = item_key_columns(position)

    def read_keys() -> tuple[tuple[int, str], list[Row], tuple[Any, ...] | None, tuple[int, str]]:
        before = reads.data_version()
        with reads.snapshot() as reader:
            rows, after = read_prepared_page(reader, query_of, wanted, position, keys_only=True)
        return before, rows, after, reads.data_version()

    def read_rows() -> tuple[tuple[int, str], list[Row], tuple[Any, ...] | None, tuple[int, str]]:
        before = reads.data_version()
        with reads.snapshot() as reader:
            rows, after = read_prepared_page(reader, query_of, wanted, position)
        return before, rows, after, reads.data_version()

    before, rows, after, then = await context.read(read_keys)
    found = [kept.get((model, item_key(row, columns)), before) for row in rows] if before == then else [None]
    bodies = [body for body in found if body is not None]
    if len(bodies) < len(found):
        before, rows, after, then = await context.read(read_rows)
        bodies = []
        for row in rows:
            key = (model, item_key(row, columns))
            body = kept.get(key, before) if before == then else None
            if body is None:
                item = build(row)
                body = serializer.to_json(item, by_alias=True)
                kept.keep(key, before, then, item, body)
            bodies.append(body)
    cursor = None if after is None else encode_cursor(position.key, position.descending, after)
    return Response(_envelope(bodies, cursor), media_type="application/json")
