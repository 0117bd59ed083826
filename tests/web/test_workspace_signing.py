"""Signing in the workspace, in Chromium: a keystore file and its password open the key in the page, which
then says who signs, with which roles and for which company; a wrong password says so and signs nobody in;
the key is gone after signing out and after ten idle minutes; nothing about the key is kept in the
browser's storage."""

from __future__ import annotations

from pathlib import Path

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct

from registry.chain.devkeys import dev_account
from registry.chain.devload import AUDITOR
from tests.api.conftest import IndexedRegistry
from tests.helpers.workspace import STEP_TIMEOUT_MS, company_clerk, sign_in, wait_signed_in, write_keystore
from tests.web.conftest import BrowserTab

PASSWORD = "grant-office-2021"


def test_a_clerk_signs_in_with_a_keystore_and_sees_their_company_and_page(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, tmp_path: Path
) -> None:
    clerk = company_clerk(workspace_registry.client)
    keystore = write_keystore(tmp_path, "acme-clerk", clerk.account, PASSWORD)
    page = workspace_tab.page
    workspace_tab.visit("/workspace?lang=en")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)

    assert page.text_content("#signer-address") == clerk.account.address
    page.wait_for_selector("#signer-identity code", timeout=STEP_TIMEOUT_MS)
    assert page.text_content("#signer-identity code") == "0x" + clerk.company_id.hex()
    link = page.wait_for_selector("#role-page-links a[href='/workspace/company']")
    assert link is not None and "Company clerk" in link.text_content()  # type: ignore[operator]
    assert page.input_value("#keystore-password") == ""
    assert "10 idle minutes" in page.text_content("#signer-idle")  # type: ignore[operator]
    workspace_tab.screenshot("workspace-signed-in")
    workspace_tab.assert_quiet()


def test_an_auditor_is_shown_the_auditor_role_and_no_company(workspace_tab: BrowserTab, tmp_path: Path) -> None:
    keystore = write_keystore(tmp_path, "kim-auditor", dev_account(AUDITOR), PASSWORD)
    page = workspace_tab.page
    workspace_tab.visit("/workspace?lang=en")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)
    page.wait_for_selector("#role-page-links a[href='/workspace/auditor']", timeout=STEP_TIMEOUT_MS)
    assert "auditor" in page.text_content("#signer-identity")  # type: ignore[operator]
    assert "bound to no company" in page.text_content("#signer-identity")  # type: ignore[operator]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ko", "비밀번호가 틀렸습니다"), ("en", "Wrong password")],
)
def test_a_wrong_password_says_so_and_signs_nobody_in(
    workspace_tab: BrowserTab, tmp_path: Path, language: str, expected: str
) -> None:
    keystore = write_keystore(tmp_path, "acme-clerk", dev_account(3), PASSWORD)
    page = workspace_tab.page
    workspace_tab.visit(f"/workspace?lang={language}")
    sign_in(page, keystore, "not the password")
    page.wait_for_selector("#sign-in-status.status-error", timeout=STEP_TIMEOUT_MS)
    assert expected in page.text_content("#sign-in-status")  # type: ignore[operator]
    assert page.get_attribute("#keystore-password", "aria-invalid") == "true"
    assert page.evaluate("RndWorkspace.signer.current()") is None
    assert page.get_attribute("body", "data-signed-in") == "false"


def test_a_file_that_is_no_keystore_is_refused_saying_which_file_to_choose(
    workspace_tab: BrowserTab, tmp_path: Path
) -> None:
    not_a_keystore = tmp_path / "report.json"
    not_a_keystore.write_text('{"title": "interim report"}')
    page = workspace_tab.page
    workspace_tab.visit("/workspace?lang=en")
    sign_in(page, not_a_keystore, PASSWORD)
    page.wait_for_selector("#sign-in-status.status-error", timeout=STEP_TIMEOUT_MS)
    assert "not a keystore file" in page.text_content("#sign-in-status")  # type: ignore[operator]
    assert page.evaluate("RndWorkspace.signer.current()") is None


def test_signing_out_forgets_the_key_and_nothing_was_kept_in_the_browser(
    workspace_tab: BrowserTab, tmp_path: Path
) -> None:
    account = dev_account(3)
    keystore = write_keystore(tmp_path, "acme-clerk", account, PASSWORD)
    page = workspace_tab.page
    workspace_tab.visit("/workspace?lang=en")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)
    signature = page.evaluate("RndWorkspace.signer.signMessage('workspace test')")
    assert Account.recover_message(encode_defunct(text="workspace test"), signature=signature) == account.address

    page.click("#sign-out")
    page.wait_for_selector("body[data-signed-in='false']")
    assert page.evaluate("RndWorkspace.signer.current()") is None
    refused = page.evaluate("RndWorkspace.signer.signMessage('again').then(() => 'signed', e => e.reason)")
    assert refused == "signed-out"
    assert "Signed out" in page.text_content("#sign-in-status")  # type: ignore[operator]
    kept = page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]")
    assert kept[0] == 0 and kept[1] == 0 and "key" not in kept[2].lower()
    assert account.key.hex().removeprefix("0x") not in page.content()


def test_a_key_left_idle_for_ten_minutes_is_forgotten(workspace_tab: BrowserTab, tmp_path: Path) -> None:
    keystore = write_keystore(tmp_path, "acme-clerk", dev_account(3), PASSWORD)
    page = workspace_tab.page
    page.clock.install()
    workspace_tab.visit("/workspace?lang=en")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)
    page.clock.fast_forward("09:00")
    page.clock.run_for(10_000)
    assert page.evaluate("RndWorkspace.signer.current() !== null")

    page.clock.fast_forward("02:00")
    page.clock.run_for(10_000)
    page.wait_for_selector("body[data-signed-in='false']")
    assert page.evaluate("RndWorkspace.signer.current()") is None
    assert "idle" in page.text_content("#sign-in-status")  # type: ignore[operator]


def test_a_keystore_written_with_the_cli_s_own_scrypt_cost_opens_with_progress_shown(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, tmp_path: Path
) -> None:
    account = dev_account(4)
    cost = workspace_registry.settings.keystore_scrypt_n
    keystore = write_keystore(tmp_path, "acme-clerk", account, PASSWORD, scrypt_n=cost)
    page = workspace_tab.page
    workspace_tab.visit("/workspace?lang=en")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)
    assert page.text_content("#signer-address") == account.address
