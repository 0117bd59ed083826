"""Who belongs on the allowlists: the registry's members as its events on the chain say, after real
grants, bindings and revocations, read in ranges a node accepts; and the wanted list they give."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from web3 import Web3

from registry.chain.anvil import AnvilProcess
from registry.chain.deployment import GRANT_REGISTRY, DeploymentManifest
from registry.consortium.allowlist import (
    OPERATOR_LABEL,
    InvalidAccount,
    Member,
    Membership,
    MembershipEvent,
    NoMembers,
    fold_membership,
    parse_account,
    read_membership,
    wanted_allowlist,
)
from registry.domain.roles import Role
from registry.errors import CodeMismatch, NetworkMismatch
from registry.indexer.rpc import JsonRpc
from tests.helpers.flaky_proxy import FlakyProxy
from tests.helpers.registry import COMPANY_B, RegistryHarness

NEW_CLERK = Web3.to_checksum_address("0x" + "c1" * 20)


@pytest.fixture
def rpc(anvil: AnvilProcess) -> Iterator[JsonRpc]:
    client = JsonRpc(anvil.rpc_url, timeout=5.0)
    yield client
    client.close()


def change_membership(registry: RegistryHarness) -> None:
    """A grant, a binding, a revocation and an unbinding, by the admin."""
    a, grants = registry.actors, registry.grants.functions
    registry.send(a.admin, grants.grantRole(registry.role("AUDITOR_ROLE"), a.outsider))
    registry.send(a.admin, grants.bindCompanyAccount(NEW_CLERK, COMPANY_B, ""))
    registry.send(a.admin, grants.revokeRole(registry.role("MEMBER_ROLE"), a.member))
    registry.send(a.admin, grants.unbindCompanyAccount(a.company_a2))


def test_members_after_a_grant_a_binding_a_revocation_and_an_unbinding_are_the_current_role_holders_and_companies(
    registry: RegistryHarness, manifest: DeploymentManifest, rpc: JsonRpc
) -> None:
    change_membership(registry)
    head = registry.w3.eth.block_number

    membership = read_membership(rpc, manifest)

    a = registry.actors
    assert membership.chain_id == manifest.chain_id
    assert membership.block == head
    # Sorted by address; the revoked member, the unbound clerk and the outcome registry (module role) are out.
    assert sorted(membership.members, key=lambda m: m.account.lower()) == list(membership.members)
    assert {(m.account, m.roles) for m in membership.members} == {
        (a.admin, ("top admin", "admin")),
        (a.auditor, ("auditor",)),
        (a.auditor_b, ("auditor",)),
        (a.company_a, ("company",)),
        (a.company_b, ("company",)),
        (a.outsider, ("auditor",)),
        (NEW_CLERK, ("company",)),
    }
    assert {m.account: m.since_block for m in membership.members}[NEW_CLERK] == head - 2


def test_members_confirmations_deep_leave_out_the_changes_of_the_newest_blocks(
    registry: RegistryHarness, manifest: DeploymentManifest, rpc: JsonRpc
) -> None:
    before = {m.account for m in read_membership(rpc, manifest).members}
    change_membership(registry)  # four transactions, four blocks

    membership = read_membership(rpc, manifest, confirmations=4)

    assert membership.block == registry.w3.eth.block_number - 4
    assert {m.account for m in membership.members} == before


def test_a_node_that_refuses_long_log_ranges_is_read_in_shorter_ones_with_the_same_members(
    registry: RegistryHarness, manifest: DeploymentManifest, anvil: AnvilProcess, rpc: JsonRpc
) -> None:
    change_membership(registry)
    expected = read_membership(rpc, manifest)

    with FlakyProxy(anvil.rpc_url, faults={}, max_range=3) as proxy:
        through_proxy = JsonRpc(proxy.url, timeout=5.0)
        try:
            membership = read_membership(through_proxy, manifest)
        finally:
            through_proxy.close()

    assert membership == expected
    assert proxy.counts["too-wide"] > 0


def test_a_registry_of_another_chain_is_refused_before_anything_is_read(
    manifest: DeploymentManifest, rpc: JsonRpc
) -> None:
    elsewhere = manifest.model_copy(update={"chain_id": 4242})

    with pytest.raises(NetworkMismatch) as refused:
        read_membership(rpc, elsewhere)

    assert (refused.value.expected, refused.value.actual) == (4242, manifest.chain_id)


def test_a_manifest_whose_grant_registry_is_not_on_the_chain_is_refused(
    manifest: DeploymentManifest, rpc: JsonRpc
) -> None:
    contracts = dict(manifest.contracts)
    contracts[GRANT_REGISTRY] = contracts[GRANT_REGISTRY].model_copy(update={"address": "0x" + "42" * 20})
    stale = manifest.model_copy(update={"contracts": contracts})

    with pytest.raises(CodeMismatch) as refused:
        read_membership(rpc, stale)

    assert refused.value.contract == GRANT_REGISTRY


# folding -----------------------------------------------------------------------------------------

ALICE = "0x" + "aa" * 20
BOB = Web3.to_checksum_address("0x" + "bb" * 20)


def event(name: str, block: int, account: str, role: Role | None = None) -> MembershipEvent:
    args: dict[str, object] = {"account": account}
    if role is not None:
        args["role"] = role.id
    return MembershipEvent(name=name, args=args, block_number=block, log_index=0)


def test_folding_keeps_what_is_held_now_since_the_earliest_holding_and_ignores_the_module_role() -> None:
    members = fold_membership(
        [
            event("RoleGranted", 1, BOB, Role.MEMBER),
            event("RoleGranted", 2, BOB, Role.AUDITOR),
            event("RoleRevoked", 3, BOB, Role.MEMBER),
            event("RoleGranted", 4, ALICE, Role.MODULE),
            event("CompanyAccountBound", 5, ALICE),
            event("CompanyAccountUnbound", 6, ALICE),
            event("CompanyAccountBound", 7, ALICE),
            event("RoleGranted", 8, BOB, Role.MEMBER),
        ]
    )

    assert members == [
        Member(account=ALICE, roles=("company",), since_block=7),
        Member(account=BOB, roles=("auditor", "member"), since_block=2),
    ]


def test_an_account_whose_every_holding_was_taken_is_no_member() -> None:
    assert fold_membership([event("RoleGranted", 1, BOB, Role.ADMIN), event("RoleRevoked", 2, BOB, Role.ADMIN)]) == []


# the wanted list ---------------------------------------------------------------------------------


def test_the_wanted_list_holds_members_and_operators_once_each_whatever_their_case() -> None:
    membership = Membership(chain_id=1, block=9, members=(Member(BOB, ("admin",), 1),))

    wanted = wanted_allowlist(membership, [ALICE.upper().replace("0X", "0x"), BOB.lower(), ALICE])

    assert wanted.operators == (Web3.to_checksum_address(ALICE), BOB)
    assert wanted.accounts == {ALICE: Web3.to_checksum_address(ALICE), BOB.lower(): BOB}
    assert wanted.protected == frozenset({ALICE, BOB.lower()})
    assert wanted.reasons(BOB.upper().replace("0X", "0x")) == ["admin", OPERATOR_LABEL]


def test_a_registry_without_members_gives_no_allowlist() -> None:
    with pytest.raises(NoMembers, match="no members up to block 12"):
        wanted_allowlist(Membership(chain_id=1, block=12, members=()), [BOB])


@pytest.mark.parametrize("typed", ["0x1234", "90F79bf6EB2c4f870365E785982E1f101E93b906", "0x" + "g" * 40, ""])
def test_text_that_is_not_an_address_is_refused_naming_it(typed: str) -> None:
    with pytest.raises(InvalidAccount) as refused:
        parse_account(typed, what="an always-allowed account")

    assert str(refused.value) == (
        f"{typed!r} (an always-allowed account) is not an account address: an address is 0x followed by 40 "
        "hexadecimal digits"
    )


def test_an_address_in_any_case_is_checksummed() -> None:
    assert parse_account(f"  {BOB.lower()} ", what="x") == BOB
