"""`rnd-registry chain up|down|status`: the local anvil chain, persistent between runs."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from registry.chain.anvil import AnvilProcess, rpc_chain_id, start_anvil
from registry.cli.output import console, emit, user_errors
from registry.errors import ConfigurationError
from registry.settings import get_settings

app = typer.Typer(help="Run the local development chain (anvil), kept in the data directory between runs.")

JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _running() -> AnvilProcess | None:
    path = get_settings().chain_dir / "anvil.json"
    if not path.exists():
        return None
    info = json.loads(path.read_text())
    node = AnvilProcess(pid=info["pid"], host=info["host"], port=info["port"])
    if rpc_chain_id(node.rpc_url) is None:
        path.unlink()
        return None
    return node


@app.command()
def up(
    hardfork: Annotated[str | None, typer.Option(help="EVM hardfork of the chain, e.g. paris or cancun.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Start the local chain in the background; its blocks persist in the data directory.

    Example: rnd-registry chain up
    """
    settings = get_settings()
    with user_errors():
        node = _running()
        started = node is None
        if node is None:
            settings.chain_dir.mkdir(parents=True, exist_ok=True)
            node = start_anvil(
                settings.project_root,
                host=settings.anvil_host,
                port=settings.anvil_port,
                chain_id=settings.anvil_chain_id,
                state_path=settings.chain_dir / "state.json",
                hardfork=hardfork,
                log_path=settings.chain_dir / "anvil.log",
                detach=True,
            )
            (settings.chain_dir / "anvil.json").write_text(
                json.dumps({"pid": node.pid, "host": node.host, "port": node.port})
            )
    emit(
        {"rpcUrl": node.rpc_url, "pid": node.pid, "started": started},
        as_json=as_json,
        text=lambda: console.print(
            f"chain {'started' if started else 'already running'} at [bold]{node.rpc_url}[/bold] (pid {node.pid})"
        ),
    )


@app.command()
def down(as_json: JsonOption = False) -> None:
    """Stop the local chain, saving its state for the next `chain up`.

    Example: rnd-registry chain down
    """
    node = _running()
    if node is not None:
        node.stop()
        (get_settings().chain_dir / "anvil.json").unlink(missing_ok=True)
    emit(
        {"stopped": node is not None},
        as_json=as_json,
        text=lambda: console.print("chain stopped" if node else "no chain was running"),
    )


@app.command()
def status(as_json: JsonOption = False) -> None:
    """Show whether a chain answers at the configured RPC URL, its chain id and head block.

    Example: rnd-registry chain status --json
    """
    settings = get_settings()
    with user_errors():
        chain_id = rpc_chain_id(settings.rpc_url)
        if chain_id is None:
            raise ConfigurationError(f"no chain answers at {settings.rpc_url}; start one with `rnd-registry chain up`")
        from registry.chain.connection import connect

        head = connect(settings.rpc_url).eth.block_number
    emit(
        {"rpcUrl": settings.rpc_url, "chainId": chain_id, "headBlock": head},
        as_json=as_json,
        text=lambda: console.print(f"chain {chain_id} at {settings.rpc_url}, head block {head:,}"),
    )
