"""Whether a log the chain holds really is the citation a copy claims: the event named, emitted by a
registry contract, about the record named, with the document's hash among its arguments.

A copy names a citation by the transaction and log index of its event; the node's receipt of that
transaction gives the log, and this judges it. The API's live check and the CLI's receipts both use
it, so they cannot disagree about what a citation proves. `find_citations` goes the other way, for
a reader with no copy: every event on the chain that cites a document (`rnd-registry verify`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from eth_utils.address import to_checksum_address

from registry.chain.anchor_book import CitedLog
from registry.checking.node import Node
from registry.checking.records import LoggedEvent, RegistryAddresses, decode_log
from registry.checking.spec import event_type, events_by_topic

#: The event arguments that name each kind of record a citation may be of.
RECORD_ARGUMENTS = {
    "program": ("programId",),
    "project": ("projectId",),
    "milestone": ("projectId", "milestoneIndex"),
    "audit": ("auditId",),
    "outcome": ("outcomeId",),
    "report": ("reportId",),
    "document": (),
}

CitationStatus = Literal["confirmed", "disagrees", "not-checked"]


@dataclass(frozen=True)
class CitationClaim:
    """What a copy says one event says about a document."""

    document_hash: bytes
    event: str | None
    record_type: str
    record_id: int
    milestone_index: int | None
    transaction_hash: bytes
    log_index: int
    block_number: int


@dataclass(frozen=True)
class CitationCheck:
    status: CitationStatus
    message: str


def _contains(value: Any, digest: bytes) -> bool:
    if isinstance(value, bytes | bytearray):
        return bytes(value) == digest
    if isinstance(value, list | tuple):
        return any(_contains(item, digest) for item in value)
    if isinstance(value, dict):
        return any(_contains(item, digest) for item in value.values())
    return False


@lru_cache(maxsize=1024)
def _checksummed(address: str) -> str:
    """EIP-55, which costs a keccak per call, of the few addresses citations name (the registry's)."""
    return str(to_checksum_address(address))


def judge_citation(claim: CitationClaim, log: CitedLog | None, contracts: Collection[str]) -> CitationCheck:
    """The chain's word on one citation: `log` is what the node has at the claim's transaction and
    log index (None if nothing), `contracts` the registry's grant and outcome registries."""
    where = f"transaction 0x{claim.transaction_hash.hex()}, log {claim.log_index}"
    if log is None:
        return CitationCheck("disagrees", f"the chain has no log at {where}")
    address = _checksummed(log.address)
    names = {_checksummed(c): name for c, name in zip(contracts, ("GrantRegistry", "OutcomeRegistry"), strict=False)}
    contract = names.get(address)
    if contract is None:
        return CitationCheck("disagrees", f"the log at {where} was emitted by {address}, not by the registry")
    event = events_by_topic().get((contract, log.topics[0])) if log.topics else None
    if event is None:
        return CitationCheck("disagrees", f"the log at {where} is no event of the {contract}")
    if claim.event is not None and event.name != claim.event:
        return CitationCheck("disagrees", f"the log at {where} is a {event.name} event, not {claim.event}")
    if log.block_number != claim.block_number:
        return CitationCheck(
            "disagrees", f"the log at {where} is in block {log.block_number:,}, not {claim.block_number:,}"
        )
    try:
        args = event.decode_log(list(log.topics), log.data)
    except Exception:
        return CitationCheck("disagrees", f"the {event.name} log at {where} does not decode as the registry's")
    for argument in RECORD_ARGUMENTS.get(claim.record_type, ()):
        expected = claim.milestone_index if argument == "milestoneIndex" else claim.record_id
        if argument in args and int(args[argument]) != expected:
            return CitationCheck(
                "disagrees", f"the {event.name} event at {where} is about {argument} {args[argument]}, not {expected}"
            )
    if not _contains(args, claim.document_hash):
        return CitationCheck(
            "disagrees", f"the {event.name} event at {where} does not name document 0x{claim.document_hash.hex()}"
        )
    return CitationCheck("confirmed", f"the {event.name} event at {where} names the document")



#: The event arguments that cite a document by its SHA-256, and the argument naming who cited it, per
#: (contract, event): what `find_citations` looks for. Every other bytes32 of an event (a role, a
#: company id, a commitment, a batch root) names something else.
CITING_ARGUMENTS: dict[tuple[str, str], tuple[tuple[str, ...], str]] = {
    ("GrantRegistry", "DocumentAnchored"): (("documentHash",), "anchoredBy"),
    ("GrantRegistry", "BatchAnchored"): (("manifestHash",), "anchoredBy"),
    ("GrantRegistry", "ProgramCreated"): (("metadataHash",), "admin"),
    ("GrantRegistry", "ProjectRegistered"): (("planHash",), "admin"),
    ("GrantRegistry", "ProjectStatusChanged"): (("documentHash",), "actor"),
    ("GrantRegistry", "MilestonePlanned"): (("descriptionHash",), "actor"),
    ("GrantRegistry", "MilestoneSubmitted"): (("evidenceHashes",), "submitter"),
    ("GrantRegistry", "MilestoneApproved"): (("reviewHash",), "auditor"),
    ("GrantRegistry", "MilestoneRejected"): (("reasonHash",), "auditor"),
    ("GrantRegistry", "AuditRecorded"): (("findingsHash",), "auditor"),
    ("OutcomeRegistry", "OutcomeAdded"): (("evidenceHash",), "submitter"),
    ("OutcomeRegistry", "OutcomeAmended"): (("evidenceHash", "reasonHash"), "submitter"),
    ("OutcomeRegistry", "OutcomeRevocation"): (("reasonHash",), "actor"),
    ("OutcomeRegistry", "IpStatusChanged"): (("evidenceHash",), "actor"),
    ("OutcomeRegistry", "CommercializationReported"): (("evidenceHash",), "submitter"),
    ("OutcomeRegistry", "CommercializationCommitted"): (("evidenceHash",), "submitter"),
    ("OutcomeRegistry", "CommercializationVerified"): (("noteHash",), "auditor"),
    ("OutcomeRegistry", "CommercializationDisputed"): (("reasonHash",), "auditor"),
    ("OutcomeRegistry", "ObjectionFiled"): (("evidenceHash",), "company"),
    ("OutcomeRegistry", "ObjectionResolved"): (("reasonHash",), "auditor"),
}


#: The hash an event holds where its optional document was not given.
NO_DOCUMENT = bytes(32)


@dataclass(frozen=True)
class FoundCitation:
    """An event the node holds that cites the document: which of its arguments do, who cited it, and
    when (the block's time, as the node says)."""

    event: LoggedEvent
    arguments: tuple[str, ...]
    actor: str
    block_time: int


def find_citations(node: Node, addresses: RegistryAddresses, digest: bytes, block: int) -> list[FoundCitation]:
    """Every event of the grant and outcome registries, from their deployment to `block`, that cites
    `digest` (`CITING_ARGUMENTS`), oldest first. Read from `node` alone: each is what the chain holds."""
    return citations_by_document(node, addresses, block, only=digest).get(digest, [])


def citations_by_document(
    node: Node,
    addresses: RegistryAddresses,
    block: int,
    *,
    events: Collection[tuple[str, str]] = tuple(CITING_ARGUMENTS),
    only: bytes | None = None,
) -> dict[bytes, list[FoundCitation]]:
    """Every document the chain's events cite, from the registries' deployment to `block`, with its
    citations oldest first (of `events` only, when given; of the document `only`, when given).

    A document's hash is an indexed topic in none of the citing events but DocumentAnchored, so the
    logs of every citing event are read and decoded: a registry's whole history, as the indexer reads
    it, in one pass for all documents."""
    found: dict[bytes, list[FoundCitation]] = {}
    for contract in ("GrantRegistry", "OutcomeRegistry"):
        topics = ["0x" + event_type(contract, event).topic0.hex()
                  for (owner, event) in CITING_ARGUMENTS if owner == contract and (owner, event) in events]  # fmt: skip
        if not topics:
            continue
        for raw in node.logs(addresses.of(contract), [topics], addresses.first_block, block):
            logged = decode_log(contract, raw)
            if logged is None:
                continue
            arguments, actor = CITING_ARGUMENTS[(contract, logged.name)]
            cited: dict[bytes, list[str]] = {}
            for name in arguments:
                value = logged.args[name]
                for digest in value if isinstance(value, list | tuple) else [value]:
                    if bytes(digest) == NO_DOCUMENT:
                        continue  # an optional document left out (no review note, say)
                    if only is None or bytes(digest) == only:
                        cited.setdefault(bytes(digest), []).append(name)
            by = str(to_checksum_address(logged.args[actor]))
            for digest, names in cited.items():
                when = node.block(logged.block_number).timestamp
                found.setdefault(digest, []).append(FoundCitation(logged, tuple(dict.fromkeys(names)), by, when))
    for citations in found.values():
        citations.sort(key=lambda citation: citation.event.position)
    return found
