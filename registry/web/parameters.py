"""Reading what a person put in a portal address or search form: record ids, a year, a program, a
company (business registration number or company id), an outcome type, a page cursor.

A page parses its own parameters, instead of letting FastAPI refuse them with the API's JSON
error, so that a mistake shows as a page in the person's language naming the field at fault.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from registry.api.errors import BadParameter
from registry.api.parameters import MAX_ID, company_param
from registry.api.schemas.names import ByName
from registry.errors import RegistryError


class FormProblem(RegistryError):
    """A parameter the page cannot use: `field` names it, `message` is a catalogue key."""

    def __init__(self, field: str, message: str, **values: Any) -> None:
        self.field = field
        self.message = message
        self.values = values
        super().__init__(f"{field}: {message} {values}")


def record_id(text: str) -> int | None:
    """A record id from an address (`/programs/3`), or None if it cannot name a record."""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def milestone_index(text: str) -> int | None:
    """A milestone's index from an address; indexes start at 1, but 0 is a valid (empty) question."""
    if text == "0":
        return 0
    return record_id(text)


def _blank(text: str | None) -> str | None:
    stripped = (text or "").strip()
    return stripped or None


def year(text: str | None) -> int | None:
    value = _blank(text)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or not 1 <= int(value[:5]) <= 9999:
        raise FormProblem("year", "errors.year", value=value)
    return int(value)


def program(text: str | None) -> int | None:
    value = _blank(text)
    if value is None:
        return None
    found = record_id(value)
    if found is None:
        raise FormProblem("program", "errors.program", value=value)
    return found


def company(text: str | None) -> bytes | None:
    """The company id of a business registration number (131-81-10001) or of `0x` and 64 hex digits."""
    value = _blank(text)
    if value is None:
        return None
    try:
        return company_param(value)
    except BadParameter:
        raise FormProblem("company", "errors.company", value=value) from None


def enum_value(field: str, enum: type[IntEnum], text: str | None) -> IntEnum | None:
    """An enum value by its API name (`patent-application`)."""
    value = _blank(text)
    if value is None:
        return None
    try:
        found: IntEnum = ByName(enum).parse(value)
    except ValueError:
        found = enum(0)
    if found == 0:  # every registry enum's 0 is NONE, "not set", which no record is filtered by
        raise FormProblem(field, f"errors.{field}", value=value)
    return found
