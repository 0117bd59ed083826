"""Reads of the outcome side of the registry: R&D outcomes with their amendments, revocations and
IP status changes, and commercialization reports with their history. Lookups by key run prepared
statements (see `registry.store.queries.grants`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, func, select

from registry.store.queries.keyset import SortKey
from registry.store.queries.prepared import PreparedQuery, Row, Snapshot
from registry.store.queries.provenance import event_provenance, record_provenance
from registry.store.queries.scope import in_range, project_scope
from registry.store.schema import (
    commercialization_reports,
    ip_status_changes,
    outcome_amendments,
    outcome_revocations,
    outcomes,
    report_history,
)

# ---- outcomes ----------------------------------------------------------------------------------

OUTCOME_SORTS = {
    # Outcome ids grow with time, so the id order is also the order of recording.
    "id": SortKey("id", (outcomes.c.outcome_id,)),
}


@dataclass(frozen=True)
class OutcomeFilter:
    project_id: int | None = None
    program_id: int | None = None
    year: int | None = None
    company_id: bytes | None = None
    #: A LIKE pattern on the company's folded name (`registry.store.folding.contains_pattern`).
    company_name: str | None = None
    outcome_type: int | None = None
    ip_status: int | None = None
    revoked: bool | None = None
    #: Recorded at or after / before these unix times.
    recorded_from: int | None = None
    recorded_before: int | None = None
    #: False: only current versions (not replaced by a correction); True: only superseded ones; None: both.
    superseded: bool | None = None
    #: Details (OutcomeDetailsRecorded): whether SCI(E)-indexed; the ISO 3166 country; a LIKE pattern on
    #: the venue folded (`registry.store.folding.contains_pattern`, matched against its lower case).
    sci_indexed: bool | None = None
    country: str | None = None
    venue: str | None = None


def _outcomes() -> Select[Any]:
    return select(outcomes, *record_provenance(outcomes))


_OUTCOME = PreparedQuery(_outcomes().where(outcomes.c.outcome_id == bindparam("id")))


def outcome(reader: Snapshot, outcome_id: int) -> Row | None:
    return _OUTCOME.first(reader, id=outcome_id)


def outcomes_query(wanted: OutcomeFilter) -> Select[Any]:
    query = _outcomes()
    if wanted.project_id is not None:
        query = query.where(outcomes.c.project_id == wanted.project_id)
    scope = project_scope(outcomes.c.project_id, program_id=wanted.program_id, year=wanted.year,
                          company_id=wanted.company_id, company_name=wanted.company_name)  # fmt: skip
    if scope is not None:
        query = query.where(scope)
    if wanted.outcome_type is not None:
        query = query.where(outcomes.c.outcome_type == wanted.outcome_type)
    if wanted.ip_status is not None:
        query = query.where(outcomes.c.ip_status == wanted.ip_status)
    if wanted.revoked is not None:
        query = query.where(outcomes.c.revoked == wanted.revoked)
    if wanted.superseded is not None:
        query = query.where((outcomes.c.amended_by != 0) == wanted.superseded)
    if wanted.sci_indexed is not None:
        query = query.where(outcomes.c.sci_indexed == wanted.sci_indexed)
    if wanted.country is not None:
        query = query.where(outcomes.c.country == wanted.country)
    if wanted.venue is not None:
        query = query.where(func.lower(outcomes.c.venue).like(wanted.venue, escape="\\"))
    return query.where(*in_range(outcomes.c.recorded_at, wanted.recorded_from, wanted.recorded_before))


@dataclass(frozen=True)
class OutcomeHistory:
    """What happened to an outcome after it was recorded, each row with its event's provenance."""

    #: The amendment that recorded this outcome as a correction of another, if it is one.
    amendment: Row | None
    revocation: Row | None
    ip_status_changes: list[Row]


_AMENDMENT = PreparedQuery(
    select(outcome_amendments, *event_provenance(outcome_amendments)).where(
        outcome_amendments.c.outcome_id == bindparam("id")
    )
)
_REVOCATION = PreparedQuery(
    select(outcome_revocations, *event_provenance(outcome_revocations)).where(
        outcome_revocations.c.outcome_id == bindparam("id")
    )
)
_IP_STATUS_CHANGES = PreparedQuery(
    select(ip_status_changes, *event_provenance(ip_status_changes))
    .where(ip_status_changes.c.outcome_id == bindparam("id"))
    .order_by(ip_status_changes.c.block_number, ip_status_changes.c.log_index)
)


def outcome_history(reader: Snapshot, outcome_id: int) -> OutcomeHistory:
    return OutcomeHistory(
        amendment=_AMENDMENT.first(reader, id=outcome_id),
        revocation=_REVOCATION.first(reader, id=outcome_id),
        ip_status_changes=_IP_STATUS_CHANGES.rows(reader, id=outcome_id),
    )


# ---- IP status changes -------------------------------------------------------------------------

IP_CHANGE_SORTS = {
    "time": SortKey("time", (ip_status_changes.c.block_number, ip_status_changes.c.log_index)),
}


@dataclass(frozen=True)
class IpChangeFilter:
    outcome_id: int | None = None
    project_id: int | None = None
    program_id: int | None = None
    year: int | None = None
    company_id: bytes | None = None
    #: A LIKE pattern on the company's folded name (`registry.store.folding.contains_pattern`).
    company_name: str | None = None
    #: The status the change gave.
    status: int | None = None


def ip_changes_query(wanted: IpChangeFilter) -> Select[Any]:
    ip = ip_status_changes
    query = select(ip, *event_provenance(ip))
    if wanted.outcome_id is not None:
        query = query.where(ip.c.outcome_id == wanted.outcome_id)
    scoped = (wanted.project_id, wanted.program_id, wanted.year, wanted.company_id)
    if any(part is not None for part in scoped):
        chosen = select(outcomes.c.outcome_id)
        if wanted.project_id is not None:
            chosen = chosen.where(outcomes.c.project_id == wanted.project_id)
        scope = project_scope(outcomes.c.project_id, program_id=wanted.program_id, year=wanted.year,
                              company_id=wanted.company_id, company_name=wanted.company_name)  # fmt: skip
        if scope is not None:
            chosen = chosen.where(scope)
        query = query.where(ip.c.outcome_id.in_(chosen))
    if wanted.status is not None:
        query = query.where(ip.c.to_status == wanted.status)
    return query


# ---- commercialization reports -----------------------------------------------------------------

REPORT_SORTS = {
    "id": SortKey("id", (commercialization_reports.c.report_id,)),
    "year": SortKey("year", (commercialization_reports.c.year, commercialization_reports.c.report_id)),
    "sales": SortKey("sales", (commercialization_reports.c.sales, commercialization_reports.c.report_id)),
}


@dataclass(frozen=True)
class ReportFilter:
    project_id: int | None = None
    program_id: int | None = None
    company_id: bytes | None = None
    #: A LIKE pattern on the company's folded name (`registry.store.folding.contains_pattern`).
    company_name: str | None = None
    #: The year the figures are for (not the program's year).
    year: int | None = None
    status: int | None = None
    #: Recorded at or after / before these unix times.
    recorded_from: int | None = None
    recorded_before: int | None = None


def _reports() -> Select[Any]:
    return select(commercialization_reports, *record_provenance(commercialization_reports))


_REPORT = PreparedQuery(_reports().where(commercialization_reports.c.report_id == bindparam("id")))


def report(reader: Snapshot, report_id: int) -> Row | None:
    return _REPORT.first(reader, id=report_id)


def reports_query(wanted: ReportFilter) -> Select[Any]:
    c = commercialization_reports
    query = _reports()
    if wanted.project_id is not None:
        query = query.where(c.c.project_id == wanted.project_id)
    scope = project_scope(c.c.project_id, program_id=wanted.program_id, company_id=wanted.company_id,
                          company_name=wanted.company_name)  # fmt: skip
    if scope is not None:
        query = query.where(scope)
    if wanted.year is not None:
        query = query.where(c.c.year == wanted.year)
    if wanted.status is not None:
        query = query.where(c.c.status == wanted.status)
    return query.where(*in_range(c.c.recorded_at, wanted.recorded_from, wanted.recorded_before))


_REPORT_STEPS = PreparedQuery(
    select(report_history, *event_provenance(report_history))
    .where(report_history.c.report_id == bindparam("id"))
    .order_by(report_history.c.block_number, report_history.c.log_index)
)


def report_steps(reader: Snapshot, report_id: int) -> list[Row]:
    """Every step of a report, oldest first."""
    return _REPORT_STEPS.rows(reader, id=report_id)


_REPORT_YEARS = PreparedQuery(
    select(commercialization_reports.c.year)
    .where(commercialization_reports.c.project_id == bindparam("id"))
    .distinct()
)


def report_years(reader: Snapshot, project_id: int) -> set[int]:
    """The years the project has a commercialization report on record for (any status), as
    `registry.domain.deadlines` counts a year reported."""
    return {int(row["year"]) for row in _REPORT_YEARS.rows(reader, id=project_id)}
