"""The deadlines for reading a request (registry/api/slow_clients.py), on a real uvicorn server on a
loopback port, spoken to over a raw socket: a body or headers sent too slowly are answered 408 and
the connection closed, while a normal upload, an idle keep-alive connection and the 413 limit are
as they were. Deadlines are small (1 s) to keep the tests short; every wait for the server has a
generous limit of its own and no test asserts how quickly something happened."""

from __future__ import annotations

import hashlib
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.client import HTTPResponse
from typing import Any

import pytest

from registry.api.app import create_app
from registry.api.loopback import served_on_loopback
from registry.api.slow_clients import HttpToolsWithDeadlines
from registry.evidence.hashing import hash_to_hex
from registry.settings import get_settings
from tests.api.conftest import IndexedRegistry

#: How long a test waits for the server to do what it must, on the busiest machine.
PATIENCE = 30.0
LIMIT = 1024
BOUNDARY = "b0undary"
HEADER_LIMIT = 8192


@pytest.fixture(scope="module")
def server(indexed: IndexedRegistry) -> Iterator[tuple[str, int]]:
    """The API with 1 s deadlines, 100 bytes a second for a body after its first second, uploads up to
    1 KiB, and a minute's keep-alive (so only the deadlines could cut an idle connection)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("RND_API_HEADER_TIMEOUT", "1")
        env.setenv("RND_API_BODY_TIMEOUT", "1")
        env.setenv("RND_API_BODY_MIN_RATE", "100")
        env.setenv("RND_API_MAX_HEADER_BYTES", str(HEADER_LIMIT))
        get_settings.cache_clear()
        app = create_app(indexed.settings.model_copy(update={"api_max_upload_bytes": LIMIT}))
        try:
            with served_on_loopback(app, what="the API", http=HttpToolsWithDeadlines, timeout_keep_alive=60) as url:
                host, port = url.removeprefix("http://").split(":")
                yield host, int(port)
        finally:
            get_settings.cache_clear()


def _connect(address: tuple[str, int]) -> socket.socket:
    sock = socket.create_connection(address, timeout=PATIENCE)
    sock.settimeout(PATIENCE)  # each read below fails after this long without a byte
    return sock


def _upload_request(content: bytes) -> tuple[bytes, bytes]:
    """The head and body of POST /api/v1/verify uploading `content` as the field `file`."""
    part_head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="report.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    body = part_head.encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()
    head = (
        "POST /api/v1/verify HTTP/1.1\r\nHost: registry.test\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    return head, body


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


def _answer(sock: socket.socket) -> Answer:
    response = HTTPResponse(sock)
    response.begin()
    raw = response.read()
    body = json.loads(raw) if response.getheader("content-type", "").startswith("application/json") else raw
    return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, body)


def _closed_by_server(sock: socket.socket) -> bool:
    """Whether the server has closed the connection (with nothing more sent), waiting up to PATIENCE."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def _trickle(sock: socket.socket, data: bytes, stop: threading.Event) -> threading.Thread:
    """Sends `data` a byte a second from a thread until it is all sent, `stop` is set or the socket fails."""

    def send() -> None:
        for byte in data:
            if stop.is_set():
                return
            try:
                sock.send(bytes([byte]))
            except OSError:
                return
            stop.wait(1.0)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def _access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "registry.api.access"]


def test_an_upload_sent_a_byte_a_second_is_answered_408_and_its_request_ends(
    server: tuple[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    head, body = _upload_request(b"%PDF" + b"x" * 600)
    stop = threading.Event()
    with caplog.at_level(logging.INFO, logger="registry.api"), _connect(server) as sock:
        port = sock.getsockname()[1]
        sock.sendall(head)
        sender = _trickle(sock, body, stop)
        try:
            answer = _answer(sock)
            closed = _closed_by_server(sock)
        finally:
            stop.set()
            sender.join(timeout=PATIENCE)
        # The application was reading the body: its request ends, told the client went away.
        deadline = time.monotonic() + PATIENCE
        while not any(line["path"] == "/api/v1/verify" for line in _access_lines(caplog)):
            assert time.monotonic() < deadline, "the cut-off request never ended"
            time.sleep(0.05)
    assert (answer.status, answer.headers["connection"]) == (408, "close")
    assert answer.body == {
        "error": {
            "status": 408,
            "message": "the request body took longer than 1 s plus 1 s per 100 bytes sent; "
            "send it again, at once or on a faster connection",
        }
    }
    assert closed
    [line] = [line for line in _access_lines(caplog) if line["path"] == "/api/v1/verify"]
    assert (line["method"], line["status"]) == ("POST", 499)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == [
        f"127.0.0.1:{port} - the request body took longer than 1 s plus 1 s per 100 bytes sent; answered 408"
    ]


def test_headers_that_stop_coming_are_answered_408(server: tuple[str, int]) -> None:
    with _connect(server) as sock:
        sock.sendall(b"POST /api/v1/verify HTTP/1.1\r\nHost: registry.test\r\nContent-Type: multipart/form-")
        answer = _answer(sock)
        assert _closed_by_server(sock)
    assert (answer.status, answer.headers["connection"]) == (408, "close")
    assert answer.body["error"] == {
        "status": 408,
        "message": "the request line and headers took longer than 1 s to arrive; "
        "send it again, at once or on a faster connection",
    }


def test_a_connection_that_never_asks_anything_is_closed_without_an_answer(server: tuple[str, int]) -> None:
    with _connect(server) as sock:
        assert _closed_by_server(sock)


def test_an_upload_sent_at_once_is_verified_and_its_connection_may_idle_past_the_deadlines(
    server: tuple[str, int],
) -> None:
    content = b"%PDF not anchored anywhere"
    head, body = _upload_request(content)
    with _connect(server) as sock:
        sock.sendall(head + body)
        first = _answer(sock)
        time.sleep(3)  # three times the header and body deadlines; the keep-alive timeout is a minute
        sock.sendall(b"GET /api/v1/programs HTTP/1.1\r\nHost: registry.test\r\n\r\n")
        second = _answer(sock)
    assert first.status == 200, first.body
    assert (first.body["sha256"], first.body["size"]) == (hash_to_hex(hashlib.sha256(content).digest()), len(content))
    assert second.status == 200


def test_an_upload_over_the_limit_is_still_refused_with_413(server: tuple[str, int]) -> None:
    head, body = _upload_request(b"x" * (LIMIT + 1))
    with _connect(server) as sock:
        sock.sendall(head + body)
        answer = _answer(sock)
    assert answer.status == 413
    assert (answer.body["error"]["status"], answer.body["error"]["parameter"]) == (413, "file")
    assert "larger than 1 KiB (1,024 bytes)" in answer.body["error"]["message"]


@pytest.mark.parametrize("where", ["header", "url"])
def test_a_request_line_or_headers_over_the_limit_are_answered_431_and_not_kept(
    server: tuple[str, int], caplog: pytest.LogCaptureFixture, where: str
) -> None:
    huge = "a" * (HEADER_LIMIT * 4)
    request = (
        f"GET /api/v1/programs HTTP/1.1\r\nHost: registry.test\r\nCookie: {huge}\r\n\r\n"
        if where == "header"
        else f"GET /api/v1/programs?q={huge} HTTP/1.1\r\nHost: registry.test\r\n\r\n"
    )
    with caplog.at_level(logging.INFO, logger="registry.api"), _connect(server) as sock:
        sock.sendall(request.encode())
        answer = _answer(sock)
        assert _closed_by_server(sock)
    assert (answer.status, answer.headers["connection"]) == (431, "close")
    assert answer.body["error"]["message"].startswith(
        f"the request line and headers are larger than {HEADER_LIMIT:,} bytes"
    )
    assert not [line for line in _access_lines(caplog) if line["path"] == "/api/v1/programs"], "never reached the API"


def test_headers_within_the_limit_are_answered_as_usual(server: tuple[str, int]) -> None:
    with _connect(server) as sock:
        sock.sendall(f"GET /api/v1/programs HTTP/1.1\r\nHost: registry.test\r\nCookie: {'a' * 4000}\r\n\r\n".encode())
        assert _answer(sock).status == 200
