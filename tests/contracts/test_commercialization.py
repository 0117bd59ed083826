"""Commercialization reports (contracts/outcomes/Commercialization.sol): open reports, commit-then-reveal
of sensitive figures, verification and dispute by auditors, and replacement of a disputed report."""

from __future__ import annotations

from typing import Any

import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak

from registry.domain.enums import AnchorKind, ProjectStatus, ReportStatus
from tests.helpers.registry import RegistryHarness, block_time, call_reverts, doc, stored

ZERO = bytes(32)
FIGURES = (500_000_000, 200_000_000, 10_000_000, 3)  # sales, investment, royalties (won); jobs
SALT = keccak(text="salt")


def figures_dict(figures: tuple[int, int, int, int]) -> dict[str, int]:
    return dict(zip(("sales", "investment", "royalties", "jobs"), figures, strict=True))


def commitment(project: int, year: int, figures: tuple[int, int, int, int], salt: bytes) -> bytes:
    """The commitment ICommercialization defines: keccak256(abi.encode(projectId, year, figures..., salt))."""
    return keccak(
        encode(
            ["uint32", "uint16", "uint96", "uint96", "uint96", "uint32", "bytes32"],
            [project, year, *figures, salt],
        )
    )


def report(registry: RegistryHarness, report_id: int) -> dict[str, Any]:
    return stored(registry.outcomes.functions.getReport(report_id))


def commit(
    registry: RegistryHarness,
    project: int,
    *,
    year: int = 2022,
    figures: tuple[int, int, int, int] = FIGURES,
    salt: bytes = SALT,
    sender: str | None = None,
) -> int:
    call = registry.outcomes.functions.commitCommercialization(
        project, year, commitment(project, year, figures, salt), doc(f"sealed-evidence:{year}")
    )
    receipt = registry.send(sender or registry.actors.company_a, call)
    return int(registry.event(receipt, registry.outcomes, "CommercializationCommitted")["reportId"])


def dispute(registry: RegistryHarness, report_id: int, reason: bytes | None = None) -> Any:
    call = registry.outcomes.functions.disputeReport(report_id, reason or doc(f"dispute:{report_id}"))
    return registry.send(registry.actors.auditor, call)


def verify(registry: RegistryHarness, report_id: int, note: bytes = ZERO) -> Any:
    return registry.send(registry.actors.auditor, registry.outcomes.functions.verifyReport(report_id, note))


def in_status(registry: RegistryHarness, status: ReportStatus, project: int) -> int:
    """A report of `project` for 2022 brought to `status`."""
    if status == ReportStatus.COMMITTED:
        return commit(registry, project)
    report_id = registry.report(project)
    if status == ReportStatus.VERIFIED:
        verify(registry, report_id)
    elif status == ReportStatus.DISPUTED:
        dispute(registry, report_id)
    return report_id


# open reports ------------------------------------------------------------------------------------


def test_report_emits_figures_and_is_stored_as_latest(registry: RegistryHarness) -> None:
    a = registry.actors.company_a
    project = registry.funded_project()
    evidence = doc("audited-accounts-2022")
    receipt = registry.send(a, registry.outcomes.functions.reportCommercialization(project, 2022, FIGURES, evidence))

    assert registry.event(receipt, registry.outcomes, "CommercializationReported") == {
        "reportId": 1,
        "projectId": project,
        "submitter": a,
        "year": 2022,
        "figures": figures_dict(FIGURES),
        "evidenceHash": evidence,
    }
    assert report(registry, 1) == {
        "projectId": project,
        "year": 2022,
        "status": ReportStatus.REPORTED,
        "recordedAt": block_time(registry, receipt),
        "figures": FIGURES,
        "commitment": ZERO,
        "evidenceHash": evidence,
    }
    assert registry.outcomes.functions.latestReport(project, 2022).call() == 1
    assert registry.outcomes.functions.latestReport(project, 2023).call() == 0
    assert registry.outcomes.functions.reportCount().call() == 1
    assert stored(registry.grants.functions.anchorOf(evidence)) == {
        "anchoredBy": a,
        "timestamp": block_time(registry, receipt),
        "blockNumber": receipt["blockNumber"],
        "kind": AnchorKind.REPORT_EVIDENCE,
    }


def test_one_report_per_project_and_year(registry: RegistryHarness) -> None:
    first, second = registry.funded_project(), registry.funded_project()
    assert [
        registry.report(first, year=2022),
        registry.report(first, year=2023),
        registry.report(second, year=2022),
    ] == [1, 2, 3]
    assert [
        registry.outcomes.functions.latestReport(p, y).call() for p, y in ((first, 2022), (first, 2023), (second, 2022))
    ] == [1, 2, 3]

    registry.reverts(
        registry.actors.company_a2,
        registry.outcomes.functions.reportCommercialization(first, 2022, (1, 1, 1, 1), doc("again")),
        "CommercializationReportExists",
        projectId=first,
        year=2022,
        reportId=1,
    )
    assert registry.outcomes.functions.reportCount().call() == 3


@pytest.mark.parametrize(
    "status",
    [ReportStatus.COMMITTED, ReportStatus.REPORTED, ReportStatus.VERIFIED],
    ids=lambda s: s.name.lower(),
)
def test_a_standing_report_blocks_another_for_the_year(registry: RegistryHarness, status: ReportStatus) -> None:
    project = registry.funded_project()
    standing = in_status(registry, status, project)
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.reportCommercialization(project, 2022, FIGURES, doc("other")),
        "CommercializationReportExists",
        projectId=project,
        year=2022,
        reportId=standing,
    )
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.commitCommercialization(
            project, 2022, commitment(project, 2022, FIGURES, SALT), doc("other")
        ),
        "CommercializationReportExists",
        projectId=project,
        year=2022,
        reportId=standing,
    )


def test_report_needs_evidence(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.reportCommercialization(project, 2022, FIGURES, ZERO),
        "EvidenceHashZero",
    )
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.commitCommercialization(
            project, 2022, commitment(project, 2022, FIGURES, SALT), ZERO
        ),
        "EvidenceHashZero",
    )
    assert registry.outcomes.functions.latestReport(project, 2022).call() == 0


def test_reports_continue_after_the_project_is_completed(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    registry.send(registry.actors.admin, registry.grants.functions.completeProject(project, doc("final")))
    assert registry.report(project, year=2024) == 1
    assert commit(registry, project, year=2025) == 2
    assert [report(registry, i)["status"] for i in (1, 2)] == [ReportStatus.REPORTED, ReportStatus.COMMITTED]


def test_no_report_for_a_terminated_project(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    registry.send(registry.actors.admin, registry.grants.functions.terminateProject(project, doc("stop")))
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.reportCommercialization(project, 2022, FIGURES, doc("e")),
        "ProjectStatusInvalid",
        projectId=project,
        status=ProjectStatus.TERMINATED,
    )
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.commitCommercialization(
            project, 2022, commitment(project, 2022, FIGURES, SALT), doc("e")
        ),
        "ProjectStatusInvalid",
        projectId=project,
        status=ProjectStatus.TERMINATED,
    )


# commit and reveal -------------------------------------------------------------------------------


def test_commit_then_reveal_discloses_the_figures(registry: RegistryHarness) -> None:
    a, a2 = registry.actors.company_a, registry.actors.company_a2
    project = registry.funded_project()
    sealed = commitment(project, 2022, FIGURES, SALT)
    evidence = doc("sealed-accounts")
    receipt = registry.send(a, registry.outcomes.functions.commitCommercialization(project, 2022, sealed, evidence))

    assert registry.event(receipt, registry.outcomes, "CommercializationCommitted") == {
        "reportId": 1,
        "projectId": project,
        "submitter": a,
        "year": 2022,
        "commitment": sealed,
        "evidenceHash": evidence,
    }
    committed = {
        "projectId": project,
        "year": 2022,
        "status": ReportStatus.COMMITTED,
        "recordedAt": block_time(registry, receipt),
        "figures": (0, 0, 0, 0),
        "commitment": sealed,
        "evidenceHash": evidence,
    }
    assert report(registry, 1) == committed
    assert registry.outcomes.functions.latestReport(project, 2022).call() == 1
    assert stored(registry.grants.functions.anchorOf(evidence))["kind"] == AnchorKind.REPORT_EVIDENCE

    receipt = registry.send(a2, registry.outcomes.functions.revealCommercialization(1, FIGURES, SALT))
    assert registry.event(receipt, registry.outcomes, "CommercializationRevealed") == {
        "reportId": 1,
        "submitter": a2,
        "figures": figures_dict(FIGURES),
    }
    assert report(registry, 1) == {**committed, "status": ReportStatus.REPORTED, "figures": FIGURES}


def test_zero_commitment_is_refused(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.commitCommercialization(project, 2022, ZERO, doc("e")),
        "CommercializationCommitmentZero",
    )
    assert registry.outcomes.functions.reportCount().call() == 0


@pytest.mark.parametrize(
    ("figures", "salt"),
    [
        ((500_000_001, 200_000_000, 10_000_000, 3), SALT),
        ((500_000_000, 200_000_000, 10_000_000, 4), SALT),
        ((200_000_000, 500_000_000, 10_000_000, 3), SALT),
        (FIGURES, keccak(text="another salt")),
        (FIGURES, ZERO),
    ],
    ids=["sales", "jobs", "swapped", "salt", "no-salt"],
)
def test_reveal_with_other_figures_or_salt_is_refused(
    registry: RegistryHarness, figures: tuple[int, int, int, int], salt: bytes
) -> None:
    project = registry.funded_project()
    report_id = commit(registry, project)
    before = report(registry, report_id)
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.revealCommercialization(report_id, figures, salt),
        "CommercializationRevealMismatch",
        reportId=report_id,
    )
    assert report(registry, report_id) == before


def test_commitment_is_bound_to_its_project_and_year(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    other_year = commitment(project, 2023, FIGURES, SALT)
    receipt = registry.send(
        registry.actors.company_a,
        registry.outcomes.functions.commitCommercialization(project, 2022, other_year, doc("e")),
    )
    report_id = registry.event(receipt, registry.outcomes, "CommercializationCommitted")["reportId"]
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.revealCommercialization(report_id, FIGURES, SALT),
        "CommercializationRevealMismatch",
        reportId=report_id,
    )


@pytest.mark.parametrize(
    "status",
    [ReportStatus.REPORTED, ReportStatus.VERIFIED, ReportStatus.DISPUTED],
    ids=lambda s: s.name.lower(),
)
def test_only_a_committed_report_can_be_revealed(registry: RegistryHarness, status: ReportStatus) -> None:
    project = registry.funded_project()
    report_id = commit(registry, project)
    registry.send(
        registry.actors.company_a,
        registry.outcomes.functions.revealCommercialization(report_id, FIGURES, SALT),
    )
    if status == ReportStatus.VERIFIED:
        verify(registry, report_id)
    elif status == ReportStatus.DISPUTED:
        dispute(registry, report_id)
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.revealCommercialization(report_id, FIGURES, SALT),
        "CommercializationStatusInvalid",
        reportId=report_id,
        status=status,
    )


# verify and dispute ------------------------------------------------------------------------------


def test_auditor_verifies_a_reported_report(registry: RegistryHarness) -> None:
    auditor = registry.actors.auditor
    report_id = registry.report(registry.funded_project())
    before = report(registry, report_id)
    note = doc("verification-note")
    receipt = verify(registry, report_id, note)
    assert registry.event(receipt, registry.outcomes, "CommercializationVerified") == {
        "reportId": report_id,
        "auditor": auditor,
        "noteHash": note,
    }
    assert report(registry, report_id) == {**before, "status": ReportStatus.VERIFIED}
    assert stored(registry.grants.functions.anchorOf(note)) == {
        "anchoredBy": auditor,
        "timestamp": block_time(registry, receipt),
        "blockNumber": receipt["blockNumber"],
        "kind": AnchorKind.REVIEW_NOTE,
    }


def test_verification_without_note_is_allowed(registry: RegistryHarness) -> None:
    report_id = registry.report(registry.funded_project())
    assert (
        registry.event(verify(registry, report_id), registry.outcomes, "CommercializationVerified")["noteHash"] == ZERO
    )


@pytest.mark.parametrize(
    "status",
    [ReportStatus.COMMITTED, ReportStatus.VERIFIED, ReportStatus.DISPUTED],
    ids=lambda s: s.name.lower(),
)
def test_only_a_reported_report_can_be_verified(registry: RegistryHarness, status: ReportStatus) -> None:
    report_id = in_status(registry, status, registry.funded_project())
    before = report(registry, report_id)
    registry.reverts(
        registry.actors.auditor,
        registry.outcomes.functions.verifyReport(report_id, doc("n")),
        "CommercializationStatusInvalid",
        reportId=report_id,
        status=status,
    )
    assert report(registry, report_id) == before


@pytest.mark.parametrize(
    "status",
    [ReportStatus.COMMITTED, ReportStatus.REPORTED, ReportStatus.VERIFIED],
    ids=lambda s: s.name.lower(),
)
def test_auditor_disputes_a_committed_reported_or_verified_report(
    registry: RegistryHarness, status: ReportStatus
) -> None:
    auditor = registry.actors.auditor
    report_id = in_status(registry, status, registry.funded_project())
    before = report(registry, report_id)
    reason = doc("figures-do-not-match-tax-filing")
    receipt = dispute(registry, report_id, reason)
    assert registry.event(receipt, registry.outcomes, "CommercializationDisputed") == {
        "reportId": report_id,
        "auditor": auditor,
        "reasonHash": reason,
    }
    assert report(registry, report_id) == {**before, "status": ReportStatus.DISPUTED}
    assert stored(registry.grants.functions.anchorOf(reason))["kind"] == AnchorKind.REVIEW_NOTE


def test_a_report_is_disputed_only_once(registry: RegistryHarness) -> None:
    report_id = in_status(registry, ReportStatus.DISPUTED, registry.funded_project())
    registry.reverts(
        registry.actors.auditor,
        registry.outcomes.functions.disputeReport(report_id, doc("again")),
        "CommercializationStatusInvalid",
        reportId=report_id,
        status=ReportStatus.DISPUTED,
    )


def test_dispute_needs_a_reason(registry: RegistryHarness) -> None:
    report_id = registry.report(registry.funded_project())
    registry.reverts(
        registry.actors.auditor,
        registry.outcomes.functions.disputeReport(report_id, ZERO),
        "EvidenceHashZero",
    )
    assert report(registry, report_id)["status"] == ReportStatus.REPORTED


def test_a_disputed_report_is_replaced_by_a_new_latest_report(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    first = registry.report(project)
    dispute(registry, first)
    disputed = report(registry, first)

    corrected = (450_000_000, 200_000_000, 10_000_000, 3)
    second = registry.report(project, figures=corrected, sender=registry.actors.company_a2)
    assert second == first + 1
    assert registry.outcomes.functions.latestReport(project, 2022).call() == second
    assert report(registry, second)["figures"] == corrected
    assert report(registry, first) == disputed  # the disputed report stays readable as it was

    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.reportCommercialization(project, 2022, FIGURES, doc("third")),
        "CommercializationReportExists",
        projectId=project,
        year=2022,
        reportId=second,
    )

    dispute(registry, second)
    third = commit(registry, project)  # a replacement may itself be committed first
    assert registry.outcomes.functions.latestReport(project, 2022).call() == third
    assert [report(registry, i)["status"] for i in (first, second, third)] == [
        ReportStatus.DISPUTED,
        ReportStatus.DISPUTED,
        ReportStatus.COMMITTED,
    ]


@pytest.mark.parametrize("report_id", [0, 2])
def test_unknown_report_is_not_found(registry: RegistryHarness, report_id: int) -> None:
    registry.report(registry.funded_project())
    call_reverts(
        registry,
        registry.outcomes.functions.getReport(report_id),
        "CommercializationReportNotFound",
        reportId=report_id,
    )
    for sender, call in (
        (
            registry.actors.company_a,
            registry.outcomes.functions.revealCommercialization(report_id, FIGURES, SALT),
        ),
        (registry.actors.auditor, registry.outcomes.functions.verifyReport(report_id, ZERO)),
        (registry.actors.auditor, registry.outcomes.functions.disputeReport(report_id, doc("r"))),
    ):
        registry.reverts(sender, call, "CommercializationReportNotFound", reportId=report_id)
