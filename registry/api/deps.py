"""What a route needs, as `Annotated[..., Depends()]` aliases: the application's context (settings,
database engine, deployment) and a database connection per request.

The dependencies are coroutines on purpose: FastAPI runs a plain function dependency in a worker
thread, and the hop there and back costs more than a SQLite point read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool

from registry.api.database_trouble import DatabaseWatch
from registry.api.provenance import RegistryContracts
from registry.api.statistics_cache import StatisticsCache
from registry.chain.deployment import DeploymentManifest
from registry.settings import Settings
from registry.store.queries.prepared import Snapshot
from registry.store.read_connections import ReadConnections

T = TypeVar("T")


@dataclass
class ApiContext:
    """Everything the routes share, built once by `create_app` and kept on `app.state.context`."""

    settings: Settings
    engine: Engine
    #: The deployment the indexed database follows (None until one is deployed and found).
    manifest: DeploymentManifest | None = None
    #: Free slots for components that are built lazily and shared (a chain reader, caches...).
    extras: dict[str, object] = field(default_factory=dict)
    _contracts: RegistryContracts | None = None
    _reads: ReadConnections | None = None
    #: The statistics computed so far, shared by the API and the portal (built with the context, so
    #: that the threads asking at once share one).
    statistics: StatisticsCache = field(init=False)
    #: The database failures requests met, for their 503s and for `/health`.
    database_watch: DatabaseWatch = field(init=False)

    def __post_init__(self) -> None:
        self.statistics = StatisticsCache(self.engine, max_age=self.settings.api_statistics_max_age)
        self.database_watch = DatabaseWatch(self.settings.database_url)

    @contextmanager
    def snapshot(self) -> Iterator[Snapshot]:
        """A read snapshot for the lookups: the reads of one answer see one state of the database
        (on SQLite, on a connection this thread keeps; see `ReadConnections`)."""
        with self.read_connections().snapshot() as reader:
            yield reader

    async def data_version(self) -> tuple[int, str]:
        """A value that changes whenever anything was committed to the database since it was last read
        (`registry/store/queries/prepared.py`'s `data_version`), on the connection the lookups use."""
        return await self.read(self.read_connections().data_version)

    def read_connections(self) -> ReadConnections:
        """The snapshots and change counter the lookups and lists read (one SQLite connection per thread)."""
        if self._reads is None:
            self._reads = ReadConnections(self.engine)
        return self._reads

    async def read(self, work: Callable[[], T]) -> T:
        """Runs `work`, a function that reads the database: inline on SQLite, whose indexed reads take
        microseconds (less than handing them to a worker thread); in a worker thread on PostgreSQL,
        whose round trips would otherwise hold up every other request."""
        if self.engine.dialect.name == "sqlite":
            return work()
        return await run_in_threadpool(work)

    def contracts(self) -> RegistryContracts:
        """The chain and registry contracts the records come from: the manifest's, or else what the
        indexer recorded (read once, when the first record is shown: an empty database has none)."""
        if self._contracts is None:
            if self.manifest is not None:
                self._contracts = RegistryContracts.from_manifest(self.manifest)
            else:
                with self.engine.connect() as connection:
                    self._contracts = RegistryContracts.from_database(connection)
        return self._contracts


async def get_context(request: Request) -> ApiContext:
    context: ApiContext = request.app.state.context
    return context


Context = Annotated[ApiContext, Depends(get_context)]


async def get_connection(context: Context) -> AsyncIterator[Connection]:
    """A read-only connection for one request (from the engine's pool: opening it costs microseconds)."""
    with context.engine.connect() as connection:
        yield connection


DatabaseConnection = Annotated[Connection, Depends(get_connection)]
