"""`find_citations` against the session anvil: every event that cites a document, found on the chain
alone, with the argument that cites it and who did."""

from __future__ import annotations

from registry.checking.citations import find_citations
from registry.checking.records import RegistryAddresses
from tests.checking.scenarios import anchor_document, anchor_outcome_evidence, reader_for, sha256
from tests.helpers.registry import RegistryHarness


def addresses_of(registry: RegistryHarness) -> RegistryAddresses:
    return RegistryAddresses(registry.grants.address, registry.outcomes.address)


def test_outcome_evidence_is_found_as_the_outcome_registrys_citation_by_its_submitter(
    registry: RegistryHarness,
) -> None:
    anchored = anchor_outcome_evidence(registry)
    node = reader_for(registry)
    [citation] = find_citations(node, addresses_of(registry), sha256(anchored.content), registry.w3.eth.block_number)
    assert (citation.event.contract, citation.event.name) == ("OutcomeRegistry", "OutcomeAdded")
    assert citation.arguments == ("evidenceHash",) and citation.actor == registry.actors.company_a
    assert citation.block_time == registry.w3.eth.get_block(citation.event.block_number)["timestamp"]


def test_a_document_no_event_cites_has_no_citations_and_the_block_bounds_the_search(
    registry: RegistryHarness,
) -> None:
    node = reader_for(registry)
    before = registry.w3.eth.block_number
    anchored = anchor_document(registry, b"minutes of the evaluation committee")
    digest = sha256(anchored.content)
    assert find_citations(node, addresses_of(registry), sha256(b"never anchored"), registry.w3.eth.block_number) == []
    assert find_citations(node, addresses_of(registry), digest, before) == []
    [citation] = find_citations(node, addresses_of(registry), digest, registry.w3.eth.block_number)
    assert citation.event.name == "DocumentAnchored" and citation.actor == registry.actors.member
