"""Response model of the anchor book's entries: each document the registry anchored, first time only."""

from __future__ import annotations

from pydantic import Field

from registry.api.provenance import RegistryContracts, Row
from registry.api.schemas.common import Address, ApiModel, Hex32, Provenance, Timestamp, from_unix
from registry.api.schemas.verification import AnchorKindName
from registry.domain.enums import AnchorKind


class AnchoredDocument(ApiModel):
    """A document in the anchor book: its SHA-256 and its first anchoring (by whom, when, as what, by
    which event). `/api/v1/verify/{sha256}` tells everything else about it, checked against the chain."""

    sha256: Hex32 = Field(description="The document's SHA-256.")
    anchored_by: Address = Field(description="The account whose transaction first anchored it.")
    anchored_at: Timestamp = Field(description="The time of the block that first anchored it.")
    kind: AnchorKindName = Field(description="What the document was when first anchored.")
    provenance: Provenance = Field(description="The event of the first anchoring.")

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> AnchoredDocument:
        return cls(
            sha256=row["document_hash"], anchored_by=row["anchored_by"], anchored_at=from_unix(row["timestamp"]),
            kind=AnchorKind(row["kind"]), provenance=chain.event(row, row["contract"] or chain.grant_registry),
        )  # fmt: skip
