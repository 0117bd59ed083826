"""Browse pages of the grant side: programs, a program with its projects, a project with its
milestones, outcomes, reports and evaluations, a milestone with its full history, evaluations.

Each reads with the API's queries (`registry.store.queries`) and shows the API's response models,
so a page and the API's JSON for the same record cannot disagree.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from registry.api.deps import Context
from registry.api.schemas.grants import (
    Evaluation,
    Milestone,
    MilestoneDetail,
    Program,
    Project,
    ProjectDetail,
)
from registry.api.schemas.objections import Objection, objections_of
from registry.api.schemas.outcomes import CommercializationReport, Outcome
from registry.api.schemas.statistics import ProgramStatistics
from registry.domain.deadlines import is_overdue, now_seconds
from registry.domain.enums import Grade, ObjectionStatus, ObjectionSubject
from registry.store import statistics
from registry.store.queries import grants, outcomes
from registry.store.queries import objections as objection_queries
from registry.store.queries.grants import (
    AUDIT_SORTS,
    MILESTONE_SORTS,
    PROGRAM_SORTS,
    PROJECT_SORTS,
    AuditFilter,
    MilestoneFilter,
    ProgramFilter,
    ProjectFilter,
)
from registry.store.queries.objections import OBJECTION_SORTS, ObjectionFilter
from registry.store.queries.outcomes import OUTCOME_SORTS, REPORT_SORTS, OutcomeFilter, ReportFilter
from registry.web import parameters
from registry.web.city_rules import follow_up, reports_owed, rules_of, target_lines
from registry.web.errors import error_page
from registry.web.listing import read_listing
from registry.web.rendering import render
from registry.web.routing import page_router

router = page_router()

#: A project's milestones, outcomes, reports and evaluations shown on its page at most; more are a
#: search away (a project has a handful of each).
PROJECT_PART_ROWS = 200


@router.get("/programs")
def programs_page(request: Request, context: Context, year: str | None = None, cursor: str | None = None) -> Response:
    chosen_year = parameters.year(year)
    contracts = context.contracts()
    listing = read_listing(context.engine, grants.programs_query(ProgramFilter(year=chosen_year)), PROGRAM_SORTS,
                           lambda r: Program.from_row(r, contracts), cursor=cursor)  # fmt: skip
    return render(request, "programs.html", programs=listing.items, next_cursor=listing.next_cursor,
                  year=chosen_year)  # fmt: skip


@router.get("/programs/{program_id}")
def program_page(request: Request, context: Context, program_id: str, cursor: str | None = None) -> Response:
    number = parameters.record_id(program_id)
    row = None
    if number is not None:
        with context.snapshot() as reader:
            row = grants.program(reader, number)
    if number is None or row is None:
        return error_page(request, 404, "errors.no_program", id=program_id)
    contracts = context.contracts()
    program = Program.from_row(row, contracts)
    projects = read_listing(context.engine, grants.projects_query(ProjectFilter(program_id=number)), PROJECT_SORTS,
                            lambda r: Project.from_row(r, contracts), cursor=cursor)  # fmt: skip
    found = context.statistics.programs(None, program_id=number).value
    summary = ProgramStatistics.of(found[0]) if found else None
    rules = rules_of(row)
    with context.engine.connect() as connection:
        owed = reports_owed(connection, projects.items, outcomes.reports_query(ReportFilter(program_id=number)),
                            {number: rules}, now_seconds())  # fmt: skip
    return render(request, "program.html", program=program, projects=projects.items,
                  next_cursor=projects.next_cursor, summary=summary, rules=rules, owed=owed,
                  owed_late=sum(len(o.late) for o in owed.values()),
                  owed_due=sum(len(o.due) for o in owed.values()))  # fmt: skip


@router.get("/projects/{project_id}")
def project_page(request: Request, context: Context, project_id: str) -> Response:
    number = parameters.record_id(project_id)
    contracts = context.contracts()
    project = program = row = program_row = None
    if number is not None:
        with context.snapshot() as reader:
            row = grants.project(reader, number)
            if row is not None:
                project = ProjectDetail.from_rows(row, grants.project_status_history(reader, number), contracts,
                                                  statistics.project_results(reader, number))  # fmt: skip
                program_row = grants.program(reader, project.program_id)
                program = Program.from_row(program_row, contracts) if program_row is not None else None
    if number is None or project is None or row is None:
        return error_page(request, 404, "errors.no_project", id=project_id)
    engine, rows = context.engine, PROJECT_PART_ROWS
    milestones = read_listing(engine, grants.milestones_query(MilestoneFilter(project_id=number)), MILESTONE_SORTS,
                              lambda r: Milestone.from_row(r, contracts), rows=rows)  # fmt: skip
    found_outcomes = read_listing(engine, outcomes.outcomes_query(OutcomeFilter(project_id=number)), OUTCOME_SORTS,
                                  lambda r: Outcome.from_row(r, contracts), rows=rows)  # fmt: skip
    reports = read_listing(engine, outcomes.reports_query(ReportFilter(project_id=number)), REPORT_SORTS,
                           lambda r: CommercializationReport.from_row(r, contracts), rows=rows)  # fmt: skip
    evaluations = read_listing(engine, grants.audits_query(AuditFilter(project_id=number)), AUDIT_SORTS,
                               lambda r: Evaluation.from_row(r, contracts), rows=rows)  # fmt: skip
    open_objections = read_listing(
        engine, objection_queries.objections_query(ObjectionFilter(project_id=number, status=ObjectionStatus.OPEN)),
        OBJECTION_SORTS, lambda r: Objection.from_row(r, contracts), rows=rows,
    ).items  # fmt: skip
    now = now_seconds()
    overdue = {ms.milestone_index for ms in milestones.items if is_overdue(ms.status, ms.due_date, project.status, now)}
    schedule = follow_up(project.status, project.end_date, reports.items, rules_of(program_row), now)
    return render(request, "project.html", project=project, program=program, milestones=milestones.items,
                  overdue=overdue, outcomes=found_outcomes.items, reports=reports.items, evaluations=evaluations.items,
                  targets=target_lines(project.targets, project.results),
                  schedule=schedule, rules=rules_of(program_row),
                  open_objections=open_objections,
                  truncated=any(x.next_cursor for x in (milestones, found_outcomes, reports, evaluations)))  # fmt: skip


@router.get("/projects/{project_id}/milestones/{index}")
def milestone_page(request: Request, context: Context, project_id: str, index: str) -> Response:
    number, position = parameters.record_id(project_id), parameters.milestone_index(index)
    contracts = context.contracts()
    milestone = project = program = None
    if number is not None and position is not None:
        with context.snapshot() as reader:
            row = grants.milestone(reader, number, position)
            if row is not None:
                steps = grants.milestone_steps(reader, number, position)
                evidence = grants.milestone_evidence(reader, number, position)
                against = objection_queries.objections_against(reader, ObjectionSubject.MILESTONE_REJECTION, number,
                                                               position)  # fmt: skip
                milestone = MilestoneDetail.from_rows(row, steps, evidence, contracts, against)
                project_row = grants.project(reader, number)
                project = Project.from_row(project_row, contracts) if project_row is not None else None
                program_row = grants.program(reader, project.program_id) if project is not None else None
                program = Program.from_row(program_row, contracts) if program_row is not None else None
    if milestone is None:
        return error_page(request, 404, "errors.no_milestone", project=project_id, index=index)
    overdue = project is not None and is_overdue(milestone.status, milestone.due_date, project.status, now_seconds())
    return render(request, "milestone.html", milestone=milestone, project=project, program=program, overdue=overdue,
                  objections=milestone.objections)  # fmt: skip


@router.get("/evaluations")
def evaluations_page(
    request: Request,
    context: Context,
    program: str | None = None,
    year: str | None = None,
    company: str | None = None,
    grade: str | None = None,
    cursor: str | None = None,
) -> Response:
    wanted = AuditFilter(program_id=parameters.program(program), year=parameters.year(year),
                         company_id=parameters.company(company),
                         grade=parameters.enum_value("grade", Grade, grade))  # fmt: skip
    contracts = context.contracts()
    listing = read_listing(context.engine, grants.audits_query(wanted), AUDIT_SORTS,
                           lambda r: Evaluation.from_row(r, contracts), cursor=cursor)  # fmt: skip
    form = {"program": program or "", "year": year or "", "company": company or "", "grade": grade or ""}
    return render(request, "evaluations.html", evaluations=listing.items, next_cursor=listing.next_cursor,
                  form=form, grades=[g for g in Grade if g is not Grade.NONE])  # fmt: skip


@router.get("/evaluations/{audit_id}")
def evaluation_page(request: Request, context: Context, audit_id: str) -> Response:
    number = parameters.record_id(audit_id)
    row = None
    if number is not None:
        with context.snapshot() as reader:
            row = grants.audit(reader, number)
    if number is None or row is None:
        return error_page(request, 404, "errors.no_evaluation", id=audit_id)
    with context.snapshot() as reader:
        against = objection_queries.objections_against(reader, ObjectionSubject.EVALUATION, number)
    contracts = context.contracts()
    evaluation = Evaluation.from_row(row, contracts)
    return render(request, "evaluation.html", evaluation=evaluation, sanction=evaluation.sanction,
                  objections=objections_of(against, contracts))  # fmt: skip
