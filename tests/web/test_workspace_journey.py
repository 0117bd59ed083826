"""The CLI's end-to-end journey (tests/cli/test_end_to_end.py) done in Chromium through the workspace alone, no
CLI step and no direct contract call: the program office opens a program, registers a company's project,
binds the company's account (with the company's name) and plans a milestone; the clerk submits the milestone
with a real file; the auditor rejects it with a typed note; the clerk objects, the second auditor dismisses
the objection (the first may not); the clerk reads the note and resubmits; the auditor approves; the clerk
adds a patent outcome and a commercialization report; the auditor's clawback waits for the second auditor's
confirmation; the project page names the company and shows target against result; the public verify page
finds the file. After each step
the chain (read with the client) and the API agree with what the page shows. The whole journey's traffic,
recorded with every body and header, holds no private key in any spelling and no password."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from eth_account.signers.local import LocalAccount
from playwright.sync_api import Browser, Page

from registry.chain.devkeys import dev_account
from registry.chain.devload import ADMIN, AUDITOR, RELAYER
from registry.domain.companies import company_id
from registry.domain.enums import (
    MilestoneStatus,
    ObjectionStatus,
    ObjectionSubject,
    OutcomeType,
    ProgramStatus,
    ProjectStatus,
    ReportStatus,
    SanctionStatus,
)
from registry.domain.roles import Role
from tests.api.conftest import IndexedRegistry
from tests.helpers.registry import second_auditor_key
from tests.helpers.workspace import STEP_TIMEOUT_MS, confirm_signing, sign_in, wait_signed_in, write_keystore
from tests.web.conftest import DESKTOP
from tests.web.test_workspace_auditor import api_json, wait_for_dialog
from tests.web.test_workspace_auditor import wait_for_status as wait_for_auditor_status
from tests.web.test_workspace_company import send_and_wait, submit_milestone
from tests.web.test_workspace_office import wait_for_status as wait_for_office_status
from tests.web.test_workspace_traffic import _everything_sent_and_received

PASSWORDS = {"city-admin": "grant-office-2021", "kim-auditor": "audit-office-2021", "acme-clerk": "acme-clerk-2021",
             "lee-auditor": "second-audit-2021"}
PROGRAM = "신성장동력 R&D사업"
BUSINESS_NUMBER = "131-81-00071"
COMPANY_NAME = "(주)에이아이데이터"
NOTE = "Test results are missing.\n시험 결과가 빠졌습니다."
APPROVAL = "시험 결과를 확인했습니다. Test results checked."
PATENT = "10-2021-0123456"


def unbound_account(registry: IndexedRegistry) -> LocalAccount:
    """A dev account with no company and no role, to become the company's clerk."""
    client = registry.client
    for index in range(3, 10):
        account = dev_account(index)
        if index == RELAYER or client.company_of(account.address) is not None:
            continue
        if not any(client.has_role(role, account.address) for role in Role):
            return account
    raise AssertionError("every dev account already acts for a company or holds a role")


def open_as(page: Page, base_url: str, path: str, keystore: Path, label: str) -> None:
    """Opens a workspace page and signs in there (a page forgets the key when it is left)."""
    page.goto(f"{base_url}{path}?lang=en")
    sign_in(page, keystore, PASSWORDS[label])
    wait_signed_in(page)


def sign_form(page: Page, form: str) -> None:
    wait_for_dialog(page, form)
    confirm_signing(page)


def test_the_whole_journey_of_the_office_the_clerk_and_the_auditor_through_the_workspace_alone(
    browser: Browser, workspace_url: str, workspace_registry: IndexedRegistry, tmp_path: Path
) -> None:
    client = workspace_registry.client
    admin, auditor, clerk = dev_account(ADMIN), dev_account(AUDITOR), unbound_account(workspace_registry)
    second = second_auditor_key()
    keys = {
        label: write_keystore(tmp_path, label, account, PASSWORDS[label])
        for label, account in (("city-admin", admin), ("kim-auditor", auditor), ("acme-clerk", clerk),
                               ("lee-auditor", second))
    }
    company = company_id(BUSINESS_NUMBER)
    har_path = tmp_path / "journey.har"
    context = browser.new_context(viewport=DESKTOP, record_har_path=str(har_path), record_har_content="embed")  # type: ignore[arg-type]
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        # 1. The program office opens a program (8억, at most 1억 a project).
        open_as(page, workspace_url, "/workspace/office", keys["city-admin"], "city-admin")
        page.fill("#program-name", PROGRAM)
        page.fill("#program-year", "2027")
        page.fill("#program-budget", "8억")
        page.fill("#program-cap", "100,000,000")
        page.fill("#program-field", "D.N.A.")
        page.click("#program-open button[type=submit]")
        sign_form(page, "program-open")
        said = wait_for_office_status(page, f"Program '{PROGRAM}' is open as program")
        program_id = client.counts()["programs"]
        assert f"as program {program_id}." in said
        program = client.program(program_id)
        assert (program.name, program.budget, program.per_project_cap, program.status) == (
            PROGRAM, 800_000_000, 100_000_000, ProgramStatus.OPEN)  # fmt: skip
        shown = api_json(workspace_url, f"/api/v1/programs/{program_id}")
        assert (shown["name"], shown["budget"], shown["perProjectCap"], shown["status"]) == (
            PROGRAM, "800000000", "100000000", "open")  # fmt: skip
        row = page.wait_for_selector(f"tr[data-program='{program_id}']")
        assert row is not None and "₩800,000,000" in str(row.text_content())

        # 2. ... registers the company's project (1억, 2027).
        page.select_option("#project-program", str(program_id))
        page.fill("#project-company", BUSINESS_NUMBER)
        page.fill("#project-amount", "1억")
        page.fill("#project-start", "2027-01-01")
        page.fill("#project-end", "2027-12-31")
        page.fill("#project-patents", "1")
        page.fill("#project-sales", "3억")
        page.fill("#project-jobs", "2")
        page.click("#project-register button[type=submit]")
        sign_form(page, "project-register")
        said = wait_for_office_status(page, f"under program {program_id}.")
        project_id = client.counts()["projects"]
        assert f"Project {project_id} is registered" in said
        project = client.project(project_id)
        assert (project.program_id, project.company_id, project.amount, project.status) == (
            program_id, company, 100_000_000, ProjectStatus.ACTIVE)  # fmt: skip
        shown = api_json(workspace_url, f"/api/v1/projects/{project_id}")
        assert (shown["programId"], shown["companyId"], shown["amount"], shown["status"]) == (
            program_id, "0x" + company.hex(), "100000000", "active")  # fmt: skip
        page.wait_for_selector(f"tr[data-project='{project_id}']")
        [targets] = client.history(client.grants, ["ProjectTargetsSet"], {"projectId": project_id})
        assert dict(targets["targets"]) == {"papers": 0, "patents": 1, "sales": 300_000_000, "investment": 0, "jobs": 2}

        # 3. ... binds the clerk's account to the company, its first, so with the company's name.
        page.fill("#bind-account", clerk.address)
        page.fill("#bind-company", BUSINESS_NUMBER)
        page.fill("#bind-name", COMPANY_NAME)
        page.click("#account-bind button[value='bind']")
        sign_form(page, "account-bind")
        wait_for_office_status(page, f"{clerk.address} now acts for company {BUSINESS_NUMBER} ({COMPANY_NAME}).")
        assert client.company_of(clerk.address) == company
        assert client.company_name(company) == COMPANY_NAME
        found = api_json(workspace_url, f"/api/v1/members/companies?account={clerk.address}&active=true")["items"]
        assert [a["companyId"] for a in found] == ["0x" + company.hex()]
        page.wait_for_selector(f"[data-list='accounts'] tr[data-account='{clerk.address}']")

        # 4. ... plans the project's first milestone (a tranche of 4천만, due 2027-08-31).
        page.fill("#plan-project", str(project_id))
        page.fill("#plan-due", "2027-08-31")
        page.fill("#plan-tranche", "4천만")
        page.click("#milestone-plan button[type=submit]")
        sign_form(page, "milestone-plan")
        wait_for_office_status(page, f"Milestone 1 of project {project_id} is planned.")
        planned = client.milestone(project_id, 1)
        assert (planned.status, planned.tranche, f"{planned.due_date:%Y-%m-%d}") == (
            MilestoneStatus.PLANNED, 40_000_000, "2027-08-31")  # fmt: skip
        milestone_path = f"/api/v1/projects/{project_id}/milestones/1"
        assert api_json(workspace_url, milestone_path)["status"] == "planned"

        # 5. The clerk submits the milestone with the interim report, a real file.
        open_as(page, workspace_url, "/workspace/company", keys["acme-clerk"], "acme-clerk")
        page.wait_for_selector("body[data-agenda-loaded]")
        report = tmp_path / "중간보고서.pdf"
        report.write_bytes(b"%PDF-1.4 interim report of the AI data pipeline, first draft\n" + bytes(range(256)) * 4)
        result = submit_milestone(page, project_id, 1, [report], public=True)
        assert result.startswith("recorded:"), page.text_content("#clerk-status")
        assert page.get_attribute("[data-recorded-status]", "data-recorded-status") == "submitted"
        submitted = client.milestone(project_id, 1)
        assert (submitted.status, submitted.attempts) == (MilestoneStatus.SUBMITTED, 1)
        shown = api_json(workspace_url, milestone_path)
        assert (shown["status"], shown["attempts"]) == ("submitted", 1)
        assert shown["history"][-1]["provenance"]["transactionHash"] == result.removeprefix("recorded:")
        assert shown["history"][-1]["actor"] == clerk.address
        assert shown["history"][-1]["evidenceHashes"] == ["0x" + hashlib.sha256(report.read_bytes()).hexdigest()]
        page.wait_for_selector(f"tr[data-milestone='{project_id}:1'][data-status='submitted']")

        # 6. The auditor rejects it with a typed note.
        open_as(page, workspace_url, "/workspace/auditor", keys["kim-auditor"], "kim-auditor")
        waiting = f"[data-list='list-submissions'] tr[data-project='{project_id}'][data-milestone='1']"
        page.click(f"{waiting} button.pick")
        page.fill("#review-note", NOTE)
        page.click("#milestone-review button[value='reject']")
        sign_form(page, "milestone-review")
        wait_for_auditor_status(page, f"Milestone 1 of project {project_id} is rejected")
        note_hash = hashlib.sha256(NOTE.encode("utf-8")).digest()
        rejected = client.milestone(project_id, 1)
        assert rejected.status is MilestoneStatus.REJECTED
        [event] = client.history(client.grants, ["MilestoneRejected"], {"projectId": project_id, "milestoneIndex": 1})
        assert bytes(event["reasonHash"]) == note_hash and event["auditor"] == auditor.address
        shown = api_json(workspace_url, milestone_path)
        assert shown["status"] == "rejected" and shown["history"][-1]["documentHash"] == "0x" + note_hash.hex()
        resubmissions = f"[data-list='list-resubmissions'] tr[data-project='{project_id}'][data-milestone='1']"
        page.wait_for_selector(resubmissions)
        assert page.locator(waiting).count() == 0

        # 6b. The clerk objects to the rejection within its window; the auditor who rejected may not resolve it,
        # the second auditor dismisses it with a reason.
        open_as(page, workspace_url, "/workspace/company", keys["acme-clerk"], "acme-clerk")
        page.wait_for_selector("body[data-agenda-loaded]")
        decision = f"milestone:{project_id}:1"
        page.wait_for_selector(f"#objection-decision option[value='{decision}']", state="attached")
        page.select_option("#objection-decision", decision)
        page.wait_for_selector("#objection-window[data-open='true']")
        annex = tmp_path / "부록-B.pdf"
        annex.write_bytes(b"%PDF-1.4 annex B: the test results were attached\n")
        page.set_input_files("#objection-evidence", str(annex))
        objection_id = client.counts()["objections"] + 1
        send_and_wait(page, "#objection-send")
        filed = client.objection(objection_id)
        assert (filed.subject, filed.subject_id, filed.milestone_index, filed.status, filed.decided_by) == (
            ObjectionSubject.MILESTONE_REJECTION, project_id, 1, ObjectionStatus.OPEN, auditor.address)  # fmt: skip
        open_as(page, workspace_url, "/workspace/auditor", keys["kim-auditor"], "kim-auditor")
        objection_row = f"[data-list='objections'] tr[data-objection='{objection_id}']"
        page.wait_for_selector(f"{objection_row} [data-no-resolve]")
        open_as(page, workspace_url, "/workspace/auditor", keys["lee-auditor"], "lee-auditor")
        page.click(f"{objection_row} button.pick")
        page.fill("#resolve-note", "부록 B에 시험 결과가 없습니다. Annex B has no test results.")
        page.click("#objection-resolve button[value='dismiss']")
        sign_form(page, "objection-resolve")
        wait_for_auditor_status(page, f"Objection {objection_id} is dismissed.")
        assert client.objection(objection_id).status is ObjectionStatus.DISMISSED

        # 7. The clerk reads the note and resubmits with the test results.
        open_as(page, workspace_url, "/workspace/company", keys["acme-clerk"], "acme-clerk")
        page.wait_for_selector(f"#submit-milestone option[value='{project_id}:1']", state="attached")
        page.select_option("#submit-milestone", f"{project_id}:1")
        note = page.wait_for_selector("#submit-rejection blockquote")
        assert note is not None and note.inner_text() == NOTE
        revised = tmp_path / "중간보고서-v2.pdf"
        revised.write_bytes(b"%PDF-1.4 interim report of the AI data pipeline, with test results\n")
        revised_hash = hashlib.sha256(revised.read_bytes()).digest()
        assert submit_milestone(page, project_id, 1, [revised]).startswith("recorded:")
        assert page.get_attribute("[data-recorded-status]", "data-recorded-status") == "submitted"
        resubmitted = client.milestone(project_id, 1)
        assert (resubmitted.status, resubmitted.attempts) == (MilestoneStatus.SUBMITTED, 2)
        shown = api_json(workspace_url, milestone_path)
        assert (shown["status"], shown["attempts"]) == ("submitted", 2)
        assert shown["history"][-1]["evidenceHashes"] == ["0x" + revised_hash.hex()]

        # 8. The auditor approves.
        open_as(page, workspace_url, "/workspace/auditor", keys["kim-auditor"], "kim-auditor")
        page.click(f"{waiting} button.pick")
        page.fill("#review-note", APPROVAL)
        page.click("#milestone-review button[value='approve']")
        sign_form(page, "milestone-review")
        wait_for_auditor_status(page, f"Milestone 1 of project {project_id} is approved")
        approved = client.milestone(project_id, 1)
        assert (approved.status, approved.attempts) == (MilestoneStatus.APPROVED, 2)
        shown = api_json(workspace_url, milestone_path)
        assert (shown["status"], shown["attempts"]) == ("approved", 2)
        assert [step["status"] for step in shown["history"]] == [
            "planned", "submitted", "rejected", "submitted", "approved"]  # fmt: skip
        page.wait_for_selector(f"[data-list='list-approved'] tr[data-project='{project_id}'][data-milestone='1']")

        # 9. The clerk adds a patent application and a commercialization report.
        open_as(page, workspace_url, "/workspace/company", keys["acme-clerk"], "acme-clerk")
        page.wait_for_selector("body[data-agenda-loaded]")
        receipt = tmp_path / "patent-receipt.pdf"
        receipt.write_bytes(b"KIPO filing receipt 10-2021-0123456\n")
        page.select_option("#outcome-project", str(project_id))
        page.select_option("#outcome-type", str(int(OutcomeType.PATENT_APPLICATION)))
        page.fill("#outcome-id", PATENT)
        page.set_input_files("#outcome-evidence", str(receipt))
        outcome_id = client.counts()["outcomes"] + 1
        send_and_wait(page, "#outcome-send")
        outcome = client.outcome(outcome_id)
        assert (outcome.project_id, outcome.outcome_type, outcome.external_id) == (
            project_id, OutcomeType.PATENT_APPLICATION, PATENT)  # fmt: skip
        assert outcome.evidence_hash == hashlib.sha256(receipt.read_bytes()).digest()
        shown = api_json(workspace_url, f"/api/v1/outcomes/{outcome_id}")
        assert (shown["projectId"], shown["outcomeType"], shown["externalId"]) == (
            project_id, "patent-application", PATENT)  # fmt: skip
        assert f"Outcome {outcome_id} is recorded." in str(page.text_content("#clerk-result"))

        sales = tmp_path / "2028-sales.pdf"
        sales.write_bytes(b"2028 sales ledger summary\n")
        page.select_option("#report-project", str(project_id))
        page.fill("#report-year", "2028")
        page.fill("#report-sales", "3.5억")
        page.fill("#report-investment", "5억")
        page.fill("#report-royalties", "0")
        page.fill("#report-jobs", "4")
        page.set_input_files("#report-evidence", str(sales))
        send_and_wait(page, "#report-send")
        report_id = client.read(client.outcomes.functions.latestReport(project_id, 2028))
        figures = client.report(report_id)
        assert figures.status is ReportStatus.REPORTED
        assert (figures.figures.sales, figures.figures.investment, figures.figures.royalties, figures.figures.jobs) == (
            350_000_000, 500_000_000, 0, 4)  # fmt: skip
        shown = api_json(workspace_url, f"/api/v1/commercialization-reports/{report_id}")
        assert (shown["status"], shown["sales"], shown["investment"], shown["royalties"], shown["jobs"]) == (
            "reported", "350000000", "500000000", "0", 4)  # fmt: skip
        assert f"Report {report_id} is now" in str(page.text_content(f"#clerk-result [data-report='{report_id}']"))

        # 9b. The auditor evaluates the project with a clawback: pending until the second auditor confirms it.
        open_as(page, workspace_url, "/workspace/auditor", keys["kim-auditor"], "kim-auditor")
        page.fill("#evaluation-project", str(project_id))
        page.select_option("#evaluation-grade", "4")
        page.fill("#evaluation-findings", "매출 목표에 미달했습니다. The sales target was missed.")
        page.fill("#evaluation-clawback", "1천만")
        page.click("#evaluation button[type=submit]")
        sign_form(page, "evaluation")
        wait_for_auditor_status(page, f"The evaluation of project {project_id} is recorded.")
        audit_id = client.counts()["audits"]
        assert client.sanction(audit_id).status is SanctionStatus.PENDING
        page.wait_for_selector(f"tr[data-sanction='{audit_id}'][data-sanction-status='pending'] [data-no-confirm]")
        open_as(page, workspace_url, "/workspace/auditor", keys["lee-auditor"], "lee-auditor")
        page.click(f"tr[data-sanction='{audit_id}'] button.pick")
        page.click("#sanction-confirm button[type=submit]")
        sign_form(page, "sanction-confirm")
        wait_for_auditor_status(page, f"Evaluation {audit_id}: confirmed (2 of 2); its sanction is now in effect.")
        assert client.sanction(audit_id).status is SanctionStatus.IN_EFFECT
        assert client.project(project_id).status is ProjectStatus.CLAWED_BACK

        # 9c. The public project page names the company and shows target against result.
        page.goto(f"{workspace_url}/projects/{project_id}?lang=en")
        assert page.text_content("article dl.facts [data-company-name]") == COMPANY_NAME
        assert page.get_attribute("[data-targets] tr[data-target='patents']", "data-met") == "true"
        assert page.get_attribute("[data-targets] tr[data-target='sales']", "data-result-value") == "350000000"

        # 10. Anyone finds the resubmitted file on the public verify page, hashed in the browser.
        page.goto(f"{workspace_url}/verify?lang=en")
        page.set_input_files("#document", str(revised))
        verdict = page.wait_for_selector("#verdict-heading")
        assert verdict is not None and verdict.get_attribute("data-verdict") == "verified"
        assert revised_hash.hex() in str(page.text_content("#verify-result"))
        assert page.locator(f"#citations a.record-link[href='/projects/{project_id}/milestones/1']").count() == 1
        assert client.anchor(revised_hash).anchored
        assert api_json(workspace_url, f"/api/v1/verify/{revised_hash.hex()}")["anchored"] is True
    finally:
        context.close()  # writes the HAR

    har = json.loads(har_path.read_text())
    traffic = "\n".join(_everything_sent_and_received(har))
    assert "/api/v1/relay" in traffic and "/api/v1/documents" in traffic and "/api/v1/verify" in traffic
    for account in (admin, auditor, clerk, second):
        key = bytes(account.key)
        for spelling in (key.hex(), key.hex().upper(), base64.b64encode(key).decode(), base64.urlsafe_b64encode(key)
                         .decode().rstrip("=")):  # fmt: skip
            assert spelling not in traffic, f"the key of {account.address} left the page"
    for label, password in PASSWORDS.items():
        assert password not in traffic, f"the password of {label} left the page"
        ciphertext = json.loads(keys[label].read_text())["crypto"]["ciphertext"]
        assert ciphertext not in traffic, f"the keystore of {label} was sent"
    assert page_errors == []
