"""Response models of the outcome side: R&D outcomes with their amendments, revocation and IP status
changes, and commercialization reports with their history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import Field

from registry.api.provenance import RegistryContracts, Row
from registry.api.schemas.common import Address, ApiModel, Hex32, Provenance, Timestamp, Won, from_unix
from registry.api.schemas.grants import optional_hash
from registry.api.schemas.names import ByName
from registry.api.schemas.objections import Objection, objections_of
from registry.domain.enums import IpStatus, OutcomeType, ReportStatus

OutcomeTypeName = Annotated[OutcomeType, ByName(OutcomeType)]
IpStatusName = Annotated[IpStatus, ByName(IpStatus)]
ReportStatusName = Annotated[ReportStatus, ByName(ReportStatus)]


class OutcomeDetails(ApiModel):
    """What identifies an outcome beyond its identifier, as recorded with it (OutcomeDetailsRecorded); which
    fields a type uses is `registry/domain/outcome_details.json`."""

    venue: str = Field(description="A paper's journal or conference; empty when the type has none.",
                       examples=["Journal of Urban Data Science"])
    country: str = Field(description="ISO 3166 alpha-2 country (of a patent office, a licensee...).", examples=["KR"])
    counterparty: str = Field(description="A licensee, buyer or certifying body (a name or a 0x hash).")
    date: Timestamp | None = Field(description="The date the type records (a technology transfer's contract date).")
    amount: Won = Field(description="The amount the type records (a technology transfer's fee), in won.")
    sci_indexed: bool = Field(description="Whether the paper's journal is SCI(E)-indexed.")

    @classmethod
    def from_row(cls, row: Row) -> OutcomeDetails | None:
        if row["venue"] is None:
            return None
        date = row["details_date"]
        return cls(venue=row["venue"], country=row["country"], counterparty=row["counterparty"],
                   date=None if date is None else from_unix(date), amount=row["details_amount"],
                   sci_indexed=row["sci_indexed"])  # fmt: skip


class Outcome(ApiModel):
    """An R&D outcome of a project: a paper, patent, software registration, prototype..."""

    outcome_id: int = Field(examples=[1])
    project_id: int
    outcome_type: OutcomeTypeName
    ip_status: IpStatusName = Field(description="Where its intellectual property stands; none for other types.")
    revoked: bool
    amends: int | None = Field(description="The outcome this one corrects, if it is a correction.")
    amended_by: int | None = Field(description="The outcome that replaces this one (its correction), if one does: "
                                   "this one is then superseded, and lists leave it out unless asked.")
    current: bool = Field(description="True unless a correction replaced it.")
    recorded_at: Timestamp
    evidence_hash: Hex32
    external_id: str = Field(description="Patent number, DOI, software registration number...",
                             examples=["10-2021-0123456"])  # fmt: skip
    submitter: Address
    details: OutcomeDetails | None = Field(description="Its details; null when none were recorded (before 1.1.0).")
    provenance: Provenance = Field(description="The OutcomeAdded or OutcomeAmended event.")
    last_change: Provenance

    @classmethod
    def fields_of(cls, row: Row, chain: RegistryContracts) -> dict[str, Any]:
        contract = chain.outcome_registry
        return dict(
            outcome_id=row["outcome_id"], project_id=row["project_id"], outcome_type=row["outcome_type"],
            ip_status=row["ip_status"], revoked=row["revoked"], amends=row["amends"] or None,
            amended_by=row["amended_by"] or None, current=not row["amended_by"],
            recorded_at=from_unix(row["recorded_at"]), evidence_hash=row["evidence_hash"],
            external_id=row["external_id"], submitter=row["submitter"], details=OutcomeDetails.from_row(row),
            provenance=chain.created(row, contract), last_change=chain.last_change(row, contract),
        )  # fmt: skip

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> Outcome:
        return cls(**cls.fields_of(row, chain))


class Amendment(ApiModel):
    """The correction that recorded an outcome in place of an earlier one (which stays, marked)."""

    original_id: int = Field(description="The outcome corrected.")
    reason_hash: Hex32 | None
    submitter: Address
    provenance: Provenance


class Revocation(ApiModel):
    """The revocation of an outcome: it stays on record, with the reason."""

    reason_hash: Hex32 | None
    actor: Address
    provenance: Provenance


class IpStatusChange(ApiModel):
    outcome_id: int
    from_status: IpStatusName = Field(serialization_alias="from")
    to_status: IpStatusName = Field(serialization_alias="to")
    evidence_hash: Hex32 | None
    actor: Address
    provenance: Provenance

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> IpStatusChange:
        return cls(
            outcome_id=row["outcome_id"], from_status=row["from_status"], to_status=row["to_status"],
            evidence_hash=optional_hash(row["evidence_hash"]), actor=row["actor"],
            provenance=chain.event(row, chain.outcome_registry),
        )  # fmt: skip


class OutcomeDetail(Outcome):
    amendment: Amendment | None = Field(description="How this outcome corrected another; null if it is an original.")
    revocation: Revocation | None
    ip_status_changes: list[IpStatusChange] = Field(description="Oldest first.")

    @classmethod
    def from_rows(
        cls,
        row: Row,
        amendment: Row | None,
        revocation: Row | None,
        changes: Sequence[Row],
        chain: RegistryContracts,
    ) -> OutcomeDetail:
        contract = chain.outcome_registry
        return cls(
            **cls.fields_of(row, chain),
            amendment=None if amendment is None else Amendment(
                original_id=amendment["original_id"], reason_hash=optional_hash(amendment["reason_hash"]),
                submitter=amendment["submitter"], provenance=chain.event(amendment, contract),
            ),
            revocation=None if revocation is None else Revocation(
                reason_hash=optional_hash(revocation["reason_hash"]), actor=revocation["actor"],
                provenance=chain.event(revocation, contract),
            ),
            ip_status_changes=[IpStatusChange.from_row(change, chain) for change in changes],
        )  # fmt: skip


class CommercializationReport(ApiModel):
    """A year's commercialization figures of a project. A report committed as a hash shows no figures
    until they are revealed."""

    report_id: int = Field(examples=[1])
    project_id: int
    year: int = Field(description="The year the figures are for.", examples=[2022])
    status: ReportStatusName
    recorded_at: Timestamp
    sales: Won | None = Field(description="Sales revenue; null while committed and not revealed.")
    investment: Won | None = Field(description="Investment attracted; null while committed.")
    royalties: Won | None = Field(description="Technology-transfer royalties; null while committed.")
    jobs: int | None = Field(description="Jobs created; null while committed.")
    commitment: Hex32 | None = Field(description="The hash the figures were committed to, if they were.")
    evidence_hash: Hex32 | None
    submitter: Address
    provenance: Provenance = Field(description="The CommercializationReported or ...Committed event.")
    last_change: Provenance

    @classmethod
    def fields_of(cls, row: Row, chain: RegistryContracts) -> dict[str, Any]:
        contract = chain.outcome_registry
        hidden = row["status"] == ReportStatus.COMMITTED
        return dict(
            report_id=row["report_id"], project_id=row["project_id"], year=row["year"], status=row["status"],
            recorded_at=from_unix(row["recorded_at"]), sales=None if hidden else row["sales"],
            investment=None if hidden else row["investment"], royalties=None if hidden else row["royalties"],
            jobs=None if hidden else row["jobs"], commitment=optional_hash(row["commitment"]),
            evidence_hash=optional_hash(row["evidence_hash"]), submitter=row["submitter"],
            provenance=chain.created(row, contract), last_change=chain.last_change(row, contract),
        )  # fmt: skip

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> CommercializationReport:
        return cls(**cls.fields_of(row, chain))


class ReportStep(ApiModel):
    action: str = Field(description="reported, committed, revealed, verified or disputed", examples=["verified"])
    status: ReportStatusName = Field(description="The status this step gave the report.")
    actor: Address
    document_hash: Hex32 | None = Field(description="Evidence, or the auditor's note or reason.")
    provenance: Provenance


class CommercializationReportDetail(CommercializationReport):
    history: list[ReportStep] = Field(description="Every step, oldest first.")
    objections: list[Objection] = Field(description="The company's objections to its dispute, oldest first.")

    @classmethod
    def from_rows(
        cls, row: Row, steps: Sequence[Row], chain: RegistryContracts, objections: Sequence[Row] = ()
    ) -> CommercializationReportDetail:
        contract = chain.outcome_registry
        history = [
            ReportStep(action=step["action"], status=step["status"], actor=step["actor"],
                       document_hash=optional_hash(step["document_hash"]), provenance=chain.event(step, contract))
            for step in steps
        ]  # fmt: skip
        return cls(**cls.fields_of(row, chain), history=history, objections=objections_of(objections, chain))
