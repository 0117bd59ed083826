"""The GraphQL record types, the REST lists and lookups they are read with, and their relations: a program's
projects, a project's program, milestones, outcomes, reports and evaluations, each record's project.

A relation's list is a page like a top-level list's (`items`, `nextCursor`, with `sort`, `cursor`, `limit`),
and its cursor is the one the top-level list (or REST) gives when filtered by that parent: filter a relation
with the top-level list and its `program` or `project` argument.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import strawberry
from eth_utils.address import to_checksum_address
from pydantic import BaseModel

from registry.api.errors import BadParameter
from registry.api.graphql.context import Info
from registry.api.graphql.loaders import Listing, Lookup
from registry.api.graphql.models import object_type, record
from registry.api.graphql.scalars import DayValue, LongValue
from registry.api.pagination import MAX_CURSOR_LENGTH, answer_list, seek, sort_names
from registry.api.parameters import page_size
from registry.api.provenance import RegistryContracts
from registry.api.schemas.batches import EvidenceBatch
from registry.api.schemas.common import Page, Provenance
from registry.api.schemas.documents import AnchoredDocument
from registry.api.schemas.grants import (
    Evaluation,
    EvaluationDetail,
    Milestone,
    MilestoneDetail,
    Program,
    Project,
    ProjectDetail,
)
from registry.api.schemas.outcomes import (
    CommercializationReport,
    CommercializationReportDetail,
    IpStatusChange,
    Outcome,
    OutcomeDetail,
)
from registry.domain.deadlines import now_seconds
from registry.domain.enums import ObjectionSubject
from registry.store import statistics
from registry.store.queries import evidence, grants, objections, outcomes
from registry.store.queries.keyset import Seek, SortKey
from registry.store.queries.prepared import Snapshot
from registry.store.schema import audits, commercialization_reports, milestones, projects
from registry.store.schema import outcomes as outcome_table

# ---- the REST lists and lookups ------------------------------------------------------------------

PROGRAMS = Listing(
    "programs", grants.programs_query, grants.ProgramFilter(), grants.PROGRAM_SORTS, "id", Program.from_row
)
PROJECTS = Listing(
    "projects", grants.projects_query, grants.ProjectFilter(), grants.PROJECT_SORTS, "id", Project.from_row
)
MILESTONES = Listing(
    "milestones", grants.milestones_query, grants.MilestoneFilter(), grants.MILESTONE_SORTS, "id", Milestone.from_row
)
EVALUATIONS = Listing(
    "evaluations", grants.audits_query, grants.AuditFilter(), grants.AUDIT_SORTS, "id", Evaluation.from_row
)
OUTCOMES = Listing(
    "outcomes", outcomes.outcomes_query, outcomes.OutcomeFilter(), outcomes.OUTCOME_SORTS, "id", Outcome.from_row
)
IP_STATUS_CHANGES = Listing(
    "ipStatusChanges",
    outcomes.ip_changes_query,
    outcomes.IpChangeFilter(),
    outcomes.IP_CHANGE_SORTS,
    "time",
    IpStatusChange.from_row,
)
REPORTS = Listing(
    "commercializationReports",
    outcomes.reports_query,
    outcomes.ReportFilter(),
    outcomes.REPORT_SORTS,
    "id",
    CommercializationReport.from_row,
)
DOCUMENTS = Listing(
    "documents",
    evidence.anchors_query,
    evidence.AnchorFilter(),
    evidence.ANCHOR_SORTS,
    "time",
    AnchoredDocument.from_row,
)
BATCHES = Listing("batches", evidence.batches_query, evidence.BatchFilter(), evidence.BATCH_SORTS, "time",
                  EvidenceBatch.from_row)  # fmt: skip


# The lookups do what the REST routes' detail answers do (registry/api/routes/*.py), in a snapshot shared by
# every key of a batch.


def _program(reader: Snapshot, chain: RegistryContracts, program_id: int) -> Program | None:
    row = grants.program(reader, program_id)
    return None if row is None else Program.from_row(row, chain)


def _project(reader: Snapshot, chain: RegistryContracts, project_id: int) -> ProjectDetail | None:
    row = grants.project(reader, project_id)
    if row is None:
        return None
    results = statistics.project_results(reader, project_id)
    follow_up = statistics.project_follow_up(reader, row, now_seconds())
    return ProjectDetail.from_rows(row, grants.project_status_history(reader, project_id), chain, results, follow_up)


def _milestone(reader: Snapshot, chain: RegistryContracts, key: tuple[int, int]) -> MilestoneDetail | None:
    project_id, milestone_index = key
    row = grants.milestone(reader, project_id, milestone_index)
    if row is None:
        return None
    steps = grants.milestone_steps(reader, project_id, milestone_index)
    documents = grants.milestone_evidence(reader, project_id, milestone_index)
    contested = objections.objections_against(reader, ObjectionSubject.MILESTONE_REJECTION, project_id,
                                              milestone_index)  # fmt: skip
    return MilestoneDetail.from_rows(row, steps, documents, chain, contested)


def _outcome(reader: Snapshot, chain: RegistryContracts, outcome_id: int) -> OutcomeDetail | None:
    row = outcomes.outcome(reader, outcome_id)
    if row is None:
        return None
    history = outcomes.outcome_history(reader, outcome_id)
    return OutcomeDetail.from_rows(row, history.amendment, history.revocation, history.ip_status_changes, chain)


def _report(reader: Snapshot, chain: RegistryContracts, report_id: int) -> CommercializationReportDetail | None:
    row = outcomes.report(reader, report_id)
    if row is None:
        return None
    contested = objections.objections_against(reader, ObjectionSubject.REPORT_DISPUTE, report_id)
    return CommercializationReportDetail.from_rows(row, outcomes.report_steps(reader, report_id), chain, contested)


def _evaluation(reader: Snapshot, chain: RegistryContracts, audit_id: int) -> EvaluationDetail | None:
    row = grants.audit(reader, audit_id)
    if row is None:
        return None
    confirmations = objections.sanction_confirmations_of(reader, audit_id)
    contested = objections.objections_against(reader, ObjectionSubject.EVALUATION, audit_id)
    return EvaluationDetail.from_rows(row, confirmations, contested, chain)


def _batch(reader: Snapshot, chain: RegistryContracts, root: bytes) -> EvidenceBatch | None:
    row = evidence.batch(reader, root)
    return None if row is None else EvidenceBatch.from_row(row, chain)


PROGRAM = Lookup("program", _program)
PROJECT = Lookup("project", _project)
MILESTONE = Lookup("milestone", _milestone)
OUTCOME = Lookup("outcome", _outcome)
REPORT = Lookup("commercializationReport", _report)
EVALUATION = Lookup("evaluation", _evaluation)
BATCH = Lookup("batch", _batch)


# ---- arguments -----------------------------------------------------------------------------------

ADDRESS_SPELLING = re.compile("0x[0-9a-fA-F]{40}")

Cursor = Annotated[
    str | None,
    strawberry.argument(description="Continue after the previous page: its `nextCursor`, unchanged, with the same "
                        "arguments. The cursors are the REST API's: one works in the other."),
]  # fmt: skip
Limit = Annotated[
    int | None,
    strawberry.argument(description="Items per page: 50 unless given, at most the server's maximum (500 by "
                        "default). Counts towards the query's cost."),
]  # fmt: skip
From = Annotated[DayValue | None, strawberry.argument(name="from", description="On or after this day (UTC).")]
To = Annotated[DayValue | None, strawberry.argument(name="to", description="On or before this day (UTC).")]
Company = Annotated[
    str | None,
    strawberry.argument(description="Only this company's: its company id (0x and 64 hex digits) or its business "
                        "registration number (131-81-20001 or 1318120001)."),
]  # fmt: skip
AnchoredBy = Annotated[
    str | None, strawberry.argument(name="anchoredBy", description="Only this account's (0x and 40 hex digits).")
]


def sort_argument(sorts: dict[str, SortKey], default: str) -> Any:
    return strawberry.argument(
        description=f"Order of the list: one of {', '.join(sort_names(sorts))}. Default {default}."
    )


def position(info: Info, listing: Listing[Any], sort: str | None, cursor: str | None, limit: int | None) -> Seek:
    """Where a page of `listing` starts and how long it is, checked as the REST API checks `sort`, `cursor`
    and `limit` (the same messages)."""
    if limit is not None and limit < 1:
        raise BadParameter(f"limit: at least 1 item per page (got {limit})", parameter="limit", status=422)
    if cursor is not None and not 1 <= len(cursor) <= MAX_CURSOR_LENGTH:
        raise BadParameter("not a cursor of this list: pass the nextCursor of the previous page unchanged",
                           parameter="cursor")  # fmt: skip
    return seek(listing.sorts, listing.default_sort, sort, cursor, page_size(limit, info.context.api.settings))


async def read_list(
    info: Info, listing: Listing[Any], wanted: object, sort: str | None, cursor: str | None, limit: int | None
) -> Page[Any]:
    """A page of one of the REST lists, as REST answers it."""
    api = info.context.api
    at = position(info, listing, sort, cursor, limit)
    return await answer_list(api, listing.query(wanted), at, lambda row: listing.item(row, api.contracts()), Page[Any])


def checked_year(year: int | None) -> int | None:
    if year is not None and not 1 <= year <= 9999:
        raise BadParameter(f"year: {year} is not a year (1 to 9999)", parameter="year", status=422)
    return year


def account(text: str | None, parameter: str) -> str | None:
    """The checksummed address an account argument names."""
    if text is None:
        return None
    if ADDRESS_SPELLING.fullmatch(text) is None:
        raise BadParameter(f"{parameter}: {text!r} is not an account address (0x and 40 hex digits)",
                           parameter=parameter, status=422)  # fmt: skip
    return str(to_checksum_address(text))


# ---- relations -----------------------------------------------------------------------------------


async def _program_of(root: Project, info: Info) -> Program | None:
    return await info.context.loaders.lookup(PROGRAM).load(root.program_id)


async def _project_of(root: Milestone | Outcome | CommercializationReport | Evaluation, info: Info) -> Project | None:
    return await info.context.loaders.lookup(PROJECT).load(root.project_id)


async def _outcome_of(root: IpStatusChange, info: Info) -> Outcome | None:
    return await info.context.loaders.lookup(OUTCOME).load(root.outcome_id)


def _children(listing: Listing[Any], parent: Any, parent_id: Any) -> Any:
    """A relation's list: the page of `listing` under each record (`parent_id(record)`)."""

    async def children(root: BaseModel, info: Info, sort: str | None = None, cursor: Cursor = None,
                       limit: Limit = None) -> Page[Any]:  # fmt: skip
        at = position(info, listing, sort, cursor, limit)
        return await info.context.loaders.pages(listing, listing.unfiltered, parent, at).load(parent_id(root))

    # Each list has its own sorts, which the argument's description names.
    children.__annotations__["sort"] = Annotated[str | None, sort_argument(listing.sorts, listing.default_sort)]
    return children


def _relation(resolver: Any, of: str, description: str) -> Any:
    # Null only if the copy lacks the record (the indexer stores a record's parents before it).
    return strawberry.field(resolver=resolver, graphql_type=record(of) | None, description=description)


def _page_of(listing: Listing[Any], parent: Any, parent_id: Any, of: str, description: str) -> Any:
    return strawberry.field(resolver=_children(listing, parent, parent_id), graphql_type=record(of),
                            description=description)  # fmt: skip


def _detail(lookup: Lookup[Any, Any], key: Any) -> Any:
    async def detail(root: Any, info: Info) -> Any:
        return await info.context.loaders.lookup(lookup).load(key(root))

    return detail


# ---- the record types ------------------------------------------------------------------------------

ProvenanceObject = object_type(
    Provenance, overrides={"chain_id": LongValue, "block_number": LongValue}, name="Provenance"
)

ProgramObject = object_type(
    Program,
    name="Program",
    relations={
        "projects": _page_of(PROJECTS, projects.c.program_id, lambda p: p.program_id, "ProjectPage",
                             "The program's projects, by id unless `sort` says otherwise."),
    },
)  # fmt: skip
ProjectObject = object_type(
    ProjectDetail,
    name="Project",
    summary_of=(Project, _detail(PROJECT, lambda p: p.project_id)),
    relations={
        "program": _relation(_program_of, "ProgramObject", "The program that funds the project."),
        "milestones": _page_of(MILESTONES, milestones.c.project_id, lambda p: p.project_id, "MilestonePage",
                               "The project's milestones, by index unless `sort` says otherwise."),
        "outcomes": _page_of(OUTCOMES, outcome_table.c.project_id, lambda p: p.project_id, "OutcomePage",
                             "The project's outcomes, corrections and revoked ones included."),
        "commercialization_reports": _page_of(REPORTS, commercialization_reports.c.project_id,
                                              lambda p: p.project_id, "CommercializationReportPage",
                                              "The project's commercialization reports."),
        "evaluations": _page_of(EVALUATIONS, audits.c.project_id, lambda p: p.project_id, "EvaluationPage",
                                "The project's evaluations."),
    },
)  # fmt: skip
MilestoneObject = object_type(
    MilestoneDetail,
    name="Milestone",
    summary_of=(Milestone, _detail(MILESTONE, lambda m: (m.project_id, m.milestone_index))),
    relations={"project": _relation(_project_of, "ProjectObject", "The milestone's project.")},
)
OutcomeObject = object_type(
    OutcomeDetail,
    name="Outcome",
    summary_of=(Outcome, _detail(OUTCOME, lambda o: o.outcome_id)),
    relations={"project": _relation(_project_of, "ProjectObject", "The project the outcome came from.")},
)
IpStatusChangeObject = object_type(
    IpStatusChange,
    name="IpStatusChange",
    description="A change of an outcome's intellectual-property status.",
    relations={"outcome": _relation(_outcome_of, "OutcomeObject", "The outcome whose status changed.")},
)
CommercializationReportObject = object_type(
    CommercializationReportDetail,
    name="CommercializationReport",
    summary_of=(CommercializationReport, _detail(REPORT, lambda r: r.report_id)),
    relations={"project": _relation(_project_of, "ProjectObject", "The project the figures are of.")},
)
EvaluationObject = object_type(
    EvaluationDetail,
    name="Evaluation",
    summary_of=(Evaluation, _detail(EVALUATION, lambda e: e.audit_id)),
    relations={"project": _relation(_project_of, "ProjectObject", "The project evaluated.")},
)
AnchoredDocumentObject = object_type(AnchoredDocument, name="AnchoredDocument")
EvidenceBatchObject = object_type(EvidenceBatch, name="EvidenceBatch")


PAGE_DESCRIPTION = (
    "One page of a list: pass its `nextCursor` back as `cursor`, with the same arguments, for the next page; "
    "`nextCursor` is null on the last page."
)


def _page_type(name: str, item: Any) -> Any:
    fields = Page.model_fields
    namespace: dict[str, Any] = {
        "__annotations__": {"items": list[item], "next_cursor": str | None},
        "items": strawberry.field(description="The page's records."),
        "next_cursor": strawberry.field(name="nextCursor", description=fields["next_cursor"].description),
    }
    cls = type(name, (), namespace)
    return strawberry.type(cls, name=name, description=PAGE_DESCRIPTION)


ProgramPage = _page_type("ProgramPage", ProgramObject)
ProjectPage = _page_type("ProjectPage", ProjectObject)
MilestonePage = _page_type("MilestonePage", MilestoneObject)
OutcomePage = _page_type("OutcomePage", OutcomeObject)
IpStatusChangePage = _page_type("IpStatusChangePage", IpStatusChangeObject)
CommercializationReportPage = _page_type("CommercializationReportPage", CommercializationReportObject)
EvaluationPage = _page_type("EvaluationPage", EvaluationObject)
AnchoredDocumentPage = _page_type("AnchoredDocumentPage", AnchoredDocumentObject)
EvidenceBatchPage = _page_type("EvidenceBatchPage", EvidenceBatchObject)
