"""Turns the raw revert data of a registry call into a `ContractRevert` naming the custom error.

One decoder for every registry contract: the outcome registry passes on the grant registry's
errors, and the forwarder passes on both, so selectors are looked up in the union of their ABIs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eth_abi.abi import decode as abi_decode
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from web3.exceptions import ContractLogicError

from registry.errors import ContractRevert

# Solidity's built-in errors: `revert("text")` and compiler panics.
_BUILTIN = {
    keccak(text="Error(string)")[:4]: ("Error", [("message", "string")]),
    keccak(text="Panic(uint256)")[:4]: ("Panic", [("code", "uint256")]),
}


def _canonical_type(entry: dict[str, Any]) -> str:
    kind = str(entry["type"])
    if kind.startswith("tuple"):
        inner = ",".join(_canonical_type(c) for c in entry["components"])
        return f"({inner}){kind[len('tuple') :]}"
    return kind


class RevertDecoder:
    """Knows every custom error of the given ABIs by its 4-byte selector."""

    def __init__(self, abis: Iterable[list[dict[str, Any]]]) -> None:
        self._errors: dict[bytes, tuple[str, list[tuple[str, str]]]] = dict(_BUILTIN)
        for abi in abis:
            for entry in abi:
                if entry.get("type") != "error":
                    continue
                inputs = [(i["name"] or f"arg{n}", _canonical_type(i)) for n, i in enumerate(entry["inputs"])]
                signature = f"{entry['name']}({','.join(t for _, t in inputs)})"
                self._errors[keccak(text=signature)[:4]] = (entry["name"], inputs)

    def decode(self, data: bytes) -> ContractRevert:
        """The error named by `data`'s selector, with its arguments decoded."""
        if len(data) < 4:
            return ContractRevert("EmptyRevert", {}, data)
        known = self._errors.get(data[:4])
        if known is None:
            return ContractRevert("UnknownError", {"selector": data[:4], "data": data[4:]}, data)
        name, inputs = known
        values = abi_decode([t for _, t in inputs], data[4:]) if inputs else ()
        args = {arg: _normalize(value, t) for (arg, t), value in zip(inputs, values, strict=True)}
        return ContractRevert(name, args, data)

    def from_exception(self, exc: ContractLogicError) -> ContractRevert:
        """The decoded error behind a web3 revert exception."""
        return self.decode(revert_data(exc))


def revert_data(exc: ContractLogicError) -> bytes:
    """The raw revert bytes carried by a web3 revert exception."""
    data = exc.data
    if isinstance(data, dict):
        data = data.get("data") or ""
    if not data:
        return b""
    text = str(data)
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)


def _normalize(value: Any, abi_type: str) -> Any:
    if abi_type == "address":
        return to_checksum_address(value)
    return value
