"""Signed submissions relayed through the `RegistryForwarder` (ERC-2771).

A clerk signs a `ForwardRequest` off chain; anyone (here `relayer`, who holds no role) sends it.
The registries must credit the signer, the forwarder must spend the signer's nonce exactly once,
and every refusal must name its cause: the forwarder's own errors for a bad request, the registry's
own custom error for a call the registry refuses, with the nonce left unspent either way.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import to_checksum_address

from registry.chain.forwarder import FORWARD_REQUEST_TYPES, FORWARDER_NAME, FORWARDER_VERSION, SignedRequest
from registry.domain.enums import AnchorKind, MilestoneStatus, OutcomeType
from tests.helpers.registry import COMPANY_A, NO_DETAILS, RegistryHarness, doc

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


# helpers ---------------------------------------------------------------------------------------
def typed_request(
    *, claimed_from: str, target: str, gas: int, nonce: int, deadline: int, data: bytes, chain_id: int, forwarder: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The EIP-712 domain and message of a `ForwardRequest`, as the forwarder hashes it."""
    domain = {
        "name": FORWARDER_NAME,
        "version": FORWARDER_VERSION,
        "chainId": chain_id,
        "verifyingContract": to_checksum_address(forwarder),
    }
    message = {
        "from": to_checksum_address(claimed_from),
        "to": to_checksum_address(target),
        "value": 0,
        "gas": gas,
        "nonce": nonce,
        "deadline": deadline,
        "data": data,
    }
    return domain, message


def recovered_on_chain(registry: RegistryHarness, request: SignedRequest) -> str:
    """The address the deployed forwarder recovers from `request`'s signature.

    The forwarder hashes the request as it arrives (claimed `from`, that account's current nonce,
    this chain, itself), so a signature made over anything else recovers to an unrelated address;
    `ERC2771ForwarderInvalidSigner` reports that address.
    """
    domain, message = typed_request(
        claimed_from=request.signer,
        target=request.target,
        gas=request.gas,
        nonce=nonce_of(registry, request.signer),
        deadline=request.deadline,
        data=request.data,
        chain_id=registry.w3.eth.chain_id,
        forwarder=registry.forwarder.address,
    )
    signable = encode_typed_data(domain, FORWARD_REQUEST_TYPES, message)
    return to_checksum_address(Account.recover_message(signable, signature=request.signature))


def nonce_of(registry: RegistryHarness, account: str) -> int:
    return int(registry.forwarder.functions.nonces(account).call())


def anchored_by(registry: RegistryHarness, document: bytes) -> str:
    return str(registry.grants.functions.anchorOf(document).call()[0])


def anchor_kind(registry: RegistryHarness, document: bytes) -> int:
    return int(registry.grants.functions.anchorOf(document).call()[3])


def milestone_state(registry: RegistryHarness, project_id: int, index: int) -> tuple[int, int]:
    """(status, attempts) of a milestone."""
    milestone = registry.grants.functions.getMilestone(project_id, index).call()
    return int(milestone[0]), int(milestone[1])


def relay_refused(registry: RegistryHarness, request: SignedRequest, error: str, **args: Any) -> None:
    """Asserts the relay of `request` fails with exactly `error(**args)` and leaves the signer's nonce."""
    before = nonce_of(registry, request.signer)
    registry.reverts(
        registry.actors.relayer, registry.forwarder.functions.execute(request.execute_args()), error, **args
    )
    assert nonce_of(registry, request.signer) == before, "a refused relay must not spend the nonce"


def executed(registry: RegistryHarness, receipt: Any) -> dict[str, Any]:
    return registry.event(receipt, registry.forwarder, "ExecutedForwardRequest")


def planned_milestone(registry: RegistryHarness) -> tuple[int, int]:
    project_id = registry.funded_project()
    return project_id, registry.plan_milestone(project_id)


def signed_submission(
    registry: RegistryHarness,
    project_id: int,
    index: int,
    evidence: bytes,
    *,
    signer: str | None = None,
    **sign_args: Any,
) -> SignedRequest:
    data = registry.calldata(registry.grants.functions.submitMilestone(project_id, index, [evidence]))
    return registry.sign(signer or registry.actors.company_a, registry.grants, data, **sign_args)


def assert_submission_untouched(registry: RegistryHarness, project_id: int, index: int, evidence: bytes) -> None:
    assert milestone_state(registry, project_id, index) == (MilestoneStatus.PLANNED, 0)
    assert anchored_by(registry, evidence) == ZERO_ADDRESS


# credited to the signer -----------------------------------------------------------------------
def test_relayer_holds_no_registry_role(registry: RegistryHarness) -> None:
    # Precondition of every test below: crediting the relayer would make each write fail.
    assert registry.grants.functions.isParticipant(registry.actors.relayer).call() is False


def test_relayed_milestone_submission_is_credited_to_the_signer(registry: RegistryHarness) -> None:
    company_a = registry.actors.company_a
    project_id, index = planned_milestone(registry)
    evidence = doc("relayed milestone evidence")
    request = signed_submission(registry, project_id, index, evidence)
    assert request.nonce == 0

    receipt = registry.relay(request)

    assert receipt["from"] == registry.actors.relayer
    assert registry.event(receipt, registry.grants, "MilestoneSubmitted") == {
        "projectId": project_id,
        "milestoneIndex": index,
        "submitter": company_a,
        "attempt": 1,
        "evidenceHashes": [evidence],
    }
    assert executed(registry, receipt) == {"signer": company_a, "nonce": 0, "success": True}
    assert anchored_by(registry, evidence) == company_a
    assert anchor_kind(registry, evidence) == AnchorKind.MILESTONE_EVIDENCE
    assert milestone_state(registry, project_id, index) == (MilestoneStatus.SUBMITTED, 1)
    assert nonce_of(registry, company_a) == 1
    assert nonce_of(registry, registry.actors.relayer) == 0


def test_relayed_outcome_is_credited_to_the_signer(registry: RegistryHarness) -> None:
    company_a = registry.actors.company_a
    project_id = registry.funded_project()
    evidence = doc("relayed patent application")
    call = registry.outcomes.functions.addOutcome(
        project_id, OutcomeType.PATENT_APPLICATION, "10-2021-0099999", NO_DETAILS, evidence
    )
    request = registry.sign(company_a, registry.outcomes, registry.calldata(call))

    receipt = registry.relay(request)

    assert registry.event(receipt, registry.outcomes, "OutcomeAdded") == {
        "outcomeId": 1,
        "projectId": project_id,
        "submitter": company_a,
        "outcomeType": OutcomeType.PATENT_APPLICATION,
        "externalId": "10-2021-0099999",
        "evidenceHash": evidence,
    }
    assert executed(registry, receipt) == {"signer": company_a, "nonce": 0, "success": True}
    # The outcome registry anchors in the grant registry for the account it credits: the signer.
    assert anchored_by(registry, evidence) == company_a
    assert anchor_kind(registry, evidence) == AnchorKind.OUTCOME_EVIDENCE
    assert nonce_of(registry, company_a) == 1


def test_relayed_commercialization_report_is_credited_to_the_signer(registry: RegistryHarness) -> None:
    company_a = registry.actors.company_a
    project_id = registry.funded_project()
    evidence = doc("relayed 2022 sales ledger")
    figures = (500_000_000, 200_000_000, 10_000_000, 3)
    call = registry.outcomes.functions.reportCommercialization(project_id, 2022, figures, evidence)
    request = registry.sign(company_a, registry.outcomes, registry.calldata(call))

    receipt = registry.relay(request)

    assert registry.event(receipt, registry.outcomes, "CommercializationReported") == {
        "reportId": 1,
        "projectId": project_id,
        "submitter": company_a,
        "year": 2022,
        "figures": {"sales": 500_000_000, "investment": 200_000_000, "royalties": 10_000_000, "jobs": 3},
        "evidenceHash": evidence,
    }
    assert executed(registry, receipt) == {"signer": company_a, "nonce": 0, "success": True}
    assert anchored_by(registry, evidence) == company_a
    assert anchor_kind(registry, evidence) == AnchorKind.REPORT_EVIDENCE
    assert registry.outcomes.functions.latestReport(project_id, 2022).call() == 1
    assert nonce_of(registry, company_a) == 1


def test_relayed_auditor_approval_is_credited_to_the_auditor(registry: RegistryHarness) -> None:
    auditor = registry.actors.auditor
    project_id, index = registry.submitted_milestone()
    review = doc("relayed review note")
    call = registry.grants.functions.approveMilestone(project_id, index, review)
    request = registry.sign(auditor, registry.grants, registry.calldata(call))

    receipt = registry.relay(request)

    assert registry.event(receipt, registry.grants, "MilestoneApproved") == {
        "projectId": project_id,
        "milestoneIndex": index,
        "auditor": auditor,
        "attempt": 1,
        "reviewHash": review,
    }
    assert executed(registry, receipt) == {"signer": auditor, "nonce": 0, "success": True}
    assert anchored_by(registry, review) == auditor
    assert anchor_kind(registry, review) == AnchorKind.REVIEW_NOTE
    assert milestone_state(registry, project_id, index) == (MilestoneStatus.APPROVED, 1)
    assert nonce_of(registry, auditor) == 1


def test_each_relayed_request_spends_the_signers_next_nonce(registry: RegistryHarness) -> None:
    company_a = registry.actors.company_a
    project_id = registry.funded_project()
    first = registry.plan_milestone(project_id)
    second = registry.plan_milestone(project_id)

    receipts = [
        registry.relay(signed_submission(registry, project_id, index, doc(f"evidence {index}")))
        for index in (first, second)
    ]

    assert [executed(registry, r) for r in receipts] == [
        {"signer": company_a, "nonce": 0, "success": True},
        {"signer": company_a, "nonce": 1, "success": True},
    ]
    assert nonce_of(registry, company_a) == 2
    assert nonce_of(registry, registry.actors.company_a2) == 0, "a nonce belongs to one account, not its company"


# refused by the forwarder ----------------------------------------------------------------------
def test_request_claiming_another_sender_is_refused(registry: RegistryHarness) -> None:
    company_a, company_b = registry.actors.company_a, registry.actors.company_b
    project_id, index = planned_milestone(registry)
    evidence = doc("claimed evidence")
    signed_by_b = signed_submission(registry, project_id, index, evidence, signer=company_b)
    claiming_a = dataclasses.replace(signed_by_b, signer=company_a)
    recovered = recovered_on_chain(registry, claiming_a)
    # The signature covers `from`, so changing it makes the signature recover to an unrelated key.
    assert recovered not in (company_a, company_b)

    relay_refused(registry, claiming_a, "ERC2771ForwarderInvalidSigner", signer=recovered, **{"from": company_a})

    assert nonce_of(registry, company_b) == 0
    assert_submission_untouched(registry, project_id, index, evidence)


def test_request_signed_by_one_company_in_the_name_of_another_names_the_real_signer(
    registry: RegistryHarness,
) -> None:
    company_a, company_b = registry.actors.company_a, registry.actors.company_b
    project_id, index = planned_milestone(registry)
    evidence = doc("forged evidence")
    data = registry.calldata(registry.grants.functions.submitMilestone(project_id, index, [evidence]))
    deadline = registry.now() + 3600
    # company_b signs a message that itself says `from: company_a`.
    domain, message = typed_request(
        claimed_from=company_a,
        target=registry.grants.address,
        gas=1_000_000,
        nonce=0,
        deadline=deadline,
        data=data,
        chain_id=registry.w3.eth.chain_id,
        forwarder=registry.forwarder.address,
    )
    signature = Account.sign_typed_data(registry.actors.key(company_b).key, domain, FORWARD_REQUEST_TYPES, message)
    forged = SignedRequest(
        signer=company_a,
        target=registry.grants.address,
        gas=1_000_000,
        nonce=0,
        deadline=deadline,
        data=data,
        signature=bytes(signature.signature),
        chain_id=registry.w3.eth.chain_id,
        forwarder=registry.forwarder.address,
    )

    relay_refused(registry, forged, "ERC2771ForwarderInvalidSigner", signer=company_b, **{"from": company_a})

    assert nonce_of(registry, company_b) == 0
    assert_submission_untouched(registry, project_id, index, evidence)


def test_replayed_request_is_refused(registry: RegistryHarness) -> None:
    company_a = registry.actors.company_a
    project_id, index = planned_milestone(registry)
    request = signed_submission(registry, project_id, index, doc("evidence once"))
    registry.relay(request)
    assert nonce_of(registry, company_a) == 1
    # Rejected, the milestone could be submitted again: only the spent nonce stops the replay.
    registry.send(
        registry.actors.auditor, registry.grants.functions.rejectMilestone(project_id, index, doc("rejection reason"))
    )

    relay_refused(
        registry,
        request,
        "ERC2771ForwarderInvalidSigner",
        signer=recovered_on_chain(registry, request),
        **{"from": company_a},
    )

    assert nonce_of(registry, company_a) == 1
    assert milestone_state(registry, project_id, index) == (MilestoneStatus.REJECTED, 1)


def test_expired_request_is_refused(registry: RegistryHarness) -> None:
    project_id, index = planned_milestone(registry)
    evidence = doc("late evidence")
    request = signed_submission(registry, project_id, index, evidence, deadline=registry.now() + 3600)
    registry.advance(2 * 3600)

    relay_refused(registry, request, "ERC2771ForwarderExpiredRequest", deadline=request.deadline)

    assert nonce_of(registry, registry.actors.company_a) == 0
    assert_submission_untouched(registry, project_id, index, evidence)


def test_request_with_a_deadline_already_past_is_refused(registry: RegistryHarness) -> None:
    project_id, index = planned_milestone(registry)
    evidence = doc("stale evidence")
    request = signed_submission(registry, project_id, index, evidence, deadline=registry.now() - 1)

    relay_refused(registry, request, "ERC2771ForwarderExpiredRequest", deadline=request.deadline)

    assert_submission_untouched(registry, project_id, index, evidence)


def test_request_signed_for_another_chain_is_refused(registry: RegistryHarness) -> None:
    project_id, index = planned_milestone(registry)
    evidence = doc("other chain evidence")
    request = signed_submission(registry, project_id, index, evidence, chain_id=registry.w3.eth.chain_id + 1)

    relay_refused(
        registry,
        request,
        "ERC2771ForwarderInvalidSigner",
        signer=recovered_on_chain(registry, request),
        **{"from": registry.actors.company_a},
    )

    assert recovered_on_chain(registry, request) != registry.actors.company_a
    assert_submission_untouched(registry, project_id, index, evidence)


def test_request_signed_for_another_forwarder_is_refused(registry: RegistryHarness) -> None:
    project_id, index = planned_milestone(registry)
    evidence = doc("other forwarder evidence")
    # Any other verifying contract, here the outcome registry's address.
    request = signed_submission(registry, project_id, index, evidence, forwarder=registry.outcomes.address)

    relay_refused(
        registry,
        request,
        "ERC2771ForwarderInvalidSigner",
        signer=recovered_on_chain(registry, request),
        **{"from": registry.actors.company_a},
    )

    assert recovered_on_chain(registry, request) != registry.actors.company_a
    assert_submission_untouched(registry, project_id, index, evidence)


def test_request_with_tampered_calldata_is_refused(registry: RegistryHarness) -> None:
    project_id, index = planned_milestone(registry)
    signed = signed_submission(registry, project_id, index, doc("signed evidence"))
    swapped = doc("swapped evidence")
    tampered = dataclasses.replace(
        signed, data=registry.calldata(registry.grants.functions.submitMilestone(project_id, index, [swapped]))
    )

    relay_refused(
        registry,
        tampered,
        "ERC2771ForwarderInvalidSigner",
        signer=recovered_on_chain(registry, tampered),
        **{"from": registry.actors.company_a},
    )

    assert recovered_on_chain(registry, tampered) != registry.actors.company_a
    assert_submission_untouched(registry, project_id, index, swapped)
    # The untampered request is still good: the failed attempt spent nothing.
    receipt = registry.relay(signed)
    assert executed(registry, receipt) == {"signer": registry.actors.company_a, "nonce": 0, "success": True}


def test_request_to_a_contract_that_does_not_trust_the_forwarder_is_refused(registry: RegistryHarness) -> None:
    # The forwarder itself is no ERC-2771 recipient.
    request = registry.sign(registry.actors.company_a, registry.forwarder, b"")

    relay_refused(
        registry,
        request,
        "ERC2771UntrustfulTarget",
        target=registry.forwarder.address,
        forwarder=registry.forwarder.address,
    )


# refused by the registry -----------------------------------------------------------------------
def test_registry_refusal_of_a_relayed_submission_surfaces_the_registry_error(registry: RegistryHarness) -> None:
    company_b = registry.actors.company_b
    project_id, index = planned_milestone(registry)  # company A's project
    evidence = doc("company b evidence")
    request = signed_submission(registry, project_id, index, evidence, signer=company_b)

    relay_refused(registry, request, "ProjectUnauthorizedCompany", projectId=project_id, account=company_b)

    assert nonce_of(registry, company_b) == 0
    assert_submission_untouched(registry, project_id, index, evidence)


def test_outcome_registry_refusal_of_a_relayed_outcome_surfaces_the_registry_error(
    registry: RegistryHarness,
) -> None:
    company_b = registry.actors.company_b
    project_id = registry.funded_project()  # company A's project
    evidence = doc("company b outcome")
    call = registry.outcomes.functions.addOutcome(project_id, OutcomeType.PAPER, "10.1000/xyz", NO_DETAILS, evidence)
    request = registry.sign(company_b, registry.outcomes, registry.calldata(call))

    # The grant registry's error passes through the outcome registry and then the forwarder.
    relay_refused(registry, request, "ProjectUnauthorizedCompany", projectId=project_id, account=company_b)

    assert registry.outcomes.functions.outcomeCount().call() == 0
    assert anchored_by(registry, evidence) == ZERO_ADDRESS


def test_relayed_call_the_registry_refuses_for_its_own_arguments_names_them(registry: RegistryHarness) -> None:
    project_id, index = planned_milestone(registry)
    data = registry.calldata(registry.grants.functions.submitMilestone(project_id, index, []))
    request = registry.sign(registry.actors.company_a, registry.grants, data)

    relay_refused(registry, request, "EvidenceMissing")

    missing = registry.calldata(registry.grants.functions.submitMilestone(project_id, index + 1, [doc("e")]))
    relay_refused(
        registry,
        registry.sign(registry.actors.company_a, registry.grants, missing),
        "MilestoneNotFound",
        projectId=project_id,
        milestoneIndex=index + 1,
    )
    assert milestone_state(registry, project_id, index) == (MilestoneStatus.PLANNED, 0)


def test_refused_request_stays_valid_and_succeeds_once_the_registry_accepts_it(registry: RegistryHarness) -> None:
    # A refusal reverts the whole relay, nonce included, so the signature is not used up: whoever
    # holds it may send it again until its deadline, and it goes through as soon as the state allows.
    company_a = registry.actors.company_a
    project_id, index = registry.submitted_milestone()
    evidence = doc("second attempt evidence")
    request = signed_submission(registry, project_id, index, evidence)
    relay_refused(
        registry,
        request,
        "MilestoneStatusInvalid",
        projectId=project_id,
        milestoneIndex=index,
        status=MilestoneStatus.SUBMITTED,
    )

    registry.send(
        registry.actors.auditor, registry.grants.functions.rejectMilestone(project_id, index, doc("incomplete"))
    )
    receipt = registry.relay(request)

    assert executed(registry, receipt) == {"signer": company_a, "nonce": 0, "success": True}
    assert registry.event(receipt, registry.grants, "MilestoneSubmitted")["attempt"] == 2
    assert milestone_state(registry, project_id, index) == (MilestoneStatus.SUBMITTED, 2)


def test_relayed_submission_is_credited_to_the_signer_not_the_company(registry: RegistryHarness) -> None:
    # Two clerks of one company: the record names the one who signed.
    company_a2 = registry.actors.company_a2
    project_id, index = planned_milestone(registry)
    evidence = doc("second clerk evidence")
    receipt = registry.relay(signed_submission(registry, project_id, index, evidence, signer=company_a2))

    assert registry.event(receipt, registry.grants, "MilestoneSubmitted")["submitter"] == company_a2
    assert anchored_by(registry, evidence) == company_a2
    assert registry.grants.functions.companyOf(company_a2).call() == COMPANY_A
    assert nonce_of(registry, company_a2) == 1
    assert nonce_of(registry, registry.actors.company_a) == 0
