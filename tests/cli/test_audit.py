"""`rnd-registry audit` as the city auditor records evaluations, and as anyone reads them."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.cli.conftest import Cli
from tests.helpers.registry import COMPANY_A, RegistryHarness

AUDITOR = "--dev-key 1"


def said(result: Result) -> str:
    """Everything the command printed, as one line: typer's error box and line wrapping removed."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())


def findings_file(tmp_path: Path, content: str = "최종평가 결과: 목표 미달") -> Path:
    path = tmp_path / "findings.txt"
    path.write_text(content)
    return path


def chain_state(registry: RegistryHarness, project_id: int) -> tuple[Any, ...]:
    """What a refused command must leave as it was: the block height, the project and every audit."""
    g = registry.grants.functions
    audits = [g.getAudit(i).call() for i in range(1, g.auditCount().call() + 1)]
    return registry.w3.eth.block_number, g.getProject(project_id).call(), audits


def a_year_from_now(registry: RegistryHarness) -> str:
    """A restriction's end within the program's longest (five years by default)."""
    return datetime.fromtimestamp(registry.now() + 365 * 24 * 3600, UTC).date().isoformat()


def test_a_sanction_is_pending_until_a_second_auditor_confirms_it(
    cli: Cli, registry: RegistryHarness, tmp_path: Path, second_auditor: str
) -> None:
    project_id = registry.funded_project()
    findings = findings_file(tmp_path)
    until = a_year_from_now(registry)

    result = cli.ok(
        f"rnd-registry audit record {project_id} --grade poor --findings {findings} --clawback 5천만 "
        f"--restrict-until {until} {AUDITOR} --json"
    )

    audit = json.loads(result.stdout)["record"]
    audit_id = audit["audit_id"]
    assert (audit["project_id"], audit["grade"]) == (project_id, 4)
    assert audit["clawback_amount"] == 50_000_000
    assert audit["restricted_until"].startswith(until)
    assert audit["findings_hash"] == "0x" + hashlib.sha256(findings.read_bytes()).hexdigest()
    assert audit["auditor"] == registry.actors.auditor
    assert registry.grants.functions.getProject(project_id).call()[2] == 1  # still active: pending
    shown = said(cli.ok(f"rnd-registry audit show {audit_id}"))
    assert f"audit {audit_id} of project {project_id} — grade poor, clawback ₩50,000,000, no new grants until {until}" \
        in shown  # fmt: skip
    assert "sanction pending (1 of 2 confirmation(s))" in shown

    # the recorder cannot confirm their own
    refused = cli.refused(f"rnd-registry audit confirm {audit_id} {AUDITOR}")
    assert f"{registry.actors.auditor} recorded or already confirmed the sanction of evaluation {audit_id}" in refused

    confirmed = said(cli.ok(f"rnd-registry audit confirm {audit_id} {second_auditor}"))
    assert f"done: confirm the sanction of evaluation {audit_id}" in confirmed
    assert f"evaluation {audit_id}: sanction in effect (2 of 2 confirmation(s))" in confirmed
    assert registry.grants.functions.getProject(project_id).call()[2] == 4  # clawed back
    funds = json.loads(cli.ok(f"rnd-registry project show {project_id} --json").stdout)["funds"]
    assert funds == {"project_id": project_id, "paid": 0, "returned": 100_000_000}  # nothing was paid: all back
    assert "sanction in effect (2 of 2" in said(cli.ok(f"rnd-registry audit show {audit_id}"))
    # in effect, the restriction bars the company from new grants
    refused_grant = cli.fails(
        f"rnd-registry project register --program 1 --company-id 0x{COMPANY_A.hex()} --amount 1천만 "
        "--start 2100-01-01 --end 2100-12-31 --dev-key 0"
    )
    assert f"is barred from new grants until {until}" in said(refused_grant)
    # and a second confirmation is refused: nothing is pending any more
    again = cli.refused(f"rnd-registry audit confirm {audit_id} {AUDITOR}")
    assert "is already in effect; nothing was changed" in again


def test_an_evaluation_without_sanction_has_nothing_to_confirm(
    cli: Cli, registry: RegistryHarness, second_auditor: str
) -> None:
    audit_id = registry.record_audit(registry.funded_project(), grade=2)
    before = registry.w3.eth.block_number
    refused = cli.refused(f"rnd-registry audit confirm {audit_id} {second_auditor}")
    assert refused == f"error: evaluation {audit_id} set no clawback or restriction: there is nothing to confirm"
    assert registry.w3.eth.block_number == before


def test_the_admin_sets_the_sanction_quorum_and_anyone_reads_it(cli: Cli, registry: RegistryHarness) -> None:
    assert "a sanction needs 2 auditors" in said(cli.ok("rnd-registry audit quorum"))
    assert "a sanction now needs 3 auditors" in said(cli.ok("rnd-registry audit quorum 3 --dev-key 0"))
    assert json.loads(cli.ok("rnd-registry audit quorum --json").stdout) == {"quorum": 3}
    assert registry.grants.functions.sanctionQuorum().call() == 3
    assert "already needs 3 auditors; nothing was changed" in cli.refused("rnd-registry audit quorum 3 --dev-key 0")
    too_few = cli.refused("rnd-registry audit quorum 1 --dev-key 0")
    assert too_few.startswith("error: N: 1 is not a whole number; give a number from 2 to 255")
    assert "does not hold the admin role" in cli.refused(f"rnd-registry audit quorum 2 {AUDITOR}")
    cli.ok("rnd-registry audit quorum 2 --dev-key 0")


@pytest.mark.parametrize(("typed", "value"), [("excellent", 1), ("good", 2), ("fair", 3), ("Very-Poor", 5)])
def test_every_grade_is_accepted_by_name(
    cli: Cli, registry: RegistryHarness, tmp_path: Path, typed: str, value: int
) -> None:
    project_id = registry.funded_project()
    findings = findings_file(tmp_path)
    result = cli.ok(f"rnd-registry audit record {project_id} --grade {typed} --findings {findings} {AUDITOR} --json")
    audit = json.loads(result.stdout)["record"]
    assert audit["grade"] == value and audit["clawback_amount"] == 0 and audit["restricted_until"] is None
    assert registry.grants.functions.getProject(project_id).call()[2] == 1  # still active: no clawback


def test_text_output_names_the_grade_and_no_sanctions(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = registry.funded_project()
    result = cli.ok(
        f"rnd-registry audit record {project_id} --grade good --findings {findings_file(tmp_path)} {AUDITOR}"
    )
    assert f"done: record an evaluation of project {project_id}" in said(result)
    assert "grade good, no sanctions" in said(result)


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        (
            "--grade great --findings {findings}",
            "'great' is not a grade; the grades are excellent, good, fair, poor, very-poor",
        ),
        ("--grade none --findings {findings}", "'none' is not a grade"),
        ("--grade poor --findings {missing}", "cannot read {missing}: no such file"),
        ("--grade poor --findings {findings} --clawback 5천만원원", "is not an amount of won"),
        (
            "--grade poor --findings {findings} --clawback 2억",
            "a clawback of ₩200,000,000 is above what project {project}'s program allows (₩100,000,000, its largest",
        ),
        (
            "--grade poor --findings {findings} --restrict-until 2099-12-31",
            "a restriction until 2099-12-31 is longer than project {project}'s program allows",
        ),
        ("--grade poor --findings {findings} --restrict-until 2023-02-30", "'2023-02-30' is not a date"),
    ],
)
def test_bad_audit_input_is_refused_and_records_nothing(
    cli: Cli, registry: RegistryHarness, tmp_path: Path, options: str, reason: str
) -> None:
    project_id = registry.funded_project()
    findings, missing = findings_file(tmp_path), tmp_path / "missing.pdf"
    before = chain_state(registry, project_id)

    result = cli.fails(
        f"rnd-registry audit record {project_id} {options.format(findings=findings, missing=missing)} {AUDITOR}"
    )

    assert reason.format(project=project_id, missing=missing) in said(result)
    assert chain_state(registry, project_id) == before


def test_unknown_project_cannot_be_audited(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = registry.funded_project()
    before = chain_state(registry, project_id)
    result = cli.fails(f"rnd-registry audit record 99 --grade fair --findings {findings_file(tmp_path)} {AUDITOR}")
    assert "error: there is no project 99" in said(result)
    assert chain_state(registry, project_id) == before


def test_company_cannot_audit_its_own_project(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = registry.funded_project()
    before = chain_state(registry, project_id)
    result = cli.fails(
        f"rnd-registry audit record {project_id} --grade excellent --findings {findings_file(tmp_path)} --dev-key 3"
    )
    assert f"{registry.actors.company_a} does not hold the auditor role" in said(result)
    assert chain_state(registry, project_id) == before


def test_list_shows_the_evaluations_of_one_project(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    first, second = registry.funded_project(), registry.funded_project()
    cli.ok(f"rnd-registry audit record {first} --grade good --findings {findings_file(tmp_path, 'a')} {AUDITOR}")
    cli.ok(f"rnd-registry audit record {second} --grade fair --findings {findings_file(tmp_path, 'b')} {AUDITOR}")

    audits = json.loads(cli.ok(f"rnd-registry audit list --project {second} --json").stdout)
    table = cli.ok("rnd-registry audit list").stdout

    assert [(a["audit_id"], a["project_id"], a["grade"]) for a in audits] == [(2, second, 3)]
    assert "good" in table and "fair" in table
    assert audits[0]["sanction"] == {"audit_id": 2, "status": 0, "confirmations": 0, "held_by_objection": 0}


def test_list_says_which_sanctions_are_pending_and_which_in_effect(cli: Cli, registry: RegistryHarness) -> None:
    pending = registry.record_audit(registry.funded_project(), clawback=10_000_000)
    registry.sanction(registry.funded_project(), clawback=20_000_000)
    listed = {a["audit_id"]: a["sanction"]["status"] for a in json.loads(cli.ok("rnd-registry audit list --json")
                                                                          .stdout)}  # fmt: skip
    assert listed == {pending: 1, pending + 1: 2}  # pending, in effect
    rows = [line for line in cli.ok("rnd-registry audit list").stdout.splitlines() if "₩" in line]
    assert "pending" in rows[0] and "in effect" in rows[1]


def test_show_of_an_unknown_audit_says_so(cli: Cli, registry: RegistryHarness) -> None:
    result = cli.fails("rnd-registry audit show 7")
    assert said(result) == "error: there is no audit 7 [AuditNotFound(auditId=7)]"
