"""The demo data set loads onto a fresh registry with the figures of the seed article, resumes after an
interruption without duplicating anything, and refuses a registry that holds other records."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from web3 import Web3

from registry.chain.anvil import AnvilProcess, start_anvil
from registry.chain.client import RegistryClient
from registry.chain.compiler import Artifact
from registry.chain.connection import connect
from registry.chain.deployment import DeploymentManifest, ensure_deployed
from registry.chain.devkeys import dev_account
from registry.chain.reverts import RevertDecoder
from registry.chain.transactions import TransactionSender
from registry.demo.dataset import BLOCKCAMPUS, COMPANIES, PROGRAMS, RELAYER, SECOND_AUDITOR
from registry.demo.scenario import DemoLoader, ForeignRegistry, Step
from registry.domain.companies import company_id
from registry.domain.enums import (
    Grade,
    IpStatus,
    MilestoneStatus,
    ObjectionStatus,
    ObjectionSubject,
    OutcomeType,
    ProjectStatus,
    ReportStatus,
    SanctionStatus,
)
from registry.domain.records import ProgramTerms
from registry.evidence.batches import MANIFEST_NAME
from registry.evidence.merkle import MerkleTree
from registry.evidence.proofs import BatchManifest
from registry.evidence.store import DocumentStore


@pytest.fixture
def fresh_chain(project_root: Path) -> Iterator[AnvilProcess]:
    node = start_anvil(project_root)
    yield node
    node.stop()


@pytest.fixture
def fresh_registry(fresh_chain: AnvilProcess, artifacts: dict[str, Artifact], tmp_path: Path) -> DeploymentManifest:
    w3 = connect(fresh_chain.rpc_url)
    sender = TransactionSender(w3, dev_account(0), RevertDecoder(a.abi for a in artifacts.values()))
    manifest, _ = ensure_deployed(w3, sender, artifacts, tmp_path / "deployment.json", admin_transfer_delay=3600)
    return manifest


def loader(rpc_url: str, manifest: DeploymentManifest, data_dir: Path) -> DemoLoader:
    return DemoLoader(connect(rpc_url), manifest, data_dir, DocumentStore(data_dir / "documents"))


def test_demo_loads_the_seed_programs_and_every_kind_of_record(
    fresh_chain: AnvilProcess, fresh_registry: DeploymentManifest, tmp_path: Path
) -> None:
    result = loader(fresh_chain.rpc_url, fresh_registry, tmp_path).load()
    assert result.sent == result.steps
    chain = RegistryClient(connect(fresh_chain.rpc_url), fresh_registry)

    assert chain.counts() == {
        "programs": 3, "projects": 5, "audits": 4, "outcomes": 5, "reports": 4, "objections": 3
    }  # fmt: skip
    programs = [chain.program(i) for i in (1, 2, 3)]
    assert sum(p.budget for p in programs) == 1_600_000_000
    assert [p.per_project_cap for p in programs] == [20_000_000, 100_000_000, 100_000_000]
    assert [p.year for p in programs] == [2021, 2021, 2021]
    assert [p.name for p in programs] == [p.name for p in PROGRAMS]
    assert all("fictional" in c.name for c in COMPANIES)
    # every company published by name, one renamed later
    for company in COMPANIES:
        assert chain.company_name(company_id(company.registration_number)) == (company.renamed or company.name)
    renames = chain.history(chain.grants, ["CompanyNamed"], {"companyId": company_id(BLOCKCAMPUS.registration_number)})
    assert [e["name"] for e in renames] == [BLOCKCAMPUS.name, BLOCKCAMPUS.renamed]

    # a rejection followed by a resubmission that was approved
    assert chain.milestone(1, 1).status == MilestoneStatus.APPROVED
    assert chain.milestone(1, 1).attempts == 2
    # an overdue milestone: due in 2021, never submitted
    overdue = chain.milestone(2, 2)
    assert overdue.status == MilestoneStatus.PLANNED
    assert overdue.due_date.year == 2021
    # a patent application later registered, and a software registration
    assert chain.outcome(1).outcome_type == OutcomeType.PATENT_APPLICATION
    assert chain.outcome(1).ip_status == IpStatus.REGISTERED
    assert chain.outcome(2).outcome_type == OutcomeType.SOFTWARE
    # commercialization over three years, one committed hidden and revealed
    reports = [chain.report(i) for i in (1, 2, 3, 4)]
    assert [r.year for r in reports] == [2022, 2023, 2024, 2024]
    assert [r.status for r in reports] == [
        ReportStatus.VERIFIED, ReportStatus.VERIFIED, ReportStatus.DISPUTED, ReportStatus.REPORTED
    ]  # fmt: skip
    assert reports[1].figures.royalties == 30_000_000
    # a paper with its DOI and journal, a technology transfer with its fee
    details = {e["outcomeId"]: e["details"] for e in chain.history(chain.outcomes, ["OutcomeDetailsRecorded"], {})}
    paper = next(o for o in map(chain.outcome, range(1, 6)) if o.outcome_type is OutcomeType.PAPER)
    assert paper.external_id.startswith("10.") and details[paper.outcome_id]["sciIndexed"] is True
    transfer = chain.outcome(5)
    assert transfer.outcome_type is OutcomeType.TECHNOLOGY_TRANSFER and details[5]["amount"] == 30_000_000
    # a final evaluation with a clawback, confirmed by a second auditor, which restricts the company
    clawback = chain.audit(3)
    assert (clawback.grade, clawback.clawback_amount, clawback.project_id) == (Grade.VERY_POOR, 30_000_000, 5)
    assert chain.sanction(3).status is SanctionStatus.IN_EFFECT
    confirmed = chain.history(chain.grants, ["SanctionConfirmed"], {"auditId": 3})
    assert [e["auditor"] for e in confirmed] == [dev_account(SECOND_AUDITOR).address]
    assert chain.project(5).status == ProjectStatus.CLAWED_BACK
    # the terminated project's unpaid grant went back to its program
    assert chain.funds(5).returned == 80_000_000
    # a clawback still pending, held by the company's open objection
    assert chain.sanction(4).status is SanctionStatus.PENDING
    assert chain.project(2).status == ProjectStatus.ACTIVE
    objections = [chain.objection(i) for i in (1, 2, 3)]
    assert [o.subject for o in objections] == [
        ObjectionSubject.MILESTONE_REJECTION, ObjectionSubject.REPORT_DISPUTE, ObjectionSubject.EVALUATION
    ]  # fmt: skip
    assert [o.status for o in objections] == [ObjectionStatus.DISMISSED, ObjectionStatus.UPHELD, ObjectionStatus.OPEN]
    assert chain.sanction(4).held_by_objection == 3
    # the second milestone of project 1 was signed by the company and relayed by another account
    submissions = chain.history(chain.grants, ["MilestoneSubmitted"], {"projectId": 1, "milestoneIndex": 2})
    assert [e["submitter"] for e in submissions] == [dev_account(3).address]
    sent_by = chain.w3.eth.get_transaction(submissions[0]["transactionHash"])["from"]
    assert sent_by == dev_account(RELAYER).address


def test_demo_documents_are_files_whose_hashes_are_anchored(
    fresh_chain: AnvilProcess, fresh_registry: DeploymentManifest, tmp_path: Path
) -> None:
    result = loader(fresh_chain.rpc_url, fresh_registry, tmp_path).load()
    chain = RegistryClient(connect(fresh_chain.rpc_url), fresh_registry)
    plan = (result.documents / "project-1" / "plan.txt").read_bytes()
    assert chain.anchor(hashlib.sha256(plan).digest()).anchored
    assert DocumentStore(tmp_path / "documents").has(hashlib.sha256(plan).digest())
    published = {d.name: d.public for d in DocumentStore(tmp_path / "documents").iter_documents()}
    assert published["plan.txt"] and published["final-evaluation.txt"] and published["termination.txt"]
    assert not any(public for name, public in published.items() if name.startswith("milestone-")), (
        "the companies' evidence is never published by the demo"
    )

    invoices = sorted((result.documents / "project-4" / "invoices-2022").iterdir())
    assert len(invoices) == 4
    store = DocumentStore(tmp_path / "documents")
    manifests = [
        BatchManifest.model_validate_json(store.get_path(d.sha256).read_bytes())
        for d in store.iter_documents()
        if MANIFEST_NAME in d.original_names
    ]
    assert len(manifests) == 1
    tree = MerkleTree.build(entry.sha256 for entry in manifests[0].documents)
    digest = hashlib.sha256(invoices[0].read_bytes()).digest()
    assert chain.batch(tree.root).anchored
    assert chain.verify_batch_member(tree.root, digest, tree.proof(digest))


def test_demo_loaded_again_sends_nothing(
    fresh_chain: AnvilProcess, fresh_registry: DeploymentManifest, tmp_path: Path
) -> None:
    loader(fresh_chain.rpc_url, fresh_registry, tmp_path).load()
    block = Web3(Web3.HTTPProvider(fresh_chain.rpc_url)).eth.block_number

    again = loader(fresh_chain.rpc_url, fresh_registry, tmp_path).load()

    assert again.sent == 0
    assert Web3(Web3.HTTPProvider(fresh_chain.rpc_url)).eth.block_number == block


def test_interrupted_demo_load_resumes_where_it_stopped(
    fresh_chain: AnvilProcess, fresh_registry: DeploymentManifest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = loader(fresh_chain.rpc_url, fresh_registry, tmp_path)
    steps = first.steps()
    stop_at = 30

    def crash(_ops: object) -> object:
        raise KeyboardInterrupt

    cut = [*steps[:stop_at], replace(steps[stop_at], build=crash)]
    monkeypatch.setattr(first, "steps", lambda: cut)
    with pytest.raises(KeyboardInterrupt):
        first.load()

    resumed = loader(fresh_chain.rpc_url, fresh_registry, tmp_path).load()

    assert resumed.sent == len(steps) - stop_at
    chain = RegistryClient(connect(fresh_chain.rpc_url), fresh_registry)
    assert chain.counts() == {
        "programs": 3, "projects": 5, "audits": 4, "outcomes": 5, "reports": 4, "objections": 3
    }  # fmt: skip


def test_demo_refuses_a_registry_holding_other_programs(
    fresh_chain: AnvilProcess, fresh_registry: DeploymentManifest, tmp_path: Path
) -> None:
    w3 = connect(fresh_chain.rpc_url)
    admin = RegistryClient(w3, fresh_registry, account=dev_account(0))
    admin.execute(
        admin.ops.create_program(ProgramTerms(name="Someone else's", year=2025, budget=10, per_project_cap=5))
    )

    with pytest.raises(ForeignRegistry, match="not the demo's"):
        loader(fresh_chain.rpc_url, fresh_registry, tmp_path).load()
    assert RegistryClient(w3, fresh_registry).counts()["projects"] == 0


def test_every_demo_step_is_checkable_on_chain(
    fresh_registry: DeploymentManifest, fresh_chain: AnvilProcess, tmp_path: Path
) -> None:
    steps: list[Step] = loader(fresh_chain.rpc_url, fresh_registry, tmp_path).steps()
    documents = [s.document for s in steps if s.document is not None]
    assert len(documents) == len(set(documents)), "two steps share a document, so one would look done too early"
    assert all(s.document is not None or s.done is not None for s in steps)
    assert {company_id(c.registration_number) for c in COMPANIES}.__len__() == len(COMPANIES)
