"""Reads of the grant side of the registry: programs, projects with their status changes,
milestones with their history, and evaluations (audits).

A lookup by key runs a `PreparedQuery` built once, with bound parameters, in a `Snapshot`: building
a SELECT with its provenance subqueries, and SQLAlchemy's execution around it, cost several times
what SQLite takes to answer. Lists, whose statements depend on their filters, are built per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, select

from registry.domain.enums import MilestoneStatus
from registry.store.queries.keyset import SortKey
from registry.store.queries.names import companies_named, company_name_of
from registry.store.queries.objections import open_objection_of, sanction_quorum_now
from registry.store.queries.prepared import PreparedQuery, Row, Snapshot
from registry.store.queries.provenance import block_time, event_provenance, record_provenance
from registry.store.queries.scope import in_range, programs_of_year, project_scope
from registry.store.schema import (
    audits,
    evidence_references,
    milestone_history,
    milestones,
    programs,
    project_status_changes,
    projects,
)

# ---- programs ----------------------------------------------------------------------------------

PROGRAM_SORTS = {
    "id": SortKey("id", (programs.c.program_id,)),
    "year": SortKey("year", (programs.c.year, programs.c.program_id)),
    "budget": SortKey("budget", (programs.c.budget, programs.c.program_id)),
}


@dataclass(frozen=True)
class ProgramFilter:
    year: int | None = None
    status: int | None = None
    #: Created (the block time of `ProgramCreated`) at or after / before these unix times.
    created_from: int | None = None
    created_before: int | None = None


def _programs() -> Select[Any]:
    return select(programs, *record_provenance(programs))


_PROGRAM = PreparedQuery(_programs().where(programs.c.program_id == bindparam("id")))


def program(reader: Snapshot, program_id: int) -> Row | None:
    return _PROGRAM.first(reader, id=program_id)


def programs_query(wanted: ProgramFilter) -> Select[Any]:
    query = _programs()
    if wanted.year is not None:
        query = query.where(programs.c.year == wanted.year)
    if wanted.status is not None:
        query = query.where(programs.c.status == wanted.status)
    # Programs are few (a city opens a handful a year), so the block time is looked up per row.
    return query.where(*in_range(block_time(programs.c.created_block_number), wanted.created_from,
                                 wanted.created_before))  # fmt: skip


# ---- projects ----------------------------------------------------------------------------------

PROJECT_SORTS = {
    "id": SortKey("id", (projects.c.project_id,)),
    "amount": SortKey("amount", (projects.c.amount, projects.c.project_id)),
    "startDate": SortKey("startDate", (projects.c.start_date, projects.c.project_id)),
}


@dataclass(frozen=True)
class ProjectFilter:
    program_id: int | None = None
    year: int | None = None
    company_id: bytes | None = None
    status: int | None = None
    #: Starting (the agreement's start date) at or after / before these unix times.
    start_from: int | None = None
    start_before: int | None = None
    #: Only projects of companies whose name matches this LIKE pattern (`folding.contains_pattern`).
    company_name: str | None = None


def _projects() -> Select[Any]:
    return select(projects, company_name_of(projects.c.company_id).label("company_name"), *record_provenance(projects))


_PROJECT = PreparedQuery(_projects().where(projects.c.project_id == bindparam("id")))


def project(reader: Snapshot, project_id: int) -> Row | None:
    return _PROJECT.first(reader, id=project_id)


def projects_query(wanted: ProjectFilter) -> Select[Any]:
    query = _projects()
    if wanted.program_id is not None:
        query = query.where(projects.c.program_id == wanted.program_id)
    if wanted.year is not None:
        query = query.where(projects.c.program_id.in_(programs_of_year(wanted.year)))
    if wanted.company_id is not None:
        query = query.where(projects.c.company_id == wanted.company_id)
    if wanted.status is not None:
        query = query.where(projects.c.status == wanted.status)
    if wanted.company_name is not None:
        query = query.where(projects.c.company_id.in_(companies_named(wanted.company_name)))
    return query.where(*in_range(projects.c.start_date, wanted.start_from, wanted.start_before))


_PROJECT_STATUS_CHANGES = PreparedQuery(
    select(project_status_changes, *event_provenance(project_status_changes))
    .where(project_status_changes.c.project_id == bindparam("id"))
    .order_by(project_status_changes.c.block_number, project_status_changes.c.log_index)
)


def project_status_history(reader: Snapshot, project_id: int) -> list[Row]:
    """Every status change of a project, oldest first."""
    return _PROJECT_STATUS_CHANGES.rows(reader, id=project_id)


# ---- milestones --------------------------------------------------------------------------------

MILESTONE_SORTS = {
    "id": SortKey("id", (milestones.c.project_id, milestones.c.milestone_index)),
    "dueDate": SortKey("dueDate", (milestones.c.due_date, milestones.c.project_id, milestones.c.milestone_index)),
}


@dataclass(frozen=True)
class MilestoneFilter:
    project_id: int | None = None
    program_id: int | None = None
    year: int | None = None
    company_id: bytes | None = None
    #: A LIKE pattern on the company's folded name (`registry.store.folding.contains_pattern`).
    company_name: str | None = None
    status: int | None = None
    #: Due at or after / before these unix times.
    due_from: int | None = None
    due_before: int | None = None


def _milestones() -> Select[Any]:
    return select(milestones, *record_provenance(milestones))


_MILESTONE = PreparedQuery(
    _milestones().where(
        milestones.c.project_id == bindparam("project"), milestones.c.milestone_index == bindparam("index")
    )
)


def milestone(reader: Snapshot, project_id: int, milestone_index: int) -> Row | None:
    return _MILESTONE.first(reader, project=project_id, index=milestone_index)


def milestones_query(wanted: MilestoneFilter) -> Select[Any]:
    query = _milestones()
    if wanted.project_id is not None:
        query = query.where(milestones.c.project_id == wanted.project_id)
    scope = project_scope(milestones.c.project_id, program_id=wanted.program_id, year=wanted.year,
                          company_id=wanted.company_id, company_name=wanted.company_name)  # fmt: skip
    if scope is not None:
        query = query.where(scope)
    if wanted.status is not None:
        query = query.where(milestones.c.status == wanted.status)
    return query.where(*in_range(milestones.c.due_date, wanted.due_from, wanted.due_before))


_MILESTONE_STEPS = PreparedQuery(
    select(milestone_history, *event_provenance(milestone_history))
    .where(
        milestone_history.c.project_id == bindparam("project"),
        milestone_history.c.milestone_index == bindparam("index"),
    )
    .order_by(milestone_history.c.block_number, milestone_history.c.log_index)
)


def milestone_steps(reader: Snapshot, project_id: int, milestone_index: int) -> list[Row]:
    """Every step of a milestone, oldest first."""
    return _MILESTONE_STEPS.rows(reader, project=project_id, index=milestone_index)


_h, _e = milestone_history, evidence_references
_MILESTONE_EVIDENCE = PreparedQuery(
    select(_e.c.block_number, _e.c.log_index, _e.c.document_hash)
    .join(_h, (_h.c.block_number == _e.c.block_number) & (_h.c.log_index == _e.c.log_index))
    .where(
        _h.c.project_id == bindparam("project"),
        _h.c.milestone_index == bindparam("index"),
        _h.c.status == int(MilestoneStatus.SUBMITTED),
    )
    .order_by(_e.c.block_number, _e.c.log_index, _e.c.position)
)


def milestone_evidence(reader: Snapshot, project_id: int, milestone_index: int) -> dict[tuple[int, int], list[bytes]]:
    """The evidence documents of each submission of a milestone, by its event (block number, log index)."""
    found: dict[tuple[int, int], list[bytes]] = {}
    for row in _MILESTONE_EVIDENCE.rows(reader, project=project_id, index=milestone_index):
        found.setdefault((row["block_number"], row["log_index"]), []).append(row["document_hash"])
    return found


# ---- evaluations -------------------------------------------------------------------------------

AUDIT_SORTS = {
    "id": SortKey("id", (audits.c.audit_id,)),
    "clawbackAmount": SortKey("clawbackAmount", (audits.c.clawback_amount, audits.c.audit_id)),
}


@dataclass(frozen=True)
class AuditFilter:
    project_id: int | None = None
    program_id: int | None = None
    year: int | None = None
    company_id: bytes | None = None
    #: A LIKE pattern on the company's folded name (`registry.store.folding.contains_pattern`).
    company_name: str | None = None
    grade: int | None = None
    #: Recorded at or after / before these unix times.
    recorded_from: int | None = None
    recorded_before: int | None = None
    #: Only evaluations whose sanction is in this state (`SanctionStatus`).
    sanction: int | None = None


def _audits() -> Select[Any]:
    return select(
        audits,
        open_objection_of(audits.c.audit_id).label("held_by_objection"),
        sanction_quorum_now().label("sanction_quorum"),
        *record_provenance(audits),
    )


_AUDIT = PreparedQuery(_audits().where(audits.c.audit_id == bindparam("id")))


def audit(reader: Snapshot, audit_id: int) -> Row | None:
    return _AUDIT.first(reader, id=audit_id)


def audits_query(wanted: AuditFilter) -> Select[Any]:
    query = _audits()
    if wanted.project_id is not None:
        query = query.where(audits.c.project_id == wanted.project_id)
    scope = project_scope(audits.c.project_id, program_id=wanted.program_id, year=wanted.year,
                          company_id=wanted.company_id, company_name=wanted.company_name)  # fmt: skip
    if scope is not None:
        query = query.where(scope)
    if wanted.grade is not None:
        query = query.where(audits.c.grade == wanted.grade)
    if wanted.sanction is not None:
        query = query.where(audits.c.sanction_status == wanted.sanction)
    return query.where(*in_range(audits.c.recorded_at, wanted.recorded_from, wanted.recorded_before))
