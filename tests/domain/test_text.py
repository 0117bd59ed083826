"""Bidirectional controls in text from the chain: each of the nine shown as a visible mark, nothing
else touched; in JSON, written as escapes that mean the same text."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from registry.domain.text import BIDI_CONTROLS, code_point_mark, has_bidi, json_with_bidi_escaped, visible_bidi


def test_the_nine_embedding_override_and_isolate_controls_are_the_ones_made_visible() -> None:
    assert sorted(f"{ord(c):04X}" for c in BIDI_CONTROLS) == [
        "202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069"
    ]  # fmt: skip
    assert visible_bidi("보고서\u202efdp.exe") == "보고서<U+202E>fdp.exe"
    assert visible_bidi("\u2066a\u2069 \u200f") == "<U+2066>a<U+2069> \u200f", "marks (RLM) are not controls"
    assert code_point_mark("\U0001f9ea") == "<U+1F9EA>"
    assert has_bidi("x\u202a") and not has_bidi("신성장동력 R&D사업")


@given(st.text())
def test_visible_text_holds_no_control_and_text_without_one_is_unchanged(text: str) -> None:
    shown = visible_bidi(text)
    assert not has_bidi(shown)
    if not has_bidi(text):
        assert shown == text


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))  # fmt: skip
def test_json_with_escaped_controls_reads_back_as_the_same_data(value: object) -> None:
    written = json_with_bidi_escaped(json.dumps(value, ensure_ascii=False))
    assert not has_bidi(written)
    assert json.loads(written) == value
