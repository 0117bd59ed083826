"""How commands speak: rich text for people, `--json` for scripts, one-line errors, never a trace."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

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
    """Turns a `RegistryError` or invalid input into a one-line message and exit code 1."""
    try:
        yield
    except RegistryError as exc:
        errors.print("[red]error:[/red]", escape(str(exc)), highlight=False, soft_wrap=True)
        raise typer.Exit(code=1) from None
    except ValidationError as exc:
        errors.print("[red]error:[/red]", escape(describe_invalid(exc)), highlight=False, soft_wrap=True)
        raise typer.Exit(code=1) from None


def describe_invalid(exc: ValidationError) -> str:
    """Pydantic's findings as one line: which field, what was wrong."""
    parts = []
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]).replace("_", " ")
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{field}: {message}" if field else message)
    return "invalid input: " + "; ".join(parts)
