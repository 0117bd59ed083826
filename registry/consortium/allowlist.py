"""Who may send transactions on the consortium chain: the registry's members, read from the chain.

One on-chain directory governs both the application's roles and chain access. An account belongs
on the nodes' account allowlists while it holds one of the grant registry's roles that people hold
(top admin, admin, auditor, member) or a company binding, and so do a few operator accounts the
consortium always allows (the validators' own accounts, the relayer), given in the settings.
`MODULE_ROLE` gives no chain access: registry contracts hold it, and contracts sign nothing.

The members are read from the chain itself, not from the indexer's database (`role_members`,
`company_accounts`), although both give the same answer. The allowlist is an access control: a
revocation must take effect at the next sync, and the database is only as fresh as the last
`rnd-registry index` run, which may lag or not run at all on the machine of a partner who only
operates a node. The read is small: the grant registry's four membership events (`RoleGranted`,
`RoleRevoked`, `CompanyAccountBound`, `CompanyAccountUnbound`), asked for by topic in `eth_getLogs`
ranges that adapt to what the node accepts (the indexer's `AdaptiveSpan`; Besu refuses ranges
longer than `--rpc-max-logs-range`, 5000 blocks by default) and decoded by the indexer's event
catalogue, then folded in chain order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from eth_utils.address import is_hex_address, to_checksum_address
from eth_utils.crypto import keccak

from registry.chain.deployment import GRANT_REGISTRY, DeploymentManifest
from registry.domain.roles import COMPANY_LABEL, Role
from registry.errors import ChainUnreachable, CodeMismatch, NetworkMismatch, RegistryError
from registry.indexer.catalogue import EventCatalogue, EventSpec, checksum
from registry.indexer.fetcher import AdaptiveSpan
from registry.indexer.rpc import JsonRpc, RpcError, RpcTimeout, RpcUnavailable

#: The grant registry's events that change who is a member.
MEMBERSHIP_EVENTS = ("RoleGranted", "RoleRevoked", "CompanyAccountBound", "CompanyAccountUnbound")

#: Roles held by people, who sign transactions; `MODULE_ROLE` belongs to registry contracts.
PEOPLE_ROLES = (Role.TOP_ADMIN, Role.ADMIN, Role.AUDITOR, Role.MEMBER)

#: What an always-allowed operator account is listed as.
OPERATOR_LABEL = "always allowed"

#: Blocks in the first `eth_getLogs`: Besu's default `--rpc-max-logs-range`, so a Besu node with
#: default settings never refuses the first range; the span then adapts.
_FIRST_SPAN = 5000


class InvalidAccount(RegistryError):
    """Text given as an account is not an address."""

    def __init__(self, text: str, what: str) -> None:
        self.text = text
        super().__init__(
            f"{text!r} ({what}) is not an account address: an address is 0x followed by 40 hexadecimal digits"
        )


class NoMembers(RegistryError):
    """The registry holds no member at the block read, so no allowlist can be derived from it."""

    def __init__(self, block: int) -> None:
        self.block = block
        super().__init__(
            f"the registry has no members up to block {block:,}, so the nodes' allowlists were left alone: check "
            "RND_RPC_URL and the deployment manifest (a registry always has a top admin)"
        )


@dataclass(frozen=True)
class Member:
    """An account that belongs on the allowlists, and why: the roles and binding it holds now."""

    account: str
    roles: tuple[str, ...]
    since_block: int

    def as_dict(self) -> dict[str, Any]:
        return {"account": self.account, "roles": list(self.roles), "sinceBlock": self.since_block}


@dataclass(frozen=True)
class Membership:
    """The registry's members as of the end of block `block`."""

    chain_id: int
    block: int
    members: tuple[Member, ...]


@dataclass(frozen=True)
class WantedAllowlist:
    """The accounts every node's allowlist should hold: the members and the always-allowed operators."""

    membership: Membership
    #: Checksummed; these are never removed, member or not.
    operators: tuple[str, ...]

    @property
    def accounts(self) -> dict[str, str]:
        """Every wanted account, by its lowercase form (the comparison key), as a checksummed address."""
        wanted = {member.account.lower(): member.account for member in self.membership.members}
        wanted.update({operator.lower(): operator for operator in self.operators})
        return dict(sorted(wanted.items()))

    @property
    def protected(self) -> frozenset[str]:
        """The lowercase forms of the accounts a sync never removes."""
        return frozenset(operator.lower() for operator in self.operators)

    def reasons(self, account: str) -> list[str]:
        """Why `account` is wanted: its roles, and `always allowed` for an operator."""
        key = account.lower()
        found = [role for member in self.membership.members if member.account.lower() == key for role in member.roles]
        if key in self.protected:
            found.append(OPERATOR_LABEL)
        return found


def parse_account(text: str, *, what: str) -> str:
    """An account address typed by a person (any case) as a checksummed address."""
    typed = text.strip()
    if not is_hex_address(typed) or not typed.lower().startswith("0x"):
        raise InvalidAccount(text, what)
    return str(to_checksum_address(typed))


def wanted_allowlist(membership: Membership, operators: Iterable[str]) -> WantedAllowlist:
    """The allowlist the nodes should hold; refuses a membership without members."""
    if not membership.members:
        raise NoMembers(membership.block)
    unique = {operator.lower(): str(to_checksum_address(operator)) for operator in operators}
    return WantedAllowlist(membership=membership, operators=tuple(unique[key] for key in sorted(unique)))


@dataclass(frozen=True)
class MembershipEvent:
    """One membership event of the grant registry, where it was logged."""

    name: str
    args: dict[str, Any]
    block_number: int
    log_index: int


def fold_membership(events: Iterable[MembershipEvent]) -> list[Member]:
    """The members after `events` (in chain order), sorted by address."""
    holdings: dict[str, dict[str, int]] = {}
    spelling: dict[str, str] = {}
    for event in events:
        account = str(event.args["account"])
        key = account.lower()
        spelling[key] = account
        if event.name in ("RoleGranted", "RoleRevoked"):
            role = Role.from_id(bytes(event.args["role"]))
            if role not in PEOPLE_ROLES:
                continue
            label = role.label
        else:
            label = COMPANY_LABEL
        held = holdings.setdefault(key, {})
        if event.name in ("RoleGranted", "CompanyAccountBound"):
            held.setdefault(label, event.block_number)
        else:
            held.pop(label, None)
    order = {label: position for position, label in enumerate([*(r.label for r in PEOPLE_ROLES), COMPANY_LABEL])}
    return [
        Member(account=spelling[key], roles=tuple(sorted(held, key=order.__getitem__)), since_block=min(held.values()))
        for key, held in sorted(holdings.items())
        if held
    ]


def read_membership(
    rpc: JsonRpc,
    manifest: DeploymentManifest,
    *,
    confirmations: int = 0,
    max_span: int = 100_000,
    target_events: int = 10_000,
) -> Membership:
    """The registry's members as the chain at `rpc` has them, `confirmations` blocks below its head.

    Checks first that the endpoint serves the manifest's chain and holds its grant registry.
    """
    try:
        chain_id = int(rpc.request("eth_chainId", []), 16)
    except RpcUnavailable as exc:
        raise ChainUnreachable(rpc.url, exc.reason) from None
    if chain_id != manifest.chain_id:
        raise NetworkMismatch(manifest.chain_id, chain_id)
    grants = manifest.contracts[GRANT_REGISTRY]
    code = bytes.fromhex(str(rpc.request("eth_getCode", [grants.address, "latest"])).removeprefix("0x"))
    if not code or "0x" + keccak(code).hex() != grants.code_hash:
        raise CodeMismatch(GRANT_REGISTRY, grants.address)
    last = int(rpc.request("eth_blockNumber", []), 16) - confirmations
    catalogue = EventCatalogue.from_contracts({GRANT_REGISTRY: (grants.address, grants.abi)})
    specs = {spec.topic0: spec for spec in catalogue.specs if spec.name in MEMBERSHIP_EVENTS}
    events = _read_events(rpc, grants.address, specs, grants.block_number, last, max_span, target_events)
    return Membership(chain_id=chain_id, block=last, members=tuple(fold_membership(events)))


def _read_events(
    rpc: JsonRpc,
    address: str,
    specs: dict[bytes, EventSpec],
    first: int,
    last: int,
    max_span: int,
    target_events: int,
) -> list[MembershipEvent]:
    span = AdaptiveSpan(_FIRST_SPAN, maximum=max(max_span, _FIRST_SPAN), target_events=target_events)
    topics = [["0x" + topic0.hex() for topic0 in specs]]
    events = []
    while first <= last:
        end = min(last, first + span.span - 1)
        query = {"fromBlock": hex(first), "toBlock": hex(end), "address": address, "topics": topics}
        try:
            logs = rpc.request("eth_getLogs", [query])
        except (RpcError, RpcTimeout) as exc:
            # A node that refuses a range as too long, or does not finish it in time, gets a shorter one.
            too_much = isinstance(exc, RpcTimeout) or (isinstance(exc, RpcError) and exc.too_much)
            if not too_much or span.span == span.minimum:
                raise
            span.too_large()
            continue
        if not isinstance(logs, list):
            raise RpcUnavailable(rpc.url, "eth_getLogs", "the answer is not a list of logs")
        span.succeeded(end - first + 1, len(logs))
        for entry in logs:
            if entry.get("removed"):
                continue
            topic_words = [bytes.fromhex(t[2:]) for t in entry["topics"]]
            spec = specs.get(topic_words[0]) if topic_words else None
            if spec is None or checksum(entry["address"]) != checksum(address):
                continue
            events.append(
                MembershipEvent(
                    name=spec.name,
                    args=spec.decode_args(topic_words[1:], bytes.fromhex(entry["data"][2:])),
                    block_number=int(entry["blockNumber"], 16),
                    log_index=int(entry["logIndex"], 16),
                )
            )
        first = end + 1
    events.sort(key=lambda e: (e.block_number, e.log_index))
    return events
