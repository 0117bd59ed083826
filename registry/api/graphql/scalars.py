"""The GraphQL spellings of the API's value types: the same text as the REST answers (`registry.api.schemas.common`
writes it, through pydantic), so a record reads the same in both, and the registry's enums by their names.

GraphQL's `Int` is 32 bits; amounts are `uint96` on chain, so `Won` is a string of digits as in REST, and chain ids
and block numbers (which a consortium chain or a fast one can take past 2^31) are a `Long`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, NewType

import strawberry
from graphql import GraphQLError
from pydantic import TypeAdapter
from strawberry.types.scalar import ScalarDefinition

from registry.api.schemas.common import Hex32, Timestamp, Won
from registry.domain.enums import (
    AnchorKind,
    Grade,
    IpStatus,
    MilestoneStatus,
    OutcomeType,
    ProgramStatus,
    ProjectStatus,
    ReportStatus,
)

WonValue = NewType("WonValue", int)
Hex32Value = NewType("Hex32Value", bytes)
TimestampValue = NewType("TimestampValue", datetime)
DayValue = NewType("DayValue", date)
LongValue = NewType("LongValue", int)

_WON = TypeAdapter(Won)
_HEX32 = TypeAdapter(Hex32)
_TIMESTAMP = TypeAdapter(Timestamp)
_HASH_SPELLING = re.compile(r"(0[xX])?[0-9a-fA-F]{64}")
_DAY_SPELLING = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LONG_RANGE = 2**63


# An argument the scalars refuse is a GraphQLError: graphql-core shows its message as it is (prefixed with the
# variable it came in, if it did), where another exception would read as a fault of the server.


def _hex32(value: object) -> bytes:
    if not isinstance(value, str) or _HASH_SPELLING.fullmatch(value) is None:
        raise GraphQLError(f"Hex32: {value!r} is not 32 bytes in hex (0x and 64 hex digits)")
    return bytes.fromhex(value[-64:])


def _day(value: object) -> date:
    if not isinstance(value, str) or _DAY_SPELLING.fullmatch(value) is None:
        raise GraphQLError(f"Day: {value!r} is not a day: write it YYYY-MM-DD (ISO 8601), e.g. 2021-12-31")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise GraphQLError(f"Day: {value!r} is not a day of the calendar") from None


def _long(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and -_LONG_RANGE <= value < _LONG_RANGE:
        return value
    raise GraphQLError(f"Long: {value!r} is not a whole number of 64 bits")


def _only_output(name: str) -> Any:
    def refuse(value: object) -> object:
        raise GraphQLError(f"{name} is only ever an answer, never an argument")

    return refuse


#: The custom scalars, for `StrawberryConfig.scalar_map`.
SCALARS: dict[object, ScalarDefinition] = {
    WonValue: strawberry.scalar(
        name="Won",
        description='Whole Korean won as a string of decimal digits (exact beyond 2^53), e.g. "100000000".',
        serialize=lambda value: _WON.dump_python(value, mode="json"),
        parse_value=_only_output("Won"),
    ),
    Hex32Value: strawberry.scalar(
        name="Hex32",
        description="32 bytes (a SHA-256 document hash, a company id, a transaction hash, a Merkle root) as 0x and "
        "64 lowercase hex digits; as an argument, 64 hex digits with or without 0x.",
        serialize=lambda value: _HEX32.dump_python(value, mode="json"),
        parse_value=_hex32,
    ),
    TimestampValue: strawberry.scalar(
        name="Timestamp",
        description="A moment, ISO 8601 in UTC, e.g. 2021-05-01T09:30:00Z.",
        serialize=lambda value: _TIMESTAMP.dump_python(value, mode="json"),
        parse_value=_only_output("Timestamp"),
    ),
    DayValue: strawberry.scalar(
        name="Day",
        description="A day, YYYY-MM-DD (UTC), e.g. 2021-12-31.",
        serialize=lambda value: value.isoformat(),
        parse_value=_day,
    ),
    LongValue: strawberry.scalar(
        name="Long",
        description="A whole number that may not fit GraphQL's 32-bit Int (a chain id, a block number), as a JSON "
        "number.",
        serialize=_long,
        parse_value=_long,
    ),
}

_ENUM_DESCRIPTION = "The REST API writes the same values in lower case, `-` for `_` (`{example}`)."

#: The registry's enums, by their names (`PATENT_APPLICATION`); the REST API spells them `patent-application`.
for _enum in (ProgramStatus, ProjectStatus, MilestoneStatus, Grade, OutcomeType, IpStatus, ReportStatus, AnchorKind):
    _last = list(_enum)[-1]
    strawberry.enum(_enum, description=_ENUM_DESCRIPTION.format(example=_last.name.lower().replace("_", "-")))
