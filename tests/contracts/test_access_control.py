"""Who may call each write function of the grant and outcome registries, and the exact error every
other party gets: one row per (function, actor), each set up so that the caller is the only variable."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from eth_abi import encode as abi_encode
from eth_utils import keccak

from registry.chain.devkeys import dev_account
from tests.helpers.registry import COMPANY_A, COMPANY_B, DAY, NO_DETAILS, RULES, RegistryHarness, doc

# Every actor of the session deployment; company_a2 is a second clerk of company A, so the table
# also shows that rights follow the company, not the single account. The second auditor (auditor_b)
# is not in the table: it makes the decisions and records the sanctions that `auditor` then confirms
# or resolves (the rules between the two auditors: test_sanctions.py, test_objections.py).
ACTORS = ("admin", "auditor", "member", "company_a", "company_a2", "company_b", "outsider")
COMPANY_CLERKS = frozenset({"company_a", "company_a2"})
PARTICIPANTS = frozenset(ACTORS) - {"outsider"}
NOBODY: frozenset[str] = frozenset()

# A dev account no fixture gave anything to, used as the target of role and binding changes.
NEWCOMER = dev_account(8).address
ADMIN_DELAY = 3 * DAY
DELEGATED_ROLES = ("ADMIN_ROLE", "AUDITOR_ROLE", "MEMBER_ROLE", "MODULE_ROLE")

# Enum values of contracts/Common.sol.
GRADE_GOOD = 2
GRADE_VERY_POOR = 5
OBJECTION_TO_REJECTION = 1
OUTCOME_PATENT_APPLICATION = 2
IP_FILED = 1
ANCHOR_DOCUMENT = 1

FIGURES = (500_000_000, 200_000_000, 10_000_000, 3)
SALT = keccak(text="salt")
YEAR = 2022


@dataclass(frozen=True)
class Prepared:
    """The call under test, built on the state its precondition needs, and the ids it refers to."""

    call: Any
    project: int | None = None


Refusal = Callable[[RegistryHarness, str, Prepared], tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class Guarded:
    """A write function, who may call it, and what everyone else gets."""

    label: str  # the function name, with the role it changes for role functions
    prepare: Callable[[RegistryHarness], Prepared]
    allowed: frozenset[str]
    refusal: Refusal
    event: str | None  # emitted once on success; None for a function that emits nothing
    credited: str | None = None  # field of `event` that must name the caller
    contract: str = "grants"  # or "outcomes"

    @property
    def function(self) -> str:
        return self.label.split("(")[0]


# refusals --------------------------------------------------------------------------------------
def needs_role(role: str) -> Refusal:
    def refusal(r: RegistryHarness, account: str, _: Prepared) -> tuple[str, dict[str, Any]]:
        return "AccessControlUnauthorizedAccount", {"account": account, "neededRole": r.role(role)}

    return refusal


def needs_company(_: RegistryHarness, account: str, prepared: Prepared) -> tuple[str, dict[str, Any]]:
    return "ProjectUnauthorizedCompany", {"projectId": prepared.project, "account": account}


def needs_participant(_: RegistryHarness, account: str, __: Prepared) -> tuple[str, dict[str, Any]]:
    return "MembershipNotParticipant", {"account": account}


def needs_own_account(_: RegistryHarness, __: str, ___: Prepared) -> tuple[str, dict[str, Any]]:
    return "AccessControlBadConfirmation", {}


def default_admin_rules(_: RegistryHarness, __: str, ___: Prepared) -> tuple[str, dict[str, Any]]:
    return "AccessControlEnforcedDefaultAdminRules", {}


def needs_pending_admin(_: RegistryHarness, account: str, __: Prepared) -> tuple[str, dict[str, Any]]:
    return "AccessControlInvalidDefaultAdmin", {"defaultAdmin": account}


# preconditions ---------------------------------------------------------------------------------
def commitment(project: int, year: int, figures: tuple[int, int, int, int], salt: bytes) -> bytes:
    """What `commitCommercialization` expects: keccak256(abi.encode(projectId, year, figures..., salt))."""
    encoded = abi_encode(
        ["uint32", "uint16", "uint96", "uint96", "uint96", "uint32", "bytes32"],
        [project, year, *figures, salt],
    )
    return keccak(encoded)


def revoke_from_newcomer(role: str) -> Callable[[RegistryHarness], Prepared]:
    """Revoking `role` from an account that holds it."""

    def prepare(r: RegistryHarness) -> Prepared:
        r.send(r.actors.admin, r.grants.functions.grantRole(r.role(role), NEWCOMER))
        return Prepared(r.grants.functions.revokeRole(r.role(role), NEWCOMER))

    return prepare


def close_open_program(r: RegistryHarness) -> Prepared:
    return Prepared(r.grants.functions.closeProgram(r.create_program()))


def open_program_for_project(r: RegistryHarness) -> Prepared:
    return Prepared(r.grants.functions.registerProject(r.project_terms(r.create_program())))


def active_project(build: Callable[[RegistryHarness, int], Any]) -> Callable[[RegistryHarness], Prepared]:
    def prepare(r: RegistryHarness) -> Prepared:
        project = r.funded_project()
        return Prepared(build(r, project), project)

    return prepare


def planned_milestone(r: RegistryHarness) -> Prepared:
    project = r.funded_project()
    index = r.plan_milestone(project)
    return Prepared(r.grants.functions.submitMilestone(project, index, [doc("evidence")]), project)


def submitted_milestone(
    build: Callable[[RegistryHarness, int, int], Any],
) -> Callable[[RegistryHarness], Prepared]:
    def prepare(r: RegistryHarness) -> Prepared:
        project, index = r.submitted_milestone()
        return Prepared(build(r, project, index), project)

    return prepare


def recorded_outcome(build: Callable[[RegistryHarness, int], Any]) -> Callable[[RegistryHarness], Prepared]:
    def prepare(r: RegistryHarness) -> Prepared:
        project = r.funded_project()
        outcome = r.add_outcome(project, outcome_type=OUTCOME_PATENT_APPLICATION)
        return Prepared(build(r, outcome), project)

    return prepare


def committed_report(r: RegistryHarness) -> Prepared:
    project = r.funded_project()
    call = r.outcomes.functions.commitCommercialization(
        project, YEAR, commitment(project, YEAR, FIGURES, SALT), doc("report:committed")
    )
    receipt = r.send(r.actors.company_a, call)
    report = int(r.event(receipt, r.outcomes, "CommercializationCommitted")["reportId"])
    return Prepared(r.outcomes.functions.revealCommercialization(report, FIGURES, SALT), project)


def filed_report(build: Callable[[RegistryHarness, int], Any]) -> Callable[[RegistryHarness], Prepared]:
    def prepare(r: RegistryHarness) -> Prepared:
        project = r.funded_project()
        return Prepared(build(r, r.report(project)), project)

    return prepare


def pending_transfer(
    to: Callable[[RegistryHarness], str], build: Callable[[RegistryHarness], Any], *, wait: int = 0
) -> Callable[[RegistryHarness], Prepared]:
    def prepare(r: RegistryHarness) -> Prepared:
        r.send(r.actors.admin, r.grants.functions.beginDefaultAdminTransfer(to(r)))
        if wait:
            r.advance(wait)
        return Prepared(build(r))

    return prepare


def pending_delay_change(r: RegistryHarness) -> Prepared:
    r.send(r.actors.admin, r.grants.functions.changeDefaultAdminDelay(DAY))
    return Prepared(r.grants.functions.rollbackDefaultAdminDelay())


def pending_sanction(r: RegistryHarness) -> Prepared:
    """A clawback the second auditor recorded, waiting for another auditor's confirmation."""
    project = r.funded_project()
    audit = r.record_audit(project, grade=GRADE_VERY_POOR, clawback=1, sender=r.actors.auditor_b)
    return Prepared(r.grants.functions.confirmSanction(audit), project)


def rejected_milestone(r: RegistryHarness) -> Prepared:
    """A milestone the second auditor rejected, open to the company's objection."""
    project, index = r.rejected_milestone(sender=r.actors.auditor_b)
    call = r.outcomes.functions.fileObjection(OBJECTION_TO_REJECTION, project, index, doc("objection"))
    return Prepared(call, project)


def open_objection(r: RegistryHarness) -> Prepared:
    """The company's objection to the second auditor's rejection, for another auditor to resolve."""
    project, index = r.rejected_milestone(sender=r.actors.auditor_b)
    objection = r.file_objection(OBJECTION_TO_REJECTION, project, index)
    return Prepared(r.outcomes.functions.resolveObjection(objection, False, doc("dismissal reason")), project)


def no_precondition(build: Callable[[RegistryHarness], Any]) -> Callable[[RegistryHarness], Prepared]:
    return lambda r: Prepared(build(r))


# the table -------------------------------------------------------------------------------------
def grant_to_newcomer(role: str) -> Callable[[RegistryHarness], Prepared]:
    return no_precondition(lambda r: r.grants.functions.grantRole(r.role(role), NEWCOMER))


def renounce_held(role: str, holder: str) -> Callable[[RegistryHarness], Prepared]:
    return no_precondition(lambda r: r.grants.functions.renounceRole(r.role(role), getattr(r.actors, holder)))


ONLY_ADMIN = frozenset({"admin"})
ONLY_AUDITOR = frozenset({"auditor"})
GOVERNANCE = needs_role("DEFAULT_ADMIN_ROLE")
NEEDS_ADMIN = needs_role("ADMIN_ROLE")
NEEDS_AUDITOR = needs_role("AUDITOR_ROLE")


def _role_rows() -> list[Guarded]:
    rows: list[Guarded] = []
    for role in DELEGATED_ROLES:
        rows += [
            Guarded(
                f"grantRole({role})",
                prepare=grant_to_newcomer(role),
                allowed=ONLY_ADMIN,
                refusal=GOVERNANCE,
                event="RoleGranted",
                credited="sender",
            ),
            Guarded(
                f"revokeRole({role})",
                prepare=revoke_from_newcomer(role),
                allowed=ONLY_ADMIN,
                refusal=GOVERNANCE,
                event="RoleRevoked",
                credited="sender",
            ),
        ]
    rows += [
        Guarded(
            "grantRole(DEFAULT_ADMIN_ROLE)",
            prepare=grant_to_newcomer("DEFAULT_ADMIN_ROLE"),
            allowed=NOBODY,
            refusal=default_admin_rules,
            event="RoleGranted",
        ),
        Guarded(
            "revokeRole(DEFAULT_ADMIN_ROLE)",
            prepare=no_precondition(
                lambda r: r.grants.functions.revokeRole(r.role("DEFAULT_ADMIN_ROLE"), r.actors.admin)
            ),
            allowed=NOBODY,
            refusal=default_admin_rules,
            event="RoleRevoked",
        ),
    ]
    for role, holder in (("ADMIN_ROLE", "admin"), ("AUDITOR_ROLE", "auditor"), ("MEMBER_ROLE", "member")):
        rows.append(
            Guarded(
                f"renounceRole({role})",
                prepare=renounce_held(role, holder),
                allowed=frozenset({holder}),
                refusal=needs_own_account,
                event="RoleRevoked",
                credited="sender",
            )
        )
    return rows


TABLE: list[Guarded] = [
    # membership
    Guarded(
        "bindCompanyAccount",
        prepare=no_precondition(lambda r: r.grants.functions.bindCompanyAccount(NEWCOMER, COMPANY_B, "")),
        allowed=ONLY_ADMIN,
        refusal=NEEDS_ADMIN,
        event="CompanyAccountBound",
        credited="admin",
    ),
    Guarded(
        "renameCompany",
        prepare=no_precondition(lambda r: r.grants.functions.renameCompany(COMPANY_A, "(주)한빛데이터랩")),
        allowed=ONLY_ADMIN,
        refusal=NEEDS_ADMIN,
        event="CompanyNamed",
        credited="admin",
    ),
    Guarded(
        "unbindCompanyAccount",
        prepare=no_precondition(lambda r: r.grants.functions.unbindCompanyAccount(r.actors.company_a2)),
        allowed=ONLY_ADMIN,
        refusal=NEEDS_ADMIN,
        event="CompanyAccountUnbound",
        credited="admin",
    ),
    *_role_rows(),
    # the delayed transfer of DEFAULT_ADMIN_ROLE
    Guarded(
        "beginDefaultAdminTransfer",
        prepare=no_precondition(lambda r: r.grants.functions.beginDefaultAdminTransfer(NEWCOMER)),
        allowed=ONLY_ADMIN,
        refusal=GOVERNANCE,
        event="DefaultAdminTransferScheduled",
    ),
    Guarded(
        "cancelDefaultAdminTransfer",
        prepare=pending_transfer(lambda r: NEWCOMER, lambda r: r.grants.functions.cancelDefaultAdminTransfer()),
        allowed=ONLY_ADMIN,
        refusal=GOVERNANCE,
        event="DefaultAdminTransferCanceled",
    ),
    Guarded(
        "acceptDefaultAdminTransfer",
        prepare=pending_transfer(
            lambda r: r.actors.member,
            lambda r: r.grants.functions.acceptDefaultAdminTransfer(),
            wait=ADMIN_DELAY + 60,
        ),
        allowed=frozenset({"member"}),
        refusal=needs_pending_admin,
        event="RoleGranted",
        credited="sender",
    ),
    Guarded(
        "changeDefaultAdminDelay",
        prepare=no_precondition(lambda r: r.grants.functions.changeDefaultAdminDelay(DAY)),
        allowed=ONLY_ADMIN,
        refusal=GOVERNANCE,
        event="DefaultAdminDelayChangeScheduled",
    ),
    Guarded(
        "rollbackDefaultAdminDelay",
        prepare=pending_delay_change,
        allowed=ONLY_ADMIN,
        refusal=GOVERNANCE,
        event="DefaultAdminDelayChangeCanceled",
    ),
    # programs and projects
    Guarded(
        "createProgram",
        prepare=no_precondition(
            lambda r: r.grants.functions.createProgram(
                (
                    "R&D planning consulting",
                    2021,
                    200_000_000,
                    20_000_000,
                    "D.N.A.",
                    doc("meta"),
                    "ipfs://meta",
                    RULES,
                )
            )
        ),
        allowed=ONLY_ADMIN,
        refusal=NEEDS_ADMIN,
        event="ProgramCreated",
        credited="admin",
    ),
    Guarded(
        "closeProgram",
        prepare=close_open_program,
        allowed=ONLY_ADMIN,
        refusal=NEEDS_ADMIN,
        event="ProgramClosed",
        credited="admin",
    ),
    Guarded(
        "registerProject",
        prepare=open_program_for_project,
        allowed=ONLY_ADMIN,
        refusal=NEEDS_ADMIN,
        event="ProjectRegistered",
        credited="admin",
    ),
    Guarded(
        "completeProject",
        prepare=active_project(lambda r, p: r.grants.functions.completeProject(p, doc("final report"))),
        allowed=ONLY_ADMIN,
        refusal=NEEDS_ADMIN,
        event="ProjectStatusChanged",
        credited="actor",
    ),
    Guarded(
        "terminateProject",
        prepare=active_project(lambda r, p: r.grants.functions.terminateProject(p, doc("termination"))),
        allowed=ONLY_ADMIN,
        refusal=NEEDS_ADMIN,
        event="ProjectStatusChanged",
        credited="actor",
    ),
    # milestones
    Guarded(
        "planMilestone",
        prepare=active_project(
            lambda r, p: r.grants.functions.planMilestone(p, r.now() + 30 * DAY, 0, doc("milestone plan"))
        ),
        allowed=ONLY_ADMIN | COMPANY_CLERKS,
        refusal=needs_company,
        event="MilestonePlanned",
        credited="actor",
    ),
    Guarded(
        "submitMilestone",
        prepare=planned_milestone,
        allowed=COMPANY_CLERKS,
        refusal=needs_company,
        event="MilestoneSubmitted",
        credited="submitter",
    ),
    Guarded(
        "approveMilestone",
        prepare=submitted_milestone(lambda r, p, i: r.grants.functions.approveMilestone(p, i, doc("review"))),
        allowed=ONLY_AUDITOR,
        refusal=NEEDS_AUDITOR,
        event="MilestoneApproved",
        credited="auditor",
    ),
    Guarded(
        "rejectMilestone",
        prepare=submitted_milestone(lambda r, p, i: r.grants.functions.rejectMilestone(p, i, doc("reason"))),
        allowed=ONLY_AUDITOR,
        refusal=NEEDS_AUDITOR,
        event="MilestoneRejected",
        credited="auditor",
    ),
    # audits
    Guarded(
        "recordAudit",
        prepare=active_project(lambda r, p: r.grants.functions.recordAudit(p, (GRADE_GOOD, doc("findings"), 0, 0))),
        allowed=ONLY_AUDITOR,
        refusal=NEEDS_AUDITOR,
        event="AuditRecorded",
        credited="auditor",
    ),
    Guarded(
        "confirmSanction",
        prepare=pending_sanction,
        allowed=ONLY_AUDITOR,
        refusal=NEEDS_AUDITOR,
        event="SanctionConfirmed",
        credited="auditor",
    ),
    Guarded(
        "setSanctionQuorum",
        prepare=no_precondition(lambda r: r.grants.functions.setSanctionQuorum(3)),
        allowed=ONLY_ADMIN,
        refusal=NEEDS_ADMIN,
        event="SanctionQuorumChanged",
        credited="admin",
    ),
    # decisions: written by the outcome registry only (MODULE_ROLE); see
    # test_module_role_holder_may_note_disputes_and_hold_or_release_sanctions
    Guarded(
        "noteReportDispute",
        prepare=active_project(lambda r, p: r.grants.functions.noteReportDispute(1, p, r.actors.auditor)),
        allowed=NOBODY,
        refusal=needs_role("MODULE_ROLE"),
        event=None,
    ),
    Guarded(
        "holdSanction",
        prepare=no_precondition(lambda r: r.grants.functions.holdSanction(1, 1)),
        allowed=NOBODY,
        refusal=needs_role("MODULE_ROLE"),
        event=None,
    ),
    Guarded(
        "releaseSanction",
        prepare=no_precondition(lambda r: r.grants.functions.releaseSanction(1, 1, True)),
        allowed=NOBODY,
        refusal=needs_role("MODULE_ROLE"),
        event=None,
    ),
    # evidence
    Guarded(
        "anchorDocument",
        prepare=no_precondition(lambda r: r.grants.functions.anchorDocument(doc("stand-alone"))),
        allowed=PARTICIPANTS,
        refusal=needs_participant,
        event="DocumentAnchored",
        credited="anchoredBy",
    ),
    Guarded(
        "anchorBatch",
        prepare=no_precondition(lambda r: r.grants.functions.anchorBatch(doc("root"), 3, doc("manifest"))),
        allowed=PARTICIPANTS,
        refusal=needs_participant,
        event="BatchAnchored",
        credited="anchoredBy",
    ),
    # Only registry contracts hold MODULE_ROLE; test_module_role_holder_may_anchor_for_another_account
    # shows a holder succeeds.
    Guarded(
        "anchorFor",
        prepare=no_precondition(
            lambda r: r.grants.functions.anchorFor(doc("for"), ANCHOR_DOCUMENT, r.actors.company_a)
        ),
        allowed=NOBODY,
        refusal=needs_role("MODULE_ROLE"),
        event="DocumentAnchored",
    ),
    # outcomes
    Guarded(
        "addOutcome",
        contract="outcomes",
        prepare=active_project(
            lambda r, p: r.outcomes.functions.addOutcome(
                p, OUTCOME_PATENT_APPLICATION, "10-2021-0099999", NO_DETAILS, doc("outcome")
            )
        ),
        allowed=COMPANY_CLERKS,
        refusal=needs_company,
        event="OutcomeAdded",
        credited="submitter",
    ),
    Guarded(
        "amendOutcome",
        contract="outcomes",
        prepare=recorded_outcome(
            lambda r, o: r.outcomes.functions.amendOutcome(
                o, OUTCOME_PATENT_APPLICATION, "10-2021-0012346", NO_DETAILS, doc("corrected"), doc("typo")
            )
        ),
        allowed=COMPANY_CLERKS,
        refusal=needs_company,
        event="OutcomeAmended",
        credited="submitter",
    ),
    Guarded(
        "revokeOutcome",
        contract="outcomes",
        prepare=recorded_outcome(lambda r, o: r.outcomes.functions.revokeOutcome(o, doc("withdrawn"))),
        allowed=ONLY_AUDITOR | COMPANY_CLERKS,
        refusal=needs_company,
        event="OutcomeRevocation",
        credited="actor",
    ),
    Guarded(
        "updateIpStatus",
        contract="outcomes",
        prepare=recorded_outcome(lambda r, o: r.outcomes.functions.updateIpStatus(o, IP_FILED, doc("filing receipt"))),
        allowed=COMPANY_CLERKS,
        refusal=needs_company,
        event="IpStatusChanged",
        credited="actor",
    ),
    # commercialization
    Guarded(
        "reportCommercialization",
        contract="outcomes",
        prepare=active_project(
            lambda r, p: r.outcomes.functions.reportCommercialization(p, YEAR, FIGURES, doc("sales ledger"))
        ),
        allowed=COMPANY_CLERKS,
        refusal=needs_company,
        event="CommercializationReported",
        credited="submitter",
    ),
    Guarded(
        "commitCommercialization",
        contract="outcomes",
        prepare=active_project(
            lambda r, p: r.outcomes.functions.commitCommercialization(
                p, YEAR, commitment(p, YEAR, FIGURES, SALT), doc("sealed ledger")
            )
        ),
        allowed=COMPANY_CLERKS,
        refusal=needs_company,
        event="CommercializationCommitted",
        credited="submitter",
    ),
    Guarded(
        "revealCommercialization",
        contract="outcomes",
        prepare=committed_report,
        allowed=COMPANY_CLERKS,
        refusal=needs_company,
        event="CommercializationRevealed",
        credited="submitter",
    ),
    Guarded(
        "verifyReport",
        contract="outcomes",
        prepare=filed_report(lambda r, rep: r.outcomes.functions.verifyReport(rep, doc("verification note"))),
        allowed=ONLY_AUDITOR,
        refusal=NEEDS_AUDITOR,
        event="CommercializationVerified",
        credited="auditor",
    ),
    Guarded(
        "disputeReport",
        contract="outcomes",
        prepare=filed_report(lambda r, rep: r.outcomes.functions.disputeReport(rep, doc("dispute reason"))),
        allowed=ONLY_AUDITOR,
        refusal=NEEDS_AUDITOR,
        event="CommercializationDisputed",
        credited="auditor",
    ),
    # objections
    Guarded(
        "fileObjection",
        contract="outcomes",
        prepare=rejected_milestone,
        allowed=COMPANY_CLERKS,
        refusal=needs_company,
        event="ObjectionFiled",
        credited="company",
    ),
    Guarded(
        "resolveObjection",
        contract="outcomes",
        prepare=open_objection,
        allowed=ONLY_AUDITOR,
        refusal=NEEDS_AUDITOR,
        event="ObjectionResolved",
        credited="auditor",
    ),
]

ALLOWED_CASES = [
    pytest.param(row, actor, id=f"{row.label}-by-{actor}") for row in TABLE for actor in ACTORS if actor in row.allowed
]
REFUSED_CASES = [
    pytest.param(row, actor, id=f"{row.label}-by-{actor}")
    for row in TABLE
    for actor in ACTORS
    if actor not in row.allowed
]


@pytest.mark.parametrize(("row", "actor"), ALLOWED_CASES)
def test_allowed_party_succeeds_and_is_credited(registry: RegistryHarness, row: Guarded, actor: str) -> None:
    account = getattr(registry.actors, actor)
    prepared = row.prepare(registry)
    receipt = registry.send(account, prepared.call)
    assert row.event is not None, "a function somebody may call is checked by its event"
    event = registry.event(receipt, getattr(registry, row.contract), row.event)
    if row.credited is not None:
        assert event[row.credited] == account


@pytest.mark.parametrize(("row", "actor"), REFUSED_CASES)
def test_other_party_is_refused_with_exact_error(registry: RegistryHarness, row: Guarded, actor: str) -> None:
    account = getattr(registry.actors, actor)
    prepared = row.prepare(registry)
    error, args = row.refusal(registry, account, prepared)
    refused = registry.reverts(account, prepared.call, error, **args)
    assert refused.args_by_name == args


def test_table_covers_every_write_function_of_both_registries(registry: RegistryHarness) -> None:
    def writes(abi: Any) -> set[str]:
        return {e["name"] for e in abi if e["type"] == "function" and e["stateMutability"] not in ("view", "pure")}

    covered = {(row.contract, row.function) for row in TABLE}
    expected = {("grants", name) for name in writes(registry.grants.abi)}
    expected |= {("outcomes", name) for name in writes(registry.outcomes.abi)}
    assert covered == expected


def test_every_role_change_is_checked_for_every_delegated_role() -> None:
    labels = {row.label for row in TABLE}
    for role in (*DELEGATED_ROLES, "DEFAULT_ADMIN_ROLE"):
        assert f"grantRole({role})" in labels
        assert f"revokeRole({role})" in labels


def test_module_role_holder_may_anchor_for_another_account(registry: RegistryHarness) -> None:
    registry.send(registry.actors.admin, registry.grants.functions.grantRole(registry.role("MODULE_ROLE"), NEWCOMER))
    call = registry.grants.functions.anchorFor(doc("for"), ANCHOR_DOCUMENT, registry.actors.company_a)
    registry.send(NEWCOMER, call)
    anchor = registry.grants.functions.anchorOf(doc("for")).call()
    assert anchor[0] == registry.actors.company_a
    assert anchor[3] == ANCHOR_DOCUMENT


def test_module_role_holder_may_note_disputes_and_hold_or_release_sanctions(registry: RegistryHarness) -> None:
    registry.send(registry.actors.admin, registry.grants.functions.grantRole(registry.role("MODULE_ROLE"), NEWCOMER))
    project = registry.funded_project()
    receipt = registry.send(NEWCOMER, registry.grants.functions.noteReportDispute(7, project, registry.actors.auditor))
    decided_at = registry.w3.eth.get_block(receipt["blockNumber"])["timestamp"]
    decision = registry.grants.functions.decisionOf(2, 7, 0).call()  # ObjectionSubject.ReportDispute
    assert tuple(decision) == (registry.actors.auditor, decided_at, project, RULES[1])
    registry.send(NEWCOMER, registry.grants.functions.holdSanction(3, 9))
    assert registry.grants.functions.sanctionHoldOf(3).call() == 9
    registry.send(NEWCOMER, registry.grants.functions.releaseSanction(3, 9, False))
    assert registry.grants.functions.sanctionHoldOf(3).call() == 0


def test_clerks_of_one_company_cannot_write_for_another_companys_project(
    registry: RegistryHarness,
) -> None:
    project_b = registry.funded_project(company=COMPANY_B)
    call = registry.outcomes.functions.addOutcome(
        project_b, OUTCOME_PATENT_APPLICATION, "x", NO_DETAILS, doc("b-outcome")
    )
    for clerk in (registry.actors.company_a, registry.actors.company_a2):
        registry.reverts(clerk, call, "ProjectUnauthorizedCompany", projectId=project_b, account=clerk)
    receipt = registry.send(registry.actors.company_b, call)
    assert registry.event(receipt, registry.outcomes, "OutcomeAdded")["submitter"] == registry.actors.company_b
    assert registry.grants.functions.getProject(project_b).call()[1] == COMPANY_B
    assert registry.grants.functions.companyOf(registry.actors.company_a).call() == COMPANY_A
