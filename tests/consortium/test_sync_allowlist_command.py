"""`rnd-registry consortium sync-allowlist` after real membership changes on anvil, against two stand-in
Besu nodes: the exact perm_ calls each receives and the lists they end with; a dry run; an
unreachable node; the always-allowed and syncing accounts; and refused input."""

from __future__ import annotations

import json

import pytest
from typer.testing import Result
from web3 import Web3

from registry.chain.anvil import free_port
from registry.settings import get_settings
from tests.cli.conftest import Cli
from tests.helpers.besu_standin import StartNode
from tests.helpers.registry import COMPANY_B, RegistryHarness

NEW_CLERK = Web3.to_checksum_address("0x" + "c1" * 20)
SYNCER = Web3.to_checksum_address("0x" + "5a" * 20)  # the account the sync runs for (--account)
STALE = Web3.to_checksum_address("0x" + "de" * 20)  # on a node's list, never a member

COMMAND = "rnd-registry consortium sync-allowlist"


def error_line(result: Result) -> str:
    """The one `error:` line a failed run ends with, below its report."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def lower(*accounts: str) -> list[str]:
    return sorted(a.lower() for a in accounts)


def change_membership(registry: RegistryHarness) -> None:
    """The admin makes an auditor, binds a new company clerk, and takes the member's role."""
    a, grants = registry.actors, registry.grants.functions
    registry.send(a.admin, grants.grantRole(registry.role("AUDITOR_ROLE"), a.outsider))
    registry.send(a.admin, grants.bindCompanyAccount(NEW_CLERK, COMPANY_B, ""))
    registry.send(a.admin, grants.revokeRole(registry.role("MEMBER_ROLE"), a.member))


@pytest.fixture
def members(registry: RegistryHarness) -> list[str]:
    """The registry's members after `change_membership`, sorted as the sync sends them."""
    change_membership(registry)
    a = registry.actors
    accounts = [a.admin, a.auditor, a.auditor_b, a.company_a, a.company_a2, a.company_b, a.outsider, NEW_CLERK]
    return sorted(accounts, key=str.lower)


def test_two_nodes_get_the_new_members_lose_the_revoked_and_keep_the_relayer_and_the_syncing_account(
    cli: Cli, registry: RegistryHarness, members: list[str], besu_node: StartNode
) -> None:
    a = registry.actors
    # Node A lists (lowercase, as Besu does) the admin and auditors, the member whose role was taken, an
    # account that was never a member, the relayer and the syncing account.
    node_a = besu_node(accounts=lower(a.admin, a.auditor, a.auditor_b, a.member, STALE, a.relayer, SYNCER))
    node_b = besu_node()  # a new node whose list is empty

    result = cli.ok(f"{COMMAND} --node {node_a.url} --node {node_b.url} --keep {a.relayer} --account {SYNCER}")

    added_to_a = sorted([a.company_a, a.company_a2, a.company_b, a.outsider, NEW_CLERK], key=str.lower)
    assert node_a.calls == [
        ("perm_getAccountsAllowlist", []),
        ("perm_addAccountsToAllowlist", [added_to_a]),
        ("perm_removeAccountsFromAllowlist", [lower(STALE, a.member)]),
        ("perm_getAccountsAllowlist", []),
    ]
    assert node_b.calls == [
        ("perm_getAccountsAllowlist", []),
        ("perm_addAccountsToAllowlist", [sorted([*members, a.relayer, SYNCER], key=str.lower)]),
        ("perm_getAccountsAllowlist", []),
    ]
    wanted = lower(*members, a.relayer, SYNCER)
    assert sorted(node_a.allowlist) == sorted(node_b.allowlist) == wanted
    assert f"{node_a.url}: added 5, removed 2, 5 unchanged" in result.stdout
    assert f"  + {NEW_CLERK}  (company)" in result.stdout
    assert f"  - {a.member.lower()}" in result.stdout
    assert f"{node_b.url}: added 10, removed 0, 0 unchanged" in result.stdout
    assert f"  + {SYNCER}  (always allowed)" in result.stdout


def test_a_second_run_finds_both_nodes_in_line_and_only_reads_them(
    cli: Cli, registry: RegistryHarness, members: list[str], besu_node: StartNode
) -> None:
    node_a, node_b = besu_node(), besu_node()
    command = f"{COMMAND} --node {node_a.url} --node {node_b.url} --keep {registry.actors.relayer}"
    cli.ok(command)
    node_a.calls.clear()
    node_b.calls.clear()

    result = cli.ok(command)

    assert node_a.calls == node_b.calls == [("perm_getAccountsAllowlist", [])]
    assert f"{node_a.url}: in line, 9 account(s) allowed; nothing to change" in result.stdout


def test_a_dry_run_reads_each_node_says_what_would_change_and_changes_nothing(
    cli: Cli, registry: RegistryHarness, members: list[str], besu_node: StartNode
) -> None:
    a = registry.actors
    node_a = besu_node(accounts=lower(a.admin, a.member))
    node_b = besu_node(accounts=lower(*members))

    result = cli.ok(f"{COMMAND} --node {node_a.url} --node {node_b.url} --dry-run")

    assert node_a.calls == node_b.calls == [("perm_getAccountsAllowlist", [])]
    assert node_a.allowlist == lower(a.admin, a.member)
    assert node_b.allowlist == lower(*members)
    assert f"{node_a.url}: would add 7, would remove 1, 1 unchanged (dry run: nothing was changed)" in result.stdout
    assert f"  - {a.member.lower()}" in result.stdout
    assert f"{node_b.url}: would add 0, would remove 0, 8 unchanged (dry run: nothing was changed)" in result.stdout


def test_an_unreachable_node_is_reported_and_fails_the_run_while_the_other_node_is_synced(
    cli: Cli, members: list[str], besu_node: StartNode
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    node = besu_node()

    result = cli.fails(f"{COMMAND} --node {dead} --node {node.url}")

    assert result.exit_code == 1
    assert sorted(node.allowlist) == lower(*members)
    assert f"{dead}: unreachable — did not answer (connection failed or dropped)\n" in result.stdout
    assert error_line(result) == f"error: 1 of 2 node(s) could not be brought in line: {dead} (unreachable)"


def test_a_node_without_account_permissioning_is_reported_with_what_to_do(
    cli: Cli, members: list[str], besu_node: StartNode
) -> None:
    off = besu_node(account_permissioning=False)

    result = cli.fails(f"{COMMAND} --node {off.url}")

    assert "start Besu with --permissions-accounts-config-file-enabled" in result.stdout
    assert (
        error_line(result) == f"error: 1 of 1 node(s) could not be brought in line: {off.url} (permissioning-disabled)"
    )


def test_always_allowed_accounts_from_the_settings_and_the_syncing_account_are_never_removed(
    cli: Cli,
    registry: RegistryHarness,
    members: list[str],
    besu_node: StartNode,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    validator = Web3.to_checksum_address("0x" + "7a" * 20)
    monkeypatch.setenv(
        "RND_CONSORTIUM_KEEP_ACCOUNTS", f"{validator.upper().replace('0X', '0x')}, {registry.actors.relayer}"
    )
    monkeypatch.setenv("RND_ACCOUNT", SYNCER.lower())  # the syncing account, as the other commands take it
    node = besu_node(accounts=[*members, validator, registry.actors.relayer, SYNCER, STALE])
    monkeypatch.setenv("RND_CONSORTIUM_NODES", node.url)

    cli.ok(COMMAND)

    assert node.calls == [
        ("perm_getAccountsAllowlist", []),
        ("perm_removeAccountsFromAllowlist", [[STALE.lower()]]),
        ("perm_getAccountsAllowlist", []),
    ]
    assert sorted(node.allowlist) == lower(*members, validator, registry.actors.relayer, SYNCER)


def test_json_output_lists_members_always_allowed_accounts_and_each_nodes_report(
    cli: Cli, registry: RegistryHarness, members: list[str], besu_node: StartNode
) -> None:
    node = besu_node(accounts=[STALE])

    result = cli.ok(f"{COMMAND} --node {node.url} --keep {registry.actors.relayer} --json")

    report = json.loads(result.stdout)
    assert report["chainId"] == 31337
    assert report["block"] == registry.w3.eth.block_number
    assert report["dryRun"] is False
    assert [m["account"] for m in report["members"]] == members
    assert report["alwaysAllowed"] == [registry.actors.relayer]
    assert report["nodes"] == [
        {
            "node": node.url,
            "status": "synced",
            "added": sorted([*members, registry.actors.relayer], key=str.lower),
            "removed": [STALE.lower()],
            "unchanged": 0,
            "allowlist": node.allowlist,
            "error": None,
            "problem": None,
        }
    ]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ("", "error: name the nodes to sync: --node URL (repeat for several), or set RND_CONSORTIUM_NODES"),
        (
            "--node 127.0.0.1:8545",
            "error: '127.0.0.1:8545' is not a node's JSON-RPC URL; give it as http://host:port, e.g. "
            "http://127.0.0.1:8545",
        ),
        (
            "--node http://127.0.0.1:8545 --keep 0x1234",
            "error: '0x1234' (an always-allowed account) is not an account address: an address is 0x followed by "
            "40 hexadecimal digits",
        ),
    ],
    ids=["no-node", "not-a-url", "not-an-address"],
)
def test_bad_input_is_refused_in_one_line_before_any_node_is_asked(
    cli: Cli, besu_node: StartNode, options: str, expected: str
) -> None:
    assert cli.refused(f"{COMMAND} {options}") == expected


def test_a_registry_read_from_another_chain_changes_no_node(
    cli: Cli, besu_node: StartNode, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = besu_node(accounts=[STALE])
    monkeypatch.setenv("RND_CHAIN_ID", "4242")

    refused = cli.refused(f"{COMMAND} --node {node.url}")

    assert refused.startswith("error: the chain at the RPC URL has chain id 31337, but the deployment is on chain")
    assert node.calls == []


def test_nodes_from_the_settings_may_be_a_json_list_and_a_malformed_one_is_refused_in_one_line(
    cli: Cli, members: list[str], besu_node: StartNode, monkeypatch: pytest.MonkeyPatch
) -> None:
    node_a, node_b = besu_node(), besu_node()
    monkeypatch.setenv("RND_CONSORTIUM_NODES", json.dumps([node_a.url, node_b.url]))

    cli.ok(COMMAND)

    assert sorted(node_a.allowlist) == sorted(node_b.allowlist) == lower(*members)
    monkeypatch.setenv("RND_CONSORTIUM_NODES", f'["{node_a.url}"')
    get_settings.cache_clear()
    assert cli.refused(COMMAND) == (
        f"error: RND_CONSORTIUM_NODES: '[\"{node_a.url}\"' is neither a JSON list nor comma-separated "
        "values"
    )
