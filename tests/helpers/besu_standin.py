"""A stand-in for a Hyperledger Besu node's account permissioning, for tests: a small JSON-RPC server
that keeps an allowlist, records every call it receives, and answers as Besu does.

What it copies from Besu (`PermAddAccountsToAllowlist`, `PermRemoveAccountsFromAllowlist`,
`PermGetAccountsAllowlist`, `AccountLocalConfigPermissioningController`, `RpcErrorType`):
accounts are stored lowercase; a request's accounts are checked in Besu's order (empty list,
invalid account, duplicates, then already listed / not listed) and the request changes all of them
or none; success answers `"Success"`; refusals answer code -32000 with Besu's exact messages; a node
started without `--permissions-accounts-config-file-enabled` answers "Account allowlist has not been
enabled", one without `PERM` in its RPC APIs answers -32604 "Method not enabled", and an unknown
method -32601 "Method not found". `eth_chainId` answers the chain id it was given.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PERM_METHODS = ("perm_getAccountsAllowlist", "perm_addAccountsToAllowlist", "perm_removeAccountsFromAllowlist")

NOT_ENABLED = "Account allowlist has not been enabled"
EMPTY_ENTRY = "Request contains an empty list of accounts"
INVALID_ENTRY = "Request contains an invalid account"
DUPLICATED_ENTRY = "Request contains duplicate accounts"
EXISTING_ENTRY = "Cannot add an existing account to allowlist"
ABSENT_ENTRY = "Cannot remove an absent account from allowlist"

_ACCOUNT = re.compile(r"0x[0-9a-fA-F]{40}")

#: A fixture that starts stand-in nodes: `besu_node(accounts=[...], ...)`.
StartNode = Callable[..., "BesuStandIn"]


class BesuStandIn:
    """A Besu node's account permissioning over JSON-RPC, on a free local port.

    `accounts` is the allowlist it starts with (as read from its permissions file). With
    `account_permissioning=False` it is a node without account permissioning; with `perm_api=False`
    one whose RPC APIs leave out `PERM`. `before_call(method, params)` runs before each call is
    answered, e.g. to change the list as another operator would at the same moment. `calls` holds
    every `perm_*` call received, in order, as (method, params).
    """

    def __init__(
        self,
        *,
        chain_id: int,
        accounts: Iterable[str] = (),
        account_permissioning: bool = True,
        perm_api: bool = True,
        before_call: Callable[[str, list[Any]], None] | None = None,
    ) -> None:
        self.chain_id = chain_id
        self.account_permissioning = account_permissioning
        self.perm_api = perm_api
        self.before_call = before_call
        self._allowlist = [a.lower() for a in accounts]
        self.calls: list[tuple[str, list[Any]]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def allowlist(self) -> list[str]:
        with self._lock:
            return list(self._allowlist)

    def __enter__(self) -> BesuStandIn:
        self._thread.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ---- Besu's behaviour ------------------------------------------------------------------------
    def answer(self, method: str, params: list[Any]) -> tuple[Any, tuple[int, str] | None]:
        """(result, None) or (None, (code, message)) for one call."""
        if method == "eth_chainId":
            return hex(self.chain_id), None
        if method not in PERM_METHODS:
            return None, (-32601, "Method not found")
        with self._lock:
            self.calls.append((method, json.loads(json.dumps(params))))
        if self.before_call is not None:
            self.before_call(method, params)
        if not self.perm_api:
            return None, (-32604, "Method not enabled")
        if not self.account_permissioning:
            return None, (-32000, NOT_ENABLED)
        if method == "perm_getAccountsAllowlist":
            return self.allowlist, None
        if not params or not isinstance(params[0], list):
            return None, (-32602, "Invalid params")
        return self._change(method, [str(a).lower() for a in params[0]])

    def _change(self, method: str, accounts: list[str]) -> tuple[Any, tuple[int, str] | None]:
        if not accounts:
            return None, (-32000, EMPTY_ENTRY)
        if not all(_ACCOUNT.fullmatch(a) for a in accounts):
            return None, (-32000, INVALID_ENTRY)
        if len(set(accounts)) != len(accounts):
            return None, (-32000, DUPLICATED_ENTRY)
        with self._lock:
            if method == "perm_addAccountsToAllowlist":
                if any(a in self._allowlist for a in accounts):
                    return None, (-32000, EXISTING_ENTRY)
                self._allowlist.extend(accounts)
            else:
                if not all(a in self._allowlist for a in accounts):
                    return None, (-32000, ABSENT_ENTRY)
                self._allowlist = [a for a in self._allowlist if a not in accounts]
        return "Success", None

    def add_directly(self, *accounts: str) -> None:
        """Adds accounts as another operator would, outside the calls recorded."""
        with self._lock:
            self._allowlist.extend(a.lower() for a in accounts)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                request = json.loads(body)
                result, error = standin.answer(str(request.get("method")), list(request.get("params") or []))
                answer: dict[str, Any] = {"jsonrpc": "2.0", "id": request.get("id")}
                if error is None:
                    answer["result"] = result
                else:
                    answer["error"] = {"code": error[0], "message": error[1]}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
