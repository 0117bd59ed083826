"""A record as the chain alone says it is, and how a copy (the API's JSON, the SQL copy through the
API's models, a page of the portal) compares with it, field by field and history included.

The rules of each record kind are data (`records.json`, interpreted here and by the browser's
`chain-check.js`): which view holds its state, which events created and changed it, which events
make up its histories. `derive` turns what the chain answered (`ChainEvidence`: the view's values,
the record's events, block times and relay signers) into the record in the API's JSON encoding;
`compare` lists every difference with both values. `read_evidence` asks a node for the evidence of
one record at one block.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from eth_utils.address import to_checksum_address

from registry.checking.node import CallReverted, Node
from registry.checking.spec import event_type, events_by_topic, record_spec, view_function
from registry.errors import RegistryError

ZERO = bytes(32)
RECORD_KINDS = tuple(record_spec()["kinds"])


class UnknownRecordKind(RegistryError):
    def __init__(self, kind: str) -> None:
        super().__init__(f"{kind!r} is not a record kind; the kinds are {', '.join(RECORD_KINDS)}")


@dataclass(frozen=True)
class LoggedEvent:
    """A registry event as the node returned it, decoded."""

    contract: str
    address: str
    name: str
    args: dict[str, Any]
    block_number: int
    log_index: int
    transaction_hash: bytes

    @property
    def position(self) -> tuple[int, int]:
        return (self.block_number, self.log_index)


@dataclass(frozen=True)
class Relay:
    """An `ExecutedForwardRequest` of the forwarder: the events of its call, logged before it in the
    same transaction, are the signer's."""

    transaction_hash: bytes
    log_index: int
    signer: str


@dataclass(frozen=True)
class ChainEvidence:
    """What the chain answered about one record at block `block_number`: the view's values (None
    when the view refused: no such record), the record's events, the time of each block they are
    in, and the forwarder's relays in those blocks."""

    chain_id: int
    block_number: int
    view: dict[str, Any] | None
    events: list[LoggedEvent]
    block_times: dict[int, int]
    relays: list[Relay] = field(default_factory=list)
    #: The kind's other views (`views` in records.json), by name, asked at the same block.
    views: dict[str, dict[str, Any] | None] = field(default_factory=dict)


# ---- the record from the chain ------------------------------------------------------------------


def kind_spec(kind: str) -> dict[str, Any]:
    spec = record_spec()["kinds"].get(kind)
    if spec is None:
        raise UnknownRecordKind(kind)
    return dict(spec)


def parse_key(kind: str, key: Mapping[str, Any]) -> dict[str, Any]:
    """A record key from JSON (`{"projectId": 3}`, hashes as 0x hex) as Python values; raises
    ValueError naming what is wrong."""
    wanted = kind_spec(kind)["key"]
    if set(key) != set(wanted):
        raise ValueError(f"a {kind} is known by {', '.join(wanted)}, not {', '.join(key) or 'nothing'}")
    parsed: dict[str, Any] = {}
    for name, encoding in wanted.items():
        value = key[name]
        if encoding == "int":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a whole number, not {value!r}")
            parsed[name] = value
        elif encoding == "hash":
            text = str(value)
            if not (text.startswith("0x") and len(text) == 66):
                raise ValueError(f"{name} must be 32 bytes as 0x and 64 hex digits, not {value!r}")
            parsed[name] = bytes.fromhex(text[2:])
        else:
            parsed[name] = to_checksum_address(str(value))
    return parsed


def _equal_argument(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, str):
        return isinstance(value, str) and value.lower() == wanted.lower()
    return bool(value == wanted)


def _matches(event: LoggedEvent, rule: Mapping[str, Any], key: Mapping[str, Any]) -> bool:
    if event.contract != rule["contract"] or event.name != rule["event"]:
        return False
    if not all(_equal_argument(event.args.get(a), key[k]) for a, k in rule["where"].items()):
        return False
    # `match`: arguments the event does not index, held to a key field or a constant after decoding.
    for argument, wanted in rule.get("match", {}).items():
        expected = json.loads(wanted[6:]) if wanted.startswith("const:") else key[wanted]
        if not _equal_argument(event.args.get(argument), expected):
            return False
    return True


def _events(evidence: ChainEvidence, rules: Iterable[Mapping[str, Any]], key: Mapping[str, Any]) -> list[LoggedEvent]:
    found = {e.position: e for e in evidence.events for rule in rules if _matches(e, rule, key)}
    return [found[p] for p in sorted(found)]


def iso_time(seconds: int) -> str:
    """A unix time as the API writes it (`2021-09-30T09:00:00Z`)."""
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


def _hex(value: bytes) -> str:
    return "0x" + bytes(value).hex()


def _text(value: Any) -> str:
    # As the indexer stores strings: not UTF-8, or NUL, becomes U+FFFD (PostgreSQL refuses NUL).
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return str(value).replace("\x00", "\ufffd")


def encode_value(value: Any, encoding: str) -> Any:
    """A chain value in the API's JSON encoding."""
    if encoding == "int":
        return int(value)
    if encoding == "won":
        return str(int(value))
    if encoding == "time":
        return iso_time(int(value))
    if encoding == "time?":
        return None if int(value) == 0 else iso_time(int(value))
    if encoding == "id?":
        return None if int(value) == 0 else int(value)
    if encoding == "text":
        return _text(value)
    if encoding == "text?":
        return None if _text(value) == "" else _text(value)
    if encoding == "address":
        return str(to_checksum_address(value))
    if encoding == "address?":
        return None if int(str(value), 16) == 0 else str(to_checksum_address(value))
    if encoding.startswith("is:"):
        return int(value) == int(encoding[3:])
    if encoding == "hash":
        return _hex(value)
    if encoding == "hash?":
        return None if bytes(value) == ZERO else _hex(value)
    if encoding == "hashes":
        return [_hex(v) for v in value if bytes(v) != ZERO]
    if encoding == "bool":
        return bool(value)
    if encoding == "nonzero":
        return bytes(value) != ZERO if isinstance(value, bytes | bytearray) else int(value) != 0
    if encoding == "role":
        return record_spec()["roles"].get(_hex(value))
    if encoding.startswith("enum:"):
        names = record_spec()["enums"][encoding[5:]]
        number = int(value)
        return names[number] if 0 <= number < len(names) else f"unknown-{number}"
    if encoding == "json":
        return value
    raise ValueError(f"unknown encoding {encoding!r}")


def _path(values: Mapping[str, Any] | None, path: str) -> Any:
    current: Any = values
    for part in path.split("."):
        current = current[part]
    return current


@dataclass(frozen=True)
class _Sources:
    """What a rule's source can read: the key, the kind's views, and the events at hand (the record's
    creating and last events, a history item's event, the first event of each `singles` entry)."""

    key: Mapping[str, Any]
    view: Mapping[str, Any] | None = None
    views: Mapping[str, Mapping[str, Any] | None] = field(default_factory=dict)
    events: Mapping[str, LoggedEvent | None] = field(default_factory=dict)
    block_times: Mapping[int, int] = field(default_factory=dict)


_MISSING = object()  # a source whose event is not there: the field is null


def _raw(source: str, sources: _Sources) -> Any:
    kind, _, name = source.partition(":")
    if kind == "const":
        return json.loads(name)
    if kind == "key":
        return sources.key[name]
    if kind == "view":
        return _path(sources.view, name)
    if kind == "views":
        view_name, _, inner = name.partition(".")
        answered = sources.views.get(view_name)
        return _MISSING if answered is None else _path(answered, inner)
    if kind == "diff":
        first, second = name.split(",")
        return _path(sources.view, first) - _path(sources.view, second)
    if kind == "plusdays":
        start, days = (_raw(part, sources) for part in name.split("+"))
        return _MISSING if _MISSING in (start, days) else int(start) + int(days) * 86_400
    if kind == "at":
        event = sources.events.get(name)
        return _MISSING if event is None else sources.block_times[event.block_number]
    if kind in ("created", "last", "event", "single"):
        event_name, argument = (kind, name) if kind != "single" else tuple(name.split(".", 1))
        event = sources.events.get(event_name)
        return _MISSING if event is None else _path(event.args, argument)
    raise ValueError(f"unknown source {source!r}")


def _value(rule: str, sources: _Sources) -> Any:
    source, encoding = rule.rsplit("|", 1)
    raw = _raw(source, sources)
    if raw is _MISSING:
        return None
    if source.startswith("const:"):
        return raw
    return encode_value(raw, encoding)


def _set(record: dict[str, Any], dotted: str, value: Any) -> None:
    """`rules.followUpYears` sets `record["rules"]["followUpYears"]`."""
    *parents, last = dotted.split(".")
    holder = record
    for part in parents:
        holder = holder.setdefault(part, {})
    holder[last] = value


def _signer(evidence: ChainEvidence, event: LoggedEvent) -> str | None:
    after = [
        r for r in evidence.relays if r.transaction_hash == event.transaction_hash and r.log_index > event.log_index
    ]
    return min(after, key=lambda r: r.log_index).signer if after else None


def provenance(evidence: ChainEvidence, event: LoggedEvent) -> dict[str, Any]:
    """Where an event is, as the API's `Provenance` says it."""
    return {
        "chainId": evidence.chain_id,
        "contract": event.address,
        "transactionHash": _hex(event.transaction_hash),
        "blockNumber": event.block_number,
        "blockTime": iso_time(evidence.block_times[event.block_number]),
        "logIndex": event.log_index,
        "signer": _signer(evidence, event),
    }


def _item(
    evidence: ChainEvidence, rule: Mapping[str, Any], key: Mapping[str, Any], event: LoggedEvent
) -> dict[str, Any]:
    sources = _Sources(key, events={"event": event}, block_times=evidence.block_times)
    item: dict[str, Any] = {}
    for name, field_rule in rule["item"].items():
        _set(item, name, _value(field_rule, sources))
    item["provenance"] = provenance(evidence, event)
    return item


def _hidden_rules(spec: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    hidden = spec.get("hidden")
    return [] if hidden is None else list(hidden) if isinstance(hidden, list) else [hidden]


def derive(kind: str, key: Mapping[str, Any], evidence: ChainEvidence) -> dict[str, Any] | None:
    """The record as the chain says it is, in the API's JSON encoding; None if the chain has no
    such record (its view refuses it, or no event created it)."""
    spec = kind_spec(kind)
    created_events = _events(evidence, spec["created"], key)
    if evidence.view is None or not created_events:
        return None
    created = created_events[0]
    touching = _events(evidence, [*spec["created"], *spec["changes"]], key)
    last = touching[-1]
    events: dict[str, LoggedEvent | None] = {"created": created, "last": last}
    for name, rules in spec.get("singles", {}).items():
        found_single = _events(evidence, rules, key)
        events[name] = found_single[0] if found_single else None
    sources = _Sources(key, evidence.view, evidence.views, events, evidence.block_times)
    record: dict[str, Any] = {}
    for name, rule in spec["fields"].items():
        _set(record, name, _value(rule, sources))
    for hidden in _hidden_rules(spec):
        shown = record[hidden["when"]]
        if shown == hidden.get("equals", _MISSING) or shown in hidden.get("in", []):
            record.update(dict.fromkeys(hidden["fields"]))
    record["provenance"] = provenance(evidence, created)
    if spec["lastChange"]:
        record["lastChange"] = provenance(evidence, last)
    for name, rules in spec.get("singles", {}).items():
        found = [(e, r) for r in rules for e in _events(evidence, [r], key)]
        found.sort(key=lambda pair: pair[0].position)
        record[name] = _item(evidence, found[0][1], key, found[0][0]) if found else None
    for name, rules in spec.get("lists", {}).items():
        items = [(e, r) for r in rules for e in _events(evidence, [r], key)]
        items.sort(key=lambda pair: pair[0].position)
        record[name] = [_item(evidence, r, key, e) for e, r in items]
    return record


# ---- comparing a copy with it -------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One field where the copy and the chain disagree: its path (`history[2].status`), what the
    copy says and what the chain says (None for absent)."""

    path: str
    copy: Any
    chain: Any

    def words(self) -> str:
        return f"{self.path}: the copy says {_shown(self.copy)}, the chain says {_shown(self.chain)}"


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)


def _same(copy: Any, chain: Any) -> bool:
    if isinstance(copy, str) and isinstance(chain, str) and copy.startswith("0x") and chain.startswith("0x"):
        return copy.lower() == chain.lower()  # an address's checksum case is not a claim
    return bool(copy == chain) and type(copy) is type(chain)


def _event_key(item: Any) -> tuple[str, Any] | None:
    if isinstance(item, Mapping) and isinstance(item.get("provenance"), Mapping):
        p = item["provenance"]
        return (str(p.get("transactionHash", "")).lower(), p.get("logIndex"))
    return None


@dataclass
class _Tally:
    differences: list[Difference] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    derived: list[str] = field(default_factory=list)
    #: The kind's derived fields (`derived` in records.json), list positions written `[]`.
    declared: frozenset[str] = frozenset()


def general_path(path: str) -> str:
    """A path with its list positions written `[]` (`objections[2].status` -> `objections[].status`), as
    records.json's `derived` names fields."""
    return re.sub(r"\[\+?\d+\]", "[]", path)


def _compare(copy: Any, chain: Any, path: str, tally: _Tally) -> int:
    """Appends the differences below `path`; returns how many values were compared."""
    differences = tally.differences
    if isinstance(copy, Mapping) and isinstance(chain, Mapping):
        compared = 0
        for name, value in copy.items():
            where = f"{path}.{name}" if path else name
            if general_path(where) in tally.declared:
                tally.derived.append(where)
                continue
            if name not in chain:
                tally.unchecked.append(where)
                continue
            compared += _compare(value, chain[name], where, tally)
        return compared
    if (
        isinstance(copy, list)
        and isinstance(chain, list)
        and (any(_event_key(i) for i in copy) or any(_event_key(i) for i in chain))
    ):
        on_chain = {_event_key(i): (n, i) for n, i in enumerate(chain)}
        in_copy = {_event_key(i): (n, i) for n, i in enumerate(copy)}
        compared = 0
        for item_key, (n, item) in in_copy.items():
            if item_key not in on_chain:
                differences.append(Difference(f"{path}[{n}]", item, None))
                compared += 1
            else:
                compared += _compare(item, on_chain[item_key][1], f"{path}[{n}]", tally)
        for item_key, (n, item) in on_chain.items():
            if item_key not in in_copy:
                differences.append(Difference(f"{path}[+{n}]", None, item))
                compared += 1
        return compared
    if not _same(copy, chain):
        differences.append(Difference(path, copy, chain))
    return 1


RecordVerdict = Literal["matches", "differs", "not-on-chain"]


@dataclass(frozen=True)
class RecordComparison:
    """A copy of one record compared with the chain at one block."""

    kind: str
    key: dict[str, Any]
    chain_id: int
    block_number: int
    verdict: RecordVerdict
    differences: list[Difference]
    compared: int
    unchecked: list[str]
    chain: dict[str, Any] | None
    #: Fields of the copy the kind declares derived (aggregates of other records, each checked on its
    #: own): neither compared nor unchecked, and said as such.
    derived: list[str] = field(default_factory=list)

    def words(self) -> str:
        where = f"chain {self.chain_id} at block {self.block_number:,}"
        label = f"{self.kind} {json.dumps(self.key, separators=(',', ':'))}"
        if self.verdict == "not-on-chain":
            return f"{label}: the chain has no such record ({where})"
        if self.verdict == "matches":
            return f"{label}: matches the chain, {self.compared} value(s) compared ({where}){self._derived_words()}"
        return f"{label}: {len(self.differences)} difference(s) with the chain ({where}): " + "; ".join(
            d.words() for d in self.differences
        ) + self._derived_words()

    def _derived_words(self) -> str:
        if not self.derived:
            return ""
        return "; derived from other records, each checked on its own: " + ", ".join(dict.fromkeys(
            general_path(p) for p in self.derived))


def compare(
    kind: str, key: Mapping[str, Any], copy: Mapping[str, Any] | None, evidence: ChainEvidence
) -> RecordComparison:
    """The copy's record (its API JSON, or the part a page shows) against the chain's."""
    chain = derive(kind, parse_key(kind, key), evidence)
    return compare_values(kind, key, copy, chain, evidence.chain_id, evidence.block_number)


def compare_values(
    kind: str, key: Mapping[str, Any], copy: Mapping[str, Any] | None, chain: Mapping[str, Any] | None,
    chain_id: int, block_number: int,
) -> RecordComparison:
    """The copy's values against the chain's (None: the record is not there), field by field."""
    declared = frozenset(record_spec()["kinds"].get(kind, {}).get("derived", {}))
    tally = _Tally(declared=declared)
    differences = tally.differences
    if chain is None:
        verdict: RecordVerdict = "not-on-chain"
        compared = 0
        if copy is not None:
            differences.append(Difference("", dict(copy), None))
    elif copy is None:
        verdict, compared = "differs", 1
        differences.append(Difference("", None, dict(chain)))
    else:
        compared = _compare(dict(copy), dict(chain), "", tally)
        verdict = "differs" if differences else "matches"
    return RecordComparison(kind, dict(key), chain_id, block_number, verdict, differences, compared, tally.unchecked,
                            None if chain is None else dict(chain), tally.derived)  # fmt: skip


# ---- asking a node --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistryAddresses:
    """The registry's contracts on the chain asked: the grant and outcome registries, and the
    forwarder the grant registry trusts (read from it)."""

    grant_registry: str
    outcome_registry: str
    forwarder: str | None = None
    first_block: int = 0

    def of(self, contract: str) -> str:
        address = {"GrantRegistry": self.grant_registry, "OutcomeRegistry": self.outcome_registry}.get(contract)
        if address is None:
            if self.forwarder is None:
                raise ValueError(f"no address for {contract}")
            return self.forwarder
        return address


def decode_log(contract: str, raw: Mapping[str, Any]) -> LoggedEvent | None:
    """A raw log of a registry contract, decoded (addresses checksummed, so that they compare with keys
    and print as the API prints them); None for a log its ABI does not declare."""
    topics = [bytes.fromhex(t[2:]) for t in raw["topics"]]
    if not topics:
        return None
    event = events_by_topic().get((contract, topics[0]))
    if event is None:
        return None
    args = _normalise(event.decode_log(topics, bytes.fromhex(str(raw["data"])[2:])))
    return LoggedEvent(
        contract=contract, address=str(to_checksum_address(raw["address"])), name=event.name, args=args,
        block_number=int(raw["blockNumber"], 16), log_index=int(raw["logIndex"], 16),
        transaction_hash=bytes.fromhex(raw["transactionHash"][2:]),
    )  # fmt: skip


def _normalise(args: dict[str, Any]) -> dict[str, Any]:
    return {k: to_checksum_address(v) if isinstance(v, str) and v.startswith("0x") and len(v) == 42 else v
            for k, v in args.items()}  # fmt: skip


def _view_arguments(kind: str, key: Mapping[str, Any]) -> list[Any]:
    return [key[name] for name in kind_spec(kind)["view"]["args"]]


def read_evidence(
    node: Node, addresses: RegistryAddresses, kind: str, key: Mapping[str, Any], block: int
) -> ChainEvidence:
    """Asks `node` at `block` for everything `derive` needs about one record."""
    return evidence_from_raw(read_raw_evidence(node, addresses, kind, key, block))


def read_raw_evidence(
    node: Node, addresses: RegistryAddresses, kind: str, key: Mapping[str, Any], block: int
) -> dict[str, Any]:
    """What `node` answers at `block` about one record, as it answered (hex results and raw logs):
    the form the shared test vectors hold, which the browser's check reads too."""
    spec = kind_spec(kind)
    parsed = parse_key(kind, key)
    view = view_function(spec["contract"], spec["view"]["function"])
    try:
        result: str | None = node.call(
            addresses.of(spec["contract"]), view.calldata(_view_arguments(kind, parsed)), block
        )
    except CallReverted:
        result = None
    logs: dict[tuple[int, int], dict[str, Any]] = {}
    asked: set[tuple[str, str, tuple[tuple[str, str], ...]]] = set()
    for rule in _event_rules(spec):
        question = (rule["contract"], rule["event"], tuple(sorted(rule["where"].items())))
        if question in asked:
            continue
        asked.add(question)
        event = event_type(rule["contract"], rule["event"])
        indexed = [i["name"] for i in event.indexed]
        topics: list[Any] = ["0x" + event.topic0.hex()] + [None] * len(indexed)
        for argument, key_field in rule["where"].items():
            topics[1 + indexed.index(argument)] = "0x" + event.topic_for(argument, parsed[key_field]).hex()
        while topics and topics[-1] is None:
            topics.pop()
        for raw in node.logs(addresses.of(rule["contract"]), topics, addresses.first_block, block):
            logs[(int(raw["blockNumber"], 16), int(raw["logIndex"], 16))] = {
                "contract": rule["contract"],
                **_raw_log(raw),
            }
    ordered = [logs[p] for p in sorted(logs)]
    views: dict[str, str | None] = {}
    for name, asked_view in spec.get("views", {}).items():
        so_far = evidence_from_raw({"kind": kind, "chainId": 0, "blockNumber": block, "view": result, "logs": ordered,
                                    "blockTimes": {}, "views": views})  # fmt: skip
        arguments = view_arguments(kind, name, parsed, so_far)
        other = view_function(asked_view.get("contract", spec["contract"]), asked_view["function"])
        try:
            views[name] = None if arguments is None else node.call(
                addresses.of(asked_view.get("contract", spec["contract"])), other.calldata(arguments), block
            )
        except CallReverted:
            views[name] = None
    blocks = sorted({int(log["blockNumber"], 16) for log in ordered})
    relays = []
    if addresses.forwarder is not None:
        executed = "0x" + event_type("RegistryForwarder", "ExecutedForwardRequest").topic0.hex()
        for number in blocks:
            for raw in node.logs(addresses.forwarder, [executed], number, number):
                relays.append({"contract": "RegistryForwarder", **_raw_log(raw)})
    return {
        "chainId": node.chain_id(),
        "blockNumber": block,
        "kind": kind,
        "view": result,
        "views": views,
        "logs": ordered,
        "blockTimes": {str(number): node.block(number).timestamp for number in blocks},
        "relays": relays,
    }


def view_arguments(kind: str, name: str, key: Mapping[str, Any], evidence: ChainEvidence) -> list[Any] | None:
    """The arguments of the kind's view `name` (records.json `views`), from the key, the main view,
    the views before it and the record's events; None when one of them is not there (no such record,
    or no such event)."""
    spec = kind_spec(kind)
    created = _events(evidence, spec["created"], key)
    touching = _events(evidence, [*spec["created"], *spec["changes"]], key)
    events = {"created": created[0] if created else None, "last": touching[-1] if touching else None}
    sources = _Sources(key, evidence.view, evidence.views, events)
    arguments = []
    for source in spec["views"][name]["args"]:
        try:
            value = _raw(source if ":" in source else f"key:{source}", sources)
        except (KeyError, TypeError):  # a view not answered (None) or without that value
            return None
        if value is _MISSING:
            return None
        arguments.append(value)
    return arguments


def _raw_log(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {name: raw[name] for name in ("address", "topics", "data", "blockNumber", "logIndex", "transactionHash")}


def _event_rules(spec: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rules = [*spec["created"], *spec["changes"]]
    for group in ("lists", "singles"):
        for entries in spec.get(group, {}).values():
            rules.extend(entries)
    return rules


def evidence_from_raw(raw: Mapping[str, Any]) -> ChainEvidence:
    """`ChainEvidence` from what a node answered (`read_raw_evidence`'s form), decoded with the ABIs."""
    spec = kind_spec(raw["kind"])
    view = view_function(spec["contract"], spec["view"]["function"])
    values = None if raw["view"] is None else view.decode_result(raw["view"])
    views: dict[str, dict[str, Any] | None] = {}
    for name, answer in raw.get("views", {}).items():
        asked = spec["views"][name]
        other = view_function(asked.get("contract", spec["contract"]), asked["function"])
        views[name] = None if answer is None else other.decode_result(answer)
    events = []
    for log in raw["logs"]:
        logged = decode_log(log["contract"], log)
        if logged is not None:
            events.append(logged)
    events.sort(key=lambda e: e.position)
    relays = []
    for log in raw.get("relays", []):
        logged = decode_log("RegistryForwarder", log)
        if logged is not None and logged.name == "ExecutedForwardRequest":
            relays.append(
                Relay(logged.transaction_hash, logged.log_index, str(to_checksum_address(logged.args["signer"])))
            )
    times = {int(number): int(seconds) for number, seconds in raw["blockTimes"].items()}
    return ChainEvidence(int(raw["chainId"]), int(raw["blockNumber"]), values, events, times, relays, views)


def forwarder_of(node: Node, grant_registry: str, block: int) -> str:
    """The forwarder the grant registry trusts, as the contract says."""
    view = view_function("GrantRegistry", "trustedForwarder")
    return str(to_checksum_address(view.decode_result(node.call(grant_registry, view.calldata([]), block))["0"]))
