"""`/api/v1/programs`: each program as the chain holds it, with the events that created and last changed
it; lists filtered, sorted and paged; unknown ids and bad parameters refused with their name."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web3 import Web3

from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, error_of, event_at


def test_every_program_reads_as_the_chain_holds_it(api: TestClient, indexed: IndexedRegistry) -> None:
    client = indexed.client
    count = client.counts()["programs"]
    assert count >= 3
    for program_id in range(1, count + 1):
        chain, rules = client.program(program_id), client.program_rules(program_id)
        body = api.get(f"/api/v1/programs/{program_id}").json()
        assert {k: v for k, v in body.items() if k not in ("provenance", "lastChange", "createdBy")} == {
            "programId": program_id,
            "name": chain.name,
            "year": chain.year,
            "budget": str(chain.budget),
            "perProjectCap": str(chain.per_project_cap),
            "granted": str(chain.granted),
            "remaining": str(chain.budget - chain.granted),
            "projectCount": chain.project_count,
            "status": chain.status.name.lower(),
            "field": chain.field,
            "metadataHash": "0x" + chain.metadata_hash.hex(),
            "metadataUri": chain.metadata_uri,
            "rules": {"followUpYears": rules.follow_up_years, "objectionDays": rules.objection_days,
                      "maxRestrictionDays": rules.max_restriction_days,
                      "maxClawbackPercent": rules.max_clawback_percent},
        }  # fmt: skip


def test_a_program_points_at_its_creation_and_its_last_change_on_chain(
    api: TestClient, indexed: IndexedRegistry, w3: Web3
) -> None:
    body = api.get("/api/v1/programs/1").json()
    name, args = event_at(w3, indexed.manifest, body["provenance"])
    assert (name, args["programId"], args["name"]) == ("ProgramCreated", 1, body["name"])
    assert body["createdBy"] == args["admin"]
    name, args = event_at(w3, indexed.manifest, body["lastChange"])
    # Closed, and later a terminated or clawed-back project's unpaid grant came back to it.
    assert name in ("ProgramClosed", "GrantFundsReturned") and args["programId"] == 1
    assert body["lastChange"]["blockNumber"] > body["provenance"]["blockNumber"]


def test_the_list_pages_through_every_program_once_in_id_order(api: TestClient, indexed: IndexedRegistry) -> None:
    items = all_items(api, "/api/v1/programs", limit=1)
    assert [p["programId"] for p in items] == list(range(1, indexed.client.counts()["programs"] + 1))
    assert items == all_items(api, "/api/v1/programs")


def test_year_and_status_filters_return_exactly_the_matching_programs(api: TestClient) -> None:
    everything = all_items(api, "/api/v1/programs")
    for year, status in [(2021, "closed"), (2022, "open"), (2021, "open"), (1999, None)]:
        params = {"year": year} if status is None else {"year": year, "status": status}
        wanted = [p for p in everything if p["year"] == year and status in (None, p["status"])]
        assert all_items(api, "/api/v1/programs", **params) == wanted
    assert [p["name"] for p in all_items(api, "/api/v1/programs", year=2022)] == ["신성장동력 R&D사업"]


def test_programs_sorted_by_budget_descending_run_from_the_largest(api: TestClient) -> None:
    items = all_items(api, "/api/v1/programs", sort="-budget", limit=2)
    keys = [(int(p["budget"]), p["programId"]) for p in items]
    assert keys == sorted(keys, reverse=True)
    assert len(items) == len(all_items(api, "/api/v1/programs"))


def test_the_date_range_compares_the_day_a_program_was_opened(api: TestClient) -> None:
    everything = all_items(api, "/api/v1/programs")
    opened = everything[0]["provenance"]["blockTime"][:10]
    assert all_items(api, "/api/v1/programs", **{"from": opened, "to": opened}) == [
        p for p in everything if p["provenance"]["blockTime"][:10] == opened
    ]
    assert all_items(api, "/api/v1/programs", to="2000-01-01") == []


def test_an_unknown_program_is_a_404_naming_it(api: TestClient, indexed: IndexedRegistry) -> None:
    missing = indexed.client.counts()["programs"] + 1
    assert error_of(api.get(f"/api/v1/programs/{missing}"), 404) == {
        "status": 404,
        "message": f"no program {missing}",
    }


def test_a_program_id_that_cannot_be_one_is_a_422_naming_the_path_parameter(api: TestClient) -> None:
    for bad in ("0", "abc", str(2**63), "-1", "1.5"):
        assert error_of(api.get(f"/api/v1/programs/{bad}"), 422)["parameter"] == "programId"


def test_an_unknown_status_is_a_422_listing_the_statuses(api: TestClient) -> None:
    error = error_of(api.get("/api/v1/programs", params={"status": "opened"}), 422)
    assert error == {"status": 422, "message": "status: 'opened' is not one of none, open, closed",
                     "parameter": "status"}  # fmt: skip
