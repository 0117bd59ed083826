"""Signed submissions: an ERC-2771 `ForwardRequest` signed off chain, relayed by anyone.

The signer signs EIP-712 typed data bound to the chain id, the forwarder's address, its own next
nonce and a deadline; the registries then credit the signer, not the relayer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address

FORWARDER_NAME = "RndRegistryForwarder"
FORWARDER_VERSION = "1"
FORWARD_REQUEST_TYPES = {
    "ForwardRequest": [
        {"name": "from", "type": "address"},
        {"name": "to", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "gas", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint48"},
        {"name": "data", "type": "bytes"},
    ]
}


def hex_bytes(value: Any) -> bytes:
    """A signed request's bytes (its call data, its signature) as JSON writes them: 0x and hex digits.
    A pydantic validator for the request file `rnd-registry sign` writes and the relay's body."""
    if not isinstance(value, str) or not value.startswith("0x"):
        raise ValueError("expected 0x-prefixed hexadecimal")
    try:
        return bytes.fromhex(value[2:])
    except ValueError:
        raise ValueError("not hexadecimal") from None


@dataclass(frozen=True)
class SignedRequest:
    """A forward request and its signature, ready for `RegistryForwarder.execute`."""

    signer: ChecksumAddress
    target: ChecksumAddress
    gas: int
    nonce: int
    deadline: int
    data: bytes
    signature: bytes
    chain_id: int
    forwarder: ChecksumAddress

    def execute_args(self) -> tuple[Any, ...]:
        """The `ForwardRequestData` tuple the forwarder's `execute` takes."""
        return (self.signer, self.target, 0, self.gas, self.deadline, self.data, self.signature)


def sign_request(
    account: LocalAccount,
    *,
    forwarder: str,
    chain_id: int,
    target: str,
    data: bytes,
    nonce: int,
    deadline: int,
    gas: int = 1_000_000,
) -> SignedRequest:
    """Signs a call of `target` with `data` for relaying through `forwarder` on chain `chain_id`."""
    domain = {
        "name": FORWARDER_NAME,
        "version": FORWARDER_VERSION,
        "chainId": chain_id,
        "verifyingContract": to_checksum_address(forwarder),
    }
    message = {
        "from": account.address,
        "to": to_checksum_address(target),
        "value": 0,
        "gas": gas,
        "nonce": nonce,
        "deadline": deadline,
        "data": data,
    }
    signed = Account.sign_typed_data(account.key, domain, FORWARD_REQUEST_TYPES, message)
    return SignedRequest(
        signer=account.address,
        target=to_checksum_address(target),
        gas=gas,
        nonce=nonce,
        deadline=deadline,
        data=data,
        signature=bytes(signed.signature),
        chain_id=chain_id,
        forwarder=to_checksum_address(forwarder),
    )
