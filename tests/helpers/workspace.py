"""The browser workspace in tests: keystore files as `rnd-registry account new` writes them, the portal
served with its relay on (dev account 6 sends) while an indexer follows the chain, and the steps a person
takes in the page (sign in, confirm what is about to be signed)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from eth_account import Account
from eth_account.signers.local import LocalAccount
from playwright.sync_api import Page

from registry.api.loopback import served_on_loopback
from registry.chain.client import RegistryClient
from registry.chain.devkeys import dev_account
from registry.domain.enums import ProjectStatus
from registry.settings import Settings
from registry.web.app import create_app

if TYPE_CHECKING:
    from tests.web.conftest import BrowserTab

#: The relay's account on the demo chain, as `rnd-registry up` configures it.
RELAYER_DEV_ACCOUNT = 6
#: scrypt's cost for the tests' keystores: a tenth of a second in Chromium instead of several seconds
#: (the page decrypts whatever `n` the file names; one test uses the CLI's own).
TEST_SCRYPT_N = 2**12
#: Long enough for a slow, shared machine to decrypt, sign, relay, mine and index.
STEP_TIMEOUT_MS = 120_000


def write_keystore(
    folder: Path, label: str, account: LocalAccount, password: str, *, scrypt_n: int = TEST_SCRYPT_N
) -> Path:
    """The keystore file of `account` (Web3 Secret Storage v3, scrypt), as `rnd-registry account` writes it."""
    path = folder / f"{label}.json"
    path.write_text(json.dumps(Account.encrypt(account.key, password, kdf="scrypt", iterations=scrypt_n)))
    return path


@contextmanager
def following_indexer(index: Callable[[], None], every: float = 0.3) -> Iterator[None]:
    """Runs `index()` over and over in a thread while the block runs, as `rnd-registry index --follow` would."""
    stop = threading.Event()

    def follow() -> None:
        while not stop.is_set():
            index()
            stop.wait(every)

    thread = threading.Thread(target=follow, name="workspace-indexer", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=60)


@contextmanager
def served_workspace(settings: Settings) -> Iterator[str]:
    """The portal with its relay sending from dev account 6 and limits no test reaches."""
    relaying = settings.model_copy(
        update={
            "relay_dev_key": RELAYER_DEV_ACCOUNT,
            "relay_requests_per_client": 10_000,
            "relay_requests_per_signer": 1_000,
        }
    )
    with served_on_loopback(create_app(relaying), what="the portal with its relay") as url:
        yield url


def sign_in(page: Page, keystore: Path, password: str) -> None:
    """Chooses the keystore file, types the password and opens the key, by keyboard-free clicks."""
    page.wait_for_selector("body[data-workspace-ready='true']")
    page.set_input_files("#keystore-file", str(keystore))
    page.fill("#keystore-password", password)
    page.click("#keystore-open")


def wait_signed_in(page: Page) -> None:
    page.wait_for_selector("body[data-signed-in='true']", timeout=STEP_TIMEOUT_MS)


def confirm_signing(page: Page) -> None:
    """Presses "sign and send" in the dialog that shows what is about to be signed."""
    page.wait_for_selector("#confirm-signing[open]", timeout=STEP_TIMEOUT_MS)
    page.click("#confirm-sign")


@dataclass(frozen=True)
class Clerk:
    """A dev account bound to a company, an active project of that company, and an active project of
    another company (which the clerk may not write for)."""

    account: LocalAccount
    company_id: bytes
    project_id: int
    foreign_project_id: int


def company_clerk(client: RegistryClient) -> Clerk:
    """The first dev account (other than the relayer) bound to a company that has an active project while
    another company has one too."""
    companies = {i: client.company_of(dev_account(i).address) for i in range(2, 10) if i != RELAYER_DEV_ACCOUNT}
    active = [client.project(p) for p in range(1, client.counts()["projects"] + 1)]
    active = [p for p in active if p.status is ProjectStatus.ACTIVE]
    for index, company in companies.items():
        own = [p for p in active if p.company_id == company]
        foreign = [p for p in active if company is not None and p.company_id != company]
        if company is not None and own and foreign:
            return Clerk(dev_account(index), company, own[0].project_id, foreign[0].project_id)
    raise AssertionError("the portal's registry has no dev account of a company with an active project")


#: Chromium reports each 404 a page's fetch receives: the page asks for a new record until the indexer has it.
_POLLED_404 = "Failed to load resource: the server responded with a status of 404 (Not Found)"


def page_problems(tab: BrowserTab) -> list[str]:
    """The console errors, warnings and page errors of `tab`, but for the 404s of waiting for a record."""
    return [problem for problem in tab.problems if _POLLED_404 not in problem]
