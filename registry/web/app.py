"""The application `rnd-registry serve` runs: the public API (`registry.api.app`) with the portal's
pages, static files and error pages added to it."""

from __future__ import annotations

from fastapi import FastAPI

from registry.api import app as api
from registry.settings import Settings
from registry.web import mount


def create_app(settings: Settings | None = None, *, direct: bool = True) -> FastAPI:
    """The API over `settings`' database with the portal (`direct` as in `registry.api.app.create_app`)."""
    app = api.create_app(settings, direct=direct)
    mount(app)
    return app
