"""Objections (contracts/outcomes/Objections.sol): the company objects to a milestone rejection, a
report dispute or an evaluation within its program's window, once per decision; an auditor other than
the one who decided upholds or dismisses it. (What objections do to sanctions: test_sanctions.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from registry.domain.enums import AnchorKind, ObjectionStatus, ObjectionSubject
from tests.helpers.registry import CAP, COMPANY_B, DAY, RULES, RegistryHarness, block_time, call_reverts, doc, stored

ZERO = bytes(32)
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
REJECTION = ObjectionSubject.MILESTONE_REJECTION
DISPUTE = ObjectionSubject.REPORT_DISPUTE
EVALUATION = ObjectionSubject.EVALUATION


def objection(registry: RegistryHarness, objection_id: int) -> dict[str, Any]:
    return stored(registry.outcomes.functions.getObjection(objection_id))


def reject(registry: RegistryHarness, project: int, index: int, *, sender: str | None = None) -> Any:
    call = registry.grants.functions.rejectMilestone(project, index, doc(f"rejection:{registry.now()}"))
    return registry.send(sender or registry.actors.auditor, call)


def file(registry: RegistryHarness, subject: int, subject_id: int, index: int = 0, **kwargs: Any) -> Any:
    """The receipt of company A's objection."""
    evidence = kwargs.pop("evidence", doc(f"objection:{subject}:{subject_id}:{index}:{registry.now()}"))
    sender = kwargs.pop("sender", registry.actors.company_a)
    call = registry.outcomes.functions.fileObjection(subject, subject_id, index, evidence)
    return registry.send(sender, call)


# filing ----------------------------------------------------------------------------------------
def test_the_company_objects_to_a_rejection_and_the_objection_is_recorded_and_anchored(
    registry: RegistryHarness,
) -> None:
    project, index = registry.submitted_milestone()
    rejected = reject(registry, project, index)
    decided_at = block_time(registry, rejected)
    assert tuple(registry.grants.functions.decisionOf(REJECTION, project, index).call()) == (
        registry.actors.auditor,
        decided_at,
        project,
        RULES[1],
    )
    evidence = doc("our objection")
    receipt = file(registry, REJECTION, project, index, evidence=evidence)

    assert registry.event(receipt, registry.outcomes, "ObjectionFiled") == {
        "objectionId": 1,
        "projectId": project,
        "company": registry.actors.company_a,
        "subject": REJECTION,
        "subjectId": project,
        "milestoneIndex": index,
        "evidenceHash": evidence,
    }
    assert objection(registry, 1) == {
        "projectId": project,
        "subject": REJECTION,
        "subjectId": project,
        "milestoneIndex": index,
        "status": ObjectionStatus.OPEN,
        "filedAt": block_time(registry, receipt),
        "filedBy": registry.actors.company_a,
        "decidedBy": registry.actors.auditor,
        "resolvedBy": ZERO_ADDRESS,
    }
    assert registry.outcomes.functions.objectionCount().call() == 1
    assert stored(registry.grants.functions.anchorOf(evidence)) == {
        "anchoredBy": registry.actors.company_a,
        "timestamp": block_time(registry, receipt),
        "blockNumber": receipt["blockNumber"],
        "kind": AnchorKind.OBJECTION_EVIDENCE,
    }


def test_an_objection_is_filed_within_the_window_and_refused_after_it(registry: RegistryHarness) -> None:
    project, index = registry.submitted_milestone()
    reject(registry, project, index)
    registry.advance(RULES[1] * DAY - 3600)  # an hour before the window closes
    assert registry.event(file(registry, REJECTION, project, index), registry.outcomes, "ObjectionFiled")

    other, other_index = registry.submitted_milestone()
    other_decided = block_time(registry, reject(registry, other, other_index))
    registry.advance(RULES[1] * DAY + 1)
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.fileObjection(REJECTION, other, other_index, doc("too late")),
        "ObjectionWindowClosed",
        subject=REJECTION,
        subjectId=other,
        deadline=other_decided + RULES[1] * DAY,
    )
    assert registry.outcomes.functions.objectionCount().call() == 1


def test_the_window_is_the_programs(registry: RegistryHarness) -> None:
    terms = ("Long window", 2021, 10 * CAP, CAP, "D.N.A.", doc("long window"), "", (RULES[0], 60, *RULES[2:]))
    receipt = registry.send(registry.actors.admin, registry.grants.functions.createProgram(terms))
    project = registry.register_project(int(registry.event(receipt, registry.grants, "ProgramCreated")["programId"]))
    project, index = registry.submitted_milestone(project)
    reject(registry, project, index)
    assert registry.grants.functions.decisionOf(REJECTION, project, index).call()[3] == 60
    registry.advance(45 * DAY)
    assert registry.event(file(registry, REJECTION, project, index), registry.outcomes, "ObjectionFiled")


def test_one_objection_per_decision_and_a_new_rejection_may_be_objected_to_again(registry: RegistryHarness) -> None:
    project, index = registry.rejected_milestone()
    first = registry.file_objection(REJECTION, project, index)
    for clerk in (registry.actors.company_a, registry.actors.company_a2):
        registry.reverts(
            clerk,
            registry.outcomes.functions.fileObjection(REJECTION, project, index, doc(f"again by {clerk}")),
            "ObjectionAlreadyFiled",
            objectionId=first,
        )

    # The company resubmits, the auditor rejects again: a new decision, open to a new objection.
    registry.send(registry.actors.company_a, registry.grants.functions.submitMilestone(project, index, [doc("v2")]))
    registry.advance(60)
    reject(registry, project, index)
    second = registry.file_objection(REJECTION, project, index, sender=registry.actors.company_a2)
    assert second == first + 1
    assert objection(registry, first)["status"] == objection(registry, second)["status"] == ObjectionStatus.OPEN
    assert objection(registry, second)["filedBy"] == registry.actors.company_a2


def test_only_the_projects_company_may_object(registry: RegistryHarness) -> None:
    project, index = registry.rejected_milestone()
    for account in (registry.actors.company_b, registry.actors.auditor, registry.actors.outsider):
        registry.reverts(
            account,
            registry.outcomes.functions.fileObjection(REJECTION, project, index, doc("not ours")),
            "ProjectUnauthorizedCompany",
            projectId=project,
            account=account,
        )


@pytest.mark.parametrize(
    ("subject", "subject_id", "index"),
    [
        (REJECTION, 1, 1),  # submitted, never rejected
        (REJECTION, 1, 2),  # no such milestone
        (DISPUTE, 1, 0),  # no report
        (EVALUATION, 1, 0),  # no audit
        (EVALUATION, 1, 1),  # an evaluation has no milestone
        (ObjectionSubject.NONE, 1, 0),
    ],
)
def test_an_objection_needs_a_decision(
    registry: RegistryHarness, subject: ObjectionSubject, subject_id: int, index: int
) -> None:
    registry.submitted_milestone()
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.fileObjection(subject, subject_id, index, doc("objection")),
        "ObjectionDecisionNotFound",
        subject=subject,
        subjectId=subject_id,
        milestoneIndex=index,
    )


def test_an_objection_needs_its_evidence(registry: RegistryHarness) -> None:
    project, index = registry.rejected_milestone()
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.fileObjection(REJECTION, project, index, ZERO),
        "EvidenceHashZero",
    )


def test_a_relayed_objection_is_credited_to_its_signer(registry: RegistryHarness) -> None:
    project, index = registry.rejected_milestone()
    data = registry.calldata(registry.outcomes.functions.fileObjection(REJECTION, project, index, doc("signed")))
    receipt = registry.relay(registry.sign(registry.actors.company_a, registry.outcomes, data))
    assert registry.event(receipt, registry.outcomes, "ObjectionFiled")["company"] == registry.actors.company_a
    assert objection(registry, 1)["filedBy"] == registry.actors.company_a


# resolving -------------------------------------------------------------------------------------
@pytest.mark.parametrize("upheld", [True, False], ids=["upheld", "dismissed"])
def test_another_auditor_resolves_an_objection_once(registry: RegistryHarness, upheld: bool) -> None:
    project, index = registry.rejected_milestone()
    objection_id = registry.file_objection(REJECTION, project, index)
    reason = doc("resolution")
    receipt = registry.send(
        registry.actors.auditor_b, registry.outcomes.functions.resolveObjection(objection_id, upheld, reason)
    )
    assert registry.event(receipt, registry.outcomes, "ObjectionResolved") == {
        "objectionId": objection_id,
        "auditor": registry.actors.auditor_b,
        "upheld": upheld,
        "reasonHash": reason,
    }
    status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    assert objection(registry, objection_id) | {"filedAt": 0} == {
        "projectId": project,
        "subject": REJECTION,
        "subjectId": project,
        "milestoneIndex": index,
        "status": status,
        "filedAt": 0,
        "filedBy": registry.actors.company_a,
        "decidedBy": registry.actors.auditor,
        "resolvedBy": registry.actors.auditor_b,
    }
    assert stored(registry.grants.functions.anchorOf(reason))["kind"] == AnchorKind.REVIEW_NOTE
    registry.reverts(
        registry.actors.auditor_b,
        registry.outcomes.functions.resolveObjection(objection_id, not upheld, doc("again")),
        "ObjectionNotOpen",
        objectionId=objection_id,
        status=status,
    )


def test_the_auditor_who_decided_cannot_resolve_the_objection(registry: RegistryHarness) -> None:
    project, index = registry.rejected_milestone()
    objection_id = registry.file_objection(REJECTION, project, index)
    registry.reverts(
        registry.actors.auditor,
        registry.outcomes.functions.resolveObjection(objection_id, False, doc("my own call")),
        "ObjectionOwnDecision",
        objectionId=objection_id,
        auditor=registry.actors.auditor,
    )
    assert objection(registry, objection_id)["status"] == ObjectionStatus.OPEN


def test_resolving_needs_an_auditor_a_known_objection_and_a_reason(registry: RegistryHarness) -> None:
    project, index = registry.rejected_milestone()
    objection_id = registry.file_objection(REJECTION, project, index)
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.resolveObjection(objection_id, True, doc("self-serving")),
        "AccessControlUnauthorizedAccount",
        account=registry.actors.company_a,
        neededRole=registry.role("AUDITOR_ROLE"),
    )
    registry.reverts(
        registry.actors.auditor_b,
        registry.outcomes.functions.resolveObjection(objection_id + 1, True, doc("r")),
        "ObjectionNotFound",
        objectionId=objection_id + 1,
    )
    registry.reverts(
        registry.actors.auditor_b,
        registry.outcomes.functions.resolveObjection(objection_id, True, ZERO),
        "EvidenceHashZero",
    )
    call_reverts(registry, registry.outcomes.functions.getObjection(0), "ObjectionNotFound", objectionId=0)


# report disputes, through the outcome registry ---------------------------------------------------
def test_a_report_dispute_is_a_decision_the_company_may_object_to(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    report = registry.report(project)
    disputed = registry.send(registry.actors.auditor, registry.outcomes.functions.disputeReport(report, doc("odd")))
    assert tuple(registry.grants.functions.decisionOf(DISPUTE, report, 0).call()) == (
        registry.actors.auditor,
        block_time(registry, disputed),
        project,
        RULES[1],
    )
    receipt = file(registry, DISPUTE, report)
    filed = registry.event(receipt, registry.outcomes, "ObjectionFiled")
    assert (filed["projectId"], filed["subject"], filed["subjectId"], filed["milestoneIndex"]) == (
        project,
        DISPUTE,
        report,
        0,
    )
    registry.reverts(
        registry.actors.auditor,
        registry.outcomes.functions.resolveObjection(filed["objectionId"], True, doc("r")),
        "ObjectionOwnDecision",
        objectionId=filed["objectionId"],
        auditor=registry.actors.auditor,
    )
    registry.resolve_objection(filed["objectionId"], upheld=True)
    assert objection(registry, filed["objectionId"])["status"] == ObjectionStatus.UPHELD


def test_another_companys_report_dispute_is_not_ours_to_object_to(registry: RegistryHarness) -> None:
    project = registry.funded_project(company=COMPANY_B)
    report = registry.report(project, sender=registry.actors.company_b)
    registry.send(registry.actors.auditor, registry.outcomes.functions.disputeReport(report, doc("odd")))
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.fileObjection(DISPUTE, report, 0, doc("objection")),
        "ProjectUnauthorizedCompany",
        projectId=project,
        account=registry.actors.company_a,
    )
    assert registry.event(
        file(registry, DISPUTE, report, sender=registry.actors.company_b), registry.outcomes, "ObjectionFiled"
    )
