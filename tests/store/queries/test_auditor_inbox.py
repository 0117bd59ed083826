"""The auditor's inbox: submissions oldest first, overdue milestones exactly as registry.domain.deadlines
says (case by case), reports by what they wait for, projects to evaluate those over and not evaluated,
and counts that go past the rows shown."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, update

from registry.domain.deadlines import SECONDS_PER_DAY, is_overdue
from registry.domain.enums import MilestoneStatus, ProjectStatus, ReportStatus
from registry.store.bulk import insert_rows
from registry.store.queries import auditor_inbox as inbox
from registry.store.schema import audits, blocks, commercialization_reports, milestones, programs, projects

ACCOUNT = "0x" + "11" * 20
DUE = 100
DAY_AFTER = SECONDS_PER_DAY + 1


def _event(block: int, updated: int | None = None) -> dict[str, Any]:
    later = block if updated is None else updated
    return {
        "created_block_number": block, "created_log_index": 0, "created_transaction_hash": bytes([block % 256]) * 32,
        "updated_block_number": later, "updated_log_index": 0, "updated_transaction_hash": bytes([later % 256]) * 32,
    }  # fmt: skip


def _project(project_id: int, status: ProjectStatus = ProjectStatus.ACTIVE, end_date: int = 10**10) -> dict[str, Any]:
    return {
        "project_id": project_id, "program_id": 1, "company_id": bytes([project_id]) * 32, "status": int(status),
        "amount": 100, "start_date": 0, "end_date": end_date, "plan_hash": bytes(32), "milestone_count": 1,
        "planned_tranches": 0, "registered_by": ACCOUNT, "paid": 0, "returned": 0, "target_papers": None,
        "target_patents": None, "target_sales": None, "target_investment": None, "target_jobs": None, **_event(2),
    }  # fmt: skip


def _milestone(project_id: int, index: int, status: MilestoneStatus, updated: int) -> dict[str, Any]:
    return {
        "project_id": project_id, "milestone_index": index, "status": int(status), "attempts": 1, "due_date": DUE,
        "tranche": 0, "description_hash": bytes(32), "planned_by": ACCOUNT, **_event(3, updated),
    }  # fmt: skip


def _report(report_id: int, status: ReportStatus, updated: int) -> dict[str, Any]:
    return {
        "report_id": report_id, "project_id": 1, "year": 2022, "status": int(status), "recorded_at": 0, "sales": 1,
        "investment": 0, "royalties": 0, "jobs": 0, "commitment": bytes(32), "evidence_hash": bytes(32),
        "submitter": ACCOUNT, **_event(4, updated),
    }  # fmt: skip


def _fill(engine: Engine, rows: dict[Any, list[dict[str, Any]]]) -> None:
    with engine.begin() as connection:
        insert_rows(connection, blocks, [{"block_number": b, "block_hash": bytes([b]) * 32, "timestamp": b * 10}
                                         for b in range(1, 40)])  # fmt: skip
        insert_rows(connection, programs, [{
            "program_id": 1, "name": "p", "year": 2021, "budget": 1000, "per_project_cap": 100, "granted": 0,
            "project_count": 0, "status": 1, "field": "", "metadata_hash": bytes(32), "metadata_uri": "",
            "created_by": ACCOUNT, "follow_up_years": 5, "objection_days": 30, "max_restriction_days": 1825,
            "max_clawback_percent": 100, **_event(1),
        }])  # fmt: skip
        for table, found in rows.items():
            insert_rows(connection, table, found)


def _keys(engine: Engine, query: Any, *columns: str) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(row[c] for c in columns) for row in inbox.read_inbox_list(connection, query).rows]


def test_submissions_to_review_come_oldest_submission_first(engine: Engine) -> None:
    _fill(engine, {
        projects: [_project(1), _project(2)],
        milestones: [_milestone(1, 1, MilestoneStatus.SUBMITTED, 30), _milestone(1, 2, MilestoneStatus.SUBMITTED, 10),
                     _milestone(2, 1, MilestoneStatus.SUBMITTED, 20), _milestone(2, 2, MilestoneStatus.APPROVED, 5)],
    })  # fmt: skip
    found = _keys(engine, inbox.submissions_to_review(), "project_id", "milestone_index", "updated_block_time")
    assert found == [(1, 2, 100), (2, 1, 200), (1, 1, 300)]


@pytest.mark.parametrize("milestone_status", list(MilestoneStatus)[1:])
@pytest.mark.parametrize("project_status", list(ProjectStatus)[1:])
@pytest.mark.parametrize("as_of", [DUE, SECONDS_PER_DAY - 1, SECONDS_PER_DAY, DAY_AFTER])
def test_overdue_milestones_are_those_the_one_rule_calls_overdue(
    engine: Engine, milestone_status: MilestoneStatus, project_status: ProjectStatus, as_of: int
) -> None:
    _fill(engine, {projects: [_project(1)], milestones: [_milestone(1, 1, MilestoneStatus.PLANNED, 3)]})
    with engine.begin() as connection:
        connection.execute(update(milestones).values(status=int(milestone_status)))
        connection.execute(update(projects).values(status=int(project_status)))
    overdue = _keys(engine, inbox.overdue_milestones(as_of), "milestone_index")
    waiting = _keys(engine, inbox.awaiting_resubmission(as_of), "milestone_index")
    expected = is_overdue(milestone_status, DUE, project_status, as_of)
    assert overdue == ([(1,)] if expected else [])
    # A rejected milestone waits for its resubmission in one list only: overdue, or in progress.
    assert waiting == ([(1,)] if milestone_status is MilestoneStatus.REJECTED and not expected else [])


def test_reports_are_listed_by_what_they_wait_for(engine: Engine) -> None:
    _fill(engine, {
        projects: [_project(1)],
        commercialization_reports: [_report(1, ReportStatus.REPORTED, 9), _report(2, ReportStatus.COMMITTED, 5),
                                    _report(3, ReportStatus.VERIFIED, 6), _report(4, ReportStatus.DISPUTED, 8),
                                    _report(5, ReportStatus.REPORTED, 7)],
    })  # fmt: skip
    assert _keys(engine, inbox.reports_to_verify(), "report_id") == [(5,), (1,)]
    assert _keys(engine, inbox.reports_awaiting_disclosure(), "report_id") == [(2,)]
    assert _keys(engine, inbox.reports_cleared(), "report_id") == [(4,), (3,)]


def test_projects_to_evaluate_are_over_and_not_yet_evaluated(engine: Engine) -> None:
    as_of = 5 * SECONDS_PER_DAY
    _fill(engine, {
        projects: [
            _project(1, ProjectStatus.COMPLETED, end_date=4 * SECONDS_PER_DAY),
            _project(2, ProjectStatus.TERMINATED, end_date=9 * SECONDS_PER_DAY),
            _project(3, ProjectStatus.ACTIVE, end_date=3 * SECONDS_PER_DAY),  # past its last day
            _project(4, ProjectStatus.ACTIVE, end_date=5 * SECONDS_PER_DAY),  # its last day is today
            _project(5, ProjectStatus.COMPLETED, end_date=SECONDS_PER_DAY),  # evaluated already
            _project(6, ProjectStatus.CLAWED_BACK, end_date=SECONDS_PER_DAY),
        ],
        audits: [{"audit_id": 1, "project_id": 5, "grade": 2, "clawback_amount": 0, "restricted_until": None,
                  "recorded_at": 0, "auditor": ACCOUNT, "findings_hash": bytes([1]) * 32, "sanction_status": 0,
                  "confirmations": 0, "cancelled_by_objection": None, **_event(5)}],
    })  # fmt: skip
    assert _keys(engine, inbox.projects_to_evaluate(as_of), "project_id") == [(3,), (1,), (2,)]
    assert _keys(engine, inbox.evaluations_recorded(), "audit_id") == [(1,)]


def test_a_list_longer_than_its_rows_counts_them_all(engine: Engine) -> None:
    _fill(engine, {
        projects: [_project(1)],
        milestones: [_milestone(1, i, MilestoneStatus.SUBMITTED, i) for i in range(1, 8)],
    })  # fmt: skip
    with engine.connect() as connection:
        shown = inbox.read_inbox_list(connection, inbox.submissions_to_review(), rows=3)
        whole = inbox.read_inbox_list(connection, inbox.submissions_to_review(), rows=30)
    assert [r["milestone_index"] for r in shown.rows] == [1, 2, 3] and shown.count == 7
    assert len(whole.rows) == 7 and whole.count == 7
