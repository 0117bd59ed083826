"""Every public page type of the portal, in both languages and at a desktop's and a phone's width, has no
serious or critical accessibility violation as axe-core (npm, served from node_modules, never a CDN)
measures it: the WCAG 2.1 A and AA rules, WCAG 2.2's `target-size`, and the best-practice rules the
portal keeps (distinct landmarks, scroll boxes reachable by keyboard). The API's documentation pages are
Swagger UI's and ReDoc's own markup, not the portal's: test_api_documentation.py checks their language and
that they work offline."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page

from registry.settings import PROJECT_ROOT
from tests.web.conftest import ReviewedMilestone
from tests.web.test_pages import tour

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {
        "target-size": {"enabled": True},
        "landmark-unique": {"enabled": True},
        "scrollable-region-focusable": {"enabled": True},
    },
}
FAILING_IMPACTS = {"serious", "critical"}
#: Rules that fail at any impact: the ones the portal was found breaking once.
ALWAYS_FAILING = {"landmark-unique", "target-size", "scrollable-region-focusable", "html-has-lang"}
#: axe's findings, shortened to what a failure message needs: rule, impact, how many nodes, the first few.
AXE_RUN = """options => axe.run(document, options).then(result => result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
})))"""


def with_language(path: str, language: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={language}"


def failing_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(AXE_RUN, AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}, {v['count']} nodes, e.g. {v['nodes']}): {v['help']}"
        for v in found
        if v["impact"] in FAILING_IMPACTS or v["id"] in ALWAYS_FAILING
    ]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_no_page_has_a_serious_accessibility_violation(
    audited_page: Page, portal_url: str, client: TestClient, reviewed: ReviewedMilestone, language: str
) -> None:
    pages = {**tour(client, reviewed), "verify-answered": f"/verify?sha256={reviewed.genuine_sha256}"}
    found = {}
    for name, path in pages.items():
        response = audited_page.goto(portal_url + with_language(path, language))
        assert response is not None and response.status == 200, path
        audited_page.wait_for_load_state("networkidle")
        if violations := failing_violations(audited_page):
            found[name] = violations
    assert found == {}, "\n".join(f"{name}: {finding}" for name, findings in found.items() for finding in findings)
