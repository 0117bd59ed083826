"""Outcome details and corrections in the API: each outcome shows the details recorded with it (the
OutcomeDetailsRecorded event, as web3 decodes it) and whether a correction replaced it (amendedBy, current);
lists give the current versions unless `versions` asks for the superseded ones too (or only them), and
filter by details (sciIndexed, country, venue)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import PAPER_VENUE, IndexedRegistry
from tests.helpers.api import all_items, error_of, iso


def _details(indexed: IndexedRegistry) -> dict[int, dict[str, Any]]:
    logs = indexed.client.outcomes.events.OutcomeDetailsRecorded.get_logs(from_block=indexed.manifest.deploy_block)
    return {log["args"]["outcomeId"]: dict(log["args"]["details"]) for log in logs}


def test_every_outcome_shows_the_details_recorded_with_it(api: TestClient, indexed: IndexedRegistry) -> None:
    recorded = _details(indexed)
    every = all_items(api, "/api/v1/outcomes", versions="all")
    assert {o["outcomeId"] for o in every} == set(recorded)
    for outcome in every:
        event = recorded[outcome["outcomeId"]]
        assert outcome["details"] == {
            "venue": event["venue"], "country": event["country"], "counterparty": event["counterparty"],
            "date": iso(event["date"]) if event["date"] else None, "amount": str(event["amount"]),
            "sciIndexed": event["sciIndexed"],
        }  # fmt: skip
        assert api.get(f"/api/v1/outcomes/{outcome['outcomeId']}").json()["details"] == outcome["details"]
    transfer = next(o for o in every if o["outcomeType"] == "technology-transfer" and o["details"]["amount"] != "0")
    assert transfer["details"]["counterparty"] and transfer["details"]["date"]


def test_lists_give_current_versions_unless_asked_and_each_superseded_one_names_its_replacement(
    api: TestClient, indexed: IndexedRegistry
) -> None:
    every = all_items(api, "/api/v1/outcomes", versions="all")
    current = all_items(api, "/api/v1/outcomes")
    superseded = all_items(api, "/api/v1/outcomes", versions="superseded")
    assert superseded, "the fixture corrects a paper"
    assert current == [o for o in every if o["current"]]
    assert superseded == [o for o in every if not o["current"]]
    by_id = {o["outcomeId"]: o for o in every}
    for old in superseded:
        chain = indexed.client.outcome(old["outcomeId"])
        assert old["amendedBy"] == chain.amended_by != 0
        assert by_id[old["amendedBy"]]["amends"] == old["outcomeId"]
        assert api.get(f"/api/v1/outcomes/{old['outcomeId']}").json()["amendedBy"] == old["amendedBy"]
    assert all(o["amendedBy"] is None for o in current)
    csv = api.get("/api/v1/outcomes/export", params={"format": "json", "versions": "superseded"}).json()
    assert csv == superseded
    error = error_of(api.get("/api/v1/outcomes", params={"versions": "latest"}), 422)
    assert error["parameter"] == "versions"


def test_outcomes_are_filtered_by_their_details(api: TestClient) -> None:
    every = all_items(api, "/api/v1/outcomes")
    indexed_papers = all_items(api, "/api/v1/outcomes", sciIndexed="true")
    assert indexed_papers and indexed_papers == [o for o in every if o["details"]["sciIndexed"]]
    assert all_items(api, "/api/v1/outcomes", sciIndexed="false") == [o for o in every
                                                                      if not o["details"]["sciIndexed"]]  # fmt: skip
    korean = all_items(api, "/api/v1/outcomes", country="kr")
    assert korean and korean == [o for o in every if o["details"]["country"] == "KR"]
    journal = all_items(api, "/api/v1/outcomes", venue=PAPER_VENUE.split()[2].upper())
    assert journal and {o["details"]["venue"] for o in journal} == {PAPER_VENUE}
    assert error_of(api.get("/api/v1/outcomes", params={"country": "KOR"}), 422)["parameter"] == "country"
