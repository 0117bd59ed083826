"""The workspace's API reader (static/workspace/api.js) in Chromium: after a relayed write that changes a
record the API already serves, the record handed back is the one the transaction left, because the page
waits until the API's copy has indexed the relayed block before reading it. The indexer is held back here
while the write is mined, so the API still serves the record as it was when the relay answers."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from web3 import Web3

from registry.domain.enums import MilestoneStatus
from tests.api.conftest import IndexedRegistry
from tests.helpers.workspace import (
    STEP_TIMEOUT_MS,
    company_clerk,
    confirm_signing,
    following_indexer,
    served_workspace,
    sign_in,
    wait_signed_in,
    write_keystore,
)
from tests.web.conftest import DESKTOP
from tests.web.test_workspace_auditor import api_json, wait_for_api
from tests.web.test_workspace_company import plan_milestone

PASSWORD = "api-reader-check-2021"
#: Generous: the machine is shared and slow at times.
DEADLINE_SECONDS = 120


class Indexing:
    """Whether the indexer may follow the chain; held, it holds back (a copy that lags the chain)."""

    def __init__(self) -> None:
        self._allowed = threading.Event()
        self._allowed.set()
        self._running = threading.Lock()

    def run(self, index: Callable[[], None]) -> None:
        with self._running:
            if self._allowed.is_set():
                index()

    def hold(self) -> None:
        """Stops indexing, once a run under way has ended."""
        self._allowed.clear()
        with self._running:
            pass

    def resume(self) -> None:
        self._allowed.set()


@pytest.fixture(scope="module")
def indexing() -> Indexing:
    return Indexing()


@pytest.fixture(scope="module")
def lagging_workspace_url(workspace_registry: IndexedRegistry, indexing: Indexing) -> Iterator[str]:
    """The portal with its relay on, while an indexer follows the chain unless `indexing` is held."""

    def index_when_allowed() -> None:
        indexing.run(workspace_registry.index)

    with served_workspace(workspace_registry.settings) as url, following_indexer(index_when_allowed):
        yield url


def test_a_relayed_update_answers_the_record_as_the_transaction_left_it_not_as_it_was(
    browser: Browser, lagging_workspace_url: str, workspace_registry: IndexedRegistry, indexing: Indexing,
    w3: Web3, tmp_path: Path,
) -> None:  # fmt: skip
    client = workspace_registry.client
    clerk = company_clerk(client)
    index = plan_milestone(workspace_registry, w3, clerk.project_id)
    path = f"/api/v1/projects/{clerk.project_id}/milestones/{index}"
    wait_for_api(lagging_workspace_url, path, "status", "planned", DEADLINE_SECONDS)
    keystore = write_keystore(tmp_path, "acme-clerk", clerk.account, PASSWORD)
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    context.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(lagging_workspace_url + "/workspace/company?lang=en")
        sign_in(page, keystore, PASSWORD)
        wait_signed_in(page)

        indexing.hold()
        evidence = "0x" + hashlib.sha256(b"the API reader waits for the block").hexdigest()
        page.evaluate(
            """([project, index, evidence]) => {
              window.sent = RndWorkspace.relay.send({contract: "GrantRegistry", fn: "submitMilestone",
                args: [project, index, [evidence]], summary: "submit"});
            }""",
            [clerk.project_id, index, evidence],
        )
        confirm_signing(page)
        until = time.monotonic() + DEADLINE_SECONDS
        while client.milestone(clerk.project_id, index).status is not MilestoneStatus.SUBMITTED:
            assert time.monotonic() < until, "the relayed submission never reached the chain"
            time.sleep(0.3)
        # The relay has answered or is about to; the API's copy still serves the milestone as it was.
        assert api_json(lagging_workspace_url, path)["status"] == "planned"
        indexing.resume()

        answer = page.evaluate("window.sent")
    finally:
        indexing.resume()
        context.close()

    assert answer["ok"], answer
    record = answer["record"]
    assert record is not None, "the record was not served once the block was indexed"
    assert (record["status"], record["attempts"]) == ("submitted", 1)
    submitted = [step for step in record["history"] if step["status"] == "submitted"]
    assert submitted[-1]["provenance"]["transactionHash"] == answer["relayed"]["transactionHash"]
    assert submitted[-1]["evidenceHashes"] == [evidence]
