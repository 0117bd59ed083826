"""Merkle batches: proofs verify, tampering fails, and the tree is OpenZeppelin's node for node."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess

import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.evidence.hashing import InvalidDocumentHash
from registry.evidence.merkle import (
    DocumentNotInBatch,
    EmptyBatch,
    MerkleTree,
    leaf_hash,
    node_hash,
    verify_proof,
)
from registry.settings import get_settings

PROPERTIES = settings(derandomize=bool(os.environ.get("CI")), deadline=None)
CROSS_CHECK_SIZES = [1, 2, 3, 5, 8, 33, 256]

document_hashes = st.binary(min_size=32, max_size=32)
batches = st.lists(document_hashes, min_size=1, max_size=64, unique=True)
batches_of_two_or_more = st.lists(document_hashes, min_size=2, max_size=64, unique=True)


def sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def flip_bit(value: bytes, bit: int) -> bytes:
    changed = bytearray(value)
    changed[bit // 8 % len(value)] ^= 1 << (bit % 8)
    return bytes(changed)


def openzeppelin_trees(batches: list[list[bytes]]) -> list[dict[str, object]]:
    """Root and per-value proofs from @openzeppelin/merkle-tree's StandardMerkleTree, via node."""
    project_root = get_settings().project_root
    if shutil.which("node") is None:
        pytest.skip("node is not installed; the OpenZeppelin cross-check needs it")
    if not (project_root / "node_modules" / "@openzeppelin" / "merkle-tree").is_dir():
        pytest.skip("node_modules/@openzeppelin/merkle-tree is missing; run `npm ci` in the project root")
    script = """
        const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');
        const batches = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        process.stdout.write(JSON.stringify(batches.map(values => {
          const tree = StandardMerkleTree.of(values.map(v => [v]), ['bytes32']);
          return { root: tree.root, proofs: values.map(v => tree.getProof([v])) };
        })));
    """
    payload = json.dumps([["0x" + value.hex() for value in batch] for batch in batches])
    result = subprocess.run(
        ["node", "-e", script], input=payload, capture_output=True, text=True, cwd=project_root, timeout=120
    )
    assert result.returncode == 0, result.stderr
    trees: list[dict[str, object]] = json.loads(result.stdout)
    return trees


def test_leaf_is_double_keccak_of_abi_encoded_hash_as_the_contract_computes() -> None:
    document_hash = sha256("doc0")

    assert leaf_hash(document_hash) == keccak(keccak(encode(["bytes32"], [document_hash])))
    # abi.encode of a bytes32 is the 32 bytes themselves.
    assert leaf_hash(document_hash) == keccak(keccak(document_hash))


@pytest.mark.parametrize(
    ("count", "root"),
    [
        (1, "9f96183f6e7e2270de7649c83870e60ac9b602a951fb370be2e8df2ae3151117"),
        (2, "4543262aa87500e2891e7d66523f927cd566df39f421f8e172ef1811e9f28bf9"),
        (3, "f3c31a10f8049dec379a4561b5934cbeb26ef417b20c079679694889fed2f023"),
    ],
)
def test_root_equals_openzeppelin_reference_vector(count: int, root: str) -> None:
    # Roots printed by @openzeppelin/merkle-tree 1.0.8 for sha256("doc0"), sha256("doc1"), ...
    tree = MerkleTree.build(sha256(f"doc{i}") for i in range(count))

    assert tree.root.hex() == root


def test_single_document_tree_has_the_leaf_as_root_and_an_empty_proof() -> None:
    document_hash = sha256("final report")

    tree = MerkleTree.build([document_hash])

    assert tree.root == leaf_hash(document_hash)
    assert tree.proof(document_hash) == []
    assert tree.leaf_count == 1
    assert verify_proof(tree.root, document_hash, [])


def test_duplicate_documents_are_merged_into_one_leaf() -> None:
    a, b = sha256("report"), sha256("invoice")

    tree = MerkleTree.build([a, b, a, a])

    assert tree.leaf_count == 2
    assert tree == MerkleTree.build([a, b])
    assert verify_proof(tree.root, a, tree.proof(a))


def test_input_order_does_not_change_the_tree() -> None:
    hashes = [sha256(f"doc{i}") for i in range(10)]

    assert MerkleTree.build(hashes).root == MerkleTree.build(reversed(hashes)).root


def test_empty_batch_is_rejected() -> None:
    with pytest.raises(EmptyBatch) as raised:
        MerkleTree.build([])

    assert raised.value.source == "the list of document hashes"


@pytest.mark.parametrize("bad", [b"", b"\x01" * 31, b"\x01" * 33])
def test_hash_that_is_not_32_bytes_is_rejected(bad: bytes) -> None:
    with pytest.raises(InvalidDocumentHash) as raised:
        MerkleTree.build([sha256("report"), bad])

    assert raised.value.text == "0x" + bad.hex()
    assert raised.value.problem == "a document hash must be 32 bytes"


def test_proof_for_a_document_outside_the_batch_raises_document_not_in_batch() -> None:
    tree = MerkleTree.build([sha256("report"), sha256("invoice")])
    stranger = sha256("press release")

    with pytest.raises(DocumentNotInBatch) as raised:
        tree.proof(stranger)

    assert (raised.value.document_hash, raised.value.root) == (stranger, tree.root)
    assert stranger not in tree


def test_node_hash_is_commutative() -> None:
    a, b = sha256("a"), sha256("b")

    assert node_hash(a, b) == node_hash(b, a) == keccak(min(a, b) + max(a, b))


def test_malformed_root_hash_or_proof_fails_verification_without_raising() -> None:
    a, b = sha256("report"), sha256("invoice")
    tree = MerkleTree.build([a, b])
    proof = tree.proof(a)

    assert verify_proof(tree.root, a, proof)
    assert verify_proof(tree.root[:31], a, proof) is False
    assert verify_proof(tree.root, a + b"\x00", proof) is False
    assert verify_proof(tree.root, a, [proof[0][:16]]) is False


@PROPERTIES
@given(batches)
def test_every_member_proof_verifies(hashes: list[bytes]) -> None:
    tree = MerkleTree.build(hashes)

    for document_hash in hashes:
        assert verify_proof(tree.root, document_hash, tree.proof(document_hash))


@PROPERTIES
@given(batches, st.data())
def test_changed_leaf_fails_verification(hashes: list[bytes], data: st.DataObject) -> None:
    tree = MerkleTree.build(hashes)
    document_hash = data.draw(st.sampled_from(hashes))
    changed = flip_bit(document_hash, data.draw(st.integers(0, 255)))

    assert not verify_proof(tree.root, changed, tree.proof(document_hash))


@PROPERTIES
@given(batches_of_two_or_more, st.data())
def test_changed_proof_element_fails_verification(hashes: list[bytes], data: st.DataObject) -> None:
    tree = MerkleTree.build(hashes)
    document_hash = data.draw(st.sampled_from(hashes))
    proof = tree.proof(document_hash)
    position = data.draw(st.integers(0, len(proof) - 1))
    proof[position] = flip_bit(proof[position], data.draw(st.integers(0, 255)))

    assert not verify_proof(tree.root, document_hash, proof)


@PROPERTIES
@given(batches_of_two_or_more, st.data())
def test_dropped_or_added_proof_element_fails_verification(hashes: list[bytes], data: st.DataObject) -> None:
    tree = MerkleTree.build(hashes)
    document_hash = data.draw(st.sampled_from(hashes))
    proof = tree.proof(document_hash)
    extra = data.draw(document_hashes)

    assert not verify_proof(tree.root, document_hash, proof[:-1])
    assert not verify_proof(tree.root, document_hash, [*proof, extra])


@PROPERTIES
@given(batches, document_hashes)
def test_proof_of_a_non_member_against_the_root_fails(hashes: list[bytes], stranger: bytes) -> None:
    tree = MerkleTree.build(hashes)
    if stranger in tree:
        return

    assert not verify_proof(tree.root, stranger, tree.proof(hashes[0]))


def test_root_and_proofs_equal_openzeppelin_merkle_tree() -> None:
    generator = random.Random(20210325)
    batches = [[generator.randbytes(32) for _ in range(size)] for size in CROSS_CHECK_SIZES]

    expected = openzeppelin_trees(batches)

    for batch, reference in zip(batches, expected, strict=True):
        tree = MerkleTree.build(batch)
        assert "0x" + tree.root.hex() == reference["root"], f"root differs for {len(batch)} documents"
        proofs = [["0x" + element.hex() for element in tree.proof(value)] for value in batch]
        assert proofs == reference["proofs"], f"proofs differ for {len(batch)} documents"
