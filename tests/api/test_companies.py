"""Companies by name: `/api/v1/companies` lists the names published on chain, finds a company by part of
its name (any letter case, Korean too) or by its exact business registration number (hashed as the chain
keys it), and each company shows every name it had; projects and their exports carry the name."""

from __future__ import annotations

import unicodedata

from fastapi.testclient import TestClient

from registry.chain.devload import COMPANIES
from registry.domain.companies import company_id
from tests.api.conftest import RENAMED, IndexedRegistry
from tests.helpers.api import all_items, error_of, event_at
from tests.helpers.exports import csv_records


def test_every_named_company_is_listed_with_the_chains_current_name(api: TestClient, indexed: IndexedRegistry) -> None:
    found = all_items(api, "/api/v1/companies", limit=2)
    logs = indexed.client.grants.events.CompanyNamed.get_logs(from_block=indexed.manifest.deploy_block)
    assert {c["companyId"] for c in found} == {"0x" + log["args"]["companyId"].hex() for log in logs}
    for company in found:
        assert company["name"] == indexed.client.company_name(bytes.fromhex(company["companyId"][2:]))
        projects = all_items(api, "/api/v1/projects", company=company["companyId"])
        assert company["projectCount"] == len(projects)
        assert {p["companyName"] for p in projects} <= {company["name"]}
    assert RENAMED in {c["name"] for c in found}


def test_a_company_is_found_by_part_of_its_name_in_any_case_or_form(api: TestClient) -> None:
    assert [c["name"] for c in all_items(api, "/api/v1/companies", companyName="로보틱스")] == ["누리로보틱스(주)"]
    decomposed = unicodedata.normalize("NFD", "로보틱스")  # as a Mac may type it
    assert [c["name"] for c in all_items(api, "/api/v1/companies", companyName=decomposed)] == ["누리로보틱스(주)"]
    assert [c["name"] for c in all_items(api, "/api/v1/companies", companyName="quantum")] == [RENAMED]
    assert {c["name"] for c in all_items(api, "/api/v1/companies", companyName="(주)")} >= {"누리로보틱스(주)", RENAMED}
    assert all_items(api, "/api/v1/companies", companyName="없는회사") == []
    assert all_items(api, "/api/v1/companies", companyName="%") == []  # a LIKE wildcard is a character here
    error = error_of(api.get("/api/v1/companies", params={"companyName": "  "}), 422)
    assert error["parameter"] == "companyName"


def test_a_company_is_found_by_its_exact_business_registration_number(api: TestClient) -> None:
    named = {c["companyId"] for c in all_items(api, "/api/v1/companies")}
    number = next(n for n in COMPANIES.values() if "0x" + company_id(n).hex() in named)
    [found] = all_items(api, "/api/v1/companies", company=number)
    assert found["companyId"] == "0x" + company_id(number).hex()
    assert all_items(api, "/api/v1/companies", company=number.replace("-", "")) == [found]
    assert error_of(api.get("/api/v1/companies", params={"company": "131-81"}), 422)["parameter"] == "company"


def test_one_company_lists_every_name_it_had_with_the_events(api: TestClient, indexed: IndexedRegistry) -> None:
    renamed = next(c for c in all_items(api, "/api/v1/companies") if c["name"] == RENAMED)
    body = api.get(f"/api/v1/companies/{renamed['companyId']}").json()
    assert [n["name"] for n in body["names"]][-1] == RENAMED and len(body["names"]) >= 2
    for name in body["names"]:
        event, args = event_at(indexed.client.w3, indexed.manifest, name["provenance"])
        assert (event, args["name"], args["admin"]) == ("CompanyNamed", name["name"], name["admin"])
    assert body["lastChange"] == body["names"][-1]["provenance"]
    assert api.get("/api/v1/companies/131-81-99999").status_code == 404


def test_projects_are_found_by_their_companys_name_and_exported_with_it(api: TestClient) -> None:
    projects = all_items(api, "/api/v1/projects", companyName="QUANTUMLAB")
    assert projects and {p["companyName"] for p in projects} == {RENAMED}
    assert projects == all_items(api, "/api/v1/projects", company=projects[0]["companyId"])
    records = csv_records(api.get("/api/v1/projects/export", params={"companyName": "quantumlab"}))
    assert [r["companyName"] for r in records] == [RENAMED] * len(projects)
    milestones = csv_records(api.get("/api/v1/milestones/export"))
    assert milestones and all(r["companyName"] for r in milestones)


def test_every_list_of_project_records_is_found_by_the_companys_name(api: TestClient) -> None:
    [company] = all_items(api, "/api/v1/companies", companyName="quantum")
    for path in ("/api/v1/milestones", "/api/v1/evaluations", "/api/v1/commercialization-reports",
                 "/api/v1/objections", "/api/v1/ip-status-changes"):  # fmt: skip
        by_name = all_items(api, path, companyName="QuantumLab")
        assert by_name == all_items(api, path, company=company["companyId"]), path
    outcomes = all_items(api, "/api/v1/outcomes", companyName="quantumlab", versions="all")
    assert outcomes and outcomes == all_items(api, "/api/v1/outcomes", company=company["companyId"], versions="all")
    assert all_items(api, "/api/v1/milestones", companyName="없는회사") == []
