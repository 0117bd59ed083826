"""Fixtures shared by all tests: one anvil chain per session, one registry deployment on it, and a
snapshot per test so every test starts from the same state."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from web3 import Web3

from registry.chain.anvil import AnvilProcess, start_anvil
from registry.chain.compiler import Artifact, compile_contracts
from registry.chain.connection import connect
from registry.chain.deployment import (
    FORWARDER,
    GRANT_REGISTRY,
    OUTCOME_REGISTRY,
    DeploymentManifest,
    deploy_registry,
)
from registry.chain.reverts import RevertDecoder
from registry.chain.transactions import TransactionSender
from registry.settings import PROJECT_ROOT
from tests.helpers.registry import COMPANY_A, COMPANY_A_NAME, COMPANY_B, COMPANY_B_NAME, Actors, RegistryHarness

# Hypothesis: a fixed seed and a bounded run in CI; more examples by hand with HYPOTHESIS_PROFILE=long.
hypothesis_settings.register_profile("ci", derandomize=True, max_examples=50, deadline=None)
hypothesis_settings.register_profile("dev", max_examples=50, deadline=None)
hypothesis_settings.register_profile("long", max_examples=1000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def artifacts() -> dict[str, Artifact]:
    return compile_contracts()


@pytest.fixture(scope="session")
def anvil(project_root: Path) -> Iterator[AnvilProcess]:
    node = start_anvil(project_root)
    yield node
    node.stop()


@pytest.fixture(scope="session")
def w3(anvil: AnvilProcess) -> Web3:
    return connect(anvil.rpc_url)


@pytest.fixture(scope="session")
def decoder(artifacts: dict[str, Artifact]) -> RevertDecoder:
    return RevertDecoder(a.abi for a in artifacts.values())


@pytest.fixture(scope="session")
def actors() -> Actors:
    return Actors.from_dev_accounts()


@pytest.fixture(scope="session")
def manifest(w3: Web3, artifacts: dict[str, Artifact], decoder: RevertDecoder, actors: Actors) -> DeploymentManifest:
    """The registry deployed once per session, with every role given out."""
    sender = TransactionSender(w3, actors.admin, decoder)
    deployed = deploy_registry(w3, sender, artifacts, admin_transfer_delay=3 * 24 * 3600)
    grants = w3.eth.contract(address=deployed.address(GRANT_REGISTRY), abi=artifacts[GRANT_REGISTRY].abi)
    sender.send(grants.functions.grantRole(grants.functions.AUDITOR_ROLE().call(), actors.auditor))
    # The second auditor confirms sanctions; it is no anvil account, so it gets ether here.
    w3.provider.make_request("anvil_setBalance", [actors.auditor_b, hex(10**21)])  # type: ignore[arg-type]
    sender.send(grants.functions.grantRole(grants.functions.AUDITOR_ROLE().call(), actors.auditor_b))
    sender.send(grants.functions.grantRole(grants.functions.MEMBER_ROLE().call(), actors.member))
    sender.send(grants.functions.bindCompanyAccount(actors.company_a, COMPANY_A, COMPANY_A_NAME))
    sender.send(grants.functions.bindCompanyAccount(actors.company_a2, COMPANY_A, ""))
    sender.send(grants.functions.bindCompanyAccount(actors.company_b, COMPANY_B, COMPANY_B_NAME))
    return deployed


@pytest.fixture
def registry(
    w3: Web3,
    manifest: DeploymentManifest,
    artifacts: dict[str, Artifact],
    decoder: RevertDecoder,
    actors: Actors,
) -> Iterator[RegistryHarness]:
    """The deployed registry, reset to the session's starting state after the test."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    harness = RegistryHarness(
        w3=w3,
        grants=w3.eth.contract(address=manifest.address(GRANT_REGISTRY), abi=artifacts[GRANT_REGISTRY].abi),
        outcomes=w3.eth.contract(address=manifest.address(OUTCOME_REGISTRY), abi=artifacts[OUTCOME_REGISTRY].abi),
        forwarder=w3.eth.contract(address=manifest.address(FORWARDER), abi=artifacts[FORWARDER].abi),
        decoder=decoder,
        actors=actors,
    )
    yield harness
    w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
