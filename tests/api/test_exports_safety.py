"""No formula or bidi trick survives an export: records written on chain with a formula for an outcome
identifier, a program name starting with `@`, right-to-left overrides and isolates, tabs and carriage
returns come out of every CSV (each encoding, header and provenance option) with a leading apostrophe
and visible `<U+202E>` marks, numbers untouched; the JSON exports keep the text exactly, its bidi
controls written as `\\u202e` escapes."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web3 import Web3

from registry.api.datasets import DATASETS
from registry.domain.text import BIDI_CONTROLS, visible_bidi
from tests.api.conftest import IndexedRegistry
from tests.helpers.exports import acting_cells, csv_records, csv_rows
from tests.helpers.hostile import (
    BIDI_PAYLOAD_CONTROLS,
    OUTCOME_IDS,
    PROGRAM_FIELD,
    PROGRAM_NAME,
    PROGRAM_URI,
    HostileRecords,
    write_hostile_records,
)

OPTIONS = [
    dict(zip(("encoding", "headers", "provenance"), values, strict=True))
    for values in itertools.product(("utf-8", "cp949"), ("api", "ko"), ("false", "true"))
]


@pytest.fixture(scope="module")
def hostile(indexed: IndexedRegistry, w3: Web3) -> Iterator[HostileRecords]:
    """The payloads on chain and indexed; the chain is reverted and the copy follows it back after."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        written = write_hostile_records(w3, indexed.manifest)
        indexed.index()
        yield written
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
        indexed.index()


@pytest.mark.parametrize("name", list(DATASETS))
def test_no_cell_of_any_export_acts_in_a_spreadsheet_whatever_the_options(
    api: TestClient, hostile: HostileRecords, name: str
) -> None:
    for options in OPTIONS:
        rows = csv_rows(api.get(DATASETS[name].export_path, params=options))
        assert rows[0], (name, options)  # a header at least (the API package sets no restriction)
        assert acting_cells(rows) == [], (name, options)


def _safe(text: str) -> str:
    return ("'" if text[:1] in "=+-@\t\r" else "") + visible_bidi(text)


def test_the_payloads_come_out_neutralised_where_they_were_written(api: TestClient, hostile: HostileRecords) -> None:
    programs = csv_records(api.get("/api/v1/programs/export"))
    [program] = [r for r in programs if r["programId"] == str(hostile.program_id)]
    assert program["name"] == "'@SUM(1+1)*cmd|' /C calc'!A0 <U+2067>악성 사업<U+2069>" == _safe(PROGRAM_NAME)
    assert program["field"] == "블록체인 보고서<U+202E>fdp.exe"
    assert program["metadataUri"] == "'" + PROGRAM_URI
    ours = [r for r in csv_records(api.get("/api/v1/outcomes/export")) if r["projectId"] == str(hostile.project_id)]
    assert [r["externalId"] for r in ours] == [
        '\'=HYPERLINK("http://evil.example","x")', "10-2021-<U+202E>6543210", "'\t=1+1", "'\r=1+1",
        "'+82-32-120-0000", "-42", "DOI 10.1000/\U0001f9ea-<U+2066>isolated<U+2069>",
    ]  # fmt: skip
    assert {r["programName"] for r in ours} == {_safe(PROGRAM_NAME)}
    for path in ("/api/v1/projects/export", "/api/v1/statistics/programs/export"):
        names = {r.get("programName") or r.get("name") for r in csv_records(api.get(path))}
        assert _safe(PROGRAM_NAME) in names, path


def test_a_character_cp949_lacks_is_a_visible_code_point_in_the_cp949_export(
    api: TestClient, hostile: HostileRecords
) -> None:
    response = api.get("/api/v1/outcomes/export", params={"encoding": "cp949"})
    ids = [r["externalId"] for r in csv_records(response) if r["projectId"] == str(hostile.project_id)]
    assert ids[-1] == "DOI 10.1000/<U+1F9EA>-<U+2066>isolated<U+2069>"


@pytest.mark.parametrize("name", list(DATASETS))
def test_the_json_exports_keep_the_text_exactly_with_bidi_controls_escaped(
    api: TestClient, hostile: HostileRecords, name: str
) -> None:
    response = api.get(DATASETS[name].export_path, params={"format": "json"})
    assert not any(c in BIDI_CONTROLS for c in response.content.decode("utf-8"))
    assert response.json() == json.loads(response.content)


def test_the_json_export_says_what_the_chain_says(api: TestClient, hostile: HostileRecords) -> None:
    outcomes = api.get("/api/v1/outcomes/export", params={"format": "json", "project": hostile.project_id}).json()
    assert [o["externalId"] for o in outcomes] == OUTCOME_IDS
    [program] = [p for p in api.get("/api/v1/programs/export?format=json").json()
                 if p["programId"] == hostile.program_id]  # fmt: skip
    assert (program["name"], program["field"], program["metadataUri"]) == (PROGRAM_NAME, PROGRAM_FIELD, PROGRAM_URI)
    raw = api.get("/api/v1/programs/export?format=json").text
    assert all(f"\\u{ord(c):04x}" in raw for c in BIDI_PAYLOAD_CONTROLS - {"\u2066"})
