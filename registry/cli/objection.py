"""`rnd-registry objection`: a company objects to a milestone's rejection, a report's dispute or an
evaluation (이의신청) within its program's window, with evidence; an auditor other than the one who decided
upholds or dismisses it, with a reason. Anyone lists and reads them."""

from __future__ import annotations

from datetime import datetime, timedelta
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
    document_hash,
    open_client,
    print_published_text,
    run,
    short_hash,
)
from registry.cli.outcome import jsonable
from registry.cli.output import console, emit, listing, user_errors
from registry.cli.project import describe_objection, subject_words
from registry.domain.deadlines import now_seconds
from registry.domain.enums import ObjectionStatus, ObjectionSubject
from registry.domain.objections import contested_decision
from registry.domain.records import Decision, Objection
from registry.errors import RegistryError

app = typer.Typer(
    help="Objections (이의신청) to a milestone's rejection, a report's dispute or an evaluation: the company files "
    "one within the program's window, another auditor than the decider upholds or dismisses it."
)

ObjectionArgument = Annotated[int, typer.Argument(min=1, max=2**32 - 1, help="The objection's number.")]
OBJECTION_EVENTS = ("ObjectionFiled", "ObjectionResolved")


def show_objection(objection: Objection) -> None:
    console.print(
        describe_objection(objection).replace(
            f"objection {objection.objection_id}", f"objection [bold]{objection.objection_id}[/bold]", 1
        ),
        soft_wrap=True,
    )
    console.print(f"  project {objection.project_id}; decided by {objection.decided_by}", soft_wrap=True)
    if objection.resolved_by is not None:
        console.print(f"  resolved by {objection.resolved_by}", soft_wrap=True)


def window_closes(decision: Decision) -> datetime:
    """The last moment the company may object to `decision` (the contract's `decidedAt + objectionDays`)."""
    assert decision.decided_at is not None
    return decision.decided_at + timedelta(days=decision.objection_days)


def next_block_time(client: RegistryClient) -> int:
    """The earliest time the block a write lands in can carry: now, or just after the newest block if the
    chain's clock is ahead; the contract judges the objection window by it."""
    latest = int(client.w3.eth.get_block("latest")["timestamp"])
    return max(now_seconds(), latest + 1)


def _subject(milestone: str | None, report: int | None, evaluation: int | None) -> tuple[ObjectionSubject, int, int]:
    """What is objected to, from the one option that names it."""
    given = [name for name, value in (("--milestone", milestone), ("--report", report), ("--evaluation", evaluation))
             if value is not None]  # fmt: skip
    if len(given) != 1:
        raise RegistryError(
            "say what you object to, once: --milestone PROJECT/MILESTONE (a rejection), --report REPORT (a dispute) "
            "or --evaluation AUDIT (an evaluation)"
        )
    if report is not None:
        return ObjectionSubject.REPORT_DISPUTE, report, 0
    if evaluation is not None:
        return ObjectionSubject.EVALUATION, evaluation, 0
    assert milestone is not None
    project, slash, index = milestone.strip().partition("/")
    if not (slash and project.isdecimal() and index.isdecimal() and int(project) >= 1 and int(index) >= 1):
        raise RegistryError(f"--milestone: {milestone!r} is not PROJECT/MILESTONE; write it as 3/2 (project 3's 2nd)")
    return ObjectionSubject.MILESTONE_REJECTION, int(project), int(index)


@app.command()
def file(
    milestone: Annotated[
        str | None, typer.Option(metavar="PROJECT/MILESTONE", help="Object to this milestone's rejection, e.g. 3/2.")
    ] = None,
    report: Annotated[
        int | None, typer.Option(min=1, max=2**32 - 1, help="Object to the dispute of this commercialization report.")
    ] = None,
    evaluation: Annotated[
        int | None, typer.Option(min=1, max=2**32 - 1, help="Object to this evaluation (audit) and its sanction.")
    ] = None,
    evidence: Annotated[
        Path | None, typer.Option(help="The objection and its evidence, as a document; its SHA-256 is recorded.")
    ] = None,
    evidence_text: Annotated[str | None, typer.Option(help="The objection as a short text, instead of a file.")] = None,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Object to a decision about your company's project, within the program's window (company).

    The window is the program's objection days (30 unless it says otherwise) from the decision. An objection
    to an evaluation holds its pending sanction until an auditor resolves it. One objection per decision.

    Example: rnd-registry objection file --milestone 3/2 --evidence objection.pdf --account acme
    Example: rnd-registry objection file --evaluation 4 --evidence-text "The clawback counts a tranche never paid." -a acme
    """  # noqa: E501
    with user_errors():
        subject, subject_id, index = _subject(milestone, report, evaluation)
        if evidence is None and evidence_text is None:
            raise RegistryError("an objection needs its grounds: give --evidence FILE or --evidence-text TEXT")
        what = contested_decision(subject, subject_id, index)
        stored: list[bytes] = []

        def build(c: RegistryClient) -> Operation[Objection]:
            decision = c.decision(subject, subject_id, index)
            if decision.decided_at is None:
                raise RegistryError(f"there is no {what} to object to")
            closes = window_closes(decision)
            if next_block_time(c) > int(closes.timestamp()):
                raise RegistryError(
                    f"the window to object to the {what} closed on {closes:%Y-%m-%d %H:%M} UTC "
                    f"({decision.objection_days} day(s) after the decision of {decision.decided_at:%Y-%m-%d})"
                )
            # Stored only once the decision is known to be open to objection.
            evidence_hash = document_hash(evidence, evidence_text, name="objection.txt", required=True,
                                          what="objection", public=public)  # fmt: skip
            assert evidence_hash is not None
            stored.append(evidence_hash)
            return c.ops.file_objection(subject, subject_id, index, evidence_hash)

        def show(objection: Objection) -> None:
            show_objection(objection)
            console.print(f"  evidence {short_hash(stored[-1])}; an auditor other than the decider resolves it")

        run(Signer(account, dev_key, password_file), build, as_json=as_json, show=show)


@app.command()
def resolve(
    objection_id: ObjectionArgument,
    uphold: Annotated[
        bool | None,
        typer.Option("--uphold/--dismiss", help="Uphold the objection (the decision falls) or dismiss it."),
    ] = None,
    reason: Annotated[Path | None, typer.Option(help="The reasons, as a document; its SHA-256 is recorded.")] = None,
    reason_text: Annotated[str | None, typer.Option(help="The reasons as a short text, instead of a file.")] = None,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Uphold or dismiss an open objection, with the reasons (auditor, not the one who decided).

    Upholding an objection to an evaluation cancels its pending sanction; dismissing it lets the sanction
    be confirmed.

    Example: rnd-registry objection resolve 2 --uphold --reason-text "The tranche was indeed never paid." -a park-auditor
    """  # noqa: E501
    with user_errors():
        if uphold is None:
            raise RegistryError("say how it is resolved: --uphold or --dismiss")
        upheld = uphold
        reason_hash = document_hash(reason, reason_text, name="objection-resolution.txt", required=True,
                                    what="reason", public=public)  # fmt: skip
        assert reason_hash is not None

        def build(c: RegistryClient) -> Operation[Objection]:
            objection = c.objection(objection_id)
            if objection.status is not ObjectionStatus.OPEN:
                raise RegistryError(
                    f"objection {objection_id} is already {objection.status.name.lower()}; nothing was changed"
                )
            signer = getattr(c.account, "address", None)
            if signer is not None and signer == objection.decided_by:
                raise RegistryError(
                    f"{signer} made the decision objection {objection_id} contests; another auditor resolves it"
                )
            return c.ops.resolve_objection(objection_id, upheld, reason_hash)

        run(Signer(account, dev_key, password_file), build, as_json=as_json, show=show_objection)


@app.command(name="list")
def list_objections(
    project_id: Annotated[
        int | None, typer.Option("--project", min=1, max=2**32 - 1, help="Only the objections of this project.")
    ] = None,
    only_open: Annotated[bool, typer.Option("--open", help="Only the objections still open.")] = False,
    as_json: JsonOption = False,
) -> None:
    """List objections, read from the chain (anyone).

    Example: rnd-registry objection list --open
    """
    with user_errors():
        client = open_client()
        if project_id is not None:
            client.project(project_id)  # an unknown project is an error, not an empty list
        found = [client.objection(i) for i in range(1, client.counts()["objections"] + 1)]
    found = [
        o
        for o in found
        if (project_id is None or o.project_id == project_id) and (not only_open or o.status is ObjectionStatus.OPEN)
    ]

    def text() -> None:
        if not found:
            console.print("no objections")
            return
        table = listing("#", "project", "objects to", "status", "filed", wrap=("objects to",))
        for o in found:
            table.add_row(str(o.objection_id), str(o.project_id), subject_words(o), o.status.name.lower(),
                          f"{o.filed_at:%Y-%m-%d}")  # fmt: skip
        console.print(table)

    emit([o.model_dump(mode="json") for o in found], as_json=as_json, text=text)


@app.command()
def show(objection_id: ObjectionArgument, as_json: JsonOption = False) -> None:
    """Show an objection, the decision it contests and its history, read from the chain (anyone).

    Example: rnd-registry objection show 2
    """
    with user_errors():
        client = open_client()
        objection = client.objection(objection_id)
        decision = client.decision(objection.subject, objection.subject_id, objection.milestone_index)
        history = [
            jsonable(e) for e in client.history(client.outcomes, OBJECTION_EVENTS, {"objectionId": objection_id})
        ]

    def text() -> None:
        show_objection(objection)
        if decision.decided_at is not None:
            console.print(
                f"  decision of {decision.decided_at:%Y-%m-%d %H:%M} UTC; objections were open until "
                f"{window_closes(decision):%Y-%m-%d %H:%M} UTC ({decision.objection_days} days)"
            )
        console.print("  history on chain, oldest first:")
        for event in history:
            console.print(f"    block {event['blockNumber']:,}, transaction {event['transactionHash']}", soft_wrap=True)
            console.print(f"      {describe_objection_event(event)}", soft_wrap=True)
            for key in ("evidenceHash", "reasonHash"):
                if key in event:
                    print_published_text(event[key], "        ")

    data: dict[str, Any] = {
        "objection": objection.model_dump(mode="json"),
        "decision": decision.model_dump(mode="json"),
        "windowCloses": window_closes(decision).isoformat() if decision.decided_at is not None else None,
        "history": history,
    }
    emit(data, as_json=as_json, text=text)


def describe_objection_event(event: dict[str, Any]) -> str:
    if event["event"] == "ObjectionFiled":
        return f"filed by {event['company']}, evidence {short_hash(bytes.fromhex(event['evidenceHash'][2:]))}"
    verdict = "upheld" if event["upheld"] else "dismissed"
    return f"{verdict} by {event['auditor']}, reason {short_hash(bytes.fromhex(event['reasonHash'][2:]))}"
