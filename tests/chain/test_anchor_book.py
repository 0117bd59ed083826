"""The live reader of the anchor book: its hand-sliced ABI codec equals eth-abi's, it reads what the
contract holds at a named block, batches concurrent calls into few requests, and a node that is
down, or serves another chain, makes it say so at once instead of waiting again."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from eth_abi.abi import decode, encode
from eth_utils.address import to_checksum_address
from hypothesis import given
from hypothesis import strategies as st
from web3 import Web3

from registry.chain.anchor_book import AnchorBookReader, ContractFunction, LiveCheckUnavailable
from registry.chain.client import RegistryClient
from registry.chain.deployment import GRANT_REGISTRY, DeploymentManifest
from registry.domain.enums import AnchorKind
from registry.evidence.hashing import sha256_bytes
from registry.evidence.merkle import MerkleTree
from tests.helpers.registry import Actors, RegistryHarness

hashes = st.binary(min_size=32, max_size=32)


@pytest.fixture(scope="module")
def functions(manifest: DeploymentManifest) -> tuple[ContractFunction, ContractFunction]:
    abi = manifest.contracts[GRANT_REGISTRY].abi
    return ContractFunction.from_abi(abi, "anchorOf"), ContractFunction.from_abi(abi, "verifyBatchMember")


def test_the_cast_signatures_name_the_views_with_their_returned_fields(
    functions: tuple[ContractFunction, ContractFunction],
) -> None:
    anchor_of, verify_member = functions
    assert anchor_of.cast_signature == "anchorOf(bytes32)(address,uint40,uint48,uint8)"
    assert verify_member.cast_signature == "verifyBatchMember(bytes32,bytes32,bytes32[])(bool)"


@given(document=hashes, root=hashes, proof=st.lists(hashes, max_size=20))
def test_calldata_sliced_by_hand_equals_eth_abis(
    functions: tuple[ContractFunction, ContractFunction], document: bytes, root: bytes, proof: list[bytes]
) -> None:
    anchor_of, verify_member = functions
    assert anchor_of.calldata(document) == "0x" + (anchor_of.selector + encode(["bytes32"], [document])).hex()
    expected = verify_member.selector + encode(["bytes32", "bytes32", "bytes32[]"], [root, document, proof])
    assert verify_member.calldata(root, document, proof) == "0x" + expected.hex()


@given(
    by=st.binary(min_size=20, max_size=20),
    timestamp=st.integers(0, 2**40 - 1),
    block=st.integers(0, 2**48 - 1),
    kind=st.integers(0, 255),
    member=st.booleans(),
)
def test_results_sliced_by_hand_equal_eth_abis(
    functions: tuple[ContractFunction, ContractFunction], by: bytes, timestamp: int, block: int, kind: int,
    member: bool,
) -> None:  # fmt: skip
    anchor_of, verify_member = functions
    types = ["(address,uint40,uint48,uint8)"]
    data = encode(types, [("0x" + by.hex(), timestamp, block, kind)])
    address, *rest = decode(types, data)[0]
    assert anchor_of.decode_result("0x" + data.hex()) == (to_checksum_address(address), *rest)
    answer = encode(["bool"], [member])
    assert verify_member.decode_result("0x" + answer.hex()) == (member,)


def _read(reader: AnchorBookReader, document: bytes, batches: Any = (), **options: Any) -> Any:
    async def run() -> Any:
        try:
            return await reader.read(document, list(batches), **options)
        finally:
            await reader.close()

    return asyncio.run(run())


def test_it_reads_an_anchoring_and_batch_membership_as_the_contract_holds_them(
    registry: RegistryHarness, manifest: DeploymentManifest, w3: Web3, actors: Actors, anvil: Any
) -> None:
    client = RegistryClient(w3, manifest, account=actors.key(actors.member))
    document = sha256_bytes(b"anchored on its own")
    written = client.execute(client.ops.anchor_document(document))
    members = [sha256_bytes(b"member %d" % i) for i in range(5)]
    tree = MerkleTree.build(members)
    client.execute(client.ops.anchor_batch(tree.root, tree.leaf_count, sha256_bytes(b"manifest")))
    reader = AnchorBookReader(anvil.rpc_url, manifest, timeout=5)

    alone = _read(reader, document, [(tree.root, tree.proof(members[0]))])
    assert alone.block_number == w3.eth.block_number
    assert (alone.anchor.anchored, alone.anchor.anchored_by, alone.anchor.block_number, alone.anchor.kind) == (
        True, actors.member, written.block_number, AnchorKind.DOCUMENT
    )
    assert alone.anchor.timestamp == w3.eth.get_block(written.block_number)["timestamp"]
    assert alone.members == (False,)  # the document is not in the batch
    member = _read(reader, members[3], [(tree.root, tree.proof(members[3]))])
    assert (member.anchor.anchored, member.members) == (False, (True,))
    assert (member.chain_id, member.contract) == (manifest.chain_id, manifest.address(GRANT_REGISTRY))


def test_concurrent_reads_go_to_the_node_in_a_few_batched_requests(
    manifest: DeploymentManifest, anvil: Any
) -> None:
    reader = AnchorBookReader(anvil.rpc_url, manifest, timeout=5)
    posted: list[int] = []
    original = reader._post

    async def counting(body: list[dict[str, Any]]) -> Any:
        posted.append(len(body))
        return await original(body)

    reader._post = counting  # type: ignore[method-assign]

    async def run() -> list[Any]:
        try:
            return await asyncio.gather(*(reader.read(sha256_bytes(b"%d" % i), []) for i in range(50)))
        finally:
            await reader.close()

    readings = asyncio.run(run())
    assert [r.anchor.anchored for r in readings] == [False] * 50
    assert sum(posted) == 52  # the chain id, the head, and one eth_call per document
    assert len(posted) <= 4


def test_an_unreachable_node_is_reported_and_not_asked_again_for_a_while(manifest: DeploymentManifest) -> None:
    reader = AnchorBookReader("http://127.0.0.1:9", manifest, timeout=2, retry_after=60)
    with pytest.raises(LiveCheckUnavailable, match="the registry's node could not be asked") as first:
        _read(reader, sha256_bytes(b"x"))
    assert "127.0.0.1:9" not in str(first.value)
    started = time.monotonic()
    with pytest.raises(LiveCheckUnavailable) as again:
        _read(reader, sha256_bytes(b"y"))
    assert time.monotonic() - started < 0.05
    assert again.value.retry_at is not None and again.value.retry_at > time.time() + 50


def test_a_node_of_another_chain_is_refused(manifest: DeploymentManifest, anvil: Any) -> None:
    other = manifest.model_copy(update={"chain_id": manifest.chain_id + 1})
    reader = AnchorBookReader(anvil.rpc_url, other, timeout=5)
    with pytest.raises(LiveCheckUnavailable, match=rf"serves chain {manifest.chain_id}, but the registry is on "
                                                    rf"chain {manifest.chain_id + 1}"):  # fmt: skip
        _read(reader, sha256_bytes(b"x"))
