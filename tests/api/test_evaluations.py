"""`/api/v1/evaluations`: each audit as the chain holds it, with its grade, clawback and participation
restriction; filters by grade, project and company; the clawback sort."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web3 import Web3

from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, error_of, event_at, iso


def test_every_evaluation_reads_as_the_chain_holds_it(api: TestClient, indexed: IndexedRegistry) -> None:
    listed = all_items(api, "/api/v1/evaluations")
    assert [a["auditId"] for a in listed] == list(range(1, indexed.client.counts()["audits"] + 1))
    for item in listed:
        chain = indexed.client.audit(item["auditId"])
        until = None if chain.restricted_until is None else iso(int(chain.restricted_until.timestamp()))
        assert {k: item[k] for k in ("projectId", "grade", "clawbackAmount", "restrictedUntil", "auditor",
                                     "findingsHash", "recordedAt")} == {
            "projectId": chain.project_id,
            "grade": chain.grade.name.lower().replace("_", "-"),
            "clawbackAmount": str(chain.clawback_amount),
            "restrictedUntil": until,
            "auditor": chain.auditor,
            "findingsHash": "0x" + chain.findings_hash.hex(),
            "recordedAt": iso(int(chain.recorded_at.timestamp())),
        }  # fmt: skip


def test_an_evaluation_with_a_clawback_points_at_its_event_and_its_project_is_clawed_back(
    api: TestClient, indexed: IndexedRegistry, w3: Web3
) -> None:
    [clawback] = [a for a in all_items(api, "/api/v1/evaluations") if a["clawbackAmount"] != "0"]
    name, args = event_at(w3, indexed.manifest, clawback["provenance"])
    assert (name, args["auditId"], args["clawbackAmount"]) == ("AuditRecorded", clawback["auditId"],
                                                               int(clawback["clawbackAmount"]))  # fmt: skip
    assert clawback["grade"] == "poor"
    project = api.get(f"/api/v1/projects/{clawback['projectId']}").json()
    assert project["status"] == "clawed-back"
    assert project["statusChanges"][-1]["documentHash"] == clawback["findingsHash"]


def test_grade_filter_and_clawback_sort(api: TestClient) -> None:
    everything = all_items(api, "/api/v1/evaluations")
    assert all_items(api, "/api/v1/evaluations", grade="poor") == [a for a in everything if a["grade"] == "poor"]
    assert all_items(api, "/api/v1/evaluations", sort="-clawbackAmount")[0]["clawbackAmount"] == max(
        (a["clawbackAmount"] for a in everything), key=int
    )
    assert all_items(api, "/api/v1/evaluations", project=everything[0]["projectId"]) == [
        a for a in everything if a["projectId"] == everything[0]["projectId"]
    ]


def test_an_unknown_grade_is_a_422_and_an_unknown_evaluation_a_404(api: TestClient) -> None:
    error = error_of(api.get("/api/v1/evaluations", params={"grade": "A+"}), 422)
    assert error["message"] == "grade: 'A+' is not one of none, excellent, good, fair, poor, very-poor"
    assert error_of(api.get("/api/v1/evaluations/424242"), 404)["message"] == "no evaluation 424242"
