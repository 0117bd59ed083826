"""GraphQL object types made from the REST API's pydantic response models, field for field: the JSON names
(`programId`, `from`), the descriptions, and values written by the same serializers (`scalars`). The object a
GraphQL field resolves to is the pydantic model itself, built by the REST routes' code from the same rows, so
a record and its provenance cannot read differently in the two APIs; the record types add their relations.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Awaitable, Callable, Mapping
from enum import IntEnum
from typing import Annotated, Any, get_args, get_origin

import strawberry
from pydantic import BaseModel, PlainSerializer
from pydantic.fields import FieldInfo
from strawberry.types.field import StrawberryField

from registry.api.graphql.scalars import Hex32Value, TimestampValue, WonValue
from registry.api.schemas.common import Hex32, Timestamp, Won
from registry.api.schemas.names import ByName

#: The module holding the record types by name, for the relations that refer to each other (`strawberry.lazy`).
RECORDS_MODULE = "registry.api.graphql.records"


def _serializer(annotated: Any) -> PlainSerializer:
    return next(part for part in get_args(annotated)[1:] if isinstance(part, PlainSerializer))


#: The value types of `registry.api.schemas.common`, known by their serializers, and their scalars.
_SCALARS: list[tuple[PlainSerializer, Any]] = [
    (_serializer(Won), WonValue),
    (_serializer(Hex32), Hex32Value),
    (_serializer(Timestamp), TimestampValue),
]
_BASIC = {int: int, str: str, bool: bool}
_TYPES: dict[type[BaseModel], Any] = {}


def record(name: str) -> Any:
    """The record type `name` of `registry.api.graphql.records`, looked up when the schema is built."""
    return Annotated[name, strawberry.lazy(RECORDS_MODULE)]


def graphql_type(annotation: Any) -> Any:
    """The GraphQL type of a field of a response model, from its annotation (metadata included)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *metadata = get_args(annotation)
        for part in metadata:
            if isinstance(part, ByName) and issubclass(part.enum, IntEnum):
                return part.enum
            for serializer, scalar in _SCALARS:
                if part == serializer:
                    return scalar
        return graphql_type(inner)
    if origin is typing.Union or origin is types.UnionType:
        present = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(present) != 1:
            raise TypeError(f"no GraphQL type for the union {annotation}")
        return graphql_type(present[0]) | None
    if origin is list:
        (element,) = get_args(annotation)
        return list[graphql_type(element)]  # type: ignore[misc]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return object_type(annotation)
    if annotation in _BASIC:
        return _BASIC[annotation]
    raise TypeError(f"no GraphQL type for {annotation!r}")


def _annotation(info: FieldInfo) -> Any:
    if info.metadata:
        return Annotated[(info.annotation, *info.metadata)]
    return info.annotation


def json_name(name: str, info: FieldInfo) -> str:
    """The name of the field in the REST answer's JSON."""
    return info.serialization_alias or info.alias or name


def object_type(
    model: type[BaseModel],
    *,
    name: str | None = None,
    description: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    summary_of: tuple[type[BaseModel], Callable[[Any, Any], Awaitable[BaseModel | None]]] | None = None,
    relations: Mapping[str, StrawberryField] | None = None,
) -> Any:
    """The GraphQL type of `model` (made once per model). `overrides` give some fields another GraphQL type;
    `summary_of` is `(base, detail)` for a detail model whose lists answer its `base` (REST's `Project` in
    lists, `ProjectDetail` alone): the fields only the detail has are read, when asked for, from
    `await detail(root, info)`. `relations` are further fields, with their resolvers."""
    if model in _TYPES:
        return _TYPES[model]
    namespace: dict[str, Any] = {}
    annotations: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        kind = (overrides or {}).get(field_name) or graphql_type(_annotation(info))
        graphql_name = json_name(field_name, info)
        if summary_of is not None and field_name not in summary_of[0].model_fields:
            namespace[field_name] = strawberry.field(
                resolver=_detail_resolver(model, field_name, summary_of[1]), name=graphql_name,
                description=info.description, graphql_type=kind,
            )  # fmt: skip
        else:
            namespace[field_name] = strawberry.field(name=graphql_name, description=info.description,
                                                     graphql_type=kind)  # fmt: skip
        annotations[field_name] = kind
    for field_name, field in (relations or {}).items():
        namespace[field_name] = field
        annotations[field_name] = field.type_annotation.annotation if field.type_annotation else Any
    namespace["__annotations__"] = annotations
    shown = name or model.__name__
    cls = types.new_class(shown, (), {}, lambda body: body.update(namespace))
    text = description or model.__doc__ or (summary_of[0].__doc__ if summary_of else None)
    made = strawberry.type(cls, name=shown, description=inspect.cleandoc(text) if text else None)
    _TYPES[model] = made
    if summary_of is not None:
        _TYPES[summary_of[0]] = made
    return made


def _detail_resolver(
    model: type[BaseModel], field_name: str, detail: Callable[[Any, Any], Awaitable[BaseModel | None]]
) -> Callable[..., Awaitable[Any]]:
    async def resolve(root: Any, info: strawberry.Info) -> Any:
        found = root if isinstance(root, model) else await detail(root, info)
        return getattr(found, field_name) if found is not None else None

    return resolve
