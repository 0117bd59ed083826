"""`rnd-registry program`: open, close, show and list grant programs (city program office)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from registry.cli.context import (
    AccountOption,
    DevKeyOption,
    JsonOption,
    PasswordFileOption,
    PublicOption,
    Signer,
    open_client,
    run,
    store_document,
    won,
)
from registry.cli.output import console, emit, listing, user_errors
from registry.domain.money import format_won
from registry.domain.records import (
    DEFAULT_FOLLOW_UP_YEARS,
    DEFAULT_MAX_CLAWBACK_PERCENT,
    DEFAULT_MAX_RESTRICTION_DAYS,
    DEFAULT_OBJECTION_DAYS,
    Program,
    ProgramRules,
    ProgramTerms,
)

app = typer.Typer(help="Grant programs: open them with a budget and a per-project cap, close them, look them up.")


def show_program(program: Program, rules: ProgramRules | None = None) -> None:
    console.print(
        f"program [bold]{program.program_id}[/bold] {program.name} ({program.year}, {program.field or 'no field'}) "
        f"— {program.status.name.lower()}\n"
        f"  budget {format_won(program.budget)}, cap {format_won(program.per_project_cap)} per project, "
        f"granted {format_won(program.granted)} to {program.project_count} project(s), "
        f"remaining {format_won(program.budget - program.granted)}"
    )
    if rules is not None:
        console.print("  " + describe_rules(rules))


def describe_rules(rules: ProgramRules) -> str:
    """A program's rules in one line."""
    return (
        f"rules: commercialization reported for {rules.follow_up_years} year(s) after a project ends; "
        f"objections within {rules.objection_days} day(s); restriction at most {rules.max_restriction_days} day(s), "
        f"clawback at most {rules.max_clawback_percent}% of the grant"
    )


FollowUpOption = Annotated[
    int,
    typer.Option(min=1, max=20, help="Years after a project ends that its commercialization is reported, each year."),
]
ObjectionDaysOption = Annotated[
    int, typer.Option(min=1, max=365, help="Days a company has to object to a rejection, dispute or evaluation.")
]
RestrictionOption = Annotated[
    int, typer.Option(min=0, max=20 * 366, help="The longest participation restriction an evaluation may set, in days.")
]
ClawbackOption = Annotated[
    int, typer.Option(min=0, max=1000, help="The largest clawback an evaluation may set, in percent of the grant.")
]


@app.command()
def create(
    name: Annotated[str, typer.Argument(help="Program name, e.g. '신성장동력 R&D사업'.")],
    year: Annotated[int, typer.Option(min=2000, max=2100, help="Program year, e.g. 2026.")],
    budget: Annotated[
        int, typer.Option(parser=won, metavar="WON", help="Total budget in won: 800000000, 800,000,000 or 8억.")
    ],
    cap: Annotated[int, typer.Option(parser=won, metavar="WON", help="Largest grant per project, in won, e.g. 1억.")],
    field: Annotated[str, typer.Option(help="Technology field, e.g. 'D.N.A.'.")] = "",
    notice: Annotated[Path | None, typer.Option(help="The program notice document; its hash is recorded.")] = None,
    url: Annotated[str, typer.Option(help="Where the public can read the notice.")] = "",
    follow_up_years: FollowUpOption = DEFAULT_FOLLOW_UP_YEARS,
    objection_days: ObjectionDaysOption = DEFAULT_OBJECTION_DAYS,
    max_restriction_days: RestrictionOption = DEFAULT_MAX_RESTRICTION_DAYS,
    max_clawback_percent: ClawbackOption = DEFAULT_MAX_CLAWBACK_PERCENT,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Open a grant program with its rules, fixed from then on (admin).

    The rules default to Korean practice: commercialization followed for 5 years after a project ends,
    objections within 30 days, a restriction of at most 5 years, a clawback of at most the whole grant.

    Example: rnd-registry program create "신성장동력 R&D사업" --year 2021 --budget 8억 --cap 1억 --account city-admin
    """
    with user_errors():
        rules = ProgramRules(
            follow_up_years=follow_up_years,
            objection_days=objection_days,
            max_restriction_days=max_restriction_days,
            max_clawback_percent=max_clawback_percent,
        )
        terms = ProgramTerms(
            name=name,
            year=year,
            budget=budget,
            per_project_cap=cap,
            field=field,
            metadata_hash=store_document(notice, public=public) if notice else None,
            metadata_uri=url,
            rules=rules,
        )
        run(Signer(account, dev_key, password_file), lambda c: c.ops.create_program(terms),
            as_json=as_json, show=lambda p: show_program(p, rules))  # fmt: skip


@app.command()
def close(
    program_id: Annotated[int, typer.Argument(help="The program's number.")],
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Close a program to new projects; its projects carry on (admin).

    Example: rnd-registry program close 2 --account city-admin
    """
    with user_errors():
        run(Signer(account, dev_key, password_file), lambda c: c.ops.close_program(program_id),
            as_json=as_json, show=show_program)  # fmt: skip


@app.command()
def show(
    program_id: Annotated[int, typer.Argument(help="The program's number.")],
    as_json: JsonOption = False,
) -> None:
    """Show one program, read from the chain (anyone).

    Example: rnd-registry program show 2
    """
    with user_errors():
        client = open_client()
        program = client.program(program_id)
        rules = client.program_rules(program_id)
    emit({**program.model_dump(mode="json"), "rules": rules.model_dump(mode="json")}, as_json=as_json,
         text=lambda: show_program(program, rules))  # fmt: skip


@app.command(name="list")
def list_programs(as_json: JsonOption = False) -> None:
    """List every program, read from the chain (anyone).

    Example: rnd-registry program list --json
    """
    with user_errors():
        client = open_client()
        programs = [client.program(i) for i in range(1, client.counts()["programs"] + 1)]

    def text() -> None:
        table = listing("#", "name", "year", "status", "budget", "cap", "granted", "projects",
                        money=("budget", "cap", "granted"), wrap=("name",))  # fmt: skip
        for p in programs:
            table.add_row(str(p.program_id), p.name, str(p.year), p.status.name.lower(), format_won(p.budget),
                          format_won(p.per_project_cap), format_won(p.granted), str(p.project_count))  # fmt: skip
        console.print(table)

    emit([p.model_dump(mode="json") for p in programs], as_json=as_json, text=text)
