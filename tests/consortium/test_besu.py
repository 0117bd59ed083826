"""The Besu permissioning client against a stand-in that answers as Besu does: the list, changes of
all accounts or none, and each refusal told apart and explained."""

from __future__ import annotations

import pytest

from registry.chain.anvil import AnvilProcess, free_port
from registry.consortium.besu import BesuPermissioning, NodeUnreachable, PermissioningRefused
from tests.helpers.besu_standin import StartNode

ALICE = "0x" + "aa" * 20
BOB = "0x" + "bb" * 20
CAROL_CHECKSUMMED = "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"


def test_the_allowlist_is_listed_as_the_node_lists_it(besu_node: StartNode) -> None:
    node = besu_node(accounts=[ALICE, BOB])

    with BesuPermissioning(node.url) as client:
        assert client.accounts_allowlist() == [ALICE, BOB]
        assert client.chain_id() == node.chain_id

    assert node.calls == [("perm_getAccountsAllowlist", [])]


def test_added_and_removed_accounts_are_sent_in_one_request_each(besu_node: StartNode) -> None:
    node = besu_node(accounts=[ALICE])

    with BesuPermissioning(node.url) as client:
        client.add_accounts([BOB, CAROL_CHECKSUMMED])
        client.remove_accounts([ALICE])

    assert node.calls == [
        ("perm_addAccountsToAllowlist", [[BOB, CAROL_CHECKSUMMED]]),
        ("perm_removeAccountsFromAllowlist", [[ALICE]]),
    ]
    assert node.allowlist == [BOB, CAROL_CHECKSUMMED.lower()]


@pytest.mark.parametrize(
    ("change", "accounts", "problem", "message"),
    [
        ("add", [BOB, ALICE], "existing-entry", "Cannot add an existing account to allowlist"),
        ("remove", [ALICE, BOB], "absent-entry", "Cannot remove an absent account from allowlist"),
        ("add", ["0x1234"], "invalid-entry", "Request contains an invalid account"),
        ("add", [BOB, BOB.upper().replace("0X", "0x")], "duplicate-entry", "Request contains duplicate accounts"),
        ("remove", [], "empty-entry", "Request contains an empty list of accounts"),
    ],
    ids=["existing", "absent", "invalid", "duplicate", "empty"],
)
def test_a_refused_change_names_the_problem_and_changes_nothing(
    besu_node: StartNode, change: str, accounts: list[str], problem: str, message: str
) -> None:
    node = besu_node(accounts=[ALICE])

    with BesuPermissioning(node.url) as client, pytest.raises(PermissioningRefused) as refused:
        getattr(client, f"{change}_accounts")(accounts)

    assert (refused.value.problem, refused.value.node_message, refused.value.code) == (problem, message, -32000)
    assert node.allowlist == [ALICE]


def test_a_node_without_account_permissioning_is_told_how_to_enable_it(besu_node: StartNode) -> None:
    node = besu_node(account_permissioning=False)

    with BesuPermissioning(node.url) as client, pytest.raises(PermissioningRefused) as refused:
        client.accounts_allowlist()

    assert refused.value.problem == "permissioning-disabled"
    assert str(refused.value) == (
        f"{node.url}: account permissioning is off on this node: start Besu with "
        "--permissions-accounts-config-file-enabled (see consortium/besu/README.md) "
        "[perm_getAccountsAllowlist refused: Account allowlist has not been enabled (code -32000)]"
    )


def test_a_node_without_the_perm_api_is_told_to_enable_it(besu_node: StartNode) -> None:
    node = besu_node(perm_api=False)

    with BesuPermissioning(node.url) as client, pytest.raises(PermissioningRefused) as refused:
        client.accounts_allowlist()

    assert refused.value.problem == "api-disabled"
    assert "add PERM to its --rpc-http-api" in str(refused.value)
    assert refused.value.code == -32604


def test_a_node_that_is_not_besu_is_said_to_lack_the_perm_methods(anvil: AnvilProcess) -> None:
    with BesuPermissioning(anvil.rpc_url) as client, pytest.raises(PermissioningRefused) as refused:
        client.accounts_allowlist()

    assert (refused.value.problem, refused.value.code) == ("not-besu", -32601)
    assert "is it a Besu node?" in str(refused.value)


def test_a_node_nobody_answers_at_is_unreachable() -> None:
    url = f"http://127.0.0.1:{free_port()}"

    with BesuPermissioning(url, timeout=2.0) as client, pytest.raises(NodeUnreachable) as failed:
        client.accounts_allowlist()

    assert str(failed.value) == f"{url} did not answer (connection failed or dropped)"
