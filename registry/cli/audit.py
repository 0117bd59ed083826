"""`rnd-registry audit`: record a project's final evaluation with its sanctions (auditor), and
look evaluations up (anyone)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

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
    open_client,
    run,
    store_document,
    won,
)
from registry.cli.output import console, emit, listing, user_errors
from registry.cli.project import describe_objection
from registry.domain.enums import Grade, ObjectionStatus, ObjectionSubject, SanctionStatus
from registry.domain.money import format_won
from registry.domain.records import Audit, AuditResult, Objection, Record, Sanction
from registry.errors import RegistryError

app = typer.Typer(
    help="Evaluations and audits of projects: grade, findings, clawbacks and participation bans; a sanction "
    "takes effect once a second auditor confirms it."
)

AuditArgument = Annotated[int, typer.Argument(min=1, max=2**32 - 1, help="The audit's number.")]


def grade_name(grade: Grade) -> str:
    return grade.name.lower().replace("_", "-")


GRADE_NAMES = ", ".join(grade_name(g) for g in Grade if g is not Grade.NONE)


def grade(text: str) -> Grade:
    """Parses a grade argument (typer parser): `excellent`, `good`, `fair`, `poor` or `very-poor`."""
    key = text.strip().upper().replace("-", "_").replace(" ", "_")
    if key not in Grade.__members__ or key == Grade.NONE.name:
        raise typer.BadParameter(f"{text!r} is not a grade; the grades are {GRADE_NAMES}")
    return Grade[key]


def show_audit(audit: Audit) -> None:
    sanctions = []
    if audit.clawback_amount:
        sanctions.append(f"clawback {format_won(audit.clawback_amount)}")
    if audit.restricted_until is not None:
        sanctions.append(f"no new grants until {audit.restricted_until:%Y-%m-%d}")
    console.print(
        f"audit [bold]{audit.audit_id}[/bold] of project {audit.project_id} — grade {grade_name(audit.grade)}, "
        f"{', '.join(sanctions) or 'no sanctions'}\n"
        f"  findings 0x{audit.findings_hash.hex()}\n"
        f"  recorded {audit.recorded_at:%Y-%m-%d %H:%M} UTC by {audit.auditor}",
        soft_wrap=True,
    )


def sanction_words(sanction: Sanction, quorum: int | None = None) -> str:
    """Where an evaluation's sanction stands, in a few words."""
    if sanction.status is SanctionStatus.NONE:
        return "no sanction"
    of = f" of {quorum}" if quorum else ""
    count = f"{sanction.confirmations}{of} confirmation(s)"
    if sanction.status is SanctionStatus.PENDING:
        held = f", held by open objection {sanction.held_by_objection}" if sanction.held_by_objection else ""
        return f"sanction [bold yellow]pending[/bold yellow] ({count}{held})"
    if sanction.status is SanctionStatus.IN_EFFECT:
        return f"sanction in effect ({count})"
    return "sanction cancelled (an objection to the evaluation was upheld)"


def evaluation_objections(client: RegistryClient, audit: Audit) -> list[Objection]:
    """The objections filed against an evaluation, oldest first."""
    events = client.history(client.outcomes, ["ObjectionFiled"], {"projectId": audit.project_id})
    return [
        client.objection(int(e["objectionId"]))
        for e in events
        if e["subject"] == ObjectionSubject.EVALUATION and e["subjectId"] == audit.audit_id
    ]


@app.command()
def record(
    project_id: Annotated[int, typer.Argument(min=1, max=2**32 - 1, help="The project evaluated.")],
    grade_: Annotated[Grade, typer.Option("--grade", parser=grade, metavar="GRADE", help=f"The grade: {GRADE_NAMES}.")],
    findings: Annotated[Path, typer.Option(help="The findings document; its SHA-256 is recorded.")],
    clawback: Annotated[
        int | None,
        typer.Option(
            parser=won, metavar="WON", help="Funds to claw back, in won (e.g. 5천만); the project becomes clawed back."
        ),
    ] = None,
    restrict_until: Annotated[
        datetime | None,
        typer.Option(
            parser=day, metavar="YYYY-MM-DD", help="Bar the company from new grants until this day, YYYY-MM-DD."
        ),
    ] = None,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a project's evaluation: grade, findings and any sanctions (auditor).

    A clawback or a restriction is pending when recorded: it takes effect once other auditors confirm it
    (`rnd-registry audit confirm`), as many as the registry's quorum asks, the recorder counting as one.
    The program's rules bound both (its largest clawback percent and longest restriction).

    Example: rnd-registry audit record 3 --grade poor --findings findings.pdf --clawback 5천만 --restrict-until 2023-12-31 --account auditor
    """  # noqa: E501
    with user_errors():
        result = AuditResult(
            grade=grade_,
            findings_hash=store_document(findings, public=public),
            clawback_amount=clawback or 0,
            restricted_until=restrict_until,
        )
        quorum: list[int] = []

        def build(c: RegistryClient) -> Operation[Audit]:
            quorum.append(c.sanction_quorum())
            return c.ops.record_audit(project_id, result)

        def show(audit: Audit) -> None:
            show_audit(audit)
            if audit.clawback_amount or audit.restricted_until is not None:
                console.print(
                    f"  sanction pending: it takes effect once {quorum[-1] - 1} other auditor(s) confirm it with "
                    f"`rnd-registry audit confirm {audit.audit_id}`"
                )

        run(Signer(account, dev_key, password_file), build, as_json=as_json, show=show)


@app.command()
def confirm(
    audit_id: AuditArgument,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Confirm the pending sanction of another auditor's evaluation (auditor, not its recorder).

    The confirmation that reaches the registry's quorum puts the sanction into effect: a clawback claws
    the project back and returns its unpaid grant to the program; a restriction bars the company. An
    objection still open against the evaluation holds it until resolved.

    Example: rnd-registry audit confirm 4 --account park-auditor
    """
    with user_errors():
        quorum: list[int] = []

        def build(c: RegistryClient) -> Operation[Sanction]:
            sanction = c.sanction(audit_id)
            c.audit(audit_id)  # an unknown evaluation is said as such
            if sanction.status is SanctionStatus.NONE:
                raise RegistryError(
                    f"evaluation {audit_id} set no clawback or restriction: there is nothing to confirm"
                )
            if sanction.status is not SanctionStatus.PENDING:
                state = "in effect" if sanction.status is SanctionStatus.IN_EFFECT else "cancelled"
                raise RegistryError(f"the sanction of evaluation {audit_id} is already {state}; nothing was changed")
            quorum.append(c.sanction_quorum())
            return c.ops.confirm_sanction(audit_id)

        run(Signer(account, dev_key, password_file), build, as_json=as_json,
            show=lambda s: console.print(f"  evaluation {audit_id}: {sanction_words(s, quorum[-1])}"))  # fmt: skip


@app.command()
def quorum(
    confirmations: Annotated[
        int | None,
        typer.Argument(
            metavar="N", min=2, max=255, help="Auditors a sanction needs, the recorder included (2 or more)."
        ),
    ] = None,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show how many auditors a sanction needs, or set it (admin); a new quorum applies to confirmations
    from then on.

    Example: rnd-registry audit quorum
    Example: rnd-registry audit quorum 3 --account city-admin
    """
    with user_errors():
        if confirmations is None:
            current = open_client().sanction_quorum()
            emit({"quorum": current}, as_json=as_json,
                 text=lambda: console.print(f"a sanction needs {current} auditors, the recorder included"))  # fmt: skip
            return
        wanted = confirmations

        def build(c: RegistryClient) -> Operation[Record]:
            if c.sanction_quorum() == wanted:
                raise RegistryError(f"a sanction already needs {wanted} auditors; nothing was changed")
            return c.ops.set_sanction_quorum(wanted)

        def show(_record: Record) -> None:
            console.print(f"  a sanction now needs {wanted} auditors, the recorder included")

        run(Signer(account, dev_key, password_file), build, as_json=as_json, show=show)


@app.command()
def show(audit_id: AuditArgument, as_json: JsonOption = False) -> None:
    """Show one evaluation with where its sanction stands and any objections to it, read from the chain
    (anyone).

    Example: rnd-registry audit show 1
    """
    with user_errors():
        client = open_client()
        audit = client.audit(audit_id)
        sanction = client.sanction(audit_id)
        needed = client.sanction_quorum()
        objections = evaluation_objections(client, audit)

    def text() -> None:
        show_audit(audit)
        console.print(f"  {sanction_words(sanction, needed)}")
        for objection in objections:
            console.print("  " + describe_objection(objection), soft_wrap=True)

    data = {
        **audit.model_dump(mode="json"),
        "sanction": {**sanction.model_dump(mode="json"), "quorum": needed},
        "objections": [o.model_dump(mode="json") for o in objections],
        "openObjections": sum(o.status is ObjectionStatus.OPEN for o in objections),
    }
    emit(data, as_json=as_json, text=text)


@app.command(name="list")
def list_audits(
    project_id: Annotated[
        int | None, typer.Option("--project", min=1, max=2**32 - 1, help="Only the evaluations of this project.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List evaluations, all or those of one project, read from the chain (anyone).

    Example: rnd-registry audit list --project 3
    """
    with user_errors():
        client = open_client()
        if project_id is not None:
            client.project(project_id)  # an unknown project is an error, not an empty list
        audits = [client.audit(i) for i in range(1, client.counts()["audits"] + 1)]
        audits = [a for a in audits if project_id is None or a.project_id == project_id]
        sanctions = {a.audit_id: client.sanction(a.audit_id) for a in audits}

    def text() -> None:
        if not audits:
            console.print("no evaluations yet")
            return
        table = listing("#", "project", "grade", "clawback", "restricted until", "sanction", "recorded",
                        money=("clawback",))  # fmt: skip
        for a in audits:
            until = f"{a.restricted_until:%Y-%m-%d}" if a.restricted_until else "—"
            state = sanctions[a.audit_id].status.name.lower().replace("_", " ")
            table.add_row(str(a.audit_id), str(a.project_id), grade_name(a.grade), format_won(a.clawback_amount),
                          until, state, f"{a.recorded_at:%Y-%m-%d}")  # fmt: skip
        console.print(table)

    emit([{**a.model_dump(mode="json"), "sanction": sanctions[a.audit_id].model_dump(mode="json")} for a in audits],
         as_json=as_json, text=text)  # fmt: skip
