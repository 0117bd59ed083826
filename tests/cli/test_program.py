"""`rnd-registry program` as the city program office types it."""

from __future__ import annotations

import json

from tests.cli.conftest import Cli


def test_admin_opens_a_program_with_korean_amounts(cli: Cli) -> None:
    result = cli.ok(
        'rnd-registry program create "신성장동력 R&D사업" --year 2021 --budget 8억 --cap "1억" --dev-key 0 --json'
    )
    program = json.loads(result.stdout)["record"]
    assert program["budget"] == 800_000_000
    assert program["per_project_cap"] == 100_000_000
    shown = cli.ok(f"rnd-registry program show {program['program_id']}")
    assert "₩800,000,000" in shown.stdout


def test_cap_above_budget_is_refused_before_anything_is_sent(cli: Cli) -> None:
    result = cli.fails("rnd-registry program create X --year 2021 --budget 1억 --cap 2억 --dev-key 0")
    assert "cap" in result.output and result.exit_code == 1


def test_malformed_amount_is_refused_with_its_reason(cli: Cli) -> None:
    result = cli.fails("rnd-registry program create X --year 2021 --budget 1억 --cap 2x --dev-key 0")
    assert "not an amount of won" in result.output


def test_company_cannot_open_a_program(cli: Cli) -> None:
    result = cli.fails("rnd-registry program create X --year 2021 --budget 1억 --cap 1천만 --dev-key 3")
    assert "does not hold the admin role" in result.output
