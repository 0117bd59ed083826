"""`rnd-registry audit` as the city auditor records evaluations, and as anyone reads them."""

from __future__ import annotations

import hashlib
import json
import re
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


def test_auditor_records_a_poor_grade_with_clawback_and_restriction(
    cli: Cli, registry: RegistryHarness, tmp_path: Path
) -> None:
    project_id = registry.funded_project()
    findings = findings_file(tmp_path)

    result = cli.ok(
        f"rnd-registry audit record {project_id} --grade poor --findings {findings} --clawback 5천만 "
        f"--restrict-until 2099-12-31 {AUDITOR} --json"
    )

    audit = json.loads(result.stdout)["record"]
    assert (audit["audit_id"], audit["project_id"], audit["grade"]) == (1, project_id, 4)
    assert audit["clawback_amount"] == 50_000_000
    assert audit["restricted_until"].startswith("2099-12-31")
    assert audit["findings_hash"] == "0x" + hashlib.sha256(findings.read_bytes()).hexdigest()
    assert audit["auditor"] == registry.actors.auditor
    assert registry.grants.functions.getProject(project_id).call()[2] == 4  # clawed back
    shown = said(cli.ok("rnd-registry audit show 1"))
    assert (
        f"audit 1 of project {project_id} — grade poor, clawback ₩50,000,000, no new grants until 2099-12-31" in shown
    )
    # the restriction bars the company from new grants
    refused = cli.fails(
        f"rnd-registry project register --program 1 --company-id 0x{COMPANY_A.hex()} --amount 1천만 "
        "--start 2100-01-01 --end 2100-12-31 --dev-key 0"
    )
    assert "is barred from new grants until 2099-12-31" in said(refused)


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
            "a clawback of ₩200,000,000 exceeds project {project}'s grant of ₩100,000,000",
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


def test_show_of_an_unknown_audit_says_so(cli: Cli, registry: RegistryHarness) -> None:
    result = cli.fails("rnd-registry audit show 7")
    assert said(result) == "error: there is no audit 7 [AuditNotFound(auditId=7)]"
