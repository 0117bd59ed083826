"""Amounts of won as clerks type them parse to exact ints, wrong ones are refused with a reason, and
both renderings read back to the amount they came from."""

from __future__ import annotations

import os

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from registry.domain.money import MAX_WON, InvalidAmount, format_won, format_won_korean, parse_won
from registry.errors import RegistryError

PROPERTIES = settings(derandomize=bool(os.environ.get("CI")), deadline=None)
AMOUNTS = st.integers(min_value=0, max_value=MAX_WON)

ACCEPTED = [
    ("100000000", 100_000_000),
    ("100,000,000", 100_000_000),
    ("₩100,000,000", 100_000_000),
    ("￦100,000,000", 100_000_000),
    ("₩ 100,000,000", 100_000_000),
    ("100000000원", 100_000_000),
    ("100,000,000 원", 100_000_000),
    ("1억", 100_000_000),
    ("1.5억", 150_000_000),
    ("1억 2천만", 120_000_000),
    ("1억2000만", 120_000_000),
    ("1억 2,000만 원", 120_000_000),
    ("2천만", 20_000_000),
    ("2,000만", 20_000_000),
    ("5000만원", 50_000_000),
    ("13.2억", 1_320_000_000),
    ("22.7억", 2_270_000_000),
    ("0.68억", 68_000_000),
    ("1조 2억", 1_000_200_000_000),
    ("3백만", 3_000_000),
    ("1만5천", 15_000),
    ("1만 5,000", 15_000),
    ("1천2백만", 12_000_000),
    ("2천5백", 2_500),
    ("3십", 30),
    ("1억 2.5천만", 125_000_000),
    ("12,000만", 120_000_000),
    ("1조 12,000만", 1_000_120_000_000),
    ("천만 원", 10_000_000),
    ("만원", 10_000),
    ("1억 천만", 110_000_000),
    ("0", 0),
    ("0원", 0),
    ("100.0", 100),
    ("  \t1억 2천만\n ", 120_000_000),
    ("79,228,162,514,264,337,593,543,950,335", MAX_WON),
]

# (text, a phrase the reason must contain)
REJECTED = [
    ("", "the amount is empty"),
    ("   ", "the amount is empty"),
    ("₩", "the amount is empty"),
    ("원", "the amount is empty"),
    ("-100", "negative amounts are not allowed"),
    ("₩-100,000", "negative amounts are not allowed"),
    ("\u22121억", "negative amounts are not allowed"),  # the minus sign, not a hyphen
    ("abc", "letters are not part of an amount ('a')"),
    ("100k", "letters are not part of an amount ('k')"),
    ("일억", "letters are not part of an amount ('일')"),
    ("1,00,000", "misplaced comma in 1,00,000"),
    ("1000,000", "misplaced comma in 1000,000"),
    ("100,", "misplaced comma in 100,"),
    (",100", "misplaced comma"),
    ("1억,2천만", "misplaced comma"),
    ("1.5,000", "misplaced comma in 1.5,000"),
    ("1.2.3억", "1.2.3 has more than one decimal point"),
    ("1.억", "misplaced decimal point in 1."),
    (".5억", "misplaced decimal point"),
    ("1만 1억", "units out of order: 억 comes after 만"),
    ("1백 2천", "units out of order: 천 comes after 백"),
    ("1억 2억", "the unit 억 appears twice"),
    ("1천만 2천만", "the unit 만 appears twice"),
    ("1천 2천만", "the unit 천 appears twice"),
    ("0.00001만", "it leaves a fraction of a won"),
    ("1.5", "it leaves a fraction of a won"),
    ("0.1234567890123456789조", "it leaves a fraction of a won"),
    ("1.5억 2천만", "1.5 has a decimal point but is not the last number"),
    ("1억 12000만", "12000만 is 1억 or more, so it overlaps the 억 before it"),
    ("1만 15000", "15000 is 1만 or more, so it overlaps the 만 before it"),
    ("1천 15백", "15백 is 1천 or more, so it overlaps the 천 before it"),
    ("1억 만", "만 has no number before it"),
    ("억만", "만 has no number before it"),
    ("1 000", "the numbers 1 and 000 have no unit between them"),
    ("1억원 2천만원", "원 may only end the amount"),
    ("100₩", "₩ may only start the amount"),
    ("$100", "unexpected character '$'"),
    ("1+1", "unexpected character '+'"),
    ("\uff11억", "unexpected character '\uff11'"),  # a full-width digit one
    ("79,228,162,514,264,337,593,543,950,336", "more than the largest amount the registry holds"),
    ("7923경", "letters are not part of an amount ('경')"),
    ("1" + "0" * 5000, "more than the largest amount the registry holds"),
    ("1." + "0" * 5000 + "1", "it leaves a fraction of a won"),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_clerk_typed_amount_parses_to_exact_won(text: str, expected: int) -> None:
    assert parse_won(text) == expected


@pytest.mark.parametrize(("text", "problem"), REJECTED)
def test_malformed_amount_is_refused_with_the_problem_named(text: str, problem: str) -> None:
    with pytest.raises(InvalidAmount) as raised:
        parse_won(text)

    assert raised.value.text == text
    assert problem in raised.value.reason
    message = str(raised.value)
    assert problem in message
    assert "expected whole won such as 100000000, 100,000,000 or 1억" in message
    assert "\n" not in message


def test_invalid_amount_is_a_registry_error() -> None:
    assert issubclass(InvalidAmount, RegistryError)


def test_message_shortens_a_very_long_text_but_keeps_it_whole_on_the_error() -> None:
    text = "9" * 200

    with pytest.raises(InvalidAmount) as raised:
        parse_won(text)

    assert raised.value.text == text
    assert len(str(raised.value)) < 300


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "₩0"),
        (999, "₩999"),
        (1_000, "₩1,000"),
        (100_000_000, "₩100,000,000"),
        (MAX_WON, "₩79,228,162,514,264,337,593,543,950,335"),
    ],
)
def test_format_won_prefixes_the_won_sign_and_groups_thousands(amount: int, expected: str) -> None:
    assert format_won(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "0 원"),
        (7, "7 원"),
        (15_000, "1만 5,000 원"),
        (20_000_000, "2,000만 원"),
        (100_000_000, "1억 원"),
        (160_000_000, "1억 6,000만 원"),
        (1_600_000_000, "16억 원"),
        (2_270_000_000, "22억 7,000만 원"),
        (1_000_200_000_001, "1조 2억 1 원"),
        (MAX_WON, "79,228,162,514,264,337조 5,935억 4,395만 335 원"),
    ],
)
def test_format_won_korean_groups_by_jo_eok_and_man(amount: int, expected: str) -> None:
    assert format_won_korean(amount) == expected


@pytest.mark.parametrize("render", [format_won, format_won_korean])
def test_formatting_a_negative_amount_is_a_bug_in_the_caller(render: object) -> None:
    assert callable(render)
    with pytest.raises(ValueError, match="not negative"):
        render(-1)


@pytest.mark.parametrize("render", [format_won, format_won_korean])
@pytest.mark.parametrize("amount", [1.5, True, "100"])
def test_formatting_a_non_int_amount_is_a_bug_in_the_caller(render: object, amount: object) -> None:
    assert callable(render)
    with pytest.raises(TypeError, match="is an int"):
        render(amount)


@PROPERTIES
@given(AMOUNTS)
@example(0)
@example(MAX_WON)
def test_format_won_reads_back_to_the_same_amount(amount: int) -> None:
    assert parse_won(format_won(amount)) == amount


@PROPERTIES
@given(AMOUNTS)
@example(0)
@example(10_000)
@example(10**12)
@example(MAX_WON)
def test_format_won_korean_reads_back_to_the_same_amount(amount: int) -> None:
    assert parse_won(format_won_korean(amount)) == amount


@PROPERTIES
@given(AMOUNTS)
def test_plain_and_comma_grouped_digits_read_back_to_the_same_amount(amount: int) -> None:
    assert parse_won(str(amount)) == amount
    assert parse_won(f"{amount:,}원") == amount


@PROPERTIES
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=10**8 - 1))
def test_decimal_eok_is_exact(whole: int, fraction: int) -> None:
    # n.ffffffff억 with eight fraction digits is whole won by construction: whole * 10^8 + fraction.
    assert parse_won(f"{whole}.{fraction:08d}억") == whole * 10**8 + fraction


@PROPERTIES
@given(st.integers(min_value=MAX_WON + 1, max_value=2**256))
def test_amount_above_uint96_is_refused(amount: int) -> None:
    with pytest.raises(InvalidAmount, match="more than the largest amount"):
        parse_won(format_won_korean(amount))
