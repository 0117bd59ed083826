"""`rnd-registry commercialization` as company staff and auditors type it."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from registry.domain.enums import ReportStatus
from tests.cli.conftest import Cli, refused_leaving
from tests.helpers.registry import RegistryHarness

COMPANY_A_KEY = "--dev-key 3"
COMPANY_B_KEY = "--dev-key 4"
AUDITOR_KEY = "--dev-key 1"


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    path = tmp_path / "financial-statements-2022.pdf"
    path.write_bytes(b"%PDF-1.4 audited financial statements 2022")
    return path


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the clerk runs commands in: reveal files land here."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def chain_state(registry: RegistryHarness) -> tuple[Any, ...]:
    """Everything a refused command must leave as it was: the block height and every report."""
    count = registry.outcomes.functions.reportCount().call()
    reports = [registry.outcomes.functions.getReport(i).call() for i in range(1, count + 1)]
    return registry.w3.eth.block_number, count, reports


def refused(cli: Cli, registry: RegistryHarness, command: str, reason: str) -> Result:
    """Runs a command the registry must refuse: one `error:` line with `reason`, exit 1, nothing changed."""
    return refused_leaving(cli, lambda: chain_state(registry), command, reason, exit_code=1)


def rejected_input(cli: Cli, registry: RegistryHarness, command: str, reason: str) -> Result:
    """Runs a command with invalid input: one `error:` line naming `reason`, exit 2, nothing changed."""
    return refused_leaving(cli, lambda: chain_state(registry), command, reason, exit_code=2)


def record(result: Result) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(result.stdout)["record"]
    return found


def test_company_reports_figures_typed_the_korean_way(cli: Cli, registry: RegistryHarness, evidence: Path) -> None:
    project_id = registry.funded_project()
    report = record(
        cli.ok(
            f"rnd-registry commercialization report {project_id} --year 2022 --sales 3.5억 "
            f"--investment 500,000,000 --royalties 1200만 --jobs 4 --evidence {evidence} {COMPANY_A_KEY} --json"
        )
    )
    assert report["status"] == ReportStatus.REPORTED
    assert report["figures"] == {"sales": 350_000_000, "investment": 500_000_000, "royalties": 12_000_000, "jobs": 4}
    (event,) = registry.outcomes.events.CommercializationReported().get_logs(from_block=0)
    assert event["args"]["submitter"] == registry.actors.company_a
    assert dict(event["args"]["figures"]) == report["figures"]

    shown = cli.ok(f"rnd-registry commercialization show {report['report_id']}").stdout
    assert "sales ₩350,000,000 (3억 5,000만 원)" in shown
    assert "CommercializationReported by " + registry.actors.company_a in shown


def test_committed_figures_stay_hidden_until_revealed_then_an_auditor_verifies_them(
    cli: Cli, registry: RegistryHarness, evidence: Path, workdir: Path
) -> None:
    project_id = registry.funded_project()
    committed = cli.ok(
        f"rnd-registry commercialization commit {project_id} --year 2022 --sales 3.5억 --jobs 4 "
        f"--evidence {evidence} {COMPANY_A_KEY} --json"
    )
    report = record(committed)
    reveal_file = workdir / f"report-{project_id}-2022.reveal.json"
    assert f"keep {reveal_file.name} private" in committed.stderr
    assert stat.S_IMODE(reveal_file.stat().st_mode) == 0o600
    kept = json.loads(reveal_file.read_text())
    assert kept["figures"] == {"sales": 350_000_000, "investment": 0, "royalties": 0, "jobs": 4}
    assert report["status"] == ReportStatus.COMMITTED
    assert report["commitment"] == kept["commitment"]
    assert report["figures"] == {"sales": 0, "investment": 0, "royalties": 0, "jobs": 0}  # nothing disclosed yet
    assert "figures hidden" in cli.ok(f"rnd-registry commercialization show {report['report_id']}").stdout

    revealed = record(
        cli.ok(
            f"rnd-registry commercialization reveal {report['report_id']} --reveal-file {reveal_file.name} "
            f"{COMPANY_A_KEY} --json"
        )
    )
    assert revealed["status"] == ReportStatus.REPORTED
    assert revealed["figures"]["sales"] == 350_000_000

    verified = record(
        cli.ok(
            f'rnd-registry commercialization verify {report["report_id"]} --note-text "matches" {AUDITOR_KEY} --json'
        )
    )
    assert verified["status"] == ReportStatus.VERIFIED
    shown = json.loads(cli.ok(f"rnd-registry commercialization show {report['report_id']} --json").stdout)
    assert [e["event"] for e in shown["history"]] == [
        "CommercializationCommitted",
        "CommercializationRevealed",
        "CommercializationVerified",
    ]
    assert shown["history"][2]["auditor"] == registry.actors.auditor


def test_reveal_with_a_wrong_salt_is_refused(
    cli: Cli, registry: RegistryHarness, evidence: Path, workdir: Path
) -> None:
    project_id = registry.funded_project()
    report_id = record(
        cli.ok(
            f"rnd-registry commercialization commit {project_id} --year 2022 --sales 3.5억 --evidence {evidence} "
            f"{COMPANY_A_KEY} --json"
        )
    )["report_id"]
    kept = json.loads((workdir / f"report-{project_id}-2022.reveal.json").read_text())
    wrong = workdir / "wrong.reveal.json"
    wrong.write_text(json.dumps({**kept, "salt": "0x" + "11" * 32}))
    refused(cli, registry,
            f"rnd-registry commercialization reveal {report_id} --reveal-file {wrong} {COMPANY_A_KEY}",
            f"the figures and salt in {wrong} do not match what report {report_id} committed to")  # fmt: skip
    inflated = workdir / "inflated.reveal.json"
    inflated.write_text(json.dumps({**kept, "figures": {**kept["figures"], "sales": 10**10}}))
    refused(cli, registry,
            f"rnd-registry commercialization reveal {report_id} --reveal-file {inflated} {COMPANY_A_KEY}",
            "do not match")  # fmt: skip
    refused(cli, registry,
            f"rnd-registry commercialization reveal {report_id} --reveal-file {workdir / 'none.json'} {COMPANY_A_KEY}",
            "none.json: no such file")  # fmt: skip
    garbled = workdir / "garbled.reveal.json"
    garbled.write_text(json.dumps({**kept, "salt": "0x1234"}))
    refused(cli, registry,
            f"rnd-registry commercialization reveal {report_id} --reveal-file {garbled} {COMPANY_A_KEY}",
            "is not a valid reveal file: salt: a hash is 32 bytes")  # fmt: skip


def test_commit_never_overwrites_a_reveal_file_and_a_refused_commit_leaves_none(
    cli: Cli, registry: RegistryHarness, evidence: Path, workdir: Path
) -> None:
    project_id = registry.funded_project()
    kept = workdir / f"report-{project_id}-2022.reveal.json"
    kept.write_text("{}")
    refused(cli, registry,
            f"rnd-registry commercialization commit {project_id} --year 2022 --sales 1억 --evidence {evidence} "
            f"{COMPANY_A_KEY}",
            "already exists and may hold the salt of an earlier commitment")  # fmt: skip
    assert kept.read_text() == "{}"

    refused(cli, registry,
            f"rnd-registry commercialization commit {project_id} --year 2023 --sales 1억 --evidence {evidence} "
            f"{COMPANY_B_KEY}",
            f"does not act for the company of project {project_id}")  # fmt: skip
    assert not (workdir / f"report-{project_id}-2023.reveal.json").exists()


def test_a_disputed_report_can_be_filed_again_but_a_standing_one_cannot(
    cli: Cli, registry: RegistryHarness, evidence: Path
) -> None:
    project_id = registry.funded_project()
    report = f"rnd-registry commercialization report {project_id} --year 2022 --sales 1억 --evidence {evidence}"
    first = record(cli.ok(f"{report} {COMPANY_A_KEY} --json"))["report_id"]
    refused(cli, registry, f"{report} {COMPANY_A_KEY}", f"report {first} already stands for project {project_id}")
    disputed = record(
        cli.ok(
            f'rnd-registry commercialization dispute {first} --reason-text "sales double-counted" {AUDITOR_KEY} --json'
        )
    )
    assert disputed["status"] == ReportStatus.DISPUTED
    second = record(cli.ok(f"{report} {COMPANY_A_KEY} --json"))["report_id"]
    shown = cli.ok(f"rnd-registry commercialization show {first}").stdout
    assert "replaced by report " + str(second) in shown
    assert "> sales double-counted" in shown  # the reason as typed, under its hash


def test_malformed_amount_is_refused_with_its_reason(cli: Cli, registry: RegistryHarness, evidence: Path) -> None:
    project_id = registry.funded_project()
    rejected_input(cli, registry,
                   f"rnd-registry commercialization report {project_id} --year 2022 --sales 3.5억원x "
                   f"--evidence {evidence} {COMPANY_A_KEY}",
                   "'3.5억원x' is not an amount of won")  # fmt: skip
    rejected_input(cli, registry,
                   f"rnd-registry commercialization report {project_id} --year 2022 --jobs 2.5 "
                   f"--evidence {evidence} {COMPANY_A_KEY}",
                   "--jobs")  # fmt: skip


def test_missing_evidence_file_is_refused(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    project_id = registry.funded_project()
    refused(cli, registry,
            f"rnd-registry commercialization report {project_id} --year 2022 --sales 1억 "
            f"--evidence {tmp_path / 'missing.pdf'} {COMPANY_A_KEY}",
            "missing.pdf: no such file")  # fmt: skip


def test_unknown_report_is_refused(cli: Cli, registry: RegistryHarness, evidence: Path, workdir: Path) -> None:
    missing = "there is no commercialization report 99"
    refused(cli, registry, "rnd-registry commercialization show 99", missing)
    refused(cli, registry, f"rnd-registry commercialization verify 99 {AUDITOR_KEY}", missing)
    refused(cli, registry, f"rnd-registry commercialization dispute 99 --reason-text x {AUDITOR_KEY}", missing)
    kept = workdir / "kept.reveal.json"
    kept.write_text(json.dumps({
        "format": "rnd-registry-commercialization-reveal/1", "chainId": 31337, "projectId": 1, "year": 2022,
        "figures": {"sales": 1, "investment": 0, "royalties": 0, "jobs": 0},
        "salt": "0x" + "22" * 32, "commitment": "0x" + "33" * 32,
    }))  # fmt: skip
    refused(cli, registry, f"rnd-registry commercialization reveal 99 --reveal-file {kept} {COMPANY_A_KEY}", missing)


def test_company_b_cannot_report_for_company_a(cli: Cli, registry: RegistryHarness, evidence: Path) -> None:
    project_id = registry.funded_project()
    refused(cli, registry,
            f"rnd-registry commercialization report {project_id} --year 2022 --sales 1억 --evidence {evidence} "
            f"{COMPANY_B_KEY}",
            f"{registry.actors.company_b} does not act for the company of project {project_id}")  # fmt: skip


def test_only_an_auditor_verifies_or_disputes(cli: Cli, registry: RegistryHarness, evidence: Path) -> None:
    project_id = registry.funded_project()
    report_id = registry.report(project_id)
    refused(cli, registry, f"rnd-registry commercialization verify {report_id} {COMPANY_A_KEY}",
            f"{registry.actors.company_a} does not hold the auditor role")  # fmt: skip
    refused(cli, registry, f"rnd-registry commercialization dispute {report_id} --reason-text no {COMPANY_A_KEY}",
            "does not hold the auditor role")  # fmt: skip
    rejected_input(cli, registry, f"rnd-registry commercialization dispute {report_id} {AUDITOR_KEY}",
                   "a reason is required")  # fmt: skip
