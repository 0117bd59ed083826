"""The public API's GraphQL endpoint, `/api/v1/graphql`: the REST API's records (with the same provenance,
built by the same code from the same SQL copy) for the clients of GraphQL registries (EAS, Verax and Hypercerts
each offer one), read-only, with depth and cost limits (`limits`). Its schema, as SDL, is at
`/api/v1/graphql/schema.graphql`; no IDE page is served (one would load its scripts from a CDN).

Every error is answered in GraphQL's form, `{"errors": [{"message", "extensions": {"status", ...}}]}`: a
malformed request as HTTP 400, everything else as 200 with the errors beside whatever `data` could be answered.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import partial
from typing import Any

import strawberry
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from graphql import GraphQLError
from strawberry.extensions import MaxTokensLimiter, QueryDepthLimiter, SchemaExtension
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLRequestData
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext
from strawberry.types.unset import UNSET

from registry.api.database_trouble import DATABASE_ERRORS
from registry.api.errors import ApiProblem
from registry.api.graphql.context import RequestContext
from registry.api.graphql.limits import MAX_TOKENS, CostLimits, QueryCost
from registry.api.graphql.query import Query
from registry.api.graphql.scalars import SCALARS
from registry.settings import Settings

log = logging.getLogger("registry.api")

PATH = "/api/v1/graphql"
SCHEMA_PATH = f"{PATH}/schema.graphql"

_CODES = {400: "BAD_USER_INPUT", 404: "NOT_FOUND", 422: "BAD_USER_INPUT", 503: "SERVICE_UNAVAILABLE"}


def _unexpected(error: GraphQLError) -> bool:
    """An error of the server's own: neither the client's (syntax, validation, values, the API's `ApiProblem`s;
    graphql-core makes those GraphQLErrors, and the scalars raise them) nor the database's (`DatabaseWatch`
    reports those)."""
    original = error.original_error
    return original is not None and not isinstance(original, (GraphQLError, ApiProblem, *DATABASE_ERRORS))


class RegistrySchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # Strawberry logs every error, the client's mistakes included; the operator needs the server's own only.
        for error in errors:
            if _unexpected(error):
                where = ".".join(map(str, error.path)) if error.path else "the operation"
                log.error("GraphQL: %s failed", where, exc_info=error.original_error)


class ErrorAnswers(SchemaExtension):
    """Says what went wrong as the REST API does: an `ApiProblem`'s message with its status and parameter, a
    database that cannot be read as its 503, anything else as a 500 whose details stay in the server's log."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [self._answer(error) for error in errors]

    def _answer(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            return error
        extensions: dict[str, Any]
        if isinstance(original, ApiProblem):
            message = original.message
            extensions = {"code": _CODES.get(original.status, "BAD_REQUEST"), "status": original.status}
            if original.parameter is not None:
                extensions["parameter"] = original.parameter
        elif isinstance(original, DATABASE_ERRORS):
            context = self.execution_context.context
            assert isinstance(context, RequestContext)
            method = getattr(context.request, "method", "POST")
            message = context.api.database_watch.failed(original, f"{method} {PATH}").message
            extensions = {"code": _CODES[503], "status": 503}
        else:
            message = "internal server error; it has been logged"
            extensions = {"code": "INTERNAL_SERVER_ERROR", "status": 500}
        return GraphQLError(message, error.nodes, error.source, error.positions, error.path, extensions=extensions)


def build_schema(settings: Settings) -> RegistrySchema:
    """The GraphQL schema, with the limits `settings` set."""
    limits = CostLimits(max_cost=settings.api_graphql_max_cost, page_size=settings.api_page_size,
                        max_page_size=settings.api_max_page_size)  # fmt: skip
    return RegistrySchema(
        query=Query,
        config=StrawberryConfig(scalar_map=SCALARS),
        extensions=[
            partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
            partial(QueryDepthLimiter, max_depth=settings.api_graphql_max_depth),
            partial(QueryCost, limits),
            ErrorAnswers,
        ],
    )


def _error_body(status: int, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"message": message, "extensions": {"status": status}}]}, status_code=status)


class GraphQLEndpoint(GraphQLRouter[RequestContext, None]):
    """Strawberry's FastAPI router, answering a request it cannot read in GraphQL's form (Strawberry answers
    plain text, or fails on a JSON body that is not an object)."""

    async def run(  # type: ignore[override]
        self, request: Request, context: RequestContext | None = UNSET, root_value: None = UNSET
    ) -> Response:
        try:
            return await super().run(request, context=context, root_value=root_value)  # type: ignore[arg-type]
        except HTTPException as refused:
            if refused.status_code == 404:  # a GET without a query, which would show an IDE
                return _error_body(400, f"no GraphQL query in the request: send one as ?query=... or POST "
                                        f'{{"query": ...}}; the schema is at {SCHEMA_PATH}')  # fmt: skip
            return _error_body(refused.status_code, refused.reason)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData | list[GraphQLRequestData]:
        if request.method == "POST" and "application/json" in (request.content_type or ""):
            body = self.parse_json(await request.get_body())
            if not isinstance(body, dict | list):
                raise HTTPException(400, 'the request body must be a JSON object: {"query": ..., "variables": ...}')
        return await super().parse_http_body(request)


async def _request_context(request: Request) -> RequestContext:
    return RequestContext(request.app.state.context)


def add_graphql(app: FastAPI, settings: Settings) -> None:
    """Serves the GraphQL endpoint and its schema on `app` (left out of the OpenAPI document, which describes
    the REST API; the schema describes itself)."""
    schema = build_schema(settings)
    endpoint = GraphQLEndpoint(schema, path=PATH, graphql_ide=None, context_getter=_request_context,
                               subscription_protocols=())  # fmt: skip
    sdl = schema.as_str() + "\n"

    @endpoint.get(SCHEMA_PATH, include_in_schema=False)
    async def graphql_schema() -> PlainTextResponse:
        return PlainTextResponse(sdl, headers={"Cache-Control": "public, max-age=3600"})

    app.include_router(endpoint, include_in_schema=False)
