"""How commands speak: rich text for people, `--json` for scripts, one-line errors, never a trace."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any

import typer
from pydantic import ValidationError
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer._click.core import Parameter
from typer._click.globals import get_current_context

from registry.errors import RegistryError, plain_words

console = Console()
errors = Console(stderr=True)


def emit(data: Any, *, as_json: bool, text: Callable[[], None]) -> None:
    """Prints `data` as JSON for scripts, or calls `text` to print it for people."""
    if as_json:
        sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")
    else:
        text()


def listing(*columns: str, money: Collection[str] = (), wrap: Collection[str] = ()) -> Table:
    """The table of a list command, light enough to fit 80 columns. An amount of money is never cut or
    wrapped (`₩200,000…` would misstate it): the `wrap` columns (names, periods) wrap to make room, and
    the other columns fold only if they still must."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True)
    for column in columns:
        if column in money:
            table.add_column(column, justify="right", no_wrap=True)
        elif column in wrap:
            table.add_column(column, overflow="fold", ratio=1)
        else:
            table.add_column(column, overflow="fold")
    return table


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
    """Pydantic's findings as one line, in plain words: which field (named as the running command's
    option when it has one of that name, e.g. `--year`), what was wrong."""
    context = get_current_context(silent=True)
    options = {p.name: parameter_name(p) for p in context.command.params} if context is not None else {}
    parts = []
    for error in exc.errors():
        location = [str(p) for p in error["loc"]]
        if location and location[0] in options:
            field = ".".join([options[location[0]], *location[1:]])
        else:
            field = ".".join(location).replace("_", " ")
        message = plain_words(error)
        parts.append(f"{field}: {message}" if field else message)
    return "invalid input: " + "; ".join(parts)


def parameter_name(param: Parameter) -> str:
    """An option or argument as `--help` shows it: `--year`, `PROJECT_ID`."""
    if param.param_type_name == "option" and param.opts:
        return max(param.opts, key=len)
    return (param.metavar or param.name or "value").upper()
