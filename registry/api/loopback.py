"""An application served by uvicorn on a free loopback port of this machine, in a thread, for as long
as a block of code needs it: `rnd-registry audit-copy --database` reads a SQL copy through the API's
own routes this way, and the portal's tests serve the portal to a browser."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from registry.errors import RegistryError


class NotServed(RegistryError):
    def __init__(self, what: str) -> None:
        super().__init__(f"{what} could not be served on this machine's loopback address")


@contextmanager
def served_on_loopback(
    app: Any, *, what: str = "the application", timeout: float = 60.0, **options: Any
) -> Iterator[str]:
    """Serves the ASGI `app` at http://127.0.0.1:<free port> until the block ends; yields that URL.
    `options` go to `uvicorn.Config` (`http=`, `timeout_keep_alive=`, ...)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", **options))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    try:
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise NotServed(what)
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
