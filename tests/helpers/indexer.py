"""Running the indexer in tests, and checking a database against the chain it copies."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine, func, select

from registry.chain.client import RegistryClient
from registry.chain.deployment import DeploymentManifest
from registry.domain.records import Anchor, Audit, Batch, CommercializationReport, Milestone, Outcome, Program, Project
from registry.domain.types import ZERO_HASH
from registry.indexer.catalogue import EventCatalogue
from registry.indexer.fetcher import LogFetcher
from registry.indexer.rpc import Backoff, JsonRpc, Waiter
from registry.indexer.runner import Indexer, IndexerOptions, RunSummary
from registry.store.engine import open_engine, upgrade
from registry.store.records import read_records
from registry.store.schema import (
    anchors,
    company_accounts,
    company_restrictions,
    evidence_references,
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
    assert ZERO_HASH not in anchoring, "a zero hash means no document"
