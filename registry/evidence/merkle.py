"""Merkle trees over document hashes, node for node those of OpenZeppelin's StandardMerkleTree.

A tree here equals `StandardMerkleTree.of(hashes.map(h => [h]), ["bytes32"])` of the JS package
`@openzeppelin/merkle-tree`: same leaves, same layout, same root, same proofs; so the contract's
`verifyBatchMember` (OpenZeppelin `MerkleProof`) accepts the proofs made here, and anyone can
check them with OpenZeppelin's own library. A test compares the two on random sets.

Written by hand rather than taken from PyPI: the one Python port of that library (`murky-tree`)
has a single maintainer, few users and no type information, and the part needed here is some
forty lines. Those forty lines sit on the path by which a stranger checks the registry, so they
are kept where they can be read, and the JS reference library checks them in the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from registry.errors import RegistryError
from registry.evidence.hashing import HASH_SIZE, InvalidDocumentHash, hash_to_hex


class EmptyBatch(RegistryError):
    """A Merkle batch was asked for with no document in it."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__(f"{source} holds no documents; a batch needs at least one document to anchor")


class DocumentNotInBatch(RegistryError):
    """A proof was asked for a document that the batch does not contain."""

    def __init__(self, document_hash: bytes, root: bytes) -> None:
        self.document_hash = document_hash
        self.root = root
        super().__init__(
            f"document {hash_to_hex(document_hash)} is not in the batch with root {hash_to_hex(root)}; "
            "check the file is the one that was batched (its SHA-256 must match the manifest)"
        )


def leaf_hash(document_hash: bytes) -> bytes:
    """The tree leaf of a document: keccak256(keccak256(abi.encode(bytes32 documentHash))).

    Hashing twice, as OpenZeppelin's StandardMerkleTree does, makes a leaf (64 bytes hashed twice)
    impossible to pass off as an inner node (64 bytes hashed once), and the contract does the same.
    """
    _require_hash(document_hash)
    return keccak(keccak(encode(["bytes32"], [document_hash])))


def node_hash(a: bytes, b: bytes) -> bytes:
    """The parent of two nodes: keccak256 of the pair in ascending byte order, as OpenZeppelin hashes."""
    return keccak(a + b if a <= b else b + a)


def verify_proof(root: bytes, document_hash: bytes, proof: Sequence[bytes]) -> bool:
    """Whether `proof` shows that `document_hash` is a member of the batch with `root`.

    What `verifyBatchMember` checks on chain, minus the question whether the root is anchored.
    A malformed root, hash or proof element proves nothing and gives False rather than an error.
    """
    if len(root) != HASH_SIZE or len(document_hash) != HASH_SIZE:
        return False
    if any(len(element) != HASH_SIZE for element in proof):
        return False
    computed = leaf_hash(document_hash)
    for element in proof:
        computed = node_hash(computed, element)
    return computed == root


@dataclass(frozen=True)
class MerkleTree:
    """A complete binary tree in an array, as @openzeppelin/merkle-tree lays it out.

    `nodes[0]` is the root, the children of node i are 2i+1 and 2i+2, and the leaves, sorted by
    leaf hash, fill the end of the array in reverse order. Build one with `MerkleTree.build`.
    """

    nodes: tuple[bytes, ...]
    document_hashes: tuple[bytes, ...]
    _tree_index: dict[bytes, int] = field(repr=False, compare=False)

    @classmethod
    def build(cls, document_hashes: Iterable[bytes]) -> MerkleTree:
        """Builds the tree of a set of document hashes.

        Duplicates are merged into one leaf: identical documents have the same hash, so one proof
        serves every copy, and a doubled leaf would only make the tree larger and leave two
        proofs for the same fact. The order of the input does not matter.
        """
        unique = set()
        for document_hash in document_hashes:
            _require_hash(document_hash)
            unique.add(bytes(document_hash))
        if not unique:
            raise EmptyBatch("the list of document hashes")
        leaves = sorted((leaf_hash(document_hash), document_hash) for document_hash in unique)
        size = 2 * len(leaves) - 1
        nodes: list[bytes] = [b""] * size
        tree_index: dict[bytes, int] = {}
        for position, (leaf, document_hash) in enumerate(leaves):
            nodes[size - 1 - position] = leaf
            tree_index[document_hash] = size - 1 - position
        for index in range(size - 1 - len(leaves), -1, -1):
            nodes[index] = node_hash(nodes[2 * index + 1], nodes[2 * index + 2])
        return cls(
            nodes=tuple(nodes),
            document_hashes=tuple(document_hash for _, document_hash in leaves),
            _tree_index=tree_index,
        )

    @property
    def root(self) -> bytes:
        return self.nodes[0]

    @property
    def leaf_count(self) -> int:
        """The number of distinct documents, as `anchorBatch` records it."""
        return len(self.document_hashes)

    def __contains__(self, document_hash: object) -> bool:
        return document_hash in self._tree_index

    def proof(self, document_hash: bytes) -> list[bytes]:
        """The sibling hashes from the document's leaf up to the root, as `MerkleProof.verify` takes them."""
        _require_hash(document_hash)
        index = self._tree_index.get(bytes(document_hash))
        if index is None:
            raise DocumentNotInBatch(document_hash, self.root)
        proof: list[bytes] = []
        while index > 0:
            proof.append(self.nodes[index - 1 if index % 2 == 0 else index + 1])
            index = (index - 1) // 2
        return proof


def _require_hash(document_hash: bytes) -> None:
    if not isinstance(document_hash, bytes | bytearray):
        raise InvalidDocumentHash(repr(document_hash), f"a document hash must be {HASH_SIZE} bytes")
    if len(document_hash) != HASH_SIZE:
        shown = "0x" + document_hash.hex()
        raise InvalidDocumentHash(shown, f"a document hash must be {HASH_SIZE} bytes")
