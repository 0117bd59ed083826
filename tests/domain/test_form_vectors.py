"""The shared test vectors of the workspace's form parsers (tests/domain/vectors/forms.json): amounts and days
as people type them, with what `registry.domain.money.parse_won` and `registry.domain.days.parse_day` make of
them (the won or day, or the refusal's code). This test checks the file against the Python functions;
tests/web/test_workspace_forms.py runs the same file in Chromium against static/workspace/forms.js.

The file is written once, from hand-picked cases and from inputs Hypothesis generated; write it again after a
change of either parser with `RND_WRITE_VECTORS=1 pytest tests/domain/test_form_vectors.py`.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.domain.days import DAY_REFUSALS, InvalidDay, parse_day
from registry.domain.money import AMOUNT_REFUSALS, MAX_WON, InvalidAmount, format_won, format_won_korean, parse_won

VECTORS = Path(__file__).parent / "vectors" / "forms.json"

AMOUNTS_BY_HAND = [
    "100000000", "100,000,000", "1억", "3.5억", "13.2억", "1억 2천만", "1억2000만", "2,000만", "3백만", "1만5천",
    "1조 2억", "1만 5,000", "천만", "만 원", "₩100,000,000", "￦ 1억 원", "1억원", "  1억  ", "0", "0원", "₩0",
    "1.5억", "1억 2.5천만", "0.5억", "0.00001만", "1억 만", "1억 12,000만", "2억 2,000만", "-1억", "\u22121억",
    "1,00", "1,000,00", ",100", ".5억", "1..5억", "1.5.5억", "1.억", "1.5억 2천만", "1억1억", "1만1억", "천천",
    "백천", "1천 2천", "원", "₩", "", "   ", "1억 원 원", "원1억", "1억₩", "1 2", "12 000", "abc", "1e8", "1억x",
    "1억\u00a02천만", "1억\u30002천만", "1억\u200b2천만", "\ufeff1억", "1억\u20282천만", "1억\u001c2천만",
    "1십", "십", "십만", "1십만", "11십", "10십", "1천1백1십1", "9천9백9십9만 9천9백9십9", "1조 9999억 9999만 9999",
    "1억 10000만", "1만 10000", "1만 9999", "1만 9,999", "1조 1조", "만조", "1천조", "9천9백조",
    "79228162514264337593543950335",
    "79228162514264337593543950336", "79,228,162,514,264,337,593,543,950,335", "792억억", "1" + "0" * 41,
    "0" * 50 + "1", "0." + "0" * 14 + "1만", "0.000000000000001천조", "0.0000000000000001천조", "1.0억", "1.50억",
    "1.5", "1.0", "0.0", "01억", "007", "1,234", "12,345,678", "1,2345", "1억,", "1,억", "1억 2,000", "2,000 만",
    "1 억", "1억 2 천만", "12억 3456만 7890", "12억3456만7890원", "₩ 12억", "₩₩1억", "1억 원₩", "1억 백", "1억 백만",
    "1억 천", "1만 천", "1만 천원", "천 원", "백", "1백 1백", "5천 천", "1.5천만", "2.5천", "0.5만", "0.1십",
    "0.05십", "3.14159억", "2.123456789억", "1.23456789012345조", "1.234567890123456조", "1억 0.5만", "1억 0.5",
    "1만 0.5", "0.5", "𝟏억", "١٢٣", "１억", "1억😀", "😀", "\x00", "1\t억", "1\n억", "백만 원", "백억", "백 억",
]  # fmt: skip
DAYS_BY_HAND = [
    "2021-12-31", "20211231", " 2021-12-31 ", "\u30002021-12-31", "2021-02-29", "2020-02-29", "2021-13-01",
    "2021-00-10", "2021-01-00", "2021-01-32", "0000-01-01", "0001-01-01", "9999-12-31", "2021-1-1", "2021/12/31",
    "31/08/2021", "2021-12-31T00:00", "2021-12-31 ", "2021123199", "20211231xx", "2021-W01", "2021-W01-1",
    "2021W01", "2021W011", "2021-W53", "2020-W53", "2020-W53-7", "2021-W00", "2021-W01-0", "2021-W01-8",
    "2021W01-1", "2021-W011", "9999-W52-5", "9999-W52-6", "9999-W52-7", "0001-W01-1", "0000-W01-1", "2021-0101",
    "202101-01", "", " ", "yesterday", "\uff12\uff10\uff12\uff11-12-31", "2021-12-3\u0661", "2021-12-31\u200b",
    "+2021-12-31",
    "12021-12-31", "2021-W5", "2021-w01", "2026-W53-1", "2015-W53-7", "2004-W53", "2021\u201312\u201331",
]  # fmt: skip

#: The characters Hypothesis builds amounts from: what an amount is made of, and what sits near it on a keyboard.
AMOUNT_ALPHABET = "0123456789,.조억만천백십원₩￦ -\u2212\u00a0\u3000x억만"
DAY_ALPHABET = "0123456789-W /T:"


def won_vector(text: str) -> dict[str, Any]:
    try:
        return {"input": text, "won": str(parse_won(text)), "code": None}
    except InvalidAmount as error:
        return {"input": text, "won": None, "code": error.code}


def day_vector(text: str) -> dict[str, Any]:
    try:
        return {"input": text, "day": parse_day(text).isoformat(), "code": None}
    except InvalidDay as error:
        return {"input": text, "day": None, "code": error.code}


def _hypothesis_inputs(strategy: st.SearchStrategy[str], examples: int) -> list[str]:
    """Inputs Hypothesis generates (derandomized: the same every run), as they came."""
    seen: list[str] = []

    @settings(max_examples=examples, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(text: str) -> None:
        seen.append(text)

    collect()
    return list(dict.fromkeys(seen))


def _balanced(vectors: list[dict[str, Any]], per_outcome: int, seed: int) -> list[dict[str, Any]]:
    """At most `per_outcome` vectors of each refusal code, and of acceptance, chosen at random (fixed seed)."""
    by_outcome: dict[str, list[dict[str, Any]]] = {}
    for vector in vectors:
        by_outcome.setdefault(vector["code"] or "accepted", []).append(vector)
    chosen: list[dict[str, Any]] = []
    shuffle = random.Random(seed)
    for outcome in sorted(by_outcome):
        group = by_outcome[outcome]
        shuffle.shuffle(group)
        chosen.extend(group[: per_outcome * (4 if outcome == "accepted" else 1)])
    return chosen


def _amounts_spelled() -> st.SearchStrategy[str]:
    """Amounts as the portal writes them and as people write them, then perhaps altered by a character."""
    amount = st.one_of(st.integers(0, 10**16), st.integers(0, MAX_WON + 10**6), st.sampled_from([0, 10**4, 10**8]))
    spelled = amount.flatmap(
        lambda won: st.sampled_from(
            [str(won), f"{won:,}", format_won_korean(won) if won <= MAX_WON else str(won),
             format_won(won) if won <= MAX_WON else str(won), format_won_korean(won).replace(" ", "") if won <= MAX_WON
             else str(won)]
        )
    )  # fmt: skip
    return st.tuples(
        spelled, st.integers(0, 40), st.sampled_from(["", ".", ",", "만", "억", " ", "천", "5", "원", "."])
    ).map(lambda t: t[0][: t[1]] + t[2] + t[0][t[1] :])


def build_vectors() -> dict[str, Any]:
    generated_amounts = _hypothesis_inputs(st.text(AMOUNT_ALPHABET, max_size=14), 1500) + _hypothesis_inputs(
        _amounts_spelled(), 800
    )
    generated_days = _hypothesis_inputs(st.text(DAY_ALPHABET, min_size=6, max_size=11), 1500) + _hypothesis_inputs(
        st.dates().map(lambda d: d.isoformat()), 100
    )
    amounts = [won_vector(text) for text in AMOUNTS_BY_HAND]
    amounts += _balanced([won_vector(t) for t in generated_amounts if t not in AMOUNTS_BY_HAND], 30, 1)
    days = [day_vector(text) for text in DAYS_BY_HAND]
    days += _balanced([day_vector(t) for t in generated_days if t not in DAYS_BY_HAND], 60, 2)
    return {
        "about": "Inputs of the workspace's form parsers and what registry/domain/money.py parse_won and "
        "registry/domain/days.py parse_day make of them (won as a string of digits, or the refusal's code). "
        "Written by RND_WRITE_VECTORS=1 pytest tests/domain/test_form_vectors.py; run against "
        "static/workspace/forms.js by tests/web/test_workspace_forms.py.",
        "won": amounts,
        "day": days,
    }


def load_vectors() -> dict[str, Any]:
    if os.environ.get("RND_WRITE_VECTORS") == "1" or not VECTORS.exists():
        VECTORS.parent.mkdir(parents=True, exist_ok=True)
        VECTORS.write_text(json.dumps(build_vectors(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    loaded: dict[str, Any] = json.loads(VECTORS.read_text(encoding="utf-8"))
    return loaded


def test_every_amount_vector_is_what_parse_won_makes_of_its_input() -> None:
    vectors = load_vectors()["won"]
    assert [won_vector(v["input"]) for v in vectors] == vectors


def test_every_day_vector_is_what_parse_day_makes_of_its_input() -> None:
    vectors = load_vectors()["day"]
    assert [day_vector(v["input"]) for v in vectors] == vectors


def test_the_vectors_are_many_and_cover_every_refusal() -> None:
    vectors = load_vectors()
    amounts = Counter(v["code"] or "accepted" for v in vectors["won"])
    days = Counter(v["code"] or "accepted" for v in vectors["day"])
    assert set(amounts) == {*AMOUNT_REFUSALS, "accepted"}, amounts
    assert set(days) == {*DAY_REFUSALS, "accepted"}, days
    assert len(vectors["won"]) >= 400 and len(vectors["day"]) >= 150
