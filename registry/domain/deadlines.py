"""When a milestone is overdue: one rule, used by the CLI, the statistics (API, program page, dashboard)
and every record page, so that they never disagree.

A milestone is overdue once the day it is due has ended (days are UTC, as every date of the registry)
while it still waits for the company: planned and never submitted, or rejected and not resubmitted, in
a project that is still active. A submission waits for the auditor, not the company; an approved
milestone is done; a completed, terminated or clawed-back project owes nothing more.

Commercialization reports are owed yearly for five years from the year a project ends (the workspace's
clerk page lists those missing)."""

from __future__ import annotations

from datetime import UTC, datetime

from registry.domain.enums import MilestoneStatus, ProjectStatus

SECONDS_PER_DAY = 86_400
#: The statuses in which a milestone waits for the company to deliver.
WAITING_FOR_COMPANY = (MilestoneStatus.PLANNED, MilestoneStatus.REJECTED)


def overdue_cutoff(as_of: int) -> int:
    """The first moment (Unix seconds) of `as_of`'s UTC day: a milestone due before it is past its day."""
    return as_of - as_of % SECONDS_PER_DAY


def is_overdue(status: MilestoneStatus, due_date: datetime | int, project_status: ProjectStatus, as_of: int) -> bool:
    """Whether a milestone with `status`, due on `due_date`, in a project with `project_status`, is overdue
    at `as_of` (Unix seconds)."""
    due = int(due_date.timestamp()) if isinstance(due_date, datetime) else due_date
    return project_status is ProjectStatus.ACTIVE and status in WAITING_FOR_COMPANY and due < overdue_cutoff(as_of)


#: Years a company reports its commercialization once its project's period ends (Korean practice: five).
COMMERCIALIZATION_FOLLOW_UP_YEARS = 5
#: The projects that owe commercialization reports: those not ended by a sanction.
REPORTING_PROJECTS = (ProjectStatus.ACTIVE, ProjectStatus.COMPLETED)


def commercialization_years_due(
    project_status: ProjectStatus, end_date: datetime | int, reported_years: set[int], as_of: int
) -> list[int]:
    """The years a project owes a commercialization report for at `as_of` (Unix seconds) and has none:
    each calendar year (UTC) from the one its period ends in, for `COMMERCIALIZATION_FOLLOW_UP_YEARS`
    years, once that year has ended; a terminated or clawed-back project owes none."""
    if project_status not in REPORTING_PROJECTS:
        return []
    end = end_date if isinstance(end_date, datetime) else datetime.fromtimestamp(end_date, UTC)
    current_year = datetime.fromtimestamp(as_of, UTC).year
    years = range(end.year, end.year + COMMERCIALIZATION_FOLLOW_UP_YEARS)
    return [year for year in years if year < current_year and year not in reported_years]


def now_seconds() -> int:
    return int(datetime.now(UTC).timestamp())
