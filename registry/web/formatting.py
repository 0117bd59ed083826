"""How the portal writes values for people: won with thousands separators (and 억/만 in Korean),
block times in Korea's time zone with the zone named, calendar dates, hashes and enum names; and
how it claims them for a checker, as the API's JSON (`claim`, see registry/checking/CLAIMS.md).

These are the templates' filters; the API keeps its own machine formats (digits, UTC ISO 8601).
Every value a template writes passes `shown` first, so bidirectional controls in text from the chain
appear as visible marks (`<U+202E>`), never reorder what a reader sees (registry/domain/text.py).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from enum import IntEnum
from typing import Any

import jinja2
import jinja2.runtime
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from pydantic import BaseModel

from registry.api.schemas.names import name_of
from registry.domain.money import format_won, format_won_korean
from registry.domain.text import json_with_bidi_escaped, visible_bidi
from registry.evidence.hashing import hash_to_hex

#: Korea Standard Time. A fixed offset rather than the tz database's Asia/Seoul, which a slim
#: machine may lack: Korea has kept UTC+9 without daylight saving since 1988.
KOREA_TIME = timezone(timedelta(hours=9), "KST")


def shown(value: Any) -> Any:
    """Jinja's `finalize`: a text a template writes, with bidi controls made visible. Markup is left as
    it is: the filters that make it (`korean`) have done so already, and a claim's `data-value` must
    stay the API's JSON, character for character, for the chain check."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible_bidi(value)
    return value


def visible_strings(value: Any) -> Any:
    """`value` (JSON-like data for a page's script, such as chart labels) with bidi controls made
    visible in every string."""
    if isinstance(value, str):
        return visible_bidi(value)
    if isinstance(value, dict):
        return {key: visible_strings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [visible_strings(item) for item in value]
    return value


def won(amount: int | None) -> str:
    """`₩1,200,000,000`; an em dash when there is no amount (figures still committed)."""
    return "—" if amount is None else format_won(amount)


def won_in_words(amount: int | None) -> str:
    """`12억 원`, as Korean readers say it."""
    return "" if amount is None else format_won_korean(amount)


def korea_time(moment: datetime | None) -> str:
    """`2021-05-01 18:30:12 KST`: a block time as people in Korea read their clocks."""
    if moment is None:
        return "—"
    return moment.astimezone(KOREA_TIME).strftime("%Y-%m-%d %H:%M:%S KST")


def utc_iso(moment: datetime | None) -> str:
    """`2021-05-01T09:30:12Z`, for `<time datetime>` and for people comparing with the API."""
    if moment is None:
        return ""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def calendar_day(moment: datetime | None) -> str:
    """`2021-12-31`: the day a due date, period or restriction names. The registry holds those as
    midnight UTC of the day the office typed, so the day is read in UTC."""
    if moment is None:
        return "—"
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


def hex_text(value: bytes | str | None) -> str:
    """`0x…` in full."""
    if value is None:
        return ""
    return value if isinstance(value, str) else hash_to_hex(value)


def short_hex(value: bytes | str | None) -> str:
    """`0x41f670…b7d28d5`: enough to tell hashes and addresses apart in a list."""
    text = hex_text(value)
    return text if len(text) <= 16 else f"{text[:8]}…{text[-6:]}"


def enum_name(value: IntEnum) -> str:
    """The API's name of an enum value (`patent-application`), which keys its label."""
    return name_of(value)


def number(value: int | None) -> str:
    """`12,345`."""
    return "—" if value is None else f"{value:,}"


# ---- claims: what a page says about a record, in the API's JSON (registry/checking/CLAIMS.md) ----


def _field_name(model: BaseModel, alias: str) -> str:
    """The attribute of `model` that the API's JSON calls `alias` (`transactionHash`, `from`)."""
    fields = type(model).model_fields
    for name, info in fields.items():
        if alias in (name, info.serialization_alias, info.alias):
            return name
    raise KeyError(f"{type(model).__name__} has no field {alias!r}")


def _resolve(model: BaseModel, path: str) -> tuple[BaseModel | None, str]:
    """The model holding the last part of the dotted API path `path`, and that part's attribute."""
    *parents, last = path.split(".")
    holder: BaseModel | None = model
    for part in parents:
        value = getattr(holder, _field_name(holder, part)) if holder is not None else None
        if value is not None and not isinstance(value, BaseModel):
            raise KeyError(f"{path!r}: {part!r} is not an object")
        holder = value
    return holder, _field_name(holder, last) if holder is not None else last


def claim_value(model: BaseModel, path: str) -> Any:
    """The Python value of `model`'s field at the API's dotted path (`provenance.blockNumber`);
    None when an object on the way is absent (an outcome's `revocation`)."""
    holder, name = _resolve(model, path)
    return None if holder is None else getattr(holder, name)


def claim_json(model: BaseModel, path: str) -> Any:
    """The field at `path` as the API's JSON encodes it (won as digit strings, times in UTC with
    `Z`, enums by name), serialized through the model itself so the two cannot differ."""
    holder, name = _resolve(model, path)
    if holder is None:
        return None
    dumped = holder.model_dump(mode="json", by_alias=True, include={name})
    return next(iter(dumped.values()))


def claim(model: BaseModel, path: str) -> Markup:
    """`data-value` of a claimed field: its API JSON, safe inside a single-quoted HTML attribute
    (`<`, `>`, `&` and `'` escaped as JSON's `\\u` sequences, as Jinja's `tojson` does)."""
    return _bidi_escaped(htmlsafe_json_dumps(claim_json(model, path), dumps=json.dumps, ensure_ascii=False))


def claim_key(**key: Any) -> Markup:
    """`data-key` of a record: its key fields (already JSON values) as one JSON object."""
    return _bidi_escaped(htmlsafe_json_dumps(key, dumps=json.dumps, ensure_ascii=False))


def _bidi_escaped(json_markup: Markup) -> Markup:
    # The exact value for the chain check, yet no control character anywhere in the page's source.
    return Markup(json_with_bidi_escaped(str(json_markup)))


#: Words holding Hangul, and the spaces between consecutive ones: the Korean part of a name such as
#: "R&D기획 컨설팅 지원 (R&D planning consulting support)".
_KOREAN_RUN = re.compile(r"\S*[\uac00-\ud7a3\u3131-\u318e]\S*(?:\s+\S*[\uac00-\ud7a3\u3131-\u318e]\S*)*")


@jinja2.pass_context
def korean_marked(context: jinja2.runtime.Context, text: str) -> Markup:
    """`text` escaped, bidi controls made visible, with its Korean runs marked `lang="ko"` on a page in
    another language, so that a screen reader reads them with a Korean voice (a Korean page needs no mark)."""
    text = visible_bidi(str(text))
    if context.get("lang") == "ko":
        return Markup.escape(text)
    parts, end = [], 0
    for run in _KOREAN_RUN.finditer(text):
        parts.append(Markup.escape(text[end : run.start()]))
        parts.append(Markup('<span lang="ko">{}</span>').format(run.group()))
        end = run.end()
    parts.append(Markup.escape(text[end:]))
    return Markup("").join(parts)


_CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans(text: str) -> Markup:
    """A message escaped, its `backticked` commands shown as code (messages mark commands as Markdown does)."""
    return Markup(_CODE_SPAN.sub(lambda span: f"<code>{span.group(1)}</code>", str(Markup.escape(text))))
