"""The portal's routes: FastAPI routes whose failures become pages. A parameter the page cannot use
shows what was wrong (400); a registry the database has not indexed yet, or a database that cannot be
read, says so (503); any other failure is logged and shows a short apology (500), never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from registry.api.database_trouble import DATABASE_ERRORS
from registry.api.provenance import RegistryUnknown
from registry.web.errors import error_page
from registry.web.parameters import FormProblem

log = logging.getLogger("registry.web")


class PageRoute(APIRoute):
    """A portal page: HTML, left out of the API's OpenAPI document."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except FormProblem as problem:
                return error_page(request, 400, problem.message, field=problem.field, **problem.values)
            except RegistryUnknown:
                return error_page(request, 503, "errors.not_indexed")
            except DATABASE_ERRORS as exc:
                request.app.state.context.database_watch.failed(exc, f"page {request.url.path}")
                return error_page(request, 503, "errors.database_unusable")
            except (HTTPException, RequestValidationError):
                raise
            except Exception:
                log.exception("portal page %s failed", request.url.path)
                return error_page(request, 500, "errors.internal")

        return page


def page_router() -> APIRouter:
    return APIRouter(route_class=PageRoute, include_in_schema=False)
