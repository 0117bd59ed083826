"""The auditor's workspace, in Chromium against the test chain with the relay on: a submitted milestone is
in the inbox, oldest first; the auditor rejects it with a note typed in the page (by keyboard alone), the
note is published and its SHA-256 recorded, the company reads it on the milestone's page; after the
company resubmits, the auditor approves. After each step the chain and the API agree with what the page
shows. A rejection without a reason is refused before anything is signed, in Korean and in English; the
inbox has no serious or critical accessibility violation."""

from __future__ import annotations

import hashlib
import json
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from registry.chain.client import RegistryClient
from registry.chain.devkeys import dev_account
from registry.chain.devload import ADMIN, AUDITOR
from registry.domain.deadlines import is_overdue, now_seconds
from registry.domain.enums import MilestoneStatus, ObjectionStatus, ObjectionSubject, SanctionStatus
from registry.evidence.hashing import sha256_bytes
from tests.api.conftest import IndexedRegistry
from tests.helpers.registry import second_auditor_key
from tests.helpers.workspace import (
    STEP_TIMEOUT_MS,
    company_clerk,
    confirm_signing,
    sign_in,
    wait_signed_in,
    write_keystore,
)
from tests.web.conftest import DESKTOP, PHONE, BrowserTab
from tests.web.test_accessibility import failing_violations

PASSWORD = "audit-office-2021"
DAY = 24 * 3600
NOTE = "시험 결과 B가 빠졌습니다.\nThe test log of scenario B is missing."
APPROVAL = "B 시나리오 결과를 확인했습니다. Results of scenario B checked."


def api_json(base_url: str, path: str) -> Any:
    with urllib.request.urlopen(base_url + path, timeout=30) as answer:
        return json.loads(answer.read())


def api_bytes(base_url: str, path: str) -> bytes:
    with urllib.request.urlopen(base_url + path, timeout=30) as answer:
        return bytes(answer.read())


def wait_for_api(base_url: str, path: str, field: str, value: Any, seconds: float = 120) -> Any:
    """The API's record at `path` once its `field` is `value` (the indexer follows the chain in a thread)."""
    until = time.monotonic() + seconds
    while True:
        try:
            found = api_json(base_url, path)
            if found.get(field) == value:
                return found
        except OSError:
            pass
        if time.monotonic() > until:
            raise AssertionError(f"{path} never had {field} = {value!r}")
        time.sleep(0.3)


def wait_for_status(page: Page, text: str) -> str:
    """What the page's status line says once it says `text`; fails saying what it said instead."""
    try:
        page.wait_for_function(
            "text => document.getElementById('auditor-status').textContent.includes(text)",
            arg=text,
            timeout=STEP_TIMEOUT_MS,
        )
    except PlaywrightTimeout:
        raise AssertionError(
            f"the page never said {text!r}; it says {page.text_content('#auditor-status')!r}"
        ) from None
    return str(page.text_content("#auditor-status"))


def wait_for_dialog(page: Page, form: str) -> None:
    """Waits for the signing dialog; fails with what the form said instead if it refused."""
    page.wait_for_function(
        "form => document.querySelector('#confirm-signing[open]') || !document.getElementById(form + '-error').hidden",
        arg=form, timeout=STEP_TIMEOUT_MS,
    )  # fmt: skip
    refused = page.locator(f"#{form}-error:not([hidden])")
    assert refused.count() == 0, refused.text_content()


def submitted_milestone(registry: IndexedRegistry) -> tuple[int, int, RegistryClient]:
    """A milestone the office plans and the company submits (the clerk's page is tested on its own): the
    project, the milestone and the company's client, to resubmit later."""
    client = registry.client
    clerk = company_clerk(client)
    admin = RegistryClient(client.w3, registry.manifest, account=dev_account(ADMIN))
    company = RegistryClient(client.w3, registry.manifest, account=clerk.account)
    due = int(client.w3.eth.get_block("latest")["timestamp"]) + 40 * DAY
    planned = admin.execute(admin.ops.plan_milestone(clerk.project_id, due, 0, None)).record
    index = planned.milestone_index
    company.execute(company.ops.submit_milestone(clerk.project_id, index, [sha256_bytes(b"interim report v1")]))
    return clerk.project_id, index, company


def chain_state(registry: IndexedRegistry) -> tuple[int, int]:
    client = registry.client
    return client.w3.eth.block_number, client.w3.eth.get_transaction_count(dev_account(6).address)


def test_the_auditor_rejects_with_a_typed_note_then_approves_the_resubmission(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, workspace_url: str, tmp_path: Path
) -> None:
    project, index, company = submitted_milestone(workspace_registry)
    path = f"/api/v1/projects/{project}/milestones/{index}"
    wait_for_api(workspace_url, path, "status", "submitted")
    keystore = write_keystore(tmp_path, "kim-auditor", dev_account(AUDITOR), PASSWORD)
    page = workspace_tab.page
    workspace_tab.visit("/workspace/auditor?lang=en")
    row = f"[data-list='list-submissions'] tr[data-project='{project}'][data-milestone='{index}']"
    assert page.locator(row).count() == 1, page.inner_text("#waiting")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)

    # Keyboard alone, from the row's button: Enter fills the form and moves to the note, the note is typed,
    # Tab reaches "reject", Enter sends it to the signing dialog, whose "sign and send" has the focus.
    page.locator(f"{row} button.pick").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "review-note"
    assert page.input_value("#review-project") == str(project) and page.input_value("#review-milestone") == str(index)
    page.keyboard.type(NOTE)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "reject"
    page.keyboard.press("Enter")
    wait_for_dialog(page, "milestone-review")
    assert page.evaluate("document.activeElement.id") == "confirm-sign"
    page.keyboard.press("Enter")
    said = wait_for_status(page, f"Milestone {index} of project {project} is rejected")

    note_hash = hashlib.sha256(NOTE.encode("utf-8")).digest()
    milestone = workspace_registry.client.milestone(project, index)
    assert milestone.status is MilestoneStatus.REJECTED
    client = workspace_registry.client
    [rejected] = client.history(client.grants, ["MilestoneRejected"], {"projectId": project, "milestoneIndex": index})
    assert bytes(rejected["reasonHash"]) == note_hash and rejected["auditor"] == dev_account(AUDITOR).address
    assert rejected["transactionHash"] in said
    shown = api_json(workspace_url, path)
    assert shown["status"] == "rejected" and shown["history"][-1]["documentHash"] == "0x" + note_hash.hex()
    assert shown["history"][-1]["provenance"]["signer"] == dev_account(AUDITOR).address
    assert api_bytes(workspace_url, f"/api/v1/documents/{note_hash.hex()}") == NOTE.encode("utf-8")
    # The inbox was read again: the milestone waits for the company now.
    assert page.locator(row).count() == 0
    page.wait_for_selector(f"[data-list='list-resubmissions'] tr[data-project='{project}'][data-milestone='{index}']")
    workspace_tab.screenshot("workspace-auditor-rejected")

    # The company reads the note on the milestone's page.
    workspace_tab.visit(f"/projects/{project}/milestones/{index}?lang=en")
    assert "The test log of scenario B is missing." in str(page.text_content("main"))

    company.execute(company.ops.submit_milestone(project, index, [sha256_bytes(b"interim report v2")]))
    wait_for_api(workspace_url, path, "status", "submitted")
    workspace_tab.visit("/workspace/auditor?lang=en")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)
    page.click(f"{row} button.pick")
    page.fill("#review-note", APPROVAL)
    page.click("#milestone-review button[value='approve']")
    wait_for_dialog(page, "milestone-review")
    confirm_signing(page)
    wait_for_status(page, f"Milestone {index} of project {project} is approved")

    assert workspace_registry.client.milestone(project, index).status is MilestoneStatus.APPROVED
    shown = api_json(workspace_url, path)
    approval_hash = "0x" + hashlib.sha256(APPROVAL.encode("utf-8")).hexdigest()
    assert shown["status"] == "approved" and shown["attempts"] == 2
    assert shown["history"][-1]["documentHash"] == approval_hash
    page.wait_for_selector(f"[data-list='list-approved'] tr[data-project='{project}'][data-milestone='{index}']")
    assert page.locator(row).count() == 0
    workspace_tab.assert_quiet()


def test_a_rejection_the_registry_refuses_publishes_no_note_and_changes_nothing(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, workspace_url: str, tmp_path: Path
) -> None:
    """Signed by a company's clerk, who is no auditor: the relay's check refuses the request before the note is
    published, so nothing public is left behind a refused request."""
    project, index, _ = submitted_milestone(workspace_registry)
    path = f"/api/v1/projects/{project}/milestones/{index}"
    wait_for_api(workspace_url, path, "status", "submitted")
    clerk = company_clerk(workspace_registry.client)
    keystore = write_keystore(tmp_path, "clerk", clerk.account, PASSWORD)
    before = chain_state(workspace_registry)
    page = workspace_tab.page
    workspace_tab.visit("/workspace/auditor?lang=en")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)
    note = "이 메모는 공개되면 안 됩니다. This note must not be published."
    page.fill("#review-project", str(project))
    page.fill("#review-milestone", str(index))
    page.fill("#review-note", note)
    page.click("#milestone-review button[value='reject']")
    wait_for_dialog(page, "milestone-review")
    confirm_signing(page)
    page.wait_for_selector("#milestone-review-error:not([hidden])", timeout=STEP_TIMEOUT_MS)
    assert "AccessControlUnauthorizedAccount" in str(page.text_content("#milestone-review-error"))

    note_hash = hashlib.sha256(note.encode("utf-8")).hexdigest()
    with pytest.raises(urllib.error.HTTPError) as missing:
        api_bytes(workspace_url, f"/api/v1/documents/{note_hash}")
    assert missing.value.code == 404
    assert chain_state(workspace_registry) == before
    assert workspace_registry.client.milestone(project, index).status is MilestoneStatus.SUBMITTED


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "A rejection needs its reason"), ("ko", "반려에는 사유가 있어야 합니다")],
)
def test_a_rejection_without_a_reason_is_refused_before_signing_and_changes_nothing(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, language: str, expected: str
) -> None:
    before = chain_state(workspace_registry)
    page = workspace_tab.page
    workspace_tab.visit(f"/workspace/auditor?lang={language}")
    page.fill("#review-project", "1")
    page.fill("#review-milestone", "1")
    page.click("#milestone-review button[value='reject']")
    page.wait_for_selector("#milestone-review-error:not([hidden])")
    assert expected in str(page.text_content("#milestone-review-error"))
    assert page.get_attribute("#review-note", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "review-note"
    assert page.locator("#confirm-signing[open]").count() == 0
    assert chain_state(workspace_registry) == before


def test_a_milestone_past_its_due_day_is_in_the_inbox_as_overdue(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, workspace_url: str
) -> None:
    client = workspace_registry.client
    admin = RegistryClient(client.w3, workspace_registry.manifest, account=dev_account(ADMIN))
    project = company_clerk(client).project_id
    due = int(datetime(2020, 1, 31, tzinfo=UTC).timestamp())
    index = admin.execute(admin.ops.plan_milestone(project, due, 0, None)).record.milestone_index
    wait_for_api(workspace_url, f"/api/v1/projects/{project}/milestones/{index}", "status", "planned")
    assert is_overdue(MilestoneStatus.PLANNED, due, client.project(project).status, now_seconds())
    workspace_tab.visit("/workspace/auditor?lang=en")
    row = workspace_tab.page.locator(
        f"[data-list='list-overdue'] tr[data-project='{project}'][data-milestone='{index}']"
    )
    assert row.count() == 1
    assert "Overdue" in str(row.text_content()) and "2020-01-31" in str(row.text_content())


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_inbox_has_no_serious_accessibility_violation(
    browser: Browser, workspace_url: str, language: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport, bypass_csp=True, locale="ko-KR")  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(f"{workspace_url}/workspace/auditor?lang={language}")
        page.wait_for_selector("body[data-workspace-ready='true']")
        assert failing_violations(page) == []
    finally:
        context.close()


def test_the_auditor_verifies_and_disputes_reports_and_records_an_evaluation_with_sanctions(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, workspace_url: str, tmp_path: Path
) -> None:
    client = workspace_registry.client
    reports = [api_json(workspace_url, f"/api/v1/commercialization-reports/{i}")
               for i in range(1, client.counts()["reports"] + 1)]  # fmt: skip
    verified, disputed = [r["reportId"] for r in reports if r["status"] == "reported"][:2]
    keystore = write_keystore(tmp_path, "kim-auditor", dev_account(AUDITOR), PASSWORD)
    page = workspace_tab.page
    workspace_tab.visit("/workspace/auditor?lang=en")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)

    page.click(f"[data-list='list-reports'] tr[data-report='{verified}'] button.pick")
    page.fill("#report-note", "세금계산서와 대조했습니다. Checked against the tax invoices.")
    page.click("#report-review button[value='verify']")
    wait_for_dialog(page, "report-review")
    confirm_signing(page)
    wait_for_status(page, f"Report {verified} is verified.")
    assert client.report(verified).status.name == "VERIFIED"
    assert api_json(workspace_url, f"/api/v1/commercialization-reports/{verified}")["status"] == "verified"

    page.fill("#report-number", str(disputed))
    page.click("#report-review button[value='dispute']")
    page.wait_for_selector("#report-review-error:not([hidden])")
    assert "A dispute needs its reason" in str(page.text_content("#report-review-error"))
    reason = "매출 증빙이 없습니다. No evidence of the sales."
    page.fill("#report-note", reason)
    page.click("#report-review button[value='dispute']")
    wait_for_dialog(page, "report-review")
    confirm_signing(page)
    wait_for_status(page, f"Report {disputed} is disputed.")
    assert client.report(disputed).status.name == "DISPUTED"
    shown = api_json(workspace_url, f"/api/v1/commercialization-reports/{disputed}")
    assert shown["status"] == "disputed"
    assert shown["history"][-1]["documentHash"] == "0x" + hashlib.sha256(reason.encode()).hexdigest()
    page.wait_for_selector(f"[data-list='list-decided-reports'] tr[data-report='{disputed}']")

    project = int(page.get_attribute("[data-list='list-evaluations'] tbody tr", "data-project"))  # type: ignore[arg-type]
    grant, status_before = client.project(project).amount, client.project(project).status
    page.click(f"[data-list='list-evaluations'] tr[data-project='{project}'] button.pick")
    page.select_option("#evaluation-grade", "4")
    findings = "성과 목표의 절반을 달성하지 못했습니다. Half of the targets were missed."
    page.fill("#evaluation-findings", findings)
    page.fill("#evaluation-clawback", f"{grant + 1:,}")
    page.fill("#evaluation-until", "2030-12-31")
    page.click("#evaluation button[type=submit]")
    page.wait_for_selector("#evaluation-error:not([hidden])")
    assert "The program claws back at most 100% of a grant" in str(page.text_content("#evaluation-error"))
    page.fill("#evaluation-clawback", "2천만")
    longest = client.program_rules(client.project(project).program_id).max_restriction_days
    page.fill("#evaluation-until", "2099-12-31")
    page.click("#evaluation button[type=submit]")
    page.wait_for_selector("#evaluation-error:not([hidden])")
    assert f"restricts a company for at most {longest} days" in str(page.text_content("#evaluation-error"))
    page.fill("#evaluation-until", "2030-12-31")
    page.fill("#evaluation-clawback", "2천만")
    assert "20,000,000" in str(page.text_content("#evaluation-clawback-understood"))
    page.click("#evaluation button[type=submit]")
    wait_for_dialog(page, "evaluation")
    confirm_signing(page)
    wait_for_status(page, f"The evaluation of project {project} is recorded.")
    audit = client.audit(client.counts()["audits"])
    assert (audit.project_id, audit.grade.name, audit.clawback_amount) == (project, "POOR", 20_000_000)
    assert audit.findings_hash == hashlib.sha256(findings.encode()).digest()
    assert audit.restricted_until is not None and f"{audit.restricted_until:%Y-%m-%d}" == "2030-12-31"
    # Pending until a second auditor confirms: the project is not clawed back yet.
    assert client.sanction(audit.audit_id).status is SanctionStatus.PENDING
    assert client.project(project).status is status_before
    shown = api_json(workspace_url, f"/api/v1/evaluations/{audit.audit_id}")
    assert (shown["grade"], shown["clawbackAmount"]) == ("poor", "20000000")
    page.wait_for_selector(f"[data-list='list-recorded'] tr[data-evaluation='{audit.audit_id}']")
    assert page.locator(f"[data-list='list-evaluations'] tr[data-project='{project}']").count() == 0
    row = f"tr[data-sanction='{audit.audit_id}']"
    page.wait_for_selector(f"{row}[data-sanction-status='pending'] [data-no-confirm]", timeout=STEP_TIMEOUT_MS)
    assert "Pending: 1 of 2 confirmations" in str(page.text_content(f"{row} [data-sanction-state]"))
    assert page.locator(f"{row} button.pick").count() == 0
    assert "You recorded this evaluation" in str(page.text_content(f"{row} [data-sanction-action]"))
    # Asked by number anyway, the page refuses before signing.
    page.fill("#confirm-evaluation", str(audit.audit_id))
    page.click("#sanction-confirm button[type=submit]")
    page.wait_for_selector("#sanction-confirm-error:not([hidden])")
    assert "a second auditor, not you" in str(page.text_content("#sanction-confirm-error"))

    # The second auditor confirms it: in effect, the project clawed back.
    page.click("#sign-out")
    second = write_keystore(tmp_path, "lee-auditor", second_auditor_key(), PASSWORD)
    sign_in(page, second, PASSWORD)
    wait_signed_in(page)
    page.click(f"{row} button.pick", timeout=STEP_TIMEOUT_MS)
    assert page.input_value("#confirm-evaluation") == str(audit.audit_id)
    page.click("#sanction-confirm button[type=submit]")
    wait_for_dialog(page, "sanction-confirm")
    confirm_signing(page)
    wait_for_status(page, f"Evaluation {audit.audit_id}: confirmed (2 of 2); its sanction is now in effect.")
    assert client.sanction(audit.audit_id).status is SanctionStatus.IN_EFFECT
    assert client.project(project).status.name == "CLAWED_BACK"
    page.wait_for_selector(f"{row}[data-sanction-status='in-effect']", timeout=STEP_TIMEOUT_MS)

    # A second clawback of the same project is refused before signing.
    page.fill("#evaluation-project", str(project))
    page.select_option("#evaluation-grade", "5")
    page.fill("#evaluation-findings", "again")
    page.fill("#evaluation-clawback", "1천만")
    page.click("#evaluation button[type=submit]")
    page.wait_for_selector("#evaluation-error:not([hidden])")
    assert "A project is clawed back once" in str(page.text_content("#evaluation-error"))
    assert [p for p in workspace_tab.problems if "status of 404 (Not Found)" not in p] == []


def test_an_objection_is_resolved_by_an_auditor_other_than_the_one_who_decided(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, tmp_path: Path
) -> None:
    client = workspace_registry.client
    project, index, company = submitted_milestone(workspace_registry)
    auditor = RegistryClient(client.w3, workspace_registry.manifest, account=dev_account(AUDITOR))
    auditor.execute(auditor.ops.reject_milestone(project, index, sha256_bytes(b"missing results")))
    filed = company.execute(company.ops.file_objection(
        ObjectionSubject.MILESTONE_REJECTION, project, index, sha256_bytes(b"results in annex B")
    )).record  # fmt: skip

    page = workspace_tab.page
    workspace_tab.visit("/workspace/auditor?lang=en")
    sign_in(page, write_keystore(tmp_path, "kim-auditor", dev_account(AUDITOR), PASSWORD), PASSWORD)
    wait_signed_in(page)
    row = f"[data-list='objections'] tr[data-objection='{filed.objection_id}']"
    page.wait_for_selector(f"{row} [data-no-resolve]", timeout=STEP_TIMEOUT_MS)
    assert f"Rejection of milestone {index} of project {project}" in str(page.text_content(row))
    assert page.locator(f"{row} button.pick").count() == 0
    assert "You made the contested decision" in str(page.text_content(row))
    page.fill("#resolve-objection", str(filed.objection_id))
    page.fill("#resolve-note", "결정을 다시 봅니다.")
    page.click("#objection-resolve button[value='uphold']")
    page.wait_for_selector("#objection-resolve-error:not([hidden])")
    assert "another auditor resolves this objection" in str(page.text_content("#objection-resolve-error"))

    page.click("#sign-out")
    sign_in(page, write_keystore(tmp_path, "lee-auditor", second_auditor_key(), PASSWORD), PASSWORD)
    wait_signed_in(page)
    page.click(f"{row} button.pick", timeout=STEP_TIMEOUT_MS)
    assert page.input_value("#resolve-objection") == str(filed.objection_id)
    page.fill("#resolve-note", "")
    page.click("#objection-resolve button[value='dismiss']")
    page.wait_for_selector("#objection-resolve-error:not([hidden])")
    assert "An objection is resolved with a reason" in str(page.text_content("#objection-resolve-error"))
    reason = "부록 B에도 시험 결과가 없습니다. Annex B has no test results either."
    page.fill("#resolve-note", reason)
    page.click("#objection-resolve button[value='dismiss']")
    wait_for_dialog(page, "objection-resolve")
    confirm_signing(page)
    wait_for_status(page, f"Objection {filed.objection_id} is dismissed.")
    resolved = client.objection(filed.objection_id)
    assert (resolved.status, resolved.resolved_by) == (ObjectionStatus.DISMISSED, second_auditor_key().address)
    page.wait_for_selector(row, state="detached", timeout=STEP_TIMEOUT_MS)
    assert [p for p in workspace_tab.problems if "status of 404 (Not Found)" not in p] == []
