"""The open-data catalogue (/api/v1/datasets) and each data set's dictionary: every column of every
export described in Korean and English, every export in the catalogue, the portal's usual metadata,
JSON and CSV."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from registry.api.datasets import DATASETS, columns_of
from registry.api.dictionary import CATALOGUE_HEADERS, DICTIONARY_HEADERS
from registry.api.schemas.datasets import DatasetInfo, DictionaryColumn
from registry.settings import Settings
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import error_of
from tests.helpers.exports import csv_records, csv_rows

HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_column_of_every_data_set_has_a_dictionary_entry_in_korean_and_english(name: str) -> None:
    # A field added to a response model becomes a CSV column; this fails until the dictionary describes it.
    dataset = DATASETS[name]
    missing = [column.name for column in dataset.all_columns() if dataset.entry(column) is None]
    assert missing == [], f"{name}: describe these columns in registry/api/dictionary.py"
    korean = []
    for column in dataset.all_columns():
        entry = dataset.entry(column)
        assert entry is not None
        assert HANGUL.search(entry.ko) and HANGUL.search(entry.meaning_ko), (name, column.name)
        assert entry.meaning_en and not HANGUL.search(entry.meaning_en), (name, column.name)
        assert column.kind.value in ("date", "datetime") or not entry.day, (name, column.name)
        korean.append(entry.ko)
    assert len(set(korean)) == len(korean), f"{name}: two columns share a Korean name"


def test_the_catalogue_and_dictionary_files_have_korean_headers_for_every_column() -> None:
    assert [c.name for c in columns_of(DatasetInfo)] == list(CATALOGUE_HEADERS)
    assert [c.name for c in columns_of(DictionaryColumn)] == list(DICTIONARY_HEADERS)


def test_the_catalogue_lists_every_export_of_the_api_and_nothing_else(api: TestClient) -> None:
    document = api.get("/openapi.json").json()
    exports = {path: ops["get"] for path, ops in document["paths"].items() if path.endswith("/export")}
    assert set(exports) == {dataset.export_path for dataset in DATASETS.values()}
    for dataset in DATASETS.values():
        answer = exports[dataset.export_path]["responses"]["200"]["content"]["application/json"]["schema"]
        assert answer["items"]["$ref"].endswith(f"/{dataset.model.__name__}"), dataset.name


def _latest_event_time(api: TestClient) -> str:
    times = []
    for dataset in DATASETS.values():
        if any(c.provenance for c in dataset.all_columns()):
            for item in api.get(dataset.export_path, params={"format": "json"}).json():
                times += [item[key]["blockTime"] for key in ("provenance", "lastChange") if key in item]
    return str(max(times))


def test_the_catalogue_gives_each_data_set_the_portals_metadata(api: TestClient, indexed: IndexedRegistry) -> None:
    answer = api.get("/api/v1/datasets")
    assert answer.status_code == 200
    catalogue = answer.json()
    defaults = Settings(data_dir=indexed.settings.data_dir)
    assert catalogue["provider"] == defaults.open_data_provider == "인천광역시 (Incheon Metropolitan City)"
    assert catalogue["licence"] == defaults.open_data_licence and "공공누리" in catalogue["licence"]
    assert catalogue["lastUpdated"] == _latest_event_time(api)
    assert catalogue["indexedBlock"] == indexed.client.w3.eth.block_number
    assert [d["name"] for d in catalogue["datasets"]] == list(DATASETS)
    for info in catalogue["datasets"]:
        dataset = DATASETS[info["name"]]
        assert (info["titleKo"], info["titleEn"]) == (dataset.title_ko, dataset.title_en)
        assert HANGUL.search(info["descriptionKo"]) and info["descriptionEn"]
        assert info["keywordsKo"] and info["keywordsEn"] and info["updateCycleKo"].startswith("실시간")
        assert (info["provider"], info["licence"]) == (catalogue["provider"], catalogue["licence"])
        assert (info["lastUpdated"], info["indexedBlock"]) == (catalogue["lastUpdated"], catalogue["indexedBlock"])
        assert info["formats"] == ["csv", "json"] and info["columns"] == len(dataset.all_columns())
        assert api.get(f"/api/v1/datasets/{dataset.name}").json() == info
        for link in (info["listPath"], info["exportPath"], info["dictionaryPath"]):
            assert api.get(link).status_code == 200, link


def test_the_catalogue_as_csv_is_one_row_per_data_set_in_either_encoding(api: TestClient) -> None:
    records = csv_records(api.get("/api/v1/datasets", params={"format": "csv"}))
    assert [r["name"] for r in records] == list(DATASETS)
    outcomes = next(r for r in records if r["name"] == "outcomes")
    assert outcomes["keywordsKo"] == "; ".join(DATASETS["outcomes"].keywords_ko)
    assert re.fullmatch(r"[0-9-]{10} [0-9:]{8}", outcomes["lastUpdated"])
    response = api.get("/api/v1/datasets", params={"format": "csv", "encoding": "cp949", "headers": "ko"})
    assert response.headers["content-disposition"] == 'attachment; filename="datasets.csv"'
    header, *rows = csv_rows(response)
    assert header == list(CATALOGUE_HEADERS.values()) and len(rows) == len(DATASETS)
    assert rows[0][header.index("목록명")] == DATASETS["programs"].title_ko


def test_a_dictionary_lists_the_csv_columns_in_order_with_types_units_and_codes(api: TestClient) -> None:
    answer = api.get("/api/v1/datasets/outcomes/dictionary")
    assert answer.status_code == 200
    dictionary = answer.json()
    assert (dictionary["dataset"], dictionary["titleKo"]) == ("outcomes", "R&D 성과 목록")
    columns = {c["column"]: c for c in dictionary["columns"]}
    assert list(columns) == [c.name for c in DATASETS["outcomes"].all_columns()]
    assert columns["programName"] == {
        "column": "programName", "nameKo": "지원사업명", "type": "text", "typeKo": "문자", "format": None,
        "unitKo": None, "unitEn": None, "meaningKo": "지원사업의 이름(체인에 기록된 그대로)",
        "meaningEn": "the grant program's name, as recorded", "values": [], "provenance": False, "joined": True,
    }  # fmt: skip
    assert "patent-application" in columns["outcomeType"]["values"] and columns["outcomeType"]["type"] == "code"
    assert columns["recordedAt"]["format"] == "YYYY-MM-DD HH:MM:SS (UTC)"
    assert columns["provenance.transactionHash"]["provenance"] and not columns["externalId"]["provenance"]
    projects = {c["column"]: c for c in api.get("/api/v1/datasets/projects/dictionary").json()["columns"]}
    assert (projects["amount"]["type"], projects["amount"]["unitKo"], projects["amount"]["unitEn"]) == (
        "integer", "원", "KRW"
    )  # fmt: skip
    assert (projects["startDate"]["type"], projects["startDate"]["format"]) == ("date", "YYYY-MM-DD")
    changes = {c["column"]: c for c in api.get("/api/v1/datasets/ip-status-changes/dictionary").json()["columns"]}
    assert not changes["provenance.blockTime"]["provenance"], "kept without provenance=true, so not marked"


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dictionary_answers_as_csv_in_both_encodings(api: TestClient, name: str) -> None:
    path = f"/api/v1/datasets/{name}/dictionary"
    records = csv_records(api.get(path, params={"format": "csv"}))
    assert [r["column"] for r in records] == [c["column"] for c in api.get(path).json()["columns"]]
    header, *rows = csv_rows(api.get(path, params={"format": "csv", "encoding": "cp949", "headers": "ko"}))
    assert header == list(DICTIONARY_HEADERS.values()) and len(rows) == len(records)


def test_an_unknown_data_set_is_a_404_that_lists_the_catalogue(api: TestClient) -> None:
    for path in ("/api/v1/datasets/patents", "/api/v1/datasets/patents/dictionary"):
        error = error_of(api.get(path), 404)
        assert error["parameter"] == "dataset" and "'patents'" in error["message"]
        assert "outcomes" in error["message"] and "company-statistics" in error["message"]


def test_the_documentation_names_the_data_sets_a_dictionary_can_be_asked_for(api: TestClient) -> None:
    document: dict[str, Any] = api.get("/openapi.json").json()
    operation = document["paths"]["/api/v1/datasets/{dataset}/dictionary"]["get"]
    [parameter] = [p for p in operation["parameters"] if p["name"] == "dataset"]
    assert parameter["schema"]["enum"] == list(DATASETS)
    assert set(operation["responses"]["200"]["content"]) == {"application/json", "text/csv"}

