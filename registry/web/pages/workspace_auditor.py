"""The auditor's workspace page (`/workspace/auditor`): an inbox read from the SQL copy, in three parts
with counts as reviewers' inboxes keep them: waiting on you (submissions to review, oldest first;
overdue milestones; reports to verify; projects to evaluate), in progress (waiting on the company) and
cleared; with the forms to approve or reject a milestone with a typed note, verify or dispute a report,
record an evaluation with its sanctions, confirm another auditor's pending sanction, and uphold or dismiss
a company's objection (not to one's own decision).

The page only shows and collects: `static/workspace/auditor.js` signs each write in the reader's page
(the workspace's signer) and sends it through the relay; a typed note is published as a document first
and its SHA-256 goes on chain, as the CLI's `--reason-text` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Request
from starlette.responses import Response

from registry.api.deps import Context
from registry.api.provenance import RegistryContracts
from registry.api.schemas.grants import Evaluation, Milestone, Project
from registry.api.schemas.outcomes import CommercializationReport
from registry.domain.deadlines import now_seconds
from registry.domain.enums import Grade
from registry.store.queries import auditor_inbox as inbox
from registry.store.queries import grants
from registry.store.queries.auditor_inbox import INBOX_ROWS, InboxList, read_inbox_list
from registry.store.queries.grants import AUDIT_SORTS, AuditFilter
from registry.web.listing import read_listing
from registry.web.pages.workspace import workspace_data
from registry.web.rendering import render
from registry.web.routing import page_router

router = page_router()

ItemT = TypeVar("ItemT")

#: What is cleared is shown newest first, this many of each kind; the record pages keep the rest.
CLEARED_ROWS = 20
#: Evaluations read for the sanctions a second auditor may confirm (a city records a few hundred a year).
SANCTION_ROWS = 500
#: The longest note the page takes (the document store keeps any size; a note is read on a record page).
NOTE_MAX_CHARACTERS = 4000
#: The file name each typed note is published under, as the CLI names the texts it is given.
NOTE_NAMES = {
    "approve": "review.txt",
    "reject": "rejection-reason.txt",
    "verify": "verification-note.txt",
    "dispute": "dispute-reason.txt",
    "findings": "audit-findings.txt",
    "uphold": "objection-upheld.txt",
    "dismiss": "objection-dismissed.txt",
}

#: The grades an evaluation may give, best first: (the value on chain, the API's name).
GRADES = [(int(g), g.name.lower().replace("_", "-")) for g in Grade if g is not Grade.NONE]


@dataclass(frozen=True)
class Shown(Generic[ItemT]):
    """One list of the inbox as the page shows it: its records and how many there are in all."""

    items: list[ItemT]
    count: int


def _shown(found: InboxList, build: Callable[[dict[str, Any]], ItemT]) -> Shown[ItemT]:
    return Shown([build(row) for row in found.rows], found.count)


@dataclass(frozen=True)
class MilestoneRow:
    milestone: Milestone
    company_id: bytes
    program_id: int


def _milestone_row(contracts: RegistryContracts) -> Callable[[dict[str, Any]], MilestoneRow]:
    return lambda r: MilestoneRow(Milestone.from_row(r, contracts), r["company_id"], r["program_id"])


@router.get("/workspace/auditor")
def auditor_page(request: Request, context: Context) -> Response:
    as_of = now_seconds()
    contracts = context.contracts()
    milestone = _milestone_row(contracts)

    def report(r: dict[str, Any]) -> CommercializationReport:
        return CommercializationReport.from_row(r, contracts)

    with context.engine.connect() as connection:

        def read(query: Any, build: Callable[[dict[str, Any]], ItemT], rows: int = INBOX_ROWS) -> Shown[ItemT]:
            return _shown(read_inbox_list(connection, query, rows), build)

        waiting: dict[str, Shown[Any]] = {
            "submissions": read(inbox.submissions_to_review(), milestone),
            "overdue": read(inbox.overdue_milestones(as_of), milestone),
            "reports": read(inbox.reports_to_verify(), report),
            "evaluations": read(inbox.projects_to_evaluate(as_of), lambda r: Project.from_row(r, contracts)),
        }
        in_progress: dict[str, Shown[Any]] = {
            "resubmissions": read(inbox.awaiting_resubmission(as_of), milestone),
            "disclosures": read(inbox.reports_awaiting_disclosure(), report),
        }
        cleared: dict[str, Shown[Any]] = {
            "approved": read(inbox.approved_milestones(), milestone, CLEARED_ROWS),
            "decided_reports": read(inbox.reports_cleared(), report, CLEARED_ROWS),
            "recorded": read(inbox.evaluations_recorded(), lambda r: Evaluation.from_row(r, contracts), CLEARED_ROWS),
        }
    evaluations = read_listing(context.engine, grants.audits_query(AuditFilter()), AUDIT_SORTS,
                               lambda r: Evaluation.from_row(r, contracts), rows=SANCTION_ROWS).items  # fmt: skip
    # An evaluation with a clawback or a restriction has a sanction; whether it is pending, in effect or
    # cancelled, and by how many, the page asks the chain (sanctionOf), the copy not keeping it yet.
    sanctions = [e for e in reversed(evaluations) if e.clawback_amount > 0 or e.restricted_until is not None]
    page = {
        "noteMaxCharacters": NOTE_MAX_CHARACTERS,
        "noteNames": NOTE_NAMES,
        "grades": [value for value, _ in GRADES],
    }
    return render(
        request,
        "workspace_auditor.html",
        waiting=waiting,
        in_progress=in_progress,
        cleared=cleared,
        counts={
            "waiting": sum(s.count for s in waiting.values()),
            "in_progress": sum(s.count for s in in_progress.values()),
            "cleared": sum(s.count for s in cleared.values()),
        },
        grades=GRADES,
        sanctions=sanctions,
        note_max=NOTE_MAX_CHARACTERS,
        workspace=workspace_data(request, page=page),
    )
