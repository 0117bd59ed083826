"""Turns the raw revert data of a registry call into a `ContractRevert` naming the custom error, and
explains it in English or Korean (`explain`): one table per language, used by every face.

One decoder for every registry contract: the outcome registry passes on the grant registry's
errors, and the forwarder passes on both, so selectors are looked up in the union of their ABIs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Literal

from eth_abi.abi import decode as abi_decode
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from web3.exceptions import ContractLogicError

from registry.domain.money import format_won_korean
from registry.domain.objections import contested_decision, contested_decision_ko
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
         "CommercializationReportNotFound", "AuditNotFound", "ObjectionNotFound", "ObjectionDecisionNotFound"],
        RecordNotFound),
    **dict.fromkeys(
        ["AccessControlUnauthorizedAccount", "ProjectUnauthorizedCompany", "MilestoneTrancheReservedToAdmin",
         "MembershipNotParticipant",
         "MembershipRoleConflict", "MembershipCompanyRestricted", "AccessControlBadConfirmation",
         "AccessControlEnforcedDefaultAdminRules", "AccessControlEnforcedDefaultAdminDelay",
         "AuditSanctionAlreadyConfirmed", "ObjectionOwnDecision"], Unauthorized),
    **dict.fromkeys(
        ["ProgramNotOpen", "ProjectStatusInvalid", "MilestoneStatusInvalid", "OutcomeAlreadyRevoked",
         "OutcomeAlreadyAmended", "OutcomeIpTransitionInvalid", "CommercializationStatusInvalid",
         "CommercializationReportExists", "EvidenceAlreadyAnchored", "EvidenceBatchAlreadyAnchored",
         "MembershipAccountAlreadyBound", "MembershipAccountNotBound", "OutcomeNotIntellectualProperty",
         "AuditSanctionNotPending", "AuditSanctionObjected", "ObjectionAlreadyFiled", "ObjectionNotOpen"],
        InvalidState),
    **dict.fromkeys(
        ["ProgramBudgetExceeded", "ProjectAmountInvalid", "MilestoneTrancheExceedsGrant",
         "AuditClawbackAboveLimit", "AuditRestrictionAboveLimit", "ProgramCapInvalid", "ObjectionWindowClosed"],
        LimitExceeded),
    **dict.fromkeys(
        ["ProgramNameEmpty", "ProjectPeriodInvalid", "MilestoneDueDateMissing", "EvidenceHashZero",
         "EvidenceMissing", "EvidenceBatchEmpty", "OutcomeTypeMissing", "AuditGradeMissing",
         "CommercializationCommitmentZero", "CommercializationRevealMismatch", "MembershipCompanyIdZero",
         "MembershipAccountZero", "MembershipCompanyNameMissing", "MembershipCompanyNameTooLong",
         "MembershipCompanyNameUnchanged", "ProgramRulesInvalid", "AuditQuorumInvalid"], InvalidInput),
    **dict.fromkeys(
        ["ERC2771ForwarderInvalidSigner", "ERC2771ForwarderExpiredRequest", "ERC2771UntrustfulTarget",
         "ERC2771ForwarderMismatchedValue", "InvalidAccountNonce"], SignatureRejected),
}  # fmt: skip


def _day(value: int) -> str:
    return f"{datetime.fromtimestamp(value, UTC):%Y-%m-%d}"


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
    "AuditClawbackAboveLimit": lambda a: (
        f"a clawback of {_won(a['clawbackAmount'])} is above what project {a['projectId']}'s program allows "
        f"({_won(a['limit'])}, its largest clawback percent of the grant)"),
    "AuditRestrictionAboveLimit": lambda a: (
        f"a restriction until {_day(a['restrictedUntil'])} is longer than project {a['projectId']}'s program "
        f"allows (at most until {_day(a['limit'])})"),
    "AuditSanctionNotPending": lambda a: (
        f"the sanction of evaluation {a['auditId']} is {_status('SanctionStatus')(a['status'])}, not pending "
        "confirmation"),
    "AuditSanctionAlreadyConfirmed": lambda a: (
        f"{a['auditor']} recorded or already confirmed the sanction of evaluation {a['auditId']}; "
        "another auditor must confirm it"),
    "AuditSanctionObjected": lambda a: (
        f"objection {a['objectionId']} against evaluation {a['auditId']} is open; it must be resolved before "
        "the sanction can be confirmed"),
    "AuditQuorumInvalid": lambda a: f"a sanction needs at least two auditors; {a['quorum']} is too few",
    "MembershipCompanyNameMissing": lambda a: (
        f"company {_hex(a['companyId'])} has no public name yet: give its name (상호) with its first binding"),
    "MembershipCompanyNameTooLong": lambda a: f"a company name is at most 200 bytes; it was {a['length']}",
    "MembershipCompanyNameUnchanged": lambda a: f"company {_hex(a['companyId'])} already has that name",
    "ProgramRulesInvalid": lambda a: (
        f"a program needs at least one follow-up year and an objection window of at least one day "
        f"(given {a['followUpYears']} years, {a['objectionDays']} days)"),
    "ObjectionNotFound": lambda a: f"there is no objection {a['objectionId']}",
    "ObjectionDecisionNotFound": lambda a: (
        f"there is no {contested_decision(a['subject'], a['subjectId'], a['milestoneIndex'])} to object to"),
    "ObjectionWindowClosed": lambda a: (
        f"the objection window for the {contested_decision(a['subject'], a['subjectId'])} closed on "
        f"{datetime.fromtimestamp(a['deadline'], UTC):%Y-%m-%d %H:%M} UTC"),
    "ObjectionAlreadyFiled": lambda a: f"objection {a['objectionId']} was already filed against this decision",
    "ObjectionNotOpen": lambda a: (
        f"objection {a['objectionId']} is {_status('ObjectionStatus')(a['status'])}, no longer open"),
    "ObjectionOwnDecision": lambda a: (
        f"{a['auditor']} made the decision objection {a['objectionId']} contests; another auditor must "
        "resolve it"),
    "ERC2771ForwarderInvalidSigner": lambda a: (
        f"the signature is not {a['from']}'s for this chain, forwarder and nonce (it was already used, "
        "tampered with, or signed for another chain)"),
    "ERC2771ForwarderExpiredRequest": lambda a: (
        f"the signed request expired at {datetime.fromtimestamp(a['deadline'], UTC):%Y-%m-%d %H:%M} UTC"),
}  # fmt: skip


#: The languages a refusal can be explained in: the portal's two.
Language = Literal["ko", "en"]


def explain(revert: ContractRevert, language: Language) -> str:
    """`revert` explained in `language`, its error and arguments after it in brackets, as `str(revert)`
    says it in English. An error the Korean table does not explain is named in a Korean sentence."""
    if language == "en":
        return str(revert)
    template = _KOREAN_EXPLANATIONS.get(revert.error)
    if template is None:
        return f"등록부가 이 요청을 거부했습니다 [{revert.signature}]"
    return f"{template(revert.args_by_name)} [{revert.signature}]"


def _won_ko(value: int) -> str:
    return format_won_korean(value)


def _day_ko(value: int) -> str:
    return f"{datetime.fromtimestamp(value, UTC):%Y-%m-%d}"


def _time_ko(value: int) -> str:
    return f"{datetime.fromtimestamp(value, UTC):%Y-%m-%d %H:%M} UTC"


#: The words of the portal's Korean catalogue (registry/web/messages/ko.json, `enum.*`) for the values
#: a refusal names; tests/chain/test_reverts.py holds the two equal.
KOREAN_LABELS: dict[str, dict[str, str]] = {
    "ProjectStatus": {"NONE": "없음", "ACTIVE": "수행 중", "COMPLETED": "완료", "TERMINATED": "중단",
                      "CLAWED_BACK": "환수"},
    "MilestoneStatus": {"NONE": "없음", "PLANNED": "계획", "SUBMITTED": "제출", "APPROVED": "승인",
                        "REJECTED": "반려"},
    "OutcomeType": {"NONE": "없음", "PAPER": "논문", "PATENT_APPLICATION": "특허 출원",
                    "PATENT_REGISTRATION": "특허 등록", "REPORT": "보고서", "RESEARCH_EQUIPMENT": "연구시설·장비",
                    "TECHNOLOGY_SUMMARY": "기술요약정보", "SOFTWARE": "소프트웨어", "COMPOUND": "화합물",
                    "BIOLOGICAL_RESOURCE": "생명자원", "PLANT_VARIETY": "신품종", "PROTOTYPE": "시제품",
                    "CERTIFICATION": "인증", "TECHNOLOGY_TRANSFER": "기술이전"},
    "IpStatus": {"NONE": "해당 없음", "FILED": "출원", "REGISTERED": "등록", "LICENSED": "실시 허락",
                 "TRANSFERRED": "양도", "LAPSED": "소멸"},
    "ReportStatus": {"NONE": "없음", "COMMITTED": "약정(비공개)", "REPORTED": "보고", "VERIFIED": "검증",
                     "DISPUTED": "이의 제기"},
    "SanctionStatus": {"NONE": "제재 없음", "PENDING": "확정 대기", "IN_EFFECT": "효력 발생", "CANCELLED": "취소"},
    "ObjectionStatus": {"NONE": "없음", "OPEN": "심사 중", "UPHELD": "인용", "DISMISSED": "기각"},
    "ObjectionSubject": {"NONE": "없음", "MILESTONE_REJECTION": "단계 목표 반려", "REPORT_DISPUTE": "실적 보고 이의",
                         "EVALUATION": "평가"},
    "Role": {"TOP_ADMIN": "최고 관리자", "ADMIN": "관리자", "AUDITOR": "감사·평가위원", "MEMBER": "회원",
             "MODULE": "등록부 모듈"},
}  # fmt: skip


def _status_ko(enum_name: str) -> Callable[[int], str]:
    from registry.domain.enums import SOLIDITY_ENUMS

    def name(value: int) -> str:
        return KOREAN_LABELS[enum_name][SOLIDITY_ENUMS[enum_name](value).name]

    return name


def _role_ko(value: bytes) -> str:
    role = Role.from_id(value)
    return KOREAN_LABELS["Role"][role.name] if role else _hex(value)


_KOREAN_EXPLANATIONS: dict[str, Callable[[dict[str, Any]], str]] = {
    "AccessControlUnauthorizedAccount": lambda a: (
        f"{a['account']} 계정에는 '{_role_ko(a['neededRole'])}' 역할이 없습니다"),
    "ProjectUnauthorizedCompany": lambda a: (
        f"{a['account']} 계정은 {a['projectId']}번 과제를 수행하는 기업의 계정이 아닙니다"),
    "MembershipNotParticipant": lambda a: f"{a['account']} 계정은 등록부의 역할도, 연결된 기업도 없습니다",
    "MembershipRoleConflict": lambda a: (
        f"{a['account']} 계정은 기업 계정이면서 동시에 '{_role_ko(a['role'])}'일 수 없습니다"),
    "MembershipCompanyRestricted": lambda a: (
        f"기업 {_hex(a['companyId'])}은(는) {_day_ko(a['until'])}까지 새 지원에 참여할 수 없습니다(참여제한)"),
    "MembershipAccountAlreadyBound": lambda a: (
        f"{a['account']} 계정은 이미 기업 {_hex(a['companyId'])}에 연결되어 있습니다"),
    "MembershipAccountNotBound": lambda a: f"{a['account']} 계정은 어느 기업에도 연결되어 있지 않습니다",
    "MembershipCompanyIdZero": lambda a: "기업 식별값이 필요합니다",
    "ProgramNotFound": lambda a: f"{a['programId']}번 지원사업은 없습니다",
    "ProgramNotOpen": lambda a: f"{a['programId']}번 지원사업은 마감되었습니다",
    "ProgramNameEmpty": lambda a: "지원사업에는 이름이 필요합니다",
    "ProgramCapInvalid": lambda a: (
        f"과제당 상한액 {_won_ko(a['perProjectCap'])}은 0원보다 크고 예산 {_won_ko(a['budget'])} 이하여야 합니다"),
    "ProgramBudgetExceeded": lambda a: (
        f"{a['programId']}번 지원사업의 남은 예산은 {_won_ko(a['remaining'])}인데 {_won_ko(a['amount'])}을 "
        "요청했습니다"),
    "ProjectNotFound": lambda a: f"{a['projectId']}번 과제는 없습니다",
    "ProjectAmountInvalid": lambda a: (
        f"{_won_ko(a['amount'])}은 지원할 수 없는 금액입니다: {a['programId']}번 지원사업은 과제당 1 원부터 "
        f"{_won_ko(a['perProjectCap'])}까지 지원합니다"),
    "ProjectPeriodInvalid": lambda a: "과제의 종료일은 시작일보다 뒤여야 합니다",
    "ProjectStatusInvalid": lambda a: (
        f"{a['projectId']}번 과제는 '{_status_ko('ProjectStatus')(a['status'])}' 상태여서 이 작업을 할 수 없습니다"),
    "MilestoneNotFound": lambda a: f"{a['projectId']}번 과제에는 {a['milestoneIndex']}번 단계 목표가 없습니다",
    "MilestoneStatusInvalid": lambda a: (
        f"{a['projectId']}번 과제의 {a['milestoneIndex']}번 단계 목표는 "
        f"'{_status_ko('MilestoneStatus')(a['status'])}' 상태여서 이 작업을 할 수 없습니다"),
    "MilestoneTrancheExceedsGrant": lambda a: (
        f"지급액 {_won_ko(a['tranche'])}은 {a['projectId']}번 과제 지원액의 남은 금액 "
        f"{_won_ko(a['remaining'])}을 넘습니다"),
    "MilestoneDueDateMissing": lambda a: "단계 목표에는 기한이 필요합니다",
    "MilestoneTrancheReservedToAdmin": lambda a: (
        f"지급액이 있는 단계 목표는 시 관리자만 계획할 수 있습니다. {a['projectId']}번 과제의 단계 목표를 지급액 0으로 "
        "계획하거나 사업 담당 부서에 요청하세요"),
    "EvidenceHashZero": lambda a: "여기에는 문서가 필요합니다(문서 해시가 0이었습니다)",
    "EvidenceMissing": lambda a: "증빙 문서가 하나 이상 필요합니다",
    "EvidenceAlreadyAnchored": lambda a: (
        f"문서 {_hex(a['documentHash'])}은(는) 이미 {a['blockNumber']:,}번 블록에 기록되었습니다"),
    "EvidenceBatchAlreadyAnchored": lambda a: (
        f"문서 묶음 {_hex(a['root'])}은(는) 이미 {a['blockNumber']:,}번 블록에 기록되었습니다"),
    "EvidenceBatchEmpty": lambda a: "문서 묶음에는 문서가 하나 이상 있어야 합니다",
    "OutcomeNotFound": lambda a: f"{a['outcomeId']}번 성과는 없습니다",
    "OutcomeTypeMissing": lambda a: "성과에는 유형이 필요합니다",
    "OutcomeAlreadyRevoked": lambda a: f"{a['outcomeId']}번 성과는 취소되어 더 바꿀 수 없습니다",
    "OutcomeAlreadyAmended": lambda a: (
        f"{a['outcomeId']}번 성과는 이미 {a['amendedBy']}번 성과로 정정되었습니다. 그 성과에 대해 진행하세요"),
    "OutcomeNotIntellectualProperty": lambda a: (
        f"{a['outcomeId']}번 성과는 '{_status_ko('OutcomeType')(a['outcomeType'])}' 유형이어서 지식재산 상태가 "
        "없습니다"),
    "OutcomeIpTransitionInvalid": lambda a: (
        f"{a['outcomeId']}번 성과의 지식재산 상태는 '{_status_ko('IpStatus')(a['from'])}'에서 "
        f"'{_status_ko('IpStatus')(a['to'])}'(으)로 바뀔 수 없습니다"),
    "CommercializationReportNotFound": lambda a: f"{a['reportId']}번 사업화 실적 보고는 없습니다",
    "CommercializationReportExists": lambda a: (
        f"{a['projectId']}번 과제의 {a['year']}년 보고로 이미 {a['reportId']}번 보고가 있습니다. 평가위원이 이의를 "
        "제기한 뒤에만 새로 보고할 수 있습니다"),
    "CommercializationStatusInvalid": lambda a: (
        f"{a['reportId']}번 보고는 '{_status_ko('ReportStatus')(a['status'])}' 상태여서 이 작업을 할 수 없습니다"),
    "CommercializationRevealMismatch": lambda a: (
        f"입력한 수치와 솔트가 {a['reportId']}번 보고가 약정한 값과 맞지 않습니다"),
    "CommercializationCommitmentZero": lambda a: "약정 해시가 필요합니다",
    "AuditNotFound": lambda a: f"{a['auditId']}번 평가는 없습니다",
    "AuditGradeMissing": lambda a: "평가에는 등급이 필요합니다",
    "AuditClawbackAboveLimit": lambda a: (
        f"환수액 {_won_ko(a['clawbackAmount'])}은 {a['projectId']}번 과제의 지원사업이 허용하는 한도 "
        f"{_won_ko(a['limit'])}(지원액 대비 최대 환수 비율)를 넘습니다"),
    "AuditRestrictionAboveLimit": lambda a: (
        f"{_day_ko(a['restrictedUntil'])}까지의 참여제한은 {a['projectId']}번 과제의 지원사업이 허용하는 기간"
        f"({_day_ko(a['limit'])}까지)보다 깁니다"),
    "AuditSanctionNotPending": lambda a: (
        f"{a['auditId']}번 평가의 제재는 '{_status_ko('SanctionStatus')(a['status'])}' 상태여서 확정할 수 없습니다"),
    "AuditSanctionAlreadyConfirmed": lambda a: (
        f"{a['auditor']} 계정은 {a['auditId']}번 평가의 제재를 기록했거나 이미 확정했습니다. 다른 평가위원이 확정해야 "
        "합니다"),
    "AuditSanctionObjected": lambda a: (
        f"{a['auditId']}번 평가에 대한 {a['objectionId']}번 이의신청이 심사 중입니다. 이의신청을 처리한 뒤에 제재를 "
        "확정할 수 있습니다"),
    "AuditQuorumInvalid": lambda a: f"제재에는 평가위원이 두 명 이상 필요합니다. {a['quorum']}명은 너무 적습니다",
    "MembershipCompanyNameMissing": lambda a: (
        f"기업 {_hex(a['companyId'])}에는 아직 공개된 상호가 없습니다. 첫 계정을 연결할 때 상호를 함께 입력하세요"),
    "MembershipCompanyNameTooLong": lambda a: f"상호는 200바이트 이하여야 합니다({a['length']}바이트를 입력했습니다)",
    "MembershipCompanyNameUnchanged": lambda a: f"기업 {_hex(a['companyId'])}의 상호가 이미 그 이름입니다",
    "ProgramRulesInvalid": lambda a: (
        f"지원사업에는 추적 기간 1년 이상, 이의신청 기간 1일 이상이 필요합니다(입력: {a['followUpYears']}년, "
        f"{a['objectionDays']}일)"),
    "ObjectionNotFound": lambda a: f"{a['objectionId']}번 이의신청은 없습니다",
    "ObjectionDecisionNotFound": lambda a: (
        f"이의를 신청할 결정({contested_decision_ko(a['subject'], a['subjectId'], a['milestoneIndex'])})이 없습니다"),
    "ObjectionWindowClosed": lambda a: (
        f"{contested_decision_ko(a['subject'], a['subjectId'])}에 대한 이의신청 기간이 {_time_ko(a['deadline'])}에 "
        "끝났습니다"),
    "ObjectionAlreadyFiled": lambda a: f"이 결정에는 이미 {a['objectionId']}번 이의신청이 있습니다",
    "ObjectionNotOpen": lambda a: (
        f"{a['objectionId']}번 이의신청은 '{_status_ko('ObjectionStatus')(a['status'])}' 상태여서 더 처리할 수 "
        "없습니다"),
    "ObjectionOwnDecision": lambda a: (
        f"{a['auditor']} 계정은 {a['objectionId']}번 이의신청이 다투는 결정을 내린 계정입니다. 다른 평가위원이 "
        "처리해야 합니다"),
    "ERC2771ForwarderInvalidSigner": lambda a: (
        f"서명이 이 체인, 이 포워더, 이 순번에 대한 {a['from']}의 서명이 아닙니다(이미 쓰였거나, 서명 뒤에 바뀌었거나, "
        "다른 체인용으로 서명되었습니다)"),
    "ERC2771ForwarderExpiredRequest": lambda a: f"서명된 요청의 유효 기한이 {_time_ko(a['deadline'])}에 지났습니다",
}  # fmt: skip
