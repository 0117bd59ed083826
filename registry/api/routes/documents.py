"""`/api/v1/documents`: the anchor book, every document the registry anchored (its first anchoring),
so that anyone can list what the copy claims is anchored and check each claim against the chain
(`rnd-registry audit-copy --kind document`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from registry.api.deps import Context
from registry.api.direct_lists import DirectList
from registry.api.exports import CSV_CONTENT, CsvQuery, ExportFormat, export_list
from registry.api.list_answers import answer_page
from registry.api.pagination import seek
from registry.api.parameters import (
    ACCOUNT_SPELLING,
    ADDRESS_PATTERN,
    Cursor,
    DateFrom,
    DateTo,
    Limit,
    account_param,
    day_range,
    page_size,
    sort_parameter,
)
from registry.api.schemas.common import ERROR_RESPONSES, Page
from registry.api.schemas.documents import AnchoredDocument
from registry.store.queries import evidence
from registry.store.queries.evidence import ANCHOR_SORTS, AnchorFilter

router = APIRouter(prefix="/api/v1/documents", tags=["evidence"])

DocumentSort = Annotated[str | None, sort_parameter(ANCHOR_SORTS, "time")]
AnchoredBy = Annotated[
    str | None,
    Query(alias="anchoredBy", pattern=ADDRESS_PATTERN,
          description="Only documents first anchored by this account (0x and 40 hex digits, any letter case)."),
    ACCOUNT_SPELLING,
]  # fmt: skip

_FILTERS_DOC = (
    "In anchoring order unless sorted `-time`; `from`/`to` compare the anchoring block's time (UTC days). "
    "A document in a batch only is not listed (see `/api/v1/batches`)."
)


async def _filter(anchored_by: AnchoredBy = None, start: DateFrom = None, end: DateTo = None) -> AnchorFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    first, after = day_range(start, end)
    return AnchorFilter(anchored_by=account_param(anchored_by), anchored_from=first,
                        anchored_before=after)  # fmt: skip


Filters = Annotated[AnchorFilter, Depends(_filter)]


@router.get(
    "",
    response_model=Page[AnchoredDocument],
    summary="List anchored documents",
    description=f"The anchor book: each document's SHA-256 and first anchoring, as the copy holds it. {_FILTERS_DOC}",
    responses=ERROR_RESPONSES,
)
async def list_documents(
    context: Context,
    wanted: Filters,
    sort: DocumentSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Response:
    position = seek(ANCHOR_SORTS, "time", sort, cursor, page_size(limit, context.settings))
    return await answer_page(context, evidence.anchors_query, wanted, position,
                     lambda r: AnchoredDocument.from_row(r, context.contracts()), AnchoredDocument)  # fmt: skip


@router.get(
    "/export",
    response_model=list[AnchoredDocument],
    summary="Export anchored documents (CSV or JSON)",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_documents(
    context: Context,
    *,
    export_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: Filters,
    sort: DocumentSort = None,
) -> object:
    order = seek(ANCHOR_SORTS, "time", sort, None, 1)
    return export_list(context.engine, evidence.anchors_query(wanted), order,
                       lambda r: AnchoredDocument.from_row(r, context.contracts()), AnchoredDocument,
                       name="documents", export_format=export_format, csv=csv)  # fmt: skip


DIRECT_LISTS = [DirectList.of(router, list_documents)]
