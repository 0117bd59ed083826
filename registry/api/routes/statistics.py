"""`/api/v1/statistics`: figures per program and year, per year, and per company, with CSV and JSON
exports of each list.

Every figure is counted from the indexed database at the moment `asOf` (now unless asked): a
milestone is overdue once its due day ended before it while it waits for the company (planned, or
rejected and not resubmitted) in an active project (registry.domain.deadlines). Amounts are exact won.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from itertools import groupby
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Path, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from registry.api.deps import ApiContext, Context
from registry.api.errors import NotFound
from registry.api.exports import CSV_CONTENT, CsvQuery, ExportFormat, export_items
from registry.api.parameters import COMPANY_PATTERN, COMPANY_SPELLING, MAX_ID, Moment, Year, company_param
from registry.api.schemas.common import ERROR_RESPONSES, NOT_FOUND_RESPONSE
from registry.api.schemas.statistics import (
    CompanyStatistics,
    ProgramStatistics,
    ReportYearStatistics,
    Statistics,
    YearStatistics,
)
from registry.api.statistics_cache import Figures
from registry.store import statistics as figures

router = APIRouter(prefix="/api/v1/statistics", tags=["statistics"])

AsOf = Annotated[
    Moment | None,
    Query(
        alias="asOf",
        description="The moment the figures hold for: a day (its midnight, UTC) or a time with its offset "
        "(2022-06-30T09:00:00Z), within the years 1 to 9999 in UTC; now unless given. "
        "A milestone is overdue once its due day ended before it while it waits for the company (planned, or "
        "rejected and not resubmitted) in an active project.",
        examples=["2022-06-30"],
    ),
]
Format = Annotated[ExportFormat, Query(alias="format", description="csv (UTF-8 with BOM) or json.")]
ProgramId = Annotated[int | None, Query(alias="program", ge=1, le=MAX_ID, description="Only this program.")]

ModelT = TypeVar("ModelT", bound=BaseModel)


def _moment(as_of: datetime | None) -> int | None:
    """Unix seconds of `as_of`; None for now (the statistics cache decides when now is)."""
    if as_of is None:
        return None
    return int((as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)).timestamp())


async def _programs(
    context: ApiContext, as_of: datetime | None, year: int | None = None, program: int | None = None
) -> Figures[list[figures.ProgramStatistics]]:
    # In a worker thread: adding up a large registry takes a while.
    return await run_in_threadpool(partial(context.statistics.programs, _moment(as_of), year=year, program_id=program))


async def _companies(
    context: ApiContext, as_of: datetime | None, company: bytes | None = None
) -> Figures[list[figures.CompanyStatistics]]:
    return await run_in_threadpool(partial(context.statistics.companies, _moment(as_of), company_id=company))


def _by_program(computed: Figures[list[figures.ProgramStatistics]]) -> list[ProgramStatistics]:
    return computed.view("api programs", lambda c: [ProgramStatistics.of(p) for p in c.value])


def _by_year(computed: Figures[list[figures.ProgramStatistics]]) -> list[YearStatistics]:
    def make(c: Figures[list[figures.ProgramStatistics]]) -> list[YearStatistics]:
        ordered = sorted(c.value, key=lambda p: p.year)
        return [YearStatistics.of(y, list(group)) for y, group in groupby(ordered, key=lambda p: p.year)]

    return computed.view("api years", make)


def _by_company(computed: Figures[list[figures.CompanyStatistics]]) -> list[CompanyStatistics]:
    return computed.view("api companies", lambda c: [CompanyStatistics.of(one, c.as_of) for one in c.value])


def _statistics(computed: Figures[Any], items: list[ModelT]) -> Statistics[ModelT]:
    return Statistics[ModelT](
        as_of=datetime.fromtimestamp(computed.as_of, UTC), indexed_block=computed.indexed_block, items=items
    )


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
    computed = await _programs(context, as_of, year, program)
    return _statistics(computed, _by_program(computed))


@router.get(
    "/programs/export",
    response_model=list[ProgramStatistics],
    summary="Export statistics per program and year (CSV or JSON)",
    description=_PROGRAMS_DOC,
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_program_statistics(
    context: Context, csv: CsvQuery, export_format: Format = ExportFormat.CSV, year: Year = None,
    program: ProgramId = None, as_of: AsOf = None,
) -> StreamingResponse:  # fmt: skip
    items = _by_program(await _programs(context, as_of, year, program))
    return export_items(iter(items), ProgramStatistics, name="program-statistics", export_format=export_format,
                        csv=csv)  # fmt: skip


_YEARS_DOC = "The programs of each year added up (a program's year is the one it was opened for)."


@router.get(
    "/years",
    response_model=Statistics[YearStatistics],
    summary="Statistics per year",
    description=_YEARS_DOC,
    responses=ERROR_RESPONSES,
)
async def year_statistics(context: Context, year: Year = None, as_of: AsOf = None) -> Statistics[YearStatistics]:
    computed = await _programs(context, as_of, year)
    return _statistics(computed, _by_year(computed))


@router.get(
    "/years/export",
    response_model=list[YearStatistics],
    summary="Export statistics per year (CSV or JSON)",
    description=_YEARS_DOC,
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_year_statistics(
    context: Context, csv: CsvQuery, export_format: Format = ExportFormat.CSV, year: Year = None,
    as_of: AsOf = None,
) -> StreamingResponse:
    items = _by_year(await _programs(context, as_of, year))
    return export_items(iter(items), YearStatistics, name="year-statistics", export_format=export_format,
                        csv=csv)  # fmt: skip


_REPORT_YEARS_DOC = (
    "Commercialization per year the figures are for (a report's own year, not its program's): reports by "
    "status, and sales, investment, royalties and jobs of the counted ones. `year` keeps the programs of that year."
)


async def _report_years(
    context: ApiContext, as_of: datetime | None, year: int | None
) -> Figures[list[figures.ReportYearStatistics]]:
    return await run_in_threadpool(partial(context.statistics.report_years, _moment(as_of), program_year=year))


def _by_report_year(computed: Figures[list[figures.ReportYearStatistics]]) -> list[ReportYearStatistics]:
    return computed.view("api report years", lambda c: [ReportYearStatistics.of(one) for one in c.value])


@router.get(
    "/commercialization",
    response_model=Statistics[ReportYearStatistics],
    summary="Commercialization per report year",
    description=_REPORT_YEARS_DOC,
    responses=ERROR_RESPONSES,
)
async def report_year_statistics(
    context: Context, year: Year = None, as_of: AsOf = None
) -> Statistics[ReportYearStatistics]:
    computed = await _report_years(context, as_of, year)
    return _statistics(computed, _by_report_year(computed))


@router.get(
    "/commercialization/export",
    response_model=list[ReportYearStatistics],
    summary="Export commercialization per report year (CSV or JSON)",
    description=_REPORT_YEARS_DOC,
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_report_year_statistics(
    context: Context, csv: CsvQuery, export_format: Format = ExportFormat.CSV, year: Year = None,
    as_of: AsOf = None,
) -> StreamingResponse:
    items = _by_report_year(await _report_years(context, as_of, year))
    return export_items(iter(items), ReportYearStatistics, name="commercialization-statistics",
                        export_format=export_format, csv=csv)  # fmt: skip


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
    computed = await _companies(context, as_of)
    return _statistics(computed, _by_company(computed))


@router.get(
    "/companies/export",
    response_model=list[CompanyStatistics],
    summary="Export statistics per company (CSV or JSON)",
    description=_COMPANIES_DOC,
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_company_statistics(
    context: Context, csv: CsvQuery, export_format: Format = ExportFormat.CSV, as_of: AsOf = None
) -> StreamingResponse:
    items = _by_company(await _companies(context, as_of))
    return export_items(iter(items), CompanyStatistics, name="company-statistics", export_format=export_format,
                        csv=csv)  # fmt: skip


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
            pattern=COMPANY_PATTERN,
            description="The company id (0x and 64 hex digits) or its business registration number "
            "(131-81-10001 or 1318110001), from which the id is computed.",
            examples=["131-81-10001"],
        ),
        COMPANY_SPELLING,
    ],
    as_of: AsOf = None,
) -> CompanyStatistics:
    wanted = company_param(company)
    assert wanted is not None
    items = _by_company(await _companies(context, as_of, wanted))
    if not items:
        raise NotFound(f"company: no project or account of company {company} is registered", parameter="company")
    return items[0]
