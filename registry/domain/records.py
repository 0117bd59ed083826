"""The registry's records, one Python model each, field for field the Solidity structs of
`contracts/Common.sol`; the client, the indexer, the API and the portal all use these."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from registry.domain.enums import (
    AnchorKind,
    Grade,
    IpStatus,
    MilestoneStatus,
    OutcomeType,
    ProgramStatus,
    ProjectStatus,
    ReportStatus,
)
from registry.domain.types import Address, ChainTime, Hash32, Won


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ---- inputs: what a person asks the registry to record ------------------------------------------


class ProgramTerms(Record):
    """A grant program to open."""

    name: str = Field(min_length=1, max_length=200)
    year: int = Field(ge=2000, le=2100)
    budget: Won = Field(gt=0)
    per_project_cap: Won = Field(gt=0)
    field: str = Field(default="", max_length=200)
    metadata_hash: Hash32 | None = None
    metadata_uri: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _cap_within_budget(self) -> ProgramTerms:
        if self.per_project_cap > self.budget:
            raise ValueError(
                f"the per-project cap ({self.per_project_cap:,} won) is above the budget ({self.budget:,} won)"
            )
        return self


class ProjectTerms(Record):
    """A grant agreement to register."""

    program_id: int = Field(gt=0, lt=2**32)
    company_id: Hash32
    amount: Won = Field(gt=0)
    start_date: ChainTime
    end_date: ChainTime
    plan_hash: Hash32 | None = None

    @model_validator(mode="after")
    def _period(self) -> ProjectTerms:
        if self.end_date <= self.start_date:
            raise ValueError("the project must end after it starts")
        return self


class CommercializationFigures(Record):
    """Figures of one reporting year: won amounts and a headcount."""

    sales: Won = 0
    investment: Won = 0
    royalties: Won = 0
    jobs: int = Field(default=0, ge=0, lt=2**32)


class AuditResult(Record):
    """An evaluation and its sanctions."""

    grade: Grade
    findings_hash: Hash32
    clawback_amount: Won = 0
    restricted_until: ChainTime | None = None

    @model_validator(mode="after")
    def _graded(self) -> AuditResult:
        if self.grade == Grade.NONE:
            raise ValueError("an audit needs a grade")
        return self


# ---- records as the chain holds them -------------------------------------------------------------


class Program(Record):
    program_id: int
    name: str
    year: int
    budget: Won
    per_project_cap: Won
    granted: Won
    project_count: int
    status: ProgramStatus
    field: str
    metadata_hash: Hash32
    metadata_uri: str


class Project(Record):
    project_id: int
    program_id: int
    company_id: Hash32
    status: ProjectStatus
    amount: Won
    start_date: ChainTime
    end_date: ChainTime
    plan_hash: Hash32
    milestone_count: int
    planned_tranches: Won


class Milestone(Record):
    project_id: int
    milestone_index: int
    status: MilestoneStatus
    attempts: int
    due_date: ChainTime
    tranche: Won
    description_hash: Hash32


class Outcome(Record):
    outcome_id: int
    project_id: int
    outcome_type: OutcomeType
    ip_status: IpStatus
    revoked: bool
    amends: int
    amended_by: int
    recorded_at: ChainTime
    evidence_hash: Hash32
    external_id: str


class CommercializationReport(Record):
    report_id: int
    project_id: int
    year: int
    status: ReportStatus
    recorded_at: ChainTime
    figures: CommercializationFigures
    commitment: Hash32
    evidence_hash: Hash32


class Audit(Record):
    audit_id: int
    project_id: int
    grade: Grade
    clawback_amount: Won
    restricted_until: ChainTime | None
    recorded_at: ChainTime
    auditor: Address
    findings_hash: Hash32


class Anchor(Record):
    """Where and when a document hash was first anchored; `anchored` is False if never."""

    document_hash: Hash32
    anchored: bool
    anchored_by: Address | None
    timestamp: ChainTime | None
    block_number: int | None
    kind: AnchorKind


class Batch(Record):
    root: Hash32
    anchored: bool
    anchored_by: Address | None
    timestamp: ChainTime | None
    block_number: int | None


def optional_time(seconds: int) -> datetime | None:
    """A chain time that zero means "none"."""
    return None if seconds == 0 else ChainTimeAdapter.validate_python(seconds)


ChainTimeAdapter: TypeAdapter[datetime] = TypeAdapter(ChainTime)
