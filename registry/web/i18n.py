"""The portal's two languages: Korean by default, English on request (`?lang=en`, kept in a cookie).

Every word the portal shows comes from `messages/ko.json` or `messages/en.json`, flat catalogues
with the same keys (a test holds them to that). A message may name values in braces
(`"{count} projects"`), filled in by `Translator.__call__`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from starlette.requests import Request

from registry.errors import ConfigurationError

MESSAGES_DIR = Path(__file__).resolve().parent / "messages"
LANGUAGE_COOKIE = "lang"
LANGUAGE_PARAMETER = "lang"


class Language(StrEnum):
    KOREAN = "ko"
    ENGLISH = "en"

    @property
    def other(self) -> Language:
        return Language.ENGLISH if self is Language.KOREAN else Language.KOREAN


DEFAULT_LANGUAGE = Language.KOREAN


class MessageMissing(ConfigurationError):
    """A template asked for a message the catalogue does not have: a bug, caught by the page tests."""

    def __init__(self, language: Language, key: str) -> None:
        self.language = language
        self.key = key
        super().__init__(f"no {language.value} message {key!r} in {MESSAGES_DIR / (language.value + '.json')}")


@cache
def catalogue(language: Language) -> dict[str, str]:
    """The messages of `language`, read once."""
    path = MESSAGES_DIR / f"{language.value}.json"
    messages = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(messages, dict) or not all(isinstance(v, str) for v in messages.values()):
        raise ConfigurationError(f"{path} must be one JSON object of strings")
    return messages


@dataclass(frozen=True)
class Translator:
    """`t("nav.verify")` in templates: the message `key` in this language, `{names}` filled in."""

    language: Language

    def __call__(self, key: str, **values: Any) -> str:
        message = catalogue(self.language).get(key)
        if message is None:
            raise MessageMissing(self.language, key)
        return message.format(**values) if values else message

    def enum(self, group: str, name: str) -> str:
        """The label of an enum value by its API name: `enum("milestone_status", "approved")`; the name
        itself for a value the catalogue does not know (a test keeps every enum member labelled)."""
        return catalogue(self.language).get(f"enum.{group}.{name}", name)

    def subset(self, prefix: str) -> dict[str, str]:
        """Every message whose key starts with `prefix`, for the scripts of a page."""
        return {key: text for key, text in catalogue(self.language).items() if key.startswith(prefix)}


def requested_language(request: Request) -> tuple[Language, bool]:
    """The language of this request, and whether it was asked for just now (`?lang=`), so the
    answer should remember it in a cookie. An unknown `lang` falls back to the cookie or Korean."""
    asked = _language(request.query_params.get(LANGUAGE_PARAMETER))
    if asked is not None:
        return asked, True
    return _language(request.cookies.get(LANGUAGE_COOKIE)) or DEFAULT_LANGUAGE, False


def _language(code: str | None) -> Language | None:
    try:
        return Language(code) if code else None
    except ValueError:
        return None
