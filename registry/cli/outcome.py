"""`rnd-registry outcome` and `rnd-registry ip`: a company records its R&D outcomes (patents, papers,
software...), corrects or withdraws them, and follows the status of the rights they carry."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from web3 import Web3

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
    store_document,
)
from registry.cli.output import console, emit, user_errors
from registry.domain.enums import IpStatus, OutcomeType
from registry.domain.records import Outcome

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
ReasonOption = Annotated[Path | None, typer.Option("--reason", help="Document explaining why; its hash is recorded.")]
ReasonTextOption = Annotated[
    str | None, typer.Option("--reason-text", help="A short reason typed here instead of a document.")
]


def show_outcome(outcome: Outcome) -> None:
    state = "revoked" if outcome.revoked else "superseded" if outcome.amended_by else "current"
    console.print(
        f"outcome [bold]{outcome.outcome_id}[/bold]: {spoken(outcome.outcome_type)} "
        f"{outcome.external_id or '(no identifier)'} of project {outcome.project_id} — {state}"
    )
    details = [f"IP status {spoken(outcome.ip_status) if outcome.ip_status else 'none'}"]
    details.append(f"evidence {short_hash(outcome.evidence_hash)}")
    details.append(f"recorded {outcome.recorded_at:%Y-%m-%d %H:%M} UTC")
    console.print("  " + ", ".join(details))
    if outcome.amends:
        console.print(f"  corrects outcome {outcome.amends}")
    if outcome.amended_by:
        console.print(f"  corrected by outcome {outcome.amended_by}: act on that one")


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
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record an R&D outcome of your company's project (company).

    Example: rnd-registry outcome add 1 --type patent-application --id 10-2021-0123456 --evidence receipt.pdf -a acme
    """
    with user_errors():
        evidence_hash = store_document(evidence)
        run(Signer(account, dev_key, password_file),
            lambda c: c.ops.add_outcome(project_id, kind, external_id or "", evidence_hash),
            as_json=as_json, show=show_outcome)  # fmt: skip


@app.command()
def amend(
    outcome_id: OutcomeArgument,
    kind: TypeOption = None,
    external_id: ExternalIdOption = None,
    evidence: Annotated[
        Path | None, typer.Option(help="The corrected evidence document; the original's if left out.")
    ] = None,
    reason: ReasonOption = None,
    reason_text: ReasonTextOption = None,
    public: PublicOption = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Correct an outcome: records a new outcome that points at the original, which stays visible (company).

    Whatever you leave out (type, identifier, evidence) is copied from the original.

    Example: rnd-registry outcome amend 4 --id 10-2021-0123457 --reason-text "typo in the number" --account acme
    """
    with user_errors():
        reason_hash = document_hash(
            reason, reason_text, name="amendment-reason.txt", required=True, what="reason", public=public
        )
        evidence_hash = store_document(evidence) if evidence else None
        assert reason_hash is not None

        def build(client: RegistryClient) -> Operation[Outcome]:
            original = client.outcome(outcome_id)
            return client.ops.amend_outcome(
                outcome_id,
                kind or original.outcome_type,
                original.external_id if external_id is None else external_id,
                evidence_hash or original.evidence_hash,
                reason_hash,
            )

        run(Signer(account, dev_key, password_file), build, as_json=as_json, show=show_outcome)


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
        chain = amendment_chain(client, outcome)
        history = [
            jsonable(e)
            for e in client.history(client.outcomes, OUTCOME_EVENTS, {"outcomeId": [o.outcome_id for o in chain]})
        ]

    def text() -> None:
        show_outcome(outcome)
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
