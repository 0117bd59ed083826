"""`rnd-registry audit-copy`: compare a copy of the registry (any registry API, or a SQL copy) with
the chain, record by record, field by field and history included, and print every difference.

An auditor runs it against the city's own server with a node of their own choosing: the answer
rests on that node, never on the server being audited.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from registry.api.loopback import served_on_loopback
from registry.chain.deployment import FORWARDER, GRANT_REGISTRY, OUTCOME_REGISTRY, DeploymentManifest
from registry.checking.audit import AUDIT_KINDS, DOCUMENT, AuditScope, audit_copy, check_addresses, parse_document_key
from registry.checking.copies import ApiCopy
from registry.checking.node import Node
from registry.checking.records import RecordComparison, RegistryAddresses, forwarder_of, general_path, parse_key
from registry.cli.context import JsonOption
from registry.cli.output import console, emit, errors, user_errors
from registry.errors import ConfigurationError, RegistryError
from registry.settings import Settings, get_settings


def audit_copy_command(
    rpc: Annotated[
        str,
        typer.Option("--rpc", help="A JSON-RPC node of the chain, ideally one you trust (not the server you audit)."),
    ],
    api: Annotated[
        str | None, typer.Option("--api", help="The registry API to audit, e.g. https://registry.example.")
    ] = None,
    database: Annotated[
        str | None, typer.Option("--database", help="A SQL copy to audit instead (sqlite:///path or postgresql://...).")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help=f"Only this kind of record: {', '.join(AUDIT_KINDS)}.")
    ] = None,
    key: Annotated[
        str | None,
        typer.Option("--key", help="Only this record, with --kind: its key as JSON, e.g. '{\"projectId\": 3}'."),
    ] = None,
    grants: Annotated[
        str | None, typer.Option("--grant-registry", help="GrantRegistry address (else the manifest's).")
    ] = None,
    outcomes: Annotated[
        str | None, typer.Option("--outcome-registry", help="OutcomeRegistry address (else the manifest's).")
    ] = None,
    manifest_path: Annotated[
        Path | None, typer.Option("--manifest", help="Deployment manifest with the addresses and code hashes.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Compare a copy of the registry with the chain, record by record, and print every difference.

    Every record the chain holds and every record the copy lists is read from the node at one block
    and compared field by field with the copy, history included. Exits 1 on any difference.

    Example: rnd-registry audit-copy --api https://registry.city.example --rpc https://node.partner.example:8545
    Example: rnd-registry audit-copy --database sqlite:///.rnd-registry/registry.db --rpc http://127.0.0.1:8545
    Example: rnd-registry audit-copy --api http://127.0.0.1:8000 --rpc $RPC_URL --kind project --key '{"projectId": 1}'
    """
    with user_errors():
        if (api is None) == (database is None):
            raise RegistryError("give the copy to audit: --api URL or --database URL (one of them)")
        scope = _scope(kind, key)
        settings = get_settings()
        node = Node(rpc, timeout=settings.rpc_timeout)
        block = node.head().number
        addresses, code_hashes = _addresses(node, block, grants, outcomes, manifest_path or settings.manifest_path)
        check_addresses(node, addresses, block, code_hashes)
        with _copy(api, database, settings) as copy:
            results = list(_run(node, addresses, copy, block, scope, quiet=as_json))
    differing = [r for r in results if r.verdict != "matches"]
    summary = {
        "node": rpc,
        "chainId": node.chain_id(),
        "blockNumber": block,
        "grantRegistry": addresses.grant_registry,
        "outcomeRegistry": addresses.outcome_registry,
        "copy": api or database,
        "records": len(results),
        "matching": len(results) - len(differing),
        "differing": len(differing),
        "results": [_as_json(r) for r in (results if as_json else differing)],
    }

    def text() -> None:
        for result in differing:
            console.print(f"[red]✗[/red] {escape(result.words())}", soft_wrap=True, highlight=False)
        mark = "[green]✓[/green]" if not differing else "[red]✗[/red]"
        console.print(
            f"{mark} {len(results) - len(differing)} of {len(results)} record(s) match the chain "
            f"(chain {summary['chainId']}, block {block:,}, node {escape(rpc)}; GrantRegistry "
            f"{addresses.grant_registry}, OutcomeRegistry {addresses.outcome_registry})",
            soft_wrap=True,
            highlight=False,
        )
        derived = sorted({f"{r.kind} {general_path(path)}" for r in results for path in r.derived})
        if derived:
            words = ", ".join(derived)
            console.print(f"derived from other records, each checked on its own (not compared): {escape(words)}",
                          soft_wrap=True, highlight=False)  # fmt: skip

    emit(summary, as_json=as_json, text=text)
    if differing:
        raise typer.Exit(code=1)


def _scope(kind: str | None, key: str | None) -> AuditScope:
    if kind is not None and kind not in AUDIT_KINDS:
        raise RegistryError(f"--kind {kind!r} is not a record kind; the kinds are {', '.join(AUDIT_KINDS)}")
    if key is None:
        return AuditScope(kinds=(kind,) if kind else AUDIT_KINDS)
    if kind is None:
        raise RegistryError("--key needs --kind, which says what kind of record the key is of")
    try:
        parsed = json.loads(key)
        if not isinstance(parsed, dict):
            raise ValueError("a key is a JSON object")
        if kind == DOCUMENT:
            parse_document_key(parsed)
        else:
            parse_key(kind, parsed)
    except ValueError as error:
        raise RegistryError(f"--key: {error}") from None
    return AuditScope(kinds=(kind,), key=parsed)


def _addresses(
    node: Node, block: int, grants: str | None, outcomes: str | None, manifest_path: Path
) -> tuple[RegistryAddresses, dict[str, str] | None]:
    manifest = DeploymentManifest.read(manifest_path) if manifest_path.exists() else None
    if manifest is not None and manifest.chain_id != node.chain_id():
        raise ConfigurationError(
            f"the node at {node.url} serves chain {node.chain_id()}, but the deployment manifest {manifest_path} is "
            f"for chain {manifest.chain_id}"
        )
    grant_registry = grants or (manifest.address(GRANT_REGISTRY) if manifest else None)
    outcome_registry = outcomes or (manifest.address(OUTCOME_REGISTRY) if manifest else None)
    if grant_registry is None or outcome_registry is None:
        raise ConfigurationError(
            f"no deployment manifest at {manifest_path}: give the addresses the city publishes with "
            "--grant-registry and --outcome-registry, or --manifest"
        )
    hashes = None
    if manifest is not None and grants is None and outcomes is None:
        hashes = {name: manifest.contracts[name].code_hash for name in (GRANT_REGISTRY, OUTCOME_REGISTRY, FORWARDER)}
    first = manifest.deploy_block if manifest is not None else 0
    forwarder = forwarder_of(node, grant_registry, block)
    return RegistryAddresses(grant_registry, outcome_registry, forwarder, first), hashes


@contextmanager
def _copy(api: str | None, database: str | None, settings: Settings) -> Iterator[ApiCopy]:
    if api is not None:
        yield ApiCopy(api)
        return
    assert database is not None
    # The registry's own API over the SQL copy, on a loopback port for as long as the audit reads it:
    # the copy is read through the same models the public reads it through.
    from registry.api.app import create_app

    app = create_app(settings.model_copy(update={"database_url": database}))
    with served_on_loopback(app, what=f"the SQL copy {database}") as url:
        yield ApiCopy(url)


def _run(
    node: Node, addresses: RegistryAddresses, copy: ApiCopy, block: int, scope: AuditScope, *, quiet: bool
) -> Iterator[RecordComparison]:
    last = [""]

    def progress(kind: str, number: int) -> None:
        if not quiet and kind != last[0]:
            errors.print(f"[dim]checking {kind} records…[/dim]", highlight=False)
            last[0] = kind

    yield from audit_copy(node, addresses, copy, block, scope, progress=progress)


def _as_json(result: RecordComparison) -> dict[str, Any]:
    return {
        "kind": result.kind,
        "key": result.key,
        "verdict": result.verdict,
        "compared": result.compared,
        "differences": [{"field": d.path, "copy": d.copy, "chain": d.chain} for d in result.differences],
        "notChecked": result.unchecked,
        "derived": result.derived,
    }
