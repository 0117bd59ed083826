"""Error responses: every failure, whatever raised it, answers with the same body,
`{"error": {"status", "message", "parameter"?}}`, and a user's mistake never shows as a 500.

- a parameter of the wrong type or out of range (FastAPI's validation): 422, naming the parameter;
- a malformed parameter the route itself finds (a damaged cursor): 400, naming it;
- an unknown id: 404; an unknown path: 404; a wrong method: 405; an upload too large: 413;
- a client gone before its request was read (it disconnected, or was cut off by
  `registry.api.slow_clients` for sending too slowly): 499, nginx's "client closed request", which
  only the access log and metrics see;
- a database that cannot be read (corrupt, full, gone): 503 saying so (`database_trouble`);
- anything else: 500 with a generic message, and the stack trace in the server's log only.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match, Route

from registry.api.database_trouble import DATABASE_ERRORS, DatabaseWatch
from registry.api.schemas.common import ApiError, ErrorDetail
from registry.errors import RegistryError

log = logging.getLogger("registry.api")


class ApiProblem(RegistryError):
    """A request the API cannot answer as asked; becomes an error response with `status`."""

    status = 400

    def __init__(self, message: str, *, parameter: str | None = None, status: int | None = None) -> None:
        self.message = message
        self.parameter = parameter
        if status is not None:
            self.status = status
        super().__init__(message)


class BadParameter(ApiProblem):
    """A parameter is malformed: 400 by default, 422 when it is well formed but not acceptable."""


class NotFound(ApiProblem):
    """The registry holds no record with the id asked for."""

    status = 404


def error_response(status: int, message: str, parameter: str | None = None, headers: Any = None) -> JSONResponse:
    body = ApiError(error=ErrorDetail(status=status, message=message, parameter=parameter))
    return JSONResponse(body.model_dump(mode="json", exclude_none=True), status_code=status, headers=headers)


def _location(loc: tuple[Any, ...] | list[Any]) -> tuple[str | None, str]:
    """The parameter an error is about, and how to name it in a message: `("query", "limit")` -> limit."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "path", "header", "cookie", "body"):
        where, rest = parts[0], parts[1:]
        if rest:
            return rest[0], ".".join(rest)
        return None, where
    return (parts[0] if parts else None), ".".join(parts)


def _message(error: dict[str, Any]) -> str:
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    _, named = _location(error.get("loc", ()))
    given = error.get("input")
    if error.get("type") == "missing":
        return f"{named}: required"
    if isinstance(given, str | int | float) and repr(str(given)) not in message:
        shown = str(given) if len(str(given)) <= 80 else str(given)[:80] + "…"
        return f"{named}: {message} (got {shown!r})"
    return f"{named}: {message}"


async def _validation_failed(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    if not errors:
        return error_response(422, "the request is not valid")
    parameter, _ = _location(errors[0].get("loc", ()))
    message = "; ".join(dict.fromkeys(_message(e) for e in errors))
    return error_response(422, message, parameter)


async def _problem(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return error_response(exc.status, exc.message, exc.parameter)


_STATUS_MESSAGES = {
    404: "no such resource; the API's lists are at /api/v1 and every endpoint is documented at /docs",
    405: "this endpoint does not accept that method; records are read-only (the writes are POST /api/v1/relay and "
    "POST /api/v1/documents)",
    413: "the upload is larger than this server accepts",
}


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    generic = detail is None or detail in ("Not Found", "Method Not Allowed", "Request Entity Too Large")
    message = _STATUS_MESSAGES.get(exc.status_code, detail or "request refused") if generic else str(detail)
    headers = exc.headers
    if exc.status_code == 405:
        headers = {**(headers or {}), "Allow": _allowed_methods(request)}
    return error_response(exc.status_code, message, headers=headers)


def _allowed_methods(request: Request) -> str:
    """Every method some route takes at this path (Starlette's 405 names only the first route's: a path with a
    GET and a POST route, such as /api/v1/documents, would be said to take GET alone)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.methods and route.matches(request.scope)[0] is not Match.NONE:
            methods |= route.methods
    return ", ".join(sorted(methods))


async def _client_gone(_request: Request, _exc: Exception) -> JSONResponse:
    # Not an error of the server's: no stack trace, and no 500 in the metrics.
    return error_response(499, "the client went away before its request was read")


async def _database_failed(request: Request, exc: Exception) -> JSONResponse:
    watch: DatabaseWatch = request.app.state.context.database_watch
    trouble = watch.failed(exc, f"{request.method} {request.url.path}")
    return error_response(503, trouble.message)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal server error; it has been logged")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_failed)
    app.add_exception_handler(ApiProblem, _problem)
    app.add_exception_handler(HTTPException, _http_error)
    for database_error in DATABASE_ERRORS:
        app.add_exception_handler(database_error, _database_failed)
    app.add_exception_handler(ClientDisconnect, _client_gone)
    app.add_exception_handler(Exception, _unexpected)
