"""`/api/v1/projects`: each grant agreement as the chain holds it, with its status changes and their
events; filters by program, year, company (id or business registration number), status and start
date; sorts; bad parameters refused with their name."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from web3 import Web3

from registry.chain.devload import COMPANIES
from registry.domain.companies import company_id
from registry.domain.enums import ProjectStatus
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, error_of, event_at, iso


def _projects(api: TestClient, **params: Any) -> list[dict[str, Any]]:
    return all_items(api, "/api/v1/projects", **params)


def test_every_project_reads_as_the_chain_holds_it(api: TestClient, indexed: IndexedRegistry) -> None:
    client = indexed.client
    for project_id in range(1, client.counts()["projects"] + 1):
        chain = client.project(project_id)
        body = api.get(f"/api/v1/projects/{project_id}").json()
        assert {k: body[k] for k in ("projectId", "programId", "companyId", "status", "amount", "startDate",
                                     "endDate", "planHash", "milestoneCount", "plannedTranches")} == {
            "projectId": project_id,
            "programId": chain.program_id,
            "companyId": "0x" + chain.company_id.hex(),
            "status": chain.status.name.lower().replace("_", "-"),
            "amount": str(chain.amount),
            "startDate": iso(int(chain.start_date.timestamp())),
            "endDate": iso(int(chain.end_date.timestamp())),
            "planHash": "0x" + chain.plan_hash.hex(),
            "milestoneCount": chain.milestone_count,
            "plannedTranches": str(chain.planned_tranches),
        }  # fmt: skip


def test_status_changes_are_listed_with_the_events_that_made_them(
    api: TestClient, indexed: IndexedRegistry, w3: Web3
) -> None:
    changed = [p for p in _projects(api) if p["status"] != "active"]
    assert {p["status"] for p in changed} >= {"completed", "terminated", "clawed-back"}
    for project in changed:
        body = api.get(f"/api/v1/projects/{project['projectId']}").json()
        [change] = body["statusChanges"]
        assert (change["from"], change["to"]) == ("active", project["status"])
        name, args = event_at(w3, indexed.manifest, change["provenance"])
        assert name == "ProjectStatusChanged"
        assert (args["projectId"], args["to"], args["actor"]) == (
            project["projectId"], ProjectStatus[project["status"].upper().replace("-", "_")], change["actor"]
        )  # fmt: skip
        assert change["documentHash"] == "0x" + args["documentHash"].hex()
        if project["status"] == "completed":
            assert body["lastChange"] == change["provenance"]
        else:  # the unpaid part went back to the program right after
            returned, paid_back = event_at(w3, indexed.manifest, body["lastChange"])
            assert returned == "GrantFundsReturned" and paid_back["projectId"] == project["projectId"]
            assert body["lastChange"]["transactionHash"] == change["provenance"]["transactionHash"]
    untouched = next(p for p in _projects(api) if p["status"] == "active")
    assert api.get(f"/api/v1/projects/{untouched['projectId']}").json()["statusChanges"] == []


def test_a_project_points_at_the_event_that_registered_it(api: TestClient, indexed: IndexedRegistry, w3: Web3) -> None:
    body = api.get("/api/v1/projects/3").json()
    name, args = event_at(w3, indexed.manifest, body["provenance"])
    assert (name, args["projectId"], args["amount"]) == ("ProjectRegistered", 3, int(body["amount"]))
    assert body["registeredBy"] == args["admin"]


def test_a_company_is_found_by_its_business_registration_number_or_its_id(api: TestClient) -> None:
    # The session's company accounts keep their bindings when DevLoad runs; some use DevLoad's numbers.
    funded = {p["companyId"] for p in _projects(api)}
    number = next(
        n for n in ("131-81-00001", "131-81-00002", *COMPANIES.values()) if "0x" + company_id(n).hex() in funded
    )
    by_id = _projects(api, company="0x" + company_id(number).hex())
    assert by_id
    assert {p["companyId"] for p in by_id} == {"0x" + company_id(number).hex()}
    assert _projects(api, company=number) == by_id
    assert _projects(api, company=number.replace("-", "")) == by_id
    assert by_id == [p for p in _projects(api) if p["companyId"] == "0x" + company_id(number).hex()]


def test_program_year_and_status_filters_return_exactly_the_matching_projects(api: TestClient) -> None:
    everything = _projects(api)
    programs = {p["programId"]: p for p in all_items(api, "/api/v1/programs")}
    assert _projects(api, program=2) == [p for p in everything if p["programId"] == 2]
    assert _projects(api, year=2021) == [p for p in everything if programs[p["programId"]]["year"] == 2021]
    assert _projects(api, year=2022) == []
    assert _projects(api, status="completed") == [p for p in everything if p["status"] == "completed"]
    assert _projects(api, program=1, status="active") == [
        p for p in everything if p["programId"] == 1 and p["status"] == "active"
    ]


def test_the_date_range_compares_the_start_date(api: TestClient) -> None:
    everything = _projects(api)
    start = everything[-1]["startDate"][:10]
    assert _projects(api, **{"from": start}) == [p for p in everything if p["startDate"][:10] >= start]
    assert _projects(api, to=start) == [p for p in everything if p["startDate"][:10] <= start]


def test_sorting_by_amount_orders_by_amount_then_id_in_both_directions(api: TestClient) -> None:
    ascending = _projects(api, sort="amount", limit=3)
    assert [(int(p["amount"]), p["projectId"]) for p in ascending] == sorted(
        (int(p["amount"]), p["projectId"]) for p in _projects(api)
    )
    assert _projects(api, sort="-amount", limit=4) == ascending[::-1]


def test_bad_filters_are_422s_naming_the_parameter(api: TestClient) -> None:
    cases = {
        "company": "ACME Inc.",
        "program": "0",
        "year": "twenty",
        "status": "finished",
        "from": "2021-13-01",
        "sort": "budget",
        "limit": "0",
    }
    for parameter, value in cases.items():
        error = error_of(api.get("/api/v1/projects", params={parameter: value}), 422)
        assert error["parameter"] == parameter, error
        assert error["message"].startswith(f"{parameter}: ")
    error = error_of(api.get("/api/v1/projects", params={"from": "2021-06-01", "to": "2021-05-01"}), 422)
    assert error == {"status": 422, "message": "to: 2021-05-01 is before from (2021-06-01)", "parameter": "to"}
    error = error_of(api.get("/api/v1/projects", params={"company": "0x1234"}), 422)
    assert "not a company id" in error["message"]


def test_an_unknown_project_is_a_404(api: TestClient, indexed: IndexedRegistry) -> None:
    missing = indexed.client.counts()["projects"] + 1
    assert error_of(api.get(f"/api/v1/projects/{missing}"), 404)["message"] == f"no project {missing}"
