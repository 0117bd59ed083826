"""The program office's workspace, in Chromium against the test chain with the relay on: the office opens a
program and registers a project through the page alone, amounts typed as 2억 and 1.5억 and shown as
understood before signing, and the chain and the API agree with what the page shows after each step; a
project over the program's remaining budget is refused before anything is signed, saying the registry's
rule in Korean and in English, and changes nothing; a tranche beyond the grant is refused the same way; the
page has no serious or critical accessibility violation."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from registry.chain.client import RegistryClient
from registry.chain.devkeys import dev_account
from registry.chain.devload import ADMIN, AUDITOR
from registry.domain.companies import company_id
from registry.domain.enums import Grade, ProgramStatus, ProjectStatus
from registry.domain.records import AuditResult, ProgramRules, ProjectTerms
from registry.domain.roles import Role
from registry.evidence.hashing import sha256_bytes
from tests.api.conftest import IndexedRegistry
from tests.helpers.registry import second_auditor_key
from tests.helpers.workspace import STEP_TIMEOUT_MS, confirm_signing, sign_in, wait_signed_in, write_keystore
from tests.web.conftest import DESKTOP, PHONE, BrowserTab
from tests.web.test_accessibility import failing_violations
from tests.web.test_workspace_auditor import api_json, chain_state, wait_for_dialog

PASSWORD = "program-office-2021"
PROGRAM = "스마트시티 실증 R&D"
BUSINESS_NUMBER = "131-81-10001"
#: A company an evaluation bars from new grants (in this module only).
RESTRICTED = "605-86-00012"
DAY = 24 * 3600
#: The rule fields of the program form, in the order of ProgramRules.
RULE_FIELDS = ("follow-up", "objection-days", "max-restriction-days", "max-clawback-percent")
#: The company an account is bound to for the first time in this module, and the name it gets.
NEW_COMPANY = "220-81-62517"
NEW_COMPANY_NAME = "주식회사 한빛로보틱스"


def wait_for_status(page: Page, text: str) -> str:
    """What the page's status line says once it says `text`; fails saying what it said instead."""
    try:
        page.wait_for_function(
            "text => document.getElementById('office-status').textContent.includes(text)",
            arg=text,
            timeout=STEP_TIMEOUT_MS,
        )
    except PlaywrightTimeout:
        raise AssertionError(f"the page never said {text!r}; it says {page.text_content('#office-status')!r}") from None
    return str(page.text_content("#office-status"))


def register(page: Page, program: int, amount: str, targets: dict[str, str] | None = None) -> None:
    page.select_option("#project-program", str(program))
    page.fill("#project-company", BUSINESS_NUMBER)
    page.fill("#project-amount", amount)
    page.fill("#project-start", "2027-01-01")
    page.fill("#project-end", "2027-12-31")
    for field, value in (targets or {}).items():
        page.fill(f"#project-{field}", value)
    page.click("#project-register button[type=submit]")


def test_the_office_opens_a_program_and_registers_a_project_through_the_page(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, workspace_url: str, tmp_path: Path
) -> None:
    client = workspace_registry.client
    keystore = write_keystore(tmp_path, "city-admin", dev_account(ADMIN), PASSWORD)
    page = workspace_tab.page
    workspace_tab.visit("/workspace/office?lang=en")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)

    page.fill("#program-name", PROGRAM)
    page.fill("#program-year", "2027")
    page.fill("#program-budget", "2억")
    page.fill("#program-cap", "1.5억")
    page.fill("#program-field", "D.N.A.")
    # The rules come filled with the registry's defaults; the office shortens the follow-up and the window.
    assert [page.input_value(f"#program-{f}") for f in RULE_FIELDS] == ["5", "30", "1825", "100"]
    page.fill("#program-follow-up", "3")
    page.fill("#program-objection-days", "14")
    assert "200,000,000" in str(page.text_content("#program-budget-understood"))
    assert "150,000,000" in str(page.text_content("#program-cap-understood"))
    page.click("#program-open button[type=submit]")
    wait_for_dialog(page, "program-open")
    confirm_signing(page)
    said = wait_for_status(page, f"Program '{PROGRAM}' is open as program")
    program_id = client.counts()["programs"]
    assert f"as program {program_id}." in said
    program = client.program(program_id)
    assert (program.name, program.year, program.budget, program.per_project_cap, program.status) == (
        PROGRAM, 2027, 200_000_000, 150_000_000, ProgramStatus.OPEN)  # fmt: skip
    assert client.program_rules(program_id) == ProgramRules(
        follow_up_years=3, objection_days=14, max_restriction_days=1825, max_clawback_percent=100
    )
    shown = api_json(workspace_url, f"/api/v1/programs/{program_id}")
    assert (shown["name"], shown["budget"], shown["perProjectCap"], shown["remaining"], shown["createdBy"]) == (
        PROGRAM, "200000000", "150000000", "200000000", dev_account(ADMIN).address)  # fmt: skip
    row = page.wait_for_selector(f"tr[data-program='{program_id}']")
    assert row is not None and "₩200,000,000" in str(row.text_content())

    register(page, program_id, "1.5억", targets={"papers": "2", "patents": "1", "sales": "3억", "jobs": "4"})
    assert "150,000,000" in str(page.text_content("#project-amount-understood"))
    assert "300,000,000" in str(page.text_content("#project-sales-understood"))
    wait_for_dialog(page, "project-register")
    confirm_signing(page)
    said = wait_for_status(page, f"under program {program_id}.")
    project_id = client.counts()["projects"]
    assert f"Project {project_id} is registered" in said
    project = client.project(project_id)
    assert (project.program_id, project.company_id, project.amount, project.status) == (
        program_id, company_id(BUSINESS_NUMBER), 150_000_000, ProjectStatus.ACTIVE)  # fmt: skip
    assert f"{project.start_date:%Y-%m-%d} {project.end_date:%Y-%m-%d}" == "2027-01-01 2027-12-31"
    targets = client.history(client.grants, ["ProjectTargetsSet"], {"projectId": project_id})
    assert [dict(e["targets"]) for e in targets] == [
        {"papers": 2, "patents": 1, "sales": 300_000_000, "investment": 0, "jobs": 4}
    ]
    shown = api_json(workspace_url, f"/api/v1/projects/{project_id}")
    assert (shown["programId"], shown["companyId"], shown["amount"]) == (
        program_id, "0x" + company_id(BUSINESS_NUMBER).hex(), "150000000")  # fmt: skip
    assert shown["provenance"]["signer"] == dev_account(ADMIN).address
    page.wait_for_selector(f"tr[data-project='{project_id}']")
    remaining = page.wait_for_selector(f"tr[data-program='{program_id}'] td[data-remaining]")
    assert remaining is not None and remaining.get_attribute("data-remaining") == "50000000"
    workspace_tab.screenshot("workspace-office-registered")

    # Over the program's remaining budget: refused before signing, nothing sent.
    before = chain_state(workspace_registry)
    register(page, program_id, "1억")
    page.wait_for_selector("#project-register-error:not([hidden])")
    refusal = str(page.text_content("#project-register-error"))
    assert "A program grants no more than its budget" in refusal and "₩50,000,000 left" in refusal
    assert page.get_attribute("#project-amount", "aria-invalid") == "true"
    assert page.locator("#confirm-signing[open]").count() == 0
    assert chain_state(workspace_registry) == before
    assert client.program(program_id).granted == 150_000_000
    # The relay client asks for a new record until the indexer has it, and Chromium logs each 404 meanwhile.
    assert [p for p in workspace_tab.problems if "status of 404 (Not Found)" not in p] == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "A program grants no more than its budget"), ("ko", "지원사업은 예산을 넘어 지원할 수 없습니다")],
)
def test_a_project_over_the_remaining_budget_is_refused_in_the_person_s_language(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, workspace_url: str, language: str, expected: str
) -> None:
    programs = [api_json(workspace_url, f"/api/v1/programs/{i}") for i in
                range(1, workspace_registry.client.counts()["programs"] + 1)]  # fmt: skip
    program = next(p for p in programs if p["status"] == "open" and 0 < int(p["remaining"]) < int(p["perProjectCap"]))
    over = int(program["remaining"]) + 1
    before = chain_state(workspace_registry)
    page = workspace_tab.page
    workspace_tab.visit(f"/workspace/office?lang={language}")
    register(page, program["programId"], f"{over:,}")
    page.wait_for_selector("#project-register-error:not([hidden])")
    assert expected in str(page.text_content("#project-register-error"))
    assert chain_state(workspace_registry) == before


def test_a_tranche_beyond_the_grant_is_refused_with_the_registry_s_rule(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, workspace_url: str
) -> None:
    client = workspace_registry.client
    project = next(p for p in (client.project(i) for i in range(1, client.counts()["projects"] + 1))
                   if p.status is ProjectStatus.ACTIVE)  # fmt: skip
    left = project.amount - project.planned_tranches
    before = chain_state(workspace_registry)
    page = workspace_tab.page
    workspace_tab.visit("/workspace/office?lang=en")
    page.fill("#plan-project", str(project.project_id))
    page.fill("#plan-due", "2027-06-30")
    page.fill("#plan-tranche", f"{left + 1:,}")
    page.click("#milestone-plan button[type=submit]")
    page.wait_for_selector("#milestone-plan-error:not([hidden])")
    said = str(page.text_content("#milestone-plan-error"))
    assert "The tranches of a project's milestones add up to no more than its grant" in said
    assert f"₩{left:,} left to plan" in said
    assert chain_state(workspace_registry) == before


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_office_page_has_no_serious_accessibility_violation(
    browser: Browser, workspace_url: str, language: str, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport, bypass_csp=True, locale="ko-KR")  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(f"{workspace_url}/workspace/office?lang={language}")
        page.wait_for_selector("body[data-workspace-ready='true']")
        assert failing_violations(page) == []
    finally:
        context.close()


def wait_for_dialog_and_sign(page: Page, form: str) -> None:
    wait_for_dialog(page, form)
    confirm_signing(page)


def test_the_office_plans_a_milestone_binds_an_account_changes_roles_and_closes_a_program(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, workspace_url: str, tmp_path: Path
) -> None:
    client = workspace_registry.client
    keystore = write_keystore(tmp_path, "city-admin", dev_account(ADMIN), PASSWORD)
    page = workspace_tab.page
    workspace_tab.visit("/workspace/office?lang=en")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)

    project = next(p for p in (client.project(i) for i in range(1, client.counts()["projects"] + 1))
                   if p.status is ProjectStatus.ACTIVE and p.amount > p.planned_tranches)  # fmt: skip
    page.fill("#plan-project", str(project.project_id))
    page.fill("#plan-due", "2027-09-30")
    page.fill("#plan-tranche", "0")
    page.click("#milestone-plan button[type=submit]")
    wait_for_dialog_and_sign(page, "milestone-plan")
    index = project.milestone_count + 1
    wait_for_status(page, f"Milestone {index} of project {project.project_id} is planned.")
    planned = client.milestone(project.project_id, index)
    assert f"{planned.due_date:%Y-%m-%d}" == "2027-09-30" and planned.tranche == 0
    assert api_json(workspace_url, f"/api/v1/projects/{project.project_id}/milestones/{index}")["status"] == "planned"

    clerk = dev_account(8)
    assert client.company_of(clerk.address) is None
    page.fill("#bind-account", clerk.address.lower())
    page.fill("#bind-company", NEW_COMPANY)
    page.dispatch_event("#bind-company", "change")
    page.wait_for_function("() => document.getElementById('bind-company-current').textContent.includes('no name')")
    # A company's first binding needs its name: refused before signing, nothing sent.
    before = chain_state(workspace_registry)
    page.click("#account-bind button[value='bind']")
    page.wait_for_selector("#account-bind-error:not([hidden])")
    assert "has no name in the registry yet" in str(page.text_content("#account-bind-error"))
    assert page.get_attribute("#bind-name", "aria-invalid") == "true"
    assert chain_state(workspace_registry) == before
    page.fill("#bind-name", NEW_COMPANY_NAME)
    page.click("#account-bind button[value='bind']")
    wait_for_dialog_and_sign(page, "account-bind")
    wait_for_status(page, f"{clerk.address} now acts for company {NEW_COMPANY} ({NEW_COMPANY_NAME}).")
    assert client.company_of(clerk.address) == company_id(NEW_COMPANY)
    assert client.company_name(company_id(NEW_COMPANY)) == NEW_COMPANY_NAME

    # The name as it stands is shown once the number is typed; the same name again is refused, a new one recorded.
    page.fill("#rename-company", NEW_COMPANY)
    page.dispatch_event("#rename-company", "change")
    page.wait_for_function(
        "name => document.getElementById('rename-company-current').textContent.includes(name)", arg=NEW_COMPANY_NAME
    )
    page.fill("#rename-name", NEW_COMPANY_NAME)
    page.click("#company-rename button[type=submit]")
    page.wait_for_selector("#company-rename-error:not([hidden])")
    assert "is already named" in str(page.text_content("#company-rename-error"))
    page.fill("#rename-name", "한빛로보틱스 주식회사")
    page.click("#company-rename button[type=submit]")
    wait_for_dialog_and_sign(page, "company-rename")
    wait_for_status(page, f"Company {NEW_COMPANY} is now named 한빛로보틱스 주식회사.")
    assert client.company_name(company_id(NEW_COMPANY)) == "한빛로보틱스 주식회사"
    page.wait_for_selector(f"[data-list='accounts'] tr[data-account='{clerk.address}']")
    found = api_json(workspace_url, f"/api/v1/members/companies?account={clerk.address}&active=true")["items"]
    assert [a["companyId"] for a in found] == ["0x" + company_id(NEW_COMPANY).hex()]

    # A company account never holds the auditor role: refused before signing.
    before = chain_state(workspace_registry)
    page.fill("#role-account", clerk.address)
    page.select_option("#role-name", "auditor")
    page.click("#role-change button[value='grant']")
    page.wait_for_selector("#role-change-error:not([hidden])")
    assert "A company account can never also be an admin or an auditor" in str(page.text_content("#role-change-error"))
    assert chain_state(workspace_registry) == before

    page.fill("#bind-account", clerk.address)
    page.click("#account-bind button[value='unbind']")
    wait_for_dialog_and_sign(page, "account-bind")
    wait_for_status(page, f"{clerk.address} no longer acts for a company.")
    assert client.company_of(clerk.address) is None
    assert page.locator(f"[data-list='accounts'] tr[data-account='{clerk.address}']").count() == 0

    reviewer = dev_account(9)
    page.fill("#role-account", reviewer.address)
    page.select_option("#role-name", "auditor")
    page.click("#role-change button[value='grant']")
    wait_for_dialog_and_sign(page, "role-change")
    wait_for_status(page, f"{reviewer.address} now holds the auditor role.")
    assert client.has_role(Role.AUDITOR, reviewer.address)
    page.wait_for_selector(f"[data-list='roles'] tr[data-role='auditor'][data-account='{reviewer.address}']")
    page.fill("#role-account", reviewer.address)
    page.select_option("#role-name", "auditor")
    page.click("#role-change button[value='revoke']")
    wait_for_dialog_and_sign(page, "role-change")
    wait_for_status(page, f"{reviewer.address} no longer holds the auditor role.")
    assert not client.has_role(Role.AUDITOR, reviewer.address)

    program = next(p for p in (client.program(i) for i in range(1, client.counts()["programs"] + 1))
                   if p.status is ProgramStatus.OPEN)  # fmt: skip
    page.select_option("#close-program", str(program.program_id))
    page.click("#program-close button[type=submit]")
    wait_for_dialog_and_sign(page, "program-close")
    wait_for_status(page, f"Program {program.program_id} is closed.")
    assert client.program(program.program_id).status is ProgramStatus.CLOSED
    assert api_json(workspace_url, f"/api/v1/programs/{program.program_id}")["status"] == "closed"
    assert page.locator(f"#close-program option[value='{program.program_id}']").count() == 0
    assert [p for p in workspace_tab.problems if "status of 404 (Not Found)" not in p] == []


def test_a_restricted_company_gets_no_new_project_and_the_page_says_until_when(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, workspace_url: str
) -> None:
    client = workspace_registry.client
    manifest = workspace_registry.manifest
    admin = RegistryClient(client.w3, manifest, account=dev_account(ADMIN))
    auditor = RegistryClient(client.w3, manifest, account=dev_account(AUDITOR))
    program = next(p for p in (client.program(i) for i in range(1, client.counts()["programs"] + 1))
                   if p.status is ProgramStatus.OPEN and p.budget - p.granted >= 2 * 10_000_000)  # fmt: skip
    now = int(client.w3.eth.get_block("latest")["timestamp"])
    start, end = datetime.fromtimestamp(now, UTC), datetime.fromtimestamp(now + 90 * DAY, UTC)
    terms = ProjectTerms(program_id=program.program_id, company_id=company_id(RESTRICTED), amount=10_000_000,
                         start_date=start, end_date=end)  # fmt: skip
    project = admin.execute(admin.ops.register_project(terms)).record.project_id
    until = datetime(2031, 3, 31, tzinfo=UTC)
    result = AuditResult(grade=Grade.VERY_POOR, findings_hash=sha256_bytes(b"restricted"), restricted_until=until)
    audit_id = auditor.execute(auditor.ops.record_audit(project, result)).record.audit_id
    # A restriction takes effect once a second auditor confirms it.
    second = RegistryClient(client.w3, manifest, account=second_auditor_key())
    second.execute(second.ops.confirm_sanction(audit_id))
    deadline = time.monotonic() + 120
    while not api_json(workspace_url, f"/api/v1/members/restrictions?company=0x{company_id(RESTRICTED).hex()}")[
        "items"
    ]:
        assert time.monotonic() < deadline, "the indexer never served the restriction"
        time.sleep(0.3)

    before = chain_state(workspace_registry)
    page = workspace_tab.page
    workspace_tab.visit("/workspace/office?lang=en")
    page.select_option("#project-program", str(program.program_id))
    page.fill("#project-company", RESTRICTED)
    page.fill("#project-amount", "1천만")
    page.fill("#project-start", "2027-01-01")
    page.fill("#project-end", "2027-06-30")
    page.click("#project-register button[type=submit]")
    page.wait_for_selector("#project-register-error:not([hidden])")
    said = str(page.text_content("#project-register-error"))
    assert "A company under a participation restriction receives no new grant" in said and "2031-03-31" in said
    assert chain_state(workspace_registry) == before


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "does not hold the admin role"), ("ko", "역할이 없습니다")],
)
def test_an_account_without_the_admin_role_is_refused_by_the_registry_and_nothing_changes(
    workspace_tab: BrowserTab, workspace_registry: IndexedRegistry, tmp_path: Path, language: str, expected: str
) -> None:
    stranger = dev_account(9)
    keystore = write_keystore(tmp_path, "stranger", stranger, PASSWORD)
    client = workspace_registry.client
    programs = client.counts()["programs"]
    before = chain_state(workspace_registry)
    page = workspace_tab.page
    workspace_tab.visit(f"/workspace/office?lang={language}")
    sign_in(page, keystore, PASSWORD)
    wait_signed_in(page)
    page.fill("#program-name", "권한 없는 사업")
    page.fill("#program-year", "2027")
    page.fill("#program-budget", "1억")
    page.fill("#program-cap", "5천만")
    page.click("#program-open button[type=submit]")
    wait_for_dialog(page, "program-open")
    confirm_signing(page)
    page.wait_for_function(
        "() => !document.getElementById('program-open-error').hidden", timeout=STEP_TIMEOUT_MS
    )  # fmt: skip
    said = str(page.text_content("#program-open-error"))
    assert expected in said and stranger.address in said
    assert "AccessControlUnauthorizedAccount" in said
    assert client.counts()["programs"] == programs
    assert chain_state(workspace_registry) == before
