"""One-line usage errors: a mistyped option reads like every other refusal, not like a boxed panel.

Typer formats a usage mistake (a malformed amount, a missing option) as a multi-line panel; the
people using this tool get the same one line, `error: <what was wrong> (see ... --help)`, whatever
the mistake. Typer vendors its own click, hence the import from `typer._click` (typer is pinned).
"""

from __future__ import annotations

import sys
from typing import Any

from rich.markup import escape
from typer import Abort
from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
from typer.core import TyperGroup

from registry.cli.output import errors


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
            errors.print("[red]error:[/red]", escape(exc.format_message() + hint), highlight=False, soft_wrap=True)
            sys.exit(exc.exit_code)
        except Abort:
            errors.print("aborted", highlight=False)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)
