"""`rnd-registry serve`: the public API over the indexed database (and the relay, when configured), with uvicorn."""

from __future__ import annotations

from typing import Annotated, Any

import typer
import uvicorn

from registry.api.slow_clients import HttpToolsWithDeadlines
from registry.cli.output import user_errors
from registry.settings import get_settings
from registry.store.engine import check_database, describe

#: Seconds a worker process may take to start serving, or to answer the supervisor's health check.
WORKER_START_SECONDS = 120


def _log_config() -> dict[str, Any]:
    """uvicorn's own messages as usual; the API's access log as bare JSON lines on standard output."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(message)s"},
            "server": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "handlers": {
            "access": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stdout"},
            "server": {"class": "logging.StreamHandler", "formatter": "server", "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "registry.api.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
            "registry.api": {"handlers": ["server"], "level": "INFO", "propagate": False},
            "uvicorn": {"handlers": ["server"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
        },
    }


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (RND_API_HOST, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (RND_API_PORT, 8000).", min=1, max=65535)] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (one serves thousands of reads a second).", min=1)] = 1,
    access_log: Annotated[bool, typer.Option(help="Write a JSON line per request to standard output.")] = True,
) -> None:
    """Serve the public API: every record with its provenance, lists with filters and cursors, CSV and
    JSON exports, /health, /metrics, an index of it all at /api/v1, and the OpenAPI documentation at
    /docs (Swagger UI) and /redoc (ReDoc).

    It reads the database `rnd-registry index` writes (RND_DATABASE_URL); run `rnd-registry index
    --follow` beside it to keep the answers current. Browsers on other sites may call it if
    RND_API_CORS_ORIGINS names them. With a relayer account (RND_RELAY_ACCOUNT) it also relays
    requests people signed themselves, at POST /api/v1/relay.

    Example: rnd-registry serve --host 0.0.0.0 --port 8000
    """
    settings = get_settings()
    with user_errors():
        where = describe(settings.database_url)
        check_database(settings.database_url)  # one line now, rather than errors on every request
    chosen_host = host or settings.api_host
    chosen_port = port or settings.api_port
    typer.echo(
        f"serving {where} at http://{chosen_host}:{chosen_port} (API at /api/v1, documentation at /docs and /redoc)",
        err=True,
    )
    config = _log_config()
    if not access_log:
        config["loggers"]["registry.api.access"]["level"] = "WARNING"
    # The factory runs in each worker, which reads the same RND_* settings as this process.
    uvicorn.run(
        "registry.web.app:create_app",
        factory=True,
        host=chosen_host,
        port=chosen_port,
        workers=workers,
        loop="uvloop",
        http=HttpToolsWithDeadlines,  # httptools, with deadlines for a request's headers and body
        access_log=False,  # the API writes its own, with route templates and durations
        log_config=config,
        proxy_headers=True,
        # With --workers, uvicorn restarts a worker that is not serving within this many seconds (5 by
        # default): on a busy machine importing the application alone can take longer, and the workers
        # were then killed and restarted for ever, the server never answering.
        timeout_worker_healthcheck=WORKER_START_SECONDS,
    )
