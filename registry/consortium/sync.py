"""Bringing each node's account allowlist in line with the registry: a plan per node, applied, reported.

Per node: read its allowlist, compare it with the wanted accounts without regard to letter case
(Besu lists lowercase, the registry's events give checksummed addresses), add the missing ones,
then remove the ones no longer wanted, never an always-allowed operator account. Adding first
means a failure halfway never leaves a wanted account out. Besu changes all the accounts of a
request or none, and refuses one that names an account already added (or already removed): when
another sync got there first, the list is read again and the plan made again, once. Each node is
synced on its own, so one unreachable node does not keep the others from being brought in line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from registry.consortium.allowlist import WantedAllowlist
from registry.consortium.besu import BesuPermissioning, NodeUnreachable, PermissioningRefused
from registry.errors import NetworkMismatch, RegistryError

#: Refusals that mean the node's list changed between reading it and changing it.
_RACED = ("existing-entry", "absent-entry")


class NodeStatus(Enum):
    """How the sync of one node ended."""

    SYNCED = "synced"  # changed, and now holds the wanted accounts
    IN_LINE = "in-line"  # already held the wanted accounts; nothing was changed
    PLANNED = "planned"  # dry run: what would change was worked out, nothing was changed
    UNREACHABLE = "unreachable"
    FAILED = "failed"

    @property
    def ok(self) -> bool:
        return self in (NodeStatus.SYNCED, NodeStatus.IN_LINE, NodeStatus.PLANNED)


@dataclass(frozen=True)
class AllowlistPlan:
    """What to change on one node: accounts to add (checksummed), to remove (as the node lists them),
    and the node's entries that stay."""

    to_add: tuple[str, ...]
    to_remove: tuple[str, ...]
    unchanged: tuple[str, ...]

    @property
    def changes(self) -> bool:
        return bool(self.to_add or self.to_remove)


def plan_allowlist(current: Iterable[str], wanted: WantedAllowlist) -> AllowlistPlan:
    """The changes that make `current` (a node's list) hold exactly the wanted accounts.

    Addresses compare in lowercase. An entry of a protected (always-allowed) account is never
    removed, even if the wanted accounts were computed without it.
    """
    listed: dict[str, str] = {}
    for entry in current:
        listed.setdefault(entry.lower(), entry)
    accounts = wanted.accounts
    protected = wanted.protected
    return AllowlistPlan(
        to_add=tuple(address for key, address in accounts.items() if key not in listed),
        to_remove=tuple(entry for key, entry in sorted(listed.items()) if key not in accounts and key not in protected),
        unchanged=tuple(entry for key, entry in sorted(listed.items()) if key in accounts or key in protected),
    )


@dataclass
class NodeReport:
    """What the sync did on one node."""

    url: str
    status: NodeStatus
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: What the node lists after the sync (after a dry run: what it lists now).
    allowlist: list[str] = field(default_factory=list)
    error: str | None = None
    problem: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "node": self.url,
            "status": self.status.value,
            "added": self.added,
            "removed": self.removed,
            "unchanged": len(self.unchanged),
            "allowlist": self.allowlist,
            "error": self.error,
            "problem": self.problem,
        }


def sync_node(node: BesuPermissioning, wanted: WantedAllowlist, *, dry_run: bool = False) -> NodeReport:
    """Brings one node's allowlist in line with `wanted` (or, in a dry run, says what that would change)."""
    try:
        chain_id = node.chain_id()
        if chain_id != wanted.membership.chain_id:
            raise NetworkMismatch(wanted.membership.chain_id, chain_id)
        return _sync(node, wanted, dry_run=dry_run, retry=True)
    except NodeUnreachable as exc:
        return NodeReport(node.url, NodeStatus.UNREACHABLE, error=str(exc), problem="unreachable")
    except PermissioningRefused as exc:
        return NodeReport(node.url, NodeStatus.FAILED, error=str(exc), problem=exc.problem)
    except NetworkMismatch as exc:
        message = f"{node.url} serves chain {exc.actual}, but the registry is on chain {exc.expected}; left alone"
        return NodeReport(node.url, NodeStatus.FAILED, error=message, problem="other-chain")


def _sync(node: BesuPermissioning, wanted: WantedAllowlist, *, dry_run: bool, retry: bool) -> NodeReport:
    current = node.accounts_allowlist()
    plan = plan_allowlist(current, wanted)
    report = NodeReport(node.url, NodeStatus.PLANNED, unchanged=list(plan.unchanged), allowlist=current)
    if dry_run:
        report.added, report.removed = list(plan.to_add), list(plan.to_remove)
        return report
    if not plan.changes:
        report.status = NodeStatus.IN_LINE
        return report
    try:
        if plan.to_add:
            node.add_accounts(plan.to_add)
            report.added = list(plan.to_add)
        if plan.to_remove:
            node.remove_accounts(plan.to_remove)
            report.removed = list(plan.to_remove)
    except PermissioningRefused as exc:
        if not (retry and exc.problem in _RACED):
            raise
        again = _sync(node, wanted, dry_run=False, retry=False)
        again.added[:0] = report.added
        again.removed[:0] = report.removed
        if again.status is NodeStatus.IN_LINE and (report.added or report.removed):
            again.status = NodeStatus.SYNCED
        return again
    report.status, report.allowlist = NodeStatus.SYNCED, node.accounts_allowlist()
    left = plan_allowlist(report.allowlist, wanted)
    if left.changes:  # the node did not keep what it was told, or someone changed it at the same time
        report.status, report.problem = NodeStatus.FAILED, "not-in-line"
        report.error = (
            f"{node.url} still lists {len(left.to_remove)} account(s) too many and misses {len(left.to_add)} after "
            "the sync; run it again"
        )
    return report


def sync_nodes(
    urls: Sequence[str],
    wanted: WantedAllowlist,
    *,
    dry_run: bool = False,
    timeout: float = 10.0,
    on_report: Callable[[NodeReport], None] | None = None,
) -> list[NodeReport]:
    """Syncs each node in turn, whatever became of the others; `on_report` hears of each as it ends."""
    reports = []
    for url in urls:
        with BesuPermissioning(url, timeout=timeout) as node:
            report = sync_node(node, wanted, dry_run=dry_run)
        reports.append(report)
        if on_report is not None:
            on_report(report)
    return reports


class NodesNotInLine(RegistryError):
    """Some nodes could not be brought in line; the others were."""

    def __init__(self, failed: Sequence[NodeReport], total: int) -> None:
        self.failed = list(failed)
        names = ", ".join(f"{r.url} ({r.problem})" for r in failed)
        super().__init__(f"{len(failed)} of {total} node(s) could not be brought in line: {names}")
