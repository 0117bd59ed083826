"""Documents anchored on the session chain, with their receipts, for the checking tests: one anchored
on its own, one in a batch, one as an outcome's evidence (logged by the outcome registry); and the
lies a receipt can tell, each one change to an honest receipt."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from registry.checking.documents import BatchHolding, issue_document_receipt
from registry.checking.node import Node
from registry.checking.receipts import DocumentReceipt
from registry.evidence.merkle import MerkleTree
from tests.helpers.registry import NO_DETAILS, RegistryHarness

DOCUMENT = b"%PDF-1.7 interim report of project 1, 2021-09-30\n"
BATCHED = [b"test results, run 1", b"photo of the prototype", b"final report"]


def sha256(content: bytes) -> bytes:
    return hashlib.sha256(content).digest()


@dataclass(frozen=True)
class Anchored:
    """A document on the chain and the honest receipt of it."""

    content: bytes
    receipt: DocumentReceipt


def reader_for(registry: RegistryHarness) -> Node:
    return Node(str(registry.w3.provider.endpoint_uri))  # type: ignore[attr-defined]


def anchor_document(registry: RegistryHarness, content: bytes = DOCUMENT) -> Anchored:
    registry.send(registry.actors.member, registry.grants.functions.anchorDocument(sha256(content)))
    return Anchored(content, issue(registry, sha256(content), []))


def anchor_batch(registry: RegistryHarness, contents: list[bytes] = BATCHED) -> Anchored:
    """A batch of documents; the receipt is of the first."""
    tree = MerkleTree.build(sha256(c) for c in contents)
    manifest_hash = sha256(b"manifest of " + tree.root)
    call = registry.grants.functions.anchorBatch(tree.root, tree.leaf_count, manifest_hash)
    registry.send(registry.actors.member, call)
    digest = sha256(contents[0])
    holding = BatchHolding(tree.root, "results/run-1.txt", tuple(tree.proof(digest)))
    return Anchored(contents[0], issue(registry, digest, [holding]))


def anchor_outcome_evidence(registry: RegistryHarness) -> Anchored:
    """An outcome's evidence: the outcome registry logs it, the grant registry's anchor book keeps it."""
    content = b"patent application 10-2021-0012345"
    project = registry.funded_project()
    call = registry.outcomes.functions.addOutcome(project, 2, "10-2021-0012345", NO_DETAILS, sha256(content))
    registry.send(registry.actors.company_a, call)
    return Anchored(content, issue(registry, sha256(content), []))


def issue(registry: RegistryHarness, digest: bytes, batches: list[BatchHolding]) -> DocumentReceipt:
    return issue_document_receipt(
        reader_for(registry),
        registry.grants.address,
        [registry.grants.address, registry.outcomes.address],
        digest,
        batches,
        issued_by="tests",
    )


def changed(receipt: DocumentReceipt, change: dict[str, Any]) -> DocumentReceipt:
    """The receipt with `change` (camelCase, nested dicts merge; `batches` replaces the first batch's fields)."""
    data = json.loads(receipt.to_json())
    for key, value in change.items():
        if key == "anchoring" and isinstance(value, dict):
            data["anchoring"] = data["anchoring"] | value
        elif key == "batch" and isinstance(value, dict):
            data["batches"][0] = data["batches"][0] | value
        else:
            data[key] = value
    return DocumentReceipt.model_validate(data)


def flipped(hex_value: str) -> str:
    """The 0x hex with its last digit changed."""
    last = hex_value[-1]
    return hex_value[:-1] + ("0" if last != "0" else "1")
