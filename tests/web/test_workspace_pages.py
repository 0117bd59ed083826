"""The workspace's routes, without a browser: the pages carry the portal's headers and their scripts'
configuration, contracts.json the registry's two contracts with their writes, and agenda.json a company's
projects with overdue milestones by the one rule and the commercialization years owed."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from registry.domain.deadlines import commercialization_years_due, is_overdue, now_seconds
from registry.domain.enums import MilestoneStatus, ProjectStatus
from registry.web.rendering import CONTENT_SECURITY_POLICY
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items


def test_the_workspace_pages_carry_the_portal_s_policy_and_their_scripts_configuration(client: TestClient) -> None:
    for path in ("/workspace", "/workspace/company"):
        page = client.get(path, params={"lang": "en"})
        assert page.status_code == 200 and page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        found = re.search(r'<script type="application/json" id="workspace-data">(.*?)</script>', page.text, re.S)
        assert found is not None
        data = json.loads(found.group(1))
        assert data["lang"] == "en" and data["idleMinutes"] == 10
        assert data["messages"]["workspace.sign_in.heading"] == "Sign in"
        assert "<script>" not in page.text  # scripts are files from this server only


def test_contracts_json_gives_the_two_registry_contracts_with_their_writes(
    client: TestClient, indexed: IndexedRegistry
) -> None:
    answer = client.get("/workspace/contracts.json").json()
    assert answer["chainId"] == indexed.manifest.chain_id
    assert set(answer["contracts"]) == {"GrantRegistry", "OutcomeRegistry"}
    grants = answer["contracts"]["GrantRegistry"]
    assert grants["address"] == indexed.client.grants.address
    assert {"submitMilestone", "planMilestone"} <= {e.get("name") for e in grants["abi"]}


def test_the_agenda_marks_overdue_milestones_by_the_one_rule_and_lists_years_owed(
    client: TestClient, indexed: IndexedRegistry
) -> None:
    projects = all_items(client, "/api/v1/projects")
    company = projects[0]["companyId"]
    agenda = client.get("/workspace/company/agenda.json", params={"company": company}).json()
    assert [p["project"]["projectId"] for p in agenda["projects"]] == [
        p["projectId"] for p in projects if p["companyId"] == company
    ]
    as_of = now_seconds()
    for entry in agenda["projects"]:
        project = entry["project"]
        status = ProjectStatus[project["status"].upper().replace("-", "_")]
        for milestone in entry["milestones"]:
            due = int(indexed.client.milestone(project["projectId"], milestone["milestoneIndex"]).due_date.timestamp())
            ms_status = MilestoneStatus[milestone["status"].upper()]
            assert milestone["overdue"] == is_overdue(ms_status, due, status, as_of)
            assert (milestone["rejection"] is not None) == (ms_status is MilestoneStatus.REJECTED)
        end = indexed.client.project(project["projectId"]).end_date
        reported = {r["year"] for r in entry["reports"]}
        assert entry["reportYearsDue"] == commercialization_years_due(status, end, reported, as_of)


def test_an_agenda_without_a_company_says_what_to_give(client: TestClient) -> None:
    answer = client.get("/workspace/company/agenda.json", params={"company": "acme", "lang": "en"})
    assert answer.status_code == 400
    assert "acme" in answer.text
