"""What a newcomer types wrong in the first hour gets one line in the registry's words, naming the option
as `--help` shows it; what the commands say back reads as people say it; money is never cut."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from registry.cli.output import console
from tests.cli.conftest import Cli
from tests.helpers.registry import RegistryHarness

COMPANY_A_KEY = "--dev-key 3"


@pytest.mark.parametrize("number", ["99", "-1", "10"])
def test_a_dev_key_anvil_does_not_have_is_one_line(cli: Cli, number: str) -> None:
    result = cli.fails(f"rnd-registry program create X --year 2026 --budget 1억 --cap 1억 --dev-key {number}")
    assert result.exit_code == 2
    line = cli.refused(f"rnd-registry program create X --year 2026 --budget 1억 --cap 1억 --dev-key {number}")
    assert line.startswith(f"error: --dev-key: anvil has dev accounts 0 to 9, not {number} (see `")


def test_a_missing_keystore_is_said_before_any_password_is_asked_for(cli: Cli) -> None:
    line = cli.refused("rnd-registry program create X --year 2026 --budget 1억 --cap 1억 -a nobody")
    assert "no keystore named 'nobody'" in line
    assert "password" not in line
    assert "`rnd-registry account new nobody`" in line


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("project show abc", "error: PROJECT_ID: 'abc' is not a project id; give a number such as 3"),
        ("project show -- -4", "error: PROJECT_ID: -4 is not a project id; give a number of at least 1"),
        ("program create X --year 26 --budget 1억 --cap 1억 --dev-key 0",
         "error: --year: 26 is not a year; give four digits such as 2026"),
        ("program create X --year 1999 --budget 1억 --cap 1억 --dev-key 0",
         "error: --year: 1999 is not a year the registry takes; give one from 2000 to 2100"),
        ("commercialization report 1 --year twenty --sales 1 --investment 1 --royalties 1 --jobs 1 "
         "--evidence README.md --dev-key 3",
         "error: --year: 'twenty' is not a year; give four digits such as 2026"),
    ],
)  # fmt: skip
def test_a_refused_value_is_said_in_the_registrys_words_with_the_options_name(
    cli: Cli, command: str, expected: str
) -> None:
    line = cli.refused(f"rnd-registry {command}")
    assert line.startswith(expected), line
    assert "_id" not in line and "Input should" not in line and "Invalid value" not in line


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("program create", ("--budget", "--cap")),
        ("project register", ("--amount",)),
        ("milestone plan", ("--tranche",)),
        ("commercialization report", ("--sales", "--investment", "--royalties")),
    ],
)
def test_every_amount_of_money_says_won_in_help(cli: Cli, command: str, options: tuple[str, ...]) -> None:
    shown = cli.ok(f"rnd-registry {command} --help").stdout.splitlines()
    for option in options:
        (line,) = [line for line in shown if re.match(rf"\W*\*?\s*{option}\s{{2,}}", line)]
        assert "WON" in line and "<int>" not in line, line


def test_an_outcome_type_is_confirmed_in_words(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    evidence = tmp_path / "application.pdf"
    evidence.write_bytes(b"%PDF-1.4 patent application")
    project_id = registry.funded_project()
    done = cli.ok(
        f"rnd-registry outcome add {project_id} --type patent-application --id 10-2021-0123456 "
        f"--evidence {evidence} {COMPANY_A_KEY}"
    )
    assert f"done: record a patent application outcome of project {project_id}" in done.stdout
    updated = cli.ok(f"rnd-registry ip update 1 --status filed --evidence {evidence} {COMPANY_A_KEY}")
    assert "done: set the IP status of outcome 1 to filed" in updated.stdout


def test_sign_names_the_file_it_wrote_in_the_relay_it_suggests(
    cli: Cli, registry: RegistryHarness, tmp_path: Path
) -> None:
    evidence = tmp_path / "application.pdf"
    evidence.write_bytes(b"%PDF-1.4 patent application")
    request = tmp_path / "requests dir" / "req.json"
    request.parent.mkdir()
    project_id = registry.funded_project()
    signed = cli.ok(
        f"rnd-registry sign '{request}' -- outcome add {project_id} --type paper --id 10.1000/182 --journal J "
        f"--evidence {evidence} {COMPANY_A_KEY}"
    )
    assert f"`rnd-registry relay '{request}'`" in " ".join(signed.stdout.split())


@pytest.fixture
def eighty_columns() -> Iterator[None]:
    width = console.width
    console.width = 80
    yield
    console.width = width


def test_program_list_at_80_columns_never_cuts_an_amount(cli: Cli, eighty_columns: None) -> None:
    cli.ok(
        'rnd-registry program create "인천 신성장동력 산업 핵심기술 연구개발 및 사업화 지원사업" --year 2021 '
        "--budget 1,600,000,000,000 --cap 100,000,000,000 --dev-key 0"
    )
    listed = cli.ok("rnd-registry program list").stdout
    assert max(len(line) for line in listed.splitlines()) <= 80, listed
    assert "₩1,600,000,000,000" in listed and "₩100,000,000,000" in listed, listed
    assert "…" not in listed
