"""Deploys the registry contracts and keeps the deployment manifest that every other part reads.

The manifest names the chain, the addresses, the deploy block, the transactions, the compiler and
the hash of each contract's on-chain code, plus the ABIs, so that a client, the indexer, the API or
a journalist with nothing but the manifest can find and check the registry.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from web3 import Web3

from registry.chain.compiler import Artifact
from registry.chain.transactions import TransactionSender
from registry.errors import CodeMismatch, DeploymentMissing, NetworkMismatch, RegistryError

MANIFEST_FORMAT = "rnd-registry-deployment/1"
GRANT_REGISTRY = "GrantRegistry"
OUTCOME_REGISTRY = "OutcomeRegistry"
FORWARDER = "RegistryForwarder"
CONTRACT_NAMES = (GRANT_REGISTRY, OUTCOME_REGISTRY, FORWARDER)


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class DeployedContract(_Model):
    """One deployed contract."""

    address: str
    transaction_hash: str
    block_number: int
    code_hash: str = Field(description="keccak256 of the runtime code at the address")
    abi: list[dict[str, Any]]


class CompilerInfo(_Model):
    version: str
    evm_version: str
    settings: dict[str, Any]


class DeploymentManifest(_Model):
    """Where the registry lives on which chain, and how to check it is the real one."""

    format: str = MANIFEST_FORMAT
    chain_id: int
    deployer: str
    admin: str
    deploy_block: int
    admin_transfer_delay: int
    compiler: CompilerInfo
    contracts: dict[str, DeployedContract]
    deployed_at: str

    def address(self, name: str) -> ChecksumAddress:
        return to_checksum_address(self.contracts[name].address)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_suffix(".tmp")
        staging.write_text(self.model_dump_json(by_alias=True, indent=2))
        staging.replace(path)

    @classmethod
    def read(cls, path: Path) -> DeploymentManifest:
        if not path.exists():
            raise DeploymentMissing(str(path))
        try:
            return cls.model_validate_json(path.read_text())
        except ValueError as exc:
            raise RegistryError(
                f"the deployment manifest {path} is damaged ({exc.__class__.__name__}); deploy again or restore it"
            ) from None


def runtime_code_matches(artifact: Artifact, onchain: bytes) -> bool:
    """Whether `onchain` is the artifact's runtime code, ignoring the immutables set at deployment."""
    expected = bytearray(bytes.fromhex(artifact.deployed_bytecode.removeprefix("0x")))
    actual = bytearray(onchain)
    if len(expected) != len(actual):
        return False
    for references in artifact.immutable_references.values():
        for ref in references:
            start, length = ref["start"], ref["length"]
            expected[start : start + length] = actual[start : start + length]
    return expected == actual


def check_deployment(w3: Web3, manifest: DeploymentManifest, artifacts: dict[str, Artifact] | None = None) -> None:
    """Raises unless the chain is the manifest's and holds the manifest's code at its addresses.

    With `artifacts`, the code must also be what the current sources compile to.
    """
    chain_id = w3.eth.chain_id
    if chain_id != manifest.chain_id:
        raise NetworkMismatch(manifest.chain_id, chain_id)
    for name, deployed in manifest.contracts.items():
        code = bytes(w3.eth.get_code(to_checksum_address(deployed.address)))
        if not code or "0x" + keccak(code).hex() != deployed.code_hash:
            raise CodeMismatch(name, deployed.address)
        if artifacts is not None and not runtime_code_matches(artifacts[name], code):
            raise CodeMismatch(name, deployed.address)


def deploy_registry(
    w3: Web3, sender: TransactionSender, artifacts: dict[str, Artifact], *, admin_transfer_delay: int
) -> DeploymentManifest:
    """Deploys forwarder, grant registry and outcome registry, and links them.

    The deploying account becomes the registry's first admin; hand the role on with the
    two-step, delayed `beginDefaultAdminTransfer`.
    """
    receipts: dict[str, Any] = {}

    def deploy(name: str, *args: Any) -> ChecksumAddress:
        artifact = artifacts[name]
        factory = w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        receipt = sender.send(factory.constructor(*args))
        receipts[name] = receipt
        address = receipt["contractAddress"]
        assert address is not None, f"deploying {name} created no contract"
        return to_checksum_address(address)

    forwarder = deploy(FORWARDER)
    grants = deploy(GRANT_REGISTRY, sender.address, admin_transfer_delay, forwarder)
    outcomes = deploy(OUTCOME_REGISTRY, grants, forwarder)
    grant_registry = w3.eth.contract(address=grants, abi=artifacts[GRANT_REGISTRY].abi)
    module_role = grant_registry.functions.MODULE_ROLE().call()
    sender.send(grant_registry.functions.grantRole(module_role, outcomes))

    contracts = {}
    for name, receipt in receipts.items():
        address = to_checksum_address(receipt["contractAddress"])
        code = bytes(w3.eth.get_code(address))
        if not runtime_code_matches(artifacts[name], code):
            raise CodeMismatch(name, address)
        contracts[name] = DeployedContract(
            address=address,
            transaction_hash="0x" + bytes(receipt["transactionHash"]).hex(),
            block_number=receipt["blockNumber"],
            code_hash="0x" + keccak(code).hex(),
            abi=artifacts[name].abi,
        )
    first = artifacts[GRANT_REGISTRY]
    return DeploymentManifest(
        chain_id=w3.eth.chain_id,
        deployer=sender.address,
        admin=sender.address,
        deploy_block=min(c.block_number for c in contracts.values()),
        admin_transfer_delay=admin_transfer_delay,
        compiler=CompilerInfo(
            version=first.compiler_version, evm_version=first.settings["evmVersion"], settings=first.settings
        ),
        contracts=contracts,
        deployed_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def ensure_deployed(
    w3: Web3,
    sender: TransactionSender,
    artifacts: dict[str, Artifact],
    manifest_path: Path,
    *,
    admin_transfer_delay: int,
) -> tuple[DeploymentManifest, bool]:
    """The registry at `manifest_path` if this chain holds it with the current code, else a new one.

    Returns the manifest and whether it was reused. A manifest for another chain, or one whose
    contracts are gone (a reset chain) or outdated, is replaced; the old one is kept beside it.
    """
    if manifest_path.exists():
        try:
            manifest = DeploymentManifest.read(manifest_path)
            check_deployment(w3, manifest, artifacts)
            return manifest, True
        except (NetworkMismatch, CodeMismatch, RegistryError):
            manifest_path.replace(_replaced_path(manifest_path))
    manifest = deploy_registry(w3, sender, artifacts, admin_transfer_delay=admin_transfer_delay)
    manifest.write(manifest_path)
    return manifest, False


def _replaced_path(manifest_path: Path) -> Path:
    """A name beside the manifest to keep a replaced one under; never that of an earlier replaced one,
    which a second replacement within the same second would otherwise overwrite."""
    stamp = int(datetime.now(UTC).timestamp())
    candidate = manifest_path.with_name(f"{manifest_path.stem}.replaced-{stamp}.json")
    count = 1
    while candidate.exists():
        candidate = manifest_path.with_name(f"{manifest_path.stem}.replaced-{stamp}-{count}.json")
        count += 1
    return candidate


def manifest_summary(manifest: DeploymentManifest) -> dict[str, Any]:
    """The manifest without ABIs, for printing."""
    data: dict[str, Any] = json.loads(manifest.model_dump_json(by_alias=True))
    for contract in data["contracts"].values():
        contract.pop("abi", None)
    return data
