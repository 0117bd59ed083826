"""What is overdue and what is late: one rule, used by the CLI, the statistics (API, program page, dashboard),
the workspace and every record page, so that they never disagree.

The moment. Every face decides at the same moment: now on the wall clock, UTC (`now_seconds`), unless a
reader asks for another one (the API's `asOf`). Not the time of the chain's newest block: a chain that mines
only when it is sent a transaction (anvil, a quiet permissioned network) keeps that time standing still for
days, and a command deciding by it saw another day than the portal did. The next block a write lands in
carries the wall clock's time too, so this is also the time the contracts will judge a write by.

Milestones. A milestone is overdue once the day it is due has ended (days are UTC, as every date of the
registry) while it still waits for the company: planned and never submitted, or rejected and not
resubmitted, in a project that is still active. A submission waits for the auditor, not the company, even
one sent after its due day; an approved milestone is done; a completed, terminated or clawed-back project
owes nothing more.

Commercialization follow-up. A project reports its commercialization once a year for its program's
`follow_up_years` (five by default) calendar years, from the year its period ends. The report for year Y
is due by March 31 of year Y+1 (UTC), the day a Korean company's books for Y are closed and filed: from
January 1 of Y+1 it is *due*, and once March 31 has ended (April 1 of Y+1, 00:00 UTC) and no report for Y
was made, it is *late*. A report made after its due date is no longer owed. A project ended by a sanction
(terminated, clawed back) owes no report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from registry.domain.enums import MilestoneStatus, ProjectStatus
from registry.domain.records import DEFAULT_FOLLOW_UP_YEARS

SECONDS_PER_DAY = 86_400
#: The statuses in which a milestone waits for the company to deliver.
WAITING_FOR_COMPANY = (MilestoneStatus.PLANNED, MilestoneStatus.REJECTED)


def now_seconds() -> int:
    """Now, in Unix seconds: the moment every face decides what is overdue and late at, unless asked."""
    return int(datetime.now(UTC).timestamp())


def overdue_cutoff(as_of: int) -> int:
    """The first moment (Unix seconds) of `as_of`'s UTC day: a milestone due before it is past its day."""
    return as_of - as_of % SECONDS_PER_DAY


def is_overdue(status: MilestoneStatus, due_date: datetime | int, project_status: ProjectStatus, as_of: int) -> bool:
    """Whether a milestone with `status`, due on `due_date`, in a project with `project_status`, is overdue
    at `as_of` (Unix seconds)."""
    due = int(due_date.timestamp()) if isinstance(due_date, datetime) else due_date
    return project_status is ProjectStatus.ACTIVE and status in WAITING_FOR_COMPANY and due < overdue_cutoff(as_of)


#: Years a company reports its commercialization once its project's period ends, unless its program says
#: otherwise (`ProgramRules.follow_up_years`).
COMMERCIALIZATION_FOLLOW_UP_YEARS = DEFAULT_FOLLOW_UP_YEARS
#: The projects that owe commercialization reports: those not ended by a sanction.
REPORTING_PROJECTS = (ProjectStatus.ACTIVE, ProjectStatus.COMPLETED)
#: The report for year Y is due by this day (month, day) of year Y+1.
REPORT_DUE_DAY = (3, 31)


class ReportState(StrEnum):
    """Where the report for one follow-up year stands."""

    UPCOMING = "upcoming"  # the year has not ended yet
    DUE = "due"  # the year has ended; its due date has not passed
    LATE = "late"  # its due date has passed with no report
    REPORTED = "reported"  # a report for the year is on record (whenever it was made)


@dataclass(frozen=True)
class FollowUpYear:
    """One year of a project's commercialization follow-up."""

    year: int
    due_date: datetime  # the due day, at its midnight UTC, as the registry stores days
    state: ReportState


def report_due_date(year: int) -> datetime:
    """The day the commercialization report for `year` is due: March 31 of the next year, UTC."""
    month, day = REPORT_DUE_DAY
    return datetime(year + 1, month, day, tzinfo=UTC)


def report_late_from(year: int) -> int:
    """The first moment (Unix seconds) a missing report for `year` is late: once its due day has ended."""
    return int(report_due_date(year).timestamp()) + SECONDS_PER_DAY


def report_owed_from(year: int) -> int:
    """The first moment (Unix seconds) a report for `year` is owed: January 1 of the next year, UTC."""
    return int(datetime(year + 1, 1, 1, tzinfo=UTC).timestamp())


def follow_up_years(end_date: datetime | int, years: int = COMMERCIALIZATION_FOLLOW_UP_YEARS) -> range:
    """The calendar years (UTC) a project ending on `end_date` reports for: `years` of them, from its end's."""
    end = end_date if isinstance(end_date, datetime) else datetime.fromtimestamp(end_date, UTC)
    return range(end.year, end.year + years)


def report_state(year: int, reported: bool, as_of: int) -> ReportState:
    """Where the report for `year` stands at `as_of` (Unix seconds)."""
    if reported:
        return ReportState.REPORTED
    if as_of < report_owed_from(year):
        return ReportState.UPCOMING
    if as_of < report_late_from(year):
        return ReportState.DUE
    return ReportState.LATE


def commercialization_schedule(
    project_status: ProjectStatus,
    end_date: datetime | int,
    reported_years: set[int],
    as_of: int,
    years: int = COMMERCIALIZATION_FOLLOW_UP_YEARS,
) -> list[FollowUpYear]:
    """Every follow-up year of a project, with its due date and where its report stands at `as_of`; none
    for a project ended by a sanction."""
    if project_status not in REPORTING_PROJECTS:
        return []
    return [
        FollowUpYear(year, report_due_date(year), report_state(year, year in reported_years, as_of))
        for year in follow_up_years(end_date, years)
    ]


def commercialization_years_due(
    project_status: ProjectStatus,
    end_date: datetime | int,
    reported_years: set[int],
    as_of: int,
    years: int = COMMERCIALIZATION_FOLLOW_UP_YEARS,
) -> list[int]:
    """The years a project owes a commercialization report for at `as_of` (Unix seconds) and has none, due
    or late: each ended year of its follow-up; a terminated or clawed-back project owes none."""
    owed = (ReportState.DUE, ReportState.LATE)
    schedule = commercialization_schedule(project_status, end_date, reported_years, as_of, years)
    return [entry.year for entry in schedule if entry.state in owed]


def commercialization_years_late(
    project_status: ProjectStatus,
    end_date: datetime | int,
    reported_years: set[int],
    as_of: int,
    years: int = COMMERCIALIZATION_FOLLOW_UP_YEARS,
) -> list[int]:
    """The years whose report is late at `as_of`: past March 31 of the next year with none made."""
    schedule = commercialization_schedule(project_status, end_date, reported_years, as_of, years)
    return [entry.year for entry in schedule if entry.state is ReportState.LATE]
