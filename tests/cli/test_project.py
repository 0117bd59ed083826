"""`rnd-registry project` as the city program office types it, and as anyone reads it."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from registry.domain.companies import company_id
from tests.cli.conftest import Cli
from tests.helpers.registry import CAP, COMPANY_A, COMPANY_A_NAME, DAY, TARGETS, RegistryHarness

COMPANY_A_ID = "0x" + COMPANY_A.hex()


def said(result: Result) -> str:
    """Everything the command printed, as one line: typer's error box and line wrapping removed."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", result.output).split())


def chain_state(registry: RegistryHarness, program_id: int) -> tuple[Any, ...]:
    """What a refused command must leave as it was: the block height, the program and every project."""
    g = registry.grants.functions
    projects = [g.getProject(i).call() for i in range(1, g.projectCount().call() + 1)]
    return registry.w3.eth.block_number, g.getProgram(program_id).call(), projects


def register_line(program_id: int, *, amount: str = "1억", extra: str = "") -> str:
    return (
        f"rnd-registry project register --program {program_id} --company-id {COMPANY_A_ID} --amount {amount} "
        f"--start 2021-05-01 --end 2021-12-31 --dev-key 0 {extra}"
    )


# ---- register ------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["100000000", "100,000,000", "1억"])
def test_admin_registers_a_project_by_business_number_with_any_amount_style(
    cli: Cli, registry: RegistryHarness, tmp_path: Path, amount: str
) -> None:
    program_id = registry.create_program()
    plan = tmp_path / "plan.txt"
    plan.write_text("사업계획서: 블록체인 스마트캠퍼스")

    result = cli.ok(
        f"rnd-registry project register --program {program_id} --company 131-81-10001 --amount {amount} "
        f"--start 2021-05-01 --end 2021-12-31 --plan {plan} --dev-key 0 --json"
    )

    project = json.loads(result.stdout)["record"]
    assert project["amount"] == 100_000_000
    assert project["company_id"] == "0x" + company_id("131-81-10001").hex()
    assert project["plan_hash"] == "0x" + hashlib.sha256(plan.read_bytes()).hexdigest()
    assert project["start_date"].startswith("2021-05-01") and project["end_date"].startswith("2021-12-31")
    assert project["status"] == 1  # active
    assert registry.grants.functions.getProgram(program_id).call()[4] == 100_000_000  # granted


def test_register_prints_the_grant_with_thousands_separators(cli: Cli, registry: RegistryHarness) -> None:
    program_id = registry.create_program()
    result = cli.ok(register_line(program_id, amount="9,500만"))
    assert "done: register a project of 95,000,000 won" in said(result)
    assert "grant ₩95,000,000, 2021-05-01 to 2021-12-31" in said(result)


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ("--amount 1억x", "'1억x' is not an amount of won"),
        ("--amount 10,00,000", "misplaced comma"),
        ("--amount 2억", "₩200,000,000 is not allowed: program {program} grants between ₩1 and ₩100,000,000"),
        ("--start 2021-13-01", "'2021-13-01' is not a date; write it as YYYY-MM-DD"),
        ("--end 2021-04-30", "the project must end after it starts"),
        ("--plan {missing}", "cannot read {missing}: no such file"),
        ("--company-id 0x1234", "'0x1234' is not a company identity"),
    ],
)
def test_bad_registration_input_is_refused_and_records_nothing(
    cli: Cli, registry: RegistryHarness, tmp_path: Path, options: str, reason: str
) -> None:
    program_id = registry.create_program(cap=CAP)
    missing = tmp_path / "no-such-plan.pdf"
    options = options.format(missing=missing)
    before = chain_state(registry, program_id)

    # the bad value comes last, and the last of an option given twice is the one that counts
    result = cli.fails(register_line(program_id, extra=options))

    assert reason.format(program=program_id, missing=missing) in said(result)
    assert chain_state(registry, program_id) == before


def test_giving_both_company_forms_is_refused(cli: Cli, registry: RegistryHarness) -> None:
    program_id = registry.create_program()
    before = chain_state(registry, program_id)
    result = cli.fails(register_line(program_id, extra="--company 131-81-10001"))
    assert "error: name the company once: --company 131-81-10001" in said(result)
    assert result.exit_code == 1
    assert chain_state(registry, program_id) == before


def test_bad_business_number_is_refused(cli: Cli, registry: RegistryHarness) -> None:
    program_id = registry.create_program()
    before = chain_state(registry, program_id)
    result = cli.fails(
        f"rnd-registry project register --program {program_id} --company 131-81-1000 --amount 1억 "
        "--start 2021-05-01 --end 2021-12-31 --dev-key 0"
    )
    assert "'131-81-1000' is not a business registration number" in said(result)
    assert chain_state(registry, program_id) == before


def test_unknown_program_is_refused(cli: Cli, registry: RegistryHarness) -> None:
    program_id = registry.create_program()
    before = chain_state(registry, program_id)
    result = cli.fails(register_line(99))
    assert "error: there is no program 99" in said(result)
    assert chain_state(registry, program_id) == before


def test_company_cannot_register_a_project(cli: Cli, registry: RegistryHarness) -> None:
    program_id = registry.create_program()
    before = chain_state(registry, program_id)
    result = cli.fails(register_line(program_id).replace("--dev-key 0", "--dev-key 3"))
    assert f"{registry.actors.company_a} does not hold the admin role" in said(result)
    assert chain_state(registry, program_id) == before


# ---- complete and terminate ----------------------------------------------------------------------


def test_admin_completes_a_project_with_its_final_report(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = registry.funded_project()
    report = tmp_path / "final-report.txt"
    report.write_text("최종보고서")

    result = cli.ok(f"rnd-registry project complete {project_id} --report {report} --dev-key 0 --json")

    assert json.loads(result.stdout)["record"]["status"] == 2  # completed
    shown = said(cli.ok(f"rnd-registry project show {project_id}"))
    digest = hashlib.sha256(report.read_bytes()).hexdigest()
    assert f"project {project_id} under program" in shown and "— completed" in shown
    assert "status changes: active → completed by" in shown and f"document 0x{digest}" in shown


def test_admin_terminates_a_project_with_a_typed_reason(cli: Cli, registry: RegistryHarness) -> None:
    project_id = registry.funded_project()

    result = cli.ok(f'rnd-registry project terminate {project_id} --reason-text "협약 해지: 기업 포기" --dev-key 0')

    assert f"done: terminate project {project_id}" in said(result)
    assert registry.grants.functions.getProject(project_id).call()[2] == 3  # terminated
    assert "active → terminated" in said(cli.ok(f"rnd-registry project show {project_id}"))


def test_terminate_without_a_reason_is_refused(cli: Cli, registry: RegistryHarness) -> None:
    project_id = registry.funded_project()
    before = chain_state(registry, 1)
    result = cli.fails(f"rnd-registry project terminate {project_id} --dev-key 0")
    assert "a termination reason is required" in said(result)
    assert chain_state(registry, 1) == before


def test_terminate_with_a_missing_reason_file_is_refused(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = registry.funded_project()
    before = chain_state(registry, 1)
    result = cli.fails(f"rnd-registry project terminate {project_id} --reason {tmp_path / 'gone.pdf'} --dev-key 0")
    assert "cannot read" in said(result) and "no such file" in said(result)
    assert chain_state(registry, 1) == before


def test_a_completed_project_cannot_be_terminated(cli: Cli, registry: RegistryHarness) -> None:
    project_id = registry.funded_project()
    cli.ok(f"rnd-registry project complete {project_id} --dev-key 0")
    before = chain_state(registry, 1)
    result = cli.fails(f'rnd-registry project terminate {project_id} --reason-text "late" --dev-key 0')
    assert f"project {project_id} is completed, which does not allow this" in said(result)
    assert chain_state(registry, 1) == before


def test_unknown_project_cannot_be_completed(cli: Cli, registry: RegistryHarness) -> None:
    registry.funded_project()
    before = chain_state(registry, 1)
    result = cli.fails("rnd-registry project complete 99 --dev-key 0")
    assert "error: there is no project 99" in said(result)
    assert chain_state(registry, 1) == before


# ---- show and list -------------------------------------------------------------------------------


def test_show_lists_milestones_and_marks_the_overdue_ones(cli: Cli, registry: RegistryHarness) -> None:
    project_id = registry.funded_project()
    cli.ok(f"rnd-registry milestone plan {project_id} --due 2021-08-31 --tranche 4천만 --dev-key 0")
    cli.ok(f"rnd-registry milestone plan {project_id} --due 2099-12-31 --tranche 6천만 --dev-key 0")

    text = cli.ok(f"rnd-registry project show {project_id}").stdout
    data = json.loads(cli.ok(f"rnd-registry project show {project_id} --json").stdout)

    lines = text.splitlines()
    first = next(line for line in lines if "milestone 1 " in line)
    second = next(line for line in lines if "milestone 2 " in line)
    assert "planned, due 2021-08-31, tranche ₩40,000,000" in first and "OVERDUE" in first
    assert "planned, due 2099-12-31, tranche ₩60,000,000" in second and "OVERDUE" not in second
    assert f"company {COMPANY_A_NAME} {COMPANY_A_ID}" in text
    assert "2 milestone(s) planned, tranches ₩100,000,000" in text
    assert [m["overdue"] for m in data["milestones"]] == [True, False]
    assert data["project"]["company_id"] == COMPANY_A_ID


def test_a_submitted_milestone_is_not_overdue(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = registry.funded_project()
    cli.ok(f"rnd-registry milestone plan {project_id} --due 2021-08-31 --tranche 4천만 --dev-key 0")
    evidence = tmp_path / "evidence.txt"
    evidence.write_text("시제품 시험성적서")
    cli.ok(f"rnd-registry milestone submit {project_id} 1 --evidence {evidence} --dev-key 3")

    data = json.loads(cli.ok(f"rnd-registry project show {project_id} --json").stdout)

    assert data["milestones"][0]["status"] == 2 and data["milestones"][0]["overdue"] is False


def test_show_of_an_unknown_project_says_so(cli: Cli, registry: RegistryHarness) -> None:
    result = cli.fails("rnd-registry project show 99")
    assert said(result) == "error: there is no project 99 [ProjectNotFound(projectId=99)]"
    assert result.exit_code == 1


def test_list_shows_every_project_or_those_of_one_program(cli: Cli, registry: RegistryHarness) -> None:
    first = registry.create_program(name="R&D기획 컨설팅 지원")
    second = registry.create_program(name="신성장동력 R&D사업")
    registry.register_project(first, amount=20_000_000)
    registry.register_project(second)
    registry.register_project(second, amount=50_000_000)

    everything = json.loads(cli.ok("rnd-registry project list --json").stdout)
    of_second = json.loads(cli.ok(f"rnd-registry project list --program {second} --json").stdout)
    table = cli.ok(f"rnd-registry project list --program {second}").stdout

    assert [p["project_id"] for p in everything] == [1, 2, 3]
    assert [(p["project_id"], p["amount"]) for p in of_second] == [(2, 100_000_000), (3, 50_000_000)]
    assert "₩50,000,000" in table and "₩20,000,000" not in table
    assert {p["companyName"] for p in everything} == {COMPANY_A_NAME}
    assert COMPANY_A_NAME in table


def test_list_of_an_unknown_program_says_so(cli: Cli, registry: RegistryHarness) -> None:
    result = cli.fails("rnd-registry project list --program 42")
    assert "error: there is no program 42" in said(result)


def test_a_project_is_registered_with_its_targets_and_show_prints_them(cli: Cli, registry: RegistryHarness) -> None:
    program_id = registry.create_program()
    result = cli.ok(register_line(program_id, extra="--target-papers 2 --target-patents 1 --target-sales 5억 "
                                  "--target-investment 1억 --target-jobs 3"))  # fmt: skip
    assert "targets: 2 paper(s), 1 patent(s), sales ₩500,000,000, investment ₩100,000,000, 3 job(s)" in said(result)
    project_id = registry.grants.functions.projectCount().call()
    (event,) = registry.grants.events.ProjectTargetsSet().get_logs(
        from_block=0, argument_filters={"projectId": project_id}
    )
    assert tuple(dict(event["args"]["targets"]).values()) == TARGETS
    data = json.loads(cli.ok(f"rnd-registry project show {project_id} --json").stdout)
    assert data["targets"] == {"papers": 2, "patents": 1, "sales": 500_000_000, "investment": 100_000_000, "jobs": 3}
    assert data["companyName"] == COMPANY_A_NAME
    assert data["funds"] == {"project_id": project_id, "paid": 0, "returned": 0}
    untargeted = cli.ok(register_line(program_id))
    assert "targets: none set" in said(untargeted)


def test_a_target_out_of_range_is_refused_before_anything_is_sent(cli: Cli, registry: RegistryHarness) -> None:
    program_id = registry.create_program()
    before = chain_state(registry, program_id)
    result = cli.fails(register_line(program_id, extra="--target-papers 70000"))
    assert "--target-papers: 70000 is not a whole number; give a number from 0 to 65535" in said(result)
    assert chain_state(registry, program_id) == before


def test_show_says_which_commercialization_reports_are_due_and_which_late(cli: Cli, registry: RegistryHarness) -> None:
    program = json.loads(cli.ok(
        "rnd-registry program create F --year 2021 --budget 8억 --cap 1억 --follow-up-years 3 --dev-key 0 --json"
    ).stdout)["record"]  # fmt: skip
    cli.ok(register_line(program["program_id"]))  # ended 2021-12-31
    project_id = registry.grants.functions.projectCount().call()
    registry.report(project_id, year=2022)

    text = said(cli.ok(f"rnd-registry project show {project_id}"))
    data = json.loads(cli.ok(f"rnd-registry project show {project_id} --json").stdout)

    # reported for 2021 to 2023, each due by March 31 of the next year; today (2026 or later) is past them all
    assert data["commercialization"] == [
        {"year": 2021, "dueDate": "2022-03-31", "state": "late"},
        {"year": 2022, "dueDate": "2023-03-31", "state": "reported"},
        {"year": 2023, "dueDate": "2024-03-31", "state": "late"},
    ]
    assert "commercialization reports (3 year(s) of follow-up): 2021: LATE (due 2022-03-31); " \
        "2022: reported (due 2023-03-31); 2023: LATE (due 2024-03-31)" in text  # fmt: skip


def test_overdue_is_decided_by_the_clock_the_portal_uses_not_the_chains_newest_block(
    cli: Cli, registry: RegistryHarness
) -> None:
    """The chain's clock can run ahead of (or lag) the wall clock; the CLI, like the project page and the
    statistics, decides at now (UTC), so a milestone due next month is not overdue on any face."""
    project_id = registry.funded_project()
    due = datetime.fromtimestamp(datetime.now(UTC).timestamp() + 30 * DAY, UTC).date().isoformat()
    cli.ok(f"rnd-registry milestone plan {project_id} --due {due} --tranche 1천만 --dev-key 0")
    registry.advance(90 * DAY)  # the chain's newest block is now past the due day

    data = json.loads(cli.ok(f"rnd-registry project show {project_id} --json").stdout)

    assert data["milestones"][0]["overdue"] is False
    as_of = datetime.fromisoformat(data["as_of"]["time"])
    assert abs(as_of.timestamp() - datetime.now(UTC).timestamp()) < 120
    assert registry.now() > as_of.timestamp() + 80 * DAY
