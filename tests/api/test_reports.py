"""`/api/v1/commercialization-reports`: each report as the chain holds it, figures hidden while only
their hash is committed, with every step (reported, committed, revealed, verified, disputed)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from web3 import Web3

from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, error_of, event_at

STEP_EVENTS = {
    "reported": "CommercializationReported",
    "committed": "CommercializationCommitted",
    "revealed": "CommercializationRevealed",
    "verified": "CommercializationVerified",
    "disputed": "CommercializationDisputed",
}


def _reports(api: TestClient, **params: Any) -> list[dict[str, Any]]:
    return all_items(api, "/api/v1/commercialization-reports", **params)


def test_every_report_reads_as_the_chain_holds_it(api: TestClient, indexed: IndexedRegistry) -> None:
    listed = _reports(api)
    assert [r["reportId"] for r in listed] == list(range(1, indexed.client.counts()["reports"] + 1))
    for item in listed:
        chain = indexed.client.report(item["reportId"])
        assert (item["projectId"], item["year"], item["status"]) == (chain.project_id, chain.year,
                                                                      chain.status.name.lower())  # fmt: skip
        if item["status"] != "committed":
            figures = chain.figures
            assert (item["sales"], item["investment"], item["royalties"], item["jobs"]) == (
                str(figures.sales), str(figures.investment), str(figures.royalties), figures.jobs
            )  # fmt: skip


def test_a_committed_report_hides_its_figures_and_shows_its_commitment(
    api: TestClient, indexed: IndexedRegistry, w3: Web3
) -> None:
    [committed] = _reports(api, status="committed")
    assert (committed["sales"], committed["investment"], committed["royalties"], committed["jobs"]) == (
        None, None, None, None,
    )  # fmt: skip
    name, args = event_at(w3, indexed.manifest, committed["provenance"])
    assert (name, args["reportId"]) == ("CommercializationCommitted", committed["reportId"])
    assert committed["commitment"] == "0x" + args["commitment"].hex()
    history = api.get(f"/api/v1/commercialization-reports/{committed['reportId']}").json()["history"]
    assert [step["action"] for step in history] == ["committed"]


def test_the_history_of_a_report_is_every_event_of_it_in_order(
    api: TestClient, indexed: IndexedRegistry, w3: Web3
) -> None:
    reviewed = [r for r in _reports(api) if r["status"] in ("verified", "disputed")]
    assert {r["status"] for r in reviewed} == {"verified", "disputed"}
    for report in reviewed:
        body = api.get(f"/api/v1/commercialization-reports/{report['reportId']}").json()
        actions = [step["action"] for step in body["history"]]
        assert actions in (["reported", report["status"]], ["committed", "revealed", report["status"]])
        for step in body["history"]:
            name, args = event_at(w3, indexed.manifest, step["provenance"])
            assert (name, args["reportId"]) == (STEP_EVENTS[step["action"]], report["reportId"])
        assert body["lastChange"] == body["history"][-1]["provenance"]


def test_year_status_and_project_filters_and_the_sales_sort(api: TestClient) -> None:
    everything = _reports(api)
    year = everything[0]["year"]
    assert _reports(api, year=year) == [r for r in everything if r["year"] == year]
    assert _reports(api, status="verified") == [r for r in everything if r["status"] == "verified"]
    assert _reports(api, project=everything[0]["projectId"]) == [
        r for r in everything if r["projectId"] == everything[0]["projectId"]
    ]
    by_sales = _reports(api, sort="-sales", limit=3)
    shown = [(int(r["sales"] or 0), r["reportId"]) for r in by_sales]
    assert shown == sorted(shown, reverse=True)


def test_an_unknown_report_is_a_404_and_an_unknown_status_a_422(api: TestClient) -> None:
    assert error_of(api.get("/api/v1/commercialization-reports/999999"), 404)["message"] == (
        "no commercialization report 999999"
    )
    assert error_of(api.get("/api/v1/commercialization-reports", params={"status": "hidden"}), 422)["parameter"] == (
        "status"
    )
