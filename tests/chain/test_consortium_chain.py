"""The registry on a chain that behaves like the consortium's: a chain id of its own, no fees (base fee
and gas price zero) and a block every second instead of one per transaction.

As consortium/besu/README.md says to: `rnd-registry deploy` from a fresh keystore account that holds
no ether, with RND_CHAIN_ID, RND_GAS_PRICE=0, RND_EVM_VERSION and RND_CONFIRMATIONS=0 set; then the
city office and a company clerk (neither holding ether) create a program, register a project, plan
and submit a milestone, each call waiting for the block that holds its transaction; and the
allowlist sync reads the members of that registry. The chain is a second anvil, stopped after.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_account import Account
from eth_account.signers.local import LocalAccount
from typer.testing import CliRunner
from web3 import Web3

from registry.chain.anvil import AnvilProcess, start_anvil
from registry.chain.client import RegistryClient
from registry.chain.connection import connect
from registry.chain.deployment import DeploymentManifest
from registry.chain.keystore import unlock
from registry.consortium.allowlist import read_membership
from registry.domain.enums import MilestoneStatus
from registry.domain.records import ProgramTerms, ProjectTerms
from registry.indexer.rpc import JsonRpc
from registry.settings import PROJECT_ROOT, get_settings
from tests.cli.conftest import Cli
from tests.helpers.registry import CAP, COMPANY_A, COMPANY_A_NAME, DAY, doc

CONSORTIUM_CHAIN_ID = 2021
PASSWORD = "consortium trial password"


@pytest.fixture(scope="module")
def consortium_node() -> Iterator[AnvilProcess]:
    """An anvil with the consortium's traits: its own chain id, no fees, a block every second."""
    node = start_anvil(
        PROJECT_ROOT,
        chain_id=CONSORTIUM_CHAIN_ID,
        extra_args=["--base-fee", "0", "--gas-price", "0", "--no-priority-fee", "--block-time", "1"],
    )
    try:
        yield node
    finally:
        node.stop()


@pytest.fixture
def consortium_cli(consortium_node: AnvilProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """`rnd-registry` configured for the consortium chain through the environment, as the README shows."""
    settings = {
        "RND_DATA_DIR": str(tmp_path / "data"),
        "RND_RPC_URL": consortium_node.rpc_url,
        "RND_CHAIN_ID": str(CONSORTIUM_CHAIN_ID),
        "RND_GAS_PRICE": "0",
        "RND_EVM_VERSION": "paris",
        "RND_CONFIRMATIONS": "0",
        "RND_KEYSTORE_SCRYPT_N": "16",  # fast keystores in tests only
    }
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("RND_ACCOUNT", raising=False)
    monkeypatch.delenv("RND_KEYSTORE_PASSWORD", raising=False)
    get_settings.cache_clear()
    yield Cli(CliRunner(), tmp_path / "data")
    get_settings.cache_clear()


def test_the_node_mines_on_its_own_clock_without_fees(consortium_node: AnvilProcess) -> None:
    w3 = connect(consortium_node.rpc_url)
    first = w3.eth.get_block("latest")
    later = _block_after(w3, int(first["number"]))  # nothing was sent, yet a block came

    assert w3.eth.chain_id == CONSORTIUM_CHAIN_ID
    assert w3.eth.gas_price == 0
    assert later["baseFeePerGas"] == 0
    assert int(later["timestamp"]) > int(first["timestamp"])


def test_the_registry_deploys_from_an_account_without_ether_and_a_program_project_and_milestone_follow(
    consortium_cli: Cli, consortium_node: AnvilProcess, tmp_path: Path
) -> None:
    password_file = tmp_path / "password"
    password_file.write_text(PASSWORD + "\n")
    created = json.loads(
        consortium_cli.ok(f"rnd-registry account new city-admin --password-file {password_file} --json").stdout
    )
    w3 = connect(consortium_node.rpc_url)
    office_address = Web3.to_checksum_address(created["address"])
    assert w3.eth.get_balance(office_address) == 0

    deployed = json.loads(
        consortium_cli.ok(f"rnd-registry deploy --account city-admin --password-file {password_file} --json").stdout
    )

    manifest = DeploymentManifest.read(consortium_cli.data_dir / "deployment.json")
    assert deployed["reused"] is False
    assert (manifest.chain_id, manifest.admin, manifest.compiler.evm_version) == (
        CONSORTIUM_CHAIN_ID,
        office_address,
        "paris",
    )

    settings = get_settings()
    assert (settings.gas_price, settings.chain_id, settings.confirmations) == (0, CONSORTIUM_CHAIN_ID, 0)
    office = RegistryClient.open(settings, account=unlock("city-admin", PASSWORD, settings=settings))
    clerk: LocalAccount = Account.create()
    written = [office.execute(office.ops.bind_company_account(clerk.address, COMPANY_A, COMPANY_A_NAME))]
    written.append(office.execute(office.ops.create_program(_program())))
    program_id = written[-1].record.program_id
    written.append(office.execute(office.ops.register_project(_project(office, program_id))))
    project_id = written[-1].record.project_id
    due = int(w3.eth.get_block("latest")["timestamp"]) + 30 * DAY
    written.append(office.execute(office.ops.plan_milestone(project_id, due, CAP // 4)))
    index = written[-1].record.milestone_index
    company = RegistryClient.open(settings, account=clerk)
    written.append(company.execute(company.ops.submit_milestone(project_id, index, [doc("prototype test report")])))

    milestone = written[-1].record
    assert milestone.status == MilestoneStatus.SUBMITTED
    assert office.milestone(project_id, index) == milestone
    for step in written:  # each call returned once its transaction was in a block, at zero gas price
        receipt = w3.eth.get_transaction_receipt(step.transaction_hash)  # type: ignore[arg-type]
        assert (receipt["status"], receipt["blockNumber"], receipt["effectiveGasPrice"]) == (1, step.block_number, 0)
    blocks = [step.block_number for step in written]
    assert blocks == sorted(set(blocks))  # one after another, never two calls racing in one block
    assert w3.eth.get_balance(office_address) == w3.eth.get_balance(clerk.address) == 0

    rpc = JsonRpc(consortium_node.rpc_url, timeout=5.0)
    try:
        membership = read_membership(rpc, manifest)
    finally:
        rpc.close()
    assert {(m.account, m.roles) for m in membership.members} == {
        (office_address, ("top admin", "admin")),
        (clerk.address, ("company",)),
    }


def _block_after(w3: Web3, number: int) -> dict[str, int]:
    """The first block above `number`, waiting for the node to mine it (a few seconds at most)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        block = w3.eth.get_block("latest")
        if int(block["number"]) > number:
            return dict(block)  # type: ignore[arg-type]
        time.sleep(0.1)
    raise AssertionError(f"no block after {number} within 10 s: the node is not mining on its own")


def _program() -> ProgramTerms:
    return ProgramTerms(name="신성장동력 R&D사업", year=2021, budget=8 * CAP, per_project_cap=CAP, field="blockchain")


def _project(office: RegistryClient, program_id: int) -> ProjectTerms:
    start = int(office.w3.eth.get_block("latest")["timestamp"])
    return ProjectTerms(
        program_id=program_id,
        company_id=COMPANY_A,
        amount=CAP,
        start_date=start,
        end_date=start + 300 * DAY,
        plan_hash=doc("plan"),
    )
