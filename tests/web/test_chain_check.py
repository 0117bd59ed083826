"""The chain check of the record pages, run in Chromium: the browser asks the node itself, reads what
the page shows from its markup, and compares. On the honest copy every record page matches, naming
node, chain id and block; on a copy of the database changed by hand each lie is caught on its
record's page, naming the field with both values; and a node that is down, slow, on another chain
or without the registry's code is said to be so, never "matches"."""

from __future__ import annotations

import json
import re
import socket
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from eth_utils.crypto import keccak
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page
from web3 import Web3

from registry.api.loopback import served_on_loopback
from registry.chain.anvil import AnvilProcess, start_anvil
from registry.chain.client import RegistryClient
from registry.chain.deployment import GRANT_REGISTRY
from registry.chain.devkeys import dev_account
from registry.domain.enums import Grade
from registry.domain.records import AuditResult
from registry.settings import PROJECT_ROOT, PublicRpcNode, Settings
from registry.web.app import create_app
from registry.web.i18n import Language, Translator
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items
from tests.helpers.registry import second_auditor_key
from tests.web.conftest import DESKTOP, SCREENSHOTS, ReviewedMilestone

KO = Translator(Language.KOREAN)
VERDICTS = ("matches", "differs", "failed")
WON_DIGITS = 29  # how the SQLite copy stores won (registry/store/schema.py `Won`)


# ---- serving a portal -----------------------------------------------------------------------------


def _serve(settings: Settings) -> Iterator[str]:
    with served_on_loopback(create_app(settings), what="the portal") as url:
        yield url


@pytest.fixture(scope="module")
def restricted(indexed: IndexedRegistry, reviewed: ReviewedMilestone, w3: Web3) -> Iterator[IndexedRegistry]:
    """The portal's registry with an evaluation that restricts a company, confirmed by the second auditor
    (the demo sets none); the chain is reverted and the database follows it back after the module."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        auditor = RegistryClient(w3, indexed.manifest, account=dev_account(1))
        until = datetime.fromtimestamp(int(w3.eth.get_block("latest")["timestamp"]) + 400 * 24 * 3600, UTC)
        result = AuditResult(
            grade=Grade.VERY_POOR, findings_hash=keccak(text="chain-check:findings"), restricted_until=until
        )
        audit_id = auditor.execute(auditor.ops.record_audit(2, result)).record.audit_id
        # A restriction takes effect once a second auditor confirms it.
        second = RegistryClient(w3, indexed.manifest, account=second_auditor_key())
        second.execute(second.ops.confirm_sanction(audit_id))
        indexed.index()
        yield indexed
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
        indexed.index()


@pytest.fixture(scope="module")
def api(restricted: IndexedRegistry) -> Iterator[TestClient]:
    with TestClient(create_app(restricted.settings), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def honest_url(restricted: IndexedRegistry) -> Iterator[str]:
    yield from _serve(restricted.settings)


@dataclass(frozen=True)
class Lie:
    """A change made by hand to the copy: the page that shows it, the field, and the two values as
    the page writes them."""

    path: str
    field: str
    page_says: str
    chain_says: str


def _won(amount: int) -> str:
    return f"₩{amount:,}"


def _sqlite_path(settings: Settings) -> Path:
    return Path(settings.database_url.removeprefix("sqlite:///"))


def _first(items: list[dict[str, Any]], what: str, context: object = None) -> dict[str, Any]:
    assert items, f"the test registry has no {what} ({context})"
    return items[0]


def _tell_lies(db: sqlite3.Connection, api: TestClient, reviewed: ReviewedMilestone) -> dict[str, Lie]:
    lies: dict[str, Lie] = {}

    def won_plus(table: str, column: str, where: str, key: object, more: int) -> None:
        db.execute(
            f"UPDATE {table} SET {column} = printf('%0{WON_DIGITS}d', CAST({column} AS INTEGER) + ?) WHERE {where} = ?",
            (more, key),
        )

    program = api.get("/api/v1/programs/1").json()
    won_plus("programs", "budget", "program_id", 1, 1)
    lies["program budget"] = Lie(
        "/programs/1", "budget", _won(int(program["budget"]) + 1), _won(int(program["budget"]))
    )

    project = api.get("/api/v1/projects/1").json()
    won_plus("projects", "amount", "project_id", 1, 1)
    lies["project amount"] = Lie(
        "/projects/1", "amount", _won(int(project["amount"]) + 1), _won(int(project["amount"]))
    )

    milestones = all_items(api, "/api/v1/milestones")
    approved = _first(
        [m for m in milestones if m["status"] == "approved" and m["projectId"] != reviewed.project_id],
        "an approved milestone",
    )
    db.execute(
        "UPDATE milestones SET status = 4 WHERE project_id = ? AND milestone_index = ?",
        (approved["projectId"], approved["milestoneIndex"]),
    )
    lies["milestone status"] = Lie(
        f"/projects/{approved['projectId']}/milestones/{approved['milestoneIndex']}",
        "status",
        KO.enum("milestone_status", "rejected"),
        KO.enum("milestone_status", "approved"),
    )

    db.execute(
        "DELETE FROM milestone_history WHERE project_id = ? AND milestone_index = ? AND status = 4",
        (reviewed.project_id, reviewed.milestone_index),
    )
    lies["deleted rejection"] = Lie(reviewed.path, "history", "", KO.enum("milestone_status", "rejected"))

    outcomes = all_items(api, "/api/v1/outcomes")
    standing = _first(
        [o for o in outcomes if not o["revoked"] and o["outcomeType"] != "software"], "a standing outcome"
    )
    db.execute("UPDATE outcomes SET outcome_type = 7 WHERE outcome_id = ?", (standing["outcomeId"],))
    lies["outcome type"] = Lie(
        f"/outcomes/{standing['outcomeId']}",
        "outcomeType",
        KO.enum("outcome_type", "software"),
        KO.enum("outcome_type", standing["outcomeType"]),
    )

    revoked = _first([o for o in outcomes if o["revoked"]], "a revoked outcome")
    db.execute("DELETE FROM outcome_revocations WHERE outcome_id = ?", (revoked["outcomeId"],))
    lies["deleted revocation"] = Lie(f"/outcomes/{revoked['outcomeId']}", "revocation", KO("check.nothing"), "")

    reports = all_items(api, "/api/v1/commercialization-reports")
    report = _first([r for r in reports if r["sales"] is not None], "a report with figures", reports)
    won_plus("commercialization_reports", "sales", "report_id", report["reportId"], 1_000)
    lies["report sales"] = Lie(
        f"/reports/{report['reportId']}", "sales", _won(int(report["sales"]) + 1_000), _won(int(report["sales"]))
    )

    db.execute("UPDATE projects SET target_papers = target_papers + 1 WHERE project_id = 1")
    papers = project["targets"]["papers"]
    lies["project target"] = Lie("/projects/1", "targets.papers", str(papers + 1), str(papers))

    named = api.get("/api/v1/projects/1").json()
    db.execute("UPDATE companies SET name = ? WHERE company_id = ?",
               ("(주)가짜이름", bytes.fromhex(named["companyId"][2:])))  # fmt: skip
    lies["company name"] = Lie("/projects/1", "companyName", "(주)가짜이름", named["companyName"])
    lies["company page name"] = Lie(f"/companies/{named['companyId']}", "name", "(주)가짜이름", named["companyName"])

    evaluations = all_items(api, "/api/v1/evaluations")
    pending = _first([e for e in evaluations if e["sanction"]["status"] == "pending"], "a pending sanction")
    db.execute("UPDATE audits SET sanction_status = 2 WHERE audit_id = ?", (pending["auditId"],))
    lies["pending sanction"] = Lie(
        f"/evaluations/{pending['auditId']}", "sanction.status",
        KO.enum("sanction_status", "in-effect"), KO.enum("sanction_status", "pending"),
    )  # fmt: skip

    objection = _first([o for o in all_items(api, "/api/v1/objections") if o["open"]], "an open objection")
    db.execute("UPDATE objections SET status = 3 WHERE objection_id = ?", (objection["objectionId"],))
    subject = objection["subjectId"]
    page_of = {"milestone-rejection": f"/projects/{subject}/milestones/{objection['milestoneIndex']}",
               "report-dispute": f"/reports/{subject}", "evaluation": f"/evaluations/{subject}"}  # fmt: skip
    lies["open objection"] = Lie(
        page_of[objection["subject"]], "status",
        KO.enum("objection_status", "dismissed"), KO.enum("objection_status", "open"),
    )  # fmt: skip

    restriction = all_items(api, "/api/v1/members/restrictions")[0]
    db.execute("DELETE FROM company_restrictions WHERE company_id = ?", (bytes.fromhex(restriction["companyId"][2:]),))
    lies["deleted restriction"] = Lie(f"/companies/{restriction['companyId']}", "", "", "")
    return lies


@dataclass(frozen=True)
class LyingPortal:
    url: str
    lies: dict[str, Lie]


@pytest.fixture(scope="module")
def lying(
    restricted: IndexedRegistry, api: TestClient, reviewed: ReviewedMilestone, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LyingPortal]:
    """A second portal over a copy of the indexed database, changed by hand, with the same manifest."""
    data_dir = tmp_path_factory.mktemp("lying-installation")
    settings = Settings(data_dir=data_dir, rpc_url=restricted.settings.rpc_url, chain_id=restricted.manifest.chain_id)
    restricted.manifest.write(settings.manifest_path)
    source = sqlite3.connect(_sqlite_path(restricted.settings))
    copy = sqlite3.connect(_sqlite_path(settings))
    try:
        source.backup(copy)
        lies = _tell_lies(copy, api, reviewed)
        copy.commit()
    finally:
        source.close()
        copy.close()
    for url in _serve(settings):
        yield LyingPortal(url, lies)


# ---- the browser ----------------------------------------------------------------------------------


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, locale="ko-KR", timezone_id="Asia/Seoul")  # type: ignore[arg-type]
    context.set_default_timeout(30_000)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    try:
        yield tab
    finally:
        context.close()
    assert problems == [], problems


def _verdict(page: Page) -> str:
    page.wait_for_function(
        "() => ['matches', 'differs', 'failed'].includes(document.getElementById('chain-check')?.dataset.verdict)",
        timeout=60_000,
    )
    verdict = page.locator("#chain-check").get_attribute("data-verdict")
    assert verdict in VERDICTS
    return verdict


def _check(page: Page, url: str) -> tuple[str, str]:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    verdict = _verdict(page)
    return verdict, page.locator("#chain-check-result").inner_text()


def _check_with_node(page: Page, url: str, node: str) -> tuple[str, str]:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    _verdict(page)  # the city's node, first
    page.select_option("#chain-check-node", value="")
    page.fill("#chain-check-url", node)
    page.click("#chain-check-run")
    verdict = _verdict(page)
    return verdict, page.locator("#chain-check-result").inner_text()


def _screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"desktop-chain-check-{name}.png", full_page=True)


def _record_pages(api: TestClient, reviewed: ReviewedMilestone) -> list[str]:
    outcomes = all_items(api, "/api/v1/outcomes")
    revoked = next(o for o in outcomes if o["revoked"])
    amended = next((o for o in outcomes if o["amends"]), outcomes[0])
    report = all_items(api, "/api/v1/commercialization-reports")[0]
    evaluation = all_items(api, "/api/v1/evaluations")[0]
    restriction = all_items(api, "/api/v1/members/restrictions")[0]
    pages = [
        "/programs/1",
        "/projects/1",
        reviewed.path,
        f"/outcomes/{revoked['outcomeId']}",
        f"/outcomes/{amended['outcomeId']}",
        f"/reports/{report['reportId']}",
        f"/evaluations/{evaluation['auditId']}",
        f"/companies/{restriction['companyId']}",
        "/members",
    ]
    batches = all_items(api, "/api/v1/batches")
    if batches:
        pages.append(f"/batches/{batches[0]['root']}")
    return pages


# ---- the honest copy ------------------------------------------------------------------------------


def test_every_record_page_of_the_honest_copy_matches_the_chain_naming_node_chain_and_block(
    page: Page, honest_url: str, api: TestClient, reviewed: ReviewedMilestone, restricted: IndexedRegistry
) -> None:
    block = restricted.client.w3.eth.block_number
    for path in _record_pages(api, reviewed):
        verdict, text = _check(page, honest_url + path)
        assert verdict == "matches", f"{path}: {text}"
        assert KO("check.city_node") in text and restricted.settings.rpc_url in text, text
        assert f"{restricted.manifest.chain_id}" in text and f"{block:,}" in text, text
        assert restricted.manifest.address(GRANT_REGISTRY) in text
        assert KO("check.not_checked_heading") in text
    _screenshot(page, "honest-match")


def test_a_projects_results_are_said_derived_from_other_records_not_matched(page: Page, honest_url: str) -> None:
    verdict, _ = _check(page, honest_url + "/projects/1")
    assert verdict == "matches"
    derived = page.locator("#chain-check-result [data-derived]")
    assert derived.count() == 1 and derived.get_attribute("data-derived") == "results"
    assert "results" in derived.inner_text() and KO("check.kind.project") in derived.inner_text()


def test_the_check_speaks_english_on_the_english_page(page: Page, honest_url: str) -> None:
    verdict, text = _check(page, honest_url + "/programs/1?lang=en")
    assert verdict == "matches"
    assert "matches the chain" in text and "The city's node" in text


# ---- a copy changed by hand -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "lie",
    [
        "program budget",
        "project amount",
        "milestone status",
        "deleted rejection",
        "outcome type",
        "deleted revocation",
        "report sales",
        "company name",
        "company page name",
        "project target",
        "pending sanction",
        "open objection",
    ],
)
def test_a_lie_of_the_copy_is_flagged_on_its_page_naming_the_field_with_both_values(
    page: Page, lying: LyingPortal, lie: str
) -> None:
    told = lying.lies[lie]
    verdict, text = _check(page, lying.url + told.path)
    assert verdict == "differs", text
    differences = "\n".join(page.locator(".chain-check-differences").all_inner_texts())
    assert told.field in differences, differences
    assert told.page_says in differences and told.chain_says in differences, differences
    assert page.locator(".chain-check-differs").count() >= 1 or lie.startswith("deleted")
    _screenshot(page, "lie-" + lie.replace(" ", "-"))


def test_a_deleted_participation_restriction_is_flagged_on_the_company_page(page: Page, lying: LyingPortal) -> None:
    told = lying.lies["deleted restriction"]
    verdict, text = _check(page, lying.url + told.path)
    assert page.locator("[data-record='company-restriction'][data-absent]").count() == 1
    assert verdict == "differs", text
    assert KO("check.missing_record") in text


ABSENT_CLAIM = """(companyId) => {
    const claim = document.createElement("p");
    claim.dataset.record = "company-restriction";
    claim.dataset.key = JSON.stringify({ companyId });
    claim.setAttribute("data-absent", "");
    claim.textContent = "not restricted";
    document.querySelector("main h1").after(claim);
}"""


def test_a_claim_that_a_record_is_absent_matches_only_when_the_chain_has_none(
    page: Page, honest_url: str, api: TestClient
) -> None:
    restricted_id = all_items(api, "/api/v1/members/restrictions")[0]["companyId"]
    other = next(p["companyId"] for p in all_items(api, "/api/v1/projects") if p["companyId"] != restricted_id)
    for company, expected in ((other, "matches"), (restricted_id, "differs")):
        page.goto(f"{honest_url}/companies/{company}")
        _verdict(page)
        page.evaluate(ABSENT_CLAIM, company)
        page.click("#chain-check-run")
        assert _verdict(page) == expected, company
    assert KO("check.missing_record") in page.locator("#chain-check-result").inner_text()


def test_a_page_whose_text_is_not_its_claimed_value_is_flagged(page: Page, honest_url: str) -> None:
    page.goto(honest_url + "/programs/1")
    _verdict(page)
    page.evaluate("""() => {
        const budget = document.querySelector("article[data-record] [data-field='budget']");
        budget.textContent = '₩1';
    }""")
    page.click("#chain-check-run")
    assert _verdict(page) == "differs"
    assert "₩1" in "\n".join(page.locator(".chain-check-differences").all_inner_texts())


# ---- nodes that cannot be trusted to answer -------------------------------------------------------


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture
def silent_node() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()


@pytest.fixture(scope="module")
def other_chain() -> Iterator[AnvilProcess]:
    node = start_anvil(PROJECT_ROOT, chain_id=4242)
    yield node
    node.stop()


@pytest.fixture(scope="module")
def empty_chain(restricted: IndexedRegistry) -> Iterator[AnvilProcess]:
    """The registry's chain id, nothing deployed; other code at the grant registry's address."""
    node = start_anvil(PROJECT_ROOT, chain_id=restricted.manifest.chain_id)
    w3 = Web3(Web3.HTTPProvider(node.rpc_url))
    w3.provider.make_request("anvil_setCode", [restricted.manifest.address(GRANT_REGISTRY), "0x60006000f3"])  # type: ignore[arg-type]
    yield node
    node.stop()


def _assert_failed(verdict: str, text: str, *words: str) -> None:
    assert verdict == "failed", text
    assert KO("check.failed") in text and "null" not in text and "undefined" not in text
    assert KO("check.record_matches") not in text and "일치합니다" not in text, text
    for word in words:
        assert word in text, text


def test_a_node_that_is_down_is_said_to_be_unreachable(page: Page, honest_url: str) -> None:
    node = _closed_port()
    verdict, text = _check_with_node(page, honest_url + "/programs/1", node)
    _assert_failed(verdict, text, KO("check.node_down", method="eth_chainId"), node)


def test_a_node_that_does_not_answer_in_time_is_said_to_be_slow(page: Page, honest_url: str, silent_node: str) -> None:
    verdict, text = _check_with_node(page, honest_url + "/programs/1", silent_node)
    _assert_failed(verdict, text, KO("check.node_slow", method="eth_chainId", seconds=10))
    _screenshot(page, "slow-node")


def test_a_node_on_another_chain_is_refused(
    page: Page, honest_url: str, other_chain: AnvilProcess, restricted: IndexedRegistry
) -> None:
    verdict, text = _check_with_node(page, honest_url + "/programs/1", other_chain.rpc_url)
    _assert_failed(verdict, text, KO("check.wrong_chain", expected=restricted.manifest.chain_id, actual=4242))


def test_a_node_with_other_code_or_none_at_the_addresses_is_refused(
    page: Page, honest_url: str, empty_chain: AnvilProcess, restricted: IndexedRegistry
) -> None:
    verdict, text = _check_with_node(page, honest_url + "/programs/1", empty_chain.rpc_url)
    grants = restricted.manifest.contracts[GRANT_REGISTRY].address
    outcomes = restricted.manifest.contracts["OutcomeRegistry"].address
    _assert_failed(
        verdict,
        text,
        KO("check.other_code", contract=GRANT_REGISTRY, address=grants),
        KO("check.no_code", contract="OutcomeRegistry", address=outcomes),
    )
    _screenshot(page, "other-code")


def test_the_chosen_node_is_remembered(page: Page, honest_url: str, other_chain: AnvilProcess) -> None:
    _check_with_node(page, honest_url + "/programs/1", other_chain.rpc_url)
    page.goto(honest_url + "/projects/1")
    assert _verdict(page) == "failed"
    assert page.input_value("#chain-check-url") == other_chain.rpc_url


# ---- what the server serves for it ----------------------------------------------------------------


def test_the_rules_the_abis_and_ethers_are_served_from_this_server(api: TestClient) -> None:
    for path in (
        "/chain-check/records.json",
        "/chain-check/abi.json",
        "/static/vendor/ethers.umd.min.js",
        "/static/chain-check.js",
        "/static/record-check.js",
    ):
        response = api.get(path)
        assert response.status_code == 200, path
    assert "connect-src 'self' http: https:" in api.get("/programs/1").headers["content-security-policy"]


def test_a_page_offers_the_consortiums_published_nodes_and_the_deployment_to_expect(
    restricted: IndexedRegistry, tmp_path: Path
) -> None:
    nodes = [
        PublicRpcNode(name="Partner A", url="https://rpc.partner-a.example"),
        PublicRpcNode(name="Partner B", url="http://10.0.0.2:8545"),
    ]
    settings = restricted.settings.model_copy(update={"public_rpc_nodes": nodes})
    with TestClient(create_app(settings)) as client:
        page = client.get("/programs/1?lang=en").text
    config = json.loads(re.search(r'id="chain-check-config">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert config["nodes"] == [{"name": n.name, "url": n.url, "city": False} for n in nodes]
    manifest = restricted.manifest
    assert config["chainId"] == manifest.chain_id and config["deployBlock"] == manifest.deploy_block
    assert config["contracts"] == {
        name: {"address": c.address, "codeHash": c.code_hash} for name, c in manifest.contracts.items()
    }
    assert config["messages"]["check.title"] == "Check this page against the chain"
    assert config["enums"]["enum.milestone_status.approved"]
    assert "Partner A · https://rpc.partner-a.example" in page
    assert "The city's node" not in page
