"""Direct routes: the lookups asked most (one record by its id, a document by its hash) served by a
plain Starlette route placed ahead of FastAPI's, with the same answer and the same bytes.

Why by hand: FastAPI's per-request machinery (matching through the included routers, solving the
dependencies, validating the path parameters, validating the returned model once more before
serializing it) costs about twice what the lookup itself does, and the public API must answer
thousands of lookups a second on one core (`make api-benchmark`). No library offers a cheaper path
that keeps FastAPI's documentation, so for each lookup:

- its FastAPI route stays as it is: it documents the operation in the OpenAPI schema and answers
  every request the direct route does not take;
- the direct route takes only canonical requests its path pattern proves valid (`GET`, an id of 1
  to 18 digits with no leading zero, a hash of 64 hex digits), so it never needs to explain a bad
  parameter: `/api/v1/projects/0`, `/api/v1/projects/abc` or an id past 10^18 go on to FastAPI,
  which answers them as it documents (422, or the record);
- both call the same lookup function and serialize its model with the same pydantic serializer,
  so an answer is byte for byte the same whichever route took it (`tests/api/test_direct_routes.py`);
- an error (a record not found) is raised as usual and reaches the application's error handlers
  through Starlette's, as from any route; the middleware (metrics, access log, CORS) sees the
  request as it sees any other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pydantic import BaseModel
from starlette.convertors import Convertor, register_url_convertor
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from registry.api.deps import ApiContext
from registry.api.kept_answers import KeptAnswers


class RecordIdConvertor(Convertor[int]):
    """A record id as FastAPI's `ge=1, le=MAX_ID` accepts it, written canonically: 1 to 18 digits
    (below 2^63), no leading zero."""

    regex = "[1-9][0-9]{0,17}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


class IndexConvertor(Convertor[int]):
    """A position counted from 0 (a milestone's index), written canonically."""

    regex = "0|[1-9][0-9]{0,17}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


class Sha256Convertor(Convertor[bytes]):
    """32 bytes as 64 hex digits, with or without 0x (a document's SHA-256, a Merkle root), other
    than zero: the registry reads a zero hash as "no document" (`parse_document_hash` refuses it, no
    batch has it as its root), so it goes on to FastAPI's route and its documented answer."""

    regex = "(?:0[xX])?(?!0{64})[0-9a-fA-F]{64}"

    def convert(self, value: str) -> bytes:
        return bytes.fromhex(value[2:] if len(value) == 66 else value)

    def to_string(self, value: bytes) -> str:
        return value.hex()


register_url_convertor("record_id", RecordIdConvertor())
register_url_convertor("index", IndexConvertor())
register_url_convertor("sha256", Sha256Convertor())


class DirectRoute(Route):
    """A Starlette route that answers GET only, as its FastAPI twin does (Starlette would add HEAD),
    and names itself in the scope, as FastAPI's routes do: the metrics and the access log label a
    request by `scope["route"].path_format`, the documented template."""

    def __init__(self, path: str, app: ASGIApp, *, name: str) -> None:
        super().__init__(path, app, methods=["GET"], include_in_schema=False, name=name)
        self.methods = {"GET"}

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is not Match.NONE:
            child_scope["route"] = self
        return match, child_scope


@dataclass(frozen=True)
class DirectLookup:
    """One lookup: `path` in Starlette's syntax with the convertors above (the documented template
    with the parameters typed, e.g. `/api/v1/projects/{projectId:record_id}`), and `answer`, the
    coroutine the FastAPI route awaits too, called with the context and the converted parameters
    in the order the path names them."""

    path: str
    answer: Callable[..., Awaitable[BaseModel]]
    model: type[BaseModel]
    #: Makes the store where an application keeps answers while what they were built from holds
    #: (registry/api/kept_answers.py); one per application, in its context's extras.
    kept: Callable[[], KeptAnswers] | None = None

    def route(self) -> DirectRoute:
        return DirectRoute(self.path, _LookupApp(self), name=f"direct {self.path}")


class _LookupApp:
    """The ASGI application of a direct route (an application rather than a request handler: no
    Request or Response object to build). An exception still reaches the application's error
    handlers, through Starlette's ExceptionMiddleware."""

    def __init__(self, lookup: DirectLookup) -> None:
        self.answer = lookup.answer
        self.serializer = lookup.model.__pydantic_serializer__
        self.make_kept = lookup.kept
        self.kept_slot = f"kept answers {lookup.path}"

    def _kept(self, context: ApiContext) -> KeptAnswers | None:
        """This application's kept answers of the lookup, if it keeps any."""
        if self.make_kept is None:
            return None
        kept = context.extras.get(self.kept_slot)
        if not isinstance(kept, KeptAnswers):
            kept = context.extras[self.kept_slot] = self.make_kept()
        return kept

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        context: ApiContext = scope["app"].state.context
        parameters = tuple(scope["path_params"].values())
        kept = self._kept(context)
        if kept is None:
            body = self.serializer.to_json(await self.answer(context, *parameters), by_alias=True)
        else:
            before = await kept.basis(context)
            found = kept.get(parameters, before)
            if found is None:
                answer = await self.answer(context, *parameters)
                found = self.serializer.to_json(answer, by_alias=True)
                kept.keep(parameters, before, await kept.basis(context), answer, found)
            body = found
        headers = [(b"content-length", str(len(body)).encode()), (b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def direct_routes(lookups: list[DirectLookup]) -> list[DirectRoute]:
    """The routes to place ahead of every other (FastAPI tries routes in order)."""
    return [lookup.route() for lookup in lookups]
