"""Membership of the grant registry: company bindings, separation of duties between company accounts
and privileged roles, role events, and the delayed two-step transfer of DEFAULT_ADMIN_ROLE."""

from __future__ import annotations

import pytest

from registry.chain.devkeys import dev_account
from tests.helpers.registry import COMPANY_A, COMPANY_B, DAY, NO_DETAILS, RegistryHarness, block_time, doc

NEWCOMER = dev_account(8).address  # a dev account the fixtures gave nothing to
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
ZERO_ID = b"\x00" * 32
ADMIN_DELAY = 3 * DAY
PRIVILEGED_ROLES = ("ADMIN_ROLE", "AUDITOR_ROLE", "MODULE_ROLE")
DELEGATED_ROLES = ("ADMIN_ROLE", "AUDITOR_ROLE", "MEMBER_ROLE", "MODULE_ROLE")

# Enum values of contracts/Common.sol.
MILESTONE_SUBMITTED = 2
OUTCOME_PATENT_APPLICATION = 2
IP_FILED = 1
REPORT_REPORTED = 2
ANCHOR_MILESTONE_EVIDENCE = 5


def has_role(registry: RegistryHarness, role: str, account: str) -> bool:
    return bool(registry.grants.functions.hasRole(registry.role(role), account).call())


def company_of(registry: RegistryHarness, account: str) -> bytes:
    return bytes(registry.grants.functions.companyOf(account).call())


def is_participant(registry: RegistryHarness, account: str) -> bool:
    return bool(registry.grants.functions.isParticipant(account).call())


def grant(registry: RegistryHarness, role: str, account: str) -> None:
    registry.send(registry.actors.admin, registry.grants.functions.grantRole(registry.role(role), account))


def schedule_transfer(registry: RegistryHarness, new_admin: str) -> int:
    """Begins a DEFAULT_ADMIN_ROLE transfer to `new_admin`; returns when it may be accepted."""
    receipt = registry.send(registry.actors.admin, registry.grants.functions.beginDefaultAdminTransfer(new_admin))
    event = registry.event(receipt, registry.grants, "DefaultAdminTransferScheduled")
    assert event == {"newAdmin": new_admin, "acceptSchedule": block_time(registry, receipt) + ADMIN_DELAY}
    return int(event["acceptSchedule"])


# binding -------------------------------------------------------------------------------------
def test_binding_emits_company_account_bound_and_lets_the_account_write_for_that_company_only(
    registry: RegistryHarness,
) -> None:
    project_a = registry.funded_project(company=COMPANY_A)
    project_b = registry.funded_project(company=COMPANY_B)
    assert company_of(registry, NEWCOMER) == ZERO_ID
    assert not is_participant(registry, NEWCOMER)

    receipt = registry.send(
        registry.actors.admin, registry.grants.functions.bindCompanyAccount(NEWCOMER, COMPANY_B, "")
    )

    assert registry.event(receipt, registry.grants, "CompanyAccountBound") == {
        "account": NEWCOMER,
        "companyId": COMPANY_B,
        "admin": registry.actors.admin,
    }
    assert company_of(registry, NEWCOMER) == COMPANY_B
    assert is_participant(registry, NEWCOMER)
    registry.add_outcome(project_b, sender=NEWCOMER)
    registry.reverts(
        NEWCOMER,
        registry.outcomes.functions.addOutcome(project_a, OUTCOME_PATENT_APPLICATION, "x", NO_DETAILS, doc("a")),
        "ProjectUnauthorizedCompany",
        projectId=project_a,
        account=NEWCOMER,
    )


@pytest.mark.parametrize("company", [COMPANY_A, COMPANY_B], ids=["same-company", "other-company"])
def test_binding_a_bound_account_again_is_refused_naming_its_current_company(
    registry: RegistryHarness, company: bytes
) -> None:
    account = registry.actors.company_a
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.bindCompanyAccount(account, company, ""),
        "MembershipAccountAlreadyBound",
        account=account,
        companyId=COMPANY_A,
    )
    assert company_of(registry, account) == COMPANY_A


def test_binding_the_zero_account_is_refused(registry: RegistryHarness) -> None:
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.bindCompanyAccount(ZERO_ADDRESS, COMPANY_A, ""),
        "MembershipAccountZero",
    )
    # The account is checked before the company id.
    refused = registry.reverts(
        registry.actors.admin,
        registry.grants.functions.bindCompanyAccount(ZERO_ADDRESS, ZERO_ID, ""),
        "MembershipAccountZero",
    )
    assert refused.args_by_name == {}


def test_binding_to_company_id_zero_is_refused(registry: RegistryHarness) -> None:
    refused = registry.reverts(
        registry.actors.admin,
        registry.grants.functions.bindCompanyAccount(NEWCOMER, ZERO_ID, ""),
        "MembershipCompanyIdZero",
    )
    assert refused.args_by_name == {}
    assert company_of(registry, NEWCOMER) == ZERO_ID


def test_unbinding_emits_company_account_unbound_and_clears_the_company(registry: RegistryHarness) -> None:
    account = registry.actors.company_a2
    receipt = registry.send(registry.actors.admin, registry.grants.functions.unbindCompanyAccount(account))
    assert registry.event(receipt, registry.grants, "CompanyAccountUnbound") == {
        "account": account,
        "companyId": COMPANY_A,
        "admin": registry.actors.admin,
    }
    assert company_of(registry, account) == ZERO_ID
    assert not is_participant(registry, account)
    # The other clerk of the same company keeps its binding.
    assert company_of(registry, registry.actors.company_a) == COMPANY_A


@pytest.mark.parametrize("actor", ["admin", "auditor", "member", "outsider"])
def test_unbinding_an_account_that_is_not_bound_is_refused(registry: RegistryHarness, actor: str) -> None:
    account = getattr(registry.actors, actor)
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.unbindCompanyAccount(account),
        "MembershipAccountNotBound",
        account=account,
    )


def test_unbinding_twice_is_refused_the_second_time(registry: RegistryHarness) -> None:
    account = registry.actors.company_b
    registry.send(registry.actors.admin, registry.grants.functions.unbindCompanyAccount(account))
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.unbindCompanyAccount(account),
        "MembershipAccountNotBound",
        account=account,
    )


def test_unbound_account_can_be_bound_to_another_company(registry: RegistryHarness) -> None:
    account = registry.actors.company_a2
    project_b = registry.funded_project(company=COMPANY_B)
    registry.send(registry.actors.admin, registry.grants.functions.unbindCompanyAccount(account))
    receipt = registry.send(registry.actors.admin, registry.grants.functions.bindCompanyAccount(account, COMPANY_B, ""))
    assert registry.event(receipt, registry.grants, "CompanyAccountBound")["companyId"] == COMPANY_B
    assert company_of(registry, account) == COMPANY_B
    registry.add_outcome(project_b, sender=account)


def test_unbound_account_loses_write_rights_at_once_and_its_records_stay_readable(
    registry: RegistryHarness,
) -> None:
    clerk = registry.actors.company_a2
    project = registry.funded_project()
    submitted = registry.plan_milestone(project)
    registry.send(clerk, registry.grants.functions.submitMilestone(project, submitted, [doc("a2 evidence")]))
    outcome = registry.add_outcome(project, sender=clerk)
    registry.send(clerk, registry.grants.functions.anchorDocument(doc("a2 memo")))
    report = registry.report(project, sender=clerk)
    planned = registry.plan_milestone(project)

    registry.send(registry.actors.admin, registry.grants.functions.unbindCompanyAccount(clerk))

    refused_for_project = {"projectId": project, "account": clerk}
    registry.reverts(
        clerk,
        registry.grants.functions.submitMilestone(project, planned, [doc("late")]),
        "ProjectUnauthorizedCompany",
        **refused_for_project,
    )
    registry.reverts(
        clerk,
        registry.outcomes.functions.addOutcome(
            project, OUTCOME_PATENT_APPLICATION, "y", NO_DETAILS, doc("late outcome")
        ),
        "ProjectUnauthorizedCompany",
        **refused_for_project,
    )
    registry.reverts(
        clerk,
        registry.outcomes.functions.updateIpStatus(outcome, IP_FILED, doc("late filing")),
        "ProjectUnauthorizedCompany",
        **refused_for_project,
    )
    registry.reverts(
        clerk,
        registry.outcomes.functions.revokeOutcome(outcome, doc("late revocation")),
        "ProjectUnauthorizedCompany",
        **refused_for_project,
    )
    registry.reverts(
        clerk,
        registry.grants.functions.anchorDocument(doc("late memo")),
        "MembershipNotParticipant",
        account=clerk,
    )

    milestone = registry.grants.functions.getMilestone(project, submitted).call()
    assert (milestone[0], milestone[1]) == (MILESTONE_SUBMITTED, 1)
    stored = registry.outcomes.functions.getOutcome(outcome).call()
    assert (stored[0], stored[1], stored[3], stored[8]) == (
        project,
        OUTCOME_PATENT_APPLICATION,
        False,
        "10-2021-0012345",
    )
    assert registry.outcomes.functions.getReport(report).call()[2] == REPORT_REPORTED
    assert registry.grants.functions.anchorOf(doc("a2 memo")).call()[0] == clerk
    evidence = registry.grants.functions.anchorOf(doc("a2 evidence")).call()
    assert (evidence[0], evidence[3]) == (clerk, ANCHOR_MILESTONE_EVIDENCE)

    # The records it left carry on: the auditor reviews them, the company's other clerk maintains them.
    receipt = registry.send(
        registry.actors.auditor, registry.grants.functions.approveMilestone(project, submitted, doc("review"))
    )
    assert registry.event(receipt, registry.grants, "MilestoneApproved")["attempt"] == 1
    receipt = registry.send(
        registry.actors.company_a,
        registry.outcomes.functions.updateIpStatus(outcome, IP_FILED, doc("filing")),
    )
    assert registry.event(receipt, registry.outcomes, "IpStatusChanged")["actor"] == registry.actors.company_a


# separation of duties ------------------------------------------------------------------------
@pytest.mark.parametrize("role", PRIVILEGED_ROLES)
def test_granting_a_privileged_role_to_a_bound_account_is_refused(registry: RegistryHarness, role: str) -> None:
    account = registry.actors.company_a
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.grantRole(registry.role(role), account),
        "MembershipRoleConflict",
        account=account,
        role=registry.role(role),
    )
    assert not has_role(registry, role, account)


def test_granting_member_role_to_a_bound_account_is_allowed(registry: RegistryHarness) -> None:
    account = registry.actors.company_a
    receipt = registry.send(
        registry.actors.admin, registry.grants.functions.grantRole(registry.role("MEMBER_ROLE"), account)
    )
    assert registry.event(receipt, registry.grants, "RoleGranted") == {
        "role": registry.role("MEMBER_ROLE"),
        "account": account,
        "sender": registry.actors.admin,
    }
    assert has_role(registry, "MEMBER_ROLE", account)
    assert company_of(registry, account) == COMPANY_A


@pytest.mark.parametrize(
    ("holder", "role"),
    [
        # The initial admin holds DEFAULT_ADMIN_ROLE and ADMIN_ROLE; the default admin is checked first.
        ("admin", "DEFAULT_ADMIN_ROLE"),
        ("auditor", "AUDITOR_ROLE"),
        ("newcomer", "ADMIN_ROLE"),
    ],
)
def test_binding_an_account_holding_a_privileged_role_is_refused(
    registry: RegistryHarness, holder: str, role: str
) -> None:
    account = NEWCOMER if holder == "newcomer" else getattr(registry.actors, holder)
    if holder == "newcomer":
        grant(registry, role, account)
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.bindCompanyAccount(account, COMPANY_A, ""),
        "MembershipRoleConflict",
        account=account,
        role=registry.role(role),
    )
    assert company_of(registry, account) == ZERO_ID


def test_binding_a_member_is_allowed(registry: RegistryHarness) -> None:
    account = registry.actors.member
    receipt = registry.send(registry.actors.admin, registry.grants.functions.bindCompanyAccount(account, COMPANY_B, ""))
    assert registry.event(receipt, registry.grants, "CompanyAccountBound")["account"] == account
    assert company_of(registry, account) == COMPANY_B
    assert has_role(registry, "MEMBER_ROLE", account)


def test_binding_an_account_holding_module_role_is_refused(registry: RegistryHarness) -> None:
    grant(registry, "MODULE_ROLE", NEWCOMER)
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.bindCompanyAccount(NEWCOMER, COMPANY_A, ""),
        "MembershipRoleConflict",
        account=NEWCOMER,
        role=registry.role("MODULE_ROLE"),
    )


def test_former_company_account_may_take_a_privileged_role_once_unbound(registry: RegistryHarness) -> None:
    account = registry.actors.company_b
    registry.send(registry.actors.admin, registry.grants.functions.unbindCompanyAccount(account))
    grant(registry, "AUDITOR_ROLE", account)
    assert has_role(registry, "AUDITOR_ROLE", account)
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.bindCompanyAccount(account, COMPANY_B, ""),
        "MembershipRoleConflict",
        account=account,
        role=registry.role("AUDITOR_ROLE"),
    )


# views ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("actor", "company", "participant"),
    [
        ("admin", ZERO_ID, True),
        ("auditor", ZERO_ID, True),
        ("member", ZERO_ID, True),
        ("company_a", COMPANY_A, True),
        ("company_a2", COMPANY_A, True),
        ("company_b", COMPANY_B, True),
        ("outsider", ZERO_ID, False),
        ("relayer", ZERO_ID, False),
    ],
)
def test_company_of_and_is_participant_describe_each_session_actor(
    registry: RegistryHarness, actor: str, company: bytes, participant: bool
) -> None:
    account = getattr(registry.actors, actor)
    assert company_of(registry, account) == company
    assert is_participant(registry, account) is participant


def test_module_role_alone_does_not_make_a_participant(registry: RegistryHarness) -> None:
    module = registry.outcomes.address
    assert has_role(registry, "MODULE_ROLE", module)
    assert not is_participant(registry, module)


def test_losing_the_last_role_ends_participation(registry: RegistryHarness) -> None:
    member = registry.actors.member
    registry.send(registry.actors.admin, registry.grants.functions.revokeRole(registry.role("MEMBER_ROLE"), member))
    assert not is_participant(registry, member)
    registry.reverts(
        member,
        registry.grants.functions.anchorDocument(doc("node report")),
        "MembershipNotParticipant",
        account=member,
    )


# role events ---------------------------------------------------------------------------------
@pytest.mark.parametrize("role", DELEGATED_ROLES)
def test_every_delegated_role_is_administered_by_the_default_admin_role(registry: RegistryHarness, role: str) -> None:
    assert bytes(registry.grants.functions.getRoleAdmin(registry.role(role)).call()) == registry.role(
        "DEFAULT_ADMIN_ROLE"
    )


@pytest.mark.parametrize("role", DELEGATED_ROLES)
def test_granting_a_role_emits_role_granted_and_revoking_emits_role_revoked(
    registry: RegistryHarness, role: str
) -> None:
    role_id = registry.role(role)
    admin = registry.actors.admin
    receipt = registry.send(admin, registry.grants.functions.grantRole(role_id, NEWCOMER))
    assert registry.event(receipt, registry.grants, "RoleGranted") == {
        "role": role_id,
        "account": NEWCOMER,
        "sender": admin,
    }
    assert has_role(registry, role, NEWCOMER)
    receipt = registry.send(admin, registry.grants.functions.revokeRole(role_id, NEWCOMER))
    assert registry.event(receipt, registry.grants, "RoleRevoked") == {
        "role": role_id,
        "account": NEWCOMER,
        "sender": admin,
    }
    assert not has_role(registry, role, NEWCOMER)


def test_granting_a_held_role_or_revoking_a_missing_one_emits_nothing(registry: RegistryHarness) -> None:
    auditor_role = registry.role("AUDITOR_ROLE")
    receipt = registry.send(
        registry.actors.admin, registry.grants.functions.grantRole(auditor_role, registry.actors.auditor)
    )
    assert receipt["logs"] == []
    receipt = registry.send(registry.actors.admin, registry.grants.functions.revokeRole(auditor_role, NEWCOMER))
    assert receipt["logs"] == []


def test_renouncing_a_role_emits_role_revoked_by_the_holder_itself(registry: RegistryHarness) -> None:
    auditor = registry.actors.auditor
    auditor_role = registry.role("AUDITOR_ROLE")
    receipt = registry.send(auditor, registry.grants.functions.renounceRole(auditor_role, auditor))
    assert registry.event(receipt, registry.grants, "RoleRevoked") == {
        "role": auditor_role,
        "account": auditor,
        "sender": auditor,
    }


def test_revoked_auditor_loses_review_rights_at_once(registry: RegistryHarness) -> None:
    project, index = registry.submitted_milestone()
    auditor = registry.actors.auditor
    auditor_role = registry.role("AUDITOR_ROLE")
    registry.send(registry.actors.admin, registry.grants.functions.revokeRole(auditor_role, auditor))
    registry.reverts(
        auditor,
        registry.grants.functions.approveMilestone(project, index, doc("review")),
        "AccessControlUnauthorizedAccount",
        account=auditor,
        neededRole=auditor_role,
    )
    report = registry.report(registry.funded_project())
    registry.reverts(
        auditor,
        registry.outcomes.functions.verifyReport(report, doc("note")),
        "AccessControlUnauthorizedAccount",
        account=auditor,
        neededRole=auditor_role,
    )


# the delayed transfer of DEFAULT_ADMIN_ROLE --------------------------------------------------
def test_session_admin_is_default_admin_with_a_three_day_transfer_delay(registry: RegistryHarness) -> None:
    grants = registry.grants.functions
    assert grants.defaultAdmin().call() == registry.actors.admin
    assert grants.owner().call() == registry.actors.admin
    assert grants.defaultAdminDelay().call() == ADMIN_DELAY
    assert tuple(grants.pendingDefaultAdmin().call()) == (ZERO_ADDRESS, 0)


def test_default_admin_transfer_is_public_at_once_and_completes_only_after_the_delay(
    registry: RegistryHarness,
) -> None:
    grants = registry.grants.functions
    admin = registry.actors.admin
    default_admin = registry.role("DEFAULT_ADMIN_ROLE")
    schedule = schedule_transfer(registry, NEWCOMER)
    assert tuple(grants.pendingDefaultAdmin().call()) == (NEWCOMER, schedule)

    registry.reverts(
        NEWCOMER,
        grants.acceptDefaultAdminTransfer(),
        "AccessControlEnforcedDefaultAdminDelay",
        schedule=schedule,
    )
    registry.advance(ADMIN_DELAY - 60)
    registry.reverts(
        NEWCOMER,
        grants.acceptDefaultAdminTransfer(),
        "AccessControlEnforcedDefaultAdminDelay",
        schedule=schedule,
    )
    # Until the transfer completes, the current default admin still governs.
    grant(registry, "MEMBER_ROLE", registry.actors.outsider)
    assert grants.defaultAdmin().call() == admin

    registry.advance(120)
    receipt = registry.send(NEWCOMER, grants.acceptDefaultAdminTransfer())

    assert registry.event(receipt, registry.grants, "RoleRevoked") == {
        "role": default_admin,
        "account": admin,
        "sender": NEWCOMER,
    }
    assert registry.event(receipt, registry.grants, "RoleGranted") == {
        "role": default_admin,
        "account": NEWCOMER,
        "sender": NEWCOMER,
    }
    assert grants.defaultAdmin().call() == NEWCOMER
    assert tuple(grants.pendingDefaultAdmin().call()) == (ZERO_ADDRESS, 0)
    assert not has_role(registry, "DEFAULT_ADMIN_ROLE", admin)
    assert has_role(registry, "DEFAULT_ADMIN_ROLE", NEWCOMER)


def test_new_default_admin_governs_roles_while_the_old_one_keeps_only_admin_role(
    registry: RegistryHarness,
) -> None:
    grants = registry.grants.functions
    admin = registry.actors.admin
    schedule_transfer(registry, NEWCOMER)
    registry.advance(ADMIN_DELAY + 60)
    registry.send(NEWCOMER, grants.acceptDefaultAdminTransfer())

    assert has_role(registry, "ADMIN_ROLE", admin)
    assert not has_role(registry, "ADMIN_ROLE", NEWCOMER)
    auditor_role = registry.role("AUDITOR_ROLE")
    registry.reverts(
        admin,
        grants.grantRole(auditor_role, registry.actors.outsider),
        "AccessControlUnauthorizedAccount",
        account=admin,
        neededRole=registry.role("DEFAULT_ADMIN_ROLE"),
    )
    receipt = registry.send(NEWCOMER, grants.grantRole(auditor_role, registry.actors.outsider))
    assert registry.event(receipt, registry.grants, "RoleGranted")["sender"] == NEWCOMER
    # Day-to-day administration stays with ADMIN_ROLE: the old admin still opens programs.
    registry.create_program()
    # The new default admin holds no company binding and cannot get one.
    registry.reverts(
        admin,
        grants.bindCompanyAccount(NEWCOMER, COMPANY_A, ""),
        "MembershipRoleConflict",
        account=NEWCOMER,
        role=registry.role("DEFAULT_ADMIN_ROLE"),
    )


def test_accepting_a_transfer_meant_for_someone_else_is_refused(registry: RegistryHarness) -> None:
    schedule_transfer(registry, NEWCOMER)
    registry.advance(ADMIN_DELAY + 60)
    for actor in ("admin", "outsider", "auditor"):
        account = getattr(registry.actors, actor)
        registry.reverts(
            account,
            registry.grants.functions.acceptDefaultAdminTransfer(),
            "AccessControlInvalidDefaultAdmin",
            defaultAdmin=account,
        )


def test_cancelled_transfer_can_no_longer_be_accepted(registry: RegistryHarness) -> None:
    grants = registry.grants.functions
    schedule_transfer(registry, NEWCOMER)
    receipt = registry.send(registry.actors.admin, grants.cancelDefaultAdminTransfer())
    assert registry.event(receipt, registry.grants, "DefaultAdminTransferCanceled") == {}
    assert tuple(grants.pendingDefaultAdmin().call()) == (ZERO_ADDRESS, 0)
    registry.advance(ADMIN_DELAY + 60)
    registry.reverts(
        NEWCOMER,
        grants.acceptDefaultAdminTransfer(),
        "AccessControlInvalidDefaultAdmin",
        defaultAdmin=NEWCOMER,
    )
    assert grants.defaultAdmin().call() == registry.actors.admin


@pytest.mark.parametrize("target", ["newcomer", "admin"])
def test_granting_or_revoking_default_admin_role_directly_is_refused_even_for_the_default_admin(
    registry: RegistryHarness, target: str
) -> None:
    account = NEWCOMER if target == "newcomer" else registry.actors.admin
    default_admin = registry.role("DEFAULT_ADMIN_ROLE")
    for call in (
        registry.grants.functions.grantRole(default_admin, account),
        registry.grants.functions.revokeRole(default_admin, account),
    ):
        refused = registry.reverts(registry.actors.admin, call, "AccessControlEnforcedDefaultAdminRules")
        assert refused.args_by_name == {}
    assert registry.grants.functions.defaultAdmin().call() == registry.actors.admin


def test_renouncing_default_admin_role_without_a_scheduled_renouncement_is_refused(
    registry: RegistryHarness,
) -> None:
    admin = registry.actors.admin
    registry.reverts(
        admin,
        registry.grants.functions.renounceRole(registry.role("DEFAULT_ADMIN_ROLE"), admin),
        "AccessControlEnforcedDefaultAdminDelay",
        schedule=0,
    )
    assert has_role(registry, "DEFAULT_ADMIN_ROLE", admin)


def test_transfer_to_a_bound_company_account_is_refused_when_it_is_begun(
    registry: RegistryHarness,
) -> None:
    company = registry.actors.company_b
    registry.reverts(
        registry.actors.admin,
        registry.grants.functions.beginDefaultAdminTransfer(company),
        "MembershipRoleConflict",
        account=company,
        role=registry.role("DEFAULT_ADMIN_ROLE"),
    )
    assert registry.grants.functions.defaultAdmin().call() == registry.actors.admin
