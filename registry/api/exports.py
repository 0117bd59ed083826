"""Exports of a whole list, every row matching its filters: CSV for spreadsheets or a JSON array,
streamed as it is read.

CSV is UTF-8 with a byte-order mark, without which Excel reads UTF-8 as the local code page and
garbles Korean names; nested objects become dotted columns (`provenance.transactionHash`), nulls
empty cells. Rows are read a thousand at a time by keyset on a connection of their own, so an
export of a million rows holds neither the table in memory nor a read transaction for the whole
download.
"""

from __future__ import annotations

import csv
import io
import types
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any, TypeVar, Union, get_args, get_origin

from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy import Engine, RowMapping, Select

from registry.store.queries.keyset import Seek, read_all

BOM = "\ufeff"
ModelT = TypeVar("ModelT", bound=BaseModel)
_ROWS_PER_CHUNK = 500


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


#: OpenAPI content of an export's answer, next to the JSON array its `response_model` declares.
CSV_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Every matching item: a CSV file (UTF-8 with BOM) or a JSON array.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


def columns_of(model: type[BaseModel], prefix: str = "") -> list[tuple[str, tuple[str, ...]]]:
    """The CSV columns of `model`: (header, path of JSON keys), nested models flattened, lists left out."""
    found: list[tuple[str, tuple[str, ...]]] = []
    for name, info in model.model_fields.items():
        key = info.serialization_alias or info.alias or name
        annotation = _unwrap_optional(info.annotation)
        if get_origin(annotation) is list:
            continue
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found.extend((f"{key}.{header}", (key, *path)) for header, path in columns_of(annotation))
        else:
            found.append((prefix + key, (key,)))
    return found


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(rest) == 1:
            return _unwrap_optional(rest[0])
    # Annotated[...] metadata does not change the kind of value.
    args = get_args(annotation)
    if args and getattr(annotation, "__metadata__", None) is not None:
        return args[0]
    return annotation


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value


def _csv_lines(items: Iterator[BaseModel], model: type[BaseModel]) -> Iterator[str]:
    columns = columns_of(model)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([header for header, _ in columns])
    for count, item in enumerate(items, start=1):
        data = item.model_dump(mode="json", by_alias=True)
        row = []
        for _, path in columns:
            value: Any = data
            for key in path:
                value = value.get(key) if isinstance(value, dict) else None
            row.append(_cell(value))
        writer.writerow(row)
        if count % _ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_array(items: Iterator[BaseModel]) -> Iterator[str]:
    parts = ["["]
    first = True
    for item in items:
        parts.append(("" if first else ",\n") + item.model_dump_json(by_alias=True))
        first = False
        if len(parts) >= _ROWS_PER_CHUNK:
            yield "".join(parts)
            parts = []
    parts.append("]\n")
    yield "".join(parts)


def export_list(
    engine: Engine,
    query: Select[Any],
    order: Seek,
    build: Callable[[RowMapping], ModelT],
    model: type[ModelT],
    *,
    name: str,
    export_format: ExportFormat,
) -> StreamingResponse:
    """Streams every row of `query`, in `order`, as `model` items, in `export_format`; the file is `name`."""
    rows = read_all(engine, query, order.key, descending=order.descending)
    return export_items((build(row) for row in rows), model, name=name, export_format=export_format)


def export_items(
    items: Iterator[ModelT], model: type[ModelT], *, name: str, export_format: ExportFormat
) -> StreamingResponse:
    """Streams `items` (computed lists, such as statistics) in `export_format`; the file is `name`."""
    if export_format is ExportFormat.CSV:
        body, media = _csv_lines(items, model), "text/csv; charset=utf-8"
    else:
        body, media = _json_array(items), "application/json"
    disposition = f'attachment; filename="{name}.{export_format.value}"'
    return StreamingResponse(body, media_type=media, headers={"Content-Disposition": disposition})
