"""The registry's relay: sends `ForwardRequest`s that people signed elsewhere (in the workspace's pages,
or with `rnd-registry sign`) from the relayer's account, so that they need neither gas nor a node.

Before anything is sent a request passes the checks of `rnd-registry relay` (this registry's chain,
forwarder and contracts; the signer's next nonce; the deadline; the signature) and the registry's own,
an `eth_call` from the signer as `rnd-registry sign` makes before signing. A refusal is a
`RelayRefused` naming its reason, saying it in English and Korean, and sending nothing. Requests are
limited per client address and per signer, by token buckets in this process's memory; one request at
a time may relay a signer's nonce; the relayer's transactions take turns on its nonce
(`TransactionSender`). The relay holds no key but the relayer's own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

import requests
from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address
from web3.exceptions import ContractLogicError, Web3RPCError

from registry.chain.client import RegistryClient, RelayResult, RequestNotRelayable
from registry.chain.deployment import DeploymentManifest
from registry.chain.devkeys import dev_account
from registry.chain.forwarder import SignedRequest
from registry.chain.keystore import (
    KeystoreError,
    PasswordMissing,
    WrongPassword,
    exposure,
    resolve_password,
    unlock,
)
from registry.chain.reverts import Language, explain
from registry.errors import ChainUnreachable, ContractRevert, RegistryError, TransactionPending, TransactionRejected
from registry.settings import Settings

log = logging.getLogger("registry.relay")

RELAY_PASSWORD_ENV_VAR = "RND_RELAY_PASSWORD"

#: Why the relay refuses a request, as a code (the API's answer lists them, with what each means).
RefusalReason = Literal[
    "relay-off", "rate-limited", "other-registry", "unknown-target", "details-invalid", "signature-mismatch",
    "already-used",
    "out-of-order", "expired", "registry-refused", "chain-unreachable", "node-refused", "pending",
]  # fmt: skip

#: Each problem `RequestNotRelayable` names, as the relay's reason and the HTTP status that says it.
#: 403: the relay will not send this request, ever; 409: not now, as things stand on chain (a malformed
#: body is the API's usual 422).
_NOT_RELAYABLE: dict[str, tuple[RefusalReason, int]] = {
    "other-registry": ("other-registry", 403),
    "unknown-target": ("unknown-target", 403),
    "details-invalid": ("details-invalid", 422),
    "signature-mismatch": ("signature-mismatch", 403),
    "expired": ("expired", 403),
    "already-used": ("already-used", 409),
    "out-of-order": ("out-of-order", 409),
}


class RelayRefused(RegistryError):
    """A request the relay does not send, and why: `reason` (a code such as `expired`), the HTTP
    `status` that says it, and the message in each language. Nothing was sent.

    `revert` is the registry's own refusal when it is one (`reason == "registry-refused"`), and
    `retry_after` the seconds until a limited client or signer may send again."""

    def __init__(
        self,
        reason: RefusalReason,
        status: int,
        english: str,
        korean: str,
        *,
        revert: ContractRevert | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.reason = reason
        self.status = status
        self.english = english
        self.korean = korean
        self.revert = revert
        self.retry_after = retry_after
        super().__init__(english)

    def message(self, language: Language) -> str:
        return self.korean if language == "ko" else self.english


class RelayOff(RelayRefused):
    """The relay has no account to send from: none is configured, or the one configured cannot be used."""

    def __init__(self, english: str, korean: str) -> None:
        super().__init__("relay-off", 503, f"the relay is off: {english}", f"중계가 꺼져 있습니다: {korean}")


class RequestBuckets:
    """A token bucket per key (a client address, a signer): `per_minute` requests in a burst, then one
    every 60/`per_minute` seconds. In memory: each server process counts its own requests."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic, max_keys: int = 10_000) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when counted)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when `key` may go on now (a token is spent); else the seconds until it may."""
        rate = self.per_minute / 60.0
        with self._lock:
            now = self._clock()
            tokens, then = self._buckets.get(key, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - then) * rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return (1.0 - tokens) / rate
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > self._max_keys:
                self._forget_full(now, rate)
            return 0.0

    def _forget_full(self, now: float, rate: float) -> None:
        """Drops the buckets that have refilled: a key seen again starts full anyway."""
        full = [k for k, (tokens, then) in self._buckets.items() if tokens + (now - then) * rate >= self.per_minute]
        for key in full:
            del self._buckets[key]


class Relay:
    """Checks and sends signed requests from the relayer account of `client`."""

    def __init__(
        self,
        client: RegistryClient,
        *,
        per_signer: int,
        per_client: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.signers = RequestBuckets(per_signer, clock=clock)
        self.clients = RequestBuckets(per_client, clock=clock)
        self._in_flight: set[tuple[ChecksumAddress, int]] = set()
        self._in_flight_lock = threading.Lock()

    @property
    def relayer(self) -> ChecksumAddress:
        return self.client.sender.address

    @property
    def targets(self) -> list[ChecksumAddress]:
        """The contracts a relayed request may call: the registry's two."""
        return [self.client.grants.address, self.client.outcomes.address]

    def next_nonce(self, signer: str) -> int:
        """The nonce `signer`'s next request must carry."""
        return self.client.nonce_of(to_checksum_address(signer))

    def chain_time(self) -> int:
        """The time of the chain's newest block (Unix seconds): what a request's deadline is compared with."""
        return int(self.client.w3.eth.get_block("latest")["timestamp"])

    def check(self, request: SignedRequest, client_address: str) -> None:
        """Runs every check `submit` runs before sending, and sends nothing: `RelayRefused` if the relay or the
        registry would refuse `request` as things stand. A page asks this before it publishes a note whose
        hash the request carries, so that a refused request leaves no public document behind it. Counted
        against the client's limit, not the signer's (nothing is sent for the signer)."""
        self._take_client_turn(client_address)
        with _refusals():
            self.client.check_relayable(request)
            self._check_registry_accepts(request)

    def submit(self, request: SignedRequest, client_address: str) -> RelayResult:
        """Checks `request` and sends it; `RelayRefused` (nothing sent) if the relay or the registry refuses it."""
        self._take_client_turn(client_address)
        with self._one_at_a_time(request), _refusals():
            self.client.check_relayable(request)
            wait = self.signers.take(request.signer)
            if wait:
                raise _limited(
                    wait,
                    f"too many requests signed by {request.signer}: the relay sends {self.signers.per_minute} a minute "
                    "for one signer",
                    f"{request.signer}이(가) 서명한 요청이 너무 많습니다. 중계는 서명자 한 명의 요청을 1분에 "
                    f"{self.signers.per_minute}건까지 보냅니다",
                )
            self._check_registry_accepts(request)
            result = self.client.relay_request(request)
        log.info(
            "relayed nonce %d of %s for %s: transaction %s, block %d",
            result.nonce, result.signer, client_address, result.transaction_hash, result.block_number,
        )  # fmt: skip
        return result

    def _take_client_turn(self, client_address: str) -> None:
        wait = self.clients.take(client_address)
        if wait:
            raise _limited(
                wait,
                f"too many requests from {client_address}: the relay takes {self.clients.per_minute} a minute from "
                f"one client address",
                f"{client_address}에서 요청이 너무 많습니다. 중계는 클라이언트 주소 하나에서 1분에 "
                f"{self.clients.per_minute}건까지 받습니다",
            )

    def _check_registry_accepts(self, request: SignedRequest) -> None:
        """The registry's refusal of the call, asked as `rnd-registry sign` asks it: an `eth_call` from the
        signer (the registry reads a relayed call's sender as the signer, so it refuses both alike)."""
        try:
            self.client.w3.eth.call({"from": request.signer, "to": request.target, "data": request.data})
        except ContractLogicError as exc:
            raise _registry_refused(self.client.decoder.from_exception(exc)) from None

    @contextmanager
    def _one_at_a_time(self, request: SignedRequest) -> Iterator[None]:
        """A signer's nonce relayed by one request at a time: the same request sent twice at once is
        checked, sent and recorded once, and the other refused before it costs gas."""
        key = (request.signer, request.nonce)
        with self._in_flight_lock:
            if key in self._in_flight:
                raise RelayRefused(
                    "already-used",
                    409,
                    f"the request of {request.signer} with nonce {request.nonce} is being relayed now; it is "
                    "recorded once",
                    f"{request.signer}의 순번 {request.nonce} 요청이 지금 전달되고 있습니다. 한 번만 기록됩니다",
                )
            self._in_flight.add(key)
        try:
            yield
        finally:
            with self._in_flight_lock:
                self._in_flight.discard(key)


def open_relay(settings: Settings) -> Relay:
    """The relay of this installation: `RelayOff` unless a relayer account is configured and usable;
    `ChainUnreachable` (or another `RegistryError`) if the chain or deployment cannot be reached."""
    check_relayer_configured(settings)
    manifest = DeploymentManifest.read(settings.manifest_path)
    account = relayer_account(settings, manifest)
    client = RegistryClient.open(settings, account=account, manifest=manifest)
    return Relay(client, per_signer=settings.relay_requests_per_signer, per_client=settings.relay_requests_per_client)


def check_relayer_configured(settings: Settings) -> None:
    """`RelayOff` unless exactly one relayer account is configured: RND_RELAY_ACCOUNT or RND_RELAY_DEV_KEY."""
    if settings.relay_account is not None and settings.relay_dev_key is not None:
        raise RelayOff(
            "both RND_RELAY_ACCOUNT and RND_RELAY_DEV_KEY are set; set one",
            "RND_RELAY_ACCOUNT와 RND_RELAY_DEV_KEY가 모두 설정되었습니다. 하나만 설정하세요",
        )
    if settings.relay_account is None and settings.relay_dev_key is None:
        raise RelayOff(
            "no relayer account is configured (RND_RELAY_ACCOUNT; RND_RELAY_DEV_KEY on the local demo chain)",
            "중계 계정이 설정되지 않았습니다(RND_RELAY_ACCOUNT, 로컬 데모 체인에서는 RND_RELAY_DEV_KEY)",
        )


def relayer_account(settings: Settings, manifest: DeploymentManifest) -> LocalAccount:
    """The account the relay sends from: RND_RELAY_ACCOUNT's keystore, or RND_RELAY_DEV_KEY's dev
    account on the local demo chain."""
    check_relayer_configured(settings)
    if settings.relay_dev_key is not None:
        if manifest.chain_id != settings.anvil_chain_id:
            raise RelayOff(
                f"RND_RELAY_DEV_KEY is for the local demo chain (chain id {settings.anvil_chain_id}) only, and this "
                f"registry is on chain {manifest.chain_id}; configure a keystore account with RND_RELAY_ACCOUNT",
                f"RND_RELAY_DEV_KEY는 로컬 데모 체인(체인 ID {settings.anvil_chain_id})에서만 씁니다. 이 등록부는 체인 "
                f"{manifest.chain_id}에 있습니다. RND_RELAY_ACCOUNT로 키스토어 계정을 설정하세요",
            )
        log.warning(
            "the relay sends from anvil dev account %d, whose private key is public: local demos only",
            settings.relay_dev_key,
        )
        return dev_account(settings.relay_dev_key)
    assert settings.relay_account is not None
    label = settings.relay_account
    try:
        exposed = exposure(label, settings=settings)
        if exposed is not None and not settings.keystore_strict:  # strict: `unlock` refuses it
            log.warning("%s", exposed)
        password = resolve_password(env_var=RELAY_PASSWORD_ENV_VAR, password_file=settings.relay_password_file)
        return unlock(label, password, settings=settings)
    except PasswordMissing:
        raise RelayOff(
            f"no password for the relayer's keystore '{label}': set RND_RELAY_PASSWORD_FILE or "
            f"{RELAY_PASSWORD_ENV_VAR}",
            f"중계 계정 키스토어 '{label}'의 암호가 없습니다. RND_RELAY_PASSWORD_FILE이나 {RELAY_PASSWORD_ENV_VAR}를 "
            "설정하세요",
        ) from None
    except WrongPassword:
        raise RelayOff(
            f"the password does not open the relayer's keystore '{label}'; check RND_RELAY_PASSWORD_FILE and "
            f"{RELAY_PASSWORD_ENV_VAR}",
            f"암호가 중계 계정 키스토어 '{label}'을(를) 열지 못합니다. RND_RELAY_PASSWORD_FILE과 "
            f"{RELAY_PASSWORD_ENV_VAR}를 확인하세요",
        ) from None
    except KeystoreError as exc:
        raise RelayOff(
            f"the relayer's keystore cannot be used: {exc}", f"중계 계정 키스토어를 쓸 수 없습니다: {exc}"
        ) from None


def _limited(wait: float, english: str, korean: str) -> RelayRefused:
    seconds = max(1, int(wait + 0.999))
    return RelayRefused(
        "rate-limited",
        429,
        f"{english}; try again in {seconds} s",
        f"{korean}. {seconds}초 뒤에 다시 보내세요",
        retry_after=seconds,
    )


def chain_unreachable(reason: str) -> RelayRefused:
    """The relay's refusal while the chain's node does not answer."""
    return RelayRefused(
        "chain-unreachable",
        503,
        f"the registry's chain node does not answer ({reason}); nothing was sent: send the request again later",
        f"등록부의 체인 노드가 응답하지 않습니다({reason}). 아무것도 보내지 않았습니다. 잠시 뒤에 다시 보내세요",
    )


def _registry_refused(revert: ContractRevert) -> RelayRefused:
    return RelayRefused("registry-refused", 409, explain(revert, "en"), explain(revert, "ko"), revert=revert)


@contextmanager
def _refusals() -> Iterator[None]:
    """What the client raises, as the relay's refusals: a request the forwarder would refuse; the
    registry's refusal (found when sending: the state changed since the check, still nothing recorded);
    and a node that does not answer, refuses the transaction or does not mine it in time (the request
    itself may be fine: send it again later)."""
    try:
        yield
    except RequestNotRelayable as exc:
        reason, status = _NOT_RELAYABLE[exc.problem]
        raise RelayRefused(reason, status, str(exc), exc.korean) from None
    except ContractRevert as exc:
        raise _registry_refused(exc) from None
    except ChainUnreachable as exc:
        raise chain_unreachable(exc.reason) from None
    except (requests.RequestException, OSError) as exc:
        raise chain_unreachable(type(exc).__name__) from None
    except TransactionRejected as exc:
        raise RelayRefused(
            "node-refused", 502, str(exc), f"체인 노드가 중계 거래를 거부했습니다: {exc.reason}"
        ) from None
    except Web3RPCError as exc:
        said = str(exc).splitlines()[0][:300]
        raise RelayRefused(
            "node-refused", 502, f"the chain's node refused: {said}", f"체인 노드가 거부했습니다: {said}"
        ) from None
    except TransactionPending as exc:
        raise RelayRefused(
            "pending",
            504,
            str(exc),
            f"거래 {exc.transaction_hash}를 보냈지만 제때 블록에 담기지 않았습니다. 아직 담길 수 있으니 "
            "다시 보내기 전에 기록을 확인하세요",
        ) from None
