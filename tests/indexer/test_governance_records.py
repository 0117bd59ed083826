"""The records of contracts 1.1.0 in the SQL copy: company names, program rules, project targets and funds,
two-person sanctions, objections and outcome details equal the chain's views and events, however the
events are cut into batches, and rebuilt from the raw events; a company name that is not text is
stored with replacement characters."""

from __future__ import annotations

from alembic import command
from eth_abi import encode
from eth_utils.crypto import keccak
from sqlalchemy import func, select
from web3 import Web3

from registry.chain.anvil import AnvilProcess
from registry.chain.client import RegistryClient
from registry.chain.deployment import DeploymentManifest
from registry.domain.enums import ObjectionStatus, ObjectionSubject, SanctionStatus
from registry.domain.records import ProgramRules
from registry.indexer.catalogue import EventCatalogue
from registry.indexer.projections import rebuild
from registry.store.engine import current_revision, migration_config, open_engine, upgrade
from registry.store.records import read_objections, read_sanctions
from registry.store.schema import (
    companies,
    company_names,
    membership_history,
    outcomes,
    programs,
    projects,
    raw_events,
)
from tests.helpers.database import Databases, assert_same_databases, table_contents
from tests.helpers.indexer import assert_database_matches_chain, index_once
from tests.helpers.registry import (
    CAP,
    COMPANY_A,
    COMPANY_A_NAME,
    COMPANY_B,
    COMPANY_B_NAME,
    DAY,
    RegistryHarness,
    doc,
)

PAPER_DETAILS = ("Journal of Urban Data", "KR", "", 0, 0, True)
TRANSFER_DETAILS = ("", "KR", "(주)인천모빌리티", 1_700_000_000, 30_000_000, False)


def governance_activity(registry: RegistryHarness) -> dict[str, int]:
    """A round of every rule of 1.1.0 on the session registry; the ids it made, by what they are."""
    g, o, actors = registry.grants.functions, registry.outcomes.functions, registry.actors
    ids: dict[str, int] = {}
    registry.send(actors.admin, g.renameCompany(COMPANY_B, "누리로보틱스 주식회사"))
    registry.send(actors.admin, g.renameCompany(COMPANY_B, COMPANY_B_NAME))  # and back: two renames in history
    ids["project"] = project = registry.funded_project()
    ids["terminated"] = terminated = registry.funded_project()
    ids["clawed"] = clawed = registry.funded_project()

    # A milestone approved (paid), one rejected and objected to, the objection upheld.
    index = registry.plan_milestone(project)
    registry.send(actors.company_a, g.submitMilestone(project, index, [doc("evidence:approved")]))
    registry.send(actors.auditor, g.approveMilestone(project, index, doc("review:approved")))
    _, rejected = registry.rejected_milestone(project)
    ids["milestone_objection"] = registry.file_objection(int(ObjectionSubject.MILESTONE_REJECTION), project, rejected)
    registry.resolve_objection(ids["milestone_objection"], upheld=True)

    # A terminated project returns its unpaid grant (one tranche was paid).
    index = registry.plan_milestone(terminated)
    registry.send(actors.company_a, g.submitMilestone(terminated, index, [doc("evidence:terminated")]))
    registry.send(actors.auditor, g.approveMilestone(terminated, index, doc("review:terminated")))
    registry.send(actors.admin, g.terminateProject(terminated, doc("termination")))

    # A clawback: pending, objected to, the objection dismissed, then confirmed by the second auditor.
    ids["clawback"] = registry.record_audit(clawed, grade=5, clawback=CAP // 2, until=registry.now() + 100 * DAY)
    ids["evaluation_objection"] = registry.file_objection(int(ObjectionSubject.EVALUATION), ids["clawback"])
    registry.resolve_objection(ids["evaluation_objection"], upheld=False)
    registry.confirm_sanction(ids["clawback"])
    # A restriction cancelled by an upheld objection; one left pending under an open objection.
    ids["cancelled"] = registry.record_audit(project, grade=4, until=registry.now() + 50 * DAY)
    ids["cancelling_objection"] = registry.file_objection(int(ObjectionSubject.EVALUATION), ids["cancelled"])
    registry.resolve_objection(ids["cancelling_objection"], upheld=True)
    ids["held"] = registry.record_audit(project, grade=4, until=registry.now() + 60 * DAY)
    ids["open_objection"] = registry.file_objection(int(ObjectionSubject.EVALUATION), ids["held"])
    ids["plain"] = registry.record_audit(project, grade=2)  # no sanction at all
    registry.send(actors.admin, g.setSanctionQuorum(3))

    # Outcomes with details, one corrected; a disputed report objected to.
    receipt = registry.send(actors.company_a, o.addOutcome(project, 1, "10.1000/urban.2021", PAPER_DETAILS,
                                                         doc("outcome:paper")))  # fmt: skip
    ids["paper"] = int(registry.event(receipt, registry.outcomes, "OutcomeAdded")["outcomeId"])
    registry.send(actors.company_a, o.amendOutcome(ids["paper"], 1, "10.1000/urban.2021.2", PAPER_DETAILS,
                                                   doc("outcome:paper2"), doc("reason:paper")))  # fmt: skip
    receipt = registry.send(actors.company_a, o.addOutcome(project, 5, "TT-2021-7", TRANSFER_DETAILS,
                                                         doc("outcome:transfer")))  # fmt: skip
    ids["transfer"] = int(registry.event(receipt, registry.outcomes, "OutcomeAdded")["outcomeId"])
    ids["report"] = report = registry.report(project)
    registry.send(actors.auditor, o.disputeReport(report, doc("dispute")))
    ids["report_objection"] = registry.file_objection(int(ObjectionSubject.REPORT_DISPUTE), report)
    return ids


def test_the_records_of_1_1_0_equal_the_chain_in_any_batches_and_rebuilt(
    registry: RegistryHarness, databases: Databases, manifest: DeploymentManifest, anvil: AnvilProcess,
    client: RegistryClient,
) -> None:  # fmt: skip
    ids = governance_activity(registry)
    whole, blockwise = databases.new(), databases.new()
    index_once(whole, manifest, anvil.rpc_url)
    index_once(blockwise, manifest, anvil.rpc_url, initial_span=1, max_span=1)

    engine = open_engine(whole)
    assert_database_matches_chain(engine, client, anvil.rpc_url)
    assert_same_databases(open_engine(blockwise), engine)
    before = table_contents(engine)
    with engine.begin() as connection:
        rebuild(connection, EventCatalogue.from_manifest(manifest))
    assert table_contents(engine) == before

    with engine.connect() as connection:
        sanctions = {s.audit_id: s for s in read_sanctions(connection)}
        found = {x.objection_id: x for x in read_objections(connection)}
        names = dict(connection.execute(select(companies.c.company_id, companies.c.name)).all())
        history = connection.execute(
            select(company_names.c.name).where(company_names.c.company_id == COMPANY_B)
        ).scalars().all()  # fmt: skip
        named_actions = connection.execute(
            select(membership_history.c.action).where(membership_history.c.company_id == COMPANY_B)
        ).scalars().all()  # fmt: skip
        funds = {row.project_id: (row.paid, row.returned) for row in connection.execute(select(projects))}
        program = connection.execute(select(programs).order_by(programs.c.program_id.desc())).mappings().first()
        details = {row.outcome_id: row for row in connection.execute(select(outcomes))}
    assert sanctions[ids["clawback"]].status is SanctionStatus.IN_EFFECT
    assert sanctions[ids["cancelled"]].status is SanctionStatus.CANCELLED
    assert sanctions[ids["held"]].status is SanctionStatus.PENDING
    assert sanctions[ids["held"]].held_by_objection == ids["open_objection"]
    assert sanctions[ids["plain"]].status is SanctionStatus.NONE
    assert found[ids["milestone_objection"]].status is ObjectionStatus.UPHELD
    assert found[ids["evaluation_objection"]].status is ObjectionStatus.DISMISSED
    assert found[ids["report_objection"]].status is ObjectionStatus.OPEN
    assert names[COMPANY_A] == COMPANY_A_NAME and names[COMPANY_B] == COMPANY_B_NAME
    assert history[-3:] == [COMPANY_B_NAME, "누리로보틱스 주식회사", COMPANY_B_NAME]
    assert "company-named" in named_actions
    assert funds[ids["terminated"]] == (CAP // 4, CAP - CAP // 4)
    assert funds[ids["clawed"]] == (0, CAP)
    assert funds[ids["project"]][0] == CAP // 4
    assert program is not None and ProgramRules(
        follow_up_years=program["follow_up_years"], objection_days=program["objection_days"],
        max_restriction_days=program["max_restriction_days"], max_clawback_percent=program["max_clawback_percent"],
    ) == ProgramRules()  # fmt: skip
    paper, transfer = details[ids["paper"]], details[ids["transfer"]]
    assert (paper.venue, paper.sci_indexed, paper.amended_by) == ("Journal of Urban Data", True, ids["paper"] + 1)
    assert (transfer.counterparty, transfer.details_amount, transfer.details_date) == ("(주)인천모빌리티", 30_000_000,
                                                                                      1_700_000_000)  # fmt: skip


def test_a_company_name_that_is_not_text_is_stored_with_replacement_characters(
    registry: RegistryHarness, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess, w3: Web3
) -> None:
    name = b"\xed\x95\x9c\xff \x00(\xec\xa3\xbc)"  # 한, a byte that is not UTF-8, a NUL, (주)
    selector = keccak(text="renameCompany(bytes32,string)")[:4]
    data = selector + encode(["bytes32", "bytes"], [COMPANY_A, name])
    tx = w3.eth.send_transaction({"from": registry.actors.admin, "to": registry.grants.address, "data": data})
    assert w3.eth.wait_for_transaction_receipt(tx)["status"] == 1

    index_once(database_url, manifest, anvil.rpc_url)

    with open_engine(database_url).connect() as connection:
        row = connection.execute(select(companies).where(companies.c.company_id == COMPANY_A)).mappings().one()
    assert row["name"] == "한\ufffd \ufffd(주)"
    assert row["name_folded"] == "한\ufffd \ufffd(주)"


def test_a_database_upgraded_from_0003_over_a_1_1_0_registry_is_read_again_and_equals_the_chain(
    registry: RegistryHarness, database_url: str, manifest: DeploymentManifest, anvil: AnvilProcess,
    client: RegistryClient,
) -> None:  # fmt: skip
    governance_activity(registry)
    index_once(database_url, manifest, anvil.rpc_url)
    engine = open_engine(database_url)
    expected = table_contents(engine)
    # The indexer before 0004 stored the new events' logs, named, and projected none of them.
    with engine.begin() as connection:
        command.downgrade(migration_config(connection), "0003")
    assert current_revision(engine) == "0003"

    upgrade(engine)  # as `rnd-registry index` does on start
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(raw_events)).scalar_one() == 0
    index_once(database_url, manifest, anvil.rpc_url)

    assert_database_matches_chain(engine, client, anvil.rpc_url)
    assert table_contents(engine) == expected
