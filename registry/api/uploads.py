"""Hashing an uploaded document while it streams in: the SHA-256 of one multipart/form-data field,
computed chunk by chunk as the request body arrives, never held whole in memory or written to disk,
and refused as soon as it passes the size limit.

Starlette's own form parsing spools every file to a temporary file before the route runs and only
then could the size be checked; python-multipart's streaming parser (which Starlette uses
underneath) lets the hash and the limit apply to each chunk as it arrives.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from registry.errors import RegistryError

#: Room for the multipart framing (boundaries, part headers) and small fields around the document.
FRAMING_ALLOWANCE = 64 * 1024


class UploadTooLarge(RegistryError):
    """The uploaded document is larger than the API accepts."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"the document is larger than {_size_words(limit)}, the most this API hashes; compute its "
            "SHA-256 yourself (`sha256sum FILE`) and ask for GET /api/v1/verify/{sha256} instead"
        )


class UploadMalformed(RegistryError):
    """The request body is not a multipart upload with the expected field."""

    def __init__(self, problem: str, field: str) -> None:
        self.problem = problem
        self.field = field
        super().__init__(
            f"{problem}; send the document as multipart/form-data in a field named {field!r}, "
            f"e.g. curl -F {field}=@report.pdf ..."
        )


@dataclass(frozen=True)
class HashedUpload:
    """The uploaded document's SHA-256, its size in bytes, and the file name the client gave."""

    sha256: bytes
    size: int
    file_name: str | None


async def hash_multipart_field(
    content_type: str | None,
    content_length: str | None,
    body: AsyncIterator[bytes],
    *,
    field: str,
    limit: int,
) -> HashedUpload:
    """Hashes the multipart field `field` of a request body with headers `content_type` and
    `content_length`, reading `body` a chunk at a time; raises `UploadTooLarge` once the field passes
    `limit` bytes (or at once, when the declared length says it will) and `UploadMalformed`."""
    media_type, options = parse_options_header(content_type)
    if media_type != b"multipart/form-data":
        shown = media_type.decode("latin-1") or "no content type"
        raise UploadMalformed(f"the request is {shown}, not multipart/form-data", field)
    boundary = options.get(b"boundary")
    if not boundary:
        raise UploadMalformed("the multipart content type has no boundary", field)
    if content_length is not None and content_length.isdigit() and int(content_length) > limit + FRAMING_ALLOWANCE:
        raise UploadTooLarge(limit)

    reader = _FieldHasher(field.encode(), limit)
    parser = MultipartParser(
        boundary,
        callbacks={
            "on_part_begin": reader.part_begin,
            "on_header_field": reader.header_field,
            "on_header_value": reader.header_value,
            "on_header_end": reader.header_end,
            "on_part_data": reader.part_data,
            "on_part_end": reader.part_end,
        },
    )
    received = 0
    try:
        async for chunk in body:
            received += len(chunk)
            if received > limit + FRAMING_ALLOWANCE:
                raise UploadTooLarge(limit)
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as error:
        raise UploadMalformed(f"the multipart body cannot be read ({error})", field) from None
    if reader.result is None:
        raise UploadMalformed(f"the request has no field named {field!r}", field)
    return reader.result


class _FieldHasher:
    """python-multipart callbacks that hash the one field wanted and skip the others."""

    def __init__(self, field: bytes, limit: int) -> None:
        self.field = field
        self.limit = limit
        self.result: HashedUpload | None = None
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._disposition: bytes | None = None
        self._digest: hashlib._Hash | None = None
        self._size = 0
        self._file_name: str | None = None

    def part_begin(self) -> None:
        self._disposition = None
        self._digest = None

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def header_end(self) -> None:
        if bytes(self._header_name).lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
            _, options = parse_options_header(self._disposition)
            if options.get(b"name") == self.field:
                if self.result is not None or self._digest is not None:
                    raise UploadMalformed(f"the request has more than one field named {self.field.decode()!r}; "
                                          "send one document per request", self.field.decode())  # fmt: skip
                self._digest = hashlib.sha256()
                self._size = 0
                name = options.get(b"filename")
                self._file_name = name.decode("utf-8", "replace") if name else None
        self._header_name.clear()
        self._header_value.clear()

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self._digest is None:
            return
        self._size += end - start
        if self._size > self.limit:
            raise UploadTooLarge(self.limit)
        self._digest.update(data[start:end])

    def part_end(self) -> None:
        if self._digest is not None:
            self.result = HashedUpload(self._digest.digest(), self._size, self._file_name)
            self._digest = None


def _size_words(size: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit} ({size:,} bytes)"
    return f"{size:,} bytes"
