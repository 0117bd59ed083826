"""The API's routes, one module per resource; `ROUTERS` is the order they appear in the documentation."""

from __future__ import annotations

from fastapi import APIRouter

from registry.api.routes import (
    batches,
    evaluations,
    members,
    milestones,
    operations,
    outcomes,
    programs,
    projects,
    reports,
    statistics,
    verification,
)

ROUTERS: list[APIRouter] = [
    verification.router,  # first: FastAPI tries the routes in order, and this one is asked the most
    programs.router,
    projects.router,
    milestones.router,
    outcomes.router,
    reports.router,
    evaluations.router,
    members.router,
    batches.router,
    operations.router,
    statistics.router,
]
