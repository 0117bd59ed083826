"""uvicorn's httptools protocol with deadlines for reading a request, so that a client sending one byte
a second cannot hold a connection and a request open for ever: the request line and headers must
arrive within RND_API_HEADER_TIMEOUT, the body within RND_API_BODY_TIMEOUT plus a second for every
RND_API_BODY_MIN_RATE bytes received. A client too slow is answered `408 Request Timeout` and
disconnected; uvicorn itself times out only idle keep-alive connections (`timeout_keep_alive`). A
request line and headers larger than RND_API_MAX_HEADER_BYTES are answered `431` and not kept: uvicorn
would keep them whatever their size.

`rnd-registry serve` passes `HttpToolsWithDeadlines` to uvicorn as its `http` protocol.
"""

from __future__ import annotations

import asyncio
import logging
from asyncio import TimerHandle
from typing import Any, Literal

from uvicorn.config import Config
from uvicorn.protocols.http.flow_control import FlowControl
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
from uvicorn.server import ServerState

from registry.api.schemas.common import ApiError, ErrorDetail
from registry.settings import get_settings

log = logging.getLogger("registry.api")

#: Seconds a connection answered 408 still reads (and drops) what the client goes on sending before it
#: is closed: closing a socket with unread data resets it, and the reset can reach the client before
#: it has read the 408, which it would then never see.
LINGER_SECONDS = 2.0

Phase = Literal["headers", "body"]


class _ReadingClock(FlowControl):
    """uvicorn's flow control, also counting the seconds reading was paused: while the server does not
    read (the application has not taken the body read so far, or an earlier pipelined request is
    still being answered) the client cannot send, and that time is not held against it."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(transport)
        self._loop = loop
        self._paused_at: float | None = None
        self._paused_before = 0.0

    def pause_reading(self) -> None:
        if not self.read_paused:
            self._paused_at = self._loop.time()
        super().pause_reading()

    def resume_reading(self) -> None:
        if self.read_paused and self._paused_at is not None:
            self._paused_before += self._loop.time() - self._paused_at
            self._paused_at = None
        super().resume_reading()

    def paused_seconds(self) -> float:
        """Seconds reading has been paused since the connection was made, the present pause included."""
        ongoing = 0.0 if self._paused_at is None else self._loop.time() - self._paused_at
        return self._paused_before + ongoing


class HttpToolsWithDeadlines(HttpToolsProtocol):
    """uvicorn's httptools HTTP/1.1 protocol, with a deadline for each request's headers and body.

    The headers' deadline starts when the connection is made and, on a reused connection, at the
    first byte of each further request (the wait between requests is uvicorn's keep-alive timeout).
    The body's deadline is a minimum rate after a grace period, as Apache's mod_reqtimeout has it,
    rather than one total deadline: a total short enough to stop a trickle soon would cut off a
    50 MB upload on a slow link, and one long enough for that upload would let a trickle hold the
    connection for as long. With a rate, any client faster than it finishes whatever the size, and
    one slower is stopped once the grace period is spent.
    """

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        settings = get_settings()  # in each worker process, from the same RND_* settings as the application
        self.header_timeout = settings.api_header_timeout
        self.body_timeout = settings.api_body_timeout
        self.body_min_rate = settings.api_body_min_rate
        self.max_header_bytes = settings.api_max_header_bytes
        self._header_bytes = 0
        self._headers_too_large = False
        self._clock: _ReadingClock | None = None
        self._phase: Phase | None = None
        self._request_begun = False
        self._phase_began = 0.0
        self._paused_when_began = 0.0
        self._body_bytes = 0
        self._timer: TimerHandle | None = None
        self._lingering = False

    # The connection

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._clock = _ReadingClock(transport, self.loop)
        self.flow = self._clock
        self._begin("headers")  # a connection that never sends a request is not kept either

    def connection_lost(self, exc: Exception | None) -> None:
        self._end()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            return  # the request was answered 408 or 431: what follows is read only to be dropped
        super().data_received(data)
        if self._headers_too_large and not self._lingering:
            self._refuse_large_headers()

    def handle_websocket_upgrade(self) -> None:
        self._end()  # the WebSocket protocol takes the connection over
        super().handle_websocket_upgrade()

    # The parser's callbacks, in the order a request arrives

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._request_begun = True
        self._header_bytes = 0
        if self._phase != "headers":  # the first request keeps the deadline its connection started
            self._begin("headers")

    # uvicorn keeps the request line and headers as they come, however large: they are counted, and
    # past `max_header_bytes` neither kept nor handed to the application.
    def on_url(self, url: bytes) -> None:
        if self._counted(url):
            super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        if self._counted(name, value):
            super().on_header(name, value)

    def _counted(self, *parts: bytes) -> bool:
        self._header_bytes += sum(len(part) for part in parts)
        self._headers_too_large = self._headers_too_large or self._header_bytes > self.max_header_bytes
        return not self._headers_too_large

    def on_headers_complete(self) -> None:
        if self._headers_too_large:
            return  # answered 431 once the parser returns; the application never sees the request
        super().on_headers_complete()
        if self.parser.should_upgrade() and self._should_upgrade():
            self._end()
        else:
            self._begin("body")

    def on_body(self, body: bytes) -> None:
        if self._headers_too_large:
            return
        self._body_bytes += len(body)
        super().on_body(body)

    def on_message_complete(self) -> None:
        if self._headers_too_large:
            return
        super().on_message_complete()
        self._end()
        self._request_begun = False

    # The deadline

    def _begin(self, phase: Phase) -> None:
        self._end()
        assert self._clock is not None
        self._phase = phase
        self._phase_began = self.loop.time()
        self._paused_when_began = self._clock.paused_seconds()
        self._body_bytes = 0
        self._timer = self.loop.call_later(self._allowed(), self._check)

    def _end(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._phase = None

    def _allowed(self) -> float:
        """Seconds of reading the present phase may take, given what it has received so far."""
        if self._phase == "headers":
            return self.header_timeout
        earned = self._body_bytes / self.body_min_rate if self.body_min_rate else 0.0
        return self.body_timeout + earned

    def _check(self) -> None:
        """The timer's callback: the body may have earned more time since it was set, and reading may
        have been paused; sets it again for what is left, or cuts the request off."""
        self._timer = None
        if self._phase is None or self.transport.is_closing():
            return
        assert self._clock is not None
        if self._phase == "body" and self.cycle is not None and self.cycle.waiting_for_100_continue:
            # The client waits for "100 Continue", sent when the application first reads the body:
            # its time has not started. Start it again, and look again a second on.
            self._phase_began, self._paused_when_began = self.loop.time(), self._clock.paused_seconds()
            self._timer = self.loop.call_later(min(1.0, self._allowed()), self._check)
            return
        reading = self.loop.time() - self._phase_began - (self._clock.paused_seconds() - self._paused_when_began)
        left = self._allowed() - reading
        if left > 0:
            # While reading is paused no time passes for the client; look again a second on at the soonest.
            self._timer = self.loop.call_later(max(left, 1.0) if self._clock.read_paused else left, self._check)
        else:
            self._cut_off()

    def _cut_off(self) -> None:
        phase, begun = self._phase, self._request_begun
        self._end()
        if phase == "headers" and not begun:
            self.transport.close()  # nothing was asked: nothing to answer, and a 408 could be read as an answer
            return
        cycle = self.cycle
        if phase == "headers":  # only if every earlier request on the connection has its whole answer
            answerable = not self.pipeline and (cycle is None or cycle.response_complete)
            message = f"the request line and headers took longer than {self.header_timeout:g} s to arrive"
        else:  # the body's request is the latest one, and nothing of its answer may have been sent
            answerable = not self.pipeline and cycle is not None and not cycle.response_started
            message = f"the request body took longer than {self.body_timeout:g} s" + (
                f" plus 1 s per {self.body_min_rate:,} bytes sent" if self.body_min_rate else ""
            )
        prefix = f"{self.client[0]}:{self.client[1]} - " if self.client else ""
        if not answerable:
            log.warning("%s%s; the connection is closed", prefix, message)
            self.transport.close()  # connection_lost tells the application, whose receive() returns
            return
        log.warning("%s%s; answered 408", prefix, message)
        if phase == "body" and cycle is not None:
            # The application is waiting for the body: receive() now says the client is gone, and
            # whatever it sends is dropped instead of following the 408 down the connection.
            cycle.disconnected = True
            cycle.message_event.set()
        self._answer_and_close(408, message + "; send it again, at once or on a faster connection")

    def _refuse_large_headers(self) -> None:
        """Answers 431 to a request whose line and headers passed `max_header_bytes`, and closes, if every
        earlier request on the connection has its whole answer (else closes at once)."""
        self._end()
        cycle = self.cycle
        message = f"the request line and headers are larger than {self.max_header_bytes:,} bytes"
        prefix = f"{self.client[0]}:{self.client[1]} - " if self.client else ""
        if self.pipeline or (cycle is not None and not cycle.response_complete):
            log.warning("%s%s; the connection is closed", prefix, message)
            self.transport.close()
            return
        log.warning("%s%s; answered 431", prefix, message)
        self._answer_and_close(431, message + "; send fewer or shorter headers (cookies, a shorter URL)")

    def _answer_and_close(self, status: int, message: str) -> None:
        """Writes an error answer that closes the connection, then reads and drops what still comes for
        `LINGER_SECONDS` before closing (see there)."""
        self.transport.write(self._error_response(status, message))
        if self.transport.can_write_eof():
            self.transport.write_eof()
            self._lingering = True
            self.flow.resume_reading()
            self._timer = self.loop.call_later(LINGER_SECONDS, self.transport.close)
        else:
            self.transport.close()

    def _error_response(self, status: int, message: str) -> bytes:
        """An answer with the API's error body, which closes the connection."""
        body = ApiError(error=ErrorDetail(status=status, message=message)).model_dump_json(exclude_none=True).encode()
        content = [STATUS_LINE[status]]
        for name, value in self.server_state.default_headers:
            content += [name, b": ", value, b"\r\n"]
        content += [
            b"content-type: application/json\r\n",
            b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
            b"connection: close\r\n",
            b"\r\n",
            body,
        ]
        return b"".join(content)
