"""`/api/v1/outcomes` and `/api/v1/ip-status-changes`: R&D outcomes with their corrections,
revocations and intellectual-property status."""

from __future__ import annotations

from typing import Annotated, Literal

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
from registry.api.schemas.outcomes import IpStatusChange, IpStatusName, Outcome, OutcomeDetail, OutcomeTypeName
from registry.store.folding import contains_pattern
from registry.store.queries import outcomes
from registry.store.queries.outcomes import IP_CHANGE_SORTS, OUTCOME_SORTS, IpChangeFilter, OutcomeFilter

router = APIRouter(tags=["outcomes"])

OutcomeSort = Annotated[str | None, sort_parameter(OUTCOME_SORTS, "id")]
OutcomeTypeQuery = Annotated[OutcomeTypeName | None, Query(alias="type", description="Only outcomes of this type.")]
IpStatusQuery = Annotated[
    IpStatusName | None, Query(alias="ipStatus", description="Only outcomes with this IP status.")
]
Revoked = Annotated[bool | None, Query(description="true: only revoked outcomes; false: only standing ones.")]
Versions = Annotated[
    Literal["current", "all", "superseded"],
    Query(description="Which versions of corrected outcomes: current (the default) leaves out those a correction "
          "replaced (their amendedBy names it); all lists both; superseded only the replaced ones."),
]  # fmt: skip
SciIndexed = Annotated[
    bool | None, Query(alias="sciIndexed", description="true: only papers in SCI(E)-indexed journals; false: others.")
]
Country = Annotated[
    str | None,
    Query(pattern="^[A-Za-z]{2}$", description="Only outcomes whose details name this ISO 3166 alpha-2 country.",
          examples=["KR"]),
]  # fmt: skip
Venue = Annotated[
    str | None,
    Query(min_length=1, max_length=200, description="Only outcomes whose venue (a paper's journal) contains this, "
          "in any letter case.", examples=["urban"]),
]  # fmt: skip
_SUPERSEDED = {"current": False, "all": None, "superseded": True}

_FILTERS_DOC = (
    "`year` is the year of the project's program; `from`/`to` compare when the outcome was recorded. Only current "
    "versions unless `versions` says otherwise: a corrected outcome is replaced by its correction."
)


async def _filter(
    project: ProjectId = None,
    program: ProgramId = None,
    year: Year = None,
    company: Company = None,
    company_name: CompanyName = None,
    outcome_type: OutcomeTypeQuery = None,
    ip_status: IpStatusQuery = None,
    revoked: Revoked = None,
    start: DateFrom = None,
    end: DateTo = None,
    versions: Versions = "current",
    sci_indexed: SciIndexed = None,
    country: Country = None,
    venue: Venue = None,
) -> OutcomeFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    first, after = day_range(start, end)
    return OutcomeFilter(project_id=project, program_id=program, year=year, company_id=company_param(company),
                         company_name=company_name_param(company_name),
                         outcome_type=outcome_type, ip_status=ip_status, revoked=revoked, recorded_from=first,
                         recorded_before=after, superseded=_SUPERSEDED[versions], sci_indexed=sci_indexed,
                         country=None if country is None else country.upper(),
                         venue=None if venue is None else contains_pattern(venue))  # fmt: skip


Filters = Annotated[OutcomeFilter, Depends(_filter)]


@router.get(
    "/api/v1/outcomes",
    response_model=Page[Outcome],
    summary="List R&D outcomes",
    description=f"Outcomes, corrections and revoked ones included (see `amends`, `amendedBy`, `revoked`). "
    f"{_FILTERS_DOC}",
    responses=ERROR_RESPONSES,
)
async def list_outcomes(
    context: Context,
    wanted: Filters,
    sort: OutcomeSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Response:
    position = seek(OUTCOME_SORTS, "id", sort, cursor, page_size(limit, context.settings))
    return await answer_page(context, outcomes.outcomes_query, wanted, position,
                     lambda r: Outcome.from_row(r, context.contracts()), Outcome)  # fmt: skip


@router.get(
    "/api/v1/outcomes/export",
    response_model=list[Outcome],
    summary="Export R&D outcomes (CSV or JSON)",
    description=f"Every outcome matching the filters, as CSV (UTF-8 with BOM) or a JSON array. {_FILTERS_DOC}",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_outcomes(
    context: Context,
    *,
    export_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: Filters,
    sort: OutcomeSort = None,
) -> object:
    order = seek(OUTCOME_SORTS, "id", sort, None, 1)
    return export_list(context.engine, outcomes.outcomes_query(wanted), order,
                       lambda r: Outcome.from_row(r, context.contracts()), Outcome, name="outcomes",
                       export_format=export_format, csv=csv)  # fmt: skip


async def outcome_detail(context: ApiContext, outcome_id: int) -> OutcomeDetail:
    """The answer of `get_outcome`, which the direct route gives too (registry/api/direct_routes.py)."""

    def answer() -> OutcomeDetail:
        with context.snapshot() as reader:
            row = outcomes.outcome(reader, outcome_id)
            if row is None:
                raise NotFound(f"no outcome {outcome_id}")
            history = outcomes.outcome_history(reader, outcome_id)
            return OutcomeDetail.from_rows(row, history.amendment, history.revocation, history.ip_status_changes,
                                           context.contracts())  # fmt: skip

    return await context.read(answer)


@router.get(
    "/api/v1/outcomes/{outcomeId}",
    response_model=OutcomeDetail,
    summary="One R&D outcome, with its correction, revocation and IP history",
    responses={**NOT_FOUND_RESPONSE, **ERROR_RESPONSES},
)
async def get_outcome(
    context: Context,
    outcome_id: Annotated[int, Path(alias="outcomeId", ge=1, le=MAX_ID, examples=[1])],
) -> OutcomeDetail:
    return await outcome_detail(context, outcome_id)


# ---- IP status changes -------------------------------------------------------------------------

IpChangeSort = Annotated[str | None, sort_parameter(IP_CHANGE_SORTS, "time")]
OutcomeId = Annotated[int | None, Query(alias="outcome", ge=1, le=MAX_ID, description="Only this outcome's.")]
ToStatus = Annotated[IpStatusName | None, Query(alias="status", description="Only changes to this status.")]


async def _ip_filter(
    outcome: OutcomeId = None,
    project: ProjectId = None,
    program: ProgramId = None,
    year: Year = None,
    company: Company = None,
    company_name: CompanyName = None,
    status: ToStatus = None,
) -> IpChangeFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    return IpChangeFilter(outcome_id=outcome, project_id=project, program_id=program, year=year,
                          company_id=company_param(company),
                          company_name=company_name_param(company_name), status=status)  # fmt: skip


IpFilters = Annotated[IpChangeFilter, Depends(_ip_filter)]


@router.get(
    "/api/v1/ip-status-changes",
    response_model=Page[IpStatusChange],
    summary="List IP status changes",
    description="Every change of an outcome's intellectual-property status (filed, registered, licensed...), "
    "in chain order unless sorted `-time`. `year` is the year of the project's program.",
    responses=ERROR_RESPONSES,
)
async def list_ip_status_changes(
    context: Context,
    wanted: IpFilters,
    sort: IpChangeSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Response:
    position = seek(IP_CHANGE_SORTS, "time", sort, cursor, page_size(limit, context.settings))
    return await answer_page(context, outcomes.ip_changes_query, wanted, position,
                     lambda r: IpStatusChange.from_row(r, context.contracts()), IpStatusChange)  # fmt: skip


@router.get(
    "/api/v1/ip-status-changes/export",
    response_model=list[IpStatusChange],
    summary="Export IP status changes (CSV or JSON)",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_ip_status_changes(
    context: Context,
    *,
    export_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: IpFilters,
    sort: IpChangeSort = None,
) -> object:
    order = seek(IP_CHANGE_SORTS, "time", sort, None, 1)
    return export_list(context.engine, outcomes.ip_changes_query(wanted), order,
                       lambda r: IpStatusChange.from_row(r, context.contracts()), IpStatusChange,
                       name="ip-status-changes", export_format=export_format, csv=csv)  # fmt: skip


DIRECT_LOOKUPS = [DirectLookup.of(router, get_outcome)]
DIRECT_LISTS = [DirectList.of(router, list_outcomes), DirectList.of(router, list_ip_status_changes)]
