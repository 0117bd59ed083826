"""The registry's events by (contract address, topic0), decoded from raw logs.

Built once from the deployment manifest's ABIs: each event gets its topic0 and its decoders
prepared in advance, so decoding a log is a dictionary lookup and a few slices, instead of a web3
contract object per event (about 200 µs a log). The types registry events carry are decoded by
`registry.indexer.abi`; an event with any other type is decoded by eth-abi.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from eth_hash.auto import keccak

from registry.errors import RegistryError
from registry.indexer.abi import (
    DataDecoder,
    WordDecoder,
    checksum_bytes,
    data_decoder,
    data_layout,
    text,
    word_decoder,
)
from registry.indexer.logs import RawLog

if TYPE_CHECKING:  # the read-ahead process builds a catalogue without loading web3, which deployment imports
    from registry.chain.deployment import DeploymentManifest

_DYNAMIC_BASES = ("string", "bytes")

#: An event's arguments by name, from a log's topics after topic0 (None where it has none) and its data.
LogDecoder = Callable[[bytes | None, bytes | None, bytes | None, bytes], dict[str, Any]]


def checksum(address: str) -> str:
    """The EIP-55 checksummed form of a hex address, cached."""
    return checksum_bytes(bytes.fromhex(address.removeprefix("0x")))


class UndecodableLog(RegistryError):
    """A registry contract logged an event its ABI declares, but the log does not decode as declared."""

    def __init__(self, event: str, block_number: int, log_index: int, reason: str) -> None:
        self.event = event
        self.block_number = block_number
        self.log_index = log_index
        self.reason = reason
        super().__init__(f"the {event} log at block {block_number}, index {log_index} does not decode: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Decoded in the read-ahead process, it reaches the indexer pickled.
        return (UndecodableLog, (self.event, self.block_number, self.log_index, self.reason))


def canonical_type(param: Mapping[str, Any]) -> str:
    """The ABI type as it appears in an event signature: tuples spelled out as `(t1,t2)`."""
    kind = str(param["type"])
    if kind.startswith("tuple"):
        inner = ",".join(canonical_type(c) for c in param["components"])
        return f"({inner}){kind[len('tuple') :]}"
    return kind


def _logged_as_hash(kind: str) -> bool:
    """Whether an indexed value of this type is logged as its keccak hash (strings, bytes, arrays, structs)."""
    return kind in _DYNAMIC_BASES or kind.endswith("]") or kind.startswith("(")


@dataclass(frozen=True)
class EventSpec:
    """One event of one contract, with what it takes to decode its logs."""

    contract: str
    name: str
    signature: str
    topic0: bytes
    indexed_names: tuple[str, ...]
    #: Indexed types as logged: a string, bytes, array or struct is logged as its hash, a `bytes32`.
    indexed_types: tuple[str, ...]
    data_names: tuple[str, ...]
    data_types: tuple[str, ...]
    topic_decoders: tuple[WordDecoder, ...] = field(repr=False, compare=False)
    data_decoder: DataDecoder = field(repr=False, compare=False)
    #: `decode_args` written out for this event (see `_log_decoder`).
    decode_log: LogDecoder = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "decode_log", _log_decoder(self))

    @classmethod
    def from_abi(cls, contract: str, entry: Mapping[str, Any]) -> EventSpec:
        inputs = list(entry["inputs"])
        signature = f"{entry['name']}({','.join(canonical_type(p) for p in inputs)})"
        indexed = [p for p in inputs if p.get("indexed")]
        data = [p for p in inputs if not p.get("indexed")]
        indexed_types = tuple("bytes32" if _logged_as_hash(canonical_type(p)) else canonical_type(p) for p in indexed)
        data_types = tuple(canonical_type(p) for p in data)
        topic_decoders = []
        for kind in indexed_types:
            decoder = word_decoder(kind)
            if decoder is None:
                raise ValueError(f"event {entry['name']}: an indexed {kind} cannot be decoded from its topic")
            topic_decoders.append(decoder)
        return cls(
            contract=contract,
            name=str(entry["name"]),
            signature=signature,
            topic0=keccak(signature.encode()),
            indexed_names=tuple(str(p["name"]) for p in indexed),
            indexed_types=indexed_types,
            data_names=tuple(str(p["name"]) for p in data),
            data_types=data_types,
            topic_decoders=tuple(topic_decoders),
            data_decoder=data_decoder(data_types) or eth_abi_decoder(data_types),
        )

    def decode_args(self, topics: list[bytes], data: bytes) -> dict[str, Any]:
        """The event's arguments by name, from its topics after topic0 and its data."""
        if len(topics) != len(self.topic_decoders):
            raise ValueError(f"{len(topics)} indexed topics, the ABI declares {len(self.topic_decoders)}")
        values = [decode(topic) for decode, topic in zip(self.topic_decoders, topics, strict=True)]
        values += self.data_decoder(data)
        return dict(zip(self.indexed_names + self.data_names, values, strict=True))


def _log_decoder(spec: EventSpec) -> LogDecoder:
    """`spec.decode_args` written out as one function of the log's topics and data, for speed.

    A backfill decodes hundreds of thousands of logs, and the general path spends most of each in
    lists, zips and calls around the few decoders a log needs. Here a log whose topics after topic0
    are as many as declared, and whose data holds the head, is decoded by one dict display with one
    call per value, in `decode_args`' order (so the first value that does not decode raises the same
    error). Any other log goes to `decode_args`, which says what is wrong. The source is generated, as
    `collections.namedtuple` does; names appear in it only as string literals.
    """
    namespace: dict[str, Any] = {"general": spec.decode_args}
    items = []
    for i, (name, decoder) in enumerate(zip(spec.indexed_names, spec.topic_decoders, strict=True)):
        namespace[f"topic_{i}"] = decoder
        items.append(f"{name!r}: topic_{i}(topic{i + 1})")
    present = len(spec.topic_decoders)
    expected = [f"topic{i} is {'not ' if i <= present else ''}None" for i in (1, 2, 3)]
    layout = data_layout(spec.data_types)
    if layout is None:  # decoded by eth-abi, all at once
        namespace["data_values"] = spec.data_decoder
        start = "values = data_values(data)\n        "
        items += [f"{name!r}: values[{j}]" for j, name in enumerate(spec.data_names)]
    else:
        head, slots = layout
        start = ""
        expected.append(f"len(data) >= {head}")
        for j, (name, (slot, at)) in enumerate(zip(spec.data_names, slots, strict=True)):
            namespace[f"value_{j}"] = slot
            items.append(f"{name!r}: value_{j}(data, {at})")
    source = (
        "def decode(topic1, topic2, topic3, data):\n"
        f"    if {' and '.join(expected)}:\n"
        f"        {start}return {{{', '.join(items)}}}\n"
        "    return general([t for t in (topic1, topic2, topic3) if t is not None], data)\n"
    )
    exec(source, namespace)
    decode: LogDecoder = namespace["decode"]
    return decode


def eth_abi_decoder(types: tuple[str, ...]) -> DataDecoder:
    """eth-abi's decoder of `types`, prepared once. Strings are decoded as bytes and then as `text`,
    and addresses checksummed, so the values are those of the fast path."""
    # Imported here: no registry event needs it, and it takes the read-ahead process a tenth of a second.
    from eth_abi.abi import default_codec

    as_bytes = tuple(_STRING.sub("bytes", t) for t in types)
    decoder: Callable[[Any], tuple[Any, ...]] = default_codec._registry.get_tuple_decoder(*as_bytes)
    stream: Callable[[bytes], Any] = default_codec.stream_class
    converters = [(i, converter) for i, t in enumerate(types) if (converter := _converter(t)) is not None]

    def decode(data: bytes) -> list[Any]:
        values = list(decoder(stream(data)))
        for i, convert in converters:
            values[i] = convert(values[i])
        return values

    return decode


_STRING = re.compile(r"\bstring\b")


def _converter(kind: str) -> Callable[[Any], Any] | None:
    """What turns eth-abi's value of `kind` (its strings decoded as bytes) into the fast path's: strings
    as `text`, addresses checksummed, inside tuples and arrays too (`OutcomeDetails` holds strings). None
    when the value needs nothing."""
    if kind == "string":
        return text
    if kind == "address":
        return checksum
    if kind.endswith("]"):
        element = _converter(kind[: kind.rindex("[")])
        return None if element is None else (lambda values: tuple(element(v) for v in values))
    if kind.startswith("("):
        members = [_converter(member) for member in _tuple_members(kind[1:-1])]
        if all(m is None for m in members):
            return None
        return lambda values: tuple(v if m is None else m(v) for m, v in zip(members, values, strict=True))
    return None


def _tuple_members(inner: str) -> list[str]:
    """The member types of a tuple type's inside (`uint8,(string,bool)[]` -> two), split at depth 0."""
    members, depth, start = [], 0, 0
    for at, character in enumerate(inner):
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif character == "," and depth == 0:
            members.append(inner[start:at])
            start = at + 1
    members.append(inner[start:])
    return members


def contracts_of(manifest: DeploymentManifest) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """The manifest's contracts by name, as (address, ABI)."""
    return {name: (contract.address, contract.abi) for name, contract in manifest.contracts.items()}


class DecodedEvent(NamedTuple):
    """A registry event with its arguments by name, and where and when it was logged.

    A named tuple, as `RawLog` is: a backfill decodes hundreds of thousands in the read-ahead process,
    which sends them to the indexer as plain tuples (`readahead`), made named again without a call each.
    """

    contract: str
    name: str
    args: dict[str, Any]
    block_number: int
    log_index: int
    transaction_hash: bytes
    timestamp: int


class EventCatalogue:
    """Every event of the deployed registry contracts, looked up by (address, topic0)."""

    def __init__(self, specs: Mapping[tuple[str, bytes], EventSpec]) -> None:
        self._specs = dict(specs)
        #: Each event's name by (contract address, topic0).
        self.event_names: dict[tuple[str, bytes | None], str] = {key: spec.name for key, spec in self._specs.items()}

    @classmethod
    def from_manifest(cls, manifest: DeploymentManifest) -> EventCatalogue:
        return cls.from_contracts(contracts_of(manifest))

    @classmethod
    def from_contracts(cls, contracts: Mapping[str, tuple[str, list[dict[str, Any]]]]) -> EventCatalogue:
        """The catalogue of contracts given by name as (address, ABI)."""
        specs: dict[tuple[str, bytes], EventSpec] = {}
        for name, (address, abi) in contracts.items():
            for entry in abi:
                if entry.get("type") == "event" and not entry.get("anonymous"):
                    spec = EventSpec.from_abi(name, entry)
                    specs[(checksum(address), spec.topic0)] = spec
        return cls(specs)

    @property
    def addresses(self) -> list[str]:
        """The contracts whose logs the registry consists of."""
        return sorted({address for address, _ in self._specs})

    @property
    def specs(self) -> list[EventSpec]:
        return list(self._specs.values())

    def spec(self, address: str, topic0: bytes | None) -> EventSpec | None:
        if topic0 is None:
            return None
        return self._specs.get((address, topic0))

    def event_name(self, address: str, topic0: bytes | None) -> str | None:
        spec = self.spec(address, topic0)
        return None if spec is None else spec.name

    def decode(self, log: RawLog, timestamp: int) -> DecodedEvent | None:
        """The event of a log, or None for a log the ABIs do not declare."""
        spec = self._specs.get((log.address, log.topic0))  # type: ignore[arg-type]  # no topic0: no event
        if spec is None:
            return None
        try:
            args = spec.decode_log(log.topic1, log.topic2, log.topic3, log.data)
        except Exception as exc:
            raise UndecodableLog(spec.name, log.block_number, log.log_index, str(exc)) from None
        return DecodedEvent(
            spec.contract, spec.name, args, log.block_number, log.log_index, log.transaction_hash, timestamp
        )
