"""The exception tree of the registry: one root, typed subclasses that carry what went wrong.

Each message says what was wrong and what to do, in words a clerk can act on.
"""

from __future__ import annotations

from typing import Any


class RegistryError(Exception):
    """Root of every error the registry raises on purpose."""


class ConfigurationError(RegistryError):
    """A setting, file or tool the registry needs is missing or wrong."""


class CompilerError(ConfigurationError):
    """The Solidity compiler failed or reported errors."""


class ChainUnreachable(RegistryError):
    """No JSON-RPC endpoint answers at the configured URL."""

    def __init__(self, rpc_url: str, reason: str) -> None:
        self.rpc_url = rpc_url
        self.reason = reason
        super().__init__(
            f"no chain answers at {rpc_url} ({reason}); start one with `rnd-registry chain up` or set RND_RPC_URL"
        )


class NetworkMismatch(RegistryError):
    """The endpoint serves another chain than the deployment manifest names."""

    def __init__(self, expected: int, actual: int) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"the chain at the RPC URL has chain id {actual}, but the deployment is on chain {expected}; "
            "point RND_RPC_URL at the right chain or deploy again"
        )


class DeploymentMissing(RegistryError):
    """No deployment manifest exists where one is expected."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"no deployment manifest at {path}; run `rnd-registry deploy` first")


class CodeMismatch(RegistryError):
    """The code at a manifest address is not the registry contract the manifest describes."""

    def __init__(self, contract: str, address: str) -> None:
        self.contract = contract
        self.address = address
        super().__init__(
            f"the code at {address} is not the {contract} of this deployment (the chain was reset or the "
            "manifest is stale); run `rnd-registry deploy` again"
        )


class TransactionRejected(RegistryError):
    """The node refused a transaction before any contract ran (funds, nonce, gas limits)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        hint = ""
        if "insufficient funds" in reason.lower():
            hint = "; the account has too little ether for gas: fund it, or on a fee-less chain set RND_GAS_PRICE=0"
        elif "nonce" in reason.lower():
            hint = "; another program used this account at the same time: try again"
        super().__init__(f"the node refused the transaction: {reason}{hint}")


class TransactionPending(RegistryError):
    """A transaction was sent but not mined in time; it may still be."""

    def __init__(self, transaction_hash: str, seconds: float) -> None:
        self.transaction_hash = transaction_hash
        super().__init__(
            f"transaction {transaction_hash} was sent but not mined within {seconds:.0f} s; it may still be: "
            "check it before sending again"
        )


class ContractRevert(RegistryError):
    """A registry contract refused a call with one of its custom errors.

    `error` is the Solidity error name and `args` its arguments by name, decoded from the revert data.
    """

    def __init__(self, error: str, args: dict[str, Any], data: bytes, explanation: str | None = None) -> None:
        self.error = error
        self.args_by_name = args
        self.data = data
        self.explanation = explanation
        rendered = ", ".join(f"{name}={_render(value)}" for name, value in args.items())
        self.signature = f"{error}({rendered})"
        super().__init__(f"{explanation} [{self.signature}]" if explanation else self.signature)


class RecordNotFound(ContractRevert):
    """The registry holds no record with the given id."""


class Unauthorized(ContractRevert):
    """The account may not do this: it lacks the role, or acts for another company."""


class InvalidState(ContractRevert):
    """The record's current status does not allow this step."""


class LimitExceeded(ContractRevert):
    """An amount is above a cap, a budget or a grant."""


class InvalidInput(ContractRevert):
    """A required value is missing or malformed."""


class SignatureRejected(ContractRevert):
    """A signed submission is expired, replayed, or not signed by its claimed signer for this chain."""


def _render(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return str(value)


#: Pydantic's kinds of finding for a value that is not a whole number.
NUMBER_ERRORS = ("int_parsing", "int_from_float", "int_type")


def plain_words(error: Any) -> str:
    """Pydantic's message for one finding, in plain words (its own words only for custom validators)."""
    limits = error.get("ctx") or {}
    kind = error["type"]
    if kind == "greater_than_equal":
        return f"should be at least {limits['ge']}"
    if kind == "greater_than":
        return f"should be more than {limits['gt']}"
    if kind == "less_than_equal":
        return f"should be at most {limits['le']}"
    if kind == "less_than":
        return f"should be less than {limits['lt']}"
    if kind in NUMBER_ERRORS:
        return "should be a whole number"
    if kind == "string_too_short" and limits.get("min_length") == 1:
        return "should not be empty"
    if kind == "string_too_long":
        return f"should be at most {limits['max_length']} characters long"
    return str(error["msg"]).removeprefix("Value error, ")
