"""Stateful property test of the registry: random operations by random actors on the real chain.

A Hypothesis `RuleBasedStateMachine` keeps a Python model of what the registry should hold. Each
operation sends one transaction and checks it against the model: refused with exactly the custom error
(and arguments) the model predicts, or accepted with the ids and actors the model predicts. After every step the
invariants are read back from the chain: budgets and caps hold, a program's grants add up to what it granted
less what terminations and clawbacks returned, the milestone and project histories told by the events are
legal and match the stored state, a sanction takes effect only once a quorum of distinct auditors (the
recorder and others) confirmed it, objections, decisions and company names match the model, and the event
history only ever grows. Time moves on in steps of 31 days, so objection windows (30 or 60 days) close.

Every example starts from the session deployment (`evm_snapshot` in `__init__`, `evm_revert` in
`teardown`). With the `ci` and `dev` profiles the run is bounded to 30 examples of 50 steps, about
40 s on two cores (`ci` also fixes the seed); `HYPOTHESIS_PROFILE=long` runs the profile's 1000
examples of 100 steps each, which takes over an hour.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, cast

from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.types import TxReceipt

from registry.chain.compiler import Artifact
from registry.chain.deployment import FORWARDER, GRANT_REGISTRY, OUTCOME_REGISTRY, DeploymentManifest
from registry.chain.reverts import RevertDecoder
from registry.domain.enums import (
    MilestoneStatus,
    ObjectionStatus,
    ObjectionSubject,
    OutcomeType,
    ProjectStatus,
    ReportStatus,
    SanctionStatus,
)
from tests.helpers.registry import (
    COMPANY_A,
    COMPANY_B,
    DAY,
    NO_DETAILS,
    RULES,
    TARGETS,
    Actors,
    RegistryHarness,
    block_time,
    doc,
)

COMPANY_C = keccak(text="brn:131-81-00003")  # a funded company no account acts for
ZERO = b"\x00" * 32
ACTOR_NAMES = ("admin", "auditor", "auditor_b", "company_a", "company_b", "outsider")
AUDITORS = ("auditor", "auditor_b")
COMPANY_NAMES = ("(주)한빛데이터", "누리로보틱스(주)", "Hanbit Data Co., Ltd.", "", "가" * 67)  # the last: 201 bytes
WRITER_OF: dict[bytes, str | None] = {COMPANY_A: "company_a", COMPANY_B: "company_b", COMPANY_C: None}

LEGAL_MILESTONE_STEPS = {
    (MilestoneStatus.PLANNED, MilestoneStatus.SUBMITTED),
    (MilestoneStatus.REJECTED, MilestoneStatus.SUBMITTED),
    (MilestoneStatus.SUBMITTED, MilestoneStatus.APPROVED),
    (MilestoneStatus.SUBMITTED, MilestoneStatus.REJECTED),
}


def _reachable(steps: set[tuple[MilestoneStatus, MilestoneStatus]]) -> dict[MilestoneStatus, set[MilestoneStatus]]:
    """For each status, every status one or more legal steps lead to."""
    reach = {status: {to for frm, to in steps if frm == status} for status in MilestoneStatus}
    changed = True
    while changed:
        changed = False
        for targets in reach.values():
            more = set().union(*(reach[t] for t in targets)) - targets if targets else set()
            if more:
                targets |= more
                changed = True
    return reach


REACHABLE_MILESTONE_STATES = _reachable(LEGAL_MILESTONE_STEPS)
LEGAL_PROJECT_STEPS = {
    (ProjectStatus.ACTIVE, ProjectStatus.COMPLETED),
    (ProjectStatus.ACTIVE, ProjectStatus.TERMINATED),
    (ProjectStatus.ACTIVE, ProjectStatus.CLAWED_BACK),
    (ProjectStatus.COMPLETED, ProjectStatus.CLAWED_BACK),
    (ProjectStatus.TERMINATED, ProjectStatus.CLAWED_BACK),
}
REPLAYED_EVENTS = {
    "ProjectRegistered",
    "ProjectStatusChanged",
    "MilestonePlanned",
    "MilestoneSubmitted",
    "MilestoneApproved",
    "MilestoneRejected",
    "AuditRecorded",
    "SanctionConfirmed",
    "SanctionCancelled",
    "SanctionQuorumChanged",
    "GrantFundsReturned",
}

SUBMITTABLE = (MilestoneStatus.PLANNED, MilestoneStatus.REJECTED)
WRITABLE = (ProjectStatus.ACTIVE, ProjectStatus.COMPLETED)  # outcomes and reports continue after the end

# (error name, arguments by name), or None when the call must go through
Failure = tuple[str, dict[str, Any]] | None


# the model -------------------------------------------------------------------------------------
@dataclass
class ProgramModel:
    budget: int
    cap: int
    rules: tuple[int, int, int, int] = RULES
    granted: int = 0
    open: bool = True

    @property
    def objection_days(self) -> int:
        return self.rules[1]

    def clawback_limit(self, amount: int) -> int:
        return amount * self.rules[3] // 100

    @property
    def remaining(self) -> int:
        return self.budget - self.granted


@dataclass
class MilestoneModel:
    tranche: int
    status: MilestoneStatus = MilestoneStatus.PLANNED
    attempts: int = 0


@dataclass
class ProjectModel:
    program_id: int
    company: bytes
    amount: int
    status: ProjectStatus = ProjectStatus.ACTIVE
    milestones: list[MilestoneModel] = field(default_factory=list)
    paid: int = 0  # tranches of approved milestones
    returned: int = 0  # the unpaid part, once the project was terminated or clawed back

    @property
    def planned(self) -> int:
        return sum(m.tranche for m in self.milestones)

    @property
    def writer(self) -> str | None:
        return WRITER_OF[self.company]


@dataclass
class ReportModel:
    project_id: int
    year: int
    status: ReportStatus


@dataclass
class AuditModel:
    project_id: int
    recorder: str
    clawback: int
    until: int
    sanction: SanctionStatus
    confirmed_by: set[str] = field(default_factory=set)  # the recorder included
    held_by: int = 0  # the open objection holding the sanction


@dataclass
class DecisionModel:
    """A decision a company may object to, as `decisionOf` returns it."""

    decided_by: str
    decided_at: int
    project_id: int
    objection_days: int


@dataclass
class ObjectionModel:
    project_id: int
    subject: ObjectionSubject
    subject_id: int
    milestone_index: int
    decided_by: str
    status: ObjectionStatus = ObjectionStatus.OPEN


@dataclass
class SanctionHistory:
    """A sanction as its events tell it."""

    recorder: str
    confirmed_by: set[str] = field(default_factory=set)
    in_effect: bool = False
    cancelled: bool = False


@dataclass
class MilestoneHistory:
    """A milestone as its events tell it, replayed one event at a time."""

    status: MilestoneStatus
    attempts: int = 0
    submissions: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ChainFixtures:
    w3: Web3
    manifest: DeploymentManifest
    artifacts: dict[str, Artifact]
    decoder: RevertDecoder
    actors: Actors


# reading the chain -----------------------------------------------------------------------------
def _canonical_type(item: Any) -> str:
    kind = str(item["type"])
    if kind.startswith("tuple"):
        return f"({','.join(_canonical_type(c) for c in item['components'])}){kind[len('tuple') :]}"
    return kind


def event_topic(entry: Any) -> bytes:
    return bytes(keccak(text=f"{entry['name']}({','.join(_canonical_type(i) for i in entry['inputs'])})"))


def rpc_batch(w3: Web3, requests: Sequence[tuple[str, list[Any]]]) -> list[Any]:
    """The raw results of many JSON-RPC requests sent as one batch (an invariant reads dozens per step)."""
    if not requests:
        return []
    responses = w3.provider.make_batch_request(list(requests))  # type: ignore[attr-defined]
    for (method, _), response in zip(requests, responses, strict=True):
        assert "error" not in response, f"{method} failed: {response['error']}"
    return [response["result"] for response in sorted(responses, key=lambda r: int(r["id"]))]


def call_request(call: ContractFunction) -> tuple[str, list[Any]]:
    return "eth_call", [{"to": call.address, "data": call._encode_transaction_data()}, "latest"]


def decode_call(w3: Web3, call: ContractFunction, result: str) -> Any:
    values = w3.codec.decode([_canonical_type(o) for o in call.abi["outputs"]], bytes.fromhex(result[2:]))
    return values[0] if len(values) == 1 else values


def read_all(w3: Web3, calls: Sequence[ContractFunction]) -> list[Any]:
    """The results of many view calls, read in one batch."""
    return [decode_call(w3, c, r) for c, r in zip(calls, rpc_batch(w3, [call_request(c) for c in calls]), strict=True)]


def as_log(raw: dict[str, Any]) -> dict[str, Any]:
    """A raw `eth_getLogs` entry in the shape web3's event decoding takes."""
    return {
        "address": to_checksum_address(raw["address"]),
        "topics": [HexBytes(topic) for topic in raw["topics"]],
        "data": HexBytes(raw["data"]),
        "blockHash": HexBytes(raw["blockHash"]),
        "blockNumber": int(raw["blockNumber"], 16),
        "transactionHash": HexBytes(raw["transactionHash"]),
        "transactionIndex": int(raw["transactionIndex"], 16),
        "logIndex": int(raw["logIndex"], 16),
    }


# drawing ---------------------------------------------------------------------------------------
def pick_id(data: st.DataObject, ids: Sequence[int], next_id: int, label: str) -> int:
    """One of `ids` five times in six, else an id that does not exist (the next one, or 0)."""
    if ids and data.draw(st.integers(0, 5), label=f"{label} missing?") < 5:
        return data.draw(st.sampled_from(ids), label=label)
    return data.draw(st.sampled_from([next_id, 0]), label=label)


def pick_actor(data: st.DataObject, preferred: str | None) -> str:
    """The actor allowed to do the operation three times in four, else anyone."""
    if preferred and data.draw(st.integers(0, 3), label="someone else?") < 3:
        return preferred
    return data.draw(st.sampled_from(ACTOR_NAMES), label="actor")


def maybe_zero(data: st.DataObject, document: bytes, label: str) -> bytes:
    """`document`, or one time in eight the zero hash (no document)."""
    return ZERO if data.draw(st.integers(0, 7), label=f"{label} zero?") == 7 else document


# the machine -----------------------------------------------------------------------------------
class RegistryMachine(RuleBasedStateMachine):
    """Random registry operations against a model; the fixtures come from the test that runs it."""

    fixtures: ClassVar[ChainFixtures]
    # read from the chain when an example starts
    admin_role: bytes
    auditor_role: bytes
    base_programs: int
    base_projects: int
    base_audits: int
    base_outcomes: int
    base_reports: int
    base_objections: int
    quorum: int

    def __init__(self) -> None:
        super().__init__()
        fx = self.fixtures
        self.w3 = fx.w3
        self._snapshot = self.w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
        # A fresh harness per example: its senders count nonces locally, and the revert resets them.
        self.h = RegistryHarness(
            w3=fx.w3,
            grants=fx.w3.eth.contract(
                address=fx.manifest.address(GRANT_REGISTRY), abi=fx.artifacts[GRANT_REGISTRY].abi
            ),
            outcomes=fx.w3.eth.contract(
                address=fx.manifest.address(OUTCOME_REGISTRY), abi=fx.artifacts[OUTCOME_REGISTRY].abi
            ),
            forwarder=fx.w3.eth.contract(address=fx.manifest.address(FORWARDER), abi=fx.artifacts[FORWARDER].abi),
            decoder=fx.decoder,
            actors=fx.actors,
        )
        self.grants = self.h.grants
        self.outcomes = self.h.outcomes
        g, o = self.grants.functions, self.outcomes.functions
        (
            self.admin_role,
            self.auditor_role,
            self.base_programs,
            self.base_projects,
            self.base_audits,
            self.base_outcomes,
            self.base_reports,
            self.base_objections,
            self.quorum,
            *restrictions_and_names,
        ) = read_all(
            self.w3,
            [
                g.ADMIN_ROLE(),
                g.AUDITOR_ROLE(),
                g.programCount(),
                g.projectCount(),
                g.auditCount(),
                o.outcomeCount(),
                o.reportCount(),
                o.objectionCount(),
                g.sanctionQuorum(),
                *(g.restrictionOf(c) for c in WRITER_OF),
                *(g.companyName(c) for c in WRITER_OF),
            ],
        )
        restrictions, names = restrictions_and_names[: len(WRITER_OF)], restrictions_and_names[len(WRITER_OF) :]
        self.t0 = self.h.now()
        # Restrictions are either long past or far ahead, so that no run straddles one.
        self.future = (self.t0 + 200 * DAY, self.t0 + 400 * DAY)

        # the model (ids are the chain's; the session state before the snapshot is left alone)
        self.programs: dict[int, ProgramModel] = {}
        self.projects: dict[int, ProjectModel] = {}
        self.reports: dict[int, ReportModel] = {}
        self.latest_report: dict[tuple[int, int], int] = {}
        self.restrictions: dict[bytes, int] = dict(zip(WRITER_OF, restrictions, strict=True))
        self.names: dict[bytes, str] = dict(zip(WRITER_OF, names, strict=True))
        self.outcome_count = 0
        self.audits: dict[int, AuditModel] = {}
        self.decisions: dict[tuple[ObjectionSubject, int, int], DecisionModel] = {}
        self.objections: dict[int, ObjectionModel] = {}
        self.objected: dict[tuple[ObjectionSubject, int, int, int], int] = {}  # decision and its time -> objection
        self.documents = 0

        # the chain's own history, replayed from its events
        self.logs: list[dict[str, Any]] = rpc_batch(self.w3, [self.logs_request()])[0]
        self.milestone_history: dict[tuple[int, int], MilestoneHistory] = {}
        self.project_history: dict[int, ProjectStatus] = {}
        self.seen_milestones: dict[tuple[int, int], MilestoneStatus] = {}
        self.sanction_history: dict[int, SanctionHistory] = {}
        self.replayed_quorum = self.quorum
        self.returned_history: dict[int, tuple[int, int]] = {}  # project -> (program, amount)
        self.by_topic = {
            event_topic(entry): (contract, str(entry["name"]))
            for contract in (self.grants, self.outcomes)
            for entry in cast(list[dict[str, Any]], contract.abi)
            if entry.get("type") == "event"
        }

    def teardown(self) -> None:
        self.w3.provider.make_request("evm_revert", [self._snapshot])  # type: ignore[arg-type]

    # plumbing ----------------------------------------------------------------------------------
    def address(self, actor: str) -> str:
        return str(getattr(self.h.actors, actor))

    def document(self, label: str) -> bytes:
        self.documents += 1
        return doc(f"stateful:{label}:{self.documents}")

    def expect(self, actor: str, call: ContractFunction, failure: Failure) -> TxReceipt | None:
        """Sends `call` as `actor`: it must fail with exactly `failure`, or go through if that is None."""
        if failure is None:
            receipt = self.h.send(self.address(actor), call)
            event(f"{call.fn_name}: accepted")
            return receipt
        error, args = failure
        self.h.reverts(self.address(actor), call, error, **args)
        event(f"{call.fn_name}: {error}")
        return None

    def unauthorized(self, actor: str, role: bytes) -> Failure:
        return "AccessControlUnauthorizedAccount", {"account": self.address(actor), "neededRole": role}

    def program_count(self) -> int:
        return self.base_programs + len(self.programs)

    def project_count(self) -> int:
        return self.base_projects + len(self.projects)

    def report_count(self) -> int:
        return self.base_reports + len(self.reports)

    def audit_count(self) -> int:
        return self.base_audits + len(self.audits)

    def objection_count(self) -> int:
        return self.base_objections + len(self.objections)

    def return_unpaid(self, project_id: int, receipt: TxReceipt) -> None:
        """The project's unpaid grant goes back to its program, as the receipt must say."""
        project = self.projects[project_id]
        project.returned = project.amount - project.paid
        self.programs[project.program_id].granted -= project.returned
        assert self.h.event(receipt, self.grants, "GrantFundsReturned") == {
            "projectId": project_id,
            "programId": project.program_id,
            "amount": project.returned,
        }

    def note_decision(
        self, subject: ObjectionSubject, subject_id: int, index: int, project_id: int, actor: str, receipt: TxReceipt
    ) -> None:
        days = self.programs[self.projects[project_id].program_id].objection_days
        self.decisions[(subject, subject_id, index)] = DecisionModel(
            actor, block_time(self.h, receipt), project_id, days
        )

    def pick_program(self, data: st.DataObject) -> int:
        """A program id; three times in four an open program, if any."""
        open_programs = [p for p, program in self.programs.items() if program.open]
        if open_programs and data.draw(st.integers(0, 3), label="any program?") < 3:
            return data.draw(st.sampled_from(open_programs), label="program")
        return pick_id(data, list(self.programs), self.program_count() + 1, "program")

    def pick_project(
        self, data: st.DataObject, prefer: Callable[[ProjectModel], bool] | None = None
    ) -> tuple[int, ProjectModel | None]:
        """A project id; three times in four one that `prefer` likes, if any, so that flows progress."""
        liked = [p for p, project in self.projects.items() if prefer and prefer(project)]
        if liked and data.draw(st.integers(0, 3), label="any project?") < 3:
            project_id = data.draw(st.sampled_from(liked), label="project")
        else:
            project_id = pick_id(data, list(self.projects), self.project_count() + 1, "project")
        return project_id, self.projects.get(project_id)

    def milestones_in(self, *wanted: MilestoneStatus) -> list[tuple[int, int]]:
        return [
            (p, i)
            for p, project in self.projects.items()
            for i, milestone in enumerate(project.milestones, start=1)
            if milestone.status in wanted
        ]

    def submittable(self) -> list[tuple[int, int]]:
        """Milestones the company could submit now: planned or rejected, of an active project."""
        return [(p, i) for p, i in self.milestones_in(*SUBMITTABLE) if self.projects[p].status == ProjectStatus.ACTIVE]

    def pick_milestone(
        self, data: st.DataObject, liked: list[tuple[int, int]]
    ) -> tuple[int, int, ProjectModel | None, MilestoneModel | None]:
        """A milestone; three times in four one of `liked` (project id, index), if any."""
        if liked and data.draw(st.integers(0, 3), label="any milestone?") < 3:
            project_id, index = data.draw(st.sampled_from(liked), label="milestone")
            project: ProjectModel | None = self.projects[project_id]
        else:
            project_id, project = self.pick_project(data)
            count = len(project.milestones) if project else 0
            index = pick_id(data, range(1, count + 1), count + 1, "milestone")
        milestone = project.milestones[index - 1] if project and 1 <= index <= len(project.milestones) else None
        return project_id, index, project, milestone

    def company_failure(self, actor: str, project_id: int) -> Failure:
        """What the grant registry's company check says: no such project, not this company's, or fine."""
        project = self.projects.get(project_id)
        if project is None:
            return "ProjectNotFound", {"projectId": project_id}
        if project.writer != actor:
            return "ProjectUnauthorizedCompany", {"projectId": project_id, "account": self.address(actor)}
        return None

    def outcome_write_failure(self, actor: str, project_id: int) -> Failure:
        """Outcomes and reports: the project's company, while the project is active or completed."""
        failure = self.company_failure(actor, project_id)
        project = self.projects.get(project_id)
        if failure is None and project and project.status not in WRITABLE:
            failure = "ProjectStatusInvalid", {"projectId": project_id, "status": project.status}
        return failure

    def restricted_until(self, company: bytes) -> int:
        until = self.restrictions.get(company, 0)
        return until if until > self.h.now() else 0

    # programs and projects ---------------------------------------------------------------------
    @initialize(budget=st.sampled_from([250_000_000, 1_600_000_000]), cap=st.sampled_from([100_000_000, 20_000_000]))
    def open_a_program_with_two_projects(self, budget: int, cap: int) -> None:
        # Every example starts with something to work on, as the city would.
        program_id = self.do_create_program("admin", "New-growth-engine R&D", budget, cap)
        for company in (COMPANY_A, COMPANY_B):
            project_id = self.do_register_project("admin", program_id, company, cap, 300 * DAY)
            self.do_plan_milestone("admin", project_id, cap // 4, self.t0 + 30 * DAY)

    @rule(data=st.data())
    def create_program(self, data: st.DataObject) -> None:
        actor = pick_actor(data, "admin")
        name = data.draw(st.sampled_from(["New-growth-engine R&D", "R&D commercialization support", ""]), label="name")
        budget = data.draw(st.integers(1, 2_000_000_000), label="budget")
        kind = data.draw(st.sampled_from(["within", "within", "zero", "above"]), label="cap kind")
        cap = {
            "within": lambda: data.draw(st.integers(1, budget), label="cap"),
            "zero": lambda: 0,
            "above": lambda: data.draw(st.integers(budget + 1, 2 * budget), label="cap"),
        }[kind]()
        rules = (
            data.draw(st.sampled_from([5, 5, 5, 0]), label="follow-up years"),
            data.draw(st.sampled_from([30, 60, 30, 0]), label="objection days"),
            RULES[2],
            data.draw(st.sampled_from([100, 200, 50]), label="largest clawback, percent"),
        )
        self.do_create_program(actor, name, budget, cap, rules)

    def do_create_program(
        self, actor: str, name: str, budget: int, cap: int, rules: tuple[int, int, int, int] = RULES
    ) -> int:
        failure: Failure = None
        if actor != "admin":
            failure = self.unauthorized(actor, self.admin_role)
        elif not name:
            failure = "ProgramNameEmpty", {}
        elif cap == 0 or cap > budget:
            failure = "ProgramCapInvalid", {"perProjectCap": cap, "budget": budget}
        elif rules[0] == 0 or rules[1] == 0:
            failure = "ProgramRulesInvalid", {"followUpYears": rules[0], "objectionDays": rules[1]}

        terms = (name, 2021, budget, cap, "D.N.A.", self.document("program"), "https://example.org/program", rules)
        receipt = self.expect(actor, self.grants.functions.createProgram(terms), failure)
        if receipt is None:
            return 0
        program_id = self.program_count() + 1
        assert self.h.event(receipt, self.grants, "ProgramCreated")["programId"] == program_id
        self.programs[program_id] = ProgramModel(budget=budget, cap=cap, rules=rules)
        return program_id

    @rule(data=st.data())
    def close_program(self, data: st.DataObject) -> None:
        actor = pick_actor(data, "admin")
        program_id = self.pick_program(data)
        program = self.programs.get(program_id)

        failure: Failure = None
        if actor != "admin":
            failure = self.unauthorized(actor, self.admin_role)
        elif program is None:
            failure = "ProgramNotFound", {"programId": program_id}
        elif not program.open:
            failure = "ProgramNotOpen", {"programId": program_id}

        if self.expect(actor, self.grants.functions.closeProgram(program_id), failure) is not None:
            assert program is not None
            program.open = False

    @rule(data=st.data())
    def register_project(self, data: st.DataObject) -> None:
        actor = pick_actor(data, "admin")
        program_id = self.pick_program(data)
        program = self.programs.get(program_id)
        company = data.draw(st.sampled_from([COMPANY_A, COMPANY_B, COMPANY_C, ZERO]), label="company")
        if program is None:
            amount = data.draw(st.integers(1, 100_000_000), label="amount")
        else:
            kinds = ["fits", "fits", "zero", "above cap", "rest of budget", "over budget", "over budget"]
            kind = data.draw(st.sampled_from(kinds), label="amount kind")
            fits = max(1, min(program.cap, program.remaining))
            # within the cap but past the budget, where the budget left is below the cap
            over_budget = st.integers(program.remaining + 1, max(program.remaining + 1, program.cap))
            amount = {
                "fits": lambda: data.draw(st.integers(1, fits), label="amount"),
                "zero": lambda: 0,
                "above cap": lambda: data.draw(st.integers(program.cap + 1, 2 * program.cap), label="amount"),
                "rest of budget": lambda: program.remaining,
                "over budget": lambda: data.draw(over_budget, label="amount"),
            }[kind]()
        period = data.draw(st.sampled_from([300 * DAY, 30 * DAY, 0]), label="period")
        self.do_register_project(actor, program_id, company, amount, period)

    def do_register_project(self, actor: str, program_id: int, company: bytes, amount: int, period: int) -> int:
        program = self.programs.get(program_id)
        start, end = self.t0, self.t0 + period

        failure: Failure = None
        if actor != "admin":
            failure = self.unauthorized(actor, self.admin_role)
        elif program is None:
            failure = "ProgramNotFound", {"programId": program_id}
        elif not program.open:
            failure = "ProgramNotOpen", {"programId": program_id}
        elif company == ZERO:
            failure = "MembershipCompanyIdZero", {}
        elif amount == 0 or amount > program.cap:
            failure = "ProjectAmountInvalid", {"programId": program_id, "amount": amount, "perProjectCap": program.cap}
        elif amount > program.remaining:
            failure = (
                "ProgramBudgetExceeded",
                {"programId": program_id, "amount": amount, "remaining": program.remaining},
            )
        elif end <= start:
            failure = "ProjectPeriodInvalid", {"startDate": start, "endDate": end}
        elif self.restricted_until(company):
            failure = "MembershipCompanyRestricted", {"companyId": company, "until": self.restricted_until(company)}

        terms = (program_id, company, amount, start, end, self.document("plan"), TARGETS)
        receipt = self.expect(actor, self.grants.functions.registerProject(terms), failure)
        if receipt is not None:
            assert program is not None
            project_id = self.project_count() + 1
            assert self.h.event(receipt, self.grants, "ProjectRegistered")["projectId"] == project_id
            self.projects[project_id] = ProjectModel(program_id=program_id, company=company, amount=amount)
            program.granted += amount
            return project_id
        return 0

    @rule(data=st.data())
    def end_project(self, data: st.DataObject) -> None:
        # Completion and termination share one rule, so that projects do not end too soon to be useful.
        complete = data.draw(st.booleans(), label="terminate (else complete)") is False
        actor = pick_actor(data, "admin")
        project_id, project = self.pick_project(data, lambda p: p.status == ProjectStatus.ACTIVE)
        document = maybe_zero(data, self.document("completion report or termination reason"), "document")

        failure: Failure = None
        if actor != "admin":
            failure = self.unauthorized(actor, self.admin_role)
        elif project is None:
            failure = "ProjectNotFound", {"projectId": project_id}
        elif project.status != ProjectStatus.ACTIVE:
            failure = "ProjectStatusInvalid", {"projectId": project_id, "status": project.status}
        elif not complete and document == ZERO:  # a completion report is optional, a reason is not
            failure = "EvidenceHashZero", {}

        end = self.grants.functions.completeProject if complete else self.grants.functions.terminateProject
        receipt = self.expect(actor, end(project_id, document), failure)
        if receipt is not None:
            assert project is not None
            project.status = ProjectStatus.COMPLETED if complete else ProjectStatus.TERMINATED
            if complete:
                assert self.h.events(receipt, self.grants, "GrantFundsReturned") == []
            else:
                self.return_unpaid(project_id, receipt)

    # milestones --------------------------------------------------------------------------------
    @rule(data=st.data())
    def plan_milestone(self, data: st.DataObject) -> None:
        project_id, project = self.pick_project(data, lambda p: p.status == ProjectStatus.ACTIVE)
        planner = data.draw(st.sampled_from(["admin", project.writer if project else None]), label="planner")
        actor = pick_actor(data, planner)
        remaining = project.amount - project.planned if project else 100_000_000
        # Only the admin schedules payments; a company plans milestones with tranche 0.
        kinds = ["fits", "fits", "zero", "rest", "over"] if planner == "admin" else ["zero", "zero", "fits", "over"]
        kind = data.draw(st.sampled_from(kinds), label="tranche kind")
        tranche = {
            "fits": lambda: data.draw(st.integers(0, remaining), label="tranche"),
            "zero": lambda: 0,
            "rest": lambda: remaining,
            "over": lambda: remaining + data.draw(st.integers(1, 10**9), label="tranche over"),
        }[kind]()
        due = data.draw(st.sampled_from([self.t0 + 30 * DAY, 0]), label="due date")
        self.do_plan_milestone(actor, project_id, tranche, due)

    def do_plan_milestone(self, actor: str, project_id: int, tranche: int, due: int) -> None:
        project = self.projects.get(project_id)
        remaining = project.amount - project.planned if project else 0

        failure: Failure = None
        if project is None:
            failure = "ProjectNotFound", {"projectId": project_id}
        elif actor != "admin" and project.writer != actor:
            failure = "ProjectUnauthorizedCompany", {"projectId": project_id, "account": self.address(actor)}
        elif project.status != ProjectStatus.ACTIVE:
            failure = "ProjectStatusInvalid", {"projectId": project_id, "status": project.status}
        elif actor != "admin" and tranche != 0:
            failure = "MilestoneTrancheReservedToAdmin", {"projectId": project_id, "tranche": tranche}
        elif due == 0:
            failure = "MilestoneDueDateMissing", {}
        elif tranche > remaining:
            failure = (
                "MilestoneTrancheExceedsGrant",
                {"projectId": project_id, "tranche": tranche, "remaining": remaining},
            )

        call = self.grants.functions.planMilestone(project_id, due, tranche, self.document("milestone"))
        receipt = self.expect(actor, call, failure)
        if receipt is not None:
            assert project is not None
            project.milestones.append(MilestoneModel(tranche=tranche))
            planned = self.h.event(receipt, self.grants, "MilestonePlanned")
            assert (planned["milestoneIndex"], planned["actor"]) == (len(project.milestones), self.address(actor))

    @precondition(lambda self: self.submittable())
    @rule(data=st.data())
    def submit_milestone(self, data: st.DataObject) -> None:
        project_id, index, project, _ = self.pick_milestone(data, self.submittable())
        actor = pick_actor(data, project.writer if project else None)
        count = data.draw(st.sampled_from([1, 2, 3, 1, 2, 3, 0]), label="evidence count")
        evidence = [maybe_zero(data, self.document("evidence"), "evidence") for _ in range(count)]
        self.do_submit_milestone(actor, project_id, index, evidence)

    def do_submit_milestone(self, actor: str, project_id: int, index: int, evidence: list[bytes]) -> None:
        project = self.projects.get(project_id)
        milestone = project.milestones[index - 1] if project and 1 <= index <= len(project.milestones) else None

        failure = self.company_failure(actor, project_id)
        if failure is not None:
            pass
        elif project is not None and project.status != ProjectStatus.ACTIVE:
            failure = "ProjectStatusInvalid", {"projectId": project_id, "status": project.status}
        elif milestone is None:
            failure = "MilestoneNotFound", {"projectId": project_id, "milestoneIndex": index}
        elif milestone.status not in (MilestoneStatus.PLANNED, MilestoneStatus.REJECTED):
            failure = (
                "MilestoneStatusInvalid",
                {"projectId": project_id, "milestoneIndex": index, "status": milestone.status},
            )
        elif not evidence:
            failure = "EvidenceMissing", {}
        elif ZERO in evidence:
            failure = "EvidenceHashZero", {}

        receipt = self.expect(actor, self.grants.functions.submitMilestone(project_id, index, evidence), failure)
        if receipt is not None:
            assert milestone is not None
            milestone.status = MilestoneStatus.SUBMITTED
            milestone.attempts += 1
            submitted = self.h.event(receipt, self.grants, "MilestoneSubmitted")
            assert (submitted["submitter"], submitted["attempt"]) == (self.address(actor), milestone.attempts)

    @precondition(lambda self: self.milestones_in(MilestoneStatus.SUBMITTED))
    @rule(data=st.data())
    def review_milestone(self, data: st.DataObject) -> None:
        project_id, index, _, _ = self.pick_milestone(data, self.milestones_in(MilestoneStatus.SUBMITTED))
        approve = data.draw(st.booleans(), label="reject (else approve)") is False
        actor = pick_actor(data, "auditor")
        document = maybe_zero(data, self.document("review note or rejection reason"), "document")
        self.do_review_milestone(actor, project_id, index, approve, document)

    def do_review_milestone(self, actor: str, project_id: int, index: int, approve: bool, document: bytes) -> None:
        project = self.projects.get(project_id)
        milestone = project.milestones[index - 1] if project and 1 <= index <= len(project.milestones) else None

        failure: Failure = None
        if actor not in AUDITORS:
            failure = self.unauthorized(actor, self.auditor_role)
        elif milestone is None:
            failure = "MilestoneNotFound", {"projectId": project_id, "milestoneIndex": index}
        elif milestone.status != MilestoneStatus.SUBMITTED:
            failure = (
                "MilestoneStatusInvalid",
                {"projectId": project_id, "milestoneIndex": index, "status": milestone.status},
            )
        elif project and project.status != ProjectStatus.ACTIVE:
            # Approval releases the tranche and a rejection opens an objection: only while the project runs.
            failure = "ProjectStatusInvalid", {"projectId": project_id, "status": project.status}
        elif not approve and document == ZERO:  # a review note is optional, a rejection reason is not
            failure = "EvidenceHashZero", {}

        review = self.grants.functions.approveMilestone if approve else self.grants.functions.rejectMilestone
        receipt = self.expect(actor, review(project_id, index, document), failure)
        if receipt is not None:
            assert milestone is not None and project is not None
            milestone.status = MilestoneStatus.APPROVED if approve else MilestoneStatus.REJECTED
            reviewed = self.h.event(receipt, self.grants, "MilestoneApproved" if approve else "MilestoneRejected")
            assert (reviewed["auditor"], reviewed["attempt"]) == (self.address(actor), milestone.attempts)
            if approve:
                project.paid += milestone.tranche
            else:
                self.note_decision(ObjectionSubject.MILESTONE_REJECTION, project_id, index, project_id, actor, receipt)

    @precondition(lambda self: self.submittable() or self.milestones_in(MilestoneStatus.SUBMITTED))
    @rule(data=st.data())
    def advance_milestone(self, data: st.DataObject) -> None:
        # The review cycle as the parties drive it, a few steps at a time, so that long histories
        # (rejections, resubmissions, approvals) are common; the rules above add wrong callers and inputs.
        for _ in range(data.draw(st.integers(1, 4), label="cycle steps")):
            open_milestones = self.submittable() + self.milestones_in(MilestoneStatus.SUBMITTED)
            if not open_milestones:
                return
            project_id, index = data.draw(st.sampled_from(open_milestones), label="milestone")
            project = self.projects[project_id]
            if project.milestones[index - 1].status == MilestoneStatus.SUBMITTED:
                approve = data.draw(st.integers(0, 2), label="reject?") < 2
                reviewer = data.draw(st.sampled_from(AUDITORS), label="reviewer")
                self.do_review_milestone(reviewer, project_id, index, approve, self.document("review"))
            else:
                self.do_submit_milestone(project.writer or "outsider", project_id, index, [self.document("evidence")])

    # audits and sanctions ----------------------------------------------------------------------
    @rule(data=st.data())
    def record_audit(self, data: st.DataObject) -> None:
        actor = pick_actor(data, data.draw(st.sampled_from(AUDITORS), label="recorder"))
        project_id, project = self.pick_project(data)
        grade = data.draw(st.sampled_from([3, 1, 5, 0]), label="grade")
        amount = project.amount if project else 100_000_000
        limit = self.programs[project.program_id].clawback_limit(amount) if project else amount
        kinds = ["none", "none", "part", "all", "limit", "over"]
        kind = data.draw(st.sampled_from(kinds), label="clawback kind")
        clawback = {"none": 0, "part": max(1, amount // 3), "all": amount, "limit": limit, "over": limit + 1}[kind]
        until = data.draw(st.sampled_from([0, 0, 1, *self.future]), label="restricted until")
        findings = maybe_zero(data, self.document("findings"), "findings")  # required
        self.do_record_audit(actor, project_id, grade, clawback, until, findings)

    def do_record_audit(
        self, actor: str, project_id: int, grade: int, clawback: int, until: int, findings: bytes
    ) -> None:
        project = self.projects.get(project_id)
        limit = self.programs[project.program_id].clawback_limit(project.amount) if project else 0
        failure: Failure = None
        if actor not in AUDITORS:
            failure = self.unauthorized(actor, self.auditor_role)
        elif project is None:
            failure = "ProjectNotFound", {"projectId": project_id}
        elif grade == 0:
            failure = "AuditGradeMissing", {}
        elif clawback > limit:
            failure = (
                "AuditClawbackAboveLimit",
                {"projectId": project_id, "clawbackAmount": clawback, "limit": limit},
            )
        elif clawback and project.status == ProjectStatus.CLAWED_BACK:
            failure = "ProjectStatusInvalid", {"projectId": project_id, "status": project.status}
        elif findings == ZERO:
            failure = "EvidenceHashZero", {}

        call = self.grants.functions.recordAudit(project_id, (grade, findings, clawback, until))
        receipt = self.expect(actor, call, failure)
        if receipt is None:
            return
        assert project is not None
        audit_id = self.audit_count() + 1
        assert self.h.event(receipt, self.grants, "AuditRecorded")["auditId"] == audit_id
        # Nothing takes effect yet: a sanction waits for another auditor.
        assert self.h.events(receipt, self.grants, "ProjectStatusChanged") == []
        assert self.h.events(receipt, self.grants, "CompanyRestrictionSet") == []
        sanctioned = clawback != 0 or until > block_time(self.h, receipt)
        sanction = SanctionStatus.PENDING if sanctioned else SanctionStatus.NONE
        self.audits[audit_id] = AuditModel(
            project_id, actor, clawback, until, sanction, {actor} if sanctioned else set()
        )
        self.note_decision(ObjectionSubject.EVALUATION, audit_id, 0, project_id, actor, receipt)

    @precondition(lambda self: self.audits)
    @rule(data=st.data())
    def confirm_sanction(self, data: st.DataObject) -> None:
        pending = [a for a, audit in self.audits.items() if audit.sanction == SanctionStatus.PENDING]
        if pending and data.draw(st.integers(0, 3), label="any audit?") < 3:
            audit_id = data.draw(st.sampled_from(pending), label="audit")
        else:
            audit_id = pick_id(data, list(self.audits), self.audit_count() + 1, "audit")
        audit = self.audits.get(audit_id)
        others = [a for a in AUDITORS if audit is None or a not in audit.confirmed_by]
        # Mostly an auditor who has not confirmed it yet; now and then one who has (the recorder).
        actor = pick_actor(data, data.draw(st.sampled_from([*others, *others, *AUDITORS]), label="confirmer"))
        self.do_confirm_sanction(actor, audit_id)

    def do_confirm_sanction(self, actor: str, audit_id: int) -> None:
        audit = self.audits.get(audit_id)
        failure: Failure = None
        if actor not in AUDITORS:
            failure = self.unauthorized(actor, self.auditor_role)
        elif audit is None:
            failure = "AuditNotFound", {"auditId": audit_id}
        elif audit.sanction != SanctionStatus.PENDING:
            failure = "AuditSanctionNotPending", {"auditId": audit_id, "status": audit.sanction}
        elif actor in audit.confirmed_by:
            failure = "AuditSanctionAlreadyConfirmed", {"auditId": audit_id, "auditor": self.address(actor)}
        elif audit.held_by:
            failure = "AuditSanctionObjected", {"auditId": audit_id, "objectionId": audit.held_by}
        elif (
            audit.clawback
            and len(audit.confirmed_by) + 1 >= self.quorum
            and self.projects[audit.project_id].status == ProjectStatus.CLAWED_BACK
        ):
            # Another clawback of the project took effect since this one was recorded.
            project_id = audit.project_id
            failure = "ProjectStatusInvalid", {"projectId": project_id, "status": ProjectStatus.CLAWED_BACK}

        receipt = self.expect(actor, self.grants.functions.confirmSanction(audit_id), failure)
        if receipt is None:
            return
        assert audit is not None
        audit.confirmed_by.add(actor)
        in_effect = len(audit.confirmed_by) >= self.quorum
        assert self.h.event(receipt, self.grants, "SanctionConfirmed") == {
            "auditId": audit_id,
            "auditor": self.address(actor),
            "confirmations": len(audit.confirmed_by),
            "inEffect": in_effect,
        }
        project = self.projects[audit.project_id]
        restricted = self.h.events(receipt, self.grants, "CompanyRestrictionSet")
        if not in_effect:
            assert self.h.events(receipt, self.grants, "ProjectStatusChanged") == restricted == []
            return
        audit.sanction = SanctionStatus.IN_EFFECT
        if audit.clawback:
            was = project.status
            project.status = ProjectStatus.CLAWED_BACK
            changed = self.h.event(receipt, self.grants, "ProjectStatusChanged")
            assert (changed["from"], changed["to"], changed["actor"]) == (was, project.status, self.address(actor))
            if was == ProjectStatus.TERMINATED:  # its unpaid part went back already
                assert self.h.events(receipt, self.grants, "GrantFundsReturned") == []
            else:
                self.return_unpaid(audit.project_id, receipt)
        if audit.until > self.restrictions[project.company] and audit.until > block_time(self.h, receipt):
            self.restrictions[project.company] = audit.until
            assert restricted == [{"companyId": project.company, "until": audit.until, "auditId": audit_id}]
        else:
            assert restricted == [], "a restriction is extended, never shortened, and a past one restricts nothing"

    @rule(data=st.data())
    def set_sanction_quorum(self, data: st.DataObject) -> None:
        actor = pick_actor(data, "admin")
        # Mostly two, the number of auditors there are; three leaves sanctions pending, one is refused.
        quorum = data.draw(st.sampled_from([2, 2, 3, 1]), label="quorum")
        failure: Failure = None
        if actor != "admin":
            failure = self.unauthorized(actor, self.admin_role)
        elif quorum < 2:
            failure = "AuditQuorumInvalid", {"quorum": quorum}
        receipt = self.expect(actor, self.grants.functions.setSanctionQuorum(quorum), failure)
        if receipt is not None:
            self.quorum = quorum
            changed = self.h.event(receipt, self.grants, "SanctionQuorumChanged")
            assert changed == {"quorum": quorum, "admin": self.address(actor)}

    # objections --------------------------------------------------------------------------------
    @rule(data=st.data())
    def file_objection(self, data: st.DataObject) -> None:
        open_to_objection = self.open_to_objection()
        choice = data.draw(st.integers(0, 5), label="which decision?")
        if open_to_objection and choice < 3:
            subject, subject_id, index = data.draw(st.sampled_from(open_to_objection), label="decision")
        elif self.decisions and choice < 5:
            subject, subject_id, index = data.draw(st.sampled_from(sorted(self.decisions)), label="decision")
        else:
            subject = data.draw(st.sampled_from(list(ObjectionSubject)[1:]), label="subject")
            subject_id, index = data.draw(st.integers(0, 3), label="subject id"), data.draw(st.integers(0, 2))
        decision = self.decisions.get((subject, subject_id, index))
        project = self.projects.get(decision.project_id) if decision else None
        actor = pick_actor(data, project.writer if project else None)
        evidence = maybe_zero(data, self.document("objection"), "evidence")  # required
        self.do_file_objection(actor, subject, subject_id, index, evidence)

    def open_to_objection(self) -> list[tuple[ObjectionSubject, int, int]]:
        """Decisions a company account could object to now: in their window, not objected to yet."""
        now = self.h.now()
        return sorted(
            key
            for key, d in self.decisions.items()
            if self.projects[d.project_id].writer
            and now <= d.decided_at + d.objection_days * DAY
            and (*key, d.decided_at) not in self.objected
        )

    def do_file_objection(
        self, actor: str, subject: ObjectionSubject, subject_id: int, index: int, evidence: bytes
    ) -> None:
        decision = self.decisions.get((subject, subject_id, index))
        failure: Failure = None
        filed = self.objected.get((subject, subject_id, index, decision.decided_at)) if decision else None
        if decision is None:
            failure = (
                "ObjectionDecisionNotFound",
                {"subject": subject, "subjectId": subject_id, "milestoneIndex": index},
            )
        elif (failure := self.company_failure(actor, decision.project_id)) is not None:
            pass
        elif self.h.now() > decision.decided_at + decision.objection_days * DAY:
            deadline = decision.decided_at + decision.objection_days * DAY
            failure = "ObjectionWindowClosed", {"subject": subject, "subjectId": subject_id, "deadline": deadline}
        elif filed:
            failure = "ObjectionAlreadyFiled", {"objectionId": filed}
        elif evidence == ZERO:
            failure = "EvidenceHashZero", {}

        call = self.outcomes.functions.fileObjection(subject, subject_id, index, evidence)
        receipt = self.expect(actor, call, failure)
        if receipt is None:
            return
        assert decision is not None
        objection_id = self.objection_count() + 1
        assert self.h.event(receipt, self.outcomes, "ObjectionFiled") == {
            "objectionId": objection_id,
            "projectId": decision.project_id,
            "company": self.address(actor),
            "subject": subject,
            "subjectId": subject_id,
            "milestoneIndex": index,
            "evidenceHash": evidence,
        }
        self.objections[objection_id] = ObjectionModel(
            decision.project_id, subject, subject_id, index, decision.decided_by
        )
        self.objected[(subject, subject_id, index, decision.decided_at)] = objection_id
        if subject == ObjectionSubject.EVALUATION:
            self.audits[subject_id].held_by = objection_id

    @precondition(lambda self: self.objections)
    @rule(data=st.data())
    def resolve_objection(self, data: st.DataObject) -> None:
        still_open = [o for o, objection in self.objections.items() if objection.status == ObjectionStatus.OPEN]
        if still_open and data.draw(st.integers(0, 3), label="any objection?") < 3:
            objection_id = data.draw(st.sampled_from(still_open), label="objection")
        else:
            objection_id = pick_id(data, list(self.objections), self.objection_count() + 1, "objection")
        objection = self.objections.get(objection_id)
        other = next((a for a in AUDITORS if objection is None or a != objection.decided_by), "auditor")
        # Mostly an auditor other than the one who decided; now and then the decider.
        actor = pick_actor(data, data.draw(st.sampled_from([other, other, *AUDITORS]), label="resolver"))
        upheld = data.draw(st.booleans(), label="upheld")
        reason = maybe_zero(data, self.document("objection reason"), "reason")  # required
        self.do_resolve_objection(actor, objection_id, upheld, reason)

    def do_resolve_objection(self, actor: str, objection_id: int, upheld: bool, reason: bytes) -> None:
        objection = self.objections.get(objection_id)
        failure: Failure = None
        if actor not in AUDITORS:
            failure = self.unauthorized(actor, self.auditor_role)
        elif objection is None:
            failure = "ObjectionNotFound", {"objectionId": objection_id}
        elif objection.status != ObjectionStatus.OPEN:
            failure = "ObjectionNotOpen", {"objectionId": objection_id, "status": objection.status}
        elif actor == objection.decided_by:
            failure = "ObjectionOwnDecision", {"objectionId": objection_id, "auditor": self.address(actor)}
        elif reason == ZERO:
            failure = "EvidenceHashZero", {}

        receipt = self.expect(actor, self.outcomes.functions.resolveObjection(objection_id, upheld, reason), failure)
        if receipt is None:
            return
        assert objection is not None
        objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
        resolved = self.h.event(receipt, self.outcomes, "ObjectionResolved")
        assert resolved == {
            "objectionId": objection_id,
            "auditor": self.address(actor),
            "upheld": upheld,
            "reasonHash": reason,
        }
        cancelled = self.h.events(receipt, self.grants, "SanctionCancelled")
        audit = self.audits.get(objection.subject_id) if objection.subject == ObjectionSubject.EVALUATION else None
        if audit is None:
            assert cancelled == []
            return
        if audit.held_by == objection_id:
            audit.held_by = 0
        if upheld and audit.sanction == SanctionStatus.PENDING:
            audit.sanction = SanctionStatus.CANCELLED
            assert cancelled == [{"auditId": objection.subject_id, "objectionId": objection_id}]
        else:
            assert cancelled == []

    @rule(data=st.data())
    def settle_sanctions_and_objections(self, data: st.DataObject) -> None:
        # Sanctions and objections as the parties drive them, a few steps at a time, so that long
        # flows (an evaluation, the company's objection, its resolution, the confirmation) are common;
        # the rules above add wrong callers and inputs.
        for _ in range(data.draw(st.integers(1, 4), label="flow steps")):
            settle = [
                a
                for a, audit in self.audits.items()
                if audit.sanction == SanctionStatus.PENDING and not audit.held_by and set(AUDITORS) - audit.confirmed_by
            ]
            still_open = [o for o, objection in self.objections.items() if objection.status == ObjectionStatus.OPEN]
            step = data.draw(st.sampled_from(["evaluate", "object", "resolve", "confirm"]), label="flow step")
            if step == "confirm" and settle:
                audit_id = data.draw(st.sampled_from(settle), label="audit")
                confirmer = next(a for a in AUDITORS if a not in self.audits[audit_id].confirmed_by)
                self.do_confirm_sanction(confirmer, audit_id)
            elif step == "resolve" and still_open:
                objection_id = data.draw(st.sampled_from(still_open), label="objection")
                resolver = next(a for a in AUDITORS if a != self.objections[objection_id].decided_by)
                upheld = data.draw(st.booleans(), label="upheld")
                self.do_resolve_objection(resolver, objection_id, upheld, self.document("objection reason"))
            elif step == "object" and self.open_to_objection():
                subject, subject_id, index = data.draw(st.sampled_from(self.open_to_objection()), label="decision")
                writer = self.projects[self.decisions[(subject, subject_id, index)].project_id].writer
                assert writer is not None
                self.do_file_objection(writer, subject, subject_id, index, self.document("objection"))
            elif self.projects:
                project_id = data.draw(st.sampled_from(sorted(self.projects)), label="project")
                project = self.projects[project_id]
                recorder = data.draw(st.sampled_from(AUDITORS), label="recorder")
                clawback = 0 if project.status == ProjectStatus.CLAWED_BACK else max(1, project.amount // 4)
                until = data.draw(st.sampled_from([0, *self.future]), label="restricted until")
                self.do_record_audit(recorder, project_id, 5, clawback, until, self.document("findings"))

    @rule()
    def let_a_month_pass(self) -> None:
        # 31 days: past a 30-day objection window, within a 60-day one; restrictions lie 200 and 400 days
        # ahead, never within a day of a step, so no check straddles one.
        self.h.advance(31 * DAY)

    # companies ---------------------------------------------------------------------------------
    @rule(data=st.data())
    def rename_company(self, data: st.DataObject) -> None:
        actor = pick_actor(data, "admin")
        company = data.draw(st.sampled_from([*WRITER_OF, ZERO]), label="company")
        name = data.draw(st.sampled_from([*COMPANY_NAMES, self.names.get(company, "")]), label="name")

        failure: Failure = None
        if actor != "admin":
            failure = self.unauthorized(actor, self.admin_role)
        elif company == ZERO:
            failure = "MembershipCompanyIdZero", {}
        elif not name:
            failure = "MembershipCompanyNameMissing", {"companyId": company}
        elif name == self.names[company]:
            failure = "MembershipCompanyNameUnchanged", {"companyId": company}
        elif len(name.encode()) > 200:
            failure = "MembershipCompanyNameTooLong", {"length": len(name.encode())}

        receipt = self.expect(actor, self.grants.functions.renameCompany(company, name), failure)
        if receipt is not None:
            self.names[company] = name
            named = self.h.event(receipt, self.grants, "CompanyNamed")
            assert named == {"companyId": company, "name": name, "admin": self.address(actor)}

    # outcomes and commercialization -------------------------------------------------------------
    @rule(data=st.data())
    def add_outcome(self, data: st.DataObject) -> None:
        project_id, project = self.pick_project(data, lambda p: p.status in WRITABLE)
        actor = pick_actor(data, project.writer if project else None)
        outcome_type = data.draw(st.sampled_from([*list(OutcomeType)[1:], OutcomeType.NONE]), label="outcome type")
        evidence = maybe_zero(data, self.document("outcome evidence"), "evidence")  # required

        failure = self.outcome_write_failure(actor, project_id)
        if failure is None and outcome_type == OutcomeType.NONE:
            failure = "OutcomeTypeMissing", {}
        elif failure is None and evidence == ZERO:
            failure = "EvidenceHashZero", {}

        call = self.outcomes.functions.addOutcome(project_id, outcome_type, "10-2021-0012345", NO_DETAILS, evidence)
        receipt = self.expect(actor, call, failure)
        if receipt is not None:
            self.outcome_count += 1
            added = self.h.event(receipt, self.outcomes, "OutcomeAdded")
            assert (added["outcomeId"], added["submitter"]) == (
                self.base_outcomes + self.outcome_count,
                self.address(actor),
            )

    @rule(data=st.data())
    def report_commercialization(self, data: st.DataObject) -> None:
        project_id, project = self.pick_project(data, lambda p: p.status in WRITABLE)
        actor = pick_actor(data, project.writer if project else None)
        year = data.draw(st.sampled_from([2022, 2023, 2024]), label="year")
        figures = (
            data.draw(st.integers(0, 10**10), label="sales"),
            200_000_000,
            0,
            data.draw(st.integers(0, 50), label="jobs"),
        )
        evidence = maybe_zero(data, self.document("report evidence"), "evidence")  # required

        failure = self.outcome_write_failure(actor, project_id)
        latest = self.latest_report.get((project_id, year), 0)
        if failure is None and latest and self.reports[latest].status != ReportStatus.DISPUTED:
            failure = "CommercializationReportExists", {"projectId": project_id, "year": year, "reportId": latest}
        elif failure is None and evidence == ZERO:
            failure = "EvidenceHashZero", {}

        call = self.outcomes.functions.reportCommercialization(project_id, year, figures, evidence)
        receipt = self.expect(actor, call, failure)
        if receipt is not None:
            report_id = self.report_count() + 1
            reported = self.h.event(receipt, self.outcomes, "CommercializationReported")
            assert (reported["reportId"], reported["submitter"]) == (report_id, self.address(actor))
            self.reports[report_id] = ReportModel(project_id=project_id, year=year, status=ReportStatus.REPORTED)
            self.latest_report[(project_id, year)] = report_id

    @precondition(lambda self: self.reports)
    @rule(data=st.data())
    def review_report(self, data: st.DataObject) -> None:
        actor = pick_actor(data, "auditor")
        report_id = pick_id(data, list(self.reports), self.report_count() + 1, "report")
        report = self.reports.get(report_id)
        verify = data.draw(st.booleans(), label="dispute (else verify)") is False
        note = maybe_zero(data, self.document("report review"), "note")  # optional to verify, required to dispute

        failure: Failure = None
        if actor not in AUDITORS:
            failure = self.unauthorized(actor, self.auditor_role)
        elif report is None:
            failure = "CommercializationReportNotFound", {"reportId": report_id}
        elif report.status != ReportStatus.REPORTED if verify else report.status == ReportStatus.DISPUTED:
            # Only a reported report can be verified; anything but a disputed one can be disputed.
            failure = "CommercializationStatusInvalid", {"reportId": report_id, "status": report.status}
        elif not verify and note == ZERO:
            failure = "EvidenceHashZero", {}

        review = self.outcomes.functions.verifyReport if verify else self.outcomes.functions.disputeReport
        receipt = self.expect(actor, review(report_id, note), failure)
        if receipt is not None:
            assert report is not None
            report.status = ReportStatus.VERIFIED if verify else ReportStatus.DISPUTED
            if not verify:
                subject = ObjectionSubject.REPORT_DISPUTE
                self.note_decision(subject, report_id, 0, report.project_id, actor, receipt)

    # invariants --------------------------------------------------------------------------------
    def logs_request(self) -> tuple[str, list[Any]]:
        """Every event of both registries, from block 0."""
        where = {"fromBlock": "0x0", "toBlock": "latest", "address": [self.grants.address, self.outcomes.address]}
        return "eth_getLogs", [where]

    @invariant()
    def chain_agrees_with_model_and_history(self) -> None:
        g, o = self.grants.functions, self.outcomes.functions
        program_ids = range(self.base_programs + 1, self.program_count() + 1)
        project_ids = range(self.base_projects + 1, self.project_count() + 1)
        milestone_keys = [(p, i) for p in project_ids for i in range(1, len(self.projects[p].milestones) + 1)]
        counts = [
            g.programCount(),
            g.projectCount(),
            g.auditCount(),
            o.outcomeCount(),
            o.reportCount(),
            o.objectionCount(),
            g.sanctionQuorum(),
        ]
        decision_keys = sorted(self.decisions)
        calls = [
            *counts,
            *(g.getProgram(p) for p in program_ids),
            *(g.getProject(p) for p in project_ids),
            *(g.getMilestone(p, i) for p, i in milestone_keys),
            *(g.fundsOf(p) for p in project_ids),
            *(g.sanctionOf(a) for a in self.audits),
            *(g.sanctionHoldOf(a) for a in self.audits),
            *(o.getObjection(i) for i in self.objections),
            *(g.decisionOf(*key) for key in decision_keys),
            *(g.companyName(c) for c in WRITER_OF),
            *(g.restrictionOf(c) for c in WRITER_OF),
        ]
        # One batch, so every read sees the same block.
        logs, *raw = rpc_batch(self.w3, [self.logs_request(), *(call_request(c) for c in calls)])
        results = iter(decode_call(self.w3, c, r) for c, r in zip(calls, raw, strict=True))
        # The event replay runs first: the checks of the stored state rely on it.
        self.check_history_only_grows_and_is_legal(logs)
        self.check_stored_state(  # budgets, caps and tranches; stored state = model = replayed events
            [next(results) for _ in counts],
            {p: next(results) for p in program_ids},
            {p: next(results) for p in project_ids},
            {k: next(results) for k in milestone_keys},
            {p: next(results) for p in project_ids},
        )
        self.check_sanctions_and_objections(
            {a: next(results) for a in self.audits},
            {a: next(results) for a in self.audits},
            {i: next(results) for i in self.objections},
            {k: next(results) for k in decision_keys},
        )
        names = {c: next(results) for c in WRITER_OF}
        restrictions = {c: next(results) for c in WRITER_OF}
        assert names == self.names
        assert restrictions == self.restrictions

    def check_history_only_grows_and_is_legal(self, logs: list[dict[str, Any]]) -> None:
        assert len(logs) >= len(self.logs), "the registry's event history shrank"
        assert logs[: len(self.logs)] == self.logs, "the registry's event history was rewritten"
        for log in logs[len(self.logs) :]:
            self.replay(as_log(log))
        self.logs = logs

    def replay(self, log: dict[str, Any]) -> None:
        """Checks one new event against the history replayed so far, then applies it."""
        contract, name = self.by_topic[bytes(log["topics"][0])]
        if name not in REPLAYED_EVENTS:
            return
        args = contract.events[name]().process_log(log)["args"]
        if name in ("AuditRecorded", "SanctionConfirmed", "SanctionCancelled", "SanctionQuorumChanged"):
            self.replay_sanction(name, args)
            return
        if name == "GrantFundsReturned":
            assert args["projectId"] not in self.returned_history, f"project {args['projectId']} returned funds twice"
            self.returned_history[args["projectId"]] = (args["programId"], args["amount"])
            return
        if name == "ProjectRegistered":
            assert args["projectId"] not in self.project_history, "a project id was registered twice"
            self.project_history[args["projectId"]] = ProjectStatus.ACTIVE
            return
        if name == "ProjectStatusChanged":
            before = self.project_history[args["projectId"]]
            assert args["from"] == before, f"project {args['projectId']} says it left {args['from']}, not {before}"
            assert (before, args["to"]) in LEGAL_PROJECT_STEPS, f"illegal project step {before!r} -> {args['to']}"
            self.project_history[args["projectId"]] = ProjectStatus(args["to"])
            return
        key = (args["projectId"], args["milestoneIndex"])
        if name == "MilestonePlanned":
            assert key not in self.milestone_history, f"milestone {key} planned twice"
            self.milestone_history[key] = MilestoneHistory(MilestoneStatus.PLANNED)
            return
        milestone = self.milestone_history[key]
        after = {
            "MilestoneSubmitted": MilestoneStatus.SUBMITTED,
            "MilestoneApproved": MilestoneStatus.APPROVED,
            "MilestoneRejected": MilestoneStatus.REJECTED,
        }[name]
        assert (milestone.status, after) in LEGAL_MILESTONE_STEPS, (
            f"milestone {key}: illegal step {milestone.status!r} -> {after!r}"
        )
        if name == "MilestoneSubmitted":
            assert args["attempt"] == milestone.attempts + 1, "attempts count up from 1 without gaps"
            milestone.attempts = args["attempt"]
            milestone.submissions.append(args["attempt"])
        else:
            assert args["attempt"] == milestone.attempts, "a review names the latest submission"
        milestone.status = after

    def replay_sanction(self, name: str, args: Any) -> None:
        """The sanction events: each confirmation by an auditor who neither recorded nor confirmed it yet,
        in effect exactly when the confirmations, the recorder's included, reach the quorum of the time."""
        if name == "SanctionQuorumChanged":
            self.replayed_quorum = args["quorum"]
            return
        if name == "AuditRecorded":
            self.sanction_history[args["auditId"]] = SanctionHistory(recorder=args["auditor"])
            return
        history = self.sanction_history[args["auditId"]]
        assert not history.in_effect and not history.cancelled, f"audit {args['auditId']}: its sanction was settled"
        if name == "SanctionCancelled":
            objection = self.objections[args["objectionId"]]
            assert (objection.subject, objection.subject_id) == (ObjectionSubject.EVALUATION, args["auditId"])
            assert objection.status == ObjectionStatus.UPHELD
            history.cancelled = True
            return
        auditor = args["auditor"]
        assert auditor != history.recorder and auditor not in history.confirmed_by, (
            f"audit {args['auditId']}: {auditor} confirmed a sanction it recorded or confirmed already"
        )
        history.confirmed_by.add(auditor)
        distinct = len(history.confirmed_by) + 1
        assert args["confirmations"] == distinct
        assert args["inEffect"] == (distinct >= self.replayed_quorum)
        history.in_effect = args["inEffect"]

    def check_sanctions_and_objections(
        self,
        sanctions: dict[int, Any],
        holds: dict[int, int],
        objections: dict[int, Any],
        decisions: dict[tuple[ObjectionSubject, int, int], Any],
    ) -> None:
        for audit_id, (status, confirmations) in sanctions.items():
            audit = self.audits[audit_id]
            assert (status, confirmations, holds[audit_id]) == (audit.sanction, len(audit.confirmed_by), audit.held_by)
            replayed = self.sanction_history[audit_id]
            if status == SanctionStatus.IN_EFFECT:
                # In effect only with a quorum of distinct auditors, the recorder and others.
                assert replayed.in_effect and len(replayed.confirmed_by) + 1 == confirmations >= 2
                assert audit.recorder in audit.confirmed_by
            assert replayed.cancelled == (status == SanctionStatus.CANCELLED)
        for objection_id, stored_objection in objections.items():
            model = self.objections[objection_id]
            project_id, subject, subject_id, index, status, _, filed_by, decided_by, resolved_by = stored_objection
            assert (project_id, subject, subject_id, index, status, to_checksum_address(decided_by)) == (
                model.project_id,
                model.subject,
                model.subject_id,
                model.milestone_index,
                model.status,
                self.address(model.decided_by),
            )
            assert to_checksum_address(filed_by) == self.address(self.projects[model.project_id].writer or "outsider")
            assert (int(resolved_by, 16) == 0) == (model.status == ObjectionStatus.OPEN)
        for key, (decided_by, decided_at, project_id, days) in decisions.items():
            decision = self.decisions[key]
            assert (to_checksum_address(decided_by), decided_at, project_id, days) == (
                self.address(decision.decided_by),
                decision.decided_at,
                decision.project_id,
                decision.objection_days,
            )

    def check_stored_state(
        self,
        chain_counts: list[int],
        programs: dict[int, Any],
        projects: dict[int, Any],
        milestones: dict[tuple[int, int], Any],
        funds: dict[int, Any],
    ) -> None:
        assert chain_counts == [
            self.program_count(),
            self.project_count(),
            self.audit_count(),
            self.base_outcomes + self.outcome_count,
            self.report_count(),
            self.objection_count(),
            self.quorum,
        ]

        # Budgets: what a program granted is its projects' amounts less what came back, within budget and cap.
        amounts: dict[int, list[int]] = {p: [] for p in programs}
        returned: dict[int, int] = dict.fromkeys(programs, 0)
        for project_id, (paid, came_back) in funds.items():
            model = self.projects[project_id]
            assert (paid, came_back) == (model.paid, model.returned)
            assert paid + came_back <= model.amount, "more was paid and returned than granted"
            returned[model.program_id] += came_back
            history = self.returned_history.get(project_id)
            assert (history[1] if history else 0) == came_back, "the returned funds are not what the event said"
        for project_id, (program_id, _, status, amount, _, _, _, milestone_count, planned) in projects.items():
            amounts[program_id].append(amount)
            model = self.projects[project_id]
            assert (program_id, status, amount, milestone_count) == (
                model.program_id,
                model.status,
                model.amount,
                len(model.milestones),
            )
            assert planned == model.planned <= amount, "milestone tranches exceed the grant"
            assert status == self.project_history[project_id], "the stored status is not the one the events tell"
        for program_id, program in programs.items():
            budget, cap, granted = program[0], program[1], program[4]
            assert sum(amounts[program_id]) - returned[program_id] == granted <= budget
            assert all(amount <= cap for amount in amounts[program_id])
            assert (budget, cap, granted) == (
                self.programs[program_id].budget,
                self.programs[program_id].cap,
                self.programs[program_id].granted,
            )

        # Milestones: stored state = model = replayed events; approval only after a submission.
        for key, (status, attempts, *_) in milestones.items():
            expected = self.projects[key[0]].milestones[key[1] - 1]
            replayed = self.milestone_history[key]
            assert (status, attempts) == (expected.status, expected.attempts) == (replayed.status, replayed.attempts)
            if status == MilestoneStatus.APPROVED:
                assert replayed.submissions and replayed.submissions[-1] >= 1, f"milestone {key} approved unsubmitted"
            # Between two looks (a rule may take several steps) the status moved along legal steps only.
            seen = self.seen_milestones.get(key)
            assert seen in (None, status) or status in REACHABLE_MILESTONE_STATES[seen], (
                f"milestone {key} went from {seen!r} to {status}"
            )
            self.seen_milestones[key] = MilestoneStatus(status)


def machine_settings() -> settings:
    """The loaded profile's seed and example count, bounded unless the profile is `long`."""
    profile = os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
    long_run = profile == "long"
    return settings(
        max_examples=settings().max_examples if long_run else min(settings().max_examples, 30),
        stateful_step_count=100 if long_run else 50,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def test_registry_keeps_its_invariants_under_random_operations(
    w3: Web3, manifest: DeploymentManifest, artifacts: dict[str, Artifact], decoder: RevertDecoder, actors: Actors
) -> None:
    machine = type(
        "RegistryMachine", (RegistryMachine,), {"fixtures": ChainFixtures(w3, manifest, artifacts, decoder, actors)}
    )
    run_state_machine_as_test(machine, settings=machine_settings())
