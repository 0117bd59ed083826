"""`rnd-registry milestone`: plan a project's milestones, submit them with evidence (company staff),
approve or reject them (auditor), and read a milestone's whole history (anyone)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from registry.chain.client import Operation, RegistryClient
from registry.cli.context import (
    AccountOption,
    DevKeyOption,
    JsonOption,
    PasswordFileOption,
    PublicOption,
    Signer,
    day,
    document_hash,
    open_client,
    print_published_text,
    run,
    store_document,
    won,
)
from registry.cli.output import console, emit, user_errors
from registry.domain.deadlines import is_overdue, now_seconds
from registry.domain.enums import MilestoneStatus
from registry.domain.money import format_won
from registry.domain.records import Milestone
from registry.domain.types import ZERO_HASH, unix_seconds

app = typer.Typer(
    help="Milestones of a project: plan them with a due date and a payment tranche, submit them with "
    "evidence, approve or reject them, read their history."
)

#: The events that make up a milestone's history, in the order they can happen.
HISTORY_EVENTS = ("MilestonePlanned", "MilestoneSubmitted", "MilestoneApproved", "MilestoneRejected")

#: Per step of the history: the event field naming who acted, the one holding its document(s), and
#: what that document is, for people reading the history.
_STEPS = {
    "planned": ("actor", "descriptionHash", "description"),
    "submitted": ("submitter", "evidenceHashes", "evidence"),
    "approved": ("auditor", "reviewHash", "review"),
    "rejected": ("auditor", "reasonHash", "reason"),
}

ProjectArgument = Annotated[int, typer.Argument(min=1, max=2**32 - 1, help="The project's number.")]
MilestoneArgument = Annotated[
    int, typer.Argument(min=1, max=2**32 - 1, help="The milestone's number within the project (from 1).")
]


def status_name(status: MilestoneStatus) -> str:
    return status.name.lower()


def describe_milestone(milestone: Milestone) -> str:
    """One line: number, status, due date, tranche, attempts."""
    attempts = f", {milestone.attempts} submission(s)" if milestone.attempts else ""
    return (
        f"milestone [bold]{milestone.milestone_index}[/bold] of project {milestone.project_id} — "
        f"{status_name(milestone.status)}, due {milestone.due_date:%Y-%m-%d}, "
        f"tranche {format_won(milestone.tranche)}{attempts}"
    )


def show_milestone(milestone: Milestone) -> None:
    console.print(describe_milestone(milestone), soft_wrap=True)
    if milestone.description_hash != ZERO_HASH:
        console.print(f"  description 0x{milestone.description_hash.hex()}", soft_wrap=True)


def required_document(path: Path | None, text: str | None, *, name: str, what: str, public: bool = False) -> bytes:
    """The hash of a document that must be given, as a file (published if `public`) or as text (a reason,
    findings)."""
    value = document_hash(path, text, name=name, required=True, what=what, public=public)
    if value is None:  # document_hash refuses a missing required document; this narrows the type
        raise typer.BadParameter(f"a {what} is required: pass it as a file or as text")
    return value


def milestone_history(client: RegistryClient, project_id: int, milestone_index: int) -> list[dict[str, Any]]:
    """Every planning, submission and review of a milestone from the chain's events, oldest first."""
    events = client.history(client.grants, HISTORY_EVENTS, {"projectId": project_id, "milestoneIndex": milestone_index})
    return [_history_entry(event) for event in events]


def _history_entry(event: dict[str, Any]) -> dict[str, Any]:
    step = str(event["event"]).removeprefix("Milestone").lower()
    actor_field, document_field, _ = _STEPS[step]
    documents = event[document_field]
    documents = list(documents) if isinstance(documents, list | tuple) else [documents]
    entry: dict[str, Any] = {
        "step": step,
        "attempt": int(event.get("attempt", 0)),
        "actor": event[actor_field],
        "documents": ["0x" + bytes(d).hex() for d in documents if bytes(d) != ZERO_HASH],
        "block_number": int(event["blockNumber"]),
        "transaction_hash": event["transactionHash"],
    }
    if step == "planned":
        entry["due_date"] = datetime.fromtimestamp(int(event["dueDate"]), tz=UTC).date().isoformat()
        entry["tranche"] = int(event["tranche"])
    return entry


def show_history(history: list[dict[str, Any]]) -> None:
    console.print("history, oldest first:")
    for entry in history:
        attempt = f" (attempt {entry['attempt']})" if entry["attempt"] else ""
        line = f"  [bold]{entry['step']}[/bold]{attempt} by {entry['actor']}"
        if entry["step"] == "planned":
            line += f": due {entry['due_date']}, tranche {format_won(entry['tranche'])}"
        console.print(line, soft_wrap=True)
        for document in entry["documents"]:
            console.print(f"      {_STEPS[entry['step']][2]} {document}", soft_wrap=True)
            print_published_text(document, "        ")
        console.print(
            f"      [dim]block {entry['block_number']:,}, transaction {entry['transaction_hash']}[/dim]",
            soft_wrap=True,
        )


@app.command()
def plan(
    project_id: ProjectArgument,
    due: Annotated[datetime, typer.Option(parser=day, metavar="YYYY-MM-DD", help="Due date, YYYY-MM-DD.")],
    tranche: Annotated[
        int,
        typer.Option(
            parser=won,
            metavar="WON",
            help="Payment released on approval, in won: 40000000, 40,000,000 or 4천만 (a company plans 0).",
        ),
    ],
    description: Annotated[
        Path | None, typer.Option(help="What the milestone must deliver, as a document; its SHA-256 is recorded.")
    ] = None,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Plan a milestone of an active project, with its due date and payment tranche (admin or the company).

    Payments are the city's to schedule: a company plans its own milestones with tranche 0.

    Example: rnd-registry milestone plan 3 --due 2021-08-31 --tranche 4천만 --description m1.pdf --account city-admin
    """
    with user_errors():
        description_hash = store_document(description) if description else None
        run(Signer(account, dev_key, password_file),
            lambda c: c.ops.plan_milestone(project_id, unix_seconds(due), tranche, description_hash),
            as_json=as_json, show=show_milestone)  # fmt: skip


@app.command()
def submit(
    project_id: ProjectArgument,
    milestone_index: MilestoneArgument,
    evidence: Annotated[
        list[Path],
        typer.Option(help="An evidence document (repeat for several); each is stored and its SHA-256 submitted."),
    ],
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Submit a planned or rejected milestone with its evidence (the project's company).

    Example: rnd-registry milestone submit 3 1 --evidence prototype-report.pdf --evidence test-log.xlsx --account acme
    """
    with user_errors():
        hashes = list(dict.fromkeys(store_document(path) for path in evidence))

        def show(milestone: Milestone) -> None:
            show_milestone(milestone)
            for value in hashes:
                console.print(f"  evidence 0x{value.hex()}", soft_wrap=True)

        run(Signer(account, dev_key, password_file),
            lambda c: c.ops.submit_milestone(project_id, milestone_index, hashes),
            as_json=as_json, show=show)  # fmt: skip


@app.command()
def approve(
    project_id: ProjectArgument,
    milestone_index: MilestoneArgument,
    review: Annotated[
        Path | None, typer.Option(help="The review note, as a document; its SHA-256 is recorded.")
    ] = None,
    review_text: Annotated[str | None, typer.Option(help="The review note as a short text, instead of a file.")] = None,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Approve a submitted milestone, releasing its tranche (auditor).

    Example: rnd-registry milestone approve 3 1 --review-text "Prototype meets the agreed spec." --account auditor
    """
    with user_errors():
        review_hash = document_hash(
            review, review_text, name="review.txt", required=False, what="review note", public=public
        )
        run(Signer(account, dev_key, password_file),
            lambda c: c.ops.approve_milestone(project_id, milestone_index, review_hash),
            as_json=as_json, show=show_milestone)  # fmt: skip


@app.command()
def reject(
    project_id: ProjectArgument,
    milestone_index: MilestoneArgument,
    reason: Annotated[
        Path | None, typer.Option(help="Why it is rejected, as a document; its SHA-256 is recorded.")
    ] = None,
    reason_text: Annotated[str | None, typer.Option(help="Why it is rejected, as a short text.")] = None,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Reject a submitted milestone of an active project with a reason; the company may resubmit, or object
    within the program's objection days (auditor).

    Example: rnd-registry milestone reject 3 1 --reason-text "Test log missing for scenario B." --account auditor
    """
    with user_errors():
        reason_hash = required_document(
            reason, reason_text, name="rejection-reason.txt", what="rejection reason", public=public
        )
        window: list[int] = []

        def build(c: RegistryClient) -> Operation[Milestone]:
            window.append(c.program_rules(c.project(project_id).program_id).objection_days)
            return c.ops.reject_milestone(project_id, milestone_index, reason_hash)

        def show(milestone: Milestone) -> None:
            show_milestone(milestone)
            console.print(
                f"  the company may resubmit, or object within {window[-1]} day(s): "
                f"`rnd-registry objection file --milestone {project_id}/{milestone_index} --evidence FILE`",
                soft_wrap=True,
            )

        run(Signer(account, dev_key, password_file), build, as_json=as_json, show=show)


@app.command()
def show(
    project_id: ProjectArgument,
    milestone_index: MilestoneArgument,
    as_json: JsonOption = False,
) -> None:
    """Show a milestone's current state (overdue marked, as on the project) and every planning, submission
    and review of it (anyone).

    Example: rnd-registry milestone show 3 1
    """
    with user_errors():
        client = open_client()
        milestone = client.milestone(project_id, milestone_index)
        project = client.project(project_id)
        history = milestone_history(client, project_id, milestone_index)
    overdue = is_overdue(milestone.status, milestone.due_date, project.status, now_seconds())

    def text() -> None:
        console.print(describe_milestone(milestone) + ("  [bold red]OVERDUE[/bold red]" if overdue else ""),
                      soft_wrap=True)  # fmt: skip
        if milestone.description_hash != ZERO_HASH:
            console.print(f"  description 0x{milestone.description_hash.hex()}", soft_wrap=True)
        show_history(history)

    data = {"milestone": milestone.model_dump(mode="json"), "overdue": overdue, "history": history}
    emit(data, as_json=as_json, text=text)
