"""Response model of document verification: whether a document is anchored, what cites it, the
batches that hold it with their Merkle proofs, what the contract said just now, and how anyone can
check all of it with their own tools."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from registry.api.schemas.common import Address, ApiModel, Hex32, Provenance, Timestamp
from registry.api.schemas.names import ByName
from registry.domain.enums import AnchorKind

AnchorKindName = Annotated[AnchorKind, ByName(AnchorKind)]


class FirstAnchoring(ApiModel):
    """The anchor book's entry for the document: the first time the registry anchored it."""

    anchored_by: Address = Field(description="The account whose transaction anchored it.")
    anchored_at: Timestamp = Field(description="The time of the block that anchored it.")
    kind: AnchorKindName = Field(description="What the document was when first anchored.")
    provenance: Provenance = Field(description="The event in the anchoring transaction.")


class CitationCheck(ApiModel):
    """What the chain says of one citation: its event read by transaction and log index."""

    status: Literal["confirmed", "disagrees", "not-checked"] = Field(
        description="confirmed: the node's receipt of the transaction has the event at that log index, emitted by "
        "the registry, about this record, naming the document; disagrees: it has not (see message; trust the "
        "chain); not-checked: the chain was not asked about this citation (see message)."
    )
    message: str


class Citation(ApiModel):
    """An event of a record that names the document, as the registry's copy lists it, with what the
    chain says of it (`check`)."""

    record_type: str = Field(
        description="program, project, milestone, outcome, report, audit; or document when it was anchored on its own.",
        examples=["milestone"],
    )
    record_id: int = Field(
        description="The record's id (a milestone's project id); 0 for a document anchored on its own.",
        examples=[3],
    )
    milestone_index: int | None = Field(default=None, description="Which milestone of the project, from 1.")
    event: str | None = Field(description="The event that names the document.", examples=["MilestoneSubmitted"])
    kind: AnchorKindName = Field(description="What the document is to this record.")
    position: int = Field(description="Which of the event's documents it is, from 0.")
    actor: Address = Field(description="Who the event credits (the signer of a relayed submission).")
    anchoring: bool = Field(description="Whether this event anchors the documents it names (an evaluation's "
                            "clawback only cites its findings).")  # fmt: skip
    record_path: str | None = Field(
        description="The record in this API, e.g. /api/v1/projects/3/milestones/1; null for a document "
        "anchored on its own.",
    )
    provenance: Provenance
    check: CitationCheck = Field(description="The citation checked against the chain, or why it was not.")


class BatchMembership(ApiModel):
    """An anchored Merkle batch that holds the document, with the proof that it does."""

    root: Hex32 = Field(description="The batch's Merkle root, the only part of the batch on chain.")
    path: str = Field(description="The document's path inside the batch, as the batch's manifest lists it.")
    position: int = Field(description="The document's leaf among the tree's leaves (sorted by leaf hash), from 0.")
    leaf_count: int = Field(description="Distinct documents in the batch.")
    manifest_hash: Hex32 = Field(description="SHA-256 of the batch's manifest, as the BatchAnchored event recorded.")
    proof: list[Hex32] = Field(
        description="Sibling hashes from the document's leaf up to the root, as "
        "verifyBatchMember(root, documentHash, proof) and OpenZeppelin's MerkleProof take them."
    )
    anchored_by: Address
    anchored_at: Timestamp
    batch_path: str = Field(description="The batch in this API.")
    provenance: Provenance = Field(description="The BatchAnchored event.")


class LiveAnchor(ApiModel):
    """`anchorOf(documentHash)` as the contract answered it."""

    anchored: bool
    anchored_by: Address | None = None
    anchored_at: Timestamp | None = None
    block_number: int | None = None
    kind: AnchorKindName | None = None


class LiveBatchCheck(ApiModel):
    """`verifyBatchMember(root, documentHash, proof)` as the contract answered it."""

    root: Hex32
    member: bool = Field(description="True if the contract accepted the proof for this root.")


class UnchangedStorage(ApiModel):
    """How the contract's answers asked at an earlier block hold at `blockNumber` without asking again:
    `anchorOf` and `verifyBatchMember` read only the grant registry's own storage, and `eth_getProof` gives
    the contract the same storage root and code at both blocks (check it with `cast proof CONTRACT -B
    BLOCK` at each). Only the contract's views are answered so; a citation's receipt is asked again unless
    it lies RND_CONFIRMATIONS blocks deep."""

    asked_at_block: int = Field(description="The block the contract's views were asked at (the earliest, if several).")
    storage_hash: Hex32 = Field(
        description="The contract account's storage root (eth_getProof's storageHash), the same at askedAtBlock "
        "and at blockNumber."
    )
    code_hash: Hex32 = Field(description="The contract's code hash (eth_getProof's codeHash), the same at both.")


class LiveCheck(ApiModel):
    """What the registry contract said about the document just now, asked over JSON-RPC while
    answering, so the answer does not rest on the API's database alone."""

    status: Literal["confirmed", "not-anchored", "disagrees", "unavailable"] = Field(
        description="confirmed: the contract says the document is anchored, and every citation checked is on the "
        "chain as the registry's copy lists it; not-anchored: the contract has no anchoring of it, nor does the copy; "
        "disagrees: the copy and the chain differ (see message; trust the chain: the copy may lag behind the newest "
        "blocks, or have been changed); unavailable: the chain could not be asked (see message), so nothing in this "
        "answer was checked."
    )
    message: str
    chain_id: int | None = None
    contract: Address | None = Field(default=None, description="The grant registry that was asked.")
    block_number: int | None = Field(
        default=None,
        description="The block the answer holds at: the contract was read there or, when storageUnchanged is "
        "given, at an earlier block whose storage root it still has.",
    )
    checked_at: Timestamp | None = Field(default=None, description="When the contract was read.")
    final: bool = Field(
        default=False,
        description="True when the contract confirmed the document and everything it found (the anchoring, each "
        "accepted batch proof, each cited log) lies at least RND_CONFIRMATIONS blocks deep: the anchor book only "
        "adds, so the finding holds at every later block, and the API may give this answer again without asking "
        "the contract (blockNumber and checkedAt still say when it was read). What it did not find (an empty "
        "anchorOf of a document anchored only in a batch) was read at blockNumber.",
    )
    anchor_of: LiveAnchor | None = None
    batches: list[LiveBatchCheck] = Field(default_factory=list)
    storage_unchanged: UnchangedStorage | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="Present when the contract's views were asked at an earlier block (askedAtBlock) and not "
        "again: the contract's storage root is the same at blockNumber, so their answers hold there. Absent when "
        "everything was asked at blockNumber, or is final.",
    )


#: The steps of `howToCheck`, for a client that says them in its own words (the portal, in Korean).
CheckStep = Literal["hash-file", "chain-id", "anchor-of", "anchoring-receipt", "batch-member"]


class CheckCommand(ApiModel):
    """One step a person can take with their own tools."""

    step: CheckStep = Field(
        description="Which step: hash-file (compute the SHA-256), chain-id (is the node on the registry's chain), "
        "anchor-of (ask the anchor book), anchoring-receipt (the first anchoring's transaction), batch-member "
        "(ask the contract to check the Merkle proof of the batch with `root`)."
    )
    purpose: str = Field(description="What the step shows, in English.")
    command: str = Field(description="The command to run; FILE stands for the document, $RPC_URL for a node.")
    root: Hex32 | None = Field(default=None, description="The batch's Merkle root (batch-member steps).")


class HowToCheck(ApiModel):
    """How to confirm the answer without trusting this API: recompute the hash, then ask any node of
    the chain with Foundry's `cast` (set RPC_URL to a node's JSON-RPC address)."""

    chain_id: int | None = Field(default=None, description="The chain the registry is on; check your node's.")
    contract: Address | None = Field(default=None, description="The grant registry, which keeps the anchor book.")
    steps: list[CheckCommand]


class Verification(ApiModel):
    """Whether a document is anchored in the registry, and everything needed to check that."""

    sha256: Hex32 = Field(description="The SHA-256 of the document (computed here for an upload).")
    anchored: bool | None = Field(
        description="What the contract says at the block `liveCheck` names: whether the document is anchored, on "
        "its own or in a batch (the registry's copy only adds detail); null when the chain could not be asked."
    )
    copy_anchored: bool = Field(
        description="What the registry's copy (its database) says, which may lag behind the chain or be wrong; "
        "`anchored` is the chain's word."
    )
    verdict: str = Field(
        description="The answer in plain words, from the chain: when the copy and the chain disagree it begins "
        "\"the registry's copy disagrees with the chain: trust the chain\"; when the chain could not be asked it "
        "says so and what the copy claims."
    )
    file_name: str | None = Field(default=None, description="The uploaded file's name, for an upload.")
    size: int | None = Field(default=None, description="Bytes hashed, for an upload.")
    first_anchoring: FirstAnchoring | None = Field(
        description="The anchor book's entry; null if never anchored on its own (a batch member "
        "is anchored through its batch's root)."
    )
    citations: list[Citation] = Field(description="Every record event that names the document, oldest first.")
    citations_truncated: bool = Field(
        default=False, description="True if the document is cited more often than listed here."
    )
    batches: list[BatchMembership] = Field(description="Every anchored batch that holds the document.")
    live_check: LiveCheck
    how_to_check: HowToCheck
    indexed_block: int | None = Field(description="The last block the API's database has indexed.")
