"""The live reader of the anchor book: its hand-sliced ABI codec equals eth-abi's, it reads what the
contract holds at a named block, batches concurrent calls into few requests, keeps final answers
(first anchorings, accepted proofs, cited logs) across heads and asks again about the rest, reads
cited logs from receipts, keeps the contract's other answers while its storage root stays the same (and
asks again once it changes, or on a node without eth_getProof), and a node that is down, or serves another
chain, makes it say so at once instead of waiting again."""

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

from registry.chain.anchor_book import AnchorBookReader, CitedLog, ContractFunction, LiveCheckUnavailable
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
    assert sum(posted) == 53  # the chain id, the head, the contract's storage root there, one eth_call per document
    assert len(posted) <= 5


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


# ---- final answers kept across heads, the rest asked again ----------------------------------------


def _counting(reader: AnchorBookReader) -> list[str]:
    """The JSON-RPC methods `reader` sends from now on, one entry per request (batched or not)."""
    methods: list[str] = []
    original = reader._post

    async def counting(body: list[dict[str, Any]]) -> Any:
        methods.extend(request["method"] for request in body)
        return await original(body)

    reader._post = counting  # type: ignore[method-assign]
    return methods


def _asked(methods: list[str], method: str) -> int:
    """How many `method` requests were sent since the last look, and forgets them."""
    count = methods.count(method)
    methods.clear()
    return count


def _mine(w3: Web3, blocks: int = 1) -> None:
    for _ in range(blocks):
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def _change_storage(client: RegistryClient, label: str) -> None:
    """A block that changes the grant registry's storage: another document anchored in it."""
    client.execute(client.ops.anchor_document(sha256_bytes(label.encode())))


def test_a_first_anchoring_is_not_asked_again_at_a_later_head(
    registry: RegistryHarness, manifest: DeploymentManifest, w3: Web3, actors: Actors, anvil: Any
) -> None:
    client = RegistryClient(w3, manifest, account=actors.key(actors.member))
    document = sha256_bytes(b"anchored, and final at once")
    written = client.execute(client.ops.anchor_document(document))
    reader = AnchorBookReader(anvil.rpc_url, manifest, timeout=5, head_max_age=0)
    methods = _counting(reader)

    first = _read(reader, document)
    assert (_asked(methods, "eth_call"), first.anchor.block_number, first.reused) == (1, written.block_number, False)
    _mine(w3, 3)
    later = _read(reader, document)
    assert _asked(methods, "eth_call") == 0
    assert (later.reused, later.final, first.final) == (True, True, True)
    assert later.block_number == w3.eth.block_number == first.block_number + 3  # the head as last read
    assert later.anchor == first.anchor


def test_an_accepted_batch_proof_is_not_asked_again_but_the_missing_anchoring_is(
    registry: RegistryHarness, manifest: DeploymentManifest, w3: Web3, actors: Actors, anvil: Any
) -> None:
    client = RegistryClient(w3, manifest, account=actors.key(actors.member))
    members = [sha256_bytes(b"final member %d" % i) for i in range(3)]
    tree = MerkleTree.build(members)
    client.execute(client.ops.anchor_batch(tree.root, tree.leaf_count, sha256_bytes(b"manifest")))
    reader = AnchorBookReader(anvil.rpc_url, manifest, timeout=5, head_max_age=0)
    methods = _counting(reader)
    batches = [(tree.root, tree.proof(members[1]))]

    first = _read(reader, members[1], batches)
    assert (_asked(methods, "eth_call"), first.members, first.anchor.anchored) == (2, (True,), False)
    _change_storage(client, "a block after the batch's")
    later = _read(reader, members[1], batches)
    assert _asked(methods, "eth_call") == 1  # anchorOf only: not anchored on its own may change
    assert (later.members, later.anchor.anchored, later.reused) == ((True,), False, False)
    assert later.final is True  # what it found (the accepted proof) holds at every later block


def test_a_hash_anchored_nowhere_is_asked_again_once_the_contracts_storage_changed_and_not_within_one_head(
    registry: RegistryHarness, manifest: DeploymentManifest, w3: Web3, actors: Actors, anvil: Any
) -> None:
    client = RegistryClient(w3, manifest, account=actors.key(actors.member))
    reader = AnchorBookReader(anvil.rpc_url, manifest, timeout=5, head_max_age=0)
    methods = _counting(reader)
    document = sha256_bytes(b"anchored nowhere")

    async def twice() -> list[Any]:
        try:
            return [await reader.read(document, []), await reader.read(document, [])]
        finally:
            await reader.close()

    readings = asyncio.run(twice())
    assert [r.anchor.anchored for r in readings] == [False, False]
    assert readings[0].block_number == readings[1].block_number
    assert _asked(methods, "eth_call") == 1  # the same head: the answer at that block is remembered
    _change_storage(client, "another document")
    again = _read(reader, document)
    assert (_asked(methods, "eth_call"), again.anchor.anchored, again.reused) == (1, False, False)
    assert (readings[0].final, again.final) == (False, False)  # nothing found: it may change
    assert again.asked_at is None  # asked at the head it names


def test_with_confirmations_an_anchoring_is_kept_only_once_buried_that_deep(
    registry: RegistryHarness, manifest: DeploymentManifest, w3: Web3, actors: Actors, anvil: Any
) -> None:
    client = RegistryClient(w3, manifest, account=actors.key(actors.member))
    document = sha256_bytes(b"anchored, final two blocks later")
    client.execute(client.ops.anchor_document(document))
    reader = AnchorBookReader(anvil.rpc_url, manifest, timeout=5, head_max_age=0, confirmations=2)
    methods = _counting(reader)

    asked, final = [], []
    for later in range(4):  # at the anchoring's block, 1, 2 and 3 blocks later, each changing the storage
        reading = _read(reader, document)
        assert reading.anchor.anchored is True
        asked.append(_asked(methods, "eth_call"))
        final.append(reading.final)
        _change_storage(client, f"anchored {later + 1} block(s) later")
    assert asked == [1, 1, 1, 0]
    assert final == [False, False, True, True]


def test_a_hash_anchored_nowhere_is_not_asked_again_while_the_contracts_storage_root_stays_the_same(
    registry: RegistryHarness, manifest: DeploymentManifest, w3: Web3, anvil: Any
) -> None:
    reader = AnchorBookReader(anvil.rpc_url, manifest, timeout=5, head_max_age=0)
    methods = _counting(reader)
    document = sha256_bytes(b"anchored nowhere, blocks go by")
    first = _read(reader, document)
    assert (_asked(methods, "eth_call"), first.asked_at, first.storage) == (1, None, None)
    _mine(w3, 2)  # empty blocks: nothing in the contract's storage changed
    later = _read(reader, document)
    assert _asked(methods, "eth_call") == 0
    assert later.anchor == first.anchor and later.anchor.anchored is False
    assert later.block_number == w3.eth.block_number == first.block_number + 2  # the block it holds at
    assert later.asked_at == first.block_number  # and where the contract was asked
    proof = w3.eth.get_proof(manifest.address(GRANT_REGISTRY), [], first.block_number)
    assert later.storage is not None and later.storage.block_number == later.block_number
    assert later.storage.storage_hash == bytes(proof["storageHash"])
    assert later.storage.code_hash == bytes(proof["codeHash"])
    assert (later.reused, later.final) == (True, False)


def test_an_anchoring_in_a_later_block_is_seen_by_the_next_reading_of_a_hash_anchored_nowhere(
    registry: RegistryHarness, manifest: DeploymentManifest, w3: Web3, actors: Actors, anvil: Any
) -> None:
    client = RegistryClient(w3, manifest, account=actors.key(actors.member))
    reader = AnchorBookReader(anvil.rpc_url, manifest, timeout=5, head_max_age=0)
    document = sha256_bytes(b"anchored nowhere, then anchored")
    assert _read(reader, document).anchor.anchored is False
    _mine(w3)
    assert _read(reader, document).asked_at is not None  # kept while the storage stayed the same
    written = client.execute(client.ops.anchor_document(document))
    after = _read(reader, document)
    assert (after.anchor.anchored, after.anchor.block_number, after.asked_at) == (True, written.block_number, None)


def test_a_node_without_eth_get_proof_is_asked_each_call_again_at_each_new_head(
    registry: RegistryHarness, manifest: DeploymentManifest, w3: Web3, anvil: Any
) -> None:
    reader = AnchorBookReader(anvil.rpc_url, manifest, timeout=5, head_max_age=0)
    original = reader._post
    methods: list[str] = []

    async def without_proofs(body: list[dict[str, Any]]) -> Any:
        methods.extend(request["method"] for request in body)
        refused = [request for request in body if request["method"] == "eth_getProof"]
        answers = await original([request for request in body if request not in refused]) if len(refused) < len(
            body) else []  # fmt: skip
        missing = {"code": -32601, "message": "the method eth_getProof does not exist/is not available"}
        return [*answers, *({"jsonrpc": "2.0", "id": r["id"], "error": missing} for r in refused)]

    reader._post = without_proofs  # type: ignore[method-assign]
    document = sha256_bytes(b"anchored nowhere, asked of a node without proofs")
    readings = []
    for _ in range(3):
        readings.append(_read(reader, document))
        _mine(w3)
    assert [reading.anchor.anchored for reading in readings] == [False] * 3
    assert [reading.asked_at for reading in readings] == [None] * 3
    assert methods.count("eth_call") == 3  # asked again at each head
    assert methods.count("eth_getProof") == 1  # and the node not asked for proofs once it said it has none


def test_a_chain_reset_below_a_kept_anchoring_makes_it_asked_again(
    registry: RegistryHarness, manifest: DeploymentManifest, w3: Web3, actors: Actors, anvil: Any
) -> None:
    client = RegistryClient(w3, manifest, account=actors.key(actors.member))
    before = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    document = sha256_bytes(b"anchored on a chain about to be reset")
    client.execute(client.ops.anchor_document(document))
    reader = AnchorBookReader(anvil.rpc_url, manifest, timeout=5, head_max_age=0)
    methods = _counting(reader)
    assert _read(reader, document).anchor.anchored is True
    epoch = reader.finality_epoch

    w3.provider.make_request("evm_revert", [before])  # type: ignore[arg-type]
    after = _read(reader, document)
    assert (_asked(methods, "eth_call"), after.anchor.anchored, after.reused) == (2, False, False)
    assert reader.finality_epoch > epoch  # what was built on the final readings before holds no more


# ---- cited logs -----------------------------------------------------------------------------------


def test_citations_read_the_log_at_the_index_and_none_for_an_unknown_transaction_or_index(
    registry: RegistryHarness, manifest: DeploymentManifest, w3: Web3, actors: Actors, anvil: Any
) -> None:
    client = RegistryClient(w3, manifest, account=actors.key(actors.member))
    document = sha256_bytes(b"cited by its own anchoring")
    written = client.execute(client.ops.anchor_document(document))
    receipt = w3.eth.get_transaction_receipt(written.transaction_hash)  # type: ignore[arg-type]
    log = receipt["logs"][-1]
    transaction = bytes(receipt["transactionHash"])
    reader = AnchorBookReader(anvil.rpc_url, manifest, timeout=5, head_max_age=0)
    methods = _counting(reader)

    unknown = sha256_bytes(b"no such transaction")
    reading = _read(reader, document, citations=[(transaction, log["logIndex"]), (transaction, 99), (unknown, 0)])
    assert reading.citations == (
        CitedLog(
            address=manifest.address(GRANT_REGISTRY),
            topics=tuple(bytes(topic) for topic in log["topics"]),
            data=bytes(log["data"]),
            block_number=written.block_number,
            block_hash=bytes(log["blockHash"]),
            transaction_hash=transaction,
            log_index=log["logIndex"],
        ),
        None,
        None,
    )
    assert reading.citations[0] is not None and reading.citations[0].address == log["address"]
    assert _asked(methods, "eth_getTransactionReceipt") == 2  # one per distinct transaction


def test_a_final_cited_log_is_not_asked_again_and_a_missing_one_is(
    registry: RegistryHarness, manifest: DeploymentManifest, w3: Web3, actors: Actors, anvil: Any
) -> None:
    client = RegistryClient(w3, manifest, account=actors.key(actors.member))
    document = sha256_bytes(b"cited, final")
    written = client.execute(client.ops.anchor_document(document))
    receipt = w3.eth.get_transaction_receipt(written.transaction_hash)  # type: ignore[arg-type]
    cited = (bytes(receipt["transactionHash"]), receipt["logs"][-1]["logIndex"])
    missing = (bytes(receipt["transactionHash"]), 99)
    reader = AnchorBookReader(anvil.rpc_url, manifest, timeout=5, head_max_age=0)
    methods = _counting(reader)

    first = _read(reader, document, citations=[cited])
    assert _asked(methods, "eth_getTransactionReceipt") == 1
    _mine(w3)
    later = _read(reader, document, citations=[cited])
    assert (_asked(methods, "eth_getTransactionReceipt"), later.citations, later.reused) == (0, first.citations, True)
    unfound = _read(reader, document, citations=[missing])
    assert (unfound.citations, unfound.final, later.final) == ((None,), False, True)  # a cited log not found
    _mine(w3)
    assert _read(reader, document, citations=[missing]).citations == (None,)
    assert _asked(methods, "eth_getTransactionReceipt") == 2  # at each head
