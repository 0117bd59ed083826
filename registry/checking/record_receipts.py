"""Receipts of records: a record as it stood at a block, which view holds it and where its events
are, so that a printed report can be checked years later against any node; and the check of one.

The format is `rnd-registry-receipt/1` with `subject: "record"` (`registry.checking.receipts`).
The check reads the record again from the reader's node, at the receipt's block when the node still
keeps that state (an archive node, or a recent block), else at its head, and compares it with the
receipt field by field (`registry.checking.records.compare`): it is the same check the browser and
`audit-copy` make, with the receipt as the copy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from registry.checking.node import Node, NodeUnavailable
from registry.checking.receipts import ReceiptContracts, ReceiptEvent, RecordReceipt
from registry.checking.records import (
    RecordComparison,
    RegistryAddresses,
    compare,
    forwarder_of,
    kind_spec,
    parse_key,
    read_evidence,
)
from registry.checking.spec import view_function


def record_events(value: Any, path: str = "") -> Iterator[ReceiptEvent]:
    """Every event a record's JSON names (its provenance, last change, and each history item's)."""
    if isinstance(value, Mapping):
        for name, inner in value.items():
            where = f"{path}.{name}" if path else name
            if name in ("provenance", "lastChange") and isinstance(inner, Mapping):
                yield ReceiptEvent(
                    field=where,
                    transaction_hash=inner["transactionHash"],
                    block_number=inner["blockNumber"],
                    log_index=inner["logIndex"],
                )
            else:
                yield from record_events(inner, where)
    elif isinstance(value, list):
        for position, inner in enumerate(value):
            yield from record_events(inner, f"{path}[{position}]")


def view_signature(kind: str) -> str:
    """The view that holds a record of `kind`, as `cast call` takes it: `getMilestone(uint32,uint32)`."""
    spec = kind_spec(kind)
    view = view_function(spec["contract"], spec["view"]["function"])
    return f"{spec['contract']}.{view.name}({','.join(view.input_types)})"


def build_record_receipt(
    kind: str,
    key: Mapping[str, Any],
    record: Mapping[str, Any],
    *,
    chain_id: int,
    grant_registry: str,
    outcome_registry: str,
    block_number: int,
    issued_by: str,
    verify_url: str | None = None,
) -> RecordReceipt:
    """A receipt of `record` (its API JSON) as a copy shows it at `block_number`: a claim, which its
    reader checks against their own node."""
    parse_key(kind, key)
    return RecordReceipt(
        chain_id=chain_id,
        contracts=ReceiptContracts(grant_registry=grant_registry, outcome_registry=outcome_registry),
        kind=kind,
        key=dict(key),
        block_number=block_number,
        view=view_signature(kind),
        expected=dict(record),
        events=tuple(record_events(record)),
        issued_at=datetime.now(UTC).replace(microsecond=0),
        issued_by=issued_by,
        verify_url=verify_url,
    )


@dataclass(frozen=True)
class RecordReceiptCheck:
    """A record receipt checked against a node: on the chain it names? at which block? and the
    comparison of the receipt's values with the record the node holds."""

    node: str
    chain_id: int
    wrong_chain: bool
    block_number: int
    at_receipt_block: bool
    comparison: RecordComparison | None

    @property
    def holds(self) -> bool:
        return not self.wrong_chain and self.comparison is not None and self.comparison.verdict == "matches"

    def words(self) -> str:
        if self.wrong_chain:
            return f"the node at {self.node} serves chain {self.chain_id}, not the receipt's"
        assert self.comparison is not None
        where = "at the receipt's block" if self.at_receipt_block else "at the node's head (it keeps no older state)"
        return f"{self.comparison.words()} — read from {self.node} {where}"


def check_record_receipt(node: Node, receipt: RecordReceipt) -> RecordReceiptCheck:
    chain_id = node.chain_id()
    head = node.head().number
    if chain_id != receipt.chain_id:
        return RecordReceiptCheck(node.url, chain_id, True, head, False, None)
    grants = receipt.contracts.grant_registry
    block = min(receipt.block_number, head)
    at_receipt_block = block == receipt.block_number
    try:
        addresses = RegistryAddresses(grants, receipt.contracts.outcome_registry, forwarder_of(node, grants, block))
        evidence = read_evidence(node, addresses, receipt.kind, receipt.key, block)
    except NodeUnavailable:
        if not at_receipt_block and block == head:
            raise
        # A node that keeps no state of that block (not an archive node) answers at its head.
        block, at_receipt_block = head, False
        addresses = RegistryAddresses(grants, receipt.contracts.outcome_registry, forwarder_of(node, grants, block))
        evidence = read_evidence(node, addresses, receipt.kind, receipt.key, block)
    comparison = compare(receipt.kind, receipt.key, receipt.expected, evidence)
    return RecordReceiptCheck(node.url, chain_id, False, block, at_receipt_block, comparison)
