"""Milestones (contracts/grants/Milestones.sol): planning within the grant, submission with evidence,
rejection with a reason, resubmission and approval, and the append-only history in the events."""

from __future__ import annotations

from typing import Any

import pytest

from registry.domain.enums import AnchorKind, MilestoneStatus, ProjectStatus
from tests.helpers.registry import CAP, DAY, RegistryHarness, call_reverts, doc, stored

ZERO = bytes(32)
HISTORY_EVENTS = ("MilestoneSubmitted", "MilestoneRejected", "MilestoneApproved")


def anchor(registry: RegistryHarness, document_hash: bytes) -> dict[str, Any]:
    return stored(registry.grants.functions.anchorOf(document_hash))


def mined_anchor(registry: RegistryHarness, receipt: Any, account: str, kind: AnchorKind) -> dict[str, Any]:
    """The anchor a document gets when first referred to by the transaction of `receipt`."""
    number = int(receipt["blockNumber"])
    return {
        "anchoredBy": account,
        "timestamp": int(registry.w3.eth.get_block(number)["timestamp"]),
        "blockNumber": number,
        "kind": kind,
    }


def milestone(registry: RegistryHarness, project: int, index: int) -> dict[str, Any]:
    return stored(registry.grants.functions.getMilestone(project, index))


def history(registry: RegistryHarness, project: int) -> list[tuple[str, dict[str, Any]]]:
    """Every submission and review of the project's milestones since block 0, in chain order."""
    logs = []
    for name in HISTORY_EVENTS:
        for log in registry.grants.events[name]().get_logs(from_block=0, argument_filters={"projectId": project}):
            logs.append((log["blockNumber"], log["logIndex"], name, dict(log["args"])))
    return [(name, args) for _, _, name, args in sorted(logs, key=lambda entry: entry[:2])]


# planning ----------------------------------------------------------------------------------------


def test_admin_plans_a_milestone(registry: RegistryHarness) -> None:
    admin = registry.actors.admin
    project = registry.funded_project()
    due = registry.now() + 60 * DAY
    description = doc("milestone-1-description")
    receipt = registry.send(admin, registry.grants.functions.planMilestone(project, due, 40_000_000, description))

    assert registry.event(receipt, registry.grants, "MilestonePlanned") == {
        "projectId": project,
        "milestoneIndex": 1,
        "actor": admin,
        "dueDate": due,
        "tranche": 40_000_000,
        "descriptionHash": description,
    }
    assert milestone(registry, project, 1) == {
        "status": MilestoneStatus.PLANNED,
        "attempts": 0,
        "dueDate": due,
        "tranche": 40_000_000,
        "descriptionHash": description,
    }
    record = stored(registry.grants.functions.getProject(project))
    assert (record["milestoneCount"], record["plannedTranches"]) == (1, 40_000_000)
    assert anchor(registry, description) == mined_anchor(registry, receipt, admin, AnchorKind.MILESTONE_DESCRIPTION)


@pytest.mark.parametrize("planner", ["company_a", "company_a2"])
def test_the_projects_company_plans_a_milestone(registry: RegistryHarness, planner: str) -> None:
    account = getattr(registry.actors, planner)
    project = registry.funded_project()
    registry.plan_milestone(project)  # index 1, by the admin
    due = registry.now() + 90 * DAY
    description = doc(f"planned by {planner}")
    receipt = registry.send(account, registry.grants.functions.planMilestone(project, due, 0, description))

    assert registry.event(receipt, registry.grants, "MilestonePlanned") == {
        "projectId": project,
        "milestoneIndex": 2,
        "actor": account,
        "dueDate": due,
        "tranche": 0,
        "descriptionHash": description,
    }
    record = stored(registry.grants.functions.getProject(project))
    assert (record["milestoneCount"], record["plannedTranches"]) == (2, CAP // 4)
    assert anchor(registry, description) == mined_anchor(registry, receipt, account, AnchorKind.MILESTONE_DESCRIPTION)


def test_a_company_cannot_plan_a_milestone_that_releases_payment(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    registry.reverts(
        registry.actors.company_a,
        registry.grants.functions.planMilestone(project, registry.now() + DAY, 1, doc("m")),
        "MilestoneTrancheReservedToAdmin",
        projectId=project,
        tranche=1,
    )
    assert stored(registry.grants.functions.getProject(project))["milestoneCount"] == 0


def test_another_company_cannot_plan_a_milestone(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    registry.reverts(
        registry.actors.company_b,
        registry.grants.functions.planMilestone(project, registry.now() + DAY, 1, doc("d")),
        "ProjectUnauthorizedCompany",
        projectId=project,
        account=registry.actors.company_b,
    )


def test_tranches_never_exceed_the_grant_and_the_error_names_what_is_left(registry: RegistryHarness) -> None:
    project = registry.funded_project()  # grant = CAP = 100,000,000
    due = registry.now() + 30 * DAY
    for tranche in (60_000_000, 30_000_000):
        registry.send(registry.actors.admin, registry.grants.functions.planMilestone(project, due, tranche, doc("m")))

    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.planMilestone(project, due, 20_000_000, doc("m")),
        "MilestoneTrancheExceedsGrant",
        projectId=project,
        tranche=20_000_000,
        remaining=10_000_000,
    )
    registry.send(registry.actors.admin, registry.grants.functions.planMilestone(project, due, 10_000_000, doc("m")))
    record = stored(registry.grants.functions.getProject(project))
    assert (record["milestoneCount"], record["plannedTranches"]) == (3, CAP)
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.planMilestone(project, due, 1, doc("m")),
        "MilestoneTrancheExceedsGrant",
        projectId=project,
        tranche=1,
        remaining=0,
    )


def test_milestone_needs_a_due_date(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.planMilestone(project, 0, 1, doc("m")),
        "MilestoneDueDateMissing",
    )
    assert stored(registry.grants.functions.getProject(project))["milestoneCount"] == 0


@pytest.mark.parametrize("ending", ["terminateProject", "completeProject"])
def test_no_milestone_is_planned_on_an_ended_project(registry: RegistryHarness, ending: str) -> None:
    project = registry.funded_project()
    registry.send(registry.actors.admin, getattr(registry.grants.functions, ending)(project, doc("end")))
    status = stored(registry.grants.functions.getProject(project))["status"]
    for planner in (registry.actors.admin, registry.actors.company_a):
        registry.reverts(
            planner,
            registry.grants.functions.planMilestone(project, registry.now() + DAY, 1, doc("m")),
            "ProjectStatusInvalid",
            projectId=project,
            status=status,
        )


def test_planning_on_an_unknown_project_is_refused(registry: RegistryHarness) -> None:
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.planMilestone(7, registry.now() + DAY, 1, doc("m")),
        "ProjectNotFound",
        projectId=7,
    )


# submission and review ---------------------------------------------------------------------------


def test_submit_reject_resubmit_approve_counts_attempts(registry: RegistryHarness) -> None:
    a, a2, auditor = registry.actors.company_a, registry.actors.company_a2, registry.actors.auditor
    project = registry.funded_project()
    index = registry.plan_milestone(project)
    planned = milestone(registry, project, index)
    evidence = [doc("prototype-photos"), doc("test-report")]

    receipt = registry.send(a, registry.grants.functions.submitMilestone(project, index, evidence))
    assert registry.event(receipt, registry.grants, "MilestoneSubmitted") == {
        "projectId": project,
        "milestoneIndex": index,
        "submitter": a,
        "attempt": 1,
        "evidenceHashes": evidence,
    }
    assert milestone(registry, project, index) == {
        **planned,
        "status": MilestoneStatus.SUBMITTED,
        "attempts": 1,
    }

    reason = doc("rejection-reason")
    receipt = registry.send(auditor, registry.grants.functions.rejectMilestone(project, index, reason))
    assert registry.event(receipt, registry.grants, "MilestoneRejected") == {
        "projectId": project,
        "milestoneIndex": index,
        "auditor": auditor,
        "attempt": 1,
        "reasonHash": reason,
    }
    assert milestone(registry, project, index) == {
        **planned,
        "status": MilestoneStatus.REJECTED,
        "attempts": 1,
    }
    assert anchor(registry, reason) == mined_anchor(registry, receipt, auditor, AnchorKind.REVIEW_NOTE)

    resubmitted = [doc("test-report-v2")]
    receipt = registry.send(a2, registry.grants.functions.submitMilestone(project, index, resubmitted))
    assert registry.event(receipt, registry.grants, "MilestoneSubmitted") == {
        "projectId": project,
        "milestoneIndex": index,
        "submitter": a2,
        "attempt": 2,
        "evidenceHashes": resubmitted,
    }
    assert milestone(registry, project, index) == {
        **planned,
        "status": MilestoneStatus.SUBMITTED,
        "attempts": 2,
    }

    review = doc("review-note")
    receipt = registry.send(auditor, registry.grants.functions.approveMilestone(project, index, review))
    assert registry.event(receipt, registry.grants, "MilestoneApproved") == {
        "projectId": project,
        "milestoneIndex": index,
        "auditor": auditor,
        "attempt": 2,
        "reviewHash": review,
    }
    assert milestone(registry, project, index) == {
        **planned,
        "status": MilestoneStatus.APPROVED,
        "attempts": 2,
    }
    assert anchor(registry, review) == mined_anchor(registry, receipt, auditor, AnchorKind.REVIEW_NOTE)


def test_approval_without_review_note_is_allowed(registry: RegistryHarness) -> None:
    project, index = registry.submitted_milestone()
    receipt = registry.send(registry.actors.auditor, registry.grants.functions.approveMilestone(project, index, ZERO))
    assert registry.event(receipt, registry.grants, "MilestoneApproved")["reviewHash"] == ZERO
    assert milestone(registry, project, index)["status"] == MilestoneStatus.APPROVED


def test_rejection_requires_a_reason(registry: RegistryHarness) -> None:
    project, index = registry.submitted_milestone()
    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.rejectMilestone(project, index, ZERO),
        "EvidenceHashZero",
    )
    assert milestone(registry, project, index)["status"] == MilestoneStatus.SUBMITTED


def _drive(registry: RegistryHarness, project: int, index: int, status: MilestoneStatus) -> None:
    """Brings a planned milestone to `status`."""
    if status == MilestoneStatus.PLANNED:
        return
    registry.send(registry.actors.company_a, registry.grants.functions.submitMilestone(project, index, [doc("e")]))
    if status == MilestoneStatus.APPROVED:
        registry.send(registry.actors.auditor, registry.grants.functions.approveMilestone(project, index, ZERO))
    elif status == MilestoneStatus.REJECTED:
        registry.send(registry.actors.auditor, registry.grants.functions.rejectMilestone(project, index, doc("r")))


@pytest.mark.parametrize(
    "status",
    [MilestoneStatus.PLANNED, MilestoneStatus.APPROVED, MilestoneStatus.REJECTED],
    ids=lambda s: s.name.lower(),
)
def test_only_a_submitted_milestone_can_be_reviewed(registry: RegistryHarness, status: MilestoneStatus) -> None:
    project = registry.funded_project()
    index = registry.plan_milestone(project)
    _drive(registry, project, index, status)
    before = milestone(registry, project, index)
    assert before["status"] == status

    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.approveMilestone(project, index, doc("n")),
        "MilestoneStatusInvalid",
        projectId=project,
        milestoneIndex=index,
        status=status,
    )
    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.rejectMilestone(project, index, doc("n")),
        "MilestoneStatusInvalid",
        projectId=project,
        milestoneIndex=index,
        status=status,
    )
    assert milestone(registry, project, index) == before


@pytest.mark.parametrize("status", [MilestoneStatus.SUBMITTED, MilestoneStatus.APPROVED], ids=lambda s: s.name.lower())
def test_a_submitted_or_approved_milestone_cannot_be_submitted(
    registry: RegistryHarness, status: MilestoneStatus
) -> None:
    project = registry.funded_project()
    index = registry.plan_milestone(project)
    _drive(registry, project, index, status)
    before = milestone(registry, project, index)

    registry.reverts(
        registry.actors.company_a,
        registry.grants.functions.submitMilestone(project, index, [doc("x")]),
        "MilestoneStatusInvalid",
        projectId=project,
        milestoneIndex=index,
        status=status,
    )
    assert milestone(registry, project, index) == before
    assert anchor(registry, doc("x"))["blockNumber"] == 0


@pytest.mark.parametrize("index", [0, 2])
def test_unknown_milestone_is_not_found(registry: RegistryHarness, index: int) -> None:
    project = registry.funded_project()
    registry.plan_milestone(project)
    call_reverts(
        registry,
        registry.grants.functions.getMilestone(project, index),
        "MilestoneNotFound",
        projectId=project,
        milestoneIndex=index,
    )
    registry.reverts(
        registry.actors.company_a,
        registry.grants.functions.submitMilestone(project, index, [doc("e")]),
        "MilestoneNotFound",
        projectId=project,
        milestoneIndex=index,
    )
    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.approveMilestone(project, index, ZERO),
        "MilestoneNotFound",
        projectId=project,
        milestoneIndex=index,
    )
    registry.reverts(
        registry.actors.auditor,
        registry.grants.functions.rejectMilestone(project, index, doc("r")),
        "MilestoneNotFound",
        projectId=project,
        milestoneIndex=index,
    )


def test_submission_needs_at_least_one_evidence_document(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    index = registry.plan_milestone(project)
    registry.reverts(
        registry.actors.company_a,
        registry.grants.functions.submitMilestone(project, index, []),
        "EvidenceMissing",
    )
    assert milestone(registry, project, index)["attempts"] == 0


def test_submission_refuses_a_zero_evidence_hash_and_anchors_none_of_the_others(
    registry: RegistryHarness,
) -> None:
    project = registry.funded_project()
    index = registry.plan_milestone(project)
    registry.reverts(
        registry.actors.company_a,
        registry.grants.functions.submitMilestone(project, index, [doc("good"), ZERO]),
        "EvidenceHashZero",
    )
    assert milestone(registry, project, index)["status"] == MilestoneStatus.PLANNED
    assert anchor(registry, doc("good"))["blockNumber"] == 0


@pytest.mark.parametrize("ending", ["terminateProject", "completeProject"])
def test_submission_to_an_ended_project_is_refused(registry: RegistryHarness, ending: str) -> None:
    project = registry.funded_project()
    index = registry.plan_milestone(project)
    registry.send(registry.actors.admin, getattr(registry.grants.functions, ending)(project, doc("end")))
    status = ProjectStatus.TERMINATED if ending == "terminateProject" else ProjectStatus.COMPLETED
    registry.reverts(
        registry.actors.company_a,
        registry.grants.functions.submitMilestone(project, index, [doc("e")]),
        "ProjectStatusInvalid",
        projectId=project,
        status=status,
    )
    assert milestone(registry, project, index)["status"] == MilestoneStatus.PLANNED


# history and evidence ----------------------------------------------------------------------------


def test_history_shows_every_attempt_in_order_and_never_shrinks(registry: RegistryHarness) -> None:
    a, auditor = registry.actors.company_a, registry.actors.auditor
    project = registry.funded_project()
    other = registry.funded_project()  # a second project's events must not leak into the first's history
    index = registry.plan_milestone(project)
    registry.plan_milestone(other)
    registry.send(a, registry.grants.functions.submitMilestone(other, 1, [doc("other")]))

    steps = [
        (a, registry.grants.functions.submitMilestone(project, index, [doc("e1")])),
        (auditor, registry.grants.functions.rejectMilestone(project, index, doc("r1"))),
        (a, registry.grants.functions.submitMilestone(project, index, [doc("e2a"), doc("e2b")])),
        (auditor, registry.grants.functions.rejectMilestone(project, index, doc("r2"))),
        (a, registry.grants.functions.submitMilestone(project, index, [doc("e3")])),
        (auditor, registry.grants.functions.approveMilestone(project, index, doc("ok"))),
    ]
    seen: list[tuple[str, dict[str, Any]]] = []
    for sender, call in steps:
        registry.send(sender, call)
        now = history(registry, project)
        assert now[: len(seen)] == seen, "history was rewritten"
        assert len(now) == len(seen) + 1
        seen = now

    key = {"projectId": project, "milestoneIndex": index}
    assert seen == [
        ("MilestoneSubmitted", {**key, "submitter": a, "attempt": 1, "evidenceHashes": [doc("e1")]}),
        ("MilestoneRejected", {**key, "auditor": auditor, "attempt": 1, "reasonHash": doc("r1")}),
        (
            "MilestoneSubmitted",
            {**key, "submitter": a, "attempt": 2, "evidenceHashes": [doc("e2a"), doc("e2b")]},
        ),
        ("MilestoneRejected", {**key, "auditor": auditor, "attempt": 2, "reasonHash": doc("r2")}),
        ("MilestoneSubmitted", {**key, "submitter": a, "attempt": 3, "evidenceHashes": [doc("e3")]}),
        ("MilestoneApproved", {**key, "auditor": auditor, "attempt": 3, "reviewHash": doc("ok")}),
    ]
    # Refused calls leave no trace in the history.
    registry.reverts(
        a,
        registry.grants.functions.submitMilestone(project, index, [doc("late")]),
        "MilestoneStatusInvalid",
        projectId=project,
        milestoneIndex=index,
        status=MilestoneStatus.APPROVED,
    )
    assert history(registry, project) == seen


def test_evidence_is_anchored_as_milestone_evidence_for_the_submitter(registry: RegistryHarness) -> None:
    a2 = registry.actors.company_a2
    project = registry.funded_project()
    index = registry.plan_milestone(project)
    evidence = [doc("lab-notebook"), doc("demo-video")]
    receipt = registry.send(a2, registry.grants.functions.submitMilestone(project, index, evidence))
    expected = mined_anchor(registry, receipt, a2, AnchorKind.MILESTONE_EVIDENCE)
    assert [anchor(registry, e) for e in evidence] == [expected, expected]


def test_reused_evidence_keeps_its_first_anchor(registry: RegistryHarness) -> None:
    a, a2, member, auditor = (
        registry.actors.company_a,
        registry.actors.company_a2,
        registry.actors.member,
        registry.actors.auditor,
    )
    project = registry.funded_project()
    index = registry.plan_milestone(project)
    published = doc("published-standalone")
    first = registry.send(member, registry.grants.functions.anchorDocument(published))
    receipt = registry.send(a, registry.grants.functions.submitMilestone(project, index, [doc("e1"), published]))
    registry.send(auditor, registry.grants.functions.rejectMilestone(project, index, doc("r")))
    registry.advance(DAY)
    resubmission = registry.send(a2, registry.grants.functions.submitMilestone(project, index, [doc("e1"), doc("e2")]))

    assert anchor(registry, published) == mined_anchor(registry, first, member, AnchorKind.DOCUMENT)
    assert anchor(registry, doc("e1")) == mined_anchor(registry, receipt, a, AnchorKind.MILESTONE_EVIDENCE)
    assert anchor(registry, doc("e2")) == mined_anchor(registry, resubmission, a2, AnchorKind.MILESTONE_EVIDENCE)
    # The re-use is still on record in the resubmission's event.
    assert registry.event(resubmission, registry.grants, "MilestoneSubmitted")["evidenceHashes"] == [
        doc("e1"),
        doc("e2"),
    ]


@pytest.mark.parametrize(
    ("ending", "status"), [("terminateProject", ProjectStatus.TERMINATED), ("completeProject", ProjectStatus.COMPLETED)]
)
def test_a_submission_can_be_neither_approved_nor_rejected_once_the_project_ended(
    registry: RegistryHarness, ending: str, status: ProjectStatus
) -> None:
    project, index = registry.submitted_milestone()
    registry.send(registry.actors.admin, getattr(registry.grants.functions, ending)(project, doc("ended")))
    for review in ("approveMilestone", "rejectMilestone"):
        registry.reverts(
            registry.actors.auditor,
            getattr(registry.grants.functions, review)(project, index, doc("ended")),
            "ProjectStatusInvalid",
            projectId=project,
            status=status,
        )
    assert stored(registry.grants.functions.getMilestone(project, index))["status"] == MilestoneStatus.SUBMITTED
    # No decision was noted, so there is nothing to object to.
    assert registry.grants.functions.decisionOf(1, project, index).call()[1] == 0
