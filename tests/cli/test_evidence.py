"""`rnd-registry evidence` and `rnd-registry verify`: documents hashed, anchored, proven and checked by anyone."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from registry.chain.anvil import AnvilProcess
from registry.chain.deployment import GRANT_REGISTRY, OUTCOME_REGISTRY, DeploymentManifest
from registry.checking.citations import CITING_ARGUMENTS
from registry.cli.context import SIGN_REQUEST_TO
from registry.cli.evidence import CITATION_WORDS
from registry.evidence.proofs import BatchManifest, ProofFile, build_batch
from registry.evidence.store import DocumentStore
from tests.cli.conftest import Cli, reason
from tests.helpers.registry import NO_DETAILS, RegistryHarness

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def nothing_mined(registry: RegistryHarness) -> Iterator[None]:
    before = registry.w3.eth.block_number
    yield
    assert registry.w3.eth.block_number == before, "a refused command must not send a transaction"


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "중간보고서.pdf"
    path.write_bytes(b"%PDF-1.7 interim report of project 1, 2021-09-30\n")
    return path


@pytest.fixture
def evidence_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "evidence"
    (folder / "photos").mkdir(parents=True)
    (folder / "interim-report.pdf").write_bytes(b"interim report")
    (folder / "test-results.csv").write_bytes(b"run,passed\n1,yes\n")
    (folder / "photos" / "prototype.jpg").write_bytes(b"\xff\xd8 a prototype")
    (folder / ".DS_Store").write_bytes(b"hidden, skipped")
    return folder


# ---- evidence publish ---------------------------------------------------------------------------


def test_publish_stores_and_publishes_a_file_and_a_stored_one_by_hash(cli: Cli, report: Path, tmp_path: Path) -> None:
    store = DocumentStore(cli.data_dir / "documents")
    published = json.loads(cli.ok(f"rnd-registry evidence publish {report} --json").stdout)
    assert (published["sha256"], published["name"]) == ("0x" + sha256(report), "중간보고서.pdf")
    assert store.info(sha256(report)).public

    other = tmp_path / "plan.pdf"
    other.write_bytes(b"%PDF-1.7 research plan")
    kept = store.put_file(other)
    assert not kept.public, "storing is not publishing"
    text = cli.ok(f"rnd-registry evidence publish {sha256(other)}").stdout
    assert f"/api/v1/documents/0x{sha256(other)}" in text and store.info(kept.sha256).public


def test_publish_of_something_neither_a_file_nor_a_hash_or_not_held_is_one_line(cli: Cli) -> None:
    assert (
        "'nothing-here.pdf' is neither a file nor a SHA-256"
        in cli.fails("rnd-registry evidence publish nothing-here.pdf").output
    )
    assert "no document with SHA-256 0x" + "ab" * 32 + " is stored here" in reason(
        cli.fails("rnd-registry evidence publish " + "ab" * 32)
    )


def test_a_reason_file_is_published_only_with_public(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    store = DocumentStore(cli.data_dir / "documents")
    projects = [registry.funded_project(), registry.funded_project()]  # before the CLI uses the admin's nonces
    for project_id, public in zip(projects, (False, True), strict=True):
        why = tmp_path / f"termination-{public}.txt"
        why.write_text(f"the company stopped the work ({public})\n")
        flag = "--public" if public else ""
        cli.ok(f"rnd-registry project terminate {project_id} --reason {why} {flag} --dev-key 0")
        assert store.info(sha256(why)).public is public


# ---- evidence hash ------------------------------------------------------------------------------


def test_hash_prints_sha256sum_lines_for_files_and_folders(cli: Cli, report: Path, evidence_folder: Path) -> None:
    result = cli.ok(f"rnd-registry evidence hash {report} {evidence_folder}")
    lines = result.stdout.splitlines()
    assert lines[0] == f"{sha256(report)}  {report}"
    assert f"{sha256(evidence_folder / 'photos' / 'prototype.jpg')}  {evidence_folder}/photos/prototype.jpg" in lines
    assert len(lines) == 4  # the hidden file is not a document
    assert "sha256sum" in result.output  # says why SHA-256: anyone can recompute it


def test_hash_json_gives_0x_hashes_and_sizes(cli: Cli, report: Path) -> None:
    [entry] = json.loads(cli.ok(f"rnd-registry evidence hash {report} --json").stdout)
    assert entry == {"path": str(report), "sha256": "0x" + sha256(report), "size": report.stat().st_size}


def test_hash_of_a_missing_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    assert "no such file or folder" in reason(cli.fails(f"rnd-registry evidence hash {tmp_path / 'missing.pdf'}"))


# ---- evidence anchor (one document) and verify --------------------------------------------------


def test_anchored_document_verifies_with_block_time_and_who(cli: Cli, registry: RegistryHarness, report: Path) -> None:
    cli.ok(f"rnd-registry evidence anchor {report} --dev-key 2")
    result = json.loads(cli.ok(f"rnd-registry verify {report} --json").stdout)
    assert result["anchored"] is True and result["sha256"] == "0x" + sha256(report)
    anchor = result["anchor"]
    assert anchor["by"] == registry.actors.member and anchor["kind"] == "document"
    assert anchor["blockNumber"] == registry.w3.eth.block_number and ISO_UTC.fullmatch(anchor["time"])
    assert [r["record"] for r in result["references"]] == ["anchored on its own"]
    text = cli.ok(f"rnd-registry verify {report}").stdout
    assert text.startswith("anchored:") and registry.actors.member in text


def test_anchored_document_is_kept_in_the_document_store(cli: Cli, report: Path) -> None:
    cli.ok(f"rnd-registry evidence anchor {report} --dev-key 2")
    digest = sha256(report)
    assert (cli.data_dir / "documents" / "sha256" / digest[:2] / digest).read_bytes() == report.read_bytes()


def test_copy_changed_in_one_byte_is_not_anchored_and_shows_its_hash(
    cli: Cli, registry: RegistryHarness, report: Path, tmp_path: Path
) -> None:
    cli.ok(f"rnd-registry evidence anchor {report} --dev-key 2")
    copy = tmp_path / "copy.pdf"
    content = bytearray(report.read_bytes())
    content[-2] ^= 0x01
    copy.write_bytes(bytes(content))
    result = cli(f"rnd-registry verify {copy}")
    assert result.exit_code == 1
    assert result.stdout.startswith("not anchored:") and "0x" + sha256(copy) in result.stdout
    as_json = cli(f"rnd-registry verify {copy} --json")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)["anchored"] is False


def test_verify_names_the_milestone_the_document_is_evidence_for(
    cli: Cli, registry: RegistryHarness, report: Path
) -> None:
    project = registry.funded_project()
    index = registry.plan_milestone(project)
    evidence = bytes.fromhex(sha256(report))
    registry.send(registry.actors.company_a, registry.grants.functions.submitMilestone(project, index, [evidence]))
    result = json.loads(cli.ok(f"rnd-registry verify {report} --json").stdout)
    assert result["anchor"]["kind"] == "milestone evidence" and result["anchor"]["by"] == registry.actors.company_a
    [reference] = result["references"]
    assert reference["record"] == f"evidence of milestone {index} of project {project}, submission 1"
    assert reference["by"] == registry.actors.company_a and ISO_UTC.fullmatch(reference["time"])


def test_verify_names_the_outcome_the_document_is_evidence_for(
    cli: Cli, registry: RegistryHarness, report: Path
) -> None:
    project = registry.funded_project()
    evidence = bytes.fromhex(sha256(report))
    call = registry.outcomes.functions.addOutcome(project, 2, "10-2021-0012345", NO_DETAILS, evidence)
    registry.send(registry.actors.company_a, call)
    text = cli.ok(f"rnd-registry verify {report}").stdout
    assert "first anchored at block" in text and "as outcome evidence" in text
    assert f"evidence of outcome 1 (patent application 10-2021-0012345) of project {project}" in text


def test_verify_of_a_missing_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    assert "no such file" in reason(cli.fails(f"rnd-registry verify {tmp_path / 'missing.pdf'}"))


def test_anchoring_a_document_twice_is_refused(cli: Cli, registry: RegistryHarness, report: Path) -> None:
    cli.ok(f"rnd-registry evidence anchor {report} --dev-key 2")
    with nothing_mined(registry):
        line = reason(cli.fails(f"rnd-registry evidence anchor {report} --dev-key 3"))
    assert "already anchored" in line and registry.actors.member in line


def test_anchoring_a_missing_file_is_refused(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    with nothing_mined(registry):
        line = reason(cli.fails(f"rnd-registry evidence anchor {tmp_path / 'missing.pdf'} --dev-key 2"))
    assert "no such file" in line


def test_outsider_cannot_anchor(cli: Cli, registry: RegistryHarness, report: Path) -> None:
    with nothing_mined(registry):
        line = reason(cli.fails(f"rnd-registry evidence anchor {report} --dev-key 5"))
    assert "holds no registry role and no company binding" in line
    assert cli(f"rnd-registry verify {report}").exit_code == 1


def test_anchoring_without_an_account_is_refused(cli: Cli, registry: RegistryHarness, report: Path) -> None:
    with nothing_mined(registry):
        assert "needs an account" in reason(cli.fails(f"rnd-registry evidence anchor {report}"))


# ---- evidence anchor (a folder), prove --------------------------------------------------------


def anchor_folder(cli: Cli, folder: Path) -> dict[str, object]:
    return dict(json.loads(cli.ok(f"rnd-registry evidence anchor {folder} --dev-key 3 --json").stdout))


def test_folder_is_anchored_as_one_batch_with_a_proof_file_per_document(
    cli: Cli, registry: RegistryHarness, evidence_folder: Path
) -> None:
    result = anchor_folder(cli, evidence_folder)
    proofs = evidence_folder.parent / "evidence.proofs"
    assert result["leafCount"] == 3 and result["proofs"] == str(proofs)
    manifest = BatchManifest.read(proofs / "manifest.json")
    assert "0x" + manifest.manifest_hash.hex() == result["manifestHash"] and manifest.verify()
    assert sorted(e.path for e in manifest.documents) == ["interim-report.pdf", "photos/prototype.jpg",
                                                          "test-results.csv"]  # fmt: skip
    proof = ProofFile.read(proofs / "photos" / "prototype.jpg.proof.json")
    assert proof.verify() and proof.document_hash.hex() == sha256(evidence_folder / "photos" / "prototype.jpg")
    assert proof.chain_id == registry.w3.eth.chain_id and proof.contract == registry.grants.address
    assert "0x" + (proof.transaction_hash or b"").hex() == result["transactionHash"]
    assert proof.block_number == result["blockNumber"] == registry.w3.eth.block_number
    assert registry.grants.functions.batchOf(proof.root).call()[2] == proof.block_number


def test_batch_proofs_verify_offline_and_on_chain(cli: Cli, evidence_folder: Path) -> None:
    anchor_folder(cli, evidence_folder)
    proofs = evidence_folder.parent / "evidence.proofs"
    for document in ("interim-report.pdf", "test-results.csv", "photos/prototype.jpg"):
        result = cli.ok(
            f"rnd-registry evidence prove {proofs / document}.proof.json --file {evidence_folder / document}"
        )
        assert "proven:" in result.stdout and "✗" not in result.stdout
    checked = json.loads(cli.ok(f"rnd-registry evidence prove {proofs}/test-results.csv.proof.json --json").stdout)
    assert checked["proven"] is True and checked["verdict"] == "anchored"
    assert [(s["step"], s["status"]) for s in checked["steps"]] == [
        ("file-hash", "not-checked"),
        ("chain-id", "passed"),
        ("contract-code", "passed"),
        ("batch-proof", "passed"),
        ("batch-member", "passed"),
        ("batch-of", "passed"),
        ("batch-block", "not-checked"),
        ("batch-event", "passed"),
    ]
    offline = cli.ok(f"rnd-registry evidence prove {proofs}/test-results.csv.proof.json --offline")
    assert "consistent" in offline.stdout


def test_batch_document_verifies_as_anchored_in_its_batch(cli: Cli, evidence_folder: Path) -> None:
    anchored = anchor_folder(cli, evidence_folder)
    result = json.loads(cli.ok(f"rnd-registry verify {evidence_folder / 'test-results.csv'} --json").stdout)
    assert result["anchored"] is True and result["anchor"] is None
    [batch] = result["batches"]
    assert batch["root"] == anchored["root"] and batch["path"] == "test-results.csv" and batch["leafCount"] == 3


def test_tampered_proof_fails_offline_and_on_chain(cli: Cli, evidence_folder: Path, tmp_path: Path) -> None:
    anchor_folder(cli, evidence_folder)
    original = json.loads((evidence_folder.parent / "evidence.proofs" / "test-results.csv.proof.json").read_text())
    tampered = tmp_path / "tampered.proof.json"
    original["proof"][0] = "0x" + "ab" * 32
    tampered.write_text(json.dumps(original))
    result = cli(f"rnd-registry evidence prove {tampered} --json")
    assert result.exit_code == 1
    steps = {s["step"]: (s["status"], s["reason"]) for s in json.loads(result.stdout)["steps"]}
    assert steps["batch-proof"] == ("failed", "proof-does-not-lead-to-root")
    assert steps["batch-member"] == ("failed", "member-refused")
    assert steps["batch-of"] == ("passed", "batch-matches") and steps["batch-event"] == ("passed", "event-matches")
    assert "not proven" in result.output
    assert cli(f"rnd-registry evidence prove {tampered} --offline").exit_code == 1


def test_proof_for_another_document_fails(cli: Cli, evidence_folder: Path, report: Path) -> None:
    anchor_folder(cli, evidence_folder)
    proof = evidence_folder.parent / "evidence.proofs" / "test-results.csv.proof.json"
    result = cli(f"rnd-registry evidence prove {proof} --file {report}")
    assert result.exit_code == 1
    assert f"the file's SHA-256 is 0x{sha256(report)}, but the proof is for" in result.output


def test_proof_of_a_batch_never_anchored_fails(cli: Cli, evidence_folder: Path, tmp_path: Path) -> None:
    _, _, proofs = build_batch(evidence_folder)
    unanchored = tmp_path / "unanchored.proof.json"
    proofs["test-results.csv"].write(unanchored)
    result = cli(f"rnd-registry evidence prove {unanchored}")
    assert result.exit_code == 1 and "no such batch" in result.output


def test_malformed_proof_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.proof.json"
    broken.write_text('{"format": "rnd-registry-merkle-proof/1", "document": "x"}')
    assert "is not a valid proof file" in reason(cli.fails(f"rnd-registry evidence prove {broken}"))
    assert "cannot be read" in reason(cli.fails(f"rnd-registry evidence prove {tmp_path / 'missing.json'}"))


def test_anchoring_the_same_folder_twice_is_refused(
    cli: Cli, registry: RegistryHarness, evidence_folder: Path, tmp_path: Path
) -> None:
    anchor_folder(cli, evidence_folder)
    with nothing_mined(registry):
        line = reason(cli.fails(f"rnd-registry evidence anchor {evidence_folder} --proofs {tmp_path / 'again'} -a x"))
    assert "already anchored as a batch" in line


def test_anchoring_into_a_used_proofs_folder_is_refused(
    cli: Cli, registry: RegistryHarness, evidence_folder: Path
) -> None:
    used = evidence_folder.parent / "evidence.proofs"
    used.mkdir()
    (used / "old.proof.json").write_text("{}")
    with nothing_mined(registry):
        line = reason(cli.fails(f"rnd-registry evidence anchor {evidence_folder} --dev-key 3"))
    assert "is not an empty folder" in line


def test_proofs_folder_inside_the_batch_is_refused(cli: Cli, registry: RegistryHarness, evidence_folder: Path) -> None:
    with nothing_mined(registry):
        line = reason(cli.fails(f"rnd-registry evidence anchor {evidence_folder} --proofs {evidence_folder}/p -a x"))
    assert "would be hashed into the next batch" in line


def test_empty_folder_is_refused(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with nothing_mined(registry):
        assert "holds no documents" in reason(cli.fails(f"rnd-registry evidence anchor {tmp_path / 'empty'} -a x"))


def test_folder_given_to_verify_is_refused(cli: Cli, evidence_folder: Path) -> None:
    assert "it is a folder, not a file" in reason(cli.fails(f"rnd-registry verify {evidence_folder}"))


def test_folder_signed_for_a_relayer_gets_proofs_without_a_transaction(
    cli: Cli, registry: RegistryHarness, evidence_folder: Path, tmp_path: Path
) -> None:
    request = tmp_path / "anchor.request.json"
    token = SIGN_REQUEST_TO.set(request)
    try:
        with nothing_mined(registry):
            cli.ok(f"rnd-registry evidence anchor {evidence_folder} --dev-key 3")
    finally:
        SIGN_REQUEST_TO.reset(token)
    assert json.loads(request.read_text())["signer"] == registry.actors.company_a
    proof = ProofFile.read(evidence_folder.parent / "evidence.proofs" / "test-results.csv.proof.json")
    assert proof.verify() and not proof.anchored


def test_every_citing_argument_has_words_and_names_a_real_event(manifest: DeploymentManifest) -> None:
    abis = {"GrantRegistry": manifest.contracts[GRANT_REGISTRY].abi,
            "OutcomeRegistry": manifest.contracts[OUTCOME_REGISTRY].abi}  # fmt: skip
    samples = {"string": "10-2021-0012345", "address": "0x" + "11" * 20, "bytes32": b"\x01" * 32}
    worded = set()
    for (contract, event_name), (arguments, actor) in CITING_ARGUMENTS.items():
        [event] = [e for e in abis[contract] if e["type"] == "event" and e["name"] == event_name]
        args = {i["name"]: samples.get(i["type"], 1) for i in event["inputs"]}
        assert {*arguments, actor} <= set(args), event_name
        for argument in arguments:
            assert CITATION_WORDS[(event_name, argument)](args)
            worded.add((event_name, argument))
    assert worded == set(CITATION_WORDS)


def test_refused_batch_leaves_no_proofs_folder_so_a_retry_succeeds(
    cli: Cli, registry: RegistryHarness, evidence_folder: Path
) -> None:
    with nothing_mined(registry):
        line = reason(cli.fails(f"rnd-registry evidence anchor {evidence_folder} --dev-key 5"))
    assert "holds no registry role" in line
    assert not (evidence_folder.parent / "evidence.proofs").exists()
    assert anchor_folder(cli, evidence_folder)["leafCount"] == 3


# ---- verify with a receipt, against a node, without the registry -------------------------------


def without_the_registry(cli: Cli) -> None:
    """No deployment manifest and no database in the data directory: only the receipt and the node."""
    (cli.data_dir / "deployment.json").unlink()
    assert not any(cli.data_dir.glob("*.db")) and not (cli.data_dir / "deployment.json").exists()


def test_receipt_written_by_verify_checks_against_a_node_with_no_manifest(
    cli: Cli, registry: RegistryHarness, anvil: AnvilProcess, report: Path, tmp_path: Path
) -> None:
    cli.ok(f"rnd-registry evidence anchor {report} --dev-key 2")
    receipt = tmp_path / "report.receipt.json"
    cli.ok(f"rnd-registry verify {report} --receipt-out {receipt}")
    written = json.loads(receipt.read_text())
    assert written["format"] == "rnd-registry-receipt/1" and written["sha256"] == "0x" + sha256(report)
    assert written["anchoring"]["anchoredBy"] == registry.actors.member
    without_the_registry(cli)
    result = cli.ok(f"rnd-registry verify {report} --receipt {receipt} --rpc {anvil.rpc_url}")
    lines = result.stdout.splitlines()
    assert anvil.rpc_url in lines[0] and f"chain {registry.w3.eth.chain_id}" in lines[0]
    assert [line.split(":")[0].strip() for line in lines[1:7]] == [
        "✓ file-hash", "✓ chain-id", "✓ contract-code", "✓ anchor-of", "✓ anchoring-block", "✓ anchoring-event",
    ]  # fmt: skip
    assert lines[-1].startswith("anchored:")
    command = f"rnd-registry verify {report} --receipt {receipt} --rpc {anvil.rpc_url} --json"
    checked = json.loads(cli.ok(command).stdout)
    assert checked["verdict"] == "anchored" and checked["node"] == anvil.rpc_url
    assert checked["blockNumber"] == registry.w3.eth.block_number and len(checked["steps"]) == 6


def test_batch_document_receipt_holds_its_proof_and_checks(
    cli: Cli, anvil: AnvilProcess, evidence_folder: Path, tmp_path: Path
) -> None:
    anchored = anchor_folder(cli, evidence_folder)
    document = evidence_folder / "test-results.csv"
    receipt = tmp_path / "receipt.json"
    cli.ok(f"rnd-registry verify {document} --receipt-out {receipt}")
    [batch] = json.loads(receipt.read_text())["batches"]
    assert batch["root"] == anchored["root"] and batch["path"] == "test-results.csv"
    without_the_registry(cli)
    command = f"rnd-registry verify {document} --receipt {receipt} --rpc {anvil.rpc_url} --json"
    checked = json.loads(cli.ok(command).stdout)
    assert checked["verdict"] == "anchored"
    assert [s["step"] for s in checked["steps"] if s["batch"] == 0] == [
        "batch-proof", "batch-member", "batch-of", "batch-block", "batch-event"
    ]  # fmt: skip


def test_copy_changed_in_one_byte_fails_its_receipt_with_exit_1(
    cli: Cli, anvil: AnvilProcess, report: Path, tmp_path: Path
) -> None:
    cli.ok(f"rnd-registry evidence anchor {report} --dev-key 2")
    receipt = tmp_path / "receipt.json"
    cli.ok(f"rnd-registry verify {report} --receipt-out {receipt}")
    copy = tmp_path / "copy.pdf"
    content = bytearray(report.read_bytes())
    content[0] ^= 0x01
    copy.write_bytes(bytes(content))
    without_the_registry(cli)
    result = cli(f"rnd-registry verify {copy} --receipt {receipt} --rpc {anvil.rpc_url}")
    assert result.exit_code == 1
    assert "✗ file-hash" in result.stdout and result.stdout.splitlines()[-1].startswith("mismatch:")


def test_receipt_problems_are_one_line_without_a_traceback(
    cli: Cli, anvil: AnvilProcess, report: Path, tmp_path: Path
) -> None:
    cli.ok(f"rnd-registry evidence anchor {report} --dev-key 2")
    receipt = tmp_path / "receipt.json"
    cli.ok(f"rnd-registry verify {report} --receipt-out {receipt}")
    (tmp_path / "proof.json").write_text(json.dumps({"format": "rnd-registry-merkle-proof/1"}))
    missing = cli.refused(f"rnd-registry verify {report} --receipt {tmp_path}/none.json --rpc {anvil.rpc_url}")
    assert "cannot be read" in missing
    assert "is not a receipt: format is 'rnd-registry-merkle-proof/1'" in cli.refused(
        f"rnd-registry verify {report} --receipt {tmp_path}/proof.json --rpc {anvil.rpc_url}"
    )
    down = cli.refused(f"rnd-registry verify {report} --receipt {receipt} --rpc http://127.0.0.1:9")
    assert "the node at http://127.0.0.1:9 could not be asked" in down
    assert "--receipt and --rpc go together" in cli.refused(f"rnd-registry verify {report} --receipt {receipt}")


# ---- prove and verify read the chain through registry.checking ----------------------------------


def test_proof_file_checks_against_a_node_of_the_readers_choice_with_no_manifest(
    cli: Cli, anvil: AnvilProcess, registry: RegistryHarness, evidence_folder: Path
) -> None:
    anchor_folder(cli, evidence_folder)
    proof = evidence_folder.parent / "evidence.proofs" / "test-results.csv.proof.json"
    without_the_registry(cli)
    command = f"rnd-registry evidence prove {proof} --file {evidence_folder / 'test-results.csv'} --rpc {anvil.rpc_url}"
    result = cli.ok(command)
    assert f"asked the node {anvil.rpc_url} (chain {registry.w3.eth.chain_id}" in result.stdout
    assert f"registry {registry.grants.address}" in result.stdout and "proven:" in result.stdout
    checked = json.loads(cli.ok(command + " --json").stdout)
    assert checked["node"] == anvil.rpc_url and checked["contract"] == registry.grants.address
    assert ("file-hash", "passed") in [(s["step"], s["status"]) for s in checked["steps"]]


def test_proof_file_naming_another_transaction_or_manifest_is_not_proven(
    cli: Cli, evidence_folder: Path, tmp_path: Path
) -> None:
    anchor_folder(cli, evidence_folder)
    original = json.loads((evidence_folder.parent / "evidence.proofs" / "test-results.csv.proof.json").read_text())
    lies = {
        "transactionHash": ("0x" + "ab" * 32, "transaction-missing"),
        "blockNumber": (original["blockNumber"] + 1, "batch-differs"),
        "manifestHash": ("0x" + "cd" * 32, "manifest-differs"),
    }
    for field, (value, expected) in lies.items():
        lie = tmp_path / f"{field}.proof.json"
        lie.write_text(json.dumps({**original, field: value}))
        result = cli(f"rnd-registry evidence prove {lie} --json")
        assert result.exit_code == 1, field
        failed = [s["reason"] for s in json.loads(result.stdout)["steps"] if s["status"] == "failed"]
        assert failed[0] == expected, (field, failed)


def test_proof_file_of_another_registry_is_refused_in_one_line(cli: Cli, evidence_folder: Path, tmp_path: Path) -> None:
    anchor_folder(cli, evidence_folder)
    original = json.loads((evidence_folder.parent / "evidence.proofs" / "test-results.csv.proof.json").read_text())
    other = tmp_path / "other.proof.json"
    other.write_text(json.dumps({**original, "contract": "0x" + "11" * 20}))
    line = cli.refused(f"rnd-registry evidence prove {other}")
    assert "but the registry configured here is" in line and "--rpc" in line


def test_proof_signed_for_a_relayer_needs_the_deployment_to_be_checked(
    cli: Cli, anvil: AnvilProcess, evidence_folder: Path, tmp_path: Path
) -> None:
    _, _, proofs = build_batch(evidence_folder)
    unsent = tmp_path / "unsent.proof.json"
    proofs["test-results.csv"].write(unsent)
    assert "names no chain or contract" in cli.refused(f"rnd-registry evidence prove {unsent} --rpc {anvil.rpc_url}")
    assert "--offline asks no node" in cli.refused(f"rnd-registry evidence prove {unsent} --offline --rpc x")


def test_verify_shows_each_step_asked_of_the_node_and_every_citation_with_its_log(
    cli: Cli, anvil: AnvilProcess, registry: RegistryHarness, report: Path
) -> None:
    cli.ok(f"rnd-registry evidence anchor {report} --dev-key 2")
    result = json.loads(cli.ok(f"rnd-registry verify {report} --json").stdout)
    assert result["check"]["verdict"] == "anchored" and result["node"] == anvil.rpc_url
    assert [s["step"] for s in result["check"]["steps"]] == [
        "file-hash", "chain-id", "contract-code", "anchor-of", "anchoring-block", "anchoring-event",
    ]  # fmt: skip
    [citation] = result["references"]
    assert citation["event"] == "DocumentAnchored" and citation["by"] == registry.actors.member
    receipt = registry.w3.eth.get_transaction_receipt(citation["transactionHash"])
    assert citation["logIndex"] in [log["logIndex"] for log in receipt["logs"]]
    text = cli.ok(f"rnd-registry verify {report}").stdout
    assert "✓ anchoring-event" in text and f"asked the node {anvil.rpc_url}" in text
