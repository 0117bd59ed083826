"""How values are written for people: exact won with separators and in 억/만, block times in Korea's
time zone with the zone named, calendar days in UTC, shortened hashes."""

from __future__ import annotations

from datetime import UTC, datetime

from registry.domain.enums import OutcomeType
from registry.web.formatting import (
    calendar_day,
    enum_name,
    hex_text,
    korea_time,
    number,
    short_hex,
    utc_iso,
    won,
    won_in_words,
)


def test_won_has_thousands_separators_and_stays_exact_beyond_floats() -> None:
    assert won(1_600_000_000) == "₩1,600,000,000"
    assert won(2**96 - 1) == "₩79,228,162,514,264,337,593,543,950,335"
    assert won(0) == "₩0"
    assert won(None) == "—"


def test_won_in_words_reads_as_korean_budgets_do() -> None:
    assert won_in_words(1_600_000_000) == "16억 원"
    assert won_in_words(120_000_000) == "1억 2,000만 원"
    assert won_in_words(None) == ""


def test_block_times_show_korea_time_with_the_zone_and_iso_in_utc() -> None:
    moment = datetime(2021, 3, 25, 15, 30, 5, tzinfo=UTC)
    assert korea_time(moment) == "2021-03-26 00:30:05 KST"
    assert utc_iso(moment) == "2021-03-25T15:30:05Z"
    assert korea_time(None) == "—"


def test_calendar_days_are_the_utc_day_the_office_typed() -> None:
    # 2021-12-31 as the CLI stores it: midnight UTC (09:00 in Seoul, still the 31st).
    assert calendar_day(datetime(2021, 12, 31, tzinfo=UTC)) == "2021-12-31"


def test_hashes_are_shown_whole_or_shortened_and_enums_by_their_api_names() -> None:
    digest = bytes(range(32))
    assert hex_text(digest) == "0x" + digest.hex()
    assert short_hex(digest) == "0x000102…1d1e1f"
    assert short_hex("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266") == "0xf39Fd6…b92266"
    assert enum_name(OutcomeType.PATENT_APPLICATION) == "patent-application"
    assert number(1234567) == "1,234,567"
