"""Sends registry transactions from one account and turns every refusal into a readable error.

The account is either a local key (signed here, as on a consortium chain) or an address the node
unlocks (anvil's dev accounts). Nonces are counted locally so several transactions can follow each
other without waiting on the node's pending pool; any failure resynchronises them. Threads sharing
a sender take turns from the nonce to the node accepting the transaction (the relay's requests
arrive at once). Given a lock folder (the CLI's: `<data_dir>/locks`), processes sending from one
account take turns too (an exclusive `flock` per account) and each reads the node's pending count in
its turn.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from hexbytes import HexBytes
from web3 import Web3
from web3.contract.contract import ContractConstructor, ContractFunction
from web3.exceptions import ContractLogicError, TimeExhausted, Web3RPCError
from web3.types import TxParams, TxReceipt

from registry.chain.reverts import RevertDecoder
from registry.errors import ChainUnreachable, ContractRevert, TransactionPending, TransactionRejected


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
        nonce_lock_dir: Path | None = None,
    ) -> None:
        self.w3 = w3
        self.decoder = decoder
        self._local = account if isinstance(account, LocalAccount) else None
        self.address: ChecksumAddress = account.address if isinstance(account, LocalAccount) else account
        self._gas_price = gas_price
        self._receipt_timeout = receipt_timeout
        self._nonce: int | None = None
        # Held from reading the nonce to the node accepting the transaction, and to forget the count:
        # threads sending at once never sign one nonce twice (reentrant: failures forget it inside a turn).
        self._thread_turn = threading.RLock()
        # With a lock folder, every process of this installation sending from the account takes turns
        # from reading the node's pending count to the node accepting the transaction, so two writers at
        # once never sign the same nonce ("replacement transaction underpriced").
        self._nonce_lock_dir = nonce_lock_dir

    def send(self, call: ContractFunction | ContractConstructor, **overrides: Any) -> TxReceipt:
        """Sends `call` and returns its receipt; raises `ContractRevert` if the contract refuses."""
        with self._turn():
            tx, tx_hash = self._submit(call, overrides)
        try:
            receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=self._receipt_timeout)
        except TimeExhausted:
            self._forget_nonce()
            raise TransactionPending("0x" + bytes(tx_hash).hex(), self._receipt_timeout) from None
        except Exception as exc:
            self._forget_nonce()
            raise self._node_error(exc) from None
        if receipt["status"] != 1:
            raise self._explain_failure(tx, receipt)
        return receipt

    def _submit(self, call: ContractFunction | ContractConstructor, overrides: dict[str, Any]) -> tuple[TxParams, Any]:
        """Builds, signs and hands the transaction to the node: the transaction and its hash."""
        params: dict[str, Any] = {"from": self.address, "nonce": self._next_nonce(), **overrides}
        if self._gas_price is not None:
            params["gasPrice"] = self._gas_price
        try:
            tx = call.build_transaction(TxParams(**params))  # type: ignore[typeddict-item]
        except ContractLogicError as exc:
            self._forget_nonce()
            raise self.decoder.from_exception(exc) from None
        except Exception as exc:
            self._forget_nonce()
            raise self._node_error(exc) from None
        try:
            if self._local is not None:
                signed = self._local.sign_transaction(tx)  # type: ignore[arg-type]
                return tx, self._send_raw(signed.raw_transaction, signed.hash)
            return tx, self.w3.eth.send_transaction(tx)
        except Exception as exc:
            self._forget_nonce()
            raise self._node_error(exc) from None

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """This account's turn to send, among this sender's threads and the processes sharing the lock
        folder (none without one)."""
        with self._thread_turn:
            if self._nonce_lock_dir is None:
                yield
                return
            self._nonce_lock_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            with (self._nonce_lock_dir / f"{self.address}.lock").open("a") as lock:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
                try:
                    self._nonce = None  # another process may have sent since: ask the node's pending count
                    yield
                finally:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _forget_nonce(self) -> None:
        """After a failure the local count may be wrong: the next turn asks the node again."""
        with self._thread_turn:
            self._nonce = None

    def _send_raw(self, raw: bytes, tx_hash: HexBytes) -> HexBytes:
        """Sends signed bytes; a send whose answer was lost, but which the node took, still counts.

        When the answer is lost, web3 resends the same bytes, which the node then refuses as already
        known or as using a spent nonce; the transaction itself is in, so wait for it as usual.
        """
        try:
            return self.w3.eth.send_raw_transaction(raw)
        except Exception:
            if not self._node_has(tx_hash):
                raise
            return tx_hash

    def _node_error(self, exc: Exception) -> Exception:
        """A node's refusal or a lost connection as the registry's own error; anything else as is."""
        if isinstance(exc, Web3RPCError):
            error: Any = (exc.rpc_response or {}).get("error") or {}
            reason = error.get("message") if isinstance(error, dict) else None
            return TransactionRejected(str(reason or exc).splitlines()[0][:300])
        if isinstance(exc, requests.RequestException | OSError):
            uri = getattr(self.w3.provider, "endpoint_uri", "the RPC URL")
            return ChainUnreachable(str(uri), type(exc).__name__)
        return exc

    def _node_has(self, tx_hash: HexBytes) -> bool:
        try:
            self.w3.eth.get_transaction(tx_hash)
        except Exception:  # not found, or the node cannot be asked: either way not known to be in
            return False
        return True

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
