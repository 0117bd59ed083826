"""The clerk's page checks an outcome's identifier and details as the CLI does: every shared vector
(tests/domain/vectors/outcome_details.json, the cases registry/domain/outcome_details.py is tested with) run
through static/workspace/outcome-details.js in Chromium gives the same recorded identifier and details, or
refuses the same field; a refusal is said in the page's language with the table's own words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import BrowserTab

VECTORS = Path(__file__).parents[1] / "domain" / "vectors" / "outcome_details.json"

RUN_VECTORS = """(cases) => cases.map((c) => {
  const given = {...c.given, externalId: c.externalId, amount: BigInt(c.given.amount)};
  const r = window.RndWorkspace.outcomeDetails.check(c.type, given);
  if (!r.ok) return {refused: r.field};
  const [venue, country, counterparty, date, amount, sciIndexed] = r.details;
  return {externalIdRecorded: r.externalId,
          detailsRecorded: {venue, country, counterparty, date, amount: amount.toString(), sciIndexed}};
})"""


def open_clerk_page(tab: BrowserTab, language: str) -> None:
    tab.visit(f"/workspace/company?lang={language}")
    tab.page.wait_for_function("window.RndWorkspace && window.RndWorkspace.outcomeDetails", timeout=60_000)


def expected(case: dict[str, Any]) -> dict[str, Any]:
    if "refused" in case:
        return {"refused": case["refused"]}
    return {"externalIdRecorded": case["externalIdRecorded"], "detailsRecorded": case["detailsRecorded"]}


def test_outcome_details_js_records_and_refuses_every_shared_vector_as_python_does(desktop: BrowserTab) -> None:
    cases = json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]
    assert len(cases) > 20 and any("refused" in c for c in cases)
    open_clerk_page(desktop, "en")
    results = desktop.page.evaluate(RUN_VECTORS, cases)
    assert [(c, r) for c, r in zip(cases, results, strict=True) if r != expected(c)] == []
    desktop.assert_quiet()


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "a DOI is 10.NNNN/suffix"), ("ko", "DOI는 10.NNNN/접미사 형식입니다")],
)
def test_a_refused_doi_is_explained_in_the_page_s_language(desktop: BrowserTab, language: str, words: str) -> None:
    open_clerk_page(desktop, language)
    said = desktop.page.evaluate(
        "RndWorkspace.outcomeDetails.check('paper', {externalId: '10.12/abc', venue: 'Nature', country: '', "
        "counterparty: '', date: 0, amount: 0n, sciIndexed: false})"
    )
    assert said["ok"] is False and said["field"] == "externalId"
    assert "10.12/abc" in said["message"] and words in said["message"]
    missing = desktop.page.evaluate(
        "RndWorkspace.outcomeDetails.check('technology-transfer', {externalId: '', venue: '', country: '', "
        "counterparty: '', date: 0, amount: 0n, sciIndexed: false})"
    )
    assert missing["ok"] is False and missing["field"] == "counterparty"
