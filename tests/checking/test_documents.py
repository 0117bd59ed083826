"""`check_document_receipt` against the session anvil: honest receipts are anchored, every lie is
caught at its own step, and a node that cannot be asked is one typed error naming it; then the
shared vectors (`vectors/documents.json`), replayed, give the recorded step results."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from registry.checking.documents import DocumentCheck, ReceiptUnavailable, check_document_receipt
from registry.checking.node import Node, NodeUnavailable
from registry.checking.receipts import DocumentReceipt, kind_name
from registry.checking.spec import ABI_PATH
from registry.domain.enums import AnchorKind
from registry.evidence.hashing import hash_to_hex
from registry.settings import PROJECT_ROOT
from tests.checking.scenarios import (
    anchor_batch,
    anchor_document,
    anchor_outcome_evidence,
    changed,
    flipped,
    issue,
    reader_for,
    sha256,
)
from tests.helpers.registry import RegistryHarness

VECTORS = Path(__file__).with_name("vectors") / "documents.json"


def outcome(check: DocumentCheck) -> list[tuple[str, str, str, int | None]]:
    return [(s.step, s.status, s.reason, s.batch) for s in check.steps]


def status_of(check: DocumentCheck, step: str) -> tuple[str, str]:
    [found] = [(s.status, s.reason) for s in check.steps if s.step == step]
    return found


def test_document_anchored_on_its_own_is_anchored_step_by_step(registry: RegistryHarness) -> None:
    anchored = anchor_document(registry)
    receipt = anchored.receipt
    assert receipt.anchoring is not None and receipt.anchoring.event == "DocumentAnchored"
    assert receipt.anchoring.anchored_by == registry.actors.member and receipt.batches == ()
    check = check_document_receipt(reader_for(registry), receipt, sha256(anchored.content))
    assert check.verdict == "anchored", check
    assert outcome(check) == [
        ("file-hash", "passed", "same-hash", None),
        ("chain-id", "passed", "same-chain", None),
        ("contract-code", "passed", "has-code", None),
        ("anchor-of", "passed", "anchor-matches", None),
        ("anchoring-block", "passed", "block-matches", None),
        ("anchoring-event", "passed", "event-matches", None),
    ]
    assert check.block_number == registry.w3.eth.block_number and check.chain_id == registry.w3.eth.chain_id
    assert check.contract == registry.grants.address and check.node in check.steps[1].detail


def test_document_in_a_batch_is_anchored_by_its_proof(registry: RegistryHarness) -> None:
    anchored = anchor_batch(registry)
    [batch] = anchored.receipt.batches
    assert anchored.receipt.anchoring is None and batch.leaf_count == 3
    check = check_document_receipt(reader_for(registry), anchored.receipt, None)
    assert check.verdict == "anchored", check
    assert outcome(check)[0] == ("file-hash", "not-checked", "no-file", None)
    assert [s for s in outcome(check) if s[3] == 0] == [
        ("batch-proof", "passed", "proof-leads-to-root", 0),
        ("batch-member", "passed", "member-accepted", 0),
        ("batch-of", "passed", "batch-matches", 0),
        ("batch-block", "passed", "block-matches", 0),
        ("batch-event", "passed", "event-matches", 0),
    ]
    assert status_of(check, "anchor-of") == ("not-checked", "no-anchoring-claimed")


def test_outcome_evidence_logged_by_the_outcome_registry_is_anchored(registry: RegistryHarness) -> None:
    anchored = anchor_outcome_evidence(registry)
    assert anchored.receipt.anchoring is not None and anchored.receipt.anchoring.event == "OutcomeAdded"
    assert anchored.receipt.anchoring.kind.name == "OUTCOME_EVIDENCE"
    check = check_document_receipt(reader_for(registry), anchored.receipt, sha256(anchored.content))
    assert check.verdict == "anchored", check
    assert registry.outcomes.address in check.steps[-1].detail


def test_copy_changed_in_one_byte_is_a_mismatch(registry: RegistryHarness) -> None:
    anchored = anchor_document(registry)
    copy = bytearray(anchored.content)
    copy[-2] ^= 0x01
    check = check_document_receipt(reader_for(registry), anchored.receipt, sha256(bytes(copy)))
    assert check.verdict == "mismatch" and status_of(check, "file-hash") == ("failed", "hash-differs")
    assert status_of(check, "anchor-of") == ("passed", "anchor-matches")  # the receipt itself still holds


def lies(receipt: DocumentReceipt) -> dict[str, tuple[dict[str, Any], str, str, str]]:
    """Each lie: the change, the step that catches it, its reason, the verdict."""
    anchoring = receipt.anchoring
    assert anchoring is not None
    return {
        "wrong block": ({"anchoring": {"blockNumber": anchoring.block_number - 1}}, "anchor-of", "anchor-differs",
                        "mismatch"),
        "wrong block hash": ({"anchoring": {"blockHash": flipped(hash_to_hex(anchoring.block_hash))}},
                             "anchoring-block", "block-hash-differs", "mismatch"),
        "wrong time": ({"anchoring": {"blockTime": "2020-01-01T00:00:00Z"}}, "anchoring-block",
                       "block-time-differs", "mismatch"),
        "wrong anchorer": ({"anchoring": {"anchoredBy": receipt.contract}}, "anchor-of", "anchor-differs",
                           "mismatch"),
        "wrong event": ({"anchoring": {"event": "ProgramCreated"}}, "anchoring-event", "event-differs", "mismatch"),
        "wrong log": ({"anchoring": {"logIndex": anchoring.log_index + 5}}, "anchoring-event", "log-missing",
                      "mismatch"),
        "no such transaction": ({"anchoring": {"transactionHash": "0x" + "ab" * 32}}, "anchoring-event",
                                "transaction-missing", "not-anchored"),
        "another chain": ({"chainId": receipt.chain_id + 1}, "chain-id", "chain-differs", "mismatch"),
        "no contract": ({"contract": "0x000000000000000000000000000000000000dEaD"}, "contract-code", "no-code",
                        "not-anchored"),
        "never anchored": ({"sha256": "0x" + "77" * 32}, "anchor-of", "never-anchored", "not-anchored"),
    }  # fmt: skip


LIES = ["wrong block", "wrong block hash", "wrong time", "wrong anchorer", "wrong event", "wrong log",
        "no such transaction", "another chain", "no contract", "never anchored"]  # fmt: skip


@pytest.mark.parametrize("lie", LIES)
def test_receipt_that_lies_about_an_anchoring_is_caught_at_its_step(registry: RegistryHarness, lie: str) -> None:
    anchored = anchor_document(registry)
    change, step, reason, verdict = lies(anchored.receipt)[lie]
    check = check_document_receipt(reader_for(registry), changed(anchored.receipt, change), None)
    assert status_of(check, step) == ("failed", reason)
    assert (check.verdict, check.reason) == (verdict, next(s.detail for s in check.steps if s.status == "failed"))
    if step in {"chain-id", "contract-code"}:
        assert status_of(check, "anchor-of") == ("not-checked", "skipped")


def test_receipt_with_a_changed_proof_is_refused_locally_and_by_the_contract(registry: RegistryHarness) -> None:
    anchored = anchor_batch(registry)
    [batch] = anchored.receipt.batches
    proof = [hash_to_hex(h) for h in batch.proof]
    proof[0] = flipped(proof[0])
    check = check_document_receipt(reader_for(registry), changed(anchored.receipt, {"batch": {"proof": proof}}), None)
    assert check.verdict == "mismatch"
    assert status_of(check, "batch-proof") == ("failed", "proof-does-not-lead-to-root")
    assert status_of(check, "batch-member") == ("failed", "member-refused")
    assert status_of(check, "batch-event") == ("passed", "event-matches")


def test_receipt_with_a_wrong_batch_block_or_manifest_is_a_mismatch(registry: RegistryHarness) -> None:
    anchored = anchor_batch(registry)
    [batch] = anchored.receipt.batches
    wrong_block = changed(anchored.receipt, {"batch": {"blockNumber": batch.block_number - 1}})
    check = check_document_receipt(reader_for(registry), wrong_block, None)
    assert status_of(check, "batch-of") == ("failed", "batch-differs") and check.verdict == "mismatch"
    wrong_manifest = changed(anchored.receipt, {"batch": {"manifestHash": "0x" + "11" * 32}})
    check = check_document_receipt(reader_for(registry), wrong_manifest, None)
    assert status_of(check, "batch-event") == ("failed", "manifest-differs")


def test_receipt_of_a_document_never_anchored_cannot_be_issued(registry: RegistryHarness) -> None:
    with pytest.raises(ReceiptUnavailable, match="is not anchored in the registry"):
        issue(registry, sha256(b"never anchored"), [])


def test_node_that_is_down_is_one_error_naming_it(registry: RegistryHarness) -> None:
    anchored = anchor_document(registry)
    with pytest.raises(NodeUnavailable) as caught:
        check_document_receipt(Node("http://127.0.0.1:9", timeout=2), anchored.receipt, None)
    assert "http://127.0.0.1:9" in str(caught.value)


class _Garbage:
    url = "http://garbage.example"

    def request(self, method: str, params: list[Any]) -> Any:
        return {"not": "an answer"}


def test_node_that_answers_garbage_is_one_error_naming_it(registry: RegistryHarness) -> None:
    anchored = anchor_document(registry)
    with pytest.raises(NodeUnavailable, match=r"garbage\.example.*chain id is not a hex quantity"):
        check_document_receipt(_Garbage(), anchored.receipt, None)


# ---- the shared vectors --------------------------------------------------------------------------


class ReplayedNode:
    """A node that answers exactly as recorded in a vector, and refuses any question not recorded."""

    def __init__(self, recorded: dict[str, Any]) -> None:
        self.url = recorded["url"]
        self.answers = {json.dumps([a["method"], a["params"]]): a["result"] for a in recorded["answers"]}

    def request(self, method: str, params: list[Any]) -> Any:
        key = json.dumps([method, params])
        assert key in self.answers, f"not recorded: {key}"
        return self.answers[key]


def load_vectors() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads(VECTORS.read_text(encoding="utf-8"))["vectors"]
    return loaded


@pytest.mark.parametrize("vector", load_vectors(), ids=lambda v: v["name"])
def test_python_checker_gives_each_vectors_results(vector: dict[str, Any]) -> None:
    receipt = DocumentReceipt.model_validate(vector["receipt"])
    file_hash = bytes.fromhex(vector["fileSha256"][2:]) if vector["fileSha256"] else None
    check = check_document_receipt(ReplayedNode(vector["node"]), receipt, file_hash)
    assert check.verdict == vector["expected"]["verdict"]
    assert [[s.step, s.status, s.reason, s.batch] for s in check.steps] == vector["expected"]["steps"]


def test_browser_verifier_gives_each_vectors_results() -> None:
    """The same vectors through verifier.js under node: the same verdicts, steps and reasons."""
    node = shutil.which("node")
    assert node is not None, "the browser verifier's tests need node (Node 20, as `npm ci` does)"
    kinds = json.dumps([kind_name(kind) for kind in AnchorKind])
    ran = subprocess.run(
        [node, str(Path(__file__).with_name("run_document_vectors.cjs")), str(VECTORS), str(ABI_PATH), kinds],
        capture_output=True, text=True, timeout=120, check=False, cwd=PROJECT_ROOT,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    results = json.loads(ran.stdout)
    vectors = load_vectors()
    assert [r["name"] for r in results] == [v["name"] for v in vectors]
    for result, vector in zip(results, vectors, strict=True):
        assert (result["verdict"], result["steps"]) == (vector["expected"]["verdict"], vector["expected"]["steps"]), (
            vector["name"]
        )


class RecordingNode:
    """Asks the real node and keeps every question and answer, for a vector."""

    def __init__(self, reader: Node) -> None:
        self.reader = reader
        self.url = reader.url
        self.answers: list[dict[str, Any]] = []

    def request(self, method: str, params: list[Any]) -> Any:
        result = _trimmed(method, self.reader.request(method, params))
        if not any(a["method"] == method and a["params"] == params for a in self.answers):
            self.answers.append({"method": method, "params": params, "result": result})
        return result


def _trimmed(method: str, result: Any) -> Any:
    """Only what a checker reads of an answer, so that a vector stays readable: a block's hash,
    number and time; a receipt's block, status and logs; a prefix of the contract's code."""
    if method == "eth_getBlockByNumber" and isinstance(result, dict):
        return {key: result[key] for key in ("hash", "number", "timestamp")}
    if method == "eth_getTransactionReceipt" and isinstance(result, dict):
        logs = [{key: log[key] for key in ("address", "topics", "data", "logIndex")} for log in result["logs"]]
        return {key: result[key] for key in ("blockHash", "blockNumber", "status")} | {"logs": logs}
    if method == "eth_getCode" and isinstance(result, str):
        return result[:66]
    return result


@pytest.mark.skipif(not os.environ.get("RND_WRITE_VECTORS"), reason="rewrites vectors/documents.json when set")
def test_record_vectors(registry: RegistryHarness) -> None:
    """Rewrites the shared vectors from the session chain: honest receipts and lies, as a node answered."""
    alone = anchor_document(registry)
    batched = anchor_batch(registry)
    evidence = anchor_outcome_evidence(registry)
    anchoring = alone.receipt.anchoring
    [batch] = batched.receipt.batches
    proof = [hash_to_hex(h) for h in batch.proof]
    proof[0] = flipped(proof[0])
    copy = bytearray(alone.content)
    copy[-2] ^= 0x01
    assert anchoring is not None
    wrong_hash = flipped(hash_to_hex(anchoring.block_hash))
    nowhere = {"contract": "0x000000000000000000000000000000000000dEaD"}
    cases: list[tuple[str, DocumentReceipt, bytes | None]] = [
        ("anchored on its own, with the file", alone.receipt, sha256(alone.content)),
        ("a copy changed in one byte", alone.receipt, sha256(bytes(copy))),
        ("in a batch, without the file", batched.receipt, None),
        ("outcome evidence logged by the outcome registry", evidence.receipt, sha256(evidence.content)),
        ("a changed proof", changed(batched.receipt, {"batch": {"proof": proof}}), None),
        ("a wrong block", changed(alone.receipt, {"anchoring": {"blockNumber": anchoring.block_number - 1}}), None),
        ("a wrong block hash", changed(alone.receipt, {"anchoring": {"blockHash": wrong_hash}}), None),
        ("a wrong batch block", changed(batched.receipt, {"batch": {"blockNumber": batch.block_number - 1}}), None),
        ("another chain id", changed(alone.receipt, {"chainId": alone.receipt.chain_id + 1}), None),
        ("no code at the address", changed(alone.receipt, nowhere), None),
        ("never anchored", changed(alone.receipt, {"sha256": "0x" + "77" * 32}), None),
    ]  # fmt: skip
    vectors = []
    for name, receipt, file_hash in cases:
        node = RecordingNode(reader_for(registry))
        check = check_document_receipt(node, receipt, file_hash)
        steps = [[s.step, s.status, s.reason, s.batch] for s in check.steps]
        vectors.append({
            "name": name,
            "receipt": json.loads(receipt.to_json()),
            "fileSha256": None if file_hash is None else hash_to_hex(file_hash),
            "node": {"url": "http://node.example:8545", "answers": node.answers},
            "expected": {"verdict": check.verdict, "steps": steps},
        })  # fmt: skip
    about = ("Receipts and what a node answered to each question of the check, with the step results both "
             "checkers (registry/checking/documents.py and registry/web/static/verifier/verifier.js) must give. "
             "Recorded from the test chain by RND_WRITE_VECTORS=1 pytest tests/checking/test_documents.py -k record.")
    VECTORS.write_text(json.dumps({"about": about, "vectors": vectors}, indent=1) + "\n", encoding="utf-8")
