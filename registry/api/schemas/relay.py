"""What the relay takes and answers (`registry/api/routes/relay.py`): a signed `ForwardRequest`, the
transaction that recorded it, and the refusals, each with its reason."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from registry.api.schemas.common import Address, ApiModel, ErrorDetail
from registry.chain.forwarder import hex_bytes
from registry.chain.relay import RefusalReason

#: The largest integer JSON readers hold exactly (2^53 - 1): gas and nonces never come near it.
MAX_SAFE_INTEGER = 2**53 - 1


def _hex(description: str, pattern: str, example: str) -> Any:
    return WithJsonSchema({"type": "string", "pattern": pattern, "description": description, "examples": [example]})


CallData = Annotated[
    bytes,
    BeforeValidator(hex_bytes),
    Field(min_length=4),
    _hex("The registry call, ABI-encoded: 0x and an even number of hex digits.", "^0x([0-9a-fA-F]{2}){4,}$",
         "0x4f3e1a2c0000000000000000000000000000000000000000000000000000000000000003"),
]  # fmt: skip
Signature = Annotated[
    bytes,
    BeforeValidator(hex_bytes),
    Field(min_length=65, max_length=65),
    _hex("The signer's EIP-712 signature (r, s, v): 0x and 130 hex digits.", "^0x[0-9a-fA-F]{130}$", "0x" + "ab" * 65),
]  # fmt: skip


class ForwardRequestBody(BaseModel):
    """A `ForwardRequest` as the signer signed it (EIP-712 typed data of the domain that
    `GET /api/v1/relay/status` gives), and the signature. The file `rnd-registry sign` writes is
    accepted as it is (`signer` and `target` for `from` and `to`; its other fields are ignored)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    signer: Address = Field(
        validation_alias=AliasChoices("from", "signer"), description="`from`: the account that signed, and is credited."
    )
    target: Address = Field(
        validation_alias=AliasChoices("to", "target"),
        description="`to`: the registry contract called, the grant registry or the outcome registry.",
    )
    value: int = Field(default=0, ge=0, le=0, description="Always 0: the registry takes no ether.")
    gas: int = Field(gt=0, le=MAX_SAFE_INTEGER, description="Gas the relayed call may use.", examples=[1_000_000])
    nonce: int = Field(ge=0, le=MAX_SAFE_INTEGER, description="The signer's next nonce at the forwarder.", examples=[0])
    deadline: int = Field(
        gt=0,
        lt=2**48,
        description="Unix time (chain time) after which the request is refused.",
        examples=[1_767_225_600],
    )
    data: CallData
    signature: Signature
    chain_id: int | None = Field(
        default=None,
        gt=0,
        validation_alias=AliasChoices("chainId", "chain_id"),
        description="The chain it was signed for; this registry's when left out.",
    )
    forwarder: Address | None = Field(
        default=None, description="The forwarder it was signed for; this registry's when left out."
    )


class RelayedEvent(ApiModel):
    """An event the relayed transaction logged. Integers wider than 53 bits (amounts, uint256) are
    strings of digits; bytes are 0x hex."""

    contract: str = Field(examples=["OutcomeRegistry"])
    event: str = Field(examples=["OutcomeAdded"])
    log_index: int = Field(ge=0)
    args: dict[str, Any]


RecordKind = Literal["program", "project", "milestone", "outcome", "commercialization-report", "evaluation",
                     "document", "batch"]  # fmt: skip


class RelayedRecord(ApiModel):
    """The record the transaction wrote or changed, and where the API serves it once the indexer has it
    (a 404 until then)."""

    kind: RecordKind
    url: str = Field(description="The record's path in this API.", examples=["/api/v1/outcomes/12"])


class Relayed(ApiModel):
    """A relayed request, recorded on chain in the signer's name."""

    status: Literal["recorded"] = Field(description="Always `recorded`: a request that is not is refused.")
    transaction_hash: str = Field(pattern="^0x[0-9a-f]{64}$")
    block_number: int = Field(ge=0)
    signer: Address = Field(description="Who signed the request: the registry credits this account.")
    relayer: Address = Field(description="The relay's account, which sent the transaction and paid its gas.")
    nonce: int = Field(ge=0, description="The signer's nonce this request used up.")
    record: RelayedRecord | None = Field(description="The record written or changed; null for a role change.")
    events: list[RelayedEvent] = Field(description="Every registry event of the transaction, in log order.")


class RelayCheck(ApiModel):
    """A request the relay would send as things stand: every check of `POST /api/v1/relay` passed, and
    nothing was sent."""

    status: Literal["would-record"] = Field(description="Always `would-record`: a request that would not is refused.")
    signer: Address = Field(description="Who signed the request.")
    nonce: int = Field(ge=0, description="The signer's nonce the request carries, still unused.")


class RegistryRefusal(ApiModel):
    """The registry contract's own error, by name and arguments, as its ABI declares it."""

    name: str = Field(examples=["ProjectUnauthorizedCompany"])
    args: dict[str, Any]


class RelayRefusalDetail(ErrorDetail):
    reason: RefusalReason = Field(
        description="Why, as a code: relay-off (no relayer account is configured), rate-limited (see Retry-After), "
        "other-registry (signed for another chain or forwarder), unknown-target (a contract not the registry's), "
        "details-invalid (an outcome whose identifiers are not in its type's form: a DOI that is no DOI...), "
        "signature-mismatch (not signed by `from`, or changed since), already-used (the nonce was used, or is "
        "being relayed now), out-of-order (an earlier nonce of the signer is not yet used), expired, "
        "registry-refused (the registry would refuse the call: see registryError), chain-unreachable, "
        "node-refused, pending (sent, not yet mined: check before sending again)."
    )
    language: Literal["ko", "en"] = Field(description="The language of `message`.")
    registry_error: RegistryRefusal | None = Field(default=None)


class RelayRefusal(ApiModel):
    """A request the relay did not send, and why, in the language asked for. Nothing was recorded."""

    error: RelayRefusalDetail

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "error": {
                        "status": 409,
                        "message": "0x90F79bf6EB2c4f870365E785982E1f101E93b906 계정은 3번 과제를 수행하는 기업의 "
                        "계정이 아닙니다 [ProjectUnauthorizedCompany(projectId=3, "
                        "account=0x90F79bf6EB2c4f870365E785982E1f101E93b906)]",
                        "reason": "registry-refused",
                        "language": "ko",
                        "registryError": {
                            "name": "ProjectUnauthorizedCompany",
                            "args": {"projectId": 3, "account": "0x90F79bf6EB2c4f870365E785982E1f101E93b906"},
                        },
                    }
                }
            ]
        }
    )


class Eip712Domain(ApiModel):
    """The EIP-712 domain a request is signed in: this registry's forwarder on this chain."""

    name: str = Field(examples=["RndRegistryForwarder"])
    version: str = Field(examples=["1"])
    chain_id: int = Field(examples=[31337])
    verifying_contract: Address


class RelayLimits(ApiModel):
    """Requests a minute each server process takes (a burst of as many, then one every 60/N s)."""

    per_signer: int = Field(description="Signed requests sent for one signer.")
    per_client: int = Field(description="Requests from one client address, refused ones included.")


class RelayStatus(ApiModel):
    """Whether the relay is on, and what a page needs to sign a request for it."""

    enabled: bool
    message: str | None = Field(default=None, description="Why the relay is off, when it is.")
    relayer: Address | None = Field(default=None, description="The account that sends relayed requests.")
    domain: Eip712Domain | None = None
    types: dict[str, list[dict[str, str]]] | None = Field(
        default=None, description="The EIP-712 types: `ForwardRequest`, as the page signs it."
    )
    targets: list[Address] = Field(default_factory=list, description="The contracts a request may call.")
    limits: RelayLimits
    signer: Address | None = Field(default=None, description="The signer asked about (`?signer=`).")
    next_nonce: int | None = Field(default=None, description="The nonce the signer's next request must carry.")
    chain_time: int | None = Field(
        default=None,
        description="The time of the chain's newest block (Unix seconds): a request's `deadline` is compared with it, "
        "not with the signer's clock.",
    )
