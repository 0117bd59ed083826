"""Auditing a whole copy of the registry against the chain: every record the chain holds and every
record the copy lists, each compared field by field at one block (`rnd-registry audit-copy`).

The records to look at are the union of both sides: the chain's (counted by its views, listed by
its events), so that a record the copy left out is found; and the copy's, so that a record it made
up is found.

Besides the record kinds of `records.json`, the audit covers the anchor book (kind `document`): each
document the copy lists (`/api/v1/documents`) or a chain event cites, its first anchoring
(`anchorOf` and the event that made it) and the events citing it, against what the copy's verify
answer says of both (a forged anchoring, a citation the chain never made, one the copy left out).
What each citation is attributed to (record type and id) is not compared: it is listed unchecked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from eth_utils.address import to_checksum_address

from registry.checking.citations import CITING_ARGUMENTS, FoundCitation, citations_by_document
from registry.checking.copies import ROUTES, ApiCopy, key_of
from registry.checking.node import Node
from registry.checking.receipts import kind_name
from registry.checking.records import (
    RECORD_KINDS,
    RecordComparison,
    RegistryAddresses,
    compare,
    compare_values,
    decode_log,
    iso_time,
    read_evidence,
)
from registry.checking.spec import event_type, view_function
from registry.domain.enums import AnchorKind
from registry.errors import RegistryError

DOCUMENT = "document"
#: What `audit-copy` compares: every record kind, and the anchor book's documents.
AUDIT_KINDS = (*RECORD_KINDS, DOCUMENT)

#: The citations a copy lists: a batch's manifest hash belongs to the batch (kind `batch`), not to
#: the documents' citations.
_COPY_CITATIONS = tuple(event for event in CITING_ARGUMENTS if event != ("GrantRegistry", "BatchAnchored"))


class NotTheRegistry(RegistryError):
    """The addresses given are not one registry on the chain asked."""


@dataclass(frozen=True)
class AuditScope:
    """What to audit: every kind, or one; every record of it, or one key."""

    kinds: tuple[str, ...] = AUDIT_KINDS
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
    elif kind == "company":
        named = dict.fromkeys("0x" + bytes(a["companyId"]).hex() for a in logged("GrantRegistry", "CompanyNamed"))
        yield from ({"companyId": company} for company in named)
    elif kind == "objection":
        yield from ({"objectionId": n} for n in range(1, count("OutcomeRegistry", "objectionCount") + 1))
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
        if kind == DOCUMENT:
            yield from _audit_documents(node, addresses, copy, block, scope.key, progress)
            continue
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


def parse_document_key(key: dict[str, Any]) -> bytes:
    """A document's key (`{"sha256": "0x..."}`) as its hash; raises ValueError naming what is wrong."""
    if set(key) != {"sha256"}:
        raise ValueError(f"a document is known by sha256, not {', '.join(key) or 'nothing'}")
    text = str(key["sha256"]).lower()
    if not (text.startswith("0x") and len(text) == 66 and all(c in "0123456789abcdef" for c in text[2:])):
        raise ValueError(f"sha256 must be 0x and 64 hex digits, not {key['sha256']!r}")
    return bytes.fromhex(text[2:])


def _audit_documents(
    node: Node,
    addresses: RegistryAddresses,
    copy: ApiCopy,
    block: int,
    key: dict[str, Any] | None,
    progress: Callable[[str, int], None] | None,
) -> Iterator[RecordComparison]:
    only = parse_document_key(key) if key is not None else None
    cited = citations_by_document(node, addresses, block, events=_COPY_CITATIONS, only=only)
    if only is not None:
        digests = [only]
    else:
        listed = [bytes.fromhex(str(item["sha256"])[2:]) for item in copy.items(DOCUMENT)]
        digests = list(dict.fromkeys([*cited, *listed]))
    chain_id = node.chain_id()
    for number, digest in enumerate(digests):
        if progress is not None:
            progress(DOCUMENT, number)
        shown = {"sha256": "0x" + digest.hex()}
        answer = copy.record(DOCUMENT, shown)
        chain = _chain_document(node, addresses, digest, cited.get(digest, []), block, chain_id)
        yield compare_values(DOCUMENT, shown, _copy_document(answer), chain, chain_id, block)


def _copy_document(answer: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a verify answer says the copy holds: its anchor book entry and the events citing it (the
    answer's live check and verdict are the server's reading of the chain, not the copy's claim)."""
    if answer is None or (not answer.get("copyAnchored") and not answer.get("citations")):
        return None
    first = answer.get("firstAnchoring")
    return {
        "firstAnchoring": None if first is None else {k: v for k, v in first.items() if k != "provenance"}
        | {"provenance": _claimed_event(first.get("provenance"))},
        "citations": [
            {k: v for k, v in citation.items() if k not in ("check", "recordPath")}
            | {"provenance": _claimed_event(citation.get("provenance"))}
            for citation in answer.get("citations", [])
        ],
    }


def _claimed_event(provenance: Any) -> Any:
    """The copy's provenance without its signer (who signed a relayed call is not read here)."""
    return {k: v for k, v in provenance.items() if k != "signer"} if isinstance(provenance, dict) else provenance


def _event_provenance(citation: FoundCitation, chain_id: int) -> dict[str, Any]:
    event = citation.event
    return {"chainId": chain_id, "contract": event.address, "transactionHash": "0x" + event.transaction_hash.hex(),
            "blockNumber": event.block_number, "blockTime": iso_time(citation.block_time),
            "logIndex": event.log_index}  # fmt: skip


def _chain_document(
    node: Node, addresses: RegistryAddresses, digest: bytes, cited: list[FoundCitation], block: int, chain_id: int
) -> dict[str, Any] | None:
    view = view_function("GrantRegistry", "anchorOf")
    entry = view.decode_result(node.call(addresses.grant_registry, view.calldata([digest]), block))
    by, timestamp, anchored_block, kind = (entry[name] for name in list(entry)[:4])
    first = None
    if int(anchored_block) != 0:
        anchoring = next((c for c in cited if c.event.block_number == int(anchored_block)), None)
        first = {
            "anchoredBy": str(to_checksum_address(by)),
            "anchoredAt": iso_time(int(timestamp)),
            "kind": kind_name(AnchorKind(int(kind))),
            "provenance": _event_provenance(anchoring, chain_id) if anchoring else {"blockNumber": int(anchored_block)},
        }
    if first is None and not cited:
        return None
    return {
        "firstAnchoring": first,
        "citations": [
            {"event": c.event.name, "actor": c.actor, "provenance": _event_provenance(c, chain_id)} for c in cited
        ],
    }
