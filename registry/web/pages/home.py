"""The home page (what the registry is, the figures at a glance, where to go) and the search by
company, program, year and outcome type."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy import Engine
from starlette.responses import Response

from registry.api.deps import Context
from registry.api.provenance import RegistryContracts
from registry.api.schemas.grants import Program, Project
from registry.api.schemas.outcomes import Outcome
from registry.api.schemas.statistics import YearStatistics
from registry.domain.enums import OutcomeType
from registry.store.folding import contains_pattern
from registry.store.queries import grants, outcomes
from registry.store.queries.grants import PROGRAM_SORTS, PROJECT_SORTS, ProgramFilter, ProjectFilter
from registry.store.queries.outcomes import OUTCOME_SORTS, OutcomeFilter
from registry.web import parameters
from registry.web.listing import Listing, read_listing
from registry.web.parameters import FormProblem
from registry.web.rendering import render
from registry.web.routing import page_router

router = page_router()

#: The programs a search form offers (a city opens a handful a year).
PROGRAM_CHOICES = 500
OUTCOME_TYPES = [kind for kind in OutcomeType if kind is not OutcomeType.NONE]


def _all_programs(engine: Engine, contracts: RegistryContracts) -> list[Program]:
    return read_listing(engine, grants.programs_query(ProgramFilter()), PROGRAM_SORTS,
                        lambda r: Program.from_row(r, contracts), rows=PROGRAM_CHOICES).items  # fmt: skip


@router.get("/")
def home_page(request: Request, context: Context) -> Response:
    found = context.statistics.programs(None).value
    totals = YearStatistics.of(0, found)
    years = sorted({p.year for p in found})
    programs = _all_programs(context.engine, context.contracts()) if found else []
    return render(request, "home.html", totals=totals, years=years, programs=programs, outcome_types=OUTCOME_TYPES,
                  form={"company": "", "program": "", "year": "", "type": ""}, problem=None)  # fmt: skip


@router.get("/search")
def search_page(
    request: Request,
    context: Context,
    company: str | None = None,
    program: str | None = None,
    year: str | None = None,
    outcome_type: Annotated[str | None, Query(alias="type")] = None,
    projects_cursor: str | None = None,
    outcomes_cursor: str | None = None,
) -> Response:
    form = {"company": company or "", "program": program or "", "year": year or "", "type": outcome_type or ""}
    contracts = context.contracts()
    programs = _all_programs(context.engine, contracts)
    shared: dict[str, Any] = {"form": form, "programs": programs, "outcome_types": OUTCOME_TYPES}
    asked = any(value.strip() for value in form.values())
    if not asked:
        return render(request, "search.html", asked=False, problem=None, **shared)
    try:
        company_id, name_pattern = _company_asked(company)
        program_id = parameters.program(program)
        chosen_year = parameters.year(year)
        chosen_type = parameters.enum_value("type", OutcomeType, outcome_type)
        found_projects = read_listing(
            context.engine,
            grants.projects_query(ProjectFilter(program_id=program_id, year=chosen_year, company_id=company_id,
                                                company_name=name_pattern)),
            PROJECT_SORTS, lambda r: Project.from_row(r, contracts), cursor=projects_cursor,
            cursor_field="projects_cursor",
        )  # fmt: skip
        # A part of a name: the companies it found (on this page of projects); their outcomes when it is one.
        named = {p.company_id: p.company_name for p in found_projects.items} if name_pattern is not None else {}
        if name_pattern is not None and len(named) == 1:
            company_id = next(iter(named))
        found_outcomes = read_listing(
            context.engine,
            # The current versions, as the API's list gives them: a corrected outcome is shown by its correction.
            outcomes.outcomes_query(OutcomeFilter(program_id=program_id, year=chosen_year, company_id=company_id,
                                                  outcome_type=chosen_type, superseded=False)),
            OUTCOME_SORTS, lambda r: Outcome.from_row(r, contracts), cursor=outcomes_cursor,
            cursor_field="outcomes_cursor",
        )  # fmt: skip
    except FormProblem as problem:
        return render(request, "search.html", status=400, asked=True, problem=problem, **shared)
    if name_pattern is not None and len(named) != 1:
        found_outcomes = Listing(items=[], next_cursor=None)  # several companies, or none: choose one first
    return render(request, "search.html", asked=True, problem=None, projects=found_projects,
                  outcomes=found_outcomes, outcome_type_filtered=chosen_type is not None,
                  named_companies=sorted(named.items(), key=lambda c: c[1] or ""), by_name=name_pattern is not None,
                  **shared)  # fmt: skip


#: What is read as a business registration number or a company id (and refused if it is not a valid one),
#: rather than as a part of a company's name.
_NUMBER_LIKE = re.compile(r"^(?:0x[0-9a-fA-F]*|[0-9 \-]+)$")


def _company_asked(text: str | None) -> tuple[bytes | None, str | None]:
    """The company the search asks for: (its id, None) for a business registration number or a company id,
    (None, a LIKE pattern) for a part of its name (상호), (None, None) when the field is empty."""
    try:
        return parameters.company(text), None
    except FormProblem:
        if text is None or _NUMBER_LIKE.match(text.strip()):
            raise
        return None, contains_pattern(text.strip())
