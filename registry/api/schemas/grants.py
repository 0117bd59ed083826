"""Response models of the grant side: programs, projects, milestones and evaluations, each with
the provenance of the event that created it and of its last change, and its history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import Field

from registry.api.provenance import RegistryContracts, Row
from registry.api.schemas.common import Address, ApiModel, Hex32, Provenance, Timestamp, Won, from_unix
from registry.api.schemas.names import ByName
from registry.api.schemas.objections import Objection, Sanction, SanctionConfirmation, objections_of
from registry.domain import deadlines
from registry.domain.enums import Grade, MilestoneStatus, ProgramStatus, ProjectStatus
from registry.domain.types import ZERO_HASH
from registry.store import statistics as figures

ProgramStatusName = Annotated[ProgramStatus, ByName(ProgramStatus)]
ProjectStatusName = Annotated[ProjectStatus, ByName(ProjectStatus)]
MilestoneStatusName = Annotated[MilestoneStatus, ByName(MilestoneStatus)]
GradeName = Annotated[Grade, ByName(Grade)]


def optional_hash(value: bytes | None) -> bytes | None:
    """A document hash, or None where the chain holds zero ("no document")."""
    return None if value is None or value == ZERO_HASH else value


class ProgramRules(ApiModel):
    """The rules a program set for its projects when it opened (contracts 1.1.0)."""

    follow_up_years: int = Field(description="Years after a project ends during which it reports its "
                                 "commercialization each year.", examples=[5])
    objection_days: int = Field(description="Days after a decision within which the company may object.",
                                examples=[30])
    max_restriction_days: int = Field(description="The longest participation restriction an evaluation may set.")
    max_clawback_percent: int = Field(description="The largest clawback, in percent of the grant.")

    @classmethod
    def from_row(cls, row: Row) -> ProgramRules | None:
        if row["follow_up_years"] is None:
            return None
        return cls(follow_up_years=row["follow_up_years"], objection_days=row["objection_days"],
                   max_restriction_days=row["max_restriction_days"],
                   max_clawback_percent=row["max_clawback_percent"])  # fmt: skip


class Targets(ApiModel):
    """Performance targets (성과목표) or results in the same measures."""

    papers: int
    patents: int = Field(description="Patent applications and registrations.")
    sales: Won
    investment: Won
    jobs: int


class ProjectTargets(Targets):
    @classmethod
    def from_row(cls, row: Row) -> ProjectTargets | None:
        if row["target_papers"] is None:
            return None
        return cls(papers=row["target_papers"], patents=row["target_patents"], sales=row["target_sales"],
                   investment=row["target_investment"], jobs=row["target_jobs"])  # fmt: skip


class Results(Targets):
    """What projects achieved, in their targets' measures: papers are current, not revoked Paper outcomes;
    patents the Patent application and registration outcomes alike; sales, investment and jobs the sums of
    the commercialization reports counted (reported or verified)."""

    @classmethod
    def of(cls, found: figures.Results) -> Results:
        return cls(papers=found.papers, patents=found.patents, sales=found.sales, investment=found.investment,
                   jobs=found.jobs)  # fmt: skip


class Program(ApiModel):
    """A grant program: its budget, the per-project cap, and what has been granted from it."""

    program_id: int = Field(examples=[1])
    name: str = Field(examples=["신성장동력 R&D사업"])
    year: int = Field(examples=[2021])
    budget: Won
    per_project_cap: Won
    granted: Won = Field(description="The grants of the program's projects less the unpaid parts returned when "
                         "one was terminated or clawed back, as the chain keeps it.")
    remaining: Won = Field(description="budget - granted: what the program can still grant.")
    project_count: int
    status: ProgramStatusName
    field: str = Field(examples=["blockchain"])
    metadata_hash: Hex32 | None = Field(description="SHA-256 of the program notice, if one was anchored.")
    metadata_uri: str
    created_by: Address
    rules: ProgramRules | None = Field(description="The program's rules; null for a program opened before "
                                       "contracts 1.1.0, which had none.")
    provenance: Provenance = Field(description="The ProgramCreated event.")
    last_change: Provenance

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> Program:
        contract = chain.grant_registry
        return cls(
            program_id=row["program_id"], name=row["name"], year=row["year"], budget=row["budget"],
            per_project_cap=row["per_project_cap"], granted=row["granted"], remaining=row["budget"] - row["granted"],
            project_count=row["project_count"], status=row["status"], field=row["field"],
            metadata_hash=optional_hash(row["metadata_hash"]), metadata_uri=row["metadata_uri"],
            created_by=row["created_by"], rules=ProgramRules.from_row(row), provenance=chain.created(row, contract),
            last_change=chain.last_change(row, contract),
        )  # fmt: skip


class ProjectStatusChange(ApiModel):
    from_status: ProjectStatusName = Field(serialization_alias="from")
    to_status: ProjectStatusName = Field(serialization_alias="to")
    document_hash: Hex32 | None = Field(description="The final report, termination reason or audit findings.")
    actor: Address
    provenance: Provenance

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> ProjectStatusChange:
        return cls(
            from_status=row["from_status"], to_status=row["to_status"],
            document_hash=optional_hash(row["document_hash"]), actor=row["actor"],
            provenance=chain.event(row, chain.grant_registry),
        )  # fmt: skip


class Project(ApiModel):
    """A grant agreement: which program funds which company, how much, for which period."""

    project_id: int = Field(examples=[1])
    program_id: int = Field(examples=[2])
    company_id: Hex32 = Field(
        description="keccak256 of 'brn:' and the company's 10-digit business registration number."
    )
    company_name: str | None = Field(
        description="The company's public name (상호) last published on chain; null if it was never named.",
        examples=["(주)한빛데이터"],
    )
    status: ProjectStatusName
    amount: Won
    start_date: Timestamp
    end_date: Timestamp
    plan_hash: Hex32 | None = Field(description="SHA-256 of the project plan.")
    milestone_count: int
    planned_tranches: Won = Field(description="The sum of the payment tranches of the project's milestones.")
    paid: Won = Field(description="The tranches of its approved milestones (fundsOf).")
    returned: Won = Field(description="The unpaid part returned to the program on termination or clawback.")
    targets: ProjectTargets | None = Field(description="The performance targets agreed at registration; null when "
                                           "none were recorded (before contracts 1.1.0).")
    registered_by: Address
    provenance: Provenance = Field(description="The ProjectRegistered event.")
    last_change: Provenance

    @classmethod
    def fields_of(cls, row: Row, chain: RegistryContracts) -> dict[str, Any]:
        contract = chain.grant_registry
        return dict(
            project_id=row["project_id"], program_id=row["program_id"], company_id=row["company_id"],
            company_name=row["company_name"], status=row["status"], amount=row["amount"],
            start_date=from_unix(row["start_date"]), end_date=from_unix(row["end_date"]),
            plan_hash=optional_hash(row["plan_hash"]),
            milestone_count=row["milestone_count"], planned_tranches=row["planned_tranches"], paid=row["paid"],
            returned=row["returned"], targets=ProjectTargets.from_row(row),
            registered_by=row["registered_by"], provenance=chain.created(row, contract),
            last_change=chain.last_change(row, contract),
        )  # fmt: skip

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> Project:
        return cls(**cls.fields_of(row, chain))


class FollowUpYear(ApiModel):
    """One year of a project's commercialization follow-up: its report's due day and where it stands."""

    year: int = Field(examples=[2023])
    due_date: Timestamp = Field(description="March 31 of the next year (UTC).")
    state: str = Field(description="upcoming (the year has not ended), due (ended, due date not passed), late (due "
                       "date passed with no report) or reported (a report for the year is on record).",
                       examples=["due"])  # fmt: skip

    @classmethod
    def of(cls, entry: deadlines.FollowUpYear) -> FollowUpYear:
        return cls(year=entry.year, due_date=entry.due_date, state=entry.state.value)


class ProjectDetail(Project):
    status_changes: list[ProjectStatusChange] = Field(description="Completion, termination, clawback; oldest first.")
    results: Results | None = Field(description="What the project achieved, in its targets' measures "
                                    "(`registry.store.statistics.project_results`).")
    follow_up: list[FollowUpYear] | None = Field(
        description="Its commercialization follow-up now: each year its program's followUpYears asks a report for, "
        "with its due day and state (registry/domain/deadlines.py); empty for a project ended by a sanction."
    )

    @classmethod
    def from_rows(
        cls,
        row: Row,
        changes: Sequence[Row],
        chain: RegistryContracts,
        results: figures.Results | None = None,
        follow_up: Sequence[deadlines.FollowUpYear] | None = None,
    ) -> ProjectDetail:
        return cls(
            **cls.fields_of(row, chain), status_changes=[ProjectStatusChange.from_row(c, chain) for c in changes],
            results=None if results is None else Results.of(results),
            follow_up=None if follow_up is None else [FollowUpYear.of(entry) for entry in follow_up],
        )  # fmt: skip


class MilestoneStep(ApiModel):
    """One step of a milestone: planned, submitted, approved or rejected."""

    status: MilestoneStatusName = Field(description="The status this step gave the milestone.")
    attempt: int = Field(description="The submission it concerns, from 1; 0 when planned.")
    actor: Address
    document_hash: Hex32 | None = Field(
        description="The description (planned) or the auditor's review or reason (approved, rejected)."
    )
    evidence_hashes: list[Hex32] = Field(description="SHA-256 of each evidence document of a submission.")
    provenance: Provenance


class Milestone(ApiModel):
    """A milestone of a project, with its payment tranche and where it stands."""

    project_id: int = Field(examples=[1])
    milestone_index: int = Field(examples=[0])
    status: MilestoneStatusName
    attempts: int = Field(description="Submissions so far (a rejected milestone may be submitted again).")
    due_date: Timestamp
    tranche: Won
    description_hash: Hex32 | None
    planned_by: Address
    provenance: Provenance = Field(description="The MilestonePlanned event.")
    last_change: Provenance

    @classmethod
    def fields_of(cls, row: Row, chain: RegistryContracts) -> dict[str, Any]:
        contract = chain.grant_registry
        return dict(
            project_id=row["project_id"], milestone_index=row["milestone_index"], status=row["status"],
            attempts=row["attempts"], due_date=from_unix(row["due_date"]), tranche=row["tranche"],
            description_hash=optional_hash(row["description_hash"]), planned_by=row["planned_by"],
            provenance=chain.created(row, contract), last_change=chain.last_change(row, contract),
        )  # fmt: skip

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> Milestone:
        return cls(**cls.fields_of(row, chain))


class MilestoneDetail(Milestone):
    history: list[MilestoneStep] = Field(description="Every step, oldest first; nothing is ever rewritten.")
    objections: list[Objection] = Field(description="The company's objections to its rejections, oldest first.")

    @classmethod
    def from_rows(
        cls,
        row: Row,
        steps: Sequence[Row],
        evidence: Mapping[tuple[int, int], list[bytes]],
        chain: RegistryContracts,
        objections: Sequence[Row] = (),
    ) -> MilestoneDetail:
        history = []
        for step in steps:
            documents = evidence.get((step["block_number"], step["log_index"]), [])
            submitted = step["status"] == MilestoneStatus.SUBMITTED
            history.append(
                MilestoneStep(
                    status=step["status"], attempt=step["attempt"], actor=step["actor"],
                    document_hash=optional_hash(step["document_hash"]),
                    evidence_hashes=documents if submitted else [],
                    provenance=chain.event(step, chain.grant_registry),
                )
            )  # fmt: skip
        return cls(**cls.fields_of(row, chain), history=history, objections=objections_of(objections, chain))


class Evaluation(ApiModel):
    """An auditor's evaluation of a project, with its sanctions and where they stand."""

    audit_id: int = Field(examples=[1])
    project_id: int
    grade: GradeName
    clawback_amount: Won = Field(description="Funds to return; 0 when none.")
    restricted_until: Timestamp | None = Field(
        description="The company may not receive grants until then; null when not restricted."
    )
    recorded_at: Timestamp
    auditor: Address
    findings_hash: Hex32
    sanction: Sanction = Field(
        description="The clawback and restriction take effect only once a second auditor confirms them: until "
        "then `pending`."
    )
    provenance: Provenance = Field(description="The AuditRecorded event.")
    last_change: Provenance

    @classmethod
    def fields_of(cls, row: Row, chain: RegistryContracts) -> dict[str, Any]:
        contract = chain.grant_registry
        until = row["restricted_until"]
        return dict(
            audit_id=row["audit_id"], project_id=row["project_id"], grade=row["grade"],
            clawback_amount=row["clawback_amount"], restricted_until=None if until is None else from_unix(until),
            recorded_at=from_unix(row["recorded_at"]), auditor=row["auditor"], findings_hash=row["findings_hash"],
            sanction=Sanction.from_row(row), provenance=chain.created(row, contract),
            last_change=chain.last_change(row, contract),
        )  # fmt: skip

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> Evaluation:
        return cls(**cls.fields_of(row, chain))


class EvaluationDetail(Evaluation):
    confirmations: list[SanctionConfirmation] = Field(
        description="Confirmations of its sanction by auditors other than the recorder, oldest first."
    )
    objections: list[Objection] = Field(description="The company's objections to it, oldest first.")

    @classmethod
    def from_rows(
        cls, row: Row, confirmations: Sequence[Row], objections: Sequence[Row], chain: RegistryContracts
    ) -> EvaluationDetail:
        return cls(
            **cls.fields_of(row, chain), confirmations=[SanctionConfirmation.from_row(c, chain) for c in confirmations],
            objections=objections_of(objections, chain),
        )  # fmt: skip
