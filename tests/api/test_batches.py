"""`/api/v1/batches`: Merkle batches of documents as the chain's anchor book holds them."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web3 import Web3

from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, error_of, event_at, iso


def test_every_batch_reads_as_the_anchor_book_holds_it(api: TestClient, indexed: IndexedRegistry, w3: Web3) -> None:
    batches = all_items(api, "/api/v1/batches")
    assert batches
    for batch in batches:
        chain = indexed.client.batch(bytes.fromhex(batch["root"][2:]))
        assert chain.anchored
        assert (batch["anchoredBy"], batch["anchoredAt"], batch["provenance"]["blockNumber"]) == (
            chain.anchored_by, iso(int(chain.timestamp.timestamp())) if chain.timestamp else None, chain.block_number,
        )  # fmt: skip
        name, args = event_at(w3, indexed.manifest, batch["provenance"])
        assert (name, "0x" + args["root"].hex(), args["leafCount"]) == ("BatchAnchored", batch["root"],
                                                                         batch["leafCount"])  # fmt: skip
        assert api.get(f"/api/v1/batches/{batch['root']}").json() == batch
        assert api.get(f"/api/v1/batches/{batch['root'][2:].upper()}").json() == batch


def test_batches_come_in_anchoring_order_and_filter_by_who_anchored_them(api: TestClient) -> None:
    batches = all_items(api, "/api/v1/batches", limit=1)
    keys = [(b["provenance"]["blockNumber"], b["provenance"]["logIndex"]) for b in batches]
    assert keys == sorted(keys)
    assert all_items(api, "/api/v1/batches", sort="-time") == batches[::-1]
    who = batches[0]["anchoredBy"]
    assert all_items(api, "/api/v1/batches", anchoredBy=who.lower()) == [b for b in batches if b["anchoredBy"] == who]
    assert all_items(api, "/api/v1/batches", to="2000-01-01") == []


def test_an_unknown_root_is_a_404_and_a_malformed_one_a_422(api: TestClient) -> None:
    unknown = "0x" + "ab" * 32
    assert error_of(api.get(f"/api/v1/batches/{unknown}"), 404)["message"] == f"no batch with root {unknown}"
    error = error_of(api.get("/api/v1/batches/0xnothex"), 422)
    assert (error["parameter"], error["message"]) == ("root", "root: '0xnothex' is not a Merkle root (0x and 64 "
                                                              "hex digits)")  # fmt: skip
