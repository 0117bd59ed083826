"""Response models of the statistics: per program and year, per year, per company."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import Field, create_model

from registry.api.schemas.common import ApiModel, Hex32, Timestamp, Won, from_unix
from registry.api.schemas.grants import ProgramStatusName, Results, Targets
from registry.domain.enums import OutcomeType, ProgramStatus
from registry.store import statistics as figures

OVERDUE = (
    "Milestones of active projects whose due day ended before `asOf` (now, unless asked otherwise) while they "
    "still wait for the company: planned, or rejected and not resubmitted."
)
STANDING = "Outcomes that stand: not revoked, and not corrected by a later outcome (the correction counts instead)."
COUNTED = "Summed over disclosed reports that are not disputed (reported or verified); committed figures are hidden."


def _field_name(kind: OutcomeType) -> str:
    return kind.name.lower()


# One field per outcome type, made from the enum so the two never drift apart; flat, so that an
# export has one CSV column per type.
if TYPE_CHECKING:
    OutcomesByType = ApiModel
else:
    OutcomesByType = create_model(
        "OutcomesByType",
        __base__=ApiModel,
        __doc__="Standing outcomes of each type.",
        **{_field_name(kind): (int, 0) for kind in OutcomeType if kind is not OutcomeType.NONE},
    )


class MilestoneFigures(ApiModel):
    """Milestones by their current status."""

    total: int
    planned: int
    submitted: int = Field(description="Submitted and awaiting review.")
    approved: int
    rejected: int = Field(description="Rejected at their last review (they may be resubmitted).")
    overdue: int = Field(description=OVERDUE)

    @classmethod
    def of(cls, counts: figures.MilestoneCounts) -> MilestoneFigures:
        return cls(total=counts.total, planned=counts.planned, submitted=counts.submitted, approved=counts.approved,
                   rejected=counts.rejected, overdue=counts.overdue)  # fmt: skip


class OutcomeFigures(ApiModel):
    """R&D outcomes: those that stand, by type, and those revoked or corrected."""

    standing: int = Field(description=STANDING)
    revoked: int
    corrected: int = Field(description="Outcomes superseded by a correction.")
    by_type: OutcomesByType = Field(description=STANDING)

    @classmethod
    def of(cls, counts: figures.OutcomeCounts) -> OutcomeFigures:
        by_type: dict[str, Any] = {_field_name(kind): count for kind, count in counts.by_type.items()}
        return cls(standing=counts.standing, revoked=counts.revoked, corrected=counts.corrected,
                   by_type=OutcomesByType(**by_type))  # fmt: skip


class CommercializationFigures(ApiModel):
    """Commercialization reports, by status, and their figures."""

    reports: int
    committed: int = Field(description="Committed as a hash; figures hidden until revealed.")
    reported: int
    verified: int
    disputed: int
    sales: Won = Field(description=COUNTED)
    investment: Won = Field(description=COUNTED)
    royalties: Won = Field(description=COUNTED)
    jobs: int = Field(description=COUNTED)

    @classmethod
    def of(cls, totals: figures.CommercializationTotals) -> CommercializationFigures:
        return cls(reports=totals.reports, committed=totals.committed, reported=totals.reported,
                   verified=totals.verified, disputed=totals.disputed, sales=totals.sales,
                   investment=totals.investment, royalties=totals.royalties, jobs=totals.jobs)  # fmt: skip


class TargetFigures(Targets):
    """The performance targets of the projects, added up."""

    projects: int = Field(description="Projects whose targets were recorded.")

    @classmethod
    def of(cls, targets: figures.Targets) -> TargetFigures:
        return cls(papers=targets.papers, patents=targets.patents, sales=targets.sales,
                   investment=targets.investment, jobs=targets.jobs, projects=targets.projects)  # fmt: skip


class FollowUpFigures(ApiModel):
    """Commercialization follow-up years of the projects at `asOf`, each project's decided by
    registry/domain/deadlines.py with its program's followUpYears."""

    due: int = Field(description="Ended years whose report is not in yet, still before its due day (March 31).")
    late: int = Field(description="Years whose due day passed with no report.")
    reported: int = Field(description="Years with a report on record.")

    @classmethod
    def of(cls, counts: figures.FollowUpCounts) -> FollowUpFigures:
        return cls(due=counts.due, late=counts.late, reported=counts.reported)


_TARGETS = "The projects' performance targets added up (a project without targets adds nothing)."
_RESULTS = "What the projects achieved in the targets' measures (see Results)."
_PAID = "Tranches of the projects' approved milestones."
_RETURNED = "Unpaid grants of terminated or clawed-back projects, returned to their programs."
_CLAWBACKS = "Clawbacks ordered by evaluations of the projects and in effect (confirmed by a second auditor)."


class ProgramStatistics(ApiModel):
    """One grant program (each belongs to one year) and what happened under it."""

    program_id: int
    name: str
    year: int
    field: str
    status: ProgramStatusName
    budget: Won
    per_project_cap: Won
    granted: Won = Field(description="The grants of the program's projects less what came back from terminated or "
                         "clawed-back ones, as the chain keeps it.")
    remaining: Won = Field(description="budget - granted.")
    projects: int
    paid: Won = Field(description=_PAID)
    returned: Won = Field(description=_RETURNED)
    clawbacks: Won = Field(description=_CLAWBACKS)
    milestones: MilestoneFigures
    outcomes: OutcomeFigures
    commercialization: CommercializationFigures
    targets: TargetFigures = Field(description=_TARGETS)
    results: Results = Field(description=_RESULTS)
    follow_up: FollowUpFigures
    program_path: str = Field(description="The program in this API.")

    @classmethod
    def of(cls, program: figures.ProgramStatistics) -> ProgramStatistics:
        done = program.activity
        return cls(
            program_id=program.program_id, name=program.name, year=program.year, field=program.field,
            status=ProgramStatus(program.status), budget=program.budget, per_project_cap=program.per_project_cap,
            granted=program.granted, remaining=program.budget - program.granted, projects=done.projects,
            paid=done.paid, returned=done.returned, clawbacks=done.clawbacks,
            milestones=MilestoneFigures.of(done.milestones),
            outcomes=OutcomeFigures.of(done.outcomes),
            commercialization=CommercializationFigures.of(done.commercialization),
            targets=TargetFigures.of(done.targets), results=Results.of(done.results),
            follow_up=FollowUpFigures.of(done.follow_up),
            program_path=f"/api/v1/programs/{program.program_id}",
        )  # fmt: skip


class YearStatistics(ApiModel):
    """The programs of one year, added up (their commercialization: every year reported under them; per
    report year, see /api/v1/statistics/commercialization)."""

    year: int
    programs: int
    budget: Won
    granted: Won
    remaining: Won
    projects: int
    paid: Won = Field(description=_PAID)
    returned: Won = Field(description=_RETURNED)
    clawbacks: Won = Field(description=_CLAWBACKS)
    milestones: MilestoneFigures
    outcomes: OutcomeFigures
    commercialization: CommercializationFigures
    targets: TargetFigures = Field(description=_TARGETS)
    results: Results = Field(description=_RESULTS)
    follow_up: FollowUpFigures

    @classmethod
    def of(cls, year: int, programs: list[figures.ProgramStatistics]) -> YearStatistics:
        done = figures.Activity()
        for program in programs:
            done.add(program.activity)
        budget = sum(p.budget for p in programs)
        granted = sum(p.granted for p in programs)
        return cls(
            year=year, programs=len(programs), budget=budget, granted=granted, remaining=budget - granted,
            projects=done.projects, paid=done.paid, returned=done.returned, clawbacks=done.clawbacks,
            milestones=MilestoneFigures.of(done.milestones),
            outcomes=OutcomeFigures.of(done.outcomes),
            commercialization=CommercializationFigures.of(done.commercialization),
            targets=TargetFigures.of(done.targets), results=Results.of(done.results),
            follow_up=FollowUpFigures.of(done.follow_up),
        )  # fmt: skip


class ReportYearStatistics(ApiModel):
    """The commercialization reports for one year: the year their figures are for, whatever the year of
    the program they were reported under."""

    year: int = Field(description="The year the reports' figures are for.")
    commercialization: CommercializationFigures

    @classmethod
    def of(cls, found: figures.ReportYearStatistics) -> ReportYearStatistics:
        return cls(year=found.year, commercialization=CommercializationFigures.of(found.commercialization))


class CompanyStatistics(ApiModel):
    """One company (keyed on chain by the hash of its business registration number), across programs."""

    company_id: Hex32
    company_name: str | None = Field(description="The public name (상호) last published on chain; null if never.")
    programs: int = Field(description="Programs in which the company holds a project.")
    projects: int
    granted: Won = Field(description="The company's grants less what went back to the programs.")
    paid: Won = Field(description=_PAID)
    returned: Won = Field(description=_RETURNED)
    clawbacks: Won = Field(description=_CLAWBACKS)
    accounts: int = Field(description="Accounts bound to the company now.")
    restricted_until: Timestamp | None = Field(description="End of the company's last participation restriction.")
    restricted: bool = Field(description="Whether that restriction is still in force at `asOf`.")
    milestones: MilestoneFigures
    outcomes: OutcomeFigures
    commercialization: CommercializationFigures
    targets: TargetFigures = Field(description=_TARGETS)
    results: Results = Field(description=_RESULTS)
    follow_up: FollowUpFigures
    company_path: str = Field(description="This summary in this API.")

    @classmethod
    def of(cls, company: figures.CompanyStatistics, as_of: int) -> CompanyStatistics:
        done = company.activity
        until = company.restricted_until
        return cls(
            company_id=company.company_id, company_name=company.name, programs=company.programs,
            projects=done.projects, granted=done.granted, paid=done.paid, returned=done.returned,
            clawbacks=done.clawbacks, accounts=company.accounts,
            restricted_until=from_unix(until) if until is not None else None,
            restricted=until is not None and until > as_of, milestones=MilestoneFigures.of(done.milestones),
            outcomes=OutcomeFigures.of(done.outcomes),
            commercialization=CommercializationFigures.of(done.commercialization),
            targets=TargetFigures.of(done.targets), results=Results.of(done.results),
            follow_up=FollowUpFigures.of(done.follow_up),
            company_path=f"/api/v1/statistics/companies/0x{company.company_id.hex()}",
        )  # fmt: skip


ItemT = TypeVar("ItemT")


class Statistics(ApiModel, Generic[ItemT]):
    """Figures computed from the indexed database at `asOf`, up to block `indexedBlock`."""

    as_of: Timestamp = Field(description="The moment the figures hold for (overdue milestones, restrictions).")
    indexed_block: int | None = Field(description="The last block the figures include.")
    items: list[ItemT]
