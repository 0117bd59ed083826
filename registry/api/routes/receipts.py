"""`GET /api/v1/verify/{sha256}/receipt`: a receipt (`rnd-registry-receipt/1`) of an anchored document,
to keep and check later against any node, without this server.

Built from the indexed database (the anchor book's entry, the batches holding the document with
their proofs, the blocks' hashes), so it is only the API's claim: `issuedBy` says so, and the
reader checks it against a node of their choosing (`rnd-registry verify FILE --receipt R --rpc URL`,
or the standalone verifier, `/verifier.html`). A document the database has no anchoring of is a 404.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from registry.api.deps import ApiContext, Context
from registry.api.errors import NotFound
from registry.api.parameters import DocumentHash
from registry.api.schemas.common import ApiError
from registry.checking.receipts import DocumentReceipt, Receipt, ReceiptAnchoring, ReceiptBatch
from registry.evidence.hashing import hash_to_hex
from registry.store.documents import DocumentRecord, document_record
from registry.store.queries.prepared import Snapshot

router = APIRouter(prefix="/api/v1", tags=["verification"])

ISSUED_BY = "rnd-registry API, from its indexed copy of the chain (a claim: check it against your own node)"


@router.get(
    "/verify/{sha256}/receipt",
    response_model=DocumentReceipt,
    responses={
        404: {"model": ApiError, "description": "The registry's copy holds no anchoring of this document."},
        422: {"model": ApiError, "description": "The hash is not 64 hexadecimal characters."},
    },
    summary="A receipt of an anchored document",
)
async def document_receipt(
    request: Request,
    sha256: Annotated[
        DocumentHash,
        Path(description="The document's SHA-256, 64 hexadecimal characters, with or without 0x (not all zeros)."),
    ],
    context: Context,
) -> Response:
    """The receipt of the document (`rnd-registry-receipt/1`, as a file to download): where the registry's
    copy says it was anchored, on its own and in batches, with the Merkle proofs and block hashes. It is
    a claim; the verdict comes from checking it against a node of the chain."""
    receipt = await context.read(lambda: _receipt(context, sha256, _verify_url(request, sha256)))
    return receipt_download(receipt, f"receipt-{sha256.hex()[:12]}.json")


def receipt_download(receipt: Receipt, file_name: str) -> Response:
    """A receipt as a JSON file to download and keep."""
    return Response(
        receipt.to_json(),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{file_name}"'},
    )


def _not_anchored(digest: bytes) -> NotFound:
    return NotFound(f"the registry's copy holds no anchoring of the document {hash_to_hex(digest)}", parameter="sha256")


def _verify_url(request: Request, digest: bytes) -> str:
    return str(request.base_url).rstrip("/") + "/verify?sha256=" + digest.hex()


def _receipt(context: ApiContext, digest: bytes, verify_url: str) -> DocumentReceipt:
    with context.snapshot() as reader:
        record = document_record(reader, digest)
        blocks = [record.anchoring.location.block_number] if record.anchoring else []
        blocks += [batch.location.block_number for batch in record.batches]
        hashes = _block_hashes(reader, blocks)
    if record.state is None or (record.anchoring is None and not record.batches):
        raise _not_anchored(digest)
    anchoring = _anchoring(record, hashes)
    if anchoring is None and not record.batches:
        raise _not_anchored(digest)
    return DocumentReceipt(
        sha256=digest,
        chain_id=record.state.chain_id,
        contract=record.state.grant_registry,
        issued_at=datetime.now(UTC).replace(microsecond=0),
        issued_by=ISSUED_BY,
        anchoring=anchoring,
        batches=tuple(
            ReceiptBatch(
                root=batch.root,
                path=batch.path,
                leaf_count=batch.leaf_count,
                manifest_hash=batch.manifest_hash,
                proof=tuple(batch.proof),
                block_number=batch.location.block_number,
                block_hash=hashes[batch.location.block_number],
                transaction_hash=batch.location.transaction_hash,
                log_index=batch.location.log_index,
            )
            for batch in record.batches
        ),
        verify_url=verify_url,
    )


def _anchoring(record: DocumentRecord, hashes: dict[int, bytes]) -> ReceiptAnchoring | None:
    first = record.anchoring
    if first is None or first.location.block_number not in hashes:
        return None
    where = first.location
    event = next(
        (ref.event for ref in record.references
         if (ref.location.block_number, ref.location.log_index) == (where.block_number, where.log_index) and ref.event),
        None,
    )  # fmt: skip
    if event is None:
        return None  # the copy lacks the anchoring event: claim only the batches
    return ReceiptAnchoring(
        kind=first.kind,
        anchored_by=first.anchored_by,
        block_number=where.block_number,
        block_hash=hashes[where.block_number],
        block_time=datetime.fromtimestamp(where.block_time, UTC),
        transaction_hash=where.transaction_hash,
        log_index=where.log_index,
        event=event,
    )


def _block_hashes(reader: Snapshot, numbers: list[int]) -> dict[int, bytes]:
    if not numbers:
        return {}
    wanted = sorted(set(numbers))
    placeholder = "?" if reader.dialect.name == "sqlite" else "%s"
    statement = (
        f"SELECT block_number, block_hash FROM blocks WHERE block_number IN ({', '.join([placeholder] * len(wanted))})"
    )
    cursor = reader.dbapi_connection.cursor()
    try:
        cursor.execute(statement, wanted)
        rows: list[Any] = list(cursor.fetchall())
    finally:
        cursor.close()
    return {int(number): bytes(block_hash) for number, block_hash in rows}
