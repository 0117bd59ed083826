"""`rnd-registry index [--follow] | status | reset`: the SQL copy of the registry that the API reads."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Annotated, Any

import typer
from rich.logging import RichHandler
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from registry.chain.deployment import DeploymentManifest
from registry.cli.output import console, emit, errors, user_errors, warn
from registry.errors import NetworkMismatch
from registry.evidence.store import DocumentStore
from registry.indexer.runner import Indexer, RunSummary, read_status
from registry.indexer.runner import Progress as IndexProgress
from registry.settings import Settings, get_settings
from registry.store.batch_members import BatchMembersRefresh, refresh_batch_members
from registry.store.engine import clear, describe, open_engine, upgrade

#: The exit status of a run stopped by a signal before it was done (128 + SIGINT, as shells report it).
INTERRUPTED = 130

app = typer.Typer(
    help="Copy the registry's events from the chain into the SQL database (SQLite by default) the API reads, "
    "and keep the copy exact.",
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


@app.callback(invoke_without_command=True)
def index(
    ctx: typer.Context,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="After catching up, keep indexing new blocks until stopped.")
    ] = False,
    roll_back_reorgs: Annotated[
        bool,
        typer.Option(
            "--roll-back-reorgs",
            help="If the chain replaced blocks already indexed, roll the copy back and follow it "
            "(RND_INDEX_ROLL_BACK_REORGS); without it such a run is refused and changes nothing.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Index every registry event from the deployment block to the head; with --follow, keep going.

    The database is RND_DATABASE_URL (a SQLite file in the data directory unless set). Blocks are
    indexed once RND_CONFIRMATIONS blocks bury them (0 by default, for chains with instant finality).
    Interrupting is safe at any moment: the next run continues where the last batch ended. A chain
    that replaces blocks already indexed is refused unless --roll-back-reorgs says to follow it.

    Example: rnd-registry index --follow
    """
    if ctx.invoked_subcommand is not None:
        return
    settings = get_settings()
    if roll_back_reorgs:
        settings = settings.model_copy(update={"index_roll_back_reorgs": True})
    _log_to_stderr()
    with user_errors():
        manifest = DeploymentManifest.read(settings.manifest_path)
        if settings.chain_id is not None and settings.chain_id != manifest.chain_id:
            raise NetworkMismatch(settings.chain_id, manifest.chain_id)
        stop = threading.Event()
        with _stop_on_signals(stop), _ProgressDisplay(enabled=not as_json, follow=follow) as display:
            indexer = Indexer.open(settings, manifest, stop=stop, on_progress=display.update)
            try:
                summary = indexer.run(follow=follow)
            finally:
                indexer.close()
        members = _refresh_batch_members(settings)
    emit(
        _summary(summary) | {"batchMembersAdded": members.members_added},
        as_json=as_json,
        text=lambda: _print_summary(summary),
    )
    target = summary.head_block - settings.confirmations
    if stop.is_set() and (summary.head_block < 0 or summary.indexed_block < target):
        # Stopped (Ctrl-C, SIGTERM) with work left: not a success, whatever was saved.
        reached = f"at block {summary.indexed_block:,} of {target:,}"
        if summary.head_block < 0:
            reached = "before the chain answered"
        warn(f"stopped {reached}; what was indexed is kept: run `rnd-registry index` again to go on")
        raise typer.Exit(INTERRUPTED)


def _refresh_batch_members(settings: Settings) -> BatchMembersRefresh:
    """Lists the documents of newly indexed batches from their manifests in the document store, in a
    transaction of its own (see `registry.store.batch_members` for why not in the indexer's)."""
    engine = open_engine(settings.database_url)
    try:
        with engine.begin() as connection:
            return refresh_batch_members(connection, DocumentStore(settings.document_store_dir))
    finally:
        engine.dispose()


@app.command()
def status(as_json: JsonOption = False) -> None:
    """Show the chain's head, the last indexed block and the lag between them.

    Example: rnd-registry index status
    """
    with user_errors():
        found = read_status(get_settings())

    def show() -> None:
        if found.indexed_block is None:
            console.print(f"{found.database}: nothing indexed yet; run `rnd-registry index`")
            return
        head = f"{found.head_block:,}" if found.head_block is not None else f"unknown ({found.head_error})"
        lag = f"{found.lag:,} block(s) behind" if found.lag is not None else "lag unknown"
        console.print(
            f"{found.database}: indexed to block [bold]{found.indexed_block:,}[/bold], chain head {head} — {lag} "
            f"({found.confirmations} confirmation(s) required); {found.events:,} events since block "
            f"{found.deploy_block:,} on chain {found.chain_id}"
        )

    emit(found.as_dict(), as_json=as_json, text=show)


@app.command()
def reset(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Delete everything indexed (the schema stays), so the next `index` reads the chain from the start.

    Needed when the database holds another deployment's events, e.g. after redeploying on a reset chain.

    Example: rnd-registry index reset --yes
    """
    settings = get_settings()
    with user_errors():
        where = describe(settings.database_url)
        if not yes:
            typer.confirm(f"Delete everything indexed in {where}?", abort=True)
        engine = open_engine(settings.database_url)
        try:
            upgrade(engine)
            clear(engine)
        finally:
            engine.dispose()
    emit({"database": where, "cleared": True}, as_json=as_json, text=lambda: console.print(f"cleared {where}"))


class _ProgressDisplay:
    """A progress bar while backfilling: blocks, events and events per second; then, in follow mode, a
    line per new batch."""

    def __init__(self, *, enabled: bool, follow: bool) -> None:
        self.enabled = enabled
        self.follow = follow
        self._progress = Progress(
            TextColumn("indexing"),
            BarColumn(),
            TextColumn("block {task.fields[block]:,} of {task.fields[target]:,}"),
            TextColumn("{task.fields[events]:,} events"),
            TextColumn("{task.fields[rate]:,.0f} events/s"),
            TimeElapsedColumn(),
            console=errors,
            transient=False,
        )
        self._task: TaskID | None = None
        self._caught_up = False
        self._events = 0

    def __enter__(self) -> _ProgressDisplay:
        if self.enabled:
            self._progress.start()
        return self

    def __exit__(self, *_: Any) -> None:
        self._progress.stop()

    def update(self, progress: IndexProgress) -> None:
        if not self.enabled:
            return
        if self._caught_up:
            if progress.events > self._events:
                errors.print(
                    f"block {progress.indexed_block:,}: {progress.events - self._events:,} new event(s)",
                    highlight=False,
                )
            self._events = progress.events
            return
        if self._task is None:
            self._task = self._progress.add_task("indexing", total=None, block=0, target=0, events=0, rate=0.0)
        self._progress.update(
            self._task,
            completed=progress.indexed_block - progress.start_block,
            total=max(progress.target_block - progress.start_block, 1),
            block=progress.indexed_block,
            target=progress.target_block,
            events=progress.events,
            rate=progress.events_per_second,
        )
        if progress.caught_up and self.follow:
            self._progress.stop()
            self._caught_up = True
            self._events = progress.events
            errors.print(
                f"caught up at block {progress.indexed_block:,}; following new blocks (Ctrl-C to stop)",
                highlight=False,
            )


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C or SIGTERM ends the run between two batches (or at once while it waits)."""

    def handle(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _log_to_stderr() -> None:
    handler = RichHandler(console=errors, show_path=False, show_time=True, markup=False)
    handler.setLevel(logging.INFO)
    indexer_log = logging.getLogger("registry.indexer")
    if not any(isinstance(h, RichHandler) for h in indexer_log.handlers):
        indexer_log.addHandler(handler)
    indexer_log.setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _summary(summary: RunSummary) -> dict[str, Any]:
    return {
        "indexedBlock": summary.indexed_block,
        "headBlock": summary.head_block,
        "events": summary.events,
        "batches": summary.batches,
        "reorgs": summary.reorgs,
        "seconds": round(summary.seconds, 3),
    }


def _print_summary(summary: RunSummary) -> None:
    rate = summary.events / summary.seconds if summary.seconds > 0 else 0.0
    reorgs = f", {summary.reorgs} reorganization(s) rolled back" if summary.reorgs else ""
    console.print(
        f"indexed to block [bold]{summary.indexed_block:,}[/bold] (head {summary.head_block:,}): "
        f"{summary.events:,} events in {summary.seconds:.1f} s ({rate:,.0f} events/s){reorgs}"
    )
