"""`rnd-registry consortium sync-allowlist`: each consortium node's account allowlist kept equal to the
registry's members, so one on-chain directory decides both who holds a registry role and who may
send transactions on the chain."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

import typer
from rich.markup import escape

from registry.chain.deployment import DeploymentManifest
from registry.cli.account import resolve_account
from registry.cli.context import JsonOption
from registry.cli.output import console, emit, user_errors
from registry.consortium.allowlist import WantedAllowlist, parse_account, read_membership, wanted_allowlist
from registry.consortium.sync import NodeReport, NodesNotInLine, NodeStatus, sync_nodes
from registry.errors import NetworkMismatch, RegistryError
from registry.indexer.rpc import JsonRpc
from registry.settings import get_settings

app = typer.Typer(
    help="Run the registry on a consortium chain (Hyperledger Besu with QBFT): keep each node's account "
    "allowlist equal to the registry's members. See consortium/besu/README.md."
)


@app.command(name="sync-allowlist")
def sync_allowlist(
    node: Annotated[
        list[str] | None,
        typer.Option(
            "--node",
            metavar="URL",
            help="JSON-RPC URL of a Besu node with the PERM API; repeat for several (default: RND_CONSORTIUM_NODES).",
        ),
    ] = None,
    keep: Annotated[
        list[str] | None,
        typer.Option(
            "--keep",
            metavar="0x...",
            help="An account always allowed and never removed, member or not (a validator's account, the relayer); "
            "repeat for several; added to RND_CONSORTIUM_KEEP_ACCOUNTS.",
        ),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option(
            "--account",
            "-a",
            envvar="RND_ACCOUNT",
            help="The account this sync runs for (a keystore label or 0x address): always allowed, never removed.",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change on each node; change nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Bring each node's account allowlist in line with the registry: add new members, remove revoked ones.

    Members hold the top admin, admin, auditor or member role, or a company binding, at RND_RPC_URL.

    Always-allowed accounts (--keep, RND_CONSORTIUM_KEEP_ACCOUNTS, --account) are added, never removed.

    An unreachable node does not stop the others, but the exit status is then 1.

    Run it from cron, or after each membership change (see consortium/besu/README.md).

    Example: rnd-registry consortium sync-allowlist --node http://10.0.0.11:8545 --node http://10.0.0.12:8545 --dry-run

    Example: rnd-registry consortium sync-allowlist --keep 0x90F79bf6EB2c4f870365E785982E1f101E93b906 -a city-relay
    """
    with user_errors():
        settings = get_settings()
        urls = _node_urls(node or settings.consortium_nodes)
        kept = [*settings.consortium_keep_accounts, *(keep or [])]
        operators = [parse_account(text, what="an always-allowed account") for text in kept]
        if account is not None:
            operators.append(resolve_account(account))
        manifest = DeploymentManifest.read(settings.manifest_path)
        if settings.chain_id is not None and settings.chain_id != manifest.chain_id:
            raise NetworkMismatch(settings.chain_id, manifest.chain_id)
        rpc = JsonRpc(settings.rpc_url, timeout=settings.rpc_timeout)
        try:
            membership = read_membership(
                rpc,
                manifest,
                confirmations=settings.confirmations,
                max_span=settings.index_max_batch_blocks,
                target_events=settings.index_batch_events,
            )
        finally:
            rpc.close()
        wanted = wanted_allowlist(membership, operators)

    if not as_json:
        _print_wanted(wanted)
    reports = sync_nodes(
        urls,
        wanted,
        dry_run=dry_run,
        timeout=settings.rpc_timeout,
        on_report=None if as_json else lambda report: _print_report(report, wanted),
    )
    if as_json:
        emit(
            {
                "chainId": wanted.membership.chain_id,
                "block": wanted.membership.block,
                "dryRun": dry_run,
                "members": [member.as_dict() for member in wanted.membership.members],
                "alwaysAllowed": list(wanted.operators),
                "nodes": [report.as_dict() for report in reports],
            },
            as_json=True,
            text=lambda: None,
        )
    failed = [report for report in reports if not report.status.ok]
    if failed:
        with user_errors():
            raise NodesNotInLine(failed, len(reports))


def _node_urls(given: list[str]) -> list[str]:
    """The nodes to sync, each once, checked to be HTTP(S) URLs."""
    if not given:
        raise RegistryError("name the nodes to sync: --node URL (repeat for several), or set RND_CONSORTIUM_NODES")
    urls: list[str] = []
    for text in given:
        url = text.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RegistryError(
                f"{text!r} is not a node's JSON-RPC URL; give it as http://host:port, e.g. http://127.0.0.1:8545"
            )
        if url not in urls:
            urls.append(url)
    return urls


def _print_wanted(wanted: WantedAllowlist) -> None:
    membership = wanted.membership
    console.print(
        f"registry on chain {membership.chain_id} at block {membership.block:,}: {len(membership.members)} member(s), "
        f"{len(wanted.operators)} always-allowed account(s), {len(wanted.accounts)} account(s) to allow",
        highlight=False,
        soft_wrap=True,
    )


def _print_report(report: NodeReport, wanted: WantedAllowlist) -> None:
    url = escape(report.url)
    if report.status is NodeStatus.UNREACHABLE or report.status is NodeStatus.FAILED:
        said = (report.error or "").removeprefix(report.url).removeprefix(":").strip()
        console.print(f"[red]{url}: {report.status.value}[/red] — {escape(said)}", soft_wrap=True)
        return
    if report.status is NodeStatus.IN_LINE:
        console.print(f"{url}: in line, {len(report.unchanged)} account(s) allowed; nothing to change", soft_wrap=True)
        return
    verb = ("would add", "would remove") if report.status is NodeStatus.PLANNED else ("added", "removed")
    summary = f"{verb[0]} {len(report.added)}, {verb[1]} {len(report.removed)}, {len(report.unchanged)} unchanged"
    note = " (dry run: nothing was changed)" if report.status is NodeStatus.PLANNED else ""
    console.print(f"[green]{url}[/green]: {summary}{note}", soft_wrap=True, highlight=False)
    for address in report.added:
        console.print(f"  + {address}  ({', '.join(wanted.reasons(address))})", soft_wrap=True, highlight=False)
    for address in report.removed:
        console.print(f"  - {address}", soft_wrap=True, highlight=False)
