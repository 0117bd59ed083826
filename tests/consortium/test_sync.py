"""Bringing one node in line: the plan (letter case ignored, protected accounts never removed), the
order of the changes, a list another operator changed at the same moment, and a node of another chain."""

from __future__ import annotations

from typing import Any

from web3 import Web3

from registry.consortium.allowlist import Member, Membership, WantedAllowlist, wanted_allowlist
from registry.consortium.besu import BesuPermissioning
from registry.consortium.sync import AllowlistPlan, NodeStatus, plan_allowlist, sync_node
from tests.helpers.besu_standin import StartNode

CHAIN_ID = 31337
ADMIN = Web3.to_checksum_address("0x" + "ad" * 20)
CLERK = Web3.to_checksum_address("0x" + "c1" * 20)
RELAYER = Web3.to_checksum_address("0x" + "7e" * 20)
GONE = Web3.to_checksum_address("0x" + "60" * 20)
STRANGER = Web3.to_checksum_address("0x" + "5e" * 20)


def wanted(*members: str, operators: tuple[str, ...] = (RELAYER,), chain_id: int = CHAIN_ID) -> WantedAllowlist:
    membership = Membership(chain_id=chain_id, block=10, members=tuple(Member(m, ("admin",), 1) for m in members))
    return wanted_allowlist(membership, operators)


# the plan ---------------------------------------------------------------------------------------


def test_the_plan_compares_addresses_whatever_their_letter_case() -> None:
    plan = plan_allowlist([ADMIN.lower(), RELAYER.upper().replace("0X", "0x"), GONE.lower()], wanted(ADMIN, CLERK))

    assert plan == AllowlistPlan(
        to_add=(CLERK,),
        to_remove=(GONE.lower(),),
        unchanged=(RELAYER.upper().replace("0X", "0x"), ADMIN.lower()),
    )


def test_the_plan_never_removes_a_protected_account_and_removes_a_doubly_listed_one_once() -> None:
    plan = plan_allowlist([RELAYER, GONE.lower(), GONE], wanted(ADMIN))

    assert plan.to_remove == (GONE.lower(),)
    assert RELAYER in plan.unchanged


def test_a_node_in_line_needs_no_change() -> None:
    plan = plan_allowlist([ADMIN.lower(), RELAYER.lower()], wanted(ADMIN))

    assert not plan.changes
    assert plan.unchanged == (RELAYER.lower(), ADMIN.lower())


# one node ---------------------------------------------------------------------------------------


def test_a_sync_adds_first_then_removes_then_reads_the_list_it_reports(besu_node: StartNode) -> None:
    node = besu_node(chain_id=CHAIN_ID, accounts=[ADMIN, GONE])

    with BesuPermissioning(node.url) as client:
        report = sync_node(client, wanted(ADMIN, CLERK))

    assert node.calls == [
        ("perm_getAccountsAllowlist", []),
        ("perm_addAccountsToAllowlist", [[RELAYER, CLERK]]),
        ("perm_removeAccountsFromAllowlist", [[GONE.lower()]]),
        ("perm_getAccountsAllowlist", []),
    ]
    assert report.status is NodeStatus.SYNCED
    assert (report.added, report.removed, report.unchanged) == ([RELAYER, CLERK], [GONE.lower()], [ADMIN.lower()])
    assert report.allowlist == node.allowlist == [ADMIN.lower(), RELAYER.lower(), CLERK.lower()]


def test_an_account_another_operator_added_meanwhile_makes_the_sync_read_again_and_add_the_rest(
    besu_node: StartNode,
) -> None:
    def add_clerk_first(method: str, _params: list[Any]) -> None:
        if method == "perm_addAccountsToAllowlist" and CLERK.lower() not in node.allowlist:
            node.add_directly(CLERK)

    node = besu_node(chain_id=CHAIN_ID, accounts=[ADMIN], before_call=add_clerk_first)

    with BesuPermissioning(node.url) as client:
        report = sync_node(client, wanted(ADMIN, CLERK))

    assert node.calls == [
        ("perm_getAccountsAllowlist", []),
        ("perm_addAccountsToAllowlist", [[RELAYER, CLERK]]),  # refused: the clerk is listed by now
        ("perm_getAccountsAllowlist", []),
        ("perm_addAccountsToAllowlist", [[RELAYER]]),
        ("perm_getAccountsAllowlist", []),
    ]
    assert (report.status, report.added, report.removed) == (NodeStatus.SYNCED, [RELAYER], [])
    assert sorted(node.allowlist) == sorted(a.lower() for a in (ADMIN, CLERK, RELAYER))


def test_a_list_that_keeps_changing_is_read_again_only_once_and_reported_failed(besu_node: StartNode) -> None:
    def add_what_is_asked(method: str, params: list[Any]) -> None:
        if method == "perm_addAccountsToAllowlist":
            node.add_directly(*params[0][:1])

    node = besu_node(chain_id=CHAIN_ID, accounts=[ADMIN], before_call=add_what_is_asked)

    with BesuPermissioning(node.url) as client:
        report = sync_node(client, wanted(ADMIN, CLERK))

    assert [method for method, _ in node.calls] == [
        "perm_getAccountsAllowlist",
        "perm_addAccountsToAllowlist",
        "perm_getAccountsAllowlist",
        "perm_addAccountsToAllowlist",
    ]
    assert (report.status, report.problem) == (NodeStatus.FAILED, "existing-entry")


def test_a_dry_run_only_reads_and_says_what_would_change(besu_node: StartNode) -> None:
    node = besu_node(chain_id=CHAIN_ID, accounts=[ADMIN, GONE])

    with BesuPermissioning(node.url) as client:
        report = sync_node(client, wanted(ADMIN, CLERK), dry_run=True)

    assert node.calls == [("perm_getAccountsAllowlist", [])]
    assert (report.status, report.added, report.removed) == (NodeStatus.PLANNED, [RELAYER, CLERK], [GONE.lower()])
    assert node.allowlist == [ADMIN.lower(), GONE.lower()]


def test_a_node_in_line_is_only_read(besu_node: StartNode) -> None:
    node = besu_node(chain_id=CHAIN_ID, accounts=[RELAYER, ADMIN])

    with BesuPermissioning(node.url) as client:
        report = sync_node(client, wanted(ADMIN))

    assert node.calls == [("perm_getAccountsAllowlist", [])]
    assert (report.status, report.added, report.removed) == (NodeStatus.IN_LINE, [], [])


def test_a_node_of_another_chain_is_left_alone(besu_node: StartNode) -> None:
    node = besu_node(chain_id=4242, accounts=[GONE])

    with BesuPermissioning(node.url) as client:
        report = sync_node(client, wanted(ADMIN))

    assert node.calls == []
    assert (report.status, report.problem) == (NodeStatus.FAILED, "other-chain")
    assert report.error == f"{node.url} serves chain 4242, but the registry is on chain {CHAIN_ID}; left alone"
    assert node.allowlist == [GONE.lower()]


def test_a_list_another_operator_brought_in_line_meanwhile_is_reported_in_line_with_nothing_added(
    besu_node: StartNode,
) -> None:
    def add_all_first(method: str, _params: list[Any]) -> None:
        if method == "perm_addAccountsToAllowlist" and CLERK.lower() not in node.allowlist:
            node.add_directly(CLERK, RELAYER)

    node = besu_node(chain_id=CHAIN_ID, accounts=[ADMIN], before_call=add_all_first)

    with BesuPermissioning(node.url) as client:
        report = sync_node(client, wanted(ADMIN, CLERK))

    assert [method for method, _ in node.calls] == [
        "perm_getAccountsAllowlist",
        "perm_addAccountsToAllowlist",
        "perm_getAccountsAllowlist",
    ]
    assert (report.status, report.added, report.removed) == (NodeStatus.IN_LINE, [], [])
