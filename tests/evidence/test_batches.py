"""Batch members from manifests in the document store: listed only when the manifest is the batch's
and rebuilds its root, with proofs the Merkle check accepts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from registry.evidence.batches import (
    BatchDocumentChanged,
    batch_member,
    batch_members,
    store_batch,
    stored_manifest,
)
from registry.evidence.hashing import sha256_bytes
from registry.evidence.merkle import MerkleTree, verify_proof
from registry.evidence.proofs import BatchManifest, build_batch
from registry.evidence.store import DocumentStore


@pytest.fixture
def store(tmp_path: Path) -> DocumentStore:
    return DocumentStore(tmp_path / "documents")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "minutes"
    (root / "2021").mkdir(parents=True)
    (root / "a.txt").write_text("first meeting\n")
    (root / "b.txt").write_text("second meeting\n")
    (root / "2021" / "copy-of-a.txt").write_text("first meeting\n")  # the same document under two paths
    (root / "2021" / "c.txt").write_text("site visit\n")
    return root


def test_a_stored_batch_lists_every_distinct_document_in_leaf_order_with_proofs_that_verify(
    store: DocumentStore, folder: Path
) -> None:
    manifest, tree, _ = build_batch(folder)
    store_batch(store, folder, manifest, "manifest.json")
    members = batch_members(store, tree.root, manifest.manifest_hash)
    assert [m.document_hash for m in members] == list(tree.document_hashes)
    assert [m.position for m in members] == [0, 1, 2]
    # A document under two paths is one leaf, named by the manifest's first path (sorted: 2021/ first).
    assert {m.path for m in members} == {"2021/copy-of-a.txt", "b.txt", "2021/c.txt"}
    for member in members:
        assert member.root == tree.root
        assert verify_proof(tree.root, member.document_hash, member.proof)
        assert member == batch_member(store, tree.root, manifest.manifest_hash, member.document_hash)
    for entry in manifest.documents:
        assert store.has(entry.sha256)


def test_a_batch_whose_manifest_is_not_stored_has_no_known_members(store: DocumentStore, folder: Path) -> None:
    manifest, tree, _ = build_batch(folder)
    assert stored_manifest(store, manifest.manifest_hash) is None
    assert batch_members(store, tree.root, manifest.manifest_hash) == []
    assert batch_member(store, tree.root, manifest.manifest_hash, manifest.documents[0].sha256) is None


def test_a_manifest_of_another_root_lists_nothing_for_this_root(store: DocumentStore, folder: Path) -> None:
    manifest, _, _ = build_batch(folder)
    store_batch(store, folder, manifest, "manifest.json")
    other_root = MerkleTree.build([sha256_bytes(b"something else")]).root
    assert batch_members(store, other_root, manifest.manifest_hash) == []
    assert batch_member(store, other_root, manifest.manifest_hash, manifest.documents[0].sha256) is None


def test_a_manifest_whose_root_is_not_that_of_its_documents_lists_nothing(store: DocumentStore, folder: Path) -> None:
    manifest, _, _ = build_batch(folder)
    claimed_root = MerkleTree.build([sha256_bytes(b"not one of them")]).root
    forged = BatchManifest(documents=manifest.documents, root=claimed_root, created_at=manifest.created_at)
    stored = store.put_bytes(forged.canonical_json(), "manifest.json")
    assert batch_members(store, claimed_root, stored.sha256) == []


def test_a_stored_document_that_is_not_a_manifest_lists_nothing(store: DocumentStore) -> None:
    stored = store.put_bytes(b'{"format": "something else"}', "other.json")
    assert stored_manifest(store, stored.sha256) is None
    assert batch_members(store, MerkleTree.build([stored.sha256]).root, stored.sha256) == []


def test_a_damaged_manifest_is_not_trusted(store: DocumentStore, folder: Path) -> None:
    manifest, tree, _ = build_batch(folder)
    store_batch(store, folder, manifest, "manifest.json")
    path = store.get_path(manifest.manifest_hash)
    os.chmod(path, 0o644)
    path.write_bytes(manifest.canonical_json().replace(b'"a.txt"', b'"z.txt"'))
    assert stored_manifest(store, manifest.manifest_hash) is None
    assert batch_members(store, tree.root, manifest.manifest_hash) == []


def test_a_document_not_in_the_batch_is_no_member(store: DocumentStore, folder: Path) -> None:
    manifest, tree, _ = build_batch(folder)
    store_batch(store, folder, manifest, "manifest.json")
    assert batch_member(store, tree.root, manifest.manifest_hash, sha256_bytes(b"not in it")) is None


def test_storing_a_batch_whose_document_changed_since_hashing_is_refused(store: DocumentStore, folder: Path) -> None:
    manifest, _, _ = build_batch(folder)
    (folder / "b.txt").write_text("second meeting, edited\n")
    with pytest.raises(BatchDocumentChanged, match=r"b\.txt changed while it was being anchored; nothing was sent"):
        store_batch(store, folder, manifest, "manifest.json")
    assert not store.has(manifest.manifest_hash)
