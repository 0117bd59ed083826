"""Receipts (`rnd-registry-receipt/1`): a portable, versioned file that says where on the chain a
document was anchored, so anyone can check it years later against any node, without our server.

A receipt is only a claim. Whoever issued it (the API, the command line) is not trusted: the check
(`registry.checking.documents`) asks the reader's own node every question the receipt raises, and
the verdict comes from those answers alone. JSON, camelCase, like the proof files
(`registry/evidence/proofs.py`); unknown fields are refused.

A receipt is a JSON object; `subject` says what it is about: `"document"` or `"record"`
(`RECEIPT_SUBJECTS`). A document receipt holds:

- `format`: always `"rnd-registry-receipt/1"`.
- `subject`: `"document"`.
- `sha256`: the document's SHA-256, 0x-prefixed lowercase hex (what `sha256sum` prints, with 0x).
- `chainId`: the chain the registry is on (a node of another chain cannot confirm it).
- `contract`: the GrantRegistry's address, EIP-55 checksummed; it keeps the anchor book and the
  batch roots.
- `issuedAt`: when the receipt was made, ISO 8601 UTC (`2026-12-02T18:00:00Z`); informational.
- `issuedBy`: free text naming what made it (`rnd-registry API at https://...`, `rnd-registry
  evidence receipt`); informational, never trusted.
- `anchoring`: the anchor book's entry, the first anchoring of the document on its own or as a
  record's evidence; `null` when the document is only in batches:
  - `kind`: what the document was anchored as, by its API name (`document`, `milestone-evidence`,
    ...; `registry.domain.enums.AnchorKind`).
  - `anchoredBy`: the account the anchor book credits, checksummed.
  - `blockNumber`, `blockHash`, `blockTime` (ISO 8601 UTC): the block of the anchoring.
  - `transactionHash`, `logIndex`: the transaction and the log (its index in the block) of the
    anchoring event.
  - `event`: that event's name (`DocumentAnchored`, `MilestoneSubmitted`, `OutcomeAdded`, ...).
- `batches`: the anchored Merkle batches that hold the document (possibly none), each:
  - `root`: the batch's Merkle root (OpenZeppelin StandardMerkleTree over `bytes32` leaves).
  - `path`: the document's path inside the batch, as its manifest lists it; informational.
  - `leafCount`, `manifestHash`: what the `BatchAnchored` event recorded.
  - `proof`: the Merkle proof, a list of 0x hashes, from the leaf
    keccak256(keccak256(abi.encode(sha256))) to the root.
  - `blockNumber`, `blockHash`, `transactionHash`, `logIndex`: where `BatchAnchored` was logged.
- `verifyUrl` (optional): the portal page that opens the document's verification (for a QR code).

A document receipt names an anchoring, at least one batch, or both.

A record receipt (`registry.checking.record_receipts` builds and checks it) holds:

- `format`, `subject` (`"record"`), `chainId`, `issuedAt`, `issuedBy`, `verifyUrl` as above.
- `contracts`: `grantRegistry` and `outcomeRegistry`, the addresses the record lives in.
- `kind` and `key`: which record (`"milestone"`, `{"projectId": 1, "milestoneIndex": 2}`; the kinds
  and keys of `registry/checking/records.json`).
- `blockNumber`: the block the values held at.
- `view`: the view that holds the record's state (`GrantRegistry.getMilestone(uint32,uint32)`).
- `expected`: the record's values in the API's JSON encoding, histories included.
- `events`: the coordinates (`field`, `transactionHash`, `blockNumber`, `logIndex`) of every event the
  record was made of: its provenance, last change and each history item's.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import (
    NonNegativeInt,
    PlainSerializer,
    PlainValidator,
    PositiveInt,
    ValidationError,
    model_validator,
)

from registry.domain.enums import AnchorKind
from registry.evidence.proofs import (
    Address,
    DocumentHashHex,
    EvidenceFileError,
    EvidenceModel,
    Hash32,
    UtcDatetime,
    summarise_errors,
)

RECEIPT_FORMAT = "rnd-registry-receipt/1"



def kind_name(kind: AnchorKind) -> str:
    """`AnchorKind.MILESTONE_EVIDENCE` -> `milestone-evidence`, the API's name."""
    return kind.name.lower().replace("_", "-")


def _parse_kind(value: object) -> AnchorKind:
    if isinstance(value, AnchorKind):
        return value
    names = {kind_name(kind): kind for kind in AnchorKind if kind is not AnchorKind.NONE}
    if isinstance(value, str) and value in names:
        return names[value]
    raise ValueError(f"{value!r} is not one of {', '.join(names)}")


AnchorKindName = Annotated[
    AnchorKind,
    PlainValidator(_parse_kind, json_schema_input_type=str),
    PlainSerializer(kind_name, return_type=str),
]


class _ReceiptModel(EvidenceModel):
    """Receipts are evidence files like the proof files: camelCase JSON, unknown fields refused, frozen."""


class _ReceiptFile(_ReceiptModel):
    """A whole receipt: written as indented JSON, read back by `read_receipt`."""

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"

    def write(self, path: str | os.PathLike[str]) -> None:
        target = Path(path)
        try:
            target.write_text(self.to_json(), encoding="utf-8")
        except OSError as error:
            raise EvidenceFileError(str(target), f"cannot be written ({error.strerror or error})") from error


class ReceiptAnchoring(_ReceiptModel):
    """The anchor book's entry for the document, with the event and block that made it."""

    kind: AnchorKindName
    anchored_by: Address
    block_number: NonNegativeInt
    block_hash: Hash32
    block_time: UtcDatetime
    transaction_hash: Hash32
    log_index: NonNegativeInt
    event: str


class ReceiptBatch(_ReceiptModel):
    """An anchored batch holding the document: its root, the document's proof and the anchoring event."""

    root: Hash32
    path: str
    leaf_count: PositiveInt
    manifest_hash: Hash32
    proof: tuple[Hash32, ...]
    block_number: NonNegativeInt
    block_hash: Hash32
    transaction_hash: Hash32
    log_index: NonNegativeInt


class DocumentReceipt(_ReceiptFile):
    """Where a document was anchored: the claim a reader checks against their own node."""

    format: Literal["rnd-registry-receipt/1"] = "rnd-registry-receipt/1"
    subject: Literal["document"] = "document"
    sha256: DocumentHashHex
    chain_id: PositiveInt
    contract: Address
    issued_at: UtcDatetime
    issued_by: str
    anchoring: ReceiptAnchoring | None
    batches: tuple[ReceiptBatch, ...] = ()
    verify_url: str | None = None

    @model_validator(mode="after")
    def _names_somewhere(self) -> Self:
        if self.anchoring is None and not self.batches:
            raise ValueError("a document receipt names an anchoring, a batch, or both")
        return self


class ReceiptContracts(_ReceiptModel):
    """The registry's contracts the record lives in (to compare with the ones the city publishes)."""

    grant_registry: Address
    outcome_registry: Address


class ReceiptEvent(_ReceiptModel):
    """One event the record was made of: its name and where it is on the chain."""

    field: str
    transaction_hash: Hash32
    block_number: NonNegativeInt
    log_index: NonNegativeInt


class RecordReceipt(_ReceiptFile):
    """A record as it stood at `blockNumber`: which view holds it, its values, and the coordinates of
    the events it was made of. Checked by reading the record again from the reader's node."""

    format: Literal["rnd-registry-receipt/1"] = "rnd-registry-receipt/1"
    subject: Literal["record"] = "record"
    chain_id: PositiveInt
    contracts: ReceiptContracts
    kind: str
    key: dict[str, Any]
    block_number: NonNegativeInt
    view: str
    expected: dict[str, Any]
    events: tuple[ReceiptEvent, ...]
    issued_at: UtcDatetime
    issued_by: str
    verify_url: str | None = None


Receipt = DocumentReceipt | RecordReceipt
"""Any receipt."""

#: Every receipt subject and its model.
RECEIPT_SUBJECTS: dict[str, type[DocumentReceipt] | type[RecordReceipt]] = {
    "document": DocumentReceipt,
    "record": RecordReceipt,
}


def parse_receipt(content: bytes | str, source: str = "receipt") -> Receipt:
    """The receipt in `content`, by its `format` and `subject`; `EvidenceFileError` names what is wrong."""
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise EvidenceFileError(source, f"is not JSON ({error})") from None
    if not isinstance(data, dict):
        raise EvidenceFileError(source, "is not a receipt: expected a JSON object")
    if data.get("format") != RECEIPT_FORMAT:
        raise EvidenceFileError(
            source, f"is not a receipt: format is {data.get('format')!r}, expected {RECEIPT_FORMAT!r}"
        )
    model = RECEIPT_SUBJECTS.get(str(data.get("subject")))
    if model is None:
        raise EvidenceFileError(
            source, f"subject {data.get('subject')!r} is not one of {', '.join(RECEIPT_SUBJECTS)}"
        )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise EvidenceFileError(source, f"is not a valid receipt: {summarise_errors(error.errors())}") from None


def read_receipt(path: str | os.PathLike[str]) -> Receipt:
    """The receipt in the file at `path`."""
    target = Path(path)
    try:
        content = target.read_bytes()
    except OSError as error:
        raise EvidenceFileError(str(target), f"cannot be read ({error.strerror or error})") from error
    return parse_receipt(content, str(target))
