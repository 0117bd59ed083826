"""`/api/v1/objections`: companies' objections (이의신청) to milestone rejections, report disputes and
evaluations, each with the decision it contests and how an auditor other than the decider resolved it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from registry.api.deps import ApiContext, Context
from registry.api.errors import NotFound
from registry.api.exports import CSV_CONTENT, CsvQuery, ExportFormat, export_list
from registry.api.list_answers import answer_page
from registry.api.pagination import seek
from registry.api.parameters import (
    MAX_ID,
    Company,
    CompanyName,
    Cursor,
    Limit,
    ProgramId,
    ProjectId,
    Year,
    company_name_param,
    company_param,
    page_size,
    sort_parameter,
)
from registry.api.schemas.common import ERROR_RESPONSES, NOT_FOUND_RESPONSE, Page
from registry.api.schemas.objections import Objection, ObjectionStatusName, ObjectionSubjectName
from registry.store.queries import objections
from registry.store.queries.objections import OBJECTION_SORTS, ObjectionFilter

router = APIRouter(prefix="/api/v1/objections", tags=["objections"])

ObjectionSort = Annotated[str | None, sort_parameter(OBJECTION_SORTS, "id")]
SubjectQuery = Annotated[ObjectionSubjectName | None, Query(description="Only objections to this kind of decision.")]
StatusQuery = Annotated[
    ObjectionStatusName | None, Query(description="Only objections in this state (open: unresolved).")
]
_DOC = "`year` is the year of the project's program. An open objection to an evaluation holds its sanction."


async def _filter(
    project: ProjectId = None,
    program: ProgramId = None,
    year: Year = None,
    company: Company = None,
    company_name: CompanyName = None,
    subject: SubjectQuery = None,
    status: StatusQuery = None,
) -> ObjectionFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    return ObjectionFilter(project_id=project, program_id=program, year=year, company_id=company_param(company),
                           company_name=company_name_param(company_name),
                           subject=subject, status=status)  # fmt: skip


Filters = Annotated[ObjectionFilter, Depends(_filter)]


@router.get("", response_model=Page[Objection], summary="List objections", description=f"Objections, by id "
            f"unless `sort` says otherwise. {_DOC}", responses=ERROR_RESPONSES)  # fmt: skip
async def list_objections(
    context: Context, wanted: Filters, sort: ObjectionSort = None, cursor: Cursor = None, limit: Limit = None
) -> Response:
    position = seek(OBJECTION_SORTS, "id", sort, cursor, page_size(limit, context.settings))
    return await answer_page(context, objections.objections_query, wanted, position,
                             lambda r: Objection.from_row(r, context.contracts()), Objection)  # fmt: skip


@router.get(
    "/export",
    response_model=list[Objection],
    summary="Export objections (CSV or JSON)",
    description=f"Every objection matching the filters, as CSV (UTF-8 with BOM) or a JSON array. {_DOC}",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_objections(
    context: Context,
    *,
    export_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: Filters,
    sort: ObjectionSort = None,
) -> object:
    order = seek(OBJECTION_SORTS, "id", sort, None, 1)
    return export_list(context.engine, objections.objections_query(wanted), order,
                       lambda r: Objection.from_row(r, context.contracts()), Objection, name="objections",
                       export_format=export_format, csv=csv)  # fmt: skip


async def objection_detail(context: ApiContext, objection_id: int) -> Objection:
    def answer() -> Objection:
        with context.snapshot() as reader:
            row = objections.objection(reader, objection_id)
            if row is None:
                raise NotFound(f"no objection {objection_id}")
            return Objection.from_row(row, context.contracts())

    return await context.read(answer)


@router.get("/{objectionId}", response_model=Objection, summary="One objection",
            responses={**NOT_FOUND_RESPONSE, **ERROR_RESPONSES})  # fmt: skip
async def get_objection(
    context: Context,
    objection_id: Annotated[int, Path(alias="objectionId", ge=1, le=MAX_ID, examples=[1])],
) -> Objection:
    return await objection_detail(context, objection_id)
