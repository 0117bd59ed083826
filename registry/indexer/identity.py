"""Is the node's chain the one the deployment manifest describes? Asked before the indexer changes the
database, and again before it rolls anything back.

A node with the right chain id can still serve another chain: a fresh development node, a network
reset, another consortium's chain. Read as a reorganisation, such a chain would unwind the whole copy
the public reads. So the indexer first checks what only the registry's own chain has: every contract's
runtime code at its address (keccak256 compared with the manifest's `code_hash`) and its deployment
transaction in the manifest's block. Anything else is refused in one line, and nothing is changed.
(`registry.chain.deployment.check_deployment` checks the code the same way through web3, for the
commands that write; the indexer speaks JSON-RPC itself, in one batch.)
"""

from __future__ import annotations

from eth_utils.crypto import keccak

from registry.chain.deployment import DeploymentManifest
from registry.errors import RegistryError
from registry.indexer.rpc import JsonRpc


class ForeignChain(RegistryError):
    """The node serves the manifest's chain id, but not the chain the registry was deployed on."""

    def __init__(self, url: str, difference: str) -> None:
        self.url = url
        self.difference = difference
        super().__init__(
            f"the node at {url} is not the chain this registry was deployed on: {difference}; nothing was indexed "
            "or rolled back. Point RND_RPC_URL at the registry's chain (or bring its node back); for a new chain, "
            "deploy there and index into a new data directory"
        )


def check_chain_identity(rpc: JsonRpc, manifest: DeploymentManifest) -> None:
    """Raises `ForeignChain` unless every contract of `manifest` has its code at its address and its
    deployment transaction in its block, on the chain `rpc` serves."""
    names = sorted(manifest.contracts)
    calls: list[tuple[str, list[object]]] = []
    for name in names:
        contract = manifest.contracts[name]
        calls.append(("eth_getCode", [contract.address, "latest"]))
        calls.append(("eth_getTransactionReceipt", [contract.transaction_hash]))
    answers = rpc.waiter.retrying(f"the registry's contracts at {rpc.url}", lambda: rpc.batch(calls))
    for index, name in enumerate(names):
        contract = manifest.contracts[name]
        code, receipt = answers[2 * index], answers[2 * index + 1]
        if not code or code == "0x":
            raise ForeignChain(rpc.url, f"it has no code at {name}'s address {contract.address}")
        if "0x" + keccak(bytes.fromhex(code.removeprefix("0x"))).hex() != contract.code_hash.lower():
            raise ForeignChain(rpc.url, f"the code at {name}'s address {contract.address} is not the deployed code")
        if receipt is None or int(receipt["blockNumber"], 16) != contract.block_number:
            raise ForeignChain(
                rpc.url,
                f"{name}'s deployment transaction {contract.transaction_hash} is not in block {contract.block_number}",
            )
