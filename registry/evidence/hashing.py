"""SHA-256 hashes of documents: the identifier by which the registry refers to a document.

Why SHA-256 and not keccak256: anyone can recompute it with tools already on their computer
(`sha256sum FILE` on Linux, `shasum -a 256 FILE` on macOS, `certutil -hashfile FILE SHA256` on
Windows), without blockchain software. A journalist who holds a report and reads a claim about it
can check the two belong together with nothing but that. keccak256 appears only inside the Merkle
tree (`registry.evidence.merkle`), because that is what the EVM computes cheaply.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from registry.errors import RegistryError

HASH_SIZE = 32
_CHUNK_SIZE = 1 << 20
_HEX_HASH = re.compile(r"(?:0[xX])?([0-9a-fA-F]{64})")
_EXAMPLE = "0x" + hashlib.sha256(b"").hexdigest()


class InvalidDocumentHash(RegistryError):
    """A text or value that should be a SHA-256 document hash is not one."""

    def __init__(self, text: str, problem: str) -> None:
        self.text = text
        self.problem = problem
        super().__init__(
            f"{text!r} is not a document hash: {problem}; a SHA-256 hash is 64 hexadecimal characters, "
            f"with or without 0x, as `sha256sum FILE` prints it, e.g. {_EXAMPLE}"
        )


class DocumentUnreadable(RegistryError):
    """A document or folder to hash is missing or cannot be read."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"cannot read {path}: {reason}")


@dataclass(frozen=True)
class DocumentHash:
    """One hashed document: its path (relative POSIX path inside a folder), SHA-256 and size in bytes."""

    path: str
    sha256: bytes
    size: int


def sha256_bytes(data: bytes) -> bytes:
    """The SHA-256 digest of `data`."""
    return hashlib.sha256(data).digest()


def sha256_file(path: str | os.PathLike[str]) -> bytes:
    """The SHA-256 digest of the file at `path`, read in chunks so that size does not matter."""
    digest, _ = _digest_file(Path(path))
    return digest


def hash_document(path: str | os.PathLike[str], name: str | None = None) -> DocumentHash:
    """Hashes one file; `name` is the path to record for it (the file's name by default)."""
    file = Path(path)
    digest, size = _digest_file(file)
    return DocumentHash(path=name if name is not None else file.name, sha256=digest, size=size)


def hash_folder(path: str | os.PathLike[str]) -> list[DocumentHash]:
    """Hashes every file under `path`, sorted by relative POSIX path.

    Hidden files and folders (a name starting with ".") are skipped, and so are FIFOs, sockets and
    devices, which are not documents and could block the read. A symbolic link to a file is
    hashed under the link's own path only if its target lies inside the folder; a link that leads
    outside is skipped, so a batch never holds a document from elsewhere on the disk. Links to
    folders are not descended into: their contents, if inside the folder, are hashed where they
    really are, and a link loop cannot make the walk endless.
    """
    root = Path(path)
    if not root.exists():
        raise DocumentUnreadable(str(root), "no such folder")
    if not root.is_dir():
        raise DocumentUnreadable(str(root), "not a folder")
    real_root = root.resolve()
    found: list[tuple[str, Path]] = []

    def _walk_error(error: OSError) -> None:
        raise DocumentUnreadable(str(error.filename), _reason(error))

    for directory, subdirectories, files in os.walk(root, onerror=_walk_error, followlinks=False):
        subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            file = Path(directory, name)
            if file.is_symlink() and not _resolves_inside(file, real_root):
                continue
            if not file.is_file():
                continue  # a FIFO or device would block or never end
            relative = PurePosixPath(*file.relative_to(root).parts).as_posix()
            found.append((relative, file))
    found.sort(key=lambda item: item[0])
    return [hash_document(file, relative) for relative, file in found]


def hash_to_hex(value: bytes) -> str:
    """Renders a 32-byte hash as 0x-prefixed lowercase hex, the form used in JSON and on chain."""
    if len(value) != HASH_SIZE:
        raise InvalidDocumentHash("0x" + value.hex(), f"it is {len(value)} bytes long, not {HASH_SIZE}")
    return "0x" + value.hex()


def parse_hash(text: str) -> bytes:
    """Parses 64 hex characters, with or without 0x, into 32 bytes; zero is allowed (e.g. for roots)."""
    stripped = text.strip()
    match = _HEX_HASH.fullmatch(stripped)
    if match is None:
        raise InvalidDocumentHash(text, _describe_malformed(stripped))
    return bytes.fromhex(match.group(1))


def parse_document_hash(text: str) -> bytes:
    """Parses a document's SHA-256 hash, as printed by `sha256sum`, with or without 0x."""
    value = parse_hash(text)
    if value == bytes(HASH_SIZE):
        # The contracts read a zero hash as "no document" (EvidenceHashZero); no file hashes to it.
        raise InvalidDocumentHash(text, "it is all zeros, which the registry reads as 'no document'")
    return value


def _digest_file(path: Path) -> tuple[bytes, int]:
    # Counted while hashing rather than taken from stat, so the size is that of the bytes hashed.
    digest = hashlib.sha256()
    size = 0
    buffer = bytearray(_CHUNK_SIZE)
    view = memoryview(buffer)
    try:
        with path.open("rb") as file:
            while read := file.readinto(buffer):
                digest.update(view[:read])
                size += read
    except OSError as error:
        raise DocumentUnreadable(str(path), _reason(error)) from error
    return digest.digest(), size


def _resolves_inside(link: Path, real_root: Path) -> bool:
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return False  # dangling link or a loop
    return target.is_relative_to(real_root) and target.is_file()


def _reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "it is a folder, not a file"
    if isinstance(error, PermissionError):
        return "permission denied"
    return error.strerror or type(error).__name__


def _describe_malformed(text: str) -> str:
    digits = text[2:] if text[:2] in ("0x", "0X") else text
    if not digits:
        return "it is empty"
    bad = sorted({char for char in digits if char not in "0123456789abcdefABCDEF"})
    if bad:
        return f"it contains characters that are not hexadecimal: {''.join(bad)!r}"
    return f"it has {len(digits)} hexadecimal characters, not 64"
