"""`/api/v1/evaluations`: auditors' evaluations of projects, with clawbacks and participation
restrictions."""

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
from registry.api.schemas.grants import Evaluation, EvaluationDetail, GradeName
from registry.api.schemas.objections import SanctionStatusName
from registry.domain.enums import ObjectionSubject
from registry.store.queries import grants, objections
from registry.store.queries.grants import AUDIT_SORTS, AuditFilter

router = APIRouter(prefix="/api/v1/evaluations", tags=["evaluations"])

EvaluationSort = Annotated[str | None, sort_parameter(AUDIT_SORTS, "id")]
GradeQuery = Annotated[GradeName | None, Query(description="Only evaluations with this grade.")]
SanctionQuery = Annotated[
    SanctionStatusName | None,
    Query(description="Only evaluations whose sanction is in this state (pending: recorded, awaiting a second "
          "auditor's confirmation)."),
]  # fmt: skip

_FILTERS_DOC = "`year` is the year of the project's program; `from`/`to` compare when the evaluation was recorded."


async def _filter(
    project: ProjectId = None,
    program: ProgramId = None,
    year: Year = None,
    company: Company = None,
    company_name: CompanyName = None,
    grade: GradeQuery = None,
    sanction: SanctionQuery = None,
    start: DateFrom = None,
    end: DateTo = None,
) -> AuditFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    first, after = day_range(start, end)
    return AuditFilter(project_id=project, program_id=program, year=year, company_id=company_param(company),
                       company_name=company_name_param(company_name),
                       grade=grade, recorded_from=first, recorded_before=after, sanction=sanction)  # fmt: skip


Filters = Annotated[AuditFilter, Depends(_filter)]


@router.get(
    "",
    response_model=Page[Evaluation],
    summary="List evaluations (audits)",
    description=f"Evaluations, by id unless `sort` says otherwise. {_FILTERS_DOC}",
    responses=ERROR_RESPONSES,
)
async def list_evaluations(
    context: Context,
    wanted: Filters,
    sort: EvaluationSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Response:
    position = seek(AUDIT_SORTS, "id", sort, cursor, page_size(limit, context.settings))
    return await answer_page(context, grants.audits_query, wanted, position,
                     lambda r: Evaluation.from_row(r, context.contracts()), Evaluation)  # fmt: skip


@router.get(
    "/export",
    response_model=list[Evaluation],
    summary="Export evaluations (CSV or JSON)",
    description=f"Every evaluation matching the filters, as CSV (UTF-8 with BOM) or a JSON array. {_FILTERS_DOC}",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_evaluations(
    context: Context,
    *,
    export_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: Filters,
    sort: EvaluationSort = None,
) -> object:
    order = seek(AUDIT_SORTS, "id", sort, None, 1)
    return export_list(context.engine, grants.audits_query(wanted), order,
                       lambda r: Evaluation.from_row(r, context.contracts()), Evaluation, name="evaluations",
                       export_format=export_format, csv=csv)  # fmt: skip


async def evaluation_detail(context: ApiContext, audit_id: int) -> EvaluationDetail:
    """The answer of `get_evaluation`, which the direct route gives too (registry/api/direct_routes.py)."""

    def answer() -> EvaluationDetail:
        with context.snapshot() as reader:
            row = grants.audit(reader, audit_id)
            if row is None:
                raise NotFound(f"no evaluation {audit_id}")
            confirmations = objections.sanction_confirmations_of(reader, audit_id)
            contested = objections.objections_against(reader, ObjectionSubject.EVALUATION, audit_id)
            return EvaluationDetail.from_rows(row, confirmations, contested, context.contracts())

    return await context.read(answer)


@router.get(
    "/{auditId}",
    response_model=EvaluationDetail,
    summary="One evaluation, with its sanction's confirmations and the objections to it",
    responses={**NOT_FOUND_RESPONSE, **ERROR_RESPONSES},
)
async def get_evaluation(
    context: Context,
    audit_id: Annotated[int, Path(alias="auditId", ge=1, le=MAX_ID, examples=[1])],
) -> EvaluationDetail:
    return await evaluation_detail(context, audit_id)


DIRECT_LOOKUPS = [DirectLookup.of(router, get_evaluation)]
DIRECT_LISTS = [DirectList.of(router, list_evaluations)]
