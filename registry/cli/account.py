"""`rnd-registry account`: the encrypted keystores of the people who sign (create, import, list, show).

A private key is read from a hidden prompt or a file, never from the command line (shells keep a
history of it), and is never printed.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from eth_typing import ChecksumAddress
from eth_utils.address import is_checksum_address, is_hex_address, to_checksum_address
from rich.markup import escape

from registry.chain.devkeys import DEV_ACCOUNT_COUNT, dev_account
from registry.chain.keystore import (
    AccountExists,
    InvalidLabel,
    KeystoreEntry,
    KeystoreError,
    address_of,
    create_account,
    import_account,
    list_accounts,
    resolve_password,
    validate_label,
)
from registry.cli.context import JsonOption, PasswordFileOption, open_client
from registry.cli.output import console, emit, user_errors, warn
from registry.errors import RegistryError
from registry.settings import get_settings

app = typer.Typer(
    help="Your signing accounts: encrypted keystore files on this computer, one per label. "
    "Create or import one, then ask the city program office to give it a role (`rnd-registry member add`)."
)

LabelArgument = Annotated[str, typer.Argument(help="A short name for the account, e.g. 'city-admin' or 'kim-auditor'.")]


def hidden_prompt() -> Callable[[str], str] | None:
    """A prompt that does not echo, when a person sits at a terminal; None in scripts."""
    return getpass.getpass if sys.stdin.isatty() else None


def resolve_account(text: str) -> ChecksumAddress:
    """The account named on a command line: a 0x address (any case, a mixed-case one must carry a
    valid EIP-55 checksum), or the label of a keystore on this computer."""
    typed = text.strip()
    if typed[:2] in ("0x", "0X"):
        if not is_hex_address(typed):
            raise RegistryError(
                f"{typed!r} is not an account address: an address is 0x followed by 40 hexadecimal digits"
            )
        digits = typed[2:]
        if digits != digits.lower() and digits != digits.upper() and not is_checksum_address(typed):
            raise RegistryError(
                f"{typed} mixes upper and lower case but its checksum does not match: a character was probably "
                "mistyped; copy the address again"
            )
        return to_checksum_address(typed)
    try:
        return address_of(typed)
    except InvalidLabel:
        raise RegistryError(
            f"{typed!r} is neither an account address (0x followed by 40 hexadecimal digits) nor a keystore label "
            "(see `rnd-registry account list`)"
        ) from None


@app.command()
def new(
    label: LabelArgument,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a new signing account, kept encrypted under LABEL.

    The password (8 characters or more) comes from --password-file, RND_KEYSTORE_PASSWORD, or is asked twice.

    Back up the keystore file and keep the password: neither can be recovered.

    Example: rnd-registry account new kim-auditor
    """
    with user_errors():
        _require_unused_label(label)
        password = resolve_password(password_file=password_file, prompt=hidden_prompt(), confirm=True, label=label)
        entry = create_account(label, password)
    _show_created(entry, "created", as_json=as_json)


@app.command(name="import")
def import_key(
    label: LabelArgument,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            help="File whose first line is the private key (64 hex digits); '-' reads it from standard input. "
            "Without it, the key is asked for at the terminal and not shown as you type.",
        ),
    ] = None,
    stray: Annotated[list[str] | None, typer.Argument(hidden=True, show_default=False)] = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import an existing private key into an encrypted keystore under LABEL.

    The key is asked for without being shown, or read from --key-file.

    It is never typed on the command line, where the shell would keep it in its history.

    Example: rnd-registry account import city-admin --key-file /media/usb/city-admin.key
    """
    with user_errors():
        if stray:
            # Not echoed: the stray argument is most likely the key itself.
            raise KeystoreError(
                "a private key is never given on the command line, where the shell keeps it in its history; "
                "run `rnd-registry account import LABEL` to type it hidden, or use --key-file"
            )
        _require_unused_label(label)
        key = _read_private_key(key_file)
        password = resolve_password(password_file=password_file, prompt=hidden_prompt(), confirm=True, label=label)
        entry = import_account(label, key, password)
        dev_index = _dev_account_index(entry.address)
    if dev_index is not None:
        warn(
            f"this is anvil's dev account {dev_index}, whose private key is public: anyone can sign as it. "
            "Use it for local demos only, never on a real chain."
        )
    _show_created(entry, "imported", as_json=as_json)


@app.command(name="list")
def list_keystores(as_json: JsonOption = False) -> None:
    """List the accounts on this computer: label, address, and the roles each holds in the registry.

    Without a reachable registry the accounts are still listed, without their roles.

    Example: rnd-registry account list
    """
    with user_errors():
        entries = list_accounts()
    roles, unreachable = _registry_roles(entries)
    if unreachable is not None:
        warn(f"registry roles are not shown: {unreachable}")

    rows = [
        {
            "label": e.label,
            "address": e.address,
            "keystore": str(e.path),
            "roles": roles[e.address][0] if roles is not None else None,
            "companyId": roles[e.address][1] if roles is not None else None,
        }
        for e in entries
    ]

    def text() -> None:
        if not entries:
            console.print(
                f"no accounts yet in {escape(str(get_settings().keystore_dir))}; create one with "
                "`rnd-registry account new LABEL` or import one with `rnd-registry account import LABEL`",
                soft_wrap=True,
            )
            return
        width = max(len(e.label) for e in entries)
        for row in rows:
            console.print(
                f"{escape(str(row['label'])):<{width}}  {row['address']}  {_describe_roles(row)}",
                soft_wrap=True,
                highlight=False,
            )

    emit(rows, as_json=as_json, text=text)


@app.command()
def show(label: LabelArgument, as_json: JsonOption = False) -> None:
    """Show the address of the account LABEL, to give to the city program office or a relayer.

    Example: rnd-registry account show kim-auditor
    """
    with user_errors():
        address = address_of(label)
        path = get_settings().keystore_dir / f"{label}.json"
    emit(
        {"label": label, "address": address, "keystore": str(path)},
        as_json=as_json,
        text=lambda: console.print(
            f"{escape(label)}: {address}\n[dim]  keystore {escape(str(path))}[/dim]", soft_wrap=True, highlight=False
        ),
    )


def _require_unused_label(label: str) -> None:
    """Refuses a bad or taken label before any password or key is asked for."""
    validate_label(label)
    path = get_settings().keystore_dir / f"{label}.json"
    if path.exists():
        raise AccountExists(label, path)


def _read_private_key(key_file: Path | None) -> str:
    if key_file is None:
        prompt = hidden_prompt()
        if prompt is None:
            raise KeystoreError(
                "no private key given: use --key-file FILE (or --key-file - to read standard input), "
                "or run in a terminal to type it hidden"
            )
        return prompt("Private key (not shown as you type): ")
    if str(key_file) == "-":
        return sys.stdin.readline().strip()
    # The reason is raised after the `try`: a UnicodeDecodeError holds the file's bytes (the key).
    text: str | None = None
    reason = ""
    try:
        text = key_file.read_text(encoding="utf-8")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
    except UnicodeDecodeError:
        reason = "it is not text"
    if text is None:
        raise KeystoreError(f"cannot read the key file {key_file} ({reason})")
    return text.split("\n", 1)[0].strip()


def _dev_account_index(address: str) -> int | None:
    for index in range(DEV_ACCOUNT_COUNT):
        if dev_account(index).address == address:
            return index
    return None


def _registry_roles(
    entries: list[KeystoreEntry],
) -> tuple[dict[str, tuple[list[str], str | None]] | None, str | None]:
    """Each account's roles and company, or None and the reason when the registry cannot be asked."""
    if not entries:
        return {}, None
    try:
        client = open_client()
        found: dict[str, tuple[list[str], str | None]] = {}
        for entry in entries:
            company = client.company_of(entry.address)
            found[entry.address] = (
                client.roles_of(entry.address),
                "0x" + company.hex() if company else None,
            )
    except RegistryError as exc:
        return None, str(exc)
    return found, None


def _describe_roles(row: dict[str, Any]) -> str:
    roles = row["roles"]
    if roles is None:
        return "[dim](roles unknown)[/dim]"
    if not roles:
        return "[dim]no registry role[/dim]"
    words = [f"company {row['companyId'][:10]}…" if role == "company" else role for role in roles]
    return ", ".join(words)


def _show_created(entry: KeystoreEntry, verb: str, *, as_json: bool) -> None:
    emit(
        {"label": entry.label, "address": entry.address, "keystore": str(entry.path)},
        as_json=as_json,
        text=lambda: console.print(
            f"[green]{verb}:[/green] account {escape(entry.label)} with address {entry.address}\n"
            f"  keystore file {escape(str(entry.path))}: back it up, and keep the password; neither can be recovered\n"
            f"  next, the city program office gives it a role or binds it to its company: "
            f"rnd-registry member add {entry.address} --role auditor (or --company BUSINESS_NUMBER)",
            soft_wrap=True,
            highlight=False,
        ),
    )
