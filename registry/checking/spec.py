"""The record specification (`records.json`) and the registry's ABIs (`abi.json`), as the checkers
read them: how each record is read from the chain alone, and how to encode its calls and decode its
events with eth-abi, without a deployment manifest.

`records.json` is shared with the browser's check (`registry/web/static/chain-check.js`), which
interprets the same file; `abi.json` holds the views and events of the three contracts as compiled
(a test compares it with the compiler's output).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from eth_abi.abi import decode, encode
from eth_utils.abi import collapse_if_tuple, event_abi_to_log_topic, function_abi_to_4byte_selector

HERE = Path(__file__).resolve().parent
RECORD_SPEC_PATH = HERE / "records.json"
ABI_PATH = HERE / "abi.json"
CONTRACTS = ("GrantRegistry", "OutcomeRegistry", "RegistryForwarder")


@cache
def record_spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(RECORD_SPEC_PATH.read_text(encoding="utf-8"))
    return spec


@cache
def registry_abi() -> dict[str, list[dict[str, Any]]]:
    abi: dict[str, list[dict[str, Any]]] = json.loads(ABI_PATH.read_text(encoding="utf-8"))
    return abi


def _named(components: list[dict[str, Any]], values: tuple[Any, ...] | list[Any]) -> dict[str, Any]:
    """A decoded tuple as a dict by component name (nested structs too)."""
    named: dict[str, Any] = {}
    for position, (component, value) in enumerate(zip(components, values, strict=True)):
        name = component.get("name") or str(position)
        if component["type"] == "tuple":
            value = _named(component["components"], value)
        named[name] = value
    return named


@dataclass(frozen=True)
class ViewFunction:
    """A view of one contract: its calldata, and its result as named values."""

    contract: str
    name: str
    entry: dict[str, Any]

    @property
    def input_types(self) -> list[str]:
        return [collapse_if_tuple(dict(i)) for i in self.entry["inputs"]]

    def calldata(self, arguments: list[Any]) -> str:
        selector = function_abi_to_4byte_selector(self.entry)  # type: ignore[arg-type]
        return "0x" + (selector + encode(self.input_types, arguments)).hex()

    def decode_result(self, result: str) -> dict[str, Any]:
        """The returned values by name: a struct returned alone is its fields (`budget`, `name`...),
        unnamed single values are `0`, `1`..."""
        outputs = self.entry["outputs"]
        values = decode([collapse_if_tuple(dict(o)) for o in outputs], bytes.fromhex(result.removeprefix("0x")))
        if len(outputs) == 1 and outputs[0]["type"] == "tuple":
            return _named(outputs[0]["components"], values[0])
        return _named(outputs, values)


@dataclass(frozen=True)
class EventType:
    """An event of one contract: its topic and how to decode a log of it into named arguments."""

    contract: str
    name: str
    entry: dict[str, Any]

    @property
    def topic0(self) -> bytes:
        return bytes(event_abi_to_log_topic(self.entry))  # type: ignore[arg-type]

    @property
    def indexed(self) -> list[dict[str, Any]]:
        return [i for i in self.entry["inputs"] if i.get("indexed")]

    def topic_for(self, argument: str, value: Any) -> bytes:
        """The topic an indexed argument is logged as (value types only, as the registry indexes)."""
        entry = next(i for i in self.indexed if i["name"] == argument)
        return encode([entry["type"]], [value])

    def decode_log(self, topics: list[bytes], data: bytes) -> dict[str, Any]:
        indexed = self.indexed
        if len(topics) != len(indexed) + 1 or topics[0] != self.topic0:
            raise ValueError(f"not a {self.name} log")
        args: dict[str, Any] = {}
        for entry, topic in zip(indexed, topics[1:], strict=True):
            args[entry["name"]] = decode([entry["type"]], topic)[0]
        plain = [i for i in self.entry["inputs"] if not i.get("indexed")]
        values = decode([collapse_if_tuple(dict(i)) for i in plain], data)
        args.update(_named(plain, values))
        return args


@cache
def view_function(contract: str, name: str) -> ViewFunction:
    entry = next(e for e in registry_abi()[contract] if e["type"] == "function" and e["name"] == name)
    return ViewFunction(contract, name, entry)


@cache
def event_type(contract: str, name: str) -> EventType:
    entry = next(e for e in registry_abi()[contract] if e["type"] == "event" and e["name"] == name)
    return EventType(contract, name, entry)


@cache
def events_by_topic() -> dict[tuple[str, bytes], EventType]:
    """Every event of the three contracts by (contract name, topic0)."""
    found = {}
    for contract, entries in registry_abi().items():
        for entry in entries:
            if entry["type"] == "event":
                event = EventType(contract, entry["name"], entry)
                found[(contract, event.topic0)] = event
    return found
