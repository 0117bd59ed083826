"""`rnd-registry outcome` and `rnd-registry ip`: a company records its R&D outcomes (patents, papers,
software...), corrects or withdraws them, and follows the status of the rights they carry."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from enum import IntEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.markup import escape
from web3 import Web3

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
    short_hash,
    store_document,
    won,
)
from registry.cli.output import console, emit, user_errors
from registry.domain.enums import IpStatus, OutcomeType
from registry.domain.money import format_won
from registry.domain.outcome_details import InvalidOutcomeDetails, check_outcome_details
from registry.domain.records import Outcome, OutcomeDetails
from registry.domain.text import visible_bidi

app = typer.Typer(help="R&D outcomes of a project: record, correct, withdraw and look them up (company staff).")
ip_app = typer.Typer(
    help="Intellectual-property status of an outcome: filed, registered, licensed, transferred, lapsed."
)

EnumT = TypeVar("EnumT", bound=IntEnum)

OUTCOME_EVENTS = ("OutcomeAdded", "OutcomeAmended", "OutcomeRevocation", "IpStatusChanged")


def spoken(member: IntEnum) -> str:
    """An enum member as people write it on the command line: `patent-application`."""
    return member.name.lower().replace("_", "-")


def _choices(enum: type[IntEnum]) -> list[str]:
    return [spoken(m) for m in enum if m.value != 0]


def _enum_parser(enum: type[EnumT], what: str) -> Callable[[str], EnumT]:
    def parse(text: str) -> EnumT:
        wanted = text.strip().lower().replace("_", "-").replace(" ", "-")
        for member in enum:
            if member.value != 0 and spoken(member) == wanted:
                return member
        raise typer.BadParameter(f"{text!r} is not {what}; choose one of {', '.join(_choices(enum))}")

    return parse


outcome_type = _enum_parser(OutcomeType, "an outcome type")
ip_status = _enum_parser(IpStatus, "an IP status")

OutcomeArgument = Annotated[int, typer.Argument(help="The outcome's number.", metavar="OUTCOME")]
TypeOption = Annotated[
    OutcomeType | None,
    typer.Option("--type", parser=outcome_type, metavar="TYPE",
                 help=f"Corrected category ({', '.join(_choices(OutcomeType))}); the original's if left out."),
]  # fmt: skip
ExternalIdOption = Annotated[
    str | None,
    typer.Option("--id", help="Patent or registration number, DOI...: e.g. 10-2021-0123456; none if left out."),
]
VenueOption = Annotated[
    str | None,
    typer.Option("--venue", "--journal", "--body",
                 help="A paper's journal (--journal), a certification's certifying body (--body), else where it is "
                      "registered."),
]  # fmt: skip
CountryOption = Annotated[
    str | None,
    typer.Option("--country", help="Country of a patent or plant variety: ISO 3166 code (KR, US, JP...; EP, WO for "
                                   "a regional or PCT filing); KR when left out."),
]  # fmt: skip
LicenseeOption = Annotated[
    str | None,
    typer.Option("--licensee", "--counterparty",
                 help="A technology transfer's licensee: its name, or 0x and 64 hex digits to keep it private."),
]  # fmt: skip
DateOption = Annotated[
    datetime | None,
    typer.Option("--date", "--contract-date", parser=day, metavar="YYYY-MM-DD",
                 help="A technology transfer's contract date (--contract-date); else the publication, filing or "
                      "registration date."),
]  # fmt: skip
FeeOption = Annotated[
    int | None,
    typer.Option("--fee", parser=won, metavar="WON", help="A technology transfer's fee (기술료), in won: 3천만."),
]
SciOption = Annotated[
    bool | None, typer.Option("--sci/--no-sci", help="Whether a paper's journal is indexed in SCI or SCIE.")
]
ReasonOption = Annotated[Path | None, typer.Option("--reason", help="Document explaining why; its hash is recorded.")]
ReasonTextOption = Annotated[
    str | None, typer.Option("--reason-text", help="A short reason typed here instead of a document.")
]


def show_outcome(outcome: Outcome, details: OutcomeDetails | None = None) -> None:
    state = "revoked" if outcome.revoked else "superseded" if outcome.amended_by else "current"
    console.print(
        f"outcome [bold]{outcome.outcome_id}[/bold]: {spoken(outcome.outcome_type)} "
        f"{escape(visible_bidi(outcome.external_id)) or '(no identifier)'} of project {outcome.project_id} — {state}",
        highlight=False,
    )
    if details is not None and details != OutcomeDetails():
        console.print("  " + describe_details(outcome.outcome_type, details), soft_wrap=True, highlight=False)
    facts = [f"IP status {spoken(outcome.ip_status) if outcome.ip_status else 'none'}"]
    facts.append(f"evidence {short_hash(outcome.evidence_hash)}")
    facts.append(f"recorded {outcome.recorded_at:%Y-%m-%d %H:%M} UTC")
    console.print("  " + ", ".join(facts))
    if outcome.amends:
        console.print(f"  corrects outcome {outcome.amends}")
    if outcome.amended_by:
        console.print(f"  corrected by outcome {outcome.amended_by}: act on that one")


def describe_details(outcome_type: OutcomeType, details: OutcomeDetails) -> str:
    """An outcome's details as its type names them: journal and SCI(E) for a paper, licensee and fee for a
    technology transfer..."""
    venue = {OutcomeType.PAPER: "journal", OutcomeType.CERTIFICATION: "certified by"}.get(outcome_type, "at")
    when = "contract date" if outcome_type is OutcomeType.TECHNOLOGY_TRANSFER else "date"
    parts = [
        f"{venue} {escape(visible_bidi(details.venue))}" if details.venue else "",
        "SCI(E)-indexed" if details.sci_indexed else "",
        f"country {details.country}" if details.country else "",
        f"licensee {escape(visible_bidi(details.counterparty))}" if details.counterparty else "",
        f"{when} {details.date:%Y-%m-%d}" if details.date else "",
        f"fee {format_won(details.amount)}" if details.amount else "",
    ]
    return ", ".join(part for part in parts if part)


def recorded_details(client: RegistryClient, outcome_id: int) -> OutcomeDetails:
    """The details recorded with an outcome (an event only: nothing on chain reads them)."""
    events = client.history(client.outcomes, ["OutcomeDetailsRecorded"], {"outcomeId": outcome_id})
    if not events:
        return OutcomeDetails()
    raw = events[-1]["details"]
    fields = [raw[k] for k in _DETAIL_FIELDS] if isinstance(raw, Mapping) else list(raw)
    venue, country, counterparty, date, amount, sci = fields
    return OutcomeDetails(
        venue=venue, country=country, counterparty=counterparty, date=date or None, amount=amount, sci_indexed=sci
    )


def checked_details(kind: OutcomeType, external_id: str, details: OutcomeDetails) -> tuple[str, OutcomeDetails]:
    """`check_outcome_details`, its refusal a usage error naming the option (exit 2, nothing sent)."""
    try:
        return check_outcome_details(kind, external_id, details)
    except InvalidOutcomeDetails as exc:
        raise typer.BadParameter(exc.problem, param_hint=exc.option) from None


#: The fields of `OutcomeDetails` on chain, in order (an event's struct arrives by name).
_DETAIL_FIELDS = ("venue", "country", "counterparty", "date", "amount", "sciIndexed")


def given_details(
    base: OutcomeDetails,
    venue: str | None,
    country: str | None,
    licensee: str | None,
    date: datetime | None,
    fee: int | None,
    sci: bool | None,
) -> OutcomeDetails:
    """`base` with the details given on the command line in place of its own; unchecked, for
    `check_outcome_details` to check and say what is wrong in the options' words."""
    return OutcomeDetails.model_construct(
        venue=base.venue if venue is None else venue,
        country=base.country if country is None else country,
        counterparty=base.counterparty if licensee is None else licensee,
        date=base.date if date is None else date,
        amount=base.amount if fee is None else fee,
        sci_indexed=base.sci_indexed if sci is None else sci,
    )


@app.command()
def add(
    project_id: Annotated[int, typer.Argument(help="The project's number.", metavar="PROJECT")],
    kind: Annotated[
        OutcomeType,
        typer.Option(
            "--type", parser=outcome_type, metavar="TYPE", help=f"Outcome category: {', '.join(_choices(OutcomeType))}."
        ),
    ],
    evidence: Annotated[
        Path, typer.Option(help="The evidence document (filing receipt, paper...); its hash is recorded.")
    ],
    external_id: ExternalIdOption = None,
    venue: VenueOption = None,
    country: CountryOption = None,
    licensee: LicenseeOption = None,
    date: DateOption = None,
    fee: FeeOption = None,
    sci: SciOption = None,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record an R&D outcome of your company's project, with what identifies it for its type (company).

    Each type has its identifier and details, checked before anything is sent: a paper its DOI (--id),
    journal (--journal) and --sci if SCI(E)-indexed; a patent application or registration its KIPO number
    (10-YYYY-NNNNNNN, 10-NNNNNNN) or, with --country, another office's; software its registration number
    (C-YYYY-NNNNNN); a plant variety its registration number; a technology transfer its --contract-date,
    --licensee and --fee; a certification its certificate number and --body (registry/domain/outcome_details.json).

    Example: rnd-registry outcome add 1 --type patent-application --id 10-2021-0123456 --evidence receipt.pdf -a acme
    Example: rnd-registry outcome add 1 --type paper --id https://doi.org/10.1038/s41586-021-03819-2 --journal Nature --sci --evidence paper.pdf -a acme
    Example: rnd-registry outcome add 1 --type technology-transfer --contract-date 2022-03-02 --licensee "(주)가온테크" --fee 3천만 --evidence contract.pdf -a acme
    """  # noqa: E501
    with user_errors():
        details = given_details(OutcomeDetails(), venue, country, licensee, date, fee, sci)
        identifier, checked = checked_details(kind, external_id or "", details)
        evidence_hash = store_document(evidence)
        run(Signer(account, dev_key, password_file),
            lambda c: c.ops.add_outcome(project_id, kind, identifier, evidence_hash, checked),
            as_json=as_json, show=lambda o: show_outcome(o, checked))  # fmt: skip


@app.command()
def amend(
    outcome_id: OutcomeArgument,
    kind: TypeOption = None,
    external_id: ExternalIdOption = None,
    evidence: Annotated[
        Path | None, typer.Option(help="The corrected evidence document; the original's if left out.")
    ] = None,
    venue: VenueOption = None,
    country: CountryOption = None,
    licensee: LicenseeOption = None,
    date: DateOption = None,
    fee: FeeOption = None,
    sci: SciOption = None,
    reason: ReasonOption = None,
    reason_text: ReasonTextOption = None,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Correct an outcome: records a new outcome that points at the original, which stays visible (company).

    Whatever you leave out (type, identifier, details, evidence) is copied from the original; the details
    only when the type stays the same, since each type has its own. The correction is checked as `outcome
    add` checks an outcome, before anything is sent.

    Example: rnd-registry outcome amend 4 --id 10-2021-0123457 --reason-text "typo in the number" --account acme
    """
    with user_errors():
        reason_hash = document_hash(
            reason, reason_text, name="amendment-reason.txt", required=True, what="reason", public=public
        )
        evidence_hash = store_document(evidence) if evidence else None
        assert reason_hash is not None

        recorded: list[OutcomeDetails] = []

        def build(client: RegistryClient) -> Operation[Outcome]:
            original = client.outcome(outcome_id)
            corrected = kind or original.outcome_type
            same_type = corrected is original.outcome_type
            base = recorded_details(client, outcome_id) if same_type else OutcomeDetails()
            details = given_details(base, venue, country, licensee, date, fee, sci)
            identifier = original.external_id if external_id is None else external_id
            identifier, checked = checked_details(corrected, identifier, details)
            recorded.append(checked)
            return client.ops.amend_outcome(
                outcome_id, corrected, identifier, evidence_hash or original.evidence_hash, reason_hash, checked
            )

        run(Signer(account, dev_key, password_file), build, as_json=as_json,
            show=lambda o: show_outcome(o, recorded[-1]))  # fmt: skip


@app.command()
def revoke(
    outcome_id: OutcomeArgument,
    reason: ReasonOption = None,
    reason_text: ReasonTextOption = None,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Withdraw an outcome; the record stays, marked revoked, with the reason (company or auditor).

    Example: rnd-registry outcome revoke 4 --reason-text "application withdrawn before examination" --account acme
    """
    with user_errors():
        reason_hash = document_hash(
            reason, reason_text, name="revocation-reason.txt", required=True, what="reason", public=public
        )
        assert reason_hash is not None
        run(Signer(account, dev_key, password_file), lambda c: c.ops.revoke_outcome(outcome_id, reason_hash),
            as_json=as_json, show=show_outcome)  # fmt: skip


@app.command()
def show(outcome_id: OutcomeArgument, as_json: JsonOption = False) -> None:
    """Show an outcome with its corrections and IP status history, read from the chain (anyone).

    Example: rnd-registry outcome show 4
    """
    with user_errors():
        client = open_client()
        outcome = client.outcome(outcome_id)
        details = recorded_details(client, outcome_id)
        chain = amendment_chain(client, outcome)
        history = [
            jsonable(e)
            for e in client.history(client.outcomes, OUTCOME_EVENTS, {"outcomeId": [o.outcome_id for o in chain]})
        ]

    def text() -> None:
        show_outcome(outcome, details)
        if len(chain) > 1:
            steps = [f"[bold]{o.outcome_id}[/bold]" if o.outcome_id == outcome_id else str(o.outcome_id) for o in chain]
            console.print(f"  amendment chain: {' → '.join(steps)} (oldest first; the last is current)")
        statuses = [e for e in history if e["event"] == "IpStatusChanged"]
        if statuses:
            path = [spoken(IpStatus(statuses[0]["from"]))] + [spoken(IpStatus(e["to"])) for e in statuses]
            console.print(f"  IP status history: {' → '.join(path)}")
        show_history(history, describe_outcome_event)

    emit(
        {
            "outcome": outcome.model_dump(mode="json"),
            "details": details.model_dump(mode="json"),
            "amendmentChain": [o.model_dump(mode="json") for o in chain],
            "history": history,
        },
        as_json=as_json,
        text=text,
    )


@ip_app.command()
def update(
    outcome_id: OutcomeArgument,
    status: Annotated[
        IpStatus,
        typer.Option(parser=ip_status, metavar="STATUS", help=f"The new status: {', '.join(_choices(IpStatus))}."),
    ],
    evidence: Annotated[
        Path, typer.Option(help="Supporting document (registration certificate, license contract...).")
    ],
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a change in the IP status of a patent, software, plant variety or technology transfer (company).

    Rights move forward: filed, then registered; licensed or transferred at any stage; lapsed is final.

    Example: rnd-registry ip update 4 --status registered --evidence registration-certificate.pdf --account acme
    """
    with user_errors():
        evidence_hash = store_document(evidence)
        run(Signer(account, dev_key, password_file),
            lambda c: c.ops.update_ip_status(outcome_id, status, evidence_hash),
            as_json=as_json, show=show_outcome)  # fmt: skip


def show_history(history: list[dict[str, Any]], describe: Callable[[dict[str, Any]], str]) -> None:
    """Events oldest first, each with the block and transaction anyone can look up."""
    console.print("  history on chain, oldest first:")
    for event in history:
        by = event.get("submitter") or event.get("actor") or event.get("auditor")
        console.print(f"    block {event['blockNumber']:,}, transaction {event['transactionHash']}", soft_wrap=True)
        console.print(f"      {event['event']} by {by}: {describe(event)}", soft_wrap=True)
        for key in ("reasonHash", "noteHash"):  # a reason or note typed as text is shown as written
            if key in event:
                print_published_text(event[key], "        ")


def amendment_chain(client: RegistryClient, outcome: Outcome) -> list[Outcome]:
    """Every version of an outcome, the first recorded to the current one."""
    chain = [outcome]
    while chain[0].amends:
        chain.insert(0, client.outcome(chain[0].amends))
    while chain[-1].amended_by:
        chain.append(client.outcome(chain[-1].amended_by))
    return chain


def jsonable(event: dict[str, Any]) -> dict[str, Any]:
    """An event as plain JSON values: hashes as 0x-hex, structs as objects."""
    plain: dict[str, Any] = json.loads(Web3.to_json(event))
    return plain


def _short(value: str) -> str:
    return value[:10] + "…" + value[-6:] if value.startswith("0x") and len(value) == 66 else value


def describe_outcome_event(event: dict[str, Any]) -> str:
    """One line saying what an outcome event recorded."""
    name: str = event["event"]
    if name == "OutcomeAdded":
        return (f"outcome {event['outcomeId']} recorded: {spoken(OutcomeType(event['outcomeType']))} "
                f"{event['externalId'] or '(no identifier)'}, evidence {_short(event['evidenceHash'])}")  # fmt: skip
    if name == "OutcomeAmended":
        return (f"outcome {event['outcomeId']} corrects {event['originalId']}: "
                f"{spoken(OutcomeType(event['outcomeType']))} {event['externalId'] or '(no identifier)'}, "
                f"reason {_short(event['reasonHash'])}")  # fmt: skip
    if name == "OutcomeRevocation":
        return f"outcome {event['outcomeId']} revoked, reason {_short(event['reasonHash'])}"
    if name == "IpStatusChanged":
        return (f"outcome {event['outcomeId']} IP status {spoken(IpStatus(event['from']))} → "
                f"{spoken(IpStatus(event['to']))}, "
                f"evidence {_short(event['evidenceHash'])}")  # fmt: skip
    return name
