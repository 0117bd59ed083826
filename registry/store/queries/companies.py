"""Reads of the companies the registry names: each one's current public name (상호) and every name it was
published under. The chain keys a company by the hash of its business registration number; its name is
what `CompanyNamed` last said."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, func, select

from registry.store.queries.keyset import SortKey
from registry.store.queries.names import companies_named
from registry.store.queries.prepared import PreparedQuery, Row, Snapshot
from registry.store.queries.provenance import event_provenance, record_provenance
from registry.store.schema import companies, company_accounts, company_names, projects

COMPANY_SORTS = {
    "id": SortKey("id", (companies.c.company_id,)),
    "name": SortKey("name", (companies.c.name, companies.c.company_id)),
}


@dataclass(frozen=True)
class CompanyFilter:
    company_id: bytes | None = None
    #: A LIKE pattern on the folded name (`registry.store.folding.contains_pattern` of what was typed).
    name: str | None = None


def _companies() -> Select[Any]:
    c = companies
    project_count = select(func.count()).select_from(projects).where(projects.c.company_id == c.c.company_id)
    accounts = (
        select(func.count())
        .select_from(company_accounts)
        .where(company_accounts.c.company_id == c.c.company_id, company_accounts.c.active)
    )
    return select(
        c,
        project_count.scalar_subquery().label("project_count"),
        accounts.scalar_subquery().label("account_count"),
        *record_provenance(c),
    )


_COMPANY = PreparedQuery(_companies().where(companies.c.company_id == bindparam("id")))


def company(reader: Snapshot, company_id: bytes) -> Row | None:
    return _COMPANY.first(reader, id=company_id)


def companies_query(wanted: CompanyFilter) -> Select[Any]:
    query = _companies()
    if wanted.company_id is not None:
        query = query.where(companies.c.company_id == wanted.company_id)
    if wanted.name is not None:
        query = query.where(companies.c.company_id.in_(companies_named(wanted.name)))
    return query


_NAMES = PreparedQuery(
    select(company_names, *event_provenance(company_names))
    .where(company_names.c.company_id == bindparam("id"))
    .order_by(company_names.c.block_number, company_names.c.log_index)
)


def company_name_history(reader: Snapshot, company_id: bytes) -> list[Row]:
    """Every name the company was published under, oldest first."""
    return _NAMES.rows(reader, id=company_id)
