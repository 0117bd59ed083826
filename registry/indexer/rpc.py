"""A lean JSON-RPC client for the indexer, with retries that wait longer each time and never give up.

The indexer talks JSON-RPC directly rather than through web3's formatters and middleware: it needs
only a handful of methods, answers it can check itself, and errors sorted by what to do about
them. A failure that may pass (connection refused or dropped, timeout, HTTP 5xx, rate limit, an
answer cut short) is `RpcUnavailable` and is retried with exponential backoff and jitter, with a
log line saying what is awaited, until it passes or has lasted `give_up_after` seconds (`GaveUp`);
a node's refusal is `RpcError` and is not retried.
"""

from __future__ import annotations

import itertools
import json
import logging
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests

from registry.chain.refusals import refused_as_too_much
from registry.errors import ConfigurationError, RegistryError

log = logging.getLogger("registry.indexer")

T = TypeVar("T")

_RATE_LIMITED = re.compile(r"rate.?limit|too many requests|capacity|throttl", re.IGNORECASE)
# Answers of a node that is behind its peers (a load balancer mixing nodes) or busy: worth asking again.
_NOT_YET = re.compile(r"header not found|unknown block|block not found|not processed|busy|try again", re.IGNORECASE)


def _restore(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> BaseException:
    restored = cls.__new__(cls)
    restored.args = args
    restored.__dict__.update(state)
    return restored


class _Portable(RegistryError):
    """An error that survives pickling (from the read-ahead process to the indexer), though its
    constructor takes other arguments than its message."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), self.args, self.__dict__))


class RpcUnavailable(_Portable):
    """The chain did not answer usefully this time; asking again later may work."""

    def __init__(self, url: str, method: str, reason: str, *, retry_after: float | None = None) -> None:
        self.url = url
        self.method = method
        self.reason = reason
        self.retry_after = retry_after
        super().__init__(f"{method} at {url}: {reason}")


class RpcTimeout(RpcUnavailable):
    """No answer within the timeout: the request may have been too large, or the node slow."""


class RpcError(_Portable):
    """The node answered with a JSON-RPC error."""

    def __init__(self, method: str, code: int, message: str) -> None:
        self.method = method
        self.code = code
        self.message = message
        super().__init__(f"{method} refused by the node: {message} (code {code})")

    @property
    def too_much(self) -> bool:
        """Whether the node says the request covered too much (block range or results)."""
        return refused_as_too_much(self.message)


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: attempt n waits between half and all of
    min(maximum, initial * 2**n) seconds, so that many clients do not retry in step."""

    initial: float = 0.2
    maximum: float = 30.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        ceiling = min(self.maximum, self.initial * 2.0 ** min(attempt, 30))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


class Stopped(_Portable):
    """The indexer was asked to stop while it waited."""

    def __init__(self) -> None:
        super().__init__("stopped")


class GaveUp(_Portable):
    """Something awaited kept failing for longer than the operator allows (`give_up_after`)."""

    def __init__(self, what: str, reason: str, seconds: float, attempts: int) -> None:
        self.what = what
        self.reason = reason
        self.seconds = seconds
        self.attempts = attempts
        super().__init__(
            f"gave up waiting for {what} after {seconds:,.0f} s and {attempts} attempt(s): {reason}; check that it "
            "answers again, then run the command again (what was indexed is kept). RND_INDEX_GIVE_UP_AFTER sets "
            "how many seconds to keep trying; 0 never gives up"
        )


class Waiter:
    """Waits between retries, and says what it waits for; a stop request ends the wait at once, and a
    failure lasting longer than `give_up_after` seconds (None: no limit) ends it with `GaveUp`."""

    def __init__(
        self,
        backoff: Backoff | None = None,
        stop: threading.Event | None = None,
        seed: int | None = None,
        *,
        give_up_after: float | None = None,
    ) -> None:
        self.backoff = backoff or Backoff()
        self.stop = stop or threading.Event()
        self.give_up_after = give_up_after
        self._rng = random.Random(seed)
        self._failing_since = time.monotonic()

    def pause(self, attempt: int, what: str, reason: str, *, at_least: float | None = None) -> None:
        """Waits before retry number `attempt` + 1 of a run of failures (`attempt` 0 starts a new run)."""
        now = time.monotonic()
        if attempt == 0:
            self._failing_since = now
        delay = self.backoff.delay(attempt, self._rng)
        if at_least is not None:
            delay = max(delay, at_least)
        failing = now - self._failing_since
        if self.give_up_after is not None and failing + delay > self.give_up_after:
            raise GaveUp(what, reason, failing, attempt + 1)
        log.warning("waiting for %s: %s; retrying in %.1f s (attempt %d)", what, reason, delay, attempt + 1)
        self.sleep(delay)

    def sleep(self, seconds: float) -> None:
        if self.stop.wait(seconds):
            raise Stopped()

    def check(self) -> None:
        if self.stop.is_set():
            raise Stopped()

    def retrying(self, what: str, attempt: Callable[[], T]) -> T:
        """`attempt()`, again and again while it raises `RpcUnavailable`, with backoff between tries."""
        for count in itertools.count():
            self.check()
            try:
                return attempt()
            except RpcUnavailable as exc:
                self.pause(count, what, exc.reason, at_least=exc.retry_after)
        raise AssertionError("unreachable")


class JsonRpc:
    """JSON-RPC over HTTP with a kept-alive session; one attempt per `request`, retried by `call`."""

    def __init__(self, url: str, *, timeout: float, waiter: Waiter | None = None) -> None:
        self.url = url
        self.timeout = timeout
        self.waiter = waiter or Waiter()
        self._session = requests.Session()
        self._session.headers["Content-Type"] = "application/json"
        self._ids = itertools.count(1)
        self._answered = False  # whether the node has ever answered

    def close(self) -> None:
        self._session.close()

    def request(self, method: str, params: Sequence[Any], *, timeout: float | None = None) -> Any:
        """One attempt: the result, or `RpcError` / `RpcUnavailable`."""
        body = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)}
        answer = self._post(method, body, timeout)
        if not isinstance(answer, dict):
            raise RpcUnavailable(self.url, method, "the answer is not a JSON-RPC response")
        return self._result(method, answer)

    def call(self, method: str, params: Sequence[Any], *, what: str | None = None) -> Any:
        """The result of `method`, retried with backoff until the chain answers."""
        return self.waiter.retrying(what or f"{method} at {self.url}", lambda: self.request(method, params))

    def batch(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
        """Several requests in one HTTP round trip (a JSON-RPC batch), results in the order asked; one attempt."""
        if not calls:
            return []
        first = next(self._ids)
        ids = [first + i for i in range(len(calls))]
        for _ in range(len(calls) - 1):
            next(self._ids)
        body = [
            {"jsonrpc": "2.0", "id": ident, "method": method, "params": list(params)}
            for ident, (method, params) in zip(ids, calls, strict=True)
        ]
        method = calls[0][0] if len({m for m, _ in calls}) == 1 else "batch"
        answers = self._post(method, body, None)
        if isinstance(answers, dict):  # a node without batch support answers once, with an error
            self._result(method, answers)
            raise RpcUnavailable(self.url, method, "the node answered a batch with a single response")
        if not isinstance(answers, list):
            raise RpcUnavailable(self.url, method, "the answer is not a JSON-RPC response")
        by_id = {a.get("id"): a for a in answers if isinstance(a, dict)}
        results = []
        for ident, (name, _) in zip(ids, calls, strict=True):
            answer = by_id.get(ident)
            if answer is None:
                raise RpcUnavailable(self.url, name, "the batch answer lacks a response")
            results.append(self._result(name, answer))
        return results

    def _post(self, method: str, body: Any, timeout: float | None) -> Any:
        wait = timeout if timeout is not None else self.timeout
        started = time.monotonic()
        try:
            response = self._session.post(self.url, data=json.dumps(body), timeout=wait)
        except requests.Timeout:
            raise RpcTimeout(self.url, method, f"no answer within {wait:g} s") from None
        except requests.RequestException as exc:
            if not self._answered and _unknown_host(exc):
                # A name that does not resolve on the first contact is a mistyped URL, not a node that is
                # down: said at once rather than retried forever.
                raise UnknownNodeHost(self.url) from None
            raise RpcUnavailable(self.url, method, _reason(exc)) from None
        if response.status_code == 429:
            raise RpcUnavailable(
                self.url,
                method,
                "rate limited (HTTP 429)",
                retry_after=_retry_after(response.headers.get("Retry-After")),
            )
        if response.status_code >= 500:
            raise RpcUnavailable(self.url, method, f"HTTP {response.status_code} {response.reason}")
        try:
            answer = json.loads(response.content)
        except ValueError:
            if response.status_code >= 400:
                raise RpcError(method, response.status_code, f"HTTP {response.status_code} {response.reason}") from None
            raise RpcUnavailable(self.url, method, "the answer is not valid JSON (cut short?)") from None
        log.debug("%s answered in %.3f s", method, time.monotonic() - started)
        self._answered = True
        return answer

    def _result(self, method: str, answer: dict[str, Any]) -> Any:
        error = answer.get("error")
        if error is None:
            if "result" not in answer:
                raise RpcUnavailable(self.url, method, "the answer has neither result nor error")
            return answer["result"]
        code = int(error.get("code", 0)) if isinstance(error, dict) else 0
        message = str(error.get("message", error)) if isinstance(error, dict) else str(error)
        if _RATE_LIMITED.search(message) or code == 429:
            raise RpcUnavailable(self.url, method, f"rate limited ({message})")
        if _NOT_YET.search(message):
            raise RpcUnavailable(self.url, method, message)
        raise RpcError(method, code, message)


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class UnknownNodeHost(ConfigurationError):
    """The RPC URL's host name does not resolve: most likely a typing mistake."""

    def __init__(self, url: str) -> None:
        self.url = url
        host = urlsplit(url).hostname
        super().__init__(
            f"the node's host name {host!r} in {url} is not known to this machine; check RND_RPC_URL "
            "(e.g. http://127.0.0.1:8545)"
        )


def _unknown_host(exc: BaseException) -> bool:
    """Whether `exc` (a requests error) comes from a host name that does not resolve: somewhere in what it
    wraps (requests wraps urllib3's MaxRetryError, whose `reason` is a NameResolutionError from a
    `socket.gaierror`) is a `socket.gaierror`."""
    waiting, seen = [exc], set()
    while waiting:
        found = waiting.pop()
        if id(found) in seen:
            continue
        seen.add(id(found))
        if isinstance(found, socket.gaierror):
            return True
        reason = getattr(found, "reason", None)
        wrapped = [*found.args, reason, found.__cause__, found.__context__]
        waiting += [inner for inner in wrapped if isinstance(inner, BaseException)]
    return False


def _reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.ConnectionError):
        return "connection failed or dropped"
    return type(exc).__name__
