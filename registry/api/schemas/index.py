"""Response model of `/api/v1`: the API's version, where its documentation is, and its lists."""

from __future__ import annotations

from pydantic import Field

from registry.api.schemas.common import ApiModel


class Software(ApiModel):
    name: str = Field(description="The software serving this API.", examples=["rnd-registry"])
    version: str = Field(description="Its release.", examples=["0.1.0"])


class IndexLinks(ApiModel):
    """Where to read about the API, as paths on this server."""

    self_: str = Field(alias="self", description="This index.", examples=["/api/v1"])
    openapi: str = Field(description="The OpenAPI document every route is declared in.", examples=["/openapi.json"])
    swagger_ui: str = Field(description="The OpenAPI document in Swagger UI, to try requests.", examples=["/docs"])
    redoc: str = Field(description="The OpenAPI document in ReDoc, to read.", examples=["/redoc"])
    health: str = Field(description="Whether the API can answer, and how far behind the chain.", examples=["/health"])


class Resource(ApiModel):
    """A list the API serves a page at a time, and its export."""

    name: str = Field(description="The list's path below /api/v1.", examples=["programs"])
    path: str = Field(examples=["/api/v1/programs"])
    summary: str = Field(
        description="What the list holds, as its documentation says.", examples=["List grant programs"]
    )
    tag: str = Field(description="Its group in the documentation.", examples=["programs"])
    exports: dict[str, str] = Field(
        description="Every matching row at once, by format.",
        examples=[{"csv": "/api/v1/programs/export?format=csv", "json": "/api/v1/programs/export?format=json"}],
    )


class ApiIndex(ApiModel):
    """What this API offers, read from its own OpenAPI document so that it cannot fall behind it."""

    title: str = Field(examples=["R&D Registry: public API"])
    version: str = Field(description="The API's version, as in its paths (/api/v1) and its OpenAPI document.")
    software: Software
    links: IndexLinks
    resources: list[Resource] = Field(description="Every list, in the documentation's order.")
