"""Hashing an uploaded document while it streams in: the SHA-256 of one multipart/form-data field,
computed chunk by chunk as the request body arrives, never held whole in memory or written to disk,
and refused as soon as it passes the size limit.

Starlette's own form parsing spools every file to a temporary file before the route runs and only
then could the size be checked; python-multipart's streaming parser (which Starlette uses
underneath) lets the hash and the limit apply to each chunk as it arrives.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
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


@dataclass(frozen=True)
class ReceivedUpload:
    """An upload with small text fields beside the document: the document's hash, the fields (name to
    value, wherever they came), and the content type its part declared."""

    document: HashedUpload
    fields: dict[str, str]
    content_type: str | None


#: The longest a text field beside a document may be (a signature, an address, a file name...).
TEXT_FIELD_LIMIT = 1024


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
    received = await receive_multipart(content_type, content_length, body, field=field, limit=limit)
    return received.document


async def receive_multipart(
    content_type: str | None,
    content_length: str | None,
    body: AsyncIterator[bytes],
    *,
    field: str,
    limit: int,
    text_fields: frozenset[str] = frozenset(),
    before_document: Callable[[dict[str, str]], Awaitable[None]] | None = None,
    sink: Callable[[bytes], None] | None = None,
) -> ReceivedUpload:
    """Reads a multipart body as `hash_multipart_field` does, keeping the `text_fields` (each at most
    `TEXT_FIELD_LIMIT` bytes of UTF-8, once). Once the document's part begins, `before_document` is awaited
    with the fields that came before it: whatever it raises ends the upload before a byte of the document
    reaches `sink`, which is then given every byte of the document as it arrives."""
    media_type, options = parse_options_header(content_type)
    if media_type != b"multipart/form-data":
        shown = media_type.decode("latin-1") or "no content type"
        raise UploadMalformed(f"the request is {shown}, not multipart/form-data", field)
    boundary = options.get(b"boundary")
    if not boundary:
        raise UploadMalformed("the multipart content type has no boundary", field)
    if content_length is not None and content_length.isdigit() and int(content_length) > limit + FRAMING_ALLOWANCE:
        raise UploadTooLarge(limit)

    reader = _FieldHasher(field.encode(), limit, text_fields, keep_bytes=sink is not None)
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
    released = False
    try:
        async for chunk in body:
            received += len(chunk)
            if received > limit + FRAMING_ALLOWANCE:
                raise UploadTooLarge(limit)
            parser.write(chunk)
            if not released and reader.document_begun:
                if before_document is not None:
                    await before_document(dict(reader.fields))
                released = True
            if released:
                for piece in reader.take_pending():
                    if sink is not None:
                        sink(piece)
        parser.finalize()
    except MultipartParseError as error:
        raise UploadMalformed(f"the multipart body cannot be read ({error})", field) from None
    if reader.result is None:
        raise UploadMalformed(f"the request has no field named {field!r}", field)
    return ReceivedUpload(reader.result, dict(reader.fields), reader.content_type)


class _FieldHasher:
    """python-multipart callbacks that hash the one field wanted, keep the small text fields asked for
    that come before it, and skip the others. The document's bytes wait in `pending` until taken."""

    def __init__(
        self, field: bytes, limit: int, text_fields: frozenset[str] = frozenset(), *, keep_bytes: bool = False
    ) -> None:
        self.field = field
        self.keep_bytes = keep_bytes
        self.limit = limit
        self.text_fields = text_fields
        self.result: HashedUpload | None = None
        self.fields: dict[str, str] = {}
        self.content_type: str | None = None
        self.document_begun = False
        self._pending: list[bytes] = []
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._disposition: bytes | None = None
        self._digest: hashlib._Hash | None = None
        self._size = 0
        self._file_name: str | None = None
        self._text_name: str | None = None
        self._text = bytearray()

    def take_pending(self) -> list[bytes]:
        pending, self._pending = self._pending, []
        return pending

    def part_begin(self) -> None:
        self._disposition = None
        self._digest = None
        self._text_name = None
        self._text.clear()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def header_end(self) -> None:
        header = bytes(self._header_name).lower()
        if header == b"content-disposition":
            self._disposition = bytes(self._header_value)
            _, options = parse_options_header(self._disposition)
            name = options.get(b"name")
            if name == self.field:
                if self.result is not None or self._digest is not None:
                    raise UploadMalformed(f"the request has more than one field named {self.field.decode()!r}; "
                                          "send one document per request", self.field.decode())  # fmt: skip
                self._digest = hashlib.sha256()
                self._size = 0
                self.document_begun = True
                file_name = options.get(b"filename")
                self._file_name = file_name.decode("utf-8", "replace") if file_name else None
            elif name is not None and name.decode("latin-1") in self.text_fields:
                self._text_name = name.decode("latin-1")
                if self._text_name in self.fields:
                    raise UploadMalformed(f"the request has more than one field named {self._text_name!r}",
                                          self._text_name)  # fmt: skip
        elif header == b"content-type" and self._digest is not None:
            self.content_type = bytes(self._header_value).decode("latin-1").strip() or None
        self._header_name.clear()
        self._header_value.clear()

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self._text_name is not None:
            self._text += data[start:end]
            if len(self._text) > TEXT_FIELD_LIMIT:
                raise UploadMalformed(f"the field {self._text_name!r} is longer than {TEXT_FIELD_LIMIT} bytes",
                                      self._text_name)  # fmt: skip
            return
        if self._digest is None:
            return
        self._size += end - start
        if self._size > self.limit:
            raise UploadTooLarge(self.limit)
        self._digest.update(data[start:end])
        if self.keep_bytes:
            self._pending.append(bytes(data[start:end]))

    def part_end(self) -> None:
        if self._text_name is not None:
            try:
                self.fields[self._text_name] = bytes(self._text).decode("utf-8")
            except UnicodeDecodeError:
                raise UploadMalformed(f"the field {self._text_name!r} is not UTF-8 text", self._text_name) from None
            self._text_name = None
        if self._digest is not None:
            self.result = HashedUpload(self._digest.digest(), self._size, self._file_name)
            self._digest = None


def _size_words(size: int) -> str:
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit} ({size:,} bytes)"
    return f"{size:,} bytes"
