"""The portal's pages, one module per part of the site; `ROUTERS` in the order of the navigation."""

from __future__ import annotations

from fastapi import APIRouter

from registry.web.pages import (
    chain_check,
    dashboard,
    grants,
    home,
    members,
    outcomes,
    receipts,
    verifier,
    verify,
    workspace,
    workspace_auditor,
    workspace_office,
)

ROUTERS: list[APIRouter] = [
    home.router, verify.router, grants.router, outcomes.router, members.router, dashboard.router,
    chain_check.router, verifier.router, receipts.router, workspace.router,
    workspace_auditor.router, workspace_office.router,
]  # fmt: skip
