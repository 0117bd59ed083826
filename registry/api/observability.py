"""Request logs and Prometheus metrics of the API.

Each request gives one access-log line on the logger `registry.api.access`, a JSON object (method,
path, route template, status, duration, client), and feeds two metrics labelled by route template
(never by raw path, which would grow without bound): a request counter and a latency histogram.
`/metrics` also shows how far the indexer is behind the chain. Metrics live in a registry of the
application's own, so two applications in one process (tests) do not collide.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from starlette.applications import Starlette
from starlette.routing import Match, Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from registry.indexer.rpc import JsonRpc, RpcError, RpcUnavailable

access_log = logging.getLogger("registry.api.access")
log = logging.getLogger("registry.api")

#: Latency buckets in seconds, finer where a point lookup lands (about a millisecond).
_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class ApiMetrics:
    """The API's metrics, in a registry of their own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "registry_api_requests", "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"], registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "registry_api_request_duration_seconds", "Time to answer a request, by method and route template.",
            ["method", "route"], buckets=_BUCKETS, registry=self.registry,
        )  # fmt: skip
        self.indexed_block = Gauge(
            "registry_indexer_indexed_block", "The last block the indexer has written.", registry=self.registry
        )
        self.head_block = Gauge("registry_chain_head_block", "The chain's newest block.", registry=self.registry)
        self.lag = Gauge(
            "registry_indexer_lag_blocks", "Blocks the chain is ahead of the indexed database.", registry=self.registry
        )


class ObservabilityMiddleware:
    """ASGI middleware (not Starlette's BaseHTTPMiddleware, which costs a task per request) that
    times each HTTP request, counts it and writes its access-log line."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics
        # The labelled series, kept: `labels()` checks and locks on every call, a dict lookup does not.
        self._counters: dict[tuple[str, str, int], Counter] = {}
        self._timers: dict[tuple[str, str], Histogram] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            seconds = time.perf_counter() - started
            template = route_template(scope.get("route"))
            method = scope["method"]
            counter = self._counters.get((method, template, status))
            if counter is None:
                counter = self._counters[(method, template, status)] = self.metrics.requests.labels(
                    method, template, str(status)
                )
            counter.inc()
            timer = self._timers.get((method, template))
            if timer is None:
                timer = self._timers[(method, template)] = self.metrics.latency.labels(method, template)
            timer.observe(seconds)
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(_access_line(scope, template, status, seconds))


def route_template(route: Any) -> str:
    """The label of the route that answered: its template without convertors (a direct route counts with its
    FastAPI twin; a mount, `/static/{path}`, counts every file under it), or `unmatched` when no route did."""
    return getattr(route, "path_format", None) or "unmatched"


class CountedMount(Mount):
    """A mount (static files) that names itself in the scope, as FastAPI's routes do, so that its requests
    are counted under its own label rather than as unmatched."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not Match.NONE:
            child_scope["route"] = self
        return match, child_scope


class CountedRoute(Route):
    """A plain Starlette route (as FastAPI adds for /openapi.json and /redoc) that names itself in the scope."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not Match.NONE:
            child_scope["route"] = self
        return match, child_scope


def count_every_route(app: Starlette) -> None:
    """Replaces the application's plain Starlette routes, which do not name themselves in the scope, by
    `CountedRoute`s, so that every request a route answers counts under its template."""
    for index, route in enumerate(app.router.routes):
        if type(route) is Route:
            app.router.routes[index] = CountedRoute(
                route.path, route.endpoint, methods=list(route.methods or ()) or None, name=route.name,
                include_in_schema=route.include_in_schema,
            )  # fmt: skip


def _access_line(scope: Scope, template: str, status: int, seconds: float) -> str:
    client = scope.get("client")
    entry: dict[str, Any] = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "method": scope["method"],
        "path": scope["path"],
        "query": scope.get("query_string", b"").decode("latin-1"),
        "route": template,
        "status": status,
        "durationMs": round(seconds * 1000, 3),
        "client": client[0] if client else None,
    }
    return json.dumps(entry, ensure_ascii=False)


@dataclass(frozen=True)
class ChainHead:
    """The chain's newest block, or why it could not be read."""

    block: int | None
    error: str | None


def read_chain_head(rpc_url: str, timeout: float) -> ChainHead:
    """One attempt at `eth_blockNumber`, within `timeout` seconds: an unreachable chain is reported,
    not waited for. The reason leaves the node's URL out, as the verification's live check does: it
    may hold an access key, and /health is public; the API's log has it."""
    rpc = JsonRpc(rpc_url, timeout=timeout)
    try:
        return ChainHead(int(rpc.request("eth_blockNumber", []), 16), None)
    except RpcUnavailable as exc:
        log.warning("the chain's head could not be read: %s", exc)
        return ChainHead(None, f"{exc.method} to the registry's node: {exc.reason}")
    except RpcError as exc:
        return ChainHead(None, str(exc))
    except ValueError:
        return ChainHead(None, "the node's answer to eth_blockNumber is not a block number")
    finally:
        rpc.close()
