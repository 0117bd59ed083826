"""One-line usage errors: a mistyped option reads like every other refusal, not like a boxed panel.

Typer formats a usage mistake (a malformed amount, a missing option) as a multi-line panel; the
people using this tool get the same one line, `error: <what was wrong> (see ... --help)`, whatever
the mistake. Typer vendors its own click, hence the import from `typer._click` (typer is pinned).
"""

from __future__ import annotations

import sys
from typing import Any

from pydantic import ValidationError
from rich.markup import escape
from sqlalchemy.exc import DBAPIError
from typer import Abort
from typer._click.core import Parameter
from typer._click.exceptions import BadParameter, ClickException, MissingParameter, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

from registry.cli.output import errors, parameter_name
from registry.errors import NUMBER_ERRORS, RegistryError, plain_words
from registry.settings import get_settings
from registry.store.engine import DatabaseUnusable


class OneLineErrorsGroup(TyperGroup):
    """The root command group: runs commands and prints any usage error as one line."""

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as exc:
            errors.print(exc.format_message(), markup=False, highlight=False)
            sys.exit(exc.exit_code)
        except ClickException as exc:
            hint = ""
            if isinstance(exc, UsageError) and exc.ctx is not None:
                hint = f" (see `{exc.ctx.command_path} --help`)"
            errors.print("[red]error:[/red]", escape(describe_usage_error(exc) + hint), highlight=False, soft_wrap=True)
            sys.exit(exc.exit_code)
        except Abort:
            errors.print("aborted", highlight=False)
            sys.exit(1)
        except DBAPIError as exc:
            # A database that cannot be used (corrupt, read-only, full, unreachable): what it means and
            # what to do, in one line.
            url = get_settings().database_url
            message = str(DatabaseUnusable.from_error(url, exc))
            errors.print("[red]error:[/red]", escape(message), highlight=False, soft_wrap=True)
            sys.exit(1)
        except RegistryError as exc:
            # A mistake raised outside a command's own `user_errors` (settings read before it runs):
            # one line too, never a traceback.
            errors.print("[red]error:[/red]", escape(str(exc)), highlight=False, soft_wrap=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def describe_usage_error(exc: ClickException) -> str:
    """The mistake in the registry's words: a refused value is named by its option or argument as `--help`
    shows it (`--year`, `PROJECT_ID`), and what typer's pydantic coercion refused is said in plain words."""
    if isinstance(exc, BadParameter) and not isinstance(exc, MissingParameter):
        if exc.param is not None:
            if isinstance(exc.__cause__, ValidationError):
                return f"{parameter_name(exc.param)}: {describe_refused_value(exc.param, exc.__cause__)}"
            return f"{parameter_name(exc.param)}: {exc.message}"
        if isinstance(exc.param_hint, str):  # a value a command checked itself, naming its option
            return f"{exc.param_hint.strip(chr(39))}: {exc.message}"
    return exc.format_message()


#: Bounds from here up (2**32 - 1 for an id) tell a clerk nothing and are not shown.
_SHOWN_BOUND = 10**6
_RANGE_ERRORS = ("greater_than_equal", "greater_than", "less_than_equal", "less_than")


def describe_refused_value(param: Parameter, cause: ValidationError) -> str:
    """Why a value given for `param` was refused, and what to give instead."""
    error = cause.errors()[0]
    value = _as_typed(error.get("input"))
    name = (param.name or "").lower()
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if name == "year" or name.endswith("_year"):
        if isinstance(value, int) and 1000 <= value <= 9999 and low is not None and high is not None:
            return f"{value} is not a year the registry takes; give one from {low} to {high}"
        return f"{value!r} is not a year; give four digits such as 2026"
    thing = name.removesuffix("_id").replace("_", " ")
    noun = f"{'an' if thing[:1] in 'aeiou' else 'a'} {thing} id" if name.endswith("_id") else "a whole number"
    if error["type"] in NUMBER_ERRORS:
        return f"{value!r} is not {noun}; give a number such as 3"
    if error["type"] in _RANGE_ERRORS:
        if high is not None and high >= _SHOWN_BOUND:
            high = None
        if low is not None and high is not None:
            return f"{value!r} is not {noun}; give a number from {low} to {high}"
        if low is not None:
            return f"{value!r} is not {noun}; give a number of at least {low}"
        if high is not None:
            return f"{value!r} is not {noun}; give a number of at most {high}"
    return f"{value!r}: {plain_words(error)}"


def _as_typed(value: Any) -> Any:
    """A number typed on the command line as the number it is, so that it is shown without quotes."""
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return value
    return value
