"""`rnd-registry sign` and `rnd-registry relay`: a submission signed on one machine (say, by company
staff without gas or a node) and sent by another account, recorded in the signer's name."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from eth_utils.address import to_checksum_address
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from registry.chain.client import RecordedEvent, RelayResult
from registry.chain.forwarder import SignedRequest, hex_bytes
from registry.cli.context import (
    SIGN_REQUEST_TO,
    SIGN_VALID_FOR,
    AccountOption,
    DevKeyOption,
    JsonOption,
    PasswordFileOption,
    Signer,
    open_client,
)
from registry.cli.outcome import jsonable
from registry.cli.output import console, describe_invalid, emit, user_errors
from registry.domain.types import Address
from registry.errors import RegistryError

app = typer.Typer()

REQUEST_FORMAT: Literal["rnd-registry-signed-request/1"] = "rnd-registry-signed-request/1"
_DURATION_PART = re.compile(r"(\d+)\s*([dhms])")
_UNIT_SECONDS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


class SignedRequestFile(BaseModel):
    """The file `rnd-registry sign` writes: a forward request, its signature, and where it is valid."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True, extra="forbid")

    format: Literal["rnd-registry-signed-request/1"]
    description: str = ""
    signer: Address
    chain_id: int = Field(gt=0)
    forwarder: Address
    target: Address
    gas: int = Field(gt=0, lt=2**64)
    nonce: int = Field(ge=0, lt=2**256)
    deadline: int = Field(gt=0, lt=2**48)
    deadline_iso: str = ""
    data: Annotated[bytes, BeforeValidator(hex_bytes), Field(min_length=4)]
    signature: Annotated[bytes, BeforeValidator(hex_bytes), Field(min_length=65, max_length=65)]

    def request(self) -> SignedRequest:
        return SignedRequest(
            signer=to_checksum_address(self.signer),
            target=to_checksum_address(self.target),
            gas=self.gas,
            nonce=self.nonce,
            deadline=self.deadline,
            data=self.data,
            signature=self.signature,
            chain_id=self.chain_id,
            forwarder=to_checksum_address(self.forwarder),
        )


def duration(text: str) -> int:
    """How long a signature stays valid, in seconds: `24h`, `90m`, `7d`, `1d12h` or plain seconds `3600`."""
    compact = text.strip().lower().replace(" ", "")
    if compact.isdigit():
        seconds = int(compact)
    elif compact and _DURATION_PART.sub("", compact) == "":
        seconds = sum(int(n) * _UNIT_SECONDS[unit] for n, unit in _DURATION_PART.findall(compact))
    else:
        raise typer.BadParameter(
            f"{text!r} is not a duration; write it like 24h, 90m, 7d or 1d12h", param_hint="'--valid-for'"
        )
    if seconds <= 0:
        raise typer.BadParameter(
            "a signature must stay valid for a while: give more than 0", param_hint="'--valid-for'"
        )
    return seconds


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def sign(
    ctx: typer.Context,
    out_file: Annotated[
        Path, typer.Argument(metavar="OUT_FILE", help="Where to write the signed request, e.g. request.json.")
    ],
    valid_for: Annotated[
        str, typer.Option(metavar="DURATION", help="How long the signature stays valid: 24h, 90m, 7d, 1d12h.")
    ] = "24h",
) -> None:
    """Sign a registry command into a file instead of sending it; anyone can send it later with `relay`.

    Put the command after `--`, exactly as you would type it, with your own --account.
    The registry records it in your name, once, if it is sent before the signature expires.

    Example: rnd-registry sign request.json -- milestone submit 1 1 --evidence report.pdf --account acme
    """
    command = list(ctx.args)
    seconds = duration(valid_for)
    with user_errors():
        if SIGN_REQUEST_TO.get() is not None:
            raise RegistryError("`sign` cannot sign another `sign`")
        if not command:
            raise RegistryError(
                "say which command to sign after `--`, e.g. "
                "rnd-registry sign request.json -- outcome add 1 --type paper --evidence paper.pdf --account acme"
            )
        if out_file.exists():
            raise RegistryError(f"{out_file} already exists; choose another file name or move it away first")
        if not out_file.parent.is_dir():
            raise RegistryError(f"cannot write {out_file}: the folder {out_file.parent} does not exist")
    root = ctx.find_root()
    target_token = SIGN_REQUEST_TO.set(out_file)
    valid_token = SIGN_VALID_FOR.set(seconds)
    try:
        # standalone_mode=False: the signed command's usage errors propagate and are shown as usual,
        # and its `typer.Exit` comes back as an exit code rather than ending the process here.
        returned = root.command.main(args=command, prog_name=root.info_name, standalone_mode=False)
    finally:
        SIGN_VALID_FOR.reset(valid_token)
        SIGN_REQUEST_TO.reset(target_token)
    if isinstance(returned, int) and returned != 0:
        raise typer.Exit(code=returned)
    if not out_file.exists() and "--help" not in command:
        with user_errors():
            raise RegistryError(
                f"`{' '.join(command)}` records nothing, so there was nothing to sign; "
                "sign a command that records something (add, submit, report...)"
            )


@app.command()
def relay(
    request_file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The signed request file written by `rnd-registry sign`.")
    ],
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Send a request someone signed with `rnd-registry sign`; it is recorded in the signer's name.

    Your account only pays for the transaction.
    A request is recorded once: relaying it again, after it expired, or after it was altered fails and changes nothing.

    Example: rnd-registry relay request.json --account relayer
    """
    with user_errors():
        if SIGN_REQUEST_TO.get() is not None:
            raise RegistryError("`relay` sends a request that is already signed; it cannot itself be signed")
        request = read_signed_request(request_file).request()
        result = open_client(Signer(account, dev_key, password_file)).relay_request(request)
    events = [_event_json(e) for e in result.events]
    emit(
        {"relayed": str(request_file), **result.provenance(), "events": events},
        as_json=as_json,
        text=lambda: _show_relayed(result, events),
    )


def read_signed_request(path: Path) -> SignedRequestFile:
    """The signed request at `path`, checked field by field; a one-line reason if it is not one."""
    try:
        content: Any = json.loads(path.read_text())
    except FileNotFoundError:
        raise RegistryError(f"cannot read {path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RegistryError(f"{path} is not a signed request ({exc})") from None
    if not isinstance(content, dict) or content.get("format") != REQUEST_FORMAT:
        raise RegistryError(f"{path} is not a signed request written by `rnd-registry sign`")
    try:
        return SignedRequestFile.model_validate(content)
    except ValidationError as exc:
        problems = describe_invalid(exc).removeprefix("invalid input: ")
        raise RegistryError(f"{path} is not a valid signed request: {problems}") from None


def _event_json(event: RecordedEvent) -> dict[str, Any]:
    return {"contract": event.contract, "event": event.name, "logIndex": event.log_index, "args": jsonable(event.args)}


def _show_relayed(result: RelayResult, events: list[dict[str, Any]]) -> None:
    console.print(
        f"[green]relayed:[/green] the request of {result.signer} (nonce {result.nonce}), sent by {result.relayer}"
    )
    console.print("  recorded, in the signer's name:")
    for event in events:
        if event["event"] == "ExecutedForwardRequest":
            continue  # the forwarder's own bookkeeping; the registry's events say what was recorded
        args = ", ".join(f"{name}={_render(value)}" for name, value in event["args"].items())
        console.print(f"    {event['event']}({args})", soft_wrap=True)
    console.print(f"[dim]transaction {result.transaction_hash}, block {result.block_number:,}[/dim]")


def _render(value: Any) -> str:
    if isinstance(value, str) and value.startswith("0x") and len(value) == 66:
        return value[:10] + "…" + value[-6:]
    return str(value)
