"""`rnd-registry audit-copy`: an honest SQL copy (or API) matches the chain record for record; a copy
changed by hand in each of the ways a dishonest operator would is caught, naming the field with the
copy's value and the chain's, and the exit status says so."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from registry.cli.main import app
from tests.api.conftest import IndexedRegistry

runner = CliRunner()


def _sqlite_path(registry: IndexedRegistry) -> Path:
    return Path(registry.settings.database_url.removeprefix("sqlite:///"))


def _audit(registry: IndexedRegistry, database: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(app, [
        "audit-copy", "--database", f"sqlite:///{database}", "--rpc", registry.settings.rpc_url,
        "--manifest", str(registry.settings.manifest_path), "--json", *extra,
    ])  # fmt: skip
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.stdout, result.output
    return result.exit_code, json.loads(result.stdout)


def _differences(summary: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    found = {}
    for record in summary["results"]:
        for difference in record["differences"]:
            found[(record["kind"], difference["field"])] = {"key": record["key"], **difference}
    return found


def test_the_honest_copy_matches_the_chain_record_for_record(registry_copy: IndexedRegistry, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(_sqlite_path(registry_copy), copy)
    status, summary = _audit(registry_copy, copy)
    assert status == 0, [r for r in summary["results"] if r["verdict"] != "matches"]
    assert summary["differing"] == 0 and summary["records"] == summary["matching"] > 50
    project = next(r for r in summary["results"] if r["kind"] == "project")
    assert {"results", "followUp"} <= set(project["derived"]) and project["notChecked"] == []
    assert {r["kind"] for r in summary["results"]} >= {"program", "project", "milestone", "outcome", "report",
                                                        "evaluation", "role-member", "company-account",
                                                        "company-restriction", "batch", "company",
                                                        "objection"}  # fmt: skip


def _one(sql: str) -> Callable[[sqlite3.Connection], Any]:
    def run(db: sqlite3.Connection) -> Any:
        return db.execute(sql).fetchone()

    return run


LIES: list[tuple[str, list[str], tuple[str, str]]] = [
    ("a grant amount",
     ["UPDATE projects SET amount = printf('%029d', CAST(amount AS INTEGER) + 1) WHERE project_id = 1"],
     ("project", "amount")),
    ("a milestone status", ["UPDATE milestones SET status = CASE status WHEN 3 THEN 4 ELSE 3 END "
                            "WHERE project_id = (SELECT min(project_id) FROM milestones) AND milestone_index = "
                            "(SELECT min(milestone_index) FROM milestones WHERE project_id = "
                            "(SELECT min(project_id) FROM milestones))"],
     ("milestone", "status")),
    ("an outcome's type", ["UPDATE outcomes SET outcome_type = CASE outcome_type WHEN 1 THEN 3 ELSE 1 END "
                           "WHERE outcome_id = 1"],
     ("outcome", "outcomeType")),
    ("a sales figure", ["UPDATE commercialization_reports SET sales = printf('%029d', 99999999999) WHERE report_id = "
                        "(SELECT min(report_id) FROM commercialization_reports WHERE status != 1)"],
     ("report", "sales")),
    ("a participation restriction deleted", ["DELETE FROM company_restrictions"], ("company-restriction", "")),
    ("a company name", ["UPDATE companies SET name = '(주)다른이름' WHERE company_id = (SELECT min(company_id) "
                        "FROM companies)"],
     ("company", "name")),
    ("a pending sanction shown in effect", ["UPDATE audits SET sanction_status = 2 WHERE sanction_status = 1"],
     ("evaluation", "sanction.status")),
    ("an open objection deleted", ["DELETE FROM objections WHERE status = 1"], ("objection", "")),
    ("a target", ["UPDATE projects SET target_papers = target_papers + 1 WHERE project_id = 1"],
     ("project", "targets.papers")),
    ("an outcome's SCI flag", ["UPDATE outcomes SET sci_indexed = NOT sci_indexed WHERE outcome_id = "
                               "(SELECT min(outcome_id) FROM outcomes WHERE sci_indexed IS NOT NULL)"],
     ("outcome", "details.sciIndexed")),
]  # fmt: skip


@pytest.mark.parametrize(("lie", "statements", "caught"), LIES, ids=[lie for lie, _, _ in LIES])
def test_a_copy_changed_by_hand_is_caught_naming_the_field(
    registry_copy: IndexedRegistry, tmp_path: Path, lie: str, statements: list[str], caught: tuple[str, str]
) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(_sqlite_path(registry_copy), copy)
    with sqlite3.connect(copy) as db:
        for statement in statements:
            assert db.execute(statement).rowcount >= 1, f"{lie}: the statement changed nothing"
    status, summary = _audit(registry_copy, copy)
    assert status == 1
    found = _differences(summary)
    assert caught in found, f"{lie} not named: {sorted(found)}"
    difference = found[caught]
    assert difference["copy"] != difference["chain"]


def test_a_rejection_deleted_from_a_milestone_history_is_named(registry_copy: IndexedRegistry, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(_sqlite_path(registry_copy), copy)
    with sqlite3.connect(copy) as db:
        project, index, block, log = db.execute(
            "SELECT project_id, milestone_index, block_number, log_index FROM milestone_history "
            "WHERE status = 4 LIMIT 1"
        ).fetchone()
        db.execute("DELETE FROM milestone_history WHERE block_number = ? AND log_index = ?", (block, log))
    key = json.dumps({"projectId": project, "milestoneIndex": index})
    status, summary = _audit(registry_copy, copy, "--kind", "milestone", "--key", key)
    assert status == 1
    [record] = summary["results"]
    [missing] = [d for d in record["differences"] if d["field"].startswith("history[+")]
    assert missing["copy"] is None
    assert missing["chain"]["status"] == "rejected" and missing["chain"]["provenance"]["blockNumber"] == block


def test_a_deleted_revocation_is_named(registry_copy: IndexedRegistry, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(_sqlite_path(registry_copy), copy)
    with sqlite3.connect(copy) as db:
        [outcome] = db.execute("SELECT outcome_id FROM outcome_revocations LIMIT 1").fetchone()
        db.execute("DELETE FROM outcome_revocations WHERE outcome_id = ?", (outcome,))
        db.execute("UPDATE outcomes SET revoked = 0 WHERE outcome_id = ?", (outcome,))
    status, summary = _audit(registry_copy, copy, "--kind", "outcome", "--key", json.dumps({"outcomeId": outcome}))
    assert status == 1
    fields = {d["field"]: d for d in summary["results"][0]["differences"]}
    assert fields["revoked"]["copy"] is False and fields["revoked"]["chain"] is True
    assert fields["revocation"]["copy"] is None and fields["revocation"]["chain"]["actor"]


def test_a_mistake_is_one_line_and_nothing_is_read(registry_copy: IndexedRegistry) -> None:
    result = runner.invoke(app, ["audit-copy", "--rpc", registry_copy.settings.rpc_url])
    assert result.exit_code == 1 and "give the copy to audit" in result.output
    result = runner.invoke(app, ["audit-copy", "--api", "http://127.0.0.1:9", "--rpc", "http://127.0.0.1:9"])
    assert result.exit_code == 1 and "could not be asked" in result.output
    result = runner.invoke(app, ["audit-copy", "--api", "http://x", "--rpc", "http://x", "--kind", "grant"])
    assert result.exit_code == 1 and "not a record kind" in result.output


def test_a_forged_anchoring_and_a_fake_citation_are_named_in_the_anchor_book(
    registry_copy: IndexedRegistry, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(_sqlite_path(registry_copy), copy)
    forged = bytes.fromhex("5e" * 32)
    with sqlite3.connect(copy) as db:
        real = db.execute("SELECT kind, anchored_by, timestamp, block_number, log_index, transaction_hash "
                          "FROM anchors LIMIT 1").fetchone()  # fmt: skip
        db.execute("INSERT INTO anchors (document_hash, kind, anchored_by, timestamp, block_number, log_index, "
                   "transaction_hash) VALUES (?, ?, ?, ?, ?, ?, ?)", (forged, *real))  # fmt: skip
        cited, block, log = db.execute(
            "SELECT document_hash, block_number, log_index FROM evidence_references WHERE record_type = 'outcome' "
            "LIMIT 1"
        ).fetchone()
        # A milestone's event, listed as citing the outcome's document too.
        db.execute(
            "INSERT INTO evidence_references (block_number, log_index, position, transaction_hash, document_hash, "
            "kind, record_type, record_id, milestone_index, actor, anchoring) "
            "SELECT block_number, log_index, 7, transaction_hash, ?, kind, record_type, record_id, milestone_index, "
            "actor, 0 FROM evidence_references WHERE record_type = 'milestone' LIMIT 1",
            (cited,),
        )
    status, summary = _audit(registry_copy, copy, "--kind", "document")
    assert status == 1
    differing = {r["key"]["sha256"]: r for r in summary["results"] if r["verdict"] != "matches"}
    assert set(differing) == {"0x" + forged.hex(), "0x" + bytes(cited).hex()}, sorted(differing)
    made_up = differing["0x" + forged.hex()]
    assert made_up["verdict"] == "not-on-chain" and made_up["differences"][0]["chain"] is None
    [fake] = differing["0x" + bytes(cited).hex()]["differences"]
    assert fake["field"].startswith("citations[") and fake["chain"] is None and fake["copy"]["position"] == 7
    assert (block, log) != (fake["copy"]["provenance"]["blockNumber"], fake["copy"]["provenance"]["logIndex"])
    honest = summary["records"] - 2
    assert summary["matching"] == honest > 10


def test_one_document_is_audited_by_its_hash(registry_copy: IndexedRegistry, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(_sqlite_path(registry_copy), copy)
    with sqlite3.connect(copy) as db:
        [digest] = db.execute("SELECT document_hash FROM anchors LIMIT 1").fetchone()
        db.execute("UPDATE anchors SET anchored_by = ? WHERE document_hash = ?", ("0x" + "12" * 20, digest))
    key = json.dumps({"sha256": "0x" + bytes(digest).hex()})
    status, summary = _audit(registry_copy, copy, "--kind", "document", "--key", key)
    assert status == 1
    [record] = summary["results"]
    [difference] = record["differences"]
    assert difference["field"] == "firstAnchoring.anchoredBy" and difference["copy"] == "0x" + "12" * 20
    result = runner.invoke(app, ["audit-copy", "--database", "sqlite:///x.db", "--rpc", registry_copy.settings.rpc_url,
                                 "--kind", "document", "--key", '{"sha256": "abc"}'])  # fmt: skip
    assert result.exit_code == 1 and "sha256 must be 0x and 64 hex digits" in result.output
