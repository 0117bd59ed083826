"""Receipts (`rnd-registry-receipt/1`): written and read back exactly, camelCase JSON, and refused
with one line naming the file when they are not receipts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.checking.receipts import DocumentReceipt, parse_receipt, read_receipt
from registry.evidence.proofs import EvidenceFileError
from tests.checking.scenarios import anchor_batch, anchor_document
from tests.helpers.registry import RegistryHarness


def test_receipt_is_written_and_read_back_exactly(registry: RegistryHarness, tmp_path: Path) -> None:
    receipt = anchor_document(registry).receipt
    receipt.write(tmp_path / "receipt.json")
    assert read_receipt(tmp_path / "receipt.json") == receipt
    data = json.loads((tmp_path / "receipt.json").read_text())
    assert list(data) == ["format", "subject", "sha256", "chainId", "contract", "issuedAt", "issuedBy", "anchoring",
                          "batches", "verifyUrl"]  # fmt: skip
    assert data["format"] == "rnd-registry-receipt/1" and data["subject"] == "document"
    assert data["anchoring"]["kind"] == "document" and data["anchoring"]["event"] == "DocumentAnchored"
    assert data["anchoring"]["blockTime"].endswith("Z") and data["issuedAt"].endswith("Z")
    assert data["contract"] == registry.grants.address and data["chainId"] == registry.w3.eth.chain_id


def test_batch_receipt_holds_the_proof_and_the_event(registry: RegistryHarness) -> None:
    receipt = anchor_batch(registry).receipt
    data = json.loads(receipt.to_json())
    assert data["anchoring"] is None
    [batch] = data["batches"]
    assert list(batch) == ["root", "path", "leafCount", "manifestHash", "proof", "blockNumber", "blockHash",
                           "transactionHash", "logIndex"]  # fmt: skip
    assert all(h.startswith("0x") and len(h) == 66 for h in batch["proof"])
    assert parse_receipt(receipt.to_json()) == receipt


def _valid(registry: RegistryHarness) -> dict[str, object]:
    data: dict[str, object] = json.loads(anchor_document(registry).receipt.to_json())
    return data


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"format": "rnd-registry-merkle-proof/1"}, "format is 'rnd-registry-merkle-proof/1'"),
        ({"subject": "planet"}, "subject 'planet' is not one of document"),
        ({"extra": 1}, "extra: Extra inputs are not permitted"),
        ({"sha256": "0x1234"}, "sha256"),
        ({"anchoring": None, "batches": []}, "names an anchoring, a batch, or both"),
    ],
)
def test_what_is_not_a_receipt_is_refused_naming_the_problem(
    registry: RegistryHarness, change: dict[str, object], reason: str
) -> None:
    with pytest.raises(EvidenceFileError) as caught:
        parse_receipt(json.dumps(_valid(registry) | change), "r.json")
    assert str(caught.value).startswith("evidence file r.json:") and reason in str(caught.value)


def test_unreadable_or_non_json_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EvidenceFileError, match="cannot be read"):
        read_receipt(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("not json")
    with pytest.raises(EvidenceFileError, match="is not JSON"):
        read_receipt(tmp_path / "bad.json")


def test_receipt_is_frozen(registry: RegistryHarness) -> None:
    receipt = DocumentReceipt.model_validate(_valid(registry))
    with pytest.raises(ValueError, match="frozen"):
        receipt.chain_id = 1  # type: ignore[misc]
