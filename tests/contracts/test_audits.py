"""Audits (contracts/grants/Audits.sol): evaluations with a grade and findings, clawbacks that move a
project to ClawedBack, and participation restrictions that only ever get longer, both pending until a
second auditor confirms them (the confirmation rules themselves: tests/contracts/test_sanctions.py)."""

from __future__ import annotations

from typing import Any

import pytest

from registry.domain.enums import AnchorKind, Grade, ProjectStatus
from tests.helpers.registry import (
    CAP,
    COMPANY_A,
    COMPANY_B,
    DAY,
    RegistryHarness,
    block_time,
    call_reverts,
    doc,
    stored,
)

ZERO = bytes(32)
YEAR = 365 * DAY


def audit(
    registry: RegistryHarness,
    project: int,
    *,
    grade: Grade = Grade.GOOD,
    findings: bytes | None = None,
    clawback: int = 0,
    until: int = 0,
) -> Any:
    """The receipt of the auditor recording an audit of `project`."""
    result = (
        grade,
        doc(f"findings:{project}:{grade}:{clawback}:{until}") if findings is None else findings,
        clawback,
        until,
    )
    return registry.send(registry.actors.auditor, registry.grants.functions.recordAudit(project, result))


def sanctioned(registry: RegistryHarness, project: int, **terms: Any) -> tuple[Any, Any]:
    """The receipts of an audit with a sanction and of the second auditor's confirmation of it."""
    recorded = audit(registry, project, **terms)
    audit_id = registry.event(recorded, registry.grants, "AuditRecorded")["auditId"]
    return recorded, registry.confirm_sanction(audit_id)


def project_status(registry: RegistryHarness, project: int) -> ProjectStatus:
    return ProjectStatus(stored(registry.grants.functions.getProject(project))["status"])


def test_audit_with_grade_only_is_recorded_and_changes_nothing_else(registry: RegistryHarness) -> None:
    auditor = registry.actors.auditor
    project = registry.funded_project()
    before = stored(registry.grants.functions.getProject(project))
    findings = doc("final-evaluation")
    receipt = audit(registry, project, grade=Grade.EXCELLENT, findings=findings)

    assert registry.event(receipt, registry.grants, "AuditRecorded") == {
        "auditId": 1,
        "projectId": project,
        "auditor": auditor,
        "grade": Grade.EXCELLENT,
        "findingsHash": findings,
        "clawbackAmount": 0,
        "restrictedUntil": 0,
    }
    assert stored(registry.grants.functions.getAudit(1)) == {
        "projectId": project,
        "grade": Grade.EXCELLENT,
        "clawbackAmount": 0,
        "restrictedUntil": 0,
        "recordedAt": block_time(registry, receipt),
        "auditor": auditor,
        "findingsHash": findings,
    }
    assert registry.grants.functions.auditCount().call() == 1
    assert registry.events(receipt, registry.grants, "ProjectStatusChanged") == []
    assert registry.events(receipt, registry.grants, "CompanyRestrictionSet") == []
    assert stored(registry.grants.functions.getProject(project)) == before
    assert registry.grants.functions.restrictionOf(COMPANY_A).call() == 0
    assert stored(registry.grants.functions.anchorOf(findings)) == {
        "anchoredBy": auditor,
        "timestamp": block_time(registry, receipt),
        "blockNumber": receipt["blockNumber"],
        "kind": AnchorKind.AUDIT_FINDINGS,
    }


@pytest.mark.parametrize("ending", ["completeProject", "terminateProject"])
def test_ended_project_can_be_audited(registry: RegistryHarness, ending: str) -> None:
    project = registry.funded_project()
    registry.send(registry.actors.admin, getattr(registry.grants.functions, ending)(project, doc("end")))
    receipt = audit(registry, project, grade=Grade.FAIR)
    assert registry.event(receipt, registry.grants, "AuditRecorded")["grade"] == Grade.FAIR


def test_audits_count_from_one_across_projects(registry: RegistryHarness) -> None:
    first, second = registry.funded_project(), registry.funded_project(company=COMPANY_B)
    ids = [
        registry.event(audit(registry, p, grade=g), registry.grants, "AuditRecorded")["auditId"]
        for p, g in ((first, Grade.GOOD), (second, Grade.POOR), (first, Grade.FAIR))
    ]
    assert ids == [1, 2, 3]
    assert [
        (
            stored(registry.grants.functions.getAudit(i))["projectId"],
            stored(registry.grants.functions.getAudit(i))["grade"],
        )
        for i in ids
    ] == [(first, Grade.GOOD), (second, Grade.POOR), (first, Grade.FAIR)]


@pytest.mark.parametrize("ending", [None, "completeProject", "terminateProject"])
def test_clawback_moves_the_project_to_clawed_back_once_confirmed(
    registry: RegistryHarness, ending: str | None
) -> None:
    auditor = registry.actors.auditor
    project = registry.funded_project()
    if ending:
        registry.send(registry.actors.admin, getattr(registry.grants.functions, ending)(project, doc("end")))
    before = stored(registry.grants.functions.getProject(project))
    findings = doc("misuse-of-funds")
    receipt, confirmed = sanctioned(registry, project, grade=Grade.VERY_POOR, findings=findings, clawback=30_000_000)

    assert registry.events(receipt, registry.grants, "ProjectStatusChanged") == []
    assert registry.event(receipt, registry.grants, "AuditRecorded") == {
        "auditId": 1,
        "projectId": project,
        "auditor": auditor,
        "grade": Grade.VERY_POOR,
        "findingsHash": findings,
        "clawbackAmount": 30_000_000,
        "restrictedUntil": 0,
    }
    assert registry.event(confirmed, registry.grants, "SanctionConfirmed") == {
        "auditId": 1,
        "auditor": registry.actors.auditor_b,
        "confirmations": 2,
        "inEffect": True,
    }
    assert registry.event(confirmed, registry.grants, "ProjectStatusChanged") == {
        "projectId": project,
        "from": before["status"],
        "to": ProjectStatus.CLAWED_BACK,
        "documentHash": findings,
        "actor": registry.actors.auditor_b,
    }
    assert stored(registry.grants.functions.getProject(project)) == {
        **before,
        "status": ProjectStatus.CLAWED_BACK,
    }
    assert stored(registry.grants.functions.getAudit(1))["clawbackAmount"] == 30_000_000


def test_clawback_of_the_whole_grant_is_allowed_but_not_more(registry: RegistryHarness) -> None:
    project = registry.funded_project()  # the test rules allow at most 100 % of the grant
    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.recordAudit(project, (Grade.VERY_POOR, doc("f"), CAP + 1, 0)),
        "AuditClawbackAboveLimit",
        projectId=project,
        clawbackAmount=CAP + 1,
        limit=CAP,
    )
    assert project_status(registry, project) == ProjectStatus.ACTIVE
    assert registry.grants.functions.auditCount().call() == 0

    sanctioned(registry, project, grade=Grade.VERY_POOR, clawback=CAP)
    assert project_status(registry, project) == ProjectStatus.CLAWED_BACK


def test_a_clawed_back_project_cannot_be_clawed_back_again_but_can_be_graded(
    registry: RegistryHarness,
) -> None:
    project = registry.funded_project()
    sanctioned(registry, project, grade=Grade.POOR, clawback=10_000_000)

    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.recordAudit(project, (Grade.VERY_POOR, doc("second"), 1, 0)),
        "ProjectStatusInvalid",
        projectId=project,
        status=ProjectStatus.CLAWED_BACK,
    )
    assert registry.grants.functions.auditCount().call() == 1

    receipt = audit(registry, project, grade=Grade.VERY_POOR)
    assert registry.events(receipt, registry.grants, "ProjectStatusChanged") == []
    assert project_status(registry, project) == ProjectStatus.CLAWED_BACK
    assert registry.grants.functions.auditCount().call() == 2


def test_restriction_bars_the_company_from_new_grants_until_it_ends(registry: RegistryHarness) -> None:
    admin = registry.actors.admin
    program = registry.create_program()
    project = registry.register_project(program)
    until = registry.now() + YEAR
    receipt, confirmed = sanctioned(registry, project, grade=Grade.VERY_POOR, until=until)

    assert registry.events(receipt, registry.grants, "CompanyRestrictionSet") == []
    assert registry.event(confirmed, registry.grants, "CompanyRestrictionSet") == {
        "companyId": COMPANY_A,
        "until": until,
        "auditId": 1,
    }
    assert registry.event(receipt, registry.grants, "AuditRecorded")["restrictedUntil"] == until
    assert stored(registry.grants.functions.getAudit(1))["restrictedUntil"] == until
    assert registry.grants.functions.restrictionOf(COMPANY_A).call() == until
    assert registry.grants.functions.restrictionOf(COMPANY_B).call() == 0
    assert project_status(registry, project) == ProjectStatus.ACTIVE  # a restriction is no clawback

    registry.reverts(
        admin,
        registry.grants.functions.registerProject(registry.project_terms(program)),
        "MembershipCompanyRestricted",
        companyId=COMPANY_A,
        until=until,
    )
    registry.register_project(program, company=COMPANY_B)  # other companies are unaffected

    registry.advance(until - registry.now() - DAY)
    registry.reverts(
        admin,
        registry.grants.functions.registerProject(registry.project_terms(program)),
        "MembershipCompanyRestricted",
        companyId=COMPANY_A,
        until=until,
    )

    registry.advance(2 * DAY)
    assert registry.now() > until
    later = registry.register_project(program)
    assert stored(registry.grants.functions.getProject(later))["companyId"] == COMPANY_A
    assert registry.grants.functions.restrictionOf(COMPANY_A).call() == until  # history, not cleared


def test_a_shorter_later_restriction_does_not_shorten_it_and_a_longer_one_extends_it(
    registry: RegistryHarness,
) -> None:
    project = registry.funded_project()
    until = registry.now() + 2 * YEAR
    sanctioned(registry, project, grade=Grade.POOR, until=until)

    recorded, shorter = sanctioned(registry, project, grade=Grade.POOR, until=until - YEAR)
    assert registry.events(shorter, registry.grants, "CompanyRestrictionSet") == []
    assert registry.event(recorded, registry.grants, "AuditRecorded")["restrictedUntil"] == until - YEAR
    assert stored(registry.grants.functions.getAudit(2))["restrictedUntil"] == until - YEAR
    assert registry.grants.functions.restrictionOf(COMPANY_A).call() == until

    _, same = sanctioned(registry, project, grade=Grade.POOR, until=until)
    assert registry.events(same, registry.grants, "CompanyRestrictionSet") == []

    _, longer = sanctioned(registry, project, grade=Grade.VERY_POOR, until=until + YEAR)
    assert registry.event(longer, registry.grants, "CompanyRestrictionSet") == {
        "companyId": COMPANY_A,
        "until": until + YEAR,
        "auditId": 4,
    }
    assert registry.grants.functions.restrictionOf(COMPANY_A).call() == until + YEAR


def test_clawback_and_restriction_in_one_audit(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    until = registry.now() + YEAR
    findings = doc("fraud")
    _, receipt = sanctioned(registry, project, grade=Grade.VERY_POOR, findings=findings, clawback=CAP, until=until)
    assert registry.event(receipt, registry.grants, "ProjectStatusChanged")["to"] == ProjectStatus.CLAWED_BACK
    assert registry.event(receipt, registry.grants, "CompanyRestrictionSet") == {
        "companyId": COMPANY_A,
        "until": until,
        "auditId": 1,
    }
    assert project_status(registry, project) == ProjectStatus.CLAWED_BACK
    assert registry.grants.functions.restrictionOf(COMPANY_A).call() == until


def test_audit_needs_a_grade(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.recordAudit(project, (Grade.NONE, doc("f"), 0, 0)),
        "AuditGradeMissing",
    )
    assert registry.grants.functions.auditCount().call() == 0


def test_audit_needs_findings(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.recordAudit(project, (Grade.GOOD, ZERO, 0, 0)),
        "EvidenceHashZero",
    )
    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.recordAudit(project, (Grade.VERY_POOR, ZERO, CAP, registry.now() + YEAR)),
        "EvidenceHashZero",
    )
    assert registry.grants.functions.auditCount().call() == 0
    assert project_status(registry, project) == ProjectStatus.ACTIVE
    assert registry.grants.functions.restrictionOf(COMPANY_A).call() == 0


def test_audit_of_an_unknown_project_is_refused(registry: RegistryHarness) -> None:
    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.recordAudit(3, (Grade.GOOD, doc("f"), 0, 0)),
        "ProjectNotFound",
        projectId=3,
    )


@pytest.mark.parametrize("audit_id", [0, 2])
def test_unknown_audit_is_not_found(registry: RegistryHarness, audit_id: int) -> None:
    audit(registry, registry.funded_project())
    call_reverts(registry, registry.grants.functions.getAudit(audit_id), "AuditNotFound", auditId=audit_id)


def test_a_restriction_date_already_past_restricts_nothing_and_emits_no_event(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    past = registry.now() - DAY
    receipt = registry.send(
        registry.actors.auditor, registry.grants.functions.recordAudit(project, (2, doc("findings"), 0, past))
    )
    assert registry.events(receipt, registry.grants, "CompanyRestrictionSet") == []
    assert registry.grants.functions.restrictionOf(COMPANY_A).call() == 0
