"""Checking a document receipt, or a batch proof file, against a node: every claim asked of the
chain, one step at a time, at one block pinned when the check starts. `rnd-registry verify` and
`evidence prove` show these steps; the API's receipts are checked by them.

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

A proof file (`check_proof_file`) is checked as a receipt holding one batch and no anchoring of its
own; it names no block hash or log index, so `batch-block` is `not-checked` (`not-claimed`) and
`batch-event` finds the transaction's BatchAnchored of the root; one written for a relayer names no
transaction either, and `batch-event` is `not-claimed` too.

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
from registry.evidence.proofs import ProofFile

GRANT_REGISTRY = "GrantRegistry"

StepStatus = Literal["passed", "failed", "not-checked"]
Verdict = Literal["anchored", "not-anchored", "mismatch"]

BATCH_STEPS = ("batch-proof", "batch-member", "batch-of", "batch-block", "batch-event")

#: Failures that mean the chain holds nothing for the claim (the verdict `not-anchored`).
ABSENCE_REASONS = frozenset(
    {"never-anchored", "batch-never-anchored", "no-code", "transaction-missing", "block-missing"}
)

#: `not-checked` reasons for what the claim does not say (no anchoring of its own, no transaction
#: yet): nothing to check, so they do not stand in the way of `anchored`.
UNCLAIMED_REASONS = frozenset({"no-anchoring-claimed", "not-claimed"})


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
    steps: list[CheckStep] = [_file_step(sha256, document_sha256, "the receipt")]
    chain = _chain_steps(reader, receipt.chain_id, receipt.contract, "the receipt")
    steps.extend(chain.steps)
    batches = [_BatchClaim.of_receipt(batch) for batch in receipt.batches]
    if chain.registry_found:
        steps.extend(_anchoring_steps(reader, receipt, chain.pinned, chain.at))
        for index, batch in enumerate(batches):
            steps.extend(_batch_steps(reader, receipt.contract, sha256, index, batch, chain.pinned, chain.at))
    else:
        steps.extend(_skipped(name) for name in ("anchor-of", "anchoring-block", "anchoring-event"))
        for index, _ in enumerate(batches):
            steps.extend(_skipped(name, index) for name in BATCH_STEPS)

    where = []
    if receipt.anchoring is not None:
        where.append(f"anchored at block {receipt.anchoring.block_number:,}")
    where.extend(f"in the batch with root {hash_to_hex(b.root)} at block {b.block_number:,}" for b in batches)
    return chain.check(steps, sha256, receipt.contract, where)


def check_proof_file(
    node: JsonRpcNode, proof: ProofFile, chain_id: int, contract: str, document_sha256: bytes | None = None
) -> DocumentCheck:
    """Checks a batch proof file (`rnd-registry evidence anchor` writes one per document) against
    `node`: the file's hash if given, the registry at `contract` on chain `chain_id` (the proof's own
    if it names them, else the deployment's), then the batch steps of a receipt. A proof written for a
    relayer names no transaction yet: its block and event steps are `not-checked` (`not-claimed`), and
    the verdict rests on `verifyBatchMember` and `batchOf`."""
    reader = _Node(node)
    contract = str(to_checksum_address(contract))
    steps: list[CheckStep] = [_file_step(proof.document_hash, document_sha256, "the proof")]
    chain = _chain_steps(reader, chain_id, contract, "the proof")
    steps.extend(chain.steps)
    batch = _BatchClaim.of_proof(proof)
    if chain.registry_found:
        steps.extend(_batch_steps(reader, contract, proof.document_hash, 0, batch, chain.pinned, chain.at))
    else:
        steps.extend(_skipped(name, 0) for name in BATCH_STEPS)
    block = "" if batch.block_number is None else f" at block {batch.block_number:,}"
    where = f"in the batch with root {hash_to_hex(batch.root)}{block}"
    return chain.check(steps, proof.document_hash, contract, [where])


def check_proof_offline(proof: ProofFile, document_sha256: bytes | None = None) -> list[CheckStep]:
    """What a proof file shows with no node: the file's hash if given, and that its Merkle path leads
    from the document's leaf to its root (not that the root was ever anchored)."""
    return [_file_step(proof.document_hash, document_sha256, "the proof"),
            _proof_step(proof.root, proof.document_hash, tuple(proof.proof), 0)]  # fmt: skip


@dataclass(frozen=True)
class _BatchClaim:
    """What a receipt's batch or a proof file claims about a batch; a proof file written for a
    relayer names no block or transaction, and none names a block hash or log index."""

    root: bytes
    proof: tuple[bytes, ...]
    leaf_count: int
    manifest_hash: bytes
    block_number: int | None
    block_hash: bytes | None
    transaction_hash: bytes | None
    log_index: int | None
    claimant: str

    @classmethod
    def of_receipt(cls, batch: ReceiptBatch) -> _BatchClaim:
        return cls(batch.root, tuple(batch.proof), batch.leaf_count, batch.manifest_hash, batch.block_number,
                   batch.block_hash, batch.transaction_hash, batch.log_index, "the receipt")  # fmt: skip

    @classmethod
    def of_proof(cls, proof: ProofFile) -> _BatchClaim:
        return cls(proof.root, tuple(proof.proof), proof.leaf_count, proof.manifest_hash, proof.block_number,
                   None, proof.transaction_hash, None, "the proof")  # fmt: skip


@dataclass(frozen=True)
class _ChainSteps:
    """The node's chain and the registry's code, asked at the block pinned for the whole check."""

    url: str
    chain_id: int
    pinned: int
    pinned_hash: str | None
    steps: list[CheckStep]

    @property
    def at(self) -> str:
        return f"at block {self.pinned:,} of the node {self.url}"

    @property
    def registry_found(self) -> bool:
        return all(step.status == "passed" for step in self.steps)

    def check(self, steps: list[CheckStep], sha256: bytes, contract: str, where: list[str]) -> DocumentCheck:
        verdict, reason = _verdict(steps, sha256, where)
        return DocumentCheck(verdict=verdict, reason=reason, sha256=hash_to_hex(sha256), node=self.url,
                             chain_id=self.chain_id, block_number=self.pinned, block_hash=self.pinned_hash,
                             contract=contract, steps=steps)  # fmt: skip


def _chain_steps(reader: _Node, claimed_chain: int, contract: str, claimant: str) -> _ChainSteps:
    chain_id = reader.quantity(reader.ask("eth_chainId", []), "the chain id")
    pinned = reader.quantity(reader.ask("eth_blockNumber", []), "the block number")
    head = reader.block(pinned)
    found = _ChainSteps(reader.url, chain_id, pinned, str(head.get("hash")) if head is not None else None, [])
    steps = found.steps
    if chain_id == claimed_chain:
        steps.append(CheckStep("chain-id", "passed", "same-chain", f"the node {reader.url} serves chain {chain_id}"))
    else:
        steps.append(CheckStep("chain-id", "failed", "chain-differs",
                               f"{claimant} is for chain {claimed_chain}, but the node {reader.url} serves "
                               f"chain {chain_id}"))
        steps.append(_skipped("contract-code"))
        return found
    code = reader.data(reader.ask("eth_getCode", [contract, hex(pinned)]), "the contract's code")
    if code:
        steps.append(CheckStep("contract-code", "passed", "has-code", f"there is a contract at {contract} {found.at}"))
    else:
        steps.append(CheckStep("contract-code", "failed", "no-code", f"there is no contract at {contract} {found.at}"))
    return found


def _verdict(steps: list[CheckStep], sha256: bytes, where: list[str]) -> tuple[Verdict, str]:
    failed = next((step for step in steps if step.status == "failed"), None)
    if failed is not None:
        return ("not-anchored" if failed.reason in ABSENCE_REASONS else "mismatch"), failed.detail
    chain_steps = [step for step in steps if step.step != "file-hash" and step.reason not in UNCLAIMED_REASONS]
    if any(step.status != "passed" for step in chain_steps):
        return "mismatch", "not every claim could be checked"
    return "anchored", f"the chain confirms the document {hash_to_hex(sha256)}: " + "; ".join(where)


def _file_step(claimed_sha256: bytes, document_sha256: bytes | None, claimant: str) -> CheckStep:
    claimed = hash_to_hex(claimed_sha256)
    if document_sha256 is None:
        return CheckStep("file-hash", "not-checked", "no-file", f"no file was given; {claimant} is for {claimed}")
    if document_sha256 == claimed_sha256:
        return CheckStep("file-hash", "passed", "same-hash", f"the file's SHA-256 is {claimed}, as {claimant} says")
    return CheckStep("file-hash", "failed", "hash-differs",
                     f"the file's SHA-256 is {hash_to_hex(document_sha256)}, but {claimant} is for {claimed}")


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
    reader: _Node, name: str, number: int, claimed_hash: bytes, claimed_time: datetime | None, batch: int | None,
    claimant: str = "the receipt",
) -> CheckStep:
    block = reader.block(number)
    if block is None:
        return CheckStep(name, "failed", "block-missing", f"the node has no block {number:,}", batch)
    found = reader.data(block.get("hash"), f"block {number}'s hash")
    if found != claimed_hash:
        return CheckStep(name, "failed", "block-hash-differs",
                         f"block {number:,} has hash 0x{found.hex()}, but {claimant} says "
                         f"{hash_to_hex(claimed_hash)}", batch)
    if claimed_time is not None:
        seconds = reader.quantity(block.get("timestamp"), f"block {number}'s time")
        if seconds != int(claimed_time.timestamp()):
            return CheckStep(name, "failed", "block-time-differs",
                             f"block {number:,} is from {_iso(seconds)}, but {claimant} says "
                             f"{_iso(int(claimed_time.timestamp()))}", batch)
    return CheckStep(name, "passed", "block-matches", f"block {number:,} has hash 0x{found.hex()}", batch)


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


def _log_at(
    reader: _Node, name: str, transaction: bytes, block_number: int, block_hash: bytes, log_index: int,
    batch: int | None,
) -> tuple[dict[str, Any] | None, CheckStep | None]:
    """The log at `log_index` of the transaction, or the failed step saying why there is none."""
    logs, failed = _transaction_logs(reader, name, transaction, block_number, block_hash, batch, "the receipt")
    if logs is None:
        return None, failed
    for log in logs:
        if isinstance(log, dict) and reader.quantity(log.get("logIndex"), "a log index") == log_index:
            return log, None
    tx = hash_to_hex(transaction)
    return None, CheckStep(name, "failed", "log-missing", f"transaction {tx} has no log {log_index}", batch)


def _transaction_logs(
    reader: _Node, name: str, transaction: bytes, block_number: int | None, block_hash: bytes | None,
    batch: int | None, claimant: str,
) -> tuple[list[Any] | None, CheckStep | None]:
    """The logs of a transaction that succeeded in the block claimed (its hash too, when claimed), or
    the failed step saying why not."""
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
    if found_number != block_number or block_hash not in (None, found_hash):
        claimed = f"block {block_number:,}" if block_number is not None else "no block"
        if block_hash is not None:
            claimed += f" ({hash_to_hex(block_hash)})"
        return None, CheckStep(name, "failed", "transaction-elsewhere",
                               f"transaction {tx} is in block {found_number:,} (0x{found_hash.hex()}), but "
                               f"{claimant} says {claimed}", batch)
    logs = answer.get("logs")
    if not isinstance(logs, list):
        raise NodeUnavailable(reader.url, f"the receipt of {tx} has no list of logs")
    return logs, None


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


def _proof_step(root: bytes, sha256: bytes, proof: tuple[bytes, ...], index: int) -> CheckStep:
    if verify_proof(root, sha256, proof):
        return CheckStep("batch-proof", "passed", "proof-leads-to-root",
                         f"the Merkle proof leads from the document's leaf to the root {hash_to_hex(root)}", index)
    return CheckStep("batch-proof", "failed", "proof-does-not-lead-to-root",
                     f"the Merkle proof does not lead from the document's leaf to the root {hash_to_hex(root)}",
                     index)


def _unclaimed(name: str, what: str, index: int) -> CheckStep:
    return CheckStep(name, "not-checked", "not-claimed", f"not asked: {what}", index)


def _batch_steps(
    reader: _Node, contract: str, sha256: bytes, index: int, batch: _BatchClaim, pinned: int, at: str
) -> list[CheckStep]:
    root = hash_to_hex(batch.root)
    steps = [_proof_step(batch.root, sha256, batch.proof, index)]
    (member,) = reader.call(contract, "verifyBatchMember", [batch.root, sha256, list(batch.proof)], pinned)
    if member:
        steps.append(CheckStep("batch-member", "passed", "member-accepted",
                               f"verifyBatchMember on {contract} {at} accepts the proof for root {root}", index))
    else:
        steps.append(CheckStep("batch-member", "failed", "member-refused",
                               f"verifyBatchMember on {contract} {at} refuses the proof for root {root}", index))
    by, _timestamp, block = reader.call(contract, "batchOf", [batch.root], pinned)
    if int(block) == 0:
        steps.append(CheckStep("batch-of", "failed", "batch-never-anchored",
                               f"batchOf({root}) on {contract} {at}: no such batch", index))
    elif batch.block_number is not None and int(block) != batch.block_number:
        steps.append(CheckStep("batch-of", "failed", "batch-differs",
                               f"batchOf({root}) on {contract} {at} says block {int(block):,}; {batch.claimant} "
                               f"says {batch.block_number:,}", index))
    else:
        steps.append(CheckStep("batch-of", "passed", "batch-matches",
                               f"batchOf({root}) on {contract} {at} says block {int(block):,}, anchored by "
                               f"{to_checksum_address(by)}", index))
    if batch.block_number is None or batch.block_hash is None:
        steps.append(_unclaimed("batch-block", f"{batch.claimant} names no block hash", index))
    else:
        steps.append(_block_step(reader, "batch-block", batch.block_number, batch.block_hash, None, index,
                                 batch.claimant))  # fmt: skip
    steps.append(_batch_event_step(reader, contract, index, batch))
    return steps


def _batch_event_step(reader: _Node, contract: str, index: int, batch: _BatchClaim) -> CheckStep:
    name = "batch-event"
    if batch.transaction_hash is None:
        return _unclaimed(name, f"{batch.claimant} names no transaction (signed for a relayer, sent later)", index)
    tx = hash_to_hex(batch.transaction_hash)
    logs, failed = _transaction_logs(reader, name, batch.transaction_hash, batch.block_number, batch.block_hash,
                                     index, batch.claimant)  # fmt: skip
    if logs is None:
        assert failed is not None
        return failed
    log = _batch_log(reader, logs, contract, batch)
    if log is None:
        if batch.log_index is None:
            return CheckStep(name, "failed", "log-missing",
                             f"transaction {tx} logged no BatchAnchored of root {hash_to_hex(batch.root)} from "
                             f"the registry {contract}", index)
        return CheckStep(name, "failed", "log-missing", f"transaction {tx} has no log {batch.log_index}", index)
    where = f"log {reader.quantity(log.get('logIndex'), 'a log index')} of transaction {tx}"
    emitter = str(to_checksum_address(str(log.get("address"))))
    topics, data = _log_words(reader, log)
    if emitter != contract:
        return CheckStep(name, "failed", "log-not-registry",
                         f"{where} comes from {emitter}, not the registry {contract}", index)
    if topics[0] not in event_topics("BatchAnchored") or len(topics) < 2 or len(data) != 64:
        return CheckStep(name, "failed", "event-differs", f"{where} is not a BatchAnchored event", index)
    if topics[1] != batch.root:
        return CheckStep(name, "failed", "root-differs",
                         f"{where} anchored root 0x{topics[1].hex()}, not {hash_to_hex(batch.root)}", index)
    leaf_count, manifest_hash = int.from_bytes(data[:32], "big"), data[32:]
    if (leaf_count, manifest_hash) != (batch.leaf_count, batch.manifest_hash):
        return CheckStep(name, "failed", "manifest-differs",
                         f"{where} recorded {leaf_count} document(s) and manifest 0x{manifest_hash.hex()}; "
                         f"{batch.claimant} says {batch.leaf_count} and {hash_to_hex(batch.manifest_hash)}", index)
    block = "" if batch.block_number is None else f" in block {batch.block_number:,}"
    return CheckStep(name, "passed", "event-matches",
                     f"{where}{block} is BatchAnchored of root {hash_to_hex(batch.root)}", index)


def _batch_log(reader: _Node, logs: list[Any], contract: str, batch: _BatchClaim) -> dict[str, Any] | None:
    """The log claimed: at the claimed index, or, when no index is claimed (a proof file), the
    transaction's BatchAnchored of the root from the registry."""
    (topic,) = event_topics("BatchAnchored")
    for log in logs:
        if not isinstance(log, dict):
            continue
        if batch.log_index is not None:
            if reader.quantity(log.get("logIndex"), "a log index") == batch.log_index:
                return log
            continue
        topics, _data = _log_words(reader, log)
        emitter = str(to_checksum_address(str(log.get("address"))))
        if emitter == contract and topics[0] == topic and topics[1:2] == [batch.root]:
            return log
    return None


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
