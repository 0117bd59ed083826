"""`GET /api/v1/documents/{sha256}`: the bytes of a document its writer published (a reason typed as
text, a plan, report or findings given with `--public`, or `rnd-registry evidence publish`), from the
document store, checked against their SHA-256 before any byte leaves.

The hash is the document's address and its check: bytes altered or damaged in the store are refused
(409, and the operator's log says which file), never served as the document the chain names. A
document the store does not hold, and one it holds but was not published, are each a 404 that says
which. The bytes are streamed with Starlette's `FileResponse`, which also answers `Range` requests
(206) for large files and `HEAD`.

What a document may do in a browser is limited whatever its type: served from the portal's own origin,
an HTML or SVG file could otherwise run script there. Only plain text, PDF and raster images are shown
inline; everything else is a download; and every answer carries `Content-Security-Policy: sandbox`
and `nosniff`.
"""

from __future__ import annotations

import logging
import os
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import Annotated, Any

from fastapi import APIRouter, Path
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, Response

from registry.api.deps import ApiContext, Context
from registry.api.errors import ApiProblem, NotFound
from registry.api.parameters import DocumentHash
from registry.api.schemas.common import ApiError
from registry.evidence.hashing import hash_to_hex
from registry.evidence.store import DocumentNotStored, DocumentStore, StoredDocument

log = logging.getLogger("registry.api")

router = APIRouter(prefix="/api/v1", tags=["evidence"])

#: Types a browser may show in the page rather than download: none of them can run script.
_SHOWN_INLINE = frozenset({"text/plain", "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})
#: How many files' checks are remembered (by inode, size and modification time) so that a document
#: asked for again, or in ranges, is not hashed again from start to end.
_CHECKS_KEPT = 1024

_BINARY = {"schema": {"type": "string", "format": "binary"}}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The document's bytes, exactly those whose SHA-256 is the address.",
        "content": {"application/octet-stream": _BINARY, "text/plain": _BINARY, "application/pdf": _BINARY},
    },
    206: {
        "description": "A part of the document (a `Range` request).",
        "content": {"application/octet-stream": _BINARY},
    },
    404: {"model": ApiError, "description": "Not held by the document store, or held but not published."},
    409: {"model": ApiError, "description": "The stored copy does not hash to the address: it is not served."},
    416: {"description": "The range asked for lies outside the document."},
    422: {"model": ApiError, "description": "The SHA-256 is malformed."},
}


class DocumentNotPublic(NotFound):
    """The store holds the document, but its writer did not publish it."""


class DocumentAltered(ApiProblem):
    """The stored bytes no longer hash to their address."""

    status = 409


@dataclass(frozen=True)
class _FileIdentity:
    inode: int
    size: int
    modified_ns: int

    @classmethod
    def of(cls, path: os.PathLike[str]) -> _FileIdentity:
        status = os.stat(path)
        return cls(status.st_ino, status.st_size, status.st_mtime_ns)


class DocumentChecks:
    """Which stored files were hashed and found equal to their address, by the file's identity: a file
    replaced or touched since is hashed again. (The store writes documents once, read-only.)"""

    def __init__(self, capacity: int = _CHECKS_KEPT) -> None:
        self.capacity = capacity
        self._sound: OrderedDict[tuple[bytes, _FileIdentity], None] = OrderedDict()
        self._lock = Lock()

    def is_sound(self, store: DocumentStore, digest: bytes) -> bool:
        path = store.get_path(digest)
        key = (digest, _FileIdentity.of(path))
        with self._lock:
            if key in self._sound:
                self._sound.move_to_end(key)
                return True
        if not store.verify(digest):
            return False
        with self._lock:
            self._sound[key] = None
            while len(self._sound) > self.capacity:
                self._sound.popitem(last=False)
        return True


def _checks(context: ApiContext) -> DocumentChecks:
    checks = context.extras.get("document_checks")
    if not isinstance(checks, DocumentChecks):
        checks = context.extras["document_checks"] = DocumentChecks()
    return checks


def published_document(context: ApiContext, digest: bytes) -> tuple[StoredDocument, os.PathLike[str]]:
    """The sidecar and path of a published document whose bytes were checked against `digest`; raises
    the 404 or 409 the route answers otherwise."""
    store = DocumentStore(context.settings.document_store_dir)
    shown = hash_to_hex(digest)
    try:
        stored = store.info(digest)
        if not stored.public:
            raise DocumentNotPublic(
                f"the document with SHA-256 {shown} is held by this registry but its writer has not published it, "
                "so it is not served (uploaded evidence is published only on purpose); ask the writer for it, "
                "then check it with `sha256sum FILE`",
                parameter="sha256",
            )
        sound = _checks(context).is_sound(store, digest)
        path = store.get_path(digest)
    except DocumentNotStored:
        raise NotFound(
            f"the document with SHA-256 {shown} is not held by this registry's document store: a record can name "
            "a document whose file was never uploaded here; ask whoever wrote the record for it, then check it "
            "with `sha256sum FILE`",
            parameter="sha256",
        ) from None
    if not sound:
        log.error("the stored copy of document %s (%s) does not hash to its address: altered or damaged", shown, path)
        raise DocumentAltered(
            f"the stored copy of the document with SHA-256 {shown} does not match that hash (it was altered or damaged "
            "in the document store), so it is not served; the hash on chain is unaffected: ask the writer for the "
            "file and check it with `sha256sum FILE`. The server's operator has been told",
            parameter="sha256",
        )
    return stored, path


@router.get(
    "/documents/{sha256}",
    response_class=Response,
    responses=_RESPONSES,
    summary="Download a published document, checked against its SHA-256",
)
async def public_document(
    sha256: Annotated[
        DocumentHash,
        Path(
            description="The document's SHA-256 as `sha256sum` prints it: 64 hexadecimal characters, with or "
            "without 0x.",
            examples=["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
        ),
    ],
    context: Context,
) -> Response:
    """The bytes of a document its writer published (typed reasons and notes always are; plans,
    reports, findings and evidence only when published on purpose), under the name it was stored with.
    They are hashed before they are sent and refused (409) if they no longer match; `Range` requests
    get the parts asked for. Check the download yourself: `sha256sum FILE` prints the address."""
    stored, path = await run_in_threadpool(published_document, context, sha256)
    media_type = stored.media_type
    inline = media_type in _SHOWN_INLINE
    if media_type == "text/plain":
        media_type = "text/plain; charset=utf-8"  # reasons typed in the CLI are UTF-8
    return FileResponse(
        path,
        media_type=media_type,
        filename=stored.name,
        content_disposition_type="inline" if inline else "attachment",
        headers={
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "X-Content-Type-Options": "nosniff",
            # The address is the content: it never changes.
            "Cache-Control": "public, max-age=31536000, immutable",
            "X-Content-SHA256": hash_to_hex(sha256).removeprefix("0x"),
        },
    )
