"""Statistics over the API equal the figures computed here, independently, from the records the
chain holds (read one by one through the client, not from the database); exports carry the same
figures; bad parameters get 422 and an unknown company 404."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web3 import Web3

from registry.chain.client import RegistryClient
from registry.chain.devkeys import dev_account
from registry.chain.devload import ADMIN, AUDITOR
from registry.domain.companies import company_id
from registry.domain.deadlines import is_overdue
from registry.domain.enums import Grade, OutcomeType, ProjectStatus, ReportStatus, SanctionStatus
from registry.domain.records import (
    Audit,
    AuditResult,
    CommercializationReport,
    Milestone,
    Outcome,
    Program,
    Project,
    ProjectFunds,
    Sanction,
)
from registry.evidence.hashing import sha256_bytes
from tests.api.conftest import IndexedRegistry
from tests.helpers.registry import second_auditor_key

DAY = 24 * 3600


@dataclass
class ChainRecords:
    """Every record of the registry, as the contracts return them."""

    programs: list[Program]
    projects: list[Project]
    milestones: list[Milestone]
    outcomes: list[Outcome]
    reports: list[CommercializationReport]
    audits: list[Audit]
    #: What each project paid and returned (`fundsOf`), and each evaluation's sanction (`sanctionOf`), by id.
    funds: dict[int, ProjectFunds]
    sanctions: dict[int, Sanction]

    def in_effect(self, audit: Audit) -> bool:
        return self.sanctions[audit.audit_id].status is SanctionStatus.IN_EFFECT


def _unfinished_milestones(indexed: IndexedRegistry, w3: Web3) -> None:
    """What the demo load may not leave: milestones not approved (on an active project, one planned and
    one submitted and rejected, both due in ten days), and a company restricted by an evaluation."""
    manifest = indexed.manifest
    admin = RegistryClient(w3, manifest, account=dev_account(ADMIN))
    auditor = RegistryClient(w3, manifest, account=dev_account(AUDITOR))
    counts = admin.counts()
    project = next(
        p for p in (admin.project(i) for i in range(1, counts["projects"] + 1))
        if p.status is ProjectStatus.ACTIVE and p.planned_tranches + 2 <= p.amount
    )  # fmt: skip
    account = next(i for i in range(10) if admin.company_of(dev_account(i).address) == project.company_id)
    company = RegistryClient(w3, manifest, account=dev_account(account))
    due = int(w3.eth.get_block("latest")["timestamp"]) + 10 * DAY
    admin.execute(admin.ops.plan_milestone(project.project_id, due, 1))
    rejected = admin.execute(admin.ops.plan_milestone(project.project_id, due, 1)).record.milestone_index
    company.execute(company.ops.submit_milestone(project.project_id, rejected, [sha256_bytes(b"late evidence")]))
    auditor.execute(auditor.ops.reject_milestone(project.project_id, rejected, sha256_bytes(b"tests missing")))
    until = datetime.fromtimestamp(due + 365 * DAY, UTC)
    evaluation = AuditResult(grade=Grade.POOR, findings_hash=sha256_bytes(b"findings"), restricted_until=until)
    audit = auditor.execute(auditor.ops.record_audit(project.project_id, evaluation)).record
    second = RegistryClient(w3, manifest, account=second_auditor_key())
    second.execute(second.ops.confirm_sanction(audit.audit_id))


@pytest.fixture(scope="module")
def chain(indexed: IndexedRegistry, w3: Web3) -> Iterator[ChainRecords]:
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    try:
        _unfinished_milestones(indexed, w3)
        indexed.index()
        client: RegistryClient = indexed.client
        counts = client.counts()
        projects = [client.project(i) for i in range(1, counts["projects"] + 1)]
        yield ChainRecords(
            programs=[client.program(i) for i in range(1, counts["programs"] + 1)],
            projects=projects,
            milestones=[client.milestone(p.project_id, m) for p in projects for m in range(1, p.milestone_count + 1)],
            outcomes=[client.outcome(i) for i in range(1, counts["outcomes"] + 1)],
            reports=[client.report(i) for i in range(1, counts["reports"] + 1)],
            audits=[client.audit(i) for i in range(1, counts["audits"] + 1)],
            funds={p.project_id: client.funds(p.project_id) for p in projects},
            sanctions={i: client.sanction(i) for i in range(1, counts["audits"] + 1)},
        )
    finally:
        w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
        indexed.index()


@dataclass
class Expected:
    """The figures of a group of projects, computed the way the API documents them."""

    projects: int = 0
    granted: int = 0
    paid: int = 0
    returned: int = 0
    clawbacks: int = 0
    milestones: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    commercialization: Counter[str] = field(default_factory=Counter)


def _expected(chain: ChainRecords, project_ids: set[int], as_of: int) -> Expected:
    found = Expected()
    project_status = {project.project_id: project.status for project in chain.projects}
    for project in chain.projects:
        if project.project_id in project_ids:
            found.projects += 1
            funds = chain.funds[project.project_id]
            found.granted += project.amount - funds.returned
            found.paid += funds.paid
            found.returned += funds.returned
    for milestone in chain.milestones:
        if milestone.project_id in project_ids:
            found.milestones["total"] += 1
            found.milestones[milestone.status.name.lower()] += 1
            found.milestones["overdue"] += is_overdue(
                milestone.status, milestone.due_date, project_status[milestone.project_id], as_of
            )
    for outcome in chain.outcomes:
        if outcome.project_id in project_ids:
            if outcome.revoked:
                found.outcomes["revoked"] += 1
            elif outcome.amended_by:
                found.outcomes["corrected"] += 1
            else:
                found.outcomes[outcome.outcome_type.name.lower()] += 1
    for report in chain.reports:
        if report.project_id in project_ids:
            found.commercialization["reports"] += 1
            found.commercialization[report.status.name.lower()] += 1
            if report.status in (ReportStatus.REPORTED, ReportStatus.VERIFIED):
                for name in ("sales", "investment", "royalties", "jobs"):
                    found.commercialization[name] += getattr(report.figures, name)
    for audit in chain.audits:
        if audit.project_id in project_ids and chain.in_effect(audit):
            found.clawbacks += audit.clawback_amount
    return found


def _assert_figures(item: dict[str, Any], expected: Expected) -> None:
    assert item["projects"] == expected.projects
    assert item["clawbacks"] == str(expected.clawbacks)
    assert (item["paid"], item["returned"]) == (str(expected.paid), str(expected.returned))
    milestones = item["milestones"]
    assert milestones == {name: expected.milestones[name]
                          for name in ("total", "planned", "submitted", "approved", "rejected", "overdue")}  # fmt: skip
    outcomes = item["outcomes"]
    by_type = {kind.name.lower(): expected.outcomes[kind.name.lower()] for kind in OutcomeType if kind.value}
    assert outcomes["byType"] == {_camel(name): count for name, count in by_type.items()}
    assert (outcomes["standing"], outcomes["revoked"], outcomes["corrected"]) == (
        sum(by_type.values()), expected.outcomes["revoked"], expected.outcomes["corrected"]
    )
    money = item["commercialization"]
    assert money == {
        "reports": expected.commercialization["reports"],
        "committed": expected.commercialization["committed"],
        "reported": expected.commercialization["reported"],
        "verified": expected.commercialization["verified"],
        "disputed": expected.commercialization["disputed"],
        "sales": str(expected.commercialization["sales"]),
        "investment": str(expected.commercialization["investment"]),
        "royalties": str(expected.commercialization["royalties"]),
        "jobs": expected.commercialization["jobs"],
    }


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


def _latest_due(chain: ChainRecords) -> int:
    return max(int(m.due_date.timestamp()) for m in chain.milestones)


def _moments(chain: ChainRecords) -> list[tuple[str | None, int | None]]:
    """Now (nothing overdue yet), and a day after every milestone was due."""
    after = _latest_due(chain) + DAY
    return [(None, None), (datetime.fromtimestamp(after, UTC).isoformat().replace("+00:00", "Z"), after)]


# ---- per program and year ---------------------------------------------------------------------------


def test_program_statistics_equal_the_figures_computed_from_the_chains_records(
    api: TestClient, chain: ChainRecords
) -> None:
    for as_of_text, as_of in _moments(chain):
        response = api.get("/api/v1/statistics/programs", params={"asOf": as_of_text} if as_of_text else {})
        assert response.status_code == 200
        body = response.json()
        moment = as_of if as_of is not None else int(datetime.fromisoformat(body["asOf"]).timestamp())
        assert [item["programId"] for item in body["items"]] == [p.program_id for p in chain.programs]
        for item, program in zip(body["items"], chain.programs, strict=True):
            assert (item["name"], item["year"]) == (program.name, program.year)
            assert item["status"] == program.status.name.lower()
            assert (item["budget"], item["granted"], item["remaining"]) == (
                str(program.budget), str(program.granted), str(program.budget - program.granted)
            )
            ids = {p.project_id for p in chain.projects if p.program_id == program.program_id}
            expected = _expected(chain, ids, moment)
            assert expected.granted == program.granted
            _assert_figures(item, expected)
    overdue_later = api.get("/api/v1/statistics/programs", params={"asOf": _moments(chain)[1][0]}).json()
    assert sum(i["milestones"]["overdue"] for i in overdue_later["items"]) > 0, "the later moment must test overdue"


def test_a_year_filter_keeps_only_that_years_programs(api: TestClient, chain: ChainRecords) -> None:
    years = {p.year for p in chain.programs}
    for year in years:
        body = api.get("/api/v1/statistics/programs", params={"year": year}).json()
        assert [i["programId"] for i in body["items"]] == [p.program_id for p in chain.programs if p.year == year]
    assert api.get("/api/v1/statistics/programs", params={"year": max(years) + 1}).json()["items"] == []


def test_year_statistics_add_up_the_programs_of_each_year(api: TestClient, chain: ChainRecords) -> None:
    as_of_text, as_of = _moments(chain)[1]
    assert as_of is not None
    body = api.get("/api/v1/statistics/years", params={"asOf": as_of_text}).json()
    by_year: dict[int, list[Program]] = defaultdict(list)
    for program in chain.programs:
        by_year[program.year].append(program)
    assert [item["year"] for item in body["items"]] == sorted(by_year)
    for item in body["items"]:
        programs = by_year[item["year"]]
        budget, granted = sum(p.budget for p in programs), sum(p.granted for p in programs)
        assert (item["programs"], item["budget"], item["granted"], item["remaining"]) == (
            len(programs), str(budget), str(granted), str(budget - granted)
        )
        ids = {p.project_id for p in chain.projects if p.program_id in {q.program_id for q in programs}}
        _assert_figures(item, _expected(chain, ids, as_of))


def test_commercialization_goes_by_the_year_each_report_is_for(api: TestClient, chain: ChainRecords) -> None:
    body = api.get("/api/v1/statistics/commercialization").json()
    by_year: dict[int, Counter[str]] = defaultdict(Counter)
    for report in chain.reports:
        found = by_year[report.year]
        found["reports"] += 1
        found[report.status.name.lower()] += 1
        if report.status in (ReportStatus.REPORTED, ReportStatus.VERIFIED):
            for name in ("sales", "investment", "royalties", "jobs"):
                found[name] += getattr(report.figures, name)
    assert [item["year"] for item in body["items"]] == sorted(by_year)
    program_years = {p.year for p in chain.programs}
    assert set(by_year) - program_years, "the chain must hold reports for years that are no program's year"
    for item in body["items"]:
        expected = by_year[item["year"]]
        money = item["commercialization"]
        assert {name: money[name] for name in ("reports", "committed", "reported", "verified", "disputed", "jobs")} == {
            name: expected[name] for name in ("reports", "committed", "reported", "verified", "disputed", "jobs")
        }
        assert [money[name] for name in ("sales", "investment", "royalties")] == [
            str(expected[name]) for name in ("sales", "investment", "royalties")
        ]
    for year in program_years:  # `year` keeps the reports of that year's programs
        kept = api.get("/api/v1/statistics/commercialization", params={"year": year}).json()["items"]
        ids = {p.project_id for p in chain.projects if p.program_id in {q.program_id for q in chain.programs
                                                                       if q.year == year}}  # fmt: skip
        assert sum(i["commercialization"]["reports"] for i in kept) == sum(r.project_id in ids for r in chain.reports)


# ---- per company ------------------------------------------------------------------------------------


def test_company_statistics_equal_the_figures_computed_from_the_chains_records(
    api: TestClient, chain: ChainRecords
) -> None:
    as_of_text, as_of = _moments(chain)[1]
    assert as_of is not None
    body = api.get("/api/v1/statistics/companies", params={"asOf": as_of_text}).json()
    companies = sorted({p.company_id for p in chain.projects})
    listed = [bytes.fromhex(i["companyId"][2:]) for i in body["items"]]
    assert set(companies) <= set(listed)
    for item in body["items"]:
        company = bytes.fromhex(item["companyId"][2:])
        ids = {p.project_id for p in chain.projects if p.company_id == company}
        expected = _expected(chain, ids, as_of)
        assert item["granted"] == str(expected.granted)
        assert item["programs"] == len({p.program_id for p in chain.projects if p.company_id == company})
        _assert_figures(item, expected)
    restricted = [a for a in chain.audits if a.restricted_until is not None and chain.in_effect(a)]
    assert restricted, "the fixture restricts one company through an evaluation"
    project_company = {p.project_id: p.company_id for p in chain.projects}
    last = max(restricted, key=lambda a: a.audit_id)
    [flagged] = [i for i in body["items"] if i["restricted"]]
    assert flagged["companyId"] == "0x" + project_company[last.project_id].hex()


@pytest.mark.parametrize("form", ["number", "plain digits", "hex id"])
def test_one_company_is_found_by_business_number_or_by_id(api: TestClient, chain: ChainRecords, form: str) -> None:
    number = "131-81-00001"  # the session registry binds dev account 3 to it (tests/helpers/registry.py)
    given = {"number": number, "plain digits": number.replace("-", ""), "hex id": "0x" + company_id(number).hex()}
    response = api.get(f"/api/v1/statistics/companies/{given[form]}")
    assert response.status_code == 200
    item = response.json()
    assert item["companyId"] == "0x" + company_id(number).hex()
    ids = {p.project_id for p in chain.projects if p.company_id == company_id(number)}
    assert item["projects"] == len(ids) > 0
    assert item["granted"] == str(sum(p.amount - chain.funds[p.project_id].returned for p in chain.projects
                                      if p.project_id in ids))  # fmt: skip


def test_an_unknown_company_is_404_and_a_malformed_one_422_naming_company(api: TestClient) -> None:
    unknown = api.get("/api/v1/statistics/companies/999-99-99999")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["parameter"] == "company"
    malformed = api.get("/api/v1/statistics/companies/not-a-number")
    assert malformed.status_code == 422
    assert malformed.json()["error"]["parameter"] == "company"
    assert "business registration number" in malformed.json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/api/v1/statistics/programs", {"asOf": "yesterday"}, "asOf"),
        ("/api/v1/statistics/programs", {"year": "twenty"}, "year"),
        ("/api/v1/statistics/years", {"year": 0}, "year"),
        ("/api/v1/statistics/companies/export", {"format": "xlsx"}, "format"),
    ],
)
def test_a_bad_parameter_is_422_naming_it(api: TestClient, path: str, params: dict[str, Any], parameter: str) -> None:
    response = api.get(path, params=params)
    assert response.status_code == 422
    assert response.json()["error"]["parameter"] == parameter


# ---- exports ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "file"), [("programs", "program"), ("years", "year"), ("companies", "company")])
def test_the_exports_carry_the_same_figures_as_the_list(
    api: TestClient, chain: ChainRecords, kind: str, file: str
) -> None:
    as_of_text = _moments(chain)[1][0]
    listed = api.get(f"/api/v1/statistics/{kind}", params={"asOf": as_of_text}).json()["items"]
    as_json = api.get(f"/api/v1/statistics/{kind}/export", params={"asOf": as_of_text, "format": "json"})
    assert as_json.status_code == 200
    assert as_json.headers["content-disposition"] == f'attachment; filename="{file}-statistics.json"'
    assert json.loads(as_json.content) == listed
    as_csv = api.get(f"/api/v1/statistics/{kind}/export", params={"asOf": as_of_text})
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert as_csv.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert len(rows) == len(listed)
    for row, item in zip(rows, listed, strict=True):
        assert row["milestones.overdue"] == str(item["milestones"]["overdue"])
        assert row["outcomes.byType.patentApplication"] == str(item["outcomes"]["byType"]["patentApplication"])
        assert row["commercialization.sales"] == item["commercialization"]["sales"]
