"""A node asked directly over JSON-RPC, for checks that must not rest on the registry's server: the
reader names the node, and every question is asked at one pinned block.

Plain `requests` rather than web3: a checker needs five methods, no middleware, no manifest, and
errors that name the node and say what it answered.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Protocol

import requests

from registry.chain.refusals import refused_as_too_much
from registry.errors import RegistryError

#: Blocks one eth_getLogs covers once a node refuses a whole range (Besu's default limit).
LOGS_RANGE = 5000


class NodeUnavailable(RegistryError):
    """The node could not be asked, or answered something that is not JSON-RPC."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"the node at {url} could not be asked: {reason}")


class CallReverted(RegistryError):
    """An eth_call the contract refused (a record that does not exist, for a getter)."""

    def __init__(self, message: str, data: str | None) -> None:
        self.data = data
        super().__init__(message)


class JsonRpcNode(Protocol):
    """What a check needs of a node: its address, for saying what was asked, and one request."""

    @property
    def url(self) -> str: ...

    def request(self, method: str, params: list[Any]) -> Any: ...


@dataclass(frozen=True)
class BlockHeader:
    number: int
    hash: bytes
    timestamp: int


class Node:
    """One JSON-RPC endpoint."""

    def __init__(self, url: str, *, timeout: float = 10.0, session: requests.Session | None = None) -> None:
        if not url.startswith(("http://", "https://")):
            raise NodeUnavailable(url, "the address must start with http:// or https://")
        self.url = url
        self.timeout = timeout
        self._session = session or requests.Session()
        self._ids = itertools.count(1)
        self._blocks: dict[int, BlockHeader] = {}

    def close(self) -> None:
        self._session.close()

    def request(self, method: str, params: list[Any]) -> Any:
        body: dict[str, Any] = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}
        try:
            response = self._session.post(self.url, json=body, timeout=self.timeout)
        except requests.Timeout:
            raise NodeUnavailable(self.url, f"no answer to {method} within {self.timeout:g} s") from None
        except requests.RequestException as error:
            raise NodeUnavailable(self.url, f"unreachable ({type(error).__name__})") from None
        if response.status_code != 200:
            raise NodeUnavailable(self.url, f"HTTP {response.status_code} to {method}")
        try:
            answer = response.json()
        except ValueError:
            raise NodeUnavailable(self.url, f"the answer to {method} is not JSON") from None
        if not isinstance(answer, dict) or ("result" not in answer and "error" not in answer):
            raise NodeUnavailable(self.url, f"the answer to {method} is not a JSON-RPC answer")
        if "error" in answer:
            problem = answer["error"] if isinstance(answer["error"], dict) else {"message": str(answer["error"])}
            if method == "eth_call":
                raise CallReverted(str(problem.get("message", "reverted")), problem.get("data"))
            raise NodeUnavailable(self.url, f"{method} was refused ({problem.get('message', problem)})")
        return answer.get("result")

    def chain_id(self) -> int:
        return int(self.request("eth_chainId", []), 16)

    def head(self) -> BlockHeader:
        return self._header(self.request("eth_getBlockByNumber", ["latest", False]))

    def block(self, number: int) -> BlockHeader:
        known = self._blocks.get(number)
        if known is None:
            known = self._blocks[number] = self._header(self.request("eth_getBlockByNumber", [hex(number), False]))
        return known

    def _header(self, raw: Any) -> BlockHeader:
        if not isinstance(raw, dict) or "number" not in raw:
            raise NodeUnavailable(self.url, "the block asked for was not returned")
        return BlockHeader(int(raw["number"], 16), bytes.fromhex(raw["hash"][2:]), int(raw["timestamp"], 16))

    def code(self, address: str, block: int) -> bytes:
        return bytes.fromhex(str(self.request("eth_getCode", [address, hex(block)]))[2:])

    def call(self, to: str, data: str, block: int) -> str:
        result = self.request("eth_call", [{"to": to, "data": data}, hex(block)])
        if not isinstance(result, str):
            raise NodeUnavailable(self.url, "the answer to eth_call is not hex data")
        return result

    def receipt(self, transaction_hash: bytes) -> dict[str, Any] | None:
        found = self.request("eth_getTransactionReceipt", ["0x" + transaction_hash.hex()])
        return found if isinstance(found, dict) else None

    def logs(self, address: str, topics: list[Any], first: int, last: int) -> list[dict[str, Any]]:
        """Every log of `address` matching `topics` in blocks `first`..`last`: in one request, or in
        ranges the node accepts when it refuses that as too much."""
        try:
            return self._logs(address, topics, first, last)
        except NodeUnavailable as error:
            if not refused_as_too_much(error.reason):
                raise
        found: list[dict[str, Any]] = []
        span = LOGS_RANGE
        while first <= last:
            end = min(last, first + span - 1)
            try:
                found.extend(self._logs(address, topics, first, end))
            except NodeUnavailable as error:
                if not refused_as_too_much(error.reason) or span == 1:
                    raise
                span //= 2
                continue
            first = end + 1
        return found

    def _logs(self, address: str, topics: list[Any], first: int, last: int) -> list[dict[str, Any]]:
        params = {"address": address, "topics": topics, "fromBlock": hex(first), "toBlock": hex(last)}
        found = self.request("eth_getLogs", [params])
        if not isinstance(found, list):
            raise NodeUnavailable(self.url, "the answer to eth_getLogs is not a list")
        return found
