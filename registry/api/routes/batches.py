"""`/api/v1/batches`: documents anchored together as Merkle roots."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from registry.api.deps import ApiContext, Context
from registry.api.direct_lists import DirectList
from registry.api.direct_routes import DirectLookup
from registry.api.errors import NotFound
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
    MerkleRoot,
    account_param,
    day_range,
    page_size,
    sort_parameter,
)
from registry.api.schemas.batches import EvidenceBatch
from registry.api.schemas.common import ERROR_RESPONSES, NOT_FOUND_RESPONSE, Page
from registry.evidence.hashing import hash_to_hex
from registry.store.queries import evidence
from registry.store.queries.evidence import BATCH_SORTS, BatchFilter

router = APIRouter(prefix="/api/v1/batches", tags=["evidence"])

BatchSort = Annotated[str | None, sort_parameter(BATCH_SORTS, "time")]
AnchoredBy = Annotated[
    str | None,
    Query(alias="anchoredBy", pattern=ADDRESS_PATTERN,
          description="Only batches anchored by this account (0x and 40 hex digits, any letter case)."),
    ACCOUNT_SPELLING,
]  # fmt: skip

_FILTERS_DOC = "In anchoring order unless sorted `-time`; `from`/`to` compare the anchoring block's time (UTC days)."


async def _filter(anchored_by: AnchoredBy = None, start: DateFrom = None, end: DateTo = None) -> BatchFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    first, after = day_range(start, end)
    return BatchFilter(anchored_by=account_param(anchored_by), anchored_from=first,
                       anchored_before=after)  # fmt: skip


Filters = Annotated[BatchFilter, Depends(_filter)]


@router.get(
    "",
    response_model=Page[EvidenceBatch],
    summary="List evidence batches",
    description=f"Merkle roots of document batches in the anchor book. {_FILTERS_DOC}",
    responses=ERROR_RESPONSES,
)
async def list_batches(
    context: Context,
    wanted: Filters,
    sort: BatchSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Response:
    position = seek(BATCH_SORTS, "time", sort, cursor, page_size(limit, context.settings))
    return await answer_page(context, evidence.batches_query, wanted, position,
                     lambda r: EvidenceBatch.from_row(r, context.contracts()), EvidenceBatch)  # fmt: skip


@router.get(
    "/export",
    response_model=list[EvidenceBatch],
    summary="Export evidence batches (CSV or JSON)",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_batches(
    context: Context,
    *,
    export_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: Filters,
    sort: BatchSort = None,
) -> object:
    order = seek(BATCH_SORTS, "time", sort, None, 1)
    return export_list(context.engine, evidence.batches_query(wanted), order,
                       lambda r: EvidenceBatch.from_row(r, context.contracts()), EvidenceBatch, name="batches",
                       export_format=export_format, csv=csv)  # fmt: skip


async def batch_detail(context: ApiContext, root: bytes) -> EvidenceBatch:
    """The answer of `get_batch`, which the direct route gives too (registry/api/direct_routes.py)."""

    def answer() -> EvidenceBatch:
        with context.snapshot() as reader:
            row = evidence.batch(reader, root)
            if row is None:
                raise NotFound(f"no batch with root {hash_to_hex(root)}")
            return EvidenceBatch.from_row(row, context.contracts())

    return await context.read(answer)


@router.get(
    "/{root}",
    response_model=EvidenceBatch,
    summary="One evidence batch",
    responses={**NOT_FOUND_RESPONSE, **ERROR_RESPONSES},
)
async def get_batch(
    context: Context,
    root: Annotated[
        MerkleRoot,
        Path(
            description="The Merkle root: 0x and 64 hex digits.",
            examples=["0x9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
        ),
    ],
) -> EvidenceBatch:
    return await batch_detail(context, root)


DIRECT_LOOKUPS = [DirectLookup.of(router, get_batch)]
DIRECT_LISTS = [DirectList.of(router, list_batches)]
