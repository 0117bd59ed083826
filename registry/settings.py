"""Every setting of the registry in one place, read from `RND_*` environment variables or `.env`."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from registry.errors import ConfigurationError, plain_words

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class PublicRpcNode(BaseModel):
    """A JSON-RPC node a consortium partner runs and publishes for anyone to check the registry against."""

    name: str
    url: str


ENV_PREFIX = "RND_"


class Settings(BaseSettings):
    """Runtime configuration. Each field maps to `RND_<FIELD>` in the environment."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    project_root: Path = Field(default=PROJECT_ROOT, description="Checkout holding contracts/ and node_modules/.")
    data_dir: Path = Field(
        default=PROJECT_ROOT / ".rnd-registry",
        description="Chain state, deployment manifest, keystores and documents of this installation.",
    )
    document_store_dir: Path = Field(
        default_factory=lambda fields: Path(fields["data_dir"]) / "documents",
        description="Off-chain documents, addressed by SHA-256; <data_dir>/documents unless set.",
    )
    rpc_url: str = Field(default="http://127.0.0.1:8545", description="JSON-RPC endpoint of the chain.")
    chain_id: int | None = Field(
        default=None,
        description="Chain id the registry must find at rpc_url; taken from the manifest if unset.",
    )
    evm_version: str | None = Field(
        default=None,
        description="EVM target of the contracts (paris, shanghai, cancun); contracts/build.json if unset.",
    )
    anvil_host: str = "127.0.0.1"
    anvil_port: int = 8545
    anvil_chain_id: int = 31337
    admin_transfer_delay: int = Field(
        default=2 * 24 * 3600,
        description="Seconds a transfer of the top admin role waits, visible to all, before it can complete.",
    )
    rpc_timeout: float = Field(default=10.0, description="Seconds one JSON-RPC request may take.")
    rpc_retries: int = Field(default=4, description="Retries of a transient RPC failure, with backoff.")
    gas_price: int | None = Field(
        default=None,
        description="Fixed gas price in wei, e.g. 0 on a consortium chain without fees; node's if unset.",
    )
    keystore_dir: Path = Field(
        default_factory=lambda fields: Path(fields["data_dir"]) / "keystore",
        description="Encrypted keystore files of the people who sign, one <label>.json each; "
        "<data_dir>/keystore unless set.",
    )
    keystore_strict: bool = Field(
        default=False,
        description="Refuse a keystore file that other users of this machine can read or write (mode 644, 666, "
        "777...), as ssh refuses such private keys; otherwise the commands warn and go on.",
    )
    keystore_scrypt_n: int = Field(
        default=262144,
        description="Test-only: scrypt cost (N) of new keystores. Keep eth-account's standard 2**18 in use; "
        "tests lower it to run fast.",
    )
    database_url: str = Field(
        default_factory=lambda fields: f"sqlite:///{Path(fields['data_dir']) / 'registry.db'}",
        description="Where the indexer writes and the API reads: a SQLite file (<data_dir>/registry.db unless "
        "set) or postgresql://user:password@host:5432/database.",
    )
    confirmations: int = Field(
        default=0,
        ge=0,
        description="Blocks a block must be buried under before it is indexed: 0 on chains with instant "
        "finality (QBFT, IBFT), more where recent blocks can be replaced.",
    )
    index_batch_blocks: int = Field(
        default=10, ge=1, description="Blocks in the indexer's first eth_getLogs; it doubles while answers are small."
    )
    index_max_batch_blocks: int = Field(
        default=100_000, ge=1, description="Most blocks one eth_getLogs may cover as the range grows."
    )
    index_batch_events: int = Field(
        default=10_000,
        ge=1,
        description="Events the indexer aims to write per database transaction; ranges shrink and grow toward it.",
    )
    index_poll_interval: float = Field(
        default=0.25, gt=0, description="Seconds between looks for new blocks in `index --follow`."
    )
    index_roll_back_reorgs: bool = Field(
        default=False,
        description="When the chain replaces blocks already indexed (a reorganisation deeper than RND_CONFIRMATIONS), "
        "roll the copy back to where the chains meet and index the new blocks. Off by default: the indexer refuses, "
        "changes nothing and stops, since on a chain with finality that means a wrong or broken node.",
    )
    index_max_retry_wait: float = Field(
        default=30.0, gt=0, description="Longest wait between retries of a failing RPC or database call."
    )
    index_give_up_after: float = Field(
        default=600.0,
        ge=0,
        description="Seconds the indexer keeps retrying a node or database that stopped answering before it "
        "exits non-zero saying so (what was indexed is kept); 0 retries until stopped.",
    )

    api_host: str = Field(default="127.0.0.1", description="Address `rnd-registry serve` listens on.")
    api_port: int = Field(default=8000, ge=1, le=65535, description="Port `rnd-registry serve` listens on.")
    api_cors_origins: list[str] = Field(
        default_factory=list,
        description='Web origins allowed to call the API from a browser, e.g. ["https://portal.example"]; '
        '["*"] for any. None by default.',
    )
    api_page_size: int = Field(default=50, ge=1, description="Items in a page of a list when `limit` is not given.")
    api_max_page_size: int = Field(default=500, ge=1, description="Most items one page of a list may hold.")
    api_graphql_max_depth: int = Field(
        default=10, ge=1, description="Deepest nesting of fields a GraphQL query may ask (introspection aside)."
    )
    api_graphql_max_cost: int = Field(
        default=50_000,
        ge=1,
        description="Most values a GraphQL query's answer may hold, estimated before it runs: each field counts 1, "
        "a list multiplies its items' fields by its `limit` (10 for a list that is not paged).",
    )
    api_max_upload_bytes: int = Field(
        default=50 * 1024 * 1024, ge=1, description="Largest document the API accepts for verification (413 above)."
    )
    api_max_header_bytes: int = Field(
        default=64 * 1024,
        ge=1024,
        description="Largest request line and headers a client may send, in bytes (431 above, and disconnected).",
    )
    api_header_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds a client has to send a request's line and headers, from when it connects or, on a "
        "reused connection, from the request's first byte; a slower client is answered 408 and disconnected.",
    )
    api_body_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a client has to send a request's body, plus one second for every RND_API_BODY_MIN_RATE "
        "bytes it has sent; a slower client is answered 408 and disconnected.",
    )
    api_body_min_rate: int = Field(
        default=1024,
        ge=0,
        description="Bytes a second a request body must average once RND_API_BODY_TIMEOUT is spent (1 KiB: a 50 MB "
        "upload may take 14 hours); 0 gives the whole body RND_API_BODY_TIMEOUT seconds, however large.",
    )
    api_rpc_timeout: float = Field(
        default=2.0,
        gt=0,
        description="Seconds `/health` and the verification's live check wait for the chain before reporting it "
        "unreachable.",
    )
    api_statistics_max_age: float = Field(
        default=60.0,
        ge=0,
        description="Seconds the statistics for the present moment are reused while the database has not changed "
        "(each answer says the moment it holds for); 0 adds them up afresh for every request.",
    )
    api_opentelemetry: bool = Field(
        default=False,
        description="Let FastAPI's built-in OpenTelemetry instrumentation trace and measure each request when an "
        "OpenTelemetry provider is configured. Off by default: /metrics and the access log cover the same, and the "
        "instrumentation looks for a provider on every request, a cost on the busiest lookups.",
    )
    relay_account: str | None = Field(
        default=None,
        description="Keystore label of the account the relay (POST /api/v1/relay) sends signed requests from and "
        "pays gas with; its password comes from RND_RELAY_PASSWORD_FILE or RND_RELAY_PASSWORD. The relay is off "
        "unless this or RND_RELAY_DEV_KEY is set.",
    )
    relay_password_file: Path | None = Field(
        default=None, description="File whose first line is the password of the relay's keystore."
    )
    relay_dev_key: int | None = Field(
        default=None,
        ge=0,
        le=9,
        description="Relay from anvil's well-known dev account N instead of a keystore: on the local demo chain "
        "only (RND_ANVIL_CHAIN_ID), since its key is public; `rnd-registry up` sets 6.",
    )
    relay_requests_per_signer: int = Field(
        default=10,
        ge=1,
        description="Signed requests a minute the relay sends for one signer (a burst of as many, then one every "
        "60/N s); counted in memory by each server process.",
    )
    relay_requests_per_client: int = Field(
        default=60,
        ge=1,
        description="Requests a minute the relay takes from one client address, refused ones included; counted in "
        "memory by each server process.",
    )
    document_uploads_per_signer: int = Field(
        default=30,
        ge=1,
        description="Documents a minute POST /api/v1/documents publishes for one signer (a burst of as many, then "
        "one every 60/N s); counted in memory by each server process.",
    )
    document_uploads_per_client: int = Field(
        default=60,
        ge=1,
        description="Requests a minute POST /api/v1/documents takes from one client address, refused ones "
        "included; counted in memory by each server process.",
    )
    open_data_provider: str = Field(
        default="인천광역시 (Incheon Metropolitan City)",
        description="Who publishes the data sets, as the open-data catalogue (/api/v1/datasets) names the provider.",
    )
    open_data_licence: str = Field(
        default="공공누리 제1유형: 출처표시 (KOGL Type 1: attribution)",
        description="The terms of use the open-data catalogue states for every data set.",
    )

    public_rpc_nodes: list[PublicRpcNode] = Field(
        default_factory=list,
        description="JSON-RPC nodes the consortium publishes for readers to check record pages against, as a JSON "
        'list: [{"name": "Partner A", "url": "https://rpc.partner-a.example"}]. Empty: the page offers rpc_url, '
        "labelled as the city's own node.",
    )

    consortium_nodes: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="JSON-RPC URLs of the consortium's Besu nodes whose account allowlists "
        "`consortium sync-allowlist` keeps equal to the registry's members; comma-separated or a JSON list.",
    )
    consortium_keep_accounts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Accounts `consortium sync-allowlist` always allows and never removes, whether or not they are "
        "registry members (validators' own accounts, the relayer); comma-separated or a JSON list.",
    )

    @field_validator("rpc_url")
    @classmethod
    def _node_address(cls, value: str) -> str:
        """A URL that can be a JSON-RPC node's: http or https, a host, and a port from 1 to 65535 if given."""
        text = value.strip()
        parts = urlsplit(text)
        try:
            port_ok = parts.port is None or parts.port > 0
        except ValueError:
            port_ok = False
        if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
            raise ValueError(
                f"{value!r} cannot be a node's address: write it as http://HOST:PORT (or https://), "
                "e.g. http://127.0.0.1:8545"
            )
        return text

    @field_validator("consortium_nodes", "consortium_keep_accounts", mode="before")
    @classmethod
    def _list_from_text(cls, value: object) -> object:
        """A list from the environment: a JSON list, or comma- or space-separated words."""
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith("["):
            try:
                return json.loads(text)
            except ValueError:
                raise ValueError(f"{text!r} is neither a JSON list nor comma-separated values") from None
        return [word for word in text.replace(",", " ").split() if word]

    @property
    def manifest_path(self) -> Path:
        return self.data_dir / "deployment.json"

    @property
    def chain_dir(self) -> Path:
        return self.data_dir / "chain"

    @property
    def build_dir(self) -> Path:
        return self.project_root / "build" / "contracts"


class InvalidSettings(ConfigurationError):
    """A setting from the environment (or .env) that the registry cannot use."""

    def __init__(self, error: ValidationError) -> None:
        found = [e for e in error.errors() if e["type"] != "default_factory_not_called"]  # consequences only
        said = [f"{ENV_PREFIX}{'_'.join(str(part) for part in e['loc']).upper()}: {plain_words(e)}" for e in found]
        super().__init__("; ".join(said) or str(error))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once; `InvalidSettings` names each one it cannot use."""
    try:
        return Settings()
    except ValidationError as error:
        raise InvalidSettings(error) from None
