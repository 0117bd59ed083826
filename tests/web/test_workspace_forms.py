"""The workspace's form parsers (static/workspace/forms.js) in Chromium: every shared vector
(tests/domain/vectors/forms.json, checked against registry/domain/money.py and days.py by
tests/domain/test_form_vectors.py) accepted or refused as the Python functions do, amounts as exact BigInts;
what was understood and what was wrong said in the page's language; won written as the portal writes it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from registry.domain.money import format_won, format_won_korean
from tests.domain.test_form_vectors import load_vectors
from tests.web.conftest import BrowserTab

FORMS = "/static/workspace/forms.js"

RUN_VECTORS = """(vectors) => {
  const forms = window.RndWorkspace.forms;
  const won = vectors.won.map((v) => {
    const r = forms.parseWon(v.input);
    if (r.ok && typeof r.won !== "bigint") return {input: v.input, won: "not a BigInt", code: null};
    return r.ok ? {input: v.input, won: r.won.toString(), code: null} : {input: v.input, won: null, code: r.code};
  });
  const day = vectors.day.map((v) => {
    const r = forms.parseDay(v.input);
    return r.ok ? {input: v.input, day: r.day, code: null} : {input: v.input, day: null, code: r.code};
  });
  return {won, day};
}"""


def open_forms(tab: BrowserTab, language: str) -> None:
    tab.visit(f"/workspace?lang={language}")
    tab.page.add_script_tag(url=FORMS)
    tab.page.wait_for_function("window.RndWorkspace && window.RndWorkspace.forms", timeout=60_000)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_forms_js_accepts_and_refuses_every_shared_vector_as_python_does(desktop: BrowserTab, language: str) -> None:
    vectors = load_vectors()
    open_forms(desktop, language)
    results: dict[str, list[dict[str, Any]]] = desktop.page.evaluate(RUN_VECTORS, vectors)
    assert [r for r, v in zip(results["won"], vectors["won"], strict=True) if r != v] == []
    assert [r for r, v in zip(results["day"], vectors["day"], strict=True) if r != v] == []
    desktop.assert_quiet()


def test_what_was_understood_is_said_in_korean_with_the_exact_won(desktop: BrowserTab) -> None:
    open_forms(desktop, "ko")
    said = desktop.page.evaluate(
        "['1억', '3.5억', '100,000,000', '₩1억 2천만 원'].map((t) => RndWorkspace.forms.parseWon(t).understood)"
    )
    assert said == [
        "1억 원 (100,000,000원)",
        "3억 5,000만 원 (350,000,000원)",
        "1억 원 (100,000,000원)",
        "1억 2,000만 원 (120,000,000원)",
    ]
    assert desktop.page.evaluate("RndWorkspace.forms.parseDay(' 2021-12-31 ')") == {
        "ok": True, "day": "2021-12-31", "understood": "2021년 12월 31일 (2021-12-31)",
    }  # fmt: skip


def test_what_was_understood_is_said_in_english_too(desktop: BrowserTab) -> None:
    open_forms(desktop, "en")
    assert (
        desktop.page.evaluate("RndWorkspace.forms.parseWon('13.2억').understood") == "₩1,320,000,000 (13억 2,000만 원)"
    )


def test_a_refusal_says_what_is_wrong_and_what_to_write_in_the_pages_language(desktop: BrowserTab) -> None:
    open_forms(desktop, "ko")
    korean = desktop.page.evaluate("RndWorkspace.forms.parseWon('1억 12,000만')")
    assert korean == {
        "ok": False,
        "code": "overlap",
        "message": "'1억 12,000만'은(는) 원 단위 금액이 아닙니다: 12,000만은(는) 1억 이상이라 앞의 억와 "
        "겹칩니다. 단위마다 한 번씩, 큰 단위부터 쓰세요. 100000000, 100,000,000, 1억처럼 원 단위로 쓰세요.",
    }
    assert desktop.page.evaluate("RndWorkspace.forms.parseDay('2021-02-29').message") == (
        "'2021-02-29'은(는) 달력에 없는 날입니다. 2021-12-31처럼 YYYY-MM-DD로 쓰세요."
    )
    open_forms(desktop, "en")
    assert desktop.page.evaluate("RndWorkspace.forms.parseWon('0.00001만').message") == (
        "'0.00001만' is not an amount of won: it leaves a fraction of a won. Write whole won such as 100000000, "
        "100,000,000 or 1억."
    )


def test_won_is_written_as_the_portal_writes_it(desktop: BrowserTab) -> None:
    amounts = [0, 7, 15_000, 20_000_000, 160_000_000, 10**12 + 5, 2**96 - 1]
    open_forms(desktop, "ko")
    written = desktop.page.evaluate(
        "(amounts) => amounts.map((a) => [RndWorkspace.forms.formatWon(BigInt(a)), "
        "RndWorkspace.forms.formatWonKorean(BigInt(a))])",
        [str(a) for a in amounts],
    )
    assert written == [[format_won(a), format_won_korean(a)] for a in amounts]
    assert json.dumps(written, ensure_ascii=False)  # plain strings, no BigInt left in the answer
