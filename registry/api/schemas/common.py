"""The value types and envelopes every response shares: money, times, hashes, addresses, provenance,
pages of a list and the error body.

JSON field names are camelCase (`transactionHash`), as JavaScript clients and the deployment
manifest spell them; Python code uses the snake_case attribute names.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema
from pydantic.alias_generators import to_camel

from registry.domain.types import UINT96_MAX


class ApiModel(BaseModel):
    """Base of every response model: camelCase in JSON, snake_case in Python, immutable."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        frozen=True,
    )


def _won_to_text(value: int) -> str:
    return str(value)


#: An amount of whole Korean won, in JSON a string of decimal digits.
#:
#: Why a string: amounts are `uint96` on chain (up to 29 digits), and JavaScript, spreadsheets and
#: many JSON libraries read every JSON number as a 64-bit float, exact only up to 2**53 (about 9,007
#: trillion won). A budget written as a number could come back silently rounded; a string of digits
#: cannot. Parse it with `BigInt(x)` in JavaScript or `int(x)` in Python.
Won = Annotated[
    int,
    Field(ge=0, le=UINT96_MAX),
    PlainSerializer(_won_to_text, return_type=str, when_used="always"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[0-9]{1,29}$",
            "description": "Whole Korean won as a string of decimal digits (exact beyond 2^53).",
            "examples": ["100000000"],
        },
        mode="serialization",
    ),
]


# Kept per moment: the items of a page or an export share a few block times and days, and writing a
# moment's text costs several times looking it up (a quarter of building a record's JSON).
@lru_cache(maxsize=4_096)
def _time_to_text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


#: A point in time, in JSON ISO 8601 in UTC with its offset written `Z` (`2021-05-01T09:30:00Z`).
Timestamp = Annotated[
    datetime,
    PlainSerializer(_time_to_text, return_type=str, when_used="always"),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": "ISO 8601 in UTC, e.g. 2021-05-01T09:30:00Z.",
            "examples": ["2021-05-01T09:30:00Z"],
        },
        mode="serialization",
    ),
]


def from_unix(seconds: int) -> datetime:
    """The UTC time of unix `seconds`, as chain and database hold times."""
    return datetime.fromtimestamp(seconds, tz=UTC)


def _bytes_to_hex(value: bytes) -> str:
    return "0x" + value.hex()


#: 32 bytes (a SHA-256 document hash, a company id, a transaction hash, a Merkle root), in JSON
#: lowercase hex with `0x`.
Hex32 = Annotated[
    bytes,
    PlainSerializer(_bytes_to_hex, return_type=str, when_used="always"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^0x[0-9a-f]{64}$",
            "examples": ["0x9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
        },
        mode="serialization",
    ),
]

#: An EVM account or contract address, checksummed (`0x` and 40 hex digits).
Address = Annotated[
    str,
    Field(pattern="^0x[0-9a-fA-F]{40}$", examples=["0x5FbDB2315678afecb367f032d93F642f64180aa3"]),
]


ItemT = TypeVar("ItemT")


class Provenance(ApiModel):
    """Where on the chain an event is: enough to find it with any Ethereum tool and check the record
    against it (`eth_getTransactionReceipt(transactionHash)`, then the log at `logIndex`)."""

    chain_id: int = Field(description="EIP-155 chain id of the registry's chain.", examples=[31337])
    contract: Address = Field(description="The registry contract that emitted the event.")
    transaction_hash: Hex32
    block_number: int = Field(ge=0, examples=[42])
    block_time: Timestamp
    log_index: int = Field(ge=0, description="The event's position among the block's logs.", examples=[3])
    signer: Address | None = Field(
        default=None,
        description="Who signed the submission when it was signed off chain and relayed through the "
        "registry's forwarder (ERC-2771); null when the sender sent it directly.",
    )


class Page(ApiModel, Generic[ItemT]):
    """One page of a list. Ask for the next with `?cursor=<nextCursor>` and the same filters and sort;
    `nextCursor` is null on the last page."""

    items: list[ItemT]
    next_cursor: str | None = Field(
        default=None, description="Opaque cursor of the next page; null when this is the last page."
    )


class ErrorDetail(ApiModel):
    status: int = Field(description="The HTTP status, repeated.", examples=[422])
    message: str = Field(description="What was wrong, in words a person can act on.")
    parameter: str | None = Field(
        default=None, description="The query or path parameter at fault, when one is.", examples=["status"]
    )


class ApiError(ApiModel):
    """The body of every error response."""

    error: ErrorDetail

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": {
                        "status": 422,
                        "message": "status: 'opened' is not one of open, closed",
                        "parameter": "status",
                    }
                }
            ]
        }
    )


#: The error responses every route may give, for the OpenAPI document.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ApiError, "description": "A malformed parameter (e.g. a damaged cursor)."},
    422: {"model": ApiError, "description": "A parameter of the wrong type or out of range."},
}
NOT_FOUND_RESPONSE: dict[int | str, dict[str, Any]] = {
    404: {"model": ApiError, "description": "No record with this id."},
}
