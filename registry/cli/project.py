"""`rnd-registry project`: register grant agreements under a program, complete or terminate them,
and look them up with their milestones (city program office; anyone reads)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import TypeAdapter, ValidationError

from registry.chain.client import RegistryClient
from registry.cli.context import (
    AccountOption,
    DevKeyOption,
    JsonOption,
    PasswordFileOption,
    PublicOption,
    Signer,
    day,
    open_client,
    run,
    short_hash,
    store_document,
    won,
)
from registry.cli.milestone import describe_milestone, required_document
from registry.cli.output import console, emit, listing, user_errors
from registry.domain.companies import company_id
from registry.domain.deadlines import is_overdue
from registry.domain.enums import ProjectStatus
from registry.domain.money import format_won
from registry.domain.records import Milestone, Project, ProjectTerms
from registry.domain.types import ZERO_HASH, Hash32
from registry.errors import RegistryError

app = typer.Typer(
    help="Projects (grant agreements): register them under a program, complete or terminate them, look them up."
)

ProjectArgument = Annotated[int, typer.Argument(min=1, max=2**32 - 1, help="The project's number.")]

_HASH32: TypeAdapter[bytes] = TypeAdapter(Hash32)


def status_name(status: ProjectStatus) -> str:
    return status.name.lower().replace("_", " ")


def company_identity(business_number: str | None, identity: str | None) -> bytes:
    """The company's registry identity, from its business registration number or given as is."""
    if (business_number is None) == (identity is None):
        raise RegistryError(
            "name the company once: --company 131-81-10001 (its business registration number) "
            "or --company-id 0x… (its registry identity)"
        )
    if business_number is not None:
        return company_id(business_number)
    try:
        return _HASH32.validate_python(identity)
    except ValidationError:
        raise RegistryError(
            f"{identity!r} is not a company identity: expected 0x followed by 64 hex digits, "
            "or give the business registration number with --company"
        ) from None


def show_project(project: Project) -> None:
    plan = f"plan 0x{project.plan_hash.hex()}" if project.plan_hash != ZERO_HASH else "no plan document"
    console.print(
        f"project [bold]{project.project_id}[/bold] under program {project.program_id} — "
        f"{status_name(project.status)}\n"
        f"  grant {format_won(project.amount)}, {project.start_date:%Y-%m-%d} to {project.end_date:%Y-%m-%d}\n"
        f"  company 0x{project.company_id.hex()}\n"
        f"  {plan}\n"
        f"  {project.milestone_count} milestone(s) planned, tranches {format_won(project.planned_tranches)}",
        soft_wrap=True,
    )


def project_milestones(client: RegistryClient, project: Project, block: int) -> list[Milestone]:
    return [client.milestone(project.project_id, i, block) for i in range(1, project.milestone_count + 1)]


def status_changes(client: RegistryClient, project_id: int) -> list[dict[str, Any]]:
    """Every status change of a project from the chain's events, with the document that explains it."""
    events = client.history(client.grants, ["ProjectStatusChanged"], {"projectId": project_id})
    return [
        {
            "from": status_name(ProjectStatus(e["from"])),
            "to": status_name(ProjectStatus(e["to"])),
            "document": "0x" + bytes(e["documentHash"]).hex() if bytes(e["documentHash"]) != ZERO_HASH else None,
            "actor": e["actor"],
            "block_number": int(e["blockNumber"]),
            "transaction_hash": e["transactionHash"],
        }
        for e in events
    ]


@app.command()
def register(
    program_id: Annotated[int, typer.Option("--program", min=1, max=2**32 - 1, help="The program that funds it.")],
    amount: Annotated[
        int, typer.Option(parser=won, metavar="WON", help="The grant in won: 100000000, 100,000,000 or 1억.")
    ],
    start: Annotated[
        datetime, typer.Option(parser=day, metavar="YYYY-MM-DD", help="First day of the project, YYYY-MM-DD.")
    ],
    end: Annotated[
        datetime, typer.Option(parser=day, metavar="YYYY-MM-DD", help="Last day of the project, YYYY-MM-DD.")
    ],
    company: Annotated[
        str | None, typer.Option(help="The company's business registration number (사업자등록번호), e.g. 131-81-10001.")
    ] = None,
    company_hex: Annotated[
        str | None, typer.Option("--company-id", help="The company's registry identity (0x…), instead of --company.")
    ] = None,
    plan: Annotated[Path | None, typer.Option(help="The project plan document; its SHA-256 is recorded.")] = None,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Register a funded project (grant agreement) under an open program (admin).

    Only the hash of the company's business registration number goes on chain.

    Example: rnd-registry project register --program 2 --company 131-81-10001 --amount 1억 --start 2021-05-01 --end 2021-12-31 --plan plan.pdf --account city-admin
    """  # noqa: E501
    with user_errors():
        terms = ProjectTerms(
            program_id=program_id,
            company_id=company_identity(company, company_hex),
            amount=amount,
            start_date=start,
            end_date=end,
            plan_hash=store_document(plan, public=public) if plan else None,
        )
        run(Signer(account, dev_key, password_file), lambda c: c.ops.register_project(terms),
            as_json=as_json, show=show_project)  # fmt: skip


@app.command()
def complete(
    project_id: ProjectArgument,
    report: Annotated[Path | None, typer.Option(help="The final report; its SHA-256 is recorded.")] = None,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Mark an active project as completed, with its final report (admin).

    Example: rnd-registry project complete 3 --report final-report.pdf --account city-admin
    """
    with user_errors():
        report_hash = store_document(report, public=public) if report else None
        run(Signer(account, dev_key, password_file), lambda c: c.ops.complete_project(project_id, report_hash),
            as_json=as_json, show=show_project)  # fmt: skip


@app.command()
def terminate(
    project_id: ProjectArgument,
    reason: Annotated[
        Path | None, typer.Option(help="Why it ends early, as a document; its SHA-256 is recorded.")
    ] = None,
    reason_text: Annotated[str | None, typer.Option(help="Why it ends early, as a short text.")] = None,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """End an active project early, with the reason on record (admin).

    Example: rnd-registry project terminate 3 --reason-text "The company withdrew." --account city-admin
    """
    with user_errors():
        reason_hash = required_document(
            reason, reason_text, name="termination-reason.txt", what="termination reason", public=public
        )
        run(Signer(account, dev_key, password_file), lambda c: c.ops.terminate_project(project_id, reason_hash),
            as_json=as_json, show=show_project)  # fmt: skip


@app.command()
def show(project_id: ProjectArgument, as_json: JsonOption = False) -> None:
    """Show a project with its milestones (overdue ones marked) and its status changes (anyone).

    A milestone is overdue once its due day has ended on the chain's clock while it still waits for
    the company (planned, or rejected and not yet resubmitted) in an active project.

    Example: rnd-registry project show 3
    """
    with user_errors():
        client = open_client()
        latest = client.w3.eth.get_block("latest")
        block, now = int(latest["number"]), datetime.fromtimestamp(int(latest["timestamp"]), tz=UTC)
        project = client.project(project_id, block)
        milestones = project_milestones(client, project, block)
        changes = status_changes(client, project_id)
    as_of = int(now.timestamp())
    overdue = {m.milestone_index for m in milestones if is_overdue(m.status, m.due_date, project.status, as_of)}

    def text() -> None:
        show_project(project)
        if milestones:
            console.print(f"milestones (as of {now:%Y-%m-%d}, block {block:,}):")
        for m in milestones:
            mark = "  [bold red]OVERDUE[/bold red]" if m.milestone_index in overdue else ""
            console.print("  " + describe_milestone(m) + mark, soft_wrap=True)
        if changes:
            console.print("status changes:")
        for change in changes:
            console.print(f"  {change['from']} → {change['to']} by {change['actor']}", soft_wrap=True)
            if change["document"]:
                console.print(f"      document {change['document']}", soft_wrap=True)
            console.print(
                f"      [dim]block {change['block_number']:,}, transaction {change['transaction_hash']}[/dim]",
                soft_wrap=True,
            )

    data = {
        "project": project.model_dump(mode="json"),
        "milestones": [{**m.model_dump(mode="json"), "overdue": m.milestone_index in overdue} for m in milestones],
        "status_changes": changes,
        "as_of": {"block_number": block, "time": now.isoformat()},
    }
    emit(data, as_json=as_json, text=text)


@app.command(name="list")
def list_projects(
    program_id: Annotated[
        int | None, typer.Option("--program", min=1, max=2**32 - 1, help="Only the projects of this program.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List projects, all or those of one program, read from the chain (anyone).

    Example: rnd-registry project list --program 2
    """
    with user_errors():
        client = open_client()
        if program_id is not None:
            client.program(program_id)  # an unknown program is an error, not an empty list
        projects = [client.project(i) for i in range(1, client.counts()["projects"] + 1)]
        projects = [p for p in projects if program_id is None or p.program_id == program_id]

    def text() -> None:
        if not projects:
            console.print("no projects yet")
            return
        table = listing("#", "program", "company", "status", "grant", "period", "milestones",
                        money=("grant",), wrap=("company", "period"))  # fmt: skip
        for p in projects:
            table.add_row(str(p.project_id), str(p.program_id), short_hash(p.company_id), status_name(p.status),
                          format_won(p.amount), f"{p.start_date:%Y-%m-%d} to {p.end_date:%Y-%m-%d}",
                          str(p.milestone_count))  # fmt: skip
        console.print(table)

    emit([p.model_dump(mode="json") for p in projects], as_json=as_json, text=text)
