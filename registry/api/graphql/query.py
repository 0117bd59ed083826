"""The GraphQL endpoint's root type: the REST API's lists, with the same filters, sorts and cursors, and its
lookups by key (null where REST answers 404). Read-only: the schema has no mutations and no subscriptions."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types.field import StrawberryField

from registry.api.graphql.context import Info
from registry.api.graphql.models import record
from registry.api.graphql.records import (
    BATCH,
    BATCHES,
    DOCUMENTS,
    EVALUATION,
    EVALUATIONS,
    IP_STATUS_CHANGES,
    MILESTONE,
    MILESTONES,
    OUTCOME,
    OUTCOMES,
    PROGRAM,
    PROGRAMS,
    PROJECT,
    PROJECTS,
    REPORT,
    REPORTS,
    AnchoredBy,
    Company,
    Cursor,
    From,
    Limit,
    To,
    account,
    checked_year,
    read_list,
    sort_argument,
)
from registry.api.graphql.scalars import Hex32Value
from registry.api.parameters import company_param, day_range
from registry.api.schemas.common import Page
from registry.domain.enums import (
    Grade,
    IpStatus,
    MilestoneStatus,
    OutcomeType,
    ProgramStatus,
    ProjectStatus,
    ReportStatus,
)
from registry.store.queries import evidence, grants, outcomes

ProgramSort = Annotated[str | None, sort_argument(PROGRAMS.sorts, PROGRAMS.default_sort)]
ProjectSort = Annotated[str | None, sort_argument(PROJECTS.sorts, PROJECTS.default_sort)]
MilestoneSort = Annotated[str | None, sort_argument(MILESTONES.sorts, MILESTONES.default_sort)]
OutcomeSort = Annotated[str | None, sort_argument(OUTCOMES.sorts, OUTCOMES.default_sort)]
IpChangeSort = Annotated[str | None, sort_argument(IP_STATUS_CHANGES.sorts, IP_STATUS_CHANGES.default_sort)]
ReportSort = Annotated[str | None, sort_argument(REPORTS.sorts, REPORTS.default_sort)]
EvaluationSort = Annotated[str | None, sort_argument(EVALUATIONS.sorts, EVALUATIONS.default_sort)]
DocumentSort = Annotated[str | None, sort_argument(DOCUMENTS.sorts, DOCUMENTS.default_sort)]
BatchSort = Annotated[str | None, sort_argument(BATCHES.sorts, BATCHES.default_sort)]

ProgramId = Annotated[int | None, strawberry.argument(description="Only this program's.")]
ProjectId = Annotated[int | None, strawberry.argument(description="Only this project's.")]
Year = Annotated[int | None, strawberry.argument(description="Only those of programs of this year.")]


def _list(of: str, description: str) -> StrawberryField:
    field: StrawberryField = strawberry.field(graphql_type=record(of), description=description)
    return field


def _one(of: str, description: str) -> StrawberryField:
    field: StrawberryField = strawberry.field(graphql_type=record(of) | None, description=description)
    return field


@strawberry.type(description="The public record of the city's R&D grants, read-only. Every record carries its "
                 "`provenance` (the event that created it) and, where it can change, its `lastChange`.")  # fmt: skip
class Query:
    @_list("ProgramPage", "Grant programs. `from`/`to` compare the day the program was opened.")
    async def programs(
        self, info: Info, year: int | None = None, status: ProgramStatus | None = None, start: From = None,
        end: To = None, sort: ProgramSort = None, cursor: Cursor = None, limit: Limit = None,
    ) -> Page[Any]:  # fmt: skip
        first, after = day_range(start, end)
        wanted = grants.ProgramFilter(year=checked_year(year), status=status, created_from=first, created_before=after)
        return await read_list(info, PROGRAMS, wanted, sort, cursor, limit)

    @_one("ProgramObject", "One grant program; null if there is none with this id.")
    async def program(self, info: Info, id: int) -> Any:
        return await info.context.loaders.lookup(PROGRAM).load(id)

    @_list("ProjectPage", "Projects (grant agreements). `from`/`to` compare the project's start date.")
    async def projects(
        self, info: Info, program: ProgramId = None, year: Year = None, company: Company = None,
        status: ProjectStatus | None = None, start: From = None, end: To = None, sort: ProjectSort = None,
        cursor: Cursor = None, limit: Limit = None,
    ) -> Page[Any]:  # fmt: skip
        first, after = day_range(start, end)
        wanted = grants.ProjectFilter(program_id=program, year=checked_year(year), company_id=company_param(company),
                                      status=status, start_from=first, start_before=after)  # fmt: skip
        return await read_list(info, PROJECTS, wanted, sort, cursor, limit)

    @_one("ProjectObject", "One project, with its status changes; null if there is none with this id.")
    async def project(self, info: Info, id: int) -> Any:
        return await info.context.loaders.lookup(PROJECT).load(id)

    @_list("MilestonePage", "Milestones of every project. `from`/`to` compare the milestone's due date.")
    async def milestones(
        self, info: Info, project: ProjectId = None, program: ProgramId = None, year: Year = None,
        company: Company = None, status: MilestoneStatus | None = None, start: From = None, end: To = None,
        sort: MilestoneSort = None, cursor: Cursor = None, limit: Limit = None,
    ) -> Page[Any]:  # fmt: skip
        first, after = day_range(start, end)
        wanted = grants.MilestoneFilter(project_id=project, program_id=program, year=checked_year(year),
                                        company_id=company_param(company), status=status, due_from=first,
                                        due_before=after)  # fmt: skip
        return await read_list(info, MILESTONES, wanted, sort, cursor, limit)

    @_one("MilestoneObject", "One milestone, with its full history; null if the project has no such milestone.")
    async def milestone(self, info: Info, project: int, index: int) -> Any:
        return await info.context.loaders.lookup(MILESTONE).load((project, index))

    @_list("OutcomePage", "R&D outcomes, revoked ones included; corrected ones only in their current version "
           "unless `superseded` is given (true: only the replaced versions, false: only current ones; "
           "`allVersions: true`: both). `from`/`to` compare when the outcome was recorded.")  # fmt: skip
    async def outcomes(
        self, info: Info, project: ProjectId = None, program: ProgramId = None, year: Year = None,
        company: Company = None, type: OutcomeType | None = None,
        ip_status: Annotated[IpStatus | None, strawberry.argument(name="ipStatus")] = None,
        revoked: bool | None = None, start: From = None, end: To = None, sort: OutcomeSort = None,
        cursor: Cursor = None, limit: Limit = None, superseded: bool | None = None,
        all_versions: Annotated[bool, strawberry.argument(name="allVersions")] = False,
        sci_indexed: Annotated[bool | None, strawberry.argument(name="sciIndexed")] = None,
    ) -> Page[Any]:  # fmt: skip
        first, after = day_range(start, end)
        versions = None if all_versions else (False if superseded is None else superseded)
        wanted = outcomes.OutcomeFilter(project_id=project, program_id=program, year=checked_year(year),
                                        company_id=company_param(company), outcome_type=type, ip_status=ip_status,
                                        revoked=revoked, recorded_from=first, recorded_before=after,
                                        superseded=versions, sci_indexed=sci_indexed)  # fmt: skip
        return await read_list(info, OUTCOMES, wanted, sort, cursor, limit)

    @_one("OutcomeObject", "One R&D outcome, with its correction, revocation and IP history; null if there is none.")
    async def outcome(self, info: Info, id: int) -> Any:
        return await info.context.loaders.lookup(OUTCOME).load(id)

    @_list("IpStatusChangePage", "Every change of an outcome's intellectual-property status, in chain order "
           "unless sorted `-time`.")  # fmt: skip
    async def ip_status_changes(
        self, info: Info, outcome: int | None = None, project: ProjectId = None, program: ProgramId = None,
        year: Year = None, company: Company = None, status: IpStatus | None = None, sort: IpChangeSort = None,
        cursor: Cursor = None, limit: Limit = None,
    ) -> Page[Any]:  # fmt: skip
        wanted = outcomes.IpChangeFilter(outcome_id=outcome, project_id=project, program_id=program,
                                         year=checked_year(year), company_id=company_param(company),
                                         status=status)  # fmt: skip
        return await read_list(info, IP_STATUS_CHANGES, wanted, sort, cursor, limit)

    @_list("CommercializationReportPage", "Yearly commercialization reports. `year` is the year the figures are "
           "for; `from`/`to` compare when the report was recorded.")  # fmt: skip
    async def commercialization_reports(
        self, info: Info, project: ProjectId = None, program: ProgramId = None, company: Company = None,
        year: Annotated[int | None, strawberry.argument(description="Only figures for this year.")] = None,
        status: ReportStatus | None = None, start: From = None, end: To = None, sort: ReportSort = None,
        cursor: Cursor = None, limit: Limit = None,
    ) -> Page[Any]:  # fmt: skip
        first, after = day_range(start, end)
        wanted = outcomes.ReportFilter(project_id=project, program_id=program, company_id=company_param(company),
                                       year=checked_year(year), status=status, recorded_from=first,
                                       recorded_before=after)  # fmt: skip
        return await read_list(info, REPORTS, wanted, sort, cursor, limit)

    @_one("CommercializationReportObject", "One commercialization report, with its history; null if there is none.")
    async def commercialization_report(self, info: Info, id: int) -> Any:
        return await info.context.loaders.lookup(REPORT).load(id)

    @_list("EvaluationPage", "Evaluations (audits). `from`/`to` compare when the evaluation was recorded.")
    async def evaluations(
        self, info: Info, project: ProjectId = None, program: ProgramId = None, year: Year = None,
        company: Company = None, grade: Grade | None = None, start: From = None, end: To = None,
        sort: EvaluationSort = None, cursor: Cursor = None, limit: Limit = None,
    ) -> Page[Any]:  # fmt: skip
        first, after = day_range(start, end)
        wanted = grants.AuditFilter(project_id=project, program_id=program, year=checked_year(year),
                                    company_id=company_param(company), grade=grade, recorded_from=first,
                                    recorded_before=after)  # fmt: skip
        return await read_list(info, EVALUATIONS, wanted, sort, cursor, limit)

    @_one("EvaluationObject", "One evaluation; null if there is none with this id.")
    async def evaluation(self, info: Info, id: int) -> Any:
        return await info.context.loaders.lookup(EVALUATION).load(id)

    @_list("AnchoredDocumentPage", "The anchor book: each document's SHA-256 and first anchoring, in anchoring "
           "order unless sorted `-time`. A document in a batch only is not listed (see `batches`).")  # fmt: skip
    async def documents(
        self, info: Info, anchored_by: AnchoredBy = None, start: From = None, end: To = None,
        sort: DocumentSort = None, cursor: Cursor = None, limit: Limit = None,
    ) -> Page[Any]:  # fmt: skip
        first, after = day_range(start, end)
        wanted = evidence.AnchorFilter(anchored_by=account(anchored_by, "anchoredBy"), anchored_from=first,
                                       anchored_before=after)  # fmt: skip
        return await read_list(info, DOCUMENTS, wanted, sort, cursor, limit)

    @_list("EvidenceBatchPage", "Merkle roots of document batches, in anchoring order unless sorted `-time`.")
    async def batches(
        self, info: Info, anchored_by: AnchoredBy = None, start: From = None, end: To = None,
        sort: BatchSort = None, cursor: Cursor = None, limit: Limit = None,
    ) -> Page[Any]:  # fmt: skip
        first, after = day_range(start, end)
        wanted = evidence.BatchFilter(anchored_by=account(anchored_by, "anchoredBy"), anchored_from=first,
                                      anchored_before=after)  # fmt: skip
        return await read_list(info, BATCHES, wanted, sort, cursor, limit)

    @_one("EvidenceBatchObject", "One evidence batch, by its Merkle root; null if there is none.")
    async def batch(self, info: Info, merkle_root: Annotated[Hex32Value, strawberry.argument(name="root")]) -> Any:
        return await info.context.loaders.lookup(BATCH).load(merkle_root)
