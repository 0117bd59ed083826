"""The money of a grant (contracts/grants/Programs.sol, Milestones.sol, Audits.sol): approved milestones
count their tranches as paid; terminating a project or a clawback taking effect gives the unpaid part
back to the program's budget, once."""

from __future__ import annotations

from typing import Any

import pytest

from registry.domain.enums import ProjectStatus
from tests.helpers.registry import BUDGET, CAP, COMPANY_B, RegistryHarness, call_reverts, doc, stored

TRANCHE = CAP // 4


def funds(registry: RegistryHarness, project: int) -> tuple[int, int]:
    paid, returned = registry.grants.functions.fundsOf(project).call()
    return paid, returned


def remaining(registry: RegistryHarness, program: int) -> int:
    record = stored(registry.grants.functions.getProgram(program))
    return int(record["budget"] - record["granted"])


def approve_milestones(registry: RegistryHarness, project: int, count: int) -> None:
    for _ in range(count):
        _, index = registry.submitted_milestone(project)
        registry.send(registry.actors.auditor, registry.grants.functions.approveMilestone(project, index, doc("ok")))


def terminate(registry: RegistryHarness, project: int) -> Any:
    return registry.send(registry.actors.admin, registry.grants.functions.terminateProject(project, doc("stop")))


def test_approved_milestones_count_as_paid_and_rejected_ones_do_not(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    assert funds(registry, project) == (0, 0)
    approve_milestones(registry, project, 2)
    registry.rejected_milestone(project)
    assert funds(registry, project) == (2 * TRANCHE, 0)


@pytest.mark.parametrize("approved", [0, 1, 4])
def test_termination_returns_the_unpaid_part_to_the_program(registry: RegistryHarness, approved: int) -> None:
    program = registry.create_program()
    project = registry.register_project(program)
    approve_milestones(registry, project, approved)
    before = remaining(registry, program)
    unpaid = CAP - approved * TRANCHE

    receipt = terminate(registry, project)
    assert registry.event(receipt, registry.grants, "GrantFundsReturned") == {
        "projectId": project,
        "programId": program,
        "amount": unpaid,
    }
    assert remaining(registry, program) == before + unpaid
    assert funds(registry, project) == (approved * TRANCHE, unpaid)


def test_completion_returns_nothing(registry: RegistryHarness) -> None:
    program = registry.create_program()
    project = registry.register_project(program)
    receipt = registry.send(registry.actors.admin, registry.grants.functions.completeProject(project, doc("done")))
    assert registry.events(receipt, registry.grants, "GrantFundsReturned") == []
    assert remaining(registry, program) == BUDGET - CAP
    assert funds(registry, project) == (0, 0)


def test_returned_budget_can_fund_another_project(registry: RegistryHarness) -> None:
    program = registry.create_program(budget=CAP, cap=CAP)
    project = registry.register_project(program)
    approve_milestones(registry, project, 1)
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.registerProject(registry.project_terms(program, company=COMPANY_B, amount=1)),
        "ProgramBudgetExceeded",
        programId=program,
        amount=1,
        remaining=0,
    )
    terminate(registry, project)
    registry.register_project(program, company=COMPANY_B, amount=CAP - TRANCHE)  # exactly what came back
    assert remaining(registry, program) == 0


@pytest.mark.parametrize("ending", [None, "completeProject"])
def test_a_clawback_returns_the_unpaid_part_when_it_takes_effect(registry: RegistryHarness, ending: str | None) -> None:
    program = registry.create_program()
    project = registry.register_project(program)
    approve_milestones(registry, project, 1)
    if ending:
        registry.send(registry.actors.admin, getattr(registry.grants.functions, ending)(project, doc("end")))
    audit = registry.record_audit(project, clawback=TRANCHE)
    assert funds(registry, project) == (TRANCHE, 0)  # pending: nothing back yet
    assert remaining(registry, program) == BUDGET - CAP

    receipt = registry.confirm_sanction(audit)
    assert registry.event(receipt, registry.grants, "GrantFundsReturned") == {
        "projectId": project,
        "programId": program,
        "amount": CAP - TRANCHE,
    }
    assert funds(registry, project) == (TRANCHE, CAP - TRANCHE)
    assert remaining(registry, program) == BUDGET - TRANCHE


def test_a_terminated_project_clawed_back_later_returns_nothing_twice(registry: RegistryHarness) -> None:
    program = registry.create_program()
    project = registry.register_project(program)
    approve_milestones(registry, project, 1)
    terminate(registry, project)
    after_termination = remaining(registry, program)

    receipt = registry.sanction(project, clawback=TRANCHE)
    assert registry.event(receipt, registry.grants, "ProjectStatusChanged")["to"] == ProjectStatus.CLAWED_BACK
    assert registry.events(receipt, registry.grants, "GrantFundsReturned") == []
    assert remaining(registry, program) == after_termination
    assert funds(registry, project) == (TRANCHE, CAP - TRANCHE)


@pytest.mark.parametrize(
    ("ending", "status"),
    [("terminate", ProjectStatus.TERMINATED), ("claw back", ProjectStatus.CLAWED_BACK)],
)
def test_a_milestone_of_an_ended_project_can_no_longer_be_rejected_or_approved(
    registry: RegistryHarness, ending: str, status: ProjectStatus
) -> None:
    project, index = registry.submitted_milestone()
    if ending == "terminate":
        terminate(registry, project)
    else:
        registry.sanction(project, clawback=1)
    before = funds(registry, project)
    for review in ("rejectMilestone", "approveMilestone"):
        registry.reverts(
            registry.actors.auditor,
            getattr(registry.grants.functions, review)(project, index, doc("late review")),
            "ProjectStatusInvalid",
            projectId=project,
            status=status,
        )
    assert funds(registry, project) == before


def test_funds_of_an_unknown_project_are_not_found(registry: RegistryHarness) -> None:
    call_reverts(registry, registry.grants.functions.fundsOf(1), "ProjectNotFound", projectId=1)
