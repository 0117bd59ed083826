"""`rnd-registry up`: the whole registry on this machine (the README's first command)."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Annotated

import typer
from eth_utils.address import to_checksum_address

from registry.chain.devkeys import dev_account
from registry.cli.output import console, user_errors
from registry.demo.dataset import PEOPLE
from registry.demo.stack import Stack
from registry.settings import get_settings


def up(
    host: Annotated[str | None, typer.Option(help="Address the API and portal listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port of the API and portal.")] = None,
    demo: Annotated[bool, typer.Option("--demo/--no-demo", help="Load the demo data set (once).")] = True,
) -> None:
    """Start a local chain, deploy the registry, load the demo data, follow the chain with the indexer
    and serve the API and portal, until Ctrl-C.

    Everything is kept in the data directory (RND_DATA_DIR): running it again resumes the same chain and
    database, and the demo data is never added twice.

    Example: rnd-registry up
    """
    settings = get_settings()
    stack = Stack(
        settings,
        host=host or settings.api_host,
        port=port or settings.api_port,
        load_demo=demo,
        on_stage=lambda stage: console.print(f"[dim]·[/dim] {stage}"),
    )
    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with user_errors():
            stack.start()
            _print_ready(stack)
            try:
                stack.wait(stop)
            finally:
                console.print("stopping…")
                stack.stop()
        console.print("stopped; everything is kept in", str(settings.data_dir))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _print_ready(stack: Stack) -> None:
    url = stack.api_url
    console.print()
    console.print(f"[bold green]The registry is running.[/bold green]  Portal: [bold]{url}/[/bold]")
    console.print(f"  API: {url}/api/v1   documentation: {url}/docs   health: {url}/health", soft_wrap=True)
    console.print(
        f"  chain: {stack.settings.rpc_url}   data: {stack.settings.data_dir}   logs: {stack.log_dir}", soft_wrap=True
    )
    if stack.demo is not None:
        console.print(f"  demo documents to verify: {stack.demo.documents}", soft_wrap=True)
    console.print("\nDemo accounts (anvil's public dev keys; use `--dev-key N` with the CLI):")
    for person in PEOPLE:
        address = to_checksum_address(dev_account(person.account).address)
        role = person.role.label if person.role is not None else ("company" if "company" in person.who else "-")
        console.print(f"  {person.account}  {address}  {role:<8} {person.who}", soft_wrap=True)
    console.print("\nPress Ctrl-C to stop.")
