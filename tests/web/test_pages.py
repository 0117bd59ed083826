"""The portal in a real headless Chromium against the application serving data indexed from anvil:
every page renders on a desktop and a phone without a console error, verifying a genuine file
shows its record and a file with one byte changed shows "not found" (without the file leaving the
browser), a program leads to a milestone's history, the dashboard's charts carry the statistics
API's totals, the language switch changes the labels, and the keyboard reaches what the mouse does.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from registry.evidence.store import DocumentStore
from registry.web.i18n import Language, catalogue
from tests.api.conftest import IndexedRegistry
from tests.web.conftest import BrowserTab, ReviewedMilestone

KO, EN = catalogue(Language.KOREAN), catalogue(Language.ENGLISH)


def _first_id(client: TestClient, path: str, key: str) -> int:
    answer = client.get(path, params={"limit": 1})
    assert answer.status_code == 200
    return int(answer.json()["items"][0][key])


def _first(client: TestClient, path: str, key: str) -> str:
    answer = client.get(path, params={"limit": 1})
    assert answer.status_code == 200
    return str(answer.json()["items"][0][key])


def tour(client: TestClient, reviewed: ReviewedMilestone) -> dict[str, str]:
    """Every kind of portal page, by the name its screenshot gets."""
    return {
        "home": "/",
        "verify": "/verify",
        "programs": "/programs",
        "program": f"/programs/{reviewed.program_id}",
        "project": f"/projects/{reviewed.project_id}",
        "milestone": reviewed.path,
        "outcome": f"/outcomes/{_first_id(client, '/api/v1/outcomes', 'outcomeId')}",
        "report": f"/reports/{_first_id(client, '/api/v1/commercialization-reports', 'reportId')}",
        "evaluations": "/evaluations",
        "evaluation": f"/evaluations/{_first_id(client, '/api/v1/evaluations', 'auditId')}",
        "search": "/search?year=2021&type=patent-registration",
        "dashboard": "/dashboard",
        "members": "/members",
        "company": f"/companies/{_first(client, '/api/v1/members/companies', 'companyId')}",
        "batch": f"/batches/{_first(client, '/api/v1/batches', 'root')}",
    }


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_renders_its_heading_without_console_errors(
    viewport: str,
    request: pytest.FixtureRequest,
    client: TestClient,
    reviewed: ReviewedMilestone,
    indexed: IndexedRegistry,
) -> None:
    tab: BrowserTab = request.getfixturevalue(viewport)
    for name, path in tour(client, reviewed).items():
        tab.visit(path)
        assert tab.page.locator("html").get_attribute("lang") == "ko"
        assert tab.page.locator("h1").count() == 1 and tab.page.locator("h1").inner_text().strip(), path
        # Readable on a phone: nothing but a table's own scroll box is wider than the screen.
        overflow = tab.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow == 0, f"{path} is {overflow}px wider than the {viewport} screen"
        assert tab.screenshot(name).stat().st_size > 0
    # Works on a network that reaches nothing but this server: no font, script or style from elsewhere.
    # The only other address asked is the chain's node, by the record pages' check against the chain.
    node = indexed.settings.rpc_url.rstrip("/")
    elsewhere = [(method, url) for method, url in tab.requests if not url.startswith(tab.base_url + "/")]
    assert {(method, url.rstrip("/")) for method, url in elsewhere} <= {("POST", node)}
    assert any(url.endswith("/static/vendor/chart.umd.min.js") for _, url in tab.requests)
    tab.assert_quiet()


def _verdict(tab: BrowserTab) -> Any:
    verdict = tab.page.locator("#verdict-heading")
    verdict.wait_for()
    return verdict


def test_verifying_the_genuine_file_shows_its_milestone_without_uploading_it(
    desktop: BrowserTab, reviewed: ReviewedMilestone
) -> None:
    desktop.visit("/verify")
    desktop.page.set_input_files("#document", str(reviewed.genuine))
    verdict = _verdict(desktop)

    digest = hashlib.sha256(reviewed.genuine.read_bytes()).hexdigest()
    assert verdict.get_attribute("data-verdict") == "verified"
    assert verdict.inner_text().endswith(KO["verify.verified"])
    assert digest in desktop.page.locator("#verify-result").inner_text()
    assert "`" not in desktop.page.locator("#verify-result").inner_text(), "commands show as code, not Markdown"
    assert desktop.page.locator("#verify-result .steps code, #verify-result p code").count() > 0
    record = desktop.page.locator("#citations a.record-link")
    assert record.count() == 1
    assert record.get_attribute("href") == reviewed.path
    assert record.inner_text() == KO["record.milestone"].format(id=reviewed.project_id, index=reviewed.milestone_index)
    submission = reviewed.steps[1][1]
    assert submission in desktop.page.locator("#citations").inner_text()
    assert submission in desktop.page.locator("#first-anchoring").inner_text()
    # Only the hash went to the server: no upload, and the one lookup named the file's SHA-256.
    lookups = [(method, url) for method, url in desktop.requests if "/api/v1/verify" in url]
    assert lookups == [("GET", f"{desktop.base_url}/api/v1/verify/{digest}")]
    desktop.screenshot("verify-genuine")

    record.click()
    desktop.page.wait_for_url(f"**{reviewed.path}")
    assert desktop.page.locator("h1").inner_text() == KO["milestone.full_name"].format(
        project=reviewed.project_id, index=reviewed.milestone_index
    )
    desktop.assert_quiet()


def test_a_file_with_one_byte_changed_is_not_found(
    desktop: BrowserTab, reviewed: ReviewedMilestone, tmp_path: Path
) -> None:
    altered = bytearray(reviewed.genuine.read_bytes())
    altered[100] ^= 0x01
    forged = tmp_path / reviewed.genuine.name
    forged.write_bytes(bytes(altered))

    desktop.visit("/verify")
    desktop.page.set_input_files("#document", str(forged))
    verdict = _verdict(desktop)

    assert verdict.get_attribute("data-verdict") == "not-found"
    assert verdict.inner_text().endswith(KO["verify.not_found"])
    assert hashlib.sha256(bytes(altered)).hexdigest() in desktop.page.locator("#verify-result").inner_text()
    assert desktop.page.locator("#citations").count() == 0
    assert not [url for method, url in desktop.requests if method == "POST"]
    desktop.screenshot("verify-not-found")
    desktop.assert_quiet()


def test_sending_the_file_to_the_server_is_a_post_that_finds_the_same_record(
    desktop: BrowserTab, reviewed: ReviewedMilestone
) -> None:
    desktop.visit("/verify")
    desktop.page.set_input_files("#document", str(reviewed.genuine))
    _verdict(desktop)
    assert desktop.page.locator("#upload-offer").is_hidden(), "the browser hashed it: no need to send it"

    # A browser that cannot hash on the page (no WebCrypto, e.g. over plain HTTP) is offered the server.
    desktop.page.add_init_script("Object.defineProperty(Crypto.prototype, 'subtle', { get: () => undefined })")
    desktop.visit("/verify")
    desktop.page.set_input_files("#document", str(reviewed.genuine))
    desktop.page.locator("#upload-offer").wait_for(state="visible")
    assert desktop.page.locator("#verify-status").inner_text() == KO["verify.no_web_crypto"]
    uploaded = f"{desktop.base_url}/api/v1/verify"
    with desktop.page.expect_response(lambda r: r.request.method == "POST" and r.url == uploaded) as sent:
        desktop.page.click("#upload-button")
    assert sent.value.status == 200
    desktop.page.locator(f"#verify-result >> text={reviewed.genuine.name}").wait_for()

    assert _verdict(desktop).get_attribute("data-verdict") == "verified"
    assert desktop.page.locator("#citations a.record-link").get_attribute("href") == reviewed.path
    desktop.assert_quiet()


def test_a_hash_the_reader_got_wrong_is_said_in_the_pages_language_without_asking_the_server(
    desktop: BrowserTab,
) -> None:
    desktop.visit("/verify?sha256=" + "0" * 64)
    status = desktop.page.locator("#verify-status.status-error")
    status.wait_for()
    assert status.inner_text() == KO["verify.zero_hash"]

    desktop.page.fill("#sha256", "not-a-hash")
    desktop.page.click("#hash-form button[type=submit]")  # no browser bubble: the page's own message
    assert status.inner_text() == KO["verify.bad_hash"]
    assert desktop.page.get_attribute("#sha256", "aria-invalid") == "true"
    assert desktop.page.evaluate("document.activeElement.id") == "sha256"
    assert not [url for _, url in desktop.requests if "/api/v1/verify" in url]
    desktop.assert_quiet()


def test_after_a_search_focus_lands_on_the_answer_and_a_refused_field_is_said_once(desktop: BrowserTab) -> None:
    # Digits are a business registration number, so a wrong count of them is refused; letters are a name.
    desktop.visit("/search?company=131-81-1000", status=400)
    assert desktop.page.locator(".notice-error").count() == 0
    assert desktop.page.locator("#company-error").count() == 1
    assert desktop.page.evaluate("document.activeElement.id") == "company"

    desktop.visit("/search?year=2021")
    assert desktop.page.evaluate("document.activeElement.id") == "search-results"
    desktop.screenshot("search-results")


def test_a_hash_in_the_address_is_checked_when_the_page_opens(desktop: BrowserTab, reviewed: ReviewedMilestone) -> None:
    digest = hashlib.sha256(reviewed.genuine.read_bytes()).hexdigest()
    desktop.visit(f"/verify?sha256=0x{digest.upper()}")
    assert _verdict(desktop).get_attribute("data-verdict") == "verified"
    assert desktop.page.input_value("#sha256") == digest
    desktop.assert_quiet()


def test_navigating_from_a_program_to_a_milestone_shows_its_whole_history(
    desktop: BrowserTab, client: TestClient, reviewed: ReviewedMilestone
) -> None:
    page = desktop.page
    desktop.visit("/")
    page.click("nav.wrap >> text=" + KO["nav.programs"])
    program = client.get(f"/api/v1/programs/{reviewed.program_id}").json()
    page.click(f"table >> text={program['name']}")
    page.wait_for_url(f"**/programs/{reviewed.program_id}")
    page.click(f"a[href='/projects/{reviewed.project_id}'] >> nth=0")
    page.wait_for_url(f"**/projects/{reviewed.project_id}")
    page.click(f"a[href='{reviewed.path}']")
    page.wait_for_url(f"**{reviewed.path}")

    steps = page.locator("#milestone-history > li")
    assert steps.count() == len(reviewed.steps) == 5
    for position, (status, transaction) in enumerate(reviewed.steps):
        step = steps.nth(position)
        assert step.locator("h3 .badge").inner_text() == KO[f"enum.milestone_status.{status}"]
        assert step.locator(".provenance-line code").first.get_attribute("title") == transaction
    # The first submission's evidence is the genuine file, linked to its verification.
    digest = hashlib.sha256(reviewed.genuine.read_bytes()).hexdigest()
    assert steps.nth(1).locator(f"a[href='/verify?sha256=0x{digest}']").count() == 1
    # Its provenance can be checked with cast; the command names the step's transaction.
    steps.nth(2).locator("summary").click()
    assert f"cast receipt {reviewed.steps[2][1]}" in steps.nth(2).locator(".command code").inner_text()
    assert page.locator(".badge", has_text=KO["enum.milestone_status.approved"]).first.is_visible()
    desktop.screenshot("milestone-history")
    desktop.assert_quiet()


def _chart_data(tab: BrowserTab, canvas: str) -> dict[str, Any]:
    data: dict[str, Any] = tab.page.evaluate(
        """(id) => {
            const chart = Chart.getChart(document.getElementById(id));
            return { labels: chart.data.labels,
                     datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })) };
        }""",
        canvas,
    )
    return data


def test_the_dashboard_charts_carry_the_statistics_endpoint_figures(desktop: BrowserTab, client: TestClient) -> None:
    desktop.visit("/dashboard")
    as_of = desktop.page.locator("#as-of").get_attribute("data-as-of")
    programs = client.get("/api/v1/statistics/programs", params={"asOf": as_of}).json()["items"]
    years = client.get("/api/v1/statistics/years", params={"asOf": as_of}).json()["items"]
    assert programs and years

    budget = _chart_data(desktop, "chart-budget")
    # Each program's name on short lines beside its bar.
    assert [" ".join(label) for label in budget["labels"]] == [f"{p['year']} · {p['name']}" for p in programs]
    assert budget["datasets"][0]["data"] == [int(p["budget"]) for p in programs]
    assert budget["datasets"][1]["data"] == [int(p["granted"]) for p in programs]
    assert sum(budget["datasets"][1]["data"]) == sum(int(y["granted"]) for y in years)

    milestones = _chart_data(desktop, "chart-milestones")
    for dataset, name in zip(milestones["datasets"], ["approved", "submitted", "planned", "rejected", "overdue"],
                             strict=True):  # fmt: skip
        assert dataset["data"] == [p["milestones"][name] for p in programs], name

    outcomes = _chart_data(desktop, "chart-outcomes")
    standing = sum(y["outcomes"]["standing"] for y in years)
    assert sum(outcomes["datasets"][0]["data"]) == standing > 0
    position = outcomes["labels"].index(KO["enum.outcome_type.patent-registration"])
    patents = sum(y["outcomes"]["byType"]["patentRegistration"] for y in years)
    assert outcomes["datasets"][0]["data"][position] == patents

    # Commercialization by the year each report is for, not by its program's year.
    reported = client.get("/api/v1/statistics/commercialization", params={"asOf": as_of}).json()["items"]
    assert [y["year"] for y in reported] != [y["year"] for y in years]
    commercialization = _chart_data(desktop, "chart-commercialization")
    assert commercialization["labels"] == [str(y["year"]) for y in reported]
    for dataset, name in zip(commercialization["datasets"], ["sales", "investment", "royalties", "jobs"], strict=True):
        assert dataset["data"] == [int(y["commercialization"][name]) for y in reported], name

    # The tables say the same in exact won, and every chart links its CSV export (also in CP949 with
    # Korean headers) and its data dictionary; the open-data section links the catalogue.
    total_budget = sum(int(p["budget"]) for p in programs)
    assert desktop.page.locator("#table-budget tfoot").inner_text().count(f"₩{total_budget:,}") == 1
    csv_links = desktop.page.locator("a[download]")
    assert csv_links.count() == 4 * 2 + 2
    for link in desktop.page.locator(".downloads a:not([download])").all():
        assert client.get(link.get_attribute("href") or "").status_code == 200
    for link in csv_links.all():
        href = link.get_attribute("href") or ""
        exported = client.get(href)
        assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv"), href
    desktop.screenshot("dashboard-charts")
    desktop.assert_quiet()


def test_the_language_switch_changes_the_labels_and_is_remembered(desktop: BrowserTab) -> None:
    page = desktop.page
    desktop.visit("/programs")
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.locator("h1").inner_text() == KO["programs.title"]
    assert page.locator("nav.wrap").inner_text().split("\n")[1] == KO["nav.verify"]

    page.click("a.language")
    page.wait_for_url("**/programs?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == EN["programs.title"]
    assert page.locator("nav.wrap").inner_text().split("\n")[1] == EN["nav.verify"]
    desktop.screenshot("programs-english")

    desktop.visit("/dashboard")  # no ?lang: the cookie keeps English
    assert page.locator("h1").inner_text() == EN["dashboard.title"]
    assert _chart_data(desktop, "chart-budget")["datasets"][0]["label"] == EN["chart.budget"]
    desktop.screenshot("dashboard-english")

    page.click("a.language")
    page.wait_for_url("**/dashboard?lang=ko")
    assert page.locator("h1").inner_text() == KO["dashboard.title"]
    desktop.assert_quiet()


def test_the_keyboard_reaches_the_skip_link_and_the_file_chooser(
    desktop: BrowserTab, reviewed: ReviewedMilestone
) -> None:
    page = desktop.page
    desktop.visit("/verify")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    for _ in range(5):  # past the breadcrumbs to the file chooser
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "document":
            break
    assert page.evaluate("document.activeElement.id") == "document"
    # A busy machine's Chromium can drop the chooser of the first key press (seen under load): a person
    # would press again, and so does the test, once, with a generous wait each time.
    for attempt in range(2):
        try:
            with page.expect_file_chooser(timeout=30_000) as chooser:
                page.keyboard.press("Space")
            break
        except PlaywrightTimeoutError:
            if attempt:
                raise
            page.focus("#document")
    chooser.value.set_files(str(reviewed.genuine))
    assert _verdict(desktop).get_attribute("data-verdict") == "verified"
    desktop.assert_quiet()


FIGURES_FIT = """() => [...document.querySelectorAll(".figures > div")].flatMap((card) => {
    const edge = card.getBoundingClientRect().right;
    return [...card.querySelectorAll(".money")].filter((m) => m.getBoundingClientRect().right > edge + 0.5)
        .map((m) => m.textContent);
})"""
PLOT_SHARE = """(id) => { const chart = Chart.getChart(document.getElementById(id));
    return { width: chart.chartArea.width / chart.width, height: chart.chartArea.height,
             programs: chart.data.labels.length }; }"""


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_dashboard_and_programs_read_at_any_width(viewport: str, request: pytest.FixtureRequest) -> None:
    tab: BrowserTab = request.getfixturevalue(viewport)
    for path in ("/", "/dashboard"):
        tab.visit(path)
        assert tab.page.evaluate(FIGURES_FIT) == [], f"{path}: an amount runs past its card"
    for chart in ("chart-budget", "chart-milestones"):
        plot = tab.page.evaluate(PLOT_SHARE, chart)
        # The plot keeps most of the width (names sit on short lines beside the bars) and a bar's height
        # per program.
        assert plot["width"] > 0.45 and plot["height"] >= 20 * plot["programs"], (chart, plot)
    tab.screenshot("dashboard-widths")

    tab.visit("/programs")
    region = tab.page.locator(".table-scroll").first
    overflowing = tab.page.evaluate("(box) => box.scrollWidth > box.clientWidth + 1", region.element_handle())
    hint = tab.page.locator(".scroll-hint")
    if overflowing:  # the money columns are off-screen: the page says how to reach them
        assert hint.first.is_visible() and hint.first.inner_text() == KO["table.scroll_hint"]
        assert "overflowing" in (region.get_attribute("class") or "")
    else:
        assert hint.count() == 0 or not hint.first.is_visible()
    assert overflowing is (viewport == "phone")
    tab.screenshot("programs-widths")
    tab.assert_quiet()


def test_a_typed_rejection_reason_is_shown_as_text_and_unpublished_evidence_is_not_offered(
    client: TestClient, reviewed: ReviewedMilestone, indexed: IndexedRegistry
) -> None:
    page = client.get(reviewed.path).text

    shown = page.split('<blockquote class="document-text"', 1)
    assert len(shown) == 2, "the rejection's reason is shown as text"
    assert "시험 결과가 빠졌습니다.\nThe test results for scenario B are missing.</blockquote>" in shown[1]
    digest = hashlib.sha256(reviewed.genuine.read_bytes()).hexdigest()
    assert f'href="/api/v1/documents/{digest}"' not in page, "evidence is served only once published"


def test_a_published_report_is_linked_for_download_from_its_record(
    client: TestClient, reviewed: ReviewedMilestone, indexed: IndexedRegistry
) -> None:
    store = DocumentStore(indexed.settings.document_store_dir)
    digest = hashlib.sha256(reviewed.genuine.read_bytes()).hexdigest()
    store.publish(digest)

    page = client.get(reviewed.path).text
    download = client.get(f"/api/v1/documents/{digest}")

    assert f'href="/api/v1/documents/{digest}" download>중간보고서.pdf 내려받기 (' in page
    assert download.status_code == 200 and download.content == reviewed.genuine.read_bytes()
