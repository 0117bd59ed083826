"""`GET /api/v1/verify/{sha256}` and `POST /api/v1/verify`: is this document anchored in the registry?

The answer comes from the indexed database (the anchor book entry, every record event naming the
document, every batch holding it with its Merkle proof), is checked while answering against the
contract itself over JSON-RPC (`liveCheck`), and says how anyone can check it again with their own
tools (`howToCheck`). An unknown or altered document is a normal answer, not an error: 200 with
`anchored: false` and the hash that was computed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Path, Request
from starlette.concurrency import run_in_threadpool

from registry.api.deps import ApiContext, Context
from registry.api.direct_routes import DirectLookup
from registry.api.errors import ApiProblem, BadParameter
from registry.api.schemas.common import ApiError, Provenance, from_unix
from registry.api.schemas.names import name_of
from registry.api.schemas.verification import (
    BatchMembership,
    CheckCommand,
    Citation,
    FirstAnchoring,
    HowToCheck,
    LiveAnchor,
    LiveBatchCheck,
    LiveCheck,
    Verification,
)
from registry.api.uploads import HashedUpload, UploadMalformed, UploadTooLarge, hash_multipart_field
from registry.chain.anchor_book import AnchorBookReader, AnchorBookReading, LiveCheckUnavailable
from registry.evidence.hashing import InvalidDocumentHash, hash_to_hex, parse_document_hash
from registry.evidence.store import DocumentStore
from registry.store.batch_members import BatchMembersUpkeep
from registry.store.documents import DocumentRecord, EventLocation, document_record

UPLOAD_FIELD = "file"
NOT_FOUND_VERDICT = "not found: this document does not match any registered one"
_READER = "verification.anchor_book"
_UPKEEP = "verification.batch_members"
_HASH_PATTERN = "^(0[xX])?[0-9a-fA-F]{64}$"

#: The API path of each record type `evidence_references` names (a milestone adds its index).
RECORD_PATHS = {
    "program": "/api/v1/programs/{id}",
    "project": "/api/v1/projects/{id}",
    "milestone": "/api/v1/projects/{id}/milestones/{index}",
    "audit": "/api/v1/evaluations/{id}",
    "outcome": "/api/v1/outcomes/{id}",
    "report": "/api/v1/commercialization-reports/{id}",
}
BATCH_PATH = "/api/v1/batches/{root}"


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    context: ApiContext = app.state.context
    reader = context.extras.pop(_READER, None)
    if isinstance(reader, AnchorBookReader):
        await reader.close()


router = APIRouter(prefix="/api/v1", tags=["verification"], lifespan=_lifespan)

_ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"model": ApiError, "description": "The hash is not 64 hexadecimal characters, or the upload is not "
          "multipart/form-data with a `file` field."},
}  # fmt: skip


@router.get(
    "/verify/{sha256}",
    response_model=Verification,
    responses=_ERRORS,
    summary="Verify a document by its SHA-256",
)
async def verify_hash(
    sha256: Annotated[
        str,
        Path(
            description="The document's SHA-256 as `sha256sum` prints it: 64 hexadecimal characters, with or "
            "without 0x.",
            json_schema_extra={"pattern": _HASH_PATTERN},
            examples=["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
        ),
    ],
    context: Context,
) -> Verification:
    """Whether the document with this SHA-256 is anchored: when and by whom, which records name it,
    the batches holding it with their Merkle proofs, what the contract says just now, and the `cast`
    commands to check it yourself. An unknown hash is answered with `anchored: false`."""
    try:
        digest = parse_document_hash(sha256)
    except InvalidDocumentHash as error:
        raise BadParameter(f"sha256: {error}", parameter="sha256", status=422) from None
    return await verify_digest(context, digest)


async def verify_digest(context: ApiContext, digest: bytes) -> Verification:
    """The answer of `verify_hash`, which the direct route gives too (registry/api/direct_routes.py)."""
    return await _verify(context, digest, None)


@router.post(
    "/verify",
    response_model=Verification,
    responses={
        **_ERRORS,
        413: {"model": ApiError, "description": "The document is larger than the API accepts."},
    },
    summary="Verify a document by uploading it",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": [UPLOAD_FIELD],
                        "properties": {UPLOAD_FIELD: {"type": "string", "format": "binary"}},
                    }
                }
            },
        }
    },
)
async def verify_upload(request: Request, context: Context) -> Verification:
    """Upload a document (multipart/form-data, field `file`) to learn whether it is anchored. It is
    hashed as it streams in and not kept; the answer is that of `GET /api/v1/verify/{sha256}` for
    its SHA-256, plus its size and name. A document that differs in a single byte is not anchored."""
    limit = context.settings.api_max_upload_bytes
    try:
        upload = await hash_multipart_field(
            request.headers.get("content-type"),
            request.headers.get("content-length"),
            request.stream(),
            field=UPLOAD_FIELD,
            limit=limit,
        )
    except UploadTooLarge as error:
        raise ApiProblem(str(error), parameter=UPLOAD_FIELD, status=413) from None
    except UploadMalformed as error:
        raise BadParameter(str(error), parameter=UPLOAD_FIELD, status=422) from None
    return await _verify(context, upload.sha256, upload)


async def _verify(context: ApiContext, digest: bytes, upload: HashedUpload | None) -> Verification:
    record = await _read(context, digest)
    live = await _live_check(context, digest, record)
    contract = _contract(context, record)
    first = record.anchoring
    batches = [
        BatchMembership(
            root=batch.root,
            path=batch.path,
            position=batch.position,
            leaf_count=batch.leaf_count,
            manifest_hash=batch.manifest_hash,
            proof=batch.proof,
            anchored_by=batch.anchored_by,
            anchored_at=from_unix(batch.location.block_time),
            batch_path=BATCH_PATH.format(root=hash_to_hex(batch.root)),
            provenance=_provenance(batch.location, contract),
        )
        for batch in record.batches
    ]
    chain_anchor = live.anchor_of if live.anchor_of is not None and live.anchor_of.anchored else None
    anchored = first is not None or bool(batches) or chain_anchor is not None
    return Verification(
        sha256=digest,
        anchored=anchored,
        verdict=_verdict(record, chain_anchor),
        file_name=upload.file_name if upload else None,
        size=upload.size if upload else None,
        first_anchoring=(
            FirstAnchoring(
                anchored_by=first.anchored_by,
                anchored_at=from_unix(first.location.block_time),
                kind=first.kind,
                provenance=_provenance(first.location, contract),
            )
            if first is not None
            else None
        ),
        citations=[
            Citation(
                record_type=ref.record_type,
                record_id=ref.record_id,
                milestone_index=ref.milestone_index,
                event=ref.event,
                kind=ref.kind,
                position=ref.position,
                actor=ref.actor,
                anchoring=ref.anchoring,
                record_path=_record_path(ref.record_type, ref.record_id, ref.milestone_index),
                provenance=_provenance(ref.location, contract),
            )
            for ref in record.references
        ],
        citations_truncated=record.references_truncated,
        batches=batches,
        live_check=live,
        how_to_check=_how_to_check(context, digest, record, contract),
        indexed_block=record.state.indexed_block if record.state else None,
    )


# ---- the database ---------------------------------------------------------------------------------


async def _read(context: ApiContext, digest: bytes) -> DocumentRecord:
    record = await _document(context, digest)
    upkeep = _upkeep(context)
    checkpoint = record.state.indexed_block_hash if record.state else None
    if record.state is not None and upkeep.due(checkpoint):
        # New batches were indexed since the last look: list their members before answering.
        done = await run_in_threadpool(upkeep.refresh, checkpoint)
        if done is not None and (done.members_added or done.members_removed):
            record = await _document(context, digest)
    return record


async def _document(context: ApiContext, digest: bytes) -> DocumentRecord:
    def read() -> DocumentRecord:
        with context.snapshot() as reader:
            return document_record(reader, digest)

    return await context.read(read)


def _upkeep(context: ApiContext) -> BatchMembersUpkeep:
    upkeep = context.extras.get(_UPKEEP)
    if not isinstance(upkeep, BatchMembersUpkeep):
        upkeep = BatchMembersUpkeep(context.engine, DocumentStore(context.settings.document_store_dir))
        context.extras[_UPKEEP] = upkeep
    return upkeep


# ---- the chain, live ------------------------------------------------------------------------------


def _reader(context: ApiContext) -> AnchorBookReader | None:
    reader = context.extras.get(_READER)
    if isinstance(reader, AnchorBookReader):
        return reader
    if context.manifest is None:
        return None
    reader = AnchorBookReader(context.settings.rpc_url, context.manifest, timeout=context.settings.api_rpc_timeout)
    context.extras[_READER] = reader
    return reader


async def _live_check(context: ApiContext, digest: bytes, record: DocumentRecord) -> LiveCheck:
    reader = _reader(context)
    if reader is None:
        return LiveCheck(
            status="unavailable",
            message="the API has no deployment manifest, so it cannot ask the contract; this answer comes from "
            "its database alone: check it with the commands in howToCheck",
        )
    needed = max([0, *(b.location.block_number for b in record.batches)])
    if record.anchoring is not None:
        needed = max(needed, record.anchoring.location.block_number)
    try:
        reading = await reader.read(digest, [(b.root, b.proof) for b in record.batches], min_block=needed)
    except LiveCheckUnavailable as error:
        return LiveCheck(
            status="unavailable",
            message=f"the contract could not be asked just now: {error.reason}; this answer comes from the API's "
            "database alone: check it with the commands in howToCheck",
            chain_id=reader.chain_id,
            contract=reader.contract,
        )
    return _compare(record, reading)


def _compare(record: DocumentRecord, reading: AnchorBookReading) -> LiveCheck:
    chain = reading.anchor
    stored = record.anchoring
    problems = []
    if chain.anchored and stored is None:
        problems.append(
            f"the contract has the document anchored at block {chain.block_number:,}, which the API's database "
            f"(indexed to block {record.state.indexed_block if record.state else 0:,}) has not read yet"
        )
    elif stored is not None and not chain.anchored:
        problems.append(
            f"the API's database says the document was anchored at block {stored.location.block_number:,}, but the "
            f"contract has no anchoring of it at block {reading.block_number:,}: trust the contract (the database "
            "may follow blocks the chain has since replaced)"
        )
    elif stored is not None and (
        chain.block_number != stored.location.block_number
        or chain.anchored_by != stored.anchored_by
        or chain.kind != stored.kind
    ):
        problems.append(
            f"the contract says the document was first anchored at block {chain.block_number:,} by "
            f"{chain.anchored_by} as {name_of(chain.kind)}, the API's database says block "
            f"{stored.location.block_number:,} by {stored.anchored_by} as {name_of(stored.kind)}: trust the contract"
        )
    for batch, member in zip(record.batches, reading.members, strict=True):
        if not member:
            problems.append(
                f"verifyBatchMember refused the proof for batch {hash_to_hex(batch.root)}: trust the contract"
            )
    anchored = chain.anchored or any(reading.members)
    status: Literal["confirmed", "not-anchored", "disagrees"]
    if problems:
        status, message = "disagrees", "; ".join(problems)
    elif anchored:
        status = "confirmed"
        parts = []
        if chain.anchored:
            parts.append(f"anchorOf names the same first anchoring (block {chain.block_number:,})")
        if reading.members:
            parts.append(f"verifyBatchMember accepted the proof for each of the {len(reading.members)} batch(es)")
        message = "the contract confirms it: " + " and ".join(parts)
    else:
        status, message = "not-anchored", "the contract has no anchoring of this hash either"
    return LiveCheck(
        status=status,
        message=message,
        chain_id=reading.chain_id,
        contract=reading.contract,
        block_number=reading.block_number,
        checked_at=datetime.fromtimestamp(reading.checked_at, UTC),
        anchor_of=LiveAnchor(
            anchored=chain.anchored,
            anchored_by=chain.anchored_by,
            anchored_at=from_unix(chain.timestamp) if chain.timestamp is not None else None,
            block_number=chain.block_number,
            kind=chain.kind if chain.anchored else None,
        ),
        batches=[
            LiveBatchCheck(root=batch.root, member=member)
            for batch, member in zip(record.batches, reading.members, strict=True)
        ],
    )


# ---- words and commands ---------------------------------------------------------------------------


def _verdict(record: DocumentRecord, chain_anchor: LiveAnchor | None) -> str:
    first, batches = record.anchoring, record.batches
    if first is None and not batches:
        if chain_anchor is not None and chain_anchor.block_number is not None:
            when = _iso(chain_anchor.anchored_at) if chain_anchor.anchored_at else "an unknown time"
            return (
                f"anchored: the contract has it anchored at block {chain_anchor.block_number:,} ({when}); the API's "
                "database has not indexed that block yet, so the records naming it are not listed"
            )
        return NOT_FOUND_VERDICT
    parts = []
    if first is not None:
        parts.append(
            f"anchored: first anchored on {_iso(from_unix(first.location.block_time))} "
            f"(block {first.location.block_number:,}) by {first.anchored_by}, "
            f"as {name_of(first.kind).replace('-', ' ')}"
        )
    if batches:
        earliest = batches[0]
        lead = "anchored: " if first is None else ""
        parts.append(
            f"{lead}in {len(batches)} anchored batch(es), the first on "
            f"{_iso(from_unix(earliest.location.block_time))} (block {earliest.location.block_number:,}) "
            f"as {earliest.path!r}"
        )
    if record.references:
        parts.append(f"named by {len(record.references)}{'+' if record.references_truncated else ''} record event(s)")
    return "; ".join(parts)


def _how_to_check(context: ApiContext, digest: bytes, record: DocumentRecord, contract: str | None) -> HowToCheck:
    document = hash_to_hex(digest)
    rpc = '--rpc-url "$RPC_URL"'
    steps = [
        CheckCommand(
            step="hash-file",
            purpose="Compute the document's SHA-256 yourself; it must equal sha256 above (macOS: "
            "`shasum -a 256 FILE`; Windows: `certutil -hashfile FILE SHA256`).",
            command="sha256sum FILE",
        )
    ]
    chain_id = context.manifest.chain_id if context.manifest else (record.state.chain_id if record.state else None)
    if contract is None:
        return HowToCheck(chain_id=chain_id, contract=None, steps=steps)
    anchor_of, verify_member = _cast_functions(context)
    steps.append(
        CheckCommand(
            step="chain-id",
            purpose=f"Check that your node (set RPC_URL to its JSON-RPC address) is on the registry's chain: it "
            f"must print {chain_id}.",
            command=f"cast chain-id {rpc}",
        )
    )
    steps.append(
        CheckCommand(
            step="anchor-of",
            purpose="Ask the registry's anchor book about the document: it prints who first anchored it, when (unix "
            "seconds), in which block, and as what kind (a number); all zeros if it never was on its own.",
            command=f'cast call {contract} "{anchor_of}" {document} {rpc}',
        )
    )
    if record.anchoring is not None:
        steps.append(
            CheckCommand(
                step="anchoring-receipt",
                purpose="See the transaction that first anchored it, with its events.",
                command=f"cast receipt {hash_to_hex(record.anchoring.location.transaction_hash)} {rpc}",
            )
        )
    for batch in record.batches:
        proof = "[" + ",".join(hash_to_hex(p) for p in batch.proof) + "]"
        steps.append(
            CheckCommand(
                step="batch-member",
                purpose=f"Ask the contract whether the document is in the batch with root {hash_to_hex(batch.root)}, "
                "by its Merkle proof: it prints true or false.",
                command=f'cast call {contract} "{verify_member}" {hash_to_hex(batch.root)} {document} "{proof}" {rpc}',
                root=batch.root,
            )
        )
    return HowToCheck(chain_id=chain_id, contract=contract, steps=steps)


def _cast_functions(context: ApiContext) -> tuple[str, str]:
    reader = _reader(context)
    if reader is not None:
        return reader.anchor_of.cast_signature, reader.verify_batch_member.cast_signature
    # Without a manifest, the signatures of the interface the registry has always had.
    return "anchorOf(bytes32)(address,uint40,uint48,uint8)", "verifyBatchMember(bytes32,bytes32,bytes32[])(bool)"


def _contract(context: ApiContext, record: DocumentRecord) -> str | None:
    """The grant registry's address: the manifest's, or else the one the indexer followed."""
    reader = _reader(context)
    if reader is not None:
        return reader.contract  # checksummed once (EIP-55 costs a keccak)
    return record.state.grant_registry if record.state else None


def _provenance(location: EventLocation, contract: str | None) -> Provenance:
    return Provenance(
        chain_id=location.chain_id,
        contract=location.contract or contract or "0x" + "0" * 40,
        transaction_hash=location.transaction_hash,
        block_number=location.block_number,
        block_time=from_unix(location.block_time),
        log_index=location.log_index,
        signer=location.signer,
    )


def _record_path(record_type: str, record_id: int, milestone_index: int | None) -> str | None:
    template = RECORD_PATHS.get(record_type)
    if template is None:
        return None
    return template.format(id=record_id, index=milestone_index)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


DIRECT_LOOKUPS = [DirectLookup("/api/v1/verify/{sha256:sha256}", verify_digest, Verification)]
