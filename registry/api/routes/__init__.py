"""The API's routes, one module per resource; `ROUTERS` is the order they appear in the documentation,
`DIRECT_LOOKUPS` the lookups also served by a direct route ahead of them (registry/api/direct_routes.py),
`DIRECT_LISTS` the lists (registry/api/direct_lists.py)."""

from __future__ import annotations

from fastapi import APIRouter

from registry.api.direct_lists import DirectList
from registry.api.direct_routes import DirectLookup
from registry.api.routes import (
    batches,
    companies,
    datasets,
    document_uploads,
    documents,
    evaluations,
    index,
    members,
    milestones,
    objections,
    operations,
    outcomes,
    programs,
    projects,
    public_documents,
    receipts,
    record_receipts,
    relay,
    reports,
    statistics,
    verification,
)

ROUTERS: list[APIRouter] = [
    index.router,
    verification.router,
    receipts.router,
    record_receipts.router,
    programs.router,
    projects.router,
    milestones.router,
    outcomes.router,
    reports.router,
    evaluations.router,
    objections.router,
    members.router,
    companies.router,
    batches.router,
    documents.router,
    document_uploads.router,  # before public_documents.router, whose /documents/{sha256} would take /publishing
    public_documents.router,  # after documents.router, whose /documents/export it must not take
    operations.router,
    statistics.router,
    datasets.router,
    relay.router,
]

DIRECT_LOOKUPS: list[DirectLookup] = [
    *verification.DIRECT_LOOKUPS,
    *projects.DIRECT_LOOKUPS,
    *programs.DIRECT_LOOKUPS,
    *milestones.DIRECT_LOOKUPS,
    *outcomes.DIRECT_LOOKUPS,
    *reports.DIRECT_LOOKUPS,
    *evaluations.DIRECT_LOOKUPS,
    *batches.DIRECT_LOOKUPS,
]

DIRECT_LISTS: list[DirectList] = [
    *programs.DIRECT_LISTS,
    *projects.DIRECT_LISTS,
    *milestones.DIRECT_LISTS,
    *outcomes.DIRECT_LISTS,
    *reports.DIRECT_LISTS,
    *evaluations.DIRECT_LISTS,
    *batches.DIRECT_LISTS,
    *documents.DIRECT_LISTS,
]
