"""`rnd-registry milestone` as company staff, the auditor and the public use it."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.cli.conftest import Cli
from tests.helpers.registry import RegistryHarness

ADMIN, AUDITOR, COMPANY_A, COMPANY_B = "--dev-key 0", "--dev-key 1", "--dev-key 3", "--dev-key 4"


def said(result: Result) -> str:
    """Everything the command printed, as one line: typer's error box and line wrapping removed."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())


def sha256_hex(path: Path) -> str:
    return "0x" + hashlib.sha256(path.read_bytes()).hexdigest()


def document(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content)
    return path


def chain_state(registry: RegistryHarness, project_id: int) -> tuple[Any, ...]:
    """What a refused command must leave as it was: the block height, the project and its milestones."""
    g = registry.grants.functions
    project = g.getProject(project_id).call()
    milestones = [g.getMilestone(project_id, i).call() for i in range(1, project[7] + 1)]
    return registry.w3.eth.block_number, project, milestones


def planned(cli: Cli, registry: RegistryHarness) -> int:
    """An active project of company A with milestone 1 planned (due 2021-08-31, ₩40,000,000)."""
    project_id = registry.funded_project()
    cli.ok(f"rnd-registry milestone plan {project_id} --due 2021-08-31 --tranche 4천만 {ADMIN}")
    return project_id


def submitted(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> int:
    project_id = planned(cli, registry)
    evidence = document(tmp_path, "evidence.txt", "시험성적서 v1")
    cli.ok(f"rnd-registry milestone submit {project_id} 1 --evidence {evidence} {COMPANY_A}")
    return project_id


# ---- plan ----------------------------------------------------------------------------------------


def test_admin_plans_a_milestone_with_a_description(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = registry.funded_project()
    description = document(tmp_path, "m1.txt", "1차년도 시제품 제작")

    result = cli.ok(
        f"rnd-registry milestone plan {project_id} --due 2021-08-31 --tranche 4천만 "
        f"--description {description} {ADMIN} --json"
    )

    milestone = json.loads(result.stdout)["record"]
    assert (milestone["milestone_index"], milestone["status"], milestone["attempts"]) == (1, 1, 0)
    assert milestone["tranche"] == 40_000_000
    assert milestone["due_date"].startswith("2021-08-31")
    assert milestone["description_hash"] == sha256_hex(description)


def test_company_plans_a_milestone_of_its_own_project_without_payment(cli: Cli, registry: RegistryHarness) -> None:
    project_id = registry.funded_project()
    result = cli.ok(f"rnd-registry milestone plan {project_id} --due 2021-10-31 --tranche 0 {COMPANY_A}")
    assert f"milestone 1 of project {project_id} — planned, due 2021-10-31, tranche ₩0" in said(result)


def test_company_cannot_schedule_a_payment(cli: Cli, registry: RegistryHarness) -> None:
    project_id = registry.funded_project()
    before = chain_state(registry, project_id)
    result = cli.fails(f"rnd-registry milestone plan {project_id} --due 2021-10-31 --tranche 40,000,000 {COMPANY_A}")
    assert f"MilestoneTrancheReservedToAdmin(projectId={project_id}, tranche=40000000)" in said(result)
    assert chain_state(registry, project_id) == before


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ("--due 2021-08-31 --tranche 4천만x", "'4천만x' is not an amount of won"),
        ("--due 31/08/2021 --tranche 4천만", "'31/08/2021' is not a date; write it as YYYY-MM-DD"),
        (
            "--due 2021-08-31 --tranche 1.5억",
            "a tranche of ₩150,000,000 exceeds what is left of project {project}'s grant (₩100,000,000)",
        ),
        ("--due 2021-08-31 --tranche 4천만 --description {missing}", "cannot read {missing}: no such file"),
    ],
)
def test_bad_plan_input_is_refused_and_records_nothing(
    cli: Cli, registry: RegistryHarness, tmp_path: Path, options: str, reason: str
) -> None:
    project_id = registry.funded_project()
    missing = tmp_path / "missing.pdf"
    before = chain_state(registry, project_id)

    result = cli.fails(f"rnd-registry milestone plan {project_id} {options.format(missing=missing)} {ADMIN}")

    assert reason.format(project=project_id, missing=missing) in said(result)
    assert chain_state(registry, project_id) == before


def test_another_company_cannot_plan_a_milestone(cli: Cli, registry: RegistryHarness) -> None:
    project_id = registry.funded_project()
    before = chain_state(registry, project_id)
    result = cli.fails(f"rnd-registry milestone plan {project_id} --due 2021-08-31 --tranche 4천만 {COMPANY_B}")
    assert f"{registry.actors.company_b} does not act for the company of project {project_id}" in said(result)
    assert chain_state(registry, project_id) == before


# ---- submit --------------------------------------------------------------------------------------


def test_company_submits_with_several_evidence_files(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = planned(cli, registry)
    report = document(tmp_path, "prototype-report.txt", "시제품 보고서")
    log = document(tmp_path, "test-log.csv", "case,result\nA,pass\n")

    result = cli.ok(f"rnd-registry milestone submit {project_id} 1 --evidence {report} --evidence {log} {COMPANY_A}")

    assert f"milestone 1 of project {project_id} — submitted" in said(result)
    shown = json.loads(cli.ok(f"rnd-registry milestone show {project_id} 1 --json").stdout)
    submission = shown["history"][-1]
    assert (submission["step"], submission["attempt"]) == ("submitted", 1)
    assert submission["documents"] == [sha256_hex(report), sha256_hex(log)]
    assert submission["actor"] == registry.actors.company_a
    stored = cli.data_dir / "documents" / "sha256" / sha256_hex(report)[2:4] / sha256_hex(report)[2:]
    assert stored.read_bytes() == report.read_bytes()


def test_submit_with_a_missing_evidence_file_is_refused(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = planned(cli, registry)
    present = document(tmp_path, "present.txt", "ok")
    before = chain_state(registry, project_id)

    result = cli.fails(
        f"rnd-registry milestone submit {project_id} 1 --evidence {present} --evidence {tmp_path / 'gone.pdf'} "
        f"{COMPANY_A}"
    )

    assert said(result) == f"error: cannot read {tmp_path / 'gone.pdf'}: no such file"
    assert result.exit_code == 1
    assert chain_state(registry, project_id) == before


def test_company_cannot_submit_for_another_companys_project(
    cli: Cli, registry: RegistryHarness, tmp_path: Path
) -> None:
    project_id = planned(cli, registry)
    evidence = document(tmp_path, "evidence.txt", "not ours")
    before = chain_state(registry, project_id)

    result = cli.fails(f"rnd-registry milestone submit {project_id} 1 --evidence {evidence} {COMPANY_B}")

    assert f"{registry.actors.company_b} does not act for the company of project {project_id}" in said(result)
    assert chain_state(registry, project_id) == before


def test_submit_for_an_unknown_milestone_or_project_is_refused(
    cli: Cli, registry: RegistryHarness, tmp_path: Path
) -> None:
    project_id = planned(cli, registry)
    evidence = document(tmp_path, "evidence.txt", "evidence")
    before = chain_state(registry, project_id)

    unknown_milestone = cli.fails(f"rnd-registry milestone submit {project_id} 9 --evidence {evidence} {COMPANY_A}")
    unknown_project = cli.fails(f"rnd-registry milestone submit 99 1 --evidence {evidence} {COMPANY_A}")

    assert f"error: project {project_id} has no milestone 9" in said(unknown_milestone)
    assert "error: there is no project 99" in said(unknown_project)
    assert chain_state(registry, project_id) == before


def test_submit_needs_evidence(cli: Cli, registry: RegistryHarness) -> None:
    project_id = planned(cli, registry)
    before = chain_state(registry, project_id)
    result = cli.fails(f"rnd-registry milestone submit {project_id} 1 {COMPANY_A}")
    assert "Missing option '--evidence'" in said(result)
    assert chain_state(registry, project_id) == before


# ---- approve and reject --------------------------------------------------------------------------


def test_auditor_approves_with_a_review_note(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = submitted(cli, registry, tmp_path)
    review = document(tmp_path, "review.txt", "검토의견: 적합")

    result = cli.ok(f"rnd-registry milestone approve {project_id} 1 --review {review} {AUDITOR} --json")

    assert json.loads(result.stdout)["record"]["status"] == 3  # approved
    history = json.loads(cli.ok(f"rnd-registry milestone show {project_id} 1 --json").stdout)["history"]
    assert history[-1]["step"] == "approved" and history[-1]["documents"] == [sha256_hex(review)]


def test_auditor_rejects_with_a_reason_file(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = submitted(cli, registry, tmp_path)
    reason = document(tmp_path, "reason.txt", "시나리오 B 시험기록 누락")

    result = cli.ok(f"rnd-registry milestone reject {project_id} 1 --reason {reason} {AUDITOR}")

    assert f"milestone 1 of project {project_id} — rejected" in said(result)
    assert registry.grants.functions.getMilestone(project_id, 1).call()[0] == 4  # rejected
    assert (f"the company may resubmit, or object within 30 day(s): `rnd-registry objection file --milestone "
            f"{project_id}/1 --evidence FILE`") in said(result)  # fmt: skip


def test_a_milestone_of_a_project_no_longer_active_cannot_be_rejected(
    cli: Cli, registry: RegistryHarness, tmp_path: Path
) -> None:
    project_id = submitted(cli, registry, tmp_path)
    cli.ok(f'rnd-registry project terminate {project_id} --reason-text "The company withdrew." {ADMIN}')
    before = chain_state(registry, project_id)
    result = cli.fails(f"rnd-registry milestone reject {project_id} 1 --reason-text late {AUDITOR}")
    assert f"project {project_id} is terminated" in said(result)
    assert chain_state(registry, project_id) == before


def test_milestone_show_marks_overdue_as_project_show_does(cli: Cli, registry: RegistryHarness) -> None:
    project_id = planned(cli, registry)  # due 2021-08-31, never submitted
    shown = json.loads(cli.ok(f"rnd-registry milestone show {project_id} 1 --json").stdout)
    on_project = json.loads(cli.ok(f"rnd-registry project show {project_id} --json").stdout)["milestones"][0]
    assert shown["overdue"] is True and on_project["overdue"] is True
    assert "— planned, due 2021-08-31, tranche ₩40,000,000  OVERDUE" in cli.ok(
        f"rnd-registry milestone show {project_id} 1").stdout  # fmt: skip
    cli.ok(f'rnd-registry project terminate {project_id} --reason-text "ended" {ADMIN}')
    assert json.loads(cli.ok(f"rnd-registry milestone show {project_id} 1 --json").stdout)["overdue"] is False


def test_reject_without_a_reason_is_refused(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = submitted(cli, registry, tmp_path)
    before = chain_state(registry, project_id)

    no_reason = cli.fails(f"rnd-registry milestone reject {project_id} 1 {AUDITOR}")
    empty_reason = cli.fails(f'rnd-registry milestone reject {project_id} 1 --reason-text "  " {AUDITOR}')

    assert "a rejection reason is required: pass it as a file or as text" in said(no_reason)
    assert "the rejection reason text is empty" in said(empty_reason)
    assert chain_state(registry, project_id) == before


def test_company_cannot_review_its_own_milestone(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = submitted(cli, registry, tmp_path)
    before = chain_state(registry, project_id)
    result = cli.fails(f"rnd-registry milestone approve {project_id} 1 {COMPANY_A}")
    assert f"{registry.actors.company_a} does not hold the auditor role" in said(result)
    assert chain_state(registry, project_id) == before


def test_a_milestone_not_submitted_cannot_be_approved(cli: Cli, registry: RegistryHarness) -> None:
    project_id = planned(cli, registry)
    before = chain_state(registry, project_id)
    result = cli.fails(f"rnd-registry milestone approve {project_id} 1 {AUDITOR}")
    assert f"milestone 1 of project {project_id} is planned, which does not allow this" in said(result)
    assert chain_state(registry, project_id) == before


# ---- the whole walk, and show --------------------------------------------------------------------


def test_rejected_milestone_is_resubmitted_and_approved_and_show_lists_both_attempts(
    cli: Cli, registry: RegistryHarness, tmp_path: Path
) -> None:
    project_id = planned(cli, registry)
    first = document(tmp_path, "evidence-v1.txt", "시험성적서 v1")
    second = document(tmp_path, "evidence-v2.txt", "시험성적서 v2, 시나리오 B 포함")

    cli.ok(f"rnd-registry milestone submit {project_id} 1 --evidence {first} {COMPANY_A}")
    cli.ok(f'rnd-registry milestone reject {project_id} 1 --reason-text "시나리오 B 시험기록 누락" {AUDITOR}')
    cli.ok(f"rnd-registry milestone submit {project_id} 1 --evidence {second} {COMPANY_A}")
    cli.ok(f"rnd-registry milestone approve {project_id} 1 --review-text 적합 {AUDITOR}")

    data = json.loads(cli.ok(f"rnd-registry milestone show {project_id} 1 --json").stdout)
    steps = [(e["step"], e["attempt"]) for e in data["history"]]
    assert steps == [("planned", 0), ("submitted", 1), ("rejected", 1), ("submitted", 2), ("approved", 2)]
    assert data["milestone"]["status"] == 3 and data["milestone"]["attempts"] == 2
    assert data["history"][1]["documents"] == [sha256_hex(first)]
    assert data["history"][3]["documents"] == [sha256_hex(second)]
    actors = [e["actor"] for e in data["history"]]
    a = registry.actors
    assert actors == [a.admin, a.company_a, a.auditor, a.company_a, a.auditor]
    blocks = [e["block_number"] for e in data["history"]]
    assert blocks == sorted(blocks)
    for entry in data["history"]:
        receipt = registry.w3.eth.get_transaction_receipt(entry["transaction_hash"])
        assert receipt["blockNumber"] == entry["block_number"]

    text = cli.ok(f"rnd-registry milestone show {project_id} 1").stdout
    assert f"milestone 1 of project {project_id} — approved, due 2021-08-31, tranche ₩40,000,000" in text
    order = [
        "planned by",
        "submitted (attempt 1)",
        f"evidence {sha256_hex(first)}",
        "rejected (attempt 1)",
        "> 시나리오 B 시험기록 누락",  # the reason as it was typed, under its hash
        "submitted (attempt 2)",
        f"evidence {sha256_hex(second)}",
        "approved (attempt 2)",
    ]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert data["history"][2]["transaction_hash"] in text
    assert "> 적합" in text
    assert "> 시험성적서 v1" not in text, "uploaded evidence is never printed or published"


def test_show_of_an_unknown_milestone_says_so(cli: Cli, registry: RegistryHarness) -> None:
    project_id = registry.funded_project()
    result = cli.fails(f"rnd-registry milestone show {project_id} 3")
    assert said(result) == (
        f"error: project {project_id} has no milestone 3 [MilestoneNotFound(projectId={project_id}, milestoneIndex=3)]"
    )
