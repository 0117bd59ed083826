"""Reads of objections (이의신청) and of the two-person rule for sanctions: each objection with the decision
it contests, the objections against one decision's record, an evaluation's confirmations, and the quorum."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, literal, select

from registry.domain.enums import ObjectionStatus, ObjectionSubject
from registry.store.queries.keyset import SortKey
from registry.store.queries.names import company_name_of
from registry.store.queries.prepared import PreparedQuery, Row, Snapshot
from registry.store.queries.provenance import event_provenance, record_provenance
from registry.store.queries.scope import project_scope
from registry.store.records import DEFAULT_SANCTION_QUORUM
from registry.store.schema import objections, programs, projects, sanction_confirmations, sanction_quorum_changes

OBJECTION_SORTS = {
    "id": SortKey("id", (objections.c.objection_id,)),
    "filedAt": SortKey("filedAt", (objections.c.filed_at, objections.c.objection_id)),
}


@dataclass(frozen=True)
class ObjectionFilter:
    project_id: int | None = None
    program_id: int | None = None
    year: int | None = None
    company_id: bytes | None = None
    #: A LIKE pattern on the company's folded name (`registry.store.folding.contains_pattern`).
    company_name: str | None = None
    subject: int | None = None
    status: int | None = None


def _objections() -> Select[Any]:
    o = objections
    project = projects.alias("objected_project")
    program = programs.alias("objected_program")
    # Correlated with `objections` however deep they sit (the company's name nests the company's id).
    company = (
        select(project.c.company_id)
        .where(project.c.project_id == o.c.project_id)
        .correlate_except(project)
        .scalar_subquery()
    )
    days = (
        select(program.c.objection_days)
        .where(program.c.program_id == project.c.program_id, project.c.project_id == o.c.project_id)
        .correlate_except(program, project)
        .scalar_subquery()
    )
    return select(
        o,
        days.label("objection_days"),
        company.label("company_id"),
        company_name_of(company).label("company_name"),
        *record_provenance(o),
    )


_OBJECTION = PreparedQuery(_objections().where(objections.c.objection_id == bindparam("id")))


def objection(reader: Snapshot, objection_id: int) -> Row | None:
    return _OBJECTION.first(reader, id=objection_id)


def objections_query(wanted: ObjectionFilter) -> Select[Any]:
    o = objections
    query = _objections()
    if wanted.project_id is not None:
        query = query.where(o.c.project_id == wanted.project_id)
    scope = project_scope(o.c.project_id, program_id=wanted.program_id, year=wanted.year,
                          company_id=wanted.company_id, company_name=wanted.company_name)  # fmt: skip
    if scope is not None:
        query = query.where(scope)
    if wanted.subject is not None:
        query = query.where(o.c.subject == wanted.subject)
    if wanted.status is not None:
        query = query.where(o.c.status == wanted.status)
    return query


_AGAINST = PreparedQuery(
    _objections()
    .where(
        objections.c.subject == bindparam("subject"),
        objections.c.subject_id == bindparam("subject_id"),
        objections.c.milestone_index == bindparam("milestone_index"),
    )
    .order_by(objections.c.objection_id)
)


def objections_against(
    reader: Snapshot, subject: ObjectionSubject, subject_id: int, milestone_index: int = 0
) -> list[Row]:
    """Every objection to the decisions on one record (a milestone, a report, an evaluation), oldest first."""
    return _AGAINST.rows(reader, subject=int(subject), subject_id=subject_id, milestone_index=milestone_index)


def open_objection_of(audit_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """The open objection holding the sanction of the evaluation `audit_id` (`sanctionHoldOf`), or NULL."""
    o = objections
    return (
        select(o.c.objection_id)
        .where(o.c.subject == int(ObjectionSubject.EVALUATION), o.c.subject_id == audit_id,
               o.c.status == int(ObjectionStatus.OPEN))
        .limit(1)
        .scalar_subquery()
    )  # fmt: skip


def sanction_quorum_now() -> ColumnElement[Any]:
    """How many auditors a sanction needs now (`sanctionQuorum`): the last change's, 2 before any."""
    q = sanction_quorum_changes
    last = select(q.c.quorum).order_by(q.c.block_number.desc(), q.c.log_index.desc()).limit(1).scalar_subquery()
    return func.coalesce(last, literal(DEFAULT_SANCTION_QUORUM))


_CONFIRMATIONS = PreparedQuery(
    select(sanction_confirmations, *event_provenance(sanction_confirmations))
    .where(sanction_confirmations.c.audit_id == bindparam("id"))
    .order_by(sanction_confirmations.c.block_number, sanction_confirmations.c.log_index)
)


def sanction_confirmations_of(reader: Snapshot, audit_id: int) -> list[Row]:
    """The confirmations of an evaluation's sanction by auditors other than its recorder, oldest first."""
    return _CONFIRMATIONS.rows(reader, id=audit_id)
