"""`GET /api/v1/documents/{sha256}`: a published document is served byte for byte under its name, its
hash checked first; one not held, or held and not published, is a 404 that says which; one altered in
the store is refused with a 409 that says so; ranges are served; nothing served can run script."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from registry.evidence.store import DocumentStore
from tests.api.conftest import IndexedRegistry

REASON = "시험 성적서 B가 빠졌습니다. Test log for scenario B is missing.\n"


@pytest.fixture
def store(indexed: IndexedRegistry) -> DocumentStore:
    return DocumentStore(indexed.settings.document_store_dir)


def test_a_typed_reason_is_published_and_served_byte_for_byte_under_its_name(
    api: TestClient, store: DocumentStore
) -> None:
    stored = store.put_text(REASON, "반려 사유.txt")

    answer = api.get(f"/api/v1/documents/{stored.sha256.hex()}")

    assert answer.status_code == 200
    assert answer.content == REASON.encode()
    assert hashlib.sha256(answer.content).digest() == stored.sha256
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert answer.headers["content-disposition"].startswith("inline;")
    assert "filename*=utf-8''%EB%B0%98%EB%A0%A4%20%EC%82%AC%EC%9C%A0.txt" in answer.headers["content-disposition"]
    assert answer.headers["content-security-policy"].startswith("sandbox")
    assert answer.headers["x-content-sha256"] == stored.sha256.hex()
    assert stored.public and stored.published_at is not None


def test_a_document_not_held_and_one_held_but_not_published_are_404s_that_say_which(
    api: TestClient, store: DocumentStore
) -> None:
    private = store.put_bytes(b"%PDF-1.7 the company's own test log, with names in it\n", "test-log.pdf")

    missing = api.get("/api/v1/documents/" + "ab" * 32)
    unpublished = api.get(f"/api/v1/documents/{private.sha256.hex()}")

    assert missing.status_code == unpublished.status_code == 404
    assert "is not held by this registry's document store" in missing.json()["error"]["message"]
    said = unpublished.json()["error"]["message"]
    assert "is held by this registry but its writer has not published it" in said
    assert b"names in it" not in unpublished.content


def test_publishing_is_an_act_of_its_own_and_lasts(api: TestClient, store: DocumentStore) -> None:
    plan = store.put_bytes(b"%PDF-1.7 research plan\n", "plan.pdf")
    assert api.get(f"/api/v1/documents/{plan.sha256.hex()}").status_code == 404

    published = store.publish(plan.sha256)
    store.put_bytes(b"%PDF-1.7 research plan\n", "plan (copy).pdf")  # stored again under another name

    answer = api.get(f"/api/v1/documents/{plan.sha256.hex()}")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert store.info(plan.sha256).public and store.publish(plan.sha256).published_at == published.published_at


def test_a_document_altered_in_the_store_is_refused_with_a_409_that_says_so(
    api: TestClient, store: DocumentStore, caplog: pytest.LogCaptureFixture
) -> None:
    stored = store.put_text("Findings: tranche 2 paid before the prototype existed.\n", "findings.txt")
    assert api.get(f"/api/v1/documents/{stored.sha256.hex()}").status_code == 200  # checked, and remembered
    path = store.get_path(stored.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(b"Findings: nothing to report.\n")

    answer = api.get(f"/api/v1/documents/{stored.sha256.hex()}")

    assert answer.status_code == 409
    assert (
        "does not match that hash (it was altered or damaged in the document store)"
        in answer.json()["error"]["message"]
    )
    assert b"nothing to report" not in answer.content
    assert any("does not hash to its address" in r.getMessage() for r in caplog.records)


def test_a_range_of_a_large_document_is_served_as_asked(api: TestClient, store: DocumentStore, tmp_path: Path) -> None:
    content = bytes(range(256)) * 8192  # 2 MiB
    big = tmp_path / "측정 데이터.bin"
    big.write_bytes(content)
    stored = store.publish(store.put_file(big).sha256)

    part = api.get(f"/api/v1/documents/{stored.sha256.hex()}", headers={"Range": "bytes=1000000-1000099"})
    whole = api.get(f"/api/v1/documents/{stored.sha256.hex()}")
    outside = api.get(f"/api/v1/documents/{stored.sha256.hex()}", headers={"Range": f"bytes={len(content) + 10}-"})

    assert part.status_code == 206 and part.content == content[1_000_000:1_000_100]
    assert part.headers["content-range"] == f"bytes 1000000-1000099/{len(content)}"
    assert whole.status_code == 200 and whole.content == content
    assert whole.headers["content-disposition"].startswith("attachment;")
    assert outside.status_code == 416


def test_a_published_page_or_picture_that_could_run_script_is_a_sandboxed_download(
    api: TestClient, store: DocumentStore
) -> None:
    page = store.publish(store.put_bytes(b"<script>alert(document.cookie)</script>", "notice.html").sha256)
    drawing = store.publish(store.put_bytes(b"<svg onload='alert(1)'/>", "logo.svg").sha256)

    for stored in (page, drawing):
        answer = api.get(f"/api/v1/documents/{stored.sha256.hex()}")
        assert answer.status_code == 200
        assert answer.headers["content-disposition"].startswith("attachment;")
        assert answer.headers["content-security-policy"] == "sandbox; default-src 'none'"
        assert answer.headers["x-content-type-options"] == "nosniff"


def test_a_malformed_hash_is_a_422_naming_sha256(api: TestClient) -> None:
    answer = api.get("/api/v1/documents/not-a-hash")
    assert answer.status_code == 422 and answer.json()["error"]["parameter"] == "sha256"
