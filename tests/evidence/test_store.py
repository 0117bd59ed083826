"""The document store: bytes kept at the address of their SHA-256, stored once, checkable by anyone."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import stat
import threading
import tracemalloc
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from registry.errors import RegistryError
from registry.evidence.hashing import DocumentUnreadable, InvalidDocumentHash, sha256_file
from registry.evidence.proofs import EvidenceFileError
from registry.evidence.store import (
    DocumentNotStored,
    DocumentStore,
    InvalidDocumentName,
    StoredDocument,
)
from registry.settings import Settings, get_settings

REPORT = b"%PDF-1.7 interim report of the Incheon SOS Lab child-safety pilot"
REPORT_SHA256 = hashlib.sha256(REPORT).digest()
SIDECAR_KEYS = {"sha256", "size", "mediaType", "originalNames", "storedAt", "public", "publishedAt"}


@pytest.fixture
def store(tmp_path: Path) -> DocumentStore:
    return DocumentStore(tmp_path / "documents")


def write(path: Path, content: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def stored_files(store: DocumentStore) -> list[str]:
    """Every file under the store's sha256 folder, relative to it, temporary files included."""
    base = store.root / "sha256"
    return sorted(path.relative_to(base).as_posix() for path in base.rglob("*") if path.is_file())


def expected_files(*digests: bytes) -> list[str]:
    files = []
    for digest in digests:
        hex_digest = digest.hex()
        files += [f"{hex_digest[:2]}/{hex_digest}", f"{hex_digest[:2]}/{hex_digest}.json"]
    return sorted(files)


def test_put_file_then_get_path_and_open_return_the_same_bytes(store: DocumentStore, tmp_path: Path) -> None:
    source = write(tmp_path / "upload" / "interim-report.pdf", REPORT)

    stored = store.put_file(source)

    assert stored.sha256 == REPORT_SHA256
    assert stored.size == len(REPORT)
    assert stored.media_type == "application/pdf"
    assert stored.original_names == ("interim-report.pdf",)
    assert store.get_path(REPORT_SHA256).read_bytes() == REPORT
    with store.open(REPORT_SHA256) as stream:
        assert stream.read() == REPORT
    assert store.has(REPORT_SHA256)
    assert store.info(REPORT_SHA256) == stored


def test_document_is_stored_under_its_hash_with_a_sidecar(store: DocumentStore) -> None:
    store.put_bytes(REPORT, "interim-report.pdf")

    hex_digest = REPORT_SHA256.hex()
    path = store.root / "sha256" / hex_digest[:2] / hex_digest
    assert store.get_path(REPORT_SHA256) == path
    assert stored_files(store) == expected_files(REPORT_SHA256)
    sidecar = json.loads(path.with_name(hex_digest + ".json").read_text("utf-8"))
    assert set(sidecar) == SIDECAR_KEYS
    assert sidecar["sha256"] == "0x" + hex_digest
    assert sidecar["size"] == len(REPORT)
    assert sidecar["mediaType"] == "application/pdf"
    assert sidecar["originalNames"] == ["interim-report.pdf"]
    assert sidecar["storedAt"].endswith("Z")


def test_stored_bytes_hash_to_their_address(store: DocumentStore, tmp_path: Path) -> None:
    contents = [b"", b"a", os.urandom(3 * (1 << 20) + 17), REPORT]
    for index, content in enumerate(contents):
        store.put_file(write(tmp_path / f"doc-{index}.bin", content))

    for content in contents:
        digest = hashlib.sha256(content).digest()
        path = store.get_path(digest)
        assert path.name == digest.hex()
        assert sha256_file(path) == digest
        assert store.verify(digest)


def test_stored_at_is_the_time_of_first_storing_in_utc(store: DocumentStore) -> None:
    before = datetime.now(UTC).replace(microsecond=0)

    stored = store.put_bytes(REPORT, "report.pdf")

    assert stored.stored_at.tzinfo == UTC
    assert before <= stored.stored_at <= datetime.now(UTC)


def test_identical_content_under_two_names_is_stored_once_with_both_names(store: DocumentStore, tmp_path: Path) -> None:
    first = store.put_file(write(tmp_path / "a" / "final-report.pdf", REPORT))
    path = store.get_path(REPORT_SHA256)
    before = path.stat()

    second = store.put_file(write(tmp_path / "b" / "final-report-v2.pdf", REPORT))

    assert second.original_names == ("final-report.pdf", "final-report-v2.pdf")
    assert second.model_dump(exclude={"original_names"}) == first.model_dump(exclude={"original_names"})
    assert stored_files(store) == expected_files(REPORT_SHA256)
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # bytes not rewritten
    assert store.info(REPORT_SHA256) == second


def test_storing_again_under_a_known_name_changes_nothing(store: DocumentStore) -> None:
    first = store.put_bytes(REPORT, "report.pdf")
    store.put_bytes(REPORT, "copy.pdf")
    sidecar = store.get_path(REPORT_SHA256).with_suffix(".json")
    content = sidecar.read_bytes()

    again = store.put_bytes(REPORT, "report.pdf")

    assert again.original_names == ("report.pdf", "copy.pdf")
    assert again.stored_at == first.stored_at
    assert sidecar.read_bytes() == content


def test_media_type_is_guessed_from_the_first_name_and_defaults_to_octet_stream(store: DocumentStore) -> None:
    assert store.put_bytes(b"photo", "prototype.jpg").media_type == "image/jpeg"
    assert store.put_bytes(b"photo", "prototype.png").media_type == "image/jpeg"
    assert store.put_bytes(b"data", "measurements").media_type == "application/octet-stream"
    assert store.put_bytes(b"odd", "readings.unknown-kind").media_type == "application/octet-stream"


def test_put_bytes_and_put_file_store_the_same_document(store: DocumentStore, tmp_path: Path) -> None:
    from_bytes = store.put_bytes(REPORT, "report.pdf")
    from_file = store.put_file(write(tmp_path / "report.pdf", REPORT))

    assert from_file == from_bytes


def test_large_file_is_streamed_with_modest_memory(store: DocumentStore, tmp_path: Path) -> None:
    size = 50 << 20
    source = tmp_path / "equipment-photos.tar"
    with source.open("wb") as file:
        file.truncate(size)  # sparse: 50 MiB of zeros without writing them

    tracemalloc.start()
    try:
        stored = store.put_file(source)
        verified = store.verify(stored.sha256)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert stored.sha256 == hashlib.sha256(bytes(size)).digest()
    assert stored.size == size
    assert store.get_path(stored.sha256).stat().st_size == size
    assert verified
    assert peak < 8 << 20


def test_missing_document_raises_document_not_stored_naming_the_hash(store: DocumentStore) -> None:
    digest = hashlib.sha256(b"never uploaded").digest()
    expected = (
        f"no document with SHA-256 0x{digest.hex()} is stored here; a record can name a document's hash "
        "before its file is uploaded, so ask whoever submitted the record for the file and check it with "
        "`sha256sum FILE`"
    )
    store.put_bytes(REPORT, "report.pdf")
    calls: list[Callable[[str], object]] = [store.get_path, store.open, store.info, store.verify]

    for call in calls:
        with pytest.raises(DocumentNotStored) as raised:
            call(digest.hex())
        assert raised.value.sha256 == digest
        assert str(raised.value) == expected
        assert isinstance(raised.value, RegistryError)
        assert str(store.root) not in str(raised.value)  # the API passes the message to the public
    assert not store.has(digest)


def test_store_that_was_never_written_holds_nothing(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "not-yet-created")

    assert not store.has(REPORT_SHA256)
    assert list(store.iter_documents()) == []
    with pytest.raises(DocumentNotStored):
        store.get_path(REPORT_SHA256)
    assert not store.root.exists()  # reading never creates folders


def test_verify_detects_changed_bytes(store: DocumentStore) -> None:
    store.put_bytes(REPORT, "report.pdf")
    path = store.get_path(REPORT_SHA256)
    assert store.verify(REPORT_SHA256)

    path.chmod(0o644)
    path.write_bytes(REPORT.replace(b"interim", b"Interim"))

    assert not store.verify(REPORT_SHA256)


def test_verify_detects_truncated_bytes(store: DocumentStore) -> None:
    store.put_bytes(REPORT, "report.pdf")
    path = store.get_path(REPORT_SHA256)
    path.chmod(0o644)
    with path.open("r+b") as file:
        file.truncate(len(REPORT) - 1)

    assert not store.verify(REPORT_SHA256)


def test_stored_bytes_are_read_only(store: DocumentStore) -> None:
    store.put_bytes(REPORT, "report.pdf")

    mode = stat.S_IMODE(store.get_path(REPORT_SHA256).stat().st_mode)

    assert mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) == 0


def test_hex_with_and_without_0x_any_case_and_bytes_address_the_same_document(store: DocumentStore) -> None:
    store.put_bytes(REPORT, "report.pdf")
    hex_digest = REPORT_SHA256.hex()
    addresses: list[bytes | str] = [
        REPORT_SHA256,
        hex_digest,
        "0x" + hex_digest,
        "0X" + hex_digest.upper(),
        f"  {hex_digest}\n",
    ]

    for address in addresses:
        assert store.has(address)
        assert store.get_path(address) == store.get_path(REPORT_SHA256)
        assert store.info(address).sha256 == REPORT_SHA256
        assert store.verify(address)


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        (bytes(32), "it is all zeros, which the registry reads as 'no document'"),
        ("0x" + "00" * 32, "it is all zeros, which the registry reads as 'no document'"),
        (b"\x01" * 31, "it is 31 bytes long, not 32"),
        ("abc", "it has 3 hexadecimal characters, not 64"),
        ("g" * 64, "it contains characters that are not hexadecimal: 'g'"),
    ],
)
def test_malformed_address_raises_invalid_document_hash(
    store: DocumentStore, address: bytes | str, problem: str
) -> None:
    with pytest.raises(InvalidDocumentHash) as raised:
        store.has(address)

    assert raised.value.problem == problem


def test_korean_file_name_is_recorded_as_utf8(store: DocumentStore, tmp_path: Path) -> None:
    source = write(tmp_path / "제출" / "중간보고서.pdf", REPORT)

    stored = store.put_file(source)

    assert stored.original_names == ("중간보고서.pdf",)
    assert stored.media_type == "application/pdf"
    raw = store.get_path(REPORT_SHA256).with_suffix(".json").read_bytes()
    assert "중간보고서.pdf".encode() in raw  # readable in the file, not \\u escapes
    assert store.info(REPORT_SHA256).original_names == ("중간보고서.pdf",)


def test_decomposed_korean_name_is_recorded_once_in_composed_form(store: DocumentStore) -> None:
    composed = "중간보고서.pdf"
    decomposed = unicodedata.normalize("NFD", composed)  # as macOS hands file names over
    assert decomposed != composed

    store.put_bytes(REPORT, composed)
    stored = store.put_bytes(REPORT, decomposed)

    assert stored.original_names == (composed,)


@pytest.mark.parametrize(
    "name",
    [
        "/home/kim.cheolsu/Documents/중간보고서.pdf",
        "C:\\Users\\김철수\\Desktop\\중간보고서.pdf",
        "중간보고서.pdf",
    ],
)
def test_only_the_file_name_is_recorded_never_the_folder(store: DocumentStore, name: str) -> None:
    assert store.put_bytes(REPORT, name).original_names == ("중간보고서.pdf",)


def test_put_file_records_the_given_name_instead_of_the_temporary_one(store: DocumentStore, tmp_path: Path) -> None:
    upload = write(tmp_path / "tmpa81x_upload", REPORT)

    assert store.put_file(upload, name="최종보고서.pdf").original_names == ("최종보고서.pdf",)


@pytest.mark.parametrize("name", ["", "   ", "reports/", "..", "a\nb.pdf"])
def test_name_that_is_not_a_file_name_is_rejected_and_nothing_is_stored(store: DocumentStore, name: str) -> None:
    with pytest.raises(InvalidDocumentName) as raised:
        store.put_bytes(REPORT, name)

    assert raised.value.name == name
    assert not store.has(REPORT_SHA256)


def test_put_file_of_a_missing_file_raises_document_unreadable(store: DocumentStore, tmp_path: Path) -> None:
    path = tmp_path / "missing.pdf"

    with pytest.raises(DocumentUnreadable) as raised:
        store.put_file(path)

    assert (raised.value.path, raised.value.reason) == (str(path), "no such file")


def test_put_file_of_a_folder_raises_document_unreadable(store: DocumentStore, tmp_path: Path) -> None:
    with pytest.raises(DocumentUnreadable) as raised:
        store.put_file(tmp_path)

    assert raised.value.reason == "it is a folder, not a file"


def test_iter_documents_lists_every_document_by_hash_and_skips_other_files(store: DocumentStore) -> None:
    documents = [store.put_bytes(content, f"{content.decode()}.txt") for content in (b"one", b"two", b"three")]
    (store.root / "sha256" / ".incoming-leftover").write_bytes(b"partial upload")
    (store.root / "sha256" / "ab").mkdir(exist_ok=True)
    (store.root / "sha256" / "ab" / "notes.txt").write_bytes(b"stray")

    listed = list(store.iter_documents())

    assert listed == sorted(documents, key=lambda document: document.sha256)


def test_document_whose_sidecar_is_missing_is_described_from_its_bytes_until_stored_again(
    store: DocumentStore,
) -> None:
    store.put_bytes(REPORT, "report.pdf")
    sidecar = store.get_path(REPORT_SHA256).with_suffix(".json")
    sidecar.unlink()  # as if the process stopped between moving the bytes and writing the sidecar

    described = store.info(REPORT_SHA256)
    repaired = store.put_bytes(REPORT, "report.pdf")

    assert (described.size, described.media_type, described.original_names) == (
        len(REPORT),
        "application/octet-stream",
        (),
    )
    assert repaired.original_names == ("report.pdf",)
    assert store.info(REPORT_SHA256) == repaired


def test_sidecar_of_another_document_raises_evidence_file_error(store: DocumentStore) -> None:
    store.put_bytes(REPORT, "report.pdf")
    other = store.put_bytes(b"other", "other.txt")
    sidecar = store.get_path(REPORT_SHA256).with_suffix(".json")
    sidecar.write_text(other.to_json(), "utf-8")

    with pytest.raises(EvidenceFileError) as raised:
        store.info(REPORT_SHA256)

    assert raised.value.reason == f"describes another document, 0x{other.sha256.hex()}"


def test_stored_document_json_round_trips(store: DocumentStore) -> None:
    stored = store.put_bytes(REPORT, "중간보고서.pdf")

    assert StoredDocument.model_validate_json(stored.to_json()) == stored


def test_concurrent_puts_from_threads_leave_one_correct_file_with_every_name(
    store: DocumentStore,
) -> None:
    content = os.urandom(4 << 20)
    digest = hashlib.sha256(content).digest()
    names = [f"report-{index}.pdf" for index in range(8)]
    barrier = threading.Barrier(len(names))
    results: dict[str, StoredDocument] = {}
    errors: list[BaseException] = []

    def put(name: str) -> None:
        barrier.wait()
        try:
            results[name] = store.put_bytes(content, name)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=put, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert all(result.sha256 == digest for result in results.values())
    assert_one_correct_document(store, digest, content, names)


def _put_after_barrier(root: str, source: str, name: str, barrier: Any) -> None:
    barrier.wait()
    DocumentStore(root).put_file(source, name=name)


def test_concurrent_puts_from_processes_leave_one_correct_file_with_every_name(
    store: DocumentStore, tmp_path: Path
) -> None:
    content = os.urandom(8 << 20)
    source = write(tmp_path / "upload.bin", content)
    names = [f"보고서-{index}.pdf" for index in range(4)]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(names))
    processes = [
        context.Process(target=_put_after_barrier, args=(str(store.root), str(source), name, barrier)) for name in names
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)

    assert [process.exitcode for process in processes] == [0] * len(names)
    assert_one_correct_document(store, hashlib.sha256(content).digest(), content, names)


def assert_one_correct_document(store: DocumentStore, digest: bytes, content: bytes, names: list[str]) -> None:
    assert stored_files(store) == expected_files(digest)  # no second copy, no temporary file left
    assert store.get_path(digest).read_bytes() == content
    assert store.verify(digest)
    info = store.info(digest)
    assert sorted(info.original_names) == sorted(names)
    assert info.size == len(content)


def test_default_root_is_documents_under_the_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RND_DOCUMENT_STORE_DIR", raising=False)

    assert Settings(data_dir=tmp_path).document_store_dir == tmp_path / "documents"
    assert DocumentStore().root == get_settings().document_store_dir


def test_document_store_dir_can_be_set_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RND_DOCUMENT_STORE_DIR", str(tmp_path / "elsewhere"))

    assert Settings(data_dir=tmp_path).document_store_dir == tmp_path / "elsewhere"
