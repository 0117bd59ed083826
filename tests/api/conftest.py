"""API fixtures: the session registry filled with activity once for the whole `tests/api` package,
indexed by the real indexer into a SQLite file, and the application serving it.

The chain is snapshotted before the activity and reverted after the package, so other packages see
the session registry as it was. Tests here only read; a test that writes to the chain must undo it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
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
from registry.domain.enums import Grade, ProjectStatus
from registry.domain.records import AuditResult, ProgramTerms
from registry.settings import Settings
from tests.helpers.indexer import index_once


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
    auditor.execute(auditor.ops.record_audit(clawed, result))
    company = admin.project(committed).company_id
    clerk = next(dev_account(i) for i in range(3, 10) if admin.company_of(dev_account(i).address) == company)
    reporter = RegistryClient(w3, manifest, account=clerk)
    commitment = keccak(text="api-case:hidden figures")
    reporter.execute(reporter.ops.commit_commercialization(committed, 2024, commitment, keccak(text="api-case:ledger")))


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
