"""Browse pages of membership and evidence: a company (its bound accounts, its participation
restriction, its projects), the role holders and company accounts, and an evidence batch with the
documents its manifest lists.

Each reads with the API's queries and shows the API's response models, as the grant pages do.
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import select
from starlette.responses import Response

from registry.api.deps import Context
from registry.api.schemas.batches import EvidenceBatch
from registry.api.schemas.grants import Project
from registry.api.schemas.members import CompanyAccount, CompanyRestriction, RoleMember
from registry.domain.deadlines import now_seconds
from registry.evidence.hashing import InvalidDocumentHash, parse_hash
from registry.store.queries import evidence, grants, members, outcomes
from registry.store.queries.grants import PROJECT_SORTS, ProjectFilter
from registry.store.queries.members import (
    COMPANY_ACCOUNT_SORTS,
    RESTRICTION_SORTS,
    ROLE_MEMBER_SORTS,
    CompanyAccountFilter,
    RestrictionFilter,
    RoleMemberFilter,
)
from registry.store.queries.outcomes import ReportFilter
from registry.store.records import read_company_names
from registry.store.schema import batch_members
from registry.web import parameters
from registry.web.city_rules import reports_owed, rules_of
from registry.web.errors import error_page
from registry.web.listing import read_listing
from registry.web.parameters import FormProblem
from registry.web.rendering import render
from registry.web.routing import page_router

router = page_router()

#: A company's accounts shown on its page at most (a company binds a handful).
COMPANY_ACCOUNT_ROWS = 200
#: A batch's documents shown on its page at most.
BATCH_MEMBER_ROWS = 1000


@router.get("/companies/{company}")
def company_page(request: Request, context: Context, company: str, cursor: str | None = None) -> Response:
    try:
        company_id = parameters.company(company)
    except FormProblem:
        company_id = None
    if company_id is None:
        return error_page(request, 404, "errors.no_company", id=company)
    contracts, engine = context.contracts(), context.engine
    accounts = read_listing(engine, members.company_accounts_query(CompanyAccountFilter(company_id=company_id)),
                            COMPANY_ACCOUNT_SORTS, lambda r: CompanyAccount.from_row(r, contracts),
                            rows=COMPANY_ACCOUNT_ROWS)  # fmt: skip
    restrictions = read_listing(engine, members.restrictions_query(RestrictionFilter(company_id=company_id)),
                                RESTRICTION_SORTS, lambda r: CompanyRestriction.from_row(r, contracts),
                                rows=1)  # fmt: skip
    projects = read_listing(engine, grants.projects_query(ProjectFilter(company_id=company_id)), PROJECT_SORTS,
                            lambda r: Project.from_row(r, contracts), cursor=cursor)  # fmt: skip
    if not (accounts.items or restrictions.items or projects.items or cursor):
        return error_page(request, 404, "errors.no_company", id=company)
    with context.snapshot() as reader:
        rules = {number: rules_of(grants.program(reader, number)) for number in {p.program_id for p in projects.items}}
    with context.engine.connect() as connection:
        name = read_company_names(connection).get(company_id)
        owed = reports_owed(connection, projects.items, outcomes.reports_query(ReportFilter(company_id=company_id)),
                            rules, now_seconds())  # fmt: skip
    return render(request, "company.html", company_id=company_id, company_name=name, accounts=accounts.items,
                  restriction=restrictions.items[0] if restrictions.items else None, projects=projects.items,
                  next_cursor=projects.next_cursor, owed=owed)  # fmt: skip


@router.get("/members")
def members_page(
    request: Request, context: Context, roles_cursor: str | None = None, accounts_cursor: str | None = None
) -> Response:
    contracts, engine = context.contracts(), context.engine
    roles = read_listing(engine, members.role_members_query(RoleMemberFilter()), ROLE_MEMBER_SORTS,
                         lambda r: RoleMember.from_row(r, contracts), cursor=roles_cursor,
                         cursor_field="roles_cursor")  # fmt: skip
    accounts = read_listing(engine, members.company_accounts_query(CompanyAccountFilter()), COMPANY_ACCOUNT_SORTS,
                            lambda r: CompanyAccount.from_row(r, contracts), cursor=accounts_cursor,
                            cursor_field="accounts_cursor")  # fmt: skip
    return render(request, "members.html", roles=roles, accounts=accounts)


def _root(text: str) -> bytes | None:
    """A Merkle root from an address: 64 hex digits, with or without `0x`, or None."""
    try:
        return parse_hash(text)
    except InvalidDocumentHash:
        return None


@router.get("/batches/{root}")
def batch_page(request: Request, context: Context, root: str) -> Response:
    wanted = _root(root)
    batch = None
    documents: list[tuple[int, str, bytes]] = []
    if wanted is not None:
        with context.snapshot() as reader:
            row = evidence.batch(reader, wanted)
        if row is not None:
            batch = EvidenceBatch.from_row(row, context.contracts())
            # The documents its manifest lists, once the API has read and checked the manifest
            # (registry/store/batch_members.py); the chain holds only the root.
            m = batch_members
            listed = (select(m.c.position, m.c.path, m.c.document_hash).where(m.c.root == wanted)
                      .order_by(m.c.position).limit(BATCH_MEMBER_ROWS))  # fmt: skip
            with context.engine.connect() as connection:
                documents = [(int(p), str(path), bytes(h)) for p, path, h in connection.execute(listed)]
    if batch is None:
        return error_page(request, 404, "errors.no_batch", root=root)
    return render(request, "batch.html", batch=batch, documents=documents)
