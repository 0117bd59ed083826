"""Grant programs and projects (contracts/grants/Programs.sol): opening and closing programs with their
rules, budget and cap enforcement, project targets, and the project lifecycle Active -> Completed |
Terminated (the money a termination returns: tests/contracts/test_funds.py)."""

from __future__ import annotations

from typing import Any

import pytest

from registry.domain.enums import AnchorKind, ProgramStatus, ProjectStatus
from tests.helpers.registry import (
    BUDGET,
    CAP,
    COMPANY_A,
    COMPANY_B,
    DAY,
    RULES,
    TARGETS,
    RegistryHarness,
    call_reverts,
    doc,
    stored,
)

ZERO = bytes(32)
NAME = "R&D commercialization support"
FIELD = "blockchain"
URI = "https://example.org/programs/commercialization-2021"


def block_of(registry: RegistryHarness, receipt: Any) -> tuple[int, int]:
    """(timestamp, number) of the block that mined `receipt`."""
    number = int(receipt["blockNumber"])
    return int(registry.w3.eth.get_block(number)["timestamp"]), number


def anchor(registry: RegistryHarness, document_hash: bytes) -> dict[str, Any]:
    return stored(registry.grants.functions.anchorOf(document_hash))


def program_terms(
    *,
    budget: int = BUDGET,
    cap: int = CAP,
    name: str = NAME,
    metadata: bytes | None = None,
    year: int = 2021,
    rules: tuple[int, int, int, int] = RULES,
) -> tuple[Any, ...]:
    return (name, year, budget, cap, FIELD, doc(f"program:{name}") if metadata is None else metadata, URI, rules)


def terms(
    registry: RegistryHarness,
    program_id: int,
    *,
    company: bytes = COMPANY_A,
    amount: int = CAP,
    start: int | None = None,
    end: int | None = None,
    plan: bytes | None = None,
) -> tuple[Any, ...]:
    start = registry.now() if start is None else start
    end = start + 300 * DAY if end is None else end
    return (
        program_id,
        company,
        amount,
        start,
        end,
        doc(f"plan:{program_id}:{amount}") if plan is None else plan,
        TARGETS,
    )


# programs ----------------------------------------------------------------------------------------


def test_create_program_emits_terms_stores_open_program_and_anchors_metadata(
    registry: RegistryHarness,
) -> None:
    admin = registry.actors.admin
    metadata = doc("program-metadata")
    rules = (3, 14, 730, 150)
    receipt = registry.send(
        admin,
        registry.grants.functions.createProgram(
            program_terms(budget=1_600_000_000, cap=100_000_000, metadata=metadata, rules=rules)
        ),
    )

    assert registry.event(receipt, registry.grants, "ProgramCreated") == {
        "programId": 1,
        "admin": admin,
        "name": NAME,
        "year": 2021,
        "budget": 1_600_000_000,
        "perProjectCap": 100_000_000,
        "field": FIELD,
        "metadataHash": metadata,
        "metadataURI": URI,
    }
    rules_by_name = {"followUpYears": 3, "objectionDays": 14, "maxRestrictionDays": 730, "maxClawbackPercent": 150}
    assert registry.event(receipt, registry.grants, "ProgramRulesSet") == {"programId": 1, "rules": rules_by_name}
    assert stored(registry.grants.functions.rulesOf(1)) == rules_by_name
    assert stored(registry.grants.functions.getProgram(1)) == {
        "budget": 1_600_000_000,
        "perProjectCap": 100_000_000,
        "year": 2021,
        "status": ProgramStatus.OPEN,
        "granted": 0,
        "projectCount": 0,
        "metadataHash": metadata,
        "name": NAME,
        "field": FIELD,
        "metadataURI": URI,
    }
    assert registry.grants.functions.programCount().call() == 1
    timestamp, number = block_of(registry, receipt)
    assert anchor(registry, metadata) == {
        "anchoredBy": admin,
        "timestamp": timestamp,
        "blockNumber": number,
        "kind": AnchorKind.PROGRAM_METADATA,
    }


@pytest.mark.parametrize(
    "rules", [(0, 30, 1825, 100), (5, 0, 1825, 100), (0, 0, 0, 0)], ids=["no-follow-up", "no-objections", "none"]
)
def test_a_program_needs_follow_up_years_and_an_objection_window(
    registry: RegistryHarness, rules: tuple[int, int, int, int]
) -> None:
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.createProgram(program_terms(rules=rules)),
        "ProgramRulesInvalid",
        followUpYears=rules[0],
        objectionDays=rules[1],
    )
    assert registry.grants.functions.programCount().call() == 0


def test_a_program_may_allow_no_restriction_and_no_clawback(registry: RegistryHarness) -> None:
    receipt = registry.send(
        registry.actors.admin, registry.grants.functions.createProgram(program_terms(rules=(1, 1, 0, 0)))
    )
    program = registry.event(receipt, registry.grants, "ProgramCreated")["programId"]
    assert tuple(stored(registry.grants.functions.rulesOf(program)).values()) == (1, 1, 0, 0)


def test_rules_of_an_unknown_program_are_not_found(registry: RegistryHarness) -> None:
    call_reverts(registry, registry.grants.functions.rulesOf(1), "ProgramNotFound", programId=1)


def test_program_ids_count_from_one(registry: RegistryHarness) -> None:
    ids = [registry.create_program(name=f"program {n}") for n in range(3)]
    assert ids == [1, 2, 3]
    assert registry.grants.functions.programCount().call() == 3
    assert [stored(registry.grants.functions.getProgram(i))["name"] for i in ids] == [
        "program 0",
        "program 1",
        "program 2",
    ]


def test_program_without_metadata_document_anchors_nothing(registry: RegistryHarness) -> None:
    receipt = registry.send(
        registry.actors.admin, registry.grants.functions.createProgram(program_terms(metadata=ZERO))
    )
    assert registry.event(receipt, registry.grants, "ProgramCreated")["metadataHash"] == ZERO
    assert stored(registry.grants.functions.getProgram(1))["metadataHash"] == ZERO
    assert anchor(registry, ZERO) == {
        "anchoredBy": "0x" + "00" * 20,
        "timestamp": 0,
        "blockNumber": 0,
        "kind": AnchorKind.NONE,
    }


def test_cap_equal_to_budget_is_accepted(registry: RegistryHarness) -> None:
    program = registry.create_program(budget=CAP, cap=CAP)
    assert stored(registry.grants.functions.getProgram(program))["perProjectCap"] == CAP


def test_program_needs_a_name(registry: RegistryHarness) -> None:
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.createProgram(program_terms(name="")),
        "ProgramNameEmpty",
    )
    assert registry.grants.functions.programCount().call() == 0


@pytest.mark.parametrize(
    ("budget", "cap"),
    [(BUDGET, 0), (CAP, CAP + 1), (0, 0)],
    ids=["cap-zero", "cap-above-budget", "both-zero"],
)
def test_program_cap_must_be_above_zero_and_within_budget(registry: RegistryHarness, budget: int, cap: int) -> None:
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.createProgram(program_terms(budget=budget, cap=cap)),
        "ProgramCapInvalid",
        perProjectCap=cap,
        budget=budget,
    )
    assert registry.grants.functions.programCount().call() == 0


def test_close_program_emits_and_stores_closed(registry: RegistryHarness) -> None:
    program = registry.create_program()
    receipt = registry.send(registry.actors.admin, registry.grants.functions.closeProgram(program))
    assert registry.event(receipt, registry.grants, "ProgramClosed") == {
        "programId": program,
        "admin": registry.actors.admin,
    }
    assert stored(registry.grants.functions.getProgram(program))["status"] == ProgramStatus.CLOSED


def test_closed_program_cannot_be_closed_again_nor_take_projects(registry: RegistryHarness) -> None:
    program = registry.create_program()
    registry.send(registry.actors.admin, registry.grants.functions.closeProgram(program))
    before = stored(registry.grants.functions.getProgram(program))

    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.closeProgram(program),
        "ProgramNotOpen",
        programId=program,
    )
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.registerProject(terms(registry, program)),
        "ProgramNotOpen",
        programId=program,
    )
    assert stored(registry.grants.functions.getProgram(program)) == before
    assert registry.grants.functions.projectCount().call() == 0


def test_projects_of_a_closed_program_carry_on(registry: RegistryHarness) -> None:
    program = registry.create_program()
    project = registry.register_project(program)
    registry.send(registry.actors.admin, registry.grants.functions.closeProgram(program))
    index = registry.plan_milestone(project)
    registry.send(registry.actors.admin, registry.grants.functions.completeProject(project, doc("final")))
    assert stored(registry.grants.functions.getProject(project))["status"] == ProjectStatus.COMPLETED
    assert stored(registry.grants.functions.getMilestone(project, index))["tranche"] == CAP // 4


@pytest.mark.parametrize("program_id", [0, 2])
def test_unknown_program_is_not_found(registry: RegistryHarness, program_id: int) -> None:
    registry.create_program()
    call_reverts(registry, registry.grants.functions.getProgram(program_id), "ProgramNotFound", programId=program_id)
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.closeProgram(program_id),
        "ProgramNotFound",
        programId=program_id,
    )
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.registerProject(terms(registry, program_id)),
        "ProgramNotFound",
        programId=program_id,
    )


# projects ----------------------------------------------------------------------------------------


def test_register_project_emits_terms_stores_active_project_and_anchors_plan(
    registry: RegistryHarness,
) -> None:
    admin = registry.actors.admin
    program = registry.create_program()
    start = registry.now() + DAY
    plan = doc("plan")
    receipt = registry.send(
        admin,
        registry.grants.functions.registerProject(
            (program, COMPANY_A, 20_000_000, start, start + 180 * DAY, plan, TARGETS)
        ),
    )

    assert registry.event(receipt, registry.grants, "ProjectRegistered") == {
        "projectId": 1,
        "programId": program,
        "companyId": COMPANY_A,
        "amount": 20_000_000,
        "startDate": start,
        "endDate": start + 180 * DAY,
        "planHash": plan,
        "admin": admin,
    }
    # The targets live in their event only.
    assert registry.event(receipt, registry.grants, "ProjectTargetsSet") == {
        "projectId": 1,
        "targets": dict(zip(("papers", "patents", "sales", "investment", "jobs"), TARGETS, strict=True)),
    }
    assert stored(registry.grants.functions.getProject(1)) == {
        "programId": program,
        "companyId": COMPANY_A,
        "status": ProjectStatus.ACTIVE,
        "amount": 20_000_000,
        "startDate": start,
        "endDate": start + 180 * DAY,
        "planHash": plan,
        "milestoneCount": 0,
        "plannedTranches": 0,
    }
    program_record = stored(registry.grants.functions.getProgram(program))
    assert (program_record["granted"], program_record["projectCount"]) == (20_000_000, 1)
    assert registry.grants.functions.projectCount().call() == 1
    timestamp, number = block_of(registry, receipt)
    assert anchor(registry, plan) == {
        "anchoredBy": admin,
        "timestamp": timestamp,
        "blockNumber": number,
        "kind": AnchorKind.PROJECT_PLAN,
    }


def test_project_without_plan_document_anchors_nothing(registry: RegistryHarness) -> None:
    program = registry.create_program()
    receipt = registry.send(
        registry.actors.admin, registry.grants.functions.registerProject(terms(registry, program, plan=ZERO))
    )
    project = registry.event(receipt, registry.grants, "ProjectRegistered")["projectId"]
    assert stored(registry.grants.functions.getProject(project))["planHash"] == ZERO
    assert anchor(registry, ZERO)["blockNumber"] == 0


def test_project_of_a_company_without_accounts_is_registered(registry: RegistryHarness) -> None:
    unbound = doc("brn:never-bound")
    project = registry.register_project(registry.create_program(), company=unbound)
    assert stored(registry.grants.functions.getProject(project))["companyId"] == unbound


@pytest.mark.parametrize("amount", [0, CAP + 1])
def test_project_amount_must_be_above_zero_and_within_cap(registry: RegistryHarness, amount: int) -> None:
    program = registry.create_program()
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.registerProject(terms(registry, program, amount=amount)),
        "ProjectAmountInvalid",
        programId=program,
        amount=amount,
        perProjectCap=CAP,
    )
    assert stored(registry.grants.functions.getProgram(program))["granted"] == 0


def test_budget_is_enforced_with_the_exact_remaining_amount(registry: RegistryHarness) -> None:
    program = registry.create_program(budget=250_000_000, cap=CAP)
    registry.register_project(program, amount=CAP)
    registry.register_project(program, amount=CAP, company=COMPANY_B)

    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.registerProject(terms(registry, program, amount=60_000_000)),
        "ProgramBudgetExceeded",
        programId=program,
        amount=60_000_000,
        remaining=50_000_000,
    )
    assert stored(registry.grants.functions.getProgram(program))["granted"] == 200_000_000

    last = registry.register_project(program, amount=50_000_000)  # exactly the remaining budget
    record = stored(registry.grants.functions.getProgram(program))
    assert (record["granted"], record["projectCount"]) == (250_000_000, 3)
    assert stored(registry.grants.functions.getProject(last))["amount"] == 50_000_000

    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.registerProject(terms(registry, program, amount=1)),
        "ProgramBudgetExceeded",
        programId=program,
        amount=1,
        remaining=0,
    )


def test_budgets_and_counts_are_kept_per_program_and_ids_globally(registry: RegistryHarness) -> None:
    first = registry.create_program(budget=300_000_000, name="consulting")
    second = registry.create_program(budget=300_000_000, name="new growth")
    projects = [
        registry.register_project(first, amount=20_000_000),
        registry.register_project(second, amount=CAP),
        registry.register_project(first, amount=30_000_000, company=COMPANY_B),
    ]
    assert projects == [1, 2, 3]
    assert registry.grants.functions.projectCount().call() == 3
    one, two = (
        stored(registry.grants.functions.getProgram(first)),
        stored(registry.grants.functions.getProgram(second)),
    )
    assert (one["granted"], one["projectCount"]) == (50_000_000, 2)
    assert (two["granted"], two["projectCount"]) == (CAP, 1)
    assert [stored(registry.grants.functions.getProject(p))["programId"] for p in projects] == [
        first,
        second,
        first,
    ]


@pytest.mark.parametrize("length", [0, -1], ids=["ends-when-it-starts", "ends-before-it-starts"])
def test_project_period_must_end_after_it_starts(registry: RegistryHarness, length: int) -> None:
    program = registry.create_program()
    start = registry.now()
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.registerProject(terms(registry, program, start=start, end=start + length)),
        "ProjectPeriodInvalid",
        startDate=start,
        endDate=start + length,
    )


def test_project_needs_a_company(registry: RegistryHarness) -> None:
    program = registry.create_program()
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.registerProject(terms(registry, program, company=ZERO)),
        "MembershipCompanyIdZero",
    )


def test_complete_project_emits_status_change_and_anchors_report(registry: RegistryHarness) -> None:
    program = registry.create_program()
    project = registry.register_project(program)
    report = doc("completion-report")
    receipt = registry.send(registry.actors.admin, registry.grants.functions.completeProject(project, report))

    assert registry.event(receipt, registry.grants, "ProjectStatusChanged") == {
        "projectId": project,
        "from": ProjectStatus.ACTIVE,
        "to": ProjectStatus.COMPLETED,
        "documentHash": report,
        "actor": registry.actors.admin,
    }
    assert stored(registry.grants.functions.getProject(project))["status"] == ProjectStatus.COMPLETED
    timestamp, number = block_of(registry, receipt)
    assert anchor(registry, report) == {
        "anchoredBy": registry.actors.admin,
        "timestamp": timestamp,
        "blockNumber": number,
        "kind": AnchorKind.DOCUMENT,
    }
    record = stored(registry.grants.functions.getProgram(program))
    assert (record["granted"], record["projectCount"]) == (CAP, 1)


def test_complete_project_without_report_is_allowed(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    receipt = registry.send(registry.actors.admin, registry.grants.functions.completeProject(project, ZERO))
    assert registry.event(receipt, registry.grants, "ProjectStatusChanged")["documentHash"] == ZERO
    assert stored(registry.grants.functions.getProject(project))["status"] == ProjectStatus.COMPLETED


def test_terminate_project_emits_status_change_and_returns_the_unpaid_grant(registry: RegistryHarness) -> None:
    program = registry.create_program()
    project = registry.register_project(program)
    reason = doc("termination-reason")
    receipt = registry.send(registry.actors.admin, registry.grants.functions.terminateProject(project, reason))

    assert registry.event(receipt, registry.grants, "ProjectStatusChanged") == {
        "projectId": project,
        "from": ProjectStatus.ACTIVE,
        "to": ProjectStatus.TERMINATED,
        "documentHash": reason,
        "actor": registry.actors.admin,
    }
    assert stored(registry.grants.functions.getProject(project))["status"] == ProjectStatus.TERMINATED
    assert anchor(registry, reason)["kind"] == AnchorKind.DOCUMENT
    # Nothing was paid, so the whole grant goes back to the program's budget; the project still counts.
    assert registry.event(receipt, registry.grants, "GrantFundsReturned") == {
        "projectId": project,
        "programId": program,
        "amount": CAP,
    }
    record = stored(registry.grants.functions.getProgram(program))
    assert (record["granted"], record["projectCount"]) == (0, 1)


def test_terminate_project_requires_a_reason(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    registry.reverts(
        registry.actors.admin, registry.grants.functions.terminateProject(project, ZERO), "EvidenceHashZero"
    )
    assert stored(registry.grants.functions.getProject(project))["status"] == ProjectStatus.ACTIVE


@pytest.mark.parametrize("ending", ["completeProject", "terminateProject"])
def test_only_an_active_project_can_be_completed_or_terminated(registry: RegistryHarness, ending: str) -> None:
    admin = registry.actors.admin
    project = registry.funded_project()
    registry.send(admin, getattr(registry.grants.functions, ending)(project, doc("first ending")))
    ended = stored(registry.grants.functions.getProject(project))
    status = ended["status"]
    assert status == (ProjectStatus.COMPLETED if ending == "completeProject" else ProjectStatus.TERMINATED)

    registry.reverts(
        admin,
        registry.grants.functions.completeProject(project, doc("again")),
        "ProjectStatusInvalid",
        projectId=project,
        status=status,
    )
    registry.reverts(
        admin,
        registry.grants.functions.terminateProject(project, doc("again")),
        "ProjectStatusInvalid",
        projectId=project,
        status=status,
    )
    assert stored(registry.grants.functions.getProject(project)) == ended


@pytest.mark.parametrize("project_id", [0, 2])
def test_unknown_project_is_not_found(registry: RegistryHarness, project_id: int) -> None:
    registry.funded_project()
    call_reverts(registry, registry.grants.functions.getProject(project_id), "ProjectNotFound", projectId=project_id)
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.completeProject(project_id, ZERO),
        "ProjectNotFound",
        projectId=project_id,
    )
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.terminateProject(project_id, doc("r")),
        "ProjectNotFound",
        projectId=project_id,
    )
