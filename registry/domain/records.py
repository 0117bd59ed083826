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
    ObjectionStatus,
    ObjectionSubject,
    OutcomeType,
    ProgramStatus,
    ProjectStatus,
    ReportStatus,
    SanctionStatus,
)
from registry.domain.types import Address, ChainTime, Hash32, Won, unix_seconds


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ---- inputs: what a person asks the registry to record ------------------------------------------


#: Korean practice: commercialization is followed for five years after a project ends, and an objection
#: (이의신청) is filed within 30 days; the longest participation restriction and the largest clawback are
#: the city's to set per program (defaults: five years, the whole grant).
DEFAULT_FOLLOW_UP_YEARS = 5
DEFAULT_OBJECTION_DAYS = 30
DEFAULT_MAX_RESTRICTION_DAYS = 5 * 365
DEFAULT_MAX_CLAWBACK_PERCENT = 100


class ProgramRules(Record):
    """The rules a program sets for its projects, fixed when it opens (`ProgramRules` on chain)."""

    follow_up_years: int = Field(default=DEFAULT_FOLLOW_UP_YEARS, ge=1, le=20)
    objection_days: int = Field(default=DEFAULT_OBJECTION_DAYS, ge=1, le=365)
    max_restriction_days: int = Field(default=DEFAULT_MAX_RESTRICTION_DAYS, ge=0, le=20 * 366)
    max_clawback_percent: int = Field(default=DEFAULT_MAX_CLAWBACK_PERCENT, ge=0, le=1000)

    def as_abi(self) -> tuple[int, int, int, int]:
        return (self.follow_up_years, self.objection_days, self.max_restriction_days, self.max_clawback_percent)


class ProjectTargets(Record):
    """The performance targets (성과목표) agreed with a project; zero means no target."""

    papers: int = Field(default=0, ge=0, lt=2**16)
    patents: int = Field(default=0, ge=0, lt=2**16)
    sales: Won = 0
    investment: Won = 0
    jobs: int = Field(default=0, ge=0, lt=2**32)

    def as_abi(self) -> tuple[int, int, int, int, int]:
        return (self.papers, self.patents, self.sales, self.investment, self.jobs)


class OutcomeDetails(Record):
    """What identifies an outcome beyond its external identifier (`OutcomeDetails` on chain); which
    fields a type uses, and how each is checked, is `registry.domain.outcome_details`."""

    venue: str = Field(default="", max_length=200)
    country: str = Field(default="", max_length=2)
    counterparty: str = Field(default="", max_length=200)
    date: ChainTime | None = None
    amount: Won = 0
    sci_indexed: bool = False

    def as_abi(self) -> tuple[str, str, str, int, int, bool]:
        date = unix_seconds(self.date) if self.date else 0
        return (self.venue, self.country, self.counterparty, date, self.amount, self.sci_indexed)


class ProgramTerms(Record):
    """A grant program to open."""

    name: str = Field(min_length=1, max_length=200)
    year: int = Field(ge=2000, le=2100)
    budget: Won = Field(gt=0)
    per_project_cap: Won = Field(gt=0)
    field: str = Field(default="", max_length=200)
    metadata_hash: Hash32 | None = None
    metadata_uri: str = Field(default="", max_length=500)
    rules: ProgramRules = ProgramRules()

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
    targets: ProjectTargets = ProjectTargets()

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


class ProjectFunds(Record):
    """What a project's approved milestones paid, and what went back to its program."""

    project_id: int
    paid: Won
    returned: Won


class Sanction(Record):
    """Where an evaluation's sanction stands; `NONE` when the evaluation set none."""

    audit_id: int
    status: SanctionStatus
    confirmations: int
    held_by_objection: int


class Decision(Record):
    """A decision a company may object to; `decided_at` is None when none was recorded."""

    subject: ObjectionSubject
    subject_id: int
    milestone_index: int
    decided_by: Address | None
    decided_at: ChainTime | None
    project_id: int
    objection_days: int


class Objection(Record):
    objection_id: int
    project_id: int
    subject: ObjectionSubject
    subject_id: int
    milestone_index: int
    status: ObjectionStatus
    filed_at: ChainTime
    filed_by: Address
    decided_by: Address
    resolved_by: Address | None


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
