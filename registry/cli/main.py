"""Entry point of `rnd-registry`: registers every command group."""

from __future__ import annotations

import typer

from registry.cli import (
    account,
    audit,
    audit_copy,
    chain,
    commercialization,
    consortium,
    deploy,
    evidence,
    index,
    member,
    milestone,
    objection,
    outcome,
    program,
    project,
    serve,
    signing,
    up,
)
from registry.cli.errors import OneLineErrorsGroup

app = typer.Typer(
    name="rnd-registry",
    help="Public registry of city-funded R&D: programs, projects, milestones, outcomes, commercialization and audits.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=OneLineErrorsGroup,
)
app.add_typer(chain.app, name="chain")
app.command(name="deploy")(deploy.deploy)
app.add_typer(program.app, name="program")
app.add_typer(project.app, name="project")
app.add_typer(milestone.app, name="milestone")
app.add_typer(audit.app, name="audit")
app.add_typer(account.app, name="account")
app.add_typer(member.app, name="member")
app.add_typer(evidence.app, name="evidence")
app.command(name="verify")(evidence.verify)
app.add_typer(outcome.app, name="outcome")
app.add_typer(objection.app, name="objection")
app.add_typer(outcome.ip_app, name="ip")
app.add_typer(commercialization.app, name="commercialization")
app.add_typer(signing.app)  # top-level `sign` and `relay`
app.add_typer(index.app, name="index")
app.command(name="serve")(serve.serve)
app.add_typer(consortium.app, name="consortium")
app.command(name="audit-copy")(audit_copy.audit_copy_command)
app.command(name="up")(up.up)

if __name__ == "__main__":
    app()
