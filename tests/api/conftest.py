"""API fixtures: the session registry filled with activity once for the whole `tests/api` package,
indexed by the real indexer into a SQLite file, and the application serving it.

The chain is snapshotted before the activity and reverted after the package, so other packages see
the session registry as it was. Tests here only read; a test that writes to the chain must undo it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from eth_utils.crypto import keccak
from fastapi.testclient import TestClient
from web3 import Web3

from registry.api.app import create_app
from registry.chain.anvil import AnvilProcess
from registry.chain.client import RegistryClient
from registry.chain.deployment import DeploymentManifest
from registry.chain.devkeys import dev_account
from registry.chain.devload import DevLoad
from registry.domain.enums import Grade, ObjectionSubject, OutcomeType, ProjectStatus
from registry.domain.records import AuditResult, CommercializationFigures, OutcomeDetails, ProgramTerms
from registry.settings import Settings
from tests.helpers.indexer import index_once
from tests.helpers.registry import second_auditor_key


@dataclass
class IndexedRegistry:
    """The registry with activity on it, and an installation (data directory, database) that indexed it."""

    settings: Settings
    manifest: DeploymentManifest
    client: RegistryClient
    load: DevLoad

    def index(self) -> None:
        """Indexes what the chain gained since the last call; the tests that add activity of their own take
        it back by reverting the chain, a reorganisation this installation is asked to follow."""
        index_once(self.settings.database_url, self.manifest, self.settings.rpc_url, roll_back_reorgs=True)


def add_cases_devload_leaves_to_chance(w3: Web3, manifest: DeploymentManifest) -> None:
    """Records what the API must show and DevLoad's random rounds may not produce: an open program of
    another year with a Korean name, a completed and a terminated project, an evaluation with a
    clawback, and a commercialization report committed as a hash and not yet revealed. (A participation
    restriction is left to the modules that need one, so each knows the only one there is.)"""
    admin = RegistryClient(w3, manifest, account=dev_account(0))
    terms = ProgramTerms(name="신성장동력 R&D사업", year=2022, budget=800_000_000, per_project_cap=100_000_000,
                         field="블록체인", metadata_hash=keccak(text="api-case:notice"))  # fmt: skip
    admin.execute(admin.ops.create_program(terms))
    auditor = RegistryClient(w3, manifest, account=dev_account(1))
    active = [p for p in range(1, admin.counts()["projects"] + 1) if admin.project(p).status == ProjectStatus.ACTIVE]
    completed, terminated, clawed, committed = active[:4]
    admin.execute(admin.ops.complete_project(completed, keccak(text="api-case:final-report")))
    admin.execute(admin.ops.terminate_project(terminated, keccak(text="api-case:termination")))
    clawback = admin.project(clawed).amount // 5
    result = AuditResult(grade=Grade.POOR, findings_hash=keccak(text="api-case:findings"), clawback_amount=clawback)
    clawback_audit = auditor.execute(auditor.ops.record_audit(clawed, result)).record.audit_id
    second = RegistryClient(w3, manifest, account=second_auditor_key())
    second.execute(second.ops.confirm_sanction(clawback_audit))  # a second auditor puts it into effect
    company = admin.project(committed).company_id
    clerk = next(dev_account(i) for i in range(3, 10) if admin.company_of(dev_account(i).address) == company)
    reporter = RegistryClient(w3, manifest, account=clerk)
    commitment = keccak(text="api-case:hidden figures")
    reporter.execute(reporter.ops.commit_commercialization(committed, 2024, commitment, keccak(text="api-case:ledger")))
    add_cases_of_the_citys_rules(w3, manifest, active[4])


#: The one company renamed in the API's data, and its new name.
RENAMED = "(주)인천 QuantumLab"
#: The paper outcome with details, corrected once; its first version is superseded.
PAPER_VENUE = "Journal of Urban Data Science"


def add_cases_of_the_citys_rules(w3: Web3, manifest: DeploymentManifest, project_id: int) -> None:
    """What contracts 1.1.0 add, once each on one active project: a pending restriction under an open
    objection, a rejected milestone whose objection was upheld, a disputed report whose objection was
    dismissed, a paper with details corrected once, a technology transfer with its fee, and the project's
    company renamed."""
    admin = RegistryClient(w3, manifest, account=dev_account(0))
    auditor = RegistryClient(w3, manifest, account=dev_account(1))
    second = RegistryClient(w3, manifest, account=second_auditor_key())
    company = admin.project(project_id).company_id
    clerk_key = next(dev_account(i) for i in range(3, 10) if admin.company_of(dev_account(i).address) == company)
    clerk = RegistryClient(w3, manifest, account=clerk_key)
    until = datetime.fromtimestamp(w3.eth.get_block("latest")["timestamp"] + 90 * 86400, UTC)
    findings = keccak(text="api-case:restriction")
    restriction = AuditResult(grade=Grade.POOR, findings_hash=findings, restricted_until=until)
    held = auditor.execute(auditor.ops.record_audit(project_id, restriction)).record.audit_id
    clerk.execute(clerk.ops.file_objection(ObjectionSubject.EVALUATION, held, 0, keccak(text="api-case:objection")))
    index = admin.execute(admin.ops.plan_milestone(project_id, int(until.timestamp()), 1_000_000,
                                                   keccak(text="api-case:step")))  # fmt: skip
    milestone = index.record.milestone_index
    clerk.execute(clerk.ops.submit_milestone(project_id, milestone, [keccak(text="api-case:step-evidence")]))
    auditor.execute(auditor.ops.reject_milestone(project_id, milestone, keccak(text="api-case:step-rejected")))
    contested = clerk.execute(clerk.ops.file_objection(ObjectionSubject.MILESTONE_REJECTION, project_id, milestone,
                                                       keccak(text="api-case:step-objection"))).record  # fmt: skip
    second.execute(second.ops.resolve_objection(contested.objection_id, True, keccak(text="api-case:upheld")))
    details = OutcomeDetails(venue=PAPER_VENUE, country="KR", sci_indexed=True)
    paper = clerk.execute(clerk.ops.add_outcome(project_id, OutcomeType.PAPER, "10.1000/api.2022",
                                                keccak(text="api-case:paper"), details)).record  # fmt: skip
    clerk.execute(clerk.ops.amend_outcome(paper.outcome_id, OutcomeType.PAPER, "10.1000/api.2022.1",
                                          keccak(text="api-case:paper-2"), keccak(text="api-case:paper-reason"),
                                          details))  # fmt: skip
    transfer = OutcomeDetails(counterparty="(주)인천모빌리티", country="KR", date=until, amount=30_000_000)
    clerk.execute(clerk.ops.add_outcome(project_id, OutcomeType.TECHNOLOGY_TRANSFER, "TT-2022-1",
                                        keccak(text="api-case:transfer"), transfer))  # fmt: skip
    figures = CommercializationFigures(sales=120_000_000, investment=0, royalties=0, jobs=2)
    report = clerk.execute(clerk.ops.report_commercialization(project_id, 2031, figures,
                                                              keccak(text="api-case:report"))).record  # fmt: skip
    auditor.execute(auditor.ops.dispute_report(report.report_id, keccak(text="api-case:dispute")))
    disputed = clerk.execute(clerk.ops.file_objection(ObjectionSubject.REPORT_DISPUTE, report.report_id, 0,
                                                      keccak(text="api-case:report-objection"))).record  # fmt: skip
    second.execute(second.ops.resolve_objection(disputed.objection_id, False, keccak(text="api-case:dismissed")))
    admin.execute(admin.ops.rename_company(company, RENAMED))


@pytest.fixture(scope="package")
def indexed(
    anvil: AnvilProcess, w3: Web3, manifest: DeploymentManifest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[IndexedRegistry]:
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    data_dir: Path = tmp_path_factory.mktemp("api-installation")
    settings = Settings(data_dir=data_dir, rpc_url=anvil.rpc_url, chain_id=manifest.chain_id)
    manifest.write(settings.manifest_path)
    load = DevLoad(anvil.rpc_url, manifest, seed=11, per_block=40, relay_share=0.25)
    load.setup()
    load.round(projects=6)
    load.round(projects=4)
    add_cases_devload_leaves_to_chance(w3, manifest)
    registry = IndexedRegistry(settings=settings, manifest=manifest, client=RegistryClient(w3, manifest), load=load)
    registry.index()
    try:
        yield registry
    finally:
        load.close()
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]


@pytest.fixture(scope="package")
def api(indexed: IndexedRegistry) -> Iterator[TestClient]:
    """The application over the indexed database; `raise_server_exceptions=False` so a server error
    shows as the 500 a client would get."""
    with TestClient(create_app(indexed.settings), raise_server_exceptions=False) as client:
        yield client
