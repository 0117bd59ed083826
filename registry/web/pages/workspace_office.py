"""The program office's workspace page (`/workspace/office`): the programs with what each can still
grant, the projects with what their milestones may still be paid, the role holders and company
accounts, and the forms to open and close programs (with their rules), register projects (with their
targets), plan milestones, bind and unbind company accounts (a company's name with its first binding),
rename a company, and grant and revoke roles.

The page reads the SQL copy to show and to pre-check; `static/workspace/office.js` checks each form
against the registry's rules before anything is signed (the contracts' own: dates in order, a grant
within the per-project cap and the program's remaining budget, tranches within the grant), signs in
the reader's page and sends through the relay, whose `eth_call` is the last word.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from registry.api.deps import Context
from registry.api.schemas.grants import Program, Project
from registry.api.schemas.members import CompanyAccount, RoleMember
from registry.domain.enums import ProgramStatus, ProjectStatus
from registry.domain.records import ProgramRules
from registry.domain.roles import GRANTABLE
from registry.store.queries import grants, members
from registry.store.queries.grants import PROGRAM_SORTS, PROJECT_SORTS, ProgramFilter, ProjectFilter
from registry.store.queries.members import (
    COMPANY_ACCOUNT_SORTS,
    ROLE_MEMBER_SORTS,
    CompanyAccountFilter,
    RoleMemberFilter,
)
from registry.web.listing import read_listing
from registry.web.pages.workspace import workspace_data
from registry.web.rendering import render
from registry.web.routing import page_router

router = page_router()

#: Programs, active projects, role holders and company accounts the page lists at most (a city has a
#: handful of programs a year and a few hundred projects).
OFFICE_ROWS = 500
#: The first and last program year the registry's CLI accepts (`program create --year`).
YEARS = (2000, 2100)


@router.get("/workspace/office")
def office_page(request: Request, context: Context) -> Response:
    contracts, engine = context.contracts(), context.engine
    programs = read_listing(engine, grants.programs_query(ProgramFilter()), PROGRAM_SORTS,
                            lambda r: Program.from_row(r, contracts), rows=OFFICE_ROWS).items  # fmt: skip
    active = grants.projects_query(ProjectFilter(status=int(ProjectStatus.ACTIVE)))
    projects = read_listing(engine, active, PROJECT_SORTS, lambda r: Project.from_row(r, contracts),
                            rows=OFFICE_ROWS).items  # fmt: skip
    roles = read_listing(engine, members.role_members_query(RoleMemberFilter(active=True)), ROLE_MEMBER_SORTS,
                         lambda r: RoleMember.from_row(r, contracts), rows=OFFICE_ROWS).items  # fmt: skip
    accounts = read_listing(engine, members.company_accounts_query(CompanyAccountFilter(active=True)),
                            COMPANY_ACCOUNT_SORTS, lambda r: CompanyAccount.from_row(r, contracts),
                            rows=OFFICE_ROWS).items  # fmt: skip
    page = {
        "years": YEARS,
        "roles": {role.name.lower(): "0x" + role.id.hex() for role in GRANTABLE},
    }
    return render(
        request,
        "workspace_office.html",
        programs=programs,
        open_programs=[p for p in programs if p.status is ProgramStatus.OPEN],
        projects=projects,
        roles=[r for r in roles if r.role is not None],
        accounts=accounts,
        grantable=[role.name.lower() for role in GRANTABLE],
        years=YEARS,
        rules=ProgramRules(),
        workspace=workspace_data(request, page=page),
    )
