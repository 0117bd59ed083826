"""`/api/v1/milestones` and `/api/v1/projects/{projectId}/milestones/{milestoneIndex}`: milestones,
their payment tranches and every step of their review."""

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
    Year,
    company_name_param,
    company_param,
    day_range,
    page_size,
    sort_parameter,
)
from registry.api.schemas.common import ERROR_RESPONSES, NOT_FOUND_RESPONSE, Page
from registry.api.schemas.grants import Milestone, MilestoneDetail, MilestoneStatusName
from registry.domain.enums import ObjectionSubject
from registry.store.queries import grants, objections
from registry.store.queries.grants import MILESTONE_SORTS, MilestoneFilter

router = APIRouter(tags=["milestones"])

MilestoneSort = Annotated[str | None, sort_parameter(MILESTONE_SORTS, "id")]
Status = Annotated[MilestoneStatusName | None, Query(description="Only milestones with this status.")]

_FILTERS_DOC = (
    "`id` order is by project, then milestone index. `year` is the year of the project's program; "
    "`from`/`to` compare the milestone's due date (UTC days)."
)


async def _filter(
    project: ProjectId = None,
    program: ProgramId = None,
    year: Year = None,
    company: Company = None,
    company_name: CompanyName = None,
    status: Status = None,
    start: DateFrom = None,
    end: DateTo = None,
) -> MilestoneFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    first, after = day_range(start, end)
    return MilestoneFilter(project_id=project, program_id=program, year=year, company_id=company_param(company),
                           company_name=company_name_param(company_name),
                           status=status, due_from=first, due_before=after)  # fmt: skip


Filters = Annotated[MilestoneFilter, Depends(_filter)]


@router.get(
    "/api/v1/milestones",
    response_model=Page[Milestone],
    summary="List milestones",
    description=f"Milestones of every project, without their history (see one milestone for it). {_FILTERS_DOC}",
    responses=ERROR_RESPONSES,
)
async def list_milestones(
    context: Context,
    wanted: Filters,
    sort: MilestoneSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Response:
    position = seek(MILESTONE_SORTS, "id", sort, cursor, page_size(limit, context.settings))
    return await answer_page(context, grants.milestones_query, wanted, position,
                     lambda r: Milestone.from_row(r, context.contracts()), Milestone)  # fmt: skip


@router.get(
    "/api/v1/milestones/export",
    response_model=list[Milestone],
    summary="Export milestones (CSV or JSON)",
    description=f"Every milestone matching the filters, as CSV (UTF-8 with BOM) or a JSON array. {_FILTERS_DOC}",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_milestones(
    context: Context,
    *,
    export_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: Filters,
    sort: MilestoneSort = None,
) -> object:
    order = seek(MILESTONE_SORTS, "id", sort, None, 1)
    return export_list(context.engine, grants.milestones_query(wanted), order,
                       lambda r: Milestone.from_row(r, context.contracts()), Milestone, name="milestones",
                       export_format=export_format, csv=csv)  # fmt: skip


async def milestone_detail(context: ApiContext, project_id: int, milestone_index: int) -> MilestoneDetail:
    """The answer of `get_milestone`, which the direct route gives too (registry/api/direct_routes.py)."""

    def answer() -> MilestoneDetail:
        with context.snapshot() as reader:
            row = grants.milestone(reader, project_id, milestone_index)
            if row is None:
                raise NotFound(f"project {project_id} has no milestone {milestone_index}")
            steps = grants.milestone_steps(reader, project_id, milestone_index)
            evidence = grants.milestone_evidence(reader, project_id, milestone_index)
            contested = objections.objections_against(reader, ObjectionSubject.MILESTONE_REJECTION, project_id,
                                                      milestone_index)  # fmt: skip
            return MilestoneDetail.from_rows(row, steps, evidence, context.contracts(), contested)

    return await context.read(answer)


@router.get(
    "/api/v1/projects/{projectId}/milestones/{milestoneIndex}",
    response_model=MilestoneDetail,
    summary="One milestone, with its full history",
    description="Every step (planned, each submission with its evidence hashes, each approval or rejection with "
    "the auditor's document), oldest first, each with its provenance.",
    responses={**NOT_FOUND_RESPONSE, **ERROR_RESPONSES},
)
async def get_milestone(
    context: Context,
    project_id: Annotated[int, Path(alias="projectId", ge=1, le=MAX_ID, examples=[1])],
    milestone_index: Annotated[int, Path(alias="milestoneIndex", ge=0, le=MAX_ID, examples=[0])],
) -> MilestoneDetail:
    return await milestone_detail(context, project_id, milestone_index)


DIRECT_LOOKUPS = [DirectLookup.of(router, get_milestone)]
DIRECT_LISTS = [DirectList.of(router, list_milestones)]
