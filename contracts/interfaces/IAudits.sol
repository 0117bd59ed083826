// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {Audit, AuditResult, Grade, Sanction, SanctionStatus} from "../Common.sol";

/// @title Evaluations and audits of projects, with their sanctions
/// @notice A sanction (a clawback, a participation restriction) is a legal act: it is pending when
/// recorded and takes effect only once `sanctionQuorum()` auditors, the recorder and others, have
/// confirmed it; an objection still open holds it, and an upheld one cancels it. In effect, a
/// clawback moves the project to `ClawedBack` and returns its unpaid part to the program; a
/// restriction bars the company from new grants until a date.
interface IAudits {
    /// @notice An auditor recorded an evaluation of a project.
    /// @param auditId The audit.
    /// @param projectId The project.
    /// @param auditor The auditor account that acted.
    /// @param grade The evaluation grade.
    /// @param findingsHash SHA-256 of the findings.
    /// @param clawbackAmount Amount to claw back, won; zero for none. Pending until confirmed.
    /// @param restrictedUntil End of the participation restriction, unix seconds; zero for none.
    event AuditRecorded(
        uint32 indexed auditId,
        uint32 indexed projectId,
        address indexed auditor,
        Grade grade,
        bytes32 findingsHash,
        uint96 clawbackAmount,
        uint40 restrictedUntil
    );
    /// @notice An auditor confirmed the sanction of an evaluation.
    /// @param auditId The audit.
    /// @param auditor The confirming auditor.
    /// @param confirmations Confirmations so far, the recorder's included.
    /// @param inEffect Whether this confirmation put the sanction into effect.
    event SanctionConfirmed(uint32 indexed auditId, address indexed auditor, uint8 confirmations, bool inEffect);
    /// @notice The pending sanction of an evaluation was cancelled by an upheld objection.
    /// @param auditId The audit.
    /// @param objectionId The objection upheld.
    event SanctionCancelled(uint32 indexed auditId, uint32 indexed objectionId);
    /// @notice The number of auditors a sanction needs changed.
    /// @param quorum Confirmations needed, the recorder's included.
    /// @param admin The admin account that acted.
    event SanctionQuorumChanged(uint8 quorum, address indexed admin);

    /// @notice No audit has id `auditId`.
    error AuditNotFound(uint32 auditId);
    /// @notice An audit needs a grade.
    error AuditGradeMissing();
    /// @notice The clawback `clawbackAmount` is above the program's limit `limit` (its largest clawback
    /// percent of the grant).
    error AuditClawbackAboveLimit(uint32 projectId, uint96 clawbackAmount, uint96 limit);
    /// @notice The restriction end `restrictedUntil` is later than the program allows (`limit`).
    error AuditRestrictionAboveLimit(uint32 projectId, uint40 restrictedUntil, uint40 limit);
    /// @notice The sanction of audit `auditId` is `status`, not pending.
    error AuditSanctionNotPending(uint32 auditId, SanctionStatus status);
    /// @notice `auditor` recorded or already confirmed this sanction; another auditor must confirm it.
    error AuditSanctionAlreadyConfirmed(uint32 auditId, address auditor);
    /// @notice Objection `objectionId` against this evaluation is open; resolve it first.
    error AuditSanctionObjected(uint32 auditId, uint32 objectionId);
    /// @notice A sanction needs at least two auditors; `quorum` is too few.
    error AuditQuorumInvalid(uint8 quorum);

    /// @notice Records an evaluation of a project, with optional sanctions, which stay pending until
    /// confirmed by other auditors.
    /// @param projectId The project.
    /// @param result Grade, findings hash (required), clawback in won, restriction end (unix seconds).
    /// @return auditId The new audit's id, counting from 1.
    /// Requirements:
    /// - caller holds `AUDITOR_ROLE`;
    /// - a clawback within the program's largest clawback percent of the grant, and only for a
    ///   project not already clawed back; a restriction within the program's longest restriction.
    function recordAudit(uint32 projectId, AuditResult calldata result) external returns (uint32 auditId);

    /// @notice Confirms the pending sanction of an evaluation; the confirmation that reaches the quorum
    /// puts it into effect.
    /// @param auditId The audit.
    /// Requirements:
    /// - caller holds `AUDITOR_ROLE`, did not record the audit and has not confirmed it yet;
    /// - the sanction is pending and no objection against the evaluation is open;
    /// - for a clawback, the project is not clawed back already.
    function confirmSanction(uint32 auditId) external;

    /// @notice Sets how many auditors a sanction needs, the recorder included; applies to sanctions
    /// confirmed from now on.
    /// @param quorum At least 2.
    /// Requirements:
    /// - caller holds `ADMIN_ROLE`.
    function setSanctionQuorum(uint8 quorum) external;

    /// @notice How many auditors a sanction needs, the recorder included (2 unless changed).
    function sanctionQuorum() external view returns (uint8);

    /// @notice The confirmation state of an evaluation's sanction; `None` when it has none.
    /// @param auditId The audit.
    function sanctionOf(uint32 auditId) external view returns (Sanction memory);

    /// @notice An audit by id.
    /// @param auditId The audit.
    function getAudit(uint32 auditId) external view returns (Audit memory);

    /// @notice How many audits exist (ids run from 1 to this number).
    function auditCount() external view returns (uint32);
}
