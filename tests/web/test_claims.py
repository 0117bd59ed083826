"""What record pages claim (registry/checking/CLAIMS.md): every record a page shows carries its key,
every value it shows is marked with the API's JSON for that value, and those values are the API's
own for the same record, history items included and in order; the visible text is the value
rendered as `data-format` says. Also the company, members and batch pages, in both languages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest
from eth_utils.crypto import keccak
from fastapi.testclient import TestClient
from web3 import Web3

from registry.api.schemas.common import Provenance
from registry.api.schemas.grants import Program
from registry.chain.client import RegistryClient
from registry.chain.devkeys import dev_account
from registry.chain.devload import AUDITOR, COMPANIES
from registry.domain.companies import company_id
from registry.domain.enums import Grade, ProgramStatus
from registry.domain.records import AuditResult
from registry.domain.text import visible_bidi
from registry.web import formatting
from registry.web.i18n import Language, catalogue
from tests.api.conftest import IndexedRegistry
from tests.helpers.api import all_items
from tests.helpers.registry import second_auditor_key
from tests.web.conftest import ReviewedMilestone

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# ---- reading a page's claims ----------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs))
        self.open[-1].children.append(node)
        if tag not in _VOID:
            self.open.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        assert self.open[-1].tag == tag, f"</{tag}> closes <{self.open[-1].tag}>"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


@dataclass
class Claim:
    path: str
    value: Any
    format: str | None
    text: str


@dataclass
class Item:
    fields: list[Claim] = field(default_factory=list)


@dataclass
class Record:
    kind: str
    key: dict[str, Any]
    fields: list[Claim] = field(default_factory=list)
    lists: dict[str, list[Item]] = field(default_factory=dict)


def claims_of(html: str) -> tuple[list[Record], list[Node]]:
    """The records a page marks up, and the elements with `data-check-page`."""
    tree = _Tree()
    tree.feed(html)
    tree.close()
    records: list[Record] = []
    placeholders: list[Node] = []

    def walk(node: Node, record: Record | None, listed: str | None, item: Item | None) -> None:
        attrs = node.attrs
        if "data-check-page" in attrs:
            placeholders.append(node)
        if "data-record" in attrs:
            key = json.loads(attrs["data-key"] or "")
            assert isinstance(key, dict) and key, attrs
            record = Record(str(attrs["data-record"]), key)
            records.append(record)
            listed, item = None, None
        if "data-list" in attrs:
            assert record is not None, attrs
            listed = str(attrs["data-list"])
            record.lists.setdefault(listed, [])
        if "data-item" in attrs:
            assert record is not None and listed is not None, attrs
            item = Item()
            record.lists[listed].append(item)
        if "data-field" in attrs:
            assert record is not None, f"{attrs} belongs to no record"
            assert "data-value" in attrs, attrs
            claim = Claim(str(attrs["data-field"]), json.loads(attrs["data-value"] or ""), attrs.get("data-format"),
                          node.text().strip())  # fmt: skip
            (item or record).fields.append(claim)
        for child in node.children:
            if isinstance(child, Node):
                walk(child, record, listed, item)

    walk(tree.root, None, None, None)
    return records, placeholders


# ---- what the API says -----------------------------------------------------------------------------


class Api:
    """The API's JSON of a record by its kind and key, read once per record."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.seen: dict[str, Any] = {}

    def _get(self, path: str) -> Any:
        if path not in self.seen:
            answer = self.client.get(path)
            assert answer.status_code == 200, (path, answer.text)
            self.seen[path] = answer.json()
        return self.seen[path]

    def _find(self, path: str, **match: Any) -> Any:
        cached = f"{path}?{json.dumps(match, sort_keys=True)}"
        if cached not in self.seen:
            query = {k: v for k, v in match.items() if k in ("account", "company")}
            found = [i for i in all_items(self.client, path, **query)
                     if all(i[k] == v for k, v in match.items() if k not in ("company",))]  # fmt: skip
            assert len(found) == 1, (path, match, found)
            self.seen[cached] = found[0]
        return self.seen[cached]

    def record(self, kind: str, key: dict[str, Any]) -> Any:
        match kind:
            case "program":
                return self._get(f"/api/v1/programs/{key['programId']}")
            case "project":
                return self._get(f"/api/v1/projects/{key['projectId']}")
            case "milestone":
                return self._get(f"/api/v1/projects/{key['projectId']}/milestones/{key['milestoneIndex']}")
            case "outcome":
                return self._get(f"/api/v1/outcomes/{key['outcomeId']}")
            case "report":
                return self._get(f"/api/v1/commercialization-reports/{key['reportId']}")
            case "evaluation":
                return self._get(f"/api/v1/evaluations/{key['auditId']}")
            case "objection":
                return self._get(f"/api/v1/objections/{key['objectionId']}")
            case "company":
                return self._get(f"/api/v1/companies/{key['companyId']}")
            case "batch":
                return self._get(f"/api/v1/batches/{key['root']}")
            case "role-member":
                return self._find("/api/v1/members", account=key["account"], roleId=key["roleId"])
            case "company-account":
                return self._find("/api/v1/members/companies", account=key["account"])
            case "company-restriction":
                return self._find("/api/v1/members/restrictions", company=key["companyId"],
                                  companyId=key["companyId"])  # fmt: skip
        raise AssertionError(f"unknown record kind {kind!r}")


def _at(document: Any, path: str) -> Any:
    for part in path.split("."):
        if document is None:
            return None
        assert isinstance(document, dict) and part in document, f"the API's JSON has no {path!r}"
        document = document[part]
    return document


def _shown(claim: Claim, language: Language) -> str:
    """The text `data-format` says a person reads for the claimed value."""
    value, form = claim.value, claim.format
    if value is None:
        return "—"
    if form == "won":
        return formatting.won(int(value))
    if form == "number":
        return formatting.number(value)
    if form == "text":
        # Whitespace collapsed, as a reader (and the chain check's comparison) sees it.
        return " ".join(visible_bidi(str(value)).split())
    if form in ("hex",):
        return str(value)
    if form == "short-hex":
        return formatting.short_hex(value)
    if form == "day":
        return str(value)[:10]
    if form == "time":
        return formatting.korea_time(datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    assert form is not None and form.startswith("enum:"), form
    return catalogue(language)[f"enum.{form.removeprefix('enum:')}.{value}"]


_KEY_FIELDS = {
    "program": ("programId",), "project": ("projectId",), "milestone": ("projectId", "milestoneIndex"),
    "outcome": ("outcomeId",), "report": ("reportId",), "evaluation": ("auditId",), "batch": ("root",),
    "role-member": ("roleId", "account"), "company-account": ("account",), "company-restriction": ("companyId",),
    "objection": ("objectionId",), "company": ("companyId",),
}  # fmt: skip


def assert_claims_hold(client: TestClient, api: Api, path: str, language: Language = Language.KOREAN) -> list[Record]:
    """Every claim of the page at `path` is the API's value for its record, shown as its format says."""
    answer = client.get(f"{path}{'&' if '?' in path else '?'}lang={language.value}")
    assert answer.status_code == 200, path
    records, _ = claims_of(answer.text)
    for record in records:
        assert tuple(record.key) == _KEY_FIELDS[record.kind], (path, record.key)
        truth = api.record(record.kind, record.key)
        assert {k: truth[k] for k in record.key} == record.key, (path, record.key)
        for claim in record.fields:
            assert claim.value == _at(truth, claim.path), (path, record.kind, record.key, claim)
            if claim.format is not None:
                assert claim.text == _shown(claim, language), (path, record.kind, claim)
        for name, items in record.lists.items():
            expected = truth[name]
            assert len(items) == len(expected), (path, record.key, name)
            for item, want in zip(items, expected, strict=True):
                paths = {c.path for c in item.fields}
                assert {"provenance.transactionHash", "provenance.logIndex"} <= paths, (path, name)
                for claim in item.fields:
                    assert claim.value == _at(want, claim.path), (path, record.key, name, claim)
                    if claim.format is not None:
                        assert claim.text == _shown(claim, language), (path, name, claim)
    return records


# ---- the filter -------------------------------------------------------------------------------------


def test_a_claim_is_the_api_json_of_the_field_safe_in_a_single_quoted_attribute() -> None:
    provenance = Provenance(chain_id=31337, contract="0x5FbDB2315678afecb367f032d93F642f64180aa3",
                            transaction_hash=bytes(range(32)), block_number=42,
                            block_time=datetime(2021, 5, 1, 9, 30, tzinfo=UTC), log_index=3)  # fmt: skip
    program = Program(program_id=7, name="Kim's <R&D>", year=2021, budget=1_600_000_000 * 10**9,
                      per_project_cap=20_000_000, granted=0, remaining=1_600_000_000 * 10**9, project_count=0,
                      status=ProgramStatus.OPEN, field="", metadata_hash=None, metadata_uri="",
                      created_by="0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", rules=None, provenance=provenance,
                      last_change=provenance)  # fmt: skip
    api_json = program.model_dump(mode="json", by_alias=True)
    for path in ["budget", "perProjectCap", "status", "metadataHash", "name", "year", "provenance.blockTime",
                 "provenance.transactionHash", "provenance.signer", "lastChange.logIndex"]:  # fmt: skip
        text = str(formatting.claim(program, path))
        assert "'" not in text and "<" not in text and "&" not in text, text
        assert json.loads(text) == _at(api_json, path), path
    assert str(formatting.claim(program, "budget")) == '"1600000000000000000"'
    assert str(formatting.claim(program, "provenance.blockTime")) == '"2021-05-01T09:30:00Z"'
    assert str(formatting.claim(program, "status")) == '"open"'
    assert formatting.claim_value(program, "provenance.blockNumber") == 42
    with pytest.raises(KeyError, match="transactionHash"):
        formatting.claim(program, "transactionHash")


# ---- the pages -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def restricted(indexed: IndexedRegistry, reviewed: ReviewedMilestone, w3: Web3) -> Iterator[None]:
    """An evaluation restricting a company, confirmed by the second auditor and indexed; reverted and rolled
    out of the database after the module."""
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        auditor = RegistryClient(w3, indexed.manifest, account=dev_account(AUDITOR))
        until = int(w3.eth.get_block("latest")["timestamp"]) + 400 * 24 * 3600
        result = AuditResult(grade=Grade.VERY_POOR, findings_hash=keccak(text="claims:findings"),
                             restricted_until=until)  # fmt: skip
        audit_id = auditor.execute(auditor.ops.record_audit(2, result)).record.audit_id
        # A restriction takes effect once a second auditor confirms it.
        second = RegistryClient(w3, indexed.manifest, account=second_auditor_key())
        second.execute(second.ops.confirm_sanction(audit_id))
        indexed.index()
        yield
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
        indexed.index()


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


def _kinds(records: list[Record]) -> set[str]:
    return {r.kind for r in records}


def _record_page(client: TestClient, api: Api, path: str, kind: str) -> list[Record]:
    records = assert_claims_hold(client, api, path)
    answer = client.get(path)
    _, placeholders = claims_of(answer.text)
    assert len(placeholders) == 1 and placeholders[0].attrs.get("id") == "chain-check", path
    assert records and records[0].kind == kind, path
    return records


def test_program_and_project_pages_claim_what_the_api_says(
    client: TestClient, api: Api, reviewed: ReviewedMilestone
) -> None:
    programs = all_items(client, "/api/v1/programs")
    assert _kinds(assert_claims_hold(client, api, "/programs")) == {"program"}
    for program in programs:
        records = _record_page(client, api, f"/programs/{program['programId']}", "program")
        main = records[0]
        assert {"name", "budget", "perProjectCap", "granted", "remaining", "status", "provenance.transactionHash",
                "provenance.blockNumber", "createdBy"} <= {c.path for c in main.fields}  # fmt: skip
    projects = all_items(client, "/api/v1/projects")
    for project in projects:
        records = _record_page(client, api, f"/projects/{project['projectId']}", "project")
        main = records[0]
        assert len(main.lists["statusChanges"]) == len(api.record("project", main.key)["statusChanges"])
        shown_milestones = [r for r in records if r.kind == "milestone"]
        assert len(shown_milestones) == project["milestoneCount"]
    assert any(api.record("project", {"projectId": p["projectId"]})["statusChanges"] for p in projects)


def test_milestone_pages_claim_every_step_of_their_history(
    client: TestClient, api: Api, reviewed: ReviewedMilestone
) -> None:
    records = _record_page(client, api, reviewed.path, "milestone")
    history = records[0].lists["history"]
    # Each step's transaction is claimed on its line and again in its details.
    transactions = [[c.value for c in item.fields if c.path == "provenance.transactionHash"] for item in history]
    assert transactions == [[transaction] * 2 for _, transaction in reviewed.steps]
    submitted = [c.value for c in history[1].fields if c.path == "evidenceHashes"]
    assert len(submitted) == 1 and len(submitted[0]) == 1
    for milestone in all_items(client, "/api/v1/milestones"):
        _record_page(client, api, f"/projects/{milestone['projectId']}/milestones/{milestone['milestoneIndex']}",
                     "milestone")  # fmt: skip


def test_outcome_report_and_evaluation_pages_claim_what_the_api_says(
    client: TestClient, api: Api, reviewed: ReviewedMilestone
) -> None:
    outcomes = all_items(client, "/api/v1/outcomes")
    assert outcomes
    for outcome in outcomes:
        records = _record_page(client, api, f"/outcomes/{outcome['outcomeId']}", "outcome")
        paths = {c.path for c in records[0].fields}
        assert ("revocation" in paths) != ("revocation.provenance.transactionHash" in paths)
        assert "amendment" in paths or "amendment.originalId" in paths
    assert any(api.record("outcome", {"outcomeId": o["outcomeId"]})["ipStatusChanges"] for o in outcomes)
    reports = all_items(client, "/api/v1/commercialization-reports")
    hidden = [r for r in reports if r["sales"] is None]
    assert hidden and len(hidden) < len(reports)
    for report in reports:
        records = _record_page(client, api, f"/reports/{report['reportId']}", "report")
        sales = next(c for c in records[0].fields if c.path == "sales")
        if report["sales"] is None:  # committed, not revealed: no figures to claim
            assert (sales.value, sales.format, sales.text) == (None, "won", "—")
    evaluations = all_items(client, "/api/v1/evaluations")
    for evaluation in evaluations:
        _record_page(client, api, f"/evaluations/{evaluation['auditId']}", "evaluation")
    assert _kinds(assert_claims_hold(client, api, "/evaluations")) == {"evaluation"}


def test_search_tables_and_english_pages_claim_the_same_values(
    client: TestClient, api: Api, reviewed: ReviewedMilestone
) -> None:
    year = api.record("program", {"programId": reviewed.program_id})["year"]
    found = assert_claims_hold(client, api, f"/search?year={year}")
    assert _kinds(found) == {"project", "outcome"}
    for path in ["/programs", reviewed.path, f"/projects/{reviewed.project_id}", "/members"]:
        assert assert_claims_hold(client, api, path, Language.ENGLISH)


def test_the_members_page_claims_role_holders_and_company_accounts(client: TestClient, api: Api) -> None:
    records = assert_claims_hold(client, api, "/members")
    roles = [r for r in records if r.kind == "role-member"]
    accounts = [r for r in records if r.kind == "company-account"]
    assert len(roles) == len(all_items(client, "/api/v1/members"))
    assert len(accounts) == len(all_items(client, "/api/v1/members/companies"))
    for record in roles + accounts:
        paths = {c.path for c in record.fields}
        assert {"account", "active", "provenance.transactionHash", "lastChange.blockNumber"} <= paths
    page = client.get("/members").text
    for account in all_items(client, "/api/v1/members/companies"):
        assert f'href="/companies/{account["companyId"]}"' in page
    _, placeholders = claims_of(page)
    assert len(placeholders) == 1


def test_a_company_page_shows_its_accounts_restriction_and_projects(
    client: TestClient, api: Api, restricted: None
) -> None:
    [restriction] = all_items(client, "/api/v1/members/restrictions")
    company = restriction["companyId"]
    records = _record_page(client, api, f"/companies/{company}", "company")
    kinds = [r.kind for r in records]
    assert kinds.count("company") == 1 and kinds.count("company-restriction") == 1
    assert kinds.count("company-account") == len(all_items(client, "/api/v1/members/companies", company=company))
    assert kinds.count("project") == len(all_items(client, "/api/v1/projects", company=company)) > 0
    until = next(c for r in records if r.kind == "company-restriction" for c in r.fields if c.path == "restrictedUntil")
    assert until.value == restriction["restrictedUntil"]
    # The project pages link the company's id to its page.
    project = all_items(client, "/api/v1/projects", company=company)[0]
    assert f'href="/companies/{company}"' in client.get(f"/projects/{project['projectId']}").text
    for language in Language:
        answer = client.get(f"/companies/{company}", params={"lang": language.value})
        assert answer.status_code == 200
        assert catalogue(language)["company.restriction"] in answer.text


def test_a_company_is_found_by_its_business_registration_number_too(client: TestClient) -> None:
    number = COMPANIES[3]
    company = "0x" + company_id(number).hex()
    by_number, by_id = client.get(f"/companies/{number}"), client.get(f"/companies/{company}")
    assert by_number.status_code == by_id.status_code == 200
    assert claims_of(by_number.text)[0] == claims_of(by_id.text)[0] != []
    # An id nobody bound, a number nobody registered and a malformed one name no company.
    unknown = "0x" + company_id("999-99-99999").hex()
    for path in [f"/companies/{unknown}", "/companies/123-45-67890", "/companies/nonsense",
                 f"/companies/{quote('<b>')}"]:  # fmt: skip
        for language in Language:
            answer = client.get(path, params={"lang": language.value})
            assert answer.status_code == 404, path
            assert "data-record" not in answer.text


def test_a_batch_page_claims_the_batch_as_the_api_has_it(client: TestClient, api: Api) -> None:
    batches = all_items(client, "/api/v1/batches")
    assert batches
    for batch in batches:
        records = _record_page(client, api, f"/batches/{batch['root']}", "batch")
        paths = {c.path for c in records[0].fields}
        assert {"root", "anchoredBy", "anchoredAt", "leafCount", "manifestHash", "provenance.transactionHash",
                "provenance.logIndex"} <= paths  # fmt: skip
    root = batches[0]["root"]
    for language in Language:
        answer = client.get(f"/batches/{root.upper().replace('0X', '0x')}", params={"lang": language.value})
        assert answer.status_code == 200
        assert catalogue(language)["batch.root"] in answer.text
    for path in ["/batches/0x" + "00" * 32, "/batches/0x1234", "/batches/nonsense"]:
        assert client.get(path).status_code == 404, path
