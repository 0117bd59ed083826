"""`rnd-registry member` as the city program office uses it: roles and company accounts given, taken, listed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from registry.chain.devkeys import dev_account
from registry.domain.companies import company_id
from tests.cli.conftest import Cli, reason
from tests.helpers.registry import COMPANY_A, COMPANY_A_NAME, RegistryHarness

PASSWORD = "correct horse battery"
BRN = "131-81-10001"
NAME = "(주)가온테크"
COMPANY_A_BRN = "131-81-00001"


def membership(registry: RegistryHarness, accounts: tuple[str, ...]) -> dict[str, Any]:
    """The block height and the accounts' roles and bindings: what a refusal must leave alone."""
    g = registry.grants.functions
    roles = [registry.role(name) for name in ("ADMIN_ROLE", "AUDITOR_ROLE", "MEMBER_ROLE")]
    return {
        "block": registry.w3.eth.block_number,
        "roles": [[g.hasRole(role, a).call() for role in roles] for a in accounts],
        "companies": [g.companyOf(a).call() for a in accounts],
        "names": [g.companyName(c).call() for c in (COMPANY_A, company_id(BRN))],
    }


@contextmanager
def unchanged(registry: RegistryHarness, *accounts: str) -> Iterator[None]:
    """Asserts that nothing was mined and the accounts' membership stayed as it was."""
    accounts = accounts or (registry.actors.outsider,)
    before = membership(registry, accounts)
    yield
    assert membership(registry, accounts) == before, "a refused command must change nothing on chain"


def has_role(registry: RegistryHarness, name: str, address: str) -> bool:
    return bool(registry.grants.functions.hasRole(registry.role(name), address).call())


def test_admin_gives_the_auditor_role_and_the_member_list_shows_it(cli: Cli, registry: RegistryHarness) -> None:
    outsider = registry.actors.outsider
    result = cli.ok(f"rnd-registry member add {outsider} --role auditor --dev-key 0")
    assert "now holds the auditor role" in result.stdout
    assert has_role(registry, "AUDITOR_ROLE", outsider)
    members = json.loads(cli.ok("rnd-registry member list --json").stdout)
    assert {"role": "auditor", "account": outsider} in [{"role": m["role"], "account": m["account"]} for m in members]


def test_admin_takes_a_role_away(cli: Cli, registry: RegistryHarness) -> None:
    cli.ok(f"rnd-registry member remove {registry.actors.member.lower()} --role member --dev-key 0")
    assert not has_role(registry, "MEMBER_ROLE", registry.actors.member)
    members = json.loads(cli.ok("rnd-registry member list --json").stdout)
    assert registry.actors.member not in [m["account"] for m in members]


def test_admin_binds_a_staff_account_to_its_company_by_business_number(cli: Cli, registry: RegistryHarness) -> None:
    outsider = registry.actors.outsider
    result = cli.ok(f"rnd-registry member add {outsider} --company {BRN} --name ' {NAME} ' --dev-key 0")
    said = " ".join(result.stdout.split())
    assert f"{outsider} now acts for company {BRN}, {NAME} (0x{company_id(BRN).hex()})" in said
    assert registry.grants.functions.companyOf(outsider).call() == company_id(BRN)
    assert registry.grants.functions.companyName(company_id(BRN)).call() == NAME  # trimmed
    members = json.loads(cli.ok("rnd-registry member list --json").stdout)
    bound = [m for m in members if m["account"] == outsider]
    assert bound == [
        {
            "role": "company",
            "account": outsider,
            "companyId": "0x" + company_id(BRN).hex(),
            "sinceBlock": registry.w3.eth.block_number,
            "transactionHash": bound[0]["transactionHash"],
            "label": None,
            "companyName": NAME,
        }
    ]
    assert f"company {NAME} 0x{company_id(BRN).hex()}" in cli.ok("rnd-registry member list").stdout


def test_a_companys_first_account_needs_its_name(cli: Cli, registry: RegistryHarness) -> None:
    with unchanged(registry):
        refused = reason(cli.fails(f"rnd-registry member add {registry.actors.outsider} --company {BRN} --dev-key 0"))
    assert refused == (
        f"error: company {BRN} has no name on the registry yet: its first account publishes it, so give the "
        'company\'s public name (상호) with --name, e.g. --name "(주)한빛데이터"'
    )


def test_a_later_account_keeps_the_companys_name_or_renames_it(cli: Cli, registry: RegistryHarness) -> None:
    outsider, newcomer = registry.actors.outsider, dev_account(8).address
    kept = cli.ok(f"rnd-registry member add {outsider} --company {COMPANY_A_BRN} --dev-key 0").stdout
    assert f"now acts for company {COMPANY_A_BRN}, {COMPANY_A_NAME}" in " ".join(kept.split())
    assert registry.grants.functions.companyName(COMPANY_A).call() == COMPANY_A_NAME
    renamed = cli.ok(f"rnd-registry member add {newcomer} --company {COMPANY_A_BRN} --name '(주)한빛데이터랩' "
                     "--dev-key 0").stdout  # fmt: skip
    assert f"(주)한빛데이터랩, renamed from {COMPANY_A_NAME}" in " ".join(renamed.split())
    assert registry.grants.functions.companyName(COMPANY_A).call() == "(주)한빛데이터랩"
    named = registry.grants.events.CompanyNamed().get_logs(from_block=0, argument_filters={"companyId": COMPANY_A})
    assert [e["args"]["name"] for e in named] == [COMPANY_A_NAME, "(주)한빛데이터랩"]


def test_admin_renames_a_company_and_the_same_name_sends_nothing(cli: Cli, registry: RegistryHarness) -> None:
    result = cli.ok(f"rnd-registry member rename-company {COMPANY_A_BRN} --name '(주)한빛AI' --dev-key 0")
    assert f"company {COMPANY_A_BRN} is now named (주)한빛AI (was {COMPANY_A_NAME})" in " ".join(result.stdout.split())
    assert registry.grants.functions.companyName(COMPANY_A).call() == "(주)한빛AI"
    by_identity = f"rnd-registry member rename-company 0x{COMPANY_A.hex()} --name '(주)한빛AI' --dev-key 0"
    with unchanged(registry):
        assert "is already named (주)한빛AI; nothing was changed" in reason(cli.fails(by_identity))


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ("--name '  '", "error: --name: the company's name is empty"),
        ("--name " + "가" * 67, "error: --name: the name is 201 bytes long in UTF-8; the registry takes at most 200"),
        ("--name 'A\u202eB'", "error: --name: the name holds control or invisible formatting characters"),
        ("--name X --dev-key 3", "does not hold the admin role"),
    ],
)
def test_a_name_the_registry_cannot_take_is_refused(
    cli: Cli, registry: RegistryHarness, options: str, expected: str
) -> None:
    signer = "" if "--dev-key" in options else " --dev-key 0"
    with unchanged(registry):
        result = cli.fails(f"rnd-registry member rename-company {COMPANY_A_BRN} {options}{signer}")
    assert expected in reason(result)


def test_a_name_is_given_with_a_company_not_a_role(cli: Cli, registry: RegistryHarness) -> None:
    with unchanged(registry):
        result = cli.fails(f"rnd-registry member add {registry.actors.outsider} --role member --name X --dev-key 0")
    assert "--name is the name of a company: give it with --company, not with --role" in reason(result)


def test_admin_unbinds_a_staff_account_from_its_company(cli: Cli, registry: RegistryHarness) -> None:
    cli.ok(f"rnd-registry member remove {registry.actors.company_a2} --company --dev-key 0")
    assert registry.grants.functions.companyOf(registry.actors.company_a2).call() == bytes(32)
    text = cli.ok("rnd-registry member list").stdout
    assert registry.actors.company_a2 not in text and registry.actors.company_a in text


def test_member_list_shows_every_role_holder_and_company_account(cli: Cli, registry: RegistryHarness) -> None:
    members = json.loads(cli.ok("rnd-registry member list --json").stdout)
    a = registry.actors
    found = {(m["role"], m["account"]) for m in members}
    assert {("top admin", a.admin), ("admin", a.admin), ("auditor", a.auditor), ("member", a.member),
            ("company", a.company_a), ("company", a.company_a2), ("company", a.company_b)} <= found  # fmt: skip
    assert [m["companyId"] for m in members if m["account"] == a.company_a] == ["0x" + COMPANY_A.hex()]
    assert any(m["role"] == "module" for m in members)  # the outcome registry, anchoring for companies


def test_member_is_named_by_keystore_label(
    cli: Cli, registry: RegistryHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RND_KEYSTORE_PASSWORD", PASSWORD)
    cli.ok("rnd-registry account import lee-partner --key-file -", input=dev_account(5).key.hex())
    cli.ok("rnd-registry member add lee-partner --role member --dev-key 0")
    assert has_role(registry, "MEMBER_ROLE", registry.actors.outsider)
    assert "(lee-partner)" in cli.ok("rnd-registry member list").stdout


def test_admin_signs_with_a_keystore_account(
    cli: Cli, registry: RegistryHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RND_KEYSTORE_PASSWORD", PASSWORD)
    cli.ok("rnd-registry account import city-admin --key-file -", input=dev_account(0).key.hex())
    cli.ok(f"rnd-registry member add {registry.actors.outsider} --role member --account city-admin")
    assert has_role(registry, "MEMBER_ROLE", registry.actors.outsider)


def test_wrong_keystore_password_sends_nothing(
    cli: Cli, registry: RegistryHarness, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("RND_KEYSTORE_PASSWORD", PASSWORD)
    cli.ok("rnd-registry account import city-admin --key-file -", input=dev_account(0).key.hex())
    wrong = tmp_path / "wrong"
    wrong.write_text("not the password\n")
    with unchanged(registry):
        result = cli.fails(
            f"rnd-registry member add {registry.actors.outsider} --role member --account city-admin "
            f"--password-file {wrong}"
        )
    assert "the password does not open the keystore 'city-admin'" in reason(result)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("0x1234", "is not an account address"),
        ("0x70997970C51812dc3A010C7d01b50e0d17dc79c8", "checksum does not match"),
        ("0x70997970c51812dc3a010c7d01b50e0d17dc79zz", "is not an account address"),
        ("'not a label'", "is neither an account address"),
        ("nobody", "no keystore named 'nobody'"),
    ],
)
def test_malformed_address_or_unknown_label_is_refused(
    cli: Cli, registry: RegistryHarness, who: str, expected: str
) -> None:
    with unchanged(registry):
        result = cli.fails(f"rnd-registry member add {who} --role auditor --dev-key 0")
    assert expected in reason(result)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ("--role auditor --company 131-81-10001", "say what to change"),
        ("", "say what to change"),
        ("--role owner", "unknown role 'owner'"),
        ("--company 131-81-1000", "is not a business registration number"),
    ],
)
def test_unclear_request_is_refused(cli: Cli, registry: RegistryHarness, options: str, expected: str) -> None:
    with unchanged(registry):
        result = cli.fails(f"rnd-registry member add {registry.actors.outsider} {options} --dev-key 0")
    assert expected in reason(result)


def test_giving_a_role_already_held_sends_nothing(cli: Cli, registry: RegistryHarness) -> None:
    with unchanged(registry, registry.actors.auditor):
        result = cli.fails(f"rnd-registry member add {registry.actors.auditor} --role auditor --dev-key 0")
    assert "already holds the auditor role" in reason(result)


def test_taking_a_role_not_held_sends_nothing(cli: Cli, registry: RegistryHarness) -> None:
    with unchanged(registry):
        result = cli.fails(f"rnd-registry member remove {registry.actors.outsider} --role auditor --dev-key 0")
    assert "does not hold the auditor role" in reason(result)


def test_binding_an_account_of_another_company_sends_nothing(cli: Cli, registry: RegistryHarness) -> None:
    with unchanged(registry, registry.actors.company_b):
        result = cli.fails(f"rnd-registry member add {registry.actors.company_b} --company {BRN} --dev-key 0")
    assert "acts for another company" in reason(result)


def test_unbinding_an_unbound_account_sends_nothing(cli: Cli, registry: RegistryHarness) -> None:
    with unchanged(registry):
        result = cli.fails(f"rnd-registry member remove {registry.actors.outsider} --company --dev-key 0")
    assert "is not bound to any company" in reason(result)


def test_company_account_cannot_become_an_auditor(cli: Cli, registry: RegistryHarness) -> None:
    with unchanged(registry, registry.actors.company_a):
        result = cli.fails(f"rnd-registry member add {registry.actors.company_a} --role auditor --dev-key 0")
    assert "cannot be a company account and auditor at once" in reason(result)


def test_only_an_admin_changes_membership(cli: Cli, registry: RegistryHarness) -> None:
    with unchanged(registry):
        result = cli.fails(f"rnd-registry member add {registry.actors.outsider} --role member --dev-key 2")
    assert "does not hold the top admin role" in reason(result)
