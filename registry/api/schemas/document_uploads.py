"""What `POST /api/v1/documents` takes and answers (`registry/api/routes/document_uploads.py`): a document
its publisher signed for, the document published, and the refusals, each with its reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from registry.api.parameters import ADDRESS_PATTERN, HASH_PATTERN
from registry.api.schemas.common import Address, ApiModel, ErrorDetail

#: The multipart fields of the request, in the order they should come: the document last, so that the
#: signature and the account are checked before a byte of the document is kept (fields after it are
#: checked once it is received, in a temporary file).
SHA256_FIELD, UPLOADER_FIELD, SIGNATURE_FIELD, NAME_FIELD, CONTENT_TYPE_FIELD = (
    "sha256", "uploader", "signature", "name", "contentType",
)  # fmt: skip
DOCUMENT_FIELD = "document"
TEXT_FIELDS = frozenset({SHA256_FIELD, UPLOADER_FIELD, SIGNATURE_FIELD, NAME_FIELD, CONTENT_TYPE_FIELD})

SIGNATURE_PATTERN = "^0x[0-9a-fA-F]{130}$"
#: A file name as a person gives it: no control characters and no folder separators.
NAME_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f/\\\\]{1,255}$"
#: A media type: type/subtype of the token characters of RFC 9110, no parameters.
CONTENT_TYPE_PATTERN = "^[A-Za-z0-9!#$&^_.+-]{1,64}/[A-Za-z0-9!#$&^_.+-]{1,64}$"

UploadReason = Literal[
    "hash-mismatch", "bad-signature", "not-registry-account", "too-large", "rate-limited", "store-not-configured",
    "chain-unreachable", "malformed",
]  # fmt: skip

REQUEST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": [SHA256_FIELD, UPLOADER_FIELD, SIGNATURE_FIELD, DOCUMENT_FIELD],
                "properties": {
                    SHA256_FIELD: {
                        "type": "string",
                        "pattern": HASH_PATTERN,
                        "description": "The document's SHA-256 as `sha256sum` prints it (the signed message names it).",
                    },
                    UPLOADER_FIELD: {
                        "type": "string",
                        "pattern": ADDRESS_PATTERN,
                        "description": "The account that signed: a registry role holder or a company's bound account.",
                    },
                    SIGNATURE_FIELD: {
                        "type": "string",
                        "pattern": SIGNATURE_PATTERN,
                        "description": "The uploader's EIP-191 `personal_sign` of the publication message "
                        "(`GET /api/v1/documents/publishing` gives the chain id and registry it names).",
                    },
                    NAME_FIELD: {
                        "type": "string",
                        "pattern": NAME_PATTERN,
                        "description": "The file name to offer it under; the document part's file name if left out.",
                    },
                    CONTENT_TYPE_FIELD: {
                        "type": "string",
                        "pattern": CONTENT_TYPE_PATTERN,
                        "description": "The document's media type; guessed from its name if left out.",
                    },
                    DOCUMENT_FIELD: {
                        "type": "string",
                        "format": "binary",
                        "description": "The document's bytes, best after the other fields.",
                    },
                },
            },
            "encoding": {DOCUMENT_FIELD: {"contentType": "application/octet-stream"}},
        }
    },
}


class PublishedDocument(ApiModel):
    """A document in the registry's document store, published: served to anyone at `url`."""

    sha256: str = Field(pattern="^0x[0-9a-f]{64}$", description="Its SHA-256, the address it is served at.")
    url: str = Field(description="Where it is served.", examples=["/api/v1/documents/0x9f86d08188..."])
    size: int = Field(ge=0, description="Its size in bytes.")
    name: str = Field(description="The file name it is offered under (the first it arrived with).")
    media_type: str = Field(examples=["application/pdf"])
    published_at: datetime = Field(description="When it was first published (UTC).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "sha256": "0x9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    "url": "/api/v1/documents/0x9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    "size": 4,
                    "name": "검토의견.txt",
                    "mediaType": "text/plain",
                    "publishedAt": "2025-03-02T09:00:00Z",
                }
            ]
        }
    )


class PublicationTerms(ApiModel):
    """What a page needs to publish a document: what the message it signs names, and the size limit."""

    enabled: bool = Field(description="Whether documents can be published here now (a chain and a store).")
    message: str | None = Field(default=None, description="Why publishing is off, when it is.")
    chain_id: int | None = Field(default=None, examples=[31337])
    registry: Address | None = Field(default=None, description="The grant registry's address, as the message names it.")
    max_upload_bytes: int = Field(description="The largest document accepted (413 above).")


class UploadRefusalDetail(ErrorDetail):
    reason: UploadReason = Field(
        description="Why, as a code: hash-mismatch (the bytes do not hash to `sha256`), bad-signature (not the "
        "uploader's signature of this registry's message for this document), not-registry-account (the chain "
        "says the uploader holds no role and is bound to no company), too-large, rate-limited (see Retry-After), "
        "store-not-configured (no document store can be written here), chain-unreachable, malformed (a field "
        "missing, given twice or misspelled)."
    )
    language: Literal["ko", "en"] = Field(description="The language of `message`.")


class UploadRefusal(ApiModel):
    """A document not published, and why, in the language asked for. Nothing was stored."""

    error: UploadRefusalDetail

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": {
                        "status": 403,
                        "message": "서명이 0x90F79bf6EB2c4f870365E785982E1f101E93b906 계정의 것이 아닙니다 ...",
                        "reason": "bad-signature",
                        "language": "ko",
                        "parameter": "signature",
                    }
                }
            ]
        }
    )
