"""Record receipts: the API issues one per record, it holds against the chain, a receipt changed by
hand does not (naming the field), and `rnd-registry verify --receipt R --rpc URL` says so with no
deployment manifest and no database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from registry.api.app import create_app
from registry.checking.node import Node
from registry.checking.receipts import RecordReceipt, parse_receipt
from registry.checking.record_receipts import check_record_receipt
from registry.cli.main import app
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items

runner = CliRunner()


@pytest.fixture(scope="module")
def api(registry_copy: IndexedRegistry) -> Iterator[TestClient]:
    with TestClient(create_app(registry_copy.settings), raise_server_exceptions=False) as client:
        yield client


def _receipt(api: TestClient, kind: str, **key: Any) -> RecordReceipt:
    response = api.get(f"/api/v1/receipts/{kind}", params=key)
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith(f'attachment; filename="receipt-{kind}-')
    receipt = parse_receipt(response.content)
    assert isinstance(receipt, RecordReceipt)
    return receipt


def test_a_receipt_of_every_kind_of_record_holds_against_the_chain(
    api: TestClient, registry_copy: IndexedRegistry
) -> None:
    node = Node(registry_copy.settings.rpc_url)
    milestone = next(m for m in all_items(api, "/api/v1/milestones") if m["attempts"] > 1)
    batch = all_items(api, "/api/v1/batches")[0]
    for kind, key in [
        ("program", {"programId": 1}),
        ("project", {"projectId": 1}),
        ("milestone", {"projectId": milestone["projectId"], "milestoneIndex": milestone["milestoneIndex"]}),
        ("outcome", {"outcomeId": 1}),
        ("report", {"reportId": 1}),
        ("evaluation", {"auditId": 1}),
        ("batch", {"root": batch["root"]}),
    ]:
        receipt = _receipt(api, kind, **key)
        assert receipt.view.startswith(("GrantRegistry.", "OutcomeRegistry."))
        assert receipt.events and receipt.events[0].field == "provenance"
        check = check_record_receipt(node, receipt)
        assert check.holds and check.at_receipt_block, check.words()


def test_a_receipt_changed_by_hand_names_the_field(
    api: TestClient, registry_copy: IndexedRegistry, tmp_path: Path
) -> None:
    receipt = _receipt(api, "project", projectId=1)
    changed = json.loads(receipt.to_json())
    changed["expected"]["amount"] = str(int(changed["expected"]["amount"]) + 1)
    path = tmp_path / "project-1.receipt.json"
    path.write_text(json.dumps(changed), encoding="utf-8")
    result = runner.invoke(app, ["verify", "--receipt", str(path), "--rpc", registry_copy.settings.rpc_url, "--json"])
    assert result.exit_code == 1, result.output
    answer = json.loads(result.stdout)
    assert answer["verdict"] == "differs" and answer["holds"] is False
    [difference] = answer["differences"]
    assert difference["field"] == "amount" and difference["receipt"] == changed["expected"]["amount"]
    path.write_text(receipt.to_json(), encoding="utf-8")
    honest = runner.invoke(app, ["verify", "--receipt", str(path), "--rpc", registry_copy.settings.rpc_url])
    assert honest.exit_code == 0 and "matches the chain" in honest.stdout


def test_a_record_receipt_with_a_file_or_a_bad_key_is_one_clear_line(
    api: TestClient, registry_copy: IndexedRegistry, tmp_path: Path
) -> None:
    path = tmp_path / "program.receipt.json"
    path.write_text(_receipt(api, "program", programId=1).to_json(), encoding="utf-8")
    result = runner.invoke(app, ["verify", str(path), "--receipt", str(path), "--rpc", registry_copy.settings.rpc_url])
    assert result.exit_code == 1 and "leave out FILE" in result.output
    missing = api.get("/api/v1/receipts/milestone", params={"projectId": 1})
    assert missing.status_code == 422 and "milestoneIndex" in missing.json()["error"]["message"]
    assert api.get("/api/v1/receipts/program", params={"programId": 99999}).status_code == 404
