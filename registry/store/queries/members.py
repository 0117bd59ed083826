"""Reads of who may do what in the registry: role holders, company accounts, participation
restrictions, and the history of membership and of the top admin role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from registry.store.queries.keyset import SortKey
from registry.store.queries.names import company_name_of
from registry.store.queries.provenance import event_provenance, record_provenance
from registry.store.schema import (
    admin_transfer_history,
    company_accounts,
    company_restrictions,
    membership_history,
    role_members,
)

ROLE_MEMBER_SORTS = {"role": SortKey("role", (role_members.c.role, role_members.c.account))}


@dataclass(frozen=True)
class RoleMemberFilter:
    role: bytes | None = None
    account: str | None = None
    active: bool | None = None


def role_members_query(wanted: RoleMemberFilter) -> Select[Any]:
    m = role_members
    query = select(m, *record_provenance(m))
    if wanted.role is not None:
        query = query.where(m.c.role == wanted.role)
    if wanted.account is not None:
        query = query.where(m.c.account == wanted.account)
    if wanted.active is not None:
        query = query.where(m.c.active == wanted.active)
    return query


COMPANY_ACCOUNT_SORTS = {"account": SortKey("account", (company_accounts.c.account,))}


@dataclass(frozen=True)
class CompanyAccountFilter:
    company_id: bytes | None = None
    active: bool | None = None
    #: Only this account's binding (checksummed).
    account: str | None = None


def company_accounts_query(wanted: CompanyAccountFilter) -> Select[Any]:
    c = company_accounts
    query = select(c, company_name_of(c.c.company_id).label("company_name"), *record_provenance(c))
    if wanted.company_id is not None:
        query = query.where(c.c.company_id == wanted.company_id)
    if wanted.active is not None:
        query = query.where(c.c.active == wanted.active)
    if wanted.account is not None:
        query = query.where(c.c.account == wanted.account)
    return query


RESTRICTION_SORTS = {"company": SortKey("company", (company_restrictions.c.company_id,))}


@dataclass(frozen=True)
class RestrictionFilter:
    company_id: bytes | None = None
    #: Only restrictions still in force at this unix time.
    in_force_at: int | None = None


def restrictions_query(wanted: RestrictionFilter) -> Select[Any]:
    r = company_restrictions
    query = select(r, company_name_of(r.c.company_id).label("company_name"), *record_provenance(r))
    if wanted.company_id is not None:
        query = query.where(r.c.company_id == wanted.company_id)
    if wanted.in_force_at is not None:
        query = query.where(r.c.restricted_until > wanted.in_force_at)
    return query


MEMBERSHIP_EVENT_SORTS = {
    "time": SortKey("time", (membership_history.c.block_number, membership_history.c.log_index)),
}


@dataclass(frozen=True)
class MembershipEventFilter:
    action: str | None = None
    account: str | None = None
    company_id: bytes | None = None
    role: bytes | None = None


def membership_events_query(wanted: MembershipEventFilter) -> Select[Any]:
    h = membership_history
    query = select(h, company_name_of(h.c.company_id).label("company_name"), *event_provenance(h))
    if wanted.action is not None:
        query = query.where(h.c.action == wanted.action)
    if wanted.account is not None:
        query = query.where(h.c.account == wanted.account)
    if wanted.company_id is not None:
        query = query.where(h.c.company_id == wanted.company_id)
    if wanted.role is not None:
        query = query.where(h.c.role == wanted.role)
    return query


ADMIN_TRANSFER_SORTS = {
    "time": SortKey("time", (admin_transfer_history.c.block_number, admin_transfer_history.c.log_index)),
}


def admin_transfers_query() -> Select[Any]:
    h = admin_transfer_history
    return select(h, *event_provenance(h))
