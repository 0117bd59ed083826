// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Shared record types of the R&D registry
/// @notice Enums and structs used by every registry module, the Python domain models mirror them
/// one to one (`registry/domain/enums.py`; a test compares both against the compiler's AST).
/// Every enum starts with `None` so that an unset storage slot never reads as a real state.

/// @notice Whether a grant program accepts new projects.
enum ProgramStatus {
    None,
    Open,
    Closed
}

/// @notice The state of a grant agreement.
enum ProjectStatus {
    None,
    Active,
    Completed,
    Terminated,
    ClawedBack
}

/// @notice Where a milestone stands in its review cycle.
enum MilestoneStatus {
    None,
    Planned,
    Submitted,
    Approved,
    Rejected
}

/// @notice National R&D outcome categories plus prototypes, certifications and technology transfer.
enum OutcomeType {
    None,
    Paper,
    PatentApplication,
    PatentRegistration,
    Report,
    ResearchEquipment,
    TechnologySummary,
    Software,
    Compound,
    BiologicalResource,
    PlantVariety,
    Prototype,
    Certification,
    TechnologyTransfer
}

/// @notice Legal status of an intellectual-property outcome.
enum IpStatus {
    None,
    Filed,
    Registered,
    Licensed,
    Transferred,
    Lapsed
}

/// @notice Review state of a commercialization report.
enum ReportStatus {
    None,
    Committed,
    Reported,
    Verified,
    Disputed
}

/// @notice Final evaluation grade of a project.
enum Grade {
    None,
    Excellent,
    Good,
    Fair,
    Poor,
    VeryPoor
}

/// @notice What a document hash was anchored as.
enum AnchorKind {
    None,
    Document,
    ProgramMetadata,
    ProjectPlan,
    MilestoneDescription,
    MilestoneEvidence,
    ReviewNote,
    OutcomeEvidence,
    IpEvidence,
    ReportEvidence,
    AuditFindings,
    ObjectionEvidence
}

/// @notice Where a sanction (clawback, participation restriction) of an evaluation stands: it takes
/// effect only once enough auditors other than the one who recorded it have confirmed it.
enum SanctionStatus {
    None,
    Pending,
    InEffect,
    Cancelled
}

/// @notice What decision an objection (이의신청) contests.
enum ObjectionSubject {
    None,
    MilestoneRejection,
    ReportDispute,
    Evaluation
}

/// @notice Where an objection stands.
enum ObjectionStatus {
    None,
    Open,
    Upheld,
    Dismissed
}

/// @notice The rules a program sets for its projects, fixed when it opens.
/// @param followUpYears Years after a project's end for which commercialization is reported yearly.
/// @param objectionDays Days after a rejection, dispute or evaluation within which the company may object.
/// @param maxRestrictionDays Longest participation restriction an evaluation may set, in days from it.
/// @param maxClawbackPercent Largest clawback, in percent of the grant (100 = the whole grant).
struct ProgramRules {
    uint8 followUpYears;
    uint16 objectionDays;
    uint16 maxRestrictionDays;
    uint16 maxClawbackPercent;
}

/// @notice Input of `createProgram`. Amounts are whole Korean won.
struct ProgramTerms {
    string name;
    uint16 year;
    uint96 budget;
    uint96 perProjectCap;
    string field;
    bytes32 metadataHash;
    string metadataURI;
    ProgramRules rules;
}

/// @notice A grant program as stored and returned.
struct Program {
    uint96 budget;
    uint96 perProjectCap;
    uint16 year;
    ProgramStatus status;
    uint96 granted;
    uint32 projectCount;
    bytes32 metadataHash;
    string name;
    string field;
    string metadataURI;
}

/// @notice The performance targets (성과목표) agreed with a project; zero means no target.
/// @param papers Papers published.
/// @param patents Patents applied for or registered.
/// @param sales Sales revenue, won, over the follow-up period.
/// @param investment Investment attracted, won, over the follow-up period.
/// @param jobs Jobs created.
struct ProjectTargets {
    uint16 papers;
    uint16 patents;
    uint96 sales;
    uint96 investment;
    uint32 jobs;
}

/// @notice Input of `registerProject`. Dates are unix seconds; the amount is whole won.
struct ProjectTerms {
    uint32 programId;
    bytes32 companyId;
    uint96 amount;
    uint40 startDate;
    uint40 endDate;
    bytes32 planHash;
    ProjectTargets targets;
}

/// @notice The money of a grant: what approved milestones paid and what went back to the program.
struct ProjectFunds {
    uint96 paid;
    uint96 returned;
}

/// @notice A grant agreement as returned by `getProject`.
struct Project {
    uint32 programId;
    bytes32 companyId;
    ProjectStatus status;
    uint96 amount;
    uint40 startDate;
    uint40 endDate;
    bytes32 planHash;
    uint32 milestoneCount;
    uint96 plannedTranches;
}

/// @notice A milestone's current state; its history (when submitted, with what) lives in the events.
struct Milestone {
    MilestoneStatus status;
    uint16 attempts;
    uint40 dueDate;
    uint96 tranche;
    bytes32 descriptionHash;
}

/// @notice An R&D outcome. Amendments are new outcomes that point at the one they correct.
struct Outcome {
    uint32 projectId;
    OutcomeType outcomeType;
    IpStatus ipStatus;
    bool revoked;
    uint32 amends;
    uint32 amendedBy;
    uint40 recordedAt;
    bytes32 evidenceHash;
    string externalId;
}

/// @notice What identifies an outcome beyond its external identifier, by type: a paper's journal
/// and SCI(E) indexing, a patent's country, a technology transfer's contract date, licensee and fee.
/// Fields a type does not use stay empty or zero.
/// @param venue Journal or conference (paper), certifying body (certification), registry (others).
/// @param country ISO 3166 country code of a patent, plant variety or registration, e.g. "KR".
/// @param counterparty Licensee or buyer of a technology transfer: its name, or a 0x hash to keep it private.
/// @param date Contract, publication or registration date, unix seconds; zero when none.
/// @param amount Fee of a technology transfer, won.
/// @param sciIndexed Whether a paper's journal is indexed in SCI or SCIE.
struct OutcomeDetails {
    string venue;
    string country;
    string counterparty;
    uint40 date;
    uint96 amount;
    bool sciIndexed;
}

/// @notice Commercialization figures of one period, in whole won and headcount.
struct CommercializationFigures {
    uint96 sales;
    uint96 investment;
    uint96 royalties;
    uint32 jobs;
}

/// @notice A commercialization report. `commitment` is set while the figures are still hidden.
struct CommercializationReport {
    uint32 projectId;
    uint16 year;
    ReportStatus status;
    uint40 recordedAt;
    CommercializationFigures figures;
    bytes32 commitment;
    bytes32 evidenceHash;
}

/// @notice Input of `recordAudit`: the evaluation and any sanction.
struct AuditResult {
    Grade grade;
    bytes32 findingsHash;
    uint96 clawbackAmount;
    uint40 restrictedUntil;
}

/// @notice A recorded evaluation.
struct Audit {
    uint32 projectId;
    Grade grade;
    uint96 clawbackAmount;
    uint40 restrictedUntil;
    uint40 recordedAt;
    address auditor;
    bytes32 findingsHash;
}

/// @notice The confirmation state of an evaluation's sanction.
struct Sanction {
    SanctionStatus status;
    uint8 confirmations;
}

/// @notice A decision a company may object to: who made it, when, for which project, and how many
/// days the project's program leaves for an objection.
struct Decision {
    address decidedBy;
    uint40 decidedAt;
    uint32 projectId;
    uint16 objectionDays;
}

/// @notice An objection (이의신청) to a decision, as stored.
/// @param subjectId The project (milestone rejection), report (dispute) or audit (evaluation).
/// @param milestoneIndex The milestone of a milestone rejection; zero otherwise.
/// @param decidedBy The auditor who made the contested decision; someone else must resolve it.
struct Objection {
    uint32 projectId;
    ObjectionSubject subject;
    uint32 subjectId;
    uint32 milestoneIndex;
    ObjectionStatus status;
    uint40 filedAt;
    address filedBy;
    address decidedBy;
    address resolvedBy;
}

/// @notice Where and when a single document hash was first anchored.
struct Anchor {
    address anchoredBy;
    uint40 timestamp;
    uint48 blockNumber;
    AnchorKind kind;
}

/// @notice Where and when a Merkle root of many documents was anchored.
struct Batch {
    address anchoredBy;
    uint40 timestamp;
    uint48 blockNumber;
}
