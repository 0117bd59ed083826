"""`rnd-registry commercialization`: a company reports sales, investment, royalties and jobs per
year (openly, or committed as a hash and disclosed later); an auditor verifies or disputes them."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from registry.chain.client import Operation, RegistryClient, commitment_of
from registry.cli.context import (
    AccountOption,
    DevKeyOption,
    JsonOption,
    PasswordFileOption,
    PublicOption,
    Signer,
    document_hash,
    open_client,
    run,
    short_hash,
    store_document,
    won,
)
from registry.cli.outcome import jsonable, show_history
from registry.cli.output import console, describe_invalid, emit, user_errors, warn
from registry.domain.enums import ReportStatus
from registry.domain.money import format_won, format_won_korean
from registry.domain.records import CommercializationFigures, CommercializationReport
from registry.domain.types import Hash32
from registry.errors import ContractRevert, RegistryError

app = typer.Typer(
    help="Commercialization results per project and year: sales, investment attracted, royalties, jobs created."
)

REPORT_EVENTS = (
    "CommercializationReported",
    "CommercializationCommitted",
    "CommercializationRevealed",
    "CommercializationVerified",
    "CommercializationDisputed",
)
REVEAL_FORMAT: Literal["rnd-registry-commercialization-reveal/1"] = "rnd-registry-commercialization-reveal/1"


ProjectArgument = Annotated[int, typer.Argument(help="The project's number.", metavar="PROJECT")]
ReportArgument = Annotated[int, typer.Argument(help="The report's number.", metavar="REPORT")]
YearOption = Annotated[int, typer.Option(min=2000, max=2100, help="The year the figures are for, e.g. 2022.")]
SalesOption = Annotated[
    int, typer.Option(parser=won, metavar="WON", help="Sales revenue in won: 350000000, 350,000,000 or 3.5억.")
]
InvestmentOption = Annotated[
    int, typer.Option(parser=won, metavar="WON", help="Investment attracted, in won, e.g. 5억.")
]
RoyaltiesOption = Annotated[
    int, typer.Option(parser=won, metavar="WON", help="Technology-transfer royalties received, in won.")
]
JobsOption = Annotated[int, typer.Option(min=0, help="People hired thanks to the project (headcount).")]
EvidenceOption = Annotated[
    Path, typer.Option(help="The evidence document (financial statement, contracts...); its hash is recorded.")
]


class RevealFile(BaseModel):
    """What a company keeps private after committing: the hidden figures and the salt that opens them."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True, extra="forbid")

    format: Literal["rnd-registry-commercialization-reveal/1"] = REVEAL_FORMAT
    notice: str = ""
    chain_id: int
    project_id: int
    year: int
    figures: CommercializationFigures
    salt: Hash32
    commitment: Hash32


def show_report(report: CommercializationReport) -> None:
    console.print(
        f"report [bold]{report.report_id}[/bold]: project {report.project_id}, {report.year} — "
        f"{report.status.name.lower()}"
    )
    if report.status == ReportStatus.COMMITTED:
        console.print(f"  figures hidden until the company discloses them; commitment {short_hash(report.commitment)}")
    else:
        f = report.figures
        console.print(
            f"  sales {_amount(f.sales)} · investment {_amount(f.investment)} · royalties {_amount(f.royalties)} "
            f"· jobs {f.jobs:,}"
        )
    console.print(f"  evidence {short_hash(report.evidence_hash)}, recorded {report.recorded_at:%Y-%m-%d %H:%M} UTC")


def _amount(value: int) -> str:
    return format_won(value) if value == 0 else f"{format_won(value)} ({format_won_korean(value)})"


@app.command()
def report(
    project_id: ProjectArgument,
    year: YearOption,
    evidence: EvidenceOption,
    sales: SalesOption = 0,
    investment: InvestmentOption = 0,
    royalties: RoyaltiesOption = 0,
    jobs: JobsOption = 0,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Report a year's commercialization figures of your company's project, in the open (company).

    Example: rnd-registry commercialization report 1 --year 2022 --sales 3.5억 --jobs 4 --evidence fs-2022.pdf -a acme
    """
    with user_errors():
        figures = CommercializationFigures(sales=sales, investment=investment, royalties=royalties, jobs=jobs)
        evidence_hash = store_document(evidence)
        run(Signer(account, dev_key, password_file),
            lambda c: c.ops.report_commercialization(project_id, year, figures, evidence_hash),
            as_json=as_json, show=show_report)  # fmt: skip


@app.command()
def commit(
    project_id: ProjectArgument,
    year: YearOption,
    evidence: EvidenceOption,
    sales: SalesOption = 0,
    investment: InvestmentOption = 0,
    royalties: RoyaltiesOption = 0,
    jobs: JobsOption = 0,
    reveal_file: Annotated[
        Path | None,
        typer.Option(help="Where to keep the figures and salt; report-<project>-<year>.reveal.json if left out."),
    ] = None,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Commit to a year's figures without disclosing them yet: only their hash goes on chain (company).

    The figures and a random salt are written to a local reveal file.
    Keep it private until you disclose the figures with `commercialization reveal`: without it nobody can.

    Example: rnd-registry commercialization commit 1 --year 2022 --sales 3.5억 --jobs 4 --evidence fs-2022.pdf -a acme
    """
    with user_errors():
        figures = CommercializationFigures(sales=sales, investment=investment, royalties=royalties, jobs=jobs)
        path = reveal_file or Path(f"report-{project_id}-{year}.reveal.json")
        if path.exists():
            raise RegistryError(
                f"{path} already exists and may hold the salt of an earlier commitment; "
                "move it somewhere safe or choose another file with --reveal-file"
            )
        evidence_hash = store_document(evidence)
        salt = secrets.token_bytes(32)
        commitment = commitment_of(project_id, year, figures, salt)

        def build(client: RegistryClient) -> Operation[CommercializationReport]:
            operation = client.ops.commit_commercialization(project_id, year, commitment, evidence_hash)
            # Written before anything is sent: a commitment whose salt was lost can never be disclosed.
            _write_private(
                path,
                RevealFile(
                    notice="Keep this file private until you disclose these figures; whoever holds it can "
                    "disclose them, and without it nobody can.",
                    chain_id=client.manifest.chain_id,
                    project_id=project_id,
                    year=year,
                    figures=figures,
                    salt=salt,
                    commitment=commitment,
                ),
            )
            return operation

        try:
            run(Signer(account, dev_key, password_file), build, as_json=as_json, show=show_report)
        except ContractRevert:
            path.unlink(missing_ok=True)  # the registry refused: no commitment needs this salt
            raise
        warn(
            f"keep {path} private until you disclose the figures with "
            f"`rnd-registry commercialization reveal REPORT --reveal-file {path}`; without it they cannot be disclosed"
        )


@app.command()
def reveal(
    report_id: ReportArgument,
    reveal_file: Annotated[Path, typer.Option(help="The reveal file written by `commercialization commit`.")],
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Disclose the figures of a committed report; the registry checks them against the commitment (company).

    Example: rnd-registry commercialization reveal 3 --reveal-file report-1-2022.reveal.json --account acme
    """
    with user_errors():
        kept = read_reveal_file(reveal_file)

        def build(client: RegistryClient) -> Operation[CommercializationReport]:
            committed = client.report(report_id)
            if kept.chain_id != client.manifest.chain_id:
                raise RegistryError(f"{reveal_file} was made on chain {kept.chain_id}, not this registry's chain")
            if (committed.project_id, committed.year) != (kept.project_id, kept.year):
                raise RegistryError(
                    f"{reveal_file} holds figures of project {kept.project_id} for {kept.year}, but report "
                    f"{report_id} is project {committed.project_id}'s for {committed.year}"
                )
            if committed.status != ReportStatus.COMMITTED:
                raise RegistryError(
                    f"report {report_id} is {committed.status.name.lower()}, not committed: it has no hidden "
                    "figures to disclose"
                )
            if commitment_of(kept.project_id, kept.year, kept.figures, kept.salt) != committed.commitment:
                raise RegistryError(
                    f"the figures and salt in {reveal_file} do not match what report {report_id} committed to; "
                    "use the reveal file written when this report was committed"
                )
            return client.ops.reveal_commercialization(report_id, kept.figures, kept.salt)

        run(Signer(account, dev_key, password_file), build, as_json=as_json, show=show_report)


@app.command()
def verify(
    report_id: ReportArgument,
    note: Annotated[Path | None, typer.Option(help="Verification note document; its hash is recorded.")] = None,
    note_text: Annotated[str | None, typer.Option(help="A short note typed here instead of a document.")] = None,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Confirm a report's figures after checking the evidence (auditor).

    Example: rnd-registry commercialization verify 3 --note-text "matches the audited statements" -a auditor
    """
    with user_errors():
        note_hash = document_hash(
            note, note_text, name="verification-note.txt", required=False, what="note", public=public
        )
        run(Signer(account, dev_key, password_file), lambda c: c.ops.verify_report(report_id, note_hash),
            as_json=as_json, show=show_report)  # fmt: skip


@app.command()
def dispute(
    report_id: ReportArgument,
    reason: Annotated[Path | None, typer.Option(help="Document stating why; its hash is recorded.")] = None,
    reason_text: Annotated[str | None, typer.Option(help="A short reason typed here instead of a document.")] = None,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Dispute a report; the company may then file a corrected one for the same year (auditor).

    Example: rnd-registry commercialization dispute 3 --reason-text "sales include another product line" -a auditor
    """
    with user_errors():
        reason_hash = document_hash(
            reason, reason_text, name="dispute-reason.txt", required=True, what="reason", public=public
        )
        assert reason_hash is not None
        run(Signer(account, dev_key, password_file), lambda c: c.ops.dispute_report(report_id, reason_hash),
            as_json=as_json, show=show_report)  # fmt: skip


@app.command()
def show(report_id: ReportArgument, as_json: JsonOption = False) -> None:
    """Show a report and its history (reported or committed, disclosed, verified, disputed) from the chain (anyone).

    Example: rnd-registry commercialization show 3
    """
    with user_errors():
        client = open_client()
        found = client.report(report_id)
        latest = int(client.read(client.outcomes.functions.latestReport(found.project_id, found.year)))
        history = [jsonable(e) for e in client.history(client.outcomes, REPORT_EVENTS, {"reportId": report_id})]

    def text() -> None:
        show_report(found)
        if latest != report_id:
            console.print(f"  replaced by report {latest} for the same project and year")
        show_history(history, describe_report_event)

    emit(
        {"report": found.model_dump(mode="json"), "latestReportId": latest, "history": history},
        as_json=as_json,
        text=text,
    )


def describe_report_event(event: dict[str, Any]) -> str:
    """One line saying what a commercialization event recorded."""
    name: str = event["event"]
    if name in ("CommercializationReported", "CommercializationRevealed"):
        f = CommercializationFigures.model_validate(event["figures"])
        verb = "reported" if name == "CommercializationReported" else "disclosed"
        return (f"{verb} sales {format_won(f.sales)}, investment {format_won(f.investment)}, "
                f"royalties {format_won(f.royalties)}, jobs {f.jobs:,}")  # fmt: skip
    if name == "CommercializationCommitted":
        return f"committed hidden {event['year']} figures, commitment {_short(event['commitment'])}"
    if name == "CommercializationVerified":
        note = event["noteHash"]
        return "verified" + ("" if int(note, 16) == 0 else f", note {_short(note)}")
    if name == "CommercializationDisputed":
        return f"disputed, reason {_short(event['reasonHash'])}"
    return name


def _short(value: str) -> str:
    return value[:10] + "…" + value[-6:]


def read_reveal_file(path: Path) -> RevealFile:
    """The reveal file at `path`, checked; a one-line reason if it is missing or not one."""
    try:
        content: Any = json.loads(path.read_text())
    except FileNotFoundError:
        raise RegistryError(f"cannot read {path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegistryError(f"{path} is not a reveal file ({exc})") from None
    if not isinstance(content, dict) or content.get("format") != REVEAL_FORMAT:
        raise RegistryError(f"{path} is not a reveal file written by `rnd-registry commercialization commit`")
    try:
        return RevealFile.model_validate(content)
    except ValidationError as exc:
        problems = describe_invalid(exc).removeprefix("invalid input: ")
        raise RegistryError(f"{path} is not a valid reveal file: {problems}") from None


def _write_private(path: Path, kept: RevealFile) -> None:
    """Writes the reveal file readable by its owner only, refusing to replace an existing one."""
    text = kept.model_dump_json(by_alias=True, indent=2) + "\n"
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise RegistryError(f"{path} already exists and may hold the salt of an earlier commitment") from None
    except OSError as exc:
        raise RegistryError(f"cannot write {path}: {exc.strerror}") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
