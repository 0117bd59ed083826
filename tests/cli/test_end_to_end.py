"""Each role's work from start to finish, typed as people type it, with keystore accounts.

The city admin opens a program and registers a company's project; the company submits a milestone
with a real file; the auditor rejects it with a reason, the company resubmits, the auditor
approves; the company records a patent and a commercialization report; anyone verifies the
evidence file, and a copy with one byte changed is reported as not anchored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from registry.chain.anvil import free_port
from registry.chain.devkeys import dev_account
from registry.settings import get_settings
from tests.cli.conftest import Cli
from tests.helpers.registry import RegistryHarness

PASSWORD = "grant-office-2021"


@pytest.fixture
def people(cli: Cli, tmp_path: Path) -> Path:
    """Keystores for the city admin, the auditor and a clerk of company A; returns the password file."""
    password_file = tmp_path / "password.txt"
    password_file.write_text(PASSWORD + "\n")
    for label, index in (("city-admin", 0), ("kim-auditor", 1), ("acme-clerk", 3)):
        key_file = tmp_path / f"{label}.key"
        key_file.write_text(dev_account(index).key.hex())
        cli.ok(f"rnd-registry account import {label} --key-file {key_file} --password-file {password_file}")
        key_file.unlink()
    return password_file


def as_(label: str, password_file: Path) -> str:
    return f"--account {label} --password-file {password_file}"


def test_each_role_does_its_work_through_the_cli(
    cli: Cli, people: Path, registry: RegistryHarness, tmp_path: Path
) -> None:
    admin, auditor, clerk = (as_(label, people) for label in ("city-admin", "kim-auditor", "acme-clerk"))

    # The city program office opens a program and registers company A's project.
    program = json.loads(
        cli.ok(
            f'rnd-registry program create "신성장동력 R&D사업" --year 2021 --budget 8억 --cap 100,000,000 '
            f"--field D.N.A. {admin} --json"
        ).stdout
    )["record"]
    assert program["budget"] == 800_000_000
    project = json.loads(
        cli.ok(
            f"rnd-registry project register --program {program['program_id']} --company 131-81-00001 "
            f"--amount 1억 --start 2021-05-01 --end 2021-12-31 {admin} --json"
        ).stdout
    )["record"]
    project_id = project["project_id"]
    cli.ok(f"rnd-registry milestone plan {project_id} --due 2021-08-31 --tranche 4천만 {admin}")

    # The company submits the milestone with its interim report.
    report = tmp_path / "중간보고서.pdf"
    report.write_bytes(b"%PDF-1.4 interim report of the AI data pipeline, first draft\n")
    cli.ok(f"rnd-registry milestone submit {project_id} 1 --evidence {report} {clerk}")

    # The auditor rejects it with a reason; the company resubmits; the auditor approves.
    cli.ok(f'rnd-registry milestone reject {project_id} 1 --reason-text "Test results are missing" {auditor}')
    revised = tmp_path / "중간보고서-v2.pdf"
    revised.write_bytes(b"%PDF-1.4 interim report of the AI data pipeline, with test results\n")
    cli.ok(f"rnd-registry milestone submit {project_id} 1 --evidence {revised} {clerk}")
    cli.ok(f"rnd-registry milestone approve {project_id} 1 {auditor}")
    shown = cli.ok(f"rnd-registry milestone show {project_id} 1").stdout.lower()
    assert "approved" in shown and "rejected" in shown

    # The company records a patent application and a commercialization report.
    receipt = tmp_path / "patent-receipt.pdf"
    receipt.write_bytes(b"KIPO filing receipt 10-2021-0123456\n")
    cli.ok(
        f'rnd-registry outcome add {project_id} --type patent-application --id "10-2021-0123456" '
        f"--evidence {receipt} {clerk}"
    )
    sales = tmp_path / "2022-sales.pdf"
    sales.write_bytes(b"2022 sales ledger summary\n")
    cli.ok(
        f"rnd-registry commercialization report {project_id} --year 2022 --sales 3.5억 --investment 5억 "
        f"--royalties 0 --jobs 4 --evidence {sales} {clerk}"
    )

    # What the chain now says, checked directly.
    grants, outcomes = registry.grants.functions, registry.outcomes.functions
    assert tuple(grants.getMilestone(project_id, 1).call()[0:2]) == (3, 2)  # approved, at the second attempt
    assert outcomes.getOutcome(1).call()[8] == "10-2021-0123456"
    assert tuple(outcomes.getReport(1).call()[4]) == (350_000_000, 500_000_000, 0, 4)

    # Anyone verifies the evidence file; a copy with one byte changed is not anchored.
    found = json.loads(cli.ok(f"rnd-registry verify {revised} --json").stdout)
    assert found["anchored"] is True
    altered = tmp_path / "altered.pdf"
    content = bytearray(revised.read_bytes())
    content[10] ^= 0x01
    altered.write_bytes(bytes(content))
    result = cli.fails(f"rnd-registry verify {altered}")
    assert "not anchored" in result.output
    assert hashlib.sha256(bytes(content)).hexdigest() in result.output


def test_wrong_keystore_password_is_refused_and_nothing_is_sent(
    cli: Cli, people: Path, registry: RegistryHarness, tmp_path: Path
) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the password\n")
    block = registry.w3.eth.block_number
    line = cli.refused(
        "rnd-registry program create X --year 2021 --budget 1억 --cap 1천만 "
        f"--account city-admin --password-file {wrong}"
    )
    assert "password" in line
    assert registry.w3.eth.block_number == block


def test_no_chain_running_is_reported_in_one_line(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RND_RPC_URL", f"http://127.0.0.1:{free_port()}")
    get_settings.cache_clear()
    line = cli.refused("rnd-registry program list")
    assert "no chain answers" in line and "rnd-registry chain up" in line
