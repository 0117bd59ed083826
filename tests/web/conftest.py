"""Portal fixtures: the API package's indexed registry (the session chain with two rounds of demo
activity), plus a milestone with a full review history whose evidence is a genuine file on disk;
the application served by uvicorn on a free port; and Debian's Chromium driven by Playwright.

Screenshots of every page land in `test-artifacts/screenshots/` of the checkout.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright
from web3 import Web3

from registry.api.loopback import served_on_loopback
from registry.chain.client import RegistryClient
from registry.chain.devkeys import dev_account
from registry.chain.devload import ADMIN, AUDITOR
from registry.domain.enums import ProjectStatus
from registry.evidence.hashing import sha256_bytes
from registry.evidence.store import DocumentStore
from registry.settings import PROJECT_ROOT
from registry.web.app import create_app
from tests.api.conftest import IndexedRegistry, indexed  # noqa: F401 - the fixture, reused for this package
from tests.helpers.workspace import following_indexer, served_workspace

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
DAY = 24 * 3600

#: The reason the auditor typed when rejecting the first submission (Korean and a second line).
REJECTION_REASON = "시험 결과가 빠졌습니다.\nThe test results for scenario B are missing."


@dataclass(frozen=True)
class ReviewedMilestone:
    """A milestone planned, submitted, rejected, resubmitted and approved, whose first evidence is
    `genuine`, a file on disk; each step's transaction hash, oldest first."""

    project_id: int
    program_id: int
    milestone_index: int
    genuine: Path
    steps: list[tuple[str, str]]

    @property
    def path(self) -> str:
        return f"/projects/{self.project_id}/milestones/{self.milestone_index}"

    @property
    def genuine_sha256(self) -> str:
        """The genuine file's SHA-256 in hex, as `sha256sum` prints it."""
        return hashlib.sha256(self.genuine.read_bytes()).hexdigest()


def _review_a_milestone(installation: IndexedRegistry, w3: Web3, folder: Path) -> ReviewedMilestone:
    manifest = installation.manifest
    admin = RegistryClient(w3, manifest, account=dev_account(ADMIN))
    auditor = RegistryClient(w3, manifest, account=dev_account(AUDITOR))
    counts = admin.counts()
    project = next(
        p for p in (admin.project(i) for i in range(1, counts["projects"] + 1)) if p.status is ProjectStatus.ACTIVE
    )
    account = next(i for i in range(10) if admin.company_of(dev_account(i).address) == project.company_id)
    company = RegistryClient(w3, manifest, account=dev_account(account))

    genuine = folder / "중간보고서.pdf"
    genuine.write_bytes(b"%PDF-1.7\n% interim report of the portal tests\n" + bytes(range(256)) * 8 + b"\n%%EOF\n")
    due = int(w3.eth.get_block("latest")["timestamp"]) + 30 * DAY
    p, steps = project.project_id, []
    planned = admin.execute(admin.ops.plan_milestone(p, due, 0, sha256_bytes(b"portal milestone description")))
    index = planned.record.milestone_index
    steps.append(("planned", planned.transaction_hash))
    first = company.execute(company.ops.submit_milestone(p, index, [sha256_bytes(genuine.read_bytes())]))
    steps.append(("submitted", first.transaction_hash))
    # The reason typed as text (`--reason-text`), stored and published as the CLI does; the genuine
    # report stored but not published, as uploaded evidence is.
    store = DocumentStore(installation.settings.document_store_dir)
    reason = store.put_text(REJECTION_REASON, "rejection-reason.txt").sha256
    store.put_file(genuine)
    rejected = auditor.execute(auditor.ops.reject_milestone(p, index, reason))
    steps.append(("rejected", rejected.transaction_hash))
    second = company.execute(company.ops.submit_milestone(p, index, [sha256_bytes(b"test results")]))
    steps.append(("submitted", second.transaction_hash))
    approved = auditor.execute(auditor.ops.approve_milestone(p, index, sha256_bytes(b"review")))
    steps.append(("approved", approved.transaction_hash))
    return ReviewedMilestone(p, project.program_id, index, genuine, steps)


@pytest.fixture(scope="package")
def reviewed(
    indexed: IndexedRegistry,  # noqa: F811 - the imported fixture
    w3: Web3,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ReviewedMilestone]:
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        milestone = _review_a_milestone(indexed, w3, tmp_path_factory.mktemp("documents"))
        indexed.index()
        yield milestone
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
        indexed.index()


@pytest.fixture(scope="package")
def in_process(indexed: IndexedRegistry, reviewed: ReviewedMilestone) -> Iterator[TestClient]:  # noqa: F811
    with TestClient(create_app(indexed.settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def client(in_process: TestClient) -> Iterator[TestClient]:
    """The application in-process, for what needs no browser (headers, status codes, markup); each
    test starts without cookies (no language chosen)."""
    in_process.cookies.clear()
    yield in_process
    in_process.cookies.clear()


@pytest.fixture(scope="package")
def portal_url(indexed: IndexedRegistry, reviewed: ReviewedMilestone) -> Iterator[str]:  # noqa: F811
    """The application served by uvicorn on a free loopback port, as a browser reaches it."""
    with served_on_loopback(create_app(indexed.settings), what="the portal") as url:
        yield url


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"the portal's browser tests need Debian's Chromium at {CHROMIUM}: `apt-get install chromium` "
                    "(`make test` installs it)")  # fmt: skip
    launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
    yield launched
    launched.close()


@dataclass
class BrowserTab:
    """A page in Chromium on the portal, with every console message and page error it produced."""

    page: Page
    base_url: str
    viewport: str
    problems: list[str] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)

    def visit(self, path: str, *, status: int = 200) -> None:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status == status, f"{path}: {response and response.status}"
        self.page.wait_for_load_state("networkidle")

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.viewport}-{name}.png"
        self.page.screenshot(path=path, full_page=True)
        return path

    def assert_quiet(self) -> None:
        """No console error or warning and no uncaught exception on any page this tab showed."""
        assert self.problems == []


def _open_tab(browser: Browser, base_url: str, viewport: dict[str, int], name: str) -> Iterator[BrowserTab]:
    context = browser.new_context(viewport=viewport, locale="ko-KR", timezone_id="Asia/Seoul")  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    page = context.new_page()
    tab = BrowserTab(page=page, base_url=base_url, viewport=name)

    def note(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            tab.problems.append(f"console {message.type} at {page.url}: {message.text}")

    page.on("console", note)
    page.on("pageerror", lambda error: tab.problems.append(f"page error at {page.url}: {error}"))
    page.on("request", lambda request: tab.requests.append((request.method, request.url)))
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def desktop(browser: Browser, portal_url: str) -> Iterator[BrowserTab]:
    yield from _open_tab(browser, portal_url, DESKTOP, "desktop")


@pytest.fixture
def phone(browser: Browser, portal_url: str) -> Iterator[BrowserTab]:
    yield from _open_tab(browser, portal_url, PHONE, "phone")


@pytest.fixture(scope="module")
def workspace_registry(
    indexed: IndexedRegistry,  # noqa: F811 - the imported fixture
    reviewed: ReviewedMilestone,
    w3: Web3,
) -> Iterator[IndexedRegistry]:
    """The portal's registry for one module of workspace tests: what the module writes through the relay is
    taken back after it (the chain reverted, the database following it back)."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        yield indexed
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
        indexed.index()


@pytest.fixture(scope="module")
def workspace_url(workspace_registry: IndexedRegistry) -> Iterator[str]:
    """The portal with its relay on (dev account 6 sends, as `rnd-registry up` sets it), while an indexer
    follows the chain so that the page sees what it wrote."""
    with served_workspace(workspace_registry.settings) as url, following_indexer(workspace_registry.index):
        yield url


@pytest.fixture
def workspace_tab(browser: Browser, workspace_url: str) -> Iterator[BrowserTab]:
    yield from _open_tab(browser, workspace_url, DESKTOP, "desktop")


@pytest.fixture(params=[("desktop", DESKTOP), ("phone", PHONE)], ids=lambda p: p[0])
def audited_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A tab in which axe's script may be added to the page (the portal's CSP allows no inline script)."""
    _, viewport = request.param
    context = browser.new_context(viewport=viewport, bypass_csp=True, locale="ko-KR")  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()
