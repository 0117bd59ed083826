"""Decoders for the ABI types the registry's events carry, prepared once per event.

eth-abi's general decoders cost 10 to 30 µs per log, most of it in machinery (streams, pointer
validation run as a second decoding pass, address normalization) that a log of a few static
words does not need. The registry's events carry only static elementary types (uintN, intN, bool,
address, bytesN), tuples of them and of strings, and at top level `string`, `bytes` and arrays of a
static elementary type, so these are decoded here by slicing words, as strictly as eth-abi's strict mode:
values must fit their type, padding must be zero, offsets must point past the head and tails must
fit in the data. Any other type returns None, and the caller decodes that event with eth-abi. The
test suite checks both give the same values for every registry event.

A word decoder reads its word where it lies in the data (`decode(data, at)`), so that a value costs
one call and one slice; a topic is a word at 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Protocol

DataDecoder = Callable[[bytes], list[Any]]


class WordDecoder(Protocol):
    """Decodes the 32-byte word at `at` in `data` (a topic: the word at 0)."""

    def __call__(self, data: bytes, at: int = 0, /) -> Any: ...


#: A value whose head word is at `at`: the word's value, or the dynamic value it points to.
Slot = Callable[[bytes, int], Any]

_ZERO_12 = bytes(12)
_INTEGER = re.compile(r"(u?int)(\d*)")
_FIXED_BYTES = re.compile(r"bytes(\d+)")


class AbiDecodingError(ValueError):
    """The bytes are not a valid encoding of the declared types."""


@lru_cache(maxsize=1 << 16)
def checksum_bytes(raw: bytes) -> str:
    """The EIP-55 checksummed address of 20 raw bytes, cached: the checksum costs a keccak, and a
    registry has few distinct actors."""
    # Imported on first use: eth-utils takes a tenth of a second to import, which the read-ahead
    # process would spend before reading its first range.
    from eth_utils.address import to_checksum_address

    return str(to_checksum_address(raw))


def text(raw: bytes) -> str:
    """A Solidity `string` as text that any database stores.

    Solidity strings are bytes that need not be UTF-8 and may hold NUL, which PostgreSQL text cannot:
    invalid bytes and NUL become U+FFFD, the same on every database. The exact bytes stay in
    `raw_events.data`.
    """
    return raw.decode("utf-8", errors="replace").replace("\x00", "\ufffd")


def word_decoder(kind: str) -> WordDecoder | None:
    """A decoder of one 32-byte word holding a static elementary value of type `kind`, or None."""
    integer = _INTEGER.fullmatch(kind)
    if integer:
        bits = int(integer.group(2) or 256)
        if integer.group(1) == "uint":
            return _unsigned(bits)
        return _signed(bits)
    if kind == "address":
        return _address
    if kind == "bool":
        return _bool
    fixed = _FIXED_BYTES.fullmatch(kind)
    if fixed and 1 <= int(fixed.group(1)) <= 32:
        return _fixed_bytes(int(fixed.group(1)))
    return None


def _unsigned(bits: int) -> WordDecoder:
    limit = 1 << bits

    def decode(data: bytes, at: int = 0, /) -> int:
        value = int.from_bytes(data[at : at + 32], "big")
        if value >= limit:
            raise AbiDecodingError(f"{value} does not fit uint{bits}")
        return value

    return decode


def _signed(bits: int) -> WordDecoder:
    low, high = -(1 << (bits - 1)), 1 << (bits - 1)

    def decode(data: bytes, at: int = 0, /) -> int:
        value = int.from_bytes(data[at : at + 32], "big", signed=True)
        if not low <= value < high:
            raise AbiDecodingError(f"{value} does not fit int{bits}")
        return value

    return decode


def _address(data: bytes, at: int = 0, /) -> str:
    if data[at : at + 12] != _ZERO_12:
        raise AbiDecodingError("an address word has non-zero padding")
    return checksum_bytes(data[at + 12 : at + 32])


def _bool(data: bytes, at: int = 0, /) -> bool:
    value = int.from_bytes(data[at : at + 32], "big")
    if value > 1:
        raise AbiDecodingError(f"{value} is not a bool")
    return value == 1


def _fixed_bytes(size: int) -> WordDecoder:
    def decode(data: bytes, at: int = 0, /) -> bytes:
        if size < 32 and any(data[at + size : at + 32]):
            raise AbiDecodingError(f"a bytes{size} word has non-zero padding")
        return data[at : at + size]

    return decode


def data_decoder(types: Sequence[str]) -> DataDecoder | None:
    """A decoder of ABI-encoded values of `types` (as declared: `string` decodes to text), or None if
    one of them is not a type decoded here."""
    layout = data_layout(types)
    if layout is None:
        return None
    head, slots = layout

    def decode(data: bytes) -> list[Any]:
        if len(data) < head:
            raise AbiDecodingError(f"{len(data)} bytes of data, the head alone takes {head}")
        return [slot(data, at) for slot, at in slots]

    return decode


def data_layout(types: Sequence[str]) -> tuple[int, list[tuple[Slot, int]]] | None:
    """How `data_decoder` reads `types`: the bytes their head takes, and each value's decoder with where
    its head word lies (`slot(data, at)`, once the data is known to hold the head); None if one of them
    is not a type decoded here."""
    head = 32 * sum(_head_words(kind) for kind in types)
    slots: list[tuple[Slot, int]] = []
    offset = 0
    for kind in types:
        slot = _slot(kind, head)
        if slot is None:
            return None
        slots.append((slot, offset))
        offset += 32 * _head_words(kind)
    return head, slots


def _flat_tuple(kind: str) -> list[str] | None:
    """The members of a tuple type that holds no tuple, or None for any other type."""
    if kind.startswith("(") and kind.endswith(")") and "(" not in kind[1:]:
        return kind[1:-1].split(",")
    return None


def _is_dynamic(kind: str) -> bool:
    members = _flat_tuple(kind)
    if members is not None:
        return any(_is_dynamic(m) for m in members)
    return kind in ("string", "bytes") or kind.endswith("[]")


def _head_words(kind: str) -> int:
    members = _flat_tuple(kind)
    if members is not None and not _is_dynamic(kind):
        return len(members)
    return 1


def _slot(kind: str, head: int) -> Slot | None:
    """The decoder of a value of type `kind` whose head word lies at `at`, in data whose head takes `head` bytes."""
    word = word_decoder(kind)
    if word is not None:
        return word
    members = _flat_tuple(kind)
    if members is not None and not _is_dynamic(kind):
        words = [word_decoder(k) for k in members]
        if any(m is None for m in words):
            return None
        decoders = [(m, 32 * i) for i, m in enumerate(words) if m is not None]
        return lambda data, at: tuple(d(data, at + shift) for d, shift in decoders)
    if members is not None:
        # A tuple holding strings (`OutcomeDetails`): its head word points to its own encoding, whose
        # offsets count from the tuple's start.
        layout = data_layout(members)
        if layout is None:
            return None
        inner_head, inner_slots = layout

        def dynamic_tuple(data: bytes, at: int) -> tuple[Any, ...]:
            pointer = int.from_bytes(data[at : at + 32], "big")
            if pointer < head or pointer + inner_head > len(data):
                raise AbiDecodingError(f"offset {pointer} of a {kind} points outside the data")
            inner = data[pointer:]
            return tuple(slot(inner, where) for slot, where in inner_slots)

        return dynamic_tuple
    if kind in ("string", "bytes"):
        as_text = kind == "string"

        def dynamic_bytes(data: bytes, at: int) -> Any:
            start, length = _tail(data, at, head)
            end = start + length
            padded = start + (length + 31) // 32 * 32
            if padded > len(data):
                raise AbiDecodingError(f"{kind} of {length} bytes runs past the end of the data")
            if any(data[end:padded]):
                raise AbiDecodingError(f"{kind} has non-zero padding")
            raw = data[start:end]
            return text(raw) if as_text else raw

        return dynamic_bytes
    if kind.endswith("[]"):
        element = word_decoder(kind[:-2])
        if element is None:
            return None
        decode_element = element

        def dynamic_array(data: bytes, at: int) -> tuple[Any, ...]:
            start, count = _tail(data, at, head)
            end = start + 32 * count
            if end > len(data):
                raise AbiDecodingError(f"{kind} of {count} elements runs past the end of the data")
            return tuple(decode_element(data, p) for p in range(start, end, 32))

        return dynamic_array
    return None


def _tail(data: bytes, offset: int, head: int) -> tuple[int, int]:
    """Where a dynamic value's content starts (after its length word), and its length."""
    pointer = int.from_bytes(data[offset : offset + 32], "big")
    if pointer < head or pointer + 32 > len(data):
        raise AbiDecodingError(f"offset {pointer} points outside the data")
    return pointer + 32, int.from_bytes(data[pointer : pointer + 32], "big")
