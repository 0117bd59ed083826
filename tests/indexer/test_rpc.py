"""The JSON-RPC client sorts failures into "ask again later" and "the node refused", waits longer each
time with jitter, and says what it waits for."""

from __future__ import annotations

import contextlib
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from registry.indexer.rpc import Backoff, GaveUp, JsonRpc, RpcError, RpcTimeout, RpcUnavailable, Stopped, Waiter

Answer = Callable[[dict[str, Any] | list[Any]], tuple[int, bytes, dict[str, str]]]


@pytest.fixture
def node() -> Iterator[Callable[[Answer], str]]:
    """A fake node answering with `answer(request)`: (HTTP status, body, headers)."""
    servers: list[ThreadingHTTPServer] = []

    def start(answer: Answer) -> str:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:
                status, body, headers = answer(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError):  # the client stopped waiting
                    self.wfile.write(body)

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def result(value: Any) -> Answer:
    return lambda request: (200, json.dumps({"jsonrpc": "2.0", "id": _id(request), "result": value}).encode(), {})


def error(code: int, message: str) -> Answer:
    body = {"code": code, "message": message}
    return lambda request: (200, json.dumps({"jsonrpc": "2.0", "id": _id(request), "error": body}).encode(), {})


def _id(request: Any) -> Any:
    return request["id"] if isinstance(request, dict) else None


def test_a_result_is_returned(node: Callable[[Answer], str]) -> None:
    assert JsonRpc(node(result("0x10")), timeout=2).request("eth_blockNumber", []) == "0x10"


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (lambda r: (429, b"", {"Retry-After": "3"}), "rate limited (HTTP 429)"),
        (lambda r: (502, b"", {}), "HTTP 502"),
        (lambda r: (200, b'{"jsonrpc": "2.0", "res', {}), "not valid JSON"),
        (error(-32005, "daily request count exceeded, request rate limited"), "rate limited"),
        (error(-32000, "header not found"), "header not found"),
    ],
    ids=["http-429", "http-502", "cut-short", "rate-limit-error", "node-behind"],
)
def test_passing_failures_are_unavailable_not_refused(
    node: Callable[[Answer], str], answer: Answer, reason: str
) -> None:
    with pytest.raises(RpcUnavailable, match=re.escape(reason)) as raised:
        JsonRpc(node(answer), timeout=2).request("eth_blockNumber", [])
    if "429" in reason:
        assert raised.value.retry_after == 3.0


@pytest.mark.parametrize(
    "message",
    [
        "query returned more than 10000 results",
        "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range",
        "exceed maximum block range: 5000",
        "block range is too wide",
    ],
)
def test_a_range_the_node_finds_too_large_is_said_so(node: Callable[[Answer], str], message: str) -> None:
    with pytest.raises(RpcError) as refused:
        JsonRpc(node(error(-32005, message)), timeout=2).request("eth_getLogs", [{}])
    assert refused.value.too_much


def test_other_refusals_are_not_retried(node: Callable[[Answer], str]) -> None:
    calls = []

    def answer(request: Any) -> tuple[int, bytes, dict[str, str]]:
        calls.append(request)
        return error(-32601, "the method eth_foo does not exist")(request)

    rpc = JsonRpc(node(answer), timeout=2, waiter=Waiter(Backoff(0.001, 0.01)))
    with pytest.raises(RpcError) as refused:
        rpc.call("eth_foo", [])
    assert not refused.value.too_much and len(calls) == 1


def test_a_slow_answer_is_a_timeout(node: Callable[[Answer], str]) -> None:
    import time

    def slow(request: Any) -> tuple[int, bytes, dict[str, str]]:
        time.sleep(0.5)
        return result("0x1")(request)

    with pytest.raises(RpcTimeout, match=re.escape("no answer within 0.1 s")):
        JsonRpc(node(slow), timeout=0.1).request("eth_blockNumber", [])


def test_calls_are_retried_until_they_succeed_and_each_wait_is_logged(
    node: Callable[[Answer], str], caplog: pytest.LogCaptureFixture
) -> None:
    answers = iter([(503, b"", {}), (503, b"", {}), (429, b"", {"Retry-After": "0"})])

    def flaky(request: Any) -> tuple[int, bytes, dict[str, str]]:
        return next(answers, None) or result("0x2a")(request)

    rpc = JsonRpc(node(flaky), timeout=2, waiter=Waiter(Backoff(0.001, 0.01), seed=1))
    with caplog.at_level(logging.WARNING, "registry.indexer"):
        assert rpc.call("eth_blockNumber", [], what="the head block") == "0x2a"
    waits = [r.getMessage() for r in caplog.records]
    assert len(waits) == 3
    assert waits[0].startswith("waiting for the head block: HTTP 503")
    assert "retrying in" in waits[0] and waits[0].endswith("(attempt 1)")
    assert "rate limited" in waits[2] and "(attempt 3)" in waits[2]


def test_a_batch_returns_results_in_the_order_asked(node: Callable[[Answer], str]) -> None:
    def batch(requests: Any) -> tuple[int, bytes, dict[str, str]]:
        answers = [{"jsonrpc": "2.0", "id": r["id"], "result": r["params"][0]} for r in reversed(requests)]
        return 200, json.dumps(answers).encode(), {}

    assert JsonRpc(node(batch), timeout=2).batch([("echo", ["a"]), ("echo", ["b"]), ("echo", ["c"])]) == list("abc")


def test_backoff_grows_exponentially_with_jitter_up_to_its_maximum() -> None:
    backoff, rng = Backoff(initial=0.5, maximum=8.0), random.Random(3)
    for attempt in range(12):
        ceiling = min(8.0, 0.5 * 2**attempt)
        delays = {backoff.delay(attempt, rng) for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jitter: clients that failed together do not retry together


def test_a_stop_request_ends_a_wait_at_once() -> None:
    stop = threading.Event()
    waiter = Waiter(Backoff(initial=60, maximum=60), stop)
    threading.Timer(0.1, stop.set).start()
    with pytest.raises(Stopped):
        waiter.pause(0, "the chain", "down")


def test_a_node_that_keeps_failing_is_given_up_on_after_the_limit_saying_how_long_and_why(
    node: Callable[[Answer], str], caplog: pytest.LogCaptureFixture
) -> None:
    asked: list[float] = []

    def down(_request: Any) -> tuple[int, bytes, dict[str, str]]:
        asked.append(time.monotonic())
        return 503, b"", {}

    rpc = JsonRpc(node(down), timeout=2, waiter=Waiter(Backoff(0.05, 0.2), seed=1, give_up_after=1.0))
    with caplog.at_level(logging.WARNING, "registry.indexer"), pytest.raises(GaveUp) as given_up:
        rpc.call("eth_blockNumber", [], what="the head block")

    assert given_up.value.attempts == len(asked) >= 2
    said = str(given_up.value)
    assert re.match(rf"gave up waiting for the head block after [\d,]+ s and {len(asked)} attempt\(s\): ", said), said
    assert "HTTP 503" in said and "RND_INDEX_GIVE_UP_AFTER" in said
    assert len(caplog.records) == len(asked) - 1  # each wait said, the last failure given up on at once


def test_a_new_run_of_failures_starts_the_limit_again() -> None:
    waiter = Waiter(Backoff(0.01, 0.01), seed=1, give_up_after=2.0)
    for _ in range(3):  # runs of failures that pass, each well within the limit, together beyond it
        for attempt in range(5):
            waiter.pause(attempt, "the chain", "down")
        time.sleep(1.0)
    with pytest.raises(GaveUp):
        for attempt in range(1000):
            waiter.pause(attempt, "the chain", "down")
