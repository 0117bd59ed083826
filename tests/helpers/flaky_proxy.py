"""A JSON-RPC proxy in front of a node that fails a share of requests the ways public endpoints do."""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAULTS = ("drop", "delay", "rate-limit", "server-error", "truncate")


class FlakyProxy:
    """Forwards JSON-RPC to `upstream`; with the probabilities in `faults`, instead:

    - `drop`: closes the connection without an answer;
    - `delay`: answers after `delay` seconds (past the client's timeout);
    - `rate-limit`: answers HTTP 429 with `Retry-After: 0`;
    - `server-error`: answers HTTP 502;
    - `truncate`: answers the first half of the real answer.

    With `max_range`, it also refuses `eth_getLogs` over more blocks, as providers do, with
    "query returned more than 10000 results"; with `strip_timestamps`, its logs lack
    `blockTimestamp`, as older nodes' do. `counts` says how often each happened.
    """

    def __init__(
        self,
        upstream: str,
        *,
        faults: dict[str, float],
        seed: int = 0,
        delay: float = 1.0,
        max_range: int | None = None,
        strip_timestamps: bool = False,
    ) -> None:
        self.upstream = upstream
        self.faults = faults
        self.strip_timestamps = strip_timestamps
        self.delay = delay
        self.max_range = max_range
        self.counts: Counter[str] = Counter()
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FlakyProxy:
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _choose(self) -> str | None:
        with self._lock:
            self.counts["requests"] += 1
            draw = self._random.random()
            for fault, share in self.faults.items():
                if draw < share:
                    self.counts[fault] += 1
                    return fault
                draw -= share
            return None

    def _too_wide(self, body: bytes) -> bool:
        if self.max_range is None:
            return False
        requests = json.loads(body)
        for request in requests if isinstance(requests, list) else [requests]:
            if request.get("method") == "eth_getLogs":
                query = request["params"][0]
                if int(query["toBlock"], 16) - int(query["fromBlock"], 16) + 1 > self.max_range:
                    return True
        return False

    def _forward(self, body: bytes) -> bytes:
        request = urllib.request.Request(self.upstream, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = bytes(response.read())
        if self.strip_timestamps and b"blockTimestamp" in answer:
            parsed = json.loads(answer)
            for entry in parsed if isinstance(parsed, list) else [parsed]:
                result = entry.get("result")
                for log in result if isinstance(result, list) else []:
                    if isinstance(log, dict):
                        log.pop("blockTimestamp", None)
            answer = json.dumps(parsed).encode()
        return answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
                try:
                    self.send_response(status)
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up waiting
                    pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fault = proxy._choose()
                if fault == "drop":
                    self.close_connection = True
                    return
                if fault == "rate-limit":
                    self.answer(429, headers={"Retry-After": "0"})
                    return
                if fault == "server-error":
                    self.answer(502)
                    return
                if proxy._too_wide(body):
                    with proxy._lock:
                        proxy.counts["too-wide"] += 1
                    ident = json.loads(body)
                    ident = ident[0].get("id") if isinstance(ident, list) else ident.get("id")
                    error = {"code": -32005, "message": "query returned more than 10000 results"}
                    self.answer(200, json.dumps({"jsonrpc": "2.0", "id": ident, "error": error}).encode())
                    return
                if fault == "delay":
                    time.sleep(proxy.delay)
                answer = proxy._forward(body)
                if fault == "truncate":
                    answer = answer[: len(answer) // 2]
                self.answer(200, answer)

        return Handler
