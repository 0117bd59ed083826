"""`rnd-registry objection` as a company objects to a decision and another auditor resolves it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from registry.domain.enums import ObjectionStatus, ObjectionSubject, SanctionStatus
from tests.cli.conftest import Cli, refused_leaving
from tests.helpers.registry import DAY, RegistryHarness

COMPANY_A = "--dev-key 3"
COMPANY_B = "--dev-key 4"
AUDITOR = "--dev-key 1"  # the auditor who decides in the harness


def objections(registry: RegistryHarness) -> tuple[Any, ...]:
    """What a refused command must leave as it was: the block height and every objection and sanction."""
    o, g = registry.outcomes.functions, registry.grants.functions
    count = o.objectionCount().call()
    found = [tuple(o.getObjection(i).call()) for i in range(1, count + 1)]
    sanctions = [tuple(g.sanctionOf(i).call()) for i in range(1, g.auditCount().call() + 1)]
    return registry.w3.eth.block_number, found, sanctions


def refused(cli: Cli, registry: RegistryHarness, command: str, reason: str, *, exit_code: int = 1) -> None:
    refused_leaving(cli, lambda: objections(registry), command, reason, exit_code=exit_code)


def test_a_company_objects_to_a_rejection_and_another_auditor_dismisses_it(
    cli: Cli, registry: RegistryHarness, tmp_path: Path, second_auditor: str
) -> None:
    project_id, index = registry.rejected_milestone()
    grounds = tmp_path / "objection.pdf"
    grounds.write_bytes(b"%PDF-1.4 the evidence was complete")

    filed = cli.ok(f"rnd-registry objection file --milestone {project_id}/{index} --evidence {grounds} {COMPANY_A}")
    said = " ".join(filed.stdout.split())
    assert f"done: object to the rejection of milestone {index} of project {project_id}" in said
    objection = registry.outcomes.functions.getObjection(1).call()
    expected = (project_id, ObjectionSubject.MILESTONE_REJECTION, project_id, index, ObjectionStatus.OPEN)
    assert tuple(objection[:5]) == expected
    (event,) = registry.outcomes.events.ObjectionFiled().get_logs(from_block=0)
    assert bytes(event["args"]["evidenceHash"]) == hashlib.sha256(grounds.read_bytes()).digest()

    listed = json.loads(cli.ok("rnd-registry objection list --open --json").stdout)
    assert [(o["objection_id"], o["status"]) for o in listed] == [(1, ObjectionStatus.OPEN)]
    shown = cli.ok(f"rnd-registry project show {project_id}").stdout
    assert f"objection 1 to the rejection of milestone {index} of project {project_id}: open" in " ".join(shown.split())

    # the auditor who rejected cannot resolve the objection to their own decision
    own = f"{registry.actors.auditor} made the decision objection 1 contests; another auditor resolves it"
    refused(cli, registry, f"rnd-registry objection resolve 1 --dismiss --reason-text mine {AUDITOR}", own)

    resolved = cli.ok(
        f'rnd-registry objection resolve 1 --dismiss --reason-text "The evidence lacked the test report." '
        f"{second_auditor}"
    )
    assert "dismissed" in resolved.stdout
    assert registry.outcomes.functions.getObjection(1).call()[4] == ObjectionStatus.DISMISSED
    assert json.loads(cli.ok("rnd-registry objection list --open --json").stdout) == []
    history = cli.ok("rnd-registry objection show 1").stdout
    assert "> The evidence lacked the test report." in history
    assert f"dismissed by {registry.actors.auditor_b}" in history
    data = json.loads(cli.ok("rnd-registry objection show 1 --json").stdout)
    assert [e["event"] for e in data["history"]] == ["ObjectionFiled", "ObjectionResolved"]
    assert data["decision"]["decided_by"] == registry.actors.auditor and data["decision"]["objection_days"] == 30
    # one objection per decision
    refused(cli, registry,
            f"rnd-registry objection file --milestone {project_id}/{index} --evidence-text again {COMPANY_A}",
            "objection 1 was already filed against this decision")  # fmt: skip


def test_an_open_objection_holds_a_sanction_and_an_upheld_one_cancels_it(
    cli: Cli, registry: RegistryHarness, second_auditor: str
) -> None:
    project_id = registry.funded_project()
    audit_id = registry.record_audit(project_id, clawback=10_000_000)
    cli.ok(f'rnd-registry objection file --evaluation {audit_id} --evidence-text "Counted twice." {COMPANY_A}')
    assert "held by open objection 1" in cli.ok(f"rnd-registry audit show {audit_id}").stdout

    refused(cli, registry, f"rnd-registry audit confirm {audit_id} {second_auditor}",
            f"objection 1 against evaluation {audit_id} is open; it must be resolved before the sanction")  # fmt: skip

    cli.ok(f'rnd-registry objection resolve 1 --uphold --reason-text "Counted twice indeed." {second_auditor}')
    assert registry.grants.functions.sanctionOf(audit_id).call()[0] == SanctionStatus.CANCELLED
    shown = json.loads(cli.ok(f"rnd-registry audit show {audit_id} --json").stdout)
    assert shown["sanction"]["status"] == SanctionStatus.CANCELLED and shown["openObjections"] == 0
    assert [o["status"] for o in shown["objections"]] == [ObjectionStatus.UPHELD]
    assert registry.grants.functions.getProject(project_id).call()[2] == 1  # still active: nothing clawed back


def test_the_window_to_object_closes_after_the_programs_objection_days(cli: Cli, registry: RegistryHarness) -> None:
    project_id, index = registry.rejected_milestone()
    registry.advance(31 * DAY)
    closed = f"the window to object to the rejection of milestone {index} of project {project_id} closed on"
    refused(cli, registry,
            f"rnd-registry objection file --milestone {project_id}/{index} --evidence-text late {COMPANY_A}", closed)


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ("--evidence-text x", "say what you object to, once: --milestone PROJECT/MILESTONE"),
        ("--report 1 --evaluation 1 --evidence-text x", "say what you object to, once"),
        ("--milestone 1-1 --evidence-text x", "--milestone: '1-1' is not PROJECT/MILESTONE; write it as 3/2"),
        ("--milestone 1/1", "an objection needs its grounds: give --evidence FILE or --evidence-text TEXT"),
        ("--milestone 1/9 --evidence-text x", "there is no rejection of milestone 9 of project 1 to object to"),
        ("--evaluation 5 --evidence-text x", "there is no evaluation 5 to object to"),
    ],
)
def test_an_objection_to_nothing_clear_is_refused_and_records_nothing(
    cli: Cli, registry: RegistryHarness, options: str, reason: str
) -> None:
    registry.funded_project()
    refused(cli, registry, f"rnd-registry objection file {options} {COMPANY_A}", reason)


def test_only_the_projects_company_objects(cli: Cli, registry: RegistryHarness) -> None:
    project_id, index = registry.rejected_milestone()
    refused(cli, registry,
            f"rnd-registry objection file --milestone {project_id}/{index} --evidence-text x {COMPANY_B}",
            f"{registry.actors.company_b} does not act for the company of project {project_id}")  # fmt: skip


def test_resolving_needs_a_verdict_and_an_open_objection(
    cli: Cli, registry: RegistryHarness, second_auditor: str
) -> None:
    project_id, index = registry.rejected_milestone()
    registry.file_objection(ObjectionSubject.MILESTONE_REJECTION, project_id, index)
    refused(cli, registry, f"rnd-registry objection resolve 1 --reason-text x {second_auditor}",
            "say how it is resolved: --uphold or --dismiss")  # fmt: skip
    refused(cli, registry, f"rnd-registry objection resolve 1 --uphold {second_auditor}", "a reason is required",
            exit_code=2)  # fmt: skip
    refused(cli, registry, f"rnd-registry objection resolve 1 --uphold --reason-text x {COMPANY_A}",
            "does not hold the auditor role")  # fmt: skip
    registry.resolve_objection(1, upheld=True)
    refused(cli, registry, f"rnd-registry objection resolve 1 --dismiss --reason-text x {second_auditor}",
            "objection 1 is already upheld; nothing was changed")  # fmt: skip
    refused(cli, registry, "rnd-registry objection show 7", "there is no objection 7")
