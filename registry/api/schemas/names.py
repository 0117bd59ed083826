"""The registry's enums as readable lowercase names in JSON and in query parameters
(`patent-application`, `clawed-back`), the way the command line spells them, with the list of
names in the OpenAPI document; the enums themselves are `registry.domain.enums`'."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from registry.domain.roles import Role


def name_of(member: IntEnum | Role) -> str:
    """`OutcomeType.PATENT_APPLICATION` -> `patent-application`."""
    return member.name.lower().replace("_", "-")


def _key(text: str) -> str:
    return text.strip().lower().replace("_", "-").replace(" ", "-")


@dataclass(frozen=True)
class ByName:
    """Annotates an `IntEnum` (or `Role`) so pydantic reads and writes it by name:
    `Annotated[ProgramStatus, ByName(ProgramStatus)]`."""

    enum: type[IntEnum] | type[Role]

    @property
    def names(self) -> dict[str, Any]:
        return {name_of(member): member for member in self.enum}

    def parse(self, value: Any) -> Any:
        if isinstance(value, self.enum):
            return value
        if isinstance(value, int) and not isinstance(value, bool) and issubclass(self.enum, IntEnum):
            return self.enum(value)  # as the database holds it
        names = self.names
        if isinstance(value, str) and _key(value) in names:
            return names[_key(value)]
        shown = repr(value) if isinstance(value, str) else type(value).__name__
        raise ValueError(f"{shown} is not one of {', '.join(names)}")

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            self.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(
                name_of, return_schema=core_schema.str_schema()
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "enum": list(self.names)}
