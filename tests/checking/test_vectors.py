"""The shared test vectors of the record check (tests/checking/vectors/records.json): what a node
answered about a record, a copy of it (honest, or changed the ways a dishonest operator would), and
the verdict. The Python checker (registry/checking/records.py) and the browser's
(registry/web/static/record-check.js, run under node) must both give the expected answers.

The vectors were captured from the test chain: `RND_WRITE_VECTORS=1 pytest tests/checking/test_vectors.py`
writes them again (after a change of records.json or of the contracts' events).
"""

from __future__ import annotations

import copy as copying
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from registry.api.app import create_app
from registry.chain.deployment import GRANT_REGISTRY, OUTCOME_REGISTRY
from registry.checking.copies import ROUTES, key_of
from registry.checking.node import Node
from registry.checking.records import (
    RECORD_KINDS,
    RegistryAddresses,
    compare,
    evidence_from_raw,
    forwarder_of,
    read_raw_evidence,
)
from registry.checking.spec import record_spec
from registry.settings import PROJECT_ROOT
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items

VECTORS = Path(__file__).resolve().parent / "vectors" / "records.json"
JS_RUNNER = Path(__file__).resolve().parent / "run_record_vectors.mjs"


def _cases() -> list[dict[str, Any]]:
    return list(json.loads(VECTORS.read_text(encoding="utf-8"))["cases"])


def _lies(kind: str, record: dict[str, Any]) -> list[tuple[str, dict[str, Any] | None]]:
    """The ways the issue's dishonest operator changed the SQL copy, as they show in a record's JSON."""
    lied: list[tuple[str, dict[str, Any] | None]] = []

    def changed(lie: str, **fields: Any) -> None:
        lied.append((lie, {**copying.deepcopy(record), **fields}))

    if kind == "program":
        changed("a grant budget raised", budget=str(int(record["budget"]) + 1_000_000))
    if kind == "project":
        changed("a grant amount changed", amount=str(int(record["amount"]) * 2))
        if record.get("targets") is not None:
            changed("a target changed", targets={**record["targets"], "papers": record["targets"]["papers"] + 1})
    if kind in ("company", "project") and record.get("name", record.get("companyName")) is not None:
        field = "name" if kind == "company" else "companyName"
        changed("a company name changed", **{field: record[field] + " (renamed by hand)"})
    if kind == "evaluation" and record["sanction"]["status"] == "pending":
        changed("a pending sanction shown in effect", sanction={**record["sanction"], "status": "in-effect"})
    if kind in ("milestone", "report", "evaluation") and any(o["open"] for o in record.get("objections", [])):
        changed("an open objection deleted", objections=[o for o in record["objections"] if not o["open"]])
    if kind == "objection" and record["open"]:
        lied.append(("an open objection deleted", None))
    if kind == "outcome" and record.get("details") is not None:
        changed("an outcome's SCI flag flipped",
                details={**record["details"], "sciIndexed": not record["details"]["sciIndexed"]})  # fmt: skip
    if kind == "milestone" and any(step["status"] == "rejected" for step in record["history"]):
        changed("a rejection deleted from the history",
                history=[s for s in record["history"] if s["status"] != "rejected"])  # fmt: skip
        changed("a status changed", status="approved" if record["status"] != "approved" else "rejected")
    if kind == "outcome":
        changed(
            "an outcome's type changed",
            outcomeType="patent-registration" if record["outcomeType"] != "patent-registration" else "paper",
        )
        if record.get("revocation") is not None:
            changed("a revocation deleted", revocation=None, revoked=False)
    if kind == "report" and record.get("sales") is not None:
        changed("a sales figure raised", sales=str(int(record["sales"]) + 500_000_000))
    if kind == "company-restriction":
        lied.append(("a participation restriction deleted", None))
    if kind == "batch":
        changed("a forged anchoring time", anchoredAt="2020-01-01T00:00:00Z")
    return lied


@pytest.fixture(scope="module")
def written(registry_copy: IndexedRegistry) -> Iterator[None]:
    """Captures the vectors from the test chain when RND_WRITE_VECTORS is set; else uses the file."""
    if not os.environ.get("RND_WRITE_VECTORS"):
        yield
        return
    node = Node(registry_copy.settings.rpc_url)
    manifest = registry_copy.manifest
    grants = manifest.address(GRANT_REGISTRY)
    head = node.head().number
    addresses = RegistryAddresses(grants, manifest.address(OUTCOME_REGISTRY), forwarder_of(node, grants, head),
                                  manifest.deploy_block)  # fmt: skip
    cases = []
    with TestClient(create_app(registry_copy.settings)) as api:
        for kind in RECORD_KINDS:  # a document is audited against the anchor book, not by record vectors
            routes = ROUTES[kind]
            items = all_items(api, routes.list_path)
            # The record with the longest history of its kind, and one relayed if there is one.
            detailed = [api.get(p).json() if (p := routes.detail(key_of(kind, i))) else i for i in items]
            detailed.sort(key=lambda r: -len(json.dumps(r)))
            chosen = detailed[:1]
            for wanted in ('"signer": "0x', '"revocation": {', '"sales": "', '"open": true', '"status": "pending"',
                           '"sciIndexed": true'):
                found = [r for r in detailed if wanted in json.dumps(r) and r not in chosen]
                if found and not any(wanted in json.dumps(r) for r in chosen):
                    chosen.append(found[0])
            for record in chosen:
                key = key_of(kind, record)
                raw = read_raw_evidence(node, addresses, kind, key, head)
                for name, lie in [("honest copy", record), *_lies(kind, record)]:
                    result = compare(kind, key, lie, evidence_from_raw(raw))
                    cases.append({
                        "name": f"{kind} {json.dumps(key)}: {name}", "kind": kind, "key": key, "evidence": raw,
                        "copy": lie,
                        "expected": {"verdict": result.verdict, "chain": result.chain,
                                     "differences": [d.path for d in result.differences],
                                     "derived": result.derived},
                    })  # fmt: skip
        missing = {"programId": 999_999}
        raw = read_raw_evidence(node, addresses, "program", missing, head)
        forged = {**api.get("/api/v1/programs/1").json(), "programId": 999_999}
        result = compare("program", missing, forged, evidence_from_raw(raw))
        cases.append({"name": "a program the chain does not have", "kind": "program", "key": missing,
                      "evidence": raw, "copy": forged,
                      "expected": {"verdict": result.verdict, "chain": None, "differences": [""],
                                   "derived": []}})  # fmt: skip
    VECTORS.parent.mkdir(exist_ok=True)
    VECTORS.write_text(json.dumps({"format": "rnd-registry-record-vectors/1", "cases": cases}, indent=1,
                                  ensure_ascii=False) + "\n", encoding="utf-8")  # fmt: skip
    yield


def test_the_vectors_cover_every_record_kind_and_every_kind_of_lie(written: None) -> None:
    cases = _cases()
    assert {c["kind"] for c in cases} == set(RECORD_KINDS)
    verdicts = {c["expected"]["verdict"] for c in cases}
    assert verdicts == {"matches", "differs", "not-on-chain"}
    names = " ".join(c["name"] for c in cases)
    for lie in ("budget raised", "amount changed", "rejection deleted", "type changed", "revocation deleted",
                "sales figure raised", "restriction deleted", "forged anchoring", "company name changed",
                "pending sanction shown in effect", "open objection deleted", "target changed",
                "SCI flag flipped"):  # fmt: skip
        assert lie in names, f"no vector for {lie}"


def test_derived_fields_are_said_as_derived_and_only_where_declared(written: None) -> None:
    cases = {c["name"]: c for c in _cases()}
    [project] = [c for n, c in cases.items() if n.startswith("project ") and n.endswith("honest copy")][:1]
    assert {"results", "followUp"} <= set(project["expected"]["derived"])
    for case in cases.values():
        declared = record_spec()["kinds"][case["kind"]].get("derived", {})
        for path in case["expected"]["derived"]:
            assert re.sub(r"\[\+?\d+\]", "[]", path) in declared, (case["name"], path)


def test_the_python_checker_answers_every_vector(written: None) -> None:
    for case in _cases():
        result = compare(case["kind"], case["key"], case["copy"], evidence_from_raw(case["evidence"]))
        assert result.verdict == case["expected"]["verdict"], case["name"]
        assert result.chain == case["expected"]["chain"], case["name"]
        assert [d.path for d in result.differences] == case["expected"]["differences"], case["name"]
        assert result.derived == case["expected"]["derived"], case["name"]
        if case["name"].endswith("honest copy"):
            assert result.verdict == "matches" and result.unchecked == [], case["name"]
        else:
            assert result.verdict != "matches", case["name"]


def test_the_browser_checker_answers_every_vector_as_the_python_one(written: None) -> None:
    node = shutil.which("node")
    assert node is not None, "the browser checker's vectors run under Node.js"
    answered = subprocess.run([node, str(JS_RUNNER), str(VECTORS)], capture_output=True, text=True, check=False,
                              cwd=PROJECT_ROOT, timeout=120)  # fmt: skip
    assert answered.returncode == 0, answered.stderr
    by_name = {a["name"]: a for a in json.loads(answered.stdout)}
    for case in _cases():
        got = by_name[case["name"]]
        assert got["verdict"] == case["expected"]["verdict"], case["name"]
        assert got["chain"] == case["expected"]["chain"], case["name"]
        assert got["differences"] == case["expected"]["differences"], case["name"]
        assert got["derived"] == case["expected"]["derived"], case["name"]
