"""What the city's rules (issue 14) make of a record, for the portal's pages: a project's targets beside its
results (as `registry.store.statistics.project_results` counts them), its commercialization follow-up (each
year due, late or reported, by the program's `follow_up_years` and `registry.domain.deadlines`), the reports
owed by the projects of a list, and an outcome's typed details labelled as the outcome-details table labels
them. The rules are the domain's and the counts the store's; nothing is restated here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select

from registry.api.schemas.grants import Project, ProjectTargets, Results
from registry.api.schemas.outcomes import CommercializationReport
from registry.domain.deadlines import FollowUpYear, ReportState, commercialization_schedule
from registry.domain.enums import OutcomeType, ProjectStatus
from registry.domain.money import format_won
from registry.domain.outcome_details import outcome_rules, type_key
from registry.domain.records import DEFAULT_FOLLOW_UP_YEARS, ProgramRules
from registry.store.records import outcome_details, program_rules

#: The measures of a target, in the order the pages list them, and which are amounts of won.
MEASURES = ("papers", "patents", "sales", "investment", "jobs")
MONEY = frozenset({"sales", "investment"})


@dataclass(frozen=True)
class TargetLine:
    """One target of a project and what the registry records against it."""

    kind: str
    target: int
    result: int
    money: bool

    @property
    def met(self) -> bool:
        return self.result >= self.target


def target_lines(targets: ProjectTargets | None, results: Results | None) -> list[TargetLine]:
    """Each target a project agreed (zero is no target) beside its result; none when it recorded no targets."""
    if targets is None:
        return []
    return [
        TargetLine(kind, getattr(targets, kind), getattr(results, kind) if results is not None else 0, kind in MONEY)
        for kind in MEASURES
        if getattr(targets, kind)
    ]


def rules_of(program_row: Mapping[str, Any] | None) -> ProgramRules | None:
    """A program's rules from its row; None for a program recorded before the rules existed."""
    return program_rules(program_row) if program_row is not None else None


def follow_up(
    status: ProjectStatus,
    end_date: datetime,
    reports: Iterable[CommercializationReport],
    rules: ProgramRules | None,
    as_of: int,
) -> list[FollowUpYear]:
    """The project's follow-up years with where each report stands at `as_of`: a year counts as reported once
    any report for it is on record, as `registry.domain.deadlines` decides."""
    years = rules.follow_up_years if rules is not None else DEFAULT_FOLLOW_UP_YEARS
    reported = {r.year for r in reports}
    return commercialization_schedule(status, end_date, reported, as_of, years)


@dataclass(frozen=True)
class ReportsOwed:
    """The follow-up years of one project whose report is due now, and those late."""

    due: list[int]
    late: list[int]


def reports_owed(
    connection: Connection,
    projects: Iterable[Project],
    reports: Select[Any],
    rules: Mapping[int, ProgramRules | None],
    as_of: int,
) -> dict[int, ReportsOwed]:
    """For each of `projects` (a page of a list), the years it owes a report for at `as_of`: `reports` is the
    reports query of the page's scope (a program's, a company's), read once; `rules` each program's rules."""
    reported: dict[int, set[int]] = {}
    for row in connection.execute(reports).mappings():
        reported.setdefault(row["project_id"], set()).add(row["year"])
    owed = {}
    for project in projects:
        years = rules.get(project.program_id)
        schedule = commercialization_schedule(
            project.status, project.end_date, reported.get(project.project_id, set()), as_of,
            years.follow_up_years if years is not None else DEFAULT_FOLLOW_UP_YEARS,
        )  # fmt: skip
        owed[project.project_id] = ReportsOwed(
            due=[e.year for e in schedule if e.state is ReportState.DUE],
            late=[e.year for e in schedule if e.state is ReportState.LATE],
        )
    return owed


def details_shown(
    outcome_type: OutcomeType, row: Mapping[str, Any], language: str, yes: str
) -> list[tuple[str, str]]:
    """The details an outcome's row holds, as (label, value) in `language`, labelled as the table labels them
    for its type (`registry/domain/outcome_details.json`: a paper's venue is its journal); empty ones left out,
    a flag set said as `yes`."""
    details = outcome_details(row)
    if details is None:
        return []
    table = outcome_rules()
    used = table["types"].get(type_key(outcome_type), {})
    values = {
        "venue": details.venue, "country": details.country, "counterparty": details.counterparty,
        "date": f"{details.date:%Y-%m-%d}" if details.date else "",
        "amount": format_won(details.amount) if details.amount else "",
        "sciIndexed": yes if details.sci_indexed else "",
    }  # fmt: skip
    shown = []
    for field, value in values.items():
        if field in used and value:
            label = {**table["fields"][field], **used[field]}["label"]
            shown.append((label.get(language, label["en"]), value))
    return shown
