"""What the city's rules (issue 14) make of a record, for the portal's pages: a project's targets against
its results, its commercialization follow-up (each year due, late or reported, by the program's
`follow_up_years` and `registry.domain.deadlines`), an evaluation's sanction (pending with its
confirmations, in effect, cancelled), and the objections filed against a decision.

Read from the SQL copy's rows as the indexer keeps them (`registry.store.records` turns them into the domain
records); the rules themselves are the domain's, never restated here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select

from registry.api.schemas.grants import Project
from registry.api.schemas.outcomes import CommercializationReport, Outcome
from registry.domain.deadlines import FollowUpYear, ReportState, commercialization_schedule
from registry.domain.enums import ObjectionStatus, ObjectionSubject, OutcomeType, ProjectStatus, SanctionStatus
from registry.domain.money import format_won
from registry.domain.outcome_details import outcome_rules, type_key
from registry.domain.records import DEFAULT_FOLLOW_UP_YEARS, Objection, ProgramRules, ProjectTargets
from registry.store.records import (
    outcome_details,
    program_rules,
    project_targets,
    read_objections,
    read_sanction_quorum,
)
from registry.store.statistics import COUNTED_REPORTS

#: The outcome types a target counts: papers, and patents applied for or registered.
PAPER_TYPES = frozenset({OutcomeType.PAPER})
PATENT_TYPES = frozenset({OutcomeType.PATENT_APPLICATION, OutcomeType.PATENT_REGISTRATION})


@dataclass(frozen=True)
class TargetLine:
    """One target of a project and what the registry records against it."""

    kind: str  # papers, patents, sales, investment, jobs
    target: int
    result: int
    money: bool

    @property
    def met(self) -> bool:
        return self.result >= self.target


def targets_against_results(
    targets: ProjectTargets | None, outcomes: Iterable[Outcome], reports: Iterable[CommercializationReport]
) -> list[TargetLine]:
    """Each target a project agreed (zero is no target) beside its result: current outcomes (not revoked, not
    replaced by a correction) of the counted types, and the figures of disclosed, undisputed reports summed,
    as the statistics count them."""
    if targets is None:
        return []
    current = [o for o in outcomes if not o.revoked and not o.amended_by]
    counted = [r for r in reports if r.status in COUNTED_REPORTS]
    results = {
        "papers": sum(1 for o in current if o.outcome_type in PAPER_TYPES),
        "patents": sum(1 for o in current if o.outcome_type in PATENT_TYPES),
        "sales": sum(r.sales or 0 for r in counted),
        "investment": sum(r.investment or 0 for r in counted),
        "jobs": sum(r.jobs or 0 for r in counted),
    }
    wanted = {"papers": targets.papers, "patents": targets.patents, "sales": targets.sales,
              "investment": targets.investment, "jobs": targets.jobs}  # fmt: skip
    money = {"sales", "investment"}
    return [TargetLine(kind, wanted[kind], results[kind], kind in money) for kind in wanted if wanted[kind]]


def rules_of(program_row: Mapping[str, Any] | None) -> ProgramRules | None:
    """A program's rules from its row; None for a program recorded before the rules existed."""
    return program_rules(program_row) if program_row is not None else None


def targets_of(project_row: Mapping[str, Any]) -> ProjectTargets | None:
    return project_targets(project_row)


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
        owed[project.project_id] = ReportsOwed(due_years(schedule), late_years(schedule))
    return owed


def late_years(schedule: Iterable[FollowUpYear]) -> list[int]:
    return [entry.year for entry in schedule if entry.state is ReportState.LATE]


def due_years(schedule: Iterable[FollowUpYear]) -> list[int]:
    return [entry.year for entry in schedule if entry.state is ReportState.DUE]


@dataclass(frozen=True)
class SanctionShown:
    """An evaluation's sanction as its page says it."""

    status: SanctionStatus
    confirmations: int
    quorum: int
    held_by: Objection | None


def sanction_of(connection: Connection, audit_row: Mapping[str, Any]) -> SanctionShown | None:
    """The sanction of the evaluation `audit_row` holds; None when it has none (no clawback, no restriction)."""
    status = SanctionStatus(audit_row["sanction_status"])
    if status is SanctionStatus.NONE:
        return None
    held = [o for o in objections_against(connection, ObjectionSubject.EVALUATION, audit_row["audit_id"])
            if o.status is ObjectionStatus.OPEN]  # fmt: skip
    quorum = read_sanction_quorum(connection)
    return SanctionShown(status, audit_row["confirmations"], quorum, held[0] if held else None)


def objections_of_project(connection: Connection, project_id: int) -> list[Objection]:
    """Every objection filed about the project's decisions, oldest first."""
    return [o for o in read_objections(connection) if o.project_id == project_id]


def objections_against(
    connection: Connection, subject: ObjectionSubject, subject_id: int, milestone_index: int = 0
) -> list[Objection]:
    """The objections filed against one decision (a milestone's rejection, a report's dispute, an evaluation),
    oldest first. (The copy is read whole and filtered here: a registry has few objections; a store query by
    subject would spare it.)"""
    return [
        o for o in read_objections(connection)
        if o.subject is subject and o.subject_id == subject_id and o.milestone_index == milestone_index
    ]  # fmt: skip


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
