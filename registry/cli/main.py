"""Entry point of `rnd-registry`: registers every command group."""

from __future__ import annotations

import typer

from registry.cli import chain, deploy, program

app = typer.Typer(
    name="rnd-registry",
    help="Public registry of city-funded R&D: programs, projects, milestones, outcomes, commercialization and audits.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(chain.app, name="chain")
app.command(name="deploy")(deploy.deploy)
app.add_typer(program.app, name="program")

if __name__ == "__main__":
    app()
