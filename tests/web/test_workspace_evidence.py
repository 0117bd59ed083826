"""The workspace's evidence script (static/workspace/evidence.js) in Chromium: the publication message it signs is
the text registry/evidence/publishing.py builds, its SHA-256 is hashlib's of the same bytes, and a document it
publishes (signed by a registry account in the page) is served back byte for byte."""

from __future__ import annotations

import hashlib
import secrets

from registry.chain.devkeys import dev_account
from registry.evidence.publishing import publication_message
from tests.api.conftest import IndexedRegistry
from tests.web.conftest import BrowserTab

AUDITOR = dev_account(1)
#: A signer as evidence.publish takes one (as workspace.signer is), made of an ethers Wallet.
SIGNER_OF = (
    "window.signerOf = (w) => ({ current: () => ({ address: w.address }), signMessage: (t) => w.signMessage(t) })"
)


def open_evidence(tab: BrowserTab) -> None:
    tab.visit("/workspace?lang=en")
    tab.page.add_script_tag(url="/static/workspace/evidence.js")
    tab.page.wait_for_function("window.RndWorkspace && window.RndWorkspace.evidence", timeout=60_000)
    tab.page.evaluate(SIGNER_OF)


def test_the_page_signs_the_same_publication_message_as_python_builds(
    desktop: BrowserTab, indexed: IndexedRegistry
) -> None:
    open_evidence(desktop)
    cases = [
        (hashlib.sha256(b"note").hexdigest(), indexed.manifest.chain_id, indexed.client.grants.address),
        ("0x" + "AB" * 32, 2021, indexed.client.grants.address.lower()),
        ("00" * 31 + "01", 1, "0x000000000000000000000000000000000000dead"),
    ]
    for sha256, chain_id, registry in cases:
        text = desktop.page.evaluate(
            "([sha256, chainId, registry]) => RndWorkspace.evidence.publicationMessage(sha256, chainId, registry)",
            [sha256, chain_id, registry],
        )
        assert text == publication_message(bytes.fromhex(sha256.removeprefix("0x")), chain_id, registry)


def test_the_page_hashes_the_same_bytes_as_python(desktop: BrowserTab) -> None:
    open_evidence(desktop)
    data = bytes(range(256)) * 3 + "검토 의견".encode()
    hashed = desktop.page.evaluate(
        """async (data) => {
            const bytes = new Uint8Array(data);
            const e = RndWorkspace.evidence;
            return [await e.sha256Hex(bytes), await e.sha256Hex(bytes.buffer), await e.sha256Hex(new Blob([bytes])),
                    await e.sha256Hex(new File([bytes], "n.txt"))];
        }""",
        list(data),
    )
    assert hashed == [hashlib.sha256(data).hexdigest()] * 4


def test_a_note_published_from_the_page_is_served_back_byte_for_byte(desktop: BrowserTab) -> None:
    open_evidence(desktop)
    note = f"검토 의견 {secrets.token_hex(8)}: 3쪽에 직인이 빠졌습니다.\n"
    published = desktop.page.evaluate(
        """async ([note, key]) => {
            const wallet = new ethers.Wallet(key);
            const bytes = new TextEncoder().encode(note);
            const asked = { bytes, name: "검토의견.txt", contentType: "text/plain", signer: signerOf(wallet) };
            const first = await RndWorkspace.evidence.publish(asked);
            const again = await RndWorkspace.evidence.publish(asked);
            const served = first.ok ? await (await fetch(first.url)).text() : null;
            return { first, again, served };
        }""",
        [note, "0x" + AUDITOR.key.hex()],
    )
    digest = hashlib.sha256(note.encode()).hexdigest()
    assert published["first"]["ok"] is True, published
    assert (published["first"]["status"], published["again"]["status"]) == (201, 200)
    assert published["first"]["url"] == f"/api/v1/documents/0x{digest}"
    assert published["served"] == note


def test_a_refusal_reaches_the_page_with_its_reason_and_message(desktop: BrowserTab) -> None:
    open_evidence(desktop)
    answer = desktop.page.evaluate(
        """async () => {
            const wallet = ethers.Wallet.createRandom();
            const bytes = new TextEncoder().encode("x");
            return RndWorkspace.evidence.publish({ bytes, name: "x.txt", signer: signerOf(wallet) });
        }"""
    )
    assert answer["ok"] is False and answer["url"] is None
    assert (answer["status"], answer["reason"]) == (403, "not-registry-account")
    assert "holds no role in this registry" in answer["message"]
