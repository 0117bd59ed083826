"""The documents an anchored batch holds, read from its manifest in the document store.

The chain keeps only a batch's Merkle root (and the SHA-256 of its manifest, in the event); which
documents it holds is written in the manifest, an off-chain file. A manifest found here counts for a
batch only if it is that batch's (its hash is the `manifestHash` the event recorded) and its
documents rebuild the batch's root, so whatever it says is something the chain confirms.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from registry.errors import RegistryError
from registry.evidence.hashing import sha256_bytes
from registry.evidence.merkle import MerkleTree
from registry.evidence.proofs import BatchManifest
from registry.evidence.store import DocumentStore

#: The file name a batch's manifest is kept under, in the document store and beside its proofs.
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class BatchMember:
    """One document of a batch: where it sits among the tree's leaves, its path in the batch folder,
    and the Merkle proof that `verifyBatchMember(root, document_hash, proof)` accepts."""

    document_hash: bytes
    root: bytes
    position: int
    path: str
    proof: tuple[bytes, ...]


def stored_manifest(store: DocumentStore, manifest_hash: bytes) -> BatchManifest | None:
    """The batch manifest stored under `manifest_hash`, or None if there is none, the stored bytes no
    longer hash to it (damaged), or they are not a manifest."""
    if not store.has(manifest_hash):
        return None
    try:
        with store.open(manifest_hash) as stream:
            content = stream.read()
        if sha256_bytes(content) != manifest_hash:
            return None
        return BatchManifest.model_validate_json(content)
    except (RegistryError, ValidationError, OSError):
        return None  # not a manifest of ours: the batch's documents are simply unknown here


def confirmed_tree(manifest: BatchManifest, root: bytes) -> MerkleTree | None:
    """The Merkle tree of the manifest's documents, if it has exactly the batch's `root`; else None."""
    if not manifest.documents or manifest.root != root:
        return None
    tree = MerkleTree.build(entry.sha256 for entry in manifest.documents)
    return tree if tree.root == root else None


def batch_members(store: DocumentStore, root: bytes, manifest_hash: bytes) -> list[BatchMember]:
    """Every document of the batch with `root`, in leaf order; empty if its manifest is not stored
    here or does not rebuild the root."""
    found = _confirmed(store, root, manifest_hash)
    if found is None:
        return []
    manifest, tree = found
    paths = _first_paths(manifest)
    return [
        BatchMember(document_hash, root, position, paths[document_hash], tuple(tree.proof(document_hash)))
        for position, document_hash in enumerate(tree.document_hashes)
    ]


def batch_member(store: DocumentStore, root: bytes, manifest_hash: bytes, document_hash: bytes) -> BatchMember | None:
    """The document `document_hash` as a member of the batch with `root`, or None if the batch's
    manifest is not stored here, does not rebuild the root, or does not list the document."""
    found = _confirmed(store, root, manifest_hash)
    if found is None:
        return None
    manifest, tree = found
    if document_hash not in tree:
        return None
    position = tree.document_hashes.index(document_hash)
    return BatchMember(
        document_hash, root, position, _first_paths(manifest)[document_hash], tuple(tree.proof(document_hash))
    )


def _confirmed(store: DocumentStore, root: bytes, manifest_hash: bytes) -> tuple[BatchManifest, MerkleTree] | None:
    manifest = stored_manifest(store, manifest_hash)
    if manifest is None:
        return None
    tree = confirmed_tree(manifest, root)
    return None if tree is None else (manifest, tree)


def _first_paths(manifest: BatchManifest) -> dict[bytes, str]:
    # Identical files under two paths are one leaf; the first path the manifest lists names it.
    paths: dict[bytes, str] = {}
    for entry in manifest.documents:
        paths.setdefault(entry.sha256, entry.path)
    return paths


class BatchDocumentChanged(RegistryError):
    """A document of a batch changed between being hashed into the manifest and being stored."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"{path} changed while it was being anchored; nothing was sent, run again")


def store_batch(store: DocumentStore, folder: str | os.PathLike[str], manifest: BatchManifest, name: str) -> None:
    """Keeps every document of the batch and its manifest (under file name `name`) in the document
    store, where `batch_members` finds them once the batch is anchored."""
    base = Path(folder)
    for entry in manifest.documents:
        stored = store.put_file(base / entry.path)
        if stored.sha256 != entry.sha256:
            raise BatchDocumentChanged(str(base / entry.path))
    store.put_bytes(manifest.canonical_json(), name)
