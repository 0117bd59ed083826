"""A copy of the registry to check: any registry API, read over HTTP with its public routes (the
city's server, a partner's, or the API serving a SQL copy on this machine).

Each record kind maps to the list that enumerates it and the route that shows one record in full
(with its histories); kinds without a route of their own are found in their list by key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

from registry.errors import RegistryError


class CopyUnavailable(RegistryError):
    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        super().__init__(f"the registry API at {url} {reason}")


@dataclass(frozen=True)
class KindRoutes:
    list_path: str
    detail_path: str | None
    key_fields: tuple[str, ...]

    def detail(self, key: dict[str, Any]) -> str | None:
        if self.detail_path is None:
            return None
        return self.detail_path.format(**{name: quote(str(value)) for name, value in key.items()})


ROUTES: dict[str, KindRoutes] = {
    "program": KindRoutes("/api/v1/programs", "/api/v1/programs/{programId}", ("programId",)),
    "project": KindRoutes("/api/v1/projects", "/api/v1/projects/{projectId}", ("projectId",)),
    "milestone": KindRoutes(
        "/api/v1/milestones",
        "/api/v1/projects/{projectId}/milestones/{milestoneIndex}",
        ("projectId", "milestoneIndex"),
    ),
    "outcome": KindRoutes("/api/v1/outcomes", "/api/v1/outcomes/{outcomeId}", ("outcomeId",)),
    "report": KindRoutes(
        "/api/v1/commercialization-reports", "/api/v1/commercialization-reports/{reportId}", ("reportId",)
    ),
    "evaluation": KindRoutes("/api/v1/evaluations", "/api/v1/evaluations/{auditId}", ("auditId",)),
    "role-member": KindRoutes("/api/v1/members", None, ("roleId", "account")),
    "company-account": KindRoutes("/api/v1/members/companies", None, ("account",)),
    "company-restriction": KindRoutes("/api/v1/members/restrictions", None, ("companyId",)),
    "company": KindRoutes("/api/v1/companies", "/api/v1/companies/{companyId}", ("companyId",)),
    "objection": KindRoutes("/api/v1/objections", "/api/v1/objections/{objectionId}", ("objectionId",)),
    "batch": KindRoutes("/api/v1/batches", "/api/v1/batches/{root}", ("root",)),
    # The anchor book: listed by its entries, shown in full (citations too) by the verify answer.
    "document": KindRoutes("/api/v1/documents", "/api/v1/verify/{sha256}", ("sha256",)),
}


def key_of(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    return {name: item[name] for name in ROUTES[kind].key_fields}


class ApiCopy:
    """A registry API at `base_url` (e.g. https://registry.city.example)."""

    def __init__(self, base_url: str, *, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._session = requests.Session()

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any | None:
        url = self.base_url + path
        try:
            response = self._session.get(url, params=params, timeout=self.timeout)
        except requests.RequestException as error:
            raise CopyUnavailable(self.base_url, f"could not be reached ({type(error).__name__})") from None
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise CopyUnavailable(self.base_url, f"answered HTTP {response.status_code} for {path}")
        try:
            return response.json()
        except ValueError:
            raise CopyUnavailable(self.base_url, f"answered {path} with something that is not JSON") from None

    def items(self, kind: str) -> Iterator[dict[str, Any]]:
        """Every record of `kind` the copy lists, page after page."""
        params: dict[str, Any] = {"limit": 500}
        while True:
            page = self.get(ROUTES[kind].list_path, params)
            if not isinstance(page, dict) or not isinstance(page.get("items"), list):
                raise CopyUnavailable(self.base_url, f"did not answer {ROUTES[kind].list_path} with a page of items")
            yield from page["items"]
            cursor = page.get("nextCursor")
            if not cursor:
                return
            params = {"limit": 500, "cursor": cursor}

    def record(self, kind: str, key: dict[str, Any]) -> dict[str, Any] | None:
        """One record as the copy shows it in full; None if the copy does not have it."""
        path = ROUTES[kind].detail(key)
        if path is not None:
            found = self.get(path)
            return found if isinstance(found, dict) else None
        wanted = {k: str(v).lower() for k, v in key.items()}
        for item in self.items(kind):
            if {k: str(item.get(k)).lower() for k in wanted} == wanted:
                return item
        return None
