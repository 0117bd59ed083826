"""The portal's pages, one module per part of the site; `ROUTERS` in the order of the navigation."""

from __future__ import annotations

from fastapi import APIRouter

from registry.web.pages import dashboard, grants, home, outcomes, verify

ROUTERS: list[APIRouter] = [home.router, verify.router, grants.router, outcomes.router, dashboard.router]
