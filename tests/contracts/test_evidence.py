"""Evidence anchoring (contracts/grants/EvidenceAnchoring.sol): single documents, Merkle batches, and
on-chain membership checks of proofs built by `registry.evidence.merkle`."""

from __future__ import annotations

import random
from typing import Any

import pytest

from registry.domain.enums import AnchorKind
from registry.evidence.merkle import MerkleTree, verify_proof
from tests.helpers.registry import RegistryHarness, doc, stored

ZERO = bytes(32)
NO_ACCOUNT = "0x" + "00" * 20
SAMPLE = 20  # members checked on chain in the largest batch


def block_of(registry: RegistryHarness, receipt: Any) -> tuple[int, int]:
    """(timestamp, number) of the block that mined `receipt`."""
    number = int(receipt["blockNumber"])
    return int(registry.w3.eth.get_block(number)["timestamp"]), number


def anchor(registry: RegistryHarness, document_hash: bytes) -> dict[str, Any]:
    return stored(registry.grants.functions.anchorOf(document_hash))


def batch(registry: RegistryHarness, root: bytes) -> dict[str, Any]:
    return stored(registry.grants.functions.batchOf(root))


def flip(value: bytes) -> bytes:
    """`value` with its last bit changed."""
    return value[:-1] + bytes([value[-1] ^ 1])


# single documents --------------------------------------------------------------------------------


@pytest.mark.parametrize("anchorer", ["member", "company_a", "auditor", "admin"])
def test_anchor_document_records_who_and_when(registry: RegistryHarness, anchorer: str) -> None:
    account = getattr(registry.actors, anchorer)
    document = doc(f"minutes-by-{anchorer}")
    receipt = registry.send(account, registry.grants.functions.anchorDocument(document))

    assert registry.event(receipt, registry.grants, "DocumentAnchored") == {
        "documentHash": document,
        "anchoredBy": account,
    }
    timestamp, number = block_of(registry, receipt)
    assert anchor(registry, document) == {
        "anchoredBy": account,
        "timestamp": timestamp,
        "blockNumber": number,
        "kind": AnchorKind.DOCUMENT,
    }


def test_never_anchored_document_reads_as_all_zero(registry: RegistryHarness) -> None:
    assert anchor(registry, doc("unknown")) == {
        "anchoredBy": NO_ACCOUNT,
        "timestamp": 0,
        "blockNumber": 0,
        "kind": AnchorKind.NONE,
    }


def test_document_is_anchored_once_and_keeps_its_first_anchor(registry: RegistryHarness) -> None:
    document = doc("contract-scan")
    receipt = registry.send(registry.actors.member, registry.grants.functions.anchorDocument(document))
    first = anchor(registry, document)
    registry.advance(3600)
    for account in (registry.actors.member, registry.actors.company_b, registry.actors.admin):
        registry.reverts(
            account,
            registry.grants.functions.anchorDocument(document),
            "EvidenceAlreadyAnchored",
            documentHash=document,
            blockNumber=receipt["blockNumber"],
        )
    assert anchor(registry, document) == first


def test_document_a_record_refers_to_is_already_anchored(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    index = registry.plan_milestone(project)
    evidence = doc("milestone-evidence")
    receipt = registry.send(
        registry.actors.company_a, registry.grants.functions.submitMilestone(project, index, [evidence])
    )
    registry.reverts(
        registry.actors.member,
        registry.grants.functions.anchorDocument(evidence),
        "EvidenceAlreadyAnchored",
        documentHash=evidence,
        blockNumber=receipt["blockNumber"],
    )
    assert anchor(registry, evidence)["kind"] == AnchorKind.MILESTONE_EVIDENCE


def test_zero_document_hash_is_refused(registry: RegistryHarness) -> None:
    registry.reverts(registry.actors.member, registry.grants.functions.anchorDocument(ZERO), "EvidenceHashZero")


# batches -----------------------------------------------------------------------------------------


def test_anchor_batch_records_root_who_and_when(registry: RegistryHarness) -> None:
    member = registry.actors.member
    root, manifest = doc("root"), doc("manifest")
    receipt = registry.send(member, registry.grants.functions.anchorBatch(root, 42, manifest))

    assert registry.event(receipt, registry.grants, "BatchAnchored") == {
        "root": root,
        "anchoredBy": member,
        "leafCount": 42,
        "manifestHash": manifest,
    }
    timestamp, number = block_of(registry, receipt)
    assert batch(registry, root) == {"anchoredBy": member, "timestamp": timestamp, "blockNumber": number}
    # A batch root lives in the batch book only; the documents' own anchor book is untouched.
    assert anchor(registry, root)["blockNumber"] == 0
    assert anchor(registry, manifest)["blockNumber"] == 0


def test_never_anchored_batch_reads_as_all_zero(registry: RegistryHarness) -> None:
    assert batch(registry, doc("no-such-root")) == {
        "anchoredBy": NO_ACCOUNT,
        "timestamp": 0,
        "blockNumber": 0,
    }


def test_batch_is_anchored_once(registry: RegistryHarness) -> None:
    root = doc("root")
    receipt = registry.send(registry.actors.member, registry.grants.functions.anchorBatch(root, 3, doc("m1")))
    first = batch(registry, root)
    for account in (registry.actors.member, registry.actors.company_a):
        registry.reverts(
            account,
            registry.grants.functions.anchorBatch(root, 4, doc("m2")),
            "EvidenceBatchAlreadyAnchored",
            root=root,
            blockNumber=receipt["blockNumber"],
        )
    assert batch(registry, root) == first


def test_batch_needs_at_least_one_document(registry: RegistryHarness) -> None:
    registry.reverts(
        registry.actors.member,
        registry.grants.functions.anchorBatch(doc("root"), 0, doc("m")),
        "EvidenceBatchEmpty",
    )
    assert batch(registry, doc("root"))["blockNumber"] == 0


def test_zero_batch_root_is_refused(registry: RegistryHarness) -> None:
    registry.reverts(
        registry.actors.member, registry.grants.functions.anchorBatch(ZERO, 1, doc("m")), "EvidenceHashZero"
    )


# Merkle membership -------------------------------------------------------------------------------


def _anchored_tree(registry: RegistryHarness, size: int) -> MerkleTree:
    """A tree over `size` random document hashes whose root the member anchored."""
    rng = random.Random(f"batch-{size}")
    tree = MerkleTree.build([rng.randbytes(32) for _ in range(size)])
    assert tree.leaf_count == size
    receipt = registry.send(
        registry.actors.member,
        registry.grants.functions.anchorBatch(tree.root, tree.leaf_count, doc(f"manifest-{size}")),
    )
    assert registry.event(receipt, registry.grants, "BatchAnchored")["leafCount"] == size
    return tree


def _members(tree: MerkleTree, size: int) -> list[bytes]:
    members = list(tree.document_hashes)
    return members if size <= SAMPLE else random.Random(size).sample(members, SAMPLE)


@pytest.mark.parametrize("size", [1, 2, 7, 256])
def test_every_member_of_an_anchored_batch_verifies_on_chain(registry: RegistryHarness, size: int) -> None:
    tree = _anchored_tree(registry, size)
    verify = registry.grants.functions.verifyBatchMember
    for document in _members(tree, size):
        proof = tree.proof(document)
        assert verify_proof(tree.root, document, proof)
        assert verify(tree.root, document, proof).call() is True


@pytest.mark.parametrize("size", [1, 2, 7, 256])
def test_changed_document_hash_does_not_verify(registry: RegistryHarness, size: int) -> None:
    tree = _anchored_tree(registry, size)
    verify = registry.grants.functions.verifyBatchMember
    for document in _members(tree, size)[:5]:
        proof = tree.proof(document)
        assert not verify_proof(tree.root, flip(document), proof)
        assert verify(tree.root, flip(document), proof).call() is False


@pytest.mark.parametrize("size", [2, 7, 256])
def test_changed_proof_element_does_not_verify(registry: RegistryHarness, size: int) -> None:
    tree = _anchored_tree(registry, size)
    verify = registry.grants.functions.verifyBatchMember
    for document in _members(tree, size)[:5]:
        proof = tree.proof(document)
        for position in sorted({0, len(proof) - 1}):
            tampered = [flip(e) if i == position else e for i, e in enumerate(proof)]
            assert not verify_proof(tree.root, document, tampered)
            assert verify(tree.root, document, tampered).call() is False
        assert verify(tree.root, document, proof[:-1]).call() is False  # a shortened proof


def test_single_document_batch_refuses_any_non_empty_proof(registry: RegistryHarness) -> None:
    tree = _anchored_tree(registry, 1)
    (document,) = tree.document_hashes
    assert tree.proof(document) == []
    assert registry.grants.functions.verifyBatchMember(tree.root, document, [doc("extra")]).call() is False


def test_valid_proof_against_a_root_never_anchored_does_not_verify(registry: RegistryHarness) -> None:
    tree = MerkleTree.build([doc(f"unanchored-{n}") for n in range(7)])
    document = tree.document_hashes[3]
    proof = tree.proof(document)
    assert verify_proof(tree.root, document, proof)  # mathematically sound, but not on chain
    assert registry.grants.functions.verifyBatchMember(tree.root, document, proof).call() is False

    registry.send(registry.actors.company_a, registry.grants.functions.anchorBatch(tree.root, 7, doc("manifest")))
    assert registry.grants.functions.verifyBatchMember(tree.root, document, proof).call() is True


def test_member_of_one_batch_is_not_a_member_of_another(registry: RegistryHarness) -> None:
    small = _anchored_tree(registry, 7)
    large = _anchored_tree(registry, 256)
    document = small.document_hashes[0]
    assert document not in large
    assert registry.grants.functions.verifyBatchMember(large.root, document, small.proof(document)).call() is False
