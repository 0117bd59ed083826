"""The workspace's first page and the clerk's page have no serious or critical accessibility violation as
axe-core measures them (the rules of test_accessibility.py), in Korean and English, at a desktop's and a
phone's width: signed out, signed in with the agenda and forms shown, and with the signing dialog open."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from web3 import Web3

from tests.api.conftest import IndexedRegistry
from tests.helpers.workspace import STEP_TIMEOUT_MS, company_clerk, sign_in, wait_signed_in, write_keystore
from tests.web.test_accessibility import failing_violations
from tests.web.test_workspace_company import plan_milestone

PASSWORD = "axe-clerk-2021"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_workspace_pages_have_no_serious_accessibility_violation(
    audited_page: Page, workspace_url: str, workspace_registry: IndexedRegistry, w3: Web3, tmp_path: Path,
    language: str,
) -> None:  # fmt: skip
    clerk = company_clerk(workspace_registry.client)
    keystore = write_keystore(tmp_path, "acme-clerk", clerk.account, PASSWORD)
    index = plan_milestone(workspace_registry, w3, clerk.project_id)
    page = audited_page
    found: dict[str, list[str]] = {}

    def audit(name: str) -> None:
        if violations := failing_violations(page):
            found[name] = violations

    page.goto(f"{workspace_url}/workspace?lang={language}")
    page.wait_for_selector("body[data-workspace-ready='true']")
    audit("workspace signed out")
    page.goto(f"{workspace_url}/workspace/company?lang={language}")
    page.wait_for_selector("body[data-workspace-ready='true']")
    audit("company signed out")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)
    page.wait_for_selector("body[data-agenda-loaded]", timeout=STEP_TIMEOUT_MS)
    audit("company signed in")

    evidence = tmp_path / "report.pdf"
    evidence.write_bytes(b"%PDF-1.4 accessibility\n")
    page.select_option("#submit-milestone", f"{clerk.project_id}:{index}")
    page.set_input_files("#submit-files", str(evidence))
    page.wait_for_selector("#submit-hash-0:text-matches('^0x')")
    page.click("#submit-send")
    page.wait_for_selector("#confirm-signing[open]", timeout=STEP_TIMEOUT_MS)
    audit("signing dialog")
    page.click("#confirm-cancel")
    assert found == {}, "\n".join(f"{name}: {finding}" for name, findings in found.items() for finding in findings)
