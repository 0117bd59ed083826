"""Query parameters the lists share (paging, sorting, program, year, company, date range), as
`Annotated` aliases, and their conversion to what the store's filters take.

What a text parameter accepts is one regular expression, declared in the OpenAPI document as its
`pattern` and checked by that same expression (`spelled`), so the document allows exactly what the
API answers. Each refusal names its parameter: a company that is neither a company id nor a business
registration number, an account that is not an address, a day that is not written YYYY-MM-DD, a date
range that ends before it starts.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from eth_utils.address import to_checksum_address
from fastapi import Query
from pydantic import BeforeValidator, Field

from registry.api.errors import BadParameter
from registry.api.pagination import MAX_CURSOR_LENGTH, sort_names
from registry.domain.companies import InvalidBusinessNumber, company_id
from registry.evidence.hashing import InvalidDocumentHash, parse_document_hash
from registry.settings import Settings
from registry.store.folding import contains_pattern
from registry.store.queries.keyset import SortKey

#: Largest id SQL's 64-bit integers hold: a larger one is a 422, not a driver overflow.
MAX_ID = 2**63 - 1
_DAY = 24 * 3600

#: An account address: 0x and 40 hex digits in any letter case. A mixed-case spelling is not held to
#: its EIP-55 checksum: no regular expression can say which spellings pass it, and a filter by a
#: mistyped address finds nothing, which the answer shows.
ADDRESS_PATTERN = "^0x[0-9a-fA-F]{40}$"
#: A company: its id (0x and 64 hex digits) or its business registration number, with or without dashes.
COMPANY_PATTERN = "^(0[xX][0-9a-fA-F]{64}|[0-9]{3}-?[0-9]{2}-?[0-9]{5})$"
#: 32 bytes as 64 hex digits, with or without 0x: a document's SHA-256, a Merkle root.
HASH_PATTERN = "^(0[xX])?[0-9a-fA-F]{64}$"
_HASH_SPELLING = re.compile(HASH_PATTERN)
#: A day as ISO 8601 writes it (the document's `format: date`, RFC 3339's full-date).
_DAY_SPELLING = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: A moment as RFC 3339 writes it (the document's `format: date-time`): with its offset, Z for UTC.
_MOMENT_SPELLING = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
#: The moments a figure can be stated for: Python's calendar (years 1 to 9999, in UTC).
_FIRST_MOMENT = int(datetime(1, 1, 1, tzinfo=UTC).timestamp())
_LAST_MOMENT = int(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp())


def spelled(pattern: str, what: str) -> Any:
    """A validator for a text parameter declared with `pattern`: the same expression decides, and
    anything else is refused as `'<text>' is not <what>` (a 422 naming the parameter)."""
    compiled = re.compile(pattern)

    def check(value: object) -> object:
        if isinstance(value, str) and compiled.fullmatch(value) is None:
            raise ValueError(f"{value!r} is not {what}")
        return value

    return BeforeValidator(check)


ACCOUNT_SPELLING = spelled(ADDRESS_PATTERN, "an account address (0x and 40 hex digits)")
COMPANY_SPELLING = spelled(
    COMPANY_PATTERN,
    "a company id (0x and 64 hex digits) or a business registration number (131-81-20001 or 1318120001)",
)


def _parse_day(text: str) -> date:
    if _DAY_SPELLING.fullmatch(text) is None:
        raise ValueError(f"{text!r} is not a day: write it YYYY-MM-DD (ISO 8601), e.g. 2021-12-31")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a day of the calendar") from None


def _day(value: object) -> object:
    """A day written YYYY-MM-DD, and nothing else pydantic would read as one (`0` would be 1970-01-01)."""
    return _parse_day(value) if isinstance(value, str) else value


def _moment(value: object) -> object:
    """A moment written as RFC 3339 does, or a day (its midnight, UTC); nothing else pydantic would
    read as one (`0` would be 1970-01-01T00:00:00Z). Held within the calendar the answer is written in."""
    if not isinstance(value, str):
        return value
    if _DAY_SPELLING.fullmatch(value) is not None:
        moment = datetime.combine(_parse_day(value), datetime.min.time(), tzinfo=UTC)
    elif _MOMENT_SPELLING.fullmatch(value) is not None:
        try:
            moment = datetime.fromisoformat(value.upper())
        except ValueError:
            raise ValueError(f"{value!r} is not a moment of the calendar") from None
    else:
        raise ValueError(
            f"{value!r} is not a moment: write a day (2022-06-30) or a time with its offset (2022-06-30T09:00:00Z)"
        )
    seconds = min(max(int(moment.timestamp()), _FIRST_MOMENT), _LAST_MOMENT)
    return datetime.fromtimestamp(seconds, UTC)


def _document_hash(value: object) -> object:
    """A document's SHA-256 as HASH_PATTERN spells it, other than zero (the registry's "no document")."""
    if not isinstance(value, str):
        return value
    try:
        if value != value.strip():  # parse_document_hash forgives blanks around a hash; the pattern does not
            raise InvalidDocumentHash(value, "it has blanks around it")
        return parse_document_hash(value)
    except InvalidDocumentHash as error:
        raise ValueError(str(error)) from None


def _merkle_root(value: object) -> object:
    if isinstance(value, str):
        if _HASH_SPELLING.fullmatch(value) is None:
            raise ValueError(f"{value!r} is not a Merkle root (0x and 64 hex digits)")
        return bytes.fromhex(value[-64:])
    return value


#: A document's SHA-256 (a path parameter), as 32 bytes: 64 hex digits with or without 0x, not all zeros.
DocumentHash = Annotated[
    bytes,
    BeforeValidator(
        _document_hash,
        json_schema_input_type=Annotated[
            str, Field(pattern=HASH_PATTERN, json_schema_extra={"not": {"pattern": "^(0[xX])?0{64}$"}})
        ],
    ),
]
#: A Merkle root, as 32 bytes: 64 hex digits with or without 0x (zero is no batch's root: a 404).
MerkleRoot = Annotated[
    bytes, BeforeValidator(_merkle_root, json_schema_input_type=Annotated[str, Field(pattern=HASH_PATTERN)])
]

#: A day (a `from` or `to` filter), as `format: date` declares it.
Day = Annotated[date, BeforeValidator(_day)]
#: A moment (`asOf`): a day or a date-time with its offset, as the document declares it.
Moment = Annotated[datetime, BeforeValidator(_moment, json_schema_input_type=date | datetime)]

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
        pattern=COMPANY_PATTERN,
        description="Only this company's: its company id (0x and 64 hex digits) or its business registration "
        "number (131-81-20001 or 1318120001), from which the id is computed.",
        examples=["131-81-20001"],
    ),
    COMPANY_SPELLING,
]
CompanyName = Annotated[
    str | None,
    Query(
        alias="companyName",
        min_length=1,
        max_length=200,
        description="Only companies whose public name (상호) contains this, ignoring letter case and Unicode "
        "compatibility forms (`한빛` finds `(주)한빛데이터`, `hanbit` finds `HANBIT Co.`).",
        examples=["한빛"],
    ),
]
Account = Annotated[
    str | None,
    Query(pattern=ADDRESS_PATTERN, description="Only this account (0x and 40 hex digits, any letter case).",
          examples=["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"]),
    ACCOUNT_SPELLING,
]  # fmt: skip
DateFrom = Annotated[
    Day | None, Query(alias="from", description="On or after this day (YYYY-MM-DD, UTC).", examples=["2021-01-01"])
]
DateTo = Annotated[
    Day | None,
    Query(alias="to", description="On or before this day (YYYY-MM-DD, UTC); not before `from`.",
          examples=["2021-12-31"]),
]  # fmt: skip
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


def declare_page_size(document: dict[str, Any], settings: Settings) -> None:
    """Writes the most items a page may hold, the bound `page_size` keeps to, into the OpenAPI document's
    `limit` parameters: it is a setting, which the routes' signatures (read at import) cannot know."""
    for operation in (operation for path in document.get("paths", {}).values() for operation in path.values()):
        for parameter in operation.get("parameters", []):
            if (parameter["name"], parameter["in"]) == ("limit", "query"):
                for schema in parameter["schema"].get("anyOf", [parameter["schema"]]):
                    if schema.get("type") == "integer":
                        schema["maximum"] = settings.api_max_page_size


def company_param(text: str | None) -> bytes | None:
    """The company id a `company` parameter names (the portal's form field too, which forgives the
    spaces around it)."""
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


def company_name_param(text: str | None) -> str | None:
    """The LIKE pattern a `companyName` parameter means (`registry.store.folding.contains_pattern`); blank
    text is refused, since it would match every company."""
    if text is None:
        return None
    if not text.strip():
        raise BadParameter("companyName: give part of a company's name, not only spaces", parameter="companyName",
                           status=422)  # fmt: skip
    return contains_pattern(text.strip())


def account_param(text: str | None) -> str | None:
    """The checksummed address an account parameter (spelled as ADDRESS_PATTERN, `ACCOUNT_SPELLING`) names."""
    if text is None:
        return None
    return str(to_checksum_address(text))


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
