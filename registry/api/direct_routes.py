"""Direct routes: the lookups asked most (one record by its id, a document by its hash) served by a
plain Starlette route placed ahead of FastAPI's, with the same answer and the same bytes.

Why by hand: FastAPI's per-request machinery (matching through the included routers, solving the
dependencies, validating the returned model once more before serializing it) costs about twice what
the lookup itself does, and the public API must answer thousands of lookups a second on one core
(`make api-benchmark`). No library offers a cheaper path that keeps FastAPI's documentation.

One description per route: a direct route is made from its lookup's documented FastAPI route
(`DirectLookup.of(router, endpoint)`), never written beside it, so the OpenAPI document describes
what the fast path does:

- its path is the route's template, and it takes a request only when the route's own validators (the
  same pydantic fields FastAPI runs) accept every path parameter. Anything else (`/api/v1/projects/0`,
  `/api/v1/projects/abc`, `/api/v1/projects/export`) goes on to FastAPI, which answers it as it
  documents: a 422 naming the parameter, or the other route the path names;
- it awaits the route's endpoint with the application's context and the validated parameters, and
  serializes the model returned with the response model's serializer, so an answer is byte for byte
  the one FastAPI gives (`tests/api/test_direct_routes.py`);
- an error (a record not found) is raised as usual and reaches the application's error handlers
  through Starlette's, as from any route; it names itself in the scope under the route's template and
  name, so the middleware (metrics, access log, CORS) sees the request as it sees any other.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

from registry.api.deps import ApiContext, get_context
from registry.api.kept_answers import KeptAnswers


class DirectRouteUnfit(TypeError):
    """A route a direct route cannot stand for: it needs more than its path parameters and the context."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path} cannot be served by a direct route: {reason}")


@dataclass(frozen=True)
class DirectLookup:
    """One lookup: its documented FastAPI `route`, a GET whose endpoint takes the application's context
    and path parameters only and returns its response model."""

    route: APIRoute
    #: Makes the store where an application keeps answers while what they were built from holds
    #: (registry/api/kept_answers.py); one per application, in its context's extras.
    kept: Callable[[], KeptAnswers] | None = None

    @classmethod
    def of(
        cls, router: APIRouter, endpoint: Callable[..., Any], *, kept: Callable[[], KeptAnswers] | None = None
    ) -> DirectLookup:
        """The lookup `endpoint` answers, as `router` documents it."""
        [route] = [r for r in router.routes if isinstance(r, APIRoute) and r.endpoint is endpoint]
        dependant = route.dependant
        if route.methods != {"GET"}:
            raise DirectRouteUnfit(route.path, f"it answers {', '.join(sorted(route.methods or ()))}, not GET alone")
        if dependant.query_params or dependant.header_params or dependant.cookie_params or dependant.body_params:
            raise DirectRouteUnfit(route.path, "it takes parameters besides its path's")
        if any(d.call is not get_context for d in dependant.dependencies) or dependant.request_param_name:
            raise DirectRouteUnfit(route.path, "it depends on more than the application's context")
        if not (isinstance(route.response_model, type) and issubclass(route.response_model, BaseModel)):
            raise DirectRouteUnfit(route.path, "its response model is not a pydantic model")
        if not inspect.iscoroutinefunction(endpoint):
            raise DirectRouteUnfit(route.path, "its endpoint is not a coroutine function")
        return cls(route, kept)


class DirectRoute(Route):
    """A Starlette route standing for a documented FastAPI route: its template and name, GET only (as the
    documented route answers; Starlette would add HEAD), taking a path only when the documented route's
    validators accept each of its parameters. It names itself in the scope, as FastAPI's routes do: the
    metrics and the access log label a request by `scope["route"].path_format`, the documented template."""

    def __init__(self, lookup: DirectLookup) -> None:
        documented = lookup.route
        super().__init__(documented.path, _LookupApp(lookup), methods=["GET"], include_in_schema=False,
                         name=documented.name)  # fmt: skip
        self.methods = {"GET"}
        self.fields = list(documented.dependant.path_params)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is Match.NONE:
            return match, child_scope
        given = child_scope["path_params"]
        for field in self.fields:
            value, errors = field.validate(given[field.alias], {}, loc=("path", field.alias))
            if errors:
                return Match.NONE, {}
            given[field.alias] = value
        child_scope["route"] = self
        return match, child_scope


class _LookupApp:
    """The ASGI application of a direct route (an application rather than a request handler: no
    Request or Response object to build). An exception still reaches the application's error
    handlers, through Starlette's ExceptionMiddleware."""

    def __init__(self, lookup: DirectLookup) -> None:
        documented = lookup.route
        self.endpoint = documented.endpoint
        self.context_names = [d.name for d in documented.dependant.dependencies if d.name is not None]
        self.names = [(field.alias, field.name) for field in documented.dependant.path_params]
        model = documented.response_model
        assert isinstance(model, type) and issubclass(model, BaseModel)
        self.serializer = model.__pydantic_serializer__
        self.make_kept = lookup.kept
        self.kept_slot = f"kept answers {documented.path}"

    def _kept(self, context: ApiContext) -> KeptAnswers | None:
        """This application's kept answers of the lookup, if it keeps any."""
        if self.make_kept is None:
            return None
        kept = context.extras.get(self.kept_slot)
        if not isinstance(kept, KeptAnswers):
            kept = context.extras[self.kept_slot] = self.make_kept()
        return kept

    async def _answer(self, context: ApiContext, given: dict[str, Any]) -> BaseModel:
        arguments = {name: given[alias] for alias, name in self.names}
        arguments.update((name, context) for name in self.context_names)
        answer: BaseModel = await self.endpoint(**arguments)
        return answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        context: ApiContext = scope["app"].state.context
        given = scope["path_params"]
        kept = self._kept(context)
        if kept is None:
            body = self.serializer.to_json(await self._answer(context, given), by_alias=True)
        else:
            key = tuple(given[alias] for alias, _ in self.names)
            before = await kept.basis(context)
            found = kept.get(key, before)
            if found is None:
                answer = await self._answer(context, given)
                found = self.serializer.to_json(answer, by_alias=True)
                kept.keep(key, before, await kept.basis(context), answer, found)
            body = found
        headers = [(b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def direct_routes(lookups: list[DirectLookup]) -> list[DirectRoute]:
    """The routes to place ahead of every other (FastAPI tries routes in order)."""
    return [DirectRoute(lookup) for lookup in lookups]
