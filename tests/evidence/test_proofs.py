"""Batch manifests and proof files: self-contained, canonical, and failing when tampered with."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import ValidationError

from registry.evidence.hashing import hash_folder, sha256_file
from registry.evidence.merkle import EmptyBatch, leaf_hash
from registry.evidence.proofs import (
    BatchManifest,
    EvidenceFileError,
    ManifestEntry,
    ProofFile,
    build_batch,
)
from registry.settings import get_settings

CREATED_AT = datetime(2021, 3, 25, 9, 30, tzinfo=UTC)
CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
TRANSACTION = bytes.fromhex("ab" * 32)
PROOF_KEYS = {
    "format",
    "document",
    "documentHash",
    "hashFunction",
    "leaf",
    "proof",
    "root",
    "leafCount",
    "manifestHash",
    "chainId",
    "contract",
    "transactionHash",
    "blockNumber",
}


@pytest.fixture
def evidence_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "milestone-2"
    folder.mkdir()
    (folder / "final-report.pdf").write_bytes(b"%PDF-1.7 final report of the SOS Lab pilot")
    (folder / "patent-application.pdf").write_bytes(b"%PDF-1.7 KR 10-2021-0001234")
    (folder / "photos").mkdir()
    (folder / "photos" / "prototype.jpg").write_bytes(b"\xff\xd8\xff prototype")
    (folder / "photos" / "prototype-copy.jpg").write_bytes(b"\xff\xd8\xff prototype")
    (folder / "photos" / "Thumbs.db").write_bytes(b"windows thumbnails")
    (folder / ".DS_Store").write_bytes(b"finder")
    return folder


def test_manifest_lists_every_document_with_its_hash_and_size(evidence_folder: Path) -> None:
    manifest, tree, _ = build_batch(evidence_folder, created_at=CREATED_AT)

    assert [(entry.path, entry.sha256, entry.size) for entry in manifest.documents] == [
        (document.path, document.sha256, document.size) for document in hash_folder(evidence_folder)
    ]
    assert [entry.path for entry in manifest.documents] == [
        "final-report.pdf",
        "patent-application.pdf",
        "photos/Thumbs.db",
        "photos/prototype-copy.jpg",
        "photos/prototype.jpg",
    ]
    assert manifest.root == tree.root
    assert manifest.created_at == CREATED_AT
    assert manifest.verify()


def test_every_proof_file_of_a_batch_verifies(evidence_folder: Path) -> None:
    manifest, tree, proofs = build_batch(evidence_folder, created_at=CREATED_AT)

    assert list(proofs) == [entry.path for entry in manifest.documents]
    for entry in manifest.documents:
        proof = proofs[entry.path]
        assert proof.verify()
        assert proof.document == entry.path
        assert proof.document_hash == entry.sha256
        assert proof.leaf == leaf_hash(entry.sha256)
        assert list(proof.proof) == tree.proof(entry.sha256)
        assert (proof.root, proof.leaf_count, proof.manifest_hash) == (
            tree.root,
            tree.leaf_count,
            manifest.manifest_hash,
        )
        assert not proof.anchored


def test_identical_documents_share_one_leaf_and_each_gets_a_proof(evidence_folder: Path) -> None:
    _, tree, proofs = build_batch(evidence_folder, created_at=CREATED_AT)

    original, copy = proofs["photos/prototype.jpg"], proofs["photos/prototype-copy.jpg"]

    assert tree.leaf_count == 4
    assert copy.document == "photos/prototype-copy.jpg"
    assert (copy.leaf, copy.proof) == (original.leaf, original.proof)


def test_manifest_hash_is_sha256_of_sorted_compact_utf8_json(evidence_folder: Path) -> None:
    (evidence_folder / "연구보고서.hwp").write_bytes(b"korean report")
    manifest, _, _ = build_batch(evidence_folder, created_at=CREATED_AT)

    canonical = manifest.canonical_json()

    assert canonical == json.dumps(
        json.loads(canonical), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")
    assert "연구보고서.hwp".encode() in canonical
    parsed = json.loads(canonical)
    assert list(parsed) == ["createdAt", "documents", "format", "root"]
    assert parsed["createdAt"] == "2021-03-25T09:30:00Z"
    assert parsed["format"] == "rnd-registry-batch-manifest/1"
    assert parsed["root"] == "0x" + manifest.root.hex()
    assert parsed["documents"][0] == {
        "path": "final-report.pdf",
        "sha256": "0x" + hashlib.sha256(b"%PDF-1.7 final report of the SOS Lab pilot").hexdigest(),
        "size": 42,
    }
    assert manifest.manifest_hash == hashlib.sha256(canonical).digest()


def test_written_manifest_file_hashes_to_the_manifest_hash(evidence_folder: Path, tmp_path: Path) -> None:
    manifest, _, _ = build_batch(evidence_folder, created_at=CREATED_AT)
    path = tmp_path / "manifest.json"

    manifest.write(path)

    assert sha256_file(path) == manifest.manifest_hash
    assert BatchManifest.read(path) == manifest


def test_manifest_created_at_is_stored_in_utc(evidence_folder: Path) -> None:
    seoul = datetime(2021, 3, 25, 18, 30, tzinfo=timezone(timedelta(hours=9)))

    manifest, _, _ = build_batch(evidence_folder, created_at=seoul)

    assert manifest.created_at == CREATED_AT
    assert json.loads(manifest.canonical_json())["createdAt"] == "2021-03-25T09:30:00Z"


def test_manifest_without_time_zone_is_rejected() -> None:
    with pytest.raises(ValidationError, match="timezone"):
        BatchManifest(documents=(), root=bytes(32), created_at=datetime(2021, 3, 25, 9, 30))


def test_manifest_whose_root_does_not_match_its_documents_fails_verification(evidence_folder: Path) -> None:
    manifest, _, _ = build_batch(evidence_folder, created_at=CREATED_AT)
    extra = ManifestEntry(path="added-later.pdf", sha256=hashlib.sha256(b"later").digest(), size=5)

    tampered = manifest.model_copy(update={"documents": (*manifest.documents, extra)})

    assert not tampered.verify()


def test_empty_folder_raises_empty_batch_naming_the_folder(tmp_path: Path) -> None:
    (tmp_path / ".hidden").write_bytes(b"not a document")

    with pytest.raises(EmptyBatch) as raised:
        build_batch(tmp_path)

    assert raised.value.source == f"the folder {tmp_path} (hidden files and folders are skipped)"


def test_proof_file_json_has_the_camel_case_fields_of_the_format(evidence_folder: Path) -> None:
    _, _, proofs = build_batch(evidence_folder, created_at=CREATED_AT)
    proof = proofs["final-report.pdf"]

    written = json.loads(proof.to_json())

    assert set(written) == PROOF_KEYS
    assert written["format"] == "rnd-registry-merkle-proof/1"
    assert written["hashFunction"] == "sha256"
    assert written["documentHash"] == "0x" + proof.document_hash.hex()
    assert written["proof"] == ["0x" + element.hex() for element in proof.proof]
    assert written["leafCount"] == 4
    assert (written["chainId"], written["contract"], written["transactionHash"], written["blockNumber"]) == (
        None,
        None,
        None,
        None,
    )


def test_proof_file_reads_back_equal_to_what_was_written(evidence_folder: Path, tmp_path: Path) -> None:
    _, _, proofs = build_batch(evidence_folder, created_at=CREATED_AT)
    proof = proofs["photos/prototype.jpg"].with_anchor(31337, CONTRACT.lower(), TRANSACTION, 42)
    path = tmp_path / "prototype.jpg.proof.json"

    proof.write(path)

    assert ProofFile.read(path) == proof
    assert path.read_text().endswith("}\n")


def test_with_anchor_records_the_transaction_with_a_checksummed_address(evidence_folder: Path) -> None:
    _, _, proofs = build_batch(evidence_folder, created_at=CREATED_AT)

    anchored = proofs["final-report.pdf"].with_anchor(31337, CONTRACT.lower(), TRANSACTION, 42)

    assert anchored.anchored
    assert (anchored.chain_id, anchored.contract, anchored.transaction_hash, anchored.block_number) == (
        31337,
        CONTRACT,
        TRANSACTION,
        42,
    )
    assert anchored.model_dump(exclude={"chain_id", "contract", "transaction_hash", "block_number"}) == proofs[
        "final-report.pdf"
    ].model_dump(exclude={"chain_id", "contract", "transaction_hash", "block_number"})
    assert anchored.verify()


def test_partly_anchored_proof_file_is_rejected(evidence_folder: Path) -> None:
    _, _, proofs = build_batch(evidence_folder, created_at=CREATED_AT)
    fields = json.loads(proofs["final-report.pdf"].to_json()) | {"chainId": 31337}

    with pytest.raises(ValidationError, match="set together once the batch is anchored"):
        ProofFile.model_validate(fields)


def test_address_with_a_wrong_checksum_is_rejected(evidence_folder: Path) -> None:
    _, _, proofs = build_batch(evidence_folder, created_at=CREATED_AT)
    wrong_checksum = "0x5fbDB2315678afecb367f032d93F642f64180aa3"

    with pytest.raises(ValidationError, match="has mixed case but not a valid EIP-55 checksum"):
        proofs["final-report.pdf"].with_anchor(31337, wrong_checksum, TRANSACTION, 42)


def tampered(original: ProofFile, **changes: object) -> ProofFile:
    return ProofFile.model_validate(json.loads(original.to_json()) | changes)


def flip_last_bit(value: bytes) -> str:
    return "0x" + (value[:-1] + bytes([value[-1] ^ 1])).hex()


def test_changed_document_hash_fails_verification(evidence_folder: Path) -> None:
    proof = build_batch(evidence_folder, created_at=CREATED_AT)[2]["final-report.pdf"]

    assert not tampered(proof, documentHash=flip_last_bit(proof.document_hash)).verify()


def test_changed_document_hash_with_recomputed_leaf_fails_verification(evidence_folder: Path) -> None:
    proof = build_batch(evidence_folder, created_at=CREATED_AT)[2]["final-report.pdf"]
    forged = bytes.fromhex(flip_last_bit(proof.document_hash)[2:])

    assert not tampered(proof, documentHash="0x" + forged.hex(), leaf="0x" + leaf_hash(forged).hex()).verify()


def test_changed_proof_element_fails_verification(evidence_folder: Path) -> None:
    proof = build_batch(evidence_folder, created_at=CREATED_AT)[2]["final-report.pdf"]

    for position in range(len(proof.proof)):
        elements = ["0x" + element.hex() for element in proof.proof]
        elements[position] = flip_last_bit(proof.proof[position])
        assert not tampered(proof, proof=elements).verify()


def test_changed_root_fails_verification(evidence_folder: Path) -> None:
    proof = build_batch(evidence_folder, created_at=CREATED_AT)[2]["final-report.pdf"]

    assert not tampered(proof, root=flip_last_bit(proof.root)).verify()


def test_leaf_that_does_not_follow_from_the_document_hash_fails_verification(evidence_folder: Path) -> None:
    proof = build_batch(evidence_folder, created_at=CREATED_AT)[2]["final-report.pdf"]

    assert not tampered(proof, leaf=flip_last_bit(proof.leaf)).verify()


def test_reading_a_missing_proof_file_raises_evidence_file_error(tmp_path: Path) -> None:
    path = tmp_path / "missing.proof.json"

    with pytest.raises(EvidenceFileError) as raised:
        ProofFile.read(path)

    assert (raised.value.path, raised.value.reason) == (
        str(path),
        "cannot be read (No such file or directory)",
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "is not a valid proof file: file: Invalid JSON: EOF while parsing a value at line 1 column 0"),
        (
            '{"format": "rnd-registry-merkle-proof/2"}',
            "is not a valid proof file: format: Input should be 'rnd-registry-merkle-proof/1'; "
            "document: Field required; documentHash: Field required (and 5 more)",
        ),
    ],
)
def test_reading_a_file_that_is_not_a_proof_raises_evidence_file_error(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "report.proof.json"
    path.write_text(content)

    with pytest.raises(EvidenceFileError) as raised:
        ProofFile.read(path)

    assert raised.value.reason == reason
    assert str(raised.value) == f"evidence file {path}: {reason}"


def test_proof_with_malformed_document_hash_names_the_problem(evidence_folder: Path) -> None:
    proof = build_batch(evidence_folder, created_at=CREATED_AT)[2]["final-report.pdf"]

    with pytest.raises(ValidationError, match="it has 63 hexadecimal characters, not 64"):
        tampered(proof, documentHash="0x" + proof.document_hash.hex()[:-1])


def test_proof_files_verify_with_openzeppelin_merkle_tree(evidence_folder: Path, tmp_path: Path) -> None:
    project_root = get_settings().project_root
    if shutil.which("node") is None:
        pytest.skip("node is not installed; the OpenZeppelin cross-check needs it")
    if not (project_root / "node_modules" / "@openzeppelin" / "merkle-tree").is_dir():
        pytest.skip("node_modules/@openzeppelin/merkle-tree is missing; run `npm ci` in the project root")
    _, _, proofs = build_batch(evidence_folder, created_at=CREATED_AT)
    paths = []
    for index, proof in enumerate(proofs.values()):
        paths.append(str(tmp_path / f"{index}.proof.json"))
        proof.write(paths[-1])
    # What a third party would run on the published files, with OpenZeppelin's library alone.
    script = """
        const fs = require('fs');
        const { StandardMerkleTree } = require('@openzeppelin/merkle-tree');
        const paths = JSON.parse(fs.readFileSync(0, 'utf8'));
        process.stdout.write(JSON.stringify(paths.map(path => {
          const p = JSON.parse(fs.readFileSync(path, 'utf8'));
          return StandardMerkleTree.verify(p.root, ['bytes32'], [p.documentHash], p.proof);
        })));
    """

    result = subprocess.run(
        ["node", "-e", script],
        input=json.dumps(paths),
        capture_output=True,
        text=True,
        cwd=project_root,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True] * len(paths)
