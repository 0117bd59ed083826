"""Browse pages of the outcome side: an R&D outcome with its correction, revocation and IP status
history, and a commercialization report with every step of its verification."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import Response

from registry.api.deps import Context
from registry.api.provenance import RegistryContracts
from registry.api.schemas.grants import Program, Project
from registry.api.schemas.objections import objections_of
from registry.api.schemas.outcomes import CommercializationReportDetail, OutcomeDetail
from registry.domain.enums import ObjectionSubject
from registry.store.queries import grants, outcomes
from registry.store.queries import objections as objection_queries
from registry.store.queries.prepared import Snapshot
from registry.web import parameters
from registry.web.city_rules import details_shown
from registry.web.errors import error_page
from registry.web.i18n import Translator, requested_language
from registry.web.rendering import render
from registry.web.routing import page_router

router = page_router()


def _project_and_program(
    reader: Snapshot, project_id: int, contracts: RegistryContracts
) -> tuple[Project | None, Program | None]:
    """The project a record belongs to and its program, for the page's breadcrumbs."""
    project_row = grants.project(reader, project_id)
    if project_row is None:
        return None, None
    program_row = grants.program(reader, project_row["program_id"])
    return (Project.from_row(project_row, contracts),
            Program.from_row(program_row, contracts) if program_row is not None else None)  # fmt: skip


@router.get("/outcomes/{outcome_id}")
def outcome_page(request: Request, context: Context, outcome_id: str) -> Response:
    number = parameters.record_id(outcome_id)
    contracts = context.contracts()
    outcome = project = program = row = None
    if number is not None:
        with context.snapshot() as reader:
            row = outcomes.outcome(reader, number)
            if row is not None:
                history = outcomes.outcome_history(reader, number)
                outcome = OutcomeDetail.from_rows(row, history.amendment, history.revocation,
                                                  history.ip_status_changes, contracts)  # fmt: skip
                project, program = _project_and_program(reader, outcome.project_id, contracts)
    if outcome is None or row is None:
        return error_page(request, 404, "errors.no_outcome", id=outcome_id)
    language = requested_language(request)[0]
    details = details_shown(outcome.outcome_type, row, language.value, Translator(language)("outcome.detail_yes"))
    return render(request, "outcome.html", outcome=outcome, project=project, program=program, details=details)


@router.get("/reports/{report_id}")
def report_page(request: Request, context: Context, report_id: str) -> Response:
    number = parameters.record_id(report_id)
    contracts = context.contracts()
    report = project = program = None
    if number is not None:
        with context.snapshot() as reader:
            row = outcomes.report(reader, number)
            if row is not None:
                report = CommercializationReportDetail.from_rows(row, outcomes.report_steps(reader, number), contracts)
                project, program = _project_and_program(reader, report.project_id, contracts)
    if report is None:
        return error_page(request, 404, "errors.no_report", id=report_id)
    with context.snapshot() as reader:
        against = objection_queries.objections_against(reader, ObjectionSubject.REPORT_DISPUTE, report.report_id)
    return render(request, "report.html", report=report, project=project, program=program,
                  objections=objections_of(against, contracts))  # fmt: skip
