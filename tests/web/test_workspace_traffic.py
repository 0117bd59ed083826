"""What the workspace sends and receives, recorded by Playwright (a HAR with every body) over a whole
journey of the clerk: sign in with a keystore, submit a milestone with a public file, commit a report
hidden and disclose it. Neither the private key (in any spelling) nor the password is in any request or
answer, header or body; the keystore file itself is never sent; and the page kept nothing in storage."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser
from web3 import Web3

from tests.api.conftest import IndexedRegistry
from tests.helpers.workspace import STEP_TIMEOUT_MS, company_clerk, sign_in, wait_signed_in, write_keystore
from tests.web.conftest import DESKTOP
from tests.web.test_workspace_company import plan_milestone, send_and_wait, submit_milestone

PASSWORD = "traffic-check-pw-8d1f"


def _everything_sent_and_received(har: dict[str, Any]) -> list[str]:
    """Every URL, header, request body and answer body of the recorded traffic, as text."""
    found: list[str] = []
    for entry in har["log"]["entries"]:
        request, response = entry["request"], entry["response"]
        found.append(request["url"])
        found += [f"{h['name']}: {h['value']}" for h in request["headers"] + response["headers"]]
        posted = request.get("postData") or {}
        found.append(posted.get("text") or "")
        found += [f"{p.get('name')}={p.get('value')}" for p in posted.get("params") or []]
        content = response.get("content") or {}
        text = content.get("text") or ""
        if content.get("encoding") == "base64":
            text = base64.b64decode(text).decode("latin-1")
        found.append(text)
    return found


def test_a_whole_clerk_journey_sends_no_private_key_and_no_password(
    browser: Browser, workspace_url: str, workspace_registry: IndexedRegistry, w3: Web3, tmp_path: Path
) -> None:
    clerk = company_clerk(workspace_registry.client)
    keystore = write_keystore(tmp_path, "acme-clerk", clerk.account, PASSWORD)
    index = plan_milestone(workspace_registry, w3, clerk.project_id)
    har_path = tmp_path / "journey.har"
    context = browser.new_context(viewport=DESKTOP, record_har_path=str(har_path), record_har_content="embed")  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(workspace_url + "/workspace/company?lang=en")
        sign_in(page, keystore, PASSWORD)
        wait_signed_in(page)
        page.wait_for_selector("body[data-agenda-loaded]", timeout=STEP_TIMEOUT_MS)
        evidence = tmp_path / "interim.pdf"
        evidence.write_bytes(b"%PDF-1.4 interim report, public\n")
        assert submit_milestone(page, clerk.project_id, index, [evidence], public=True).startswith("recorded:")

        page.select_option("#report-project", str(clerk.project_id))
        page.fill("#report-year", "2043")
        page.fill("#report-sales", "2억")
        page.set_input_files("#report-evidence", str(evidence))
        page.check("#report-hidden")
        with page.expect_download(timeout=STEP_TIMEOUT_MS) as download:
            send_and_wait(page, "#report-send")
        kept = tmp_path / "kept.reveal.json"
        download.value.save_as(kept)
        report_id = workspace_registry.client.read(
            workspace_registry.client.outcomes.functions.latestReport(clerk.project_id, 2043)
        )
        page.wait_for_selector(f"#reveal-report option[value='{report_id}']", state="attached", timeout=STEP_TIMEOUT_MS)
        page.select_option("#reveal-report", str(report_id))
        page.set_input_files("#reveal-file", str(kept))
        send_and_wait(page, "#reveal-send")
        stored = page.evaluate("[localStorage.length, sessionStorage.length, document.cookie]")
    finally:
        context.close()  # writes the HAR

    traffic = "\n".join(_everything_sent_and_received(json.loads(har_path.read_text())))
    assert "POST" in json.dumps([e["request"]["method"] for e in json.loads(har_path.read_text())["log"]["entries"]])
    assert "/api/v1/relay" in traffic and "/api/v1/documents" in traffic  # the journey's writes were recorded
    key = clerk.account.key
    for spelling in (key.hex(), key.hex().upper(), base64.b64encode(key).decode(), PASSWORD):
        assert spelling.removeprefix("0x") not in traffic, "the key or password left the page"
    ciphertext = json.loads(keystore.read_text())["crypto"]["ciphertext"]
    assert ciphertext not in traffic, "the keystore file was sent"
    assert stored[0] == 0 and stored[1] == 0 and PASSWORD not in stored[2]
