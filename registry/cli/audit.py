"""`rnd-registry audit`: record a project's final evaluation with its sanctions (auditor), and
look evaluations up (anyone)."""

from __future__ import annotations

from datetime import datetime
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
    day,
    open_client,
    run,
    store_document,
    won,
)
from registry.cli.output import console, emit, listing, user_errors
from registry.domain.enums import Grade
from registry.domain.money import format_won
from registry.domain.records import Audit, AuditResult

app = typer.Typer(help="Evaluations and audits of projects: grade, findings, clawbacks and participation bans.")


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

    Example: rnd-registry audit record 3 --grade poor --findings findings.pdf --clawback 5천만 --restrict-until 2023-12-31 --account auditor
    """  # noqa: E501
    with user_errors():
        result = AuditResult(
            grade=grade_,
            findings_hash=store_document(findings, public=public),
            clawback_amount=clawback or 0,
            restricted_until=restrict_until,
        )
        run(Signer(account, dev_key, password_file), lambda c: c.ops.record_audit(project_id, result),
            as_json=as_json, show=show_audit)  # fmt: skip


@app.command()
def show(
    audit_id: Annotated[int, typer.Argument(min=1, max=2**32 - 1, help="The audit's number.")],
    as_json: JsonOption = False,
) -> None:
    """Show one evaluation, read from the chain (anyone).

    Example: rnd-registry audit show 1
    """
    with user_errors():
        audit = open_client().audit(audit_id)
    emit(audit.model_dump(mode="json"), as_json=as_json, text=lambda: show_audit(audit))


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

    def text() -> None:
        if not audits:
            console.print("no evaluations yet")
            return
        table = listing("#", "project", "grade", "clawback", "restricted until", "recorded", money=("clawback",))
        for a in audits:
            until = f"{a.restricted_until:%Y-%m-%d}" if a.restricted_until else "—"
            table.add_row(str(a.audit_id), str(a.project_id), grade_name(a.grade), format_won(a.clawback_amount),
                          until, f"{a.recorded_at:%Y-%m-%d}")  # fmt: skip
        console.print(table)

    emit([a.model_dump(mode="json") for a in audits], as_json=as_json, text=text)
