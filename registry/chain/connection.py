"""Opens a web3 connection that suits both a local anvil and a consortium chain.

Transient RPC failures are retried with exponential backoff by web3's own retry configuration;
proof-of-authority chains (Clique, IBFT, QBFT) get the extra-data middleware.
"""

from __future__ import annotations

import requests
from web3 import Web3
from web3.middleware import ExtraDataToPOAMiddleware
from web3.providers.rpc.utils import ExceptionRetryConfiguration

from registry.chain.refusals import refused_as_too_much as refused_as_too_much  # the client's import
from registry.errors import ChainUnreachable, NetworkMismatch
from registry.settings import Settings, get_settings

# Methods safe to retry: reads, and sending an already signed transaction (the same raw bytes
# cannot be mined twice, so a retry after a lost answer is harmless).
_RETRY_METHODS = (
    "eth_chainId",
    "eth_blockNumber",
    "eth_call",
    "eth_estimateGas",
    "eth_gasPrice",
    "eth_maxPriorityFeePerGas",
    "eth_feeHistory",
    "eth_getBalance",
    "eth_getBlockByNumber",
    "eth_getBlockByHash",
    "eth_getCode",
    "eth_getLogs",
    "eth_getTransactionByHash",
    "eth_getTransactionCount",
    "eth_getTransactionReceipt",
    "eth_sendRawTransaction",
    "net_version",
    "web3_clientVersion",
)


def connect(
    rpc_url: str | None = None, *, expected_chain_id: int | None = None, settings: Settings | None = None
) -> Web3:
    """A connected `Web3`; raises `ChainUnreachable` or `NetworkMismatch` with a clear reason."""
    settings = settings or get_settings()
    url = rpc_url or settings.rpc_url
    provider = Web3.HTTPProvider(
        url,
        request_kwargs={"timeout": settings.rpc_timeout},
        exception_retry_configuration=ExceptionRetryConfiguration(
            errors=(requests.ConnectionError, requests.Timeout, requests.HTTPError),
            # web3 counts attempts, not retries: zero would make no request at all.
            retries=max(settings.rpc_retries, 0) + 1,
            backoff_factor=0.25,
            method_allowlist=_RETRY_METHODS,
        ),
    )
    w3 = Web3(provider)
    w3.middleware_onion.inject(ExtraDataToPOAMiddleware, layer=0)
    try:
        chain_id = w3.eth.chain_id
    except (requests.RequestException, OSError) as exc:
        raise ChainUnreachable(url, type(exc).__name__) from None
    except Exception as exc:  # the endpoint answered, but not as a JSON-RPC chain
        raise ChainUnreachable(url, str(exc).splitlines()[0][:120]) from None
    if expected_chain_id is not None and chain_id != expected_chain_id:
        raise NetworkMismatch(expected_chain_id, chain_id)
    return w3
