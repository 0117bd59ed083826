"""Turns the raw revert data of a registry call into a `ContractRevert` naming the custom error.

One decoder for every registry contract: the outcome registry passes on the grant registry's
errors, and the forwarder passes on both, so selectors are looked up in the union of their ABIs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from eth_abi.abi import decode as abi_decode
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from web3.exceptions import ContractLogicError

from registry.domain.roles import Role
from registry.errors import (
    ContractRevert,
    InvalidInput,
    InvalidState,
    LimitExceeded,
    RecordNotFound,
    SignatureRejected,
    Unauthorized,
)

# Solidity's built-in errors: `revert("text")` and compiler panics.
_BUILTIN = {
    keccak(text="Error(string)")[:4]: ("Error", [("message", "string")]),
    keccak(text="Panic(uint256)")[:4]: ("Panic", [("code", "uint256")]),
}


def _canonical_type(entry: dict[str, Any]) -> str:
    kind = str(entry["type"])
    if kind.startswith("tuple"):
        inner = ",".join(_canonical_type(c) for c in entry["components"])
        return f"({inner}){kind[len('tuple') :]}"
    return kind


class RevertDecoder:
    """Knows every custom error of the given ABIs by its 4-byte selector."""

    def __init__(self, abis: Iterable[list[dict[str, Any]]]) -> None:
        self._errors: dict[bytes, tuple[str, list[tuple[str, str]]]] = dict(_BUILTIN)
        for abi in abis:
            for entry in abi:
                if entry.get("type") != "error":
                    continue
                inputs = [(i["name"] or f"arg{n}", _canonical_type(i)) for n, i in enumerate(entry["inputs"])]
                signature = f"{entry['name']}({','.join(t for _, t in inputs)})"
                self._errors[keccak(text=signature)[:4]] = (entry["name"], inputs)

    def decode(self, data: bytes) -> ContractRevert:
        """The error named by `data`'s selector, with its arguments decoded."""
        if len(data) < 4:
            return ContractRevert("EmptyRevert", {}, data)
        known = self._errors.get(data[:4])
        if known is None:
            return ContractRevert("UnknownError", {"selector": data[:4], "data": data[4:]}, data)
        name, inputs = known
        values = abi_decode([t for _, t in inputs], data[4:]) if inputs else ()
        args = {arg: _normalize(value, t) for (arg, t), value in zip(inputs, values, strict=True)}
        kind = _KINDS.get(name, ContractRevert)
        template = _EXPLANATIONS.get(name)
        explanation = template(args) if template else None
        return kind(name, args, data, explanation)

    def from_exception(self, exc: ContractLogicError) -> ContractRevert:
        """The decoded error behind a web3 revert exception."""
        return self.decode(revert_data(exc))


def revert_data(exc: ContractLogicError) -> bytes:
    """The raw revert bytes carried by a web3 revert exception."""
    data = exc.data
    if isinstance(data, dict):
        data = data.get("data") or ""
    if not data:
        return b""
    text = str(data)
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)


def _normalize(value: Any, abi_type: str) -> Any:
    if abi_type == "address":
        return to_checksum_address(value)
    return value


def _won(value: int) -> str:
    return f"₩{value:,}"


def _hex(value: bytes) -> str:
    return "0x" + value.hex()


def _status(enum_name: str) -> Callable[[int], str]:
    from registry.domain.enums import SOLIDITY_ENUMS

    def name(value: int) -> str:
        return SOLIDITY_ENUMS[enum_name](value).name.lower().replace("_", " ")

    return name


_KINDS: dict[str, type[ContractRevert]] = {
    **dict.fromkeys(
        ["ProgramNotFound", "ProjectNotFound", "MilestoneNotFound", "OutcomeNotFound",
         "CommercializationReportNotFound", "AuditNotFound"], RecordNotFound),
    **dict.fromkeys(
        ["AccessControlUnauthorizedAccount", "ProjectUnauthorizedCompany", "MilestoneTrancheReservedToAdmin",
         "MembershipNotParticipant",
         "MembershipRoleConflict", "MembershipCompanyRestricted", "AccessControlBadConfirmation",
         "AccessControlEnforcedDefaultAdminRules", "AccessControlEnforcedDefaultAdminDelay"], Unauthorized),
    **dict.fromkeys(
        ["ProgramNotOpen", "ProjectStatusInvalid", "MilestoneStatusInvalid", "OutcomeAlreadyRevoked",
         "OutcomeAlreadyAmended", "OutcomeIpTransitionInvalid", "CommercializationStatusInvalid",
         "CommercializationReportExists", "EvidenceAlreadyAnchored", "EvidenceBatchAlreadyAnchored",
         "MembershipAccountAlreadyBound", "MembershipAccountNotBound", "OutcomeNotIntellectualProperty"],
        InvalidState),
    **dict.fromkeys(
        ["ProgramBudgetExceeded", "ProjectAmountInvalid", "MilestoneTrancheExceedsGrant",
         "AuditClawbackExceedsGrant", "ProgramCapInvalid"], LimitExceeded),
    **dict.fromkeys(
        ["ProgramNameEmpty", "ProjectPeriodInvalid", "MilestoneDueDateMissing", "EvidenceHashZero",
         "EvidenceMissing", "EvidenceBatchEmpty", "OutcomeTypeMissing", "AuditGradeMissing",
         "CommercializationCommitmentZero", "CommercializationRevealMismatch", "MembershipCompanyIdZero",
         "MembershipAccountZero"], InvalidInput),
    **dict.fromkeys(
        ["ERC2771ForwarderInvalidSigner", "ERC2771ForwarderExpiredRequest", "ERC2771UntrustfulTarget",
         "ERC2771ForwarderMismatchedValue", "InvalidAccountNonce"], SignatureRejected),
}  # fmt: skip


def _role(value: bytes) -> str:
    role = Role.from_id(value)
    return role.label if role else _hex(value)


_EXPLANATIONS: dict[str, Callable[[dict[str, Any]], str]] = {
    "AccessControlUnauthorizedAccount": lambda a: (
        f"{a['account']} does not hold the {_role(a['neededRole'])} role"),
    "ProjectUnauthorizedCompany": lambda a: (
        f"{a['account']} does not act for the company of project {a['projectId']}"),
    "MembershipNotParticipant": lambda a: f"{a['account']} holds no registry role and no company binding",
    "MembershipRoleConflict": lambda a: (
        f"{a['account']} cannot be a company account and {_role(a['role'])} at once"),
    "MembershipCompanyRestricted": lambda a: (
        f"company {_hex(a['companyId'])} is barred from new grants until "
        f"{datetime.fromtimestamp(a['until'], UTC):%Y-%m-%d}"),
    "MembershipAccountAlreadyBound": lambda a: (
        f"{a['account']} is already bound to company {_hex(a['companyId'])}"),
    "MembershipAccountNotBound": lambda a: f"{a['account']} is not bound to any company",
    "MembershipCompanyIdZero": lambda a: "a company identity is required",
    "ProgramNotFound": lambda a: f"there is no program {a['programId']}",
    "ProgramNotOpen": lambda a: f"program {a['programId']} is closed",
    "ProgramNameEmpty": lambda a: "a program needs a name",
    "ProgramCapInvalid": lambda a: (
        f"the per-project cap {_won(a['perProjectCap'])} must be above zero and at most the budget "
        f"{_won(a['budget'])}"),
    "ProgramBudgetExceeded": lambda a: (
        f"program {a['programId']} has {_won(a['remaining'])} left of its budget; "
        f"{_won(a['amount'])} was asked"),
    "ProjectNotFound": lambda a: f"there is no project {a['projectId']}",
    "ProjectAmountInvalid": lambda a: (
        f"{_won(a['amount'])} is not allowed: program {a['programId']} grants between ₩1 and "
        f"{_won(a['perProjectCap'])} per project"),
    "ProjectPeriodInvalid": lambda a: "the project must end after it starts",
    "ProjectStatusInvalid": lambda a: (
        f"project {a['projectId']} is {_status('ProjectStatus')(a['status'])}, which does not allow this"),
    "MilestoneNotFound": lambda a: f"project {a['projectId']} has no milestone {a['milestoneIndex']}",
    "MilestoneStatusInvalid": lambda a: (
        f"milestone {a['milestoneIndex']} of project {a['projectId']} is "
        f"{_status('MilestoneStatus')(a['status'])}, which does not allow this"),
    "MilestoneTrancheExceedsGrant": lambda a: (
        f"a tranche of {_won(a['tranche'])} exceeds what is left of project {a['projectId']}'s grant "
        f"({_won(a['remaining'])})"),
    "MilestoneDueDateMissing": lambda a: "a milestone needs a due date",
    "MilestoneTrancheReservedToAdmin": lambda a: (
        f"only the city admin plans milestones that release payment; plan project {a['projectId']}'s "
        "milestone with tranche 0 or ask the program office"
    ),
    "EvidenceHashZero": lambda a: "a document is required here (its hash was zero)",
    "EvidenceMissing": lambda a: "at least one evidence document is required",
    "EvidenceAlreadyAnchored": lambda a: (
        f"document {_hex(a['documentHash'])} was already anchored at block {a['blockNumber']:,}"),
    "EvidenceBatchAlreadyAnchored": lambda a: (
        f"batch {_hex(a['root'])} was already anchored at block {a['blockNumber']:,}"),
    "EvidenceBatchEmpty": lambda a: "a batch must hold at least one document",
    "OutcomeNotFound": lambda a: f"there is no outcome {a['outcomeId']}",
    "OutcomeTypeMissing": lambda a: "an outcome needs a type",
    "OutcomeAlreadyRevoked": lambda a: f"outcome {a['outcomeId']} was revoked and cannot change",
    "OutcomeAlreadyAmended": lambda a: (
        f"outcome {a['outcomeId']} was already corrected by outcome {a['amendedBy']}; act on that one"),
    "OutcomeNotIntellectualProperty": lambda a: (
        f"outcome {a['outcomeId']} is a {_status('OutcomeType')(a['outcomeType'])}, which has no IP status"),
    "OutcomeIpTransitionInvalid": lambda a: (
        f"the IP status of outcome {a['outcomeId']} cannot go from {_status('IpStatus')(a['from'])} to "
        f"{_status('IpStatus')(a['to'])}"),
    "CommercializationReportNotFound": lambda a: f"there is no commercialization report {a['reportId']}",
    "CommercializationReportExists": lambda a: (
        f"report {a['reportId']} already stands for project {a['projectId']} in {a['year']}; "
        "a new one is possible only after an auditor disputes it"),
    "CommercializationStatusInvalid": lambda a: (
        f"report {a['reportId']} is {_status('ReportStatus')(a['status'])}, which does not allow this"),
    "CommercializationRevealMismatch": lambda a: (
        f"the figures and salt do not match what report {a['reportId']} committed to"),
    "CommercializationCommitmentZero": lambda a: "a commitment hash is required",
    "AuditNotFound": lambda a: f"there is no audit {a['auditId']}",
    "AuditGradeMissing": lambda a: "an evaluation needs a grade",
    "AuditClawbackExceedsGrant": lambda a: (
        f"a clawback of {_won(a['clawbackAmount'])} exceeds project {a['projectId']}'s grant of "
        f"{_won(a['amount'])}"),
    "ERC2771ForwarderInvalidSigner": lambda a: (
        f"the signature is not {a['from']}'s for this chain, forwarder and nonce (it was already used, "
        "tampered with, or signed for another chain)"),
    "ERC2771ForwarderExpiredRequest": lambda a: (
        f"the signed request expired at {datetime.fromtimestamp(a['deadline'], UTC):%Y-%m-%d %H:%M} UTC"),
}  # fmt: skip
