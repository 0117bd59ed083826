"""The prepared decoders give exactly what eth-abi gives, for every event of every registry contract,
and refuse what eth-abi's strict mode refuses."""

from __future__ import annotations

import re
from typing import Any

import pytest
from eth_abi import encode
from eth_utils.address import to_checksum_address
from hypothesis import given
from hypothesis import strategies as st

from registry.chain.compiler import Artifact
from registry.indexer.abi import AbiDecodingError, data_decoder, text, word_decoder
from registry.indexer.catalogue import EventSpec, eth_abi_decoder


def registry_events(artifacts: dict[str, Artifact]) -> list[EventSpec]:
    return [
        EventSpec.from_abi(name, entry)
        for name, artifact in artifacts.items()
        for entry in artifact.abi
        if entry["type"] == "event"
    ]


def values_of(kind: str) -> st.SearchStrategy[Any]:
    """Python values eth-abi encodes as `kind`."""
    if kind.endswith("[]"):
        return st.lists(values_of(kind[:-2]), max_size=5).map(tuple)
    if kind.startswith("("):
        return st.tuples(*(values_of(k) for k in kind[1:-1].split(",")))
    if match := re.fullmatch(r"uint(\d+)", kind):
        return st.integers(0, 2 ** int(match.group(1)) - 1)
    if match := re.fullmatch(r"int(\d+)", kind):
        bits = int(match.group(1))
        return st.integers(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1)
    if match := re.fullmatch(r"bytes(\d+)", kind):
        return st.binary(min_size=int(match.group(1)), max_size=int(match.group(1)))
    return {
        "address": st.binary(min_size=20, max_size=20).map(to_checksum_address),
        "bool": st.booleans(),
        "string": st.text(max_size=80),
        "bytes": st.binary(max_size=80),
    }[kind]


def as_decoded(kind: str, value: Any) -> Any:
    """`value` of `kind` as the decoders give it back: strings, in tuples too, as `text`."""
    if kind == "string":
        return text(value.encode())
    if kind.startswith("("):
        return tuple(as_decoded(k, v) for k, v in zip(kind[1:-1].split(","), value, strict=True))
    return value


def test_every_registry_event_is_decoded_by_the_fast_path(artifacts: dict[str, Artifact]) -> None:
    for spec in registry_events(artifacts):
        assert data_decoder(spec.data_types) is not None, spec.signature


@given(data=st.data())
def test_the_fast_path_decodes_every_event_as_eth_abi_does(artifacts: dict[str, Artifact], data: Any) -> None:
    for spec in registry_events(artifacts):
        values = [data.draw(values_of(kind)) for kind in spec.data_types]
        encoded = encode(list(spec.data_types), values)
        fast = spec.data_decoder(encoded)
        assert fast == eth_abi_decoder(spec.data_types)(encoded), spec.signature
        expected = [as_decoded(kind, v) for kind, v in zip(spec.data_types, values, strict=True)]
        assert fast == expected, spec.signature
        indexed = [data.draw(values_of(kind)) for kind in spec.indexed_types]
        topics = [encode([kind], [value]) for kind, value in zip(spec.indexed_types, indexed, strict=True)]
        assert [decode(t) for decode, t in zip(spec.topic_decoders, topics, strict=True)] == indexed


def both_refuse(types: tuple[str, ...], data: bytes) -> None:
    fast = data_decoder(types)
    assert fast is not None
    with pytest.raises(AbiDecodingError):
        fast(data)
    with pytest.raises(Exception):  # noqa: B017 - eth-abi raises one of several DecodingError kinds
        eth_abi_decoder(types)(data)


def test_a_tuple_of_strings_pointing_outside_the_data_is_refused() -> None:
    kind = "(string,string,string,uint40,uint96,bool)"
    encoded = bytearray(encode([kind], [("a", "KR", "", 1, 2, True)]))
    encoded[31] = 0xE0  # the tuple's offset past the end
    both_refuse((kind,), bytes(encoded))


def test_a_tuple_of_strings_decodes_invalid_utf8_and_nul_as_replacement_characters() -> None:
    kind = "(string,string,string,uint40,uint96,bool)"
    encoded = encode(["(bytes,bytes,bytes,uint40,uint96,bool)"], [(b"\xff\x00x", b"KR", b"", 7, 8, False)])
    decoder = data_decoder((kind,))
    assert decoder is not None
    assert decoder(encoded) == [("\ufffd\ufffdx", "KR", "", 7, 8, False)]
    assert eth_abi_decoder((kind,))(encoded) == decoder(encoded)


def test_data_cut_short_is_refused() -> None:
    both_refuse(("uint16", "bytes32"), encode(["uint16", "bytes32"], [1, b"\x01" * 32])[:-1])
    both_refuse(("uint16", "bytes32[]"), encode(["uint16", "bytes32[]"], [1, [b"\x01" * 32] * 2])[:-32])
    both_refuse(("uint8", "string"), encode(["uint8", "string"], [1, "x" * 40])[:-32])


def test_values_too_wide_for_their_type_are_refused() -> None:
    both_refuse(("uint8",), (256).to_bytes(32, "big"))
    both_refuse(("bool",), (2).to_bytes(32, "big"))
    both_refuse(("address",), b"\x01" + bytes(11) + b"\x02" * 20)
    both_refuse(("bytes4",), b"\x01" * 5 + bytes(27))


def test_offsets_into_the_head_or_past_the_end_are_refused() -> None:
    head_pointer = (32).to_bytes(32, "big")  # points at itself, inside the two-word head
    both_refuse(("string", "uint8"), head_pointer + bytes(32) + bytes(64))
    both_refuse(("bytes",), (4096).to_bytes(32, "big") + bytes(64))


def test_string_padding_must_be_zero() -> None:
    encoded = bytearray(encode(["string"], ["abc"]))
    encoded[-1] = 1
    both_refuse(("string",), bytes(encoded))


def test_strings_that_are_not_text_are_kept_as_replacement_characters() -> None:
    decode = data_decoder(("string",))
    assert decode is not None
    assert decode(encode(["bytes"], [b"name\x00\xff end"])) == ["name\ufffd\ufffd end"]


def test_words_of_unsupported_types_are_left_to_eth_abi() -> None:
    assert word_decoder("string") is None
    assert data_decoder(("(uint8,string[])",)) is None
    assert data_decoder(("(uint8,(bool,string))",)) is None
    assert data_decoder(("uint8[2]",)) is None
