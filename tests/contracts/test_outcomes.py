"""R&D outcomes (contracts/outcomes/Outcomes.sol): recording each national outcome category, correction
by amendment chains, revocation with a reason, and the IP status state machine."""

from __future__ import annotations

from itertools import product
from typing import Any

import pytest

from registry.domain.enums import AnchorKind, IpStatus, OutcomeType, ProjectStatus
from tests.helpers.registry import COMPANY_B, NO_DETAILS, RegistryHarness, block_time, call_reverts, doc, stored

ZERO = bytes(32)
IP_TYPES = [
    OutcomeType.PATENT_APPLICATION,
    OutcomeType.PATENT_REGISTRATION,
    OutcomeType.SOFTWARE,
    OutcomeType.PLANT_VARIETY,
    OutcomeType.TECHNOLOGY_TRANSFER,
]
NON_IP_TYPES = [t for t in OutcomeType if t != OutcomeType.NONE and t not in IP_TYPES]
# Filing comes first or not at all; registered, licensed and transferred follow in any order (an
# application may be licensed before it is granted); lapsed is final.
ALLOWED_IP_TRANSITIONS = {
    (IpStatus.NONE, IpStatus.FILED),
    (IpStatus.NONE, IpStatus.REGISTERED),
    (IpStatus.NONE, IpStatus.LICENSED),
    (IpStatus.NONE, IpStatus.TRANSFERRED),
    (IpStatus.NONE, IpStatus.LAPSED),
    (IpStatus.FILED, IpStatus.REGISTERED),
    (IpStatus.FILED, IpStatus.LICENSED),
    (IpStatus.FILED, IpStatus.TRANSFERRED),
    (IpStatus.FILED, IpStatus.LAPSED),
    (IpStatus.REGISTERED, IpStatus.LICENSED),
    (IpStatus.REGISTERED, IpStatus.TRANSFERRED),
    (IpStatus.REGISTERED, IpStatus.LAPSED),
    (IpStatus.LICENSED, IpStatus.REGISTERED),
    (IpStatus.LICENSED, IpStatus.TRANSFERRED),
    (IpStatus.LICENSED, IpStatus.LAPSED),
    (IpStatus.TRANSFERRED, IpStatus.REGISTERED),
    (IpStatus.TRANSFERRED, IpStatus.LICENSED),
    (IpStatus.TRANSFERRED, IpStatus.LAPSED),
}


def outcome(registry: RegistryHarness, outcome_id: int) -> dict[str, Any]:
    return stored(registry.outcomes.functions.getOutcome(outcome_id))


def grant_anchor(registry: RegistryHarness, document_hash: bytes) -> dict[str, Any]:
    """Outcome documents are anchored in the grant registry's one anchor book."""
    return stored(registry.grants.functions.anchorOf(document_hash))


def mined_anchor(registry: RegistryHarness, receipt: Any, account: str, kind: AnchorKind) -> dict[str, Any]:
    return {
        "anchoredBy": account,
        "timestamp": block_time(registry, receipt),
        "blockNumber": receipt["blockNumber"],
        "kind": kind,
    }


def amend(
    registry: RegistryHarness,
    original: int,
    *,
    outcome_type: OutcomeType = OutcomeType.PATENT_APPLICATION,
    external_id: str = "10-2021-0099999",
    sender: str | None = None,
) -> Any:
    call = registry.outcomes.functions.amendOutcome(
        original,
        outcome_type,
        external_id,
        NO_DETAILS,
        doc(f"evidence:{original}:{external_id}"),
        doc(f"why:{original}"),
    )
    return registry.send(sender or registry.actors.company_a, call)


def set_ip(registry: RegistryHarness, outcome_id: int, status: IpStatus, *, sender: str | None = None) -> Any:
    call = registry.outcomes.functions.updateIpStatus(outcome_id, status, doc(f"ip:{outcome_id}:{status.name}"))
    return registry.send(sender or registry.actors.company_a, call)


# adding ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome_type", [t for t in OutcomeType if t != OutcomeType.NONE], ids=lambda t: t.name)
def test_each_outcome_type_is_recorded_and_its_evidence_anchored(
    registry: RegistryHarness, outcome_type: OutcomeType
) -> None:
    a = registry.actors.company_a
    project = registry.funded_project()
    evidence = doc(f"evidence:{outcome_type.name}")
    external_id = f"ext-{outcome_type.name}"
    receipt = registry.send(
        a, registry.outcomes.functions.addOutcome(project, outcome_type, external_id, NO_DETAILS, evidence)
    )

    assert registry.event(receipt, registry.outcomes, "OutcomeAdded") == {
        "outcomeId": 1,
        "projectId": project,
        "submitter": a,
        "outcomeType": outcome_type,
        "externalId": external_id,
        "evidenceHash": evidence,
    }
    assert outcome(registry, 1) == {
        "projectId": project,
        "outcomeType": outcome_type,
        "ipStatus": IpStatus.NONE,
        "revoked": False,
        "amends": 0,
        "amendedBy": 0,
        "recordedAt": block_time(registry, receipt),
        "evidenceHash": evidence,
        "externalId": external_id,
    }
    assert registry.outcomes.functions.outcomeCount().call() == 1
    assert grant_anchor(registry, evidence) == mined_anchor(registry, receipt, a, AnchorKind.OUTCOME_EVIDENCE)


DETAIL_FIELDS = ("venue", "country", "counterparty", "date", "amount", "sciIndexed")


def test_the_details_of_an_outcome_and_of_its_amendment_are_recorded_in_their_event(
    registry: RegistryHarness,
) -> None:
    project = registry.funded_project()
    paper = ("Journal of Applied R&D", "", "", 1_640_995_200, 0, True)
    call = registry.outcomes.functions.addOutcome(project, OutcomeType.PAPER, "10.1000/xyz", paper, doc("paper"))
    receipt = registry.send(registry.actors.company_a, call)
    assert registry.event(receipt, registry.outcomes, "OutcomeDetailsRecorded") == {
        "outcomeId": 1,
        "details": dict(zip(DETAIL_FIELDS, paper, strict=True)),
    }
    transfer = ("", "KR", "(주)누리테크", 1_656_633_600, 150_000_000, False)
    call = registry.outcomes.functions.amendOutcome(
        1, OutcomeType.TECHNOLOGY_TRANSFER, "TT-2022-07", transfer, doc("licence"), doc("wrong type")
    )
    receipt = registry.send(registry.actors.company_a, call)
    assert registry.event(receipt, registry.outcomes, "OutcomeDetailsRecorded") == {
        "outcomeId": 2,
        "details": dict(zip(DETAIL_FIELDS, transfer, strict=True)),
    }
    # The details live in the events only; the stored outcome is what it was.
    assert outcome(registry, 2)["externalId"] == "TT-2022-07"


def test_outcomes_count_from_one_and_external_id_may_be_empty(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    ids = [
        registry.add_outcome(project, outcome_type=OutcomeType.PAPER, external_id=""),
        registry.add_outcome(project, sender=registry.actors.company_a2),
    ]
    assert ids == [1, 2]
    assert outcome(registry, 1)["externalId"] == ""
    assert registry.outcomes.functions.outcomeCount().call() == 2


def test_outcome_needs_a_type(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.addOutcome(project, OutcomeType.NONE, "x", NO_DETAILS, doc("e")),
        "OutcomeTypeMissing",
    )
    assert registry.outcomes.functions.outcomeCount().call() == 0


def test_outcome_needs_evidence(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.addOutcome(project, OutcomeType.PAPER, "doi:10.1000/1", NO_DETAILS, ZERO),
        "EvidenceHashZero",
    )


def test_outcome_of_a_completed_project_is_recorded(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    registry.send(registry.actors.admin, registry.grants.functions.completeProject(project, doc("final")))
    outcome_id = registry.add_outcome(project, outcome_type=OutcomeType.PATENT_REGISTRATION, external_id="10-2345678")
    assert outcome(registry, outcome_id)["outcomeType"] == OutcomeType.PATENT_REGISTRATION


def test_outcome_of_a_terminated_or_clawed_back_project_is_refused(registry: RegistryHarness) -> None:
    terminated = registry.funded_project()
    registry.send(registry.actors.admin, registry.grants.functions.terminateProject(terminated, doc("stop")))
    clawed = registry.funded_project()
    registry.sanction(clawed, clawback=1)

    for project, status in ((terminated, ProjectStatus.TERMINATED), (clawed, ProjectStatus.CLAWED_BACK)):
        registry.reverts(
            registry.actors.company_a,
            registry.outcomes.functions.addOutcome(project, OutcomeType.PAPER, "doi", NO_DETAILS, doc("e")),
            "ProjectStatusInvalid",
            projectId=project,
            status=status,
        )
    assert registry.outcomes.functions.outcomeCount().call() == 0


def test_outcome_of_an_unknown_project_is_refused(registry: RegistryHarness) -> None:
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.addOutcome(4, OutcomeType.PAPER, "doi", NO_DETAILS, doc("e")),
        "ProjectNotFound",
        projectId=4,
    )


@pytest.mark.parametrize("outcome_id", [0, 2])
def test_unknown_outcome_is_not_found(registry: RegistryHarness, outcome_id: int) -> None:
    registry.add_outcome(registry.funded_project())
    call_reverts(registry, registry.outcomes.functions.getOutcome(outcome_id), "OutcomeNotFound", outcomeId=outcome_id)
    for sender, call in (
        (
            registry.actors.company_a,
            registry.outcomes.functions.amendOutcome(
                outcome_id, OutcomeType.PAPER, "x", NO_DETAILS, doc("e"), doc("r")
            ),
        ),
        (registry.actors.company_a, registry.outcomes.functions.revokeOutcome(outcome_id, doc("r"))),
        (registry.actors.auditor, registry.outcomes.functions.revokeOutcome(outcome_id, doc("r"))),
        (
            registry.actors.company_a,
            registry.outcomes.functions.updateIpStatus(outcome_id, IpStatus.FILED, doc("e")),
        ),
    ):
        registry.reverts(sender, call, "OutcomeNotFound", outcomeId=outcome_id)


# amending ----------------------------------------------------------------------------------------


def test_amendment_is_a_new_record_pointing_at_the_original(registry: RegistryHarness) -> None:
    a2 = registry.actors.company_a2
    project = registry.funded_project()
    original = registry.add_outcome(project, external_id="10-2021-0012345")
    set_ip(registry, original, IpStatus.FILED)
    before = outcome(registry, original)
    evidence, reason = doc("corrected-application"), doc("typo-in-number")
    receipt = registry.send(
        a2,
        registry.outcomes.functions.amendOutcome(
            original, OutcomeType.PATENT_APPLICATION, "10-2021-0012346", NO_DETAILS, evidence, reason
        ),
    )

    assert registry.event(receipt, registry.outcomes, "OutcomeAmended") == {
        "outcomeId": 2,
        "originalId": original,
        "submitter": a2,
        "outcomeType": OutcomeType.PATENT_APPLICATION,
        "externalId": "10-2021-0012346",
        "evidenceHash": evidence,
        "reasonHash": reason,
    }
    assert outcome(registry, 2) == {
        "projectId": project,
        "outcomeType": OutcomeType.PATENT_APPLICATION,
        "ipStatus": IpStatus.FILED,
        "revoked": False,
        "amends": original,
        "amendedBy": 0,
        "recordedAt": block_time(registry, receipt),
        "evidenceHash": evidence,
        "externalId": "10-2021-0012346",
    }
    assert outcome(registry, original) == {**before, "amendedBy": 2}
    assert registry.outcomes.functions.outcomeCount().call() == 2
    assert grant_anchor(registry, evidence) == mined_anchor(registry, receipt, a2, AnchorKind.OUTCOME_EVIDENCE)
    assert grant_anchor(registry, reason) == mined_anchor(registry, receipt, a2, AnchorKind.DOCUMENT)


def test_amended_outcome_cannot_be_amended_again_but_its_amendment_can(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    first = registry.add_outcome(project)
    second = registry.event(amend(registry, first, external_id="v2"), registry.outcomes, "OutcomeAmended")["outcomeId"]

    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.amendOutcome(
            first, OutcomeType.PATENT_APPLICATION, "v2-bis", NO_DETAILS, doc("e"), doc("r")
        ),
        "OutcomeAlreadyAmended",
        outcomeId=first,
        amendedBy=second,
    )

    third = registry.event(
        amend(registry, second, outcome_type=OutcomeType.PATENT_REGISTRATION, external_id="v3"),
        registry.outcomes,
        "OutcomeAmended",
    )["outcomeId"]
    chain = [outcome(registry, i) for i in (first, second, third)]
    assert [(o["amends"], o["amendedBy"]) for o in chain] == [(0, second), (first, third), (second, 0)]
    assert [o["externalId"] for o in chain] == ["10-2021-0012345", "v2", "v3"]
    assert [o["outcomeType"] for o in chain] == [
        OutcomeType.PATENT_APPLICATION,
        OutcomeType.PATENT_APPLICATION,
        OutcomeType.PATENT_REGISTRATION,
    ]
    assert (second, third) == (2, 3)


def test_amendment_needs_a_type_evidence_and_a_reason(registry: RegistryHarness) -> None:
    a = registry.actors.company_a
    original = registry.add_outcome(registry.funded_project())
    registry.reverts(
        a,
        registry.outcomes.functions.amendOutcome(original, OutcomeType.NONE, "x", NO_DETAILS, doc("e"), doc("r")),
        "OutcomeTypeMissing",
    )
    registry.reverts(
        a,
        registry.outcomes.functions.amendOutcome(original, OutcomeType.PAPER, "x", NO_DETAILS, ZERO, doc("r")),
        "EvidenceHashZero",
    )
    registry.reverts(
        a,
        registry.outcomes.functions.amendOutcome(original, OutcomeType.PAPER, "x", NO_DETAILS, doc("e"), ZERO),
        "EvidenceHashZero",
    )
    assert outcome(registry, original)["amendedBy"] == 0
    assert registry.outcomes.functions.outcomeCount().call() == 1


def test_revoked_outcome_cannot_be_amended(registry: RegistryHarness) -> None:
    original = registry.add_outcome(registry.funded_project())
    registry.send(registry.actors.company_a, registry.outcomes.functions.revokeOutcome(original, doc("withdrawn")))
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.amendOutcome(original, OutcomeType.PAPER, "x", NO_DETAILS, doc("e"), doc("r")),
        "OutcomeAlreadyRevoked",
        outcomeId=original,
    )


def test_another_company_cannot_amend(registry: RegistryHarness) -> None:
    original = registry.add_outcome(registry.funded_project())
    registry.reverts(
        registry.actors.company_b,
        registry.outcomes.functions.amendOutcome(original, OutcomeType.PAPER, "x", NO_DETAILS, doc("e"), doc("r")),
        "ProjectUnauthorizedCompany",
        projectId=1,
        account=registry.actors.company_b,
    )


# revoking ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("revoker", ["company_a", "company_a2", "auditor"])
def test_revoked_outcome_keeps_its_record_and_reason(registry: RegistryHarness, revoker: str) -> None:
    account = getattr(registry.actors, revoker)
    outcome_id = registry.add_outcome(registry.funded_project())
    before = outcome(registry, outcome_id)
    reason = doc(f"revocation-by-{revoker}")
    receipt = registry.send(account, registry.outcomes.functions.revokeOutcome(outcome_id, reason))

    assert registry.event(receipt, registry.outcomes, "OutcomeRevocation") == {
        "outcomeId": outcome_id,
        "actor": account,
        "reasonHash": reason,
    }
    assert outcome(registry, outcome_id) == {**before, "revoked": True}
    assert grant_anchor(registry, reason) == mined_anchor(registry, receipt, account, AnchorKind.DOCUMENT)


def test_revocation_needs_a_reason(registry: RegistryHarness) -> None:
    outcome_id = registry.add_outcome(registry.funded_project())
    for sender in (registry.actors.company_a, registry.actors.auditor):
        registry.reverts(sender, registry.outcomes.functions.revokeOutcome(outcome_id, ZERO), "EvidenceHashZero")
    assert outcome(registry, outcome_id)["revoked"] is False


def test_outcome_is_revoked_only_once(registry: RegistryHarness) -> None:
    outcome_id = registry.add_outcome(registry.funded_project())
    registry.send(registry.actors.company_a, registry.outcomes.functions.revokeOutcome(outcome_id, doc("r1")))
    revoked = outcome(registry, outcome_id)
    for sender in (registry.actors.company_a, registry.actors.auditor):
        registry.reverts(
            sender,
            registry.outcomes.functions.revokeOutcome(outcome_id, doc("r2")),
            "OutcomeAlreadyRevoked",
            outcomeId=outcome_id,
        )
    assert outcome(registry, outcome_id) == revoked


def test_another_company_cannot_revoke(registry: RegistryHarness) -> None:
    registry.funded_project(company=COMPANY_B)
    outcome_id = registry.add_outcome(registry.funded_project())
    registry.reverts(
        registry.actors.company_b,
        registry.outcomes.functions.revokeOutcome(outcome_id, doc("r")),
        "ProjectUnauthorizedCompany",
        projectId=2,
        account=registry.actors.company_b,
    )


# IP status ---------------------------------------------------------------------------------------


def test_ip_status_follows_the_life_of_a_patent(registry: RegistryHarness) -> None:
    a, a2 = registry.actors.company_a, registry.actors.company_a2
    outcome_id = registry.add_outcome(registry.funded_project())
    before = outcome(registry, outcome_id)
    path = [IpStatus.FILED, IpStatus.REGISTERED, IpStatus.LICENSED, IpStatus.TRANSFERRED, IpStatus.LAPSED]
    previous = IpStatus.NONE
    for step, status in enumerate(path):
        account = a if step % 2 == 0 else a2
        evidence = doc(f"ip:{outcome_id}:{status.name}")
        receipt = set_ip(registry, outcome_id, status, sender=account)
        assert registry.event(receipt, registry.outcomes, "IpStatusChanged") == {
            "outcomeId": outcome_id,
            "actor": account,
            "from": previous,
            "to": status,
            "evidenceHash": evidence,
        }
        assert outcome(registry, outcome_id) == {**before, "ipStatus": status}
        assert grant_anchor(registry, evidence) == mined_anchor(registry, receipt, account, AnchorKind.IP_EVIDENCE)
        previous = status


@pytest.mark.parametrize(("start", "to"), list(product(IpStatus, IpStatus)), ids=lambda s: s.name.lower())
def test_ip_transition_table(registry: RegistryHarness, start: IpStatus, to: IpStatus) -> None:
    outcome_id = registry.add_outcome(registry.funded_project(), outcome_type=OutcomeType.SOFTWARE)
    if start != IpStatus.NONE:
        set_ip(registry, outcome_id, start)  # every status but None is reachable from None in one step
    assert outcome(registry, outcome_id)["ipStatus"] == start

    call = registry.outcomes.functions.updateIpStatus(outcome_id, to, doc("transition"))
    if (start, to) in ALLOWED_IP_TRANSITIONS:
        receipt = registry.send(registry.actors.company_a, call)
        assert registry.event(receipt, registry.outcomes, "IpStatusChanged")["from"] == start
        assert outcome(registry, outcome_id)["ipStatus"] == to
    else:
        registry.reverts(
            registry.actors.company_a,
            call,
            "OutcomeIpTransitionInvalid",
            outcomeId=outcome_id,
            **{"from": start, "to": to},
        )
        assert outcome(registry, outcome_id)["ipStatus"] == start


@pytest.mark.parametrize("outcome_type", IP_TYPES, ids=lambda t: t.name)
def test_ip_carrying_types_take_an_ip_status(registry: RegistryHarness, outcome_type: OutcomeType) -> None:
    outcome_id = registry.add_outcome(registry.funded_project(), outcome_type=outcome_type)
    set_ip(registry, outcome_id, IpStatus.REGISTERED)
    assert outcome(registry, outcome_id)["ipStatus"] == IpStatus.REGISTERED


@pytest.mark.parametrize("outcome_type", NON_IP_TYPES, ids=lambda t: t.name)
def test_other_types_carry_no_ip_status(registry: RegistryHarness, outcome_type: OutcomeType) -> None:
    outcome_id = registry.add_outcome(registry.funded_project(), outcome_type=outcome_type)
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.updateIpStatus(outcome_id, IpStatus.FILED, doc("e")),
        "OutcomeNotIntellectualProperty",
        outcomeId=outcome_id,
        outcomeType=outcome_type,
    )
    assert outcome(registry, outcome_id)["ipStatus"] == IpStatus.NONE


def test_ip_status_change_needs_evidence(registry: RegistryHarness) -> None:
    outcome_id = registry.add_outcome(registry.funded_project())
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.updateIpStatus(outcome_id, IpStatus.FILED, ZERO),
        "EvidenceHashZero",
    )
    assert outcome(registry, outcome_id)["ipStatus"] == IpStatus.NONE


def test_revoked_outcome_takes_no_ip_status(registry: RegistryHarness) -> None:
    outcome_id = registry.add_outcome(registry.funded_project())
    set_ip(registry, outcome_id, IpStatus.FILED)
    registry.send(registry.actors.auditor, registry.outcomes.functions.revokeOutcome(outcome_id, doc("fake")))
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.updateIpStatus(outcome_id, IpStatus.REGISTERED, doc("e")),
        "OutcomeAlreadyRevoked",
        outcomeId=outcome_id,
    )
    assert outcome(registry, outcome_id)["ipStatus"] == IpStatus.FILED


def test_amended_outcome_takes_no_ip_status_its_amendment_does(registry: RegistryHarness) -> None:
    original = registry.add_outcome(registry.funded_project())
    set_ip(registry, original, IpStatus.FILED)
    amendment = registry.event(amend(registry, original), registry.outcomes, "OutcomeAmended")["outcomeId"]
    registry.reverts(
        registry.actors.company_a,
        registry.outcomes.functions.updateIpStatus(original, IpStatus.REGISTERED, doc("e")),
        "OutcomeAlreadyAmended",
        outcomeId=original,
        amendedBy=amendment,
    )

    receipt = set_ip(registry, amendment, IpStatus.REGISTERED)
    assert registry.event(receipt, registry.outcomes, "IpStatusChanged")["from"] == IpStatus.FILED
    assert (outcome(registry, original)["ipStatus"], outcome(registry, amendment)["ipStatus"]) == (
        IpStatus.FILED,
        IpStatus.REGISTERED,
    )


# rules settled after review ---------------------------------------------------------------------
def amended_id(registry: RegistryHarness, receipt: Any) -> int:
    return int(registry.event(receipt, registry.outcomes, "OutcomeAmended")["outcomeId"])


def test_amending_an_ip_outcome_into_a_non_ip_type_clears_its_ip_status(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    original = registry.add_outcome(project, outcome_type=OutcomeType.PATENT_APPLICATION)
    set_ip(registry, original, IpStatus.FILED)
    amendment = amended_id(registry, amend(registry, original, outcome_type=OutcomeType.PAPER))
    assert outcome(registry, amendment)["ipStatus"] == IpStatus.NONE


def test_amending_an_ip_outcome_keeps_its_ip_status(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    original = registry.add_outcome(project, outcome_type=OutcomeType.PATENT_APPLICATION)
    set_ip(registry, original, IpStatus.FILED)
    amendment = amended_id(registry, amend(registry, original, outcome_type=OutcomeType.PATENT_REGISTRATION))
    assert outcome(registry, amendment)["ipStatus"] == IpStatus.FILED


def test_an_amended_original_cannot_be_revoked_only_its_latest_correction(registry: RegistryHarness) -> None:
    project = registry.funded_project()
    original = registry.add_outcome(project)
    amendment = amended_id(registry, amend(registry, original))
    for revoker in (registry.actors.company_a, registry.actors.auditor):
        registry.reverts(
            revoker,
            registry.outcomes.functions.revokeOutcome(original, doc("why")),
            "OutcomeAlreadyAmended",
            outcomeId=original,
            amendedBy=amendment,
        )
    registry.send(registry.actors.auditor, registry.outcomes.functions.revokeOutcome(amendment, doc("why")))
    assert outcome(registry, amendment)["revoked"] is True
