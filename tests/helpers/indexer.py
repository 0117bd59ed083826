"""Running the indexer in tests, and checking a database against the chain it copies."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from registry.chain.client import RegistryClient
from registry.chain.deployment import DeploymentManifest
from registry.domain.enums import ObjectionSubject, ProjectStatus
from registry.domain.records import Anchor, Audit, Batch, CommercializationReport, Milestone, Outcome, Program, Project
from registry.domain.types import ZERO_HASH
from registry.indexer.catalogue import EventCatalogue
from registry.indexer.fetcher import LogFetcher
from registry.indexer.rpc import Backoff, JsonRpc, Waiter
from registry.indexer.runner import Indexer, IndexerOptions, RunSummary
from registry.store.engine import open_engine, upgrade
from registry.store.records import (
    outcome_details,
    project_targets,
    read_company_names,
    read_decisions,
    read_funds,
    read_objections,
    read_program_rules,
    read_records,
    read_sanction_quorum,
    read_sanctions,
)
from registry.store.schema import (
    anchors,
    company_accounts,
    company_names,
    company_restrictions,
    evidence_references,
    objections,
    outcomes,
    projects,
    raw_events,
    relayed_requests,
    role_members,
)

#: Quick retries, so tests of failures do not wait long.
FAST_BACKOFF = Backoff(initial=0.01, maximum=0.2)


def make_indexer(
    database_url: str,
    manifest: DeploymentManifest,
    rpc_url: str,
    *,
    timeout: float = 10.0,
    stop: threading.Event | None = None,
    **options: Any,
) -> Indexer:
    """An indexer of `manifest`'s registry at `rpc_url` into `database_url`, its schema brought up to date."""
    engine = open_engine(database_url, background_checkpoints=True)
    upgrade(engine)
    rpc = JsonRpc(rpc_url, timeout=timeout, waiter=Waiter(FAST_BACKOFF, stop, seed=1))
    return Indexer(engine, manifest, rpc, IndexerOptions(**options))


def index_once(database_url: str, manifest: DeploymentManifest, rpc_url: str, **options: Any) -> RunSummary:
    """Indexes up to the head, and closes the indexer."""
    indexer = make_indexer(database_url, manifest, rpc_url, **options)
    try:
        return indexer.run()
    finally:
        indexer.close()


def chain_logs(rpc_url: str, manifest: DeploymentManifest) -> int:
    """How many logs the registry contracts have on the chain, from the deployment block to the head."""
    rpc = JsonRpc(rpc_url, timeout=30)
    fetcher = LogFetcher(rpc, EventCatalogue.from_manifest(manifest), manifest.chain_id)
    try:
        return len(fetcher.logs(manifest.deploy_block, fetcher.head())[0])
    finally:
        rpc.close()


def assert_database_matches_chain(engine: Engine, client: RegistryClient, rpc_url: str) -> None:
    """Every record in the database is the chain's, field for field, and the chain has no record the
    database lacks: counts, records, anchors, batches, roles, company bindings, restrictions, relays."""
    with engine.connect() as connection:
        stored = int(connection.execute(select(func.count()).select_from(raw_events)).scalar_one())
        assert stored == chain_logs(rpc_url, client.manifest), "raw events differ from the chain's logs"

        counts = client.counts()
        programs = read_records(connection, Program)
        assert [p.program_id for p in programs] == list(range(1, counts["programs"] + 1))
        assert programs == [client.program(p.program_id) for p in programs]
        projects = read_records(connection, Project)
        assert [p.project_id for p in projects] == list(range(1, counts["projects"] + 1))
        assert projects == [client.project(p.project_id) for p in projects]
        milestones = read_records(connection, Milestone)
        assert len(milestones) == sum(p.milestone_count for p in projects)
        assert milestones == [client.milestone(m.project_id, m.milestone_index) for m in milestones]
        outcomes = read_records(connection, Outcome)
        assert [o.outcome_id for o in outcomes] == list(range(1, counts["outcomes"] + 1))
        assert outcomes == [client.outcome(o.outcome_id) for o in outcomes]
        reports = read_records(connection, CommercializationReport)
        assert [r.report_id for r in reports] == list(range(1, counts["reports"] + 1))
        assert reports == [client.report(r.report_id) for r in reports]
        audits = read_records(connection, Audit)
        assert [a.audit_id for a in audits] == list(range(1, counts["audits"] + 1))
        assert audits == [client.audit(a.audit_id) for a in audits]

        # The chain cannot list its anchors, but every anchoring is some record's reference to a document.
        anchored = read_records(connection, Anchor)
        anchoring = set(
            connection.execute(select(evidence_references.c.document_hash).where(evidence_references.c.anchoring))
            .scalars()
            .all()
        )
        assert {a.document_hash for a in anchored} == anchoring
        assert anchored == [client.anchor(a.document_hash) for a in anchored]
        cited_only = set(connection.execute(select(evidence_references.c.document_hash)).scalars()) - anchoring
        assert all(client.anchor(h).anchored for h in cited_only)
        batches = read_records(connection, Batch)
        assert batches == [client.batch(b.root) for b in batches]

        for row in connection.execute(select(role_members)).mappings():
            assert client.read(client.grants.functions.hasRole(row["role"], row["account"])) == row["active"]
        for row in connection.execute(select(company_accounts)).mappings():
            assert client.company_of(row["account"]) == (row["company_id"] if row["active"] else None)
        for row in connection.execute(select(company_restrictions)).mappings():
            until = client.read(client.grants.functions.restrictionOf(row["company_id"]))
            assert until == row["restricted_until"]
        relays = connection.execute(
            select(relayed_requests.c.signer, func.count()).group_by(relayed_requests.c.signer)
        ).all()
        for signer, count in relays:
            assert client.nonce_of(signer) == count
        assert connection.execute(select(func.count()).select_from(anchors)).scalar_one() == len(anchored)
        assert_new_records_match_chain(connection, client, [p.project_id for p in projects])
    assert ZERO_HASH not in anchoring, "a zero hash means no document"


def assert_new_records_match_chain(connection: Connection, client: RegistryClient, project_ids: list[int]) -> None:
    """The records of contracts 1.1.0 equal the chain's views (rules, funds, names, sanctions, decisions,
    objections, the quorum), and what only events carry (targets, outcome details, every name a company
    had) equals the events as web3 decodes them, independently of the indexer's decoder."""
    g, o = client.grants, client.outcomes
    since = client.manifest.deploy_block
    rules = read_program_rules(connection)
    assert rules == {program_id: client.program_rules(program_id) for program_id in rules}
    funds = read_funds(connection)
    assert funds == [client.funds(project_id) for project_id in project_ids]
    ended = (ProjectStatus.TERMINATED, ProjectStatus.CLAWED_BACK)
    assert all(f.returned == 0 or client.project(f.project_id).status in ended for f in funds)

    names = read_company_names(connection)
    assert names == {company: client.company_name(company) for company in names}
    named = [(e["args"]["companyId"], e["args"]["name"]) for e in g.events.CompanyNamed.get_logs(from_block=since)]
    stored_names = connection.execute(
        select(company_names.c.company_id, company_names.c.name).order_by(company_names.c.block_number,
                                                                           company_names.c.log_index)
    ).all()  # fmt: skip
    assert [tuple(row) for row in stored_names] == named
    assert {company for company, _ in named} == set(names)

    sanctions = read_sanctions(connection)
    assert sanctions == [client.sanction(s.audit_id) for s in sanctions]
    assert read_sanction_quorum(connection) == client.sanction_quorum()
    decisions = read_decisions(connection)
    assert decisions == [client.decision(d.subject, d.subject_id, d.milestone_index) for d in decisions]
    found = read_objections(connection)
    counts = client.counts()
    assert [x.objection_id for x in found] == list(range(1, counts["objections"] + 1))
    assert found == [client.objection(x.objection_id) for x in found]
    filed = {e["args"]["objectionId"]: e["args"] for e in o.events.ObjectionFiled.get_logs(from_block=since)}
    resolved = {e["args"]["objectionId"]: e["args"] for e in o.events.ObjectionResolved.get_logs(from_block=since)}
    for row in connection.execute(select(objections)).mappings():
        assert row["evidence_hash"] == filed[row["objection_id"]]["evidenceHash"]
        assert row["reason_hash"] == (resolved[row["objection_id"]]["reasonHash"] if row["resolved_by"] else None)
        decision = next(
            (d for d in decisions
             if (d.subject, d.subject_id, d.milestone_index) == (row["subject"], row["subject_id"],
                                                                 row["milestone_index"])),
            None,
        )  # fmt: skip
        assert decision is not None and ObjectionSubject(row["subject"]) is not ObjectionSubject.NONE

    targets = {
        e["args"]["projectId"]: e["args"]["targets"] for e in g.events.ProjectTargetsSet.get_logs(from_block=since)
    }
    for row in connection.execute(select(projects)).mappings():
        stored = project_targets(row)
        expected = targets.get(row["project_id"])
        assert (stored.as_abi() if stored else None) == (tuple(expected.values()) if expected else None)
    details = {
        e["args"]["outcomeId"]: e["args"]["details"] for e in o.events.OutcomeDetailsRecorded.get_logs(from_block=since)
    }
    for row in connection.execute(select(outcomes)).mappings():
        stored_details = outcome_details(row)
        expected_details = details.get(row["outcome_id"])
        assert (stored_details.as_abi() if stored_details else None) == (
            tuple(expected_details.values()) if expected_details else None
        )
