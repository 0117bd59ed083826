"""`GET /api/v1/verify/{sha256}` and `POST /api/v1/verify`: is this document anchored in the registry?

The answer comes from the indexed database (the anchor book entry, every record event naming the
document, every batch holding it with its Merkle proof), is checked while answering against the
contract itself over JSON-RPC (`liveCheck`), and says how anyone can check it again with their own
tools (`howToCheck`). An unknown or altered document is a normal answer, not an error: 200 with
`anchored: false` and the hash that was computed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Path, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from registry.api.deps import ApiContext, Context
from registry.api.direct_routes import DirectLookup
from registry.api.errors import ApiProblem, BadParameter
from registry.api.kept_answers import KeptAnswers
from registry.api.parameters import DocumentHash
from registry.api.schemas.common import ApiError, Provenance, from_unix
from registry.api.schemas.names import name_of
from registry.api.schemas.verification import (
    BatchMembership,
    CheckCommand,
    CheckStep,
    Citation,
    CitationCheck,
    FirstAnchoring,
    HowToCheck,
    LiveAnchor,
    LiveBatchCheck,
    LiveCheck,
    UnchangedStorage,
    Verification,
)
from registry.api.uploads import HashedUpload, UploadMalformed, UploadTooLarge, hash_multipart_field
from registry.chain.anchor_book import (
    AnchorBookReader,
    AnchorBookReading,
    AnchorReading,
    CitedLog,
    LiveCheckUnavailable,
)
from registry.chain.deployment import OUTCOME_REGISTRY
from registry.checking.citations import CitationClaim, judge_citation
from registry.evidence.hashing import hash_to_hex
from registry.evidence.store import DocumentStore
from registry.store.batch_members import BatchMembersUpkeep
from registry.store.documents import DocumentRecord, DocumentReference, EventLocation, document_record

UPLOAD_FIELD = "file"
NOT_FOUND_VERDICT = "not found: this document does not match any registered one"
DISAGREES_VERDICT = "the registry's copy disagrees with the chain: trust the chain"
#: Citations checked against the chain in one answer at most (each is a receipt the node is asked
#: for, once: a final one is kept); any beyond are marked not checked, with the command to check them.
MAX_CHECKED_CITATIONS = 50
_READER = "verification.anchor_book"
_CONTRACTS = "verification.contracts"
_UPKEEP = "verification.batch_members"

#: The API path of each record type `evidence_references` names (a milestone adds its index).
RECORD_PATHS = {
    "program": "/api/v1/programs/{id}",
    "project": "/api/v1/projects/{id}",
    "milestone": "/api/v1/projects/{id}/milestones/{index}",
    "audit": "/api/v1/evaluations/{id}",
    "outcome": "/api/v1/outcomes/{id}",
    "report": "/api/v1/commercialization-reports/{id}",
    "objection": "/api/v1/objections/{id}",
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
        DocumentHash,
        Path(
            description="The document's SHA-256 as `sha256sum` prints it: 64 hexadecimal characters, with or "
            "without 0x (not all zeros, which the registry reads as no document).",
            examples=["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
        ),
    ],
    context: Context,
) -> Verification:
    """Whether the document with this SHA-256 is anchored: when and by whom, which records name it,
    the batches holding it with their Merkle proofs, what the contract says just now, and the `cast`
    commands to check it yourself. An unknown hash is answered with `anchored: false`."""
    return await verify_digest(context, sha256)


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
    live, checks = await _live_check(context, digest, record)
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
    copy_anchored = first is not None or bool(batches)
    anchored = _chain_anchored(live)
    return Verification(
        sha256=digest,
        anchored=anchored,
        copy_anchored=copy_anchored,
        verdict=_verdict(record, live, checks),
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
                check=check,
            )
            for ref, check in zip(record.references, checks, strict=True)
        ],
        citations_truncated=record.references_truncated,
        batches=batches,
        live_check=live,
        how_to_check=_how_to_check(context, digest, record, contract),
        indexed_block=record.state.indexed_block if record.state else None,
    )


def _chain_anchored(live: LiveCheck) -> bool | None:
    """The contract's word: anchored on its own or by an accepted batch proof; None if not asked."""
    if live.status == "unavailable" or live.anchor_of is None:
        return None
    return live.anchor_of.anchored or any(batch.member for batch in live.batches)


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
    reader = AnchorBookReader(
        context.settings.rpc_url,
        context.manifest,
        timeout=context.settings.api_rpc_timeout,
        confirmations=context.settings.confirmations,
    )
    context.extras[_READER] = reader
    return reader


async def _live_check(
    context: ApiContext, digest: bytes, record: DocumentRecord
) -> tuple[LiveCheck, list[CitationCheck]]:
    """What the contract says about the document and each citation, compared with the copy."""
    reader = _reader(context)
    if reader is None:
        reason = "the API has no deployment manifest, so it cannot ask the contract"
        return LiveCheck(
            status="unavailable",
            message=f"{reason}; nothing in this answer was checked against the chain: check it with the commands "
            "in howToCheck",
        ), [_not_checked(reason) for _ in record.references]
    needed = max([0, *(b.location.block_number for b in record.batches)])
    if record.anchoring is not None:
        needed = max(needed, record.anchoring.location.block_number)
    asked = record.references[:MAX_CHECKED_CITATIONS]
    try:
        reading = await reader.read(
            digest,
            [(b.root, b.proof) for b in record.batches],
            min_block=needed,
            citations=[(ref.location.transaction_hash, ref.location.log_index) for ref in asked],
        )
    except LiveCheckUnavailable as error:
        return LiveCheck(
            status="unavailable",
            message=f"the contract could not be asked just now: {error.reason}; nothing in this answer was checked "
            "against the chain: check it with the commands in howToCheck",
            chain_id=reader.chain_id,
            contract=reader.contract,
        ), [_not_checked(f"the chain could not be asked ({error.reason})") for _ in record.references]
    contracts = _registry_contracts(context, reader)
    checks = [
        _citation_check(digest, ref, log, contracts) for ref, log in zip(asked, reading.citations, strict=True)
    ]
    checks += [
        _not_checked(
            f"only the first {MAX_CHECKED_CITATIONS} citations are checked in one answer: check this one with "
            f"`cast receipt {hash_to_hex(ref.location.transaction_hash)}`"
        )
        for ref in record.references[MAX_CHECKED_CITATIONS:]
    ]
    return _compare(record, reading, checks), checks


def _not_checked(reason: str) -> CitationCheck:
    return CitationCheck(status="not-checked", message=f"not checked: {reason}")


def _registry_contracts(context: ApiContext, reader: AnchorBookReader) -> tuple[str, ...]:
    """The grant and outcome registries, checksummed once (EIP-55 costs a keccak per address)."""
    known = context.extras.get(_CONTRACTS)
    if not isinstance(known, tuple):
        outcomes = context.manifest.address(OUTCOME_REGISTRY) if context.manifest else None
        known = context.extras[_CONTRACTS] = (reader.contract, *([outcomes] if outcomes else []))
    return known


def _citation_check(
    digest: bytes, ref: DocumentReference, log: CitedLog | None, contracts: tuple[str, ...]
) -> CitationCheck:
    claim = CitationClaim(
        document_hash=digest, event=ref.event, record_type=ref.record_type, record_id=ref.record_id,
        milestone_index=ref.milestone_index, transaction_hash=ref.location.transaction_hash,
        log_index=ref.location.log_index, block_number=ref.location.block_number,
    )  # fmt: skip
    return _judged(claim, log, contracts)


#: The caches of models below stay small: every object one keeps is walked by each full collection of the
#: garbage collector (a pydantic model with its fields, about half a microsecond each: 100,000 of them stall
#: the server for 60 ms), and an answer that holds across blocks is kept whole, as bytes (`_kept_answers`).
def _judged(claim: CitationClaim, log: CitedLog | None, contracts: tuple[str, ...]) -> CitationCheck:
    status, message = _judgement(claim, log, contracts)
    return CitationCheck.model_construct(status=status, message=message)


@lru_cache(maxsize=8192)
def _judgement(claim: CitationClaim, log: CitedLog | None, contracts: tuple[str, ...]) -> tuple[str, str]:
    """The chain's word on a citation: a log the node returned never changes once final (the reader
    keeps those), so the same claim about the same log is judged once."""
    judged = judge_citation(claim, log, contracts)
    return judged.status, judged.message


def _compare(record: DocumentRecord, reading: AnchorBookReading, checks: list[CitationCheck]) -> LiveCheck:
    chain = reading.anchor
    stored = record.anchoring
    problems = []
    if chain.anchored and stored is None:
        problems.append(
            f"the contract has the document anchored at block {chain.block_number:,}, which the registry's copy "
            f"(indexed to block {record.state.indexed_block if record.state else 0:,}) has not read yet"
        )
    elif stored is not None and not chain.anchored:
        problems.append(
            f"the registry's copy says the document was anchored at block {stored.location.block_number:,}, but the "
            f"contract has no anchoring of it at block {reading.block_number:,}"
        )
    elif stored is not None and (
        chain.block_number != stored.location.block_number
        or chain.anchored_by != stored.anchored_by
        or chain.kind != stored.kind
    ):
        problems.append(
            f"the contract says the document was first anchored at block {chain.block_number:,} by "
            f"{chain.anchored_by} as {name_of(chain.kind)}, the registry's copy says block "
            f"{stored.location.block_number:,} by {stored.anchored_by} as {name_of(stored.kind)}"
        )
    for batch, member in zip(record.batches, reading.members, strict=True):
        if not member:
            problems.append(f"verifyBatchMember refused the copy's proof for batch {hash_to_hex(batch.root)}")
    refuted = [check for check in checks if check.status == "disagrees"]
    if refuted:
        problems.append(
            f"{len(refuted)} of the copy's {len(checks)} citation(s) are not on the chain as listed ("
            + "; ".join(check.message for check in refuted[:3])
            + ("; …" if len(refuted) > 3 else "")
            + ")"
        )
    anchored = chain.anchored or any(reading.members)
    status: Literal["confirmed", "not-anchored", "disagrees"]
    if problems:
        status, message = "disagrees", f"{DISAGREES_VERDICT}: " + "; ".join(problems)
    elif anchored:
        status = "confirmed"
        parts = []
        if chain.anchored:
            parts.append(f"anchorOf names the same first anchoring (block {chain.block_number:,})")
        if reading.members:
            parts.append(f"verifyBatchMember accepted the proof for each of the {len(reading.members)} batch(es)")
        confirmed = sum(1 for check in checks if check.status == "confirmed")
        if checks:
            unchecked = len(checks) - confirmed
            parts.append(
                f"{confirmed} citation(s) found on the chain as listed"
                + (f", {unchecked} not checked" if unchecked else "")
            )
        message = "the contract confirms it: " + " and ".join(parts)
    else:
        status, message = "not-anchored", "the contract has no anchoring of this hash either"
    unchanged = None
    if reading.asked_at is not None and reading.storage is not None:
        unchanged = UnchangedStorage.model_construct(
            asked_at_block=reading.asked_at,
            storage_hash=reading.storage.storage_hash,
            code_hash=reading.storage.code_hash,
        )
        message += (
            f" (the contract was asked at block {reading.asked_at:,}; its storage root is the same at block "
            f"{reading.block_number:,}, so its answers hold there)"
        )
    # Built from values read and typed here: `model_construct` skips validating them again (pydantic
    # validation of these models cost more than the rest of a reused live check).
    return LiveCheck.model_construct(
        status=status,
        message=message,
        chain_id=reading.chain_id,
        contract=reading.contract,
        block_number=reading.block_number,
        checked_at=datetime.fromtimestamp(reading.checked_at, UTC),
        final=status == "confirmed" and reading.final,
        anchor_of=_live_anchor(chain),
        batches=[
            LiveBatchCheck.model_construct(root=batch.root, member=member)
            for batch, member in zip(record.batches, reading.members, strict=True)
        ],
        storage_unchanged=unchanged,
    )


@lru_cache(maxsize=4096)
def _live_anchor(chain: AnchorReading) -> LiveAnchor:
    """`anchorOf` as the contract answered, in the answer's model (the same reading, the same model)."""
    return LiveAnchor(
        anchored=chain.anchored,
        anchored_by=chain.anchored_by,
        anchored_at=from_unix(chain.timestamp) if chain.timestamp is not None else None,
        block_number=chain.block_number,
        kind=chain.kind if chain.anchored else None,
    )


# ---- words and commands ---------------------------------------------------------------------------


def _verdict(record: DocumentRecord, live: LiveCheck, checks: list[CitationCheck]) -> str:
    """The headline, from the chain: the copy only adds detail, and is named when it disagrees."""
    if live.status == "unavailable":
        return f"could not be checked against the chain just now; the registry's copy says: {_copy_words(record)}"
    if live.status == "not-anchored":
        return NOT_FOUND_VERDICT
    chain = live.anchor_of
    at = f" (the contract at {live.contract} on chain {live.chain_id}, block {live.block_number:,})"
    chain_words = NOT_FOUND_VERDICT
    if chain is not None and chain.anchored and chain.block_number is not None:
        when = _iso(chain.anchored_at) if chain.anchored_at else "an unknown time"
        kind = name_of(chain.kind).replace("-", " ") if chain.kind is not None else "a document"
        chain_words = (
            f"anchored: first anchored on {when} (block {chain.block_number:,}) by {chain.anchored_by}, as {kind}"
        )
    elif any(batch.member for batch in live.batches):
        chain_words = "anchored: in an anchored batch whose proof the contract accepts"
    if live.status == "disagrees":
        return f"{DISAGREES_VERDICT}. The chain says {chain_words.replace('anchored: ', 'it is anchored: ', 1)}{at}"
    parts = [chain_words + at]
    if record.batches:
        earliest = record.batches[0]
        parts.append(
            f"in {len(record.batches)} anchored batch(es), the first on "
            f"{_iso(from_unix(earliest.location.block_time))} (block {earliest.location.block_number:,}) "
            f"as {earliest.path!r}"
        )
    if record.references:
        confirmed = sum(1 for check in checks if check.status == "confirmed")
        parts.append(
            f"named by {len(record.references)}{'+' if record.references_truncated else ''} record event(s), "
            f"{confirmed} of them checked on the chain"
        )
    return "; ".join(parts)


def _copy_words(record: DocumentRecord) -> str:
    """What the registry's copy alone says, for an answer the chain could not check."""
    first, batches = record.anchoring, record.batches
    if first is None and not batches:
        return "the document is not in the registry"
    parts = []
    if first is not None:
        parts.append(
            f"first anchored on {_iso(from_unix(first.location.block_time))} (block {first.location.block_number:,}) "
            f"by {first.anchored_by}, as {name_of(first.kind).replace('-', ' ')}"
        )
    if batches:
        parts.append(f"in {len(batches)} anchored batch(es)")
    if record.references:
        parts.append(f"named by {len(record.references)}{'+' if record.references_truncated else ''} record event(s)")
    return "; ".join(parts)


def _how_to_check(context: ApiContext, digest: bytes, record: DocumentRecord, contract: str | None) -> HowToCheck:
    """The commands, the same for as long as the copy says the same of the document: kept per
    (document, anchoring transaction, batches) for a document the copy holds, since building them costs
    more than the lookup. Those for a hash the copy does not hold are built each time: most such hashes
    are asked once, and keeping them would only give the garbage collector more to walk."""
    chain_id = context.manifest.chain_id if context.manifest else (record.state.chain_id if record.state else None)
    anchoring = record.anchoring.location.transaction_hash if record.anchoring is not None else None
    batches = tuple((batch.root, tuple(batch.proof)) for batch in record.batches)
    build = _commands if anchoring is not None or batches else _commands.__wrapped__
    steps = build(digest, anchoring, batches, chain_id, contract, _cast_functions(context))
    # Built from the strings written below: `model_construct` skips validating them again.
    return HowToCheck.model_construct(
        chain_id=chain_id,
        contract=contract,
        steps=[
            CheckCommand.model_construct(step=step, purpose=purpose, command=command, root=root)
            for step, purpose, command, root in steps
        ],
    )


#: One step of `howToCheck` as plain strings (a tuple of them is no work for the garbage collector).
_Step = tuple[CheckStep, str, str, bytes | None]


@lru_cache(maxsize=2048)
def _commands(
    digest: bytes,
    anchoring: bytes | None,
    batches: tuple[tuple[bytes, tuple[bytes, ...]], ...],
    chain_id: int | None,
    contract: str | None,
    functions: tuple[str, str],
) -> tuple[_Step, ...]:
    document = hash_to_hex(digest)
    rpc = '--rpc-url "$RPC_URL"'
    steps: list[_Step] = [
        ("hash-file", "Compute the document's SHA-256 yourself; it must equal sha256 above (macOS: "
         "`shasum -a 256 FILE`; Windows: `certutil -hashfile FILE SHA256`).", "sha256sum FILE", None),
    ]  # fmt: skip
    if contract is None:
        return tuple(steps)
    anchor_of, verify_member = functions
    steps.append(
        ("chain-id", f"Check that your node (set RPC_URL to its JSON-RPC address) is on the registry's chain: it "
         f"must print {chain_id}.", f"cast chain-id {rpc}", None)
    )  # fmt: skip
    steps.append(
        ("anchor-of", "Ask the registry's anchor book about the document: it prints who first anchored it, when "
         "(unix seconds), in which block, and as what kind (a number); all zeros if it never was on its own.",
         f'cast call {contract} "{anchor_of}" {document} {rpc}', None)
    )  # fmt: skip
    if anchoring is not None:
        steps.append(
            ("anchoring-receipt", "See the transaction that first anchored it, with its events.",
             f"cast receipt {hash_to_hex(anchoring)} {rpc}", None)
        )  # fmt: skip
    for root, batch_proof in batches:
        proof = "[" + ",".join(hash_to_hex(p) for p in batch_proof) + "]"
        steps.append(
            ("batch-member", f"Ask the contract whether the document is in the batch with root {hash_to_hex(root)}, "
             "by its Merkle proof: it prints true or false.",
             f'cast call {contract} "{verify_member}" {hash_to_hex(root)} {document} "{proof}" {rpc}', root)
        )  # fmt: skip
    return tuple(steps)


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


# ---- kept answers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _AnswerBasis:
    """What a verify answer is built from: the database, whose change counter moves with any commit to it
    (the indexer's checkpoint, the batch members listed, an edit by hand); the chain reader's final
    readings (their epoch moves when the chain they were read on was replaced); and the head of the chain
    the live check reads at, None while the head as last read is stale."""

    database: tuple[int, str]
    finality_epoch: int
    head: tuple[int, str] | None


async def _answer_basis(context: ApiContext) -> _AnswerBasis | None:
    """The basis of an answer built now; None with no reader (no deployment manifest). A final answer
    needs nothing more of the node, so it is given again whatever the node's state, until the reader
    finds the chain replaced or another one served (its finality epoch moves)."""
    reader = _reader(context)
    if reader is None:
        return None

    return _AnswerBasis(await context.data_version(), reader.finality_epoch, reader.head_in_use())


def _keepable(answer: BaseModel, basis: Hashable) -> Hashable | None:
    """What an answer is kept under: a final one (its findings hold at every later block) for as long as the
    database and the final readings stay the same, whatever the head; one checked at the basis's head for
    that head; one that could not be checked, never."""
    assert isinstance(answer, Verification) and isinstance(basis, _AnswerBasis)
    live = answer.live_check
    if live.final:
        return replace(basis, head=None)
    if live.status != "unavailable" and basis.head is not None and live.block_number == basis.head[0]:
        return basis
    return None


def _holding(basis: Hashable) -> tuple[Hashable, ...]:
    """What kept answers hold on `basis`: those kept under it, and final ones kept under its database and
    final readings, whatever the head."""
    assert isinstance(basis, _AnswerBasis)
    lasting = replace(basis, head=None)
    return (basis, lasting) if basis.head is not None else (lasting,)


def _kept_answers() -> KeptAnswers:
    return KeptAnswers(_answer_basis, _keepable, _holding)


DIRECT_LOOKUPS = [DirectLookup.of(router, verify_hash, kept=_kept_answers)]
