"""Milestones: each as the chain holds it, with every step of its history (submissions with their
evidence, reviews with their documents), each step pointing at its event, the signer of a relayed
submission included; the list filtered across projects."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web3 import Web3

from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, error_of, event_at, iso

STEP_EVENTS = {
    "planned": "MilestonePlanned",
    "submitted": "MilestoneSubmitted",
    "approved": "MilestoneApproved",
    "rejected": "MilestoneRejected",
}


def test_every_milestone_reads_as_the_chain_holds_it(api: TestClient, indexed: IndexedRegistry) -> None:
    listed = all_items(api, "/api/v1/milestones")
    client = indexed.client
    projects = [client.project(p) for p in range(1, client.counts()["projects"] + 1)]
    assert len(listed) == sum(p.milestone_count for p in projects)
    for item in listed:
        chain = client.milestone(item["projectId"], item["milestoneIndex"])
        assert (item["status"], item["attempts"], item["dueDate"], item["tranche"], item["descriptionHash"]) == (
            chain.status.name.lower(), chain.attempts, iso(int(chain.due_date.timestamp())), str(chain.tranche),
            "0x" + chain.description_hash.hex(),
        )  # fmt: skip


def test_the_history_of_a_milestone_is_every_event_of_it_in_order(
    api: TestClient, indexed: IndexedRegistry, w3: Web3
) -> None:
    rejected = [m for m in all_items(api, "/api/v1/milestones") if m["attempts"] > 1]
    assert rejected, "DevLoad rejects and resubmits some milestones"
    for milestone in rejected[:3]:
        path = f"/api/v1/projects/{milestone['projectId']}/milestones/{milestone['milestoneIndex']}"
        body = api.get(path).json()
        statuses = [step["status"] for step in body["history"]]
        assert statuses == ["planned", "submitted", "rejected", "submitted", "approved"]
        assert [step["attempt"] for step in body["history"]] == [0, 1, 1, 2, 2]
        for step in body["history"]:
            name, args = event_at(w3, indexed.manifest, step["provenance"])
            assert name == STEP_EVENTS[step["status"]]
            assert (args["projectId"], args["milestoneIndex"]) == (milestone["projectId"], milestone["milestoneIndex"])
            if name == "MilestoneSubmitted":
                assert step["evidenceHashes"] == ["0x" + h.hex() for h in args["evidenceHashes"]]
                assert step["actor"] == args["submitter"]
            else:
                assert step["evidenceHashes"] == []
        assert body["provenance"] == body["history"][0]["provenance"]
        assert body["lastChange"] == body["history"][-1]["provenance"]


def test_a_relayed_submission_names_its_signer(api: TestClient, indexed: IndexedRegistry, w3: Web3) -> None:
    signed = []
    for milestone in all_items(api, "/api/v1/milestones"):
        path = f"/api/v1/projects/{milestone['projectId']}/milestones/{milestone['milestoneIndex']}"
        signed += [s for s in api.get(path).json()["history"] if s["provenance"]["signer"] is not None]
    assert signed, "DevLoad relays a share of the submissions"
    for step in signed:
        assert step["provenance"]["signer"] == step["actor"]
        event_at(w3, indexed.manifest, step["provenance"])  # checks the forwarder and the signer


def test_milestone_filters_return_exactly_the_matching_ones(api: TestClient) -> None:
    everything = all_items(api, "/api/v1/milestones")
    projects = {p["projectId"]: p for p in all_items(api, "/api/v1/projects")}
    assert all_items(api, "/api/v1/milestones", project=2) == [m for m in everything if m["projectId"] == 2]
    assert all_items(api, "/api/v1/milestones", program=1) == [
        m for m in everything if projects[m["projectId"]]["programId"] == 1
    ]
    company = projects[1]["companyId"]
    assert all_items(api, "/api/v1/milestones", company=company) == [
        m for m in everything if projects[m["projectId"]]["companyId"] == company
    ]
    assert all_items(api, "/api/v1/milestones", status="approved") == [
        m for m in everything if m["status"] == "approved"
    ]
    due = sorted(m["dueDate"][:10] for m in everything)[len(everything) // 2]
    assert all_items(api, "/api/v1/milestones", to=due) == [m for m in everything if m["dueDate"][:10] <= due]


def test_sorting_by_due_date_pages_in_due_date_order(api: TestClient) -> None:
    items = all_items(api, "/api/v1/milestones", sort="dueDate", limit=7)
    keys = [(m["dueDate"], m["projectId"], m["milestoneIndex"]) for m in items]
    assert keys == sorted(keys)
    assert len(items) == len(all_items(api, "/api/v1/milestones"))


def test_an_unknown_milestone_is_a_404_and_a_negative_index_a_422(api: TestClient) -> None:
    error = error_of(api.get("/api/v1/projects/1/milestones/99"), 404)
    assert error["message"] == "project 1 has no milestone 99"
    assert error_of(api.get("/api/v1/projects/1/milestones/-1"), 422)["parameter"] == "milestoneIndex"
