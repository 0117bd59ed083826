"""One page of a list on a portal page, read with the API's keyset pagination (the same queries,
sorts and cursors as the API's lists), with the cursor of the next page for a "more" link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, RowMapping, Select

from registry.api.errors import BadParameter
from registry.api.pagination import read_list, seek
from registry.api.schemas.common import Page
from registry.store.queries.keyset import SortKey
from registry.web.parameters import FormProblem

ItemT = TypeVar("ItemT")

#: Rows a portal list shows at once.
PAGE_ROWS = 50


@dataclass(frozen=True)
class Listing(Generic[ItemT]):
    items: list[ItemT]
    #: Where the next page starts; None on the last page.
    next_cursor: str | None


def read_listing(
    engine: Engine,
    query: Select[Any],
    sorts: dict[str, SortKey],
    build: Callable[[RowMapping], ItemT],
    *,
    cursor: str | None = None,
    rows: int | None = None,
    cursor_field: str = "cursor",
) -> Listing[ItemT]:
    """The page of `query` (in the sort `sorts` names `id`, or the first) that starts at `cursor`,
    `rows` long (`PAGE_ROWS` unless given)."""
    default = "id" if "id" in sorts else next(iter(sorts))
    try:
        position = seek(sorts, default, None, cursor or None, rows or PAGE_ROWS)
        page: Page[Any] = read_list(engine, query, position, build, Page[Any])
    except BadParameter:
        raise FormProblem(cursor_field, "errors.cursor") from None
    return Listing(items=list(page.items), next_cursor=page.next_cursor)
