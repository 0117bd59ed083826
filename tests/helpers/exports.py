"""Reading the CSV exports in tests as a spreadsheet would: decoded by the charset the answer names
(UTF-8 after its byte-order mark, or CP949), split by Python's `csv`; and what makes a cell inert."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from registry.domain.text import BIDI_CONTROLS

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def csv_text(response: Any) -> str:
    """The text of a CSV answer, decoded as its Content-Type says (a UTF-8 one must start with a BOM)."""
    assert response.status_code == 200, response.text
    media = response.headers["content-type"]
    if media == "text/csv; charset=utf-8":
        assert response.content.startswith(b"\xef\xbb\xbf"), "a UTF-8 CSV without its byte-order mark"
        return str(response.content.decode("utf-8-sig"))
    assert media == "text/csv; charset=cp949", media
    assert not response.content.startswith(b"\xef\xbb\xbf")
    return str(response.content.decode("cp949"))


def csv_rows(response: Any) -> list[list[str]]:
    """The rows of a CSV answer, its header first."""
    return list(csv.reader(io.StringIO(csv_text(response), newline="")))


def csv_records(response: Any) -> list[dict[str, str]]:
    """The rows of a CSV answer as dicts by header."""
    header, *rows = csv_rows(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def acting_cells(rows: list[list[str]]) -> list[str]:
    """The cells a spreadsheet would run as a formula, or whose text a bidi control would reorder."""
    return [
        cell
        for row in rows
        for cell in row
        if (cell.startswith(_TRIGGERS) and not _NUMBER.fullmatch(cell)) or any(c in BIDI_CONTROLS for c in cell)
    ]
