"""Exports: every list as CSV in the conventions of Korea's public data portal (UTF-8 with BOM, or CP949
on request; the API's or Korean column names; days as YYYY-MM-DD and times as YYYY-MM-DD HH:MM:SS UTC;
names joined in beside ids; provenance columns on request) and as a JSON array, holding every row that
matches the filters, the same rows the paged list gives."""

from __future__ import annotations

import codecs
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from registry.api.datasets import DATASETS, Column, ColumnKind, Dataset, columns_of
from registry.api.exports import CsvEncoding, csv_stream, spreadsheet_cell, spreadsheet_text
from registry.api.schemas.grants import Program
from registry.domain.text import BIDI_CONTROLS
from tests.helpers.api import all_items, error_of
from tests.helpers.exports import acting_cells, csv_records, csv_rows

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
    "/api/v1/companies",
    "/api/v1/batches",
    "/api/v1/documents",
]
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


def _dataset(path: str) -> Dataset:
    return next(d for d in DATASETS.values() if d.list_path == path)


def _flat(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        elif not isinstance(value, list):
            flat[prefix + key] = value
    return flat


def _written(column: Column, value: Any) -> str:
    """How the CSV writes a value of the API's JSON (the data in these tests holds no formula)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if column.kind is ColumnKind.DATE:
        return str(value)[:10]
    if column.kind is ColumnKind.DATETIME:
        return f"{str(value)[:10]} {str(value)[11:19]}"
    return str(value)


class Lookups:
    """The API's programs, projects and outcomes by id: what the joined columns must say."""

    def __init__(self, api: TestClient) -> None:
        self.programs = {p["programId"]: p for p in all_items(api, "/api/v1/programs")}
        self.projects = {p["projectId"]: p for p in all_items(api, "/api/v1/projects")}
        self.outcomes = {o["outcomeId"]: o for o in all_items(api, "/api/v1/outcomes")}

    def joined(self, name: str, item: dict[str, Any]) -> Any:
        project_id = item["projectId"] if "projectId" in item else self.outcomes[item["outcomeId"]]["projectId"]
        if name == "projectId":
            return project_id
        program_id = item.get("programId") or self.projects[project_id]["programId"]
        if name == "programId":
            return program_id
        if name == "programName":
            return self.programs[program_id]["name"]
        assert name in ("companyId", "companyName")
        return self.projects[project_id][name]


@pytest.fixture(scope="module")
def lookups(api: TestClient) -> Lookups:
    return Lookups(api)


@pytest.mark.parametrize("path", LISTS)
def test_the_json_export_is_every_item_of_the_list(api: TestClient, path: str) -> None:
    response = api.get(f"{path}/export", params={"format": "json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == all_items(api, path, limit=2)


@pytest.mark.parametrize("path", LISTS)
def test_the_csv_export_is_every_item_of_the_list_one_row_each_with_names_joined_in(
    api: TestClient, lookups: Lookups, path: str
) -> None:
    dataset = _dataset(path)
    response = api.get(f"{path}/export", params={"provenance": "true"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="{dataset.name}.csv"'
    header, *rows = csv_rows(response)
    columns = dataset.columns(provenance=True)
    assert header == [c.name for c in columns] == [c.name for c in dataset.all_columns()]
    items = all_items(api, path)
    assert len(rows) == len(items)
    for row, item in zip(rows, items, strict=True):
        flat = _flat(item)
        expected = [
            _written(c, lookups.joined(c.name, item) if c.joined else flat[c.name]) for c in columns
        ]  # fmt: skip
        assert row == expected


@pytest.mark.parametrize("path", LISTS)
def test_provenance_columns_come_only_on_request(api: TestClient, path: str) -> None:
    dataset = _dataset(path)
    header, *rows = csv_rows(api.get(f"{path}/export"))
    assert header == [c.name for c in dataset.columns(provenance=False)]
    chain = [name for name in header if name.startswith(("provenance.", "lastChange."))]
    assert chain == list(dataset.kept), "only the time of a record that has no other"
    assert len(rows) == len(all_items(api, path))


def test_outcomes_carry_their_program_and_company_beside_the_project(api: TestClient, lookups: Lookups) -> None:
    records = csv_records(api.get("/api/v1/outcomes/export"))
    assert records
    for record in records:
        project = lookups.projects[int(record["projectId"])]
        assert record["programId"] == str(project["programId"]) and record["companyId"] == project["companyId"]
        assert record["programName"] == lookups.programs[project["programId"]]["name"]
        assert record["companyName"] == project["companyName"] != ""
    assert list(records[0])[:6] == ["outcomeId", "projectId", "programId", "programName", "companyId", "companyName"]


def test_days_are_written_as_days_and_times_as_a_spreadsheet_reads_them(api: TestClient) -> None:
    projects = all_items(api, "/api/v1/projects")
    records = csv_records(api.get("/api/v1/projects/export", params={"provenance": "true"}))
    for record, project in zip(records, projects, strict=True):
        assert DAY.fullmatch(record["startDate"]) and record["startDate"] == project["startDate"][:10]
        assert DAY.fullmatch(record["endDate"]) and record["endDate"] == project["endDate"][:10]
        assert TIME.fullmatch(record["provenance.blockTime"])
    for record in csv_records(api.get("/api/v1/milestones/export")):
        assert DAY.fullmatch(record["dueDate"]) and TIME.fullmatch(record["provenance.blockTime"])


@pytest.mark.parametrize("path", LISTS)
def test_korean_headers_name_the_same_columns_in_the_dictionarys_words(api: TestClient, path: str) -> None:
    dataset = _dataset(path)
    api_names, *rows = csv_rows(api.get(f"{path}/export", params={"provenance": "true"}))
    korean, *same_rows = csv_rows(api.get(f"{path}/export", params={"provenance": "true", "headers": "ko"}))
    dictionary = api.get(f"/api/v1/datasets/{dataset.name}/dictionary").json()["columns"]
    assert [c["column"] for c in dictionary] == api_names
    assert korean == [c["nameKo"] for c in dictionary]
    assert len(set(korean)) == len(korean)
    assert same_rows == rows


@pytest.mark.parametrize("path", LISTS)
def test_the_cp949_export_decodes_to_the_same_table(api: TestClient, path: str) -> None:
    utf8 = csv_rows(api.get(f"{path}/export", params={"headers": "ko"}))
    response = api.get(f"{path}/export", params={"headers": "ko", "encoding": "cp949"})
    assert response.headers["content-type"] == "text/csv; charset=cp949"
    assert csv_rows(response) == utf8


def test_korean_text_survives_both_encodings(api: TestClient) -> None:
    for encoding in ("utf-8", "cp949"):
        response = api.get("/api/v1/programs/export", params={"year": 2022, "encoding": encoding, "headers": "ko"})
        [row] = csv_records(response)
        assert (row["지원사업명"], row["분야"], row["예산"]) == ("신성장동력 R&D사업", "블록체인", "800000000")


def test_an_export_applies_the_filters_and_sort_of_its_list(api: TestClient) -> None:
    params = {"status": "approved", "sort": "-dueDate"}
    exported = api.get("/api/v1/milestones/export", params={**params, "format": "json"}).json()
    assert exported == all_items(api, "/api/v1/milestones", **params)
    assert exported and all(m["status"] == "approved" for m in exported)
    as_csv = csv_records(api.get("/api/v1/milestones/export", params=params))
    assert [(int(r["projectId"]), int(r["milestoneIndex"])) for r in as_csv] == [
        (m["projectId"], m["milestoneIndex"]) for m in exported
    ]


def test_an_export_with_a_bad_filter_format_or_option_is_a_422_before_any_row(api: TestClient) -> None:
    assert error_of(api.get("/api/v1/outcomes/export", params={"type": "novel"}), 422)["parameter"] == "type"
    for name, value in [("format", "xlsx"), ("encoding", "euc-jp"), ("headers", "en"), ("provenance", "maybe")]:
        assert error_of(api.get("/api/v1/outcomes/export", params={name: value}), 422)["parameter"] == name


def _resolved(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_every_export_declares_its_csv_options_with_their_allowed_values(api: TestClient) -> None:
    document = api.get("/openapi.json").json()
    exports = {path: ops["get"] for path, ops in document["paths"].items() if path.endswith("/export")}
    assert set(exports) == {dataset.export_path for dataset in DATASETS.values()}
    for path, operation in exports.items():
        parameters = {p["name"]: _resolved(document, p["schema"]) for p in operation["parameters"]}
        assert parameters["encoding"]["enum"] == ["utf-8", "cp949"], path
        assert parameters["headers"]["enum"] == ["api", "ko"], path
        assert parameters["provenance"]["type"] == "boolean", path


# ---- cells ---------------------------------------------------------------------------------------------


def test_a_cell_that_would_start_a_formula_gets_a_leading_apostrophe() -> None:
    assert spreadsheet_text('=HYPERLINK("http://evil.example","x")') == '\'=HYPERLINK("http://evil.example","x")'
    for text in ("+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-", "+82-32-120-0000", "-1e3"):
        assert spreadsheet_text(text) == "'" + text
    for number in ("-42", "-0.5", "12", "1.25"):
        assert spreadsheet_text(number) == number
    for plain in ("10-2021-0123456", "a=b", "", "신성장동력 R&D사업"):
        assert spreadsheet_text(plain) == plain
    assert spreadsheet_cell(-5) == -5 and spreadsheet_cell(None) == "" and spreadsheet_cell(True) == "true"


def test_bidi_controls_are_written_as_visible_marks() -> None:
    assert spreadsheet_text("보고서\u202efdp.exe") == "보고서<U+202E>fdp.exe"
    assert spreadsheet_text("\u2067=1+1\u2069") == "<U+2067>=1+1<U+2069>"


@given(st.text())
def test_no_text_comes_out_as_a_cell_that_acts(text: str) -> None:
    written = spreadsheet_text(text)
    assert acting_cells([[written]]) == []
    if not text.startswith(("=", "+", "-", "@", "\t", "\r")) and not any(c in BIDI_CONTROLS for c in text):
        assert written == text


def test_a_character_cp949_lacks_is_written_as_its_code_point_instead_of_failing() -> None:
    body = b"".join(csv_stream(["이름"], [["로켓 \U0001f680", "€"]], CsvEncoding.CP949))
    assert body.decode("cp949") == "이름\r\n로켓 <U+1F680>,€\r\n"
    assert codecs.decode(b"".join(csv_stream(["a"], [], CsvEncoding.UTF8)), "utf-8").startswith("\ufeff")


def test_csv_columns_are_the_fields_with_nested_provenance_flattened_and_marked() -> None:
    columns = {c.name: c for c in columns_of(Program)}
    assert list(columns)[:3] == ["programId", "name", "year"]
    assert columns["provenance.transactionHash"].provenance and columns["lastChange.signer"].provenance
    assert not columns["name"].provenance and "provenance" not in columns
    assert (columns["budget"].kind, columns["createdBy"].kind, columns["status"].kind) == (
        ColumnKind.WON, ColumnKind.ADDRESS, ColumnKind.CODE
    )  # fmt: skip
    assert columns["status"].codes == ("none", "open", "closed")
