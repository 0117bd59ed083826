"""Sends registry transactions from one account and turns every refusal into a readable error.

The account is either a local key (signed here, as on a consortium chain) or an address the node
unlocks (anvil's dev accounts). Nonces are counted locally so several transactions can follow each
other without waiting on the node's pending pool; any failure resynchronises them.
"""

from __future__ import annotations

from typing import Any

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from web3 import Web3
from web3.contract.contract import ContractConstructor, ContractFunction
from web3.exceptions import ContractLogicError
from web3.types import TxParams, TxReceipt

from registry.chain.reverts import RevertDecoder
from registry.errors import ContractRevert


class TransactionSender:
    """Builds, signs, sends and waits for transactions of one account."""

    def __init__(
        self,
        w3: Web3,
        account: LocalAccount | ChecksumAddress,
        decoder: RevertDecoder,
        *,
        gas_price: int | None = None,
        receipt_timeout: float = 120.0,
    ) -> None:
        self.w3 = w3
        self.decoder = decoder
        self._local = account if isinstance(account, LocalAccount) else None
        self.address: ChecksumAddress = account.address if isinstance(account, LocalAccount) else account
        self._gas_price = gas_price
        self._receipt_timeout = receipt_timeout
        self._nonce: int | None = None

    def send(self, call: ContractFunction | ContractConstructor, **overrides: Any) -> TxReceipt:
        """Sends `call` and returns its receipt; raises `ContractRevert` if the contract refuses."""
        params: dict[str, Any] = {"from": self.address, "nonce": self._next_nonce(), **overrides}
        if self._gas_price is not None:
            params["gasPrice"] = self._gas_price
        try:
            tx = call.build_transaction(TxParams(**params))  # type: ignore[typeddict-item]
        except ContractLogicError as exc:
            self._nonce = None
            raise self.decoder.from_exception(exc) from None
        except Exception:
            self._nonce = None
            raise
        try:
            if self._local is not None:
                signed = self._local.sign_transaction(tx)  # type: ignore[arg-type]
                tx_hash = self.w3.eth.send_raw_transaction(signed.raw_transaction)
            else:
                tx_hash = self.w3.eth.send_transaction(tx)
            receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=self._receipt_timeout)
        except Exception:
            self._nonce = None
            raise
        if receipt["status"] != 1:
            raise self._explain_failure(tx, receipt)
        return receipt

    def _next_nonce(self) -> int:
        if self._nonce is None:
            self._nonce = self.w3.eth.get_transaction_count(self.address, "pending")
        nonce = self._nonce
        self._nonce += 1
        return nonce

    def _explain_failure(self, tx: TxParams, receipt: TxReceipt) -> ContractRevert:
        """Replays a transaction that reverted after gas estimation, to learn its error."""
        call = {k: v for k, v in tx.items() if k in ("from", "to", "data", "value", "gas")}
        try:
            self.w3.eth.call(call, block_identifier=receipt["blockNumber"] - 1)  # type: ignore[arg-type]
        except ContractLogicError as exc:
            return self.decoder.from_exception(exc)
        return ContractRevert("TransactionFailed", {"transactionHash": receipt["transactionHash"]}, b"")
