"""Verify answers kept by the direct route (registry/api/kept_answers.py): the same document asked again
while the database and the chain's head are the same gets the very bytes it got; any commit to the
database (an edit of the copy by hand included) or a node that cannot be asked means a newly built
answer, and so does a new head unless the answer's findings are final (an answer anchored nowhere at a new
head says the contract was asked at an earlier block whose storage root it still has, until an anchoring
changes it); an answer that could not be checked is never kept; the store holds at most its capacity."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import select, update
from web3 import Web3

from registry.api.app import create_app
from registry.api.kept_answers import KeptAnswers
from registry.chain.anvil import free_port
from registry.chain.client import RegistryClient
from registry.chain.deployment import GRANT_REGISTRY
from registry.evidence.hashing import sha256_bytes
from registry.store.engine import open_engine
from registry.store.schema import anchors
from tests.api.conftest import IndexedRegistry
from tests.helpers.registry import Actors

KEPT_SLOT = "kept answers /api/v1/verify/{sha256}"
HEAD_MAX_AGE = 1.0  # registry/chain/anchor_book.py AnchorBookReader's default


@pytest.fixture
def fresh(indexed: IndexedRegistry) -> Iterator[TestClient]:
    """An application of its own, so that what it keeps starts empty."""
    with TestClient(create_app(indexed.settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def document(indexed: IndexedRegistry) -> str:
    engine = open_engine(indexed.settings.database_url)
    with engine.connect() as connection:
        found = bytes(connection.scalars(select(anchors.c.document_hash).limit(1)).one())
    engine.dispose()
    return found.hex()


def kept(client: TestClient) -> KeptAnswers:
    store = client.app.state.context.extras.get(KEPT_SLOT)  # type: ignore[attr-defined]
    assert isinstance(store, KeptAnswers)
    return store


def answer(client: TestClient, document: str) -> tuple[bytes, dict[str, Any]]:
    response = client.get(f"/api/v1/verify/{document}")
    assert response.status_code == 200
    return response.content, response.json()


def asked_again_at_once(client: TestClient, document: str) -> tuple[bytes, bytes]:
    """Two answers in a row, the head as last read still fresh for both (retried until it is, on a machine
    slow enough to let a second pass between them). An answer is kept only once the reader has read the
    head (the very first is built while it does), so the head is read first."""
    deadline = time.monotonic() + 60
    while True:
        answer(client, document)
        started = time.monotonic()
        first, _ = answer(client, document)
        second, _ = answer(client, document)
        if time.monotonic() - started < HEAD_MAX_AGE / 2 or time.monotonic() > deadline:
            return first, second


def test_a_document_asked_again_at_the_same_head_gets_the_same_bytes(fresh: TestClient, document: str) -> None:
    first, second = asked_again_at_once(fresh, document)
    assert second == first  # `liveCheck.checkedAt` included: the one reading both were built on
    assert len(kept(fresh)) == 1
    assert json.loads(first)["liveCheck"]["status"] == "confirmed"


def test_an_edit_of_the_copy_by_hand_is_seen_by_the_next_answer(
    fresh: TestClient, indexed: IndexedRegistry, document: str
) -> None:
    before, _ = asked_again_at_once(fresh, document)
    engine = open_engine(indexed.settings.database_url)
    digest = bytes.fromhex(document)
    try:
        with engine.begin() as connection:
            original = connection.execute(select(anchors.c.anchored_by).where(anchors.c.document_hash == digest)).one()
            connection.execute(
                update(anchors).where(anchors.c.document_hash == digest).values(anchored_by="0x" + "66" * 20)
            )
        _, edited = answer(fresh, document)
        assert edited["liveCheck"]["status"] == "disagrees", "the edited copy is compared with the chain at once"
    finally:
        with engine.begin() as connection:
            connection.execute(
                update(anchors).where(anchors.c.document_hash == digest).values(anchored_by=original[0])
            )
        engine.dispose()
    _, restored = answer(fresh, document)
    assert restored["liveCheck"]["status"] == "confirmed"
    assert before != b""


def test_a_final_answer_is_given_again_at_a_later_head(fresh: TestClient, w3: Web3, document: str) -> None:
    first, _ = asked_again_at_once(fresh, document)
    assert json.loads(first)["liveCheck"]["final"] is True  # anchored, no confirmations asked for: final at once
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    later, _ = answer(fresh, document)
    assert later == first  # the same finding, still saying the block it was read at and when


def test_an_answer_that_may_change_is_read_at_each_new_head(fresh: TestClient, w3: Web3) -> None:
    nowhere = "ab" * 32
    _, first = answer(fresh, nowhere)
    assert (first["liveCheck"]["status"], first["liveCheck"]["final"]) == ("not-anchored", False)
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    head = w3.eth.block_number
    deadline = time.monotonic() + 60
    while (later := answer(fresh, nowhere)[1])["liveCheck"]["blockNumber"] < head:
        assert time.monotonic() < deadline, "the answer stayed at the old head"
        time.sleep(0.1)
    assert later["liveCheck"]["blockNumber"] == head > first["liveCheck"]["blockNumber"]


def _at_head(client: TestClient, document: str, head: int) -> dict[str, Any]:
    """The answer about `document` once it is read at `head` or later (the head as last read may be a
    second old)."""
    deadline = time.monotonic() + 60
    while (found := answer(client, document)[1])["liveCheck"]["blockNumber"] < head:
        assert time.monotonic() < deadline, "the answer stayed at an old head"
        time.sleep(0.1)
    return found


def test_an_answer_anchored_nowhere_holds_while_the_storage_root_stays_and_an_anchoring_ends_it(
    fresh: TestClient, w3: Web3, indexed: IndexedRegistry, actors: Actors
) -> None:
    document = sha256_bytes(b"anchored nowhere, then anchored in a later block")
    _, first = answer(fresh, document.hex())
    asked_at = first["liveCheck"]["blockNumber"]
    assert (first["anchored"], first["liveCheck"]["status"]) == (False, "not-anchored")
    assert "storageUnchanged" not in first["liveCheck"]  # asked at the block it names
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]  # an empty block
        later = _at_head(fresh, document.hex(), w3.eth.block_number)
        proof = w3.eth.get_proof(indexed.manifest.address(GRANT_REGISTRY), [], later["liveCheck"]["blockNumber"])
        assert later["liveCheck"]["storageUnchanged"] == {
            "askedAtBlock": asked_at,
            "storageHash": "0x" + bytes(proof["storageHash"]).hex(),
            "codeHash": "0x" + bytes(proof["codeHash"]).hex(),
        }
        assert (later["anchored"], later["liveCheck"]["status"], later["verdict"]) == (
            False, "not-anchored", first["verdict"]
        )  # fmt: skip
        assert f"asked at block {asked_at:,}" in later["liveCheck"]["message"]

        member = RegistryClient(w3, indexed.manifest, account=actors.key(actors.member))
        written = member.execute(member.ops.anchor_document(document))
        anchored = _at_head(fresh, document.hex(), written.block_number)
        assert anchored["anchored"] is True  # the chain's word, though the copy has not indexed it yet
        assert anchored["liveCheck"]["anchorOf"]["blockNumber"] == written.block_number
        assert anchored["liveCheck"]["status"] == "disagrees"
        assert "storageUnchanged" not in anchored["liveCheck"]
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]


def test_with_the_node_gone_a_final_answer_is_given_again_and_one_that_may_change_is_not(
    indexed: IndexedRegistry, document: str
) -> None:
    nowhere = "cd" * 32
    with TestClient(create_app(indexed.settings), raise_server_exceptions=False) as client:
        final, _ = asked_again_at_once(client, document)
        answer(client, nowhere)
        reader = client.app.state.context.extras["verification.anchor_book"]  # type: ignore[attr-defined]
        reader.rpc_url = f"http://127.0.0.1:{free_port()}"  # the node goes away
        deadline = time.monotonic() + 60
        while answer(client, nowhere)[1]["liveCheck"]["status"] != "unavailable":
            assert time.monotonic() < deadline, "an answer that may change was given with no node to ask"
            time.sleep(0.2)
        assert answer(client, document)[0] == final  # needs nothing of the node: it says when it was read


def test_an_answer_the_chain_could_not_check_is_never_kept(indexed: IndexedRegistry, document: str) -> None:
    settings = indexed.settings.model_copy(update={"rpc_url": f"http://127.0.0.1:{free_port()}"})
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        for _ in range(3):
            assert answer(client, document)[1]["liveCheck"]["status"] == "unavailable"
        assert len(kept(client)) == 0


class Answer(BaseModel):
    value: int


def test_the_store_drops_the_least_recently_asked_beyond_its_capacity() -> None:
    async def basis(_context: Any) -> str:
        return "basis"

    store = KeptAnswers(basis, lambda _answer, basis: basis, capacity=2)
    for key in ("a", "b"):
        store.keep(key, "basis", "basis", Answer(value=1), key.encode())
    assert store.get("a", "basis") == b"a"  # now the most recently asked
    store.keep("c", "basis", "basis", Answer(value=1), b"c")
    assert (store.get("a", "basis"), store.get("b", "basis"), store.get("c", "basis")) == (b"a", None, b"c")
    assert store.get("a", "another basis") is None and store.get("a", None) is None
    store.keep("a", "basis", "moved", Answer(value=1), b"new")  # the basis moved while it was built
    assert store.get("a", "basis") is None
