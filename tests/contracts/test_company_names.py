"""Company names (contracts/grants/Membership.sol): a company's public name (상호) is given with its first
binding, kept by later ones, changed by a binding with another name or by `renameCompany`."""

from __future__ import annotations

import pytest

from registry.chain.devkeys import dev_account
from tests.helpers.registry import COMPANY_A, COMPANY_A_NAME, COMPANY_B, RegistryHarness, doc

NEWCOMER = dev_account(8).address  # a dev account the fixtures gave nothing to
NEW_COMPANY = doc("brn:131-81-00009")
ZERO_ID = bytes(32)
LONGEST = "(주)" + "가" * 65  # 5 + 195 bytes in UTF-8: the longest name allowed


def name_of(registry: RegistryHarness, company: bytes) -> str:
    return str(registry.grants.functions.companyName(company).call())


def test_a_companys_first_binding_needs_its_name(registry: RegistryHarness) -> None:
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.bindCompanyAccount(NEWCOMER, NEW_COMPANY, ""),
        "MembershipCompanyNameMissing",
        companyId=NEW_COMPANY,
    )
    assert registry.grants.functions.companyOf(NEWCOMER).call() == ZERO_ID

    receipt = registry.send(
        registry.actors.admin, registry.grants.functions.bindCompanyAccount(NEWCOMER, NEW_COMPANY, "새빛소재(주)")
    )
    assert registry.event(receipt, registry.grants, "CompanyNamed") == {
        "companyId": NEW_COMPANY,
        "name": "새빛소재(주)",
        "admin": registry.actors.admin,
    }
    assert registry.event(receipt, registry.grants, "CompanyAccountBound")["companyId"] == NEW_COMPANY
    assert name_of(registry, NEW_COMPANY) == "새빛소재(주)"


@pytest.mark.parametrize("name", ["", COMPANY_A_NAME], ids=["empty", "same"])
def test_a_later_binding_with_no_or_the_same_name_keeps_it_without_an_event(
    registry: RegistryHarness, name: str
) -> None:
    receipt = registry.send(
        registry.actors.admin, registry.grants.functions.bindCompanyAccount(NEWCOMER, COMPANY_A, name)
    )
    assert registry.events(receipt, registry.grants, "CompanyNamed") == []
    assert registry.event(receipt, registry.grants, "CompanyAccountBound")["account"] == NEWCOMER
    assert name_of(registry, COMPANY_A) == COMPANY_A_NAME


def test_a_later_binding_with_another_name_renames_the_company(registry: RegistryHarness) -> None:
    receipt = registry.send(
        registry.actors.admin, registry.grants.functions.bindCompanyAccount(NEWCOMER, COMPANY_A, "(주)한빛데이터랩")
    )
    assert registry.event(receipt, registry.grants, "CompanyNamed")["name"] == "(주)한빛데이터랩"
    assert name_of(registry, COMPANY_A) == "(주)한빛데이터랩"


def test_rename_publishes_the_new_name_and_leaves_other_companies_alone(registry: RegistryHarness) -> None:
    before_b = name_of(registry, COMPANY_B)
    receipt = registry.send(registry.actors.admin, registry.grants.functions.renameCompany(COMPANY_A, "Hanbit Data"))
    assert registry.event(receipt, registry.grants, "CompanyNamed") == {
        "companyId": COMPANY_A,
        "name": "Hanbit Data",
        "admin": registry.actors.admin,
    }
    assert name_of(registry, COMPANY_A) == "Hanbit Data"
    assert name_of(registry, COMPANY_B) == before_b
    # The company's accounts still act for it.
    assert registry.grants.functions.companyOf(registry.actors.company_a).call() == COMPANY_A


def test_renaming_to_the_current_name_is_refused(registry: RegistryHarness) -> None:
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.renameCompany(COMPANY_A, COMPANY_A_NAME),
        "MembershipCompanyNameUnchanged",
        companyId=COMPANY_A,
    )


def test_renaming_needs_a_name_and_a_company(registry: RegistryHarness) -> None:
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.renameCompany(COMPANY_A, ""),
        "MembershipCompanyNameMissing",
        companyId=COMPANY_A,
    )
    registry.reverts(
        registry.actors.admin, registry.grants.functions.renameCompany(ZERO_ID, "x"), "MembershipCompanyIdZero"
    )
    assert name_of(registry, COMPANY_A) == COMPANY_A_NAME


def test_a_name_is_at_most_200_bytes(registry: RegistryHarness) -> None:
    assert len(LONGEST.encode()) == 200
    too_long = LONGEST + "x"
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.renameCompany(COMPANY_A, too_long),
        "MembershipCompanyNameTooLong",
        length=201,
    )
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.bindCompanyAccount(NEWCOMER, NEW_COMPANY, too_long),
        "MembershipCompanyNameTooLong",
        length=201,
    )
    assert registry.grants.functions.companyOf(NEWCOMER).call() == ZERO_ID
    registry.send(registry.actors.admin, registry.grants.functions.renameCompany(COMPANY_A, LONGEST))
    assert name_of(registry, COMPANY_A) == LONGEST


def test_a_company_named_before_any_binding_keeps_its_name_when_bound(registry: RegistryHarness) -> None:
    assert name_of(registry, NEW_COMPANY) == ""
    registry.send(registry.actors.admin, registry.grants.functions.renameCompany(NEW_COMPANY, "새빛소재(주)"))
    receipt = registry.send(
        registry.actors.admin, registry.grants.functions.bindCompanyAccount(NEWCOMER, NEW_COMPANY, "")
    )
    assert registry.events(receipt, registry.grants, "CompanyNamed") == []
    assert name_of(registry, NEW_COMPANY) == "새빛소재(주)"
