"""The grant registry's anchor book read live over JSON-RPC, asynchronously: what the contract says
about a document just now, so a verification answer does not rest on the indexed database alone.

Plain JSON-RPC (`eth_call` with ABI-encoded calldata) rather than web3's contract objects, and
every call made while the event loop runs one step goes to the node in one JSON-RPC batch: a busy
API asks the node once for many verifications instead of once for each. Calls are made at an
explicit block, the head as last read (at most `head_max_age` seconds old), so every answer names
the block it holds for; the same call at the same block has the same answer, so it is remembered
until the head moves. A node that fails is not asked again for `retry_after` seconds: a verification
meanwhile says at once that the live check is unavailable instead of waiting for a timeout.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Sequence
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
    """The node answered a call with an error (e.g. the block asked for is no longer on the chain)."""


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
class AnchorBookReading:
    """What the contract said about one document at block `block_number` (read at `checked_at`, unix
    seconds): its anchoring, and for each batch asked about, whether `verifyBatchMember` accepted it."""

    chain_id: int
    contract: str
    block_number: int
    checked_at: float
    anchor: AnchorReading
    members: tuple[bool, ...]


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
        self._down: LiveCheckUnavailable | None = None

    async def read(
        self, document_hash: bytes, batches: Sequence[tuple[bytes, Sequence[bytes]]], *, min_block: int = 0
    ) -> AnchorBookReading:
        """`anchorOf(document_hash)` and `verifyBatchMember(root, document_hash, proof)` for each
        `(root, proof)` in `batches`, all at the same block, the head or, if the head as last read is
        older than `min_block`, the head read again; raises `LiveCheckUnavailable`."""
        if self._down is not None:
            if self._down.retry_at is not None and time.time() < self._down.retry_at:
                raise self._down
            self._down = None
        try:
            try:
                block, results = await self._read_at_head(document_hash, batches, min_block)
            except NodeRefused:
                # Most likely the head as last read is gone (the chain was reorganized or reset):
                # read it again and ask once more.
                self._head = None
                block, results = await self._read_at_head(document_hash, batches, min_block)
        except LiveCheckUnavailable as error:
            self._down = LiveCheckUnavailable(error.reason, retry_at=time.time() + self._retry_after)
            raise self._down from None
        by, timestamp, number, kind = self.anchor_of.decode_result(results[0])
        anchored = number != 0
        anchor = AnchorReading(
            anchored_by=by if anchored else None,
            timestamp=int(timestamp) if anchored else None,
            block_number=int(number) if anchored else None,
            kind=AnchorKind(kind),
        )
        members = tuple(bool(self.verify_batch_member.decode_result(r)[0]) for r in results[1:])
        return AnchorBookReading(self.chain_id, self.contract, block, time.time(), anchor, members)

    async def _read_at_head(
        self, document_hash: bytes, batches: Sequence[tuple[bytes, Sequence[bytes]]], min_block: int
    ) -> tuple[int, list[str]]:
        if not self._chain_checked:
            await self._shared_chain_check()
        block = await self._current_head()
        if block < min_block and self._head is not None and time.monotonic() - self._head[1] > _MIN_HEAD_AGE:
            # The database has indexed a block the head as last read had not reached: read it again
            # (not for every answer, should the database be ahead of this node for a while).
            self._head = None
            block = await self._current_head()
        calls = [self.anchor_of.calldata(document_hash)]
        calls += [self.verify_batch_member.calldata(root, document_hash, list(proof)) for root, proof in batches]
        waiting = [self._eth_call(data, block) for data in calls]
        results = [await waiting[0]] if len(waiting) == 1 else await asyncio.gather(*waiting)
        for result in results:
            if not isinstance(result, str):
                raise LiveCheckUnavailable(f"the node answered eth_call with {type(result).__name__}, not hex data")
        return block, results

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
        finally:
            self._head_reading = None
        if not isinstance(head, dict) or "number" not in head:
            raise LiveCheckUnavailable("the node did not say which block is its head")
        block, block_hash = int(head["number"], 16), str(head.get("hash"))
        if self._head is None or (block, block_hash) != self._head_id:
            # A new head, or the same height on a replaced chain: earlier answers may no longer hold.
            self._results.clear()
        self._head = (block, time.monotonic())
        self._head_id = (block, block_hash)
        return block

    def _eth_call(self, data: str, block: int) -> asyncio.Future[Any]:
        """The answer to an eth_call at `block`: remembered, or asked (once, however many wait for it)."""
        key = (block, data)
        known = self._results.get(key)
        if known is not None and known.get_loop() is asyncio.get_running_loop():
            return known
        if len(self._results) >= _CACHE_LIMIT:
            self._results.clear()
        future = self._request("eth_call", [{"to": self.contract, "data": data}, hex(block)])
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
                    message = answer["error"].get("message", answer["error"])
                    future.set_exception(NodeRefused(f"the node refused the call: {message}"))
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
