"""Auditing a whole copy of the registry against the chain: every record the chain holds and every
record the copy lists, each compared field by field at one block (`rnd-registry audit-copy`).

The records to look at are the union of both sides: the chain's (counted by its views, listed by
its events), so that a record the copy left out is found; and the copy's, so that a record it made
up is found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from eth_utils.address import to_checksum_address

from registry.checking.copies import ROUTES, ApiCopy, key_of
from registry.checking.node import Node
from registry.checking.records import (
    RECORD_KINDS,
    RecordComparison,
    RegistryAddresses,
    compare,
    decode_log,
    read_evidence,
)
from registry.checking.spec import event_type, view_function
from registry.errors import RegistryError


class NotTheRegistry(RegistryError):
    """The addresses given are not one registry on the chain asked."""


@dataclass(frozen=True)
class AuditScope:
    """What to audit: every kind, or one; every record of it, or one key."""

    kinds: tuple[str, ...] = RECORD_KINDS
    key: dict[str, Any] | None = None


def check_addresses(node: Node, addresses: RegistryAddresses, block: int, code_hashes: dict[str, str] | None) -> None:
    """Raises `NotTheRegistry` unless the outcome registry names this grant registry, and, when the
    deployment's code hashes are known, the code at each address is the registry's."""
    from eth_utils.crypto import keccak

    for name, address in (("GrantRegistry", addresses.grant_registry), ("OutcomeRegistry", addresses.outcome_registry)):
        code = node.code(address, block)
        if not code:
            raise NotTheRegistry(f"there is no contract at {address} ({name}) on the chain at {node.url}")
        expected = (code_hashes or {}).get(name)
        if expected is not None and "0x" + keccak(code).hex() != expected.lower():
            raise NotTheRegistry(
                f"the code at {address} on the chain at {node.url} is not the {name} the deployment manifest names "
                f"(keccak256 {('0x' + keccak(code).hex())[:18]}…, expected {expected[:18]}…)"
            )
    view = view_function("OutcomeRegistry", "grantRegistry")
    named = view.decode_result(node.call(addresses.outcome_registry, view.calldata([]), block))["0"]
    if to_checksum_address(named) != to_checksum_address(addresses.grant_registry):
        raise NotTheRegistry(
            f"the outcome registry at {addresses.outcome_registry} belongs to the grant registry {named}, "
            f"not {addresses.grant_registry}"
        )


def chain_keys(node: Node, addresses: RegistryAddresses, kind: str, block: int) -> Iterator[dict[str, Any]]:
    """The keys of every record of `kind` the chain holds at `block`."""

    def count(contract: str, function: str) -> int:
        view = view_function(contract, function)
        return int(view.decode_result(node.call(addresses.of(contract), view.calldata([]), block))["0"])

    def logged(contract: str, event: str) -> Iterable[dict[str, Any]]:
        topic = "0x" + event_type(contract, event).topic0.hex()
        for raw in node.logs(addresses.of(contract), [topic], addresses.first_block, block):
            found = decode_log(contract, raw)
            if found is not None:
                yield found.args

    if kind == "program":
        yield from ({"programId": n} for n in range(1, count("GrantRegistry", "programCount") + 1))
    elif kind == "project":
        yield from ({"projectId": n} for n in range(1, count("GrantRegistry", "projectCount") + 1))
    elif kind == "milestone":
        for args in logged("GrantRegistry", "MilestonePlanned"):
            yield {"projectId": args["projectId"], "milestoneIndex": args["milestoneIndex"]}
    elif kind == "evaluation":
        yield from ({"auditId": n} for n in range(1, count("GrantRegistry", "auditCount") + 1))
    elif kind == "outcome":
        yield from ({"outcomeId": n} for n in range(1, count("OutcomeRegistry", "outcomeCount") + 1))
    elif kind == "report":
        yield from ({"reportId": n} for n in range(1, count("OutcomeRegistry", "reportCount") + 1))
    elif kind == "role-member":
        seen = set()
        for args in logged("GrantRegistry", "RoleGranted"):
            key = ("0x" + bytes(args["role"]).hex(), str(to_checksum_address(args["account"])))
            if key not in seen:
                seen.add(key)
                yield {"roleId": key[0], "account": key[1]}
    elif kind == "company-account":
        accounts = dict.fromkeys(
            str(to_checksum_address(a["account"])) for a in logged("GrantRegistry", "CompanyAccountBound")
        )
        yield from ({"account": account} for account in accounts)
    elif kind == "company-restriction":
        companies = dict.fromkeys(
            "0x" + bytes(a["companyId"]).hex() for a in logged("GrantRegistry", "CompanyRestrictionSet")
        )
        yield from ({"companyId": company} for company in companies)
    elif kind == "batch":
        yield from ({"root": "0x" + bytes(a["root"]).hex()} for a in logged("GrantRegistry", "BatchAnchored"))


def _normal(key: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, str(v).lower()) for k, v in key.items()))


def audit_copy(
    node: Node,
    addresses: RegistryAddresses,
    copy: ApiCopy,
    block: int,
    scope: AuditScope = AuditScope(),
    *,
    progress: Callable[[str, int], None] | None = None,
) -> Iterator[RecordComparison]:
    """Each record of the scope, the copy's against the chain's at `block`."""
    for kind in scope.kinds:
        listed: dict[tuple[tuple[str, str], ...], dict[str, Any]] = {}
        if scope.key is not None:
            keys = [scope.key]
        else:
            listed = {_normal(key_of(kind, item)): item for item in copy.items(kind)}
            on_chain = {_normal(k): k for k in chain_keys(node, addresses, kind, block)}
            keys = list({**{n: key_of(kind, i) for n, i in listed.items()}, **on_chain}.values())
        detailed = ROUTES[kind].detail_path is not None
        for number, key in enumerate(keys):
            if progress is not None:
                progress(kind, number)
            found = copy.record(kind, key) if detailed or scope.key is not None else listed.get(_normal(key))
            yield compare(kind, key, found, read_evidence(node, addresses, kind, key, block))
