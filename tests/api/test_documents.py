"""`/api/v1/documents`: the anchor book as the copy holds it, each entry the chain's `anchorOf`."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web3 import Web3

from registry.domain.enums import AnchorKind
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items, event_at, iso


def test_every_anchored_document_reads_as_the_contracts_anchor_book_holds_it(
    api: TestClient, indexed: IndexedRegistry, w3: Web3
) -> None:
    documents = all_items(api, "/api/v1/documents")
    assert len(documents) > 10
    for document in documents:
        chain = indexed.client.anchor(bytes.fromhex(document["sha256"][2:]))
        assert chain.anchored and chain.timestamp is not None
        assert (document["anchoredBy"], document["anchoredAt"], document["provenance"]["blockNumber"]) == (
            chain.anchored_by, iso(int(chain.timestamp.timestamp())), chain.block_number,
        )  # fmt: skip
        assert document["kind"] == chain.kind.name.lower().replace("_", "-")
        _event, args = event_at(w3, indexed.manifest, document["provenance"])
        named = [v for value in args.values() for v in (value if isinstance(value, list | tuple) else [value])]
        assert bytes.fromhex(document["sha256"][2:]) in named
    kinds = {d["kind"] for d in documents}
    assert {"milestone-evidence", AnchorKind.DOCUMENT.name.lower()} <= kinds, kinds
    outcome_logged = [d for d in documents if d["kind"] == "outcome-evidence"]
    assert outcome_logged and all(d["provenance"]["contract"] == indexed.manifest.contracts["OutcomeRegistry"].address
                                  for d in outcome_logged)  # fmt: skip


def test_documents_come_in_anchoring_order_filter_by_who_and_export(api: TestClient) -> None:
    documents = all_items(api, "/api/v1/documents", limit=3)
    keys = [(d["provenance"]["blockNumber"], d["provenance"]["logIndex"]) for d in documents]
    assert keys == sorted(keys)
    assert all_items(api, "/api/v1/documents", sort="-time") == documents[::-1]
    who = documents[0]["anchoredBy"]
    assert all_items(api, "/api/v1/documents", anchoredBy=who.lower()) == [
        d for d in documents if d["anchoredBy"] == who
    ]
    assert all_items(api, "/api/v1/documents", to="2000-01-01") == []
    exported = api.get("/api/v1/documents/export", params={"format": "json"}).json()
    assert exported == documents
