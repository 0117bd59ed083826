"""The grant registry's anchor book read live over JSON-RPC, asynchronously: what the contract says
about a document just now, so a verification answer does not rest on the indexed database alone.

Plain JSON-RPC (`eth_call` with ABI-encoded calldata) rather than web3's contract objects, and
every call made while the event loop runs one step goes to the node in one JSON-RPC batch: a busy
API asks the node once for many verifications instead of once for each. Calls are made at an
explicit block, the head as last read (at most `head_max_age` seconds old), so every answer names
the block it holds for; the same call at the same block has the same answer, so it is remembered
until the head moves, and past it while the contract's storage stays the same: the views asked read
only the grant registry's own storage, so when `eth_getProof` gives the same storage root (and code
hash) at the new head as at the block a call was made at, that call's answer holds at the new head
too (one question per block instead of one per document; a node without `eth_getProof` is asked
each call again at each block). A positive answer read `confirmations` blocks deep (a first anchoring, an
accepted batch proof, a cited log) never changes, since the anchor book only adds, so it is kept across
heads and not asked again. A node that fails is not asked again for `retry_after` seconds: a
verification meanwhile says at once that the live check is unavailable instead of waiting for a timeout.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import aiohttp
from eth_abi.abi import decode, encode
from eth_utils.abi import collapse_if_tuple, function_abi_to_4byte_selector
from eth_utils.address import to_checksum_address

from registry.chain.deployment import GRANT_REGISTRY, DeploymentManifest
from registry.domain.enums import AnchorKind
from registry.errors import RegistryError

ANCHOR_OF = "anchorOf"
VERIFY_BATCH_MEMBER = "verifyBatchMember"
_CACHE_LIMIT = 65536
_MAX_IN_FLIGHT = 2
_MIN_HEAD_AGE = 0.1


class LiveCheckUnavailable(RegistryError):
    """The chain could not be asked: the node is unreachable, failed, or serves another chain."""

    def __init__(self, reason: str, *, retry_at: float | None = None) -> None:
        self.reason = reason
        self.retry_at = retry_at
        super().__init__(reason)


class NodeRefused(LiveCheckUnavailable):
    """The node answered a call with an error (e.g. the block asked for is no longer on the chain);
    `code` is the JSON-RPC error's code, if it gave one."""

    def __init__(self, reason: str, *, code: object = None) -> None:
        super().__init__(reason)
        self.code = code


#: JSON-RPC error codes a node answers for a method it does not offer (the standard one, and what
#: some nodes use for a method they have but were configured without).
_METHOD_MISSING = frozenset({-32601, -32004})


@dataclass(frozen=True)
class ContractFunction:
    """One view of the contract: its signature for `cast call`, and how to encode and decode it.

    The views asked here take and return only 32-byte words (`bytes32`, `bytes32[]`; addresses,
    unsigned integers, booleans, a static struct of them), which are sliced by hand: eth-abi's
    general codec costs tens of microseconds a call, more than the rest of a verification answer.
    Other types go to eth-abi; a test checks both agree.
    """

    name: str
    selector: bytes
    input_types: tuple[str, ...]
    output_types: tuple[str, ...]

    @classmethod
    def from_abi(cls, abi: Sequence[dict[str, Any]], name: str) -> ContractFunction:
        entry = next(e for e in abi if e.get("type") == "function" and e.get("name") == name)
        return cls(
            name=name,
            selector=function_abi_to_4byte_selector(entry),  # type: ignore[arg-type]
            input_types=tuple(collapse_if_tuple(dict(i)) for i in entry["inputs"]),
            output_types=tuple(collapse_if_tuple(dict(o)) for o in entry["outputs"]),
        )

    @cached_property
    def flat_outputs(self) -> tuple[str, ...]:
        """The output types, a struct returned alone written as its fields (the ABI encodes a
        static struct exactly as its fields)."""
        outputs = self.output_types
        if len(outputs) == 1 and outputs[0].startswith("(") and outputs[0].endswith(")") and "[" not in outputs[0]:
            return tuple(outputs[0][1:-1].split(","))
        return outputs

    @cached_property
    def cast_signature(self) -> str:
        """`name(inputs)(outputs)` as `cast call` takes it, so that cast prints one value per line."""
        return f"{self.name}({','.join(self.input_types)})({','.join(self.flat_outputs)})"

    @cached_property
    def _sliceable(self) -> tuple[bool, bool]:
        """Whether the inputs, and the outputs, are all words this class slices by hand."""
        return (
            all(kind in _WORD_INPUTS for kind in self.input_types),
            all(_WORD_OUTPUT.fullmatch(kind) for kind in self.flat_outputs),
        )

    def calldata(self, *arguments: Any) -> str:
        if self._sliceable[0]:
            head: list[bytes] = []
            tail: list[bytes] = []
            offset = 32 * len(arguments)
            for kind, value in zip(self.input_types, arguments, strict=True):
                if kind == "bytes32":
                    head.append(_word32(value))
                else:  # bytes32[]: an offset in the head, the length and the items in the tail
                    head.append((offset + 32 * len(tail)).to_bytes(32, "big"))
                    tail.append(len(value).to_bytes(32, "big"))
                    tail.extend(_word32(item) for item in value)
            return "0x" + (self.selector + b"".join(head) + b"".join(tail)).hex()
        return "0x" + (self.selector + encode(list(self.input_types), list(arguments))).hex()

    def decode_result(self, result: str) -> tuple[Any, ...]:
        """The returned values; a struct returned alone comes as its fields."""
        data = bytes.fromhex(result.removeprefix("0x"))
        outputs = self.flat_outputs
        if self._sliceable[1] and len(data) == 32 * len(outputs):
            return tuple(_from_word(kind, data[32 * i : 32 * i + 32]) for i, kind in enumerate(outputs))
        return tuple(decode(list(outputs), data))


_WORD_INPUTS = frozenset({"bytes32", "bytes32[]"})
_WORD_OUTPUT = re.compile(r"address|bool|bytes32|uint\d*")


def _word32(value: bytes) -> bytes:
    if len(value) != 32:
        raise ValueError(f"expected 32 bytes, got {len(value)}")
    return bytes(value)


@lru_cache(maxsize=4096)
def _address(raw: bytes) -> str:
    return str(to_checksum_address(raw))  # EIP-55 hashes the address: worth remembering the few seen


def _from_word(kind: str, word: bytes) -> Any:
    if kind == "address":
        return _address(word[12:])
    if kind == "bool":
        return word[-1] == 1
    if kind == "bytes32":
        return word
    return int.from_bytes(word, "big")


@dataclass(frozen=True)
class AnchorReading:
    """`anchorOf(documentHash)` as the contract answered: zero block number means never anchored."""

    anchored_by: str | None
    timestamp: int | None
    block_number: int | None
    kind: AnchorKind

    @property
    def anchored(self) -> bool:
        return self.block_number is not None


@dataclass(frozen=True)
class CitedLog:
    """One log of a transaction as the node's receipt has it: what a citation, named by (transaction
    hash, log index), points at. `log_index` is the log's position in its block, as in eth_getLogs."""

    address: str
    topics: tuple[bytes, ...]
    data: bytes
    block_number: int
    block_hash: bytes
    transaction_hash: bytes
    log_index: int


@dataclass(frozen=True)
class StorageRoot:
    """The grant registry's account at a block as `eth_getProof(contract, [], block)` gives it: the root of
    its storage and the hash of its code. The same root at two blocks means the same storage, so every view
    that reads only that storage answers the same at both."""

    block_number: int
    storage_hash: bytes
    code_hash: bytes

    def same_state(self, other: StorageRoot | None) -> bool:
        return other is not None and (self.storage_hash, self.code_hash) == (other.storage_hash, other.code_hash)


@dataclass(frozen=True)
class AnchorBookReading:
    """What the contract said about one document at block `block_number` (read at `checked_at`, unix
    seconds): its anchoring, for each batch asked about whether `verifyBatchMember` accepted it, and
    for each citation asked about the log it names (None if the node has no such log).

    `reused` is True when nothing was asked of the node for this answer: every part of it is a final
    one kept from an earlier reading (an anchoring or an accepted proof `confirmations` blocks deep, a
    log as deep), which holds at `block_number`, the head as last read, all the same.

    `asked_at` is set when some of the contract's answers (`anchorOf`, `verifyBatchMember`) were asked at
    an earlier block than `block_number` and not again: the earliest such block. They hold at
    `block_number` because the contract's storage root there, `storage` (from `eth_getProof`), is the one it
    had where they were asked.

    `final` is True when the reading found the document anchored (on its own or by an accepted batch
    proof) and every positive part of it is final in that sense: each anchoring, accepted proof and
    cited log found lies `confirmations` blocks deep, so what it found holds at every later block. What
    it did not find (an empty `anchorOf` of a document anchored only in a batch) may still change, and
    holds as read at `block_number`."""

    chain_id: int
    contract: str
    block_number: int
    checked_at: float
    anchor: AnchorReading
    members: tuple[bool, ...]
    citations: tuple[CitedLog | None, ...] = ()
    reused: bool = False
    final: bool = False
    asked_at: int | None = None
    storage: StorageRoot | None = None


class AnchorBookReader:
    """Asks the grant registry's anchor book, at the head of the chain, about documents and batches."""

    def __init__(
        self,
        rpc_url: str,
        manifest: DeploymentManifest,
        *,
        timeout: float,
        head_max_age: float = 1.0,
        retry_after: float = 5.0,
        confirmations: int = 0,
    ) -> None:
        self.rpc_url = rpc_url
        self.chain_id = manifest.chain_id
        self.contract = str(manifest.address(GRANT_REGISTRY))
        abi = manifest.contracts[GRANT_REGISTRY].abi
        self.anchor_of = ContractFunction.from_abi(abi, ANCHOR_OF)
        self.verify_batch_member = ContractFunction.from_abi(abi, VERIFY_BATCH_MEMBER)
        self._timeout = timeout
        self._head_max_age = head_max_age
        self._retry_after = retry_after
        self._confirmations = confirmations
        self._session: aiohttp.ClientSession | None = None
        self._session_loop: asyncio.AbstractEventLoop | None = None
        self._pending: list[tuple[dict[str, Any], asyncio.Future[Any]]] = []
        self._flush_scheduled = False
        self._sending: set[asyncio.Future[None]] = set()
        self._next_id = 0
        self._chain_checked = False
        self._chain_checking: asyncio.Future[None] | None = None
        self._head: tuple[int, float] | None = None  # (block number, monotonic time read)
        self._head_reading: asyncio.Future[int] | None = None
        self._head_id: tuple[int, str] | None = None
        self._results: dict[tuple[int, str], asyncio.Future[Any]] = {}
        # eth_call answers, kept past the head while the contract's storage root stays the same: call data ->
        # (the block it was asked at, its answer or the future of it). Emptied when the root changes or
        # cannot be read.
        self._calls: dict[str, tuple[int, Any]] = {}
        self._storage: StorageRoot | None = None  # at the head as last read, if the node told it
        self._proofs = True  # False once the node said it has no eth_getProof
        # Final answers, kept across heads: key -> (the block from which the answer holds, the answer).
        # The keys are eth_call data (anchorOf, verifyBatchMember) and (transaction hash, log index).
        self._settled: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        #: Counts the times final answers were dropped (the chain was replaced, or another one served):
        #: whatever was built on final readings before holds only while it stays the same.
        self.finality_epoch = 0
        self._down: LiveCheckUnavailable | None = None
        self._never_anchored: tuple[str, AnchorReading] | None = None  # the one answer most hashes get

    def head_in_use(self) -> tuple[int, str] | None:
        """The head (number, hash) the next reading is made at without asking the node again: the head as last
        read, while it is fresh; None when the next reading must ask (the head is stale, the chain not yet
        checked, or the node down)."""
        if not self.answering() or self._head is None or self._head_id is None:
            return None
        if time.monotonic() - self._head[1] >= self._head_max_age:
            return None
        return self._head_id

    def answering(self) -> bool:
        """Whether the node, as last asked, serves the registry's chain and answers."""
        return self._down is None and self._chain_checked

    async def read(
        self,
        document_hash: bytes,
        batches: Sequence[tuple[bytes, Sequence[bytes]]],
        *,
        min_block: int = 0,
        citations: Sequence[tuple[bytes, int]] = (),
    ) -> AnchorBookReading:
        """`anchorOf(document_hash)`, `verifyBatchMember(root, document_hash, proof)` for each
        `(root, proof)` in `batches`, and the log each `(transaction hash, log index)` in `citations`
        names (`eth_getTransactionReceipt`), all at the same block: the head or, if the head as last
        read is older than `min_block`, the head read again; raises `LiveCheckUnavailable`."""
        if self._down is not None:
            if self._down.retry_at is not None and time.time() < self._down.retry_at:
                raise self._down
            self._down = None
        try:
            try:
                return await self._read_at_head(document_hash, batches, citations, min_block)
            except NodeRefused:
                # Most likely the head as last read is gone (the chain was reorganized or reset):
                # read it again and ask once more.
                self._head = None
                return await self._read_at_head(document_hash, batches, citations, min_block)
        except LiveCheckUnavailable as error:
            # The node may come back serving another chain: ask which before trusting it again.
            self._chain_checked = False
            self._down = LiveCheckUnavailable(error.reason, retry_at=time.time() + self._retry_after)
            raise self._down from None

    async def _read_at_head(
        self,
        document_hash: bytes,
        batches: Sequence[tuple[bytes, Sequence[bytes]]],
        citations: Sequence[tuple[bytes, int]],
        min_block: int,
    ) -> AnchorBookReading:
        if not self._chain_checked:
            await self._shared_chain_check()
        block = await self._current_head()
        if block < min_block and self._head is not None and time.monotonic() - self._head[1] > _MIN_HEAD_AGE:
            # The database has indexed a block the head as last read had not reached: read it again
            # (not for every answer, should the database be ahead of this node for a while).
            self._head = None
            block = await self._current_head()
        final_by = block - self._confirmations
        citations = [(bytes(transaction), int(index)) for transaction, index in citations]
        keys: list[str] = [self.anchor_of.calldata(document_hash)]
        keys += [self.verify_batch_member.calldata(root, document_hash, list(proof)) for root, proof in batches]
        known = [self._final(key, final_by) for key in keys]
        found = [self._final(citation, final_by) for citation in citations]
        calls: dict[int, str] = {}
        asked: dict[int, asyncio.Future[Any]] = {}
        asked_at: int | None = None
        for i, value in enumerate(known):
            if value is None:
                at, answer = self._eth_call(keys[i], block)
                if at != block:
                    asked_at = at if asked_at is None else min(asked_at, at)
                if isinstance(answer, asyncio.Future):
                    asked[i] = answer
                else:
                    calls[i] = answer
        receipts: dict[bytes, asyncio.Future[Any]] = {}
        for (transaction, _), log in zip(citations, found, strict=True):
            if log is None and transaction not in receipts:
                receipts[transaction] = self._receipt(transaction, block)
        waiting = [*asked.values(), *receipts.values()]
        if len(waiting) == 1:
            answers = [await waiting[0]]
        elif waiting:
            answers = list(await asyncio.gather(*waiting))
        else:
            answers = []
        calls.update(zip(asked, answers, strict=False))
        for result in calls.values():
            if not isinstance(result, str):
                raise LiveCheckUnavailable(f"the node answered eth_call with {type(result).__name__}, not hex data")
        fetched = dict(zip(receipts, answers[len(asked) :], strict=True))

        anchor = known[0]
        if anchor is None:
            anchor = self._anchor_reading(calls[0])
            if anchor.block_number is not None and anchor.block_number <= final_by:
                self._settle(keys[0], anchor.block_number, anchor)
        final = anchor.block_number is None or anchor.block_number <= final_by
        members = []
        for i in range(1, len(keys)):
            member = known[i]
            if member is None:
                member = bool(self.verify_batch_member.decode_result(calls[i])[0])
                if member and block <= final_by:
                    # Accepted at `block`, so the batch was anchored at or before it: final when the head
                    # itself counts (no confirmations). With confirmations, the batch's block is not
                    # known here, and an accepted proof is asked again at each head.
                    self._settle(keys[i], block, True)
                else:
                    final = False
            members.append(bool(member))
        logs: list[CitedLog | None] = []
        for citation, log in zip(citations, found, strict=True):
            if log is None:
                log = _cited_log(fetched[citation[0]], citation[1])
                if log is not None and log.block_number <= final_by:
                    self._settle(citation, log.block_number, log)
                else:
                    final = False
            logs.append(log)
        final = final and (anchor.anchored or any(members))
        return AnchorBookReading(
            self.chain_id, self.contract, block, time.time(), anchor, tuple(members), tuple(logs), reused=not waiting,
            final=final, asked_at=asked_at, storage=self._storage if asked_at is not None else None,
        )  # fmt: skip

    def _anchor_reading(self, result: str) -> AnchorReading:
        never = self._never_anchored
        if never is not None and result == never[0]:
            return never[1]
        by, timestamp, number, kind = self.anchor_of.decode_result(result)
        anchored = number != 0
        reading = AnchorReading(
            anchored_by=by if anchored else None,
            timestamp=int(timestamp) if anchored else None,
            block_number=int(number) if anchored else None,
            kind=AnchorKind(kind),
        )
        if not anchored:
            self._never_anchored = (result, reading)
        return reading

    def _final(self, key: Hashable, final_by: int) -> Any:
        """The answer kept for `key` if it holds from block `final_by` or earlier; else None."""
        entry = self._settled.get(key)
        return entry[1] if entry is not None and entry[0] <= final_by else None

    def _settle(self, key: Hashable, holds_from: int, answer: Any) -> None:
        if key not in self._settled and len(self._settled) >= _CACHE_LIMIT:
            self._settled.popitem(last=False)  # the oldest: bounded, whatever is asked
        self._settled[key] = (holds_from, answer)

    def _forget_settled_from(self, block: int) -> None:
        """Drops the final answers that hold only from `block` on: the chain there was replaced."""
        self.finality_epoch += 1
        for key in [key for key, (holds_from, _) in self._settled.items() if holds_from >= block]:
            del self._settled[key]

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _shared_chain_check(self) -> None:
        checking = self._chain_checking
        if checking is None or checking.get_loop() is not asyncio.get_running_loop():
            # One question serves every verification waiting for it.
            checking = self._chain_checking = asyncio.ensure_future(self._check_chain())
        try:
            await asyncio.shield(checking)
        finally:
            if checking.done():
                self._chain_checking = None

    async def _check_chain(self) -> None:
        chain_id = int(await self._request("eth_chainId", []), 16)
        if chain_id != self.chain_id:
            self._settled.clear()  # another chain: nothing read before holds on it
            self._calls.clear()
            self._storage = None
            self.finality_epoch += 1
            raise LiveCheckUnavailable(
                f"the node the API asks serves chain {chain_id}, but the registry is on chain {self.chain_id}"
            )
        self._chain_checked = True

    async def _current_head(self) -> int:
        now = time.monotonic()
        if self._head is not None and now - self._head[1] < self._head_max_age:
            return self._head[0]
        if self._head_reading is None or self._head_reading.get_loop() is not asyncio.get_running_loop():
            # One read of the head serves every verification waiting for it.
            self._head_reading = asyncio.ensure_future(self._read_head())
        return await asyncio.shield(self._head_reading)

    async def _read_head(self) -> int:
        try:
            head = await self._request("eth_getBlockByNumber", ["latest", False])
            if not isinstance(head, dict) or "number" not in head:
                raise LiveCheckUnavailable("the node did not say which block is its head")
            block, block_hash = int(head["number"], 16), str(head.get("hash"))
            previous = self._head_id
            if previous is None or (block, block_hash) != previous:
                # A new head, or the same height on a replaced chain: earlier answers may no longer hold,
                # but for the contract's own views, which hold while its storage root is the same.
                self._results.clear()
                storage = await self._storage_root(block)
                if storage is None or not storage.same_state(self._storage):
                    self._calls.clear()
                self._storage = storage
                if previous is not None and block <= previous[0]:
                    # The chain was replaced (reset, or reorganized deeper than the confirmations, which the
                    # final answers assume it is not): keep only those from blocks buried deep enough.
                    self._forget_settled_from(block - self._confirmations)
        finally:
            self._head_reading = None
        self._head = (block, time.monotonic())
        self._head_id = (block, block_hash)
        return block

    async def _storage_root(self, block: int) -> StorageRoot | None:
        """The contract's storage root and code hash at `block` (`eth_getProof` with no storage keys: the
        account's proof alone); None if the node cannot say, and never asked again of a node that has no
        eth_getProof."""
        if not self._proofs:
            return None
        try:
            account = await self._request("eth_getProof", [self.contract, [], hex(block)])
        except NodeRefused as refusal:
            if refusal.code in _METHOD_MISSING:
                self._proofs = False
            return None
        try:
            return StorageRoot(block, _hash32(account["storageHash"]), _hash32(account["codeHash"]))
        except (KeyError, TypeError, ValueError):
            return None  # a malformed answer proves nothing: every call is asked again

    def _eth_call(self, data: str, block: int) -> tuple[int, Any]:
        """The answer to an eth_call that holds at `block` and the block it was asked at: remembered (the
        result, or the future of it), or asked at `block` (once, however many wait for it)."""
        head = self._head_id
        if head is None or head[0] != block:
            # Not the head as last read (it moved meanwhile): asked at that block, not kept past it.
            return block, self._remembered((block, data), "eth_call", [{"to": self.contract, "data": data}, hex(block)])
        known = self._calls.get(data)
        if known is not None:
            _, answer = known
            if not isinstance(answer, asyncio.Future) or answer.get_loop() is asyncio.get_running_loop():
                return known
        if len(self._calls) >= _CACHE_LIMIT:
            self._calls.clear()
        future = self._request("eth_call", [{"to": self.contract, "data": data}, hex(block)])
        entry = (block, future)
        self._calls[data] = entry
        calls = self._calls

        def keep_result(done: asyncio.Future[Any]) -> None:
            if calls.get(data) is not entry:
                return  # emptied meanwhile (the storage root changed): the answer holds only where asked
            if done.cancelled() or done.exception() is not None:
                del calls[data]
            else:
                # The result alone (a string in a tuple: nothing for the garbage collector to walk).
                calls[data] = (block, done.result())

        future.add_done_callback(keep_result)
        return entry

    def _receipt(self, transaction: bytes, block: int) -> asyncio.Future[Any]:
        """The transaction's receipt as the node has it while `block` is the head, or None."""
        hexed = "0x" + transaction.hex()
        return self._remembered((block, "receipt:" + hexed), "eth_getTransactionReceipt", [hexed])

    def _remembered(self, key: tuple[int, str], method: str, params: list[Any]) -> asyncio.Future[Any]:
        known = self._results.get(key)
        if known is not None and known.get_loop() is asyncio.get_running_loop():
            return known
        if len(self._results) >= _CACHE_LIMIT:
            self._results.clear()
        future = self._request(method, params)
        self._results[key] = future

        def forget_failure(done: asyncio.Future[Any]) -> None:
            if done.cancelled() or done.exception() is not None:
                self._results.pop(key, None)

        future.add_done_callback(forget_failure)
        return future

    def _request(self, method: str, params: list[Any]) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._next_id += 1
        self._pending.append(({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params}, future))
        self._schedule_flush(loop)
        return future

    def _schedule_flush(self, loop: asyncio.AbstractEventLoop) -> None:
        # While `_MAX_IN_FLIGHT` batches are on their way, calls wait and go together in the next:
        # the busier the API, the larger the batches, and the node is asked about as often either way.
        if self._pending and not self._flush_scheduled and len(self._sending) < _MAX_IN_FLIGHT:
            self._flush_scheduled = True
            loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        pending, self._pending = self._pending, []
        if pending:
            task = asyncio.ensure_future(self._send(pending))
            # The loop keeps only a weak reference to a task: hold it until it is done.
            self._sending.add(task)
            task.add_done_callback(self._sent)

    def _sent(self, task: asyncio.Future[None]) -> None:
        self._sending.discard(task)
        self._schedule_flush(task.get_loop())

    async def _send(self, pending: list[tuple[dict[str, Any], asyncio.Future[Any]]]) -> None:
        futures = {request["id"]: future for request, future in pending}
        try:
            answers = await self._post([request for request, _ in pending])
            for answer in answers if isinstance(answers, list) else [answers]:
                future = futures.pop(answer.get("id"), None)
                if future is None or future.done():
                    continue
                if "error" in answer:
                    error = answer["error"]
                    message = error.get("message", error) if isinstance(error, dict) else error
                    code = error.get("code") if isinstance(error, dict) else None
                    future.set_exception(NodeRefused(f"the node refused the call: {message}", code=code))
                else:
                    future.set_result(answer.get("result"))
            problem = LiveCheckUnavailable("the node's answer left out some of the calls")
        except LiveCheckUnavailable as error:
            problem = error
        for future in futures.values():
            if not future.done():
                future.set_exception(problem)

    async def _post(self, body: list[dict[str, Any]]) -> Any:
        try:
            async with self._client().post(self.rpc_url, json=body) as response:
                if response.status != 200:
                    raise LiveCheckUnavailable(f"the registry's node answered HTTP {response.status}")
                return await response.json(content_type=None)
        except TimeoutError:
            raise LiveCheckUnavailable(f"the registry's node did not answer within {self._timeout:g} s") from None
        except (aiohttp.ClientError, ValueError) as error:
            # The node's URL is left out: it may hold an access key, and the answer is public.
            raise LiveCheckUnavailable(f"the registry's node could not be asked ({type(error).__name__})") from None

    def _client(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            # A session belongs to the event loop it was made in (a test may start a second one).
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
            self._session_loop = loop
        return self._session


def _hash32(value: Any) -> bytes:
    raw = bytes.fromhex(str(value).removeprefix("0x"))
    if len(raw) != 32:
        raise ValueError(f"expected 32 bytes, got {len(raw)}")
    return raw


def _cited_log(receipt: Any, log_index: int) -> CitedLog | None:
    """The log at `log_index` in `receipt` (an eth_getTransactionReceipt result), or None if there is
    no receipt (unknown or pending transaction) or it has no log at that index."""
    if receipt is None:
        return None
    try:
        for log in receipt["logs"]:
            if int(log["logIndex"], 16) != log_index:
                continue
            if log.get("blockNumber") is None:
                return None  # pending: not on the chain yet
            return CitedLog(
                address=_address(bytes.fromhex(log["address"][2:])),
                topics=tuple(bytes.fromhex(topic[2:]) for topic in log["topics"]),
                data=bytes.fromhex(log["data"][2:]),
                block_number=int(log["blockNumber"], 16),
                block_hash=bytes.fromhex(log["blockHash"][2:]),
                transaction_hash=bytes.fromhex(log["transactionHash"][2:]),
                log_index=log_index,
            )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise LiveCheckUnavailable("the node answered eth_getTransactionReceipt with a malformed receipt") from None
    return None
