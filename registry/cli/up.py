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
    first, *rest = banner(stack)
    console.print()
    console.print(f"[bold green]{first}[/bold green]", soft_wrap=True, highlight=False)
    for line in rest:
        console.print(line, soft_wrap=True, highlight=False, markup=False)


def banner(stack: Stack) -> list[str]:
    """What `up` prints once everything answers: where each part is, and the demo's accounts by number.
    The API's address is its index, which answers with its lists and documentation."""
    url = stack.api_url
    lines = [
        f"The registry is running.  Portal: {url}/",
        f"  API: {url}/api/v1   documentation: {url}/docs and {url}/redoc   health: {url}/health",
        f"  chain: {stack.settings.rpc_url}   data: {stack.settings.data_dir}   logs: {stack.log_dir}",
    ]
    if stack.demo is not None:
        lines.append(f"  demo documents to verify: {stack.demo.documents}")
    lines += ["", "Demo accounts (anvil's public dev keys; use `--dev-key N` with the CLI):"]
    for person in PEOPLE:
        address = to_checksum_address(dev_account(person.account).address)
        role = person.role.label if person.role is not None else ("company" if person.company else "-")
        lines.append(f"  {person.account}  {address}  {role:<8} {person.who}")
    lines += ["", "Press Ctrl-C to stop."]
    return lines
