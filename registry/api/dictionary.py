"""The data dictionary of the open-data exports: for each CSV column, its Korean name, unit and
meaning in Korean and English, as Korea's public data portal (data.go.kr) publishes with a data set.

A column's entry is looked up first among its data set's own (`status` means one thing for programs,
another for milestones), then among the entries shared by every data set (`projectId`). Types and
allowed codes are not written here: they come from the response models (registry/api/datasets.py).
`tests/api/test_datasets.py` fails when a column has no entry, so a field added to a model is
described before it ships.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Unit(Enum):
    """A column's unit, in Korean and English."""

    WON = ("원", "KRW")
    COUNT = ("건", "count")
    PEOPLE = ("명", "persons")
    SECONDS = ("초", "seconds")
    YEAR = ("년", "year")

    @property
    def ko(self) -> str:
        return self.value[0]

    @property
    def en(self) -> str:
        return self.value[1]


@dataclass(frozen=True)
class Entry:
    """One column: its Korean name (the header with `?headers=ko`), its meaning in both languages,
    its unit, and whether a time column names a calendar day (written YYYY-MM-DD)."""

    ko: str
    meaning_ko: str
    meaning_en: str
    unit: Unit | None = None
    day: bool = False


_ADDRESS_KO = "체인 계정 주소(0x와 16진수 40자리)"
_ADDRESS_EN = "a chain account address (0x and 40 hex digits)"
_HASH_KO = "문서의 SHA-256 해시(0x와 16진수 64자리); 없으면 빈 칸"
_HASH_EN = "the document's SHA-256 (0x and 64 hex digits); empty when there is none"
_TIME_KO = "UTC 기준 일시(YYYY-MM-DD HH:MM:SS)"
_TIME_EN = "a time in UTC (YYYY-MM-DD HH:MM:SS)"
_DAY_KO = "UTC 기준 날짜(YYYY-MM-DD)"
_DAY_EN = "a calendar day (YYYY-MM-DD, UTC)"


def _provenance(prefix: str, ko: str, ko_event: str, en_event: str) -> dict[str, Entry]:
    """The columns of one provenance object (`provenance`, `lastChange`), which `?provenance=true` adds."""
    return {
        f"{prefix}.chainId": Entry(
            f"{ko} 체인 ID",
            f"{ko_event}이 기록된 체인의 EIP-155 체인 ID",
            f"EIP-155 id of the chain that holds {en_event}",
        ),
        f"{prefix}.contract": Entry(
            f"{ko} 컨트랙트",
            f"{ko_event}을 낸 등록부 컨트랙트 주소",
            f"address of the registry contract that emitted {en_event}",
        ),
        f"{prefix}.transactionHash": Entry(
            f"{ko} 거래 해시", f"{ko_event}이 담긴 거래의 해시", f"hash of the transaction that holds {en_event}"
        ),
        f"{prefix}.blockNumber": Entry(
            f"{ko} 블록 번호", f"{ko_event}이 담긴 블록의 번호", f"number of the block that holds {en_event}"
        ),
        f"{prefix}.blockTime": Entry(
            f"{ko} 블록 일시(UTC)",
            f"{ko_event}이 담긴 블록의 시각, {_TIME_KO}",
            f"time of the block that holds {en_event}, {_TIME_EN}",
        ),
        f"{prefix}.logIndex": Entry(
            f"{ko} 로그 순번", f"블록 안에서 {ko_event}의 로그 위치", f"position of {en_event} among the block's logs"
        ),
        f"{prefix}.signer": Entry(
            f"{ko} 서명자",
            "오프체인으로 서명해 대리 전송(ERC-2771)한 경우 서명한 계정; 직접 보낸 경우 빈 칸",
            "the account that signed off chain when relayed (ERC-2771); empty when sent directly",
        ),
    }


_MILESTONES = {
    "milestones.total": Entry("단계 목표 수", "단계 목표 전체 수", "milestones in all", Unit.COUNT),
    "milestones.planned": Entry(
        "단계 목표: 계획", "계획 상태인 단계 목표 수", "milestones planned, not yet submitted", Unit.COUNT
    ),
    "milestones.submitted": Entry(
        "단계 목표: 제출",
        "제출되어 심사를 기다리는 단계 목표 수",
        "milestones submitted and awaiting review",
        Unit.COUNT,
    ),
    "milestones.approved": Entry("단계 목표: 승인", "승인된 단계 목표 수", "milestones approved", Unit.COUNT),
    "milestones.rejected": Entry(
        "단계 목표: 반려",
        "마지막 심사에서 반려된 단계 목표 수(재제출 가능)",
        "milestones rejected at their last review (they may be resubmitted)",
        Unit.COUNT,
    ),
    "milestones.overdue": Entry(
        "단계 목표: 기한 지남",
        "수행 중인 과제에서 기한일이 지났는데 아직 기업의 제출을 기다리는 단계 목표 수",
        "milestones of active projects past their due day still waiting for the company",
        Unit.COUNT,
    ),
}

#: Standing outcomes per type, one column each (registry/api/schemas/statistics.py `OutcomesByType`).
_OUTCOME_TYPES = {
    "paper": ("논문", "papers"),
    "patentApplication": ("특허 출원", "patent applications"),
    "patentRegistration": ("특허 등록", "patent registrations"),
    "report": ("보고서", "reports"),
    "researchEquipment": ("연구시설·장비", "research equipment"),
    "technologySummary": ("기술요약정보", "technology summaries"),
    "software": ("소프트웨어", "software registrations"),
    "compound": ("화합물", "compounds"),
    "biologicalResource": ("생명자원", "biological resources"),
    "plantVariety": ("신품종", "new plant varieties"),
    "prototype": ("시제품", "prototypes"),
    "certification": ("인증", "certifications"),
    "technologyTransfer": ("기술이전", "technology transfers"),
}

_OUTCOMES = {
    "outcomes.standing": Entry(
        "유효 성과 수",
        "취소되지 않고 정정되지 않은 성과 수(정정본이 대신 셈)",
        "outcomes that stand: not revoked and not corrected (the correction counts instead)",
        Unit.COUNT,
    ),
    "outcomes.revoked": Entry("취소된 성과 수", "취소된 성과 수", "outcomes revoked", Unit.COUNT),
    "outcomes.corrected": Entry(
        "정정된 성과 수", "나중 성과로 정정된 성과 수", "outcomes superseded by a correction", Unit.COUNT
    ),
    **{
        f"outcomes.byType.{key}": Entry(
            f"유효 성과: {ko}", f"유효한 {ko} 성과 수", f"standing outcomes: {en}", Unit.COUNT
        )
        for key, (ko, en) in _OUTCOME_TYPES.items()
    },
}

_COUNTED_KO = "공개되었고 이의가 제기되지 않은(보고·검증) 실적의 합계; 약정된 수치는 공개 전까지 빠짐"
_COUNTED_EN = "summed over disclosed reports not disputed (reported or verified); committed figures are left out"

_COMMERCIALIZATION = {
    "commercialization.reports": Entry(
        "사업화 보고 수", "사업화 실적 보고 수", "commercialization reports", Unit.COUNT
    ),
    "commercialization.committed": Entry(
        "사업화 보고: 약정",
        "해시로 약정되어 수치가 공개되지 않은 보고 수",
        "reports committed as a hash, figures hidden",
        Unit.COUNT,
    ),
    "commercialization.reported": Entry(
        "사업화 보고: 보고", "보고 상태인 보고 수", "reports in the reported state", Unit.COUNT
    ),
    "commercialization.verified": Entry(
        "사업화 보고: 검증", "평가자가 검증한 보고 수", "reports verified by an auditor", Unit.COUNT
    ),
    "commercialization.disputed": Entry(
        "사업화 보고: 이의 제기", "평가자가 이의를 제기한 보고 수", "reports disputed by an auditor", Unit.COUNT
    ),
    "commercialization.sales": Entry("매출 합계", f"매출액, {_COUNTED_KO}", f"sales revenue, {_COUNTED_EN}", Unit.WON),
    "commercialization.investment": Entry(
        "투자 유치 합계", f"투자 유치액, {_COUNTED_KO}", f"investment attracted, {_COUNTED_EN}", Unit.WON
    ),
    "commercialization.royalties": Entry(
        "기술료 합계", f"기술료, {_COUNTED_KO}", f"technology-transfer royalties, {_COUNTED_EN}", Unit.WON
    ),
    "commercialization.jobs": Entry(
        "고용 합계", f"신규 고용 인원, {_COUNTED_KO}", f"jobs created, {_COUNTED_EN}", Unit.PEOPLE
    ),
}

_TARGETS_KO, _TARGETS_EN = "협약 때 정한 성과목표", "the performance target agreed at registration"
_RESULTS_KO = (
    "성과 실적(논문: 정정·취소되지 않은 논문 성과, 특허: 출원·등록 성과, 매출·투자·고용: 인정된 사업화 보고의 합계)"
)
_RESULTS_EN = (
    "achieved (papers: current, not revoked paper outcomes; patents: applications and registrations; sales, "
    "investment, jobs: sums of the counted commercialization reports)"
)
_PERFORMANCE = {
    **{
        f"{side}.{measure}": Entry(f"{label} {name_ko}", f"{ko}: {name_ko}", f"{en}: {name_en}", unit)
        for side, label, ko, en in (
            ("targets", "목표", _TARGETS_KO, _TARGETS_EN),
            ("results", "실적", _RESULTS_KO, _RESULTS_EN),
        )
        for measure, name_ko, name_en, unit in (
            ("papers", "논문 수", "papers", Unit.COUNT),
            ("patents", "특허 수", "patents", Unit.COUNT),
            ("sales", "매출", "sales", Unit.WON),
            ("investment", "투자 유치", "investment", Unit.WON),
            ("jobs", "고용", "jobs", Unit.PEOPLE),
        )
    },
    "followUp.due": Entry(
        "사업화 보고 제출 기한 중",
        "끝난 해의 사업화 실적 보고가 아직 없고 제출 기한(다음 해 3월 31일) 전인 과제·연도 수",
        "project-years ended whose report is not in yet, before its due day (March 31 of the next year)",
        Unit.COUNT,
    ),
    "followUp.late": Entry(
        "사업화 보고 지연",
        "제출 기한이 지나도록 보고가 없는 과제·연도 수",
        "project-years past their due day with no report",
        Unit.COUNT,
    ),
    "followUp.reported": Entry(
        "사업화 보고 완료", "보고가 기록된 추적 기간 과제·연도 수", "project-years with a report on record", Unit.COUNT
    ),
    "targets.projects": Entry(
        "목표 기록 과제 수", "성과목표가 기록된 과제 수", "projects whose targets were recorded", Unit.COUNT
    ),
}

#: Entries that mean the same in every data set.
SHARED: dict[str, Entry] = {
    **_PERFORMANCE,
    "rules.followUpYears": Entry(
        "사업화 추적 기간(년)",
        "과제 종료 후 매년 사업화 실적을 보고하는 햇수",
        "years after a project ends during which it reports its commercialization each year",
    ),
    "rules.objectionDays": Entry(
        "이의신청 기간(일)", "결정 후 기업이 이의를 신청할 수 있는 날수", "days after a decision to object"
    ),
    "rules.maxRestrictionDays": Entry(
        "최장 참여 제한(일)", "평가가 정할 수 있는 가장 긴 참여 제한", "the longest restriction an evaluation may set"
    ),
    "rules.maxClawbackPercent": Entry(
        "최대 환수 비율(%)", "지원액 대비 최대 환수 비율", "the largest clawback, in percent of the grant"
    ),
    "programId": Entry("지원사업 번호", "지원사업의 번호(등록부가 1부터 매김)", "the grant program's number (from 1)"),
    "programName": Entry(
        "지원사업명", "지원사업의 이름(체인에 기록된 그대로)", "the grant program's name, as recorded"
    ),
    "projectId": Entry("과제 번호", "협약 과제의 번호(등록부가 1부터 매김)", "the grant agreement's number (from 1)"),
    "companyId": Entry(
        "기업 식별값",
        "'brn:'과 사업자등록번호 10자리의 keccak256 해시(사업자등록번호는 해시로만 기록)",
        "keccak256 of 'brn:' and the 10-digit business registration number (the number itself stays hashed)",
    ),
    "companyName": Entry(
        "상호",
        "기업의 상호(체인에 마지막으로 공개된 그대로); 공개된 적 없으면 빈 칸",
        "the company's public name, as last published on chain; empty when it was never named",
    ),
    "outcomeId": Entry("성과 번호", "R&D 성과의 번호(등록부가 1부터 매김)", "the R&D outcome's number (from 1)"),
    "reportId": Entry("사업화 보고 번호", "사업화 실적 보고의 번호", "the commercialization report's number"),
    "auditId": Entry("평가 번호", "평가의 번호(등록부가 1부터 매김)", "the evaluation's number (from 1)"),
    "milestoneIndex": Entry(
        "단계 목표 순번", "과제 안에서 단계 목표의 순번(0부터)", "the milestone's place in its project (from 0)"
    ),
    "name": Entry("지원사업명", "지원사업의 이름(체인에 기록된 그대로)", "the grant program's name, as recorded"),
    "field": Entry("분야", "지원사업의 분야(체인에 기록된 그대로)", "the program's field, as recorded"),
    "budget": Entry("예산", "지원사업의 총예산", "the program's total budget", Unit.WON),
    "perProjectCap": Entry(
        "과제당 한도", "과제 하나에 지원할 수 있는 최대 금액", "the most one project may be granted", Unit.WON
    ),
    "granted": Entry(
        "지원액",
        "지원사업의 과제 지원액 합계에서 해지·환수로 돌아온 금액을 뺀 값(체인에 기록된 그대로)",
        "the grants of the program's projects less what came back on termination or clawback, as the chain keeps it",
        Unit.WON,
    ),
    "remaining": Entry("잔액", "예산에서 지원액을 뺀 금액", "budget minus granted", Unit.WON),
    "projectCount": Entry("과제 수", "지원사업의 과제 수", "projects of the program", Unit.COUNT),
    "metadataHash": Entry("사업 공고 해시", f"사업 공고문의 {_HASH_KO}", f"the program notice: {_HASH_EN}"),
    "metadataUri": Entry(
        "사업 공고 주소",
        "사업 공고문이 게시된 주소(체인에 기록된 그대로)",
        "where the notice is published, as recorded",
    ),
    "createdBy": Entry(
        "개설 계정", f"지원사업을 연 관리자, {_ADDRESS_KO}", f"the admin who opened the program, {_ADDRESS_EN}"
    ),
    "amount": Entry("지원액", "과제의 협약 지원금", "the grant of the agreement", Unit.WON),
    "startDate": Entry(
        "협약 시작일", f"과제 기간의 첫날, {_DAY_KO}", f"the first day of the project, {_DAY_EN}", day=True
    ),
    "endDate": Entry(
        "협약 종료일", f"과제 기간의 마지막 날, {_DAY_KO}", f"the last day of the project, {_DAY_EN}", day=True
    ),
    "planHash": Entry("사업계획서 해시", f"사업계획서의 {_HASH_KO}", f"the project plan: {_HASH_EN}"),
    "milestoneCount": Entry(
        "단계 목표 수", "과제에 계획된 단계 목표 수", "milestones planned for the project", Unit.COUNT
    ),
    "plannedTranches": Entry(
        "계획된 지급액", "과제의 단계 목표 지급액 합계", "the sum of the milestones' tranches", Unit.WON
    ),
    "registeredBy": Entry(
        "등록 계정", f"과제를 등록한 관리자, {_ADDRESS_KO}", f"the admin who registered the project, {_ADDRESS_EN}"
    ),
    "attempts": Entry(
        "제출 횟수",
        "지금까지의 제출 횟수(반려되면 다시 제출할 수 있음)",
        "submissions so far (a rejected one may be submitted again)",
        Unit.COUNT,
    ),
    "dueDate": Entry("기한", f"단계 목표의 마감일, {_DAY_KO}", f"the milestone's due day, {_DAY_EN}", day=True),
    "tranche": Entry(
        "지급액", "단계 목표 승인 시 지급되는 금액", "the payment due when the milestone is approved", Unit.WON
    ),
    "descriptionHash": Entry(
        "설명 문서 해시", f"단계 목표 설명 문서의 {_HASH_KO}", f"the milestone description: {_HASH_EN}"
    ),
    "plannedBy": Entry(
        "계획 계정", f"단계 목표를 계획한 관리자, {_ADDRESS_KO}", f"the admin who planned it, {_ADDRESS_EN}"
    ),
    "grade": Entry("평가 등급", "평가 등급", "the evaluation's grade"),
    "clawbackAmount": Entry("환수액", "돌려받을 지원금; 없으면 0", "funds to be returned; 0 when none", Unit.WON),
    "restrictedUntil": Entry(
        "참여 제한 종료일",
        f"이 날까지 새 지원을 받을 수 없음, {_DAY_KO}; 제한이 없으면 빈 칸",
        f"no new grant until this day, {_DAY_EN}; empty when not restricted",
        day=True,
    ),
    "recordedAt": Entry(
        "기록 일시(UTC)",
        f"체인에 기록된 블록의 시각, {_TIME_KO}",
        f"the time of the block that recorded it, {_TIME_EN}",
    ),
    "auditor": Entry(
        "평가자 계정", f"평가를 기록한 평가자, {_ADDRESS_KO}", f"the auditor who recorded it, {_ADDRESS_EN}"
    ),
    "findingsHash": Entry("평가 의견서 해시", f"평가 의견서의 {_HASH_KO}", f"the findings: {_HASH_EN}"),
    "outcomeType": Entry(
        "성과 유형", "국가R&D 성과 유형(논문, 특허 출원, 소프트웨어 등)", "the national R&D outcome category"
    ),
    "ipStatus": Entry(
        "지식재산 상태",
        "지식재산권의 현재 상태; 지식재산이 아닌 유형은 none",
        "where its intellectual property stands; none for other types",
    ),
    "revoked": Entry("취소 여부", "취소되었으면 true(기록은 남음)", "true once revoked (the record stays)"),
    "amends": Entry(
        "정정 대상 성과 번호",
        "이 성과가 정정한 이전 성과의 번호; 원본이면 빈 칸",
        "the outcome this one corrects; empty for an original",
    ),
    "amendedBy": Entry(
        "정정한 성과 번호",
        "이 성과를 정정한 나중 성과의 번호; 없으면 빈 칸",
        "the outcome that corrects this one; empty when none",
    ),
    "evidenceHash": Entry("증빙 해시", f"증빙 문서의 {_HASH_KO}", f"the evidence: {_HASH_EN}"),
    "externalId": Entry(
        "식별번호",
        "특허 번호, DOI, 소프트웨어 등록번호 등 외부 식별번호(기업이 입력한 그대로)",
        "patent number, DOI, software registration number..., as the company wrote it",
    ),
    "submitter": Entry(
        "기록 계정", f"기록한 기업 계정, {_ADDRESS_KO}", f"the company account that recorded it, {_ADDRESS_EN}"
    ),
    "actor": Entry("처리 계정", f"이 일을 한 계정, {_ADDRESS_KO}", f"the account that did it, {_ADDRESS_EN}"),
    "sales": Entry(
        "매출", "그해의 매출액; 약정 상태면 빈 칸", "sales revenue of the year; empty while committed", Unit.WON
    ),
    "investment": Entry(
        "투자 유치", "그해의 투자 유치액; 약정 상태면 빈 칸", "investment attracted; empty while committed", Unit.WON
    ),
    "royalties": Entry(
        "기술료",
        "그해의 기술이전 기술료; 약정 상태면 빈 칸",
        "technology-transfer royalties; empty while committed",
        Unit.WON,
    ),
    "jobs": Entry(
        "고용", "그해의 신규 고용 인원; 약정 상태면 빈 칸", "jobs created; empty while committed", Unit.PEOPLE
    ),
    "commitment": Entry(
        "약정 해시",
        "수치를 먼저 약정한 해시; 약정하지 않았으면 빈 칸",
        "the hash the figures were committed to; empty when not committed",
    ),
    "role": Entry(
        "역할",
        "등록부 역할의 이름; 등록부가 정의하지 않은 역할이면 빈 칸",
        "the role's name; empty for a role the registry does not define",
    ),
    "roleId": Entry("역할 ID", "체인의 bytes32 역할 ID", "the bytes32 role id on chain"),
    "account": Entry("계정", _ADDRESS_KO, _ADDRESS_EN),
    "root": Entry(
        "머클 루트", "함께 등록된 문서 묶음의 머클 루트", "the Merkle root of the documents anchored together"
    ),
    "anchoredBy": Entry(
        "등록 계정", f"처음 등록(앵커링)한 계정, {_ADDRESS_KO}", f"the account that anchored it first, {_ADDRESS_EN}"
    ),
    "anchoredAt": Entry(
        "등록 일시(UTC)",
        f"처음 등록된 블록의 시각, {_TIME_KO}",
        f"the time of the block that first anchored it, {_TIME_EN}",
    ),
    "leafCount": Entry("문서 수", "묶음에 든 문서 수", "documents in the batch", Unit.COUNT),
    "manifestHash": Entry(
        "문서 목록 해시", f"묶음의 문서 목록(매니페스트)의 {_HASH_KO}", f"the batch manifest: {_HASH_EN}"
    ),
    "sha256": Entry("문서 SHA-256", "문서의 SHA-256 해시", "the document's SHA-256"),
    "kind": Entry(
        "문서 종류",
        "처음 등록될 때 문서의 종류(사업계획서, 단계 목표 증빙 등)",
        "what the document was when first anchored (project plan, milestone evidence...)",
    ),
    "projects": Entry("과제 수", "지원 과제 수", "projects", Unit.COUNT),
    "clawbacks": Entry(
        "환수액 합계",
        "과제 평가가 명령하고 두 번째 평가자의 확인으로 효력이 생긴 환수액의 합계",
        "clawbacks ordered by the projects' evaluations and in effect (confirmed by a second auditor)",
        Unit.WON,
    ),
    "paid": Entry("지급액", "승인된 단계 목표의 지급액 합계", "tranches of approved milestones", Unit.WON),
    "returned": Entry(
        "반환액",
        "협약 해지·환수로 지원사업 예산에 돌아간 미지급 지원금",
        "unpaid grants returned to the program on termination or clawback",
        Unit.WON,
    ),
    "programPath": Entry("API 경로", "이 API에서 지원사업의 경로", "the program in this API"),
    "companyPath": Entry("API 경로", "이 API에서 이 기업 통계의 경로", "this summary in this API"),
    **_MILESTONES,
    **_OUTCOMES,
    **_COMMERCIALIZATION,
    **_provenance("provenance", "기록", "기록한 이벤트", "the event that recorded it"),
    **_provenance("lastChange", "최종 변경", "마지막으로 바꾼 이벤트", "the event that last changed it"),
}

_BLOCK_TIME_KO = f"이 사건이 기록된 블록의 시각, {_TIME_KO}"
_BLOCK_TIME_EN = f"the time of the block that recorded the event, {_TIME_EN}"

#: Entries of one data set, ahead of the shared ones.
BY_DATASET: dict[str, dict[str, Entry]] = {
    "programs": {
        "year": Entry("사업 연도", "지원사업의 연도", "the program's year", Unit.YEAR),
        "status": Entry(
            "사업 상태", "지원사업의 상태(open 진행 중, closed 마감)", "the program's status (open, closed)"
        ),
        "provenance.blockTime": Entry(
            "개설 일시(UTC)",
            f"지원사업을 연 블록의 시각, {_TIME_KO}",
            f"the time of the block that opened the program, {_TIME_EN}",
        ),
    },
    "projects": {
        "status": Entry(
            "과제 상태",
            "과제의 상태(active 수행 중, completed 완료, terminated 중단, clawed-back 환수)",
            "the project's status (active, completed, terminated, clawed-back)",
        ),
    },
    "milestones": {
        "status": Entry(
            "단계 목표 상태",
            "단계 목표의 현재 상태(planned 계획, submitted 제출, approved 승인, rejected 반려)",
            "the milestone's status (planned, submitted, approved, rejected)",
        ),
        "provenance.blockTime": Entry(
            "계획 일시(UTC)",
            f"단계 목표를 계획한 블록의 시각, {_TIME_KO}",
            f"the time of the block that planned the milestone, {_TIME_EN}",
        ),
    },
    "outcomes": {
        "current": Entry(
            "현재 판",
            "정정으로 대체되지 않았으면 true(목록은 기본으로 현재 판만 보여 줌)",
            "true unless a correction replaced it",
        ),
        "details.venue": Entry("게재지", "논문의 학술지·학회명; 해당 없으면 빈 칸", "a paper's journal or conference"),
        "details.country": Entry("국가", "ISO 3166 두 글자 국가 코드(특허청, 실시권자 등)", "ISO 3166 alpha-2 country"),
        "details.counterparty": Entry(
            "상대방",
            "기술이전의 실시권자, 인증 기관 등(이름 또는 0x 해시)",
            "a licensee or certifying body (name or 0x hash)",
        ),
        "details.date": Entry(
            "계약일",
            f"유형이 기록하는 날짜(기술이전 계약일), {_TIME_KO}",
            f"the type's date (a transfer's contract), {_TIME_EN}",
        ),
        "details.amount": Entry(
            "금액", "유형이 기록하는 금액(기술이전 기술료)", "the type's amount (a transfer's fee)", Unit.WON
        ),
        "details.sciIndexed": Entry(
            "SCI(E) 여부", "논문 학술지가 SCI(E)에 등재되었으면 true", "whether SCI(E)-indexed"
        ),
    },
    "ip-status-changes": {
        "from": Entry("이전 상태", "바뀌기 전의 지식재산 상태", "the IP status before the change"),
        "to": Entry("바뀐 상태", "바뀐 뒤의 지식재산 상태", "the IP status after the change"),
        "evidenceHash": Entry("증빙 해시", f"변경 증빙의 {_HASH_KO}", f"the evidence of the change: {_HASH_EN}"),
        "actor": Entry(
            "변경 계정", f"상태를 바꾼 기업 계정, {_ADDRESS_KO}", f"the company account that changed it, {_ADDRESS_EN}"
        ),
        "provenance.blockTime": Entry("변경 일시(UTC)", _BLOCK_TIME_KO, _BLOCK_TIME_EN),
    },
    "commercialization-reports": {
        "year": Entry("실적 연도", "수치가 해당하는 연도", "the year the figures are for", Unit.YEAR),
        "status": Entry(
            "보고 상태",
            "보고의 상태(committed 약정, reported 보고, verified 검증, disputed 이의 제기)",
            "the report's status (committed, reported, verified, disputed)",
        ),
    },
    "members": {
        "active": Entry(
            "역할 보유 여부",
            "역할을 가지고 있으면 true; 회수되면 false",
            "true while the role is held; false once revoked",
        ),
        "provenance.blockTime": Entry(
            "부여 일시(UTC)",
            f"역할을 처음 부여한 블록의 시각, {_TIME_KO}",
            f"the time of the block that first granted the role, {_TIME_EN}",
        ),
    },
    "company-accounts": {
        "account": Entry(
            "기업 계정", f"기업을 대리하는 계정, {_ADDRESS_KO}", f"the account acting for the company, {_ADDRESS_EN}"
        ),
        "active": Entry(
            "연결 여부", "기업에 연결되어 있으면 true; 해제되면 false", "true while bound; false once unbound"
        ),
        "provenance.blockTime": Entry(
            "연결 일시(UTC)",
            f"계정을 처음 연결한 블록의 시각, {_TIME_KO}",
            f"the time of the block that first bound the account, {_TIME_EN}",
        ),
    },
    "evaluations": {
        "sanction.status": Entry(
            "제재 상태",
            "none 제재 없음, pending 확인 대기(두 번째 평가자 확인 전), in-effect 효력 발생, "
            "cancelled 이의 인용으로 취소",
            "none (no sanction), pending (awaiting a second auditor), in-effect, or cancelled (an objection upheld)",
        ),
        "sanction.confirmations": Entry(
            "확인 수", "제재를 확인한 평가자 수(기록한 평가자 포함)", "auditors who confirmed it, the recorder included"
        ),
        "sanction.quorum": Entry(
            "필요 확인 수", "제재에 필요한 확인 수(등록부 설정)", "confirmations a sanction needs"
        ),
        "sanction.heldByObjection": Entry(
            "보류 이의신청 번호",
            "제재 확인을 막고 있는 진행 중 이의신청; 없으면 빈 칸",
            "the open objection holding it",
        ),
        "sanction.cancelledByObjection": Entry(
            "취소 이의신청 번호",
            "제재를 취소한 인용된 이의신청; 없으면 빈 칸",
            "the upheld objection that cancelled it",
        ),
    },
    "objections": {
        "objectionId": Entry(
            "이의신청 번호", "이의신청의 번호(등록부가 1부터 매김)", "the objection's number (from 1)"
        ),
        "subject": Entry(
            "이의 대상",
            "milestone-rejection 단계 목표 반려, report-dispute 사업화 실적 이의, evaluation 평가",
            "milestone-rejection, report-dispute or evaluation",
        ),
        "subjectId": Entry(
            "대상 번호",
            "반려된 단계 목표의 과제 번호, 사업화 보고 번호 또는 평가 번호",
            "the project (of a rejected milestone), the report or the evaluation contested",
        ),
        "milestoneIndex": Entry(
            "단계 목표 순번", "반려된 단계 목표의 순번; 다른 대상이면 빈 칸", "the rejected milestone; empty otherwise"
        ),
        "subjectPath": Entry("대상 API 경로", "이 API에서 이의 대상 기록의 경로", "the contested record in this API"),
        "status": Entry("처리 상태", "open 진행 중, upheld 인용, dismissed 기각", "open, upheld or dismissed"),
        "open": Entry("진행 중", "아직 처리되지 않았으면 true", "true until an auditor resolves it"),
        "filedAt": Entry("신청 일시", f"이의신청이 기록된 때, {_TIME_KO}", f"when it was filed, {_TIME_EN}"),
        "filedBy": Entry("신청 계정", f"이의를 신청한 기업 계정, {_ADDRESS_KO}", f"the company account, {_ADDRESS_EN}"),
        "evidenceHash": Entry("증빙 해시", f"기업이 낸 증빙의 {_HASH_KO}", f"the company's evidence: {_HASH_EN}"),
        "decidedBy": Entry(
            "원 결정 평가자",
            f"이의 대상 결정을 한 평가자(이 사람은 처리할 수 없음), {_ADDRESS_KO}",
            f"the auditor who made the contested decision (who may not resolve it), {_ADDRESS_EN}",
        ),
        "decidedAt": Entry("원 결정 일시", f"이의 대상 결정의 일시, {_TIME_KO}", f"when it was decided, {_TIME_EN}"),
        "deadline": Entry(
            "신청 기한",
            f"원 결정 일시에 지원사업의 이의신청 기간(일)을 더한 때, {_TIME_KO}",
            f"the decision plus the program's objection days, {_TIME_EN}",
        ),
        "resolvedBy": Entry("처리 평가자", f"인용·기각한 평가자; 진행 중이면 빈 칸, {_ADDRESS_KO}", "who resolved it"),
        "resolvedAt": Entry(
            "처리 일시", f"인용·기각된 때; 진행 중이면 빈 칸, {_TIME_KO}", f"when resolved, {_TIME_EN}"
        ),
        "reasonHash": Entry("처리 사유 해시", f"처리 사유 문서의 {_HASH_KO}", f"the resolution's reason: {_HASH_EN}"),
    },
    "companies": {
        "name": Entry(
            "상호", "기업의 현재 상호(체인에 마지막으로 공개된 그대로)", "the company's current name, as last published"
        ),
        "projectCount": Entry("과제 수", "이 기업의 협약 과제 수", "the company's projects (grant agreements)"),
        "accountCount": Entry(
            "연결 계정 수", "지금 이 기업을 대리하도록 연결된 계정 수", "accounts bound to act for it now"
        ),
    },
    "restrictions": {
        "restrictedUntil": Entry(
            "참여 제한 종료일",
            f"이 날까지 새 지원을 받을 수 없음, {_DAY_KO}",
            f"no new grant until this day, {_DAY_EN}",
            day=True,
        ),
        "auditId": Entry("제한한 평가 번호", "제한을 둔 평가의 번호", "the evaluation that set it"),
    },
    "membership-history": {
        "action": Entry(
            "구분",
            "role-granted 역할 부여, role-revoked 역할 회수, company-bound 기업 연결, company-unbound 연결 "
            "해제, company-named 상호 공개·변경, company-restricted 참여 제한",
            "role-granted, role-revoked, company-bound, company-unbound, company-named or company-restricted",
        ),
        "role": Entry(
            "역할", "부여·회수된 역할의 이름; 해당 없으면 빈 칸", "the role granted or revoked; empty when none"
        ),
        "roleId": Entry("역할 ID", "체인의 bytes32 역할 ID; 해당 없으면 빈 칸", "the bytes32 role id; empty when none"),
        "account": Entry(
            "계정",
            f"대상 계정, {_ADDRESS_KO}; 해당 없으면 빈 칸",
            f"the account concerned, {_ADDRESS_EN}; empty when none",
        ),
        "companyId": Entry(
            "기업 식별값", "대상 기업의 식별값; 해당 없으면 빈 칸", "the company concerned; empty when none"
        ),
        "actor": Entry(
            "처리 계정",
            f"이 일을 한 계정(이벤트가 밝힌 경우), {_ADDRESS_KO}",
            f"who did it, when the event names them, {_ADDRESS_EN}",
        ),
        "provenance.blockTime": Entry("일시(UTC)", _BLOCK_TIME_KO, _BLOCK_TIME_EN),
    },
    "admin-transfers": {
        "action": Entry(
            "구분",
            "transfer-scheduled 이전 예약, transfer-canceled 이전 취소, delay-change-scheduled 지연 변경 "
            "예약, delay-change-canceled 지연 변경 취소",
            "transfer-scheduled, transfer-canceled, delay-change-scheduled or delay-change-canceled",
        ),
        "newAdmin": Entry(
            "새 최고 관리자",
            f"이전받을 계정, {_ADDRESS_KO}; 해당 없으면 빈 칸",
            f"the account to receive the role, {_ADDRESS_EN}; empty when none",
        ),
        "newDelay": Entry(
            "새 지연 시간",
            "지연 변경의 새 값; 해당 없으면 빈 칸",
            "the new delay of a delay change; empty when none",
            Unit.SECONDS,
        ),
        "schedule": Entry(
            "발효 일시(UTC)",
            f"이전이나 지연 변경이 효력을 가질 수 있는 때, {_TIME_KO}",
            f"when the transfer or delay change may take effect, {_TIME_EN}",
        ),
        "provenance.blockTime": Entry("일시(UTC)", _BLOCK_TIME_KO, _BLOCK_TIME_EN),
    },
    "program-statistics": {
        "year": Entry("사업 연도", "지원사업의 연도", "the program's year", Unit.YEAR),
        "status": Entry(
            "사업 상태", "지원사업의 상태(open 진행 중, closed 마감)", "the program's status (open, closed)"
        ),
        "granted": Entry(
            "지원액",
            "체인이 기록한 지원사업의 과제 지원액 합계",
            "the sum of the program's grants, as the chain keeps it",
            Unit.WON,
        ),
    },
    "year-statistics": {
        "year": Entry("사업 연도", "지원사업의 연도(사업을 연 연도)", "the programs' year", Unit.YEAR),
        "programs": Entry("지원사업 수", "그해의 지원사업 수", "programs of the year", Unit.COUNT),
        "budget": Entry("예산", "그해 지원사업 예산의 합계", "the sum of the year's program budgets", Unit.WON),
        "granted": Entry("지원액", "그해 지원사업 지원액의 합계", "the sum of the year's grants", Unit.WON),
        "remaining": Entry("잔액", "예산 합계에서 지원액 합계를 뺀 금액", "budget minus granted", Unit.WON),
    },
    "commercialization-statistics": {
        "year": Entry(
            "실적 연도",
            "보고된 수치가 해당하는 연도(지원사업 연도와 다를 수 있음)",
            "the year the reports' figures are for (not their program's)",
            Unit.YEAR,
        ),
    },
    "company-statistics": {
        "programs": Entry(
            "참여 지원사업 수",
            "기업이 과제를 가진 지원사업 수",
            "programs in which the company holds a project",
            Unit.COUNT,
        ),
        "granted": Entry("지원액", "기업 과제 지원액의 합계", "the sum of the company's grants", Unit.WON),
        "accounts": Entry(
            "연결 계정 수", "지금 기업에 연결된 계정 수", "accounts bound to the company now", Unit.COUNT
        ),
        "restrictedUntil": Entry(
            "참여 제한 종료일",
            f"마지막 참여 제한의 종료일, {_DAY_KO}; 없으면 빈 칸",
            f"the end of the company's last restriction, {_DAY_EN}; empty when none",
            day=True,
        ),
        "restricted": Entry(
            "참여 제한 중", "기준 시각에 참여 제한이 유효하면 true", "whether that restriction is in force at asOf"
        ),
    },
}


def entry(dataset: str, column: str) -> Entry | None:
    """The entry of `column` in `dataset`: its own, else the shared one; None when there is neither."""
    return BY_DATASET.get(dataset, {}).get(column) or SHARED.get(column)


#: Korean headers of the catalogue's own CSV (/api/v1/datasets?format=csv), by column.
CATALOGUE_HEADERS: dict[str, str] = {
    "name": "데이터셋",
    "titleKo": "목록명",
    "titleEn": "목록명(영문)",
    "descriptionKo": "설명",
    "descriptionEn": "설명(영문)",
    "provider": "제공기관",
    "licence": "이용허락범위",
    "updateCycleKo": "업데이트 주기",
    "updateCycleEn": "업데이트 주기(영문)",
    "keywordsKo": "키워드",
    "keywordsEn": "키워드(영문)",
    "lastUpdated": "최종 수정 일시(UTC)",
    "indexedBlock": "색인한 블록",
    "formats": "제공 형태",
    "listPath": "목록 API",
    "exportPath": "내려받기 API",
    "dictionaryPath": "데이터 사전 API",
    "columns": "컬럼 수",
}

#: Korean headers of a data dictionary's CSV (/api/v1/datasets/{dataset}/dictionary?format=csv).
DICTIONARY_HEADERS: dict[str, str] = {
    "column": "컬럼",
    "nameKo": "한글 컬럼명",
    "type": "유형",
    "typeKo": "유형(한글)",
    "format": "표현 형식",
    "unitKo": "단위",
    "unitEn": "단위(영문)",
    "meaningKo": "설명",
    "meaningEn": "설명(영문)",
    "values": "코드 값",
    "provenance": "출처 컬럼(provenance=true)",
    "joined": "결합 컬럼(API JSON에 없음)",
}
