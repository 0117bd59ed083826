"""The off-chain document store: the documents that records point at, kept under their SHA-256.

Records on chain hold only a document's hash; the bytes live here, at
`<root>/sha256/<first 2 hex>/<64 hex>`, beside a `<64 hex>.json` sidecar that says how large the
document is, what kind of file it is, which file names it arrived under and whether its writer
published it. The address is the check: whoever downloads a document can run `sha256sum` on it and
compare.

Publishing is an act of its own (`publish`), never a consequence of storing: evidence a company
uploads may hold personal or business data, so only what its writer marks public (a reason typed
as text, or a file given with `--public`) is served to everyone (`GET /api/v1/documents/{sha256}`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import mimetypes
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel, ConfigDict, NonNegativeInt, ValidationError
from pydantic.alias_generators import to_camel

from registry.errors import RegistryError
from registry.evidence.hashing import (
    DocumentUnreadable,
    hash_to_hex,
    parse_document_hash,
)
from registry.evidence.proofs import DocumentHashHex, EvidenceFileError, UtcDatetime
from registry.settings import get_settings

DEFAULT_MEDIA_TYPE = "application/octet-stream"
_CHUNK_SIZE = 1 << 20
_ALGORITHM = "sha256"
_HEX_NAME = re.compile(r"[0-9a-f]{64}")
_SHARD_NAME = re.compile(r"[0-9a-f]{2}")
_TEMP_PREFIX = ".incoming-"
# Stored bytes are never changed in place; read-only makes an accidental edit fail loudly.
_DOCUMENT_MODE = 0o444
_SIDECAR_MODE = 0o644


class DocumentNotStored(RegistryError):
    """No document with this SHA-256 is in the document store."""

    def __init__(self, sha256: bytes) -> None:
        self.sha256 = sha256
        # No server path in the message: the API passes it on to the public.
        super().__init__(
            f"no document with SHA-256 {hash_to_hex(sha256)} is stored here; a record can name a "
            "document's hash before its file is uploaded, so ask whoever submitted the record for the "
            "file and check it with `sha256sum FILE`"
        )


class InvalidDocumentName(RegistryError):
    """A name given for a stored document is not a usable file name."""

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        self.problem = problem
        super().__init__(f"{name!r} cannot be recorded as a document's file name: {problem}")


class StoredDocument(BaseModel):
    """What the store knows of one document: the content of its `<64 hex>.json` sidecar.

    `original_names` lists every file name the document was stored under, in the order they
    arrived; names are added, never removed. Nothing else about the uploader is kept. `public`
    says whether its writer published it (since `published_at`); once published it stays so.
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
        frozen=True,
    )

    sha256: DocumentHashHex
    size: NonNegativeInt
    media_type: str
    original_names: tuple[str, ...]
    stored_at: UtcDatetime
    public: bool = False
    published_at: UtcDatetime | None = None

    @property
    def name(self) -> str:
        """The name to offer it under: the first it arrived with, or its hash."""
        return self.original_names[0] if self.original_names else f"{self.sha256.hex()}"

    def to_json(self) -> str:
        return self.model_dump_json(indent=2) + "\n"


DocumentAddress = bytes | str
"""A document's SHA-256: 32 bytes, or 64 hex characters with or without 0x."""


class DocumentStore:
    """Documents on disk under `root`, each at the address of its SHA-256.

    Safe for several threads and processes at once: bytes are written to a temporary file and
    moved into place in one atomic step, and sidecar updates take a lock on the store.
    """

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self.root = Path(root) if root is not None else get_settings().document_store_dir

    def __repr__(self) -> str:
        return f"DocumentStore({str(self.root)!r})"

    def put_file(self, path: str | os.PathLike[str], name: str | None = None) -> StoredDocument:
        """Stores the file at `path`, recorded under `name` (the file's own name by default).

        Only the final component of a name is kept: a folder path can say whose computer the file
        came from.
        """
        file = Path(path)
        if file.is_dir():
            raise DocumentUnreadable(str(file), "it is a folder, not a file")
        if file.exists() and not file.is_file():
            raise DocumentUnreadable(str(file), "it is not a regular file")  # a FIFO would block
        try:
            stream = file.open("rb")
        except FileNotFoundError as error:
            raise DocumentUnreadable(str(file), "no such file") from error
        except OSError as error:
            raise DocumentUnreadable(str(file), error.strerror or type(error).__name__) from error
        with stream:
            return self.put_stream(stream, name if name is not None else file.name)

    def put_bytes(self, data: bytes, name: str) -> StoredDocument:
        """Stores `data` as a document with file name `name`."""
        return self.put_stream(BytesIO(data), name)

    def put_stream(self, stream: BinaryIO, name: str) -> StoredDocument:
        """Stores everything read from `stream` (e.g. an upload) as a document with file name `name`.

        The stream is hashed while it is copied, a chunk at a time, so size does not matter. If a
        document with the same hash is already stored its bytes are left as they are, and `name`
        is added to its names if it is new.
        """
        recorded_name = _file_name(name)
        incoming = self.root / _ALGORITHM
        incoming.mkdir(parents=True, exist_ok=True)
        # The address is known only once the last byte is hashed, so the bytes go to a temporary
        # file beside the shard folders (same file system, so moving it into place is atomic).
        descriptor, temporary_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=incoming)
        temporary = Path(temporary_name)
        try:
            with os.fdopen(descriptor, "wb") as out:
                digest, size = _copy_hashing(stream, out)
                out.flush()
                os.fsync(out.fileno())
            target = self._document_path(digest)
            target.parent.mkdir(exist_ok=True)
            os.chmod(temporary, _DOCUMENT_MODE)
            _move_unless_present(temporary, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        return self._record_name(digest, size, recorded_name)

    def receive(self) -> IncomingDocument:
        """A document arriving a chunk at a time (an upload streamed in): `write` each chunk, then `keep`
        it under the SHA-256 its sender declared, or `discard` it. Nothing is stored until `keep`, and
        `keep` stores nothing unless the bytes hash to the declared address."""
        incoming = self.root / _ALGORITHM
        incoming.mkdir(parents=True, exist_ok=True)
        descriptor, temporary_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=incoming)
        return IncomingDocument(self, os.fdopen(descriptor, "wb"), Path(temporary_name))

    def put_text(self, text: str, name: str) -> StoredDocument:
        """Stores a short text someone typed (a reason, a review note) as a UTF-8 document, published:
        a typed reason is written to be read by everyone the record concerns."""
        stored = self.put_bytes(text.encode("utf-8"), name)
        return self.publish(stored.sha256)

    def publish(self, sha256: DocumentAddress) -> StoredDocument:
        """Marks a stored document public, to be served to anyone who asks for it by hash; raises
        `DocumentNotStored` if the store does not hold it. Publishing again changes nothing."""
        digest = _address(sha256)
        self.info(digest)  # not held: said before anything is locked or written
        with self._locked():
            current = self.info(digest)
            if current.public:
                return current
            updated = current.model_copy(
                update={"public": True, "published_at": datetime.now(UTC).replace(microsecond=0)}
            )
            _write_atomically(self._sidecar_path(digest), updated.to_json().encode("utf-8"))
            return updated

    def has(self, sha256: DocumentAddress) -> bool:
        """Whether the document with this hash is stored."""
        return self._document_path(_address(sha256)).is_file()

    def get_path(self, sha256: DocumentAddress) -> Path:
        """The path of the stored bytes; raises `DocumentNotStored` if there are none."""
        digest = _address(sha256)
        path = self._document_path(digest)
        if not path.is_file():
            raise DocumentNotStored(digest)
        return path

    def open(self, sha256: DocumentAddress) -> BinaryIO:
        """The stored bytes, opened for reading; raises `DocumentNotStored` if there are none."""
        digest = _address(sha256)
        try:
            return self._document_path(digest).open("rb")
        except FileNotFoundError:
            raise DocumentNotStored(digest) from None

    def info(self, sha256: DocumentAddress) -> StoredDocument:
        """The sidecar of a stored document; raises `DocumentNotStored` if it is not stored.

        Should a process have stopped between moving the bytes into place and writing the
        sidecar, the answer is built from the bytes (no names, a generic media type) until the
        next `put` of the document writes the sidecar.
        """
        digest = _address(sha256)
        path = self._document_path(digest)
        sidecar = _read_sidecar(self._sidecar_path(digest))
        if sidecar is not None and path.is_file():
            return sidecar
        try:
            status = path.stat()
        except FileNotFoundError:
            raise DocumentNotStored(digest) from None
        return StoredDocument(
            sha256=digest,
            size=status.st_size,
            media_type=DEFAULT_MEDIA_TYPE,
            original_names=(),
            stored_at=datetime.fromtimestamp(status.st_mtime, UTC).replace(microsecond=0),
        )

    def verify(self, sha256: DocumentAddress) -> bool:
        """Whether the stored bytes still hash to their address (False means they were damaged)."""
        digest = _address(sha256)
        try:
            with self._document_path(digest).open("rb") as stream:
                actual, _ = _copy_hashing(stream, None)
        except FileNotFoundError:
            raise DocumentNotStored(digest) from None
        return actual == digest

    def iter_documents(self) -> Iterator[StoredDocument]:
        """Every stored document, in order of its hash.

        A sidecar that cannot be read raises `EvidenceFileError` rather than hiding the document.
        """
        base = self.root / _ALGORITHM
        if not base.is_dir():
            return
        for shard in sorted(base.iterdir()):
            if not (_SHARD_NAME.fullmatch(shard.name) and shard.is_dir()):
                continue
            for path in sorted(shard.iterdir()):
                if _HEX_NAME.fullmatch(path.name) and path.name.startswith(shard.name):
                    with contextlib.suppress(DocumentNotStored):
                        yield self.info(path.name)

    def _document_path(self, digest: bytes) -> Path:
        hex_digest = digest.hex()
        return self.root / _ALGORITHM / hex_digest[:2] / hex_digest

    def _sidecar_path(self, digest: bytes) -> Path:
        path = self._document_path(digest)
        return path.with_name(path.name + ".json")

    def _record_name(self, digest: bytes, size: int, name: str, media_type: str | None = None) -> StoredDocument:
        sidecar_path = self._sidecar_path(digest)
        # Read, add the name, write: without the lock two puts under different names could each
        # write a sidecar missing the other's name.
        with self._locked():
            current = _read_sidecar(sidecar_path)
            if current is None:
                updated = StoredDocument(
                    sha256=digest,
                    size=size,
                    media_type=media_type or guess_media_type(name),
                    original_names=(name,),
                    stored_at=datetime.now(UTC).replace(microsecond=0),
                )
            elif name in current.original_names:
                return current
            else:
                updated = current.model_copy(update={"original_names": (*current.original_names, name)})
            _write_atomically(sidecar_path, updated.to_json().encode("utf-8"))
            return updated

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        # flock is held per open file, so it excludes other threads of this process as well as
        # other processes.
        with (self.root / ".lock").open("a") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


class DocumentHashMismatch(RegistryError):
    """The bytes received do not hash to the SHA-256 their sender declared: nothing was stored."""

    def __init__(self, declared: bytes, actual: bytes) -> None:
        self.declared = declared
        self.actual = actual
        super().__init__(
            f"the document received hashes to SHA-256 {hash_to_hex(actual)}, not {hash_to_hex(declared)} as "
            "declared, so it was not stored; check that the right file was sent, whole"
        )


class IncomingDocument:
    """Bytes being received into the store (`DocumentStore.receive`), in a temporary file beside the
    documents, hashed as they are written; kept under their hash only if it is the one declared."""

    def __init__(self, store: DocumentStore, out: BinaryIO, temporary: Path) -> None:
        self._store = store
        self._out = out
        self._temporary = temporary
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self._digest.update(chunk)
        self._out.write(chunk)
        self.size += len(chunk)

    def keep(
        self, declared: bytes, name: str, *, public: bool = False, media_type: str | None = None
    ) -> StoredDocument:
        """Moves the bytes into place under `declared` with file name `name` (published if `public`; of
        `media_type` if new to the store, else guessed from `name`);
        `DocumentHashMismatch` (and nothing stored) if they hash to another address. Already stored:
        its bytes stay as they are and `name` is added to its names."""
        try:
            recorded_name = _file_name(name)
            actual = self._digest.digest()
            if actual != declared:
                raise DocumentHashMismatch(declared, actual)
            self._out.flush()
            os.fsync(self._out.fileno())
            self._out.close()
            target = self._store._document_path(actual)
            target.parent.mkdir(exist_ok=True)
            os.chmod(self._temporary, _DOCUMENT_MODE)
            _move_unless_present(self._temporary, target)
        finally:
            self.discard()
        stored = self._store._record_name(actual, self.size, recorded_name, media_type)
        return self._store.publish(actual) if public else stored

    def discard(self) -> None:
        """Drops what was received (nothing of it stays); done by `keep` too, so calling it again is harmless."""
        self._out.close()
        with contextlib.suppress(FileNotFoundError):
            self._temporary.unlink()


def guess_media_type(name: str) -> str:
    """The media type a file name suggests (`application/pdf` for `보고서.pdf`), or a generic one."""
    media_type, _ = mimetypes.guess_type(name, strict=True)
    return media_type or DEFAULT_MEDIA_TYPE


def _address(sha256: DocumentAddress) -> bytes:
    if isinstance(sha256, bytes):
        return parse_document_hash(hash_to_hex(sha256))
    return parse_document_hash(sha256)


def document_file_name(name: str) -> str:
    """The file name a document is recorded under when given `name`: its last component, NFC, stripped;
    `InvalidDocumentName` if nothing usable is left or it holds control characters."""
    return _file_name(name)


def _file_name(name: str) -> str:
    # macOS hands over Korean names decomposed (NFD); one spelling keeps one entry per name.
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if not base or base in (".", ".."):
        raise InvalidDocumentName(name, "it is empty once any folder part is removed")
    if any(unicodedata.category(char) == "Cc" for char in base):
        raise InvalidDocumentName(name, "it contains control characters")
    return base


def _copy_hashing(stream: BinaryIO, out: BinaryIO | None) -> tuple[bytes, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(_CHUNK_SIZE):
        digest.update(chunk)
        if out is not None:
            out.write(chunk)
        size += len(chunk)
    return digest.digest(), size


def _move_unless_present(temporary: Path, target: Path) -> None:
    # A hard link fails if the target exists, so bytes already stored are never rewritten, and
    # when two writers race exactly one link wins; both then find one complete file.
    try:
        os.link(temporary, target)
    except FileExistsError:
        pass
    except OSError:
        # File systems without hard links: replacing is still atomic and the bytes are the same.
        if not target.exists():
            os.replace(temporary, target)


def _write_atomically(path: Path, content: bytes) -> None:
    descriptor, temporary_name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary_name, _SIDECAR_MODE)
        os.replace(temporary_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary_name)
        raise


def _read_sidecar(path: Path) -> StoredDocument | None:
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise EvidenceFileError(str(path), f"cannot be read ({error.strerror or error})") from error
    try:
        sidecar = StoredDocument.model_validate_json(content)
    except ValidationError as error:
        first = error.errors()[0]
        location = ".".join(str(part) for part in first["loc"]) or "file"
        raise EvidenceFileError(str(path), f"is not a valid document sidecar ({location}: {first['msg']})") from None
    if sidecar.sha256.hex() != path.name.removesuffix(".json"):
        raise EvidenceFileError(str(path), f"describes another document, {hash_to_hex(sidecar.sha256)}")
    return sidecar
