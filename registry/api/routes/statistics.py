"""`/api/v1/statistics`: figures per program and year, per year, and per company, with CSV and JSON
exports of each list.

Every figure is counted from the indexed database at the moment `asOf` (now unless asked): a
milestone is overdue if its due date is before it and it is not approved. Amounts are exact won.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from itertools import groupby
from typing import Annotated, TypeVar

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from sqlalchemy import Connection, select
from starlette.concurrency import run_in_threadpool

from registry.api.deps import ApiContext, Context
from registry.api.errors import NotFound
from registry.api.exports import CSV_CONTENT, ExportFormat, export_items
from registry.api.parameters import MAX_ID, Year, company_param
from registry.api.schemas.common import ERROR_RESPONSES, NOT_FOUND_RESPONSE
from registry.api.schemas.statistics import CompanyStatistics, ProgramStatistics, Statistics, YearStatistics
from registry.store import statistics as figures
from registry.store.schema import indexer_state

router = APIRouter(prefix="/api/v1/statistics", tags=["statistics"])

AsOf = Annotated[
    datetime | None,
    Query(
        alias="asOf",
        description="The moment the figures hold for, ISO 8601 (a date means its midnight, UTC); now unless given. "
        "A milestone is overdue if its due date is before it and it is not approved.",
        examples=["2022-06-30"],
    ),
]
Format = Annotated[ExportFormat, Query(alias="format", description="csv (UTF-8 with BOM) or json.")]
ProgramId = Annotated[int | None, Query(alias="program", ge=1, le=MAX_ID, description="Only this program.")]

ModelT = TypeVar("ModelT", bound=BaseModel)


def _moment(as_of: datetime | None) -> int:
    if as_of is None:
        return int(datetime.now(UTC).timestamp())
    return int((as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)).timestamp())


async def _read(context: ApiContext, read: Callable[[Connection], list[ModelT]]) -> tuple[list[ModelT], int | None]:
    """Runs `read` on a connection in a worker thread: aggregating a large registry takes a while."""

    def run() -> tuple[list[ModelT], int | None]:
        with context.engine.connect() as connection:
            return read(connection), indexed_block(connection)

    return await run_in_threadpool(run)


def indexed_block(connection: Connection) -> int | None:
    found = connection.execute(select(indexer_state.c.indexed_block)).scalar()
    return None if found is None else int(found)


def _programs(moment: int, year: int | None, program: int | None) -> Callable[[Connection], list[ProgramStatistics]]:
    def read(connection: Connection) -> list[ProgramStatistics]:
        found = figures.program_statistics(connection, as_of=moment, year=year, program_id=program)
        return [ProgramStatistics.of(p) for p in found]

    return read


def _years(moment: int, year: int | None) -> Callable[[Connection], list[YearStatistics]]:
    def read(connection: Connection) -> list[YearStatistics]:
        found = sorted(figures.program_statistics(connection, as_of=moment, year=year), key=lambda p: p.year)
        return [YearStatistics.of(y, list(group)) for y, group in groupby(found, key=lambda p: p.year)]

    return read


def _companies(moment: int, company: bytes | None) -> Callable[[Connection], list[CompanyStatistics]]:
    def read(connection: Connection) -> list[CompanyStatistics]:
        found = figures.company_statistics(connection, as_of=moment, company_id=company)
        return [CompanyStatistics.of(c, moment) for c in found]

    return read


def _statistics(moment: int, items: list[ModelT], indexed: int | None) -> Statistics[ModelT]:
    return Statistics[ModelT](as_of=datetime.fromtimestamp(moment, UTC), indexed_block=indexed, items=items)


_PROGRAMS_DOC = (
    "Per grant program (each belongs to one year): budget, granted, projects, milestones approved, rejected "
    "and overdue, standing outcomes by type, commercialization totals and clawbacks."
)


@router.get(
    "/programs",
    response_model=Statistics[ProgramStatistics],
    summary="Statistics per program and year",
    description=_PROGRAMS_DOC,
    responses=ERROR_RESPONSES,
)
async def program_statistics(
    context: Context, year: Year = None, program: ProgramId = None, as_of: AsOf = None
) -> Statistics[ProgramStatistics]:
    moment = _moment(as_of)
    items, indexed = await _read(context, _programs(moment, year, program))
    return _statistics(moment, items, indexed)


@router.get(
    "/programs/export",
    response_model=list[ProgramStatistics],
    summary="Export statistics per program and year (CSV or JSON)",
    description=_PROGRAMS_DOC,
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_program_statistics(
    context: Context, export_format: Format = ExportFormat.CSV, year: Year = None, program: ProgramId = None,
    as_of: AsOf = None,
) -> StreamingResponse:  # fmt: skip
    items, _ = await _read(context, _programs(_moment(as_of), year, program))
    return export_items(iter(items), ProgramStatistics, name="program-statistics", export_format=export_format)


_YEARS_DOC = "The programs of each year added up (a program's year is the one it was opened for)."


@router.get(
    "/years",
    response_model=Statistics[YearStatistics],
    summary="Statistics per year",
    description=_YEARS_DOC,
    responses=ERROR_RESPONSES,
)
async def year_statistics(context: Context, year: Year = None, as_of: AsOf = None) -> Statistics[YearStatistics]:
    moment = _moment(as_of)
    items, indexed = await _read(context, _years(moment, year))
    return _statistics(moment, items, indexed)


@router.get(
    "/years/export",
    response_model=list[YearStatistics],
    summary="Export statistics per year (CSV or JSON)",
    description=_YEARS_DOC,
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_year_statistics(
    context: Context, export_format: Format = ExportFormat.CSV, year: Year = None, as_of: AsOf = None
) -> StreamingResponse:
    items, _ = await _read(context, _years(_moment(as_of), year))
    return export_items(iter(items), YearStatistics, name="year-statistics", export_format=export_format)


_COMPANIES_DOC = (
    "Per company (known on chain by the hash of its business registration number), across programs: grants, "
    "milestones, standing outcomes by type, commercialization totals, clawbacks and restrictions."
)


@router.get(
    "/companies",
    response_model=Statistics[CompanyStatistics],
    summary="Statistics per company",
    description=_COMPANIES_DOC,
    responses=ERROR_RESPONSES,
)
async def company_statistics(context: Context, as_of: AsOf = None) -> Statistics[CompanyStatistics]:
    moment = _moment(as_of)
    items, indexed = await _read(context, _companies(moment, None))
    return _statistics(moment, items, indexed)


@router.get(
    "/companies/export",
    response_model=list[CompanyStatistics],
    summary="Export statistics per company (CSV or JSON)",
    description=_COMPANIES_DOC,
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_company_statistics(
    context: Context, export_format: Format = ExportFormat.CSV, as_of: AsOf = None
) -> StreamingResponse:
    items, _ = await _read(context, _companies(_moment(as_of), None))
    return export_items(iter(items), CompanyStatistics, name="company-statistics", export_format=export_format)


@router.get(
    "/companies/{company}",
    response_model=CompanyStatistics,
    summary="Statistics of one company",
    description=_COMPANIES_DOC,
    responses={**NOT_FOUND_RESPONSE, **ERROR_RESPONSES},
)
async def one_company_statistics(
    context: Context,
    company: Annotated[
        str,
        Path(
            max_length=100,
            description="The company id (0x and 64 hex digits) or its business registration number "
            "(131-81-10001 or 1318110001), from which the id is computed.",
            examples=["131-81-10001"],
        ),
    ],
    as_of: AsOf = None,
) -> CompanyStatistics:
    wanted = company_param(company)
    assert wanted is not None
    moment = _moment(as_of)
    items, _ = await _read(context, _companies(moment, wanted))
    if not items:
        raise NotFound(f"company: no project or account of company {company} is registered", parameter="company")
    return items[0]
