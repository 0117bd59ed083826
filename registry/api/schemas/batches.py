"""Response model of a Merkle batch of documents anchored as one root."""

from __future__ import annotations

from pydantic import Field

from registry.api.provenance import RegistryContracts, Row
from registry.api.schemas.common import Address, ApiModel, Hex32, Provenance, Timestamp, from_unix
from registry.api.schemas.grants import optional_hash


class EvidenceBatch(ApiModel):
    """Documents anchored together as one Merkle root (OpenZeppelin StandardMerkleTree); a document's
    membership is checked with its proof and `verifyBatchMember(root, documentHash, proof)` on chain."""

    root: Hex32
    anchored_by: Address
    anchored_at: Timestamp
    leaf_count: int = Field(description="How many documents the batch holds.")
    manifest_hash: Hex32 | None = Field(description="SHA-256 of the batch's manifest (the list of its documents).")
    provenance: Provenance = Field(description="The BatchAnchored event.")

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> EvidenceBatch:
        return cls(
            root=row["root"], anchored_by=row["anchored_by"], anchored_at=from_unix(row["timestamp"]),
            leaf_count=row["leaf_count"], manifest_hash=optional_hash(row["manifest_hash"]),
            provenance=chain.event(row, chain.grant_registry),
        )  # fmt: skip
