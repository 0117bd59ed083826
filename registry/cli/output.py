"""How commands speak: rich text for people, `--json` for scripts, one-line errors, never a trace."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console

from registry.errors import RegistryError

console = Console()
errors = Console(stderr=True)


def emit(data: Any, *, as_json: bool, text: Callable[[], None]) -> None:
    """Prints `data` as JSON for scripts, or calls `text` to print it for people."""
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")
    else:
        text()


def warn(message: str) -> None:
    errors.print(f"[yellow]warning:[/yellow] {message}", soft_wrap=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turns a `RegistryError` into a one-line message and exit code 1."""
    try:
        yield
    except RegistryError as exc:
        errors.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=1) from None
