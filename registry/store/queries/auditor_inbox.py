"""What an auditor's inbox lists, read from the SQL copy: what waits on the auditor (submissions to
review, oldest first; overdue milestones to chase; commercialization reports to verify; projects to
evaluate), what waits on the company (rejected milestones not yet resubmitted, reports committed and
not yet disclosed), and what is cleared (approved milestones, verified or disputed reports, recorded
evaluations, newest first).

Each list is a SELECT with the record's provenance columns, so the API's response models build its
rows; `count_of` counts a list without its limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, exists, func, or_, select

from registry.domain.deadlines import WAITING_FOR_COMPANY, overdue_cutoff
from registry.domain.enums import MilestoneStatus, ProjectStatus, ReportStatus
from registry.store.queries.names import company_name_of
from registry.store.queries.objections import open_objection_of, sanction_quorum_now
from registry.store.queries.provenance import record_provenance
from registry.store.schema import audits, commercialization_reports, milestones, projects

#: Rows one list of the inbox shows at most; its count says how many there are in all.
INBOX_ROWS = 200

_ACTIVE = int(ProjectStatus.ACTIVE)
_ENDED = (int(ProjectStatus.COMPLETED), int(ProjectStatus.TERMINATED))


def _milestones(*conditions: ColumnElement[bool]) -> Select[Any]:
    joined = milestones.join(projects, projects.c.project_id == milestones.c.project_id)
    project = (projects.c.status.label("project_status"), projects.c.company_id, projects.c.program_id)
    return select(milestones, *record_provenance(milestones), *project).select_from(joined).where(*conditions)


def overdue_condition(as_of: int) -> ColumnElement[bool]:
    """`registry.domain.deadlines.is_overdue` in SQL, for milestones joined to their projects."""
    return and_(
        milestones.c.due_date < overdue_cutoff(as_of),
        milestones.c.status.in_([int(s) for s in WAITING_FOR_COMPANY]),
        projects.c.status == _ACTIVE,
    )


def submissions_to_review() -> Select[Any]:
    """Submitted milestones, the one submitted longest ago first (its last change is the submission)."""
    return _milestones(milestones.c.status == int(MilestoneStatus.SUBMITTED)).order_by(
        milestones.c.updated_block_number, milestones.c.updated_log_index
    )


def overdue_milestones(as_of: int) -> Select[Any]:
    """Milestones overdue at `as_of` (Unix seconds), the longest overdue first."""
    return _milestones(overdue_condition(as_of)).order_by(
        milestones.c.due_date, milestones.c.project_id, milestones.c.milestone_index
    )


def awaiting_resubmission(as_of: int) -> Select[Any]:
    """Rejected milestones the company has not resubmitted and that are not overdue yet, oldest rejection first."""
    return _milestones(milestones.c.status == int(MilestoneStatus.REJECTED), ~overdue_condition(as_of)).order_by(
        milestones.c.updated_block_number, milestones.c.updated_log_index
    )


def approved_milestones() -> Select[Any]:
    """Approved milestones, the latest approval first."""
    return _milestones(milestones.c.status == int(MilestoneStatus.APPROVED)).order_by(
        milestones.c.updated_block_number.desc(), milestones.c.updated_log_index.desc()
    )


def _reports(*statuses: ReportStatus) -> Select[Any]:
    c = commercialization_reports
    return select(c, *record_provenance(c)).where(c.c.status.in_([int(s) for s in statuses]))


def reports_to_verify() -> Select[Any]:
    """Reports whose figures are open (reported, or committed and then disclosed), oldest change first."""
    c = commercialization_reports
    return _reports(ReportStatus.REPORTED).order_by(c.c.updated_block_number, c.c.updated_log_index)


def reports_awaiting_disclosure() -> Select[Any]:
    """Reports committed as a hash whose figures the company has not disclosed yet, oldest first."""
    c = commercialization_reports
    return _reports(ReportStatus.COMMITTED).order_by(c.c.created_block_number, c.c.created_log_index)


def reports_cleared() -> Select[Any]:
    """Verified or disputed reports, the latest decision first."""
    c = commercialization_reports
    return _reports(ReportStatus.VERIFIED, ReportStatus.DISPUTED).order_by(
        c.c.updated_block_number.desc(), c.c.updated_log_index.desc()
    )


def projects_to_evaluate(as_of: int) -> Select[Any]:
    """Projects with no evaluation yet that are over: completed or terminated, or active past their last
    day (days are UTC, as for milestones), the one that ended first first."""
    evaluated = exists().where(audits.c.project_id == projects.c.project_id)
    over = or_(
        projects.c.status.in_(_ENDED),
        and_(projects.c.status == _ACTIVE, projects.c.end_date < overdue_cutoff(as_of)),
    )
    return (
        select(projects, company_name_of(projects.c.company_id).label("company_name"), *record_provenance(projects))
        .where(over, ~evaluated)
        .order_by(projects.c.end_date, projects.c.project_id)
    )


def evaluations_recorded() -> Select[Any]:
    """Recorded evaluations, the latest first."""
    return select(
        audits,
        open_objection_of(audits.c.audit_id).label("held_by_objection"),
        sanction_quorum_now().label("sanction_quorum"),
        *record_provenance(audits),
    ).order_by(audits.c.audit_id.desc())


@dataclass(frozen=True)
class InboxList:
    """One list of the inbox: its first `INBOX_ROWS` rows and how many there are in all."""

    rows: list[dict[str, Any]]
    count: int


def read_inbox_list(connection: Connection, query: Select[Any], rows: int = INBOX_ROWS) -> InboxList:
    found = [dict(row) for row in connection.execute(query.limit(rows)).mappings()]
    return InboxList(found, len(found) if len(found) < rows else count_of(connection, query))


def count_of(connection: Connection, query: Select[Any]) -> int:
    """How many rows `query` gives, without its order and limit."""
    counted = select(func.count()).select_from(query.order_by(None).limit(None).subquery())
    return int(connection.execute(counted).scalar_one())
