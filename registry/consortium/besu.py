"""A client of Hyperledger Besu's local account permissioning: the `perm_*` JSON-RPC methods.

A Besu node started with `--permissions-accounts-config-file-enabled` accepts transactions only
from the accounts on its allowlist, which it reads from its permissions file at start and changes
at run time through three methods of the `PERM` API (writing the file as it goes):

- `perm_getAccountsAllowlist` (no parameters): the list, as lowercase 0x addresses;
- `perm_addAccountsToAllowlist([accounts])` and `perm_removeAccountsFromAllowlist([accounts])`:
  result `"Success"`. Either changes all the accounts or none: Besu refuses the whole request when
  one account is already listed (add) or absent (remove), malformed, or given twice.

Besu answers every refusal with code -32000 and a fixed message (its `RpcErrorType`), which is how
they are told apart here; a node without the `PERM` API enabled answers -32604 "Method not
enabled". (Besu 25.6 removed contract-based account permissioning; these local allowlists remain.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from registry.errors import RegistryError
from registry.indexer.rpc import JsonRpc, RpcError, RpcUnavailable

#: Besu's refusals of the account allowlist methods, by message, as the problem names this client uses.
BESU_REFUSALS = {
    "Account allowlist has not been enabled": "permissioning-disabled",
    "Request contains an empty list of accounts": "empty-entry",
    "Request contains an invalid account": "invalid-entry",
    "Request contains duplicate accounts": "duplicate-entry",
    "Cannot add an existing account to allowlist": "existing-entry",
    "Cannot remove an absent account from allowlist": "absent-entry",
    "Unable to persist changes to allowlist configuration file. Changes reverted": "persist-failure",
    # Besu's message has two spaces after "sync.".
    "The permissioning allowlist configuration file is out of sync.  The changes have been applied, but not "
    "persisted to disk": "file-out-of-sync",
}

_METHOD_NOT_FOUND = -32601
_METHOD_NOT_ENABLED = -32604

#: What a person can do about each refusal.
_ADVICE = {
    "permissioning-disabled": "account permissioning is off on this node: start Besu with "
    "--permissions-accounts-config-file-enabled (see consortium/besu/README.md)",
    "api-disabled": "the node does not offer the PERM API: add PERM to its --rpc-http-api",
    "not-besu": "the node does not know Besu's perm_ methods: is it a Besu node?",
    "persist-failure": "Besu could not write its permissions file, so it reverted the change: check that the "
    "file is writable by the node",
    "file-out-of-sync": "the node applied the change but its permissions file was edited by hand meanwhile, so "
    "it did not save it: fix the file, then call perm_reloadPermissionsFromFile",
}


class NodeUnreachable(RegistryError):
    """The node did not answer (connection refused or dropped, timeout, an answer that is not JSON-RPC)."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url} did not answer ({reason})")


class PermissioningRefused(RegistryError):
    """The node refused a permissioning request.

    `problem` names why: one of `BESU_REFUSALS`' values, `api-disabled`, `not-besu`, or `other`.
    """

    def __init__(self, url: str, method: str, problem: str, message: str, code: int) -> None:
        self.url = url
        self.method = method
        self.problem = problem
        self.node_message = message
        self.code = code
        advice = _ADVICE.get(problem)
        said = f"{method} refused: {message} (code {code})"
        super().__init__(f"{url}: {advice} [{said}]" if advice else f"{url}: {said}")


class BesuPermissioning:
    """The account allowlist of one Besu node, through its JSON-RPC endpoint; one attempt per request."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.url = url
        self._rpc = JsonRpc(url, timeout=timeout)

    def close(self) -> None:
        self._rpc.close()

    def __enter__(self) -> BesuPermissioning:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    def chain_id(self) -> int:
        answer = self._call("eth_chainId", [])
        try:
            return int(answer, 16)
        except (TypeError, ValueError):
            raise NodeUnreachable(self.url, f"eth_chainId answered {answer!r}, not a chain id") from None

    def accounts_allowlist(self) -> list[str]:
        """The accounts the node allows to send transactions, as it lists them."""
        answer = self._call("perm_getAccountsAllowlist", [])
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            raise NodeUnreachable(self.url, "perm_getAccountsAllowlist did not answer a list of accounts")
        return list(answer)

    def add_accounts(self, accounts: Sequence[str]) -> None:
        """Adds accounts none of which is on the list yet (else Besu adds none)."""
        self._call("perm_addAccountsToAllowlist", [list(accounts)])

    def remove_accounts(self, accounts: Sequence[str]) -> None:
        """Removes accounts all of which are on the list (else Besu removes none)."""
        self._call("perm_removeAccountsFromAllowlist", [list(accounts)])

    def _call(self, method: str, params: list[Any]) -> Any:
        try:
            return self._rpc.request(method, params)
        except RpcUnavailable as exc:
            raise NodeUnreachable(self.url, exc.reason) from None
        except RpcError as exc:
            raise PermissioningRefused(self.url, method, _problem(exc), exc.message, exc.code) from None


def _problem(exc: RpcError) -> str:
    if exc.code == _METHOD_NOT_ENABLED:
        return "api-disabled"
    if exc.code == _METHOD_NOT_FOUND:
        return "not-besu"
    return BESU_REFUSALS.get(exc.message.strip(), "other")
