"""`/api/v1/commercialization-reports`: yearly commercialization figures of projects, with every step
of their verification."""

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
    MAX_ID,
    Company,
    CompanyName,
    Cursor,
    DateFrom,
    DateTo,
    Limit,
    ProgramId,
    ProjectId,
    company_name_param,
    company_param,
    day_range,
    page_size,
    sort_parameter,
)
from registry.api.schemas.common import ERROR_RESPONSES, NOT_FOUND_RESPONSE, Page
from registry.api.schemas.outcomes import CommercializationReport, CommercializationReportDetail, ReportStatusName
from registry.domain.enums import ObjectionSubject
from registry.store.queries import objections, outcomes
from registry.store.queries.outcomes import REPORT_SORTS, ReportFilter

router = APIRouter(prefix="/api/v1/commercialization-reports", tags=["commercialization"])

ReportSort = Annotated[str | None, sort_parameter(REPORT_SORTS, "id")]
Status = Annotated[ReportStatusName | None, Query(description="Only reports with this status.")]
ReportYear = Annotated[int | None, Query(ge=1, le=9999, description="Only figures for this year.", examples=[2022])]

_FILTERS_DOC = (
    "`year` is the year the figures are for; `from`/`to` compare when the report was recorded. Sorting by "
    "sales puts committed reports (figures hidden) first."
)


async def _filter(
    project: ProjectId = None,
    program: ProgramId = None,
    company: Company = None,
    company_name: CompanyName = None,
    year: ReportYear = None,
    status: Status = None,
    start: DateFrom = None,
    end: DateTo = None,
) -> ReportFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    first, after = day_range(start, end)
    return ReportFilter(project_id=project, program_id=program, company_id=company_param(company),
                        company_name=company_name_param(company_name), year=year,
                        status=status, recorded_from=first, recorded_before=after)  # fmt: skip


Filters = Annotated[ReportFilter, Depends(_filter)]


@router.get(
    "",
    response_model=Page[CommercializationReport],
    summary="List commercialization reports",
    description=f"Reports, by id unless `sort` says otherwise. {_FILTERS_DOC}",
    responses=ERROR_RESPONSES,
)
async def list_reports(
    context: Context,
    wanted: Filters,
    sort: ReportSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Response:
    position = seek(REPORT_SORTS, "id", sort, cursor, page_size(limit, context.settings))
    return await answer_page(context, outcomes.reports_query, wanted, position,
                     lambda r: CommercializationReport.from_row(r, context.contracts()),
                     CommercializationReport)  # fmt: skip


@router.get(
    "/export",
    response_model=list[CommercializationReport],
    summary="Export commercialization reports (CSV or JSON)",
    description=f"Every report matching the filters, as CSV (UTF-8 with BOM) or a JSON array. {_FILTERS_DOC}",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_reports(
    context: Context,
    *,
    export_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: Filters,
    sort: ReportSort = None,
) -> object:
    order = seek(REPORT_SORTS, "id", sort, None, 1)
    return export_list(context.engine, outcomes.reports_query(wanted), order,
                       lambda r: CommercializationReport.from_row(r, context.contracts()), CommercializationReport,
                       name="commercialization-reports", export_format=export_format, csv=csv)  # fmt: skip


async def report_detail(context: ApiContext, report_id: int) -> CommercializationReportDetail:
    """The answer of `get_report`, which the direct route gives too (registry/api/direct_routes.py)."""

    def answer() -> CommercializationReportDetail:
        with context.snapshot() as reader:
            row = outcomes.report(reader, report_id)
            if row is None:
                raise NotFound(f"no commercialization report {report_id}")
            steps = outcomes.report_steps(reader, report_id)
            contested = objections.objections_against(reader, ObjectionSubject.REPORT_DISPUTE, report_id)
            return CommercializationReportDetail.from_rows(row, steps, context.contracts(), contested)

    return await context.read(answer)


@router.get(
    "/{reportId}",
    response_model=CommercializationReportDetail,
    summary="One commercialization report, with its history",
    responses={**NOT_FOUND_RESPONSE, **ERROR_RESPONSES},
)
async def get_report(
    context: Context,
    report_id: Annotated[int, Path(alias="reportId", ge=1, le=MAX_ID, examples=[1])],
) -> CommercializationReportDetail:
    return await report_detail(context, report_id)


DIRECT_LOOKUPS = [DirectLookup.of(router, get_report)]
DIRECT_LISTS = [DirectList.of(router, list_reports)]
