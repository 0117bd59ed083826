"""Direct lists: the list routes (`GET /api/v1/projects?program=3&sort=-amount...`) served by a plain
Starlette route placed ahead of FastAPI's, as the direct routes serve the lookups
(registry/api/direct_routes.py), with the same answer and the same bytes.

Why by hand: with a list's answer made cheap (registry/api/list_answers.py), FastAPI's per-request
machinery became most of its cost: solving the route's dependencies (the filters are a dependency of
the list and its export) examines every query parameter's annotation again at each request, and the
request is matched through each included router; together about 0.25 ms of the 0.5 a page then cost.

One description per route: a direct list is made from its documented FastAPI route
(`DirectList.of(router, endpoint)`), never written beside it:

- it takes a request only when every query parameter given is one the documented route declares (by
  its alias, once) and each value passes that parameter's own validator (the same pydantic field
  FastAPI runs; a parameter not given takes its default). Anything else (a misspelled parameter, a
  value out of range, a repeated one) goes on to FastAPI, which answers it as it documents: a 422
  naming the parameter, or the answer that ignores what it does not know;
- it awaits the route's dependencies (the filters) and its endpoint with the validated values and the
  application's context, and sends the response the endpoint returns, so an answer is the one
  FastAPI gives (`tests/api/test_list_answers.py`);
- an error raised by the endpoint (a damaged cursor) reaches the application's error handlers as from
  any route, and the route names itself in the scope under the documented template, as direct routes do.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from copy import deepcopy
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from fastapi import APIRouter
from fastapi.dependencies.models import Dependant
from fastapi.params import Query
from fastapi.routing import APIRoute
from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.routing import Match, Route
from starlette.types import Receive, Scope, Send

from registry.api.deps import ApiContext, get_context
from registry.api.direct_routes import DirectRouteUnfit

_ARGUMENTS = "direct list arguments"


def _takes_several(annotation: Any) -> bool:
    """Whether a parameter's annotation takes several values (`list[int] | None`), which FastAPI reads
    from every occurrence of the parameter rather than one."""
    origin = get_origin(annotation)
    if origin is not None and isinstance(origin, type) and issubclass(origin, Sequence | AbstractSet):
        return not issubclass(origin, str | bytes)
    return any(_takes_several(argument) for argument in get_args(annotation))


@dataclass(frozen=True)
class _Call:
    """A dependency (or the endpoint) to await: its query parameters, the dependencies it takes, and the
    names it takes the application's context under."""

    call: Callable[..., Any]
    #: (alias, argument name, field) of each query parameter.
    parameters: tuple[tuple[str, str, Any], ...]
    dependencies: tuple[tuple[str, _Call], ...]
    context_names: tuple[str, ...]

    @classmethod
    def of(cls, dependant: Dependant, path: str) -> _Call:
        if dependant.path_params or dependant.header_params or dependant.cookie_params or dependant.body_params:
            raise DirectRouteUnfit(path, "it takes parameters besides its query's")
        if dependant.request_param_name or dependant.response_param_name or dependant.background_tasks_param_name:
            raise DirectRouteUnfit(path, "it takes the request or response itself")
        if dependant.call is None or not inspect.iscoroutinefunction(dependant.call):
            raise DirectRouteUnfit(path, "a dependency or the endpoint is not a coroutine function")
        parameters = []
        for field in dependant.query_params:
            info = field.field_info
            if not isinstance(info, Query) or info.validation_alias not in (None, field.alias) or not field.name:
                raise DirectRouteUnfit(path, f"its query parameter {field.alias} is not a plain one")
            if _takes_several(info.annotation):
                raise DirectRouteUnfit(path, f"its query parameter {field.alias} takes several values")
            parameters.append((field.alias, field.name, field))
        dependencies, context_names = [], []
        for sub in dependant.dependencies:
            if sub.name is None:
                raise DirectRouteUnfit(path, "it has a dependency with no parameter of its own")
            if sub.call is get_context:
                context_names.append(sub.name)
            else:
                dependencies.append((sub.name, cls.of(sub, path)))
        return cls(dependant.call, tuple(parameters), tuple(dependencies), tuple(context_names))

    def aliases(self) -> set[str]:
        found = {alias for alias, _, _ in self.parameters}
        for _, sub in self.dependencies:
            found |= sub.aliases()
        return found

    def validated(self, given: QueryParams) -> dict[str, Any] | None:
        """The arguments of this call's own parameters, or None if FastAPI must answer (one is wrong)."""
        values: dict[str, Any] = {}
        for alias, name, field in self.parameters:
            text = given.get(alias)
            if text is None:
                if field.field_info.is_required():
                    return None
                values[name] = deepcopy(field.default)
                continue
            value, errors = field.validate(text, values, loc=("query", alias))
            if errors:
                return None
            values[name] = value
        return values

    def arguments(self, given: QueryParams) -> dict[str, Any] | None:
        """Every argument of the call tree, by call, or None if FastAPI must answer."""
        found = self.validated(given)
        if found is None:
            return None
        tree: dict[str, Any] = {"": found}
        for name, sub in self.dependencies:
            below = sub.arguments(given)
            if below is None:
                return None
            tree[name] = below
        return tree

    async def __call__(self, context: ApiContext, tree: dict[str, Any]) -> Any:
        arguments = dict(tree[""])
        for name, sub in self.dependencies:
            arguments[name] = await sub(context, tree[name])
        arguments.update((name, context) for name in self.context_names)
        return await self.call(**arguments)


@dataclass(frozen=True)
class DirectList:
    """One list: its documented FastAPI `route`, a GET whose endpoint (and its dependencies) take query
    parameters and the application's context only, and return a response."""

    route: APIRoute
    call: _Call

    @classmethod
    def of(cls, router: APIRouter, endpoint: Callable[..., Any]) -> DirectList:
        """The list `endpoint` answers, as `router` documents it."""
        [route] = [r for r in router.routes if isinstance(r, APIRoute) and r.endpoint is endpoint]
        if route.methods != {"GET"}:
            raise DirectRouteUnfit(route.path, f"it answers {', '.join(sorted(route.methods or ()))}, not GET alone")
        return cls(route, _Call.of(route.dependant, route.path))


class DirectListRoute(Route):
    """A Starlette route standing for a documented list route: its path and name, GET only, taking a
    request only when the documented route's validators accept each of its query parameters."""

    def __init__(self, listing: DirectList) -> None:
        documented = listing.route
        super().__init__(documented.path, _ListApp(listing.call), methods=["GET"], include_in_schema=False,
                         name=documented.name)  # fmt: skip
        self.methods = {"GET"}
        self.call = listing.call
        self.aliases = frozenset(listing.call.aliases())

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not Match.FULL:
            return Match.NONE if match is Match.PARTIAL else match, child_scope
        given = QueryParams(scope.get("query_string", b""))
        keys = given.multi_items()
        if len(keys) != len(given) or not self.aliases.issuperset(given):
            return Match.NONE, {}
        tree = self.call.arguments(given)
        if tree is None:
            return Match.NONE, {}
        child_scope[_ARGUMENTS] = tree
        child_scope["route"] = self
        return match, child_scope


class _ListApp:
    """The ASGI application of a direct list; an exception still reaches the application's error
    handlers, through Starlette's ExceptionMiddleware."""

    def __init__(self, call: _Call) -> None:
        self.call = call

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        context: ApiContext = scope["app"].state.context
        response = await self.call(context, scope[_ARGUMENTS])
        if not isinstance(response, Response):
            raise TypeError(f"{scope['route'].path} answered {type(response).__name__}, not a response")
        await response(scope, receive, send)


def direct_lists(listings: list[DirectList]) -> list[DirectListRoute]:
    """The routes to place ahead of every other, after the direct lookups."""
    return [DirectListRoute(listing) for listing in listings]
