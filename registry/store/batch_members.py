"""The `batch_members` table: which documents each indexed batch holds, so a document's batches and
Merkle proofs are one indexed lookup away.

Who fills it and why not the indexer: the chain holds only a batch's root, the members are in its
manifest, an off-chain file in the document store. The indexer's promise is that its database
equals the chain, written in one transaction with its checkpoint from nothing but the chain's logs;
a file that may arrive later (or never) has no place in that transaction. So `refresh_batch_members`
runs in a transaction of its own, after the indexer: `rnd-registry index` calls it when a run ends,
and the API calls it when the indexer has moved on since its last refresh (or a while has passed, for
manifests stored late). It keeps only members that the chain confirms (see
`registry.evidence.batches`): the manifest's hash is the one the `BatchAnchored` event recorded and
its documents rebuild the root.

Members never outlive their batch: readers join on `batches`, so members of a batch a
reorganization removed never show, and the next refresh deletes them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, exists, select

from registry.evidence.batches import BatchMember, batch_members
from registry.evidence.hashing import HASH_SIZE
from registry.evidence.store import DocumentStore
from registry.store.bulk import insert_rows
from registry.store.schema import batch_members as members_table
from registry.store.schema import batches


@dataclass(frozen=True)
class BatchMembersRefresh:
    """What a refresh did: batches whose members it added, members it removed because their batch is
    no longer indexed, and the roots of batches whose manifest the document store does not hold."""

    batches_filled: int
    members_added: int
    members_removed: int
    manifests_missing: tuple[bytes, ...]


def refresh_batch_members(connection: Connection, store: DocumentStore) -> BatchMembersRefresh:
    """Brings `batch_members` in line with the indexed batches and the manifests in `store`.

    Deletes members whose batch is gone, and fills the members of every batch that has none yet
    from its manifest. Run it in a transaction of its own (`engine.begin()`).
    """
    removed = connection.execute(
        delete(members_table).where(~exists().where(batches.c.root == members_table.c.root))
    ).rowcount
    unfilled = connection.execute(
        select(batches.c.root, batches.c.manifest_hash)
        .where(~exists().where(members_table.c.root == batches.c.root))
        .order_by(batches.c.block_number, batches.c.log_index)
    ).all()
    filled = added = 0
    missing = []
    for root, manifest_hash in unfilled:
        members = batch_members(store, bytes(root), bytes(manifest_hash))
        if not members:
            missing.append(bytes(root))
            continue
        insert_rows(connection, members_table, [_row(member) for member in members], if_absent=True)
        filled += 1
        added += len(members)
    return BatchMembersRefresh(filled, added, max(removed, 0), tuple(missing))


def _row(member: BatchMember) -> dict[str, object]:
    return {
        "document_hash": member.document_hash,
        "root": member.root,
        "position": member.position,
        "path": member.path,
        "proof": b"".join(member.proof),
    }


def proof_from_column(value: bytes) -> list[bytes]:
    """The proof stored in `batch_members.proof`: consecutive 32-byte sibling hashes."""
    return [bytes(value[i : i + HASH_SIZE]) for i in range(0, len(value), HASH_SIZE)]


class BatchMembersUpkeep:
    """Keeps `batch_members` current for a reader of the database (the API), refreshing only when it
    may have changed: when the indexer's checkpoint has moved since the last refresh (new or
    reorganized batches), or, while some batch's manifest is missing, every `retry_interval` seconds
    (a manifest may be stored after its batch is indexed). Safe to call from several threads."""

    def __init__(self, engine: Engine, store: DocumentStore, *, retry_interval: float = 30.0) -> None:
        self._engine = engine
        self._store = store
        self._retry_interval = retry_interval
        self._lock = threading.Lock()
        self._checkpoint: bytes | None = None
        self._refreshed_at: float | None = None
        self._manifests_missing = False

    def due(self, checkpoint: bytes | None) -> bool:
        """Whether a refresh may change something, given the indexer's checkpoint block hash now."""
        if self._refreshed_at is None or checkpoint != self._checkpoint:
            return True
        return self._manifests_missing and time.monotonic() - self._refreshed_at >= self._retry_interval

    def refresh(self, checkpoint: bytes | None) -> BatchMembersRefresh | None:
        """Refreshes if still due once the lock is held (another thread may just have); returns what it did."""
        with self._lock:
            if not self.due(checkpoint):
                return None
            with self._engine.begin() as connection:
                done = refresh_batch_members(connection, self._store)
            self._checkpoint = checkpoint
            self._refreshed_at = time.monotonic()
            self._manifests_missing = bool(done.manifests_missing)
            return done
