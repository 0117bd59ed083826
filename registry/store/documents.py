"""What the indexed database says about one document, by its SHA-256: its first anchoring, every
event that cites it, and every batch that holds it, each with where on the chain it happened.

These are the queries behind the API's verification answers, which are asked for far more often
than anything else; each is one indexed lookup, sent as plain SQL on the driver's connection of a
read `Snapshot` (SQLAlchemy's execution and result processing would cost more than SQLite takes
to answer; no column read here needs a type's result processing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registry.domain.enums import AnchorKind
from registry.store.batch_members import proof_from_column
from registry.store.queries.prepared import Snapshot

#: The most citing events one answer lists; a document cited more often says so (`truncated`).
MAX_REFERENCES = 500


@dataclass(frozen=True)
class EventLocation:
    """Where an event is on the chain: the contract that emitted it, its transaction, block and time,
    its place among the block's logs, and who signed it off chain if a relayer sent it."""

    chain_id: int
    contract: str | None
    transaction_hash: bytes
    block_number: int
    block_time: int
    log_index: int
    signer: str | None


@dataclass(frozen=True)
class DocumentAnchoring:
    """The anchor book's entry: the first anchoring of the document."""

    kind: AnchorKind
    anchored_by: str
    location: EventLocation


@dataclass(frozen=True)
class DocumentReference:
    """One event of a record that cites the document."""

    record_type: str
    record_id: int
    milestone_index: int | None
    event: str | None
    kind: AnchorKind
    position: int
    actor: str
    anchoring: bool
    location: EventLocation


@dataclass(frozen=True)
class DocumentBatch:
    """An indexed batch whose manifest lists the document, with the document's proof."""

    root: bytes
    position: int
    path: str
    proof: list[bytes]
    leaf_count: int
    manifest_hash: bytes
    anchored_by: str
    location: EventLocation


@dataclass(frozen=True)
class IndexedState:
    """How far the database has followed the chain."""

    chain_id: int
    grant_registry: str
    indexed_block: int
    indexed_block_hash: bytes | None


@dataclass(frozen=True)
class DocumentRecord:
    """Everything the database holds about one document."""

    state: IndexedState | None
    anchoring: DocumentAnchoring | None
    references: list[DocumentReference]
    references_truncated: bool
    batches: list[DocumentBatch]


# Who signed a relayed submission, as `registry.store.queries.provenance.signer` finds it: the
# forwarder logs `ExecutedForwardRequest` right after the call it relayed.
_SIGNER = """(SELECT rr.signer FROM relayed_requests rr
    WHERE rr.transaction_hash = {event}.transaction_hash AND rr.block_number = {event}.block_number
      AND rr.log_index > {event}.log_index
    ORDER BY rr.log_index LIMIT 1)"""

_STATE = "SELECT chain_id, grant_registry, indexed_block, indexed_block_hash FROM indexer_state WHERE id = 1"

# The checkpoint and the anchor book's entry in one statement: one round trip fewer on the hot path.
_STATE_AND_ANCHOR = f"""SELECT s.chain_id, s.grant_registry, s.indexed_block, s.indexed_block_hash,
    a.kind, a.anchored_by, a.timestamp, a.block_number, a.log_index, a.transaction_hash,
    e.address, {_SIGNER.format(event="a")}
FROM indexer_state s
LEFT JOIN anchors a ON a.document_hash = ?
LEFT JOIN raw_events e ON e.chain_id = s.chain_id AND e.block_number = a.block_number AND e.log_index = a.log_index
WHERE s.id = 1"""

_REFERENCES = f"""SELECT r.record_type, r.record_id, r.milestone_index, e.event, r.kind, r.position, r.actor,
    r.anchoring, e.address, r.transaction_hash, r.block_number, b.timestamp, r.log_index, {_SIGNER.format(event="r")}
FROM evidence_references r
LEFT JOIN raw_events e ON e.chain_id = ? AND e.block_number = r.block_number AND e.log_index = r.log_index
LEFT JOIN blocks b ON b.block_number = r.block_number
WHERE r.document_hash = ?
ORDER BY r.block_number, r.log_index, r.position
LIMIT {MAX_REFERENCES + 1}"""

# Joined on `batches`: members of a batch that a reorganization removed never show.
_BATCHES = f"""SELECT m.root, m.position, m.path, m.proof, t.leaf_count, t.manifest_hash, t.anchored_by,
    e.address, t.transaction_hash, t.block_number, t.timestamp, t.log_index, {_SIGNER.format(event="t")}
FROM batch_members m
JOIN batches t ON t.root = m.root
LEFT JOIN raw_events e ON e.chain_id = ? AND e.block_number = t.block_number AND e.log_index = t.log_index
WHERE m.document_hash = ?
ORDER BY t.block_number, t.log_index"""


def indexed_state(reader: Snapshot) -> IndexedState | None:
    """The indexer's checkpoint, or None before its first run."""
    rows = _fetch(reader, _STATE, ())
    if not rows:
        return None
    chain_id, grant_registry, block, block_hash = rows[0]
    return IndexedState(int(chain_id), grant_registry, int(block), _bytes(block_hash))


def document_record(reader: Snapshot, document_hash: bytes) -> DocumentRecord:
    """The document's anchoring, the events citing it (oldest first) and the batches holding it."""
    rows = _fetch(reader, _STATE_AND_ANCHOR, (document_hash,))
    if not rows:
        return DocumentRecord(None, None, [], False, [])
    chain, registry, indexed, checkpoint, kind, by, *event = rows[0]
    state = IndexedState(int(chain), registry, int(indexed), _bytes(checkpoint))
    chain_id = state.chain_id
    params = (chain_id, document_hash)
    anchoring = None
    if kind is not None:
        timestamp, block, log_index, transaction, contract, signer = event
        location = EventLocation(chain_id, contract, bytes(transaction), block, timestamp, log_index, signer)
        anchoring = DocumentAnchoring(AnchorKind(kind), by, location)
    references = [
        DocumentReference(
            record_type=row[0],
            record_id=int(row[1]),
            milestone_index=None if row[2] is None else int(row[2]),
            event=row[3],
            kind=AnchorKind(row[4]),
            position=int(row[5]),
            actor=row[6],
            anchoring=bool(row[7]),
            location=_location(chain_id, row[8:]),
        )
        for row in _fetch(reader, _REFERENCES, params)
    ]
    truncated = len(references) > MAX_REFERENCES
    batches = [
        DocumentBatch(
            root=bytes(row[0]),
            position=int(row[1]),
            path=row[2],
            proof=proof_from_column(bytes(row[3])),
            leaf_count=int(row[4]),
            manifest_hash=bytes(row[5]),
            anchored_by=row[6],
            location=_location(chain_id, row[7:]),
        )
        for row in _fetch(reader, _BATCHES, params)
    ]
    return DocumentRecord(state, anchoring, references[:MAX_REFERENCES], truncated, batches)


def _fetch(reader: Snapshot, statement: str, params: tuple[Any, ...]) -> list[Any]:
    cursor = reader.dbapi_connection.cursor()
    try:
        cursor.execute(_sql(statement, reader.dialect.name), params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _location(chain_id: int, row: Any) -> EventLocation:
    contract, transaction, block, timestamp, log_index, signer = row
    return EventLocation(
        chain_id, contract, bytes(transaction), int(block), int(timestamp or 0), int(log_index), signer
    )


def _bytes(value: Any) -> bytes | None:
    return None if value is None else bytes(value)


_PLACEHOLDERS: dict[tuple[str, str], str] = {}


def _sql(statement: str, dialect: str) -> str:
    """`statement` with the driver's placeholders: `?` for sqlite3, `%s` for psycopg."""
    if dialect == "sqlite":
        return statement
    key = (statement, dialect)
    converted = _PLACEHOLDERS.get(key)
    if converted is None:
        converted = _PLACEHOLDERS[key] = statement.replace("%", "%%").replace("?", "%s")
    return converted
