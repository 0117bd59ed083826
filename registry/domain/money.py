"""Amounts of Korean won: parsed from what a clerk types, rendered for people to read.

Money in the registry is whole won held in a Python `int` (a `uint96` on chain), never a float:
`parse_won` does exact integer and `Fraction` arithmetic, so `13.2억` is 1,320,000,000 exactly.

Accepted input, surrounding whitespace ignored, with an optional `₩` (or full-width `￦`) in front
and an optional `원` at the end:

- plain digits, with or without thousands commas: `100000000`, `100,000,000`;
- Korean units, larger first: 조 (10^12), 억 (10^8), 만 (10^4) and, inside each of those, 천 (10^3),
  백 (10^2), 십 (10): `1억 2천만`, `1억2000만`, `2,000만`, `3백만`, `1만5천`, `1조 2억`; a number
  with no unit after the last unit counts in won (`1만 5,000`); a unit with no number before it
  means one of it (`천만`, `만 원`), except a 조/억/만 right after another one (`1억 만`), which is
  more likely a slip than a meaning;
- one decimal point, in the last number only, where the result is whole won: `1.5억`, `13.2억`,
  `1억 2.5천만`; `0.00001만` (a tenth of a won) is refused.

Each part after the first must be smaller than one of the unit before it (`1억 12,000만` is refused:
write `2억 2,000만`), so no amount is spelled two ways by accident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from registry.errors import RegistryError

MAX_WON = 2**96 - 1
"""The largest amount the contracts hold (`uint96`): about 79 octillion won."""

_BIG_UNITS = {"조": 10**12, "억": 10**8, "만": 10**4}
_SMALL_UNITS = {"천": 10**3, "백": 10**2, "십": 10}
_UNIT_NAMES = "조, 억, 만, 천, 백, 십"
_PREFIXES = ("₩", "￦")
_SUFFIX = "원"
_NEGATIVE_SIGNS = ("-", "\u2212")  # hyphen-minus and the minus sign word processors type

_NUMBER = re.compile(r"[0-9][0-9,.]*")
_GROUPED_DIGITS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
# Python refuses to convert more than 4,300 digits to an int; no amount under MAX_WON needs more than
# 29 integer digits, and no fraction of more than 15 digits (1천조 = 10^15 is the largest multiplier)
# can come out whole, so both limits reject before any conversion.
_MAX_INTEGER_DIGITS = 40
_MAX_FRACTION_DIGITS = 15
_MAX_SHOWN = 60

#: Every rule an amount can break, by the code `InvalidAmount.code` gives.
AMOUNT_REFUSALS = (
    "empty", "negative", "misplaced-comma", "misplaced-point", "misplaced-prefix", "misplaced-suffix", "letters",
    "unexpected-character", "several-points", "too-large", "fraction-of-won", "point-not-last",
    "numbers-without-unit", "unit-twice", "units-out-of-order", "overlap", "unit-without-number",
)  # fmt: skip


class InvalidAmount(RegistryError):
    """A text that should be an amount of won is not one: `reason` says why in words, `code` names the
    rule it breaks (`AMOUNT_REFUSALS`), as the workspace's form parser names it too (static/workspace/forms.js)."""

    def __init__(self, text: str, reason: str, code: str) -> None:
        self.text = text
        self.reason = reason
        self.code = code
        shown = text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…"
        super().__init__(
            f"{shown!r} is not an amount of won: {reason}; expected whole won such as 100000000, 100,000,000 or 1억"
        )


@dataclass(frozen=True)
class _Number:
    text: str
    value: Fraction
    has_decimal_point: bool


@dataclass(frozen=True)
class _Unit:
    text: str
    value: int

    @property
    def is_big(self) -> bool:
        return self.text in _BIG_UNITS


_Token = _Number | _Unit


def parse_won(text: str) -> int:
    """The amount of won `text` spells, as a non-negative int; `InvalidAmount` if it spells none.

    See the module docstring for what is accepted.
    """
    body = _strip_markers(text)
    tokens = _tokenize(text, body)
    if not tokens:
        raise InvalidAmount(text, "the amount is empty", "empty")
    _check_decimal_points(text, tokens)
    total = _evaluate(text, tokens)
    if total.denominator != 1:
        raise InvalidAmount(text, "it leaves a fraction of a won", "fraction-of-won")
    if total > MAX_WON:
        raise InvalidAmount(
            text, f"it is more than the largest amount the registry holds, {MAX_WON:,} won", "too-large"
        )
    return int(total)


def format_won(amount: int) -> str:
    """`₩100,000,000`: exact won with thousands separators, for tables, exports and logs.

    The `₩` goes in front, as in the program documents' English summaries (`₩1.6 billion`), rather
    than `원` behind, so the figure reads the same in an English sentence and sorts and aligns as a
    number in a column. `parse_won` reads it back.
    """
    _check_amount(amount)
    return f"₩{amount:,}"


def format_won_korean(amount: int) -> str:
    """`1억 6,000만 원`: the amount in 조, 억 and 만 as Korean readers say it, for display.

    160000000 -> `1억 6,000만 원`, 20000000 -> `2,000만 원`, 15000 -> `1만 5,000 원`, 0 -> `0 원`.
    Zero groups are left out; each group keeps its thousands separator, as Korean news and budget
    documents print it. Above 9,999조 the 조 figure simply grows (there is no 경 in grant budgets).
    `parse_won` reads it back.
    """
    _check_amount(amount)
    jo, rest = divmod(amount, 10**12)
    eok, rest = divmod(rest, 10**8)
    man, won = divmod(rest, 10**4)
    parts = [f"{count:,}{unit}" for count, unit in ((jo, "조"), (eok, "억"), (man, "만")) if count]
    if won or not parts:
        parts.append(f"{won:,}")
    return " ".join(parts) + " 원"


def _check_amount(amount: int) -> None:
    # A negative or fractional amount here is a bug in the caller, not a clerk's typo.
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"an amount of won is an int, not {type(amount).__name__}")
    if amount < 0:
        raise ValueError(f"an amount of won is not negative, got {amount}")


def _strip_markers(text: str) -> str:
    """`text` without surrounding whitespace, a leading `₩` and a trailing `원`."""
    body = text.strip()
    if body.startswith(_PREFIXES):
        body = body[1:].lstrip()
    if body.endswith(_SUFFIX):
        body = body[: -len(_SUFFIX)].rstrip()
    return body


def _tokenize(text: str, body: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(body):
        char = body[position]
        if char.isspace():
            position += 1
        elif char in _BIG_UNITS or char in _SMALL_UNITS:
            tokens.append(_Unit(char, _BIG_UNITS.get(char) or _SMALL_UNITS[char]))
            position += 1
        elif match := _NUMBER.match(body, position):
            tokens.append(_read_number(text, match.group()))
            position = match.end()
        else:
            raise InvalidAmount(text, *_unexpected(char, at_start=position == 0))
    return tokens


def _unexpected(char: str, *, at_start: bool) -> tuple[str, str]:
    if char in _NEGATIVE_SIGNS and at_start:
        return "negative amounts are not allowed", "negative"
    if char == ",":
        return "misplaced comma: commas go between groups of three digits, as in 100,000", "misplaced-comma"
    if char == ".":
        return "misplaced decimal point: it needs a digit before it, as in 0.5억", "misplaced-point"
    if char in _PREFIXES:
        return f"{char} may only start the amount", "misplaced-prefix"
    if char == _SUFFIX:
        return f"{_SUFFIX} may only end the amount", "misplaced-suffix"
    if char.isalpha():
        return f"letters are not part of an amount ({char!r}); use digits and the units {_UNIT_NAMES}", "letters"
    return f"unexpected character {char!r}", "unexpected-character"


def _read_number(text: str, number: str) -> _Number:
    integer, point, fraction = number.partition(".")
    if "." in fraction:
        raise InvalidAmount(text, f"{number} has more than one decimal point", "several-points")
    if ("," in integer and not _GROUPED_DIGITS.fullmatch(integer)) or "," in fraction:
        raise InvalidAmount(
            text, f"misplaced comma in {number}: commas go between groups of three digits, as in 100,000",
            "misplaced-comma",
        )  # fmt: skip
    if point and not fraction:
        raise InvalidAmount(text, f"misplaced decimal point in {number}: it needs a digit after it", "misplaced-point")
    digits = integer.replace(",", "").lstrip("0")
    fraction = fraction.rstrip("0")
    if len(digits) > _MAX_INTEGER_DIGITS:
        raise InvalidAmount(
            text, f"it is more than the largest amount the registry holds, {MAX_WON:,} won", "too-large"
        )
    if len(fraction) > _MAX_FRACTION_DIGITS:
        raise InvalidAmount(text, "it leaves a fraction of a won", "fraction-of-won")
    value = Fraction(int(digits + fraction or "0"), 10 ** len(fraction))
    return _Number(number, value, has_decimal_point=bool(point))


def _check_decimal_points(text: str, tokens: list[_Token]) -> None:
    numbers = [token for token in tokens if isinstance(token, _Number)]
    # A decimal before smaller units (`1.5억 2천만`) already reaches into them: refuse rather than guess.
    for number in numbers[:-1]:
        if number.has_decimal_point:
            raise InvalidAmount(
                text,
                f"{number.text} has a decimal point but is not the last number; only the last may, "
                "as in 1.5억 or 1억 2.5천만",
                "point-not-last",
            )


class _Evaluation:
    """The running sum of a tokenized amount, checking unit order and overlap as it goes."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.total = Fraction(0)
        self.last_big: _Unit | None = None
        self.group = Fraction(0)
        self.group_text = ""
        self.last_small: _Unit | None = None
        self.pending: _Number | None = None
        self.seen_any = False

    def refuse(self, reason: str, code: str) -> InvalidAmount:
        return InvalidAmount(self.text, reason, code)

    def number(self, number: _Number) -> None:
        if self.pending is not None:
            raise self.refuse(
                f"the numbers {self.pending.text} and {number.text} have no unit between them", "numbers-without-unit"
            )
        self.pending = number
        self.seen_any = True

    def small_unit(self, unit: _Unit) -> None:
        self._check_order(self.last_small, unit)
        coefficient = self.pending.value if self.pending is not None else Fraction(1)
        part_text = (self.pending.text if self.pending is not None else "") + unit.text
        self._check_overlap(coefficient * unit.value, part_text, self.last_small)
        self.group += coefficient * unit.value
        self.group_text += part_text
        self.last_small = unit
        self.pending = None
        self.seen_any = True

    def big_unit(self, unit: _Unit) -> None:
        self._check_order(self.last_big, unit)
        if self.pending is None and not self.group_text:
            if self.seen_any:
                raise self.refuse(f"{unit.text} has no number before it", "unit-without-number")
            self.group, self.group_text = Fraction(1), ""
        group = self._close_group()
        self._check_overlap(group * unit.value, self.group_text + unit.text, self.last_big)
        self.total += group * unit.value
        self.last_big = unit
        self._reset_group()
        self.seen_any = True

    def finish(self) -> Fraction:
        if self.pending is not None or self.group_text:
            group = self._close_group()
            self._check_overlap(group, self.group_text, self.last_big)
            self.total += group
        return self.total

    def _close_group(self) -> Fraction:
        if self.pending is None:
            return self.group
        self._check_overlap(self.pending.value, self.pending.text, self.last_small)
        self.group += self.pending.value
        self.group_text += self.pending.text
        self.pending = None
        return self.group

    def _reset_group(self) -> None:
        self.group = Fraction(0)
        self.group_text = ""
        self.last_small = None
        self.pending = None

    def _check_order(self, previous: _Unit | None, unit: _Unit) -> None:
        if previous is None:
            return
        if unit.value == previous.value:
            raise self.refuse(f"the unit {unit.text} appears twice", "unit-twice")
        if unit.value > previous.value:
            raise self.refuse(
                f"units out of order: {unit.text} comes after {previous.text}; "
                "write larger units first, as in 1억 2천만",
                "units-out-of-order",
            )

    def _check_overlap(self, value: Fraction, part_text: str, previous: _Unit | None) -> None:
        if previous is not None and value >= previous.value:
            raise self.refuse(
                f"{part_text} is 1{previous.text} or more, so it overlaps the {previous.text} before it; "
                "write each unit once, larger first",
                "overlap",
            )


def _evaluate(text: str, tokens: list[_Token]) -> Fraction:
    evaluation = _Evaluation(text)
    for token in tokens:
        if isinstance(token, _Number):
            evaluation.number(token)
        elif token.is_big:
            evaluation.big_unit(token)
        else:
            evaluation.small_unit(token)
    return evaluation.finish()
