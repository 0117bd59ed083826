"""Batch manifests and per-document proof files: what lets anyone check a document without our servers.

A proof file holds everything needed to show one document is in an anchored batch: its SHA-256,
the Merkle path to the root, and (once anchored) the chain, contract, transaction and block to look
the root up in. The manifest lists every document of a batch; it is stored as its canonical JSON
bytes, so `sha256sum manifest.json` prints the `manifestHash` that the anchoring event records.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal, Self, TypeVar

from eth_utils.address import is_checksum_address, is_hex_address, to_checksum_address
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    NonNegativeInt,
    PlainSerializer,
    PlainValidator,
    PositiveInt,
    ValidationError,
    model_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import ErrorDetails

from registry.errors import RegistryError
from registry.evidence.hashing import (
    HASH_SIZE,
    InvalidDocumentHash,
    hash_folder,
    hash_to_hex,
    parse_document_hash,
    parse_hash,
    sha256_bytes,
)
from registry.evidence.merkle import EmptyBatch, MerkleTree, leaf_hash, verify_proof


class EvidenceFileError(RegistryError):
    """A proof or manifest file cannot be read, written or understood."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"evidence file {path}: {reason}")


def _hash_validator(parse: Callable[[str], bytes]) -> PlainValidator:
    def validate(value: object) -> bytes:
        try:
            if isinstance(value, str):
                return parse(value)
            if isinstance(value, bytes | bytearray) and len(value) == HASH_SIZE:
                return parse(hash_to_hex(bytes(value)))
        except InvalidDocumentHash as error:
            raise ValueError(error.problem) from None
        raise ValueError(f"expected a 0x-prefixed hex string of {HASH_SIZE} bytes")

    return PlainValidator(validate, json_schema_input_type=str)


_AS_HEX = PlainSerializer(hash_to_hex, return_type=str)

Hash32 = Annotated[bytes, _hash_validator(parse_hash), _AS_HEX]
"""32 bytes in Python, 0x-prefixed lowercase hex in JSON."""

DocumentHashHex = Annotated[bytes, _hash_validator(parse_document_hash), _AS_HEX]
"""A document's SHA-256 (never zero) in Python bytes, 0x hex in JSON."""


def _checksum_address(value: object) -> str:
    if not isinstance(value, str) or not is_hex_address(value):
        raise ValueError("expected a 20-byte address as 0x-prefixed hex")
    digits = value[2:]
    # Mixed case is an EIP-55 checksum; a wrong one is a mistyped address, not a style choice.
    if digits != digits.lower() and digits != digits.upper() and not is_checksum_address(value):
        raise ValueError(f"address {value} has mixed case but not a valid EIP-55 checksum")
    return str(to_checksum_address(value))


def _render_utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


Address = Annotated[str, PlainValidator(_checksum_address, json_schema_input_type=str)]
UtcDatetime = Annotated[
    AwareDatetime,
    AfterValidator(lambda value: value.astimezone(UTC)),
    PlainSerializer(_render_utc, return_type=str),
]


class EvidenceModel(BaseModel):
    """Base of the evidence files anyone keeps and reads back: camelCase JSON, unknown fields refused."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
        frozen=True,
    )


class ProofFile(EvidenceModel):
    """The self-contained proof that one document belongs to a batch (`rnd-registry-merkle-proof/1`).

    `document` is the document's path inside the batch folder (its file name for a top-level
    file). The last four fields are set together once the batch's root is anchored.
    """

    format: Literal["rnd-registry-merkle-proof/1"] = "rnd-registry-merkle-proof/1"
    document: str
    document_hash: DocumentHashHex
    hash_function: Literal["sha256"] = "sha256"
    leaf: Hash32
    proof: tuple[Hash32, ...]
    root: Hash32
    leaf_count: PositiveInt
    manifest_hash: Hash32
    chain_id: PositiveInt | None = None
    contract: Address | None = None
    transaction_hash: Hash32 | None = None
    block_number: NonNegativeInt | None = None

    @model_validator(mode="after")
    def _anchor_complete_or_absent(self) -> Self:
        anchor = (self.chain_id, self.contract, self.transaction_hash, self.block_number)
        if any(part is None for part in anchor) and any(part is not None for part in anchor):
            raise ValueError(
                "chainId, contract, transactionHash and blockNumber are set together once the batch "
                "is anchored, or all left out"
            )
        return self

    @property
    def anchored(self) -> bool:
        return self.transaction_hash is not None

    def verify(self) -> bool:
        """Whether the leaf follows from `documentHash` and the proof leads from it to `root`.

        This checks the file is consistent; that the root is anchored is for the chain to say
        (`verifyBatchMember` or `batchOf` on `contract`).
        """
        return leaf_hash(self.document_hash) == self.leaf and verify_proof(self.root, self.document_hash, self.proof)

    def with_anchor(self, chain_id: int, contract: str, transaction_hash: bytes, block_number: int) -> ProofFile:
        """A copy of this proof that names the transaction which anchored its root."""
        return ProofFile.model_validate(
            self.model_dump(by_alias=False)
            | {
                "chain_id": chain_id,
                "contract": contract,
                "transaction_hash": transaction_hash,
                "block_number": block_number,
            }
        )

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"

    def write(self, path: str | os.PathLike[str]) -> None:
        _write(Path(path), self.to_json().encode("utf-8"))

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> ProofFile:
        return _read(cls, Path(path), "proof file")


class ManifestEntry(EvidenceModel):
    """One document of a batch: path inside the batch folder, SHA-256 and size in bytes."""

    path: str
    sha256: DocumentHashHex
    size: NonNegativeInt


class BatchManifest(EvidenceModel):
    """The list of documents in a batch (`rnd-registry-batch-manifest/1`), hashed into `manifestHash`."""

    format: Literal["rnd-registry-batch-manifest/1"] = "rnd-registry-batch-manifest/1"
    documents: tuple[ManifestEntry, ...]
    root: Hash32
    created_at: UtcDatetime

    def canonical_json(self) -> bytes:
        """Sorted keys, no spaces, UTF-8: the bytes whose SHA-256 is the manifest hash."""
        return json.dumps(
            self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")

    @property
    def manifest_hash(self) -> bytes:
        return sha256_bytes(self.canonical_json())

    def verify(self) -> bool:
        """Whether `root` is the Merkle root of the listed documents."""
        return bool(self.documents) and MerkleTree.build(entry.sha256 for entry in self.documents).root == self.root

    def write(self, path: str | os.PathLike[str]) -> None:
        """Writes the canonical bytes, so the file's SHA-256 is the manifest hash."""
        _write(Path(path), self.canonical_json())

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> BatchManifest:
        return _read(cls, Path(path), "batch manifest")


def build_batch(
    folder: str | os.PathLike[str], *, created_at: datetime | None = None
) -> tuple[BatchManifest, MerkleTree, dict[str, ProofFile]]:
    """Hashes every document under `folder` into a batch: its manifest, tree and one proof per path.

    The proofs are not anchored yet; `ProofFile.with_anchor` adds the transaction once they are.
    """
    documents = hash_folder(folder)
    if not documents:
        raise EmptyBatch(f"the folder {folder} (hidden files and folders are skipped)")
    tree = MerkleTree.build(document.sha256 for document in documents)
    manifest = BatchManifest(
        documents=tuple(
            ManifestEntry(path=document.path, sha256=document.sha256, size=document.size) for document in documents
        ),
        root=tree.root,
        created_at=created_at or datetime.now(UTC).replace(microsecond=0),
    )
    manifest_hash = manifest.manifest_hash
    proofs = {
        document.path: ProofFile(
            document=document.path,
            document_hash=document.sha256,
            leaf=leaf_hash(document.sha256),
            proof=tuple(tree.proof(document.sha256)),
            root=tree.root,
            leaf_count=tree.leaf_count,
            manifest_hash=manifest_hash,
        )
        for document in documents
    }
    return manifest, tree, proofs


def _write(path: Path, content: bytes) -> None:
    try:
        path.write_bytes(content)
    except OSError as error:
        raise EvidenceFileError(str(path), f"cannot be written ({error.strerror or error})") from error


_ModelT = TypeVar("_ModelT", bound=EvidenceModel)


def _read(model: type[_ModelT], path: Path, kind: str) -> _ModelT:
    try:
        content = path.read_bytes()
    except OSError as error:
        raise EvidenceFileError(str(path), f"cannot be read ({error.strerror or error})") from error
    try:
        return model.model_validate_json(content)
    except ValidationError as error:
        raise EvidenceFileError(str(path), f"is not a valid {kind}: {summarise_errors(error.errors())}") from None


def summarise_errors(errors: list[ErrorDetails]) -> str:
    parts = []
    for error in errors[:3]:
        location = ".".join(str(part) for part in error["loc"]) or "file"
        parts.append(f"{location}: {error['msg']}")
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return "; ".join(parts) + more
