"""Text from the chain cannot play bidi tricks in the portal: a program name with a right-to-left
isolate, a field with a right-to-left override, outcome identifiers with both, shown on every page
that shows them (lists, record pages, crumbs, search, dashboard, company) as visible `<U+202E>` marks,
with no control character anywhere in the page; the claims stay the chain's exact text, so the
browser's chain check still matches. Checked in Chromium on what a reader sees."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web3 import Web3

from registry.domain.text import BIDI_CONTROLS, visible_bidi
from tests.api.conftest import IndexedRegistry
from tests.helpers.hostile import OUTCOME_IDS, PROGRAM_FIELD, PROGRAM_NAME, HostileRecords, write_hostile_records
from tests.web.conftest import BrowserTab, ReviewedMilestone
from tests.web.test_claims import Api, assert_claims_hold

NAME_SHOWN = visible_bidi(PROGRAM_NAME)  # "@SUM(...) <U+2067>악성 사업<U+2069>"
FIELD_SHOWN = visible_bidi(PROGRAM_FIELD)


@pytest.fixture(scope="module")
def hostile(indexed: IndexedRegistry, reviewed: ReviewedMilestone, w3: Web3) -> Iterator[HostileRecords]:
    """The payloads on chain and indexed for the portal; reverted, and the copy follows back, after."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        written = write_hostile_records(w3, indexed.manifest)
        indexed.index()
        yield written
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
        indexed.index()


def _pages(h: HostileRecords) -> dict[str, list[str]]:
    """Each page that shows the payloads, with the texts a reader must see on it."""
    outcome_pages = {
        f"/outcomes/{outcome}": [visible_bidi(external), NAME_SHOWN] for outcome, external in zip(
            h.outcome_ids, OUTCOME_IDS, strict=True)
    }  # fmt: skip
    return {
        "/programs": [NAME_SHOWN],
        f"/programs/{h.program_id}": [NAME_SHOWN, FIELD_SHOWN],
        f"/projects/{h.project_id}": [NAME_SHOWN, "10-2021-<U+202E>6543210"],
        **outcome_pages,
        f"/search?program={h.program_id}": [NAME_SHOWN, "10-2021-<U+202E>6543210"],
        "/dashboard?year=2023": [NAME_SHOWN],
    }


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _text_of(page: str) -> str:
    """The text of a page as a reader gets it (markup gone, entities decoded; scripts left out)."""
    parser = _Text()
    parser.feed(page)
    return "".join(parser.parts)


def test_no_page_holds_a_bidi_control_and_each_shows_its_marks(client: TestClient, hostile: HostileRecords) -> None:
    for path, shown in _pages(hostile).items():
        for lang in ("ko", "en"):
            answer = client.get(f"{path}{'&' if '?' in path else '?'}lang={lang}")
            assert answer.status_code == 200, path
            assert not any(c in BIDI_CONTROLS for c in answer.text), f"{path}: a bidi control in the page"
            visible = _text_of(answer.text)
            for text in shown:
                assert text in visible, (path, lang, text)


def test_the_dashboard_charts_are_labelled_with_the_marks_too(client: TestClient, hostile: HostileRecords) -> None:
    page = client.get("/dashboard", params={"year": 2023}).text
    data = page.split('<script type="application/json" id="dashboard-data">', 1)[1].split("</script>", 1)[0]
    [program] = [p for p in json.loads(data)["programs"] if p["programId"] == hostile.program_id]
    assert (program["name"], program["field"]) == (NAME_SHOWN, FIELD_SHOWN)


def test_the_pages_claim_the_chains_exact_text(client: TestClient, hostile: HostileRecords) -> None:
    api = Api(client)
    for path in (f"/programs/{hostile.program_id}", f"/projects/{hostile.project_id}",
                 *(f"/outcomes/{o}" for o in hostile.outcome_ids)):  # fmt: skip
        records = assert_claims_hold(client, api, path)
        assert records, path
    program = client.get(f"/api/v1/programs/{hostile.program_id}").json()
    assert (program["name"], program["field"]) == (PROGRAM_NAME, PROGRAM_FIELD), "the API keeps the text as recorded"


def _verdict(tab: BrowserTab) -> str:
    tab.page.wait_for_function(
        "() => ['matches', 'differs', 'failed'].includes(document.getElementById('chain-check')?.dataset.verdict)",
        timeout=60_000,
    )
    return str(tab.page.locator("#chain-check").get_attribute("data-verdict"))


def test_chromium_shows_the_marks_and_applies_no_override(desktop: BrowserTab, hostile: HostileRecords) -> None:
    for path, shown in _pages(hostile).items():
        desktop.visit(path)
        text = desktop.page.evaluate("() => document.title + '\\n' + document.body.innerText")
        assert not any(c in BIDI_CONTROLS for c in text), f"{path}: a live bidi control"
        read = " ".join(text.split())  # as a reader sees it: the browser collapses whitespace
        for expected in shown:
            assert " ".join(expected.split()) in read, (path, expected)
        if path.startswith(("/programs/", "/outcomes/", "/projects/")):
            assert _verdict(desktop) == "matches", f"{path}: {desktop.page.locator('#chain-check').inner_text()}"
    desktop.visit(f"/outcomes/{hostile.outcome_ids[1]}")
    desktop.screenshot("hostile-outcome")
    desktop.assert_quiet()


def test_a_file_name_with_an_override_is_shown_with_its_mark_on_the_verify_page(
    desktop: BrowserTab, tmp_path: Path
) -> None:
    disguised = tmp_path / "보고서\u202efdp.exe"  # reads "보고서exe.pdf" if the override were applied
    disguised.write_bytes(b"not a registered document\n")
    desktop.visit("/verify")
    desktop.page.set_input_files("#document", str(disguised))
    desktop.page.locator("#verdict-heading").wait_for()
    shown = desktop.page.locator("#chosen-file").inner_text()
    assert shown == "보고서<U+202E>fdp.exe"
    text = desktop.page.evaluate("() => document.body.innerText")
    assert not any(c in BIDI_CONTROLS for c in text)
    desktop.assert_quiet()
