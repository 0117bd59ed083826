"""`/api/v1/members...`: who holds which role, which accounts act for which company, which companies
are restricted, and the history of all of it. The chain holds addresses, company ids (hashes of business
registration numbers) and the public names the office published for companies: no personal data."""

from __future__ import annotations

import time
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from registry.api.deps import Context
from registry.api.exports import CSV_CONTENT, CsvQuery, ExportFormat, export_list
from registry.api.pagination import answer_list, seek
from registry.api.parameters import (
    Account,
    Active,
    Company,
    Cursor,
    Limit,
    account_param,
    company_param,
    page_size,
    sort_parameter,
)
from registry.api.schemas.common import ERROR_RESPONSES, Page
from registry.api.schemas.members import (
    AdminTransferEvent,
    CompanyAccount,
    CompanyRestriction,
    MembershipEvent,
    RoleMember,
    RoleName,
)
from registry.store.queries import members
from registry.store.queries.members import (
    ADMIN_TRANSFER_SORTS,
    COMPANY_ACCOUNT_SORTS,
    MEMBERSHIP_EVENT_SORTS,
    RESTRICTION_SORTS,
    ROLE_MEMBER_SORTS,
    CompanyAccountFilter,
    MembershipEventFilter,
    RestrictionFilter,
    RoleMemberFilter,
)

router = APIRouter(prefix="/api/v1/members", tags=["members"])

FormatQuery = Annotated[ExportFormat, Query(alias="format")]
RoleQuery = Annotated[RoleName | None, Query(description="Only this role.")]

# ---- role holders ------------------------------------------------------------------------------

RoleMemberSort = Annotated[str | None, sort_parameter(ROLE_MEMBER_SORTS, "role")]


async def _role_filter(role: RoleQuery = None, account: Account = None, active: Active = None) -> RoleMemberFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    return RoleMemberFilter(role=None if role is None else role.id, account=account_param(account), active=active)


RoleFilters = Annotated[RoleMemberFilter, Depends(_role_filter)]


@router.get(
    "",
    response_model=Page[RoleMember],
    summary="List role holders",
    description="Accounts that hold or held a role of the registry (top admin, admin, auditor, member, module).",
    responses=ERROR_RESPONSES,
)
async def list_role_members(
    context: Context,
    wanted: RoleFilters,
    sort: RoleMemberSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Page[RoleMember]:
    position = seek(ROLE_MEMBER_SORTS, "role", sort, cursor, page_size(limit, context.settings))
    return await answer_list(context, members.role_members_query(wanted), position,
                     lambda r: RoleMember.from_row(r, context.contracts()), Page[RoleMember])  # fmt: skip


@router.get(
    "/export",
    response_model=list[RoleMember],
    summary="Export role holders (CSV or JSON)",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_role_members(
    context: Context,
    *,
    export_format: FormatQuery = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: RoleFilters,
    sort: RoleMemberSort = None,
) -> object:
    order = seek(ROLE_MEMBER_SORTS, "role", sort, None, 1)
    return export_list(context.engine, members.role_members_query(wanted), order,
                       lambda r: RoleMember.from_row(r, context.contracts()), RoleMember, name="members",
                       export_format=export_format, csv=csv)  # fmt: skip


# ---- company accounts --------------------------------------------------------------------------

CompanyAccountSort = Annotated[str | None, sort_parameter(COMPANY_ACCOUNT_SORTS, "account")]


async def _company_filter(
    company: Company = None, active: Active = None, account: Account = None
) -> CompanyAccountFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    return CompanyAccountFilter(company_id=company_param(company), active=active, account=account_param(account))


CompanyFilters = Annotated[CompanyAccountFilter, Depends(_company_filter)]


@router.get(
    "/companies",
    response_model=Page[CompanyAccount],
    summary="List company accounts",
    description="Accounts bound to act for a company, which may write only for that company's projects.",
    responses=ERROR_RESPONSES,
)
async def list_company_accounts(
    context: Context,
    wanted: CompanyFilters,
    sort: CompanyAccountSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Page[CompanyAccount]:
    position = seek(COMPANY_ACCOUNT_SORTS, "account", sort, cursor, page_size(limit, context.settings))
    return await answer_list(context, members.company_accounts_query(wanted), position,
                     lambda r: CompanyAccount.from_row(r, context.contracts()), Page[CompanyAccount])  # fmt: skip


@router.get(
    "/companies/export",
    response_model=list[CompanyAccount],
    summary="Export company accounts (CSV or JSON)",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_company_accounts(
    context: Context,
    *,
    export_format: FormatQuery = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: CompanyFilters,
    sort: CompanyAccountSort = None,
) -> object:
    order = seek(COMPANY_ACCOUNT_SORTS, "account", sort, None, 1)
    return export_list(context.engine, members.company_accounts_query(wanted), order,
                       lambda r: CompanyAccount.from_row(r, context.contracts()), CompanyAccount,
                       name="company-accounts", export_format=export_format, csv=csv)  # fmt: skip


# ---- restrictions ------------------------------------------------------------------------------

RestrictionSort = Annotated[str | None, sort_parameter(RESTRICTION_SORTS, "company")]
InForce = Annotated[bool | None, Query(alias="inForce", description="true: only restrictions in force now.")]


async def _restriction_filter(company: Company = None, in_force: InForce = None) -> RestrictionFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    return RestrictionFilter(company_id=company_param(company), in_force_at=int(time.time()) if in_force else None)


RestrictionFilters = Annotated[RestrictionFilter, Depends(_restriction_filter)]


@router.get(
    "/restrictions",
    response_model=Page[CompanyRestriction],
    summary="List participation restrictions",
    description="Companies an evaluation barred from new grants, and until when (the latest restriction of each).",
    responses=ERROR_RESPONSES,
)
async def list_restrictions(
    context: Context,
    wanted: RestrictionFilters,
    sort: RestrictionSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Page[CompanyRestriction]:
    position = seek(RESTRICTION_SORTS, "company", sort, cursor, page_size(limit, context.settings))
    return await answer_list(context, members.restrictions_query(wanted), position,
                     lambda r: CompanyRestriction.from_row(r, context.contracts()),
                     Page[CompanyRestriction])  # fmt: skip


@router.get(
    "/restrictions/export",
    response_model=list[CompanyRestriction],
    summary="Export participation restrictions (CSV or JSON)",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_restrictions(
    context: Context,
    *,
    export_format: FormatQuery = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: RestrictionFilters,
    sort: RestrictionSort = None,
) -> object:
    order = seek(RESTRICTION_SORTS, "company", sort, None, 1)
    return export_list(context.engine, members.restrictions_query(wanted), order,
                       lambda r: CompanyRestriction.from_row(r, context.contracts()), CompanyRestriction,
                       name="restrictions", export_format=export_format, csv=csv)  # fmt: skip


# ---- membership history ------------------------------------------------------------------------

MembershipSort = Annotated[str | None, sort_parameter(MEMBERSHIP_EVENT_SORTS, "time")]
Action = Annotated[
    Literal["role-granted", "role-revoked", "company-bound", "company-unbound", "company-named", "company-restricted"]
    | None,
    Query(description="Only events of this kind."),
]


async def _event_filter(
    action: Action = None,
    account: Account = None,
    company: Company = None,
    role: RoleQuery = None,
) -> MembershipEventFilter:
    """The filters of the list and of its export, read and checked by FastAPI (a dependency of both)."""
    return MembershipEventFilter(action=action, account=account_param(account), company_id=company_param(company),
                                 role=None if role is None else role.id)  # fmt: skip


EventFilters = Annotated[MembershipEventFilter, Depends(_event_filter)]


@router.get(
    "/history",
    response_model=Page[MembershipEvent],
    summary="Membership history",
    description="Every role granted or revoked, company account bound or unbound and company restricted, in chain "
    "order unless sorted `-time`.",
    responses=ERROR_RESPONSES,
)
async def list_membership_events(
    context: Context,
    wanted: EventFilters,
    sort: MembershipSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Page[MembershipEvent]:
    position = seek(MEMBERSHIP_EVENT_SORTS, "time", sort, cursor, page_size(limit, context.settings))
    return await answer_list(context, members.membership_events_query(wanted),
                     position, lambda r: MembershipEvent.from_row(r, context.contracts()),
                     Page[MembershipEvent])  # fmt: skip


@router.get(
    "/history/export",
    response_model=list[MembershipEvent],
    summary="Export membership history (CSV or JSON)",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_membership_events(
    context: Context,
    *,
    export_format: FormatQuery = ExportFormat.CSV,
    csv: CsvQuery,
    wanted: EventFilters,
    sort: MembershipSort = None,
) -> object:
    order = seek(MEMBERSHIP_EVENT_SORTS, "time", sort, None, 1)
    return export_list(context.engine, members.membership_events_query(wanted),
                       order, lambda r: MembershipEvent.from_row(r, context.contracts()), MembershipEvent,
                       name="membership-history", export_format=export_format, csv=csv)  # fmt: skip


# ---- top admin transfers -----------------------------------------------------------------------

AdminTransferSort = Annotated[str | None, sort_parameter(ADMIN_TRANSFER_SORTS, "time")]


@router.get(
    "/admin-transfers",
    response_model=Page[AdminTransferEvent],
    summary="Top admin transfers",
    description="The two-step, delayed handovers of the top admin role and changes of their delay, visible before "
    "they take effect.",
    responses=ERROR_RESPONSES,
)
async def list_admin_transfers(
    context: Context,
    sort: AdminTransferSort = None,
    cursor: Cursor = None,
    limit: Limit = None,
) -> Page[AdminTransferEvent]:
    position = seek(ADMIN_TRANSFER_SORTS, "time", sort, cursor, page_size(limit, context.settings))
    return await answer_list(context, members.admin_transfers_query(), position,
                     lambda r: AdminTransferEvent.from_row(r, context.contracts()),
                     Page[AdminTransferEvent])  # fmt: skip


@router.get(
    "/admin-transfers/export",
    response_model=list[AdminTransferEvent],
    summary="Export top admin transfers (CSV or JSON)",
    responses={**CSV_CONTENT, **ERROR_RESPONSES},
)
async def export_admin_transfers(
    context: Context, csv: CsvQuery, export_format: FormatQuery = ExportFormat.CSV, sort: AdminTransferSort = None
) -> object:
    order = seek(ADMIN_TRANSFER_SORTS, "time", sort, None, 1)
    return export_list(context.engine, members.admin_transfers_query(), order,
                       lambda r: AdminTransferEvent.from_row(r, context.contracts()), AdminTransferEvent,
                       name="admin-transfers", export_format=export_format, csv=csv)  # fmt: skip
