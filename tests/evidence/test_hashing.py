"""Document hashing: SHA-256 that anyone can recompute, folder walks, and hash parsing."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.errors import RegistryError
from registry.evidence.hashing import (
    DocumentHash,
    DocumentUnreadable,
    InvalidDocumentHash,
    hash_folder,
    hash_to_hex,
    parse_document_hash,
    parse_hash,
    sha256_bytes,
    sha256_file,
)

PROPERTIES = settings(derandomize=bool(os.environ.get("CI")), deadline=None)
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("size", [0, 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 17])
def test_sha256_file_equals_hashlib(tmp_path: Path, size: int) -> None:
    content = os.urandom(size)
    path = write(tmp_path / "report.pdf", content)

    assert sha256_file(path) == hashlib.sha256(content).digest()
    assert sha256_bytes(content) == hashlib.sha256(content).digest()


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="sha256sum (GNU coreutils) is not installed")
def test_sha256_file_equals_sha256sum_output(tmp_path: Path) -> None:
    path = write(tmp_path / "final report.pdf", os.urandom(200_000))

    printed = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True).stdout

    assert hash_to_hex(sha256_file(path)) == "0x" + printed.split()[0]
    assert parse_document_hash(printed.split()[0]) == sha256_file(path)


def test_hashing_a_large_file_keeps_memory_bounded(tmp_path: Path) -> None:
    path = tmp_path / "equipment-photos.tar"
    with path.open("wb") as file:
        file.truncate(64 << 20)  # sparse: 64 MiB of zeros without writing them

    tracemalloc.start()
    try:
        digest = sha256_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert digest == hashlib.sha256(bytes(64 << 20)).digest()
    assert peak < 8 << 20


def test_missing_file_raises_document_unreadable_with_path_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "missing.pdf"

    with pytest.raises(DocumentUnreadable) as raised:
        sha256_file(path)

    assert raised.value.path == str(path)
    assert raised.value.reason == "no such file"
    assert str(raised.value) == f"cannot read {path}: no such file"
    assert isinstance(raised.value, RegistryError)


def test_folder_given_as_file_raises_document_unreadable(tmp_path: Path) -> None:
    with pytest.raises(DocumentUnreadable) as raised:
        sha256_file(tmp_path)

    assert raised.value.reason == "it is a folder, not a file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_file_without_read_permission_raises_document_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.pdf", b"x")
    path.chmod(0)

    with pytest.raises(DocumentUnreadable) as raised:
        sha256_file(path)

    assert raised.value.reason == "permission denied"


def test_hash_folder_sorts_by_relative_posix_path_and_records_sizes(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", b"bb")
    write(tmp_path / "a" / "z.txt", b"z")
    write(tmp_path / "a" / "b" / "c.txt", b"ccc")
    write(tmp_path / "A.txt", b"")
    write(tmp_path / "a.txt", b"a")

    documents = hash_folder(tmp_path)

    assert documents == [
        DocumentHash("A.txt", hashlib.sha256(b"").digest(), 0),
        DocumentHash("a.txt", hashlib.sha256(b"a").digest(), 1),
        DocumentHash("a/b/c.txt", hashlib.sha256(b"ccc").digest(), 3),
        DocumentHash("a/z.txt", hashlib.sha256(b"z").digest(), 1),
        DocumentHash("b.txt", hashlib.sha256(b"bb").digest(), 2),
    ]


def test_hash_folder_skips_hidden_files_and_folders(tmp_path: Path) -> None:
    write(tmp_path / "report.pdf", b"report")
    write(tmp_path / ".DS_Store", b"finder")
    write(tmp_path / ".git" / "config", b"git")
    write(tmp_path / "drafts" / ".~lock.report.odt#", b"lock")
    write(tmp_path / "drafts" / ".cache" / "thumb.png", b"png")

    assert [document.path for document in hash_folder(tmp_path)] == ["report.pdf"]


def test_hash_folder_follows_a_symlink_inside_but_not_one_leading_outside(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    write(folder / "report.pdf", b"report")
    outside = write(tmp_path / "elsewhere" / "passwords.txt", b"secret")
    (folder / "copy-of-report.pdf").symlink_to(folder / "report.pdf")
    (folder / "escape.txt").symlink_to(outside)
    (folder / "escape-folder").symlink_to(outside.parent, target_is_directory=True)
    (folder / "dangling.pdf").symlink_to(folder / "nothing-here.pdf")

    documents = hash_folder(folder)

    assert [document.path for document in documents] == ["copy-of-report.pdf", "report.pdf"]
    assert documents[0].sha256 == documents[1].sha256


def test_hash_folder_terminates_on_a_symlink_loop(tmp_path: Path) -> None:
    write(tmp_path / "sub" / "report.pdf", b"report")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)

    assert [document.path for document in hash_folder(tmp_path)] == ["sub/report.pdf"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_hash_folder_skips_a_named_pipe_instead_of_blocking_on_it(tmp_path: Path) -> None:
    write(tmp_path / "report.pdf", b"report")
    os.mkfifo(tmp_path / "pipe")

    assert [document.path for document in hash_folder(tmp_path)] == ["report.pdf"]


def test_hash_folder_of_empty_folder_is_empty(tmp_path: Path) -> None:
    assert hash_folder(tmp_path) == []


def test_hash_folder_of_missing_folder_raises_document_unreadable(tmp_path: Path) -> None:
    with pytest.raises(DocumentUnreadable) as raised:
        hash_folder(tmp_path / "nope")

    assert (raised.value.path, raised.value.reason) == (str(tmp_path / "nope"), "no such folder")


def test_hash_folder_of_a_file_raises_document_unreadable(tmp_path: Path) -> None:
    path = write(tmp_path / "report.pdf", b"report")

    with pytest.raises(DocumentUnreadable) as raised:
        hash_folder(path)

    assert raised.value.reason == "not a folder"


@pytest.mark.parametrize(
    "text",
    [
        EMPTY_SHA256,
        "0x" + EMPTY_SHA256,
        "0X" + EMPTY_SHA256.upper(),
        f"  {EMPTY_SHA256}\n",
    ],
)
def test_parse_document_hash_accepts_hex_with_or_without_prefix(text: str) -> None:
    assert parse_document_hash(text) == bytes.fromhex(EMPTY_SHA256)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "it is empty"),
        ("0x", "it is empty"),
        (EMPTY_SHA256[:-1], "it has 63 hexadecimal characters, not 64"),
        (EMPTY_SHA256 + "00", "it has 66 hexadecimal characters, not 64"),
        ("0x" + EMPTY_SHA256[:-1] + "g", "it contains characters that are not hexadecimal: 'g'"),
        (f"{EMPTY_SHA256}  report.pdf", "it contains characters that are not hexadecimal: ' .oprt'"),
        ("0" * 64, "it is all zeros, which the registry reads as 'no document'"),
    ],
)
def test_parse_document_hash_rejects_malformed_text_saying_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(InvalidDocumentHash) as raised:
        parse_document_hash(text)

    assert raised.value.text == text
    assert raised.value.problem == problem
    assert str(raised.value) == (
        f"{text!r} is not a document hash: {problem}; a SHA-256 hash is 64 hexadecimal characters, "
        f"with or without 0x, as `sha256sum FILE` prints it, e.g. 0x{EMPTY_SHA256}"
    )


def test_parse_hash_accepts_zero_for_values_that_are_not_documents() -> None:
    assert parse_hash("0x" + "0" * 64) == bytes(32)


def test_hash_to_hex_rejects_a_value_that_is_not_32_bytes() -> None:
    with pytest.raises(InvalidDocumentHash) as raised:
        hash_to_hex(b"\x01" * 20)

    assert raised.value.problem == "it is 20 bytes long, not 32"


@PROPERTIES
@given(st.binary(min_size=32, max_size=32).filter(any))
def test_rendered_hash_parses_back_to_the_same_bytes(value: bytes) -> None:
    rendered = hash_to_hex(value)

    assert rendered == "0x" + value.hex()
    assert parse_document_hash(rendered) == value
    assert parse_document_hash(rendered[2:].upper()) == value
