"""`rnd-registry project`: register grant agreements under a program, complete or terminate them,
and look them up with their milestones (city program office; anyone reads)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import TypeAdapter, ValidationError
from rich.markup import escape

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
from registry.domain.deadlines import FollowUpYear, ReportState, commercialization_schedule, is_overdue, now_seconds
from registry.domain.enums import ObjectionStatus, ProjectStatus
from registry.domain.money import format_won
from registry.domain.objections import contested_decision
from registry.domain.records import Milestone, Objection, Project, ProjectFunds, ProjectTargets, ProjectTerms
from registry.domain.text import visible_bidi
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


def show_project(project: Project, company_name: str | None = None) -> None:
    plan = f"plan 0x{project.plan_hash.hex()}" if project.plan_hash != ZERO_HASH else "no plan document"
    named = f"{escape(visible_bidi(company_name or '(no name on record)'))} " if company_name is not None else ""
    console.print(
        f"project [bold]{project.project_id}[/bold] under program {project.program_id} — "
        f"{status_name(project.status)}\n"
        f"  grant {format_won(project.amount)}, {project.start_date:%Y-%m-%d} to {project.end_date:%Y-%m-%d}\n"
        f"  company {named}0x{project.company_id.hex()}\n"
        f"  {plan}\n"
        f"  {project.milestone_count} milestone(s) planned, tranches {format_won(project.planned_tranches)}",
        soft_wrap=True,
        highlight=False,
    )


def describe_targets(targets: ProjectTargets) -> str:
    """A project's performance targets in one line; zero is no target."""
    parts = [
        f"{targets.papers} paper(s)" if targets.papers else "",
        f"{targets.patents} patent(s)" if targets.patents else "",
        f"sales {format_won(targets.sales)}" if targets.sales else "",
        f"investment {format_won(targets.investment)}" if targets.investment else "",
        f"{targets.jobs} job(s)" if targets.jobs else "",
    ]
    return ", ".join(part for part in parts if part) or "none set"


def project_targets(client: RegistryClient, project_id: int) -> ProjectTargets:
    """The targets recorded when the project was registered (an event only: nothing on chain reads them)."""
    events = client.history(client.grants, ["ProjectTargetsSet"], {"projectId": project_id})
    if not events:
        return ProjectTargets()
    raw = events[-1]["targets"]
    papers, patents, sales, investment, jobs = (raw[k] for k in _TARGET_FIELDS) if isinstance(raw, Mapping) else raw
    return ProjectTargets(papers=papers, patents=patents, sales=sales, investment=investment, jobs=jobs)


#: The fields of `ProjectTargets` on chain, in order (an event's struct arrives by name).
_TARGET_FIELDS = ("papers", "patents", "sales", "investment", "jobs")


def project_objections(client: RegistryClient, project_id: int) -> list[Objection]:
    """Every objection filed about the project's decisions, oldest first."""
    events = client.history(client.outcomes, ["ObjectionFiled"], {"projectId": project_id})
    return [client.objection(int(e["objectionId"])) for e in events]


def reported_years(client: RegistryClient, project_id: int) -> set[int]:
    """The years the project has a commercialization report for (committed or disclosed)."""
    names = ["CommercializationReported", "CommercializationCommitted"]
    events = client.history(client.outcomes, names, {"projectId": project_id})
    return {client.report(int(e["reportId"])).year for e in events}


def describe_follow_up(entry: FollowUpYear) -> str:
    due = f"due {entry.due_date:%Y-%m-%d}"
    if entry.state is ReportState.LATE:
        return f"{entry.year}: [bold red]LATE[/bold red] ({due})"
    if entry.state is ReportState.DUE:
        return f"{entry.year}: [yellow]due[/yellow] ({due})"
    return f"{entry.year}: {entry.state.value} ({due})"


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
    target_papers: Annotated[int, typer.Option(min=0, max=2**16 - 1, help="Target: papers published.")] = 0,
    target_patents: Annotated[int, typer.Option(min=0, max=2**16 - 1, help="Target: patents filed or granted.")] = 0,
    target_sales: Annotated[
        int, typer.Option(parser=won, metavar="WON", help="Target: sales from the results, in won (e.g. 5억).")
    ] = 0,
    target_investment: Annotated[
        int, typer.Option(parser=won, metavar="WON", help="Target: investment attracted, in won (e.g. 1억).")
    ] = 0,
    target_jobs: Annotated[int, typer.Option(min=0, max=2**32 - 1, help="Target: jobs created.")] = 0,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Register a funded project (grant agreement) under an open program (admin).

    Only the hash of the company's business registration number goes on chain. The performance targets
    (성과목표) the program asks for are recorded with it; a target left out is none.

    Example: rnd-registry project register --program 2 --company 131-81-10001 --amount 1억 --start 2021-05-01 --end 2021-12-31 --plan plan.pdf --target-papers 2 --target-sales 5억 --account city-admin
    """  # noqa: E501
    with user_errors():
        targets = ProjectTargets(
            papers=target_papers, patents=target_patents, sales=target_sales, investment=target_investment,
            jobs=target_jobs,
        )  # fmt: skip
        terms = ProjectTerms(
            program_id=program_id,
            company_id=company_identity(company, company_hex),
            amount=amount,
            start_date=start,
            end_date=end,
            plan_hash=store_document(plan, public=public) if plan else None,
            targets=targets,
        )

        def show(project: Project) -> None:
            show_project(project)
            console.print(f"  targets: {describe_targets(targets)}")

        run(Signer(account, dev_key, password_file), lambda c: c.ops.register_project(terms),
            as_json=as_json, show=show)  # fmt: skip


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
    """Show a project with its company's name, targets, funds, milestones (overdue ones marked), the
    commercialization reports it owes (due or late), objections and status changes (anyone).

    A milestone is overdue once its due day has ended (UTC, now) while it still waits for the company
    (planned, or rejected and not yet resubmitted) in an active project. A commercialization report for a
    year is due from the next January 1 and late after the next March 31 (registry.domain.deadlines).

    Example: rnd-registry project show 3
    """
    with user_errors():
        client = open_client()
        block = client.w3.eth.block_number
        project = client.project(project_id, block)
        milestones = project_milestones(client, project, block)
        changes = status_changes(client, project_id)
        name = client.company_name(project.company_id, block)
        funds = client.funds(project_id, block)
        rules = client.program_rules(project.program_id, block)
        targets = project_targets(client, project_id)
        objections = project_objections(client, project_id)
        reported = reported_years(client, project_id)
    as_of = now_seconds()
    now = datetime.fromtimestamp(as_of, tz=UTC)
    overdue = {m.milestone_index for m in milestones if is_overdue(m.status, m.due_date, project.status, as_of)}
    follow_up = commercialization_schedule(project.status, project.end_date, reported, as_of, rules.follow_up_years)

    def text() -> None:
        show_project(project, name)
        console.print(f"  targets: {describe_targets(targets)}")
        console.print("  " + describe_funds(funds))
        if milestones:
            console.print(f"milestones (as of {now:%Y-%m-%d %H:%M} UTC, block {block:,}):")
        for m in milestones:
            mark = "  [bold red]OVERDUE[/bold red]" if m.milestone_index in overdue else ""
            console.print("  " + describe_milestone(m) + mark, soft_wrap=True)
        if follow_up:
            console.print(f"commercialization reports ({rules.follow_up_years} year(s) of follow-up):")
            console.print("  " + "; ".join(describe_follow_up(entry) for entry in follow_up), soft_wrap=True)
        if objections:
            console.print("objections:")
        for objection in objections:
            console.print("  " + describe_objection(objection), soft_wrap=True)
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
        "companyName": name or None,
        "targets": targets.model_dump(mode="json"),
        "funds": funds.model_dump(mode="json"),
        "milestones": [{**m.model_dump(mode="json"), "overdue": m.milestone_index in overdue} for m in milestones],
        "commercialization": [
            {"year": e.year, "dueDate": e.due_date.date().isoformat(), "state": e.state.value} for e in follow_up
        ],
        "objections": [o.model_dump(mode="json") for o in objections],
        "status_changes": changes,
        "as_of": {"block_number": block, "time": now.isoformat()},
    }
    emit(data, as_json=as_json, text=text)


def describe_funds(funds: ProjectFunds) -> str:
    returned = f", {format_won(funds.returned)} returned to the program" if funds.returned else ""
    return f"paid {format_won(funds.paid)} for approved milestones{returned}"


def describe_objection(objection: Objection) -> str:
    """One line: number, what it contests, state, who filed it."""
    state = objection.status.name.lower()
    if objection.status is ObjectionStatus.OPEN:
        state = "[bold yellow]open[/bold yellow]"
    return (
        f"objection {objection.objection_id} to the {subject_words(objection)}: {state}, filed "
        f"{objection.filed_at:%Y-%m-%d} by {objection.filed_by}"
    )


def subject_words(objection: Objection) -> str:
    """What an objection contests, as people say it."""
    return contested_decision(objection.subject, objection.subject_id, objection.milestone_index)


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
        names = {company: client.company_name(company) for company in {p.company_id for p in projects}}

    def text() -> None:
        if not projects:
            console.print("no projects yet")
            return
        table = listing("#", "program", "company", "status", "grant", "period", "milestones",
                        money=("grant",), wrap=("company", "period"))  # fmt: skip
        for p in projects:
            company = visible_bidi(names[p.company_id]) or short_hash(p.company_id)
            table.add_row(str(p.project_id), str(p.program_id), escape(company), status_name(p.status),
                          format_won(p.amount), f"{p.start_date:%Y-%m-%d} to {p.end_date:%Y-%m-%d}",
                          str(p.milestone_count))  # fmt: skip
        console.print(table)

    emit([{**p.model_dump(mode="json"), "companyName": names[p.company_id] or None} for p in projects],
         as_json=as_json, text=text)  # fmt: skip
