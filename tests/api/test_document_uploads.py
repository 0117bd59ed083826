"""`POST /api/v1/documents`: a document published from a person's page, signed for by a registry account as the
chain says at its head; served back byte for byte; every refusal says why in the person's language and stores
nothing; a signature given for another registry is refused."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_account.signers.local import LocalAccount
from fastapi.testclient import TestClient

from registry.api.app import create_app
from registry.chain.devkeys import dev_account
from registry.evidence.publishing import publication_message
from tests.api.conftest import IndexedRegistry

ADMIN, AUDITOR = dev_account(0), dev_account(1)
NOTE = "검토 의견: 증빙 자료의 3쪽 서명이 빠졌습니다.\n".encode()
OTHER_REGISTRY = "0x000000000000000000000000000000000000dEaD"


@contextmanager
def uploads_api(indexed: IndexedRegistry, store_dir: Path, **settings: Any) -> Iterator[TestClient]:
    """The API with its own document store (and fresh limits) for one test."""
    chosen = indexed.settings.model_copy(update={"document_store_dir": store_dir, **settings})
    with TestClient(create_app(chosen), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "documents"


@pytest.fixture
def api(indexed: IndexedRegistry, store_dir: Path) -> Iterator[TestClient]:
    with uploads_api(indexed, store_dir) as client:
        yield client


def signature(signer: LocalAccount, document: bytes, *, chain_id: int, registry: str) -> str:
    message = publication_message(hashlib.sha256(document).digest(), chain_id, registry)
    return "0x" + bytes(signer.sign_message(encode_defunct(text=message)).signature).hex()


def upload(
    indexed: IndexedRegistry,
    signer: LocalAccount,
    document: bytes,
    *,
    declared: bytes | None = None,
    uploader: str | None = None,
    registry: str | None = None,
    name: str = "검토의견.txt",
    content_type: str | None = "text/plain",
) -> tuple[dict[str, str], dict[str, tuple[str, bytes, str]]]:
    """The form a page posts: the fields first, then the document; signed by `signer` for this registry (or
    `registry`) over the SHA-256 of `declared` (the document itself by default)."""
    vouched = declared if declared is not None else document
    signed = signature(
        signer, vouched, chain_id=indexed.manifest.chain_id, registry=registry or indexed.client.grants.address
    )
    fields = {
        "sha256": hashlib.sha256(vouched).hexdigest(),
        "uploader": uploader or signer.address,
        "signature": signed,
        "name": name,
    }
    if content_type is not None:
        fields["contentType"] = content_type
    return fields, {"document": (name, document, "application/octet-stream")}


def post(api: TestClient, form: tuple[dict[str, str], dict[str, Any]], lang: str | None = None) -> Any:
    fields, files = form
    return api.post("/api/v1/documents", params={"lang": lang} if lang else None, data=fields, files=files)


def stored_files(store_dir: Path) -> list[Path]:
    """Every file the store holds but its lock: documents, sidecars, and any temporary file left behind."""
    if not store_dir.exists():
        return []
    return sorted(p for p in store_dir.rglob("*") if p.is_file() and p.name != ".lock")


def refused(api: TestClient, form: Any, status: int, reason: str, store_dir: Path) -> dict[str, dict[str, str]]:
    """Posts `form` in English and in Korean (the default): refused both times with `reason`, nothing stored.
    Gives each language's error body."""
    answers = {"en": post(api, form, "en"), "ko": post(api, form)}
    bodies = {}
    for language, answer in answers.items():
        assert answer.status_code == status, answer.text
        assert answer.headers["content-language"] == language
        error = answer.json()["error"]
        assert (error["status"], error["reason"], error["language"]) == (status, reason, language)
        bodies[language] = error
    assert bodies["en"]["message"] != bodies["ko"]["message"]
    assert stored_files(store_dir) == []
    return bodies


def clerk_account(indexed: IndexedRegistry) -> LocalAccount:
    return next(dev_account(i) for i in range(3, 10) if indexed.client.company_of(dev_account(i).address))


# ---- published -------------------------------------------------------------------------------------------------


def test_an_auditors_note_is_published_and_served_back_byte_for_byte(api: TestClient, indexed: IndexedRegistry) -> None:
    answer = post(api, upload(indexed, AUDITOR, NOTE))
    assert answer.status_code == 201, answer.text
    digest = "0x" + hashlib.sha256(NOTE).hexdigest()
    published = answer.json()
    assert published["sha256"] == digest
    assert published["url"] == f"/api/v1/documents/{digest}"
    assert (published["size"], published["name"], published["mediaType"]) == (len(NOTE), "검토의견.txt", "text/plain")
    served = api.get(published["url"])
    assert served.status_code == 200
    assert served.content == NOTE
    assert served.headers["content-type"].startswith("text/plain")


def test_the_same_document_again_answers_200_with_the_same_result(api: TestClient, indexed: IndexedRegistry) -> None:
    first = post(api, upload(indexed, ADMIN, NOTE))
    again = post(api, upload(indexed, ADMIN, NOTE))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()


def test_a_company_clerks_evidence_is_published_under_its_own_name_and_type(
    api: TestClient, indexed: IndexedRegistry
) -> None:
    evidence = b"%PDF-1.4\n" + bytes(range(256)) * 40
    form = upload(indexed, clerk_account(indexed), evidence, name="시험성적서.pdf", content_type=None)
    answer = post(api, form)
    assert answer.status_code == 201, answer.text
    assert (answer.json()["name"], answer.json()["mediaType"]) == ("시험성적서.pdf", "application/pdf")
    assert api.get(answer.json()["url"]).content == evidence


def test_a_document_the_store_held_unpublished_is_published_with_201(
    api: TestClient, indexed: IndexedRegistry, store_dir: Path
) -> None:
    from registry.evidence.store import DocumentStore

    DocumentStore(store_dir).put_bytes(NOTE, "private.txt")
    assert api.get(f"/api/v1/documents/{hashlib.sha256(NOTE).hexdigest()}").status_code == 404
    answer = post(api, upload(indexed, AUDITOR, NOTE))
    assert answer.status_code == 201
    assert answer.json()["name"] == "private.txt"
    assert api.get(answer.json()["url"]).content == NOTE


# ---- refused ---------------------------------------------------------------------------------------------------


def test_bytes_that_do_not_hash_to_the_declared_sha256_are_refused_and_not_stored(
    api: TestClient, indexed: IndexedRegistry, store_dir: Path
) -> None:
    form = upload(indexed, AUDITOR, NOTE + b"tampered", declared=NOTE)
    errors = refused(api, form, 422, "hash-mismatch", store_dir)
    actual, declared = hashlib.sha256(NOTE + b"tampered").hexdigest(), hashlib.sha256(NOTE).hexdigest()
    assert errors["en"]["message"] == (
        f"the document received hashes to SHA-256 0x{actual}, not 0x{declared} as declared, so it was not stored; "
        "check that the right file was sent, whole"
    )
    assert errors["ko"]["message"].startswith(f"받은 문서의 SHA-256은 0x{actual}로, 신고한 0x{declared}와 다릅니다")
    assert errors["en"]["parameter"] == "sha256"


def test_a_signature_by_another_account_is_refused(api: TestClient, indexed: IndexedRegistry, store_dir: Path) -> None:
    form = upload(indexed, ADMIN, NOTE, uploader=AUDITOR.address)
    errors = refused(api, form, 403, "bad-signature", store_dir)
    assert errors["en"]["message"].startswith(f"the signature is not {AUDITOR.address}'s over this registry's")
    assert f"it was made by {ADMIN.address}" in errors["en"]["message"]
    assert errors["ko"]["message"].startswith(f"서명이 {AUDITOR.address} 계정이 이 등록부")


def test_a_signature_given_for_another_registry_is_refused_when_replayed_here(
    api: TestClient, indexed: IndexedRegistry, store_dir: Path
) -> None:
    form = upload(indexed, AUDITOR, NOTE, registry=OTHER_REGISTRY)
    errors = refused(api, form, 403, "bad-signature", store_dir)
    registry = indexed.client.grants.address
    assert f"(chain {indexed.manifest.chain_id}, registry {registry})" in errors["en"]["message"]


def test_a_signature_for_another_document_is_refused(
    api: TestClient, indexed: IndexedRegistry, store_dir: Path
) -> None:
    fields, files = upload(indexed, AUDITOR, NOTE)
    other_fields, _ = upload(indexed, AUDITOR, b"another note")
    refused(api, ({**fields, "signature": other_fields["signature"]}, files), 403, "bad-signature", store_dir)


def test_an_unreadable_signature_is_refused_as_a_bad_signature(
    api: TestClient, indexed: IndexedRegistry, store_dir: Path
) -> None:
    fields, files = upload(indexed, AUDITOR, NOTE)
    refused(api, ({**fields, "signature": "0x" + "00" * 65}, files), 403, "bad-signature", store_dir)


def test_an_account_with_no_role_and_no_company_is_refused(
    api: TestClient, indexed: IndexedRegistry, store_dir: Path
) -> None:
    stranger: LocalAccount = Account.create()
    errors = refused(api, upload(indexed, stranger, NOTE), 403, "not-registry-account", store_dir)
    block = indexed.client.w3.eth.block_number
    assert errors["en"]["message"] == (
        f"{stranger.address} holds no role in this registry and is bound to no company (as the chain says at block "
        f"{block}), so its signature does not publish documents here; sign with your registry account"
    )
    assert errors["en"]["parameter"] == "uploader"


def test_a_document_larger_than_the_limit_is_refused_with_413(indexed: IndexedRegistry, store_dir: Path) -> None:
    with uploads_api(indexed, store_dir, api_max_upload_bytes=1000) as api:
        errors = refused(api, upload(indexed, AUDITOR, b"x" * 1001), 413, "too-large", store_dir)
        assert errors["en"]["message"].startswith("the document is larger than 1,000 bytes, the most this API takes")
        assert post(api, upload(indexed, AUDITOR, b"x" * 1000)).status_code == 201


def test_requests_past_the_limit_per_signer_are_refused_with_retry_after(
    indexed: IndexedRegistry, store_dir: Path
) -> None:
    with uploads_api(indexed, store_dir, document_uploads_per_signer=1) as api:
        assert post(api, upload(indexed, AUDITOR, NOTE)).status_code == 201
        answer = post(api, upload(indexed, AUDITOR, b"a second note"), "en")
        assert answer.status_code == 429
        assert int(answer.headers["retry-after"]) >= 1
        assert answer.json()["error"]["reason"] == "rate-limited"
        assert answer.json()["error"]["message"].startswith(
            f"too many documents from {AUDITOR.address}: this API publishes 1 a minute for one signer"
        )
        assert post(api, upload(indexed, ADMIN, b"the admin's note")).status_code == 201
        assert len(stored_files(store_dir)) == 4  # two documents and their sidecars


def test_requests_past_the_limit_per_client_are_refused_before_anything_is_read(
    indexed: IndexedRegistry, store_dir: Path
) -> None:
    with uploads_api(indexed, store_dir, document_uploads_per_client=2) as api:
        assert post(api, upload(indexed, Account.create(), NOTE)).status_code == 403  # refused ones count too
        assert post(api, upload(indexed, AUDITOR, NOTE)).status_code == 201
        answer = post(api, upload(indexed, ADMIN, b"another"))
        assert answer.status_code == 429
        assert answer.json()["error"]["message"].startswith("testclient에서 요청이 너무 많습니다")


def test_a_store_that_cannot_be_written_refuses_with_503(indexed: IndexedRegistry, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with uploads_api(indexed, blocker / "documents") as api:
        answer = post(api, upload(indexed, AUDITOR, NOTE), "en")
        terms = api.get("/api/v1/documents/publishing", params={"lang": "en"}).json()
    assert answer.status_code == 503
    assert answer.json()["error"]["reason"] == "store-not-configured"
    assert "RND_DOCUMENT_STORE_DIR" in answer.json()["error"]["message"]
    assert terms["enabled"] is False and "RND_DOCUMENT_STORE_DIR" in terms["message"]


def test_a_chain_that_does_not_answer_refuses_with_503_and_stores_nothing(
    indexed: IndexedRegistry, store_dir: Path
) -> None:
    with uploads_api(indexed, store_dir, rpc_url="http://127.0.0.1:9", rpc_retries=0, rpc_timeout=2.0) as api:
        errors = refused(api, upload(indexed, AUDITOR, NOTE), 503, "chain-unreachable", store_dir)
        assert errors["en"]["message"].startswith("the registry's chain cannot be asked who the uploader is")
        assert api.get("/api/v1/documents/publishing").json()["enabled"] is False


def document_first(fields: dict[str, str], document: bytes) -> tuple[bytes, dict[str, str]]:
    """A multipart body with the document before the fields, as some clients send it, and its headers."""
    boundary = "boundary42"
    parts = [("document", document, 'filename="note.txt"')] + [(k, v.encode(), None) for k, v in fields.items()]
    heads = [
        f'Content-Disposition: form-data; name="{name}"' + (f"; {extra}" if extra else "") for name, _, extra in parts
    ]
    body = b"".join(
        f"--{boundary}\r\n{head}\r\n\r\n".encode() + value + b"\r\n"
        for head, (_, value, _) in zip(heads, parts, strict=True)
    )
    return body + f"--{boundary}--\r\n".encode(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def test_fields_after_the_document_are_checked_once_it_is_received(
    api: TestClient, indexed: IndexedRegistry, store_dir: Path
) -> None:
    fields, _ = upload(indexed, Account.create(), NOTE)
    body, headers = document_first(fields, NOTE)
    answer = api.post("/api/v1/documents?lang=en", content=body, headers=headers)
    assert answer.status_code == 403
    assert answer.json()["error"]["reason"] == "not-registry-account"
    assert stored_files(store_dir) == []
    fields, _ = upload(indexed, AUDITOR, NOTE)
    body, headers = document_first(fields, NOTE)
    answer = api.post("/api/v1/documents", content=body, headers=headers)
    assert answer.status_code == 201, answer.text
    assert api.get(answer.json()["url"]).content == NOTE


def test_a_missing_field_is_refused_naming_it(api: TestClient, indexed: IndexedRegistry, store_dir: Path) -> None:
    fields, files = upload(indexed, AUDITOR, NOTE)
    del fields["signature"]
    errors = refused(api, (fields, files), 422, "malformed", store_dir)
    assert errors["en"]["message"].startswith("the field 'signature' is missing")
    assert errors["en"]["parameter"] == "signature"


def test_a_misspelled_field_is_refused_naming_it(api: TestClient, indexed: IndexedRegistry, store_dir: Path) -> None:
    fields, files = upload(indexed, AUDITOR, NOTE)
    errors = refused(api, ({**fields, "uploader": "0x1234"}, files), 422, "malformed", store_dir)
    assert errors["en"]["parameter"] == "uploader"
    errors = refused(api, ({**fields, "contentType": "pdf"}, files), 422, "malformed", store_dir)
    assert errors["en"]["parameter"] == "contentType"
    errors = refused(api, ({**fields, "sha256": "sha256:" + fields["sha256"]}, files), 422, "malformed", store_dir)
    assert errors["en"]["parameter"] == "sha256"


def test_the_publication_terms_name_this_registry(api: TestClient, indexed: IndexedRegistry) -> None:
    terms = api.get("/api/v1/documents/publishing").json()
    assert terms == {
        "enabled": True,
        "message": None,
        "chainId": indexed.manifest.chain_id,
        "registry": indexed.client.grants.address,
        "maxUploadBytes": indexed.settings.api_max_upload_bytes,
    }
