"""Every record page offers its record's receipt and a QR code of itself: the receipt link leads to
the API's receipt of the record the page shows; a path that shows no record is a clear 404."""

from __future__ import annotations

from fastapi.testclient import TestClient

from registry.checking.receipts import RecordReceipt, parse_receipt
from registry.web.pages.receipts import receipt_location
from tests.web.conftest import ReviewedMilestone


def test_every_record_page_links_its_receipt_and_a_qr_code_of_itself(
    client: TestClient, reviewed: ReviewedMilestone
) -> None:
    for page in ("/programs/1", "/projects/1", reviewed.path, "/outcomes/1", "/reports/1", "/evaluations/1"):
        html = client.get(page).text
        assert f'href="/receipt?page={page}"' in html, page
        assert f'src="/qr.svg?path={page}"' in html, page
        receipt = client.get("/receipt", params={"page": page})
        assert receipt.status_code == 200, (page, receipt.text)
        parsed = parse_receipt(receipt.content)
        assert isinstance(parsed, RecordReceipt)
        assert parsed.verify_url is not None and parsed.verify_url.endswith(page)


def test_the_receipt_of_a_milestone_page_is_that_milestones() -> None:
    assert receipt_location("/projects/3/milestones/2") == "/api/v1/receipts/milestone?projectId=3&milestoneIndex=2"
    assert receipt_location("/batches/0x" + "ab" * 32) == "/api/v1/receipts/batch?root=0x" + "ab" * 32
    assert receipt_location("/members") is None
    assert receipt_location("/projects/1/../../etc") is None


def test_a_page_that_shows_no_record_has_no_receipt(client: TestClient) -> None:
    response = client.get("/receipt", params={"page": "/dashboard"})
    assert response.status_code == 404
    assert "/dashboard" in response.text
