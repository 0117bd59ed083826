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
    AuditFindings
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

/// @notice Input of `registerProject`. Dates are unix seconds; the amount is whole won.
struct ProjectTerms {
    uint32 programId;
    bytes32 companyId;
    uint96 amount;
    uint40 startDate;
    uint40 endDate;
    bytes32 planHash;
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
