"""The open-data catalogue: every data set the API exports, with the portal metadata Korea's public
data portal (data.go.kr) lists (name, keywords, update cycle; the provider and licence are settings),
and the columns of its CSV.

A data set's columns are its response model's fields (nested objects as dotted columns, as the JSON
nests them), with the names it refers to by id joined in beside the id (`programName` after
`projectId`), each described in the data dictionary (registry/api/dictionary.py). The provenance
columns (`provenance.*`, `lastChange.*`) come only on request, except the time of the event for a
record that has no time of its own.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, PlainSerializer
from sqlalchemy import Select

from registry.api.dictionary import Entry, entry
from registry.api.schemas.batches import EvidenceBatch
from registry.api.schemas.common import Address, Hex32, Provenance, Timestamp, Won
from registry.api.schemas.companies import Company as CompanyModel
from registry.api.schemas.documents import AnchoredDocument
from registry.api.schemas.grants import Evaluation, Milestone, Program, Project
from registry.api.schemas.members import (
    AdminTransferEvent,
    CompanyAccount,
    CompanyRestriction,
    MembershipEvent,
    RoleMember,
)
from registry.api.schemas.names import ByName, name_of
from registry.api.schemas.objections import Objection
from registry.api.schemas.outcomes import CommercializationReport, IpStatusChange, Outcome
from registry.api.schemas.statistics import (
    CompanyStatistics,
    ProgramStatistics,
    ReportYearStatistics,
    YearStatistics,
)
from registry.store.queries import names
from registry.store.schema import (
    audits,
    commercialization_reports,
    ip_status_changes,
    milestones,
    objections,
    outcomes,
    projects,
)


class ColumnKind(StrEnum):
    """What a column holds, which decides how its cells are written."""

    INTEGER = "integer"
    WON = "won"
    TEXT = "text"
    CODE = "code"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"
    HASH = "hash"
    ADDRESS = "address"
    LIST = "list"


#: The type a data dictionary gives each kind, in English and Korean (won is a number with a unit).
KIND_TYPES: dict[ColumnKind, tuple[str, str]] = {
    ColumnKind.INTEGER: ("integer", "숫자"),
    ColumnKind.WON: ("integer", "숫자"),
    ColumnKind.TEXT: ("text", "문자"),
    ColumnKind.CODE: ("code", "코드"),
    ColumnKind.BOOLEAN: ("boolean", "논리값(true/false)"),
    ColumnKind.DATE: ("date", "날짜"),
    ColumnKind.DATETIME: ("datetime", "일시"),
    ColumnKind.HASH: ("hash", "해시(0x와 16진수)"),
    ColumnKind.ADDRESS: ("address", "계정 주소"),
    ColumnKind.LIST: ("list", "목록(; 로 구분)"),
}

#: How a CSV writes a kind's values, when it is not plain.
KIND_FORMATS: dict[ColumnKind, str] = {
    ColumnKind.DATE: "YYYY-MM-DD",
    ColumnKind.DATETIME: "YYYY-MM-DD HH:MM:SS (UTC)",
    ColumnKind.HASH: "0x + hex",
    ColumnKind.ADDRESS: "0x + 40 hex (EIP-55)",
    ColumnKind.BOOLEAN: "true / false",
}


@dataclass(frozen=True)
class Column:
    """A CSV column: its API name, what it holds, and where its value is: at `path` in the item's JSON,
    or under `joined` in the database row (a name joined in)."""

    name: str
    kind: ColumnKind
    path: tuple[str, ...] = ()
    joined: str | None = None
    codes: tuple[str, ...] = ()
    provenance: bool = False


def _serializer(alias: Any) -> PlainSerializer:
    return next(part for part in get_args(alias) if isinstance(part, PlainSerializer))


_SERIALIZED_KINDS = {
    _serializer(Won).func: ColumnKind.WON,
    _serializer(Timestamp).func: ColumnKind.DATETIME,
    _serializer(Hex32).func: ColumnKind.HASH,
}
_ADDRESS_PATTERN = next(getattr(part, "pattern", None) for part in get_args(Address)[1].metadata)


def _parts(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """The type under Optional and Annotated, and every piece of metadata on the way."""
    found = list(metadata)
    while True:
        if get_origin(annotation) in (Union, types.UnionType):
            rest = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(rest) != 1:
                return annotation, found
            annotation = rest[0]
        elif getattr(annotation, "__metadata__", None) is not None:
            found.extend(annotation.__metadata__)
            annotation = get_args(annotation)[0]
        else:
            return annotation, found


def _kind(annotation: Any, metadata: list[Any]) -> tuple[ColumnKind, tuple[str, ...]]:
    pieces = list(metadata)
    for piece in metadata:
        pieces.extend(getattr(piece, "metadata", None) or [])
    for piece in pieces:
        if isinstance(piece, PlainSerializer) and piece.func in _SERIALIZED_KINDS:
            return _SERIALIZED_KINDS[piece.func], ()
        if isinstance(piece, ByName):
            return ColumnKind.CODE, tuple(name_of(member) for member in piece.enum)
        if getattr(piece, "pattern", None) == _ADDRESS_PATTERN:
            return ColumnKind.ADDRESS, ()
    if annotation is bool:
        return ColumnKind.BOOLEAN, ()
    if annotation is int:
        return ColumnKind.INTEGER, ()
    if get_origin(annotation) is list:
        return ColumnKind.LIST, ()
    return ColumnKind.TEXT, ()


def columns_of(model: type[BaseModel], prefix: str = "", *, provenance: bool = False) -> list[Column]:
    """The columns of `model`'s JSON: nested objects flattened into dotted columns, lists of records left
    out (a list of plain values is one cell); the columns of a `Provenance` are marked as provenance."""
    found: list[Column] = []
    for name, info in model.model_fields.items():
        key = info.serialization_alias or info.alias or name
        annotation, metadata = _parts(info.annotation, info.metadata)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            nested = provenance or issubclass(annotation, Provenance)
            inner = columns_of(annotation, f"{prefix}{key}.", provenance=nested)
            found.extend(replace(column, path=(key, *column.path)) for column in inner)
            continue
        if get_origin(annotation) is list:
            (item,) = get_args(annotation) or (Any,)
            if isinstance(item, type) and issubclass(item, BaseModel):
                continue
        kind, codes = _kind(annotation, metadata)
        found.append(Column(prefix + key, kind, (key,), codes=codes, provenance=provenance))
    return found


@dataclass(frozen=True)
class Join:
    """Names a data set refers to by id, joined into its rows (registry/store/queries/names.py) and
    written right after the column `after`; a joined column the model already has is left out."""

    add: Callable[[Select[Any]], Select[Any]]
    after: str
    columns: tuple[Column, ...]


_PROGRAM_NAME = Column("programName", ColumnKind.TEXT, joined=names.PROGRAM_NAME)
_PROJECT_COLUMNS = (
    Column("programId", ColumnKind.INTEGER, joined=names.PROGRAM_ID),
    _PROGRAM_NAME,
    Column("companyId", ColumnKind.HASH, joined=names.COMPANY_ID),
    Column("companyName", ColumnKind.TEXT, joined=names.COMPANY_NAME),
)


def _project_names(project_id: Any) -> Join:
    return Join(lambda query: names.with_project_names(query, project_id), "projectId", _PROJECT_COLUMNS)


@dataclass(frozen=True)
class Dataset:
    """One data set of the catalogue: what it is, where its list and export are, and its columns."""

    name: str
    model: type[BaseModel]
    title_ko: str
    title_en: str
    description_ko: str
    description_en: str
    keywords_ko: tuple[str, ...]
    keywords_en: tuple[str, ...]
    list_path: str
    join: Join | None = None
    #: Provenance columns written without `?provenance=true`: the time of a record that has no other.
    kept: tuple[str, ...] = ()

    @property
    def export_path(self) -> str:
        return f"{self.list_path}/export"

    def entry(self, column: Column) -> Entry | None:
        return entry(self.name, column.name)

    def all_columns(self) -> list[Column]:
        """Every column the CSV can have, in order: the model's, with the joined names after their id."""
        own = columns_of(self.model)
        present = {column.name for column in own}
        laid_out: list[Column] = []
        for column in own:
            laid_out.append(self._as_day(column))
            if self.join is not None and column.name == self.join.after:
                laid_out.extend(joined for joined in self.join.columns if joined.name not in present)
        return laid_out

    def columns(self, *, provenance: bool) -> list[Column]:
        """The CSV's columns: the provenance ones only when asked (or kept)."""
        return [c for c in self.all_columns() if provenance or not c.provenance or c.name in self.kept]

    def _as_day(self, column: Column) -> Column:
        described = self.entry(column)
        if column.kind is ColumnKind.DATETIME and described is not None and described.day:
            return replace(column, kind=ColumnKind.DATE)
        return column


_EVENT_TIME = ("provenance.blockTime",)
_GRANTS_KO, _GRANTS_EN = ("R&D", "지원사업", "인천"), ("R&D", "grant program", "Incheon")


DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in [
        Dataset(
            "programs",
            Program,
            "R&D 지원사업 목록",
            "R&D grant programs",
            "시가 연 R&D 지원사업: 연도, 예산, 과제당 한도, 지원액과 잔액, 상태",
            "The city's R&D grant programs: year, budget, per-project cap, granted and remaining, status",
            (*_GRANTS_KO, "예산"),
            (*_GRANTS_EN, "budget"),
            "/api/v1/programs",
            kept=_EVENT_TIME,
        ),
        Dataset(
            "projects",
            Project,
            "R&D 협약 과제 목록",
            "R&D grant agreements (projects)",
            "지원사업이 기업에 지원한 협약 과제: 지원액, 기간, 상태, 단계 목표",
            "Grant agreements: which program funds which company, how much, for which period",
            (*_GRANTS_KO, "협약 과제", "지원금"),
            (*_GRANTS_EN, "project", "grant"),
            "/api/v1/projects",
            join=Join(lambda q: names.with_program_names(q, projects.c.program_id), "programId", (_PROGRAM_NAME,)),
        ),
        Dataset(
            "milestones",
            Milestone,
            "과제 단계 목표 목록",
            "Project milestones",
            "과제의 단계 목표: 기한, 지급액, 제출·승인·반려 상태",
            "Milestones of the projects: due day, payment tranche, where each stands",
            (*_GRANTS_KO, "단계 목표", "지급"),
            (*_GRANTS_EN, "milestone", "tranche"),
            "/api/v1/milestones",
            join=_project_names(milestones.c.project_id),
            kept=_EVENT_TIME,
        ),
        Dataset(
            "outcomes",
            Outcome,
            "R&D 성과 목록",
            "R&D outcomes",
            "과제의 R&D 성과(논문, 특허, 소프트웨어 등): 유형, 식별번호, 지식재산 상태, 정정과 취소",
            "R&D outcomes of the projects (papers, patents, software...): type, identifier, IP status, "
            "corrections and revocations",
            (*_GRANTS_KO, "성과", "특허", "논문"),
            (*_GRANTS_EN, "outcome", "patent", "paper"),
            "/api/v1/outcomes",
            join=_project_names(outcomes.c.project_id),
        ),
        Dataset(
            "ip-status-changes",
            IpStatusChange,
            "지식재산 상태 변경 이력",
            "IP status changes",
            "성과의 지식재산 상태가 바뀐 이력(출원, 등록, 실시 허락, 양도, 소멸)",
            "Every change of an outcome's intellectual-property status",
            (*_GRANTS_KO, "지식재산", "특허"),
            (*_GRANTS_EN, "intellectual property", "patent"),
            "/api/v1/ip-status-changes",
            join=Join(
                lambda q: names.with_outcome_names(q, ip_status_changes.c.outcome_id),
                "outcomeId",
                (Column("projectId", ColumnKind.INTEGER, joined=names.PROJECT_ID), *_PROJECT_COLUMNS),
            ),
            kept=_EVENT_TIME,
        ),
        Dataset(
            "commercialization-reports",
            CommercializationReport,
            "사업화 실적 보고 목록",
            "Commercialization reports",
            "과제의 연도별 사업화 실적: 매출, 투자 유치, 기술료, 고용, 검증 상태",
            "Yearly commercialization figures of the projects: sales, investment, royalties, jobs, review",
            (*_GRANTS_KO, "사업화", "매출", "고용"),
            (*_GRANTS_EN, "commercialization", "sales", "jobs"),
            "/api/v1/commercialization-reports",
            join=_project_names(commercialization_reports.c.project_id),
        ),
        Dataset(
            "evaluations",
            Evaluation,
            "과제 평가 목록",
            "Project evaluations",
            "평가자의 과제 평가: 등급, 환수액, 참여 제한",
            "Auditors' evaluations of projects: grade, clawback, participation restriction",
            (*_GRANTS_KO, "평가", "환수", "참여 제한"),
            (*_GRANTS_EN, "evaluation", "clawback", "sanction"),
            "/api/v1/evaluations",
            join=_project_names(audits.c.project_id),
        ),
        Dataset(
            "objections",
            Objection,
            "이의신청 목록",
            "Objections",
            "기업이 단계 목표 반려, 사업화 실적 이의, 평가에 제기한 이의신청과 처리 결과(인용·기각)",
            "Companies' objections to milestone rejections, report disputes and evaluations, and how they were "
            "resolved (upheld or dismissed)",
            (*_GRANTS_KO, "이의신청", "평가", "반려"),
            (*_GRANTS_EN, "objection", "evaluation", "rejection"),
            "/api/v1/objections",
            join=_project_names(objections.c.project_id),
        ),
        Dataset(
            "members",
            RoleMember,
            "역할 보유 계정 목록",
            "Role members",
            "등록부의 역할(관리자, 평가자 등)을 가졌거나 가졌던 계정",
            "Accounts holding, or once holding, a role",
            ("등록부", "역할", "계정"),
            ("registry", "role", "account"),
            "/api/v1/members",
            kept=_EVENT_TIME,
        ),
        Dataset(
            "company-accounts",
            CompanyAccount,
            "기업 계정 목록",
            "Company accounts",
            "기업을 대리하도록 연결된 계정",
            "Accounts bound to act for a company",
            ("등록부", "기업", "계정"),
            ("registry", "company", "account"),
            "/api/v1/members/companies",
            kept=_EVENT_TIME,
        ),
        Dataset(
            "companies",
            CompanyModel,
            "기업 목록(상호)",
            "Companies by name",
            "체인에 상호가 공개된 기업: 기업 식별값, 현재 상호, 과제 수, 연결된 계정 수",
            "Companies published by name on chain: company id, current name, projects and bound accounts",
            ("등록부", "기업", "상호"),
            ("registry", "company", "name"),
            "/api/v1/companies",
        ),
        Dataset(
            "restrictions",
            CompanyRestriction,
            "참여 제한 기업 목록",
            "Participation restrictions",
            "평가로 참여가 제한된 기업과 제한 종료일",
            "Companies restricted from new grants by an evaluation",
            ("참여 제한", "제재", "기업"),
            ("restriction", "sanction", "company"),
            "/api/v1/members/restrictions",
        ),
        Dataset(
            "membership-history",
            MembershipEvent,
            "역할·기업 계정 변경 이력",
            "Membership history",
            "역할 부여·회수, 기업 계정 연결·해제, 참여 제한의 이력",
            "Roles granted and revoked, company accounts bound and unbound, companies restricted",
            ("등록부", "역할", "이력"),
            ("registry", "role", "history"),
            "/api/v1/members/history",
            kept=_EVENT_TIME,
        ),
        Dataset(
            "admin-transfers",
            AdminTransferEvent,
            "최고 관리자 이전 이력",
            "Top admin transfers",
            "최고 관리자 역할의 2단계 지연 이전과 지연 변경 이력",
            "Steps of the delayed transfer of the top admin role",
            ("등록부", "관리자", "이력"),
            ("registry", "admin", "history"),
            "/api/v1/members/admin-transfers",
            kept=_EVENT_TIME,
        ),
        Dataset(
            "batches",
            EvidenceBatch,
            "문서 묶음 목록",
            "Evidence batches",
            "머클 루트 하나로 함께 등록된 문서 묶음",
            "Documents anchored together as one Merkle root",
            ("증빙", "문서", "머클"),
            ("evidence", "document", "Merkle"),
            "/api/v1/batches",
        ),
        Dataset(
            "documents",
            AnchoredDocument,
            "등록 문서 목록",
            "Anchored documents",
            "등록부가 해시로 등록한 모든 문서와 처음 등록한 이벤트",
            "Every document the registry anchored, with its first anchoring",
            ("증빙", "문서", "해시"),
            ("evidence", "document", "hash"),
            "/api/v1/documents",
        ),
        Dataset(
            "program-statistics",
            ProgramStatistics,
            "지원사업별 통계",
            "Statistics per program",
            "지원사업별 예산, 지원액, 단계 목표, 유형별 성과, 사업화 실적, 환수",
            "Per program: budget, granted, milestones, outcomes by type, commercialization, clawbacks",
            (*_GRANTS_KO, "통계"),
            (*_GRANTS_EN, "statistics"),
            "/api/v1/statistics/programs",
        ),
        Dataset(
            "year-statistics",
            YearStatistics,
            "연도별 통계",
            "Statistics per year",
            "연도별로 합산한 지원사업 통계",
            "The programs of each year added up",
            (*_GRANTS_KO, "통계", "연도"),
            (*_GRANTS_EN, "statistics", "year"),
            "/api/v1/statistics/years",
        ),
        Dataset(
            "commercialization-statistics",
            ReportYearStatistics,
            "실적 연도별 사업화 통계",
            "Commercialization per report year",
            "실적 연도별 사업화 보고 수와 매출, 투자 유치, 기술료, 고용",
            "Commercialization reports and figures per year the figures are for",
            (*_GRANTS_KO, "사업화", "통계"),
            (*_GRANTS_EN, "commercialization", "statistics"),
            "/api/v1/statistics/commercialization",
        ),
        Dataset(
            "company-statistics",
            CompanyStatistics,
            "기업별 통계",
            "Statistics per company",
            "기업별(사업자등록번호 해시) 지원액, 단계 목표, 성과, 사업화 실적, 환수, 참여 제한",
            "Per company (by the hash of its business number): grants, milestones, outcomes, commercialization, "
            "clawbacks, restrictions",
            (*_GRANTS_KO, "기업", "통계"),
            (*_GRANTS_EN, "company", "statistics"),
            "/api/v1/statistics/companies",
        ),
    ]
}
