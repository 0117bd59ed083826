"""`POST /api/v1/documents`: a document a person publishes from the workspace (evidence a clerk marks
public, an auditor's review note, a rejection reason), kept in the document store and served to
everyone at `GET /api/v1/documents/{sha256}`; and `GET /api/v1/documents/publishing`, what its
signature must name.

The server is no one's free file host and stores nothing nobody vouched for: the uploader signs
(EIP-191 `personal_sign`) a message naming the document's SHA-256, the chain id and the registry
(`registry/evidence/publishing.py`), and must be, as the chain says at its head (not the SQL copy), a
registry role holder or a company's bound account. The signature and the account are checked as soon
as the document's part begins, before a byte of it is kept; the bytes are hashed as they stream in, in
a temporary file the store moves into place only if they hash to the declared SHA-256. Requests are
limited per client address and per signer as the relay limits them. Every refusal answers in the
person's language with a reason code, and stores nothing.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from dataclasses import dataclass
from typing import Any

import requests
from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from web3.exceptions import Web3RPCError

from registry.api.deps import ApiContext, Context
from registry.api.parameters import ADDRESS_PATTERN, HASH_PATTERN
from registry.api.routes.relay import LanguageQuery, chosen_language
from registry.api.schemas.common import ApiError
from registry.api.schemas.document_uploads import (
    CONTENT_TYPE_FIELD,
    CONTENT_TYPE_PATTERN,
    DOCUMENT_FIELD,
    NAME_FIELD,
    NAME_PATTERN,
    REQUEST_BODY,
    SHA256_FIELD,
    SIGNATURE_FIELD,
    SIGNATURE_PATTERN,
    TEXT_FIELDS,
    UPLOADER_FIELD,
    PublicationTerms,
    PublishedDocument,
    UploadReason,
    UploadRefusal,
    UploadRefusalDetail,
)
from registry.api.uploads import UploadMalformed, UploadTooLarge, receive_multipart
from registry.chain.client import RegistryClient
from registry.chain.relay import RequestBuckets
from registry.chain.reverts import Language
from registry.chain.standing import standing_at_head
from registry.errors import ChainUnreachable, ContractRevert, DeploymentMissing, RegistryError
from registry.evidence.hashing import hash_to_hex
from registry.evidence.publishing import PublicationSignatureInvalid, publication_message, publication_signer
from registry.evidence.store import (
    DocumentHashMismatch,
    DocumentStore,
    IncomingDocument,
    InvalidDocumentName,
    StoredDocument,
    document_file_name,
)

log = logging.getLogger("registry.api")

router = APIRouter(prefix="/api/v1", tags=["evidence"])

DOCUMENT_PATH = "/api/v1/documents/{sha256}"
_CLIENT = "document_publishing_client"
_LIMITS = "document_publishing_limits"
_opening = threading.Lock()
_ADDRESS = re.compile(ADDRESS_PATTERN)
_HASH = re.compile(HASH_PATTERN)
#: The fields without which nobody vouched for the document.
REQUIRED_FIELDS = (SHA256_FIELD, UPLOADER_FIELD, SIGNATURE_FIELD)
_SIGNATURE = re.compile(SIGNATURE_PATTERN)
_NAME = re.compile(NAME_PATTERN)
_CONTENT_TYPE = re.compile(CONTENT_TYPE_PATTERN)


_REFUSALS: dict[int | str, dict[str, Any]] = {
    422: {
        "model": ApiError,
        "description": "The bytes do not hash to `sha256` (reason hash-mismatch), a field is missing, given twice or "
        "malformed (reason malformed), or `lang` is neither ko nor en (no reason).",
    },
    **{
        status: {"model": UploadRefusal, "description": description}
        for status, description in {
            403: "Not vouched for: the signature is not the uploader's over this registry's message for this "
            "document (bad-signature), or the chain says the uploader holds no registry role and is bound to no "
            "company (not-registry-account).",
            413: "The document is larger than the API accepts (RND_API_MAX_UPLOAD_BYTES).",
            429: "Too many requests from this client address or for this signer; Retry-After says when to try again.",
            503: "No document store can be written here, or the chain does not answer.",
        }.items()
    },
}


class UploadRefused(RegistryError):
    """A document not published: `reason`, the HTTP `status`, the message in each language, the field at
    fault, and for a limit the seconds until another request may come."""

    def __init__(
        self,
        reason: UploadReason,
        status: int,
        english: str,
        korean: str,
        *,
        parameter: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        self.reason = reason
        self.status = status
        self.english = english
        self.korean = korean
        self.parameter = parameter
        self.retry_after = retry_after
        super().__init__(english)

    def response(self, language: Language) -> Response:
        body = UploadRefusal(
            error=UploadRefusalDetail(
                status=self.status,
                message=self.korean if language == "ko" else self.english,
                parameter=self.parameter,
                reason=self.reason,
                language=language,
            )
        )
        headers: dict[str, str] = {"Content-Language": language}
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return JSONResponse(body.model_dump(mode="json", exclude_none=True), status_code=self.status, headers=headers)


@dataclass(frozen=True)
class _Claim:
    """What the fields before the document say: its hash, who vouches for it, and how to name it."""

    sha256: bytes
    uploader: ChecksumAddress
    signature: bytes
    name: str | None
    content_type: str | None


@dataclass
class _Limits:
    signers: RequestBuckets
    clients: RequestBuckets


@router.get(
    "/documents/publishing",
    response_model=PublicationTerms,
    summary="What a page signs to publish a document",
    responses={422: {"model": ApiError, "description": "An unknown `lang`."}},
)
def publication_terms(context: Context, request: Request, lang: LanguageQuery = None) -> PublicationTerms:
    """The chain id and grant registry address the publication message names (the page builds the
    message, `registry/evidence/publishing.py`'s text, from them), and the largest document accepted.
    `enabled` is false, with the reason, while the chain does not answer or no store can be written."""
    limit = context.settings.api_max_upload_bytes
    try:
        _store(context)
        client = _client(context)
    except UploadRefused as refusal:
        language = chosen_language(request, lang)
        return PublicationTerms(
            enabled=False, message=refusal.korean if language == "ko" else refusal.english, max_upload_bytes=limit
        )
    return PublicationTerms(
        enabled=True, chain_id=client.manifest.chain_id, registry=client.grants.address, max_upload_bytes=limit
    )


@router.post(
    "/documents",
    response_model=PublishedDocument,
    status_code=201,
    summary="Publish a document, signed for by a registry account",
    responses={
        200: {"model": PublishedDocument, "description": "Already published: the same answer as when it was."},
        201: {"description": "Published: stored (if it was not) and served from now on at `url`."},
        **_REFUSALS,
    },
    openapi_extra={"requestBody": REQUEST_BODY},
)
async def publish_document(request: Request, context: Context, lang: LanguageQuery = None) -> Response:
    """Publishes a document (multipart/form-data: `sha256`, `uploader`, `signature`, optionally `name` and
    `contentType`, then `document`) so that anyone can read it at `GET /api/v1/documents/{sha256}`.

    The uploader signs with `personal_sign` the publication message for this document and registry (chain id
    and grant registry address from `GET /api/v1/documents/publishing`) and must hold a registry role or be a
    company's bound account, as the chain says at its head. The bytes are hashed as they stream in and kept
    only if they hash to `sha256`. Publishing a published document again answers 200 with the same result;
    nothing is stored on any refusal."""
    language = chosen_language(request, lang)
    client_address = request.client.host if request.client else "unknown"
    incoming: list[IncomingDocument] = []
    claims: list[_Claim] = []
    try:
        limits = _limits(context)
        _take(limits.clients, client_address,
              f"too many requests from {client_address}: this API takes {limits.clients.per_minute} document "
              "uploads a minute from one client address",
              f"{client_address}에서 요청이 너무 많습니다. 문서 올리기는 클라이언트 주소 하나에서 1분에 "
              f"{limits.clients.per_minute}건까지 받습니다")  # fmt: skip
        store = _store(context)
        client = await run_in_threadpool(_client, context)

        async def vouch(claim: _Claim) -> None:
            """The signature, the signer's limit and the signer's standing on chain, or the refusal."""
            _check_signature(claim, client)
            _take(limits.signers, claim.uploader,
                  f"too many documents from {claim.uploader}: this API publishes {limits.signers.per_minute} a "
                  "minute for one signer",
                  f"{claim.uploader} 계정의 문서가 너무 많습니다. 서명자 한 명의 문서를 1분에 "
                  f"{limits.signers.per_minute}건까지 게시합니다")  # fmt: skip
            await run_in_threadpool(_check_registry_account, client, claim.uploader)

        async def document_begins(fields: dict[str, str]) -> None:
            # Fields before the document are checked before a byte of it is kept; a client that sends them
            # after it has its document held in a temporary file until they are, and dropped if refused.
            if all(field in fields for field in REQUIRED_FIELDS):
                claims.append(_read_claim(fields))
                await vouch(claims[0])
            incoming.append(await run_in_threadpool(_receiving, store))

        try:
            received = await receive_multipart(
                request.headers.get("content-type"),
                request.headers.get("content-length"),
                request.stream(),
                field=DOCUMENT_FIELD,
                limit=context.settings.api_max_upload_bytes,
                text_fields=TEXT_FIELDS,
                before_document=document_begins,
                sink=lambda chunk: incoming[0].write(chunk),
            )
        except UploadTooLarge as error:
            raise _too_large(error.limit) from None
        except UploadMalformed as error:
            raise _malformed(str(error), f"올린 내용을 읽을 수 없습니다: {error.problem}", error.field) from None
        if not claims:
            claims.append(_read_claim(received.fields))
            await vouch(claims[0])
        claim = claims[0]
        name = claim.name or received.document.file_name or claim.sha256.hex()
        media_type = claim.content_type or _plain_media_type(received.content_type)
        stored, newly = await run_in_threadpool(_keep, store, incoming[0], claim.sha256, name, media_type)
    except UploadRefused as refusal:
        if claims:
            log.info("document %s from %s refused: %s", hash_to_hex(claims[0].sha256), claims[0].uploader,
                     refusal.reason)  # fmt: skip
        return refusal.response(language)
    finally:
        for document in incoming:
            document.discard()
    log.info("document %s published by %s (%s)", hash_to_hex(stored.sha256), claim.uploader,
             "new" if newly else "again")  # fmt: skip
    answer = _published(stored)
    return JSONResponse(answer.model_dump(mode="json"), status_code=201 if newly else 200)


def _published(stored: StoredDocument) -> PublishedDocument:
    assert stored.published_at is not None
    shown = hash_to_hex(stored.sha256)
    return PublishedDocument(
        sha256=shown,
        url=DOCUMENT_PATH.format(sha256=shown),
        size=stored.size,
        name=stored.name,
        media_type=stored.media_type,
        published_at=stored.published_at,
    )


# ---- the checks, in the order they are made ---------------------------------------------------------


def _take(buckets: RequestBuckets, key: str, english: str, korean: str) -> None:
    wait = buckets.take(key)
    if wait:
        seconds = max(1, int(wait + 0.999))
        raise UploadRefused("rate-limited", 429, f"{english}; try again in {seconds} s",
                            f"{korean}. {seconds}초 뒤에 다시 보내세요", retry_after=seconds)  # fmt: skip


def _store(context: ApiContext) -> DocumentStore:
    """The document store, if its folder can be written; `store-not-configured` otherwise."""
    root = context.settings.document_store_dir
    try:
        root.mkdir(parents=True, exist_ok=True)
        writable = os.access(root, os.W_OK | os.X_OK)
    except OSError:
        writable = False
    if not writable:
        raise UploadRefused(
            "store-not-configured",
            503,
            "this registry keeps no document store that can be written (RND_DOCUMENT_STORE_DIR is not a writable "
            "folder), so nothing can be published here; nothing was stored: tell the registry's operator",
            "이 등록부에는 쓸 수 있는 문서 보관소가 없어(RND_DOCUMENT_STORE_DIR이 쓸 수 있는 폴더가 아님) "
            "문서를 게시할 수 없습니다. 아무것도 보관하지 않았습니다. 등록부 운영자에게 알리세요",
        )
    return DocumentStore(root)


def _client(context: ApiContext) -> RegistryClient:
    """A reader of the registry on chain (no account), opened at first use and kept; while the chain does
    not answer, or no registry is deployed, `chain-unreachable` and it is asked again next time."""
    with _opening:
        found = context.extras.get(_CLIENT)
        if isinstance(found, RegistryClient):
            return found
        try:
            client = RegistryClient.open(context.settings)
        except DeploymentMissing:
            raise _chain_unreachable("no registry is deployed here yet", "아직 배포된 등록부가 없습니다") from None
        except ChainUnreachable as exc:
            raise _chain_unreachable(exc.reason, exc.reason) from None
        except RegistryError as exc:  # the chain or the code at the manifest's addresses is not this registry's
            raise _chain_unreachable(str(exc), str(exc)) from None
        context.extras[_CLIENT] = client
        return client


def _limits(context: ApiContext) -> _Limits:
    with _opening:
        found = context.extras.get(_LIMITS)
        if isinstance(found, _Limits):
            return found
        settings = context.settings
        limits = _Limits(RequestBuckets(settings.document_uploads_per_signer),
                         RequestBuckets(settings.document_uploads_per_client))  # fmt: skip
        context.extras[_LIMITS] = limits
        return limits


def _read_claim(fields: dict[str, str]) -> _Claim:
    """The fields before the document, each checked for its form; `malformed` naming the first that fails."""
    for field in REQUIRED_FIELDS:
        if field not in fields:
            raise _malformed(
                f"the field {field!r} is missing: send {SHA256_FIELD}, {UPLOADER_FIELD} and {SIGNATURE_FIELD} (and "
                f"{NAME_FIELD} and {CONTENT_TYPE_FIELD} if you like), best before {DOCUMENT_FIELD}",
                f"{field!r} 항목이 없습니다. {SHA256_FIELD}, {UPLOADER_FIELD}, {SIGNATURE_FIELD}(원하면 {NAME_FIELD}, "
                f"{CONTENT_TYPE_FIELD}도)를 되도록 {DOCUMENT_FIELD} 앞에 보내세요",
                field,
            )
    if not _HASH.fullmatch(fields[SHA256_FIELD]):
        raise _malformed(f"{fields[SHA256_FIELD]!r} is not a SHA-256: 64 hexadecimal characters, with or without "
                         "0x, as `sha256sum FILE` prints it",
                         f"{SHA256_FIELD}가 SHA-256이 아닙니다. sha256sum이 출력하는 그대로 16진수 64자(0x는 있어도 "
                         "없어도 됩니다)여야 합니다", SHA256_FIELD)  # fmt: skip
    sha256 = bytes.fromhex(fields[SHA256_FIELD][-64:])
    uploader = fields[UPLOADER_FIELD]
    if not _ADDRESS.fullmatch(uploader):
        raise _malformed(f"{uploader!r} is not an account address (0x and 40 hex digits)",
                         f"{uploader!r}은(는) 계정 주소가 아닙니다(0x와 16진수 40자)", UPLOADER_FIELD)  # fmt: skip
    signature = fields[SIGNATURE_FIELD]
    if not _SIGNATURE.fullmatch(signature):
        raise _malformed("the signature is not 0x and 130 hex digits (65 bytes, as personal_sign gives it)",
                         "서명이 0x와 16진수 130자(personal_sign이 주는 65바이트)가 아닙니다",
                         SIGNATURE_FIELD)  # fmt: skip
    name = fields.get(NAME_FIELD)
    if name is not None and not _NAME.fullmatch(name):
        raise _malformed("the file name must be 1 to 255 characters with no control characters and no / or \\",
                         "파일 이름은 제어 문자와 / \\ 없이 1~255자여야 합니다", NAME_FIELD)  # fmt: skip
    content_type = fields.get(CONTENT_TYPE_FIELD)
    if content_type is not None and not _CONTENT_TYPE.fullmatch(content_type):
        raise _malformed(f"{content_type!r} is not a media type such as application/pdf",
                         f"{content_type!r}은(는) application/pdf 같은 미디어 유형이 아닙니다",
                         CONTENT_TYPE_FIELD)  # fmt: skip
    return _Claim(sha256, to_checksum_address(uploader), bytes.fromhex(signature[2:]), name,
                  content_type.lower() if content_type else None)  # fmt: skip


def _check_signature(claim: _Claim, client: RegistryClient) -> None:
    """The uploader's `personal_sign` of this registry's message for this document, or `bad-signature`:
    a signature given for another registry, chain or document recovers another account."""
    chain_id, registry = client.manifest.chain_id, client.grants.address
    message = publication_message(claim.sha256, chain_id, registry)
    try:
        signer = publication_signer(message, claim.signature)
    except PublicationSignatureInvalid as error:
        signer = None
        problem_en, problem_ko = error.problem, "서명을 읽을 수 없습니다"
    else:
        problem_en = f"it was made by {signer}" if signer != claim.uploader else ""
        problem_ko = f"{signer} 계정이 만든 서명입니다" if signer != claim.uploader else ""
    if signer == claim.uploader:
        return
    raise UploadRefused(
        "bad-signature",
        403,
        f"the signature is not {claim.uploader}'s over this registry's publication message for document "
        f"{hash_to_hex(claim.sha256)} (chain {chain_id}, registry {registry}): {problem_en}; sign the message "
        "for this document and this registry with the uploader's account, and send that signature",
        f"서명이 {claim.uploader} 계정이 이 등록부(체인 {chain_id}, 등록부 {registry})의 문서 "
        f"{hash_to_hex(claim.sha256)} 게시 문구에 한 서명이 아닙니다({problem_ko}). 올리는 계정으로 이 문서와 이 "
        "등록부의 문구에 서명해 그 서명을 보내세요",
        parameter=SIGNATURE_FIELD,
    )


def _check_registry_account(client: RegistryClient, uploader: ChecksumAddress) -> None:
    """`not-registry-account` unless the chain, at its head, says `uploader` holds a role or is bound to a company."""
    try:
        standing = standing_at_head(client, uploader)
    except (ChainUnreachable, requests.RequestException, OSError, Web3RPCError, ContractRevert) as exc:
        reason = getattr(exc, "reason", None) or type(exc).__name__
        raise _chain_unreachable(str(reason), str(reason)) from None
    if not standing.is_registry_account:
        raise UploadRefused(
            "not-registry-account",
            403,
            f"{uploader} holds no role in this registry and is bound to no company (as the chain says at block "
            f"{standing.block}), so its signature does not publish documents here; sign with your registry account",
            f"{uploader} 계정은 이 등록부에서 역할이 없고 어느 기업에도 연결되지 않았습니다(블록 {standing.block} 기준 "
            "체인). 이 계정의 서명으로는 문서를 게시할 수 없습니다. 등록부 계정으로 서명하세요",
            parameter=UPLOADER_FIELD,
        )


def _receiving(store: DocumentStore) -> IncomingDocument:
    try:
        return store.receive()
    except OSError as error:
        log.error("the document store %s cannot take a document: %s", store.root, error)
        raise _store_unwritable() from None


def _keep(
    store: DocumentStore, incoming: IncomingDocument, sha256: bytes, name: str, media_type: str | None
) -> tuple[StoredDocument, bool]:
    """Keeps the received bytes under `sha256`, published; whether it was not published before."""
    try:
        recorded_name = document_file_name(name)
    except InvalidDocumentName as error:
        raise _malformed(str(error), f"파일 이름 {name!r}은(는) 쓸 수 없습니다: 폴더 부분을 뺀 이름이 비어 있습니다",
                         NAME_FIELD) from None  # fmt: skip
    was_public = store.has(sha256) and store.info(sha256).public
    try:
        stored = incoming.keep(sha256, recorded_name, public=True, media_type=media_type)
    except DocumentHashMismatch as error:
        raise UploadRefused(
            "hash-mismatch",
            422,
            str(error),
            f"받은 문서의 SHA-256은 {hash_to_hex(error.actual)}로, 신고한 {hash_to_hex(error.declared)}와 다릅니다. "
            "보관하지 않았습니다. 올바른 파일을 빠짐없이 보냈는지 확인하세요",
            parameter=SHA256_FIELD,
        ) from None
    except OSError as error:
        log.error("the document store %s cannot keep document %s: %s", store.root, hash_to_hex(sha256), error)
        raise _store_unwritable() from None
    return stored, not was_public


def _plain_media_type(declared: str | None) -> str | None:
    """The document part's own media type, without parameters, unless it says nothing (octet-stream)."""
    if declared is None:
        return None
    plain = declared.split(";", 1)[0].strip().lower()
    return plain if _CONTENT_TYPE.fullmatch(plain) and plain != "application/octet-stream" else None


def _malformed(english: str, korean: str, field: str) -> UploadRefused:
    return UploadRefused("malformed", 422, english, korean, parameter=field)


def _chain_unreachable(english: str, korean: str) -> UploadRefused:
    return UploadRefused(
        "chain-unreachable",
        503,
        f"the registry's chain cannot be asked who the uploader is ({english}); nothing was stored: send the "
        "document again later",
        f"등록부의 체인에 올린 사람의 계정을 물어볼 수 없습니다({korean}). 아무것도 보관하지 않았습니다. "
        "잠시 뒤에 다시 보내세요",
    )


def _store_unwritable() -> UploadRefused:
    return UploadRefused(
        "store-not-configured",
        503,
        "the document store cannot be written just now; nothing was stored: tell the registry's operator",
        "지금은 문서 보관소에 쓸 수 없습니다. 아무것도 보관하지 않았습니다. 등록부 운영자에게 알리세요",
    )


def _too_large(limit: int) -> UploadRefused:
    return UploadRefused(
        "too-large",
        413,
        f"the document is larger than {limit:,} bytes, the most this API takes; nothing was stored: publish a "
        "smaller file, or ask the registry's operator",
        f"문서가 이 API가 받는 최대 크기({limit:,}바이트)보다 큽니다. 아무것도 보관하지 않았습니다. 더 작은 파일을 "
        "게시하거나 등록부 운영자에게 문의하세요",
        parameter=DOCUMENT_FIELD,
    )
