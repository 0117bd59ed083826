"""Exports: every list as CSV (UTF-8 with BOM, so spreadsheet programs read Korean correctly) and as a
JSON array, holding every row that matches the filters, the same rows the paged list gives."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from registry.api.exports import columns_of
from registry.api.schemas.grants import Program
from tests.helpers.api import all_items, error_of

LISTS = [
    "/api/v1/programs",
    "/api/v1/projects",
    "/api/v1/milestones",
    "/api/v1/outcomes",
    "/api/v1/ip-status-changes",
    "/api/v1/commercialization-reports",
    "/api/v1/evaluations",
    "/api/v1/members",
    "/api/v1/members/companies",
    "/api/v1/members/restrictions",
    "/api/v1/members/history",
    "/api/v1/members/admin-transfers",
    "/api/v1/batches",
]


def _flat(item: dict[str, object], prefix: str = "") -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in item.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        elif not isinstance(value, list):
            flat[prefix + key] = value
    return flat


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


@pytest.mark.parametrize("path", LISTS)
def test_the_json_export_is_every_item_of_the_list(api: TestClient, path: str) -> None:
    response = api.get(f"{path}/export", params={"format": "json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == all_items(api, path, limit=2)


@pytest.mark.parametrize("path", LISTS)
def test_the_csv_export_is_every_item_of_the_list_one_row_each(api: TestClient, path: str) -> None:
    response = api.get(f"{path}/export")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    name = path.removeprefix("/api/v1/").replace("members/", "").replace("companies", "company-accounts")
    name = {"members": "members", "history": "membership-history"}.get(name, name)
    assert response.headers["content-disposition"] == f'attachment; filename="{name}.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    items = all_items(api, path)
    assert len(rows) == len(items) + 1
    header = rows[0]
    assert [dict(zip(header, row, strict=True)) for row in rows[1:]] == [
        {column: _cell(value) for column, value in _flat(item).items()} for item in items
    ]


def test_korean_text_survives_the_csv_export(api: TestClient) -> None:
    response = api.get("/api/v1/programs/export", params={"year": 2022})
    text = response.content.decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert (row["name"], row["field"], row["budget"]) == ("신성장동력 R&D사업", "블록체인", "800000000")


def test_an_export_applies_the_filters_and_sort_of_its_list(api: TestClient) -> None:
    params = {"status": "approved", "sort": "-dueDate"}
    exported = api.get("/api/v1/milestones/export", params={**params, "format": "json"}).json()
    assert exported == all_items(api, "/api/v1/milestones", **params)
    assert exported and all(m["status"] == "approved" for m in exported)


def test_an_export_with_a_bad_filter_or_format_is_a_422_before_any_row(api: TestClient) -> None:
    assert error_of(api.get("/api/v1/outcomes/export", params={"type": "novel"}), 422)["parameter"] == "type"
    assert error_of(api.get("/api/v1/outcomes/export", params={"format": "xlsx"}), 422)["parameter"] == "format"


def test_csv_columns_are_the_fields_with_nested_provenance_flattened() -> None:
    columns = [header for header, _ in columns_of(Program)]
    assert columns[:3] == ["programId", "name", "year"]
    assert "provenance.transactionHash" in columns and "lastChange.signer" in columns
    assert "provenance" not in columns
