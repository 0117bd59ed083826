"""Query parameters the lists share (paging, sorting, program, year, company, date range), as
`Annotated` aliases, and their conversion to what the store's filters take.

Each refusal names its parameter: a company that is neither a company id nor a business
registration number, an account that is not an address, a date range that ends before it starts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from eth_utils.address import is_address, to_checksum_address
from fastapi import Query

from registry.api.errors import BadParameter
from registry.api.pagination import MAX_CURSOR_LENGTH, sort_names
from registry.domain.companies import InvalidBusinessNumber, company_id
from registry.settings import Settings
from registry.store.queries.keyset import SortKey

#: Largest id SQL's 64-bit integers hold: a larger one is a 422, not a driver overflow.
MAX_ID = 2**63 - 1
_DAY = 24 * 3600

Limit = Annotated[
    int | None,
    Query(ge=1, description="Items per page: 50 unless given, at most the server's maximum (500 by default)."),
]
Cursor = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=MAX_CURSOR_LENGTH,
        description="Continue after the previous page: its `nextCursor`, unchanged, with the same filters and sort.",
    ),
]
ProgramId = Annotated[int | None, Query(alias="program", ge=1, le=MAX_ID, description="Only this program's.")]
ProjectId = Annotated[int | None, Query(alias="project", ge=1, le=MAX_ID, description="Only this project's.")]
Year = Annotated[int | None, Query(ge=1, le=9999, examples=[2021])]
Company = Annotated[
    str | None,
    Query(
        max_length=100,
        description="Only this company's: its company id (0x and 64 hex digits) or its business registration "
        "number (131-81-20001 or 1318120001), from which the id is computed.",
        examples=["131-81-20001"],
    ),
]
Account = Annotated[
    str | None,
    Query(max_length=100, description="Only this account (0x and 40 hex digits).",
          examples=["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"]),
]  # fmt: skip
DateFrom = Annotated[
    date | None, Query(alias="from", description="On or after this day (ISO 8601, UTC).", examples=["2021-01-01"])
]
DateTo = Annotated[
    date | None, Query(alias="to", description="On or before this day (ISO 8601, UTC).", examples=["2021-12-31"])
]
Active = Annotated[bool | None, Query(description="true: only current ones; false: only ended ones.")]


def sort_parameter(sorts: dict[str, SortKey], default: str) -> Any:
    """The `sort` parameter of a list offering `sorts`: a name, `-` in front for descending."""
    return Query(
        description=f"Order of the list: one of {', '.join(sorts)}; a leading '-' reverses it. Default {default}.",
        json_schema_extra={"enum": sort_names(sorts)},
    )


def page_size(limit: int | None, settings: Settings) -> int:
    if limit is None:
        return min(settings.api_page_size, settings.api_max_page_size)
    if limit > settings.api_max_page_size:
        raise BadParameter(f"limit: at most {settings.api_max_page_size} items per page (got {limit})",
                           parameter="limit", status=422)  # fmt: skip
    return limit


def company_param(text: str | None) -> bytes | None:
    """The company id a `company` parameter names."""
    if text is None:
        return None
    stripped = text.strip()
    if stripped.lower().startswith("0x"):
        try:
            raw = bytes.fromhex(stripped[2:])
        except ValueError:
            raw = b""
        if len(raw) == 32:
            return raw
        raise BadParameter(f"company: {text!r} is not a company id (0x and 64 hex digits)", parameter="company",
                           status=422)  # fmt: skip
    try:
        return company_id(stripped)
    except InvalidBusinessNumber as exc:
        raise BadParameter(f"company: {exc}, or a company id (0x and 64 hex digits)", parameter="company",
                           status=422) from None  # fmt: skip


def account_param(text: str | None, name: str = "account") -> str | None:
    """The checksummed address an account parameter names."""
    if text is None:
        return None
    if not is_address(text.strip()):
        raise BadParameter(f"{name}: {text!r} is not an account address (0x and 40 hex digits)", parameter=name,
                           status=422)  # fmt: skip
    return str(to_checksum_address(text.strip()))


def day_range(start: date | None, end: date | None) -> tuple[int | None, int | None]:
    """Unix seconds of the start of `start` and of the end of `end` (exclusive), UTC."""
    if start is not None and end is not None and end < start:
        raise BadParameter(f"to: {end.isoformat()} is before from ({start.isoformat()})", parameter="to",
                           status=422)  # fmt: skip
    first = None if start is None else _midnight(start)
    after = None if end is None else _midnight(end) + _DAY
    return first, after


def _midnight(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
