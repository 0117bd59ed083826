"""`rnd-registry sign` and `rnd-registry relay`: signed on one machine, sent by another account,
recorded in the signer's name, once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from registry.domain.enums import MilestoneStatus
from tests.cli.conftest import Cli
from tests.helpers.registry import RegistryHarness

COMPANY_A_KEY = "--dev-key 3"
COMPANY_B_KEY = "--dev-key 4"
RELAYER_KEY = "--dev-key 6"
#: What identifies a paper: its DOI and journal.
PAPER = "--id 10.1000/182 --journal J"


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    path = tmp_path / "prototype-report.pdf"
    path.write_bytes(b"%PDF-1.4 prototype test report")
    return path


def chain_state(registry: RegistryHarness) -> tuple[Any, ...]:
    """What a refused relay must leave as it was: the block height, the signers' nonces, the records."""
    nonces = [
        registry.forwarder.functions.nonces(a).call() for a in (registry.actors.company_a, registry.actors.company_b)
    ]
    counts = (registry.outcomes.functions.outcomeCount().call(), registry.outcomes.functions.reportCount().call())
    return registry.w3.eth.block_number, nonces, counts


def refused(cli: Cli, registry: RegistryHarness, command: str, reason: str) -> Result:
    """Runs a command that must be refused: one `error:` line with `reason`, exit 1, nothing changed."""
    before = chain_state(registry)
    result = cli.fails(command)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    assert reason in errors[0], errors[0]
    assert chain_state(registry) == before
    return result


def sign_outcome(cli: Cli, registry: RegistryHarness, request: Path, project_id: int, evidence: Path,
                 *, key: str = COMPANY_A_KEY, valid_for: str = "1h") -> dict[str, Any]:  # fmt: skip
    before = chain_state(registry)
    result = cli.ok(
        f"rnd-registry sign {request} --valid-for {valid_for} -- outcome add {project_id} --type patent-application "
        f"--id 10-2021-0123456 --evidence {evidence} {key} --json"
    )
    assert chain_state(registry) == before, "signing sends nothing"
    signed: dict[str, Any] = json.loads(result.stdout)
    return signed


def test_outcome_signed_by_company_a_and_relayed_is_recorded_in_its_name_once(
    cli: Cli, registry: RegistryHarness, evidence: Path, tmp_path: Path
) -> None:
    project_id = registry.funded_project()
    request = tmp_path / "request.json"
    signed = sign_outcome(cli, registry, request, project_id, evidence)
    assert signed["signer"] == registry.actors.company_a
    assert json.loads(request.read_text())["signature"] == signed["signature"]

    relayed = json.loads(cli.ok(f"rnd-registry relay {request} {RELAYER_KEY} --json").stdout)
    assert relayed["signer"] == registry.actors.company_a
    assert relayed["relayer"] == registry.actors.relayer
    added = next(e for e in relayed["events"] if e["event"] == "OutcomeAdded")
    assert added["contract"] == "OutcomeRegistry"
    assert added["args"]["submitter"] == registry.actors.company_a
    assert added["args"]["externalId"] == "10-2021-0123456"

    # on chain: the relayer sent the transaction, the registry credited company A
    (event,) = registry.outcomes.events.OutcomeAdded().get_logs(from_block=0)
    assert event["args"]["submitter"] == registry.actors.company_a
    assert registry.w3.eth.get_transaction(event["transactionHash"])["from"] == registry.actors.relayer
    assert "0x" + bytes(event["transactionHash"]).hex() == relayed["transactionHash"]
    assert registry.forwarder.functions.nonces(registry.actors.company_a).call() == 1

    refused(cli, registry, f"rnd-registry relay {request} {RELAYER_KEY}", "was already relayed")


def test_milestone_submission_signed_by_company_a_is_credited_to_it(
    cli: Cli, registry: RegistryHarness, evidence: Path, tmp_path: Path
) -> None:
    project_id = registry.funded_project()
    index = registry.plan_milestone(project_id)
    request = tmp_path / "submission.json"
    cli.ok(
        f"rnd-registry sign {request} -- milestone submit {project_id} {index} --evidence {evidence} {COMPANY_A_KEY}"
    )
    relayed = cli.ok(f"rnd-registry relay {request} {RELAYER_KEY}")
    assert "MilestoneSubmitted(" in relayed.stdout
    assert f"submitter={registry.actors.company_a}" in relayed.stdout

    (event,) = registry.grants.events.MilestoneSubmitted().get_logs(from_block=0)
    assert event["args"]["submitter"] == registry.actors.company_a
    assert (event["args"]["projectId"], event["args"]["milestoneIndex"]) == (project_id, index)
    status = registry.grants.functions.getMilestone(project_id, index).call()[0]
    assert status == MilestoneStatus.SUBMITTED

    refused(cli, registry, f"rnd-registry relay {request} {RELAYER_KEY}", "was already relayed")


def test_an_expired_request_is_refused(cli: Cli, registry: RegistryHarness, evidence: Path, tmp_path: Path) -> None:
    request = tmp_path / "request.json"
    sign_outcome(cli, registry, request, registry.funded_project(), evidence, valid_for="10m")
    registry.advance(3600)
    refused(cli, registry, f"rnd-registry relay {request} {RELAYER_KEY}", "the signed request expired at")


def test_a_tampered_request_is_refused(cli: Cli, registry: RegistryHarness, evidence: Path, tmp_path: Path) -> None:
    request = tmp_path / "request.json"
    sign_outcome(cli, registry, request, registry.funded_project(), evidence)
    content = json.loads(request.read_text())

    changed_call = tmp_path / "changed-call.json"
    data = content["data"]
    changed_call.write_text(json.dumps({**content, "data": data[:-2] + ("00" if data[-2:] != "00" else "01")}))
    refused(
        cli, registry, f"rnd-registry relay {changed_call} {RELAYER_KEY}", "the signature does not match the request"
    )

    claimed_by_b = tmp_path / "claimed-by-b.json"
    claimed_by_b.write_text(json.dumps({**content, "signer": registry.actors.company_b}))
    refused(cli, registry, f"rnd-registry relay {claimed_by_b} {RELAYER_KEY}", "the signature does not match")

    other_chain = tmp_path / "other-chain.json"
    other_chain.write_text(json.dumps({**content, "chainId": 1}))
    refused(cli, registry, f"rnd-registry relay {other_chain} {RELAYER_KEY}", "this request was signed for chain 1")

    # the untouched request still works
    cli.ok(f"rnd-registry relay {request} {RELAYER_KEY}")


def test_a_file_that_is_not_a_signed_request_is_refused(cli: Cli, registry: RegistryHarness, tmp_path: Path) -> None:
    not_json = tmp_path / "notes.txt"
    not_json.write_text("meeting notes")
    refused(cli, registry, f"rnd-registry relay {not_json} {RELAYER_KEY}", "is not a signed request")
    other_json = tmp_path / "other.json"
    other_json.write_text('{"format": "something-else"}')
    refused(cli, registry, f"rnd-registry relay {other_json} {RELAYER_KEY}", "not a signed request written by")
    incomplete = tmp_path / "incomplete.json"
    incomplete.write_text(json.dumps({"format": "rnd-registry-signed-request/1", "signer": "0x12"}))
    refused(cli, registry, f"rnd-registry relay {incomplete} {RELAYER_KEY}", "is not a valid signed request: signer")
    refused(cli, registry, f"rnd-registry relay {tmp_path / 'absent.json'} {RELAYER_KEY}", "absent.json: no such file")


def test_sign_refuses_what_the_registry_would_refuse_and_writes_no_file(
    cli: Cli, registry: RegistryHarness, evidence: Path, tmp_path: Path
) -> None:
    project_id = registry.funded_project()
    request = tmp_path / "request.json"
    refused(cli, registry,
            f"rnd-registry sign {request} -- outcome add {project_id} --type paper {PAPER} --evidence {evidence} "
            f"{COMPANY_B_KEY}",
            f"{registry.actors.company_b} does not act for the company of project {project_id}")  # fmt: skip
    assert not request.exists()


def test_a_request_the_registry_no_longer_accepts_is_refused_on_relay(
    cli: Cli, registry: RegistryHarness, evidence: Path, tmp_path: Path
) -> None:
    project_id = registry.funded_project()
    request = tmp_path / "request.json"
    sign_outcome(cli, registry, request, project_id, evidence)
    # Between signing and relaying, the city unbinds the clerk's account from the company.
    registry.send(registry.actors.admin, registry.grants.functions.unbindCompanyAccount(registry.actors.company_a))
    refused(cli, registry, f"rnd-registry relay {request} {RELAYER_KEY}",
            f"{registry.actors.company_a} does not act for the company of project {project_id}")  # fmt: skip


def test_sign_refuses_what_it_cannot_sign_and_writes_no_file(
    cli: Cli, registry: RegistryHarness, evidence: Path, tmp_path: Path
) -> None:
    project_id = registry.funded_project()
    request = tmp_path / "request.json"
    refused(cli, registry, f"rnd-registry sign {request} -- program show 1", "records nothing")
    refused(cli, registry,
            f"rnd-registry sign {request} -- outcome add {project_id} --type paper {PAPER} "
            f"--evidence {tmp_path / 'missing.pdf'} {COMPANY_A_KEY}",
            "missing.pdf: no such file")  # fmt: skip
    refused(cli, registry, f"rnd-registry sign {request} --", "say which command to sign")
    assert not request.exists()

    bad_type = cli.fails(f"rnd-registry sign {request} -- outcome add {project_id} --type poem --evidence {evidence}")
    assert bad_type.exit_code == 2
    assert bad_type.stderr.startswith("error: --type: 'poem' is not an outcome type")
    bad_duration = cli.fails(f"rnd-registry sign {request} --valid-for soon -- program show 1")
    assert bad_duration.exit_code == 2
    assert bad_duration.stderr.startswith("error: --valid-for: 'soon' is not a duration")
    assert not request.exists()

    request.write_text("an earlier request")
    refused(cli, registry,
            f"rnd-registry sign {request} -- outcome add {project_id} --type paper {PAPER} --evidence {evidence} "
            f"{COMPANY_A_KEY}",
            "already exists")  # fmt: skip
    assert request.read_text() == "an earlier request"
