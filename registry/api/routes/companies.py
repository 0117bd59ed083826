"""`/api/v1/companies`: the companies the registry names, found by part of their public name (상호) or by
their exact business registration number (hashed, as the chain keys them), with every name each had."""

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
    COMPANY_PATTERN,
    COMPANY_SPELLING,
    Company,
    CompanyName,
    Cursor,
    Limit,
    company_name_param,
    company_param,
    page_size,
    sort_parameter,
)
from registry.api.schemas.common import ERROR_RESPONSES, NOT_FOUND_RESPONSE, Page
from registry.api.schemas.companies import Company as CompanyModel
from registry.api.schemas.companies import CompanyDetail
from registry.store.queries import companies
from registry.store.queries.companies import COMPANY_SORTS, CompanyFilter

router = APIRouter(prefix="/api/v1/companies", tags=["companies"])

CompanySort = Annotated[str | None, sort_parameter(COMPANY_SORTS, "id")]
CompanyPath = Annotated[
    str,
    Path(pattern=COMPANY_PATTERN, description="The company id (0x and 64 hex digits) or the business "
         "registration number (131-81-20001 or 1318120001).", examples=["131-81-20001"]),
    COMPANY_SPELLING,
]  # fmt: skip
_DOC = (
    "Companies published by name on chain (a company bound before contracts 1.1.0 and never named is not "
    "listed). `companyName` finds part of a name; `company` the exact business registration number or id."
)


async def _filter(company: Company = None, name: CompanyName = None) -> CompanyFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    return CompanyFilter(company_id=company_param(company), name=company_name_param(name))


Filters = Annotated[CompanyFilter, Depends(_filter)]


@router.get("", response_model=Page[CompanyModel], summary="List named companies", description=_DOC,
            responses=ERROR_RESPONSES)  # fmt: skip
async def list_companies(
    context: Context, wanted: Filters, sort: CompanySort = None, cursor: Cursor = None, limit: Limit = None
) -> Response:
    position = seek(COMPANY_SORTS, "id", sort, cursor, page_size(limit, context.settings))
    return await answer_page(context, companies.companies_query, wanted, position,
                             lambda r: CompanyModel.from_row(r, context.contracts()), CompanyModel)  # fmt: skip


@router.get(
    "/export",
    response_model=list[CompanyModel],
    summary="Export named companies (CSV or JSON)",
    description=f"Every company matching the filters, as CSV (UTF-8 with BOM) or a JSON array. {_DOC}",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_companies(
    context: Context,
    *,
    export_format: Annotated[ExportFormat, Query(alias="format")] = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: Filters,
    sort: CompanySort = None,
) -> object:
    order = seek(COMPANY_SORTS, "id", sort, None, 1)
    return export_list(context.engine, companies.companies_query(wanted), order,
                       lambda r: CompanyModel.from_row(r, context.contracts()), CompanyModel, name="companies",
                       export_format=export_format, csv=csv)  # fmt: skip


async def company_detail(context: ApiContext, company_id: bytes) -> CompanyDetail:
    def answer() -> CompanyDetail:
        with context.snapshot() as reader:
            row = companies.company(reader, company_id)
            if row is None:
                raise NotFound(f"no company named on chain with id 0x{company_id.hex()}")
            return CompanyDetail.from_rows(row, companies.company_name_history(reader, company_id),
                                           context.contracts())  # fmt: skip

    return await context.read(answer)


@router.get(
    "/{company}",
    response_model=CompanyDetail,
    summary="One company, with every name it was published under",
    responses={**NOT_FOUND_RESPONSE, **ERROR_RESPONSES},
)
async def get_company(
    context: Context,
    company: CompanyPath,
) -> CompanyDetail:
    found = company_param(company)
    if found is None:  # never: a path parameter is always given
        raise NotFound("no company given")
    return await company_detail(context, found)
