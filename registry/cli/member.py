"""`rnd-registry member`: who may write to the registry (city program office).

Roles (admin, auditor, member) and company bindings are given and taken here; the current members
are folded from the registry's own events, since the contract deliberately keeps no member list.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

import typer
from rich.markup import escape

from registry.chain.client import Operation, RegistryClient
from registry.chain.keystore import list_accounts
from registry.cli.account import resolve_account
from registry.cli.context import (
    AccountOption,
    DevKeyOption,
    JsonOption,
    PasswordFileOption,
    Signer,
    open_client,
    run,
)
from registry.cli.output import console, emit, user_errors
from registry.cli.project import company_identity
from registry.domain.companies import company_id
from registry.domain.records import Record
from registry.domain.roles import COMPANY_LABEL, Role
from registry.domain.text import visible_bidi
from registry.errors import RegistryError
from registry.evidence.hashing import hash_to_hex

app = typer.Typer(
    help="Who may write to the registry: give and take the admin, auditor and member roles, and bind "
    "company staff accounts to their company (city program office). Anyone can list the members."
)

#: The order members are listed in: by role, then company accounts.
_ORDER = [*(role.label for role in Role), COMPANY_LABEL]

WhoArgument = Annotated[
    str, typer.Argument(metavar="ADDRESS_OR_LABEL", help="The account: a 0x address, or the label of a keystore here.")
]
RoleOption = Annotated[str | None, typer.Option("--role", help="admin, auditor or member.")]


@app.command()
def add(
    who: WhoArgument,
    role: RoleOption = None,
    company: Annotated[
        str | None,
        typer.Option("--company", help="Bind the account to this company: its business registration number."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="The company's public name (상호), e.g. '(주)한빛데이터': required for a company's first account; "
            "a different name than the registry's renames the company.",
        ),
    ] = None,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Give an account a role, or bind a company's staff account to its company (admin).

    A company account writes only for its own company's projects, and can never also be an admin or auditor.
    The first account of a company publishes the company's name (상호) with --name; later accounts may leave
    it out. Only the hash of the business registration number goes on chain; the name is public.

    Example: rnd-registry member add 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --role auditor --account city-admin
    Example: rnd-registry member add 0x90F79bf6EB2c4f870365E785982E1f101E93b906 --company 131-81-10001 --name "(주)한빛데이터" -a city-admin
    """  # noqa: E501
    with user_errors():
        address = resolve_account(who)
        chosen = _role(role, company)
        if chosen is not None and name is not None:
            raise RegistryError("--name is the name of a company: give it with --company, not with --role")
        if chosen is not None:
            granted = chosen

            def build(c: RegistryClient) -> Operation[Record]:
                if c.has_role(granted, address):
                    raise RegistryError(f"{address} already holds the {granted.label} role; nothing was changed")
                return c.ops.grant_role(granted, address)

            run(Signer(account, dev_key, password_file), build, as_json=as_json,
                show=lambda _r: _say(f"{address} now holds the {granted.label} role"))  # fmt: skip
            return
        assert company is not None
        identity = company_id(company)
        wanted = company_name(name) if name is not None else None
        said: list[str] = []

        def bind(c: RegistryClient) -> Operation[Record]:
            current = c.company_of(address)
            if current == identity:
                raise RegistryError(f"{address} already acts for company {company}; nothing was changed")
            if current is not None:
                raise RegistryError(
                    f"{address} acts for another company ({hash_to_hex(current)}); remove it first with "
                    f"`rnd-registry member remove {address} --company`"
                )
            known = c.company_name(identity)
            if not known and wanted is None:
                raise RegistryError(
                    f"company {company} has no name on the registry yet: its first account publishes it, so give "
                    'the company\'s public name (상호) with --name, e.g. --name "(주)한빛데이터"'
                )
            if wanted is None or wanted == known:
                said.append(f"{address} now acts for company {company}, {known} ({hash_to_hex(identity)})")
                return c.ops.bind_company_account(address, identity)
            renamed = f", renamed from {known}" if known else ""
            said.append(f"{address} now acts for company {company}, {wanted}{renamed} ({hash_to_hex(identity)})")
            return c.ops.bind_company_account(address, identity, wanted)

        run(Signer(account, dev_key, password_file), bind, as_json=as_json, show=lambda _r: _say(said[-1]))


@app.command(name="rename-company")
def rename_company(
    company: Annotated[
        str,
        typer.Argument(
            metavar="COMPANY", help="The company: its business registration number, or its registry identity (0x…)."
        ),
    ],
    name: Annotated[str, typer.Option("--name", help="The company's new public name (상호).")],
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Publish a company's change of name (상호); the registry keeps every earlier name in its history (admin).

    Example: rnd-registry member rename-company 131-81-10001 --name "(주)한빛데이터랩" --account city-admin
    """
    with user_errors():
        identity = parse_company(company)
        wanted = company_name(name)
        said: list[str] = []

        def build(c: RegistryClient) -> Operation[Record]:
            known = c.company_name(identity)
            if known == wanted:
                raise RegistryError(f"company {company} is already named {known}; nothing was changed")
            said.append(f"company {company} is now named {wanted}" + (f" (was {known})" if known else ""))
            return c.ops.rename_company(identity, wanted)

        run(Signer(account, dev_key, password_file), build, as_json=as_json, show=lambda _r: _say(said[-1]))


@app.command()
def remove(
    who: WhoArgument,
    role: RoleOption = None,
    company: Annotated[
        bool, typer.Option("--company", help="Unbind the account from its company; the records it wrote stay.")
    ] = False,
    account: AccountOption = None,
    dev_key: DevKeyOption = None,
    password_file: PasswordFileOption = None,
    as_json: JsonOption = False,
) -> None:
    """Take a role from an account, or unbind a staff account from its company (admin).

    Nothing the account recorded is removed: the registry keeps its history.

    Example: rnd-registry member remove kim-auditor --role auditor --account city-admin
    Example: rnd-registry member remove 0x90F79bf6EB2c4f870365E785982E1f101E93b906 --company --account city-admin
    """
    with user_errors():
        address = resolve_account(who)
        chosen = _role(role, "" if company else None)
        if chosen is not None:
            revoked = chosen

            def build(c: RegistryClient) -> Operation[Record]:
                if not c.has_role(revoked, address):
                    raise RegistryError(f"{address} does not hold the {revoked.label} role; nothing was changed")
                return c.ops.revoke_role(revoked, address)

            run(Signer(account, dev_key, password_file), build, as_json=as_json,
                show=lambda _r: _say(f"{address} no longer holds the {revoked.label} role"))  # fmt: skip
            return

        def unbind(c: RegistryClient) -> Operation[Record]:
            if c.company_of(address) is None:
                raise RegistryError(f"{address} is not bound to any company; nothing was changed")
            return c.ops.unbind_company_account(address)

        run(Signer(account, dev_key, password_file), unbind, as_json=as_json,
            show=lambda _r: _say(f"{address} no longer acts for a company"))  # fmt: skip


@app.command(name="list")
def list_members(as_json: JsonOption = False) -> None:
    """List the current members: each role holder and each company account, since when (anyone).

    Folded from the registry's own events (roles given and taken, company accounts bound and unbound).

    A company id is the keccak256 hash of the company's business registration number.

    Example: rnd-registry member list
    """
    with user_errors():
        client = open_client()
        members = current_members(client)
        labels = {entry.address: entry.label for entry in list_accounts()}
        names = {m["companyId"]: client.company_name(bytes.fromhex(m["companyId"][2:])) for m in members
                 if m["companyId"]}  # fmt: skip
    for member in members:
        member["label"] = labels.get(member["account"])
        member["companyName"] = names.get(member["companyId"])

    def text() -> None:
        if not members:
            console.print("no members")
            return
        for m in members:
            notes = []
            if m["label"]:
                notes.append(f"({escape(m['label'])})")
            if m["companyId"]:
                notes.append(f"company {escape(visible_bidi(m['companyName'] or '(no name)'))} {m['companyId']}")
            if m["role"] == "module":
                name = "the outcome registry" if m["account"] == client.outcomes.address else "a registry contract"
                notes.append(f"({name}, recording documents for companies)")
            console.print(
                f"{m['role']:<9}  {m['account']}  {'  '.join(notes)}  [dim]since block {m['sinceBlock']:,}[/dim]",
                soft_wrap=True,
                highlight=False,
            )

    emit(members, as_json=as_json, text=text)


def current_members(client: RegistryClient) -> list[dict[str, Any]]:
    """Every role holder and company account now, folded from the grant registry's events."""
    events = client.history(
        client.grants, ["RoleGranted", "RoleRevoked", "CompanyAccountBound", "CompanyAccountUnbound"]
    )
    current: dict[tuple[str, str], dict[str, Any]] = {}
    for event in events:
        account = event["account"]
        if event["event"] in ("RoleGranted", "RoleRevoked"):
            known = Role.from_id(bytes(event["role"]))
            role = known.label if known else hash_to_hex(bytes(event["role"]))
        else:
            role = COMPANY_LABEL
        key = (role, account)
        if event["event"] in ("RoleGranted", "CompanyAccountBound"):
            current[key] = {
                "role": role,
                "account": account,
                "companyId": hash_to_hex(bytes(event["companyId"])) if role == COMPANY_LABEL else None,
                "sinceBlock": event["blockNumber"],
                "transactionHash": event["transactionHash"],
            }
        else:
            current.pop(key, None)
    order = {role: position for position, role in enumerate(_ORDER)}
    return sorted(current.values(), key=lambda m: (order.get(m["role"], len(order)), m["sinceBlock"], m["account"]))


#: The longest company name the registry takes, in UTF-8 bytes (`MembershipCompanyNameTooLong`).
MAX_COMPANY_NAME_BYTES = 200


def company_name(text: str) -> str:
    """A company's public name as it is recorded: trimmed and in Unicode NFC (so that a name typed on a
    Mac, decomposed, is the same name); refused when empty, too long or holding control characters."""
    name = unicodedata.normalize("NFC", text.strip())
    if not name:
        raise RegistryError("--name: the company's name is empty; give its public name (상호), e.g. (주)한빛데이터")
    size = len(name.encode())
    if size > MAX_COMPANY_NAME_BYTES:
        raise RegistryError(f"--name: the name is {size} bytes long in UTF-8; the registry takes at most "
                            f"{MAX_COMPANY_NAME_BYTES} (about 66 Korean characters)")  # fmt: skip
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200c\u200d" for ch in name):
        raise RegistryError("--name: the name holds control or invisible formatting characters; type it plainly")
    return name


def parse_company(text: str) -> bytes:
    """A company named by its business registration number, or by its registry identity (0x and 64 hex)."""
    if text.strip().lower().startswith("0x"):
        return company_identity(None, text.strip())
    return company_id(text)


def _role(role: str | None, company: str | None) -> Role | None:
    """The role asked for, or None when a company binding is asked for instead."""
    if (role is None) == (company is None):
        raise RegistryError("say what to change: --role admin|auditor|member, or --company (a company binding)")
    if role is None:
        return None
    try:
        return Role.parse(role)
    except ValueError as exc:
        raise RegistryError(str(exc)) from None


def _say(message: str) -> None:
    console.print(f"  {message}", soft_wrap=True, highlight=False)
