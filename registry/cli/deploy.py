"""`rnd-registry deploy`: compile and deploy the registry, or reuse a matching deployment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from registry.chain.compiler import BuildConfig, compile_contracts
from registry.chain.connection import connect
from registry.chain.deployment import ensure_deployed, manifest_summary
from registry.chain.reverts import RevertDecoder
from registry.chain.transactions import TransactionSender
from registry.cli.context import AccountOption, DevKeyOption, JsonOption, PasswordFileOption, Signer
from registry.cli.output import console, emit, user_errors
from registry.settings import get_settings


def deploy(
    evm_version: Annotated[str | None, typer.Option(help="EVM target: paris (default), shanghai or cancun.")] = None,
    manifest: Annotated[Path | None, typer.Option(help="Where to write the deployment manifest.")] = None,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Deploy the registry contracts to the chain at RND_RPC_URL and write the deployment manifest.

    The deploying account becomes the registry's first admin.

    Running it again against a chain that already holds a matching deployment reuses it.

    Example: rnd-registry deploy --account city-admin

    Example (local demo chain): rnd-registry deploy --dev-key 0
    """
    settings = get_settings()
    manifest_path = manifest or settings.manifest_path
    with user_errors():
        config = BuildConfig.load(settings, evm_version=evm_version)
        artifacts = compile_contracts(config, out_dir=settings.build_dir / config.evm_version)
        w3 = connect(settings.rpc_url, expected_chain_id=settings.chain_id, settings=settings)
        deployer = Signer(account, dev_key, password_file).load()
        sender = TransactionSender(
            w3, deployer, RevertDecoder(a.abi for a in artifacts.values()), gas_price=settings.gas_price
        )
        deployed, reused = ensure_deployed(
            w3, sender, artifacts, manifest_path, admin_transfer_delay=settings.admin_transfer_delay
        )
    summary = manifest_summary(deployed)
    emit(
        {"reused": reused, "manifestPath": str(manifest_path), **summary},
        as_json=as_json,
        text=lambda: _print(summary, reused, manifest_path),
    )


def _print(summary: dict[str, object], reused: bool, path: Path) -> None:
    console.print(f"{'reused existing' if reused else 'deployed new'} registry on chain {summary['chainId']}")
    contracts = summary["contracts"]
    assert isinstance(contracts, dict)
    for name, info in contracts.items():
        console.print(f"  {name:18} {info['address']}  (block {info['blockNumber']})")
    console.print(f"manifest: {path}")
