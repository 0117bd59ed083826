"""The standalone verifier (`GET /verifier.html`): one file, opened from `file://` in Chromium with no
registry server running, checks a real anchored document and its receipt against the session anvil,
and rejects a copy changed in one byte and a receipt with a changed proof, step by step, in Korean
and in English."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from registry.chain.anvil import AnvilProcess
from registry.checking.documents import check_document_receipt
from registry.checking.node import Node
from registry.checking.receipts import parse_receipt
from registry.evidence.hashing import hash_to_hex
from registry.web.i18n import Language, catalogue
from registry.web.pages.verifier import DOWNLOAD_NAME, build_verifier
from tests.checking.scenarios import anchor_batch, anchor_document, changed, flipped
from tests.helpers.registry import RegistryHarness
from tests.web.conftest import SCREENSHOTS, BrowserTab, ReviewedMilestone

KO = catalogue(Language.KOREAN)


@pytest.fixture
def verifier_file(tmp_path: Path) -> Path:
    html, _policy = build_verifier()
    path = tmp_path / DOWNLOAD_NAME
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture
def tab(browser: Browser, verifier_file: Path) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(locale="ko-KR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.goto(verifier_file.as_uri())
    try:
        yield page, problems
    finally:
        context.close()


def check(page: Page, node: str, receipt: Path, document: Path | None) -> dict[str, str]:
    if document is not None:
        page.set_input_files("#document", str(document))
    page.set_input_files("#receipt", str(receipt))
    page.fill("#node", node)
    page.click("#check")
    page.wait_for_selector("#verdict")
    steps = {
        f"{li.get_attribute('data-step')}": f"{li.get_attribute('data-status')}/{li.get_attribute('data-reason')}"
        for li in page.query_selector_all("#steps li")
    }
    return {"verdict": page.get_attribute("#verdict", "data-verdict") or "", **steps}


def test_verifier_from_disk_confirms_an_anchored_document_and_refuses_a_changed_copy(
    tab: tuple[Page, list[str]], registry: RegistryHarness, anvil: AnvilProcess, tmp_path: Path
) -> None:
    page, problems = tab
    anchored = anchor_document(registry)
    document = tmp_path / "중간보고서.pdf"
    document.write_bytes(anchored.content)
    receipt = tmp_path / "receipt.json"
    anchored.receipt.write(receipt)

    result = check(page, anvil.rpc_url, receipt, document)
    assert result == {
        "verdict": "anchored",
        "file-hash": "passed/same-hash",
        "chain-id": "passed/same-chain",
        "contract-code": "passed/has-code",
        "anchor-of": "passed/anchor-matches",
        "anchoring-block": "passed/block-matches",
        "anchoring-event": "passed/event-matches",
    }
    said = page.inner_text("#checked-against")
    assert anvil.rpc_url in said and str(registry.w3.eth.chain_id) in said and registry.grants.address in said
    assert page.inner_text("#verdict").startswith("✔") and "앵커링됨" in page.inner_text("#verdict")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "verifier-anchored.png", full_page=True)
    page.click("#language")
    assert "Anchored" in page.inner_text("#verdict") and page.get_attribute("html", "lang") == "en"
    page.click("#language")

    copy = tmp_path / "copy.pdf"
    content = bytearray(anchored.content)
    content[-2] ^= 0x01
    copy.write_bytes(bytes(content))
    result = check(page, anvil.rpc_url, receipt, copy)
    assert result["verdict"] == "mismatch" and result["file-hash"] == "failed/hash-differs"
    assert "이유:" in page.inner_text("#why")
    assert problems == []


def test_verifier_from_disk_refuses_a_receipt_with_a_changed_proof(
    tab: tuple[Page, list[str]], registry: RegistryHarness, anvil: AnvilProcess, tmp_path: Path
) -> None:
    page, problems = tab
    anchored = anchor_batch(registry)
    document = tmp_path / "run-1.txt"
    document.write_bytes(anchored.content)
    honest = tmp_path / "honest.json"
    anchored.receipt.write(honest)
    assert check(page, anvil.rpc_url, honest, document)["verdict"] == "anchored"

    [batch] = anchored.receipt.batches
    proof = [hash_to_hex(h) for h in batch.proof]
    proof[-1] = flipped(proof[-1])
    lying = tmp_path / "lying.json"
    changed(anchored.receipt, {"batch": {"proof": proof}}).write(lying)
    result = check(page, anvil.rpc_url, lying, document)
    assert result["verdict"] == "mismatch"
    assert result["batch-proof"] == "failed/proof-does-not-lead-to-root"
    assert result["batch-member"] == "failed/member-refused"
    page.screenshot(path=SCREENSHOTS / "verifier-changed-proof.png", full_page=True)
    assert problems == []


def test_verifier_says_when_the_node_cannot_be_asked_or_the_file_is_not_a_receipt(
    tab: tuple[Page, list[str]], registry: RegistryHarness, tmp_path: Path
) -> None:
    page, _problems = tab
    receipt = tmp_path / "receipt.json"
    anchor_document(registry).receipt.write(receipt)
    page.set_input_files("#receipt", str(receipt))
    page.fill("#node", "http://127.0.0.1:9")
    page.click("#check")
    page.wait_for_selector("#status.error")
    assert "http://127.0.0.1:9" in page.inner_text("#status")
    (tmp_path / "other.json").write_text(json.dumps({"format": "rnd-registry-merkle-proof/1"}))
    page.set_input_files("#receipt", str(tmp_path / "other.json"))
    page.click("#check")
    expect(page.locator("#status")).to_contain_text("rnd-registry-receipt/1")


def test_portal_serves_the_verifier_as_a_download_with_its_own_policy(client: TestClient) -> None:
    response = client.get("/verifier.html")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="{DOWNLOAD_NAME}"'
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src http: https:" in policy and "'unsafe-inline'" not in policy
    assert "<script src=" not in response.text and "ethers" in response.text


# ---- the API's receipt, the QR code, and the verify page's headline -------------------------------


def test_api_receipt_of_the_genuine_file_checks_out_against_the_node(
    client: TestClient, reviewed: ReviewedMilestone, anvil: AnvilProcess
) -> None:
    digest = hashlib.sha256(reviewed.genuine.read_bytes()).digest()
    response = client.get(f"/api/v1/verify/{digest.hex()}/receipt")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"] == f'attachment; filename="receipt-{digest.hex()[:12]}.json"'
    receipt = parse_receipt(response.content)
    assert receipt.sha256 == digest and "API" in receipt.issued_by
    assert receipt.anchoring is not None and receipt.anchoring.event == "MilestoneSubmitted"
    assert receipt.verify_url is not None and receipt.verify_url.endswith(f"/verify?sha256={digest.hex()}")
    check = check_document_receipt(Node(anvil.rpc_url), receipt, digest)
    assert check.verdict == "anchored", check


def test_api_receipt_of_an_unknown_document_is_a_404_with_the_error_body(client: TestClient) -> None:
    response = client.get("/api/v1/verify/" + "ab" * 32 + "/receipt")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404 and "no anchoring" in response.json()["error"]["message"]
    assert client.get("/api/v1/verify/not-a-hash/receipt").status_code == 422


def test_qr_code_is_an_svg_of_a_page_of_this_site_only(client: TestClient) -> None:
    response = client.get("/qr.svg", params={"path": "/verify?sha256=" + "ab" * 32})
    assert response.status_code == 200 and response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.startswith("<svg") and "http://testserver/verify?sha256=" + "ab" * 32 in response.text
    for elsewhere in ("https://evil.example/", "//evil.example/x", "verify", "/\\evil.example"):
        assert client.get("/qr.svg", params={"path": elsewhere}).status_code == 400, elsewhere


def _answer_with(desktop: BrowserTab, client: TestClient, digest: str, status: str) -> None:
    """The verify page given the real answer for `digest`, but with the live check's status `status`."""
    answer = client.get(f"/api/v1/verify/{digest}").json()
    answer["liveCheck"]["status"] = status
    answer["liveCheck"]["message"] = f"the chain said something else ({status})"
    for citation in answer["citations"]:
        citation["check"] = {"status": "disagrees" if status == "disagrees" else "confirmed", "message": "checked"}
    desktop.page.route(f"**/api/v1/verify/{digest}", lambda route: route.fulfill(json=answer))
    desktop.visit(f"/verify?sha256={digest}")
    desktop.page.locator("#verdict-heading").wait_for()


def test_verify_page_headline_follows_the_chain_not_the_copy(
    desktop: BrowserTab, client: TestClient, reviewed: ReviewedMilestone
) -> None:
    digest = hashlib.sha256(reviewed.genuine.read_bytes()).hexdigest()
    _answer_with(desktop, client, digest, "disagrees")
    heading = desktop.page.locator("#verdict-heading")
    assert heading.get_attribute("data-verdict") == "disagrees"
    assert heading.inner_text().startswith("⚠") and "✔" not in heading.inner_text()
    assert KO["verify.headline_disagrees"] in heading.inner_text()
    assert desktop.page.locator("#citations [data-check]").first.get_attribute("data-check") == "disagrees"

    _answer_with(desktop, client, digest, "unavailable")
    assert heading.get_attribute("data-verdict") == "unchecked" and "✔" not in heading.inner_text()
    assert KO["verify.copy_says_anchored"] in desktop.page.locator("#verdict-detail").inner_text()

    _answer_with(desktop, client, digest, "confirmed")
    assert heading.get_attribute("data-verdict") == "verified" and heading.inner_text().startswith("✔")
    detail = desktop.page.locator("#verdict-detail").inner_text()
    answer = client.get(f"/api/v1/verify/{digest}").json()["liveCheck"]
    assert str(answer["chainId"]) in detail and answer["contract"] in detail
    assert desktop.page.locator("#download-receipt").get_attribute("href") == f"/api/v1/verify/{digest}/receipt"
    desktop.screenshot("verify-receipt-and-qr")
    qr = desktop.page.locator("#verify-qr")
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    desktop.assert_quiet()
