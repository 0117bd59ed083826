"""Program rules, project targets and funds in the API, and target against result per project, program and
year: rules as `rulesOf`, paid and returned as `fundsOf`, a program's granted and remaining as `getProgram`
after returns, targets as the `ProjectTargetsSet` events, and results counted from the chain's outcomes and
reports (papers: current, not revoked Paper outcomes; patents: applications and registrations; sales,
investment and jobs: reported or verified reports)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest
from fastapi.testclient import TestClient

from registry.domain.enums import OutcomeType, ReportStatus
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items

MEASURES = ("papers", "patents", "sales", "investment", "jobs")


def _money(counts: Counter[str]) -> dict[str, Any]:
    return {m: str(counts[m]) if m in ("sales", "investment") else counts[m] for m in MEASURES}


@pytest.fixture(scope="module")
def results(indexed: IndexedRegistry) -> dict[int, Counter[str]]:
    """Each project's results, counted from the chain's records read one by one."""
    client = indexed.client
    counts = client.counts()
    found: dict[int, Counter[str]] = defaultdict(Counter)
    for outcome in (client.outcome(i) for i in range(1, counts["outcomes"] + 1)):
        if outcome.revoked or outcome.amended_by:
            continue
        if outcome.outcome_type is OutcomeType.PAPER:
            found[outcome.project_id]["papers"] += 1
        if outcome.outcome_type in (OutcomeType.PATENT_APPLICATION, OutcomeType.PATENT_REGISTRATION):
            found[outcome.project_id]["patents"] += 1
    for report in (client.report(i) for i in range(1, counts["reports"] + 1)):
        if report.status in (ReportStatus.REPORTED, ReportStatus.VERIFIED):
            for name in ("sales", "investment", "jobs"):
                found[report.project_id][name] += getattr(report.figures, name)
    return found


@pytest.fixture(scope="module")
def targets(indexed: IndexedRegistry) -> dict[int, dict[str, int]]:
    logs = indexed.client.grants.events.ProjectTargetsSet.get_logs(from_block=indexed.manifest.deploy_block)
    return {log["args"]["projectId"]: dict(log["args"]["targets"]) for log in logs}


def test_programs_show_their_rules_and_what_they_granted_after_returns(
    api: TestClient, indexed: IndexedRegistry
) -> None:
    client = indexed.client
    for program in all_items(api, "/api/v1/programs"):
        rules = client.program_rules(program["programId"])
        assert program["rules"] == {
            "followUpYears": rules.follow_up_years, "objectionDays": rules.objection_days,
            "maxRestrictionDays": rules.max_restriction_days, "maxClawbackPercent": rules.max_clawback_percent,
        }  # fmt: skip
        chain = client.program(program["programId"])
        assert (program["granted"], program["remaining"]) == (str(chain.granted), str(chain.budget - chain.granted))


def test_projects_show_their_funds_and_targets_as_the_chain_does(
    api: TestClient, indexed: IndexedRegistry, targets: dict[int, dict[str, int]]
) -> None:
    projects = all_items(api, "/api/v1/projects")
    assert any(p["returned"] != "0" for p in projects), "the fixture terminates a project"
    for project in projects:
        funds = indexed.client.funds(project["projectId"])
        assert (project["paid"], project["returned"]) == (str(funds.paid), str(funds.returned))
        agreed = targets[project["projectId"]]
        assert project["targets"] == {m: str(agreed[m]) if m in ("sales", "investment") else agreed[m]
                                      for m in MEASURES}  # fmt: skip


def test_a_project_shows_its_results_against_its_targets(api: TestClient, results: dict[int, Counter[str]]) -> None:
    projects = all_items(api, "/api/v1/projects")
    assert any(results[p["projectId"]]["papers"] for p in projects)
    for project in projects:
        body = api.get(f"/api/v1/projects/{project['projectId']}").json()
        assert body["results"] == _money(results[project["projectId"]])
        assert body["targets"] == project["targets"]


def test_statistics_add_up_targets_and_results_per_program_and_year(
    api: TestClient, results: dict[int, Counter[str]], targets: dict[int, dict[str, int]]
) -> None:
    projects = all_items(api, "/api/v1/projects")
    by_program: dict[int, list[int]] = defaultdict(list)
    for project in projects:
        by_program[project["programId"]].append(project["projectId"])

    def expected(ids: list[int]) -> tuple[dict[str, Any], dict[str, Any]]:
        agreed: Counter[str] = Counter()
        achieved: Counter[str] = Counter()
        for project_id in ids:
            agreed.update(targets[project_id])
            achieved.update(results[project_id])
        return {**_money(agreed), "projects": len(ids)}, _money(achieved)

    items = api.get("/api/v1/statistics/programs").json()["items"]
    for item in items:
        assert (item["targets"], item["results"]) == expected(by_program[item["programId"]])
    years: dict[int, list[int]] = defaultdict(list)
    for item in items:
        years[item["year"]] += by_program[item["programId"]]
    for item in api.get("/api/v1/statistics/years").json()["items"]:
        assert (item["targets"], item["results"]) == expected(years[item["year"]])
