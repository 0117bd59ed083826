"""`GET /receipt?page=<a record page's path>`: the receipt of the record a page shows, so that every
record page can offer "download the receipt" by its own path; it leads to the API's receipt
(`/api/v1/receipts/{kind}?<key>`), which is the one place receipts are made."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query, Request
from starlette.responses import RedirectResponse, Response

from registry.web.errors import error_page
from registry.web.routing import page_router

router = page_router()

#: A record page's path, and the receipt kind and key fields it shows.
RECORD_PAGES: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (re.compile(r"/programs/([1-9][0-9]{0,9})"), "program", ("programId",)),
    (re.compile(r"/projects/([1-9][0-9]{0,9})"), "project", ("projectId",)),
    (
        re.compile(r"/projects/([1-9][0-9]{0,9})/milestones/(0|[1-9][0-9]{0,9})"),
        "milestone",
        ("projectId", "milestoneIndex"),
    ),
    (re.compile(r"/outcomes/([1-9][0-9]{0,9})"), "outcome", ("outcomeId",)),
    (re.compile(r"/reports/([1-9][0-9]{0,9})"), "report", ("reportId",)),
    (re.compile(r"/evaluations/([1-9][0-9]{0,9})"), "evaluation", ("auditId",)),
    (re.compile(r"/batches/(0x[0-9a-fA-F]{64})"), "batch", ("root",)),
]


def receipt_location(page: str) -> str | None:
    """The API address of the receipt of the record shown at `page`; None if it shows no such record."""
    for pattern, kind, fields in RECORD_PAGES:
        found = pattern.fullmatch(page)
        if found is not None:
            return f"/api/v1/receipts/{kind}?" + urlencode(dict(zip(fields, found.groups(), strict=True)))
    return None


@router.get("/receipt")
def receipt_of_page(request: Request, page: Annotated[str, Query(max_length=200)]) -> Response:
    location = receipt_location(page)
    if location is None:
        return error_page(request, 404, "receipt.no_record", page=page)
    return RedirectResponse(location, status_code=307)
