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


def test_a_program_opens_with_its_rules_defaulted_or_given(cli: Cli) -> None:
    default = json.loads(cli.ok("rnd-registry program create A --year 2021 --budget 8억 --cap 1억 --dev-key 0 --json")
                         .stdout)["record"]  # fmt: skip
    shown = json.loads(cli.ok(f"rnd-registry program show {default['program_id']} --json").stdout)
    assert shown["rules"] == {"follow_up_years": 5, "objection_days": 30, "max_restriction_days": 1825,
                              "max_clawback_percent": 100}  # fmt: skip
    given = cli.ok(
        "rnd-registry program create B --year 2021 --budget 8억 --cap 1억 --follow-up-years 3 --objection-days 14 "
        "--max-restriction-days 730 --max-clawback-percent 50 --dev-key 0"
    ).stdout
    assert ("rules: commercialization reported for 3 year(s) after a project ends; objections within 14 day(s); "
            "restriction at most 730 day(s), clawback at most 50% of the grant") in " ".join(given.split())  # fmt: skip
    program_id = default["program_id"] + 1
    text = " ".join(cli.ok(f"rnd-registry program show {program_id}").stdout.split())
    assert "objections within 14 day(s)" in text and "remaining ₩800,000,000" in text


def test_rules_out_of_range_are_refused_before_anything_is_sent(cli: Cli) -> None:
    result = cli.fails("rnd-registry program create X --year 2021 --budget 1억 --cap 1천만 --objection-days 0 -a x")
    assert "--objection-days: 0 is not a whole number; give a number from 1 to 365" in result.output
    assert result.exit_code == 2
    assert json.loads(cli.ok("rnd-registry program list --json").stdout) == []
