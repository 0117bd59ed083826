"""`/api/v1/members...`: role holders as the chain's `hasRole` answers, company accounts as its
`companyOf`, restrictions as its `restrictionOf`, and the membership and top-admin history, each
entry pointing at its event."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eth_utils.crypto import keccak
from fastapi.testclient import TestClient
from web3 import Web3

from registry.chain.client import RegistryClient
from registry.chain.devkeys import dev_account
from registry.domain.enums import Grade
from registry.domain.records import AuditResult
from registry.domain.roles import Role
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, error_of, event_at, iso
from tests.helpers.registry import second_auditor_key


def test_role_holders_are_exactly_whom_the_chain_says_hold_roles(
    api: TestClient, indexed: IndexedRegistry, w3: Web3
) -> None:
    client = indexed.client
    holders = all_items(api, "/api/v1/members")
    assert {h["role"] for h in holders} >= {"top-admin", "admin", "auditor", "member", "module"}
    for holder in holders:
        role = Role.from_id(bytes.fromhex(holder["roleId"][2:]))
        assert role is not None and holder["role"] == role.name.lower().replace("_", "-")
        assert client.has_role(role, holder["account"]) == holder["active"]
        name, args = event_at(w3, indexed.manifest, holder["lastChange"])
        assert name == ("RoleGranted" if holder["active"] else "RoleRevoked")
        assert args["account"] == holder["account"]
    assert all_items(api, "/api/v1/members", role="auditor", active="true") == [
        h for h in holders if h["role"] == "auditor" and h["active"]
    ]
    revoked = all_items(api, "/api/v1/members", active="false")
    assert revoked and all(not h["active"] for h in revoked)


def test_an_account_filter_takes_any_spelling_of_the_address(api: TestClient, indexed: IndexedRegistry) -> None:
    admin = indexed.manifest.admin
    found = all_items(api, "/api/v1/members", account=admin.lower())
    assert found and {h["account"] for h in found} == {admin}
    error = error_of(api.get("/api/v1/members", params={"account": "0x12"}), 422)
    assert (error["parameter"], error["message"]) == ("account", "account: '0x12' is not an account address "
                                                                 "(0x and 40 hex digits)")  # fmt: skip


def test_company_accounts_are_the_chains_bindings(api: TestClient, indexed: IndexedRegistry) -> None:
    accounts = all_items(api, "/api/v1/members/companies")
    assert accounts and any(not a["active"] for a in accounts)
    for account in accounts:
        bound = indexed.client.company_of(account["account"])
        assert ("0x" + bound.hex() if bound else None) == (account["companyId"] if account["active"] else None)
        assert account["companyName"] == indexed.client.company_name(bytes.fromhex(account["companyId"][2:]))
    company = accounts[0]["companyId"]
    assert all_items(api, "/api/v1/members/companies", company=company) == [
        a for a in accounts if a["companyId"] == company
    ]
    one = accounts[0]["account"]
    assert all_items(api, "/api/v1/members/companies", account=one.lower()) == [accounts[0]]


@pytest.fixture(scope="module")
def restricted(indexed: IndexedRegistry, w3: Web3) -> Iterator[int]:
    """An evaluation restricting a company, indexed; reverted and rolled back out of the database after
    the module. Yields the evaluation's id."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        auditor = RegistryClient(w3, indexed.manifest, account=dev_account(1))
        until = int(w3.eth.get_block("latest")["timestamp"]) + 400 * 24 * 3600
        result = AuditResult(grade=Grade.VERY_POOR, findings_hash=keccak(text="members:findings"),
                             restricted_until=until)  # fmt: skip
        audit = auditor.execute(auditor.ops.record_audit(2, result)).record
        second = RegistryClient(w3, indexed.manifest, account=second_auditor_key())
        second.execute(second.ops.confirm_sanction(audit.audit_id))  # in effect once a second auditor confirms
        indexed.index()
        yield audit.audit_id
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
        indexed.index()  # the database follows the chain back


def test_a_restriction_shows_until_when_and_which_evaluation_set_it(
    api: TestClient, indexed: IndexedRegistry, w3: Web3, restricted: int
) -> None:
    [restriction] = all_items(api, "/api/v1/members/restrictions")
    assert restriction["auditId"] == restricted
    until = indexed.client.read(indexed.client.grants.functions.restrictionOf(restriction["companyId"]))
    assert restriction["restrictedUntil"] == iso(until)
    evaluation = api.get(f"/api/v1/evaluations/{restriction['auditId']}").json()
    assert evaluation["restrictedUntil"] == restriction["restrictedUntil"]
    assert event_at(w3, indexed.manifest, restriction["provenance"])[0] == "CompanyRestrictionSet"
    assert all_items(api, "/api/v1/members/restrictions", inForce="true") == [restriction]


def test_the_membership_history_lists_every_membership_event_in_chain_order(
    api: TestClient, indexed: IndexedRegistry, w3: Web3, restricted: int
) -> None:
    history = all_items(api, "/api/v1/members/history", limit=3)
    kinds = {
        "role-granted": "RoleGranted",
        "role-revoked": "RoleRevoked",
        "company-bound": "CompanyAccountBound",
        "company-unbound": "CompanyAccountUnbound",
        "company-named": "CompanyNamed",
        "company-restricted": "CompanyRestrictionSet",
    }
    assert {h["action"] for h in history} == set(kinds)
    for entry in history:
        assert event_at(w3, indexed.manifest, entry["provenance"])[0] == kinds[entry["action"]]
        if entry["companyId"] is not None:
            assert entry["companyName"] == indexed.client.company_name(bytes.fromhex(entry["companyId"][2:]))
    keys = [(h["provenance"]["blockNumber"], h["provenance"]["logIndex"]) for h in history]
    assert keys == sorted(keys)
    assert all_items(api, "/api/v1/members/history", action="role-revoked") == [
        h for h in history if h["action"] == "role-revoked"
    ]


def test_top_admin_transfers_are_listed_with_their_schedule(
    api: TestClient, indexed: IndexedRegistry, w3: Web3
) -> None:
    transfers = all_items(api, "/api/v1/members/admin-transfers")
    assert [t["action"] for t in transfers] == [
        "transfer-scheduled", "transfer-canceled", "delay-change-scheduled", "delay-change-canceled",
    ]  # fmt: skip
    name, args = event_at(w3, indexed.manifest, transfers[0]["provenance"])
    assert (name, args["newAdmin"], iso(args["acceptSchedule"])) == (
        "DefaultAdminTransferScheduled", transfers[0]["newAdmin"], transfers[0]["schedule"],
    )  # fmt: skip
