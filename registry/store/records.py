"""Rows of the record tables as the registry's domain models, the ones the client reads from the chain.

Record tables name their columns after the models' fields, so a row becomes a model by picking
those columns; only a report's figures (a nested model) and an anchor's or batch's `anchored`
flag (every stored one is anchored) need saying.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import Connection, RowMapping, Table, select

from registry.domain.enums import ObjectionStatus, ObjectionSubject
from registry.domain.records import (
    Anchor,
    Audit,
    Batch,
    CommercializationFigures,
    CommercializationReport,
    Decision,
    Milestone,
    Objection,
    Outcome,
    OutcomeDetails,
    Program,
    ProgramRules,
    Project,
    ProjectFunds,
    ProjectTargets,
    Record,
    Sanction,
)
from registry.store import schema

RecordT = TypeVar("RecordT", bound=Record)

#: The table each record type lives in.
RECORD_TABLES: dict[type[Record], Table] = {
    Program: schema.programs,
    Project: schema.projects,
    Milestone: schema.milestones,
    Outcome: schema.outcomes,
    CommercializationReport: schema.commercialization_reports,
    Audit: schema.audits,
    Anchor: schema.anchors,
    Batch: schema.batches,
    Objection: schema.objections,
}


def record_from_row(model: type[RecordT], row: Mapping[str, Any] | RowMapping) -> RecordT:
    """The domain record a row of `model`'s table holds."""
    values = {name: row[name] for name in model.model_fields if name in row}
    if model is CommercializationReport:
        values["figures"] = CommercializationFigures(
            sales=row["sales"], investment=row["investment"], royalties=row["royalties"], jobs=row["jobs"]
        )
    if model is Anchor or model is Batch:
        values["anchored"] = True
    return model.model_validate(values)


def read_records(connection: Connection, model: type[RecordT]) -> list[RecordT]:
    """Every stored record of a type, in key order."""
    table = RECORD_TABLES[model]
    rows = connection.execute(select(table).order_by(*table.primary_key.columns)).mappings()
    return [record_from_row(model, row) for row in rows]


# ---- records of 1.1.0 that the chain returns from views of their own ------------------------------


def read_program_rules(connection: Connection) -> dict[int, ProgramRules | None]:
    """Each program's rules (`rulesOf`), None for a program that has none recorded (before 1.1.0)."""
    p = schema.programs
    rules: dict[int, ProgramRules | None] = {}
    for row in connection.execute(select(p).order_by(p.c.program_id)).mappings():
        rules[row["program_id"]] = program_rules(row)
    return rules


def program_rules(row: Mapping[str, Any] | RowMapping) -> ProgramRules | None:
    """The rules a `programs` row holds, None if it holds none."""
    if row["follow_up_years"] is None:
        return None
    return ProgramRules(
        follow_up_years=row["follow_up_years"], objection_days=row["objection_days"],
        max_restriction_days=row["max_restriction_days"], max_clawback_percent=row["max_clawback_percent"],
    )  # fmt: skip


def project_targets(row: Mapping[str, Any] | RowMapping) -> ProjectTargets | None:
    """The targets a `projects` row holds, None if none were recorded."""
    if row["target_papers"] is None:
        return None
    return ProjectTargets(
        papers=row["target_papers"], patents=row["target_patents"], sales=row["target_sales"],
        investment=row["target_investment"], jobs=row["target_jobs"],
    )  # fmt: skip


def outcome_details(row: Mapping[str, Any] | RowMapping) -> OutcomeDetails | None:
    """The details an `outcomes` row holds, None if none were recorded."""
    if row["venue"] is None:
        return None
    return OutcomeDetails(
        venue=row["venue"], country=row["country"], counterparty=row["counterparty"],
        date=row["details_date"], amount=row["details_amount"], sci_indexed=row["sci_indexed"],
    )  # fmt: skip


def read_funds(connection: Connection) -> list[ProjectFunds]:
    """Every project's funds (`fundsOf`), by project id."""
    p = schema.projects
    query = select(p.c.project_id, p.c.paid, p.c.returned).order_by(p.c.project_id)
    return [ProjectFunds.model_validate(dict(row)) for row in connection.execute(query).mappings()]


def read_company_names(connection: Connection) -> dict[bytes, str]:
    """Every named company's current name (`companyName`)."""
    c = schema.companies
    return {row.company_id: row.name for row in connection.execute(select(c.c.company_id, c.c.name))}


def read_sanctions(connection: Connection) -> list[Sanction]:
    """Every evaluation's sanction (`sanctionOf`, `sanctionHoldOf`): an open objection to it holds it."""
    a, o = schema.audits, schema.objections
    held = (
        select(o.c.objection_id)
        .where(o.c.subject == int(ObjectionSubject.EVALUATION), o.c.subject_id == a.c.audit_id,
               o.c.status == int(ObjectionStatus.OPEN))
        .scalar_subquery()
    )  # fmt: skip
    query = select(a.c.audit_id, a.c.sanction_status, a.c.confirmations, held.label("held")).order_by(a.c.audit_id)
    return [
        Sanction(audit_id=row.audit_id, status=row.sanction_status, confirmations=row.confirmations,
                 held_by_objection=row.held or 0)
        for row in connection.execute(query)
    ]  # fmt: skip


def read_decisions(connection: Connection) -> list[Decision]:
    """Every decision a company may object to (`decisionOf`), its objection window from its program's rules."""
    d, p, g = schema.decisions, schema.projects, schema.programs
    query = (
        select(d, g.c.objection_days)
        .join(p, p.c.project_id == d.c.project_id)
        .join(g, g.c.program_id == p.c.program_id)
        .order_by(d.c.subject, d.c.subject_id, d.c.milestone_index)
    )
    return [decision_from_row(row) for row in connection.execute(query).mappings()]


def decision_from_row(row: Mapping[str, Any] | RowMapping) -> Decision:
    return Decision(
        subject=row["subject"], subject_id=row["subject_id"], milestone_index=row["milestone_index"],
        decided_by=row["decided_by"], decided_at=row["decided_at"], project_id=row["project_id"],
        objection_days=row["objection_days"] or 0,
    )  # fmt: skip


def read_objections(connection: Connection) -> list[Objection]:
    """Every objection (`getObjection`), by id."""
    o = schema.objections
    rows = connection.execute(select(o).order_by(o.c.objection_id)).mappings()
    return [record_from_row(Objection, row) for row in rows]


def read_sanction_quorum(connection: Connection) -> int:
    """How many auditors a sanction needs (`sanctionQuorum`): the last change's, 2 before any."""
    q = schema.sanction_quorum_changes
    last = connection.execute(
        select(q.c.quorum).order_by(q.c.block_number.desc(), q.c.log_index.desc()).limit(1)
    ).scalar_one_or_none()
    return DEFAULT_SANCTION_QUORUM if last is None else int(last)


#: The contracts' sanction quorum until an admin changes it.
DEFAULT_SANCTION_QUORUM = 2
