"""Commercialization follow-up in the API: each project lists its follow-up years with the due day and state
that registry/domain/deadlines.py gives from the chain's records (its program's followUpYears, the years
reported), and the statistics count the years due, late and reported per program, year and company."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from registry.domain.deadlines import ReportState, commercialization_schedule
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, iso


def _reported(indexed: IndexedRegistry) -> dict[int, set[int]]:
    client = indexed.client
    found: dict[int, set[int]] = defaultdict(set)
    for report in (client.report(i) for i in range(1, client.counts()["reports"] + 1)):
        found[report.project_id].add(report.year)
    return found


def test_a_project_lists_its_follow_up_years_as_the_deadlines_rule_gives_them(
    api: TestClient, indexed: IndexedRegistry
) -> None:
    client, reported = indexed.client, _reported(indexed)
    for listed in all_items(api, "/api/v1/projects"):
        body = api.get(f"/api/v1/projects/{listed['projectId']}").json()
        project = client.project(listed["projectId"])
        rules = client.program_rules(project.program_id)
        now = int(datetime.now(UTC).timestamp())
        expected = commercialization_schedule(project.status, project.end_date, reported[project.project_id], now,
                                              rules.follow_up_years)  # fmt: skip
        assert body["followUp"] == [
            {"year": e.year, "dueDate": iso(int(e.due_date.timestamp())), "state": e.state.value} for e in expected
        ]
        assert len(body["followUp"]) in (0, rules.follow_up_years)


def test_statistics_count_follow_up_years_due_late_and_reported(api: TestClient, indexed: IndexedRegistry) -> None:
    client, reported = indexed.client, _reported(indexed)
    projects = [client.project(p["projectId"]) for p in all_items(api, "/api/v1/projects")]
    end_year = max(p.end_date.year for p in projects)
    # One moment per state: while the first reports are due, and years later, when the missing ones are late.
    for moment in (datetime(end_year + 1, 2, 1, tzinfo=UTC), datetime(end_year + 3, 6, 1, tzinfo=UTC)):
        as_of = int(moment.timestamp())
        by_program: dict[int, Counter[str]] = defaultdict(Counter)
        for project in projects:
            years = client.program_rules(project.program_id).follow_up_years
            for entry in commercialization_schedule(project.status, project.end_date, reported[project.project_id],
                                                    as_of, years):  # fmt: skip
                if entry.state is not ReportState.UPCOMING:
                    by_program[project.program_id][entry.state.value] += 1
        body = api.get("/api/v1/statistics/programs", params={"asOf": moment.isoformat()}).json()
        for item in body["items"]:
            counted = by_program[item["programId"]]
            assert item["followUp"] == {"due": counted["due"], "late": counted["late"],
                                        "reported": counted["reported"]}  # fmt: skip
        totals = Counter[str]()
        for counted in by_program.values():
            totals.update(counted)
        assert totals["due"] + totals["late"] > 0, "the moment must owe reports"
        years = api.get("/api/v1/statistics/years", params={"asOf": moment.isoformat()}).json()["items"]
        assert sum(i["followUp"]["late"] for i in years) == totals["late"]
        companies = api.get("/api/v1/statistics/companies", params={"asOf": moment.isoformat()}).json()["items"]
        assert sum(i["followUp"]["due"] for i in companies) == totals["due"]
