"""Exports of a whole list, every row matching its filters: CSV for spreadsheets or a JSON array,
streamed as it is read.

The CSV follows the conventions of Korea's public data portal (data.go.kr): UTF-8 with a byte-order
mark (without which Excel reads UTF-8 as the local code page and garbles Korean names), or CP949 with
`?encoding=cp949` for the offices whose tools still expect it; the API's column names, or Korean ones
with `?headers=ko`; calendar days as YYYY-MM-DD and times as `YYYY-MM-DD HH:MM:SS` in UTC, which a
spreadsheet reads as dates; the names a record refers to by id joined in beside the id; provenance
columns only with `?provenance=true`. Each data set's columns and their meaning are in the data
dictionary (registry/api/datasets.py, registry/api/dictionary.py).

No cell can act in the spreadsheet: a text that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a leading apostrophe, as OWASP recommends against CSV injection (a number stays a number),
and bidirectional controls are written as visible marks (`<U+202E>`, registry/domain/text.py). A
character CP949 cannot encode is written the same way (`<U+1F600>`) rather than failing the download.

Rows are read a thousand at a time by keyset on a connection of their own, so an export of a million
rows holds neither the table in memory nor a read transaction for the whole download.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy import Engine, RowMapping, Select

from registry.api.datasets import DATASETS, Column, ColumnKind, Dataset, columns_of
from registry.domain.text import code_point_mark, json_with_bidi_escaped, visible_bidi
from registry.store.queries.keyset import Seek, read_all

ModelT = TypeVar("ModelT", bound=BaseModel)
_ROWS_PER_CHUNK = 500


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


class CsvEncoding(StrEnum):
    """The character encoding of a CSV export."""

    UTF8 = "utf-8"
    CP949 = "cp949"

    @property
    def codec(self) -> str:
        # utf-8-sig writes the byte-order mark once, at the start of the stream.
        return "utf-8-sig" if self is CsvEncoding.UTF8 else "cp949"


class CsvHeaders(StrEnum):
    """The column names of a CSV export: the API's (`programName`) or Korean (`지원사업명`)."""

    API = "api"
    KOREAN = "ko"


@dataclass(frozen=True)
class CsvOptions:
    encoding: CsvEncoding = CsvEncoding.UTF8
    headers: CsvHeaders = CsvHeaders.API
    provenance: bool = False


EncodingQuery = Annotated[
    CsvEncoding,
    Query(
        description="CSV only: utf-8 (with a byte-order mark, the default) or cp949 for spreadsheet programs set "
        "to the Korean code page; a character CP949 lacks is written as <U+XXXX>."
    ),
]
HeadersQuery = Annotated[
    CsvHeaders,
    Query(
        description="CSV only: the column names, the API's (api, the default) or Korean (ko), as the data "
        "dictionary /api/v1/datasets/{dataset}/dictionary lists them."
    ),
]
ProvenanceQuery = Annotated[
    bool,
    Query(
        description="CSV only: true adds the provenance columns (provenance.*, lastChange.*: chain, contract, "
        "transaction, block, log index, signer); without it a record with no time of its own keeps only "
        "provenance.blockTime."
    ),
]


def csv_options(
    encoding: EncodingQuery = CsvEncoding.UTF8,
    headers: HeadersQuery = CsvHeaders.API,
    provenance: ProvenanceQuery = False,
) -> CsvOptions:
    """The CSV options of an export, read and checked by FastAPI (a dependency of every export)."""
    return CsvOptions(encoding=encoding, headers=headers, provenance=provenance)


CsvQuery = Annotated[CsvOptions, Depends(csv_options)]

#: OpenAPI content of an export's answer, next to the JSON array its `response_model` declares.
CSV_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Every matching item: a CSV file (UTF-8 with BOM, or CP949 with encoding=cp949) or a JSON "
        "array.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


# ---- cells ---------------------------------------------------------------------------------------------

#: The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_VISIBLE = "registry-visible"


def _visible_marks(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(code_point_mark(c) for c in error.object[error.start : error.end]), error.end


codecs.register_error(_VISIBLE, _visible_marks)


def spreadsheet_text(text: str) -> str:
    """`text` as a cell that cannot act: bidi controls visible, and a leading apostrophe when it would
    start a formula, unless it is a plain number (`-5`)."""
    text = visible_bidi(text)
    if text and text[0] in FORMULA_TRIGGERS and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def spreadsheet_cell(value: Any) -> Any:
    """A CSV cell of a JSON value: empty for null, true/false, numbers as numbers, text made safe."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return value
    return spreadsheet_text(str(value))


def _moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)


def column_value(column: Column, value: Any) -> Any:
    """`value` (the item's JSON, or a joined database value) as `column`'s kind is written in a CSV."""
    if value is None:
        return None
    if column.kind is ColumnKind.DATE:
        return _moment(value).date().isoformat()
    if column.kind is ColumnKind.DATETIME:
        return _moment(value).replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if column.kind is ColumnKind.LIST:
        return "; ".join(str(part) for part in value)
    return value


def csv_stream(header: Sequence[str], rows: Iterable[Sequence[Any]], encoding: CsvEncoding) -> Iterator[bytes]:
    """The CSV file of `header` and `rows` (JSON values, each made a safe cell), in `encoding`, a few
    hundred rows per chunk."""
    encoder = codecs.getincrementalencoder(encoding.codec)(errors=_VISIBLE)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(name) for name in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([spreadsheet_cell(value) for value in row])
        if count % _ROWS_PER_CHUNK == 0:
            yield encoder.encode(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    yield encoder.encode(buffer.getvalue(), final=True)


def _at(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def header_of(dataset: Dataset, column: Column, headers: CsvHeaders) -> str:
    described = dataset.entry(column)
    return described.ko if headers is CsvHeaders.KOREAN and described is not None else column.name


def _dataset_rows(columns: list[Column], records: Iterable[tuple[BaseModel, Mapping[Any, Any]]]) -> Iterator[list[Any]]:
    for item, row in records:
        data = item.model_dump(mode="json", by_alias=True)
        yield [column_value(c, row.get(c.joined) if c.joined else _at(data, c.path)) for c in columns]


def _json_array(items: Iterator[BaseModel]) -> Iterator[str]:
    parts = ["["]
    first = True
    for item in items:
        parts.append(("" if first else ",\n") + json_with_bidi_escaped(item.model_dump_json(by_alias=True)))
        first = False
        if len(parts) >= _ROWS_PER_CHUNK:
            yield "".join(parts)
            parts = []
    parts.append("]\n")
    yield "".join(parts)


def csv_response(body: Iterator[bytes], name: str, encoding: CsvEncoding) -> StreamingResponse:
    """A CSV download named `name`.csv."""
    disposition = f'attachment; filename="{name}.csv"'
    return StreamingResponse(body, media_type=f"text/csv; charset={encoding.value}",
                             headers={"Content-Disposition": disposition})  # fmt: skip


def export_list(
    engine: Engine,
    query: Select[Any],
    order: Seek,
    build: Callable[[RowMapping], ModelT],
    model: type[ModelT],
    *,
    name: str,
    export_format: ExportFormat,
    csv: CsvOptions | None = None,
) -> StreamingResponse:
    """Streams every row of `query`, in `order`, as `model` items, in `export_format`: the data set `name`
    of the catalogue (registry/api/datasets.py), whose file is `name`.csv or `name`.json."""
    dataset = DATASETS[name]
    if export_format is ExportFormat.JSON:
        rows = read_all(engine, query, order.key, descending=order.descending)
        return _json_response((build(row) for row in rows), name)
    options = csv or CsvOptions()
    if dataset.join is not None:
        query = dataset.join.add(query)
    rows = read_all(engine, query, order.key, descending=order.descending)
    return _dataset_csv(dataset, ((build(row), row) for row in rows), options)


def export_items(
    items: Iterator[ModelT],
    model: type[ModelT],
    *,
    name: str,
    export_format: ExportFormat,
    csv: CsvOptions | None = None,
) -> StreamingResponse:
    """Streams `items` (computed lists, such as statistics) in `export_format`: the data set `name`."""
    dataset = DATASETS[name]
    if export_format is ExportFormat.JSON:
        return _json_response(items, name)
    return _dataset_csv(dataset, ((item, {}) for item in items), csv or CsvOptions())


def _dataset_csv(
    dataset: Dataset, records: Iterable[tuple[BaseModel, Mapping[Any, Any]]], options: CsvOptions
) -> StreamingResponse:
    columns = dataset.columns(provenance=options.provenance)
    header = [header_of(dataset, column, options.headers) for column in columns]
    body = csv_stream(header, _dataset_rows(columns, records), options.encoding)
    return csv_response(body, dataset.name, options.encoding)


def _json_response(items: Iterator[BaseModel], name: str) -> StreamingResponse:
    disposition = f'attachment; filename="{name}.json"'
    return StreamingResponse(_json_array(items), media_type="application/json",
                             headers={"Content-Disposition": disposition})  # fmt: skip


def model_csv(
    items: Iterable[BaseModel],
    model: type[BaseModel],
    korean: Mapping[str, str],
    *,
    name: str,
    encoding: CsvEncoding,
    headers: CsvHeaders,
) -> StreamingResponse:
    """`items` of `model` as a CSV download (the catalogue's own files), with `korean` column names on request."""
    columns = columns_of(model)
    header = [korean.get(c.name, c.name) if headers is CsvHeaders.KOREAN else c.name for c in columns]

    def rows() -> Iterator[list[Any]]:
        for item in items:
            data = item.model_dump(mode="json", by_alias=True)
            yield [column_value(c, _at(data, c.path)) for c in columns]

    return csv_response(csv_stream(header, rows(), encoding), name, encoding)
