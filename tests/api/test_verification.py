"""Verification over the API, round trip: documents anchored through the client (one on its own, a
folder as a batch) are indexed by the real indexer and verified by hash and by upload; the same
file with one byte changed is not; a batch member's proof checks out on chain; the `cast` commands
given compute what they claim; bad input gets 413 or 422, and an unreachable node a live check
marked unavailable, never a 500."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from web3 import Web3

from registry.api.app import create_app
from registry.chain.anvil import foundry_binary
from registry.chain.client import RegistryClient
from registry.chain.deployment import GRANT_REGISTRY
from registry.domain.enums import AnchorKind
from registry.evidence.batches import store_batch
from registry.evidence.hashing import hash_to_hex, sha256_bytes, sha256_file
from registry.evidence.merkle import verify_proof
from registry.evidence.proofs import BatchManifest, build_batch
from registry.evidence.store import DocumentStore
from registry.store.engine import open_engine
from registry.store.schema import batch_members, evidence_references, raw_events
from tests.api.conftest import IndexedRegistry
from tests.helpers.registry import Actors

NOT_FOUND = "not found: this document does not match any registered one"


@dataclass(frozen=True)
class Anchored:
    """Documents anchored for these tests: one on its own, and a folder of three as a batch."""

    single: Path
    single_block: int
    single_transaction: str
    folder: Path
    manifest: BatchManifest
    batch_block: int
    batch_transaction: str
    member_client: RegistryClient


def _snapshot(w3: Web3) -> str:
    return str(w3.provider.make_request("evm_snapshot", [])["result"])  # type: ignore[arg-type]


def _revert(w3: Web3, snapshot: str) -> None:
    w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]


def _fresh(client: RegistryClient) -> RegistryClient:
    """A client like `client` whose sender reads its nonce anew: a reverted snapshot takes back the
    transactions the old one counted."""
    return RegistryClient(client.w3, client.manifest, account=client.account)


def _anchor_batch(client: RegistryClient, store: DocumentStore, folder: Path) -> tuple[BatchManifest, int, str]:
    manifest, tree, _ = build_batch(folder)
    store_batch(store, folder, manifest, "manifest.json")
    written = client.execute(client.ops.anchor_batch(tree.root, tree.leaf_count, manifest.manifest_hash))
    return manifest, written.block_number, written.transaction_hash


@pytest.fixture(scope="module")
def anchored(
    indexed: IndexedRegistry, w3: Web3, actors: Actors, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Anchored]:
    snapshot = _snapshot(w3)
    base = tmp_path_factory.mktemp("verification")
    client = RegistryClient(w3, indexed.manifest, account=actors.key(actors.member))
    single = base / "중간보고서.pdf"
    single.write_bytes(b"%PDF-1.7 interim report of project 3\n" + bytes(range(256)) * 40)
    written = client.execute(client.ops.anchor_document(sha256_file(single)))
    folder = base / "minutes"
    (folder / "2021").mkdir(parents=True)
    (folder / "a.txt").write_text("minutes of the first review meeting\n")
    (folder / "b.txt").write_text("minutes of the second review meeting\n")
    (folder / "2021" / "c.txt").write_text("site visit report\n")
    store = DocumentStore(indexed.settings.document_store_dir)
    manifest, batch_block, batch_transaction = _anchor_batch(client, store, folder)
    indexed.index()
    try:
        yield Anchored(single, written.block_number, written.transaction_hash, folder, manifest, batch_block,
                       batch_transaction, client)  # fmt: skip
    finally:
        _revert(w3, snapshot)
        indexed.index()


def _upload(api: TestClient, name: str, content: bytes) -> Any:
    return api.post("/api/v1/verify", files={"file": (name, content, "application/pdf")})


# ---- anchored on its own ----------------------------------------------------------------------------


def test_a_document_anchored_through_the_client_verifies_by_hash(
    api: TestClient, anchored: Anchored, actors: Actors, w3: Web3
) -> None:
    digest = sha256_file(anchored.single)
    response = api.get(f"/api/v1/verify/{digest.hex()}")
    assert response.status_code == 200
    body = response.json()
    assert body["sha256"] == hash_to_hex(digest)
    assert body["anchored"] is True
    block_time = w3.eth.get_block(anchored.single_block)["timestamp"]
    first = body["firstAnchoring"]
    assert first["anchoredBy"] == actors.member
    assert first["kind"] == "document"
    assert first["provenance"]["blockNumber"] == anchored.single_block
    assert first["provenance"]["transactionHash"] == anchored.single_transaction
    assert first["provenance"]["chainId"] == anchored.member_client.manifest.chain_id
    assert first["provenance"]["contract"] == anchored.member_client.grants.address
    assert first["anchoredAt"] == _iso(block_time)
    when = f"{_iso(block_time)} (block {anchored.single_block:,})"
    contract = anchored.member_client.grants.address
    chain_id, block = first["provenance"]["chainId"], body["liveCheck"]["blockNumber"]
    at = f"the contract at {contract} on chain {chain_id}, block {block:,}"
    assert body["verdict"] == (
        f"anchored: first anchored on {when} by {actors.member}, as document ({at}); "
        "named by 1 record event(s), 1 of them checked on the chain"
    )
    assert body["copyAnchored"] is True
    assert [(c["recordType"], c["event"], c["recordPath"], c["check"]["status"]) for c in body["citations"]] == [
        ("document", "DocumentAnchored", None, "confirmed")
    ]
    assert body["batches"] == []
    live = body["liveCheck"]
    assert live["status"] == "confirmed"
    assert live["anchorOf"] == {
        "anchored": True, "anchoredBy": actors.member, "anchoredAt": _iso(block_time),
        "blockNumber": anchored.single_block, "kind": "document",
    }  # fmt: skip
    assert live["blockNumber"] >= anchored.single_block
    assert live["contract"] == anchored.member_client.grants.address


def test_uploading_the_same_file_gives_the_same_answer_with_its_name_and_size(
    api: TestClient, anchored: Anchored
) -> None:
    content = anchored.single.read_bytes()
    by_upload = _upload(api, anchored.single.name, content)
    by_hash = api.get(f"/api/v1/verify/0x{sha256_bytes(content).hex()}")
    assert by_upload.status_code == 200
    uploaded = by_upload.json()
    assert (uploaded["fileName"], uploaded["size"]) == (anchored.single.name, len(content))
    expected = by_hash.json() | {"fileName": anchored.single.name, "size": len(content)}
    for answer in (uploaded, expected):
        answer["liveCheck"].pop("checkedAt")
    assert uploaded == expected


def test_the_same_file_with_one_byte_changed_is_not_anchored(api: TestClient, anchored: Anchored) -> None:
    content = bytearray(anchored.single.read_bytes())
    content[100] ^= 0x01
    response = _upload(api, anchored.single.name, bytes(content))
    assert response.status_code == 200
    body = response.json()
    assert body["sha256"] == hash_to_hex(sha256_bytes(bytes(content)))
    assert body["sha256"] != hash_to_hex(sha256_file(anchored.single))
    assert (body["anchored"], body["verdict"]) == (False, NOT_FOUND)
    assert (body["firstAnchoring"], body["citations"], body["batches"]) == (None, [], [])
    assert body["liveCheck"]["status"] == "not-anchored"
    assert body["liveCheck"]["anchorOf"]["anchored"] is False


def test_an_unknown_hash_is_not_found_with_the_hash_asked_for(api: TestClient) -> None:
    digest = sha256_bytes(b"a document nobody anchored")
    body = api.get(f"/api/v1/verify/{digest.hex().upper()}").json()
    assert (body["sha256"], body["anchored"], body["verdict"]) == (hash_to_hex(digest), False, NOT_FOUND)


# ---- in a batch -----------------------------------------------------------------------------------


def test_a_batch_member_returns_a_proof_that_checks_out_on_chain(
    api: TestClient, anchored: Anchored, actors: Actors, w3: Web3
) -> None:
    root = anchored.manifest.root
    for entry in anchored.manifest.documents:
        body = api.get(f"/api/v1/verify/{entry.sha256.hex()}").json()
        assert body["anchored"] is True
        assert body["firstAnchoring"] is None  # anchored through the batch's root only
        [batch] = body["batches"]
        proof = [bytes.fromhex(p[2:]) for p in batch["proof"]]
        assert batch["root"] == hash_to_hex(root)
        assert batch["path"] == entry.path
        assert batch["leafCount"] == 3
        assert batch["manifestHash"] == hash_to_hex(anchored.manifest.manifest_hash)
        assert batch["anchoredBy"] == actors.member
        assert batch["provenance"]["transactionHash"] == anchored.batch_transaction
        assert batch["provenance"]["blockNumber"] == anchored.batch_block
        assert batch["batchPath"] == f"/api/v1/batches/{hash_to_hex(root)}"
        assert anchored.member_client.verify_batch_member(root, entry.sha256, proof) is True
        assert verify_proof(root, entry.sha256, proof) is True
        assert body["liveCheck"]["status"] == "confirmed"
        assert body["liveCheck"]["batches"] == [{"root": hash_to_hex(root), "member": True}]
        assert body["verdict"].startswith(
            "anchored: in an anchored batch whose proof the contract accepts (the contract"
        )
        assert "; in 1 anchored batch(es), the first on " in body["verdict"]


def test_a_batch_member_uploaded_verifies_and_with_one_byte_changed_does_not(
    api: TestClient, anchored: Anchored
) -> None:
    content = (anchored.folder / "2021" / "c.txt").read_bytes()
    assert [b["path"] for b in _upload(api, "c.txt", content).json()["batches"]] == ["2021/c.txt"]
    altered = _upload(api, "c.txt", content.replace(b"site", b"Site")).json()
    assert (altered["anchored"], altered["batches"], altered["verdict"]) == (False, [], NOT_FOUND)


def test_a_batch_whose_manifest_is_not_stored_lists_no_members_and_nothing_unconfirmed(
    api: TestClient, indexed: IndexedRegistry, anchored: Anchored, w3: Web3, tmp_path: Path
) -> None:
    snapshot = _snapshot(w3)
    try:
        folder = tmp_path / "unstored"
        folder.mkdir()
        (folder / "x.txt").write_text("kept only on the clerk's laptop\n")
        manifest, _, _ = build_batch(folder)
        client = _fresh(anchored.member_client)
        client.execute(client.ops.anchor_batch(manifest.root, 1, manifest.manifest_hash))
        indexed.index()
        body = api.get(f"/api/v1/verify/{manifest.documents[0].sha256.hex()}").json()
        assert (body["anchored"], body["batches"]) == (False, [])
    finally:
        _revert(w3, snapshot)
        indexed.index()


def test_a_batch_removed_by_a_reorganization_no_longer_shows_and_its_members_are_cleaned_up(
    api: TestClient, indexed: IndexedRegistry, anchored: Anchored, w3: Web3, tmp_path: Path
) -> None:
    folder = tmp_path / "replaced"
    folder.mkdir()
    (folder / "only.txt").write_text("a batch that a reorganization takes away\n")
    snapshot = _snapshot(w3)
    try:
        store = DocumentStore(indexed.settings.document_store_dir)
        manifest, _, _ = _anchor_batch(_fresh(anchored.member_client), store, folder)
        indexed.index()
        digest = manifest.documents[0].sha256.hex()
        assert len(api.get(f"/api/v1/verify/{digest}").json()["batches"]) == 1
    finally:
        _revert(w3, snapshot)
        indexed.index()
    body = api.get(f"/api/v1/verify/{digest}").json()
    assert (body["anchored"], body["batches"], body["verdict"]) == (False, [], NOT_FOUND)
    engine = open_engine(indexed.settings.database_url)
    try:
        with engine.connect() as connection:
            left = connection.execute(
                select(func.count()).select_from(batch_members).where(batch_members.c.root == manifest.root)
            ).scalar_one()
    finally:
        engine.dispose()
    assert left == 0


# ---- records that cite a document -----------------------------------------------------------------


def test_a_milestone_evidence_lists_the_records_citing_it_as_the_chain_logged_them(
    api: TestClient, indexed: IndexedRegistry
) -> None:
    engine = open_engine(indexed.settings.database_url)
    try:
        with engine.connect() as connection:
            document = connection.execute(
                select(evidence_references.c.document_hash)
                .where(
                    evidence_references.c.record_type == "milestone",
                    evidence_references.c.kind == int(AnchorKind.MILESTONE_EVIDENCE),
                )
                .order_by(evidence_references.c.block_number.desc())
                .limit(1)
            ).scalar_one()
    finally:
        engine.dispose()
    citing = [
        e for e in indexed.client.history(indexed.client.grants, ["MilestoneSubmitted"])
        if document in [bytes(h) for h in e["evidenceHashes"]]
    ]  # fmt: skip
    body = api.get(f"/api/v1/verify/{document.hex()}").json()
    assert body["anchored"] is True
    assert body["firstAnchoring"]["kind"] == "milestone-evidence"
    assert [
        (c["event"], c["recordType"], c["recordId"], c["milestoneIndex"], c["actor"], c["recordPath"],
         c["provenance"]["transactionHash"], c["provenance"]["blockNumber"])
        for c in body["citations"]
    ] == [
        ("MilestoneSubmitted", "milestone", e["projectId"], e["milestoneIndex"], e["submitter"],
         f"/api/v1/projects/{e['projectId']}/milestones/{e['milestoneIndex']}", e["transactionHash"], e["blockNumber"])
        for e in citing
    ]  # fmt: skip
    assert body["liveCheck"]["status"] == "confirmed"
    assert {c["check"]["status"] for c in body["citations"]} == {"confirmed"}


def test_a_relayed_submission_names_its_signer_in_the_provenance(api: TestClient, indexed: IndexedRegistry) -> None:
    engine = open_engine(indexed.settings.database_url)
    try:
        with engine.connect() as connection:
            relayed = connection.execute(
                select(evidence_references.c.document_hash, evidence_references.c.actor)
                .join(raw_events, (raw_events.c.block_number == evidence_references.c.block_number)
                      & (raw_events.c.log_index == evidence_references.c.log_index))
                .where(raw_events.c.transaction_hash.in_(select(func.distinct(raw_events.c.transaction_hash))
                       .where(raw_events.c.event == "ExecutedForwardRequest")))
                .limit(1)
            ).first()  # fmt: skip
    finally:
        engine.dispose()
    assert relayed is not None, "DevLoad relays a quarter of the milestone submissions"
    document, signer = relayed
    [citation] = api.get(f"/api/v1/verify/{document.hex()}").json()["citations"]
    assert citation["provenance"]["signer"] == signer == citation["actor"]


# ---- how to check it yourself ----------------------------------------------------------------------


def test_the_cast_commands_run_as_given_confirm_the_answer(
    api: TestClient, anchored: Anchored, w3: Web3, actors: Actors, indexed: IndexedRegistry, project_root: Path
) -> None:
    entry = anchored.manifest.documents[0]
    single = api.get(f"/api/v1/verify/{sha256_file(anchored.single).hex()}").json()
    member = api.get(f"/api/v1/verify/{entry.sha256.hex()}").json()
    contract = anchored.member_client.manifest.address(GRANT_REGISTRY)
    for body in (single, member):
        assert body["howToCheck"]["contract"] == contract
        commands = [step["command"] for step in body["howToCheck"]["steps"]]
        assert commands[0] == "sha256sum FILE"
        assert _run(project_root, indexed, commands[1]) == [str(indexed.manifest.chain_id)]
    by, timestamp, block, kind = _run(project_root, indexed, single["howToCheck"]["steps"][2]["command"])
    assert (by, _number(timestamp), _number(block), _number(kind)) == (
        actors.member, w3.eth.get_block(anchored.single_block)["timestamp"], anchored.single_block,
        int(AnchorKind.DOCUMENT),
    )  # fmt: skip
    receipt = single["howToCheck"]["steps"][3]["command"]
    assert receipt == f'cast receipt {anchored.single_transaction} --rpc-url "$RPC_URL"'
    assert anchored.single_transaction in " ".join(_run(project_root, indexed, receipt))
    never = _run(project_root, indexed, member["howToCheck"]["steps"][2]["command"])
    assert never == ["0x0000000000000000000000000000000000000000", "0", "0", "0"]  # not anchored on its own
    assert _run(project_root, indexed, member["howToCheck"]["steps"][3]["command"]) == ["true"]
    tampered = member["howToCheck"]["steps"][3]["command"].replace(entry.sha256.hex(), sha256_bytes(b"other").hex())
    assert _run(project_root, indexed, tampered) == ["false"]


def _run(project_root: Path, indexed: IndexedRegistry, command: str) -> list[str]:
    """Runs a howToCheck command as a person would, in a shell with RPC_URL set and Foundry's `cast`
    (the npm package's binary) on the PATH; its output lines."""
    cast = foundry_binary(project_root, "cast")
    completed = subprocess.run(
        ["bash", "-c", command],
        env={**os.environ, "RPC_URL": indexed.settings.rpc_url, "PATH": f"{cast.parent}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return completed.stdout.split("\n")[:-1]


def _number(printed: str) -> int:
    """cast prints a large number with its scientific form after it: `1764072000 [1.764e9]`."""
    return int(printed.split(" ")[0])


# ---- bad input, and the chain down --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ("abc123", "it has 6 hexadecimal characters, not 64"),
        ("z" * 64, "it contains characters that are not hexadecimal: 'z'"),
        ("0x" + "0" * 64, "it is all zeros"),
        ("0x" + "a" * 65, "it has 65 hexadecimal characters, not 64"),
    ],
)
def test_a_malformed_hash_is_refused_with_422_naming_sha256(api: TestClient, given: str, problem: str) -> None:
    response = api.get(f"/api/v1/verify/{given}")
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["status"], error["parameter"]) == (422, "sha256")
    assert error["message"].startswith("sha256: ")
    assert problem in error["message"]


def test_an_upload_without_a_file_field_is_refused_with_422_naming_file(api: TestClient) -> None:
    response = api.post("/api/v1/verify", files={"document": ("a.pdf", b"content", "application/pdf")})
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == "file"
    assert "no field named 'file'" in response.json()["error"]["message"]
    not_multipart = api.post("/api/v1/verify", content=b"raw bytes", headers={"content-type": "application/pdf"})
    assert not_multipart.status_code == 422
    assert "not multipart/form-data" in not_multipart.json()["error"]["message"]


@pytest.fixture(scope="module")
def small_limit_api(indexed: IndexedRegistry) -> Iterator[TestClient]:
    settings = indexed.settings.model_copy(update={"api_max_upload_bytes": 1024})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_an_upload_over_the_limit_is_refused_with_413_giving_the_limit(small_limit_api: TestClient) -> None:
    response = _upload(small_limit_api, "big.pdf", b"x" * 1025)
    assert response.status_code == 413
    error = response.json()["error"]
    assert (error["status"], error["parameter"]) == (413, "file")
    assert "larger than 1 KiB (1,024 bytes)" in error["message"]
    assert _upload(small_limit_api, "fits.pdf", b"x" * 1024).status_code == 200


def test_an_upload_streamed_without_a_length_is_cut_off_at_the_limit(small_limit_api: TestClient) -> None:
    boundary = "b0undary"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n'.encode()

    def body() -> Iterator[bytes]:
        yield head
        for _ in range(100):  # 100 KiB, sent in chunks without a Content-Length
            yield b"y" * 1024
        yield f"\r\n--{boundary}--\r\n".encode()

    response = small_limit_api.post(
        "/api/v1/verify", content=body(), headers={"content-type": f"multipart/form-data; boundary={boundary}"}
    )
    assert response.status_code == 413


def test_an_unreachable_node_makes_the_live_check_unavailable_and_the_answer_still_200(
    indexed: IndexedRegistry, anchored: Anchored
) -> None:
    settings = indexed.settings.model_copy(update={"rpc_url": "http://127.0.0.1:9", "api_rpc_timeout": 1.0})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        response = client.get(f"/api/v1/verify/{sha256_file(anchored.single).hex()}")
    assert response.status_code == 200
    body = response.json()
    assert body["anchored"] is None  # the chain's word, which could not be had
    assert body["copyAnchored"] is True
    assert body["verdict"].startswith("could not be checked against the chain just now; the registry's copy says: ")
    assert body["firstAnchoring"]["provenance"]["blockNumber"] == anchored.single_block
    assert {c["check"]["status"] for c in body["citations"]} == {"not-checked"}
    live = body["liveCheck"]
    assert live["status"] == "unavailable"
    assert live["message"].startswith("the contract could not be asked just now: ")
    assert "127.0.0.1:9" not in live["message"]  # the node's address may hold an access key
    assert live["blockNumber"] is None and live["anchorOf"] is None


def _iso(unix: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(unix, UTC).isoformat().replace("+00:00", "Z")


# ---- a copy that lies ---------------------------------------------------------------------------------


@pytest.fixture
def lying_copy(indexed: IndexedRegistry, tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    """The API over a copy of the indexed database, for a test to change by hand as a dishonest operator
    would; the chain is the tests' own."""
    database = tmp_path / "copy.db"
    shutil.copy(indexed.settings.database_url.removeprefix("sqlite:///"), database)
    settings = indexed.settings.model_copy(update={"database_url": f"sqlite:///{database}"})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, database


def test_a_forged_anchoring_in_the_copy_is_told_as_a_disagreement_with_the_chain(
    lying_copy: tuple[TestClient, Path],
) -> None:
    client, database = lying_copy
    forged = sha256_bytes(b"a document nobody anchored")
    with sqlite3.connect(database) as db:
        real = db.execute("SELECT kind, anchored_by, timestamp, block_number, log_index, transaction_hash "
                          "FROM anchors LIMIT 1").fetchone()  # fmt: skip
        db.execute("INSERT INTO anchors (document_hash, kind, anchored_by, timestamp, block_number, log_index, "
                   "transaction_hash) VALUES (?, ?, ?, ?, ?, ?, ?)", (forged, *real))  # fmt: skip
    body = client.get(f"/api/v1/verify/{forged.hex()}").json()
    assert body["copyAnchored"] is True
    assert body["anchored"] is False  # the contract's word
    assert body["liveCheck"]["status"] == "disagrees"
    assert body["verdict"].startswith("the registry's copy disagrees with the chain: trust the chain. ")
    assert "the contract has no anchoring of it" in body["liveCheck"]["message"]


def test_a_fake_citation_in_the_copy_is_marked_as_not_on_the_chain(
    lying_copy: tuple[TestClient, Path], anchored: Anchored
) -> None:
    client, database = lying_copy
    digest = sha256_file(anchored.single)
    with sqlite3.connect(database) as db:
        # A milestone's event that never named this document, listed as citing it.
        block, log = db.execute(
            "SELECT block_number, log_index FROM evidence_references WHERE record_type = 'milestone' LIMIT 1"
        ).fetchone()
        db.execute(
            "INSERT INTO evidence_references (block_number, log_index, position, transaction_hash, document_hash, "
            "kind, record_type, record_id, milestone_index, actor, anchoring) "
            "SELECT block_number, log_index, 7, transaction_hash, ?, kind, record_type, record_id, milestone_index, "
            "actor, 0 FROM evidence_references WHERE block_number = ? AND log_index = ? LIMIT 1",
            (digest, block, log),
        )
    body = client.get(f"/api/v1/verify/{digest.hex()}").json()
    [genuine] = [c["check"] for c in body["citations"] if c["event"] == "DocumentAnchored"]
    [fake] = [c["check"] for c in body["citations"] if c["position"] == 7]
    assert genuine["status"] == "confirmed"
    assert fake["status"] == "disagrees"
    assert f"does not name document 0x{digest.hex()}" in fake["message"]
    assert body["anchored"] is True  # the contract does have it anchored
    assert body["liveCheck"]["status"] == "disagrees"
    assert body["verdict"].startswith("the registry's copy disagrees with the chain: trust the chain. ")
