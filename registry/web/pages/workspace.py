"""The workspace: the pages where a company clerk, an auditor and the program office write to the registry
from the browser. A person signs in the page with their keystore file (or a browser wallet); every write is
an EIP-712 `ForwardRequest` signed there and sent to the relay (`POST /api/v1/relay`). No key, password or
signature ever reaches these routes: they serve the pages, the contracts' ABIs and what a company has due.

The shared JavaScript is under `static/workspace/` (`signer.js`, `relay-client.js`...); each role's page adds
its own script. `workspace_data` is the configuration every workspace page embeds for them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy import Select
from starlette.responses import Response

from registry.api.deps import ApiContext, Context
from registry.api.provenance import RegistryContracts, Row
from registry.api.schemas.grants import Evaluation, Milestone, MilestoneStep, Program, Project, optional_hash
from registry.api.schemas.objections import Objection
from registry.api.schemas.outcomes import CommercializationReport, Outcome
from registry.browser_libraries import ETHERS
from registry.chain.deployment import GRANT_REGISTRY, OUTCOME_REGISTRY
from registry.domain.deadlines import commercialization_years_due, is_overdue, now_seconds
from registry.domain.enums import IP_OUTCOME_TYPES, IpStatus, MilestoneStatus, OutcomeType
from registry.domain.outcome_details import outcome_rules
from registry.store.queries import grants, outcomes
from registry.store.queries import objections as objection_queries
from registry.store.queries.grants import (
    AUDIT_SORTS,
    MILESTONE_SORTS,
    PROJECT_SORTS,
    AuditFilter,
    MilestoneFilter,
    ProjectFilter,
)
from registry.store.queries.keyset import SortKey
from registry.store.queries.objections import OBJECTION_SORTS, ObjectionFilter
from registry.store.queries.outcomes import OUTCOME_SORTS, REPORT_SORTS, OutcomeFilter, ReportFilter
from registry.web import parameters
from registry.web.formatting import enum_name
from registry.web.i18n import Translator, requested_language
from registry.web.listing import read_listing
from registry.web.parameters import FormProblem
from registry.web.rendering import SECURITY_HEADERS, render
from registry.web.routing import page_router

router = page_router()
ItemT = TypeVar("ItemT")

CONTRACTS_URL = "/workspace/contracts.json"
AGENDA_URL = "/workspace/company/agenda.json"
#: Minutes without a key press or a click after which a decrypted key is forgotten.
IDLE_MINUTES = 10
#: Seconds a signed request stays valid (chain time): long enough to sign and send, short enough that a
#: request left behind cannot be sent much later.
REQUEST_VALID_SECONDS = 600
#: Seconds the page waits for the indexer to serve a record the relay has written.
RECORD_WAIT_SECONDS = 90
#: Gas a relayed call may use, as `rnd-registry sign` gives it.
DEFAULT_GAS = 1_000_000
#: The page of each role (the API's role names; `company` for an account bound to a company).
ROLE_PAGES = {"company": "/workspace/company", "auditor": "/workspace/auditor", "admin": "/workspace/office"}
#: A company's projects (and each project's milestones, outcomes, reports) the clerk's page lists at most.
AGENDA_ROWS = 200

#: The form parsers (amounts such as 3.5억, dates) the role pages share (static/workspace/forms.js).
FORMS_SCRIPT = Path(__file__).resolve().parents[1] / "static" / "workspace" / "forms.js"

_NO_STORE = {**SECURITY_HEADERS, "Cache-Control": "no-store"}


def workspace_data(request: Request, **extra: Any) -> dict[str, Any]:
    """What every workspace page's scripts read from `<script type="application/json" id="workspace-data">`:
    the `workspace.` messages and enum labels in the page's language, the addresses they call, the idle
    limit; `extra` adds a page's own."""
    translate = Translator(requested_language(request)[0])
    context: ApiContext = request.app.state.context
    return {
        "lang": translate.language.value,
        "messages": translate.subset("workspace."),
        "enums": translate.subset("enum."),
        "idleMinutes": IDLE_MINUTES,
        "requestValidSeconds": REQUEST_VALID_SECONDS,
        "recordWaitSeconds": RECORD_WAIT_SECONDS,
        "defaultGas": DEFAULT_GAS,
        "rolePages": ROLE_PAGES,
        "urls": {
            "ethers": ETHERS.url,
            "contracts": CONTRACTS_URL,
            "relay": "/api/v1/relay",
            "relayStatus": "/api/v1/relay/status",
            "relayCheck": "/api/v1/relay/check",
            "roles": "/api/v1/members",
            "companyAccounts": "/api/v1/members/companies",
            "agenda": AGENDA_URL,
            "documents": "/api/v1/documents",
            # The node the pages ask the contracts' views of (`eth_call`), as the chain check's city node.
            "rpc": context.settings.rpc_url,
        },
        **extra,
    }


@router.get("/workspace")
def workspace_page(request: Request) -> Response:
    return render(request, "workspace.html", workspace=workspace_data(request))


@router.get("/workspace/company")
def company_workspace_page(request: Request) -> Response:
    translate = Translator(requested_language(request)[0])
    choices = {
        "outcomeTypes": [
            {"value": int(kind), "key": enum_name(kind), "label": translate.enum("outcome_type", enum_name(kind))}
            for kind in OutcomeType
            if kind is not OutcomeType.NONE
        ],
        "ipOutcomeTypes": sorted(enum_name(kind) for kind in IP_OUTCOME_TYPES),
        "ipStatuses": [
            {"value": int(status), "label": translate.enum("ip_status", enum_name(status))}
            for status in IpStatus
            if status is not IpStatus.NONE
        ],
    }
    # The table registry/domain/outcome_details.py checks an outcome's identifier and details with, so the
    # page checks them alike (static/workspace/outcome-details.js).
    page = workspace_data(request, choices=choices, outcomeRules=outcome_rules())
    return render(request, "workspace_company.html", workspace=page)


@router.get(CONTRACTS_URL)
def workspace_contracts(context: Context) -> Response:
    """The registry's two contracts a relayed request may call, with their whole ABIs (writes included,
    unlike the chain check's `abi.json`), from the deployment manifest."""
    manifest = context.manifest
    if manifest is None:
        return JSONResponse({"error": "no registry is deployed here yet"}, status_code=503, headers=_NO_STORE)
    found = {
        name: {"address": manifest.contracts[name].address, "abi": manifest.contracts[name].abi}
        for name in (GRANT_REGISTRY, OUTCOME_REGISTRY)
    }
    return JSONResponse({"chainId": manifest.chain_id, "contracts": found}, headers=_NO_STORE)


@router.get(AGENDA_URL)
def company_agenda(request: Request, context: Context, company: str | None = None) -> Response:
    """A company's projects and what each has due, for the clerk's page: its milestones (each marked overdue
    or not by `registry.domain.deadlines`, a rejected one with the auditor's reason), outcomes, reports,
    evaluations (which the company may object to), the objections it filed and the commercialization years
    it owes. Read from the
    registry's copy, like every portal page."""
    company_id = parameters.company(company)
    if company_id is None:
        raise FormProblem("company", "errors.company", value="")
    return JSONResponse(_agenda(context, company_id), headers=_NO_STORE)


def _agenda(context: ApiContext, company_id: bytes) -> dict[str, Any]:
    contracts = context.contracts()
    engine = context.engine
    as_of = now_seconds()

    def listed(query: Select[Any], sorts: dict[str, SortKey], build: Callable[[Row], ItemT]) -> list[ItemT]:
        return read_listing(engine, query, sorts, build, rows=AGENDA_ROWS).items

    projects = listed(grants.projects_query(ProjectFilter(company_id=company_id)), PROJECT_SORTS,
                      lambda r: Project.from_row(r, contracts))  # fmt: skip
    found = []
    for project in projects:
        number = project.project_id
        milestones = listed(grants.milestones_query(MilestoneFilter(project_id=number)), MILESTONE_SORTS,
                            lambda r: Milestone.from_row(r, contracts))  # fmt: skip
        found_outcomes = listed(outcomes.outcomes_query(OutcomeFilter(project_id=number)), OUTCOME_SORTS,
                                lambda r: Outcome.from_row(r, contracts))  # fmt: skip
        reports = listed(outcomes.reports_query(ReportFilter(project_id=number)), REPORT_SORTS,
                         lambda r: CommercializationReport.from_row(r, contracts))  # fmt: skip
        evaluations = listed(grants.audits_query(AuditFilter(project_id=number)), AUDIT_SORTS,
                             lambda r: Evaluation.from_row(r, contracts))  # fmt: skip
        filed = listed(objection_queries.objections_query(ObjectionFilter(project_id=number)), OBJECTION_SORTS,
                       lambda r: Objection.from_row(r, contracts))  # fmt: skip
        with context.snapshot() as reader:
            program_row = grants.program(reader, project.program_id)
            rejections = {
                m.milestone_index: _last_rejection(grants.milestone_steps(reader, number, m.milestone_index), contracts)
                for m in milestones
                if m.status is MilestoneStatus.REJECTED
            }
        program = Program.from_row(program_row, contracts) if program_row is not None else None
        found.append(
            {
                "project": project.model_dump(mode="json", by_alias=True),
                "programName": program.name if program else None,
                "milestones": [
                    {
                        **m.model_dump(mode="json", by_alias=True),
                        "overdue": is_overdue(m.status, m.due_date, project.status, as_of),
                        "rejection": rejections.get(m.milestone_index),
                    }
                    for m in milestones
                ],
                "outcomes": [o.model_dump(mode="json", by_alias=True) for o in found_outcomes],
                "reports": [r.model_dump(mode="json", by_alias=True) for r in reports],
                "evaluations": [e.model_dump(mode="json", by_alias=True) for e in evaluations],
                "objections": [o.model_dump(mode="json", by_alias=True) for o in filed],
                "reportYearsDue": commercialization_years_due(
                    project.status, project.end_date, {r.year for r in reports}, as_of
                ),
            }
        )
    return {"asOf": as_of, "companyId": "0x" + company_id.hex(), "projects": found}


def _last_rejection(steps: Sequence[Row], contracts: RegistryContracts) -> dict[str, Any] | None:
    """The auditor's last rejection of a milestone, as the API's history writes a step: who, when, and the
    SHA-256 of the reason document (`GET /api/v1/documents/{sha256}` serves it if it was published)."""
    for step in reversed(steps):
        if step["status"] == MilestoneStatus.REJECTED:
            shown = MilestoneStep(
                status=step["status"], attempt=step["attempt"], actor=step["actor"],
                document_hash=optional_hash(step["document_hash"]), evidence_hashes=[],
                provenance=contracts.event(step, contracts.grant_registry),
            )  # fmt: skip
            return shown.model_dump(mode="json", by_alias=True)
    return None
