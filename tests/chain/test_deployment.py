"""Deploying the registry and keeping its manifest: deploy once, reuse while the chain holds it,
deploy again after a reset (keeping the replaced manifest), and refuse a manifest of another chain
or of other code.

Deployments run on anvils of their own, so the session chain the other tests share is untouched;
`check_deployment` and `runtime_code_matches` only read, so they use the session's registry.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from eth_utils.crypto import keccak
from web3 import Web3

from registry.chain.anvil import AnvilProcess, start_anvil
from registry.chain.compiler import Artifact
from registry.chain.connection import connect
from registry.chain.deployment import (
    CONTRACT_NAMES,
    FORWARDER,
    GRANT_REGISTRY,
    MANIFEST_FORMAT,
    OUTCOME_REGISTRY,
    DeploymentManifest,
    check_deployment,
    ensure_deployed,
    runtime_code_matches,
)
from registry.chain.reverts import RevertDecoder
from registry.chain.transactions import TransactionSender
from registry.domain.roles import Role
from registry.errors import CodeMismatch, DeploymentMissing, NetworkMismatch, RegistryError
from registry.settings import PROJECT_ROOT
from tests.helpers.registry import Actors

DELAY = 3 * 24 * 3600
OTHER_CHAIN_ID = 4242
SESSION_CHAIN_ID = 31337
STRANGER = Web3.to_checksum_address("0x" + "42" * 20)  # an address that holds no code anywhere

StartChain = Callable[..., Web3]


@pytest.fixture
def start_chain() -> Iterator[StartChain]:
    """Starts fresh anvils on demand (`start_chain(chain_id=...)`) and stops them all after the test."""
    nodes: list[AnvilProcess] = []

    def start(chain_id: int = SESSION_CHAIN_ID) -> Web3:
        node = start_anvil(PROJECT_ROOT, chain_id=chain_id)
        nodes.append(node)
        return connect(node.rpc_url)

    try:
        yield start
    finally:
        for node in nodes:
            node.stop()


@pytest.fixture
def manifest_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "deployment.json"


def deploy(
    w3: Web3, path: Path, artifacts: dict[str, Artifact], decoder: RevertDecoder, actors: Actors
) -> tuple[DeploymentManifest, bool]:
    """`ensure_deployed` from the admin account, with a sender of its own as each CLI run has."""
    sender = TransactionSender(w3, actors.admin, decoder)
    return ensure_deployed(w3, sender, artifacts, path, admin_transfer_delay=DELAY)


def replaced_manifests(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.stem}.replaced-*.json"))


def code_hash(w3: Web3, address: str) -> str:
    return "0x" + keccak(bytes(w3.eth.get_code(Web3.to_checksum_address(address)))).hex()


def with_address(manifest: DeploymentManifest, name: str, address: str) -> DeploymentManifest:
    """The manifest with contract `name` moved to `address` (as a hand-edited manifest would be)."""
    contracts = dict(manifest.contracts)
    contracts[name] = contracts[name].model_copy(update={"address": address})
    return manifest.model_copy(update={"contracts": contracts})


def flipped(code: bytes, index: int) -> bytes:
    return code[:index] + bytes([code[index] ^ 0xFF]) + code[index + 1 :]


def immutable_offsets(artifact: Artifact) -> set[int]:
    return {
        ref["start"] + i
        for refs in artifact.immutable_references.values()
        for ref in refs
        for i in range(ref["length"])
    }


# ensure_deployed ---------------------------------------------------------------------------------


def test_ensure_deployed_on_a_fresh_chain_deploys_and_writes_a_complete_manifest(
    start_chain: StartChain,
    manifest_path: Path,
    artifacts: dict[str, Artifact],
    decoder: RevertDecoder,
    actors: Actors,
) -> None:
    w3 = start_chain(chain_id=OTHER_CHAIN_ID)

    manifest, reused = deploy(w3, manifest_path, artifacts, decoder, actors)

    assert reused is False
    assert DeploymentManifest.read(manifest_path) == manifest
    assert manifest.format == MANIFEST_FORMAT
    assert manifest.chain_id == OTHER_CHAIN_ID
    assert manifest.deployer == manifest.admin == actors.admin
    assert manifest.admin_transfer_delay == DELAY
    assert set(manifest.contracts) == set(CONTRACT_NAMES)
    for name, deployed in manifest.contracts.items():
        receipt = w3.eth.get_transaction_receipt(deployed.transaction_hash)  # type: ignore[arg-type]
        assert receipt["status"] == 1
        assert receipt["contractAddress"] == deployed.address, name
        assert receipt["blockNumber"] == deployed.block_number, name
        assert deployed.code_hash == code_hash(w3, deployed.address), name
        assert deployed.abi == artifacts[name].abi, name
    # Nothing was on the fresh chain before: the first deployment transaction is in block 1.
    assert manifest.deploy_block == min(c.block_number for c in manifest.contracts.values()) == 1
    built = artifacts[GRANT_REGISTRY]
    assert manifest.compiler.version == built.compiler_version
    assert manifest.compiler.evm_version == built.settings["evmVersion"]
    assert manifest.compiler.settings == built.settings

    # The deployment is wired: the outcome registry may act on the grant registry, the deployer is top admin.
    grants = w3.eth.contract(address=manifest.address(GRANT_REGISTRY), abi=artifacts[GRANT_REGISTRY].abi)
    assert grants.functions.hasRole(Role.MODULE.id, manifest.address(OUTCOME_REGISTRY)).call() is True
    assert grants.functions.hasRole(Role.TOP_ADMIN.id, actors.admin).call() is True

    # On disk, in the camelCase the indexer, the API and people read.
    raw = json.loads(manifest_path.read_text())
    assert set(raw) == {
        "format", "chainId", "deployer", "admin", "deployBlock", "adminTransferDelay", "compiler", "contracts",
        "deployedAt",
    }  # fmt: skip
    assert set(raw["compiler"]) == {"version", "evmVersion", "settings"}
    for entry in raw["contracts"].values():
        assert set(entry) == {"address", "transactionHash", "blockNumber", "codeHash", "abi"}
    assert raw["chainId"] == OTHER_CHAIN_ID
    assert list(manifest_path.parent.iterdir()) == [manifest_path]  # no staging file left behind


def test_ensure_deployed_again_reuses_the_deployment_without_mining_a_block(
    start_chain: StartChain,
    manifest_path: Path,
    artifacts: dict[str, Artifact],
    decoder: RevertDecoder,
    actors: Actors,
) -> None:
    w3 = start_chain()
    first, _ = deploy(w3, manifest_path, artifacts, decoder, actors)
    block, written = w3.eth.block_number, manifest_path.read_bytes()

    again, reused = deploy(w3, manifest_path, artifacts, decoder, actors)

    assert reused is True
    assert again == first
    assert {n: c.address for n, c in again.contracts.items()} == {n: c.address for n, c in first.contracts.items()}
    assert w3.eth.block_number == block
    assert manifest_path.read_bytes() == written
    assert replaced_manifests(manifest_path) == []


def reset_by_revert(w3: Web3, snapshot: str, start_chain: StartChain) -> Web3:
    w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
    return w3


def reset_by_new_chain(w3: Web3, snapshot: str, start_chain: StartChain) -> Web3:
    return start_chain(chain_id=OTHER_CHAIN_ID)


@pytest.mark.parametrize("reset", [reset_by_revert, reset_by_new_chain], ids=["evm-revert", "new-chain"])
def test_ensure_deployed_after_a_chain_reset_deploys_again_and_keeps_the_replaced_manifest(
    start_chain: StartChain,
    manifest_path: Path,
    artifacts: dict[str, Artifact],
    decoder: RevertDecoder,
    actors: Actors,
    reset: Callable[[Web3, str, StartChain], Web3],
) -> None:
    w3 = start_chain()
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    first, _ = deploy(w3, manifest_path, artifacts, decoder, actors)
    old_text = manifest_path.read_text()

    w3 = reset(w3, snapshot, start_chain)
    assert bytes(w3.eth.get_code(first.address(GRANT_REGISTRY))) == b""
    second, reused = deploy(w3, manifest_path, artifacts, decoder, actors)

    assert reused is False
    assert second.chain_id == w3.eth.chain_id
    check_deployment(w3, second, artifacts)
    assert DeploymentManifest.read(manifest_path) == second
    [kept] = replaced_manifests(manifest_path)
    assert kept.read_text() == old_text


def test_ensure_deployed_replaces_a_damaged_manifest_and_keeps_it(
    start_chain: StartChain,
    manifest_path: Path,
    artifacts: dict[str, Artifact],
    decoder: RevertDecoder,
    actors: Actors,
) -> None:
    w3 = start_chain()
    manifest_path.parent.mkdir(parents=True)
    manifest_path.write_text('{"format": "rnd-registry-deployment/1", "chainId": 313')

    manifest, reused = deploy(w3, manifest_path, artifacts, decoder, actors)

    assert reused is False
    check_deployment(w3, manifest, artifacts)
    [kept] = replaced_manifests(manifest_path)
    assert kept.read_text() == '{"format": "rnd-registry-deployment/1", "chainId": 313'


def test_every_replaced_manifest_is_kept_even_when_replaced_within_the_same_second(
    start_chain: StartChain,
    manifest_path: Path,
    artifacts: dict[str, Artifact],
    decoder: RevertDecoder,
    actors: Actors,
) -> None:
    w3 = start_chain()
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    texts = []
    for _ in range(3):
        deploy(w3, manifest_path, artifacts, decoder, actors)
        texts.append(manifest_path.read_text())
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
        snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    deploy(w3, manifest_path, artifacts, decoder, actors)

    kept = [path.read_text() for path in replaced_manifests(manifest_path)]
    assert sorted(kept) == sorted(texts)


# check_deployment --------------------------------------------------------------------------------


def test_check_deployment_accepts_the_session_deployment_with_and_without_artifacts(
    w3: Web3, manifest: DeploymentManifest, artifacts: dict[str, Artifact]
) -> None:
    check_deployment(w3, manifest)
    check_deployment(w3, manifest, artifacts)


def test_check_deployment_of_a_manifest_for_another_chain_raises_network_mismatch(
    w3: Web3, manifest: DeploymentManifest
) -> None:
    elsewhere = manifest.model_copy(update={"chain_id": OTHER_CHAIN_ID})

    with pytest.raises(NetworkMismatch) as caught:
        check_deployment(w3, elsewhere)

    assert (caught.value.expected, caught.value.actual) == (OTHER_CHAIN_ID, SESSION_CHAIN_ID)
    assert f"chain id {SESSION_CHAIN_ID}" in str(caught.value)
    assert f"on chain {OTHER_CHAIN_ID}" in str(caught.value)


@pytest.mark.parametrize(
    "address_of",
    [lambda m: m.contracts[FORWARDER].address, lambda m: STRANGER],
    ids=["another-contract", "no-code"],
)
def test_check_deployment_of_an_address_without_the_code_raises_code_mismatch(
    w3: Web3, manifest: DeploymentManifest, address_of: Callable[[DeploymentManifest], str]
) -> None:
    address = address_of(manifest)
    edited = with_address(manifest, GRANT_REGISTRY, address)

    with pytest.raises(CodeMismatch) as caught:
        check_deployment(w3, edited)

    assert (caught.value.contract, caught.value.address) == (GRANT_REGISTRY, address)
    assert "rnd-registry deploy" in str(caught.value)


def test_check_deployment_against_changed_sources_raises_code_mismatch(
    w3: Web3, manifest: DeploymentManifest, artifacts: dict[str, Artifact]
) -> None:
    # The chain still holds what the manifest says, but the sources now compile to other code.
    artifact = artifacts[OUTCOME_REGISTRY]
    runtime = bytes.fromhex(artifact.deployed_bytecode.removeprefix("0x"))
    index = next(i for i in range(len(runtime) // 2, len(runtime)) if i not in immutable_offsets(artifact))
    changed = {
        **artifacts,
        OUTCOME_REGISTRY: dataclasses.replace(artifact, deployed_bytecode="0x" + flipped(runtime, index).hex()),
    }

    with pytest.raises(CodeMismatch) as caught:
        check_deployment(w3, manifest, changed)

    assert (caught.value.contract, caught.value.address) == (
        OUTCOME_REGISTRY,
        manifest.contracts[OUTCOME_REGISTRY].address,
    )


# runtime_code_matches ----------------------------------------------------------------------------


def artifact_with_immutables(artifacts: dict[str, Artifact]) -> Artifact:
    found = [a for a in artifacts.values() if a.immutable_references]
    assert found, "no registry contract has immutables; this test would prove nothing"
    return found[0]


def test_runtime_code_matches_ignores_the_immutables_set_at_deployment(
    w3: Web3, manifest: DeploymentManifest, artifacts: dict[str, Artifact]
) -> None:
    artifact = artifact_with_immutables(artifacts)
    onchain = bytes(w3.eth.get_code(manifest.address(artifact.contract_name)))
    compiled = bytes.fromhex(artifact.deployed_bytecode.removeprefix("0x"))

    assert onchain != compiled  # the constructor filled the immutables in
    assert runtime_code_matches(artifact, onchain)
    assert runtime_code_matches(artifact, compiled)
    some_immutable = min(immutable_offsets(artifact))
    assert runtime_code_matches(artifact, flipped(onchain, some_immutable))


def test_runtime_code_matches_catches_a_changed_byte_and_a_changed_length(
    w3: Web3, manifest: DeploymentManifest, artifacts: dict[str, Artifact]
) -> None:
    artifact = artifact_with_immutables(artifacts)
    onchain = bytes(w3.eth.get_code(manifest.address(artifact.contract_name)))
    immutables = immutable_offsets(artifact)
    outside = [i for i in (0, len(onchain) // 2, len(onchain) - 1) if i not in immutables]
    assert len(outside) == 3

    for index in outside:
        assert not runtime_code_matches(artifact, flipped(onchain, index)), index
    assert not runtime_code_matches(artifact, onchain[:-1])
    assert not runtime_code_matches(artifact, onchain + b"\x00")
    assert not runtime_code_matches(artifact, b"")
    # Another contract's code is not this one's, immutables or not.
    other = manifest.address(FORWARDER if artifact.contract_name != FORWARDER else GRANT_REGISTRY)
    assert not runtime_code_matches(artifact, bytes(w3.eth.get_code(other)))


# DeploymentManifest.read -------------------------------------------------------------------------


def test_reading_a_missing_manifest_raises_deployment_missing(manifest_path: Path) -> None:
    with pytest.raises(DeploymentMissing) as caught:
        DeploymentManifest.read(manifest_path)

    assert caught.value.path == str(manifest_path)
    assert "rnd-registry deploy" in str(caught.value)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json at all",
        b'{"format": "rnd-registry-deployment/1", "chainId": 31',
        b"{}",
        b'{"chainId": "thirty-one"}',
        b"\xff\xfe\x00garbage",
    ],
    ids=["empty", "not-json", "truncated", "no-fields", "wrong-types", "not-utf8"],
)
def test_reading_a_damaged_manifest_raises_a_registry_error_naming_the_file(
    manifest_path: Path, content: bytes
) -> None:
    manifest_path.parent.mkdir(parents=True)
    manifest_path.write_bytes(content)

    with pytest.raises(RegistryError) as caught:
        DeploymentManifest.read(manifest_path)

    assert not isinstance(caught.value, DeploymentMissing)
    assert "damaged" in str(caught.value)
    assert str(manifest_path) in str(caught.value)


def test_a_written_manifest_reads_back_equal(manifest: DeploymentManifest, manifest_path: Path) -> None:
    manifest.write(manifest_path)

    assert DeploymentManifest.read(manifest_path) == manifest
    assert list(manifest_path.parent.iterdir()) == [manifest_path]
