"""`/health` and `/metrics`: whether the API can answer and how far behind the chain it is, for
people and for load balancers; and Prometheus metrics.

Both are plain functions, run in a worker thread, because they wait on the chain's RPC endpoint
(at most `api_rpc_timeout` seconds).
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from registry.api.database_trouble import DATABASE_ERRORS
from registry.api.deps import Context
from registry.api.observability import ApiMetrics, read_chain_head
from registry.api.schemas.operations import ChainHealth, DatabaseHealth, Health, IndexerHealth
from registry.indexer.checkpoint import Checkpoint, read_checkpoint

router = APIRouter(tags=["operations"])


def _checkpoint(context: Context) -> tuple[Checkpoint | None, str | None]:
    """The indexer's checkpoint, and what is wrong with the database if it (or, lately, any request's
    read) failed, in the words a 503 of any route uses."""
    watch = context.database_watch
    try:
        with context.engine.connect() as connection:
            checkpoint = read_checkpoint(connection)
    except DATABASE_ERRORS as exc:
        return None, watch.failed(exc, "GET /health").message
    trouble = watch.recent()
    return checkpoint, None if trouble is None else trouble.message


def _health(context: Context) -> Health:
    checkpoint, database_error = _checkpoint(context)
    head = read_chain_head(context.settings.rpc_url, context.settings.api_rpc_timeout)
    indexed = checkpoint.indexed_block if checkpoint is not None else None
    lag = max(head.block - indexed, 0) if head.block is not None and indexed is not None else None
    status: Literal["ok", "degraded", "unavailable"]
    if database_error is not None:
        status = "unavailable"
    elif head.error is not None:
        status = "degraded"
    else:
        status = "ok"
    return Health(
        status=status,
        database=DatabaseHealth(ok=database_error is None, error=database_error),
        chain=ChainHealth(ok=head.error is None, head_block=head.block, error=head.error),
        indexer=IndexerHealth(
            chain_id=checkpoint.chain_id if checkpoint else None, indexed_block=indexed, lag_blocks=lag
        ),
    )


@router.get(
    "/health",
    response_model=Health,
    summary="Health: database, chain and indexer lag",
    responses={503: {"model": Health, "description": "The database cannot be read."}},
)
def health(context: Context) -> Response:
    found = _health(context)
    status_code = 503 if found.status == "unavailable" else 200
    return JSONResponse(found.model_dump(mode="json"), status_code=status_code)


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}, "description": "Metrics."}},
)
def metrics(context: Context) -> Response:
    found = _health(context)
    collected: ApiMetrics = context.extras["metrics"]  # type: ignore[assignment]
    if found.indexer.indexed_block is not None:
        collected.indexed_block.set(found.indexer.indexed_block)
    if found.chain.head_block is not None:
        collected.head_block.set(found.chain.head_block)
    if found.indexer.lag_blocks is not None:
        collected.lag.set(found.indexer.lag_blocks)
    return Response(generate_latest(collected.registry), media_type=CONTENT_TYPE_LATEST)
