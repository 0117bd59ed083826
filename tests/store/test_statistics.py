"""Statistics sums are exact for uint96 won amounts on SQLite (zero-padded text) and PostgreSQL
(NUMERIC), far beyond 2**63 where a float or a 64-bit integer would round or overflow."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, update

from registry.domain.deadlines import SECONDS_PER_DAY, is_overdue
from registry.domain.enums import MilestoneStatus, OutcomeType, ProjectStatus, ReportStatus
from registry.domain.types import UINT96_MAX
from registry.store.bulk import insert_rows
from registry.store.schema import audits, commercialization_reports, milestones, outcomes, programs, projects
from registry.store.statistics import company_statistics, program_statistics
from tests.helpers.database import NO_DETAILS, NO_SANCTION, PROGRAM_RULES_UNSET, PROJECT_FUNDS_UNSET

COMPANY = bytes([7]) * 32
ACCOUNT = "0x" + "11" * 20
DAY_AFTER = SECONDS_PER_DAY + 1  # the day after the milestones' due day (they are due at 100)


def _event(block: int) -> dict[str, Any]:
    return {
        "created_block_number": block, "created_log_index": 0, "created_transaction_hash": bytes([block % 256]) * 32,
        "updated_block_number": block, "updated_log_index": 0, "updated_transaction_hash": bytes([block % 256]) * 32,
    }  # fmt: skip


#: Clawbacks count once in effect (confirmed by a second auditor).
IN_EFFECT = {**NO_SANCTION, "sanction_status": 2, "confirmations": 2}


def _fill(engine: Engine, amounts: list[int]) -> None:
    """One program; a project per amount, each with a milestone, an outcome, a verified report whose
    sales, investment and royalties are that amount, and an audit clawing it back."""
    with engine.begin() as connection:
        insert_rows(connection, programs, [{
            "program_id": 1, "name": "big", "year": 2021, "budget": UINT96_MAX, "per_project_cap": UINT96_MAX,
            "granted": sum(amounts) % (UINT96_MAX + 1), "project_count": len(amounts), "status": 1, "field": "",
            "metadata_hash": bytes(32), "metadata_uri": "", "created_by": ACCOUNT, **PROGRAM_RULES_UNSET, **_event(1),
        }])  # fmt: skip
        insert_rows(connection, projects, [{
            "project_id": i, "program_id": 1, "company_id": COMPANY, "status": 1, "amount": amount, "start_date": 0,
            "end_date": 1, "plan_hash": bytes(32), "milestone_count": 1, "planned_tranches": 0,
            "registered_by": ACCOUNT, **PROJECT_FUNDS_UNSET, **_event(i + 1),
        } for i, amount in enumerate(amounts, start=1)])  # fmt: skip
        insert_rows(connection, milestones, [{
            "project_id": i, "milestone_index": 1, "status": int(MilestoneStatus.PLANNED), "attempts": 0,
            "due_date": 100, "tranche": 0, "description_hash": bytes(32), "planned_by": ACCOUNT, **_event(i + 1),
        } for i in range(1, len(amounts) + 1)])  # fmt: skip
        insert_rows(connection, outcomes, [{
            "outcome_id": i, "project_id": i, "outcome_type": int(OutcomeType.SOFTWARE), "ip_status": 0,
            "revoked": False, "amends": 0, "amended_by": 0, "recorded_at": 0, "evidence_hash": bytes(32),
            "external_id": "", "submitter": ACCOUNT, **NO_DETAILS, **_event(i + 1),
        } for i in range(1, len(amounts) + 1)])  # fmt: skip
        insert_rows(connection, commercialization_reports, [{
            "report_id": i, "project_id": i, "year": 2022, "status": int(ReportStatus.VERIFIED), "recorded_at": 0,
            "sales": amount, "investment": amount, "royalties": amount, "jobs": 2**32 - 1, "commitment": bytes(32),
            "evidence_hash": bytes(32), "submitter": ACCOUNT, **_event(i + 1),
        } for i, amount in enumerate(amounts, start=1)])  # fmt: skip
        insert_rows(connection, audits, [{
            "audit_id": i, "project_id": i, "grade": 1, "clawback_amount": amount, "restricted_until": None,
            "recorded_at": 0, "auditor": ACCOUNT, "findings_hash": bytes(32), **IN_EFFECT, **_event(i + 1),
        } for i, amount in enumerate(amounts, start=1)])  # fmt: skip


def test_sums_of_uint96_amounts_are_exact_on_every_database(engine: Engine) -> None:
    amounts = [UINT96_MAX, UINT96_MAX - 1, 10**28 + 7, 2**63 + 1, 1]
    _fill(engine, amounts)
    with engine.connect() as connection:
        [program] = program_statistics(connection, as_of=DAY_AFTER)
        [company] = company_statistics(connection, as_of=DAY_AFTER)
    for activity in (program.activity, company.activity):
        assert activity.projects == 5
        assert activity.granted == sum(amounts)
        assert activity.clawbacks == sum(amounts)
        money = activity.commercialization
        assert (money.sales, money.investment, money.royalties) == (sum(amounts),) * 3
        assert money.jobs == 5 * (2**32 - 1)
        assert (money.reports, money.verified) == (5, 5)
        assert activity.outcomes.by_type == {OutcomeType.SOFTWARE: 5}
        assert (activity.milestones.total, activity.milestones.planned, activity.milestones.overdue) == (5, 5, 5)
    assert company.company_id == COMPANY


def test_nothing_is_overdue_before_its_due_date_and_an_empty_registry_has_no_statistics(engine: Engine) -> None:
    with engine.connect() as connection:
        assert program_statistics(connection, as_of=0) == []
        assert company_statistics(connection, as_of=0) == []
    _fill(engine, [5])
    with engine.connect() as connection:
        [program] = program_statistics(connection, as_of=100)  # due at 100: not yet overdue
        [later] = program_statistics(connection, as_of=SECONDS_PER_DAY - 1)  # past the moment, not the day
    assert program.activity.milestones.overdue == later.activity.milestones.overdue == 0


@pytest.mark.parametrize("milestone_status", list(MilestoneStatus)[1:])
@pytest.mark.parametrize("project_status", list(ProjectStatus)[1:])
@pytest.mark.parametrize("as_of", [100, SECONDS_PER_DAY - 1, SECONDS_PER_DAY, DAY_AFTER])
def test_statistics_count_overdue_by_the_rule_every_page_and_the_cli_use(
    engine: Engine, milestone_status: MilestoneStatus, project_status: ProjectStatus, as_of: int
) -> None:
    _fill(engine, [5])
    with engine.begin() as connection:
        connection.execute(update(milestones).values(status=int(milestone_status)))
        connection.execute(update(projects).values(status=int(project_status)))
    with engine.connect() as connection:
        [program] = program_statistics(connection, as_of=as_of)
    expected = is_overdue(milestone_status, 100, project_status, as_of)
    assert program.activity.milestones.overdue == int(expected)
