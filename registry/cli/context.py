"""What every registry command shares: the options that choose who signs, opening the client,
reading documents into the store, and running an operation (send, or sign for a relayer)."""

from __future__ import annotations

import getpass
import hashlib
import json
import shlex
import sys
import time
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from eth_account.signers.local import LocalAccount
from rich.markup import escape

from registry.chain.client import Operation, RegistryClient, Written
from registry.chain.devkeys import check_dev_account_number, dev_account
from registry.chain.keystore import address_of, exposure, resolve_password, unlock
from registry.cli.output import console, emit, warn
from registry.domain.days import InvalidDay, parse_day
from registry.domain.money import parse_won
from registry.domain.records import Record
from registry.errors import RegistryError
from registry.evidence.hashing import hash_to_hex, parse_document_hash
from registry.evidence.store import DocumentStore
from registry.settings import get_settings

RecordT = TypeVar("RecordT", bound=Record)

AccountOption = Annotated[
    str | None,
    typer.Option("--account", "-a", envvar="RND_ACCOUNT",
                 help="Keystore account to sign with (see `rnd-registry account list`)."),
]  # fmt: skip


def _dev_key(value: int | None) -> int | None:
    """Checks `--dev-key` as it is parsed, so a wrong number stops the command before it does anything."""
    if value is None:
        return None
    try:
        return check_dev_account_number(value)
    except RegistryError as exc:
        raise typer.BadParameter(str(exc)) from None


DevKeyOption = Annotated[
    int | None,
    typer.Option(
        "--dev-key",
        callback=_dev_key,
        help="Sign with anvil's well-known dev account N, 0 to 9 (local demos only: its key is public).",
    ),
]
PasswordFileOption = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        help="File whose first line is the keystore password (else RND_KEYSTORE_PASSWORD or a prompt).",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]

#: Set by `rnd-registry sign`: write operations are signed into this file instead of sent.
SIGN_REQUEST_TO: ContextVar[Path | None] = ContextVar("SIGN_REQUEST_TO", default=None)
SIGN_VALID_FOR: ContextVar[int] = ContextVar("SIGN_VALID_FOR", default=24 * 3600)


class Signer:
    """Who signs: a keystore account, a dev account, or nobody (read-only commands)."""

    def __init__(self, account: str | None, dev_key: int | None, password_file: Path | None) -> None:
        self.account = account
        self.dev_key = dev_key
        self.password_file = password_file

    def load(self) -> LocalAccount:
        if self.dev_key is not None:
            warn(f"signing with anvil dev account {self.dev_key}, whose private key is public: local demos only")
            return dev_account(self.dev_key)
        if self.account is None:
            raise RegistryError(
                "this needs an account to sign with: pass --account LABEL (see `rnd-registry account list`)"
            )
        address_of(self.account)  # a missing keystore is the first thing to say, before any password
        exposed = exposure(self.account)
        if exposed is not None:
            if get_settings().keystore_strict:
                raise exposed  # before a password is asked for
            warn(str(exposed))
        prompt = getpass.getpass if sys.stdin.isatty() else None
        password = resolve_password(password_file=self.password_file, prompt=prompt, label=self.account)
        return unlock(self.account, password)


def open_client(signer: Signer | None = None) -> RegistryClient:
    """The registry client, with the signer's account when one is given."""
    return RegistryClient.open(account=signer.load() if signer else None)


def run(
    signer: Signer,
    build: Callable[[RegistryClient], Operation[RecordT]],
    *,
    as_json: bool,
    show: Callable[[RecordT], None],
) -> None:
    """Builds an operation and sends it, or, under `rnd-registry sign`, signs it into a file."""
    client = open_client(signer)
    operation = build(client)
    target = SIGN_REQUEST_TO.get()
    if target is not None:
        _write_signed(client, operation, target, as_json=as_json)
        return
    written = client.execute(operation)
    emit(
        {"record": written.record.model_dump(mode="json"), **written.provenance()},
        as_json=as_json,
        text=lambda: _show_written(operation, written, show),
    )


def _show_written(operation: Operation[Any], written: Written[Any], show: Callable[[Any], None]) -> None:
    console.print(f"[green]done:[/green] {operation.description}")
    show(written.record)
    console.print(f"[dim]transaction {written.transaction_hash}, block {written.block_number:,}[/dim]", soft_wrap=True)


def _write_signed(client: RegistryClient, operation: Operation[Any], target: Path, *, as_json: bool) -> None:
    deadline = int(time.time()) + SIGN_VALID_FOR.get()
    request = client.sign(operation, deadline=deadline)
    content = {
        "format": "rnd-registry-signed-request/1",
        "description": operation.description,
        "signer": request.signer,
        "chainId": request.chain_id,
        "forwarder": request.forwarder,
        "target": request.target,
        "gas": request.gas,
        "nonce": request.nonce,
        "deadline": request.deadline,
        "deadlineIso": datetime.fromtimestamp(request.deadline, UTC).isoformat(),
        "data": "0x" + request.data.hex(),
        "signature": "0x" + request.signature.hex(),
    }
    target.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n")
    emit(
        {"signedRequest": str(target), **content},
        as_json=as_json,
        text=lambda: console.print(
            f"[green]signed:[/green] {operation.description}\n"
            f"  by {request.signer}, valid until {content['deadlineIso']}\n"
            f"  request written to {target}; anyone can send it with `rnd-registry relay {shlex.quote(str(target))}`"
        ),
    )


def store_document(path: Path, *, public: bool = False) -> bytes:
    """Stores a document in the local document store, published if `public`; returns its SHA-256."""
    store = DocumentStore(get_settings().document_store_dir)
    stored = store.put_file(path)
    if public:
        store.publish(stored.sha256)
    return stored.sha256


def store_text(text: str, name: str) -> bytes:
    """Stores a short text (a reason typed on the command line) as a public document; returns its SHA-256."""
    return DocumentStore(get_settings().document_store_dir).put_text(text, name).sha256


#: Published texts up to this size are printed by the `show` commands beside their hash.
_SHOWN_TEXT_BYTES = 4096


def published_text(digest: bytes | str) -> str | None:
    """What a published plain-text document in the local store says (a reason typed with --reason-text),
    its bytes checked against `digest`; None for anything else (not held, not published, not text,
    long, altered)."""
    try:
        value = parse_document_hash(digest) if isinstance(digest, str) else digest
        store = DocumentStore(get_settings().document_store_dir)
        stored = store.info(value)
        if not (stored.public and stored.media_type == "text/plain" and stored.size <= _SHOWN_TEXT_BYTES):
            return None
        with store.open(value) as file:
            content = file.read(_SHOWN_TEXT_BYTES + 1)
    except RegistryError:
        return None
    if hashlib.sha256(content).digest() != value:
        return None
    return content.decode("utf-8", errors="replace")


def print_published_text(digest: bytes | str, indent: str) -> None:
    """Prints a published text under its hash, each line indented and quoted, if there is one."""
    text = published_text(digest)
    if text is None:
        return
    for line in text.rstrip("\n").splitlines() or [""]:
        console.print(f"{indent}> {escape(line)}", soft_wrap=True, highlight=False)


#: The option that publishes a document given as a file (a typed text is always public).
PublicOption = Annotated[
    bool,
    typer.Option(
        "--public",
        help="Publish the document given as a file: anyone may then download it from the registry's API "
        "(GET /api/v1/documents/SHA256). Leave it off for anything holding personal or confidential data.",
    ),
]


def document_hash(
    path: Path | None, text: str | None, *, name: str, required: bool, what: str, public: bool = False
) -> bytes | None:
    """The hash of a document given as a file (published if `public`) or as text (always published),
    stored either way."""
    if path is not None and text is not None:
        raise typer.BadParameter(f"give the {what} as a file or as text, not both")
    if path is not None:
        return store_document(path, public=public)
    if text is not None:
        if not text.strip():
            raise typer.BadParameter(f"the {what} text is empty")
        return store_text(text, name)
    if required:
        raise typer.BadParameter(f"a {what} is required: pass it as a file or as text")
    return None


def won(text: str | int) -> int:
    """Parses an amount argument (typer parser): `100000000`, `100,000,000` or `1억`.

    An option's numeric default reaches the parser as it is, hence the int.
    """
    if isinstance(text, int):
        return text
    try:
        return parse_won(text)
    except RegistryError as exc:
        raise typer.BadParameter(str(exc)) from None


def day(text: str) -> datetime:
    """Parses a calendar date (YYYY-MM-DD, as `registry.domain.days.parse_day` reads it) as midnight UTC."""
    try:
        parsed = parse_day(text)
    except InvalidDay as exc:
        raise typer.BadParameter(str(exc)) from None
    return datetime(parsed.year, parsed.month, parsed.day, tzinfo=UTC)


def short_hash(value: bytes) -> str:
    text = hash_to_hex(value)
    return text[:10] + "…" + text[-6:]
