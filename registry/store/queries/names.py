"""The names and owners a record refers to by id, joined into a list's rows for the CSV exports: a
project's program (id and name) and company, an outcome's project and through it the same.

Each joined value is a scalar subquery of primary-key lookups, labelled `joined_<name>`, so it adds no row,
drops none, leaves the list's keyset order alone and never collides with the list's own columns.
A company's name is the one last published on chain (`CompanyNamed`); NULL for a company never named.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select

from registry.store.schema import companies, outcomes, programs, projects

PROGRAM_ID = "joined_program_id"
PROGRAM_NAME = "joined_program_name"
COMPANY_ID = "joined_company_id"
COMPANY_NAME = "joined_company_name"
PROJECT_ID = "joined_project_id"


def _scalar(column: ColumnElement[Any], *where: ColumnElement[bool], own: list[Any]) -> ColumnElement[Any]:
    """`column` of the one row the conditions name, correlated with the enclosing query's tables only
    (the aliases of `own` are the subquery's)."""
    return select(column).where(*where).correlate_except(*own).scalar_subquery()


def company_name_of(company_id: ColumnElement[Any]) -> ColumnElement[Any]:
    """The current name of the company `company_id` names (NULL if it has none), as a scalar subquery."""
    company = companies.alias("named_company")
    return _scalar(company.c.name, company.c.company_id == company_id, own=[company])


def companies_named(pattern: Any) -> Select[Any]:
    """The ids of the companies whose folded name matches the LIKE `pattern`
    (`registry.store.folding.contains_pattern` of what a person typed)."""
    return select(companies.c.company_id).where(companies.c.name_folded.like(pattern, escape="\\"))


def with_program_names(query: Select[Any], program_id: ColumnElement[Any]) -> Select[Any]:
    """`query` with the name of the program `program_id` names."""
    program = programs.alias("joined_program")
    name = _scalar(program.c.name, program.c.program_id == program_id, own=[program])
    return query.add_columns(name.label(PROGRAM_NAME))


def _through_project(project_id: ColumnElement[Any], *where: ColumnElement[bool], own: list[Any]) -> list[Any]:
    project, program = projects.alias("joined_project"), programs.alias("joined_program")
    mine = [project, *own]
    return [
        _scalar(project.c.program_id, project.c.project_id == project_id, *where, own=mine).label(PROGRAM_ID),
        _scalar(program.c.name, program.c.program_id == project.c.program_id, project.c.project_id == project_id,
                *where, own=[program, *mine]).label(PROGRAM_NAME),
        _scalar(project.c.company_id, project.c.project_id == project_id, *where, own=mine).label(COMPANY_ID),
        company_name_of(_scalar(project.c.company_id, project.c.project_id == project_id, *where, own=mine))
        .label(COMPANY_NAME),
    ]  # fmt: skip


def with_project_names(query: Select[Any], project_id: ColumnElement[Any]) -> Select[Any]:
    """`query` with the program (id, name) and the company (id, name) of the project `project_id` names."""
    return query.add_columns(*_through_project(project_id, own=[]))


def with_outcome_names(query: Select[Any], outcome_id: ColumnElement[Any]) -> Select[Any]:
    """`query` with the project of the outcome `outcome_id` names, and that project's program and company."""
    outcome = outcomes.alias("joined_outcome")
    mine = outcome.c.outcome_id == outcome_id
    project_id = _scalar(outcome.c.project_id, mine, own=[outcome])
    return query.add_columns(project_id.label(PROJECT_ID),
                             *_through_project(outcome.c.project_id, mine, own=[outcome]))  # fmt: skip
