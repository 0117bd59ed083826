"""Captures the examples of the API's documentation from the registry `make run` serves: every JSON
answer of the OpenAPI document gets a real one, from the demo data of the seed article (the 2021
Incheon programs), not a hand-written one that could drift from what the API says.

It runs `rnd-registry up` in a temporary data directory on free ports, waits until the demo data is
loaded and indexed, asks each documented JSON operation once (lists two items long, the records
with the longest histories), and writes `registry/api/examples.json`, which `create_app` attaches
to the OpenAPI document (registry/api/examples.py). `tests/api/test_examples.py` checks every
example against the schema it illustrates, so a change of schema asks for a new capture.

Run: .venv/bin/python scripts/capture_api_examples.py   (`make api-examples`)
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from eth_account.messages import encode_defunct

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from registry.api.examples import EXAMPLES_PATH  # noqa: E402
from registry.chain.anvil import free_port  # noqa: E402
from registry.chain.client import RegistryClient  # noqa: E402
from registry.chain.connection import connect  # noqa: E402
from registry.chain.deployment import FORWARDER, DeploymentManifest  # noqa: E402
from registry.chain.devkeys import dev_account  # noqa: E402
from registry.chain.forwarder import sign_request  # noqa: E402
from registry.demo.dataset import AUDITOR, COMPANIES  # noqa: E402
from registry.domain.enums import OutcomeType  # noqa: E402
from registry.evidence.publishing import publication_message  # noqa: E402

STARTUP_TIMEOUT = 300.0
RELAY = "POST /api/v1/relay"
RELAY_CHECK = "POST /api/v1/relay/check"
DOCUMENT_UPLOAD = "POST /api/v1/documents"
LIST_LENGTH = 2


class Registry:
    """`rnd-registry up` on free ports with its own data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        api_port, chain_port = free_port(), free_port()
        self.api = f"http://127.0.0.1:{api_port}"
        self.rpc_url = f"http://127.0.0.1:{chain_port}"
        env = {
            **os.environ,
            "RND_DATA_DIR": str(data_dir),
            "RND_ANVIL_PORT": str(chain_port),
            "RND_RPC_URL": f"http://127.0.0.1:{chain_port}",
            "RND_API_PORT": str(api_port),
        }
        self.log = (data_dir / "up.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "registry.cli.main", "up"], cwd=PROJECT_ROOT, env=env,
            stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def get(self, path: str, **params: Any) -> Any:
        response = requests.get(self.api + path, params=params, timeout=30)
        response.raise_for_status()
        return response.json()

    def wait_until_indexed(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"`rnd-registry up` stopped: see {self.data_dir / 'up.log'}")
            try:
                health = self.get("/health")
                if health["indexer"]["lagBlocks"] == 0 and len(self.get("/api/v1/evaluations")["items"]) >= 3:
                    return
            except (requests.RequestException, KeyError, TypeError):
                pass
            time.sleep(1)
        raise SystemExit(f"the demo registry was not indexed within {STARTUP_TIMEOUT:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def richest(items: list[dict[str, Any]], *keys: str) -> dict[str, Any]:
    """The item with the longest lists under `keys` (the record whose example shows the most)."""
    return max(items, key=lambda item: sum(len(item.get(key) or []) for key in keys))


def parameters(registry: Registry) -> dict[str, str]:
    """A value for each path parameter of the API: the demo records with the most to show."""
    projects = [registry.get(f"/api/v1/projects/{p['projectId']}") for p in registry.get("/api/v1/projects")["items"]]
    milestones = [
        registry.get(f"/api/v1/projects/{m['projectId']}/milestones/{m['milestoneIndex']}")
        for m in registry.get("/api/v1/milestones", limit=500)["items"]
    ]
    milestone = richest(milestones, "history")
    outcomes = [registry.get(f"/api/v1/outcomes/{o['outcomeId']}") for o in registry.get("/api/v1/outcomes")["items"]]
    reports = registry.get("/api/v1/commercialization-reports")["items"]
    report = richest([registry.get(f"/api/v1/commercialization-reports/{r['reportId']}") for r in reports], "history")
    evaluations = registry.get("/api/v1/evaluations")["items"]
    evaluation = max(evaluations, key=lambda e: int(e["clawbackAmount"]))
    batch = registry.get("/api/v1/batches")["items"][0]
    companies = registry.get("/api/v1/members/companies")["items"]
    return {
        "programId": str(projects[0]["programId"]),
        "projectId": str(richest(projects, "statusChanges")["projectId"]),
        "milestone": f"{milestone['projectId']}/milestones/{milestone['milestoneIndex']}",
        "outcomeId": str(richest(outcomes, "ipStatusChanges", "history")["outcomeId"]),
        "reportId": str(report["reportId"]),
        "auditId": str(evaluation["auditId"]),
        "root": batch["root"],
        "company": companies[0]["companyId"],
        "objectionId": str(registry.get("/api/v1/objections")["items"][0]["objectionId"]),
        "dataset": "outcomes",  # an open-data set: its catalogue entry and its dictionary
    }


def receipt_key(operation: dict[str, Any], values: dict[str, str]) -> dict[str, str]:
    """The query parameters of a record receipt's operation: the same records as the lookups' examples."""
    names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    if names == ["projectId", "milestoneIndex"]:  # the milestone with the longest history
        project, index = values["milestone"].split("/milestones/")
        return {"projectId": project, "milestoneIndex": index}
    return {name: values[name] for name in names}


def batch_document(registry: Registry) -> Path:
    """A demo document anchored in a batch: its verification shows a Merkle proof too."""
    batch = registry.get("/api/v1/batches")["items"][0]
    for document in sorted((registry.data_dir / "demo-documents").rglob("*")):
        if document.is_file():
            digest = hashlib.sha256(document.read_bytes()).hexdigest()
            answer = registry.get(f"/api/v1/verify/{digest}")
            if any(b["root"] == batch["root"] for b in answer["batches"]):
                return document
    raise SystemExit("no demo document is in the demo's batch")


def shorten(example: Any) -> Any:
    """Lists of records cut to `LIST_LENGTH` items: an example shows the shape, not the data set."""
    if isinstance(example, list):
        return example[:LIST_LENGTH]
    if isinstance(example, dict) and isinstance(example.get("items"), list):
        return {**example, "items": example["items"][:LIST_LENGTH]}
    return example


def capture(registry: Registry) -> dict[str, Any]:
    schema = registry.get("/openapi.json")
    values = parameters(registry)
    document = batch_document(registry)
    digest = hashlib.sha256(document.read_bytes()).hexdigest()
    values["sha256"] = digest
    examples: dict[str, Any] = {}
    for template, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("responses", {}).get("200", {}).get("content", {})
            if "application/json" not in content:
                continue
            key = f"{method.upper()} {template}"
            if key in (RELAY, RELAY_CHECK):
                continue  # last, once every other example is taken: it records an outcome
            if key == DOCUMENT_UPLOAD:
                examples[key] = published_note(registry)
                continue
            if method == "post":
                with document.open("rb") as file:
                    response = requests.post(registry.api + template, files={"file": (document.name, file)}, timeout=30)
                response.raise_for_status()
                examples[key] = response.json()
                continue
            path = template.replace("{projectId}/milestones/{milestoneIndex}", values["milestone"])
            params: dict[str, Any] = {}
            if template.startswith("/api/v1/receipts/"):  # a record's receipt, keyed by its query parameters
                params.update(receipt_key(operation, values))
            for name, value in values.items():
                path = path.replace("{" + name + "}", value)
            if template.endswith("/export"):
                params["format"] = "json"
            elif any(p.get("name") == "limit" for p in operation.get("parameters", [])):
                params["limit"] = LIST_LENGTH
            examples[key] = shorten(registry.get(path, **params))
    if RELAY in (f"POST {template}" for template in schema["paths"]):
        examples[RELAY_CHECK], examples[RELAY] = relayed_patent(registry)
    return examples


def published_note(registry: Registry) -> Any:
    """A review note the demo's auditor types and publishes, as the workspace's page would: the answer of
    publishing it again (200, the same as the first)."""
    note = "검토 의견: 1단계 증빙의 시험성적서 3쪽에 기관 직인이 빠졌습니다. 보완해 다시 제출하세요.\n".encode()
    terms = registry.get("/api/v1/documents/publishing")
    message = publication_message(hashlib.sha256(note).digest(), terms["chainId"], terms["registry"])
    auditor = dev_account(AUDITOR)
    fields = {
        "sha256": hashlib.sha256(note).hexdigest(),
        "uploader": auditor.address,
        "signature": "0x" + bytes(auditor.sign_message(encode_defunct(text=message)).signature).hex(),
        "name": "검토의견.txt",
        "contentType": "text/plain",
    }
    for _ in range(2):
        response = requests.post(registry.api + "/api/v1/documents", data=fields,
                                 files={"document": ("검토의견.txt", note)}, timeout=60)  # fmt: skip
        response.raise_for_status()
    return response.json()


def relayed_patent(registry: Registry) -> tuple[Any, Any]:
    """A patent application a demo company's clerk signs, as the workspace's page would: the relay's check of it,
    then the relay's answer sending it."""
    manifest = DeploymentManifest.read(registry.data_dir / "deployment.json")
    client = RegistryClient(connect(registry.rpc_url, expected_chain_id=manifest.chain_id), manifest)
    project = registry.get("/api/v1/projects", status="active", limit=1)["items"][0]
    company = bytes.fromhex(project["companyId"][2:])
    clerks = [dev_account(c.account) for c in COMPANIES]
    clerk = next(account for account in clerks if client.company_of(account.address) == company)
    call = client.ops.add_outcome(
        project["projectId"], OutcomeType.PATENT_APPLICATION, "10-2021-0123456", hashlib.sha256(b"patent").digest()
    ).call
    request = sign_request(
        clerk,
        forwarder=manifest.address(FORWARDER),
        chain_id=manifest.chain_id,
        target=call.address,
        data=bytes.fromhex(call._encode_transaction_data()[2:]),
        nonce=registry.get("/api/v1/relay/status", signer=clerk.address)["nextNonce"],
        deadline=int(client.w3.eth.get_block("latest")["timestamp"]) + 3600,
    )
    body: dict[str, Any] = {
        "from": request.signer, "to": request.target, "value": 0, "gas": request.gas, "nonce": request.nonce,
        "deadline": request.deadline, "data": "0x" + request.data.hex(), "signature": "0x" + request.signature.hex(),
    }  # fmt: skip
    checked = requests.post(registry.api + "/api/v1/relay/check", json=body, timeout=60)
    checked.raise_for_status()
    response = requests.post(registry.api + "/api/v1/relay", json=body, timeout=60)
    response.raise_for_status()
    return checked.json(), response.json()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="api-examples-") as directory:
        registry = Registry(Path(directory))
        try:
            registry.wait_until_indexed()
            examples = capture(registry)
        finally:
            registry.stop()
    EXAMPLES_PATH.write_text(json.dumps(examples, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(examples)} examples to {EXAMPLES_PATH.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
