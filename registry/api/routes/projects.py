"""`/api/v1/projects`: grant agreements, with their status changes."""

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
    Year,
    company_name_param,
    company_param,
    day_range,
    page_size,
    sort_parameter,
)
from registry.api.schemas.common import ERROR_RESPONSES, NOT_FOUND_RESPONSE, Page
from registry.api.schemas.grants import Project, ProjectDetail, ProjectStatusName
from registry.domain.deadlines import now_seconds
from registry.store import statistics
from registry.store.queries import grants
from registry.store.queries.grants import PROJECT_SORTS, ProjectFilter

router = APIRouter(prefix="/api/v1/projects", tags=["projects"])

ProjectSort = Annotated[str | None, sort_parameter(PROJECT_SORTS, "id")]
Status = Annotated[ProjectStatusName | None, Query(description="Only projects with this status.")]

_FILTERS_DOC = (
    "`year` is the year of the project's program; `from`/`to` compare the project's start date (UTC days); "
    "`companyName` finds the projects of companies whose name contains it."
)


async def _filter(
    program: ProgramId = None,
    year: Year = None,
    company: Company = None,
    company_name: CompanyName = None,
    status: Status = None,
    start: DateFrom = None,
    end: DateTo = None,
) -> ProjectFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    first, after = day_range(start, end)
    return ProjectFilter(program_id=program, year=year, company_id=company_param(company), status=status,
                         start_from=first, start_before=after,
                         company_name=company_name_param(company_name))  # fmt: skip


Filters = Annotated[ProjectFilter, Depends(_filter)]


@router.get(
    "",
    response_model=Page[Project],
    summary="List projects (grant agreements)",
    description=f"Projects, by id unless `sort` says otherwise. {_FILTERS_DOC}",
    responses=ERROR_RESPONSES,
)
async def list_projects(
    context: Context,
    wanted: Filters,
    sort: ProjectSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Response:
    position = seek(PROJECT_SORTS, "id", sort, cursor, page_size(limit, context.settings))
    return await answer_page(context, grants.projects_query, wanted, position,
                     lambda r: Project.from_row(r, context.contracts()), Project)  # fmt: skip


@router.get(
    "/export",
    response_model=list[Project],
    summary="Export projects (CSV or JSON)",
    description=f"Every project matching the filters, as CSV (UTF-8 with BOM) or a JSON array. {_FILTERS_DOC}",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_projects(
    context: Context,
    *,
    export_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: Filters,
    sort: ProjectSort = None,
) -> object:
    order = seek(PROJECT_SORTS, "id", sort, None, 1)
    return export_list(context.engine, grants.projects_query(wanted), order,
                       lambda r: Project.from_row(r, context.contracts()), Project, name="projects",
                       export_format=export_format, csv=csv)  # fmt: skip


async def project_detail(context: ApiContext, project_id: int) -> ProjectDetail:
    """The answer of `get_project`, which the direct route gives too (registry/api/direct_routes.py)."""

    def answer() -> ProjectDetail:
        with context.snapshot() as reader:
            row = grants.project(reader, project_id)
            if row is None:
                raise NotFound(f"no project {project_id}")
            changes = grants.project_status_history(reader, project_id)
            results = statistics.project_results(reader, project_id)
            follow_up = statistics.project_follow_up(reader, row, now_seconds())
            return ProjectDetail.from_rows(row, changes, context.contracts(), results, follow_up)

    return await context.read(answer)


@router.get(
    "/{projectId}",
    response_model=ProjectDetail,
    summary="One project, with its status changes",
    responses={**NOT_FOUND_RESPONSE, **ERROR_RESPONSES},
)
async def get_project(
    context: Context,
    project_id: Annotated[int, Path(alias="projectId", ge=1, le=MAX_ID, examples=[1])],
) -> ProjectDetail:
    return await project_detail(context, project_id)


DIRECT_LOOKUPS = [DirectLookup.of(router, get_project)]
DIRECT_LISTS = [DirectList.of(router, list_projects)]
