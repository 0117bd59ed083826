"""`/api/v1/outcomes` and `/api/v1/ip-status-changes`: each outcome as the chain holds it, with the
amendment that recorded it as a correction, its revocation and its IP status changes, each pointing
at its event; filters by type, IP status, revocation, project, company; bad values refused."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from web3 import Web3

from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, error_of, event_at, iso


def _outcomes(api: TestClient, **params: Any) -> list[dict[str, Any]]:
    return all_items(api, "/api/v1/outcomes", **params)


def test_every_outcome_reads_as_the_chain_holds_it(api: TestClient, indexed: IndexedRegistry) -> None:
    listed = _outcomes(api, versions="all")
    assert [o["outcomeId"] for o in listed] == list(range(1, indexed.client.counts()["outcomes"] + 1))
    for item in listed:
        chain = indexed.client.outcome(item["outcomeId"])
        assert {k: item[k] for k in ("projectId", "outcomeType", "ipStatus", "revoked", "amends", "amendedBy",
                                     "recordedAt", "evidenceHash", "externalId")} == {
            "projectId": chain.project_id,
            "outcomeType": chain.outcome_type.name.lower().replace("_", "-"),
            "ipStatus": chain.ip_status.name.lower(),
            "revoked": chain.revoked,
            "amends": chain.amends or None,
            "amendedBy": chain.amended_by or None,
            "recordedAt": iso(int(chain.recorded_at.timestamp())),
            "evidenceHash": "0x" + chain.evidence_hash.hex(),
            "externalId": chain.external_id,
        }  # fmt: skip


def test_a_correction_shows_the_amendment_that_recorded_it_and_its_original_points_to_it(
    api: TestClient, indexed: IndexedRegistry, w3: Web3
) -> None:
    corrections = [o for o in _outcomes(api) if o["amends"] is not None]
    assert corrections
    for correction in corrections:
        body = api.get(f"/api/v1/outcomes/{correction['outcomeId']}").json()
        amendment = body["amendment"]
        assert amendment["originalId"] == correction["amends"]
        name, args = event_at(w3, indexed.manifest, amendment["provenance"])
        assert (name, args["outcomeId"], args["originalId"]) == ("OutcomeAmended", correction["outcomeId"],
                                                                 correction["amends"])  # fmt: skip
        assert amendment["reasonHash"] == "0x" + args["reasonHash"].hex()
        assert body["provenance"] == amendment["provenance"]
        original = api.get(f"/api/v1/outcomes/{correction['amends']}").json()
        assert original["amendedBy"] == correction["outcomeId"]
        assert original["amendment"] is None
        assert original["lastChange"] == amendment["provenance"]


def test_a_revoked_outcome_keeps_its_record_with_the_revocation(
    api: TestClient, indexed: IndexedRegistry, w3: Web3
) -> None:
    revoked = _outcomes(api, revoked="true")
    assert revoked
    assert revoked == [o for o in _outcomes(api) if o["revoked"]]
    assert _outcomes(api, revoked="false") == [o for o in _outcomes(api) if not o["revoked"]]
    for outcome in revoked:
        revocation = api.get(f"/api/v1/outcomes/{outcome['outcomeId']}").json()["revocation"]
        name, args = event_at(w3, indexed.manifest, revocation["provenance"])
        assert (name, args["outcomeId"], args["actor"]) == ("OutcomeRevocation", outcome["outcomeId"],
                                                            revocation["actor"])  # fmt: skip
    standing = next(o for o in _outcomes(api) if not o["revoked"])
    assert api.get(f"/api/v1/outcomes/{standing['outcomeId']}").json()["revocation"] is None


def test_ip_status_changes_are_listed_per_outcome_and_across_outcomes(
    api: TestClient, indexed: IndexedRegistry, w3: Web3
) -> None:
    changes = all_items(api, "/api/v1/ip-status-changes")
    assert changes
    for change in changes:
        name, args = event_at(w3, indexed.manifest, change["provenance"])
        assert name == "IpStatusChanged"
        assert (args["outcomeId"], args["actor"]) == (change["outcomeId"], change["actor"])
        detail = api.get(f"/api/v1/outcomes/{change['outcomeId']}").json()
        assert change in detail["ipStatusChanges"]
        assert detail["ipStatus"] == detail["ipStatusChanges"][-1]["to"]
    keys = [(c["provenance"]["blockNumber"], c["provenance"]["logIndex"]) for c in changes]
    assert keys == sorted(keys)
    assert all_items(api, "/api/v1/ip-status-changes", sort="-time", limit=1) == changes[::-1]
    target = changes[0]["to"]
    assert all_items(api, "/api/v1/ip-status-changes", status=target) == [c for c in changes if c["to"] == target]
    first = changes[0]["outcomeId"]
    assert all_items(api, "/api/v1/ip-status-changes", outcome=first) == [c for c in changes if c["outcomeId"] == first]


def test_type_ip_status_project_and_company_filters_return_exactly_the_matching_outcomes(api: TestClient) -> None:
    everything = _outcomes(api)
    kind = everything[0]["outcomeType"]
    assert _outcomes(api, type=kind) == [o for o in everything if o["outcomeType"] == kind]
    assert _outcomes(api, ipStatus="none") == [o for o in everything if o["ipStatus"] == "none"]
    assert _outcomes(api, project=2) == [o for o in everything if o["projectId"] == 2]
    projects = {p["projectId"]: p for p in all_items(api, "/api/v1/projects")}
    company = projects[everything[0]["projectId"]]["companyId"]
    assert _outcomes(api, company=company) == [
        o for o in everything if projects[o["projectId"]]["companyId"] == company
    ]
    assert _outcomes(api, program=2, type=kind) == [
        o for o in everything if projects[o["projectId"]]["programId"] == 2 and o["outcomeType"] == kind
    ]


def test_an_unknown_type_is_a_422_naming_type_and_listing_the_types(api: TestClient) -> None:
    error = error_of(api.get("/api/v1/outcomes", params={"type": "novel"}), 422)
    assert error["parameter"] == "type"
    assert error["message"].startswith("type: 'novel' is not one of none, paper, patent-application, ")


def test_an_unknown_outcome_is_a_404(api: TestClient, indexed: IndexedRegistry) -> None:
    missing = indexed.client.counts()["outcomes"] + 1
    assert error_of(api.get(f"/api/v1/outcomes/{missing}"), 404)["message"] == f"no outcome {missing}"
