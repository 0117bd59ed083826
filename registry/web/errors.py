"""Error pages of the portal: an unknown record, a mistaken search, a registry not indexed yet, and
an unknown address asked for by a browser; each a page in the person's language, never a stack
trace. The API keeps answering its own paths with its JSON errors."""

from __future__ import annotations

import inspect
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from registry.web.rendering import render

#: Paths that belong to the API (and its documentation), whose errors stay JSON.
API_PREFIXES = ("/api/", "/docs", "/redoc", "/openapi.json", "/health", "/metrics")


def error_page(request: Request, status: int, message: str, **values: Any) -> Response:
    """A page saying what went wrong: `message` is a catalogue key, filled in with `values`."""
    return render(request, "error.html", status=status, status_code=status, message=message, values=values)


def _wants_page(request: Request) -> bool:
    path = request.url.path
    if path == "/api" or path.startswith(API_PREFIXES):
        return False
    return "text/html" in request.headers.get("accept", "")


def install_page_errors(app: FastAPI) -> None:
    """Answers a browser's request for an unknown portal address with a page; every other HTTP error
    goes to the handler the application already had (the API's)."""
    previous = app.exception_handlers.get(HTTPException)

    async def http_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException) and exc.status_code in (404, 405) and _wants_page(request):
            key = "errors.no_page" if exc.status_code == 404 else "errors.method"
            return error_page(request, exc.status_code, key, path=request.url.path)
        if previous is None:
            raise exc
        answer = previous(request, exc)
        if inspect.isawaitable(answer):
            answer = await answer
        assert isinstance(answer, Response)
        return answer

    app.add_exception_handler(HTTPException, http_error)
