"""The portal's pages for the city's rules (issue 14), in Chromium against the indexed registry: a company
by its name (its page's heading, the project's company, found by a part of its name), a project's targets
against its results, a late commercialization report (by its program's follow-up years) on the project,
program and company pages, a pending sanction shown as pending with its confirmations, and an open
objection on the milestone it contests. The records are made here, on a snapshot the module takes back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from web3 import Web3

from registry.chain.client import RegistryClient
from registry.chain.devkeys import dev_account
from registry.chain.devload import ADMIN, AUDITOR
from registry.domain.companies import company_id
from registry.domain.enums import Grade, ObjectionSubject, OutcomeType
from registry.domain.records import (
    AuditResult,
    CommercializationFigures,
    OutcomeDetails,
    ProgramRules,
    ProgramTerms,
    ProjectTargets,
    ProjectTerms,
)
from registry.evidence.hashing import sha256_bytes
from tests.api.conftest import IndexedRegistry
from tests.web.conftest import BrowserTab, ReviewedMilestone

BUSINESS_NUMBER = "314-86-55555"
COMPANY_NAME = "(주)시민데이터랩"
DAY = 24 * 3600


@dataclass(frozen=True)
class CityCase:
    """A company named on chain with one project under a program of two follow-up years: targets partly
    met, the first year reported and the second late, a pending clawback, a rejection objected to."""

    company: bytes
    program_id: int
    project_id: int
    audit_id: int
    milestone_index: int
    objection_id: int

    @property
    def company_hex(self) -> str:
        return "0x" + self.company.hex()


def _make_case(registry: IndexedRegistry, w3: Web3) -> CityCase:
    manifest = registry.manifest
    admin = RegistryClient(w3, manifest, account=dev_account(ADMIN))
    auditor = RegistryClient(w3, manifest, account=dev_account(AUDITOR))
    clerk_account = dev_account(9)
    clerk = RegistryClient(w3, manifest, account=clerk_account)
    company = company_id(BUSINESS_NUMBER)
    admin.execute(admin.ops.bind_company_account(clerk_account.address, company, COMPANY_NAME))
    rules = ProgramRules(follow_up_years=2, objection_days=30)
    terms = ProgramTerms(name="시민 데이터 실증사업", year=2022, budget=500_000_000, per_project_cap=200_000_000,
                         field="데이터", rules=rules)  # fmt: skip
    program_id = admin.execute(admin.ops.create_program(terms)).record.program_id
    # Ended mid-2023: it reports for 2023 and 2024; 2023's report is made, 2024's (due 2025-03-31) is late.
    targets = ProjectTargets(papers=2, patents=1, sales=100_000_000, investment=0, jobs=3)
    project = ProjectTerms(program_id=program_id, company_id=company, amount=150_000_000,
                           start_date=datetime(2022, 3, 1, tzinfo=UTC), end_date=datetime(2023, 6, 30, tzinfo=UTC),
                           targets=targets)  # fmt: skip
    project_id = admin.execute(admin.ops.register_project(project)).record.project_id
    paper = OutcomeDetails(venue="Journal of Urban Data", sci_indexed=True)
    clerk.execute(clerk.ops.add_outcome(project_id, OutcomeType.PAPER, "10.5555/urban.2023.1",
                                        sha256_bytes(b"city case paper"), paper))  # fmt: skip
    clerk.execute(clerk.ops.add_outcome(project_id, OutcomeType.PATENT_APPLICATION, "10-2023-0000001",
                                        sha256_bytes(b"city case patent"), OutcomeDetails(country="KR")))  # fmt: skip
    figures = CommercializationFigures(sales=50_000_000, investment=0, royalties=0, jobs=1)
    clerk.execute(clerk.ops.report_commercialization(project_id, 2023, figures, sha256_bytes(b"city case 2023")))
    clawback = AuditResult(grade=Grade.POOR, findings_hash=sha256_bytes(b"city case findings"),
                           clawback_amount=10_000_000)  # fmt: skip
    audit_id = auditor.execute(auditor.ops.record_audit(project_id, clawback)).record.audit_id
    due = int(w3.eth.get_block("latest")["timestamp"]) + 30 * DAY
    index = admin.execute(admin.ops.plan_milestone(project_id, due, 0)).record.milestone_index
    clerk.execute(clerk.ops.submit_milestone(project_id, index, [sha256_bytes(b"city case interim")]))
    auditor.execute(auditor.ops.reject_milestone(project_id, index, sha256_bytes(b"city case rejection")))
    objection = clerk.execute(clerk.ops.file_objection(ObjectionSubject.MILESTONE_REJECTION, project_id, index,
                                                       sha256_bytes(b"city case objection")))  # fmt: skip
    return CityCase(company, program_id, project_id, audit_id, index, objection.record.objection_id)


@pytest.fixture(scope="module")
def case(indexed: IndexedRegistry, reviewed: ReviewedMilestone, w3: Web3) -> Iterator[CityCase]:
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        made = _make_case(indexed, w3)
        indexed.index()
        yield made
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
        indexed.index()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_company_is_shown_and_found_by_its_name(desktop: BrowserTab, case: CityCase, language: str) -> None:
    page = desktop.page
    desktop.visit(f"/companies/{case.company_hex}?lang={language}")
    assert page.text_content("h1") == COMPANY_NAME
    assert page.get_attribute("h1", "data-company-name") == COMPANY_NAME
    desktop.visit(f"/projects/{case.project_id}?lang={language}")
    assert page.text_content("article dl.facts [data-company-name]") == COMPANY_NAME
    desktop.visit(f"/search?company={quote('시민데이터')}&lang={language}")
    assert page.locator(f"[data-companies] li[data-company='{case.company_hex}']").count() == 1
    assert COMPANY_NAME in str(page.text_content("[data-companies]"))
    names = [cell.text_content() for cell in page.query_selector_all("#search-results tr [data-company-name]")]
    assert names == [COMPANY_NAME]
    desktop.screenshot(f"company-by-name-{language}")
    desktop.assert_quiet()


def test_a_project_shows_each_target_against_its_result(desktop: BrowserTab, case: CityCase) -> None:
    page = desktop.page
    desktop.visit(f"/projects/{case.project_id}?lang=en")
    shown = {
        row.get_attribute("data-target"): (row.get_attribute("data-target-value"),
                                           row.get_attribute("data-result-value"), row.get_attribute("data-met"))
        for row in page.query_selector_all("[data-targets] tbody tr")
    }  # fmt: skip
    # Investment had no target (0), so it has no line; the patent target is met, the rest not yet.
    assert shown == {
        "papers": ("2", "1", "false"),
        "patents": ("1", "1", "true"),
        "sales": ("100000000", "50000000", "false"),
        "jobs": ("3", "1", "false"),
    }
    assert "₩50,000,000" in str(page.text_content("[data-targets] tr[data-target='sales']"))
    desktop.screenshot("project-targets")
    desktop.assert_quiet()


def test_a_late_report_is_shown_on_the_project_program_and_company_pages(desktop: BrowserTab, case: CityCase) -> None:
    page = desktop.page
    desktop.visit(f"/projects/{case.project_id}?lang=en")
    assert page.locator("[data-follow-up-years] tbody tr").count() == 2  # the program's two follow-up years
    assert page.locator("[data-follow-up='2023:reported']").count() == 1
    late = page.locator("[data-follow-up='2024:late']")
    assert late.count() == 1 and late.text_content() == "Late"
    assert "2025-03-31" in str(page.text_content("[data-follow-up-years] tr[data-year='2024']"))
    desktop.visit(f"/programs/{case.program_id}?lang=en")
    assert page.text_content("[data-rule='followUpYears']") == "2 years after a project ends"
    assert page.get_attribute("[data-reports-owed-summary]", "data-late") == "1"
    row = f"td[data-reports-owed='{case.project_id}'] [data-late-years]"
    assert page.get_attribute(row, "data-late-years") == "2024"
    desktop.visit(f"/companies/{case.company_hex}?lang=ko")
    assert page.get_attribute("[data-late-years]", "data-late-years") == "2024"
    assert "지연: 2024" in str(page.text_content("[data-late-years]"))
    desktop.screenshot("company-late-report")
    desktop.assert_quiet()


def test_a_pending_sanction_is_shown_as_pending_with_its_confirmations(desktop: BrowserTab, case: CityCase) -> None:
    page = desktop.page
    desktop.visit(f"/evaluations/{case.audit_id}?lang=en")
    state = page.locator("article dl.facts [data-sanction-status]")
    assert state.get_attribute("data-sanction-status") == "pending"
    assert state.text_content() == "Pending confirmation"
    assert page.get_attribute("article dl.facts [data-confirmations]", "data-confirmations") == "1"
    assert "1 of 2 auditors have confirmed it" in str(page.text_content("article dl.facts"))
    assert "takes effect only once 2 auditors" in str(page.text_content("[data-sanction-pending]"))
    desktop.visit(f"/projects/{case.project_id}?lang=ko")
    row = page.locator(f"tr#evaluation-{case.audit_id} [data-sanction-status]")
    assert row.get_attribute("data-sanction-status") == "pending" and row.text_content() == "확정 대기"
    # Not in effect: the project is not clawed back.
    assert page.get_attribute("p.record-kind [data-field='status']", "data-value") == '"active"'
    desktop.screenshot("evaluation-pending-sanction")
    desktop.assert_quiet()


def test_an_open_objection_is_shown_on_the_milestone_it_contests(desktop: BrowserTab, case: CityCase) -> None:
    page = desktop.page
    desktop.visit(f"/projects/{case.project_id}/milestones/{case.milestone_index}?lang=en")
    item = page.locator(f"[data-objections] li[data-objection='{case.objection_id}']")
    assert item.get_attribute("data-objection-status") == "open"
    said = str(item.text_content())
    assert "Open" in said and "an auditor other than the one who decided" in said
    desktop.visit(f"/projects/{case.project_id}?lang=ko")
    notice = page.locator("[data-open-objections]")
    assert notice.get_attribute("data-open-objections") == "1"
    link = notice.locator("a")
    assert link.get_attribute("href") == f"/projects/{case.project_id}/milestones/{case.milestone_index}"
    assert link.text_content() == f"단계 목표 {case.milestone_index} 반려"
    desktop.screenshot("milestone-open-objection")
    desktop.assert_quiet()
