"""`/api/v1/programs`: grant programs, their budgets and what they granted."""

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
from registry.api.parameters import MAX_ID, Cursor, DateFrom, DateTo, Limit, Year, day_range, page_size, sort_parameter
from registry.api.schemas.common import ERROR_RESPONSES, NOT_FOUND_RESPONSE, Page
from registry.api.schemas.grants import Program, ProgramStatusName
from registry.store.queries import grants
from registry.store.queries.grants import PROGRAM_SORTS, ProgramFilter

router = APIRouter(prefix="/api/v1/programs", tags=["programs"])

ProgramSort = Annotated[str | None, sort_parameter(PROGRAM_SORTS, "id")]
Status = Annotated[ProgramStatusName | None, Query(description="Only programs with this status.")]

_FILTERS_DOC = "`from`/`to` compare the day the program was opened (its ProgramCreated block's time, UTC)."


async def _filter(
    year: Year = None,
    status: Status = None,
    start: DateFrom = None,
    end: DateTo = None,
) -> ProgramFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    first, after = day_range(start, end)
    return ProgramFilter(year=year, status=status, created_from=first, created_before=after)


Filters = Annotated[ProgramFilter, Depends(_filter)]


@router.get(
    "",
    response_model=Page[Program],
    summary="List grant programs",
    description=f"Programs, by id unless `sort` says otherwise. {_FILTERS_DOC}",
    responses=ERROR_RESPONSES,
)
async def list_programs(
    context: Context,
    wanted: Filters,
    sort: ProgramSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Response:
    position = seek(PROGRAM_SORTS, "id", sort, cursor, page_size(limit, context.settings))
    return await answer_page(context, grants.programs_query, wanted, position,
                     lambda r: Program.from_row(r, context.contracts()), Program)  # fmt: skip


@router.get(
    "/export",
    response_model=list[Program],
    summary="Export grant programs (CSV or JSON)",
    description=f"Every program matching the filters, as CSV (UTF-8 with BOM) or a JSON array. {_FILTERS_DOC}",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_programs(
    context: Context,
    *,
    export_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: Filters,
    sort: ProgramSort = None,
) -> object:
    order = seek(PROGRAM_SORTS, "id", sort, None, 1)
    return export_list(context.engine, grants.programs_query(wanted), order,
                       lambda r: Program.from_row(r, context.contracts()), Program, name="programs",
                       export_format=export_format, csv=csv)  # fmt: skip


async def program_detail(context: ApiContext, program_id: int) -> Program:
    """The answer of `get_program`, which the direct route gives too (registry/api/direct_routes.py)."""

    def answer() -> Program:
        with context.snapshot() as reader:
            row = grants.program(reader, program_id)
            if row is None:
                raise NotFound(f"no program {program_id}")
            return Program.from_row(row, context.contracts())

    return await context.read(answer)


@router.get(
    "/{programId}",
    response_model=Program,
    summary="One grant program",
    responses={**NOT_FOUND_RESPONSE, **ERROR_RESPONSES},
)
async def get_program(
    context: Context,
    program_id: Annotated[int, Path(alias="programId", ge=1, le=MAX_ID, examples=[1])],
) -> Program:
    return await program_detail(context, program_id)


DIRECT_LOOKUPS = [DirectLookup.of(router, get_program)]
DIRECT_LISTS = [DirectList.of(router, list_programs)]
