"""How the portal writes values for people: won with thousands separators (and 억/만 in Korean),
block times in Korea's time zone with the zone named, calendar dates, hashes and enum names.

These are the templates' filters; the API keeps its own machine formats (digits, UTC ISO 8601).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from enum import IntEnum

from registry.api.schemas.names import name_of
from registry.domain.money import format_won, format_won_korean
from registry.evidence.hashing import hash_to_hex

#: Korea Standard Time. A fixed offset rather than the tz database's Asia/Seoul, which a slim
#: machine may lack: Korea has kept UTC+9 without daylight saving since 1988.
KOREA_TIME = timezone(timedelta(hours=9), "KST")


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
