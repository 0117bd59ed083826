"""Response models of objections (이의신청) and of an evaluation's sanction under the two-person rule."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from pydantic import Field

from registry.api.provenance import RegistryContracts, Row
from registry.api.schemas.common import Address, ApiModel, Hex32, Provenance, Timestamp, from_unix
from registry.api.schemas.names import ByName
from registry.domain.deadlines import SECONDS_PER_DAY
from registry.domain.enums import ObjectionStatus, ObjectionSubject, SanctionStatus

ObjectionSubjectName = Annotated[ObjectionSubject, ByName(ObjectionSubject)]
ObjectionStatusName = Annotated[ObjectionStatus, ByName(ObjectionStatus)]
SanctionStatusName = Annotated[SanctionStatus, ByName(SanctionStatus)]


def subject_path(subject: ObjectionSubject, subject_id: int, milestone_index: int) -> str:
    """The API path of the record whose decision an objection contests."""
    if subject is ObjectionSubject.MILESTONE_REJECTION:
        return f"/api/v1/projects/{subject_id}/milestones/{milestone_index}"
    if subject is ObjectionSubject.REPORT_DISPUTE:
        return f"/api/v1/commercialization-reports/{subject_id}"
    return f"/api/v1/evaluations/{subject_id}"


class Objection(ApiModel):
    """A company's objection to a decision on its project, and how an auditor other than the decider
    resolved it."""

    objection_id: int = Field(examples=[1])
    project_id: int
    company_id: Hex32
    company_name: str | None = Field(description="The company's public name (상호) now; null if never named.")
    subject: ObjectionSubjectName = Field(description="What kind of decision it contests.")
    subject_id: int = Field(description="The project (a milestone rejection), report or evaluation contested.")
    milestone_index: int | None = Field(description="The rejected milestone; null for other subjects.")
    subject_path: str = Field(description="The contested record in this API.")
    status: ObjectionStatusName
    open: bool = Field(description="True until an auditor upholds or dismisses it.")
    filed_at: Timestamp
    filed_by: Address = Field(description="The company account that filed it.")
    evidence_hash: Hex32 = Field(description="SHA-256 of the company's evidence.")
    decided_by: Address = Field(description="The auditor who made the contested decision (who may not resolve it).")
    decided_at: Timestamp
    deadline: Timestamp | None = Field(
        description="The end of the objection window: the decision plus the program's objectionDays."
    )
    resolved_by: Address | None
    resolved_at: Timestamp | None
    reason_hash: Hex32 | None = Field(description="SHA-256 of the resolving auditor's reason.")
    provenance: Provenance = Field(description="The ObjectionFiled event.")
    last_change: Provenance = Field(description="The ObjectionResolved event once resolved.")

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> Objection:
        contract = chain.outcome_registry
        subject = ObjectionSubject(row["subject"])
        milestone = subject is ObjectionSubject.MILESTONE_REJECTION
        days = row["objection_days"]
        resolved_at = row["resolved_at"]
        return cls(
            objection_id=row["objection_id"], project_id=row["project_id"], company_id=row["company_id"],
            company_name=row["company_name"], subject=subject, subject_id=row["subject_id"],
            milestone_index=row["milestone_index"] if milestone else None,
            subject_path=subject_path(subject, row["subject_id"], row["milestone_index"]),
            status=row["status"], open=row["status"] == ObjectionStatus.OPEN, filed_at=from_unix(row["filed_at"]),
            filed_by=row["filed_by"], evidence_hash=row["evidence_hash"], decided_by=row["decided_by"],
            decided_at=from_unix(row["decided_at"]),
            deadline=None if days is None else from_unix(row["decided_at"] + days * SECONDS_PER_DAY),
            resolved_by=row["resolved_by"], resolved_at=None if resolved_at is None else from_unix(resolved_at),
            reason_hash=row["reason_hash"], provenance=chain.created(row, contract),
            last_change=chain.last_change(row, contract),
        )  # fmt: skip


def objections_of(rows: Sequence[Row], chain: RegistryContracts) -> list[Objection]:
    return [Objection.from_row(row, chain) for row in rows]


class Sanction(ApiModel):
    """Where an evaluation's clawback or restriction stands: it takes effect only once `quorum` auditors
    (the recorder and others) confirmed it."""

    status: SanctionStatusName = Field(
        description="none (the evaluation sets no sanction), pending, in-effect or cancelled (an objection upheld)."
    )
    confirmations: int = Field(description="Auditors who confirmed it, the recorder counting as the first.")
    quorum: int = Field(description="Confirmations a sanction needs now (the registry's setting).")
    held_by_objection: int | None = Field(description="The open objection that holds it; null when none.")
    cancelled_by_objection: int | None = Field(description="The upheld objection that cancelled it.")

    @classmethod
    def from_row(cls, row: Row) -> Sanction:
        return cls(
            status=row["sanction_status"], confirmations=row["confirmations"], quorum=row["sanction_quorum"],
            held_by_objection=row["held_by_objection"], cancelled_by_objection=row["cancelled_by_objection"],
        )  # fmt: skip


class SanctionConfirmation(ApiModel):
    """An auditor other than the recorder confirming an evaluation's sanction."""

    auditor: Address
    confirmations: int = Field(description="Confirmations after this one.")
    in_effect: bool = Field(description="Whether this confirmation put the sanction into effect.")
    provenance: Provenance = Field(description="The SanctionConfirmed event.")

    @classmethod
    def from_row(cls, row: Row, chain: RegistryContracts) -> SanctionConfirmation:
        return cls(
            auditor=row["auditor"], confirmations=row["confirmations"], in_effect=row["in_effect"],
            provenance=chain.event(row, chain.grant_registry),
        )  # fmt: skip
