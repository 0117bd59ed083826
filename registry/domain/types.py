"""Value types shared by every record: 32-byte hashes, addresses, whole-won amounts, chain times."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from eth_utils.address import is_address, to_checksum_address
from pydantic import BeforeValidator, Field, PlainSerializer

UINT96_MAX = 2**96 - 1


def _to_hash32(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray):
        raw = bytes(value)
    elif isinstance(value, str):
        text = value.strip().lower().removeprefix("0x")
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raise ValueError(f"{value!r} is not hexadecimal; a hash is 64 hex digits") from None
    else:
        raise ValueError(f"expected a 32-byte hash, got {type(value).__name__}")
    if len(raw) != 32:
        raise ValueError(f"a hash is 32 bytes (64 hex digits), got {len(raw)} bytes")
    return raw


def _to_address(value: Any) -> str:
    if not isinstance(value, str) or not is_address(value):
        raise ValueError(f"{value!r} is not an account address (0x followed by 40 hex digits)")
    return str(to_checksum_address(value))


def _to_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int):
        return datetime.fromtimestamp(value, tz=UTC)
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueError(f"expected a time, got {type(value).__name__}")


#: A 32-byte hash (document SHA-256, company identity, Merkle root); JSON as 0x-prefixed hex.
Hash32 = Annotated[bytes, BeforeValidator(_to_hash32), PlainSerializer(lambda b: "0x" + b.hex(), return_type=str)]
#: A checksummed account or contract address.
Address = Annotated[str, BeforeValidator(_to_address)]
#: An amount of whole Korean won, as the contracts store it (uint96).
Won = Annotated[int, Field(ge=0, le=UINT96_MAX)]
#: A point in time from the chain (unix seconds), timezone-aware UTC; JSON as ISO 8601.
ChainTime = Annotated[datetime, BeforeValidator(_to_datetime)]

ZERO_HASH = bytes(32)


def unix_seconds(moment: datetime) -> int:
    """Unix seconds of a time; a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())
