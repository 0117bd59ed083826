"""Filters shared by every list of things that belong to a project: the program it is funded by,
that program's year, and the company it funds."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select

from registry.store.queries.names import companies_named
from registry.store.schema import programs, projects


def programs_of_year(year: int) -> Any:
    return select(programs.c.program_id).where(programs.c.year == year)


def project_scope(
    project_id: ColumnElement[Any],
    *,
    program_id: int | None = None,
    year: int | None = None,
    company_id: bytes | None = None,
    company_name: str | None = None,
) -> ColumnElement[bool] | None:
    """A condition that `project_id` names a project of `program_id`, of a program of `year`, of
    `company_id`, and of a company whose name matches the LIKE pattern `company_name`
    (`registry.store.folding.contains_pattern`) (each only if given); None if none is."""
    if program_id is None and year is None and company_id is None and company_name is None:
        return None
    chosen = select(projects.c.project_id)
    if program_id is not None:
        chosen = chosen.where(projects.c.program_id == program_id)
    if year is not None:
        chosen = chosen.where(projects.c.program_id.in_(programs_of_year(year)))
    if company_id is not None:
        chosen = chosen.where(projects.c.company_id == company_id)
    if company_name is not None:
        chosen = chosen.where(projects.c.company_id.in_(companies_named(company_name)))
    return project_id.in_(chosen)


def in_range(column: ColumnElement[Any], start: int | None, end: int | None) -> list[ColumnElement[bool]]:
    """`start <= column < end`, each bound only if given."""
    parts: list[ColumnElement[bool]] = []
    if start is not None:
        parts.append(column >= start)
    if end is not None:
        parts.append(column < end)
    return parts
