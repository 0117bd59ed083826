"""Cursors of keyset pagination: the position after the last row of a page, opaque to clients.

A cursor is URL-safe base64 of compact JSON: the sort it belongs to, its direction and the sort key
of the last row, each value tagged with its kind (bytes travel as hex). Nothing in it is secret and
a client that edits one gets another position of the same list, so it needs no signature; a cursor
that is not one, or belongs to another sort, is refused with a 400 naming `cursor`.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Boolean, Engine, Integer, LargeBinary, Numeric, RowMapping, Select, String
from sqlalchemy.types import TypeDecorator, TypeEngine

from registry.api.deps import ApiContext
from registry.api.errors import BadParameter
from registry.api.schemas.common import Page
from registry.store.queries.keyset import Seek, SortKey, read_page

ItemT = TypeVar("ItemT")

MAX_CURSOR_LENGTH = 1000
_INT64 = 2**63
_UINT256 = 2**256


def encode_cursor(key: SortKey, descending: bool, position: tuple[Any, ...]) -> str:
    values = [_tag(value) for value in position]
    text = json.dumps({"s": key.name, "d": int(descending), "k": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def decode_cursor(cursor: str, key: SortKey, descending: bool) -> tuple[Any, ...]:
    """The position `cursor` holds, checked against the list's sort `key` and direction."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        content = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode())
        name, backwards, values = content["s"], content["d"], content["k"]
    except (ValueError, UnicodeError, binascii.Error, KeyError, TypeError):
        raise _damaged() from None
    if not isinstance(name, str) or backwards not in (0, 1) or not isinstance(values, list):
        raise _damaged()
    if name != key.name or bool(backwards) != descending:
        wanted = ("-" if backwards else "") + name
        raise BadParameter(
            f"this cursor continues the list sorted by {wanted!r}; ask with sort={wanted} or start without a cursor",
            parameter="cursor",
        )
    if len(values) != len(key.columns):
        raise _damaged()
    return tuple(_untag(value, column.type) for value, column in zip(values, key.columns, strict=True))


def _damaged() -> BadParameter:
    return BadParameter(
        "not a cursor of this list: pass the nextCursor of the previous page unchanged", parameter="cursor"
    )


def _tag(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"x": value.hex()}
    return value


def _untag(value: Any, kind: TypeEngine[Any]) -> Any:
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    if isinstance(kind, LargeBinary):
        if isinstance(value, dict) and isinstance(value.get("x"), str) and len(value["x"]) <= 128:
            try:
                return bytes.fromhex(value["x"])
            except ValueError:
                pass
        raise _damaged()
    if isinstance(kind, Boolean):
        if isinstance(value, bool):
            return value
        raise _damaged()
    if isinstance(kind, Integer | Numeric):
        # Within what the column can hold: a value beyond 64 bits would overflow SQLite's driver.
        low, high = (0, _UINT256) if isinstance(kind, Numeric) else (-_INT64, _INT64)
        if isinstance(value, int) and not isinstance(value, bool) and low <= value < high:
            return value
        raise _damaged()
    if isinstance(kind, String) and isinstance(value, str):
        return value
    raise _damaged()


def parse_sort(sort: str | None, sorts: dict[str, SortKey], default: str) -> tuple[SortKey, bool]:
    """The sort key and direction `sort` names (`amount`, `-amount`, exactly one of `sort_names`, as the
    document's enum says), or the list's default, ascending, when it names none."""
    text = default if sort is None else sort
    descending = text.startswith("-")
    key = sorts.get(text.removeprefix("-"))
    if key is None:
        allowed = ", ".join(f"{name}, -{name}" for name in sorts)
        raise BadParameter(f"sort: {sort!r} is not one of {allowed}", parameter="sort", status=422)
    return key, descending


def sort_names(sorts: dict[str, SortKey]) -> list[str]:
    """Every value `sort` accepts, for the OpenAPI document."""
    return [name for key in sorts for name in (key, "-" + key)]


def seek(sorts: dict[str, SortKey], default: str, sort: str | None, cursor: str | None, limit: int) -> Seek:
    key, descending = parse_sort(sort, sorts, default)
    after = None if cursor is None else decode_cursor(cursor, key, descending)
    return Seek(key, descending, after, limit)


def read_list(
    engine: Engine,
    query: Select[Any],
    position: Seek,
    build: Callable[[RowMapping], ItemT],
    page: type[Page[ItemT]],
) -> Page[ItemT]:
    """One `page` of a list: its items built from the rows, and the cursor of the next page."""
    with engine.connect() as connection:
        rows, after = read_page(connection, query, position)
    cursor = None if after is None else encode_cursor(position.key, position.descending, after)
    return page(items=[build(row) for row in rows], next_cursor=cursor)


async def answer_list(
    context: ApiContext,
    query: Select[Any],
    position: Seek,
    build: Callable[[RowMapping], ItemT],
    page: type[Page[ItemT]],
) -> Page[ItemT]:
    """`read_list` for a route: inline on SQLite, in a worker thread on PostgreSQL (`ApiContext.read`)."""
    return await context.read(lambda: read_list(context.engine, query, position, build, page))
