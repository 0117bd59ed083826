"""The one rule of what is overdue (registry.domain.deadlines)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from registry.domain.deadlines import (
    FollowUpYear,
    ReportState,
    commercialization_schedule,
    commercialization_years_due,
    commercialization_years_late,
    is_overdue,
    overdue_cutoff,
    report_due_date,
    report_state,
)
from registry.domain.enums import MilestoneStatus, ProjectStatus

DUE = datetime(2021, 12, 20, tzinfo=UTC)  # a due day, as the registry stores it: its midnight, UTC
ACTIVE = ProjectStatus.ACTIVE


def seconds(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2021-12-19T23:59:59+00:00", False),
        ("2021-12-20T00:00:00+00:00", False),  # the due day itself is still in time
        ("2021-12-20T23:59:59+00:00", False),
        ("2021-12-21T00:00:00+00:00", True),
        ("2026-12-03T10:00:00+00:00", True),
    ],
)
def test_a_milestone_is_overdue_once_its_due_day_has_ended(as_of: str, expected: bool) -> None:
    assert is_overdue(MilestoneStatus.PLANNED, DUE, ACTIVE, seconds(as_of)) is expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (MilestoneStatus.PLANNED, True),
        (MilestoneStatus.REJECTED, True),  # not resubmitted: the company still owes it
        (MilestoneStatus.SUBMITTED, False),  # waits for the auditor, not the company
        (MilestoneStatus.APPROVED, False),
    ],
)
def test_only_a_milestone_waiting_for_the_company_is_overdue(status: MilestoneStatus, expected: bool) -> None:
    assert is_overdue(status, DUE, ACTIVE, seconds("2022-01-01T00:00:00+00:00")) is expected


@pytest.mark.parametrize("project", [ProjectStatus.COMPLETED, ProjectStatus.TERMINATED, ProjectStatus.CLAWED_BACK])
def test_a_project_that_ended_owes_no_milestone(project: ProjectStatus) -> None:
    assert not is_overdue(MilestoneStatus.PLANNED, DUE, project, seconds("2022-01-01T00:00:00+00:00"))


def test_a_due_date_in_seconds_or_as_a_datetime_is_the_same_rule() -> None:
    as_of = seconds("2021-12-21T09:00:00+00:00")
    assert is_overdue(MilestoneStatus.PLANNED, int(DUE.timestamp()), ACTIVE, as_of)
    assert overdue_cutoff(as_of) == seconds("2021-12-21T00:00:00+00:00")


ENDED_2021 = datetime(2021, 12, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    ("as_of", "reported", "expected"),
    [
        ("2021-12-31T23:59:59+00:00", set(), []),  # the end year is not over yet
        ("2022-01-01T00:00:00+00:00", set(), [2021]),
        ("2024-06-01T00:00:00+00:00", {2022}, [2021, 2023]),
        ("2030-01-01T00:00:00+00:00", {2021, 2023}, [2022, 2024, 2025]),  # five years: 2021 to 2025
    ],
)
def test_a_project_owes_a_commercialization_report_for_each_ended_year_of_five_from_its_end(
    as_of: str, reported: set[int], expected: list[int]
) -> None:
    assert commercialization_years_due(ACTIVE, ENDED_2021, reported, seconds(as_of)) == expected
    assert commercialization_years_due(ProjectStatus.COMPLETED, int(ENDED_2021.timestamp()), reported,
                                       seconds(as_of)) == expected  # fmt: skip


@pytest.mark.parametrize("project", [ProjectStatus.TERMINATED, ProjectStatus.CLAWED_BACK])
def test_a_project_ended_by_a_sanction_owes_no_commercialization_report(project: ProjectStatus) -> None:
    assert commercialization_years_due(project, ENDED_2021, set(), seconds("2024-06-01T00:00:00+00:00")) == []


def test_a_years_report_is_due_by_march_31_of_the_next_year() -> None:
    assert report_due_date(2021) == datetime(2022, 3, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2021-12-31T23:59:59+00:00", ReportState.UPCOMING),  # the year is not over
        ("2022-01-01T00:00:00+00:00", ReportState.DUE),
        ("2022-03-31T23:59:59+00:00", ReportState.DUE),  # the due day itself is still in time
        ("2022-04-01T00:00:00+00:00", ReportState.LATE),
        ("2026-12-07T00:00:00+00:00", ReportState.LATE),
    ],
)
def test_a_missing_report_is_due_from_january_and_late_after_its_due_day(as_of: str, expected: ReportState) -> None:
    assert report_state(2021, False, seconds(as_of)) is expected
    assert report_state(2021, True, seconds(as_of)) is ReportState.REPORTED  # made, on time or late: not owed


def test_the_schedule_follows_the_programs_follow_up_years() -> None:
    as_of = seconds("2024-02-01T00:00:00+00:00")
    schedule = commercialization_schedule(ACTIVE, ENDED_2021, {2022}, as_of, years=3)
    assert schedule == [
        FollowUpYear(2021, datetime(2022, 3, 31, tzinfo=UTC), ReportState.LATE),
        FollowUpYear(2022, datetime(2023, 3, 31, tzinfo=UTC), ReportState.REPORTED),
        FollowUpYear(2023, datetime(2024, 3, 31, tzinfo=UTC), ReportState.DUE),
    ]
    assert commercialization_years_due(ACTIVE, ENDED_2021, {2022}, as_of, years=3) == [2021, 2023]
    assert commercialization_years_late(ACTIVE, ENDED_2021, {2022}, as_of, years=3) == [2021]
    # a ten-year program owes the later years too; the default is five
    later = seconds("2035-01-01T00:00:00+00:00")
    assert commercialization_years_due(ACTIVE, ENDED_2021, set(), later, years=10) == list(range(2021, 2031))
    assert commercialization_years_due(ACTIVE, ENDED_2021, set(), later) == list(range(2021, 2026))


@pytest.mark.parametrize("project", [ProjectStatus.TERMINATED, ProjectStatus.CLAWED_BACK])
def test_a_project_ended_by_a_sanction_has_no_follow_up(project: ProjectStatus) -> None:
    assert commercialization_schedule(project, ENDED_2021, set(), seconds("2024-06-01T00:00:00+00:00")) == []
