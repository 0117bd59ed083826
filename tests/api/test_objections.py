"""Two-person sanctions and objections in the API: each evaluation says where its sanction stands as the
chain does (`sanctionOf`, `sanctionHoldOf`, `sanctionQuorum`), `pending` until a second auditor confirms;
`/api/v1/objections` lists every objection as `getObjection` returns it, and each milestone, report and
evaluation answer lists the objections to it, an open one flagged."""

from __future__ import annotations

from fastapi.testclient import TestClient

from registry.domain.enums import ObjectionStatus, ObjectionSubject, SanctionStatus
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, error_of, event_at


def _name(member: ObjectionStatus | ObjectionSubject | SanctionStatus) -> str:
    return member.name.lower().replace("_", "-")


def test_every_evaluation_shows_its_sanction_as_the_chain_holds_it(api: TestClient, indexed: IndexedRegistry) -> None:
    client = indexed.client
    quorum = client.sanction_quorum()
    evaluations = all_items(api, "/api/v1/evaluations")
    assert {e["sanction"]["status"] for e in evaluations} >= {"none", "pending", "in-effect"}
    for evaluation in evaluations:
        chain = client.sanction(evaluation["auditId"])
        assert evaluation["sanction"] == {
            "status": _name(chain.status), "confirmations": chain.confirmations, "quorum": quorum,
            "heldByObjection": chain.held_by_objection or None,
            "cancelledByObjection": evaluation["sanction"]["cancelledByObjection"],
        }  # fmt: skip
    pending = all_items(api, "/api/v1/evaluations", sanction="pending")
    assert pending == [e for e in evaluations if e["sanction"]["status"] == "pending"]
    assert error_of(api.get("/api/v1/evaluations", params={"sanction": "maybe"}), 422)


def test_an_evaluation_lists_the_confirmations_of_its_sanction_and_the_objections_to_it(
    api: TestClient, indexed: IndexedRegistry
) -> None:
    w3, manifest = indexed.client.w3, indexed.manifest
    confirmed = next(e for e in all_items(api, "/api/v1/evaluations") if e["sanction"]["status"] == "in-effect")
    body = api.get(f"/api/v1/evaluations/{confirmed['auditId']}").json()
    [confirmation] = body["confirmations"]
    name, args = event_at(w3, manifest, confirmation["provenance"])
    assert name == "SanctionConfirmed" and args["auditId"] == confirmed["auditId"]
    assert (confirmation["auditor"], confirmation["confirmations"], confirmation["inEffect"]) == (
        args["auditor"], 2, True
    )  # fmt: skip
    assert confirmation["auditor"] != body["auditor"], "no one confirms their own"

    held = next(e for e in all_items(api, "/api/v1/evaluations") if e["sanction"]["heldByObjection"])
    body = api.get(f"/api/v1/evaluations/{held['auditId']}").json()
    assert body["sanction"]["status"] == "pending" and body["confirmations"] == []
    [objection] = body["objections"]
    assert objection["objectionId"] == held["sanction"]["heldByObjection"]
    assert (objection["open"], objection["status"], objection["subject"]) == (True, "open", "evaluation")
    assert objection["decidedBy"] == body["auditor"]


def test_the_objections_list_is_the_chains_objections(api: TestClient, indexed: IndexedRegistry) -> None:
    client = indexed.client
    found = all_items(api, "/api/v1/objections", limit=1)
    assert [o["objectionId"] for o in found] == list(range(1, client.counts()["objections"] + 1))
    assert {o["status"] for o in found} >= {"open", "upheld"}
    for objection in found:
        chain = client.objection(objection["objectionId"])
        assert (objection["projectId"], objection["subject"], objection["subjectId"], objection["status"]) == (
            chain.project_id, _name(chain.subject), chain.subject_id, _name(chain.status)
        )  # fmt: skip
        assert (objection["filedBy"], objection["decidedBy"], objection["resolvedBy"]) == (
            chain.filed_by, chain.decided_by, chain.resolved_by
        )  # fmt: skip
        assert objection["open"] is (chain.status is ObjectionStatus.OPEN)
        decision = client.decision(chain.subject, chain.subject_id, chain.milestone_index)
        assert objection["decidedAt"] == decision.decided_at.isoformat().replace("+00:00", "Z")
        assert objection["companyName"] == client.company_name(client.project(chain.project_id).company_id)
        name, args = event_at(client.w3, indexed.manifest, objection["provenance"])
        assert name == "ObjectionFiled" and "0x" + args["evidenceHash"].hex() == objection["evidenceHash"]
        assert api.get(f"/api/v1/objections/{objection['objectionId']}").json() == objection
    assert all_items(api, "/api/v1/objections", status="open") == [o for o in found if o["open"]]
    assert all_items(api, "/api/v1/objections", subject="milestone-rejection") == [
        o for o in found if o["subject"] == "milestone-rejection"
    ]
    assert api.get("/api/v1/objections/99999").status_code == 404


def test_a_milestone_lists_the_objections_to_its_rejections(api: TestClient, indexed: IndexedRegistry) -> None:
    contested = all_items(api, "/api/v1/objections", subject="milestone-rejection")
    upheld = next(o for o in contested if o["status"] == "upheld")
    body = api.get(upheld["subjectPath"]).json()
    assert body["objections"] == [o for o in contested if o["subjectPath"] == upheld["subjectPath"]]
    assert (upheld["status"], upheld["milestoneIndex"]) == ("upheld", body["milestoneIndex"])
    name, args = event_at(indexed.client.w3, indexed.manifest, upheld["lastChange"])
    assert (name, args["upheld"], args["auditor"]) == ("ObjectionResolved", True, upheld["resolvedBy"])
    assert upheld["resolvedBy"] != upheld["decidedBy"]
    contested_paths = {o["subjectPath"] for o in contested}
    quiet = next(
        m
        for m in all_items(api, "/api/v1/milestones")
        if f"/api/v1/projects/{m['projectId']}/milestones/{m['milestoneIndex']}" not in contested_paths
    )
    assert api.get(f"/api/v1/projects/{quiet['projectId']}/milestones/{quiet['milestoneIndex']}").json()[
        "objections"] == []  # fmt: skip


def test_a_disputed_report_lists_the_objections_to_its_dispute(api: TestClient) -> None:
    contested = all_items(api, "/api/v1/objections", subject="report-dispute")
    assert contested, "the demo load objects to a dispute"
    for objection in contested:
        body = api.get(objection["subjectPath"]).json()
        assert objection in body["objections"] and body["status"] in ("disputed", "reported", "verified")
