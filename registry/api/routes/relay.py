"""`POST /api/v1/relay` and `GET /api/v1/relay/status`: the relay, which sends requests people signed in
their own pages (EIP-712 `ForwardRequest`s) from the registry's relayer account (`registry/chain/relay.py`).

Off unless a relayer account is configured (RND_RELAY_ACCOUNT, or RND_RELAY_DEV_KEY on the local demo
chain): then every POST answers 503 saying so. A refusal answers in the person's language (`?lang=`,
the portal's `lang` cookie, or Accept-Language; Korean otherwise) with its reason as a code.
The routes are plain functions, run in worker threads: they wait on the chain.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from eth_utils.address import to_checksum_address
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from registry.api.deps import ApiContext, Context
from registry.api.schemas.common import ERROR_RESPONSES, ApiError
from registry.api.schemas.relay import (
    Eip712Domain,
    ForwardRequestBody,
    RecordKind,
    RegistryRefusal,
    RelayCheck,
    Relayed,
    RelayedEvent,
    RelayedRecord,
    RelayLimits,
    RelayRefusal,
    RelayRefusalDetail,
    RelayStatus,
)
from registry.chain.client import RecordedEvent
from registry.chain.deployment import DeploymentManifest
from registry.chain.forwarder import FORWARD_REQUEST_TYPES, FORWARDER_NAME, FORWARDER_VERSION, SignedRequest
from registry.chain.relay import Relay, RelayOff, RelayRefused, chain_unreachable, open_relay
from registry.chain.reverts import Language
from registry.errors import ChainUnreachable, DeploymentMissing, RegistryError

router = APIRouter(prefix="/api/v1", tags=["relay"])

_RELAY = "relay"
#: The largest integer a JavaScript number holds exactly.
JS_SAFE_INTEGER = 2**53 - 1
_opening = threading.Lock()
_LANGUAGES: dict[str | None, Language] = {"ko": "ko", "en": "en"}
LanguageQuery = Annotated[
    Literal["ko", "en"] | None,
    Query(description="The language of a refusal's message: ko or en (else the `lang` cookie, Accept-Language, ko)."),
]
_REFUSALS: dict[int | str, dict[str, Any]] = {
    status: {"model": RelayRefusal, "description": description}
    for status, description in {
        403: "Never to be sent: signed for another registry, calling a contract not the registry's, not signed by "
        "`from` (or changed since), or expired.",
        409: "Not as things stand on chain: the nonce was used (or is being relayed now) or follows one not yet "
        "used, or the registry refuses the call (`registryError`).",
        429: "Too many requests from this client address or this signer; Retry-After says when to try again.",
        502: "The chain's node refused the relayer's transaction.",
        503: "The relay is off (no relayer account is configured), or the chain does not answer.",
        504: "Sent, but not mined in time: it may still be; check before sending again.",
    }.items()
}
_REFUSALS[400] = {"model": ApiError, "description": "The body is not JSON."}
_REFUSALS[422] = {"model": ApiError, "description": "A malformed request, naming the field."}

#: The record each event writes or changes, and its path in this API.
_RECORD_PATHS: dict[str, tuple[RecordKind, str]] = {
    **dict.fromkeys(["ProgramCreated", "ProgramClosed"], ("program", "/api/v1/programs/{programId}")),
    **dict.fromkeys(["ProjectRegistered", "ProjectStatusChanged"], ("project", "/api/v1/projects/{projectId}")),
    **dict.fromkeys(
        ["MilestonePlanned", "MilestoneSubmitted", "MilestoneApproved", "MilestoneRejected"],
        ("milestone", "/api/v1/projects/{projectId}/milestones/{milestoneIndex}"),
    ),
    **dict.fromkeys(
        ["OutcomeAdded", "OutcomeAmended", "OutcomeRevocation", "IpStatusChanged"],
        ("outcome", "/api/v1/outcomes/{outcomeId}"),
    ),
    **dict.fromkeys(
        [
            "CommercializationReported",
            "CommercializationCommitted",
            "CommercializationRevealed",
            "CommercializationVerified",
            "CommercializationDisputed",
        ],
        ("commercialization-report", "/api/v1/commercialization-reports/{reportId}"),
    ),
    "AuditRecorded": ("evaluation", "/api/v1/evaluations/{auditId}"),
    "DocumentAnchored": ("document", "/api/v1/verify/{documentHash}"),
    "BatchAnchored": ("batch", "/api/v1/batches/{root}"),
}


@router.post(
    "/relay",
    response_model=Relayed,
    summary="Relay a signed request: recorded in the signer's name, sent by the relay's account",
    responses=_REFUSALS,
)
def relay_request(context: Context, body: ForwardRequestBody, request: Request, lang: LanguageQuery = None) -> Any:
    """Sends a `ForwardRequest` signed elsewhere (in the workspace's page, or by `rnd-registry sign`) through
    the registry's forwarder from the relay's account, which pays the gas; the registry records it in the
    signer's name. The relay never sees the signer's key.

    It is checked first, as `rnd-registry relay` checks it, and nothing is sent if it is refused: signed for
    this chain and forwarder, calling the registry's contracts, by `from`, with `from`'s next nonce, before
    its deadline, and a call the registry accepts from `from` (an `eth_call`). Requests are limited per
    client address and per signer (`GET /api/v1/relay/status` says how many). The answer names the
    transaction, its block and the record; the record is served at its `url` once the indexer has it."""
    language = chosen_language(request, lang)
    try:
        relay = _relay(context)
        result = relay.submit(_signed(body, relay), _client_address(request))
    except RelayRefused as refusal:
        return refusal_response(refusal, language)
    events = [_event_json(relay.client.manifest, event) for event in result.events]
    return Relayed(
        status="recorded",
        transaction_hash=result.transaction_hash,
        block_number=result.block_number,
        signer=result.signer,
        relayer=result.relayer,
        nonce=result.nonce,
        record=_record_of(result.events),
        events=events,
    )


_CHECK_REFUSALS = {status: answer for status, answer in _REFUSALS.items() if status not in (502, 504)}


@router.post(
    "/relay/check",
    response_model=RelayCheck,
    summary="Check a signed request as the relay would, and send nothing",
    responses=_CHECK_REFUSALS,
)
def check_relay_request(
    context: Context, body: ForwardRequestBody, request: Request, lang: LanguageQuery = None
) -> Any:
    """Runs every check `POST /api/v1/relay` runs before it sends (this chain and forwarder, the registry's
    contracts, signed by `from`, `from`'s next nonce, before its deadline, a call the registry accepts from
    `from`), and sends nothing: the same refusals, or `would-record`. The workspace asks it before it
    publishes a note whose hash the request carries, so that a refused request leaves no public document.
    As things stand at the chain's head: the chain may change before the request is sent. Counted against
    the client address's limit, not the signer's."""
    language = chosen_language(request, lang)
    try:
        relay = _relay(context)
        signed = _signed(body, relay)
        relay.check(signed, _client_address(request))
    except RelayRefused as refusal:
        return refusal_response(refusal, language)
    return RelayCheck(status="would-record", signer=signed.signer, nonce=signed.nonce)


def _signed(body: ForwardRequestBody, relay: Relay) -> SignedRequest:
    return SignedRequest(
        signer=to_checksum_address(body.signer),
        target=to_checksum_address(body.target),
        gas=body.gas,
        nonce=body.nonce,
        deadline=body.deadline,
        data=body.data,
        signature=body.signature,
        chain_id=body.chain_id or relay.client.manifest.chain_id,
        forwarder=to_checksum_address(body.forwarder or relay.client.forwarder.address),
    )


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get(
    "/relay/status",
    response_model=RelayStatus,
    summary="The relay: on or off, and what to sign for it",
    responses={422: ERROR_RESPONSES[422]},
)
def relay_status(
    context: Context,
    request: Request,
    lang: LanguageQuery = None,
    signer: Annotated[
        str | None,
        Query(pattern="^0x[0-9a-fA-F]{40}$", description="An account whose next nonce to give (`nextNonce`)."),
    ] = None,
) -> RelayStatus:
    """Whether the relay is on; when it is, the EIP-712 domain and types a page signs a `ForwardRequest`
    with, the contracts it may call, the limits, the chain's time (a deadline is chain time), and with
    `?signer=` that account's next nonce."""
    settings = context.settings
    limits = RelayLimits(per_signer=settings.relay_requests_per_signer, per_client=settings.relay_requests_per_client)
    try:
        relay = _relay(context)
        next_nonce = relay.next_nonce(signer) if signer else None
        chain_time = relay.chain_time()
    except RelayRefused as refusal:
        return RelayStatus(enabled=False, message=refusal.message(chosen_language(request, lang)), limits=limits)
    except ChainUnreachable as exc:
        message = chain_unreachable(exc.reason).message(chosen_language(request, lang))
        return RelayStatus(enabled=False, message=message, limits=limits)
    client = relay.client
    return RelayStatus(
        enabled=True,
        relayer=relay.relayer,
        domain=Eip712Domain(
            name=FORWARDER_NAME,
            version=FORWARDER_VERSION,
            chain_id=client.manifest.chain_id,
            verifying_contract=client.forwarder.address,
        ),
        types=FORWARD_REQUEST_TYPES,
        targets=list(relay.targets),
        limits=limits,
        signer=to_checksum_address(signer) if signer else None,
        next_nonce=next_nonce,
        chain_time=chain_time,
    )


def chosen_language(request: Request, asked: str | None) -> Language:
    """The person's language: `?lang=`, else the portal's `lang` cookie, else the first of ko and en
    in Accept-Language by its weight, else Korean (the portal's own default)."""
    for choice in (asked, request.cookies.get("lang")):
        if choice in _LANGUAGES:
            return _LANGUAGES[choice]
    best: tuple[float, Language] | None = None
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, weight = part.strip().partition(";")
        primary = _LANGUAGES.get(tag.strip().lower().split("-")[0])
        if primary is None:
            continue
        try:
            q = float(weight.strip().removeprefix("q=")) if weight.strip().startswith("q=") else 1.0
        except ValueError:
            q = 0.0
        if q > 0 and (best is None or q > best[0]):
            best = (q, primary)
    return best[1] if best else "ko"


def refusal_response(refusal: RelayRefused, language: Language) -> Response:
    """The error body of a refusal, in `language`; Retry-After on a 429."""
    revert = refusal.revert
    body = RelayRefusal(
        error=RelayRefusalDetail(
            status=refusal.status,
            message=refusal.message(language),
            reason=refusal.reason,
            language=language,
            registry_error=RegistryRefusal(name=revert.error, args=_plain(revert.args_by_name)) if revert else None,
        )
    )
    headers: dict[str, str] = {"Content-Language": language}
    if refusal.retry_after is not None:
        headers["Retry-After"] = str(int(refusal.retry_after))
    return JSONResponse(body.model_dump(mode="json", exclude_none=True), status_code=refusal.status, headers=headers)


def _relay(context: ApiContext) -> Relay:
    """The relay of this server, opened at its first use; a configuration that cannot work is remembered
    (it does not change while the server runs), a chain that does not answer is asked again next time."""
    with _opening:
        found = context.extras.get(_RELAY)
        if isinstance(found, Relay):
            return found
        if isinstance(found, RelayOff):
            raise found
        try:
            relay = open_relay(context.settings)
        except RelayOff as off:
            context.extras[_RELAY] = off
            raise
        except DeploymentMissing:
            raise RelayOff(
                "no registry is deployed here yet (no deployment manifest)", "아직 배포된 등록부가 없습니다"
            ) from None
        except ChainUnreachable as exc:
            raise chain_unreachable(exc.reason) from None
        except RegistryError as exc:  # the chain or the code at the manifest's addresses is not this registry's
            raise RelayOff(str(exc), f"이 체인의 등록부를 쓸 수 없습니다: {exc}") from None
        context.extras[_RELAY] = relay
        return relay


def _record_of(events: list[RecordedEvent]) -> RelayedRecord | None:
    for event in events:
        known = _RECORD_PATHS.get(event.name)
        if known is not None:
            kind, path = known
            values = {k: "0x" + v.hex() if isinstance(v, bytes) else v for k, v in event.args.items()}
            return RelayedRecord(kind=kind, url=path.format(**values))
    return None


def _event_json(manifest: DeploymentManifest, event: RecordedEvent) -> RelayedEvent:
    entry = next(e for e in manifest.contracts[event.contract].abi if e["type"] == "event" and e["name"] == event.name)
    args = {i["name"]: _json_value(event.args[i["name"]], i) for i in entry["inputs"] if i["name"] in event.args}
    return RelayedEvent(contract=event.contract, event=event.name, log_index=event.log_index, args=args)


def _json_value(value: Any, abi: Mapping[str, Any]) -> Any:
    """An event argument in JSON by its ABI type: bytes as 0x hex, integers wider than 53 bits as strings
    of digits (exact in JavaScript), structs as objects."""
    kind = str(abi["type"])
    if kind.endswith("]"):
        inner = {**abi, "type": kind[: kind.rindex("[")]}
        return [_json_value(item, inner) for item in value]
    if kind == "tuple":
        components = abi["components"]
        items = [value[c["name"]] for c in components] if isinstance(value, Mapping) else list(value)
        return {c["name"]: _json_value(item, c) for c, item in zip(components, items, strict=True)}
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if kind.startswith(("uint", "int")) and isinstance(value, int) and not isinstance(value, bool):
        bits = int(kind.removeprefix("u").removeprefix("int") or 256)
        return str(value) if bits > 53 else value
    return value


def _plain(args: Mapping[str, Any]) -> dict[str, Any]:
    """A registry error's arguments in JSON: bytes as 0x hex, integers past 2^53 (amounts) as strings of digits."""
    return {name: _plain_value(value) for name, value in args.items()}


def _plain_value(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > JS_SAFE_INTEGER:
        return str(value)
    return value
