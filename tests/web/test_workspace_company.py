"""The company clerk's page, in Chromium against the relay: the clerk sees the company's projects and what is
due, submits a milestone with a real file hashed in the page (the chain, read with the client, and the API
agree with what the page shows), reads the auditor's reason after a rejection and resubmits; adds a patent,
updates its IP status, reports commercialization openly and committed (the salt file downloaded, then
used to disclose); a refusal (another company's project) is said in Korean and in English and changes
nothing; checks made in the page (no file, an amount it cannot read) say what to do, nothing signed."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from web3 import Web3

from registry.chain.client import RegistryClient, commitment_of
from registry.chain.devkeys import dev_account
from registry.chain.devload import ADMIN, AUDITOR
from registry.cli.commercialization import RevealFile, _write_private, read_reveal_file
from registry.domain.enums import (
    IpStatus,
    MilestoneStatus,
    ObjectionStatus,
    ObjectionSubject,
    OutcomeType,
    ReportStatus,
)
from registry.domain.records import CommercializationFigures
from registry.evidence.hashing import sha256_bytes
from registry.evidence.store import DocumentStore
from tests.api.conftest import IndexedRegistry
from tests.helpers.workspace import (
    STEP_TIMEOUT_MS,
    Clerk,
    company_clerk,
    confirm_signing,
    page_problems,
    sign_in,
    wait_signed_in,
    write_keystore,
)
from tests.web.conftest import BrowserTab

PASSWORD = "acme-clerk-2021"
DAY = 24 * 3600
REASON = "시험 결과가 빠졌습니다.\nThe test results are missing."


@pytest.fixture(scope="module")
def clerk(workspace_registry: IndexedRegistry) -> Clerk:
    return company_clerk(workspace_registry.client)


@pytest.fixture
def keystore(clerk: Clerk, tmp_path: Path) -> Path:
    return write_keystore(tmp_path, "acme-clerk", clerk.account, PASSWORD)


def plan_milestone(registry: IndexedRegistry, w3: Web3, project_id: int) -> int:
    admin = RegistryClient(w3, registry.manifest, account=dev_account(ADMIN))
    due = int(w3.eth.get_block("latest")["timestamp"]) + 30 * DAY
    return admin.execute(admin.ops.plan_milestone(project_id, due, 0)).record.milestone_index


def open_clerk_page(tab: BrowserTab, keystore: Path, language: str = "en") -> Page:
    page = tab.page
    tab.visit(f"/workspace/company?lang={language}")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)
    page.wait_for_selector("body[data-agenda-loaded]", timeout=STEP_TIMEOUT_MS)
    return page


def wait_agenda_reloaded(page: Page, before: str | None) -> None:
    page.wait_for_function("before => (document.body.dataset.agendaLoaded || null) !== before", arg=before,
                           timeout=STEP_TIMEOUT_MS)  # fmt: skip


def submit_milestone(page: Page, project_id: int, index: int, files: list[Path], *, public: bool = False) -> str:
    """Chooses the milestone and files, signs and sends; returns the result the page announced."""
    page.wait_for_selector(f"#submit-milestone option[value='{project_id}:{index}']", state="attached",
                           timeout=STEP_TIMEOUT_MS)  # fmt: skip
    page.select_option("#submit-milestone", f"{project_id}:{index}")
    page.set_input_files("#submit-files", [str(f) for f in files])
    page.wait_for_selector(f"#submit-hash-{len(files) - 1}:text-matches('^0x')")
    if public:
        page.check("#submit-public-0")
    before = page.evaluate("document.body.dataset.lastResult || null")
    page.click("#submit-send")
    confirm_signing(page)
    wait_result(page, before)
    return str(page.evaluate("document.body.dataset.lastResult"))


def test_the_agenda_lists_the_company_s_projects_with_overdue_milestones_and_reports_due(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, clerk: Clerk, keystore: Path
) -> None:
    page = open_clerk_page(workspace_tab, keystore)
    shown = {int(p) for p in page.eval_on_selector_all("[data-project]", "nodes => nodes.map(n => n.dataset.project)")}
    client = workspace_registry.client
    own = {p for p in range(1, client.counts()["projects"] + 1) if client.project(p).company_id == clerk.company_id}
    assert shown == own
    assert clerk.foreign_project_id not in shown
    company = "0x" + clerk.company_id.hex()
    agenda = page.evaluate(f"fetch('/workspace/company/agenda.json?company={company}').then(r => r.json())")
    overdue = [m for p in agenda["projects"] for m in p["milestones"] if m["overdue"]]
    marked = page.eval_on_selector_all("tr[data-milestone] .due-overdue", "nodes => nodes.length")
    assert marked == len(overdue)
    workspace_tab.screenshot("workspace-company-agenda")
    assert page_problems(workspace_tab) == []


def test_the_clerk_submits_a_milestone_with_a_real_file_and_the_chain_and_api_agree(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, w3: Web3, clerk: Clerk, keystore: Path,
    tmp_path: Path,
) -> None:  # fmt: skip
    index = plan_milestone(workspace_registry, w3, clerk.project_id)
    report = tmp_path / "중간보고서.pdf"
    report.write_bytes(b"%PDF-1.4 interim report of the AI data pipeline, first draft\n" + bytes(range(256)) * 4)
    digest = hashlib.sha256(report.read_bytes()).digest()
    page = open_clerk_page(workspace_tab, keystore)

    result = submit_milestone(page, clerk.project_id, index, [report], public=True)

    assert result.startswith("recorded:")
    assert page.get_attribute("[data-recorded-status]", "data-recorded-status") == "submitted"
    milestone = workspace_registry.client.milestone(clerk.project_id, index)
    assert milestone.status is MilestoneStatus.SUBMITTED and milestone.attempts == 1
    api = page.evaluate(f"fetch('/api/v1/projects/{clerk.project_id}/milestones/{index}').then(r => r.json())")
    assert api["status"] == "submitted"
    submitted = [step for step in api["history"] if step["status"] == "submitted"]
    assert submitted[-1]["evidenceHashes"] == ["0x" + digest.hex()]
    assert submitted[-1]["actor"] == clerk.account.address
    assert submitted[-1]["provenance"]["transactionHash"] == result.removeprefix("recorded:")
    published = page.evaluate(f"fetch('/api/v1/documents/0x{digest.hex()}').then(r => r.status)")
    assert published == 200
    row = page.get_attribute(f"tr[data-milestone='{clerk.project_id}:{index}']", "data-status")
    assert row == "submitted"
    assert page_problems(workspace_tab) == []


def test_after_a_rejection_the_clerk_reads_the_auditor_s_reason_and_resubmits(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, w3: Web3, clerk: Clerk, keystore: Path,
    tmp_path: Path,
) -> None:  # fmt: skip
    index = plan_milestone(workspace_registry, w3, clerk.project_id)
    first = tmp_path / "draft.pdf"
    first.write_bytes(b"%PDF-1.4 first draft\n")
    company = RegistryClient(w3, workspace_registry.manifest, account=clerk.account)
    company.execute(
        company.ops.submit_milestone(clerk.project_id, index, [hashlib.sha256(first.read_bytes()).digest()])
    )
    store = DocumentStore(workspace_registry.settings.document_store_dir)
    reason = store.put_text(REASON, "rejection-reason.txt")
    store.publish(reason.sha256)
    auditor = RegistryClient(w3, workspace_registry.manifest, account=dev_account(AUDITOR))
    auditor.execute(auditor.ops.reject_milestone(clerk.project_id, index, reason.sha256))

    page = open_clerk_page(workspace_tab, keystore)
    page.wait_for_selector(f"#submit-milestone option[value='{clerk.project_id}:{index}']", state="attached",
                           timeout=STEP_TIMEOUT_MS)  # fmt: skip
    page.select_option("#submit-milestone", f"{clerk.project_id}:{index}")
    note = page.wait_for_selector("#submit-rejection blockquote", timeout=STEP_TIMEOUT_MS)
    assert note is not None and note.inner_text() == REASON

    revised = tmp_path / "revised.pdf"
    revised.write_bytes(b"%PDF-1.4 with the test results\n")
    assert submit_milestone(page, clerk.project_id, index, [revised]).startswith("recorded:")
    milestone = workspace_registry.client.milestone(clerk.project_id, index)
    assert milestone.status is MilestoneStatus.SUBMITTED and milestone.attempts == 2
    unpublished = page.evaluate(f"fetch('/api/v1/documents/0x{hashlib.sha256(revised.read_bytes()).hexdigest()}')"
                                ".then(r => r.status)")  # fmt: skip
    assert unpublished == 404  # not marked public: the file stayed on the computer


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ko", "기록되지 않았습니다"), ("en", "Not recorded")],
)
def test_a_submission_for_another_company_s_project_is_refused_in_the_person_s_language_and_changes_nothing(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, w3: Web3, clerk: Clerk, keystore: Path,
    tmp_path: Path, language: str, expected: str,
) -> None:  # fmt: skip
    index = plan_milestone(workspace_registry, w3, clerk.foreign_project_id)
    before = workspace_registry.client.milestone(clerk.foreign_project_id, index)
    evidence = tmp_path / "report.pdf"
    evidence.write_bytes(b"%PDF-1.4 not ours\n")
    page = open_clerk_page(workspace_tab, keystore, language)
    # The page lists only the company's own milestones: the foreign one is added as a tampered page would.
    page.evaluate(
        "([value, label]) => { const o = document.createElement('option'); o.value = value; o.textContent = label;"
        " document.getElementById('submit-milestone').append(o); }",
        [f"{clerk.foreign_project_id}:{index}", "foreign"],
    )
    result = submit_milestone(page, clerk.foreign_project_id, index, [evidence])

    assert result == "refused:registry-refused"
    message = page.text_content("#clerk-status") or ""
    assert expected in message and "ProjectUnauthorizedCompany" in message
    if language == "ko":
        assert f"{clerk.foreign_project_id}번 과제를 수행하는 기업의 계정이 아닙니다" in message
    else:
        assert "not an account of the company" in message or "company" in message
    assert workspace_registry.client.milestone(clerk.foreign_project_id, index) == before


def test_checks_in_the_page_say_what_to_do_and_sign_nothing(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, w3: Web3, clerk: Clerk, keystore: Path
) -> None:
    index = plan_milestone(workspace_registry, w3, clerk.project_id)
    page = open_clerk_page(workspace_tab, keystore)
    page.wait_for_selector(f"#submit-milestone option[value='{clerk.project_id}:{index}']", state="attached",
                           timeout=STEP_TIMEOUT_MS)  # fmt: skip
    page.select_option("#submit-milestone", f"{clerk.project_id}:{index}")
    page.click("#submit-send")
    page.wait_for_selector("#clerk-status.status-error")
    assert "at least one evidence file" in (page.text_content("#clerk-status") or "")
    assert page.get_attribute("#submit-files", "aria-invalid") == "true"

    page.fill("#report-sales", "3.5억")
    assert "₩350,000,000" in (page.text_content("#report-sales-understood") or "")
    page.fill("#report-sales", "삼억")
    page.fill("#report-year", "2022")
    page.click("#report-send")
    page.wait_for_function("() => document.getElementById('clerk-status').textContent.includes('is not an amount')")
    assert page.get_attribute("#report-sales", "aria-invalid") == "true"
    assert page.evaluate(
        "document.getElementById('confirm-signing') === null || !document.getElementById('confirm-signing').open"
    )
    assert workspace_registry.client.milestone(clerk.project_id, index).status is MilestoneStatus.PLANNED


def test_the_clerk_adds_a_patent_updates_its_status_and_reports_openly_and_committed_then_discloses(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, clerk: Clerk, keystore: Path, tmp_path: Path
) -> None:
    page = open_clerk_page(workspace_tab, keystore)
    client = workspace_registry.client

    receipt = tmp_path / "patent-receipt.pdf"
    receipt.write_bytes(b"KIPO filing receipt 10-2021-0123456\n")
    page.select_option("#outcome-project", str(clerk.project_id))
    page.select_option("#outcome-type", str(int(OutcomeType.PATENT_APPLICATION)))
    page.fill("#outcome-id", "10-2021-0123456")
    page.set_input_files("#outcome-evidence", str(receipt))
    outcome_id = client.counts()["outcomes"] + 1
    send_and_wait(page, "#outcome-send")
    outcome = client.outcome(outcome_id)
    assert outcome.external_id == "10-2021-0123456" and outcome.outcome_type is OutcomeType.PATENT_APPLICATION
    assert outcome.evidence_hash == hashlib.sha256(receipt.read_bytes()).digest()

    granted = tmp_path / "registration.pdf"
    granted.write_bytes(b"KIPO registration certificate\n")
    page.wait_for_selector(f"#ip-outcome option[value='{outcome_id}']", state="attached", timeout=STEP_TIMEOUT_MS)
    page.select_option("#ip-outcome", str(outcome_id))
    page.select_option("#ip-status", str(int(IpStatus.FILED)))
    page.set_input_files("#ip-evidence", str(granted))
    send_and_wait(page, "#ip-send")
    assert client.outcome(outcome_id).ip_status is IpStatus.FILED

    sales = tmp_path / "2022-sales.pdf"
    sales.write_bytes(b"2022 sales ledger summary\n")
    year = 2040  # a year no other test reports
    page.select_option("#report-project", str(clerk.project_id))
    page.fill("#report-year", str(year))
    page.fill("#report-sales", "3.5억")
    page.fill("#report-investment", "500,000,000")
    page.fill("#report-royalties", "0")
    page.fill("#report-jobs", "4")
    page.set_input_files("#report-evidence", str(sales))
    send_and_wait(page, "#report-send")
    report_id = client.read(client.outcomes.functions.latestReport(clerk.project_id, year))
    report = client.report(report_id)
    assert report.status is ReportStatus.REPORTED
    assert (report.figures.sales, report.figures.investment, report.figures.royalties, report.figures.jobs) == (
        350_000_000, 500_000_000, 0, 4)  # fmt: skip

    page.select_option("#report-project", str(clerk.project_id))
    page.fill("#report-year", str(year + 1))
    page.fill("#report-sales", "1억")
    page.fill("#report-jobs", "2")
    page.set_input_files("#report-evidence", str(sales))
    page.check("#report-hidden")
    with page.expect_download(timeout=STEP_TIMEOUT_MS) as download_info:
        send_and_wait(page, "#report-send")
    kept = tmp_path / "kept.reveal.json"
    download_info.value.save_as(kept)
    reveal = json.loads(kept.read_text())
    assert read_reveal_file(kept).figures.sales == 100_000_000  # the file `commercialization reveal` reads
    assert reveal["format"] == "rnd-registry-commercialization-reveal/1"
    assert reveal["figures"] == {"sales": 100_000_000, "investment": 0, "royalties": 0, "jobs": 2}
    committed_id = client.read(client.outcomes.functions.latestReport(clerk.project_id, year + 1))
    committed = client.report(committed_id)
    assert committed.status is ReportStatus.COMMITTED and "0x" + committed.commitment.hex() == reveal["commitment"]

    page.wait_for_selector(f"#reveal-report option[value='{committed_id}']", state="attached", timeout=STEP_TIMEOUT_MS)
    page.select_option("#reveal-report", str(committed_id))
    page.set_input_files("#reveal-file", str(kept))
    send_and_wait(page, "#reveal-send")
    disclosed = client.report(committed_id)
    assert disclosed.status is ReportStatus.REPORTED and disclosed.figures.sales == 100_000_000
    assert page_problems(workspace_tab) == []


def test_the_clerk_records_a_paper_by_its_doi_and_a_technology_transfer_with_its_fee_then_corrects_the_paper(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, clerk: Clerk, tmp_path: Path
) -> None:
    """The fields a type records are the ones shown; a DOI is checked and normalised in the page as
    registry/domain/outcome_details.py does (the CLI's rule), and the details reach the chain as typed."""
    keystore = write_keystore(tmp_path, "acme-clerk", clerk.account, PASSWORD)
    page = open_clerk_page(workspace_tab, keystore)
    client = workspace_registry.client
    article = tmp_path / "article.pdf"
    article.write_bytes(b"%PDF-1.7\n% the published article\n")

    page.select_option("#outcome-project", str(clerk.project_id))
    page.select_option("#outcome-type", str(int(OutcomeType.PAPER)))
    assert page.is_visible("#outcome-venue") and page.is_visible("#outcome-sci")
    assert not page.is_visible("#outcome-amount") and not page.is_visible("#outcome-counterparty")
    assert "DOI (required)" in str(page.text_content("label[for='outcome-id']"))

    # Not a DOI: refused in the page with the table's words, nothing signed.
    before = client.counts()
    page.fill("#outcome-id", "10.12/nature")
    page.fill("#outcome-venue", "Nature")
    page.set_input_files("#outcome-evidence", str(article))
    page.click("#outcome-send")
    page.wait_for_function("() => document.getElementById('clerk-status').textContent.includes('10.NNNN/suffix')")
    assert page.get_attribute("#outcome-id", "aria-invalid") == "true"
    assert page.locator("#confirm-signing[open]").count() == 0
    assert client.counts() == before

    page.fill("#outcome-id", "https://doi.org/10.1038/S41586-021-03819-2")
    page.check("#outcome-sci")
    paper_id = client.counts()["outcomes"] + 1
    send_and_wait(page, "#outcome-send")
    paper = client.outcome(paper_id)
    assert (paper.outcome_type, paper.external_id) == (OutcomeType.PAPER, "10.1038/s41586-021-03819-2")
    recorded = client.history(client.outcomes, ["OutcomeDetailsRecorded"], {"outcomeId": paper_id})
    assert [tuple(dict(e["details"]).values()) for e in recorded] == [("Nature", "", "", 0, 0, True)]

    contract = tmp_path / "license.pdf"
    contract.write_bytes(b"technology license agreement\n")
    page.select_option("#outcome-project", str(clerk.project_id))
    page.select_option("#outcome-type", str(int(OutcomeType.TECHNOLOGY_TRANSFER)))
    assert not page.is_visible("#outcome-venue") and page.is_visible("#outcome-amount")
    page.fill("#outcome-counterparty", "(주)미래모빌리티")
    page.fill("#outcome-date", "2027-03-15")
    page.fill("#outcome-amount", "1.2억")
    assert "120,000,000" in str(page.text_content("#outcome-amount-understood"))
    page.set_input_files("#outcome-evidence", str(contract))
    transfer_id = client.counts()["outcomes"] + 1
    send_and_wait(page, "#outcome-send")
    assert client.outcome(transfer_id).outcome_type is OutcomeType.TECHNOLOGY_TRANSFER
    recorded = client.history(client.outcomes, ["OutcomeDetailsRecorded"], {"outcomeId": transfer_id})
    march_15 = 1_805_068_800  # 2027-03-15 00:00 UTC
    expected = ("", "", "(주)미래모빌리티", march_15, 120_000_000, False)
    assert [tuple(dict(e["details"]).values()) for e in recorded] == [expected]

    # The paper corrected: a new record that replaces it, with the reason published.
    page.wait_for_selector(f"#amend-original option[value='{paper_id}']", state="attached", timeout=STEP_TIMEOUT_MS)
    page.select_option("#amend-original", str(paper_id))
    page.select_option("#amend-type", str(int(OutcomeType.PAPER)))
    page.fill("#amend-id", "10.1038/s41586-021-03819-2")
    page.fill("#amend-venue", "Nature Communications")
    page.set_input_files("#amend-evidence", str(article))
    page.fill("#amend-reason", "학술지 이름을 잘못 적었습니다.")
    corrected_id = client.counts()["outcomes"] + 1
    send_and_wait(page, "#amend-send")
    assert (client.outcome(paper_id).amended_by, client.outcome(corrected_id).amends) == (corrected_id, paper_id)
    recorded = client.history(client.outcomes, ["OutcomeDetailsRecorded"], {"outcomeId": corrected_id})
    assert [tuple(dict(e["details"]).values()) for e in recorded] == [("Nature Communications", "", "", 0, 0, False)]
    assert page_problems(workspace_tab) == []


def test_the_clerk_sees_the_window_and_objects_to_a_rejection_with_evidence(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, clerk: Clerk, tmp_path: Path
) -> None:
    client = workspace_registry.client
    w3 = client.w3
    index = plan_milestone(workspace_registry, w3, clerk.project_id)
    company = RegistryClient(w3, workspace_registry.manifest, account=clerk.account)
    company.execute(company.ops.submit_milestone(clerk.project_id, index, [sha256_bytes(b"objection test")]))
    auditor = RegistryClient(w3, workspace_registry.manifest, account=dev_account(AUDITOR))
    rejected = auditor.execute(auditor.ops.reject_milestone(clerk.project_id, index, sha256_bytes(b"why not")))
    decided = int(w3.eth.get_block(rejected.block_number)["timestamp"])
    days = client.program_rules(client.project(clerk.project_id).program_id).objection_days
    deadline = datetime.fromtimestamp(decided + days * DAY, UTC).strftime("%Y-%m-%d")

    keystore = write_keystore(tmp_path, "acme-clerk", clerk.account, PASSWORD)
    page = open_clerk_page(workspace_tab, keystore)
    key = f"milestone:{clerk.project_id}:{index}"
    page.wait_for_selector(f"#objection-decision option[value='{key}']", state="attached", timeout=STEP_TIMEOUT_MS)
    page.select_option("#objection-decision", key)
    page.wait_for_selector(f"#objection-window[data-deadline='{deadline}']", timeout=STEP_TIMEOUT_MS)
    assert f"you may object until {deadline}" in str(page.text_content("#objection-window"))

    evidence = tmp_path / "test-results.pdf"
    evidence.write_bytes(b"the test results were in annex B\n")
    page.set_input_files("#objection-evidence", str(evidence))
    objection_id = client.counts()["objections"] + 1
    send_and_wait(page, "#objection-send")
    objection = client.objection(objection_id)
    assert (objection.subject, objection.subject_id, objection.milestone_index, objection.status) == (
        ObjectionSubject.MILESTONE_REJECTION, clerk.project_id, index, ObjectionStatus.OPEN)  # fmt: skip
    assert (objection.filed_by, objection.decided_by) == (clerk.account.address, dev_account(AUDITOR).address)
    # The agenda, read again, says the decision has its objection.
    page.wait_for_function(
        "([key, id]) => (document.querySelector(`#objection-decision option[value='${key}']`) || {}).textContent"
        "?.includes(`objection ${id} filed (Open)`)",
        arg=[key, objection_id], timeout=STEP_TIMEOUT_MS,
    )  # fmt: skip
    assert page_problems(workspace_tab) == []


def send_and_wait(page: Page, button: str) -> None:
    before = page.evaluate("document.body.dataset.lastResult || null")
    page.click(button)
    confirm_signing(page)
    wait_result(page, before)
    result = str(page.evaluate("document.body.dataset.lastResult"))
    assert result.startswith("recorded:"), page.text_content("#clerk-status")


def wait_result(page: Page, before: str | None) -> None:
    """Waits until the page announces the outcome of the request it sent (recorded or refused)."""
    try:
        page.wait_for_function(
            "before => (document.body.dataset.lastResult || null) !== before", arg=before, timeout=STEP_TIMEOUT_MS
        )
    except PlaywrightTimeout:
        raise AssertionError(f"no result; the page says {page.text_content('#clerk-status')!r}") from None


def tab_to(page: Page, element_id: str, presses: int = 120) -> None:
    """Presses Tab until the element `element_id` has the focus, as a keyboard user moves through the page."""
    for _ in range(presses):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def choose_files_by_keyboard(page: Page, element_id: str, files: list[Path]) -> None:
    """Opens the file chooser of the focused file input with Space; a busy machine's Chromium can drop the
    first press, so a second one follows (as a person would press again)."""
    for attempt in range(2):
        try:
            with page.expect_file_chooser(timeout=30_000) as chooser:
                page.keyboard.press("Space")
            break
        except PlaywrightTimeout:
            if attempt:
                raise
            page.focus(f"#{element_id}")
    chooser.value.set_files([str(f) for f in files])


def test_the_clerk_signs_in_and_submits_a_milestone_by_keyboard_alone(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, w3: Web3, clerk: Clerk, keystore: Path,
    tmp_path: Path,
) -> None:  # fmt: skip
    index = plan_milestone(workspace_registry, w3, clerk.project_id)
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.4 submitted by keyboard\n")
    page = workspace_tab.page
    workspace_tab.visit("/workspace/company?lang=en")
    page.wait_for_selector("body[data-workspace-ready='true']")

    tab_to(page, "keystore-file")
    choose_files_by_keyboard(page, "keystore-file", [keystore])
    tab_to(page, "keystore-password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    wait_signed_in(page)
    page.wait_for_selector(f"#submit-milestone option[value='{clerk.project_id}:{index}']", state="attached",
                           timeout=STEP_TIMEOUT_MS)  # fmt: skip

    tab_to(page, "submit-milestone")
    wanted = f"{clerk.project_id}:{index}"
    page.keyboard.press("Home")
    for _ in range(200):
        if page.input_value("#submit-milestone") == wanted:
            break
        page.keyboard.press("ArrowDown")
    assert page.input_value("#submit-milestone") == wanted
    tab_to(page, "submit-files")
    choose_files_by_keyboard(page, "submit-files", [report])
    page.wait_for_selector("#submit-hash-0:text-matches('^0x')")
    tab_to(page, "submit-send")
    before = page.evaluate("document.body.dataset.lastResult || null")
    page.keyboard.press("Enter")
    page.wait_for_selector("#confirm-signing[open]", timeout=STEP_TIMEOUT_MS)
    assert page.evaluate("document.activeElement.id") == "confirm-sign"
    page.keyboard.press("Enter")
    wait_result(page, before)

    assert str(page.evaluate("document.body.dataset.lastResult")).startswith("recorded:")
    milestone = workspace_registry.client.milestone(clerk.project_id, index)
    assert milestone.status is MilestoneStatus.SUBMITTED
    assert page_problems(workspace_tab) == []


def test_escape_in_the_signing_dialog_cancels_and_sends_nothing(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, w3: Web3, clerk: Clerk, keystore: Path,
    tmp_path: Path,
) -> None:  # fmt: skip
    index = plan_milestone(workspace_registry, w3, clerk.project_id)
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.4 never sent\n")
    page = open_clerk_page(workspace_tab, keystore)
    page.wait_for_selector(f"#submit-milestone option[value='{clerk.project_id}:{index}']", state="attached",
                           timeout=STEP_TIMEOUT_MS)  # fmt: skip
    page.select_option("#submit-milestone", f"{clerk.project_id}:{index}")
    page.set_input_files("#submit-files", str(report))
    page.wait_for_selector("#submit-hash-0:text-matches('^0x')")
    nonce = workspace_registry.client.nonce_of(clerk.account.address)
    page.click("#submit-send")
    page.wait_for_selector("#confirm-signing[open]", timeout=STEP_TIMEOUT_MS)
    page.keyboard.press("Escape")
    wait_result(page, None)
    assert page.evaluate("document.body.dataset.lastResult") == "refused:declined"
    assert "nothing was signed or sent" in (page.text_content("#clerk-status") or "")
    assert workspace_registry.client.nonce_of(clerk.account.address) == nonce
    assert workspace_registry.client.milestone(clerk.project_id, index).status is MilestoneStatus.PLANNED


#: A browser wallet (EIP-1193) standing in for MetaMask: it answers for one key, signing with the page's own
#: ethers once the page has loaded it, as a wallet extension signs outside the page.
FAKE_WALLET = """([key, chainId]) => {
  const wallet = () => new ethers.Wallet(key);
  window.ethereum = {
    async request({ method, params }) {
      switch (method) {
        case "eth_requestAccounts": case "eth_accounts": return [wallet().address];
        case "eth_chainId": return "0x" + chainId.toString(16);
        case "net_version": return String(chainId);
        case "personal_sign": return wallet().signMessage(ethers.getBytes(params[0]));
        case "eth_signTypedData_v4": {
          const typed = JSON.parse(params[1]);
          delete typed.types.EIP712Domain;
          return wallet().signTypedData(typed.domain, typed.types, typed.message);
        }
      }
      throw Object.assign(new Error("unsupported: " + method), { code: 4200 });
    },
    on() {},
    removeListener() {},
  };
}"""


def test_a_browser_wallet_signs_instead_of_a_keystore(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, w3: Web3, clerk: Clerk, tmp_path: Path
) -> None:
    index = plan_milestone(workspace_registry, w3, clerk.project_id)
    report = tmp_path / "wallet-report.pdf"
    report.write_bytes(b"%PDF-1.4 signed by a browser wallet\n")
    page = workspace_tab.page
    key, chain_id = clerk.account.key.hex(), workspace_registry.manifest.chain_id
    page.add_init_script(f"({FAKE_WALLET})({json.dumps(['0x' + key.removeprefix('0x'), chain_id])})")
    workspace_tab.visit("/workspace/company?lang=en")
    page.wait_for_selector("#wallet-use", state="visible")
    page.click("#wallet-use")
    wait_signed_in(page)
    assert page.text_content("#signer-kind") == "browser wallet"
    assert page.text_content("#signer-address") == clerk.account.address
    page.wait_for_selector("body[data-agenda-loaded]", timeout=STEP_TIMEOUT_MS)

    assert submit_milestone(page, clerk.project_id, index, [report], public=True).startswith("recorded:")
    milestone = workspace_registry.client.milestone(clerk.project_id, index)
    assert milestone.status is MilestoneStatus.SUBMITTED
    digest = hashlib.sha256(report.read_bytes()).hexdigest()
    assert page.evaluate(f"fetch('/api/v1/documents/0x{digest}').then(r => r.status)") == 200
    assert page_problems(workspace_tab) == []


def test_figures_committed_with_the_cli_are_disclosed_from_its_reveal_file_exactly(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, w3: Web3, clerk: Clerk, keystore: Path,
    tmp_path: Path,
) -> None:  # fmt: skip
    year, salt = 2045, bytes(range(32))
    figures = CommercializationFigures(sales=2**60 + 7, investment=123_456_789, royalties=0, jobs=3)
    commitment = commitment_of(clerk.project_id, year, figures, salt)
    company = RegistryClient(w3, workspace_registry.manifest, account=clerk.account)
    report_id = company.execute(
        company.ops.commit_commercialization(clerk.project_id, year, commitment, hashlib.sha256(b"fs").digest())
    ).record.report_id
    kept = tmp_path / f"report-{clerk.project_id}-{year}.reveal.json"
    _write_private(kept, RevealFile(chain_id=workspace_registry.manifest.chain_id, project_id=clerk.project_id,
                                    year=year, figures=figures, salt=salt, commitment=commitment))  # fmt: skip

    page = open_clerk_page(workspace_tab, keystore)
    page.wait_for_selector(f"#reveal-report option[value='{report_id}']", state="attached", timeout=STEP_TIMEOUT_MS)
    page.select_option("#reveal-report", str(report_id))
    page.set_input_files("#reveal-file", str(kept))
    send_and_wait(page, "#reveal-send")
    disclosed = workspace_registry.client.report(report_id)
    assert disclosed.status is ReportStatus.REPORTED and disclosed.figures == figures


def test_the_relay_client_sends_one_request_at_a_time_and_answers_each_record_or_refusal(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, clerk: Clerk, keystore: Path
) -> None:
    page = open_clerk_page(workspace_tab, keystore)
    evidence = "0x" + hashlib.sha256(b"relay client").hexdigest()
    patent = int(OutcomeType.PATENT_APPLICATION)
    page.evaluate(
        """([project, foreign, type, evidence]) => {
          const add = (p, id) => RndWorkspace.relay.send({contract: "OutcomeRegistry", fn: "addOutcome",
            args: [p, type, id, ["", "KR", "", 0, 0, false], evidence], summary: "add " + id});
          window.sent = Promise.all([add(project, "10-2021-0000001"), add(project, "10-2021-0000002"),
                                     add(foreign, "10-2021-0000003")]);
        }""",
        [clerk.project_id, clerk.foreign_project_id, patent, evidence],
    )
    for _ in range(3):  # one dialog at a time: the next request waits until the one before is answered
        confirm_signing(page)
        page.wait_for_selector("#confirm-signing[open]", state="hidden", timeout=STEP_TIMEOUT_MS)
    answers = page.evaluate("window.sent")
    first, second, refused = answers
    assert first["ok"] and second["ok"]
    assert second["relayed"]["nonce"] == first["relayed"]["nonce"] + 1
    assert [first["record"]["externalId"], second["record"]["externalId"]] == ["10-2021-0000001", "10-2021-0000002"]
    assert workspace_registry.client.outcome(second["record"]["outcomeId"]).external_id == "10-2021-0000002"
    assert refused["ok"] is False and refused["status"] == 409 and refused["reason"] == "registry-refused"
    assert refused["registryError"] == {
        "name": "ProjectUnauthorizedCompany",
        "args": {"projectId": clerk.foreign_project_id, "account": clerk.account.address},
    }
