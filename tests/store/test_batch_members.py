"""`batch_members`: filled from the manifests of indexed batches, only with what the batch's root
confirms, never outliving its batch; and read, with every other fact about a document, by
`document_record`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select

from registry.evidence.batches import store_batch
from registry.evidence.hashing import sha256_bytes
from registry.evidence.merkle import verify_proof
from registry.evidence.proofs import BatchManifest, build_batch
from registry.evidence.store import DocumentStore
from registry.store.batch_members import BatchMembersUpkeep, refresh_batch_members
from registry.store.bulk import insert_rows
from registry.store.documents import document_record
from registry.store.queries.prepared import snapshot
from registry.store.schema import batch_members, batches, indexer_state

MEMBER = "0x" + "22" * 20


@pytest.fixture
def store(tmp_path: Path) -> DocumentStore:
    return DocumentStore(tmp_path / "documents")


def _batch_folder(tmp_path: Path, name: str, *texts: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for number, text in enumerate(texts):
        (folder / f"{number}.txt").write_text(text)
    return folder


def _index_batch(engine: Engine, manifest: BatchManifest, block: int) -> None:
    """What the indexer writes for a BatchAnchored event (and its checkpoint)."""
    with engine.begin() as connection:
        insert_rows(connection, batches, [{
            "root": manifest.root, "anchored_by": MEMBER, "timestamp": 1_620_000_000 + block, "block_number": block,
            "log_index": 0, "transaction_hash": bytes([block]) * 32, "leaf_count": len(manifest.documents),
            "manifest_hash": manifest.manifest_hash,
        }])  # fmt: skip
        connection.execute(delete(indexer_state))
        connection.execute(indexer_state.insert().values(
            id=1, chain_id=31337, grant_registry=MEMBER, deploy_block=1, indexed_block=block,
            indexed_block_hash=bytes([block]) * 32,
        ))  # fmt: skip


def _members(engine: Engine) -> list[tuple[bytes, bytes, int, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(batch_members.c.root, batch_members.c.document_hash, batch_members.c.position, batch_members.c.path)
            .order_by(batch_members.c.root, batch_members.c.position)
        )
        return [(bytes(r[0]), bytes(r[1]), r[2], r[3]) for r in rows]


def test_a_refresh_lists_the_documents_of_each_indexed_batch_whose_manifest_is_stored(
    engine: Engine, store: DocumentStore, tmp_path: Path
) -> None:
    stored = _batch_folder(tmp_path, "stored", "one\n", "two\n")
    manifest, tree, _ = build_batch(stored)
    store_batch(store, stored, manifest, "manifest.json")
    unstored_manifest, _, _ = build_batch(_batch_folder(tmp_path, "unstored", "three\n"))
    _index_batch(engine, manifest, 5)
    _index_batch(engine, unstored_manifest, 6)

    with engine.begin() as connection:
        done = refresh_batch_members(connection, store)
    assert (done.batches_filled, done.members_added, done.members_removed) == (1, 2, 0)
    assert done.manifests_missing == (unstored_manifest.root,)
    paths = {e.sha256: e.path for e in manifest.documents}
    assert _members(engine) == [
        (tree.root, document, position, paths[document]) for position, document in enumerate(tree.document_hashes)
    ]
    with engine.begin() as connection:
        again = refresh_batch_members(connection, store)
    assert (again.batches_filled, again.members_added, again.members_removed) == (0, 0, 0)


def test_a_manifest_that_does_not_rebuild_the_root_of_its_batch_adds_nothing(
    engine: Engine, store: DocumentStore, tmp_path: Path
) -> None:
    folder = _batch_folder(tmp_path, "claimed", "one\n")
    manifest, _, _ = build_batch(folder)
    other_root = build_batch(_batch_folder(tmp_path, "other", "other\n"))[1].root
    forged = BatchManifest(documents=manifest.documents, root=other_root, created_at=manifest.created_at)
    store_batch(store, folder, forged, "manifest.json")
    _index_batch(engine, forged, 5)  # the chain took the forged root and manifest hash
    with engine.begin() as connection:
        done = refresh_batch_members(connection, store)
    assert (done.members_added, done.manifests_missing) == (0, (other_root,))
    assert _members(engine) == []


def test_members_of_a_batch_no_longer_indexed_never_show_and_the_next_refresh_deletes_them(
    engine: Engine, store: DocumentStore, tmp_path: Path
) -> None:
    folder = _batch_folder(tmp_path, "reorged", "one\n", "two\n")
    manifest, tree, _ = build_batch(folder)
    store_batch(store, folder, manifest, "manifest.json")
    _index_batch(engine, manifest, 5)
    with engine.begin() as connection:
        refresh_batch_members(connection, store)
    document = manifest.documents[0].sha256
    with snapshot(engine) as reader:
        [batch] = document_record(reader, document).batches
    assert batch.root == tree.root and verify_proof(tree.root, document, batch.proof)

    with engine.begin() as connection:  # a reorganization rolls the batch back
        connection.execute(delete(batches))
    with snapshot(engine) as reader:
        assert document_record(reader, document).batches == []
    assert len(_members(engine)) == 2
    with engine.begin() as connection:
        done = refresh_batch_members(connection, store)
    assert done.members_removed == 2
    assert _members(engine) == []


def test_the_upkeep_refreshes_when_the_checkpoint_moves_or_a_missing_manifest_may_have_arrived(
    engine: Engine, store: DocumentStore, tmp_path: Path
) -> None:
    folder = _batch_folder(tmp_path, "late", "late manifest\n")
    manifest, _, _ = build_batch(folder)
    _index_batch(engine, manifest, 5)
    upkeep = BatchMembersUpkeep(engine, store, retry_interval=0.0)
    checkpoint = bytes([5]) * 32
    assert upkeep.due(checkpoint)
    done = upkeep.refresh(checkpoint)
    assert done is not None and done.manifests_missing == (manifest.root,)
    store_batch(store, folder, manifest, "manifest.json")  # stored after the batch was indexed
    assert upkeep.due(checkpoint)  # retried, since a manifest was missing
    done = upkeep.refresh(checkpoint)
    assert done is not None and done.members_added == 1

    settled = BatchMembersUpkeep(engine, store, retry_interval=3600.0)
    assert settled.refresh(checkpoint) is not None
    assert not settled.due(checkpoint)
    assert settled.refresh(checkpoint) is None
    assert settled.due(bytes([6]) * 32)


def test_a_document_record_before_anything_is_indexed_is_empty(
    engine: Engine,
) -> None:
    with snapshot(engine) as reader:
        empty = document_record(reader, sha256_bytes(b"anything"))
    assert (empty.state, empty.anchoring, empty.references, empty.batches) == (None, None, [], [])
