"""Every EVM target `contracts/build.json` supports deploys and runs on a chain of that hardfork.

A consortium chain may lag mainnet by several forks; the paris build is the one for a chain without
PUSH0 (EIP-3855), so it has to run where PUSH0 is an invalid opcode, which the paris anvil enforces.
Each target is compiled into build/contracts/<target>, where later runs find it cached.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from eth_typing import HexStr
from web3 import Web3
from web3.exceptions import Web3RPCError

from registry.chain.anvil import AnvilProcess, start_anvil
from registry.chain.client import RegistryClient
from registry.chain.compiler import Artifact, BuildConfig, compile_contracts
from registry.chain.connection import connect
from registry.chain.deployment import DeploymentManifest, check_deployment, deploy_registry
from registry.chain.devkeys import dev_account
from registry.chain.reverts import RevertDecoder
from registry.chain.transactions import TransactionSender
from registry.domain.enums import MilestoneStatus, ProgramStatus, ProjectStatus
from registry.domain.records import ProgramTerms, ProjectTerms
from registry.domain.roles import Role
from registry.errors import TransactionRejected
from registry.settings import PROJECT_ROOT, Settings
from tests.helpers.registry import BUDGET, CAP, COMPANY_A, COMPANY_A_NAME, DAY, doc

pytestmark = pytest.mark.slow

EVM_VERSIONS: tuple[str, ...] = tuple(
    json.loads((PROJECT_ROOT / "contracts" / "build.json").read_text())["supportedEvmVersions"]
)
# PUSH0 PUSH0 RETURN: creation code that returns empty runtime code, if the EVM knows PUSH0.
PUSH0_CREATION_CODE = HexStr("0x5f5ff3")


@cache
def build(evm_version: str) -> dict[str, Artifact]:
    return compile_contracts(BuildConfig.load(evm_version=evm_version))


StartChain = Callable[[str], Web3]


@pytest.fixture
def start_chain() -> Iterator[StartChain]:
    """Starts anvils of a given hardfork (`start_chain("paris")`) and stops them after the test."""
    nodes: list[AnvilProcess] = []

    def start(hardfork: str) -> Web3:
        node = start_anvil(PROJECT_ROOT, hardfork=hardfork)
        nodes.append(node)
        return connect(node.rpc_url)

    try:
        yield start
    finally:
        for node in nodes:
            node.stop()


def hardfork_of(w3: Web3) -> str:
    info = w3.provider.make_request("anvil_nodeInfo", [])  # type: ignore[arg-type]
    return str(info["result"]["hardFork"]).lower()


def deploy(w3: Web3, artifacts: dict[str, Artifact]) -> DeploymentManifest:
    decoder = RevertDecoder(a.abi for a in artifacts.values())
    sender = TransactionSender(w3, dev_account(0), decoder)
    return deploy_registry(w3, sender, artifacts, admin_transfer_delay=DAY)


def open_client(w3: Web3, manifest: DeploymentManifest, account: LocalAccount, tmp_path: Path) -> RegistryClient:
    rpc_url = str(w3.provider.endpoint_uri)  # type: ignore[attr-defined]
    settings = Settings(data_dir=tmp_path / "data", rpc_url=rpc_url, chain_id=None, gas_price=None)
    return RegistryClient.open(settings, account=account, manifest=manifest)


@pytest.mark.parametrize("evm_version", EVM_VERSIONS)
def test_each_evm_target_deploys_on_a_chain_of_that_hardfork_and_runs_a_milestone_to_approval(
    start_chain: StartChain, tmp_path: Path, evm_version: str
) -> None:
    artifacts = build(evm_version)
    w3 = start_chain(evm_version)
    assert hardfork_of(w3) == evm_version

    manifest = deploy(w3, artifacts)
    check_deployment(w3, manifest, artifacts)
    assert manifest.compiler.evm_version == evm_version

    office_account, auditor_account, company_account = dev_account(0), dev_account(1), dev_account(3)
    office = open_client(w3, manifest, office_account, tmp_path)
    office.execute(office.ops.grant_role(Role.AUDITOR, auditor_account.address))
    office.execute(office.ops.bind_company_account(company_account.address, COMPANY_A, COMPANY_A_NAME))
    program = office.execute(
        office.ops.create_program(ProgramTerms(name=f"R&D on {evm_version}", year=2024, budget=BUDGET,
                                               per_project_cap=CAP, metadata_hash=doc(evm_version)))
    ).record  # fmt: skip
    start = datetime.fromtimestamp(w3.eth.get_block("latest")["timestamp"], UTC)
    project = office.execute(
        office.ops.register_project(ProjectTerms(program_id=program.program_id, company_id=COMPANY_A, amount=CAP,
                                                 start_date=start, end_date=start + timedelta(days=300)))
    ).record  # fmt: skip
    due = int((start + timedelta(days=30)).timestamp())
    planned = office.execute(office.ops.plan_milestone(project.project_id, due, CAP // 4, doc("milestone"))).record

    company = open_client(w3, manifest, company_account, tmp_path)
    submitted = company.execute(
        company.ops.submit_milestone(project.project_id, planned.milestone_index, [doc("evidence")])
    ).record
    auditor = open_client(w3, manifest, auditor_account, tmp_path)
    approved = auditor.execute(
        auditor.ops.approve_milestone(project.project_id, planned.milestone_index, doc("review"))
    ).record

    assert program.status == ProgramStatus.OPEN
    assert project.status == ProjectStatus.ACTIVE and project.amount == CAP
    assert [planned.status, submitted.status, approved.status] == [
        MilestoneStatus.PLANNED,
        MilestoneStatus.SUBMITTED,
        MilestoneStatus.APPROVED,
    ]
    assert approved.tranche == CAP // 4
    assert office.milestone(project.project_id, planned.milestone_index) == approved


@pytest.mark.skipif("shanghai" not in EVM_VERSIONS, reason="build.json does not target shanghai")
def test_a_paris_chain_rejects_push0_so_only_the_paris_build_deploys_there(start_chain: StartChain) -> None:
    w3 = start_chain("paris")
    with pytest.raises(Web3RPCError, match="NotActivated"):
        w3.eth.call({"data": PUSH0_CREATION_CODE})

    with pytest.raises(TransactionRejected, match="NotActivated"):
        deploy(w3, build("shanghai"))
    manifest = deploy(w3, build("paris"))

    check_deployment(w3, manifest, build("paris"))
    # A chain a fork later runs the same PUSH0 code, so it was the hardfork that refused it.
    assert bytes(start_chain("shanghai").eth.call({"data": PUSH0_CREATION_CODE})) == b""
