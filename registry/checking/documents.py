"""Checking a document receipt against a node: every claim of the receipt asked of the chain, one
step at a time, at one block pinned when the check starts.

The verdict rests on the node's answers only; the receipt (and whoever issued it) is a claim. The
browser's standalone verifier (`registry/web/static/verifier/verifier.js`) mirrors this module
step for step, with the same step names and reasons; `tests/checking/vectors/documents.json` runs
against both. Steps, in order:

- `file-hash`: the file's SHA-256 equals the receipt's (`not-checked` when no file is given).
- `chain-id`: the node's `eth_chainId` equals the receipt's `chainId`.
- `contract-code`: there is code at `contract` at the pinned block.
- `anchor-of`: `anchorOf(sha256)` at the pinned block names the receipt's block, account and kind.
- `anchoring-block`: the chain's block at the receipt's number has its hash and time.
- `anchoring-event`: the anchoring transaction's receipt holds, at `logIndex`, the named event
  from the registry (the GrantRegistry, or a contract holding its MODULE_ROLE, such as the outcome
  registry), in that block, with the document's hash among its topics or data words.
- per batch: `batch-proof` (the Merkle proof leads from the leaf to the root, computed here),
  `batch-member` (`verifyBatchMember(root, sha256, proof)` is true), `batch-of` (`batchOf(root)`
  names the block), `batch-block` (the block has that hash), `batch-event` (the `BatchAnchored`
  log at the transaction and log index names the root, the leaf count and the manifest hash).

If the chain id or the contract's code is wrong, nothing else the node says is about the registry:
the later steps are `not-checked` (`skipped`). The verdict is `anchored` when no step failed and
every chain step of the anchoring and of each batch passed; otherwise `not-anchored` when the first
failure is the chain saying it holds nothing (never anchored, no such batch, no code, no such
transaction or block), `mismatch` for any other first failure (the receipt says something the chain
does not).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from eth_utils.address import to_checksum_address

from registry.checking.node import JsonRpcNode, NodeUnavailable
from registry.checking.receipts import DocumentReceipt, ReceiptAnchoring, ReceiptBatch, kind_name
from registry.checking.spec import ViewFunction, events_by_topic, view_function
from registry.domain.enums import AnchorKind
from registry.errors import RegistryError
from registry.evidence.hashing import hash_to_hex
from registry.evidence.merkle import verify_proof

GRANT_REGISTRY = "GrantRegistry"

StepStatus = Literal["passed", "failed", "not-checked"]
Verdict = Literal["anchored", "not-anchored", "mismatch"]

BATCH_STEPS = ("batch-proof", "batch-member", "batch-of", "batch-block", "batch-event")

#: Failures that mean the chain holds nothing for the claim (the verdict `not-anchored`).
ABSENCE_REASONS = frozenset(
    {"never-anchored", "batch-never-anchored", "no-code", "transaction-missing", "block-missing"}
)


@dataclass(frozen=True)
class CheckStep:
    """One question asked: its name, the outcome, a reason code (shared with the browser's verifier),
    what was compared with what in English, and which batch (from 0) for the batch steps."""

    step: str
    status: StepStatus
    reason: str
    detail: str
    batch: int | None = None


@dataclass(frozen=True)
class DocumentCheck:
    """The outcome of checking a document receipt against one node, at one block."""

    verdict: Verdict
    reason: str
    sha256: str
    node: str
    chain_id: int | None
    block_number: int | None
    block_hash: str | None
    contract: str
    steps: list[CheckStep] = field(default_factory=list)

    @property
    def anchored(self) -> bool:
        return self.verdict == "anchored"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        return {
            "verdict": data["verdict"],
            "reason": data["reason"],
            "sha256": data["sha256"],
            "node": data["node"],
            "chainId": data["chain_id"],
            "blockNumber": data["block_number"],
            "blockHash": data["block_hash"],
            "contract": data["contract"],
            "steps": data["steps"],
        }


# ---- the ABI (registry/checking/abi.json, through spec.py) ---------------------------------------


def _view(name: str) -> ViewFunction:
    return view_function(GRANT_REGISTRY, name)


def event_topics(name: str) -> frozenset[bytes]:
    """The topic0 of every event called `name` in any of the three contracts."""
    return frozenset(topic for (_, topic), event in events_by_topic().items() if event.name == name)


# ---- reading answers ---------------------------------------------------------------------------------


class _Node:
    """The node's answers as Python values; anything malformed is the node's fault, said as such."""

    def __init__(self, node: JsonRpcNode) -> None:
        self.node = node
        self.url = node.url

    def ask(self, method: str, params: list[Any]) -> Any:
        return self.node.request(method, params)

    def quantity(self, value: Any, what: str) -> int:
        if isinstance(value, str) and value.startswith("0x"):
            try:
                return int(value, 16)
            except ValueError:
                pass
        raise NodeUnavailable(self.url, f"{what} is not a hex quantity: {str(value)[:80]!r}")

    def data(self, value: Any, what: str) -> bytes:
        if isinstance(value, str) and value.startswith("0x") and len(value) % 2 == 0:
            try:
                return bytes.fromhex(value[2:])
            except ValueError:
                pass
        raise NodeUnavailable(self.url, f"{what} is not hex data: {str(value)[:80]!r}")

    def call(self, contract: str, name: str, arguments: Sequence[Any], block: int) -> tuple[Any, ...]:
        """The view's returned values in order (a struct returned alone as its fields)."""
        view = _view(name)
        result = self.ask("eth_call", [{"to": contract, "data": view.calldata(list(arguments))}, hex(block)])
        self.data(result, f"the answer to {name}")
        try:
            return tuple(view.decode_result(result).values())
        except Exception:  # eth-abi raises several types for short or bad data
            raise NodeUnavailable(self.url, f"the answer to {name} cannot be decoded: {result[:80]!r}") from None

    def block(self, number: int) -> dict[str, Any] | None:
        answer = self.ask("eth_getBlockByNumber", [hex(number), False])
        if answer is None:
            return None
        if not isinstance(answer, dict):
            raise NodeUnavailable(self.url, f"block {number} is not a JSON object")
        return answer


# ---- the check ------------------------------------------------------------------------------------


def check_document_receipt(
    node: JsonRpcNode, receipt: DocumentReceipt, document_sha256: bytes | None = None
) -> DocumentCheck:
    """Checks every claim of `receipt` against `node`, and the file's hash if given."""
    reader = _Node(node)
    sha256 = receipt.sha256
    steps: list[CheckStep] = [_file_step(receipt, document_sha256)]

    chain_id = reader.quantity(reader.ask("eth_chainId", []), "the chain id")
    pinned = reader.quantity(reader.ask("eth_blockNumber", []), "the block number")
    head = reader.block(pinned)
    pinned_hash = str(head.get("hash")) if head is not None else None
    at = f"at block {pinned:,} of the node {reader.url}"

    if chain_id == receipt.chain_id:
        steps.append(CheckStep("chain-id", "passed", "same-chain", f"the node {reader.url} serves chain {chain_id}"))
    else:
        steps.append(CheckStep("chain-id", "failed", "chain-differs",
                               f"the receipt is for chain {receipt.chain_id}, but the node {reader.url} serves "
                               f"chain {chain_id}"))
    if chain_id == receipt.chain_id:
        code = reader.data(reader.ask("eth_getCode", [receipt.contract, hex(pinned)]), "the contract's code")
        if code:
            steps.append(CheckStep("contract-code", "passed", "has-code",
                                   f"there is a contract at {receipt.contract} {at}"))
        else:
            steps.append(CheckStep("contract-code", "failed", "no-code",
                                   f"there is no contract at {receipt.contract} {at}"))
    else:
        steps.append(_skipped("contract-code"))

    if all(step.status == "passed" for step in steps[1:]):
        steps.extend(_anchoring_steps(reader, receipt, pinned, at))
        for index, batch in enumerate(receipt.batches):
            steps.extend(_batch_steps(reader, receipt, index, batch, pinned, at))
    else:
        steps.extend(_skipped(name) for name in ("anchor-of", "anchoring-block", "anchoring-event"))
        for index, _ in enumerate(receipt.batches):
            steps.extend(_skipped(name, index) for name in BATCH_STEPS)

    verdict, reason = _verdict(steps, receipt)
    return DocumentCheck(
        verdict=verdict,
        reason=reason,
        sha256=hash_to_hex(sha256),
        node=reader.url,
        chain_id=chain_id,
        block_number=pinned,
        block_hash=pinned_hash,
        contract=receipt.contract,
        steps=steps,
    )


def _verdict(steps: list[CheckStep], receipt: DocumentReceipt) -> tuple[Verdict, str]:
    failed = next((step for step in steps if step.status == "failed"), None)
    if failed is not None:
        return ("not-anchored" if failed.reason in ABSENCE_REASONS else "mismatch"), failed.detail
    chain_steps = [step for step in steps if step.step != "file-hash" and step.reason != "no-anchoring-claimed"]
    if any(step.status != "passed" for step in chain_steps):
        return "mismatch", "not every claim of the receipt could be checked"
    where = []
    if receipt.anchoring is not None:
        where.append(f"anchored at block {receipt.anchoring.block_number:,}")
    where.extend(f"in the batch with root {hash_to_hex(b.root)} at block {b.block_number:,}" for b in receipt.batches)
    return "anchored", f"the chain confirms the document {hash_to_hex(receipt.sha256)}: " + "; ".join(where)


def _file_step(receipt: DocumentReceipt, document_sha256: bytes | None) -> CheckStep:
    claimed = hash_to_hex(receipt.sha256)
    if document_sha256 is None:
        return CheckStep("file-hash", "not-checked", "no-file", f"no file was given; the receipt is for {claimed}")
    if document_sha256 == receipt.sha256:
        return CheckStep("file-hash", "passed", "same-hash", f"the file's SHA-256 is {claimed}, as the receipt says")
    return CheckStep("file-hash", "failed", "hash-differs",
                     f"the file's SHA-256 is {hash_to_hex(document_sha256)}, but the receipt is for {claimed}")


def _skipped(name: str, batch: int | None = None) -> CheckStep:
    return CheckStep(name, "not-checked", "skipped",
                     "not asked: the node is not on the receipt's chain, or no registry is at its address", batch)


def _anchoring_steps(reader: _Node, receipt: DocumentReceipt, pinned: int, at: str) -> list[CheckStep]:
    claim = receipt.anchoring
    if claim is None:
        return [
            CheckStep(name, "not-checked", "no-anchoring-claimed",
                      "the receipt names no anchoring of the document on its own, only batches")
            for name in ("anchor-of", "anchoring-block", "anchoring-event")
        ]
    by, _timestamp, block, kind = reader.call(receipt.contract, "anchorOf", [receipt.sha256], pinned)
    by = str(to_checksum_address(by))
    if int(block) == 0:
        first = CheckStep("anchor-of", "failed", "never-anchored",
                          f"anchorOf({hash_to_hex(receipt.sha256)}) on {receipt.contract} {at}: never anchored")
    else:
        said = f"block {int(block):,}, by {by}, as {_kind_words(int(kind))}"
        claimed = f"block {claim.block_number:,}, by {claim.anchored_by}, as {kind_name(claim.kind)}"
        if (int(block), by, int(kind)) == (claim.block_number, claim.anchored_by, int(claim.kind)):
            first = CheckStep("anchor-of", "passed", "anchor-matches",
                              f"anchorOf on {receipt.contract} {at} says {said}, as the receipt does")
        else:
            first = CheckStep("anchor-of", "failed", "anchor-differs",
                              f"anchorOf on {receipt.contract} {at} says {said}; the receipt says {claimed}")
    return [
        first,
        _block_step(reader, "anchoring-block", claim.block_number, claim.block_hash, claim.block_time, None),
        _anchoring_event_step(reader, receipt, claim, pinned),
    ]


def _kind_words(kind: int) -> str:
    try:
        return kind_name(AnchorKind(kind))
    except ValueError:
        return f"kind {kind}"


def _block_step(
    reader: _Node, name: str, number: int, claimed_hash: bytes, claimed_time: datetime | None, batch: int | None
) -> CheckStep:
    block = reader.block(number)
    if block is None:
        return CheckStep(name, "failed", "block-missing", f"the node has no block {number:,}", batch)
    found = reader.data(block.get("hash"), f"block {number}'s hash")
    if found != claimed_hash:
        return CheckStep(name, "failed", "block-hash-differs",
                         f"block {number:,} has hash 0x{found.hex()}, but the receipt says "
                         f"{hash_to_hex(claimed_hash)}", batch)
    if claimed_time is not None:
        seconds = reader.quantity(block.get("timestamp"), f"block {number}'s time")
        if seconds != int(claimed_time.timestamp()):
            return CheckStep(name, "failed", "block-time-differs",
                             f"block {number:,} is from {_iso(seconds)}, but the receipt says "
                             f"{_iso(int(claimed_time.timestamp()))}", batch)
    return CheckStep(name, "passed", "block-matches", f"block {number:,} has hash 0x{found.hex()}", batch)


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


def _log_at(
    reader: _Node, name: str, transaction: bytes, block_number: int, block_hash: bytes, log_index: int,
    batch: int | None,
) -> tuple[dict[str, Any] | None, CheckStep | None]:
    """The log at `log_index` of the transaction, or the failed step saying why there is none."""
    tx = hash_to_hex(transaction)
    answer = reader.ask("eth_getTransactionReceipt", [tx])
    if answer is None:
        return None, CheckStep(name, "failed", "transaction-missing", f"the node has no transaction {tx}", batch)
    if not isinstance(answer, dict):
        raise NodeUnavailable(reader.url, f"the receipt of {tx} is not a JSON object")
    if reader.quantity(answer.get("status", "0x1"), "the transaction's status") != 1:
        return None, CheckStep(name, "failed", "transaction-failed", f"transaction {tx} failed", batch)
    found_number = reader.quantity(answer.get("blockNumber"), "the transaction's block number")
    found_hash = reader.data(answer.get("blockHash"), "the transaction's block hash")
    if (found_number, found_hash) != (block_number, block_hash):
        return None, CheckStep(name, "failed", "transaction-elsewhere",
                               f"transaction {tx} is in block {found_number:,} (0x{found_hash.hex()}), but the "
                               f"receipt says block {block_number:,} ({hash_to_hex(block_hash)})", batch)
    logs = answer.get("logs")
    if not isinstance(logs, list):
        raise NodeUnavailable(reader.url, f"the receipt of {tx} has no list of logs")
    for log in logs:
        if isinstance(log, dict) and reader.quantity(log.get("logIndex"), "a log index") == log_index:
            return log, None
    return None, CheckStep(name, "failed", "log-missing", f"transaction {tx} has no log {log_index}", batch)


def _log_words(reader: _Node, log: dict[str, Any]) -> tuple[list[bytes], bytes]:
    topics = log.get("topics")
    if not isinstance(topics, list) or not topics:
        raise NodeUnavailable(reader.url, "a log has no topics")
    return [reader.data(topic, "a log topic") for topic in topics], reader.data(log.get("data"), "a log's data")


def _anchoring_event_step(reader: _Node, receipt: DocumentReceipt, claim: ReceiptAnchoring, pinned: int) -> CheckStep:
    name = "anchoring-event"
    log, failed = _log_at(reader, name, claim.transaction_hash, claim.block_number, claim.block_hash,
                          claim.log_index, None)
    if log is None:
        assert failed is not None
        return failed
    emitter = str(to_checksum_address(str(log.get("address"))))
    topics, data = _log_words(reader, log)
    where = f"log {claim.log_index} of transaction {hash_to_hex(claim.transaction_hash)}"
    if emitter != receipt.contract:
        (role,) = reader.call(receipt.contract, "MODULE_ROLE", [], pinned)
        (module,) = reader.call(receipt.contract, "hasRole", [role, emitter], pinned)
        if not module:
            return CheckStep(name, "failed", "log-not-registry",
                             f"{where} comes from {emitter}, which is neither the registry {receipt.contract} "
                             "nor one of its modules")
    if topics[0] not in event_topics(claim.event):
        return CheckStep(name, "failed", "event-differs", f"{where} is not a {claim.event} event")
    words = topics[1:] + [data[i : i + 32] for i in range(0, len(data) - len(data) % 32, 32)]
    if receipt.sha256 not in words:
        return CheckStep(name, "failed", "hash-not-in-log",
                         f"{where} ({claim.event}) does not name {hash_to_hex(receipt.sha256)}")
    return CheckStep(name, "passed", "event-matches",
                     f"{where} in block {claim.block_number:,} is {claim.event} from {emitter}, naming the "
                     "document")


def _batch_steps(
    reader: _Node, receipt: DocumentReceipt, index: int, batch: ReceiptBatch, pinned: int, at: str
) -> list[CheckStep]:
    root = hash_to_hex(batch.root)
    steps = []
    if verify_proof(batch.root, receipt.sha256, batch.proof):
        steps.append(CheckStep("batch-proof", "passed", "proof-leads-to-root",
                               f"the Merkle proof leads from the document's leaf to the root {root}", index))
    else:
        steps.append(CheckStep("batch-proof", "failed", "proof-does-not-lead-to-root",
                               f"the Merkle proof does not lead from the document's leaf to the root {root}",
                               index))
    (member,) = reader.call(receipt.contract, "verifyBatchMember", [batch.root, receipt.sha256, list(batch.proof)],
                            pinned)
    if member:
        steps.append(CheckStep("batch-member", "passed", "member-accepted",
                               f"verifyBatchMember on {receipt.contract} {at} accepts the proof for root {root}",
                               index))
    else:
        steps.append(CheckStep("batch-member", "failed", "member-refused",
                               f"verifyBatchMember on {receipt.contract} {at} refuses the proof for root {root}",
                               index))
    _by, _timestamp, block = reader.call(receipt.contract, "batchOf", [batch.root], pinned)
    if int(block) == 0:
        steps.append(CheckStep("batch-of", "failed", "batch-never-anchored",
                               f"batchOf({root}) on {receipt.contract} {at}: no such batch", index))
    elif int(block) != batch.block_number:
        steps.append(CheckStep("batch-of", "failed", "batch-differs",
                               f"batchOf({root}) on {receipt.contract} {at} says block {int(block):,}; the receipt "
                               f"says {batch.block_number:,}", index))
    else:
        steps.append(CheckStep("batch-of", "passed", "batch-matches",
                               f"batchOf({root}) on {receipt.contract} {at} says block {int(block):,}", index))
    steps.append(_block_step(reader, "batch-block", batch.block_number, batch.block_hash, None, index))
    steps.append(_batch_event_step(reader, receipt, index, batch))
    return steps


def _batch_event_step(reader: _Node, receipt: DocumentReceipt, index: int, batch: ReceiptBatch) -> CheckStep:
    name = "batch-event"
    log, failed = _log_at(reader, name, batch.transaction_hash, batch.block_number, batch.block_hash,
                          batch.log_index, index)
    if log is None:
        assert failed is not None
        return failed
    where = f"log {batch.log_index} of transaction {hash_to_hex(batch.transaction_hash)}"
    emitter = str(to_checksum_address(str(log.get("address"))))
    topics, data = _log_words(reader, log)
    if emitter != receipt.contract:
        return CheckStep(name, "failed", "log-not-registry",
                         f"{where} comes from {emitter}, not the registry {receipt.contract}", index)
    if topics[0] not in event_topics("BatchAnchored") or len(topics) < 2 or len(data) != 64:
        return CheckStep(name, "failed", "event-differs", f"{where} is not a BatchAnchored event", index)
    if topics[1] != batch.root:
        return CheckStep(name, "failed", "root-differs",
                         f"{where} anchored root 0x{topics[1].hex()}, not {hash_to_hex(batch.root)}", index)
    leaf_count, manifest_hash = int.from_bytes(data[:32], "big"), data[32:]
    if (leaf_count, manifest_hash) != (batch.leaf_count, batch.manifest_hash):
        return CheckStep(name, "failed", "manifest-differs",
                         f"{where} recorded {leaf_count} document(s) and manifest 0x{manifest_hash.hex()}; the "
                         f"receipt says {batch.leaf_count} and {hash_to_hex(batch.manifest_hash)}", index)
    return CheckStep(name, "passed", "event-matches",
                     f"{where} in block {batch.block_number:,} is BatchAnchored of root {hash_to_hex(batch.root)}",
                     index)


# ---- issuing a receipt from the chain ------------------------------------------------------------


@dataclass(frozen=True)
class BatchHolding:
    """A batch the issuer knows holds the document (from its manifest): root, path and proof."""

    root: bytes
    path: str
    proof: tuple[bytes, ...]


def issue_document_receipt(
    node: JsonRpcNode,
    contract: str,
    emitters: Sequence[str],
    sha256: bytes,
    batches: Sequence[BatchHolding],
    *,
    issued_by: str,
    verify_url: str | None = None,
) -> DocumentReceipt:
    """A receipt of what the chain says now: `anchorOf`, the first event of the anchoring block (from
    `emitters`: the registry's contracts) that names the document, and each batch's `BatchAnchored`.

    Raises `NodeUnavailable` for a node that cannot be asked and `ReceiptUnavailable` when the
    chain holds nothing to put in a receipt.
    """
    reader = _Node(node)
    contract = str(to_checksum_address(contract))
    chain_id = reader.quantity(reader.ask("eth_chainId", []), "the chain id")
    pinned = reader.quantity(reader.ask("eth_blockNumber", []), "the block number")
    anchoring = None
    by, _timestamp, block, kind = reader.call(contract, "anchorOf", [sha256], pinned)
    if int(block) != 0:
        logs = reader.ask("eth_getLogs", [{"fromBlock": hex(int(block)), "toBlock": hex(int(block)),
                                           "address": [str(to_checksum_address(e)) for e in emitters]}])
        names = {topic: event.name for (_, topic), event in events_by_topic().items()}
        for log in sorted(logs, key=lambda entry: reader.quantity(entry.get("logIndex"), "a log index")):
            topics, data = _log_words(reader, log)
            words = topics[1:] + [data[i : i + 32] for i in range(0, len(data) - len(data) % 32, 32)]
            if topics[0] in names and sha256 in words:
                header = reader.block(int(block))
                assert header is not None
                anchoring = ReceiptAnchoring(
                    kind=AnchorKind(int(kind)),
                    anchored_by=str(to_checksum_address(by)),
                    block_number=int(block),
                    block_hash=reader.data(header.get("hash"), "a block hash"),
                    block_time=datetime.fromtimestamp(reader.quantity(header.get("timestamp"), "a block time"), UTC),
                    transaction_hash=reader.data(log.get("transactionHash"), "a transaction hash"),
                    log_index=reader.quantity(log.get("logIndex"), "a log index"),
                    event=names[topics[0]],
                )
                break
    held = []
    (batch_topic,) = event_topics("BatchAnchored")
    for batch in batches:
        _by, _timestamp, batch_block = reader.call(contract, "batchOf", [batch.root], pinned)
        if int(batch_block) == 0:
            continue
        logs = reader.ask("eth_getLogs", [{"fromBlock": hex(int(batch_block)), "toBlock": hex(int(batch_block)),
                                           "address": contract, "topics": ["0x" + batch_topic.hex(),
                                                                           hash_to_hex(batch.root)]}])
        if not logs:
            continue
        log = logs[0]
        _topics, data = _log_words(reader, log)
        held.append(
            ReceiptBatch(
                root=batch.root,
                path=batch.path,
                leaf_count=int.from_bytes(data[:32], "big"),
                manifest_hash=data[32:64],
                proof=batch.proof,
                block_number=int(batch_block),
                block_hash=reader.data(log.get("blockHash"), "a block hash"),
                transaction_hash=reader.data(log.get("transactionHash"), "a transaction hash"),
                log_index=reader.quantity(log.get("logIndex"), "a log index"),
            )
        )
    if anchoring is None and not held:
        raise ReceiptUnavailable(hash_to_hex(sha256), contract, chain_id, pinned)
    return DocumentReceipt(
        sha256=sha256,
        chain_id=chain_id,
        contract=contract,
        issued_at=datetime.now(UTC).replace(microsecond=0),
        issued_by=issued_by,
        anchoring=anchoring,
        batches=tuple(held),
        verify_url=verify_url,
    )


class ReceiptUnavailable(RegistryError):
    """The chain holds no anchoring of the document, so there is nothing to put in a receipt."""

    def __init__(self, sha256: str, contract: str, chain_id: int, block: int) -> None:
        self.sha256 = sha256
        super().__init__(
            f"no receipt: {sha256} is not anchored in the registry {contract} on chain {chain_id} "
            f"(at block {block:,}), on its own or in a batch known here"
        )
