"""Sanctions (contracts/grants/Audits.sol): a clawback or restriction an evaluation records is pending
until `sanctionQuorum()` auditors, the recorder and others, confirmed it; an open objection to the
evaluation holds it, an upheld one cancels it; its limits come from the program's rules."""

from __future__ import annotations

from typing import Any

import pytest

from registry.chain.devkeys import dev_account
from registry.domain.enums import Grade, ObjectionSubject, ProjectStatus, SanctionStatus
from tests.helpers.registry import CAP, COMPANY_A, DAY, RULES, RegistryHarness, call_reverts, doc, stored

THIRD_AUDITOR = dev_account(8).address  # a dev account the fixtures gave nothing to
YEAR = 365 * DAY
CLAWBACK = 30_000_000


def sanction_of(registry: RegistryHarness, audit_id: int) -> tuple[SanctionStatus, int]:
    status, confirmations = registry.grants.functions.sanctionOf(audit_id).call()
    return SanctionStatus(status), confirmations


def project_status(registry: RegistryHarness, project: int) -> ProjectStatus:
    return ProjectStatus(stored(registry.grants.functions.getProject(project))["status"])


def granted(registry: RegistryHarness, program: int) -> int:
    return int(stored(registry.grants.functions.getProgram(program))["granted"])


def program_with(registry: RegistryHarness, rules: tuple[int, int, int, int]) -> int:
    terms = ("Rules test", 2021, 10 * CAP, CAP, "D.N.A.", doc(f"program:{rules}"), "", rules)
    receipt = registry.send(registry.actors.admin, registry.grants.functions.createProgram(terms))
    return int(registry.event(receipt, registry.grants, "ProgramCreated")["programId"])


def set_quorum(registry: RegistryHarness, quorum: int) -> Any:
    return registry.send(registry.actors.admin, registry.grants.functions.setSanctionQuorum(quorum))


def add_third_auditor(registry: RegistryHarness) -> None:
    role = registry.role("AUDITOR_ROLE")
    registry.send(registry.actors.admin, registry.grants.functions.grantRole(role, THIRD_AUDITOR))


# pending until confirmed ---------------------------------------------------------------------
def test_a_recorded_clawback_is_pending_and_changes_nothing_until_another_auditor_confirms_it(
    registry: RegistryHarness,
) -> None:
    program = registry.create_program()
    project = registry.register_project(program)
    before = stored(registry.grants.functions.getProject(project))
    receipt = registry.send(
        registry.actors.auditor,
        registry.grants.functions.recordAudit(project, (Grade.VERY_POOR, doc("misuse"), CLAWBACK, 0)),
    )
    for name in ("ProjectStatusChanged", "GrantFundsReturned", "CompanyRestrictionSet", "SanctionConfirmed"):
        assert registry.events(receipt, registry.grants, name) == []
    assert sanction_of(registry, 1) == (SanctionStatus.PENDING, 1)
    assert stored(registry.grants.functions.getProject(project)) == before
    assert granted(registry, program) == CAP
    # The evaluation is a decision the company may object to.
    decided_at = registry.w3.eth.get_block(receipt["blockNumber"])["timestamp"]
    decision = registry.grants.functions.decisionOf(ObjectionSubject.EVALUATION, 1, 0).call()
    assert tuple(decision) == (registry.actors.auditor, decided_at, project, RULES[1])

    confirmed = registry.confirm_sanction(1)
    assert registry.event(confirmed, registry.grants, "SanctionConfirmed") == {
        "auditId": 1,
        "auditor": registry.actors.auditor_b,
        "confirmations": 2,
        "inEffect": True,
    }
    assert sanction_of(registry, 1) == (SanctionStatus.IN_EFFECT, 2)
    assert project_status(registry, project) == ProjectStatus.CLAWED_BACK
    assert granted(registry, program) == 0  # nothing was paid, so the whole grant went back


def test_an_audit_without_sanction_has_none_and_cannot_be_confirmed(registry: RegistryHarness) -> None:
    audit = registry.record_audit(registry.funded_project(), grade=Grade.GOOD)
    assert sanction_of(registry, audit) == (SanctionStatus.NONE, 0)
    registry.reverts(
        registry.actors.auditor_b,
        registry.grants.functions.confirmSanction(audit),
        "AuditSanctionNotPending",
        auditId=audit,
        status=SanctionStatus.NONE,
    )


def test_the_recorder_cannot_confirm_its_own_sanction(registry: RegistryHarness) -> None:
    audit = registry.record_audit(registry.funded_project(), clawback=CLAWBACK)
    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.confirmSanction(audit),
        "AuditSanctionAlreadyConfirmed",
        auditId=audit,
        auditor=registry.actors.auditor,
    )
    assert sanction_of(registry, audit) == (SanctionStatus.PENDING, 1)


def test_a_sanction_in_effect_cannot_be_confirmed_again(registry: RegistryHarness) -> None:
    add_third_auditor(registry)
    audit = registry.record_audit(registry.funded_project(), clawback=CLAWBACK)
    registry.confirm_sanction(audit)
    for auditor in (registry.actors.auditor_b, THIRD_AUDITOR):
        registry.reverts(
            auditor,
            registry.grants.functions.confirmSanction(audit),
            "AuditSanctionNotPending",
            auditId=audit,
            status=SanctionStatus.IN_EFFECT,
        )
    assert sanction_of(registry, audit) == (SanctionStatus.IN_EFFECT, 2)


def test_only_auditors_confirm_and_an_unknown_audit_is_not_found(registry: RegistryHarness) -> None:
    registry.record_audit(registry.funded_project(), clawback=CLAWBACK)
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.confirmSanction(1),
        "AccessControlUnauthorizedAccount",
        account=registry.actors.admin,
        neededRole=registry.role("AUDITOR_ROLE"),
    )
    registry.reverts(
        registry.actors.auditor_b, registry.grants.functions.confirmSanction(2), "AuditNotFound", auditId=2
    )
    call_reverts(registry, registry.grants.functions.sanctionOf(2), "AuditNotFound", auditId=2)


# the quorum ----------------------------------------------------------------------------------
def test_a_quorum_of_three_needs_two_auditors_besides_the_recorder(registry: RegistryHarness) -> None:
    add_third_auditor(registry)
    assert registry.grants.functions.sanctionQuorum().call() == 2
    changed = set_quorum(registry, 3)
    assert registry.event(changed, registry.grants, "SanctionQuorumChanged") == {
        "quorum": 3,
        "admin": registry.actors.admin,
    }
    assert registry.grants.functions.sanctionQuorum().call() == 3
    project = registry.funded_project()
    until = registry.now() + YEAR
    audit = registry.record_audit(project, clawback=CLAWBACK, until=until)

    second = registry.confirm_sanction(audit)
    assert registry.event(second, registry.grants, "SanctionConfirmed") == {
        "auditId": audit,
        "auditor": registry.actors.auditor_b,
        "confirmations": 2,
        "inEffect": False,
    }
    assert registry.events(second, registry.grants, "ProjectStatusChanged") == []
    assert registry.events(second, registry.grants, "CompanyRestrictionSet") == []
    assert sanction_of(registry, audit) == (SanctionStatus.PENDING, 2)
    assert project_status(registry, project) == ProjectStatus.ACTIVE
    registry.reverts(
        registry.actors.auditor_b,
        registry.grants.functions.confirmSanction(audit),
        "AuditSanctionAlreadyConfirmed",
        auditId=audit,
        auditor=registry.actors.auditor_b,
    )

    third = registry.confirm_sanction(audit, sender=THIRD_AUDITOR)
    assert registry.event(third, registry.grants, "SanctionConfirmed") == {
        "auditId": audit,
        "auditor": THIRD_AUDITOR,
        "confirmations": 3,
        "inEffect": True,
    }
    assert registry.event(third, registry.grants, "ProjectStatusChanged")["actor"] == THIRD_AUDITOR
    assert registry.event(third, registry.grants, "CompanyRestrictionSet") == {
        "companyId": COMPANY_A,
        "until": until,
        "auditId": audit,
    }
    assert sanction_of(registry, audit) == (SanctionStatus.IN_EFFECT, 3)
    assert project_status(registry, project) == ProjectStatus.CLAWED_BACK


def test_a_lower_quorum_applies_to_the_next_confirmation_of_a_pending_sanction(registry: RegistryHarness) -> None:
    add_third_auditor(registry)
    set_quorum(registry, 3)
    audit = registry.record_audit(registry.funded_project(), clawback=CLAWBACK)
    registry.confirm_sanction(audit)
    set_quorum(registry, 2)
    assert sanction_of(registry, audit) == (SanctionStatus.PENDING, 2)  # nothing happens by itself
    third = registry.confirm_sanction(audit, sender=THIRD_AUDITOR)
    assert registry.event(third, registry.grants, "SanctionConfirmed")["inEffect"] is True


@pytest.mark.parametrize("quorum", [0, 1])
def test_a_quorum_below_two_is_refused(registry: RegistryHarness, quorum: int) -> None:
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.setSanctionQuorum(quorum),
        "AuditQuorumInvalid",
        quorum=quorum,
    )
    assert registry.grants.functions.sanctionQuorum().call() == 2


# objections hold and cancel ------------------------------------------------------------------
def test_an_open_objection_to_the_evaluation_holds_its_sanction_and_a_dismissal_releases_it(
    registry: RegistryHarness,
) -> None:
    project = registry.funded_project()
    audit = registry.record_audit(project, clawback=CLAWBACK)
    objection = registry.file_objection(ObjectionSubject.EVALUATION, audit)
    assert registry.grants.functions.sanctionHoldOf(audit).call() == objection
    registry.reverts(
        registry.actors.auditor_b,
        registry.grants.functions.confirmSanction(audit),
        "AuditSanctionObjected",
        auditId=audit,
        objectionId=objection,
    )
    assert sanction_of(registry, audit) == (SanctionStatus.PENDING, 1)

    dismissed = registry.resolve_objection(objection, upheld=False)
    assert registry.events(dismissed, registry.grants, "SanctionCancelled") == []
    assert registry.grants.functions.sanctionHoldOf(audit).call() == 0
    assert sanction_of(registry, audit) == (SanctionStatus.PENDING, 1)
    registry.confirm_sanction(audit)
    assert sanction_of(registry, audit) == (SanctionStatus.IN_EFFECT, 2)
    assert project_status(registry, project) == ProjectStatus.CLAWED_BACK


def test_an_upheld_objection_cancels_a_pending_sanction(registry: RegistryHarness) -> None:
    program = registry.create_program()
    project = registry.register_project(program)
    audit = registry.record_audit(project, clawback=CLAWBACK, until=registry.now() + YEAR)
    objection = registry.file_objection(ObjectionSubject.EVALUATION, audit)

    upheld = registry.resolve_objection(objection, upheld=True)
    assert registry.event(upheld, registry.grants, "SanctionCancelled") == {"auditId": audit, "objectionId": objection}
    assert registry.events(upheld, registry.grants, "ProjectStatusChanged") == []
    assert sanction_of(registry, audit) == (SanctionStatus.CANCELLED, 1)
    assert registry.grants.functions.sanctionHoldOf(audit).call() == 0
    registry.reverts(
        registry.actors.auditor_b,
        registry.grants.functions.confirmSanction(audit),
        "AuditSanctionNotPending",
        auditId=audit,
        status=SanctionStatus.CANCELLED,
    )
    assert project_status(registry, project) == ProjectStatus.ACTIVE
    assert registry.grants.functions.restrictionOf(COMPANY_A).call() == 0
    assert granted(registry, program) == CAP


def test_an_objection_upheld_after_the_sanction_took_effect_cancels_nothing(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    audit = registry.record_audit(project, clawback=CLAWBACK)
    registry.confirm_sanction(audit)
    objection = registry.file_objection(ObjectionSubject.EVALUATION, audit)
    upheld = registry.resolve_objection(objection, upheld=True)
    assert registry.events(upheld, registry.grants, "SanctionCancelled") == []
    assert sanction_of(registry, audit) == (SanctionStatus.IN_EFFECT, 2)
    assert project_status(registry, project) == ProjectStatus.CLAWED_BACK


# effects -------------------------------------------------------------------------------------
def test_of_two_pending_clawbacks_only_the_first_confirmed_takes_effect(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    first = registry.record_audit(project, clawback=CLAWBACK)
    second = registry.record_audit(project, clawback=CAP)
    registry.confirm_sanction(second)
    registry.reverts(
        registry.actors.auditor_b,
        registry.grants.functions.confirmSanction(first),
        "ProjectStatusInvalid",
        projectId=project,
        status=ProjectStatus.CLAWED_BACK,
    )
    assert sanction_of(registry, first) == (SanctionStatus.PENDING, 1)


def test_a_restriction_that_ended_before_its_confirmation_restricts_nothing(registry: RegistryHarness) -> None:
    until = registry.now() + 30 * DAY
    audit = registry.record_audit(registry.funded_project(), until=until)
    assert sanction_of(registry, audit) == (SanctionStatus.PENDING, 1)
    registry.advance(31 * DAY)
    confirmed = registry.confirm_sanction(audit)
    assert registry.event(confirmed, registry.grants, "SanctionConfirmed")["inEffect"] is True
    assert registry.events(confirmed, registry.grants, "CompanyRestrictionSet") == []
    assert registry.grants.functions.restrictionOf(COMPANY_A).call() == 0


# limits from the program's rules ---------------------------------------------------------------
def test_a_program_allowing_200_percent_lets_a_clawback_reach_twice_the_grant(registry: RegistryHarness) -> None:
    project = registry.register_project(program_with(registry, (*RULES[:3], 200)))
    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.recordAudit(project, (Grade.VERY_POOR, doc("f"), 2 * CAP + 1, 0)),
        "AuditClawbackAboveLimit",
        projectId=project,
        clawbackAmount=2 * CAP + 1,
        limit=2 * CAP,
    )
    audit = registry.record_audit(project, clawback=2 * CAP)
    assert stored(registry.grants.functions.getAudit(audit))["clawbackAmount"] == 2 * CAP


def test_a_program_allowing_no_clawback_refuses_any(registry: RegistryHarness) -> None:
    project = registry.register_project(program_with(registry, (*RULES[:3], 0)))
    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.recordAudit(project, (Grade.VERY_POOR, doc("f"), 1, 0)),
        "AuditClawbackAboveLimit",
        projectId=project,
        clawbackAmount=1,
        limit=0,
    )
    assert registry.grants.functions.auditCount().call() == 0


def test_a_restriction_beyond_the_programs_longest_is_refused(registry: RegistryHarness) -> None:
    project = registry.register_project(program_with(registry, (*RULES[:2], 365, RULES[3])))
    too_late = registry.now() + 400 * DAY
    refused = registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.recordAudit(project, (Grade.VERY_POOR, doc("f"), 0, too_late)),
        "AuditRestrictionAboveLimit",
    )
    # The limit counts from the refused call's block, whose time the node picks.
    limit = refused.args_by_name["limit"]
    assert refused.args_by_name == {"projectId": project, "restrictedUntil": too_late, "limit": limit}
    assert registry.now() + 365 * DAY <= limit <= registry.now() + 365 * DAY + 60
    # A day inside the limit is allowed.
    audit = registry.record_audit(project, until=registry.now() + 364 * DAY)
    assert sanction_of(registry, audit) == (SanctionStatus.PENDING, 1)
