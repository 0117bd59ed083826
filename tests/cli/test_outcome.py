"""`rnd-registry outcome` and `rnd-registry ip` as company staff and auditors type them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from registry.domain.enums import IpStatus, OutcomeType
from tests.cli.conftest import Cli, refused_leaving
from tests.helpers.registry import COMPANY_B, RegistryHarness

COMPANY_A_KEY = "--dev-key 3"
COMPANY_B_KEY = "--dev-key 4"
AUDITOR_KEY = "--dev-key 1"


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    path = tmp_path / "filing-receipt.pdf"
    path.write_bytes(b"%PDF-1.4 patent application 10-2021-0123456 filing receipt")
    return path


def chain_state(registry: RegistryHarness) -> tuple[Any, ...]:
    """Everything a refused command must leave as it was: the block height and every outcome."""
    count = registry.outcomes.functions.outcomeCount().call()
    outcomes = [tuple(registry.outcomes.functions.getOutcome(i).call()) for i in range(1, count + 1)]
    return registry.w3.eth.block_number, count, outcomes


def refused(cli: Cli, registry: RegistryHarness, command: str, reason: str) -> Result:
    """Runs a command the registry must refuse: one `error:` line with `reason`, exit 1, nothing changed."""
    return refused_leaving(cli, lambda: chain_state(registry), command, reason, exit_code=1)


def rejected_input(cli: Cli, registry: RegistryHarness, command: str, reason: str) -> Result:
    """Runs a command with invalid input: one `error:` line naming `reason`, exit 2, nothing changed."""
    return refused_leaving(cli, lambda: chain_state(registry), command, reason, exit_code=2)


#: What identifies an outcome of each type the tests record.
IDENTIFIED = {
    "patent-application": "--id 10-2021-0123456",
    "paper": "--id https://doi.org/10.1000/182 --journal 'Journal of Grants' --sci",
    "software": "--id C-2022-001234",
}


def add_outcome(cli: Cli, project_id: int, evidence: Path, *, kind: str = "patent-application") -> dict[str, Any]:
    result = cli.ok(
        f"rnd-registry outcome add {project_id} --type {kind} {IDENTIFIED[kind]} --evidence {evidence} "
        f"{COMPANY_A_KEY} --json"
    )
    record: dict[str, Any] = json.loads(result.stdout)["record"]
    return record


def test_company_records_a_patent_application_credited_to_its_account(
    cli: Cli, registry: RegistryHarness, evidence: Path
) -> None:
    project_id = registry.funded_project()
    outcome = add_outcome(cli, project_id, evidence)
    assert outcome["project_id"] == project_id
    assert outcome["outcome_type"] == OutcomeType.PATENT_APPLICATION
    assert outcome["external_id"] == "10-2021-0123456"
    assert outcome["ip_status"] == IpStatus.NONE
    (event,) = registry.outcomes.events.OutcomeAdded().get_logs(from_block=0)
    assert event["args"]["submitter"] == registry.actors.company_a
    assert event["args"]["outcomeId"] == outcome["outcome_id"]

    shown = cli.ok(f"rnd-registry outcome show {outcome['outcome_id']}")
    assert "patent-application 10-2021-0123456" in shown.stdout
    assert "OutcomeAdded" in shown.stdout


def test_amendment_keeps_the_original_and_show_lists_the_chain(
    cli: Cli, registry: RegistryHarness, evidence: Path
) -> None:
    project_id = registry.funded_project()
    original = add_outcome(cli, project_id, evidence)
    amended = json.loads(
        cli.ok(
            f"rnd-registry outcome amend {original['outcome_id']} --id 10-2021-0123457 "
            f'--reason-text "typo in the application number" {COMPANY_A_KEY} --json'
        ).stdout
    )["record"]
    # what was left out is copied from the original
    assert amended["amends"] == original["outcome_id"]
    assert amended["outcome_type"] == OutcomeType.PATENT_APPLICATION
    assert amended["evidence_hash"] == original["evidence_hash"]
    assert amended["external_id"] == "10-2021-0123457"

    shown = json.loads(cli.ok(f"rnd-registry outcome show {original['outcome_id']} --json").stdout)
    assert shown["outcome"]["amended_by"] == amended["outcome_id"]
    assert [o["outcome_id"] for o in shown["amendmentChain"]] == [original["outcome_id"], amended["outcome_id"]]
    assert [e["event"] for e in shown["history"]] == ["OutcomeAdded", "OutcomeAmended"]
    assert shown["history"][1]["submitter"] == registry.actors.company_a
    text = cli.ok(f"rnd-registry outcome show {amended['outcome_id']}").stdout
    assert f"amendment chain: {original['outcome_id']} → {amended['outcome_id']}" in text
    assert f"corrects outcome {original['outcome_id']}" in text

    refused(cli, registry,
            f"rnd-registry outcome amend {original['outcome_id']} --id 10-2021-0123458 --reason-text again "
            f"{COMPANY_A_KEY}",
            f"outcome {original['outcome_id']} was already corrected by outcome {amended['outcome_id']}")  # fmt: skip


def test_ip_status_moves_forward_and_show_lists_its_history(
    cli: Cli, registry: RegistryHarness, evidence: Path
) -> None:
    outcome_id = add_outcome(cli, registry.funded_project(), evidence)["outcome_id"]
    cli.ok(f"rnd-registry ip update {outcome_id} --status filed --evidence {evidence} {COMPANY_A_KEY}")
    registered = cli.ok(
        f"rnd-registry ip update {outcome_id} --status registered --evidence {evidence} {COMPANY_A_KEY}"
    )
    assert "IP status registered" in registered.stdout
    shown = cli.ok(f"rnd-registry outcome show {outcome_id}").stdout
    assert "IP status history: none → filed → registered" in shown

    refused(cli, registry,
            f"rnd-registry ip update {outcome_id} --status filed --evidence {evidence} {COMPANY_A_KEY}",
            f"the IP status of outcome {outcome_id} cannot go from registered to filed")  # fmt: skip


def test_a_paper_has_no_ip_status(cli: Cli, registry: RegistryHarness, evidence: Path) -> None:
    outcome_id = add_outcome(cli, registry.funded_project(), evidence, kind="paper")["outcome_id"]
    refused(cli, registry,
            f"rnd-registry ip update {outcome_id} --status filed --evidence {evidence} {COMPANY_A_KEY}",
            f"outcome {outcome_id} is a paper, which has no IP status")  # fmt: skip


def test_auditor_revokes_an_outcome_which_stays_visible_with_its_reason(
    cli: Cli, registry: RegistryHarness, evidence: Path
) -> None:
    outcome_id = add_outcome(cli, registry.funded_project(), evidence)["outcome_id"]
    revoked = cli.ok(f'rnd-registry outcome revoke {outcome_id} --reason-text "duplicate of outcome 3" {AUDITOR_KEY}')
    assert "— revoked" in revoked.stdout
    shown = json.loads(cli.ok(f"rnd-registry outcome show {outcome_id} --json").stdout)
    assert shown["outcome"]["revoked"] is True
    assert shown["history"][-1]["event"] == "OutcomeRevocation"
    assert shown["history"][-1]["actor"] == registry.actors.auditor

    refused(cli, registry, f"rnd-registry outcome revoke {outcome_id} --reason-text again {AUDITOR_KEY}",
            f"outcome {outcome_id} was revoked and cannot change")  # fmt: skip


def test_missing_evidence_file_is_refused_before_anything_is_sent(
    cli: Cli, registry: RegistryHarness, tmp_path: Path
) -> None:
    project_id = registry.funded_project()
    refused(cli, registry,
            f"rnd-registry outcome add {project_id} --type paper {IDENTIFIED['paper']} "
            f"--evidence {tmp_path / 'nope.pdf'} {COMPANY_A_KEY}",
            "nope.pdf: no such file")  # fmt: skip


def test_unknown_outcome_type_is_refused_with_the_choices(cli: Cli, registry: RegistryHarness, evidence: Path) -> None:
    project_id = registry.funded_project()
    rejected_input(cli, registry,
                   f"rnd-registry outcome add {project_id} --type invention --evidence {evidence} {COMPANY_A_KEY}",
                   "'invention' is not an outcome type; choose one of paper, patent-application")  # fmt: skip


def test_unknown_ip_status_is_refused(cli: Cli, registry: RegistryHarness, evidence: Path) -> None:
    outcome_id = add_outcome(cli, registry.funded_project(), evidence)["outcome_id"]
    rejected_input(cli, registry,
                   f"rnd-registry ip update {outcome_id} --status granted --evidence {evidence} {COMPANY_A_KEY}",
                   "'granted' is not an IP status")  # fmt: skip


def test_unknown_outcome_is_refused(cli: Cli, registry: RegistryHarness, evidence: Path) -> None:
    refused(cli, registry, "rnd-registry outcome show 99", "there is no outcome 99")
    refused(
        cli, registry, f"rnd-registry outcome amend 99 --reason-text typo {COMPANY_A_KEY}", "there is no outcome 99"
    )
    refused(cli, registry, f"rnd-registry outcome revoke 99 --reason-text x {COMPANY_A_KEY}", "there is no outcome 99")
    refused(cli, registry, f"rnd-registry ip update 99 --status filed --evidence {evidence} {COMPANY_A_KEY}",
            "there is no outcome 99")  # fmt: skip


def test_company_b_cannot_record_or_change_company_a_outcomes(
    cli: Cli, registry: RegistryHarness, evidence: Path
) -> None:
    project_id = registry.funded_project()
    outcome_id = add_outcome(cli, project_id, evidence)["outcome_id"]
    company_b = registry.actors.company_b
    not_theirs = f"{company_b} does not act for the company of project {project_id}"
    refused(cli, registry,
            f"rnd-registry outcome add {project_id} --type paper {IDENTIFIED['paper']} --evidence {evidence} "
            f"{COMPANY_B_KEY}",
            not_theirs)  # fmt: skip
    refused(cli, registry,
            f"rnd-registry outcome amend {outcome_id} --id 10-2021-0999999 --reason-text mine {COMPANY_B_KEY}",
            not_theirs)  # fmt: skip
    refused(cli, registry, f"rnd-registry outcome revoke {outcome_id} --reason-text mine {COMPANY_B_KEY}", not_theirs)
    refused(cli, registry,
            f"rnd-registry ip update {outcome_id} --status filed --evidence {evidence} {COMPANY_B_KEY}",
            not_theirs)  # fmt: skip
    # company B's own project works
    own = registry.funded_project(company=COMPANY_B)
    cli.ok(f"rnd-registry outcome add {own} --type software --id C-2022-001234 --evidence {evidence} {COMPANY_B_KEY}")


def test_a_reason_is_required_to_amend_or_revoke(cli: Cli, registry: RegistryHarness, evidence: Path) -> None:
    outcome_id = add_outcome(cli, registry.funded_project(), evidence)["outcome_id"]
    rejected_input(cli, registry, f"rnd-registry outcome revoke {outcome_id} {COMPANY_A_KEY}", "a reason is required")
    rejected_input(cli, registry, f"rnd-registry outcome amend {outcome_id} --id X {COMPANY_A_KEY}",
                   "a reason is required")  # fmt: skip


def recorded_details(registry: RegistryHarness, outcome_id: int) -> dict[str, Any]:
    (event,) = registry.outcomes.events.OutcomeDetailsRecorded().get_logs(
        from_block=0, argument_filters={"outcomeId": outcome_id}
    )
    return dict(event["args"]["details"])


def test_a_paper_is_recorded_with_its_doi_normalised_journal_and_sci_flag(
    cli: Cli, registry: RegistryHarness, evidence: Path
) -> None:
    outcome = add_outcome(cli, registry.funded_project(), evidence, kind="paper")
    assert outcome["external_id"] == "10.1000/182"  # https://doi.org/ taken off
    assert recorded_details(registry, outcome["outcome_id"]) == {
        "venue": "Journal of Grants", "country": "", "counterparty": "", "date": 0, "amount": 0, "sciIndexed": True,
    }  # fmt: skip
    shown = cli.ok(f"rnd-registry outcome show {outcome['outcome_id']}").stdout
    assert "paper 10.1000/182 of project" in shown and "journal Journal of Grants, SCI(E)-indexed" in shown
    data = json.loads(cli.ok(f"rnd-registry outcome show {outcome['outcome_id']} --json").stdout)
    assert data["details"]["venue"] == "Journal of Grants" and data["details"]["sci_indexed"] is True


def test_a_technology_transfer_is_recorded_with_its_contract_date_licensee_and_fee(
    cli: Cli, registry: RegistryHarness, evidence: Path
) -> None:
    project_id = registry.funded_project()
    result = cli.ok(
        f"rnd-registry outcome add {project_id} --type technology-transfer --contract-date 2022-03-02 "
        f"--licensee '(주)가온테크' --fee 3천만 --evidence {evidence} {COMPANY_A_KEY}"
    )
    assert "licensee (주)가온테크, contract date 2022-03-02, fee ₩30,000,000" in " ".join(result.stdout.split())
    outcome_id = registry.outcomes.functions.outcomeCount().call()
    assert recorded_details(registry, outcome_id) == {
        "venue": "", "country": "", "counterparty": "(주)가온테크", "date": 1646179200, "amount": 30_000_000,
        "sciIndexed": False,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ("--type paper --id 10.1000 --journal J", "--id: '10.1000' is not valid: a DOI is 10.NNNN/suffix"),
        ("--type paper --id 10.1000/182", "--journal: a paper needs its journal: give --journal"),
        ("--type paper --id 10.1000/182 --journal J --fee 1만", "--fee: a paper records no fee; leave --fee out"),
        ("--type patent-application --id 10-21-0123456", "a Korean (KIPO) patent application number is 10-YYYY"),
        ("--type patent-application --id 17/123456 --country USA", "--country: 'USA' is not a country"),
        ("--type software --id 2022-001234", "is C-YYYY-NNNNNN, e.g. C-2021-012345"),
        ("--type technology-transfer --licensee A --fee 1만", "--contract-date: a technology transfer needs its"),
        ("--type certification --id KC-1", "--body: a certification needs its certifying body: give --body"),
    ],
)
def test_details_not_in_their_types_form_are_refused_before_anything_is_sent(
    cli: Cli, registry: RegistryHarness, evidence: Path, options: str, reason: str
) -> None:
    project_id = registry.funded_project()
    result = rejected_input(cli, registry, f"rnd-registry outcome add {project_id} {options} --evidence {evidence} "
                            f"{COMPANY_A_KEY}", reason)  # fmt: skip
    assert "(see `rnd-registry outcome add --help`)" in result.stderr


def test_a_correction_keeps_the_details_of_its_type_and_drops_another_types(
    cli: Cli, registry: RegistryHarness, evidence: Path
) -> None:
    original = add_outcome(cli, registry.funded_project(), evidence, kind="paper")
    same = json.loads(cli.ok(
        f"rnd-registry outcome amend {original['outcome_id']} --journal 'Grants Quarterly' --reason-text journal "
        f"{COMPANY_A_KEY} --json").stdout)["record"]  # fmt: skip
    assert same["external_id"] == "10.1000/182"
    assert recorded_details(registry, same["outcome_id"])["venue"] == "Grants Quarterly"
    assert recorded_details(registry, same["outcome_id"])["sciIndexed"] is True  # copied
    # a paper's journal is no detail of software: to another type the details are not carried over
    other = json.loads(cli.ok(
        f"rnd-registry outcome amend {same['outcome_id']} --type software --id c-2022-000777 --reason-text type "
        f"{COMPANY_A_KEY} --json").stdout)["record"]  # fmt: skip
    assert other["external_id"] == "C-2022-000777"
    assert recorded_details(registry, other["outcome_id"]) == {
        "venue": "", "country": "", "counterparty": "", "date": 0, "amount": 0, "sciIndexed": False,
    }  # fmt: skip
    # and a correction is checked as an outcome is
    rejected_input(cli, registry,
                   f"rnd-registry outcome amend {other['outcome_id']} --id C-1 --reason-text x {COMPANY_A_KEY}",
                   "--id: 'C-1' is not valid")  # fmt: skip
