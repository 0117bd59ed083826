"""The public API's FastAPI application: `create_app(settings)` wires the context, the routes and the
middleware. The application `rnd-registry serve` runs adds the portal to it (`registry.web.app`)."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from registry.api.database_trouble import DATABASE_UNAVAILABLE_RESPONSE
from registry.api.deps import ApiContext
from registry.api.direct_lists import direct_lists
from registry.api.direct_routes import direct_routes
from registry.api.documentation import add_documentation
from registry.api.errors import install_error_handlers
from registry.api.examples import add_examples, load_examples
from registry.api.graphql import add_graphql
from registry.api.observability import ApiMetrics, ObservabilityMiddleware, count_every_route
from registry.api.parameters import declare_page_size
from registry.api.routes import DIRECT_LISTS, DIRECT_LOOKUPS, ROUTERS
from registry.chain.deployment import DeploymentManifest
from registry.settings import Settings
from registry.store.engine import open_engine, upgrade

log = logging.getLogger("registry.api")

DESCRIPTION = """\
The public record of the city's R&D grants: programs, projects, milestones with their full history,
outcomes with amendments and revocations, IP status, commercialization reports, evaluations,
members and evidence batches. Reading needs no account. The one write is the relay
(`POST /api/v1/relay`, off unless the operator configures a relayer account): it sends a request a
person signed in their own page, recorded in the signer's name; it never sees anyone's key.

**Don't trust, check.** Every record carries its `provenance`: the chain id, the registry contract,
the transaction hash, block number and time and log index of the event that created it (and
`lastChange`, of the last one that changed it), and the `signer` when the submission was signed off
chain and relayed. Any Ethereum node or explorer shows that event; the deployment manifest holds the
contracts' ABIs. Document hashes are SHA-256: `sha256sum report.pdf` gives the same.

Conventions: amounts are whole Korean won as **strings of digits** (exact beyond JavaScript's 2^53);
times are ISO 8601 in UTC (`2021-05-01T09:30:00Z`); enums are lowercase names. Lists are read a page
at a time: pass `nextCursor` back as `cursor`. Every list has an `/export` twin that returns all
matching rows as CSV (UTF-8 with BOM, for spreadsheets) or a JSON array. Errors answer
`{"error": {"status", "message", "parameter"}}`.

The same records, with the same provenance, are served by GraphQL at `/api/v1/graphql` (GET or POST; schema at
`/api/v1/graphql/schema.graphql`; queries limited in depth and cost), not described in this document.
"""


def create_app(settings: Settings | None = None, *, direct: bool = True) -> FastAPI:
    """The API over `settings`' database. `direct=False` leaves out the direct routes and lists
    (registry/api/direct_routes.py, direct_lists.py), so that every request goes through its documented
    FastAPI route: the tests compare the two."""
    settings = settings or Settings()
    engine = open_engine(settings.database_url)
    manifest = DeploymentManifest.read(settings.manifest_path) if settings.manifest_path.exists() else None
    metrics = ApiMetrics()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            upgrade(engine)  # a no-op at the newest revision; the indexer normally got there first
        except Exception as exc:  # a read-only database user may not migrate; reads still work
            log.warning("could not bring the database schema up to date: %s", exc)
        # What is loaded by now lives as long as the process: out of the collector's sight, a full
        # collection no longer walks it, so it cannot pause every request for tens of milliseconds.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            engine.dispose()

    app = FastAPI(
        title="R&D Registry: public API",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # registry.api.documentation serves /docs and /redoc from node_modules, not a CDN
        redoc_url=None,
        telemetry=None if settings.api_opentelemetry else {"tracing": False, "metrics": False, "logs": False},
        openapi_tags=[
            {"name": "index", "description": "Where to start: the lists, their exports, the documentation."},
            {
                "name": "verification",
                "description": "Is this document anchored? By hash or by upload; the answer is re-checked against "
                "the contract while answering and says how to check it yourself.",
            },
            {"name": "programs", "description": "Grant programs: budgets, caps, what was granted."},
            {"name": "projects", "description": "Grant agreements and their status changes."},
            {"name": "milestones", "description": "Milestones, tranches and every review step."},
            {"name": "outcomes", "description": "R&D outcomes, corrections, revocations and IP status."},
            {"name": "commercialization", "description": "Yearly sales, investment, royalties and jobs."},
            {"name": "evaluations", "description": "Audits: grades, clawbacks, participation restrictions."},
            {"name": "members", "description": "Role holders and company accounts (addresses and hashes only)."},
            {"name": "evidence", "description": "The anchor book: documents anchored, alone or as Merkle batches."},
            {
                "name": "statistics",
                "description": "Per program and year, per year, per company; `asOf` decides overdue.",
            },
            {"name": "operations", "description": "Health and metrics."},
            {
                "name": "relay",
                "description": "Sends requests signed in a person's own page (EIP-712 ForwardRequests) from the "
                "relay's account; refusals in Korean or English. Off unless a relayer account is configured.",
            },
        ],
    )
    app.state.context = ApiContext(settings=settings, engine=engine, manifest=manifest, extras={"metrics": metrics})
    if direct:
        # Ahead of every other route, FastAPI's documentation pages included: the lookups asked most
        # are matched before anything else is tried.
        app.router.routes[0:0] = [*direct_routes(DIRECT_LOOKUPS), *direct_lists(DIRECT_LISTS)]
    for router in ROUTERS:
        # Any route may find the database unreadable (registry/api/database_trouble.py): said on each.
        app.include_router(router, responses=DATABASE_UNAVAILABLE_RESPONSE)
    add_graphql(app, settings)
    _document_with_examples(app, settings)
    add_documentation(app, settings)
    install_error_handlers(app)
    if settings.api_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api_cors_origins,
            allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=["Content-Disposition"],
            max_age=3600,
        )
    app.add_middleware(ObservabilityMiddleware, metrics=metrics)
    count_every_route(app)
    return app


def _document_with_examples(app: FastAPI, settings: Settings) -> None:
    """The OpenAPI document, built once by FastAPI, with the captured example answers added and the
    bounds that are settings (the largest page) written in."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            declare_page_size(document, settings)
            add_examples(document, load_examples())
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
