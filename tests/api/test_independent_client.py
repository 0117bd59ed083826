"""Foundry's `cast`, a client this project did not write, reads the contracts directly and confirms a
record and an anchored document hash exactly as the API reports them."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from registry.chain.deployment import GRANT_REGISTRY
from registry.domain.enums import ProgramStatus
from tests.api.conftest import IndexedRegistry
from tests.helpers.cast import cast_call

PROGRAM = "getProgram(uint32)((uint96,uint96,uint16,uint8,uint96,uint32,bytes32,string,string,string))"
ANCHOR = "anchorOf(bytes32)((address,uint40,uint48,uint8))"


def test_cast_reads_the_program_the_api_reports(api: TestClient, indexed: IndexedRegistry, project_root: Path) -> None:
    reported = api.get("/api/v1/programs/1").json()
    contract = indexed.manifest.address(GRANT_REGISTRY)

    [(budget, cap, year, status, granted, projects, metadata, name, field, uri)] = cast_call(
        project_root, indexed.settings.rpc_url, contract, PROGRAM, "1"
    )

    assert reported["provenance"]["contract"] == contract
    assert (str(budget), str(cap), year, str(granted), projects) == (
        reported["budget"],
        reported["perProjectCap"],
        reported["year"],
        reported["granted"],
        reported["projectCount"],
    )
    assert (name, field, uri, metadata) == (
        reported["name"],
        reported["field"],
        reported["metadataUri"],
        reported["metadataHash"],
    )
    assert ProgramStatus(status).name.lower() == reported["status"]


def test_cast_confirms_the_anchoring_the_api_reports(
    api: TestClient, indexed: IndexedRegistry, project_root: Path
) -> None:
    document = api.get("/api/v1/programs/1").json()["metadataHash"]
    reported = api.get(f"/api/v1/verify/{document}").json()
    assert reported["anchored"] is True

    [(anchored_by, timestamp, block_number, kind)] = cast_call(
        project_root, indexed.settings.rpc_url, indexed.manifest.address(GRANT_REGISTRY), ANCHOR, document
    )

    first = reported["firstAnchoring"]
    assert anchored_by == first["anchoredBy"]
    assert block_number == first["provenance"]["blockNumber"]
    assert kind == 2  # AnchorKind.ProgramMetadata
    assert first["kind"] == "program-metadata"
    assert timestamp > 0
